//! The planner against generated inventories: whatever it plans is legal when played by the
//! game's rules, touches only what was asked or what it lists, leaves requested items where
//! they were asked to go, and with free space takes the fewest actions.

use std::collections::HashMap;

use courier_core::model::{
    BucketDef, BucketScope, Character, CharacterId, ClassType, Definitions, Inventory, Item,
    ItemDef, ItemId, ItemKind, Location, Tier, buckets,
};
use courier_core::plan::{
    Action, Destination, Intent, ItemRef, MakeRoom, Plan, PlanOptions, Purpose, Refusal, plan,
    simulate,
};
use proptest::prelude::*;

const CHARACTERS: [(i64, ClassType); 3] = [
    (1, ClassType::Titan),
    (2, ClassType::Hunter),
    (3, ClassType::Warlock),
];
const GEAR: [u32; 2] = [buckets::KINETIC, buckets::HELMET];

/// One generated item: which bucket, class (for helmets), tier, exotic, locked, power.
#[derive(Debug, Clone)]
struct Spec {
    bucket: u32,
    class: ClassType,
    exotic: bool,
    locked: bool,
    power: i32,
}

fn spec(bucket: u32) -> impl Strategy<Value = Spec> {
    let classes = if bucket == buckets::HELMET {
        prop_oneof![
            Just(ClassType::Titan),
            Just(ClassType::Hunter),
            Just(ClassType::Warlock)
        ]
        .boxed()
    } else {
        Just(ClassType::Any).boxed()
    };
    (
        classes,
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        1500..2000i32,
    )
        .prop_map(move |(class, exotic, locked, power)| Spec {
            bucket,
            class,
            exotic,
            locked,
            power,
        })
}

/// A world: per-character bucket contents, vault contents, capacities.
#[derive(Debug, Clone)]
struct World {
    gear_capacity: u32,
    vault_capacity: u32,
    characters: Vec<Vec<Vec<Spec>>>,
    vault: Vec<Spec>,
}

fn world() -> impl Strategy<Value = World> {
    (2u32..=4, 2u32..=6).prop_flat_map(|(gear_capacity, vault_capacity)| {
        let bucket = move |b: u32, class: ClassType| {
            prop::collection::vec(spec(b), 1..=gear_capacity as usize).prop_map(move |mut specs| {
                for s in &mut specs {
                    if s.bucket == buckets::HELMET {
                        s.class = class;
                    }
                }
                specs
            })
        };
        let character = move |class: ClassType| {
            (
                bucket(buckets::KINETIC, class),
                bucket(buckets::HELMET, class),
            )
                .prop_map(|(a, b)| vec![a, b])
        };
        let vault = prop::collection::vec(
            prop_oneof![spec(buckets::KINETIC), spec(buckets::HELMET)],
            0..=vault_capacity as usize,
        );
        (
            character(ClassType::Titan),
            character(ClassType::Hunter),
            character(ClassType::Warlock),
            vault,
        )
            .prop_map(move |(t, h, w, vault)| World {
                gear_capacity,
                vault_capacity,
                characters: vec![t, h, w],
                vault,
            })
    })
}

/// Builds the inventory and definitions of a generated world: one definition per item, the
/// first item of each character bucket equipped (at most one equipped exotic per character).
fn build(world: &World) -> (Inventory, Definitions) {
    let mut definitions = Definitions::default();
    for bucket in GEAR {
        definitions.buckets.insert(
            bucket,
            BucketDef {
                name: format!("bucket {bucket}"),
                capacity: world.gear_capacity,
                scope: BucketScope::Character,
                category: 3,
            },
        );
    }
    definitions.buckets.insert(
        buckets::VAULT,
        BucketDef {
            name: "Vault".into(),
            capacity: world.vault_capacity,
            scope: BucketScope::Account,
            category: 1,
        },
    );
    let mut items = Vec::new();
    let mut next = 1000;
    let mut add =
        |spec: &Spec, location: Location, equipped: bool, definitions: &mut Definitions| {
            next += 1;
            let hash = next as u32;
            definitions.items.insert(
                hash,
                ItemDef {
                    name: format!("item {hash}"),
                    icon: String::new(),
                    tier: if spec.exotic {
                        Tier::Exotic
                    } else {
                        Tier::Legendary
                    },
                    kind: if spec.bucket == buckets::HELMET {
                        ItemKind::Armor
                    } else {
                        ItemKind::Weapon
                    },
                    type_name: String::new(),
                    bucket_hash: spec.bucket,
                    class_type: spec.class,
                    unique_label: spec.exotic.then(|| {
                        if spec.bucket == buckets::HELMET {
                            "exotic_armor".into()
                        } else {
                            "exotic_weapon".into()
                        }
                    }),
                    max_stack: 1,
                    equippable: true,
                    non_transferrable: false,
                    postmaster_side_effects: false,
                },
            );
            items.push(Item {
                instance_id: Some(ItemId(next)),
                hash,
                quantity: 1,
                bucket_hash: if location == Location::Vault {
                    buckets::VAULT
                } else {
                    spec.bucket
                },
                location,
                equipped,
                locked: spec.locked,
                lockable: true,
                transfer_status: u32::from(equipped),
                power: Some(spec.power),
            });
        };
    for (c, buckets_of) in world.characters.iter().enumerate() {
        let id = CharacterId(CHARACTERS[c].0);
        for specs in buckets_of {
            for (i, s) in specs.iter().enumerate() {
                add(s, Location::Character(id), i == 0, &mut definitions);
            }
        }
    }
    for s in &world.vault {
        add(s, Location::Vault, false, &mut definitions);
    }
    let characters = CHARACTERS
        .iter()
        .map(|&(id, class_type)| Character {
            id: CharacterId(id),
            class_type,
            light: 0,
            emblem_path: String::new(),
            emblem_background_path: String::new(),
            date_last_played: String::new(),
        })
        .collect();
    (
        Inventory {
            membership_type: 2,
            membership_id: 1,
            characters,
            items,
            minted: None,
        },
        definitions,
    )
}

/// Where an item is, with its equipped flag.
fn whereabouts(inventory: &Inventory) -> HashMap<ItemId, (Location, bool)> {
    inventory
        .items
        .iter()
        .filter_map(|i| i.instance_id.map(|id| (id, (i.location, i.equipped))))
        .collect()
}

/// Every check a plan must pass; returns the final inventory.
fn check_plan(
    inventory: &Inventory,
    definitions: &Definitions,
    intents: &[Intent],
    plan: &Plan,
) -> Inventory {
    let after = simulate(inventory, definitions, plan, &[])
        .unwrap_or_else(|(step, why)| panic!("step {step} is illegal: {why}\n{plan:#?}"));
    // Capacities hold everywhere.
    let mut used: HashMap<(Location, u32), u32> = HashMap::new();
    for item in &after.items {
        *used.entry((item.location, item.bucket_hash)).or_default() += 1;
    }
    for ((location, bucket), count) in used {
        assert!(
            count <= definitions.capacity(bucket),
            "{location:?} bucket {bucket} holds {count}"
        );
    }
    // One equipped per bucket, no two equipped items share a unique label, class rules hold.
    for character in &inventory.characters {
        let equipped: Vec<&Item> = after
            .items
            .iter()
            .filter(|i| i.location == Location::Character(character.id) && i.equipped)
            .collect();
        for bucket in GEAR {
            assert!(equipped.iter().filter(|i| i.bucket_hash == bucket).count() <= 1);
        }
        let mut labels: Vec<&str> = equipped
            .iter()
            .filter_map(|i| {
                definitions
                    .item(i.hash)
                    .and_then(|d| d.unique_label.as_deref())
            })
            .collect();
        let count = labels.len();
        labels.dedup();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), count, "two equipped exotics share a label");
        for item in after
            .items
            .iter()
            .filter(|i| i.location == Location::Character(character.id))
        {
            assert!(
                definitions
                    .item(item.hash)
                    .is_some_and(|d| d.class_type.allows(character.class_type)),
                "class rule"
            );
        }
    }
    // Transfers only touch the vault on one side, and never move an equipped item.
    let mut board = inventory.clone();
    for step in &plan.steps {
        if let Action::Transfer {
            item_id: Some(id),
            to_vault,
            ..
        } = step.action
        {
            let item = board
                .items
                .iter()
                .find(|i| i.instance_id == Some(id))
                .expect("the item exists");
            assert!(!item.equipped, "an equipped item moved");
            assert_eq!(
                item.location == Location::Vault,
                !to_vault,
                "a transfer not through the vault"
            );
        }
        board = simulate(
            &board,
            definitions,
            &Plan {
                steps: vec![step.clone()],
                ..Plan::default()
            },
            &[],
        )
        .expect("legal");
    }
    // Only requested items and listed ones change.
    let requested: Vec<ItemId> = intents
        .iter()
        .flat_map(|i| match i {
            Intent::Move {
                item: ItemRef::Instance { id },
                ..
            }
            | Intent::Equip {
                item: ItemRef::Instance { id },
                ..
            } => vec![*id],
            Intent::ApplyLoadout { item_ids, .. } => item_ids.clone(),
            _ => Vec::new(),
        })
        .collect();
    let before = whereabouts(inventory);
    let now = whereabouts(&after);
    for (id, was) in &before {
        let is = now[id];
        if is != *was && !requested.contains(id) {
            let listed = plan.moved_aside.iter().any(|a| a.item_id == Some(*id));
            // An item that only lost its equipped flag was replaced by a listed one in its slot.
            let unequipped_only = is.0 == was.0 && was.1 && !is.1;
            assert!(
                listed || unequipped_only,
                "item {id} changed {was:?} -> {is:?} without being listed\n{plan:#?}"
            );
        }
    }
    after
}

fn intent_strategy(items: usize) -> impl Strategy<Value = (usize, Option<usize>, bool, bool)> {
    (
        0..items,
        prop::option::of(0..3usize),
        any::<bool>(),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn plans_are_legal_and_deliver_what_was_asked(world in world(), choice in intent_strategy(64), allow in any::<bool>()) {
        let (inventory, definitions) = build(&world);
        let (pick, target, equip, _) = choice;
        let item = &inventory.items[pick % inventory.items.len()];
        let id = item.instance_id.expect("instanced");
        let to = target.map_or(Destination::Vault, |c| Destination::Character(CharacterId(CHARACTERS[c].0)));
        let intents = [Intent::Move { item: ItemRef::Instance { id }, to, amount: None, equip: equip && to != Destination::Vault }];
        let options = PlanOptions { make_room: if allow { MakeRoom::Allowed } else { MakeRoom::Never }, ..PlanOptions::default() };
        let plan = plan(&inventory, &definitions, &intents, &options);
        let after = check_plan(&inventory, &definitions, &intents, &plan);
        if plan.is_complete() {
            let moved = after.items.iter().find(|i| i.instance_id == Some(id)).expect("still there");
            let expected = match to { Destination::Vault => Location::Vault, Destination::Character(c) => Location::Character(c) };
            prop_assert_eq!(moved.location, expected);
            if equip && to != Destination::Vault {
                prop_assert!(moved.equipped);
            }
        } else {
            prop_assert!(plan.steps.is_empty(), "a refused intent leaves no steps");
        }
        if !allow {
            prop_assert!(plan.moved_aside.iter().all(|a| a.purpose != Purpose::MakeRoom));
        }
    }

    #[test]
    fn several_intents_in_a_row_stay_legal(world in world(), picks in prop::collection::vec((0..64usize, prop::option::of(0..3usize)), 1..4), allow in any::<bool>()) {
        let (inventory, definitions) = build(&world);
        let mut seen = Vec::new();
        let intents: Vec<Intent> = picks
            .iter()
            .filter_map(|&(pick, target)| {
                let id = inventory.items[pick % inventory.items.len()].instance_id.expect("instanced");
                if seen.contains(&id) {
                    return None;
                }
                seen.push(id);
                let to = target.map_or(Destination::Vault, |c| Destination::Character(CharacterId(CHARACTERS[c].0)));
                Some(Intent::Move { item: ItemRef::Instance { id }, to, amount: None, equip: false })
            })
            .collect();
        let options = PlanOptions { make_room: if allow { MakeRoom::Allowed } else { MakeRoom::Never }, ..PlanOptions::default() };
        let plan = plan(&inventory, &definitions, &intents, &options);
        let after = check_plan(&inventory, &definitions, &intents, &plan);
        for (intent, planned) in intents.iter().zip(&plan.intents) {
            let Intent::Move { item: ItemRef::Instance { id }, to, .. } = intent else { unreachable!() };
            let is = after.items.iter().find(|i| i.instance_id == Some(*id)).expect("still there").location;
            let expected = match to { Destination::Vault => Location::Vault, Destination::Character(c) => Location::Character(*c) };
            if planned.refusal.is_none() {
                prop_assert_eq!(is, expected, "a planned intent delivers");
            }
        }
    }

    #[test]
    fn with_free_space_one_action_per_vault_hop(world in world(), choice in intent_strategy(64)) {
        let (inventory, definitions) = build(&world);
        let (pick, target, _, _) = choice;
        let item = &inventory.items[pick % inventory.items.len()];
        prop_assume!(!item.equipped);
        let id = item.instance_id.expect("instanced");
        let to = target.map_or(Destination::Vault, |c| Destination::Character(CharacterId(CHARACTERS[c].0)));
        let hops = match (item.location, to) {
            (Location::Vault, Destination::Vault) => 0,
            (Location::Vault, Destination::Character(_)) | (Location::Character(_), Destination::Vault) => 1,
            (Location::Character(a), Destination::Character(b)) => if a == b { 0 } else { 2 },
            _ => unreachable!(),
        };
        let intents = [Intent::Move { item: ItemRef::Instance { id }, to, amount: None, equip: false }];
        let plan = plan(&inventory, &definitions, &intents, &PlanOptions { make_room: MakeRoom::Allowed, ..PlanOptions::default() });
        check_plan(&inventory, &definitions, &intents, &plan);
        let vault_room = inventory.items.iter().filter(|i| i.location == Location::Vault).count() < world.vault_capacity as usize;
        let target_room = match to {
            Destination::Vault => true,
            Destination::Character(c) => {
                let bucket = definitions.item(item.hash).expect("defined").bucket_hash;
                inventory.items.iter().filter(|i| i.location == Location::Character(c) && i.bucket_hash == bucket).count() < world.gear_capacity as usize
            }
        };
        let class_ok = match to {
            Destination::Vault => true,
            Destination::Character(c) => definitions.item(item.hash).expect("defined").class_type.allows(inventory.character(c).expect("exists").class_type),
        };
        if vault_room && target_room && class_ok {
            prop_assert!(plan.is_complete(), "{:?}", plan.intents);
            prop_assert_eq!(plan.steps.len(), hops);
            prop_assert!(plan.moved_aside.is_empty());
        }
    }

    #[test]
    fn loadouts_end_equipped_and_valid(world in world(), character in 0..3usize, picks in prop::collection::vec(0..64usize, 1..4)) {
        let (inventory, definitions) = build(&world);
        let id = CharacterId(CHARACTERS[character].0);
        let class = CHARACTERS[character].1;
        // One usable item per bucket at most.
        let mut chosen: Vec<ItemId> = Vec::new();
        let mut buckets_taken = Vec::new();
        for pick in picks {
            let item = &inventory.items[pick % inventory.items.len()];
            let def = definitions.item(item.hash).expect("defined");
            if def.class_type.allows(class) && !buckets_taken.contains(&def.bucket_hash) {
                buckets_taken.push(def.bucket_hash);
                chosen.push(item.instance_id.expect("instanced"));
            }
        }
        let labels: Vec<_> = chosen.iter().filter_map(|c| inventory.items.iter().find(|i| i.instance_id == Some(*c)).and_then(|i| definitions.item(i.hash)).and_then(|d| d.unique_label.clone())).collect();
        prop_assume!(!chosen.is_empty());
        let intents = [Intent::ApplyLoadout { character_id: id, item_ids: chosen.clone() }];
        let plan = plan(&inventory, &definitions, &intents, &PlanOptions { make_room: MakeRoom::Allowed, ..PlanOptions::default() });
        let after = check_plan(&inventory, &definitions, &intents, &plan);
        let mut sorted = labels.clone();
        sorted.sort();
        sorted.dedup();
        if plan.is_complete() {
            for item_id in &chosen {
                let item = after.items.iter().find(|i| i.instance_id == Some(*item_id)).expect("exists");
                prop_assert_eq!(item.location, Location::Character(id));
                prop_assert!(item.equipped);
            }
        } else if sorted.len() == labels.len() {
            // A valid loadout is refused only for lack of room, or because an item it takes from
            // another character is the only one that character could wear in that slot.
            prop_assert!(
                matches!(plan.intents[0].refusal, Some(Refusal::NoRoom { .. } | Refusal::NoReplacement { .. })),
                "{:?}",
                plan.intents[0].refusal
            );
        }
    }
}

#[test]
fn equipped_items_are_replaced_before_they_leave() {
    let world = World {
        gear_capacity: 3,
        vault_capacity: 5,
        characters: (0..3)
            .map(|_| {
                GEAR.iter()
                    .map(|&b| {
                        (0..2)
                            .map(|p| Spec {
                                bucket: b,
                                class: ClassType::Any,
                                exotic: false,
                                locked: false,
                                power: 1800 + p,
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect(),
        vault: vec![],
    };
    let (inventory, definitions) = build(&world);
    let equipped = inventory
        .items
        .iter()
        .find(|i| i.equipped && i.bucket_hash == buckets::KINETIC)
        .cloned()
        .expect("equipped");
    let intents = [Intent::Move {
        item: ItemRef::Instance {
            id: equipped.instance_id.expect("id"),
        },
        to: Destination::Vault,
        amount: None,
        equip: false,
    }];
    let plan = plan(&inventory, &definitions, &intents, &PlanOptions::default());
    assert!(plan.is_complete(), "{:?}", plan.intents);
    assert_eq!(plan.steps.len(), 2);
    assert_eq!(plan.steps[0].purpose, Purpose::ReplaceEquipped);
    assert!(matches!(plan.steps[0].action, Action::Equip { .. }));
    assert_eq!(plan.moved_aside.len(), 1);
    check_plan(&inventory, &definitions, &intents, &plan);
}

#[test]
fn full_destinations_refuse_unless_room_may_be_made() {
    let full = |_: usize| {
        (0..3)
            .map(|p| Spec {
                bucket: buckets::KINETIC,
                class: ClassType::Any,
                exotic: false,
                locked: false,
                power: 1700 + p,
            })
            .collect::<Vec<_>>()
    };
    let world = World {
        gear_capacity: 3,
        vault_capacity: 3,
        characters: (0..3)
            .map(|c| {
                vec![
                    full(c),
                    vec![Spec {
                        bucket: buckets::HELMET,
                        class: CHARACTERS[c].1,
                        exotic: false,
                        locked: false,
                        power: 1800,
                    }],
                ]
            })
            .collect(),
        vault: (0..3)
            .map(|p| Spec {
                bucket: buckets::KINETIC,
                class: ClassType::Any,
                exotic: false,
                locked: false,
                power: 1900 + p,
            })
            .collect(),
    };
    let (inventory, definitions) = build(&world);
    let vault_item = inventory
        .items
        .iter()
        .find(|i| i.location == Location::Vault)
        .expect("vault item")
        .clone();
    let intents = [Intent::Move {
        item: ItemRef::Instance {
            id: vault_item.instance_id.expect("id"),
        },
        to: Destination::Character(CharacterId(1)),
        amount: None,
        equip: false,
    }];
    let refused = plan(&inventory, &definitions, &intents, &PlanOptions::default());
    assert!(matches!(
        refused.intents[0].refusal,
        Some(Refusal::NoRoom { .. })
    ));
    assert!(refused.steps.is_empty());
    // Allowed: the least valuable kinetic of the Titan would go to the vault, but the vault is
    // full too and no character has kinetic room: still refused, nothing half-planned.
    let still = plan(
        &inventory,
        &definitions,
        &intents,
        &PlanOptions {
            make_room: MakeRoom::Allowed,
            ..PlanOptions::default()
        },
    );
    assert!(still.intents[0].refusal.is_some());
    assert!(still.steps.is_empty());
}

#[test]
fn making_room_moves_the_least_valuable_aside_and_says_so() {
    let kinetic = |power| Spec {
        bucket: buckets::KINETIC,
        class: ClassType::Any,
        exotic: false,
        locked: false,
        power,
    };
    let helmet = |class| {
        vec![Spec {
            bucket: buckets::HELMET,
            class,
            exotic: false,
            locked: false,
            power: 1800,
        }]
    };
    let world = World {
        gear_capacity: 3,
        vault_capacity: 3,
        characters: vec![
            vec![
                vec![kinetic(1800), kinetic(1600), kinetic(1700)],
                helmet(ClassType::Titan),
            ],
            vec![vec![kinetic(1800)], helmet(ClassType::Hunter)],
            vec![
                vec![kinetic(1800), kinetic(1810), kinetic(1820)],
                helmet(ClassType::Warlock),
            ],
        ],
        vault: vec![kinetic(1950), kinetic(1500), kinetic(1990)],
    };
    let (inventory, definitions) = build(&world);
    let wanted = inventory
        .items
        .iter()
        .find(|i| i.location == Location::Vault && i.power == Some(1950))
        .expect("vault item")
        .clone();
    let titan = CharacterId(1);
    let intents = [Intent::Move {
        item: ItemRef::Instance {
            id: wanted.instance_id.expect("id"),
        },
        to: Destination::Character(titan),
        amount: None,
        equip: false,
    }];
    let plan = plan(
        &inventory,
        &definitions,
        &intents,
        &PlanOptions {
            make_room: MakeRoom::Allowed,
            ..PlanOptions::default()
        },
    );
    assert!(plan.is_complete(), "{:?}", plan.intents);
    let after = check_plan(&inventory, &definitions, &intents, &plan);
    // The Titan's weakest spare kinetic (1600) went to the vault; the vault's weakest (1500)
    // went to the Hunter, who had room.
    let power_at = |power: i32| {
        after
            .items
            .iter()
            .find(|i| i.power == Some(power) && i.bucket_hash != buckets::HELMET)
            .map(|i| i.location)
    };
    assert_eq!(power_at(1600), Some(Location::Vault));
    assert_eq!(power_at(1500), Some(Location::Character(CharacterId(2))));
    assert_eq!(power_at(1950), Some(Location::Character(titan)));
    assert_eq!(plan.moved_aside.len(), 2);
    assert!(
        plan.moved_aside
            .iter()
            .all(|a| a.purpose == Purpose::MakeRoom)
    );
    assert_eq!(
        plan.steps.len(),
        3,
        "two moves aside and the requested move"
    );
    assert_eq!(
        plan.steps
            .iter()
            .filter(|s| s.purpose == Purpose::MakeRoom)
            .count(),
        2
    );
    // Never: refused, nothing planned.
    let refused =
        courier_core::plan::plan(&inventory, &definitions, &intents, &PlanOptions::default());
    assert!(matches!(
        refused.intents[0].refusal,
        Some(Refusal::NoRoom { .. })
    ));
    assert!(refused.steps.is_empty() && refused.moved_aside.is_empty());
}

#[test]
fn equipping_an_exotic_replaces_the_clashing_one_first() {
    let weapon = |bucket, exotic, power| Spec {
        bucket,
        class: ClassType::Any,
        exotic,
        locked: false,
        power,
    };
    let helmet = |class| {
        vec![Spec {
            bucket: buckets::HELMET,
            class,
            exotic: false,
            locked: false,
            power: 1800,
        }]
    };
    // The Titan wears an exotic kinetic; below, an exotic energy weapon joins its inventory.
    let world = World {
        gear_capacity: 3,
        vault_capacity: 3,
        characters: vec![
            vec![
                vec![
                    weapon(buckets::KINETIC, true, 1800),
                    weapon(buckets::KINETIC, false, 1700),
                ],
                helmet(ClassType::Titan),
            ],
            vec![
                vec![weapon(buckets::KINETIC, false, 1800)],
                helmet(ClassType::Hunter),
            ],
            vec![
                vec![weapon(buckets::KINETIC, false, 1800)],
                helmet(ClassType::Warlock),
            ],
        ],
        vault: vec![],
    };
    let (mut inventory, mut definitions) = build(&world);
    // An exotic energy weapon on the Titan, unequipped, clashing with the equipped exotic kinetic.
    let hash = 9999;
    let mut def = definitions
        .item(inventory.items[0].hash)
        .expect("defined")
        .clone();
    def.bucket_hash = buckets::ENERGY;
    definitions.items.insert(hash, def);
    definitions.buckets.insert(
        buckets::ENERGY,
        BucketDef {
            name: "energy".into(),
            capacity: 3,
            scope: BucketScope::Character,
            category: 3,
        },
    );
    let energy_id = ItemId(9999);
    inventory.items.push(Item {
        instance_id: Some(energy_id),
        hash,
        quantity: 1,
        bucket_hash: buckets::ENERGY,
        location: Location::Character(CharacterId(1)),
        equipped: false,
        locked: false,
        lockable: true,
        transfer_status: 0,
        power: Some(1900),
    });
    let intents = [Intent::Equip {
        item: ItemRef::Instance { id: energy_id },
        character_id: CharacterId(1),
    }];
    let plan = plan(&inventory, &definitions, &intents, &PlanOptions::default());
    assert!(plan.is_complete(), "{:?}", plan.intents);
    assert_eq!(plan.steps.len(), 2);
    assert_eq!(plan.steps[0].purpose, Purpose::ResolveExotic);
    let after = simulate(&inventory, &definitions, &plan, &[]).expect("legal");
    assert!(after.item(energy_id).expect("exists").equipped);
    assert_eq!(
        plan.moved_aside.len(),
        1,
        "the replacement kinetic is listed"
    );
}

#[test]
fn characters_in_an_activity_cannot_equip() {
    let world = World {
        gear_capacity: 3,
        vault_capacity: 3,
        characters: (0..3)
            .map(|c| {
                vec![
                    vec![
                        Spec {
                            bucket: buckets::KINETIC,
                            class: ClassType::Any,
                            exotic: false,
                            locked: false,
                            power: 1800
                        };
                        2
                    ],
                    vec![Spec {
                        bucket: buckets::HELMET,
                        class: CHARACTERS[c].1,
                        exotic: false,
                        locked: false,
                        power: 1800,
                    }],
                ]
            })
            .collect(),
        vault: vec![],
    };
    let (inventory, definitions) = build(&world);
    let spare = inventory
        .items
        .iter()
        .find(|i| !i.equipped && i.location == Location::Character(CharacterId(1)))
        .expect("spare")
        .clone();
    let intents = [Intent::Equip {
        item: ItemRef::Instance {
            id: spare.instance_id.expect("id"),
        },
        character_id: CharacterId(1),
    }];
    let plan = plan(
        &inventory,
        &definitions,
        &intents,
        &PlanOptions {
            in_activity: vec![CharacterId(1)],
            ..PlanOptions::default()
        },
    );
    assert_eq!(plan.intents[0].refusal, Some(Refusal::InActivity));
}

#[test]
fn without_definitions_plans_still_work_on_hashes() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data/profile-2021-05-28.json"
    );
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("skipped: ../shared/real-data/profile-2021-05-28.json is absent");
        return;
    };
    let inventory =
        courier_core::inventory::parse_profile(&bytes).expect("the real profile parses");
    let definitions = Definitions::default();
    let spare = inventory
        .items
        .iter()
        .find(|i| {
            matches!(i.location, Location::Character(_))
                && !i.equipped
                && i.instance_id.is_some()
                && i.transfer_status == 0
                && buckets::WEAPONS.contains(&i.bucket_hash)
        })
        .expect("a spare weapon on a character");
    let vault_item = inventory
        .items
        .iter()
        .find(|i| i.location == Location::Vault && i.instance_id.is_some())
        .expect("a vault item");
    let other = inventory
        .characters
        .iter()
        .map(|c| c.id)
        .find(|id| spare.location != Location::Character(*id))
        .expect("another character");
    let intents = [
        Intent::Move {
            item: ItemRef::Instance {
                id: spare.instance_id.expect("id"),
            },
            to: Destination::Character(other),
            amount: None,
            equip: false,
        },
        Intent::Move {
            item: ItemRef::Instance {
                id: vault_item.instance_id.expect("id"),
            },
            to: Destination::Character(other),
            amount: None,
            equip: false,
        },
    ];
    let plan = plan(&inventory, &definitions, &intents, &PlanOptions::default());
    assert!(plan.is_complete(), "{:?}", plan.intents);
    assert_eq!(
        plan.steps.len(),
        3,
        "two hops for the character item, one for the vault item"
    );
    let after = simulate(&inventory, &definitions, &plan, &[]).expect("legal");
    assert_eq!(
        after
            .item(spare.instance_id.expect("id"))
            .map(|i| i.location),
        Some(Location::Character(other))
    );
    assert_eq!(
        after
            .item(vault_item.instance_id.expect("id"))
            .map(|i| i.location),
        Some(Location::Character(other))
    );
}

#[test]
fn part_of_a_stack_moves_and_merges() {
    let mut definitions = Definitions::default();
    definitions.buckets.insert(
        buckets::CONSUMABLES,
        BucketDef {
            name: "Consumables".into(),
            capacity: 50,
            scope: BucketScope::Account,
            category: 1,
        },
    );
    definitions.buckets.insert(
        buckets::VAULT,
        BucketDef {
            name: "Vault".into(),
            capacity: 2,
            scope: BucketScope::Account,
            category: 1,
        },
    );
    definitions.items.insert(
        77,
        ItemDef {
            name: "Glimmer Booster".into(),
            icon: String::new(),
            tier: Tier::Common,
            kind: ItemKind::Consumable,
            type_name: "Consumable".into(),
            bucket_hash: buckets::CONSUMABLES,
            class_type: ClassType::Any,
            unique_label: None,
            max_stack: 100,
            equippable: false,
            non_transferrable: false,
            postmaster_side_effects: false,
        },
    );
    let stack = |quantity, location, bucket_hash| Item {
        instance_id: None,
        hash: 77,
        quantity,
        bucket_hash,
        location,
        equipped: false,
        locked: false,
        lockable: false,
        transfer_status: 0,
        power: None,
    };
    let characters = vec![Character {
        id: CharacterId(1),
        class_type: ClassType::Titan,
        light: 0,
        emblem_path: String::new(),
        emblem_background_path: String::new(),
        date_last_played: String::new(),
    }];
    // The vault is full (2 slots) but one of its stacks has room for 30 more.
    let inventory = Inventory {
        membership_type: 2,
        membership_id: 1,
        characters,
        items: vec![
            stack(60, Location::Account, buckets::CONSUMABLES),
            stack(70, Location::Vault, buckets::VAULT),
            stack(100, Location::Vault, buckets::VAULT),
        ],
        minted: None,
    };
    let move_some = |amount| {
        [Intent::Move {
            item: ItemRef::Stack {
                hash: 77,
                from: Location::Account,
            },
            to: Destination::Vault,
            amount: Some(amount),
            equip: false,
        }]
    };
    let fits = plan(
        &inventory,
        &definitions,
        &move_some(25),
        &PlanOptions::default(),
    );
    assert!(fits.is_complete(), "{:?}", fits.intents);
    let after = simulate(&inventory, &definitions, &fits, &[]).expect("legal");
    let held = |at: Location| {
        after
            .items
            .iter()
            .filter(|i| i.location == at)
            .map(|i| i.quantity)
            .sum::<i32>()
    };
    assert_eq!(
        (held(Location::Account), held(Location::Vault)),
        (35, 195),
        "nothing lost or made"
    );
    assert_eq!(
        after
            .items
            .iter()
            .filter(|i| i.location == Location::Vault)
            .count(),
        2,
        "topped up, no new slot"
    );
    let too_many = plan(
        &inventory,
        &definitions,
        &move_some(31),
        &PlanOptions::default(),
    );
    assert!(matches!(
        too_many.intents[0].refusal,
        Some(Refusal::NoRoom { .. })
    ));
    let nonsense = plan(
        &inventory,
        &definitions,
        &move_some(61),
        &PlanOptions::default(),
    );
    assert!(matches!(
        nonsense.intents[0].refusal,
        Some(Refusal::Invalid { .. })
    ));
}
