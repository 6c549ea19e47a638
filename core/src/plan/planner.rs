//! Turning intents into a plan. Each intent is planned on a copy of the board and kept only
//! when it succeeds, so one refusal never leaves half a plan behind.

use std::collections::HashSet;

use super::action::{Action, IntentPlan, MovedAside, Plan, Purpose, Refusal, Skipped, Step};
use super::board::{Board, describe};
use super::intent::{Destination, Intent, ItemRef, MakeRoom};
use crate::model::{CharacterId, Definitions, Inventory, ItemId, Location, Tier, buckets};
use crate::search::{Context, Query};

/// How deep making room may recurse (a character slot into the vault into another character).
const MAX_DEPTH: u8 = 3;

/// What the planner may assume and do.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Whether it may move other items aside.
    pub make_room: MakeRoom,
    /// Characters in an activity (they cannot equip).
    pub in_activity: Vec<CharacterId>,
}

/// Plans every intent in order against the inventory.
pub fn plan(
    inventory: &Inventory,
    definitions: &Definitions,
    intents: &[Intent],
    options: &PlanOptions,
) -> Plan {
    let mut board = Board::new(inventory, definitions);
    board.in_activity = options.in_activity.iter().copied().collect();
    let mut plan = Plan::default();
    let protected = requested_items(intents);
    for (index, intent) in intents.iter().enumerate() {
        let mut planner = Planner {
            board: board.clone(),
            policy: options.make_room,
            protected: protected.clone(),
            intent: index,
            steps: Vec::new(),
            aside: Vec::new(),
        };
        let mut skipped = Vec::new();
        let refusal = planner.intent(intent, &mut skipped).err();
        if refusal.is_none() {
            board = planner.board;
            plan.steps.extend(planner.steps);
            plan.moved_aside.extend(planner.aside);
        }
        plan.intents.push(IntentPlan {
            intent: index,
            refusal,
            skipped,
        });
    }
    plan
}

/// The instance ids every intent names: never moved aside.
fn requested_items(intents: &[Intent]) -> HashSet<ItemId> {
    let mut ids = HashSet::new();
    for intent in intents {
        match intent {
            Intent::Move {
                item: ItemRef::Instance { id },
                ..
            }
            | Intent::Equip {
                item: ItemRef::Instance { id },
                ..
            }
            | Intent::Lock {
                item: ItemRef::Instance { id },
                ..
            }
            | Intent::Pull {
                item: ItemRef::Instance { id },
            } => {
                ids.insert(*id);
            }
            Intent::ApplyLoadout { item_ids, .. } => ids.extend(item_ids.iter().copied()),
            _ => {}
        }
    }
    ids
}

/// Planning state for one intent.
struct Planner<'a> {
    board: Board<'a>,
    policy: MakeRoom,
    protected: HashSet<ItemId>,
    intent: usize,
    steps: Vec<Step>,
    aside: Vec<MovedAside>,
}

impl Planner<'_> {
    fn intent(&mut self, intent: &Intent, skipped: &mut Vec<Skipped>) -> Result<(), Refusal> {
        match intent {
            Intent::Move {
                item,
                to,
                amount,
                equip,
            } => {
                let index = self.locate(*item)?;
                let amount = amount.unwrap_or(self.board.item(index).quantity);
                self.move_item(index, *to, amount, *equip)
            }
            Intent::Equip { item, character_id } => {
                let index = self.locate(*item)?;
                self.character(*character_id)?;
                self.move_item(index, Destination::Character(*character_id), 1, true)
            }
            Intent::Lock { item, locked } => {
                let index = self.locate(*item)?;
                self.lock(index, *locked)
            }
            Intent::Pull { item } => {
                let index = self.locate(*item)?;
                self.pull(index).map(|_| ())
            }
            Intent::CollectPostmaster { character_id } => {
                self.character(*character_id)?;
                let items: Vec<ItemRef> = (0..self.board.inventory.items.len())
                    .filter(|&i| self.board.item(i).location == Location::Postmaster(*character_id))
                    .map(|i| self.board.reference(i))
                    .collect();
                self.each(&items, skipped, |planner, index| {
                    planner.pull(index).map(|_| ())
                })
            }
            Intent::MoveMatching { query, to } => {
                if let Destination::Character(id) = to {
                    self.character(*id)?;
                }
                let query = Query::parse(query).map_err(|e| Refusal::Invalid {
                    reason: format!("The search does not parse: {e}"),
                })?;
                let items: Vec<ItemRef> = {
                    let context = Context {
                        inventory: &self.board.inventory,
                        definitions: self.board.definitions,
                    };
                    let matches = query.matcher(&context);
                    (0..self.board.inventory.items.len())
                        .filter(|&i| matches(self.board.item(i)))
                        .map(|i| self.board.reference(i))
                        .collect()
                };
                for item in &items {
                    if let ItemRef::Instance { id } = item {
                        self.protected.insert(*id);
                    }
                }
                let to = *to;
                self.each(&items, skipped, |planner, index| {
                    let item = planner.board.item(index);
                    if item.equipped {
                        return Err(Refusal::Invalid {
                            reason: format!(
                                "{} is equipped; bulk moves leave equipped items alone",
                                planner.board.name(index)
                            ),
                        });
                    }
                    if matches!(item.location, Location::Postmaster(_)) {
                        return Err(Refusal::WrongPlace {
                            name: planner.board.name(index),
                            expected: "out of the postmaster (pull it first)".into(),
                        });
                    }
                    let quantity = item.quantity;
                    planner.move_item(index, to, quantity, false)
                })
            }
            Intent::ApplyLoadout {
                character_id,
                item_ids,
            } => self.apply_loadout(*character_id, item_ids),
        }
    }

    /// Plans `each` for every item on its own copy; a refused item is skipped with its reason.
    fn each(
        &mut self,
        items: &[ItemRef],
        skipped: &mut Vec<Skipped>,
        mut each: impl FnMut(&mut Self, usize) -> Result<(), Refusal>,
    ) -> Result<(), Refusal> {
        for &item in items {
            let (board, steps, aside) = (self.board.clone(), self.steps.len(), self.aside.len());
            let result = match self.board.find(item) {
                Some(index) => each(self, index),
                None => Err(Refusal::NotFound {
                    what: describe_ref(item),
                }),
            };
            if let Err(reason) = result {
                self.board = board;
                self.steps.truncate(steps);
                self.aside.truncate(aside);
                let (item_id, item_hash) = match item {
                    ItemRef::Instance { id } => (
                        Some(id),
                        self.board.find(item).map_or(0, |i| self.board.item(i).hash),
                    ),
                    ItemRef::Stack { hash, .. } => (None, hash),
                };
                skipped.push(Skipped {
                    item_id,
                    item_hash,
                    reason,
                });
            }
        }
        Ok(())
    }

    fn locate(&self, item: ItemRef) -> Result<usize, Refusal> {
        self.board.find(item).ok_or_else(|| Refusal::NotFound {
            what: describe_ref(item),
        })
    }

    fn character(&self, id: CharacterId) -> Result<(), Refusal> {
        self.board
            .inventory
            .character(id)
            .map(|_| ())
            .ok_or_else(|| Refusal::Invalid {
                reason: format!("There is no character {id} on this account."),
            })
    }

    /// Applies an action to the board and records it as a step.
    fn push(&mut self, action: Action, purpose: Purpose) -> Result<usize, Refusal> {
        let item_hash = match &action {
            Action::Transfer { item_hash, .. } | Action::Pull { item_hash, .. } => *item_hash,
            Action::Equip { item_id, .. } | Action::Lock { item_id, .. } => self
                .board
                .find_instance(*item_id)
                .map_or(0, |i| self.board.item(i).hash),
        };
        let index = self.board.apply(&action)?;
        let expected = self.board.item(index).location;
        self.steps.push(Step {
            action,
            intent: self.intent,
            purpose,
            item_hash,
            expected,
        });
        Ok(index)
    }

    /// Any character, for actions that need one but do not care which.
    fn any_character(&self) -> Result<CharacterId, Refusal> {
        self.board
            .inventory
            .characters
            .first()
            .map(|c| c.id)
            .ok_or_else(|| Refusal::Invalid {
                reason: "This account has no characters.".into(),
            })
    }

    /// Moves `amount` of an item to a destination, through the vault, optionally equipping it.
    fn move_item(
        &mut self,
        index: usize,
        to: Destination,
        amount: i32,
        equip: bool,
    ) -> Result<(), Refusal> {
        let quantity = self.board.item(index).quantity;
        if amount < 1 || amount > quantity {
            return Err(Refusal::Invalid {
                reason: format!("Cannot move {amount} of a stack of {quantity}."),
            });
        }
        if equip && to == Destination::Vault {
            return Err(Refusal::Invalid {
                reason: "Items cannot be equipped in the vault.".into(),
            });
        }
        let instance_id = self.board.item(index).instance_id;
        let mut index = index;
        if let Location::Postmaster(_) = self.board.item(index).location {
            index = self.pull(index)?;
        }
        match (self.board.item(index).location, to) {
            (Location::Vault, Destination::Vault) => {}
            (Location::Character(_) | Location::Account, Destination::Vault) => {
                self.send_to_vault(index, amount, Purpose::Requested, 0)?;
            }
            (Location::Vault, Destination::Character(target)) => {
                self.bring_from_vault(index, amount, target, Purpose::Requested, 0)?;
            }
            (Location::Character(holder), Destination::Character(target)) if holder != target => {
                let in_vault = self.send_to_vault(index, amount, Purpose::Requested, 0)?;
                self.bring_from_vault(in_vault, amount, target, Purpose::Requested, 0)?;
            }
            // Account-wide items are with every character already, and cannot be equipped.
            (Location::Account, Destination::Character(_)) if equip => {
                return Err(Refusal::NotEquippable {
                    name: self.board.name(index),
                });
            }
            _ => {}
        }
        if let (true, Destination::Character(target)) = (equip, to) {
            let id = instance_id.ok_or_else(|| Refusal::NotEquippable {
                name: self.board.name(index),
            })?;
            let index = self
                .board
                .find_instance(id)
                .ok_or_else(|| Refusal::NotFound {
                    what: format!("item {id}"),
                })?;
            self.equip(index, target, Purpose::Requested)?;
        }
        Ok(())
    }

    fn instance(&self, index: usize) -> Result<ItemId, Refusal> {
        self.board
            .item(index)
            .instance_id
            .ok_or_else(|| Refusal::NotEquippable {
                name: self.board.name(index),
            })
    }

    /// Sends an item on a character or in an account bucket to the vault; returns its index there.
    fn send_to_vault(
        &mut self,
        index: usize,
        amount: i32,
        purpose: Purpose,
        depth: u8,
    ) -> Result<usize, Refusal> {
        if !self.board.transferable(index) {
            return Err(Refusal::NotTransferable {
                name: self.board.name(index),
            });
        }
        let reference = self.board.reference(index);
        let holder = match self.board.item(index).location {
            Location::Character(id) => id,
            _ => self.any_character()?,
        };
        if self.board.item(index).equipped {
            self.unequip(index, depth)?;
        }
        let index = self
            .board
            .find(reference)
            .ok_or_else(|| Refusal::NotFound {
                what: describe_ref(reference),
            })?;
        self.make_room(index, amount, Location::Vault, Some(buckets::VAULT), depth)?;
        let item = self.board.item(index);
        let action = Action::Transfer {
            item_id: item.instance_id,
            item_hash: item.hash,
            amount,
            to_vault: true,
            character_id: holder,
        };
        self.push(action, purpose)
    }

    /// Sends an item from the vault to a character (or its account bucket); returns its index there.
    fn bring_from_vault(
        &mut self,
        index: usize,
        amount: i32,
        target: CharacterId,
        purpose: Purpose,
        depth: u8,
    ) -> Result<usize, Refusal> {
        self.character(target)?;
        if !self.board.transferable(index) {
            return Err(Refusal::NotTransferable {
                name: self.board.name(index),
            });
        }
        let class = self.board.item_class(index);
        let character_class = self.board.class_of(target);
        if !class.allows(character_class) {
            return Err(Refusal::WrongClass {
                name: self.board.name(index),
                class: class.name().into(),
                character_class: character_class.name().into(),
            });
        }
        let destination = self.board.home_location(index, target);
        let bucket = self.board.home_bucket(index);
        let reference = self.board.reference(index);
        self.make_room(index, amount, destination, bucket, depth)?;
        let index = self
            .board
            .find(reference)
            .ok_or_else(|| Refusal::NotFound {
                what: describe_ref(reference),
            })?;
        let item = self.board.item(index);
        let action = Action::Transfer {
            item_id: item.instance_id,
            item_hash: item.hash,
            amount,
            to_vault: false,
            character_id: target,
        };
        self.push(action, purpose)
    }

    /// Pulls a postmaster item to where it belongs; returns its index there.
    fn pull(&mut self, index: usize) -> Result<usize, Refusal> {
        let item = self.board.item(index).clone();
        let Location::Postmaster(holder) = item.location else {
            return Err(Refusal::WrongPlace {
                name: self.board.name(index),
                expected: "in a postmaster".into(),
            });
        };
        if self
            .board
            .definitions
            .item(item.hash)
            .is_some_and(|d| d.postmaster_side_effects)
        {
            return Err(Refusal::SideEffects {
                name: self.board.name(index),
            });
        }
        let destination = self.board.home_location(index, holder);
        let bucket = self.board.home_bucket(index);
        self.make_room(index, item.quantity, destination, bucket, 0)?;
        // (The action names the item by id or by hash and postmaster, not by index.)
        let action = Action::Pull {
            item_id: item.instance_id,
            item_hash: item.hash,
            amount: item.quantity,
            character_id: holder,
        };
        self.push(action, Purpose::Requested)
    }

    /// Locks or unlocks an item (no step when it already is).
    fn lock(&mut self, index: usize, locked: bool) -> Result<(), Refusal> {
        let item = self.board.item(index);
        let id = item.instance_id.ok_or_else(|| Refusal::Invalid {
            reason: format!(
                "{} is a stack and cannot be locked.",
                self.board.name(index)
            ),
        })?;
        if !item.lockable {
            return Err(Refusal::Invalid {
                reason: format!("{} cannot be locked.", self.board.name(index)),
            });
        }
        if item.locked == locked {
            return Ok(());
        }
        let character_id = match item.location {
            Location::Character(id) | Location::Postmaster(id) => id,
            _ => self.any_character()?,
        };
        self.push(
            Action::Lock {
                item_id: id,
                character_id,
                locked,
            },
            Purpose::Requested,
        )
        .map(|_| ())
    }

    /// Equips an item that is on the character, first replacing a conflicting exotic.
    fn equip(
        &mut self,
        index: usize,
        character: CharacterId,
        purpose: Purpose,
    ) -> Result<(), Refusal> {
        self.board.check_can_equip(index, character)?;
        let item = self.board.item(index).clone();
        if item.equipped {
            return Ok(());
        }
        let id = self.instance(index)?;
        if let Some(label) = self.board.unique_label(index).map(str::to_string) {
            let clash = (0..self.board.inventory.items.len()).find(|&i| {
                let other = self.board.item(i);
                other.location == Location::Character(character)
                    && other.equipped
                    && other.bucket_hash != item.bucket_hash
                    && self.board.unique_label(i) == Some(label.as_str())
            });
            if let Some(clash) = clash {
                let bucket = self.board.item(clash).bucket_hash;
                self.replace_equipped(character, bucket, Some(&label), Purpose::ResolveExotic, 0)?;
            }
        }
        self.push(
            Action::Equip {
                item_id: id,
                character_id: character,
            },
            purpose,
        )
        .map(|_| ())
    }

    /// Equips something else in an equipped item's slot so it can leave.
    fn unequip(&mut self, index: usize, depth: u8) -> Result<(), Refusal> {
        let item = self.board.item(index).clone();
        let Location::Character(character) = item.location else {
            return Ok(());
        };
        self.replace_equipped(
            character,
            item.bucket_hash,
            None,
            Purpose::ReplaceEquipped,
            depth,
        )
        .map_err(|refusal| match refusal {
            Refusal::NoReplacement { .. } => Refusal::NoReplacement {
                name: self.board.name(index),
            },
            other => other,
        })
    }

    /// Equips the most sensible other item of a character's bucket (best power, no exotic
    /// clash, not requested), bringing one from the vault when the character has none.
    fn replace_equipped(
        &mut self,
        character: CharacterId,
        bucket: u32,
        avoid_label: Option<&str>,
        purpose: Purpose,
        depth: u8,
    ) -> Result<(), Refusal> {
        if self.board.in_activity.contains(&character) {
            return Err(Refusal::InActivity);
        }
        let current = self.board.equipped_in(character, bucket);
        let other_labels: Vec<String> = (0..self.board.inventory.items.len())
            .filter(|&i| {
                let other = self.board.item(i);
                other.location == Location::Character(character)
                    && other.equipped
                    && other.bucket_hash != bucket
            })
            .filter_map(|i| self.board.unique_label(i).map(str::to_string))
            .collect();
        let suitable = |board: &Board<'_>, i: usize, at: Location| {
            let candidate = board.item(i);
            candidate.location == at
                && Some(i) != current
                && candidate
                    .instance_id
                    .is_some_and(|id| !self.protected.contains(&id))
                && board.home_bucket(i) == Some(bucket)
                && board.check_can_equip(i, character).is_ok()
                && board.unique_label(i).is_none_or(|label| {
                    Some(label) != avoid_label && !other_labels.iter().any(|l| l == label)
                })
        };
        let best = |board: &Board<'_>, at: Location| {
            (0..board.inventory.items.len())
                .filter(|&i| suitable(board, i, at))
                .max_by_key(|&i| {
                    (
                        board.item(i).power.unwrap_or(0),
                        tier_rank(board, i),
                        std::cmp::Reverse(i),
                    )
                })
        };
        let on_character = best(&self.board, Location::Character(character));
        let candidate = match on_character {
            Some(index) => index,
            None => {
                let from_vault =
                    best(&self.board, Location::Vault).ok_or_else(|| Refusal::NoReplacement {
                        name: "That item".into(),
                    })?;
                self.bring_from_vault(from_vault, 1, character, purpose, depth + 1)?
            }
        };
        let id = self.instance(candidate)?;
        let from = self.board.item(candidate).location;
        let from = if on_character.is_some() {
            from
        } else {
            Location::Vault
        };
        let hash = self.board.item(candidate).hash;
        self.push(
            Action::Equip {
                item_id: id,
                character_id: character,
            },
            purpose,
        )?;
        self.aside.push(MovedAside {
            item_id: Some(id),
            item_hash: hash,
            from,
            to: Location::Character(character),
            purpose,
        });
        Ok(())
    }

    /// Makes sure `amount` of the item fits at a place, moving the least valuable unprotected
    /// item aside when that is allowed.
    fn make_room(
        &mut self,
        index: usize,
        amount: i32,
        location: Location,
        bucket: Option<u32>,
        depth: u8,
    ) -> Result<(), Refusal> {
        let Some(bucket) = bucket else { return Ok(()) };
        if self.board.fits(index, amount, location, bucket) {
            return Ok(());
        }
        let full = Refusal::NoRoom {
            place: describe(location, Some(bucket)),
        };
        if self.policy == MakeRoom::Never || depth >= MAX_DEPTH {
            return Err(full);
        }
        let reference = self.board.reference(index);
        let victim = self.least_valuable(location, bucket).ok_or(full)?;
        let victim_item = self.board.item(victim).clone();
        let moved = match location {
            Location::Vault => {
                let target = self
                    .character_with_room(victim)
                    .ok_or_else(|| Refusal::NoRoom {
                        place: describe(location, Some(bucket)),
                    })?;
                self.bring_from_vault(
                    victim,
                    victim_item.quantity,
                    target,
                    Purpose::MakeRoom,
                    depth + 1,
                )?
            }
            _ => self.send_to_vault(victim, victim_item.quantity, Purpose::MakeRoom, depth + 1)?,
        };
        let to = self.board.item(moved).location;
        self.aside.push(MovedAside {
            item_id: victim_item.instance_id,
            item_hash: victim_item.hash,
            from: victim_item.location,
            to,
            purpose: Purpose::MakeRoom,
        });
        let index = self
            .board
            .find(reference)
            .ok_or_else(|| Refusal::NotFound {
                what: describe_ref(reference),
            })?;
        self.make_room(index, amount, location, Some(bucket), depth)
    }

    /// The least valuable item that may be moved out of a place's bucket: not equipped, not
    /// locked, not requested, transferable; lowest tier and power first, and among equals the
    /// ones other classes can use.
    fn least_valuable(&self, location: Location, bucket: u32) -> Option<usize> {
        (0..self.board.inventory.items.len())
            .filter(|&i| {
                let item = self.board.item(i);
                item.location == location
                    && item.bucket_hash == bucket
                    && !item.equipped
                    && !item.locked
                    && item
                        .instance_id
                        .is_none_or(|id| !self.protected.contains(&id))
                    && self.board.transferable(i)
                    && (location != Location::Vault || self.character_with_room(i).is_some())
            })
            .min_by_key(|&i| {
                let usable_by_others = self.board.item_class(i) == crate::model::ClassType::Any;
                (
                    tier_rank(&self.board, i),
                    self.board.item(i).power.unwrap_or(0),
                    !usable_by_others,
                    i,
                )
            })
    }

    /// A character a vault item can go to right now without making more room.
    fn character_with_room(&self, index: usize) -> Option<CharacterId> {
        let class = self.board.item_class(index);
        let bucket = self.board.home_bucket(index)?;
        let quantity = self.board.item(index).quantity;
        self.board
            .inventory
            .characters
            .iter()
            .map(|c| c.id)
            .find(|&id| {
                class.allows(self.board.class_of(id)) && {
                    let location = self.board.home_location(index, id);
                    self.board.fits(index, quantity, location, bucket)
                }
            })
    }

    /// Moves every loadout item to the character, then equips them, plain items first so that
    /// exotics they replace are gone before the loadout's own exotics go on.
    fn apply_loadout(
        &mut self,
        character: CharacterId,
        item_ids: &[ItemId],
    ) -> Result<(), Refusal> {
        self.character(character)?;
        for &id in item_ids {
            let index = self.locate(ItemRef::Instance { id })?;
            self.board.check_can_equip(index, character)?;
            self.move_item(index, Destination::Character(character), 1, false)?;
        }
        // Exotics (and other unique items) last, each group in the order asked.
        let (unique, plain): (Vec<ItemId>, Vec<ItemId>) = item_ids.iter().partition(|&&id| {
            self.board
                .find_instance(id)
                .is_some_and(|i| self.board.unique_label(i).is_some())
        });
        for id in plain.into_iter().chain(unique) {
            let index = self.locate(ItemRef::Instance { id })?;
            self.equip(index, character, Purpose::Requested)?;
        }
        Ok(())
    }
}

/// A rank for the tier (unknown counts as legendary, so unknown items are not thrown out first).
fn tier_rank(board: &Board<'_>, index: usize) -> u8 {
    match board
        .definitions
        .item(board.item(index).hash)
        .map_or(Tier::Legendary, |d| d.tier)
    {
        Tier::Unknown | Tier::Basic => 1,
        Tier::Common => 2,
        Tier::Rare => 3,
        Tier::Legendary => 4,
        Tier::Exotic => 5,
    }
}

fn describe_ref(item: ItemRef) -> String {
    match item {
        ItemRef::Instance { id } => format!("Item {id}"),
        ItemRef::Stack { hash, .. } => format!("The stack of item {hash}"),
    }
}
