//! Deciding whether an item matches a query (the rules are in the [`super`] module's docs).

use crate::model::{CaseFold, ClassType, Item, ItemDef, ItemKind, Location, Tier, buckets};

use super::Context;
use super::ast::{Expr, Filter, IsFilter, Query};

impl Query {
    /// Whether an item of `ctx` matches, as a test to call on each (the empty query matches
    /// every item). The query's names are folded by the definitions' [`CaseFold`] once, here,
    /// not once per item; the query is taken, so its tree is folded where it is, not copied.
    pub fn matcher<'c>(self, ctx: &'c Context<'c>) -> impl Fn(&Item) -> bool + 'c {
        let fold = ctx.definitions.case_fold;
        let mut root = self.root;
        if let Some(root) = &mut root {
            root.fold_names(fold);
        }
        move |item| {
            root.as_ref().is_none_or(|root| {
                let subject = Subject {
                    ctx,
                    item,
                    def: ctx.definitions.item(item.hash),
                };
                subject.matches(root)
            })
        }
    }
}

impl Expr {
    /// Folds the text of every name filter in the expression.
    fn fold_names(&mut self, fold: CaseFold) {
        match self {
            Expr::Filter(Filter::Name(text)) => *text = fold.fold(text),
            Expr::Filter(_) => {}
            Expr::Not(operand) => operand.fold_names(fold),
            Expr::And(operands) | Expr::Or(operands) => {
                operands.iter_mut().for_each(|e| e.fold_names(fold));
            }
        }
    }
}

/// An item with its definition, as filters see it.
struct Subject<'c, 'a> {
    ctx: &'c Context<'a>,
    item: &'c Item,
    def: Option<&'a ItemDef>,
}

impl Subject<'_, '_> {
    fn matches(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Filter(filter) => self.filter(filter),
            Expr::Not(operand) => !self.matches(operand),
            Expr::And(operands) => operands.iter().all(|e| self.matches(e)),
            Expr::Or(operands) => operands.iter().any(|e| self.matches(e)),
        }
    }

    fn filter(&self, filter: &Filter) -> bool {
        match filter {
            // The query's names come folded already (`Query::matcher`).
            Filter::Name(folded) => self
                .ctx
                .definitions
                .case_fold
                .fold(&self.ctx.definitions.name(self.item.hash))
                .contains(folded.as_str()),
            Filter::Is(filter) => self.is(*filter),
            Filter::Tier(tier) => self.tier() == Some(*tier),
            Filter::Power(comparison, bound) => self
                .item
                .power
                .is_some_and(|power| comparison.holds(power, *bound)),
            Filter::Hash(hash) => self.item.hash == *hash,
            Filter::Id(id) => self.item.instance_id.is_some_and(|i| i.0 == *id),
            Filter::On(class) => self.on(class.class_type()),
        }
    }

    /// Whether the item is on (equipped by or carried by) a character of `class`.
    fn on(&self, class: ClassType) -> bool {
        let Location::Character(owner) = self.item.location else {
            return false;
        };
        self.ctx
            .inventory
            .characters
            .iter()
            .any(|character| character.id == owner && character.class_type == class)
    }

    fn is(&self, filter: IsFilter) -> bool {
        let item = self.item;
        match filter {
            IsFilter::Weapon => {
                self.kind() == Some(ItemKind::Weapon) || buckets::WEAPONS.contains(&self.bucket())
            }
            IsFilter::Armor => {
                self.kind() == Some(ItemKind::Armor) || buckets::ARMOR.contains(&self.bucket())
            }
            IsFilter::Exotic => self.tier() == Some(Tier::Exotic),
            IsFilter::Legendary => self.tier() == Some(Tier::Legendary),
            IsFilter::Rare => self.tier() == Some(Tier::Rare),
            IsFilter::Common => self.tier() == Some(Tier::Common),
            IsFilter::Locked => item.locked,
            IsFilter::Unlocked => item.lockable && !item.locked,
            IsFilter::Equipped => item.equipped,
            IsFilter::InVault => item.location == Location::Vault,
            IsFilter::InPostmaster => matches!(item.location, Location::Postmaster(_)),
            IsFilter::Kinetic => self.bucket() == buckets::KINETIC,
            IsFilter::Energy => self.bucket() == buckets::ENERGY,
            IsFilter::Power => self.bucket() == buckets::POWER,
            IsFilter::Helmet => self.bucket() == buckets::HELMET,
            IsFilter::Gauntlets => self.bucket() == buckets::GAUNTLETS,
            IsFilter::Chest => self.bucket() == buckets::CHEST,
            IsFilter::Leg => self.bucket() == buckets::LEGS,
            IsFilter::ClassItem => self.bucket() == buckets::CLASS_ITEM,
            IsFilter::Titan => self.class() == Some(ClassType::Titan),
            IsFilter::Hunter => self.class() == Some(ClassType::Hunter),
            IsFilter::Warlock => self.class() == Some(ClassType::Warlock),
        }
    }

    /// The bucket the item belongs to: its definition's, else where it sits.
    fn bucket(&self) -> u32 {
        self.def.map_or(self.item.bucket_hash, |d| d.bucket_hash)
    }

    fn tier(&self) -> Option<Tier> {
        self.def.map(|d| d.tier)
    }

    fn kind(&self) -> Option<ItemKind> {
        self.def.map(|d| d.kind)
    }

    fn class(&self) -> Option<ClassType> {
        self.def.map(|d| d.class_type)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::super::{Context, filter};
    use super::*;
    use crate::model::{CaseFold, Character, CharacterId, Definitions, Inventory, ItemId};

    const TITAN: CharacterId = CharacterId(2_305_843_009_000_000_001);
    const HUNTER: CharacterId = CharacterId(2_305_843_009_000_000_002);

    /// One item of the test inventory: a name for the assertions, its definition and the item.
    struct Gear {
        name: &'static str,
        hash: u32,
        tier: Tier,
        kind: ItemKind,
        bucket: u32,
        class: ClassType,
        location: Location,
        equipped: bool,
        locked: bool,
        power: Option<i32>,
    }

    #[rustfmt::skip]
    fn gear() -> Vec<Gear> {
        use ClassType::*;
        use ItemKind::*;
        use Location::{Character, Postmaster, Vault};
        let g = |name, hash, tier, kind, bucket, class, location, equipped, locked, power| Gear {
            name,
            hash,
            tier,
            kind,
            bucket,
            class,
            location,
            equipped,
            locked,
            power,
        };
        vec![
            g("Sunshot", 1, Tier::Exotic, Weapon, buckets::ENERGY, Any, Character(HUNTER), true, true, Some(1810)),
            g("Ace of Spades", 2, Tier::Exotic, Weapon, buckets::KINETIC, Any, Vault, false, false, Some(1800)),
            g("Gjallarhorn", 3, Tier::Exotic, Weapon, buckets::POWER, Any, Postmaster(TITAN), false, false, Some(1750)),
            g("Service Revolver", 4, Tier::Rare, Weapon, buckets::KINETIC, Any, Character(TITAN), true, false, Some(1600)),
            g("Helm of Saint-14", 5, Tier::Exotic, Armor, buckets::HELMET, Titan, Character(TITAN), true, true, Some(1805)),
            g("Gauntlets of the Hunt", 6, Tier::Legendary, Armor, buckets::GAUNTLETS, Hunter, Vault, false, true, Some(1790)),
            g("Robes of the Wise", 7, Tier::Legendary, Armor, buckets::CHEST, Warlock, Vault, false, false, Some(1799)),
            g("Striders of the Hunt", 8, Tier::Common, Armor, buckets::LEGS, Hunter, Character(HUNTER), false, false, Some(1300)),
            g("Mark of the Titan", 9, Tier::Legendary, Armor, buckets::CLASS_ITEM, Titan, Character(TITAN), true, false, Some(1810)),
            g("Glimmer Booster", 10, Tier::Basic, Consumable, buckets::CONSUMABLES, Any, Location::Account, false, false, None),
        ]
    }

    /// The test inventory: [`gear`] with definitions, plus one item whose hash has none.
    fn fixture() -> (Inventory, Definitions) {
        let mut items = HashMap::new();
        let mut inventory = Inventory::default();
        for (index, g) in gear().into_iter().enumerate() {
            items.insert(
                g.hash,
                ItemDef {
                    name: g.name.to_string(),
                    icon: String::new(),
                    tier: g.tier,
                    kind: g.kind,
                    type_name: String::new(),
                    bucket_hash: g.bucket,
                    class_type: g.class,
                    unique_label: None,
                    max_stack: if g.power.is_some() { 1 } else { 250 },
                    equippable: g.power.is_some(),
                    non_transferrable: false,
                    postmaster_side_effects: false,
                },
            );
            let bucket_hash = match g.location {
                Location::Vault => buckets::VAULT,
                Location::Postmaster(_) => buckets::POSTMASTER,
                _ => g.bucket,
            };
            inventory.items.push(Item {
                instance_id: g
                    .power
                    .map(|_| ItemId(6_917_529_000_000_000_000 + index as i64)),
                hash: g.hash,
                quantity: if g.power.is_some() { 1 } else { 42 },
                bucket_hash,
                location: g.location,
                equipped: g.equipped,
                locked: g.locked,
                lockable: g.power.is_some(),
                transfer_status: 0,
                power: g.power,
            });
        }
        // Hash 777 has no definition: equipped in the kinetic slot, locked, power 1700.
        inventory.items.push(Item {
            instance_id: Some(ItemId(6_917_529_999_999_999_999)),
            hash: 777,
            quantity: 1,
            bucket_hash: buckets::KINETIC,
            location: Location::Character(HUNTER),
            equipped: true,
            locked: true,
            lockable: true,
            transfer_status: 1,
            power: Some(1700),
        });
        inventory.characters = [(TITAN, ClassType::Titan), (HUNTER, ClassType::Hunter)]
            .into_iter()
            .map(|(id, class_type)| Character {
                id,
                class_type,
                light: 1810,
                emblem_path: String::new(),
                emblem_background_path: String::new(),
                date_last_played: String::new(),
            })
            .collect();
        let definitions = Definitions {
            items,
            ..Definitions::default()
        };
        (inventory, definitions)
    }

    /// The names (or `#hash` for undefined items) of what `text` matches.
    fn hits(text: &str) -> BTreeSet<String> {
        let (inventory, definitions) = fixture();
        hits_in(&inventory, &definitions, text)
    }

    /// [`hits`] in this inventory with these definitions.
    fn hits_in(inventory: &Inventory, definitions: &Definitions, text: &str) -> BTreeSet<String> {
        let ctx = Context {
            inventory,
            definitions,
        };
        let query = Query::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        filter(query, &ctx)
            .into_iter()
            .map(|item| match definitions.item(item.hash) {
                Some(def) => def.name.clone(),
                None => format!("#{}", item.hash),
            })
            .collect()
    }

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn everything() -> BTreeSet<String> {
        let mut all: BTreeSet<String> = gear().iter().map(|g| g.name.to_string()).collect();
        all.insert("#777".to_string());
        all
    }

    #[test]
    fn the_empty_query_matches_everything() {
        assert_eq!(hits(""), everything());
    }

    #[test]
    fn free_text_and_name_match_a_case_insensitive_substring_of_the_name() {
        assert_eq!(
            hits("hunt"),
            set(&["Gauntlets of the Hunt", "Striders of the Hunt"])
        );
        assert_eq!(hits("SUN"), set(&["Sunshot"]));
        assert_eq!(hits("name:sunshot"), set(&["Sunshot"]));
        assert_eq!(hits(r#"name:"of the""#), hits(r#""OF THE""#));
        assert_eq!(
            hits(r#""of the h""#),
            set(&["Gauntlets of the Hunt", "Striders of the Hunt"])
        );
        assert_eq!(hits("saint-14"), set(&["Helm of Saint-14"]));
        assert_eq!(hits("nothing-like-this"), set(&[]));
    }

    #[test]
    fn names_match_whatever_their_case_beyond_ascii() {
        let (inventory, mut definitions) = fixture();
        let sunshot = definitions
            .items
            .values_mut()
            .find(|def| def.name == "Sunshot")
            .expect("the fixture has Sunshot");
        sunshot.name = "Sonnenschuss ÜBER Ärger".to_string();
        let renamed = set(&["Sonnenschuss ÜBER Ärger"]);
        assert_eq!(hits_in(&inventory, &definitions, "über"), renamed);
        assert_eq!(hits_in(&inventory, &definitions, "äRGER"), renamed);
        assert_eq!(
            hits_in(&inventory, &definitions, "name:\"über ä\""),
            renamed
        );
    }

    #[test]
    fn names_are_folded_by_the_definitions_case_fold() {
        let (inventory, mut definitions) = fixture();
        definitions.case_fold = CaseFold(str::to_string);
        assert_eq!(hits_in(&inventory, &definitions, "Sun"), set(&["Sunshot"]));
        assert_eq!(hits_in(&inventory, &definitions, "SUN"), set(&[]));
        assert_eq!(hits_in(&inventory, &definitions, "sun"), set(&[]));
    }

    #[test]
    fn without_a_definition_free_text_matches_the_shown_name_item_hash() {
        assert_eq!(hits("777"), set(&["#777"]));
        assert_eq!(hits(r#""item 77""#), set(&["#777"]));
    }

    #[test]
    fn kind_filters() {
        assert_eq!(
            hits("is:weapon"),
            set(&[
                "Sunshot",
                "Ace of Spades",
                "Gjallarhorn",
                "Service Revolver",
                "#777"
            ])
        );
        assert_eq!(
            hits("is:armor"),
            set(&[
                "Helm of Saint-14",
                "Gauntlets of the Hunt",
                "Robes of the Wise",
                "Striders of the Hunt",
                "Mark of the Titan"
            ])
        );
    }

    #[test]
    fn tier_filters() {
        let exotics = set(&[
            "Sunshot",
            "Ace of Spades",
            "Gjallarhorn",
            "Helm of Saint-14",
        ]);
        assert_eq!(hits("is:exotic"), exotics);
        assert_eq!(hits("tier:exotic"), exotics);
        assert_eq!(hits("tier:6"), exotics);
        let legendaries = set(&[
            "Gauntlets of the Hunt",
            "Robes of the Wise",
            "Mark of the Titan",
        ]);
        assert_eq!(hits("is:legendary"), legendaries);
        assert_eq!(hits("tier:legendary"), legendaries);
        assert_eq!(hits("is:rare"), set(&["Service Revolver"]));
        assert_eq!(hits("tier:rare"), set(&["Service Revolver"]));
        assert_eq!(hits("is:common"), set(&["Striders of the Hunt"]));
        assert_eq!(hits("tier:uncommon"), set(&["Striders of the Hunt"]));
        assert_eq!(hits("tier:basic"), set(&["Glimmer Booster"]));
    }

    #[test]
    fn state_filters() {
        assert_eq!(
            hits("is:locked"),
            set(&[
                "Sunshot",
                "Helm of Saint-14",
                "Gauntlets of the Hunt",
                "#777"
            ])
        );
        // The consumable stack cannot be locked, so it is not "unlocked" either.
        assert_eq!(
            hits("is:unlocked"),
            set(&[
                "Ace of Spades",
                "Gjallarhorn",
                "Service Revolver",
                "Robes of the Wise",
                "Striders of the Hunt",
                "Mark of the Titan"
            ])
        );
        assert_eq!(
            hits("is:equipped"),
            set(&[
                "Sunshot",
                "Service Revolver",
                "Helm of Saint-14",
                "Mark of the Titan",
                "#777"
            ])
        );
    }

    #[test]
    fn location_filters() {
        assert_eq!(
            hits("is:invault"),
            set(&[
                "Ace of Spades",
                "Gauntlets of the Hunt",
                "Robes of the Wise"
            ])
        );
        assert_eq!(hits("is:inpostmaster"), set(&["Gjallarhorn"]));
    }

    #[test]
    fn on_filters_match_what_a_character_carries_or_wears_but_not_its_postmaster() {
        assert_eq!(
            hits("on:titan"),
            set(&["Service Revolver", "Helm of Saint-14", "Mark of the Titan"])
        );
        assert_eq!(
            hits("on:HUNTER"),
            set(&["Sunshot", "Striders of the Hunt", "#777"])
        );
        assert_eq!(hits("on:warlock"), set(&[]), "no Warlock on this account");
        assert_eq!(
            hits("on:titan is:weapon -is:equipped"),
            set(&[]),
            "the Titan's only weapon outside the postmaster is equipped"
        );
        assert_eq!(hits("on:hunter is:weapon"), set(&["Sunshot", "#777"]));
    }

    #[test]
    fn bucket_filters_use_the_definition_then_the_current_bucket() {
        assert_eq!(
            hits("is:kinetic"),
            set(&["Ace of Spades", "Service Revolver", "#777"])
        );
        assert_eq!(hits("is:energy"), set(&["Sunshot"]));
        assert_eq!(hits("is:power"), set(&["Gjallarhorn"]));
        assert_eq!(hits("is:helmet"), set(&["Helm of Saint-14"]));
        assert_eq!(hits("is:gauntlets"), set(&["Gauntlets of the Hunt"]));
        assert_eq!(hits("is:chest"), set(&["Robes of the Wise"]));
        assert_eq!(hits("is:leg"), set(&["Striders of the Hunt"]));
        assert_eq!(hits("is:classitem"), set(&["Mark of the Titan"]));
    }

    #[test]
    fn class_filters_exclude_items_any_class_may_use() {
        assert_eq!(
            hits("is:titan"),
            set(&["Helm of Saint-14", "Mark of the Titan"])
        );
        assert_eq!(
            hits("is:hunter"),
            set(&["Gauntlets of the Hunt", "Striders of the Hunt"])
        );
        assert_eq!(hits("is:warlock"), set(&["Robes of the Wise"]));
    }

    #[test]
    fn power_comparisons() {
        assert_eq!(hits("power:1810"), set(&["Sunshot", "Mark of the Titan"]));
        assert_eq!(hits("power:=1800"), set(&["Ace of Spades"]));
        assert_eq!(
            hits("power:>=1800"),
            set(&[
                "Sunshot",
                "Ace of Spades",
                "Helm of Saint-14",
                "Mark of the Titan"
            ])
        );
        assert_eq!(hits("power:>1805"), set(&["Sunshot", "Mark of the Titan"]));
        assert_eq!(
            hits("power:<1700"),
            set(&["Service Revolver", "Striders of the Hunt"])
        );
        assert_eq!(
            hits("power:<=1700"),
            set(&["Service Revolver", "Striders of the Hunt", "#777"])
        );
        // The consumable has no power: it matches no comparison, only their negation.
        assert!(hits("-power:>=0").contains("Glimmer Booster"));
    }

    #[test]
    fn hash_and_id_filters() {
        assert_eq!(hits("hash:3"), set(&["Gjallarhorn"]));
        assert_eq!(hits("hash:777"), set(&["#777"]));
        assert_eq!(hits("id:6917529000000000001"), set(&["Ace of Spades"]));
        assert_eq!(hits("id:6917529999999999999"), set(&["#777"]));
        assert_eq!(
            hits("id:6917529000000000009"),
            set(&[]),
            "the stack has no instance id"
        );
    }

    #[test]
    fn operators_combine_filters() {
        assert_eq!(
            hits("is:weapon is:exotic -is:locked"),
            set(&["Ace of Spades", "Gjallarhorn"])
        );
        assert_eq!(
            hits("is:weapon and not is:exotic"),
            set(&["Service Revolver", "#777"])
        );
        assert_eq!(
            hits("is:titan or is:warlock"),
            set(&["Helm of Saint-14", "Mark of the Titan", "Robes of the Wise"])
        );
        // Without parentheses `and` binds first; with them, `or` does.
        assert_eq!(
            hits("is:chest or is:helmet is:locked"),
            set(&["Robes of the Wise", "Helm of Saint-14"])
        );
        assert_eq!(
            hits("(is:chest or is:helmet) is:locked"),
            set(&["Helm of Saint-14"])
        );
        assert_eq!(hits("-(is:weapon or is:armor)"), set(&["Glimmer Booster"]));
        assert_eq!(hits("not not is:rare"), set(&["Service Revolver"]));
        let complement: BTreeSet<String> = everything()
            .difference(&hits("is:exotic"))
            .cloned()
            .collect();
        assert_eq!(hits("-is:exotic"), complement);
    }
}
