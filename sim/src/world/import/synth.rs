//! Definitions made up for every hash of an imported profile, since a saved profile carries no
//! manifest. What the file shows is kept (instancing, stack sizes, lockability, transferability,
//! where the item lives); what it cannot show is filled in plainly (name `Item <hash>`, tier
//! Legendary, no unique label, no postmaster side effects).
//!
//! The bucket an item goes to on a character or the account is the bucket its copies sit in
//! there (the most common one). An item seen only in the vault or a postmaster gets one from its
//! instance: a weapon (primary stat Attack) goes to Kinetic when its damage is kinetic and to
//! Energy otherwise, armor (primary stat Defense) to Helmet, any other instanced item to Ghost,
//! and an uninstanced stack to Modifications, where the game keeps materials.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::super::buckets::{
    self, CHEST, CLASS_ITEM, CONSUMABLES, EMBLEMS, ENERGY, ENGRAMS, GAUNTLETS, GHOST, HELMET,
    KINETIC, LEGS, MODIFICATIONS, POWER, PURSUITS,
};
use super::super::defs::item_type::{
    ARMOR, CONSUMABLE, EMBLEM, ENGRAM, GHOST as GHOST_SHELL, NONE, WEAPON,
};
use super::super::defs::{BucketDef, BucketScope, Definitions, ItemDef, icon_path};
use super::super::{Item, Place, class_type, standard};
use super::wire;

/// The `statHash` of Attack, the primary stat of weapons.
pub const ATTACK: u32 = 1480404414;
/// The `statHash` of Defense, the primary stat of armor.
pub const DEFENSE: u32 = 3897883278;
/// `TransferStatuses.NotTransferrable`.
const NOT_TRANSFERRABLE: i32 = 2;
/// `DamageType.Kinetic`.
const KINETIC_DAMAGE: i32 = 1;

/// One item of the file: what it became, and what the file said about it.
pub struct Imported<'a> {
    /// The world's item.
    pub item: Item,
    /// The item as the file has it.
    pub raw: &'a wire::Item,
    /// Its instance component, when it has one.
    pub instance: Option<&'a wire::Instance>,
    /// The class of the character carrying it (not for the postmaster, vault or account).
    pub holder_class: Option<u8>,
    /// Whether it came from `profileCurrencies`.
    pub currency: bool,
}

/// What every copy of one hash shows, put together.
#[derive(Default)]
struct Facts {
    /// Buckets the copies sit in on a character or the account, with how many sit there.
    homes: BTreeMap<u32, usize>,
    instanced: bool,
    max_quantity: i32,
    lockable: bool,
    non_transferrable: bool,
    tracked: bool,
    /// The primary stat hash and damage type of an instance.
    stat: Option<(u32, i32)>,
    holder_classes: BTreeSet<u8>,
}

impl Facts {
    fn learn(&mut self, imported: &Imported) {
        let Imported {
            item,
            raw,
            instance,
            holder_class,
            ..
        } = imported;
        if matches!(item.place, Place::Character(_) | Place::Account) {
            *self.homes.entry(raw.bucket_hash).or_default() += 1;
        }
        self.instanced |= item.instance_id.is_some();
        self.max_quantity = self.max_quantity.max(item.quantity);
        self.lockable |= raw.lockable;
        self.non_transferrable |= raw.transfer_status & NOT_TRANSFERRABLE != 0;
        self.tracked |= item.tracked;
        if let Some(instance) = instance
            && let Some(stat) = &instance.primary_stat
        {
            self.stat
                .get_or_insert((stat.stat_hash, instance.damage_type));
        }
        self.holder_classes.extend(*holder_class);
    }

    /// The bucket the item goes to on a character or the account (see the module doc).
    fn home(&self) -> u32 {
        let most_seen = self.homes.iter().max_by_key(|(_, count)| **count);
        match (most_seen, self.stat) {
            (Some((&bucket, _)), _) => bucket,
            (None, Some((ATTACK, KINETIC_DAMAGE))) => KINETIC,
            (None, Some((ATTACK, _))) => ENERGY,
            (None, Some((DEFENSE, _))) => HELMET,
            (None, _) if self.instanced => GHOST,
            (None, _) => MODIFICATIONS,
        }
    }
}

/// `DestinyItemType`, sub-type and display name of the items a bucket holds.
fn kind_of(bucket: u32) -> (i32, i32, &'static str) {
    match bucket {
        KINETIC | ENERGY | POWER => (WEAPON, 0, "Weapon"),
        HELMET => (ARMOR, 26, "Helmet"),
        GAUNTLETS => (ARMOR, 27, "Gauntlets"),
        CHEST => (ARMOR, 28, "Chest Armor"),
        LEGS => (ARMOR, 29, "Leg Armor"),
        CLASS_ITEM => (ARMOR, 30, "Class Item"),
        GHOST => (GHOST_SHELL, 0, "Ghost Shell"),
        EMBLEMS => (EMBLEM, 0, "Emblem"),
        ENGRAMS => (ENGRAM, 0, "Engram"),
        CONSUMABLES => (CONSUMABLE, 0, "Consumable"),
        MODIFICATIONS => (CONSUMABLE, 0, "Material"),
        _ => (NONE, 0, "Item"),
    }
}

/// Synthesizes the definitions of everything the imported items use: items, buckets (with
/// capacities no place exceeds), the classes and Xur.
pub fn definitions(imported: &[Imported]) -> Definitions {
    let mut facts: BTreeMap<u32, Facts> = BTreeMap::new();
    for one in imported {
        facts.entry(one.item.hash).or_default().learn(one);
    }
    let equip_buckets: BTreeSet<u32> = imported
        .iter()
        .filter(|one| one.item.equipped)
        .map(|one| one.item.bucket_hash)
        .chain(buckets::EQUIPPABLE)
        .collect();
    let mut items = facts
        .iter()
        .map(|(&hash, facts)| (hash, item_def(hash, facts, &equip_buckets)))
        .collect();
    merge_currencies(&mut items);
    let xur = standard::xur();
    Definitions {
        buckets: bucket_defs(imported, &items, &equip_buckets),
        items,
        classes: standard::classes().map(|def| (def.hash, def)).into(),
        vendors: BTreeMap::from([(xur.hash, xur)]),
    }
}

/// One synthesized item definition.
fn item_def(hash: u32, facts: &Facts, equip_buckets: &BTreeSet<u32>) -> ItemDef {
    let bucket = facts.home();
    let (item_type, item_sub_type, type_name) = kind_of(bucket);
    let class = match (item_type, facts.holder_classes.first()) {
        (ARMOR, Some(&class)) if facts.holder_classes.len() == 1 => class,
        _ => class_type::ANY,
    };
    ItemDef {
        hash,
        name: format!("Item {hash}"),
        description: "Imported from a saved profile; the real name is in the manifest.".to_owned(),
        icon: icon_path(hash),
        tier_type: 5,
        item_type,
        item_sub_type,
        item_type_display_name: type_name.to_owned(),
        bucket_type_hash: bucket,
        class_type: class,
        max_stack_size: if facts.instanced {
            1
        } else {
            facts.max_quantity.max(1)
        },
        instanced: facts.instanced,
        equippable: equip_buckets.contains(&bucket),
        lockable: facts.lockable,
        trackable: facts.tracked || bucket == PURSUITS,
        unique_label: None,
        non_transferrable: facts.non_transferrable,
        does_postmaster_pull_have_side_effects: false,
    }
}

/// Gives the currencies vendors charge in their real names, keeping the bucket and stack size
/// the file shows, and defines the ones the file lacks.
fn merge_currencies(items: &mut BTreeMap<u32, ItemDef>) {
    for known in standard::currencies() {
        let merged = match items.get(&known.hash) {
            Some(seen) => ItemDef {
                bucket_type_hash: seen.bucket_type_hash,
                max_stack_size: seen.max_stack_size.max(known.max_stack_size),
                non_transferrable: seen.non_transferrable,
                ..known
            },
            None => known,
        };
        items.insert(merged.hash, merged);
    }
}

/// A bucket definition for every bucket an item sits in or goes to: the standard one when the
/// simulator knows it, else one made from what the file shows. Capacities grow to the most
/// slots any one place uses, so the imported world is never over capacity.
fn bucket_defs(
    imported: &[Imported],
    items: &BTreeMap<u32, ItemDef>,
    equip_buckets: &BTreeSet<u32>,
) -> BTreeMap<u32, BucketDef> {
    let mut slots: HashMap<(Place, u32), i32> = HashMap::new();
    let mut account_scoped = BTreeSet::new();
    let mut currency_buckets = BTreeSet::new();
    for one in imported {
        *slots
            .entry((one.item.place, one.item.bucket_hash))
            .or_default() += 1;
        if matches!(one.item.place, Place::Account | Place::Vault) {
            account_scoped.insert(one.item.bucket_hash);
        }
        if one.currency {
            currency_buckets.insert(one.item.bucket_hash);
        }
    }
    let hashes: BTreeSet<u32> = slots
        .keys()
        .map(|(_, bucket)| *bucket)
        .chain(items.values().map(|def| def.bucket_type_hash))
        .collect();
    hashes
        .into_iter()
        .map(|hash| {
            let mut def = standard::bucket(hash).unwrap_or_else(|| {
                let equippable = equip_buckets.contains(&hash);
                BucketDef {
                    hash,
                    name: format!("Bucket {hash}"),
                    item_count: if equippable { 10 } else { 50 },
                    scope: if account_scoped.contains(&hash) {
                        BucketScope::Account
                    } else {
                        BucketScope::Character
                    },
                    category: match (currency_buckets.contains(&hash), equippable) {
                        (true, _) => 2,
                        (false, true) => 3,
                        (false, false) => 1,
                    },
                    location: 1,
                    fifo: false,
                }
            });
            let most_used = slots
                .iter()
                .filter(|((_, bucket), _)| *bucket == hash)
                .map(|(_, count)| *count)
                .max()
                .unwrap_or(0);
            def.item_count = def.item_count.max(most_used);
            (hash, def)
        })
        .collect()
}
