//! The recursive-descent parser: text in, a [`Query`] or a [`SearchError`] that points at the
//! problem.
//!
//! ```text
//! query := ε | or
//! or    := and ("or" and)*
//! and   := unary (["and"] unary)*        juxtaposition is "and"
//! unary := ("not" | "-") unary | "(" or ")" | filter
//! ```
//!
//! So `not` binds tighter than `and`, and `and` tighter than `or`.

use std::str::FromStr;

use super::ast::{CharacterClass, Comparison, Expr, Filter, IsFilter, Query, TIER_NAMES};
use super::lexer::{Token, TokenKind, tokenize};
use super::{SearchError, char_position};
use crate::model::Tier;

/// How deeply parentheses and negations may nest (so no input can exhaust the stack).
const MAX_DEPTH: usize = 64;

/// The filter keys, as written before the `:`.
const KEYS: [&str; 7] = ["is", "tier", "power", "name", "hash", "id", "on"];

impl Query {
    /// Parses a query; the empty (or all-blank) text is the query that matches everything.
    pub fn parse(text: &str) -> Result<Query, SearchError> {
        let mut parser = Parser {
            text,
            tokens: tokenize(text)?,
            next: 0,
            depth: 0,
        };
        if parser.tokens.is_empty() {
            return Ok(Query::default());
        }
        let root = parser.or()?;
        match parser.tokens.get(parser.next) {
            None => Ok(Query { root: Some(root) }),
            Some(token) => Err(parser.error(
                token.start,
                "unexpected )",
                Some("there is no ( for it to close".to_string()),
            )),
        }
    }
}

/// The parser's position in the token list.
struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
    next: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, byte: usize, what: &str, hint: Option<String>) -> SearchError {
        SearchError::at(self.text, byte, what, hint)
    }

    fn peek(&self) -> Option<&TokenKind<'a>> {
        self.tokens.get(self.next).map(|t| &t.kind)
    }

    /// Enters one level of nesting at `byte`, refusing to go deeper than [`MAX_DEPTH`].
    fn descend(&mut self, byte: usize) -> Result<(), SearchError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                byte,
                "the query nests too deeply",
                Some(format!(
                    "use at most {MAX_DEPTH} levels of parentheses and negations"
                )),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, SearchError> {
        let mut operands = vec![self.and()?];
        while self.peek() == Some(&TokenKind::Or) {
            self.next += 1;
            operands.push(self.and()?);
        }
        Ok(collapse(operands, Expr::Or))
    }

    fn and(&mut self) -> Result<Expr, SearchError> {
        let mut operands = vec![self.unary()?];
        loop {
            match self.peek() {
                None | Some(TokenKind::Or | TokenKind::Close) => break,
                Some(TokenKind::And) => self.next += 1,
                Some(_) => {}
            }
            operands.push(self.unary()?);
        }
        Ok(collapse(operands, Expr::And))
    }

    fn unary(&mut self) -> Result<Expr, SearchError> {
        let Some(token) = self.tokens.get(self.next) else {
            return Err(self.error(
                self.text.len(),
                "expected a filter",
                Some("the query ends there".to_string()),
            ));
        };
        let start = token.start;
        let filter = match &token.kind {
            TokenKind::Not | TokenKind::Minus => {
                self.next += 1;
                self.descend(start)?;
                let operand = self.unary()?;
                self.depth -= 1;
                return Ok(Expr::Not(Box::new(operand)));
            }
            TokenKind::Open => {
                self.next += 1;
                self.descend(start)?;
                let inner = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&TokenKind::Close) {
                    let at = self
                        .tokens
                        .get(self.next)
                        .map_or(self.text.len(), |t| t.start);
                    let open = char_position(self.text, start);
                    return Err(self.error(
                        at,
                        "expected )",
                        Some(format!("to close the ( at {open}")),
                    ));
                }
                self.next += 1;
                return Ok(inner);
            }
            TokenKind::Close | TokenKind::And | TokenKind::Or => {
                let found = match token.kind {
                    TokenKind::Close => ")",
                    TokenKind::And => "and",
                    _ => "or",
                };
                return Err(self.error(start, "expected a filter", Some(format!("found {found}"))));
            }
            TokenKind::Text(text) => Filter::name(text),
            TokenKind::Field {
                key,
                value,
                value_start,
            } => self.field(key, value, start, *value_start)?,
        };
        self.next += 1;
        Ok(Expr::Filter(filter))
    }

    /// The filter `key:value`.
    fn field(
        &self,
        key: &str,
        value: &str,
        key_start: usize,
        value_start: usize,
    ) -> Result<Filter, SearchError> {
        let key = key.to_ascii_lowercase();
        if !KEYS.contains(&key.as_str()) {
            let hint = match closest(&key, KEYS) {
                Some(near) => format!("did you mean {near}:?"),
                None => "the filters are is:, on:, tier:, power:, name:, hash: and id:".to_string(),
            };
            return Err(self.error(key_start, &format!("unknown filter {key}:"), Some(hint)));
        }
        if value.is_empty() {
            return Err(self.error(value_start, &format!("{key}: needs a value"), None));
        }
        let refuse = |what: String, hint: String| Err(self.error(value_start, &what, Some(hint)));
        // Keywords and their values are ASCII; `name:` keeps the value as written.
        let lower = value.to_ascii_lowercase();
        match key.as_str() {
            "is" => match IsFilter::ALL.into_iter().find(|f| f.name() == lower) {
                Some(filter) => Ok(Filter::Is(filter)),
                None => refuse(
                    format!("unknown filter is:{value}"),
                    suggestion("is", &lower, IsFilter::ALL.map(IsFilter::name), || {
                        format!(
                            "the is: filters are {}",
                            IsFilter::ALL.map(IsFilter::name).join(", ")
                        )
                    }),
                ),
            },
            "tier" => match tier(&lower) {
                Some(tier) => Ok(Filter::Tier(tier)),
                None => refuse(
                    format!("unknown tier {value}"),
                    suggestion("tier", &lower, TIER_NAMES.map(|(name, _)| name), || {
                        "tiers are exotic, legendary, rare, common, basic or 2 to 6".to_string()
                    }),
                ),
            },
            "power" => match power(value) {
                Some((comparison, bound)) => Ok(Filter::Power(comparison, bound)),
                None => refuse(
                    format!("power:{value} is not a power level"),
                    "write a number, optionally after = < <= > or >=, like power:>=1800"
                        .to_string(),
                ),
            },
            "hash" => match digits(value) {
                Some(hash) => Ok(Filter::Hash(hash)),
                None => refuse(
                    format!("hash:{value} is not an item hash"),
                    "write the definition hash, a number from 0 to 4294967295".to_string(),
                ),
            },
            "id" => match digits(value) {
                Some(id) => Ok(Filter::Id(id)),
                None => refuse(
                    format!("id:{value} is not an item instance id"),
                    "write the instance id, a number of up to 19 digits".to_string(),
                ),
            },
            "on" => match CharacterClass::ALL.into_iter().find(|c| c.name() == lower) {
                Some(class) => Ok(Filter::On(class)),
                None => refuse(
                    format!("on:{value} is not a character"),
                    suggestion(
                        "on",
                        &lower,
                        CharacterClass::ALL.map(CharacterClass::name),
                        || {
                            "name a character by its class: on:titan, on:hunter or on:warlock"
                                .to_string()
                        },
                    ),
                ),
            },
            _ => Ok(Filter::name(value)),
        }
    }
}

/// One operand stands for itself; more are joined by the operator.
fn collapse(mut operands: Vec<Expr>, join: fn(Vec<Expr>) -> Expr) -> Expr {
    if operands.len() == 1 {
        operands.swap_remove(0)
    } else {
        join(operands)
    }
}

/// A number written with digits only (no sign, no spaces), if it fits `T`.
fn digits<T: FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A tier by name or by its number (2 basic to 6 exotic).
fn tier(lower: &str) -> Option<Tier> {
    TIER_NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, tier)| *tier)
        .or_else(|| match digits::<i64>(lower) {
            Some(n @ 2..=6) => Some(Tier::from_api(n)),
            _ => None,
        })
}

/// `>=1800`, `<1750`, `1810`, ...
fn power(value: &str) -> Option<(Comparison, i32)> {
    let (comparison, number) = Comparison::ALL
        .into_iter()
        .find_map(|c| value.strip_prefix(c.operator()).map(|rest| (c, rest)))
        .unwrap_or((Comparison::Equal, value));
    digits(number).map(|bound| (comparison, bound))
}

/// "did you mean `key`:...?" when `word` is a typo of one of `names`, else `otherwise()`.
fn suggestion<'n>(
    key: &str,
    word: &str,
    names: impl IntoIterator<Item = &'n str>,
    otherwise: impl FnOnce() -> String,
) -> String {
    match closest(word, names) {
        Some(near) => format!("did you mean {key}:{near}?"),
        None => otherwise(),
    }
}

/// The candidate nearest to `word`, if a typo away (at most two edits, and fewer than its length).
fn closest<'n>(word: &str, candidates: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    let limit = 2.min(word.chars().count().saturating_sub(1));
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The Levenshtein distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Expr {
        Query::parse(text)
            .unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
            .root
            .unwrap_or_else(|| panic!("{text:?} is not empty"))
    }

    fn error(text: &str) -> SearchError {
        Query::parse(text).expect_err("the query is invalid")
    }

    fn name(text: &str) -> Expr {
        Expr::Filter(Filter::name(text))
    }

    fn is(filter: IsFilter) -> Expr {
        Expr::Filter(Filter::Is(filter))
    }

    fn not(operand: Expr) -> Expr {
        Expr::Not(Box::new(operand))
    }

    #[test]
    fn blank_queries_match_everything() {
        assert_eq!(Query::parse("").expect("parses"), Query::default());
        assert_eq!(Query::parse(" \t\n").expect("parses"), Query::default());
    }

    #[test]
    fn not_binds_tighter_than_and_and_and_tighter_than_or() {
        assert_eq!(
            parse("a -b c or not d and e"),
            Expr::Or(vec![
                Expr::And(vec![name("a"), not(name("b")), name("c")]),
                Expr::And(vec![not(name("d")), name("e")]),
            ])
        );
    }

    #[test]
    fn parentheses_group() {
        assert_eq!(
            parse("is:weapon (a OR b) -(c d)"),
            Expr::And(vec![
                is(IsFilter::Weapon),
                Expr::Or(vec![name("a"), name("b")]),
                not(Expr::And(vec![name("c"), name("d")])),
            ])
        );
        assert_eq!(parse("((a))"), name("a"));
        assert_eq!(parse("not not a"), not(not(name("a"))));
    }

    #[test]
    fn explicit_and_equals_juxtaposition() {
        assert_eq!(parse("a and b AND c"), parse("a b c"));
    }

    #[test]
    fn every_filter_key_parses() {
        assert_eq!(parse("IS:Weapon"), is(IsFilter::Weapon));
        assert_eq!(parse("is:inpostmaster"), is(IsFilter::InPostmaster));
        assert_eq!(
            parse("tier:exotic"),
            Expr::Filter(Filter::Tier(Tier::Exotic))
        );
        assert_eq!(
            parse("tier:uncommon"),
            Expr::Filter(Filter::Tier(Tier::Common))
        );
        assert_eq!(parse("tier:4"), Expr::Filter(Filter::Tier(Tier::Rare)));
        assert_eq!(parse("tier:2"), Expr::Filter(Filter::Tier(Tier::Basic)));
        assert_eq!(parse(r#"name:"The Last Word""#), name("The Last Word"));
        assert_eq!(parse("name:Sunshot"), name("Sunshot"));
        assert_eq!(
            parse("hash:3628991658"),
            Expr::Filter(Filter::Hash(3_628_991_658))
        );
        assert_eq!(
            parse("id:6917529012345678901"),
            Expr::Filter(Filter::Id(6_917_529_012_345_678_901))
        );
        assert_eq!(
            parse("on:Warlock"),
            Expr::Filter(Filter::On(CharacterClass::Warlock))
        );
    }

    #[test]
    fn power_takes_every_comparison() {
        for (text, comparison, bound) in [
            ("power:1810", Comparison::Equal, 1810),
            ("power:=1810", Comparison::Equal, 1810),
            ("power:<1800", Comparison::Less, 1800),
            ("power:<=1800", Comparison::LessOrEqual, 1800),
            ("power:>1800", Comparison::Greater, 1800),
            ("power:>=1800", Comparison::GreaterOrEqual, 1800),
        ] {
            assert_eq!(parse(text), Expr::Filter(Filter::Power(comparison, bound)));
        }
    }

    #[test]
    fn a_typo_in_an_is_filter_is_pointed_at_with_a_suggestion() {
        let e = error("is:weapn");
        assert_eq!(e.position, 3);
        assert_eq!(
            e.message,
            "unknown filter is:weapn at 3; did you mean is:weapon?"
        );
        let e = error("is:zzzzzz");
        assert!(
            e.message.contains("the is: filters are weapon, armor"),
            "{e}"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_pointed_at() {
        let e = error("is:weapon tire:exotic");
        assert_eq!(e.position, 10);
        assert_eq!(e.message, "unknown filter tire: at 10; did you mean tier:?");
        assert_eq!(error("tier:mythic").position, 5);
        assert_eq!(error("tier:7").position, 5);
        assert_eq!(error("power:>=x").position, 6);
        assert_eq!(error("power:-5").position, 6);
        assert_eq!(error("power:99999999999").position, 6);
        assert_eq!(error("hash:4294967296").position, 5);
        assert_eq!(error("hash:+12").position, 5);
        assert_eq!(error("id:12a").position, 3);
        assert_eq!(
            error("on:hunetr").message,
            "on:hunetr is not a character at 3; did you mean on:hunter?"
        );
        assert!(
            error("on:vault")
                .message
                .contains("on:titan, on:hunter or on:warlock")
        );
        let e = error("a is:");
        assert_eq!(
            (e.position, e.message.as_str()),
            (5, "is: needs a value at 5")
        );
    }

    #[test]
    fn structural_errors_are_pointed_at() {
        let e = error("(is:weapon or is:armor");
        assert_eq!(e.position, 22);
        assert_eq!(e.message, "expected ) at 22; to close the ( at 0");
        let e = error("a)");
        assert_eq!(
            (e.position, e.message.as_str()),
            (1, "unexpected ) at 1; there is no ( for it to close")
        );
        assert_eq!(error("a or").position, 4);
        assert_eq!(error("a and or b").position, 6);
        assert_eq!(error("()").position, 1);
        assert_eq!(error("or a").position, 0);
        assert_eq!(error("-").position, 1);
    }

    #[test]
    fn positions_are_in_characters() {
        assert_eq!(error("xûr is:weapn").position, 7);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "(".repeat(100_000);
        assert!(error(&deep).message.contains("nests too deeply"));
        let negations = "-".repeat(100_000) + "a";
        assert!(error(&negations).message.contains("nests too deeply"));
        let fine = "(".repeat(MAX_DEPTH) + "a" + &")".repeat(MAX_DEPTH);
        assert_eq!(parse(&fine), name("a"));
    }

    #[test]
    fn long_flat_queries_parse() {
        let long = "a ".repeat(100_000) + "or b";
        assert!(matches!(parse(&long), Expr::Or(operands) if operands.len() == 2));
    }

    #[test]
    fn suggestions_need_a_near_candidate() {
        assert_eq!(
            closest("weapn", IsFilter::ALL.map(IsFilter::name)),
            Some("weapon")
        );
        assert_eq!(closest("x", KEYS), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
