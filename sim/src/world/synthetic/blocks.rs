//! The blocks a real DestinyInventoryItemDefinition carries besides the ones Courier reads, with
//! the field names of the spec (`Destiny.Definitions.DestinyInventoryItemDefinition`): extra
//! display fields, `action`, `stats`, `quality`, `value`, `sockets`, `talentGrid`,
//! `investmentStats`, categories, damage types and traits. Courier skips them all; they are here
//! so a parser pays for them as it would on bungie.net's file.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use super::{Kind, sentence};
use crate::world::defs::{ItemDef, fnv1a, icon_path};
use crate::world::import::synth::{ATTACK, DEFENSE};

/// Weapon stat hashes: impact, range, stability, handling, reload speed, rounds per minute,
/// magazine, aim assistance, zoom, recoil direction.
const WEAPON_STATS: [u32; 10] = [
    4043523819, 1240592695, 155624089, 943549884, 4188031367, 4284893193, 3871231066, 1345609583,
    3555269338, 2715839340,
];
/// Armor stat hashes: mobility, resilience, recovery, discipline, intellect, strength.
const ARMOR_STATS: [u32; 6] = [
    2996146975, 392767087, 1943323491, 1735777505, 144602215, 4244567218,
];
/// Damage type hashes: kinetic, arc, solar, void.
const DAMAGE_TYPES: [(i32, u32); 4] = [
    (1, 3373582085),
    (2, 2303181850),
    (3, 1847026933),
    (4, 3454344768),
];

/// How many stats and sockets weapons and armor carry here (fewer than in the game, so an
/// entity averages about 2 KB as the benchmarks want).
const GEAR_STATS: usize = 3;
/// See [`GEAR_STATS`].
const GEAR_SOCKETS: usize = 2;

/// Adds the blocks of a `kind` of item to its entity.
pub(super) fn fill(entity: &mut Value, def: &ItemDef, kind: Kind, rng: &mut ChaCha8Rng) {
    let Some(fields) = entity.as_object_mut() else {
        return;
    };
    display(fields, rng);
    fields.insert(
        "summary".into(),
        json!({"sortPriority": rng.random_range(0..10)}),
    );
    fields.insert("itemCategoryHashes".into(), categories(kind, rng));
    fields.insert("traitIds".into(), json!(trait_names(kind)));
    fields.insert("traitHashes".into(), json!(trait_hashes(kind)));
    fields.insert("perks".into(), json!([]));
    fields.insert("animations".into(), json!([]));
    fields.insert("links".into(), json!([]));
    fields.insert("investmentStats".into(), json!([]));
    fields.insert("specialItemType".into(), json!(0));
    fields.insert("breakerType".into(), json!(0));
    fields.insert("seasonHash".into(), json!(rng.random::<u32>()));
    match kind {
        Kind::Weapon | Kind::Armor | Kind::Ghost => gear(fields, def, kind, rng),
        Kind::Mod => {
            fields.insert("plug".into(), plug(rng));
        }
        Kind::Quest => {
            fields.insert("objectives".into(), objectives(rng));
        }
        Kind::Emblem => {
            icon_frames(fields, def);
            for part in ["secondaryIcon", "secondaryOverlay", "secondarySpecial"] {
                fields.insert(part.into(), json!(asset(def, part)));
            }
        }
        Kind::Consumable => {}
    }
}

/// The blocks of weapons, armor and ghosts: collectible, watermarks, screenshot, dismantling,
/// and for weapons and armor stats, quality, sockets, talent grid and damage.
fn gear(fields: &mut Map<String, Value>, def: &ItemDef, kind: Kind, rng: &mut ChaCha8Rng) {
    icon_frames(fields, def);
    fields.insert("collectibleHash".into(), json!(rng.random::<u32>()));
    fields.insert("loreHash".into(), json!(rng.random::<u32>()));
    fields.insert("iconWatermark".into(), json!(asset(def, "watermark")));
    fields.insert("iconWatermarkShelved".into(), json!(asset(def, "shelved")));
    fields.insert(
        "screenshot".into(),
        json!(format!(
            "/common/destiny2_content/screenshots/{}.jpg",
            def.hash
        )),
    );
    fields.insert("action".into(), action(rng));
    fields.insert("value".into(), value(rng));
    let (stats, primary) = match kind {
        Kind::Weapon => (&WEAPON_STATS[..], ATTACK),
        Kind::Armor => (&ARMOR_STATS[..], DEFENSE),
        _ => return,
    };
    let first = rng.random_range(0..=stats.len() - GEAR_STATS);
    let stats = &stats[first..first + GEAR_STATS];
    fields.insert("stats".into(), stat_block(stats, primary, rng));
    fields.insert("investmentStats".into(), investment(stats, rng));
    fields.insert("quality".into(), quality(rng));
    fields.insert("sockets".into(), sockets(GEAR_SOCKETS, rng));
    fields.insert("talentGrid".into(), talent_grid(rng));
    damage(fields, kind, rng);
}

/// The animated icon's frames and the high-resolution icon, in `displayProperties`.
fn icon_frames(fields: &mut Map<String, Value>, def: &ItemDef) {
    if let Some(display) = fields
        .get_mut("displayProperties")
        .and_then(Value::as_object_mut)
    {
        display.insert(
            "iconSequences".into(),
            json!([{"frames": [def.icon, asset(def, "frame")]}]),
        );
        display.insert("highResIcon".into(), json!(asset(def, "high")));
    }
}

/// A stable asset path of a definition, like its icon path (`.png`).
fn asset(def: &ItemDef, part: &str) -> String {
    icon_path(fnv1a(&format!("{}/{part}", def.hash))).replace(".jpg", ".png")
}

/// The display fields every entity has: colour, flavour text, styles.
fn display(fields: &mut Map<String, Value>, rng: &mut ChaCha8Rng) {
    fields.insert("tooltipNotifications".into(), json!([]));
    fields.insert(
        "backgroundColor".into(),
        json!({"colorHash": 0, "red": rng.random_range(0..=255), "green": rng.random_range(0..=255),
               "blue": rng.random_range(0..=255), "alpha": 255}),
    );
    fields.insert("isFeaturedItem".into(), json!(false));
    fields.insert("isHolofoil".into(), json!(false));
    fields.insert("isAdept".into(), json!(false));
    fields.insert("flavorText".into(), json!(sentence(rng, 4..12)));
    fields.insert("uiItemDisplayStyle".into(), json!(""));
    fields.insert("displaySource".into(), json!(""));
    fields.insert("tooltipStyle".into(), json!(""));
}

/// `action`: what the item's button does (for most gear, dismantling it).
fn action(rng: &mut ChaCha8Rng) -> Value {
    json!({
        "verbName": "Dismantle",
        "verbDescription": "",
        "isPositive": false,
        "requiredCooldownSeconds": 0,
        "requiredItems": [],
        "progressionRewards": [],
        "actionTypeLabel": "shard",
        "rewardSheetHash": 0,
        "rewardItemHash": 0,
        "rewardSiteHash": 0,
        "requiredCooldownHash": 0,
        "deleteOnAction": true,
        "consumeEntireStack": false,
        "useOnAcquire": false,
        "overlayScreenName": "",
        "overlayIcon": "",
        "requiredLocation": rng.random_range(0..2),
    })
}

/// `value`: what dismantling gives.
fn value(rng: &mut ChaCha8Rng) -> Value {
    let entry = |rng: &mut ChaCha8Rng| json!({"itemHash": rng.random::<u32>(), "quantity": rng.random_range(1..20), "hasConditionalVisibility": false});
    json!({"itemValue": [entry(rng), entry(rng), {"itemHash": 0, "quantity": 0, "hasConditionalVisibility": false}],
           "valueDescription": ""})
}

/// `stats`: the displayed stats with their ranges.
fn stat_block(stats: &[u32], primary: u32, rng: &mut ChaCha8Rng) -> Value {
    let entries: Map<String, Value> = stats
        .iter()
        .map(|&hash| {
            let value = rng.random_range(10..100);
            (
                hash.to_string(),
                json!({"statHash": hash, "value": value, "minimum": 0, "maximum": 100, "displayMaximum": 100}),
            )
        })
        .collect();
    json!({
        "disablePrimaryStatDisplay": false,
        "statGroupHash": rng.random::<u32>(),
        "stats": entries,
        "hasDisplayableStats": true,
        "primaryBaseStatHash": primary,
    })
}

/// `investmentStats`: the stats the item contributes.
fn investment(stats: &[u32], rng: &mut ChaCha8Rng) -> Value {
    stats
        .iter()
        .map(|&hash| json!({"statTypeHash": hash, "value": rng.random_range(0..60), "isConditionallyActive": false}))
        .collect()
}

/// `quality`: infusion and power-cap versions.
fn quality(rng: &mut ChaCha8Rng) -> Value {
    json!({
        "itemLevels": [],
        "qualityLevel": 0,
        "infusionCategoryName": format!("v{}", rng.random::<u32>()),
        "infusionCategoryHash": rng.random::<u32>(),
        "infusionCategoryHashes": [rng.random::<u32>()],
        "progressionLevelRequirementHash": 2642620495u32,
        "currentVersion": 0,
        "versions": [{"powerCapHash": 2759499571u32}],
        "displayVersionWatermarkIcons": [""],
    })
}

/// `sockets`: `entries` sockets with their initial plugs, and the categories grouping them.
fn sockets(entries: usize, rng: &mut ChaCha8Rng) -> Value {
    let socket_entries: Vec<Value> = (0..entries)
        .map(|_| {
            json!({
                "socketTypeHash": rng.random::<u32>(),
                "singleInitialItemHash": rng.random::<u32>(),
                "reusablePlugItems": [],
                "preventInitializationOnVendorPurchase": false,
                "hidePerksInItemTooltip": false,
                "plugSources": 2,
                "reusablePlugSetHash": rng.random::<u32>(),
                "defaultVisible": true,
            })
        })
        .collect();
    let half = entries / 2;
    json!({
        "detail": "ui_item_socket_detail",
        "socketEntries": socket_entries,
        "intrinsicSockets": [],
        "socketCategories": [
            {"socketCategoryHash": 4241085061u32, "socketIndexes": (0..half).collect::<Vec<_>>()},
            {"socketCategoryHash": 2685412949u32, "socketIndexes": (half..entries).collect::<Vec<_>>()},
        ],
    })
}

/// `talentGrid`: the old grid every weapon and armor piece still names.
fn talent_grid(rng: &mut ChaCha8Rng) -> Value {
    json!({"talentGridHash": rng.random::<u32>(), "itemDetailString": "", "hudDamageType": 0})
}

/// The damage fields: one type for weapons, none for armor.
fn damage(fields: &mut Map<String, Value>, kind: Kind, rng: &mut ChaCha8Rng) {
    let (types, hashes, default, default_hash) = if kind == Kind::Weapon {
        let (damage, hash) = DAMAGE_TYPES[rng.random_range(0..DAMAGE_TYPES.len())];
        (vec![damage], vec![hash], damage, hash)
    } else {
        (Vec::new(), Vec::new(), 0, 0)
    };
    fields.insert("damageTypes".into(), json!(types));
    fields.insert("damageTypeHashes".into(), json!(hashes));
    fields.insert("defaultDamageType".into(), json!(default));
    fields.insert("defaultDamageTypeHash".into(), json!(default_hash));
}

/// `plug`: what a mod plugs into and costs.
fn plug(rng: &mut ChaCha8Rng) -> Value {
    json!({
        "insertionRules": [],
        "plugCategoryIdentifier": "enhancements.v2_general",
        "plugCategoryHash": rng.random::<u32>(),
        "onActionRecreateSelf": false,
        "actionRewardSiteHash": 0,
        "actionRewardItemOverrideHash": 0,
        "insertionMaterialRequirementHash": 0,
        "previewItemOverrideHash": 0,
        "enabledMaterialRequirementHash": 0,
        "enabledRules": [],
        "uiPlugLabel": "",
        "plugStyle": 0,
        "plugAvailability": 0,
        "alternateUiPlugLabel": "",
        "alternatePlugStyle": 0,
        "isDummyPlug": false,
        "applyStatsToSocketOwnerItem": false,
        "energyCost": {"energyCost": rng.random_range(1..6), "energyTypeHash": 0, "energyType": 0},
    })
}

/// `objectives`: what a quest step asks for.
fn objectives(rng: &mut ChaCha8Rng) -> Value {
    let hashes: Vec<u32> = (0..rng.random_range(1..4)).map(|_| rng.random()).collect();
    json!({
        "objectiveHashes": hashes,
        "displayActivityHashes": [],
        "requireFullObjectiveCompletion": true,
        "questlineItemHash": rng.random::<u32>(),
        "narrative": "",
        "objectiveVerbName": "",
        "questTypeIdentifier": "",
        "questTypeHash": 0,
        "completionRewardSiteHash": 0,
        "nextQuestStepRewardSiteHash": 0,
        "timestampUnlockValueHash": 0,
        "isGlobalObjectiveItem": false,
        "useOnObjectiveCompletion": false,
        "inhibitCompletionUnlockValueHash": 0,
        "perObjectiveDisplayProperties": [],
        "displayAsStatTracker": false,
    })
}

/// `itemCategoryHashes`: the categories the real manifest gives each kind.
fn categories(kind: Kind, rng: &mut ChaCha8Rng) -> Value {
    let base: &[u32] = match kind {
        Kind::Weapon => &[1, 2],
        Kind::Armor => &[20, 45],
        Kind::Ghost => &[39],
        Kind::Mod => &[59, 610365472],
        Kind::Consumable => &[35, 40],
        Kind::Emblem => &[19],
        Kind::Quest => &[16, 53],
    };
    let mut hashes = base.to_vec();
    hashes.push(rng.random_range(1..4_000_000_000));
    json!(hashes)
}

/// `traitIds`: the trait names of each kind.
fn trait_names(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Weapon => &["item_type.weapon", "item.weapon"],
        Kind::Armor => &["item_type.armor", "item.armor"],
        Kind::Ghost => &["item_type.ghost"],
        Kind::Mod => &["item_type.mod", "item.plug"],
        Kind::Consumable => &["item_type.consumable"],
        Kind::Emblem => &["item_type.emblem"],
        Kind::Quest => &["item_type.quest", "quest.new_light"],
    }
}

/// `traitHashes`: one hash per trait name.
fn trait_hashes(kind: Kind) -> Vec<u32> {
    trait_names(kind).iter().map(|name| fnv1a(name)).collect()
}
