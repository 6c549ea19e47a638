//! The plan and the report in words: items by name (and instance id), characters by class and
//! id, each step as a sentence.

use std::fmt::Write as _;

use courier_core::exec::{ItemEnd, Report};
use courier_core::model::{CharacterId, Definitions, Inventory, Item, ItemId, Location};
use courier_core::plan::{Action, Destination, MovedAside, Plan, Purpose, Step};

/// How many items an error lists before it says how many more there are.
const LISTED: usize = 20;

/// Words for one inventory and its definitions.
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    /// The inventory the plan was made from.
    pub inventory: &'a Inventory,
    /// The definitions that name its items.
    pub definitions: &'a Definitions,
}

impl<'a> Words<'a> {
    /// Words for this inventory.
    pub fn new(inventory: &'a Inventory, definitions: &'a Definitions) -> Self {
        Self {
            inventory,
            definitions,
        }
    }

    /// "Titan 2305843009300000001".
    pub fn character(&self, id: CharacterId) -> String {
        match self.inventory.character(id) {
            Some(character) => format!("{} {id}", character.class_type.name()),
            None => format!("character {id}"),
        }
    }

    /// "the vault", or the character.
    pub fn destination(&self, to: Destination) -> String {
        self.place(match to {
            Destination::Vault => Location::Vault,
            Destination::Character(id) => Location::Character(id),
        })
    }

    /// A place as a noun: "the vault", "Titan 2305...", "Titan 2305...'s postmaster".
    fn place(&self, location: Location) -> String {
        match location {
            Location::Vault => "the vault".to_string(),
            Location::Account => "the account inventory".to_string(),
            Location::Character(id) => self.character(id),
            Location::Postmaster(id) => format!("{}'s postmaster", self.character(id)),
        }
    }

    /// Where an item is: "in the vault", "on Titan 2305...", "in Titan 2305...'s postmaster".
    fn at(&self, location: Location) -> String {
        let preposition = match location {
            Location::Character(_) => "on",
            _ => "in",
        };
        format!("{preposition} {}", self.place(location))
    }

    /// An item by name with its instance id, or a stack with its size.
    pub fn item_of(&self, item: &Item) -> String {
        self.named(item.instance_id, item.hash, item.quantity)
    }

    fn named(&self, id: Option<ItemId>, hash: u32, amount: i32) -> String {
        let name = self.definitions.name(hash);
        match id {
            Some(id) => format!("{name} ({id})"),
            None if amount > 1 => format!("{name} ×{amount}"),
            None => name,
        }
    }

    /// One line per item with where it is (at most [`LISTED`]).
    pub fn list(&self, items: &[&Item]) -> String {
        let mut text = String::new();
        for item in items.iter().take(LISTED) {
            let _ = writeln!(text, "  {} {}", self.item_of(item), self.at(item.location));
        }
        if items.len() > LISTED {
            let _ = writeln!(text, "  ... and {} more", items.len() - LISTED);
        }
        text
    }

    /// The plan: its steps in order, what moves aside, what is refused and skipped, and why.
    pub fn plan(&self, plan: &Plan, labels: &[String]) -> String {
        let mut text = if plan.steps.is_empty() {
            "Plan: nothing to send.\n".to_string()
        } else {
            format!("Plan ({}):\n", count(plan.steps.len(), "step"))
        };
        for (number, step) in plan.steps.iter().enumerate() {
            let _ = writeln!(text, "  {}. {}", number + 1, self.step(step));
        }
        for aside in &plan.moved_aside {
            let _ = writeln!(text, "moved aside: {}", self.moved_aside(aside));
        }
        for intent in &plan.intents {
            let label = label(labels, intent.intent);
            if let Some(refusal) = &intent.refusal {
                let _ = writeln!(text, "refused: {label}: {refusal}");
            }
            for skipped in &intent.skipped {
                let item = self.named(skipped.item_id, skipped.item_hash, 1);
                let _ = writeln!(text, "skipped: {item}: {}", skipped.reason);
            }
        }
        text
    }

    /// One step as a sentence, with why it is there when it is not what was asked.
    fn step(&self, step: &Step) -> String {
        let sentence = match step.action {
            Action::Transfer {
                item_id,
                item_hash,
                amount,
                to_vault: true,
                character_id,
            } => format!(
                "move {} from {} to the vault",
                self.named(item_id, item_hash, amount),
                self.holder(item_id, item_hash, character_id)
            ),
            Action::Transfer {
                item_id,
                item_hash,
                amount,
                to_vault: false,
                ..
            } => format!(
                "move {} from the vault to {}",
                self.named(item_id, item_hash, amount),
                self.place(step.expected)
            ),
            Action::Pull {
                item_id,
                item_hash,
                amount,
                character_id,
            } => format!(
                "pull {} from {}'s postmaster",
                self.named(item_id, item_hash, amount),
                self.character(character_id)
            ),
            Action::Equip {
                item_id,
                character_id,
            } => format!(
                "equip {} on {}",
                self.named(Some(item_id), step.item_hash, 1),
                self.character(character_id)
            ),
            Action::Lock {
                item_id, locked, ..
            } => format!(
                "{} {}",
                if locked { "lock" } else { "unlock" },
                self.named(Some(item_id), step.item_hash, 1)
            ),
        };
        format!("{sentence}{}", why(step.purpose))
    }

    /// Where an item bound for the vault comes from: the account inventory for account-wide
    /// stacks, else the character that holds it.
    fn holder(&self, item_id: Option<ItemId>, item_hash: u32, character: CharacterId) -> String {
        let found = match item_id {
            Some(id) => self.inventory.item(id),
            None => self.inventory.items.iter().find(|i| {
                i.hash == item_hash && i.instance_id.is_none() && i.location != Location::Vault
            }),
        };
        match found.map(|i| i.location) {
            Some(Location::Account) => "the account inventory".to_string(),
            _ => self.character(character),
        }
    }

    fn moved_aside(&self, aside: &MovedAside) -> String {
        let why = match aside.purpose {
            Purpose::Requested => why(Purpose::MakeRoom),
            purpose => why(purpose),
        };
        format!(
            "{} from {} to {}{why}",
            self.named(aside.item_id, aside.item_hash, 1),
            self.place(aside.from),
            self.place(aside.to)
        )
    }

    /// The report: every intent done or failed (with why), and where its items are now.
    pub fn report(&self, report: &Report, labels: &[String]) -> String {
        let mut text = String::from("Report:\n");
        for outcome in &report.intents {
            let label = label(labels, outcome.intent);
            if outcome.done {
                let _ = writeln!(text, "  done: {label}");
            } else {
                let reason = outcome.message.as_deref().unwrap_or("it did not finish");
                let kind = outcome.kind.as_deref().unwrap_or("failed");
                let _ = writeln!(text, "  failed: {label}: {reason} ({kind})");
            }
            for end in &outcome.items {
                let _ = writeln!(text, "    {}", self.item_end(end));
            }
        }
        let done = report.intents.iter().filter(|i| i.done).count();
        let _ = writeln!(
            text,
            "{done} of {} done; bungie.net carried out {}.",
            report.intents.len(),
            count(report.steps_done, "step")
        );
        text
    }

    fn item_end(&self, end: &ItemEnd) -> String {
        let item = self.named(end.item_id, end.item_hash, 1);
        let place = match end.location {
            None => "no longer in the inventory".to_string(),
            Some(Location::Character(id)) if end.equipped => {
                format!("equipped on {}", self.character(id))
            }
            Some(location) => self.at(location),
        };
        format!("{item}: {place}")
    }
}

/// Why a step is in the plan, when it is not the request itself.
fn why(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Requested => "",
        Purpose::MakeRoom => " (to make room)",
        Purpose::ReplaceEquipped => " (to take the place of an item that leaves its slot)",
        Purpose::ResolveExotic => " (so that two exotics are not equipped together)",
    }
}

/// "1 step", "2 steps".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The label of intent `index`.
fn label(labels: &[String], index: usize) -> &str {
    labels.get(index).map_or("(an intent)", String::as_str)
}

#[cfg(test)]
mod tests {
    use courier_core::exec::IntentOutcome;
    use courier_core::model::{Character, ClassType, ItemDef, ItemKind, Tier};
    use courier_core::plan::{IntentPlan, Refusal, Skipped};

    use super::*;

    const TITAN: CharacterId = CharacterId(11);
    const RIFLE: u32 = 100;
    const GLIMMER: u32 = 200;

    fn def(name: &str) -> ItemDef {
        ItemDef {
            name: name.into(),
            icon: String::new(),
            tier: Tier::Legendary,
            kind: ItemKind::Weapon,
            type_name: String::new(),
            bucket_hash: 0,
            class_type: ClassType::Any,
            unique_label: None,
            max_stack: 1,
            equippable: true,
            non_transferrable: false,
            postmaster_side_effects: false,
        }
    }

    fn fixture() -> (Inventory, Definitions) {
        let stack = Item {
            instance_id: None,
            hash: GLIMMER,
            quantity: 30,
            bucket_hash: 1,
            location: Location::Account,
            equipped: false,
            locked: false,
            lockable: false,
            transfer_status: 0,
            power: None,
        };
        let inventory = Inventory {
            characters: vec![Character {
                id: TITAN,
                class_type: ClassType::Titan,
                light: 0,
                emblem_path: String::new(),
                emblem_background_path: String::new(),
                date_last_played: String::new(),
            }],
            items: vec![stack],
            ..Inventory::default()
        };
        let mut definitions = Definitions::default();
        definitions.items.insert(RIFLE, def("Rifle"));
        definitions.items.insert(GLIMMER, def("Shards"));
        (inventory, definitions)
    }

    fn step(action: Action, item_hash: u32, purpose: Purpose, expected: Location) -> Step {
        Step {
            action,
            intent: 0,
            purpose,
            item_hash,
            expected,
        }
    }

    #[test]
    fn plans_read_as_sentences() {
        let (inventory, definitions) = fixture();
        let words = Words::new(&inventory, &definitions);
        let rifle = Some(ItemId(7));
        let plan = Plan {
            steps: vec![
                step(
                    Action::Transfer {
                        item_id: None,
                        item_hash: GLIMMER,
                        amount: 5,
                        to_vault: true,
                        character_id: TITAN,
                    },
                    GLIMMER,
                    Purpose::MakeRoom,
                    Location::Vault,
                ),
                step(
                    Action::Transfer {
                        item_id: rifle,
                        item_hash: RIFLE,
                        amount: 1,
                        to_vault: false,
                        character_id: TITAN,
                    },
                    RIFLE,
                    Purpose::Requested,
                    Location::Character(TITAN),
                ),
                step(
                    Action::Pull {
                        item_id: rifle,
                        item_hash: RIFLE,
                        amount: 1,
                        character_id: TITAN,
                    },
                    RIFLE,
                    Purpose::Requested,
                    Location::Character(TITAN),
                ),
                step(
                    Action::Equip {
                        item_id: ItemId(7),
                        character_id: TITAN,
                    },
                    RIFLE,
                    Purpose::ResolveExotic,
                    Location::Character(TITAN),
                ),
                step(
                    Action::Lock {
                        item_id: ItemId(7),
                        character_id: TITAN,
                        locked: false,
                    },
                    RIFLE,
                    Purpose::Requested,
                    Location::Character(TITAN),
                ),
            ],
            moved_aside: vec![MovedAside {
                item_id: None,
                item_hash: GLIMMER,
                from: Location::Account,
                to: Location::Vault,
                purpose: Purpose::MakeRoom,
            }],
            intents: vec![
                IntentPlan {
                    intent: 0,
                    refusal: None,
                    skipped: vec![Skipped {
                        item_id: Some(ItemId(8)),
                        item_hash: 999,
                        reason: Refusal::SideEffects {
                            name: "Item 999".into(),
                        },
                    }],
                },
                IntentPlan {
                    intent: 1,
                    refusal: Some(Refusal::InActivity),
                    skipped: Vec::new(),
                },
            ],
        };
        let labels = ["first".to_string(), "equip Rifle".to_string()];
        assert_eq!(
            words.plan(&plan, &labels),
            "Plan (5 steps):\n\
             \x20 1. move Shards ×5 from the account inventory to the vault (to make room)\n\
             \x20 2. move Rifle (7) from the vault to Titan 11\n\
             \x20 3. pull Rifle (7) from Titan 11's postmaster\n\
             \x20 4. equip Rifle (7) on Titan 11 (so that two exotics are not equipped together)\n\
             \x20 5. unlock Rifle (7)\n\
             moved aside: Shards from the account inventory to the vault (to make room)\n\
             skipped: Item 999 (8): Item 999 does something when pulled from the postmaster; pull it in the game.\n\
             refused: equip Rifle: That character is in an activity. Return to orbit or a social space to equip items.\n"
        );
        assert_eq!(
            words.plan(&Plan::default(), &[]),
            "Plan: nothing to send.\n"
        );
    }

    #[test]
    fn reports_say_how_each_intent_ended_and_where_its_items_are() {
        let (inventory, definitions) = fixture();
        let words = Words::new(&inventory, &definitions);
        let end = |location, equipped| ItemEnd {
            item_id: Some(ItemId(7)),
            item_hash: RIFLE,
            location,
            equipped,
            failure: None,
        };
        let report = Report {
            intents: vec![
                IntentOutcome {
                    intent: 0,
                    done: true,
                    kind: None,
                    message: None,
                    items: vec![end(Some(Location::Character(TITAN)), true)],
                },
                IntentOutcome {
                    intent: 1,
                    done: false,
                    kind: Some("no_room".into()),
                    message: Some("The vault is full.".into()),
                    items: vec![
                        end(Some(Location::Postmaster(TITAN)), false),
                        end(None, false),
                    ],
                },
            ],
            moved_aside: Vec::new(),
            steps_done: 1,
        };
        let labels = ["equip Rifle".to_string(), "pull Rifle".to_string()];
        assert_eq!(
            words.report(&report, &labels),
            "Report:\n\
             \x20 done: equip Rifle\n\
             \x20   Rifle (7): equipped on Titan 11\n\
             \x20 failed: pull Rifle: The vault is full. (no_room)\n\
             \x20   Rifle (7): in Titan 11's postmaster\n\
             \x20   Rifle (7): no longer in the inventory\n\
             1 of 2 done; bungie.net carried out 1 step.\n"
        );
    }
}
