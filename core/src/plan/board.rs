//! The board the planner plays on: an inventory with its definitions, the questions the
//! planner asks of it (where does this item go, is there room, what is equipped), and the game
//! rules for applying one action. The same rules check finished plans in tests.

use std::collections::HashSet;

use super::action::{Action, Refusal};
use super::intent::ItemRef;
use crate::model::{
    BucketScope, CharacterId, ClassType, Definitions, Inventory, Item, ItemId, Location, buckets,
};

/// An inventory being planned on.
#[derive(Debug, Clone)]
pub struct Board<'a> {
    /// The inventory as it will be after the steps so far.
    pub inventory: Inventory,
    /// The definitions (possibly empty).
    pub definitions: &'a Definitions,
    /// Characters that are in an activity (they cannot equip).
    pub in_activity: HashSet<CharacterId>,
}

/// `TransferStatuses` bit: the item can never leave its character.
const NOT_TRANSFERRABLE: u32 = 2;

impl<'a> Board<'a> {
    /// A board over a copy of the inventory.
    pub fn new(inventory: &Inventory, definitions: &'a Definitions) -> Self {
        Self {
            inventory: inventory.clone(),
            definitions,
            in_activity: HashSet::new(),
        }
    }

    /// The item at an index.
    pub fn item(&self, index: usize) -> &Item {
        &self.inventory.items[index]
    }

    /// The index of an item reference.
    pub fn find(&self, item: ItemRef) -> Option<usize> {
        match item {
            ItemRef::Instance { id } => self.find_instance(id),
            ItemRef::Stack { hash, from } => self
                .inventory
                .items
                .iter()
                .position(|i| i.instance_id.is_none() && i.hash == hash && i.location == from),
        }
    }

    /// The index of an instanced item.
    pub fn find_instance(&self, id: ItemId) -> Option<usize> {
        self.inventory
            .items
            .iter()
            .position(|i| i.instance_id == Some(id))
    }

    /// The reference that names the item at an index.
    pub fn reference(&self, index: usize) -> ItemRef {
        let item = self.item(index);
        match item.instance_id {
            Some(id) => ItemRef::Instance { id },
            None => ItemRef::Stack {
                hash: item.hash,
                from: item.location,
            },
        }
    }

    /// The name of an item's hash, for messages.
    pub fn name(&self, index: usize) -> String {
        self.definitions.name(self.item(index).hash)
    }

    /// The class of a character.
    pub fn class_of(&self, character: CharacterId) -> ClassType {
        self.inventory
            .character(character)
            .map_or(ClassType::Any, |c| c.class_type)
    }

    /// The class that may use an item.
    pub fn item_class(&self, index: usize) -> ClassType {
        self.definitions
            .item(self.item(index).hash)
            .map_or(ClassType::Any, |d| d.class_type)
    }

    /// The bucket an item lives in on a character or the account: its definition's, else the
    /// bucket it sits in when that is not the vault or postmaster, else unknown.
    pub fn home_bucket(&self, index: usize) -> Option<u32> {
        let item = self.item(index);
        self.definitions
            .item(item.hash)
            .map(|d| d.bucket_hash)
            .or(match item.location {
                Location::Character(_) | Location::Account => Some(item.bucket_hash),
                Location::Vault | Location::Postmaster(_) => None,
            })
    }

    /// Where an item goes when it leaves the vault or postmaster for `character`.
    pub fn home_location(&self, index: usize, character: CharacterId) -> Location {
        let account_wide = self.home_bucket(index).is_some_and(|bucket| {
            self.definitions.buckets.get(&bucket).map(|b| b.scope) == Some(BucketScope::Account)
                || bucket == buckets::CONSUMABLES
                || bucket == buckets::MODIFICATIONS
        });
        if account_wide || self.item(index).location == Location::Account {
            Location::Account
        } else {
            Location::Character(character)
        }
    }

    /// Whether an item may leave its character.
    pub fn transferable(&self, index: usize) -> bool {
        let item = self.item(index);
        item.transfer_status & NOT_TRANSFERRABLE == 0
            && !self
                .definitions
                .item(item.hash)
                .is_some_and(|d| d.non_transferrable)
    }

    /// Whether an item can be equipped.
    pub fn equippable(&self, index: usize) -> bool {
        let item = self.item(index);
        match self.definitions.item(item.hash) {
            Some(def) => def.equippable,
            None => {
                item.instance_id.is_some() && self.home_bucket(index).is_some_and(is_gear_bucket)
            }
        }
    }

    /// The unique label of an item (exotics), if any.
    pub fn unique_label(&self, index: usize) -> Option<&str> {
        self.definitions
            .item(self.item(index).hash)
            .and_then(|d| d.unique_label.as_deref())
    }

    /// How many of an item fit in one stack.
    pub fn max_stack(&self, index: usize) -> i32 {
        let item = self.item(index);
        match self.definitions.item(item.hash) {
            Some(def) => def.max_stack.max(1),
            None if item.instance_id.is_some() => 1,
            None => i32::MAX,
        }
    }

    /// Stacks used at a place in a bucket.
    pub fn slots_used(&self, location: Location, bucket: u32) -> usize {
        self.inventory
            .items
            .iter()
            .filter(|i| i.location == location && i.bucket_hash == bucket)
            .count()
    }

    /// The capacity of a bucket.
    pub fn capacity(&self, bucket: u32) -> usize {
        self.definitions.capacity(bucket) as usize
    }

    /// Whether `amount` of the item at `index` fits at a place and bucket, topping up stacks.
    pub fn fits(&self, index: usize, amount: i32, location: Location, bucket: u32) -> bool {
        let free_slots = self
            .capacity(bucket)
            .saturating_sub(self.slots_used(location, bucket));
        let item = self.item(index);
        if item.instance_id.is_some() {
            return free_slots > 0;
        }
        let max = self.max_stack(index);
        let top_up: i64 = self
            .inventory
            .items
            .iter()
            .filter(|i| {
                i.location == location
                    && i.bucket_hash == bucket
                    && i.hash == item.hash
                    && i.instance_id.is_none()
            })
            .map(|i| i64::from((max - i.quantity).max(0)))
            .sum();
        i64::from(amount) <= top_up + free_slots as i64 * i64::from(max)
    }

    /// The equipped item of a character's bucket.
    pub fn equipped_in(&self, character: CharacterId, bucket: u32) -> Option<usize> {
        self.inventory.items.iter().position(|i| {
            i.location == Location::Character(character) && i.equipped && i.bucket_hash == bucket
        })
    }

    /// Applies one action by the game's rules, or says which rule it breaks.
    pub fn apply(&mut self, action: &Action) -> Result<usize, Refusal> {
        match *action {
            Action::Transfer {
                item_id,
                item_hash,
                amount,
                to_vault,
                character_id,
            } => {
                let from = |location| {
                    item_id.map_or(
                        ItemRef::Stack {
                            hash: item_hash,
                            from: location,
                        },
                        |id| ItemRef::Instance { id },
                    )
                };
                let index = if to_vault {
                    self.find(from(Location::Character(character_id)))
                        .or_else(|| self.find(from(Location::Account)))
                        .filter(|&i| matches!(self.item(i).location, Location::Character(c) if c == character_id) || self.item(i).location == Location::Account)
                } else {
                    self.find(from(Location::Vault)).filter(|&i| self.item(i).location == Location::Vault)
                }
                .ok_or_else(|| Refusal::NotFound { what: format!("item {}", item_id.map_or(item_hash.to_string(), |id| id.to_string())) })?;
                self.check_amount(index, amount)?;
                if !self.transferable(index) {
                    return Err(Refusal::NotTransferable {
                        name: self.name(index),
                    });
                }
                if to_vault {
                    if self.item(index).equipped {
                        return Err(Refusal::Invalid {
                            reason: format!("{} is equipped and cannot move", self.name(index)),
                        });
                    }
                    self.move_amount(index, amount, Location::Vault, Some(buckets::VAULT))
                } else {
                    let class = self.item_class(index);
                    let character_class = self.class_of(character_id);
                    if !class.allows(character_class) {
                        return Err(Refusal::WrongClass {
                            name: self.name(index),
                            class: class.name().into(),
                            character_class: character_class.name().into(),
                        });
                    }
                    let destination = self.home_location(index, character_id);
                    let bucket = self.home_bucket(index);
                    self.move_amount(index, amount, destination, bucket)
                }
            }
            Action::Pull {
                item_id,
                item_hash,
                amount,
                character_id,
            } => {
                let reference = item_id.map_or(
                    ItemRef::Stack {
                        hash: item_hash,
                        from: Location::Postmaster(character_id),
                    },
                    |id| ItemRef::Instance { id },
                );
                let index = self
                    .find(reference)
                    .filter(|&i| self.item(i).location == Location::Postmaster(character_id))
                    .ok_or_else(|| Refusal::NotFound {
                        what: format!("postmaster item {item_hash}"),
                    })?;
                self.check_amount(index, amount)?;
                if self
                    .definitions
                    .item(item_hash)
                    .is_some_and(|d| d.postmaster_side_effects)
                {
                    return Err(Refusal::SideEffects {
                        name: self.name(index),
                    });
                }
                let destination = self.home_location(index, character_id);
                let bucket = self.home_bucket(index);
                self.move_amount(index, amount, destination, bucket)
            }
            Action::Equip {
                item_id,
                character_id,
            } => {
                let index = self
                    .find_instance(item_id)
                    .filter(|&i| self.item(i).location == Location::Character(character_id))
                    .ok_or_else(|| Refusal::NotFound {
                        what: format!("item {item_id} on that character"),
                    })?;
                self.check_can_equip(index, character_id)?;
                let bucket = self.item(index).bucket_hash;
                if let Some(label) = self.unique_label(index) {
                    let clash = self.inventory.items.iter().enumerate().any(|(i, other)| {
                        other.location == Location::Character(character_id)
                            && other.equipped
                            && other.bucket_hash != bucket
                            && self.unique_label(i) == Some(label)
                    });
                    if clash {
                        return Err(Refusal::Invalid {
                            reason: format!(
                                "{} clashes with another equipped exotic",
                                self.name(index)
                            ),
                        });
                    }
                }
                for other in self.inventory.items.iter_mut() {
                    if other.location == Location::Character(character_id)
                        && other.equipped
                        && other.bucket_hash == bucket
                    {
                        other.equipped = false;
                    }
                }
                self.inventory.items[index].equipped = true;
                Ok(index)
            }
            Action::Lock {
                item_id, locked, ..
            } => {
                let index = self
                    .find_instance(item_id)
                    .ok_or_else(|| Refusal::NotFound {
                        what: format!("item {item_id}"),
                    })?;
                if !self.item(index).lockable {
                    return Err(Refusal::Invalid {
                        reason: format!("{} cannot be locked", self.name(index)),
                    });
                }
                self.inventory.items[index].locked = locked;
                Ok(index)
            }
        }
    }

    /// Whether a character may equip an item now.
    pub fn check_can_equip(&self, index: usize, character: CharacterId) -> Result<(), Refusal> {
        if !self.equippable(index) {
            return Err(Refusal::NotEquippable {
                name: self.name(index),
            });
        }
        let class = self.item_class(index);
        let character_class = self.class_of(character);
        if !class.allows(character_class) {
            return Err(Refusal::WrongClass {
                name: self.name(index),
                class: class.name().into(),
                character_class: character_class.name().into(),
            });
        }
        if self.in_activity.contains(&character) {
            return Err(Refusal::InActivity);
        }
        Ok(())
    }

    fn check_amount(&self, index: usize, amount: i32) -> Result<(), Refusal> {
        let quantity = self.item(index).quantity;
        if amount < 1 || amount > quantity {
            return Err(Refusal::Invalid {
                reason: format!("cannot move {amount} of a stack of {quantity}"),
            });
        }
        Ok(())
    }

    /// Moves `amount` of an item to a place, filling stacks there first; returns the index of
    /// the item (or a stack holding it) at the destination. An unknown bucket has no limit.
    fn move_amount(
        &mut self,
        index: usize,
        amount: i32,
        location: Location,
        bucket: Option<u32>,
    ) -> Result<usize, Refusal> {
        let place = describe(location, bucket);
        if let Some(bucket) = bucket
            && !self.fits(index, amount, location, bucket)
        {
            return Err(Refusal::NoRoom { place });
        }
        let item = self.item(index).clone();
        let bucket = bucket.unwrap_or(item.bucket_hash);
        if item.instance_id.is_some()
            || amount == item.quantity && !self.has_stack_at(&item, location, bucket)
        {
            let moved = &mut self.inventory.items[index];
            moved.location = location;
            moved.bucket_hash = bucket;
            moved.equipped = false;
            return Ok(index);
        }
        let max = self.max_stack(index);
        let mut remaining = amount;
        for stack in self.inventory.items.iter_mut().filter(|i| {
            i.location == location
                && i.bucket_hash == bucket
                && i.hash == item.hash
                && i.instance_id.is_none()
        }) {
            let take = remaining.min((max - stack.quantity).max(0));
            stack.quantity += take;
            remaining -= take;
        }
        while remaining > 0 {
            let quantity = remaining.min(max);
            self.inventory.items.push(Item {
                quantity,
                location,
                bucket_hash: bucket,
                equipped: false,
                ..item.clone()
            });
            remaining -= quantity;
        }
        self.inventory.items[index].quantity -= amount;
        if self.inventory.items[index].quantity == 0 {
            self.inventory.items.remove(index);
        }
        self.inventory
            .items
            .iter()
            .position(|i| i.location == location && i.hash == item.hash && i.instance_id.is_none())
            .ok_or_else(|| Refusal::Invalid {
                reason: "the stack vanished".into(),
            })
    }

    fn has_stack_at(&self, item: &Item, location: Location, bucket: u32) -> bool {
        self.inventory.items.iter().any(|i| {
            i.location == location
                && i.bucket_hash == bucket
                && i.hash == item.hash
                && i.instance_id.is_none()
        })
    }
}

/// Whether a bucket holds one equipped item (weapons, armor, ghost).
pub fn is_gear_bucket(bucket: u32) -> bool {
    buckets::WEAPONS.contains(&bucket)
        || buckets::ARMOR.contains(&bucket)
        || bucket == buckets::GHOST
}

/// A place for messages: "the vault", "bucket 1498876634 of character 2305...".
pub fn describe(location: Location, bucket: Option<u32>) -> String {
    let bucket = bucket.map_or_else(String::new, |b| format!(" (bucket {b})"));
    match location {
        Location::Vault => "The vault".to_string(),
        Location::Account => format!("The account inventory{bucket}"),
        Location::Character(id) => format!("Character {id}'s slot{bucket}"),
        Location::Postmaster(id) => format!("Character {id}'s postmaster"),
    }
}
