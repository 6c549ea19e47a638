//! The parsed query and its canonical text form.
//!
//! [`Display`](fmt::Display) prints a query so that parsing the text gives the same tree back:
//! `and` is written as juxtaposition, `not` as `-`, and parentheses appear exactly where the tree
//! nests (an `or` inside an `and`, or an operator inside the same operator).

use std::fmt;

use crate::model::{ClassType, Tier};

use super::lexer::ends_word;

/// A parsed search. The empty query matches every item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The expression, or `None` for the empty query.
    pub(super) root: Option<Expr>,
}

/// A node of the query tree. `And` and `Or` always hold two or more operands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Expr {
    /// One filter.
    Filter(Filter),
    /// Items the operand does not match.
    Not(Box<Expr>),
    /// Items every operand matches.
    And(Vec<Expr>),
    /// Items some operand matches.
    Or(Vec<Expr>),
}

/// One filter of the language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Filter {
    /// Free text or `name:`, as written: a substring of the item's name, whatever its case.
    Name(String),
    /// `is:...`.
    Is(IsFilter),
    /// `tier:...`.
    Tier(Tier),
    /// `power:` with a comparison.
    Power(Comparison, i32),
    /// `hash:`: the definition hash.
    Hash(u32),
    /// `id:`: the instance id.
    Id(i64),
    /// `on:`: on a character of this class (equipped or in its inventory).
    On(CharacterClass),
}

/// The classes `on:` names a character by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CharacterClass {
    /// `on:titan`.
    Titan,
    /// `on:hunter`.
    Hunter,
    /// `on:warlock`.
    Warlock,
}

impl CharacterClass {
    /// Every class `on:` takes.
    pub const ALL: [CharacterClass; 3] = [
        CharacterClass::Titan,
        CharacterClass::Hunter,
        CharacterClass::Warlock,
    ];

    /// The word after `on:`.
    pub fn name(self) -> &'static str {
        match self {
            CharacterClass::Titan => "titan",
            CharacterClass::Hunter => "hunter",
            CharacterClass::Warlock => "warlock",
        }
    }

    /// The model's class.
    pub fn class_type(self) -> ClassType {
        match self {
            CharacterClass::Titan => ClassType::Titan,
            CharacterClass::Hunter => ClassType::Hunter,
            CharacterClass::Warlock => ClassType::Warlock,
        }
    }
}

/// How `power:` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Comparison {
    /// `=` (or no operator).
    Equal,
    /// `<`.
    Less,
    /// `<=`.
    LessOrEqual,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterOrEqual,
}

impl Comparison {
    /// Every comparison, longest operator first (so `>=` is tried before `>`).
    pub const ALL: [Comparison; 5] = [
        Comparison::LessOrEqual,
        Comparison::GreaterOrEqual,
        Comparison::Less,
        Comparison::Greater,
        Comparison::Equal,
    ];

    /// The operator as written (`=` may also be left out).
    pub fn operator(self) -> &'static str {
        match self {
            Comparison::Equal => "=",
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => ">=",
        }
    }

    /// Whether `value` compares to `bound` this way.
    pub fn holds(self, value: i32, bound: i32) -> bool {
        match self {
            Comparison::Equal => value == bound,
            Comparison::Less => value < bound,
            Comparison::LessOrEqual => value <= bound,
            Comparison::Greater => value > bound,
            Comparison::GreaterOrEqual => value >= bound,
        }
    }
}

/// The `is:` filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IsFilter {
    /// A weapon.
    Weapon,
    /// An armor piece.
    Armor,
    /// Exotic tier.
    Exotic,
    /// Legendary tier.
    Legendary,
    /// Rare tier.
    Rare,
    /// Common tier.
    Common,
    /// Locked.
    Locked,
    /// Lockable and not locked.
    Unlocked,
    /// Equipped on a character.
    Equipped,
    /// In the vault.
    InVault,
    /// In a postmaster.
    InPostmaster,
    /// Goes to the kinetic bucket.
    Kinetic,
    /// Goes to the energy bucket.
    Energy,
    /// Goes to the power bucket.
    Power,
    /// Goes to the helmet bucket.
    Helmet,
    /// Goes to the gauntlets bucket.
    Gauntlets,
    /// Goes to the chest bucket.
    Chest,
    /// Goes to the leg bucket.
    Leg,
    /// Goes to the class item bucket.
    ClassItem,
    /// Only Titans may use it.
    Titan,
    /// Only Hunters may use it.
    Hunter,
    /// Only Warlocks may use it.
    Warlock,
}

impl IsFilter {
    /// Every `is:` filter.
    pub const ALL: [IsFilter; 22] = [
        IsFilter::Weapon,
        IsFilter::Armor,
        IsFilter::Exotic,
        IsFilter::Legendary,
        IsFilter::Rare,
        IsFilter::Common,
        IsFilter::Locked,
        IsFilter::Unlocked,
        IsFilter::Equipped,
        IsFilter::InVault,
        IsFilter::InPostmaster,
        IsFilter::Kinetic,
        IsFilter::Energy,
        IsFilter::Power,
        IsFilter::Helmet,
        IsFilter::Gauntlets,
        IsFilter::Chest,
        IsFilter::Leg,
        IsFilter::ClassItem,
        IsFilter::Titan,
        IsFilter::Hunter,
        IsFilter::Warlock,
    ];

    /// The word after `is:`.
    pub fn name(self) -> &'static str {
        match self {
            IsFilter::Weapon => "weapon",
            IsFilter::Armor => "armor",
            IsFilter::Exotic => "exotic",
            IsFilter::Legendary => "legendary",
            IsFilter::Rare => "rare",
            IsFilter::Common => "common",
            IsFilter::Locked => "locked",
            IsFilter::Unlocked => "unlocked",
            IsFilter::Equipped => "equipped",
            IsFilter::InVault => "invault",
            IsFilter::InPostmaster => "inpostmaster",
            IsFilter::Kinetic => "kinetic",
            IsFilter::Energy => "energy",
            IsFilter::Power => "power",
            IsFilter::Helmet => "helmet",
            IsFilter::Gauntlets => "gauntlets",
            IsFilter::Chest => "chest",
            IsFilter::Leg => "leg",
            IsFilter::ClassItem => "classitem",
            IsFilter::Titan => "titan",
            IsFilter::Hunter => "hunter",
            IsFilter::Warlock => "warlock",
        }
    }
}

/// The words `tier:` takes, with the tier each means (`uncommon` is another word for common).
pub(super) const TIER_NAMES: [(&str, Tier); 6] = [
    ("exotic", Tier::Exotic),
    ("legendary", Tier::Legendary),
    ("rare", Tier::Rare),
    ("common", Tier::Common),
    ("uncommon", Tier::Common),
    ("basic", Tier::Basic),
];

/// The canonical word for a tier.
fn tier_name(tier: Tier) -> &'static str {
    TIER_NAMES
        .iter()
        .find(|(_, t)| *t == tier)
        .map_or("unknown", |(name, _)| name)
}

impl Filter {
    /// A name filter, as written; it matches names without regard to case (see
    /// [`crate::model::CaseFold`]).
    pub fn name(text: &str) -> Filter {
        Filter::Name(text.to_string())
    }
}

/// Whether `text` reads back as the same free text without quotes.
fn is_bare_word(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.contains(':')
        && !text.contains(ends_word)
        && !["and", "or", "not"]
            .iter()
            .any(|op| text.eq_ignore_ascii_case(op))
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Name(text) if is_bare_word(text) => f.write_str(text),
            Filter::Name(text) => {
                f.write_str("\"")?;
                for c in text.chars() {
                    if matches!(c, '"' | '\\') {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\"")
            }
            Filter::Is(filter) => write!(f, "is:{}", filter.name()),
            Filter::Tier(tier) => write!(f, "tier:{}", tier_name(*tier)),
            Filter::Power(Comparison::Equal, bound) => write!(f, "power:{bound}"),
            Filter::Power(comparison, bound) => {
                write!(f, "power:{}{bound}", comparison.operator())
            }
            Filter::Hash(hash) => write!(f, "hash:{hash}"),
            Filter::Id(id) => write!(f, "id:{id}"),
            Filter::On(class) => write!(f, "on:{}", class.name()),
        }
    }
}

impl Expr {
    /// Writes the operand of an operator, in parentheses when `parenthesize` says so.
    fn write_operand(
        &self,
        f: &mut fmt::Formatter<'_>,
        parenthesize: impl Fn(&Expr) -> bool,
    ) -> fmt::Result {
        if parenthesize(self) {
            write!(f, "({self})")
        } else {
            write!(f, "{self}")
        }
    }

    /// Writes `operands` separated by `separator`.
    fn write_list(
        f: &mut fmt::Formatter<'_>,
        operands: &[Expr],
        separator: &str,
        parenthesize: impl Fn(&Expr) -> bool + Copy,
    ) -> fmt::Result {
        for (index, operand) in operands.iter().enumerate() {
            if index > 0 {
                f.write_str(separator)?;
            }
            operand.write_operand(f, parenthesize)?;
        }
        Ok(())
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Filter(filter) => filter.fmt(f),
            Expr::Not(operand) => {
                f.write_str("-")?;
                operand.write_operand(f, |e| matches!(e, Expr::And(_) | Expr::Or(_)))
            }
            Expr::And(operands) => Expr::write_list(f, operands, " ", |e| {
                matches!(e, Expr::And(_) | Expr::Or(_))
            }),
            Expr::Or(operands) => {
                Expr::write_list(f, operands, " or ", |e| matches!(e, Expr::Or(_)))
            }
        }
    }
}

impl fmt::Display for Query {
    /// The canonical text of the query; the empty query prints as nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.root {
            Some(root) => root.fmt(f),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Expr {
        Expr::Filter(Filter::name(text))
    }

    fn is(filter: IsFilter) -> Expr {
        Expr::Filter(Filter::Is(filter))
    }

    #[test]
    fn filters_print_in_their_canonical_form() {
        let printed: Vec<String> = [
            Filter::Is(IsFilter::InPostmaster),
            Filter::Tier(Tier::Common),
            Filter::Power(Comparison::Equal, 1810),
            Filter::Power(Comparison::GreaterOrEqual, 1800),
            Filter::Hash(3_628_991_658),
            Filter::Id(6_917_529_012_345_678_901),
            Filter::On(CharacterClass::Hunter),
            Filter::name("Sunshot"),
            Filter::name("The Last Word"),
            Filter::name("say \"hi\" \\o/"),
            Filter::name("OR"),
            Filter::name("-x"),
            Filter::name("a:b"),
            Filter::name(""),
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            printed,
            [
                "is:inpostmaster",
                "tier:common",
                "power:1810",
                "power:>=1800",
                "hash:3628991658",
                "id:6917529012345678901",
                "on:hunter",
                "Sunshot",
                "\"The Last Word\"",
                r#""say \"hi\" \\o/""#,
                "\"OR\"",
                "\"-x\"",
                "\"a:b\"",
                "\"\"",
            ]
        );
    }

    #[test]
    fn operators_print_with_parentheses_only_where_the_tree_nests() {
        let query = Expr::And(vec![
            is(IsFilter::Weapon),
            Expr::Or(vec![name("a"), Expr::And(vec![name("b"), name("c")])]),
            Expr::Not(Box::new(Expr::Or(vec![name("d"), name("e")]))),
            Expr::Not(Box::new(Expr::Not(Box::new(is(IsFilter::Locked))))),
            Expr::And(vec![name("f"), name("g")]),
        ]);
        assert_eq!(
            query.to_string(),
            "is:weapon (a or b c) -(d or e) --is:locked (f g)"
        );
        let nested_or = Expr::Or(vec![Expr::Or(vec![name("a"), name("b")]), name("c")]);
        assert_eq!(nested_or.to_string(), "(a or b) or c");
    }

    #[test]
    fn the_empty_query_prints_as_nothing() {
        assert_eq!(Query::default().to_string(), "");
    }
}
