//! The demo world's manifest: Destiny-flavoured item definitions built from small data tables,
//! plus the standard buckets, classes, vendors and currencies. The same for every seed.

use crate::world::buckets::{
    CHEST, CLASS_ITEM, CONSUMABLES, EMBLEMS, ENERGY, ENGRAMS, GAUNTLETS, GHOST, HELMET, KINETIC,
    LEGS, MODIFICATIONS, POWER, PURSUITS,
};
use crate::world::defs::item_type::{
    ARMOR, CONSUMABLE, EMBLEM, ENGRAM, GHOST as GHOST_SHELL, MOD, QUEST_STEP, WEAPON,
};
use crate::world::defs::{Definitions, ItemDef, fnv1a, icon_path};
use crate::world::{class_type, standard};

/// The unique label every exotic weapon carries: only one may be equipped.
pub const EXOTIC_WEAPON: &str = "exotic_weapon";
/// The unique label every exotic armor piece carries: only one may be equipped.
pub const EXOTIC_ARMOR: &str = "exotic_armor";

/// The tier types the tables use.
pub mod tier {
    /// Common (white).
    pub const COMMON: i32 = 3;
    /// Rare (blue).
    pub const RARE: i32 = 4;
    /// Legendary (purple).
    pub const LEGENDARY: i32 = 5;
    /// Exotic (gold).
    pub const EXOTIC: i32 = 6;
}

use tier::{COMMON, EXOTIC, LEGENDARY, RARE};

/// A weapon row: name, `DestinyItemSubType`, tier.
type WeaponRow = (&'static str, i32, i32);

/// Kinetic-slot weapons.
const KINETIC_WEAPONS: &[WeaponRow] = &[
    ("Austringer", 9, LEGENDARY),
    ("Bygones", 13, LEGENDARY),
    ("Nightwatch", 14, LEGENDARY),
    ("Bottom Dollar", 9, LEGENDARY),
    ("Eyasluna", 9, LEGENDARY),
    ("Duke Mk. 44", 9, LEGENDARY),
    ("Mindbender's Ambition", 7, LEGENDARY),
    ("Blast Furnace", 13, LEGENDARY),
    ("Beloved", 12, LEGENDARY),
    ("Gnawing Hunger", 6, LEGENDARY),
    ("Summoner", 6, LEGENDARY),
    ("Bite of the Fox", 14, LEGENDARY),
    ("Lunulata-4", 17, LEGENDARY),
    ("Shepherd's Watch", 12, LEGENDARY),
    ("Seventh Seraph SI-2", 24, LEGENDARY),
    ("Chroma Rush", 6, LEGENDARY),
    ("Hung Jury SR4", 14, LEGENDARY),
    ("Hand in Hand", 14, RARE),
    ("Agrona PR4", 13, RARE),
    ("Ace of Spades", 9, EXOTIC),
    ("Sweet Business", 6, EXOTIC),
    ("The Chaperone", 7, EXOTIC),
    ("Izanagi's Burden", 12, EXOTIC),
    ("Thorn", 9, EXOTIC),
    ("Bad Juju", 13, EXOTIC),
];

/// Energy-slot weapons.
const ENERGY_WEAPONS: &[WeaponRow] = &[
    ("Vision of Confluence", 14, LEGENDARY),
    ("IKELOS_SG_v1.0.2", 7, LEGENDARY),
    ("IKELOS_SMG_v1.0.2", 24, LEGENDARY),
    ("Funnelweb", 24, LEGENDARY),
    ("Chattering Bone", 13, LEGENDARY),
    ("Gridskipper", 13, LEGENDARY),
    ("Main Ingredient", 11, LEGENDARY),
    ("The Comedian", 7, LEGENDARY),
    ("Seventh Seraph Carbine", 6, LEGENDARY),
    ("Vulpecula", 9, LEGENDARY),
    ("Loud Lullaby", 9, LEGENDARY),
    ("Calus Mini-Tool", 24, LEGENDARY),
    ("Cartesian Coordinate", 11, LEGENDARY),
    ("Jurassic Green", 13, LEGENDARY),
    ("Cold Denial", 13, LEGENDARY),
    ("Multimach CCX", 24, LEGENDARY),
    ("Zealot's Reward", 11, LEGENDARY),
    ("Phosphorus MG4", 6, RARE),
    ("Refrain-23", 13, RARE),
    ("Riskrunner", 24, EXOTIC),
    ("Sunshot", 9, EXOTIC),
    ("Graviton Lance", 13, EXOTIC),
    ("Trinity Ghoul", 31, EXOTIC),
    ("Vex Mythoclast", 11, EXOTIC),
    ("Coldheart", 25, EXOTIC),
];

/// Power-slot weapons.
const POWER_WEAPONS: &[WeaponRow] = &[
    ("Hothead", 10, LEGENDARY),
    ("Code Duello", 10, LEGENDARY),
    ("Palmyra-B", 10, LEGENDARY),
    ("Tarantula", 8, LEGENDARY),
    ("Commemoration", 8, LEGENDARY),
    ("Falling Guillotine", 18, LEGENDARY),
    ("Heretic", 10, LEGENDARY),
    ("Archon's Thunder", 8, LEGENDARY),
    ("Hammerhead", 8, LEGENDARY),
    ("Reed's Regret", 22, LEGENDARY),
    ("Stormchaser", 22, LEGENDARY),
    ("Cataclysmic", 22, LEGENDARY),
    ("Lingering Dread", 23, LEGENDARY),
    ("Bump in the Night", 10, LEGENDARY),
    ("Wendigo GL3", 23, LEGENDARY),
    ("Fixed Odds", 8, LEGENDARY),
    ("Negative Space", 18, LEGENDARY),
    ("Interference VI", 23, RARE),
    ("Zenobia-D", 10, RARE),
    ("Gjallarhorn", 10, EXOTIC),
    ("Sleeper Simulant", 22, EXOTIC),
    ("Whisper of the Worm", 12, EXOTIC),
    ("Xenophage", 8, EXOTIC),
    ("Leviathan's Breath", 31, EXOTIC),
    ("Anarchy", 23, EXOTIC),
];

/// The armor buckets in slot order, with their sub-types and display names.
const ARMOR_SLOTS: [(u32, i32, &str); 5] = [
    (HELMET, 26, "Helmet"),
    (GAUNTLETS, 27, "Gauntlets"),
    (CHEST, 28, "Chest Armor"),
    (LEGS, 29, "Leg Armor"),
    (CLASS_ITEM, 30, "Class Item"),
];

/// What each class calls its pieces, in [`ARMOR_SLOTS`] order.
const ARMOR_PIECES: [(u8, [&str; 5]); 3] = [
    (
        class_type::TITAN,
        ["Helm", "Gauntlets", "Plate", "Greaves", "Mark"],
    ),
    (
        class_type::HUNTER,
        ["Mask", "Grips", "Vest", "Strides", "Cloak"],
    ),
    (
        class_type::WARLOCK,
        ["Hood", "Gloves", "Robes", "Boots", "Bond"],
    ),
];

/// Armor sets every class has a piece of in every slot, with their tier.
const ARMOR_SETS: [(&str, i32); 9] = [
    ("Iron Truage", LEGENDARY),
    ("Reverie Dawn", LEGENDARY),
    ("Dreambane", LEGENDARY),
    ("Illicit Reaper", LEGENDARY),
    ("Legacy's Oath", LEGENDARY),
    ("Deep Explorer", LEGENDARY),
    ("Lustrous", LEGENDARY),
    ("Kit Fox", RARE),
    ("Kerak Type 2", RARE),
];

/// Exotic armor: class, slot index into [`ARMOR_SLOTS`], name.
const EXOTIC_ARMOR_PIECES: &[(u8, usize, &str)] = &[
    (class_type::TITAN, 0, "An Insurmountable Skullfort"),
    (class_type::TITAN, 0, "Helm of Saint-14"),
    (class_type::TITAN, 1, "Synthoceps"),
    (class_type::TITAN, 1, "Ashen Wake"),
    (class_type::TITAN, 2, "Heart of Inmost Light"),
    (class_type::TITAN, 2, "Actium War Rig"),
    (class_type::TITAN, 3, "Peregrine Greaves"),
    (class_type::TITAN, 3, "Dunemarchers"),
    (class_type::HUNTER, 0, "Celestial Nighthawk"),
    (class_type::HUNTER, 0, "Foetracer"),
    (class_type::HUNTER, 1, "Liar's Handshake"),
    (class_type::HUNTER, 1, "Shards of Galanor"),
    (class_type::HUNTER, 2, "Raiden Flux"),
    (class_type::HUNTER, 2, "The Dragon's Shadow"),
    (class_type::HUNTER, 3, "St0mp-EE5"),
    (class_type::HUNTER, 3, "Orpheus Rig"),
    (class_type::WARLOCK, 0, "Nezarec's Sin"),
    (class_type::WARLOCK, 0, "Crown of Tempests"),
    (class_type::WARLOCK, 1, "Contraverse Hold"),
    (class_type::WARLOCK, 1, "Winter's Guile"),
    (class_type::WARLOCK, 2, "Starfire Protocol"),
    (class_type::WARLOCK, 2, "Vesper of Radius"),
    (class_type::WARLOCK, 3, "Transversive Steps"),
    (class_type::WARLOCK, 3, "Lunafaction Boots"),
];

/// Ghost shells, with their tier.
const GHOSTS: &[(&str, i32)] = &[
    ("Harpy's Crest Shell", LEGENDARY),
    ("Lionheart Shell", LEGENDARY),
    ("Cyberwitch Shell", LEGENDARY),
    ("Guiding Light Shell", LEGENDARY),
    ("Starcrossed Shell", LEGENDARY),
    ("Nightmare Shell", LEGENDARY),
    ("Crown of Ice Shell", LEGENDARY),
    ("Emerald Coil Shell", LEGENDARY),
    ("Ascendant Shell", LEGENDARY),
    ("Vigilant Shell", LEGENDARY),
    ("Generalist Shell", RARE),
    ("Wayfinder Shell", RARE),
];

/// A stackable row: name, tier, bucket, `DestinyItemType`, display name, max stack size.
type StackRow = (&'static str, i32, u32, i32, &'static str, i32);

/// Consumables, materials and mods: uninstanced stacks in account buckets.
#[rustfmt::skip]
const STACKS: &[StackRow] = &[
    ("Enhancement Prism", LEGENDARY, CONSUMABLES, CONSUMABLE, "Material", 50),
    ("Ascendant Shard", EXOTIC, CONSUMABLES, CONSUMABLE, "Material", 10),
    ("Upgrade Module", LEGENDARY, CONSUMABLES, CONSUMABLE, "Material", 20),
    ("Treasure Key", RARE, CONSUMABLES, CONSUMABLE, "Consumable", 25),
    ("Raid Banner", COMMON, CONSUMABLES, CONSUMABLE, "Consumable", 250),
    ("Synthweave Strap", LEGENDARY, CONSUMABLES, CONSUMABLE, "Material", 99),
    ("Synthweave Plate", LEGENDARY, CONSUMABLES, CONSUMABLE, "Material", 99),
    ("Synthweave Bolt", LEGENDARY, CONSUMABLES, CONSUMABLE, "Material", 99),
    ("Exotic Cipher", EXOTIC, CONSUMABLES, CONSUMABLE, "Material", 1),
    ("Spoils of Conquest", LEGENDARY, CONSUMABLES, CONSUMABLE, "Currency", 999),
    ("Phantasmal Fragment", RARE, CONSUMABLES, CONSUMABLE, "Material", 250),
    ("Vanguard Tactician's Boon", RARE, CONSUMABLES, CONSUMABLE, "Consumable", 100),
    ("Enhancement Core", LEGENDARY, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Spinmetal Leaves", COMMON, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Herealways Piece", COMMON, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Dusklight Shard", COMMON, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Glacial Starwort", COMMON, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Alkane Dust", COMMON, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Phaseglass Needle", COMMON, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Seraphite", COMMON, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Microphasic Datalattice", RARE, MODIFICATIONS, CONSUMABLE, "Material", 999),
    ("Ascendant Alloy", EXOTIC, MODIFICATIONS, CONSUMABLE, "Material", 10),
    ("Backup Mag", LEGENDARY, MODIFICATIONS, MOD, "Weapon Mod", 99),
    ("Icarus Grip", LEGENDARY, MODIFICATIONS, MOD, "Weapon Mod", 99),
    ("Counterbalance Stock", LEGENDARY, MODIFICATIONS, MOD, "Weapon Mod", 99),
    ("Targeting Adjuster", LEGENDARY, MODIFICATIONS, MOD, "Weapon Mod", 99),
    ("Minor Spec", LEGENDARY, MODIFICATIONS, MOD, "Weapon Mod", 99),
    ("Boss Spec", LEGENDARY, MODIFICATIONS, MOD, "Weapon Mod", 99),
    ("Recuperation", LEGENDARY, MODIFICATIONS, MOD, "Armor Mod", 99),
    ("Taking Charge", LEGENDARY, MODIFICATIONS, MOD, "Armor Mod", 99),
    ("Protective Light", LEGENDARY, MODIFICATIONS, MOD, "Armor Mod", 99),
];

/// Quest steps: instanced, trackable, bound to their character.
const QUESTS: &[(&str, i32)] = &[
    ("Xenology", EXOTIC),
    ("The Lie", EXOTIC),
    ("Memory of Sai Mota", EXOTIC),
    ("Presage", EXOTIC),
    ("Bound in Sorrow", LEGENDARY),
    ("Wayfinder's Voyage", LEGENDARY),
];

/// The engram whose postmaster pull has side effects (it decrypts on pickup).
pub const BRIGHT_ENGRAM: &str = "Bright Engram";

/// Emblems the characters wear.
pub const EMBLEM_NAMES: [&str; 3] = ["Iron Lord's Pride", "Path of the Shadow", "Oracle of Fate"];

/// Vendors besides Xur: hash, name, subtitle.
const OTHER_VENDORS: [(u32, &str, &str); 1] = [(672118013, "Banshee-44", "Gunsmith")];

/// The game's name for a weapon sub-type.
fn weapon_type_name(sub_type: i32) -> &'static str {
    match sub_type {
        6 => "Auto Rifle",
        7 => "Shotgun",
        8 => "Machine Gun",
        9 => "Hand Cannon",
        10 => "Rocket Launcher",
        11 => "Fusion Rifle",
        12 => "Sniper Rifle",
        13 => "Pulse Rifle",
        14 => "Scout Rifle",
        17 => "Sidearm",
        18 => "Sword",
        22 => "Linear Fusion Rifle",
        23 => "Grenade Launcher",
        24 => "Submachine Gun",
        25 => "Trace Rifle",
        31 => "Bow",
        _ => "Weapon",
    }
}

/// A definition with its name, hash, icon and tier set and every flag off; the builders below
/// fill in what their kind of item needs.
fn base(name: &str, tier_type: i32, bucket_type_hash: u32) -> ItemDef {
    let hash = fnv1a(name);
    ItemDef {
        hash,
        name: name.to_owned(),
        description: String::new(),
        icon: icon_path(hash),
        tier_type,
        item_type: 0,
        item_sub_type: 0,
        item_type_display_name: String::new(),
        bucket_type_hash,
        class_type: class_type::ANY,
        max_stack_size: 1,
        instanced: true,
        equippable: false,
        lockable: false,
        trackable: false,
        unique_label: None,
        non_transferrable: false,
        does_postmaster_pull_have_side_effects: false,
    }
}

/// Equippable, lockable, instanced gear; exotics carry `exotic_label`.
fn gear(
    name: &str,
    tier_type: i32,
    bucket: u32,
    (item_type, item_sub_type, type_name): (i32, i32, &str),
    exotic_label: &str,
) -> ItemDef {
    let mut def = base(name, tier_type, bucket);
    def.item_type = item_type;
    def.item_sub_type = item_sub_type;
    def.item_type_display_name = type_name.to_owned();
    def.equippable = true;
    def.lockable = true;
    if tier_type == EXOTIC {
        def.unique_label = Some(exotic_label.to_owned());
    }
    def.description = format!(
        "{} {}. {}",
        def.tier_type_name(),
        type_name,
        flavour(def.hash)
    );
    def
}

/// A line of flavour text, picked by hash.
fn flavour(hash: u32) -> &'static str {
    const LINES: [&str; 6] = [
        "Forged for the long war against the Darkness.",
        "It remembers every Guardian who carried it.",
        "Recovered from the ruins of the Cosmodrome.",
        "The Vanguard issues it to those who ask no questions.",
        "Whispers follow it from the Dreaming City.",
        "Built to last longer than the Traveler's patience.",
    ];
    LINES[hash as usize % LINES.len()]
}

/// Every weapon definition.
fn weapons() -> impl Iterator<Item = ItemDef> {
    [
        (KINETIC, KINETIC_WEAPONS),
        (ENERGY, ENERGY_WEAPONS),
        (POWER, POWER_WEAPONS),
    ]
    .into_iter()
    .flat_map(|(bucket, rows)| {
        rows.iter().map(move |&(name, sub_type, tier)| {
            let kind = (WEAPON, sub_type, weapon_type_name(sub_type));
            gear(name, tier, bucket, kind, EXOTIC_WEAPON)
        })
    })
}

/// Every armor definition: each set in each class and slot, then the exotics.
fn armor() -> impl Iterator<Item = ItemDef> {
    let sets = ARMOR_PIECES.iter().flat_map(|(class, pieces)| {
        ARMOR_SETS.iter().flat_map(move |&(set, tier)| {
            pieces.iter().enumerate().map(move |(slot, piece)| {
                armor_piece(*class, slot, &format!("{set} {piece}"), tier)
            })
        })
    });
    let exotics = EXOTIC_ARMOR_PIECES
        .iter()
        .map(|&(class, slot, name)| armor_piece(class, slot, name, EXOTIC));
    sets.chain(exotics)
}

/// One armor piece for a class in a slot (an index into [`ARMOR_SLOTS`]).
fn armor_piece(class: u8, slot: usize, name: &str, tier: i32) -> ItemDef {
    let (bucket, sub_type, type_name) = ARMOR_SLOTS[slot];
    let mut def = gear(
        name,
        tier,
        bucket,
        (ARMOR, sub_type, type_name),
        EXOTIC_ARMOR,
    );
    def.class_type = class;
    def
}

/// Every ghost shell definition.
fn ghosts() -> impl Iterator<Item = ItemDef> {
    GHOSTS
        .iter()
        .map(|&(name, tier)| gear(name, tier, GHOST, (GHOST_SHELL, 0, "Ghost Shell"), ""))
}

/// Every stackable definition: consumables, materials, mods.
fn stacks() -> impl Iterator<Item = ItemDef> {
    STACKS
        .iter()
        .map(|&(name, tier, bucket, item_type, type_name, max_stack)| {
            let mut def = base(name, tier, bucket);
            def.item_type = item_type;
            def.item_type_display_name = type_name.to_owned();
            def.max_stack_size = max_stack;
            def.instanced = false;
            def.description = format!("{type_name}. Stacks up to {max_stack}.");
            def
        })
}

/// Quest steps, the bright engram and the emblems: items with rules of their own.
fn special() -> impl Iterator<Item = ItemDef> {
    let quests = QUESTS.iter().map(|&(name, tier)| {
        let mut def = base(name, tier, PURSUITS);
        def.item_type = QUEST_STEP;
        def.item_type_display_name = "Quest Step".to_owned();
        def.trackable = true;
        def.non_transferrable = true;
        def.description = format!("A step of the quest {name}. It stays with its Guardian.");
        def
    });
    let engram = std::iter::once_with(|| {
        let mut def = base(BRIGHT_ENGRAM, LEGENDARY, ENGRAMS);
        def.item_type = ENGRAM;
        def.item_type_display_name = "Engram".to_owned();
        def.non_transferrable = true;
        def.does_postmaster_pull_have_side_effects = true;
        def.description = "Decrypts into Eververse rewards when picked up.".to_owned();
        def
    });
    let emblems = EMBLEM_NAMES.into_iter().map(|name| {
        let mut def = gear(name, LEGENDARY, EMBLEMS, (EMBLEM, 0, "Emblem"), "");
        def.lockable = false;
        def
    });
    quests.chain(engram).chain(emblems)
}

/// Every item definition the tables describe, in table order.
pub(super) fn item_definitions() -> impl Iterator<Item = ItemDef> {
    weapons()
        .chain(armor())
        .chain(ghosts())
        .chain(stacks())
        .chain(special())
        .chain(standard::currencies())
}

/// The demo manifest.
pub fn definitions() -> Definitions {
    let mut definitions = Definitions::default();
    definitions
        .items
        .extend(item_definitions().map(|def| (def.hash, def)));
    definitions
        .buckets
        .extend(standard::buckets().map(|def| (def.hash, def)));
    definitions
        .classes
        .extend(standard::classes().map(|def| (def.hash, def)));
    let vendors = OTHER_VENDORS
        .iter()
        .map(|&(hash, name, subtitle)| standard::vendor(hash, name, subtitle))
        .chain(std::iter::once_with(standard::xur));
    definitions
        .vendors
        .extend(vendors.map(|def| (def.hash, def)));
    definitions
}
