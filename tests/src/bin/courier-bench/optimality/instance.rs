//! Random small inventories with full character buckets, and one intent on each: two or three
//! characters, one or two gear buckets (kinetic weapons, for any class; helmets, for one class)
//! of two or three slots, every slot taken, the first item of each bucket equipped, a vault of
//! up to two items with one or two free slots, exotics among them. Nothing is locked: a lock is
//! the player's policy, not a game rule, and the exhaustive search plays by the game's rules.

use courier_core::model::{
    BucketDef, BucketScope, Character, CharacterId, ClassType, Definitions, Inventory, Item,
    ItemDef, ItemId, ItemKind, Location, Tier, buckets,
};
use courier_core::plan::{Destination, Intent, ItemRef};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// The characters a case may have, in order.
const CLASSES: [ClassType; 3] = [ClassType::Titan, ClassType::Hunter, ClassType::Warlock];
/// The gear buckets a case may have, in order.
const GEAR: [u32; 2] = [buckets::KINETIC, buckets::HELMET];

/// What an intent asks to be true at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// The item is at this place.
    At(ItemId, Location),
    /// The item is equipped on this character.
    Equipped(ItemId, CharacterId),
}

impl Goal {
    /// Whether the inventory meets the goal.
    pub fn met(self, inventory: &Inventory) -> bool {
        match self {
            Goal::At(id, place) => inventory
                .item(id)
                .is_some_and(|item| item.location == place),
            Goal::Equipped(id, character) => inventory.item(id).is_some_and(|item| {
                item.location == Location::Character(character) && item.equipped
            }),
        }
    }
}

/// One generated case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The inventory.
    pub inventory: Inventory,
    /// The definitions of its items and buckets.
    pub definitions: Definitions,
    /// What the player asks for.
    pub intent: Intent,
    /// What the intent means, as a test on the final inventory.
    pub goal: Goal,
}

/// A random case.
pub fn case(rng: &mut ChaCha8Rng) -> Case {
    let characters: Vec<Character> = CLASSES[..rng.random_range(2..=3)]
        .iter()
        .zip(1..)
        .map(|(&class_type, id)| character(CharacterId(id), class_type))
        .collect();
    let gear = &GEAR[..rng.random_range(1..=2)];
    let capacity = rng.random_range(2..=3);
    let vault_items = rng.random_range(0..=2);
    let vault_free = rng.random_range(1..=2);
    let mut builder = Builder {
        definitions: Definitions::default(),
        items: Vec::new(),
    };
    for &bucket in gear {
        builder.bucket(bucket, capacity, BucketScope::Character);
    }
    builder.bucket(
        buckets::VAULT,
        vault_items + vault_free,
        BucketScope::Account,
    );
    for character in &characters {
        for &bucket in gear {
            for slot in 0..capacity {
                let class = class_for(bucket, character.class_type);
                builder.item(
                    rng,
                    bucket,
                    class,
                    Location::Character(character.id),
                    slot == 0,
                );
            }
        }
    }
    for _ in 0..vault_items {
        let bucket = *gear.choose(rng).unwrap_or(&buckets::KINETIC);
        let owner = characters
            .choose(rng)
            .map_or(ClassType::Any, |c| c.class_type);
        builder.item(
            rng,
            bucket,
            class_for(bucket, owner),
            Location::Vault,
            false,
        );
    }
    let inventory = Inventory {
        membership_type: 2,
        membership_id: 1,
        characters,
        items: builder.items,
        minted: None,
    };
    let (intent, goal) = intent(rng, &inventory, &builder.definitions);
    Case {
        inventory,
        definitions: builder.definitions,
        intent,
        goal,
    }
}

/// The class an item of a bucket is for: any for weapons, the owner's for armor.
fn class_for(bucket: u32, owner: ClassType) -> ClassType {
    if bucket == buckets::HELMET {
        owner
    } else {
        ClassType::Any
    }
}

fn character(id: CharacterId, class_type: ClassType) -> Character {
    Character {
        id,
        class_type,
        light: 1800,
        emblem_path: String::new(),
        emblem_background_path: String::new(),
        date_last_played: String::new(),
    }
}

/// Definitions and items as they are made.
struct Builder {
    definitions: Definitions,
    items: Vec<Item>,
}

impl Builder {
    fn bucket(&mut self, hash: u32, capacity: u32, scope: BucketScope) {
        let bucket = BucketDef {
            name: format!("bucket {hash}"),
            capacity,
            scope,
            category: 3,
        };
        self.definitions.buckets.insert(hash, bucket);
    }

    /// Adds an item of its own definition.
    fn item(
        &mut self,
        rng: &mut ChaCha8Rng,
        bucket: u32,
        class_type: ClassType,
        location: Location,
        equipped: bool,
    ) {
        let id = self.items.len() as i64 + 1;
        let hash = 1000 + id as u32;
        let exotic = rng.random_bool(0.2);
        let weapon = bucket != buckets::HELMET;
        self.definitions.items.insert(
            hash,
            ItemDef {
                name: format!("item {hash}"),
                icon: String::new(),
                tier: if exotic {
                    Tier::Exotic
                } else {
                    Tier::Legendary
                },
                kind: if weapon {
                    ItemKind::Weapon
                } else {
                    ItemKind::Armor
                },
                type_name: String::new(),
                bucket_hash: bucket,
                class_type,
                unique_label: exotic.then(|| {
                    if weapon {
                        "exotic_weapon"
                    } else {
                        "exotic_armor"
                    }
                    .to_owned()
                }),
                max_stack: 1,
                equippable: true,
                non_transferrable: false,
                postmaster_side_effects: false,
            },
        );
        self.items.push(Item {
            instance_id: Some(ItemId(id)),
            hash,
            quantity: 1,
            bucket_hash: if location == Location::Vault {
                buckets::VAULT
            } else {
                bucket
            },
            location,
            equipped,
            locked: false,
            lockable: true,
            transfer_status: u32::from(equipped),
            power: Some(rng.random_range(1700..2000)),
        });
    }
}

/// A random intent on a random item, with its goal: to the vault, to another character, or
/// equipped on a character of its class.
fn intent(
    rng: &mut ChaCha8Rng,
    inventory: &Inventory,
    definitions: &Definitions,
) -> (Intent, Goal) {
    let item = &inventory.items[rng.random_range(0..inventory.items.len())];
    let id = item.instance_id.unwrap_or(ItemId(0));
    let class = definitions
        .item(item.hash)
        .map_or(ClassType::Any, |d| d.class_type);
    let users: Vec<CharacterId> = inventory
        .characters
        .iter()
        .filter(|c| class.allows(c.class_type) && Location::Character(c.id) != item.location)
        .map(|c| c.id)
        .collect();
    let reference = ItemRef::Instance { id };
    let on_character = matches!(item.location, Location::Character(_));
    let choice = rng.random_range(0..3);
    match (choice, users.choose(rng)) {
        (0, _) if on_character => (
            Intent::Move {
                item: reference,
                to: Destination::Vault,
                amount: None,
                equip: false,
            },
            Goal::At(id, Location::Vault),
        ),
        (1, Some(&to)) => (
            Intent::Move {
                item: reference,
                to: Destination::Character(to),
                amount: None,
                equip: false,
            },
            Goal::At(id, Location::Character(to)),
        ),
        (_, Some(&on)) => (
            Intent::Equip {
                item: reference,
                character_id: on,
            },
            Goal::Equipped(id, on),
        ),
        (_, None) => match item.location {
            Location::Character(holder) if !item.equipped => (
                Intent::Equip {
                    item: reference,
                    character_id: holder,
                },
                Goal::Equipped(id, holder),
            ),
            _ => (
                Intent::Move {
                    item: reference,
                    to: Destination::Vault,
                    amount: None,
                    equip: false,
                },
                Goal::At(id, Location::Vault),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use rand::SeedableRng;

    use super::*;

    #[test]
    fn character_buckets_are_full_with_one_equipped_and_the_vault_has_room() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for _ in 0..200 {
            let case = case(&mut rng);
            let mut filled: HashMap<(Location, u32), (u32, u32)> = HashMap::new();
            for item in &case.inventory.items {
                let entry = filled.entry((item.location, item.bucket_hash)).or_default();
                entry.0 += 1;
                entry.1 += u32::from(item.equipped);
                assert!(!item.locked, "nothing is locked");
            }
            for ((location, bucket), (count, equipped)) in filled {
                let capacity = case.definitions.capacity(bucket);
                if location == Location::Vault {
                    assert!(count < capacity, "the vault has a free slot");
                    assert_eq!(equipped, 0);
                } else {
                    assert_eq!(count, capacity, "{location:?} bucket {bucket} is full");
                    assert_eq!(equipped, 1, "one equipped item per bucket");
                }
            }
            let (Goal::At(id, _) | Goal::Equipped(id, _)) = case.goal;
            assert!(
                case.inventory.item(id).is_some(),
                "the intent names an item of the case"
            );
        }
    }

    #[test]
    fn the_seed_decides_the_cases() {
        let first = case(&mut ChaCha8Rng::seed_from_u64(4));
        let again = case(&mut ChaCha8Rng::seed_from_u64(4));
        assert_eq!(first.inventory, again.inventory);
        assert_eq!(first.intent, again.intent);
    }
}
