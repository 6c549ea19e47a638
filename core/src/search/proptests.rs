//! Property tests: no input makes the parser panic, errors point inside the input, and the
//! canonical text of any query parses back to the same query.

use proptest::prelude::*;

use super::ast::{CharacterClass, Comparison, Expr, Filter, IsFilter, Query, TIER_NAMES};

/// Pieces of query syntax, valid and broken, to glue into near-queries.
const FRAGMENTS: [&str; 26] = [
    "(",
    ")",
    "-",
    "and",
    "OR",
    "not",
    " ",
    " ",
    "\"",
    "\\",
    ":",
    "is:",
    "is:weapon",
    "is:weapn",
    "tier:",
    "tier:4",
    "power:>=",
    "power:<1800",
    "1810",
    "name:\"x y\"",
    "hash:",
    "id:1",
    "on:titan",
    "on:",
    "xûr",
    "名",
];

fn near_query() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&FRAGMENTS[..]), 0..24)
        .prop_map(|parts| parts.concat())
}

fn filter() -> impl Strategy<Value = Filter> {
    prop_oneof![
        any::<String>().prop_map(|text| Filter::name(&text)),
        prop::sample::select(&IsFilter::ALL[..]).prop_map(Filter::Is),
        prop::sample::select(&TIER_NAMES[..]).prop_map(|(_, tier)| Filter::Tier(tier)),
        (prop::sample::select(&Comparison::ALL[..]), 0..=i32::MAX)
            .prop_map(|(comparison, bound)| Filter::Power(comparison, bound)),
        any::<u32>().prop_map(Filter::Hash),
        (0..=i64::MAX).prop_map(Filter::Id),
        prop::sample::select(&CharacterClass::ALL[..]).prop_map(Filter::On),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    filter()
        .prop_map(Expr::Filter)
        .prop_recursive(5, 48, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                prop::collection::vec(inner.clone(), 2..5).prop_map(Expr::And),
                prop::collection::vec(inner, 2..5).prop_map(Expr::Or),
            ]
        })
}

fn check_outcome(text: &str) -> Result<(), TestCaseError> {
    match Query::parse(text) {
        Ok(query) => {
            let again = Query::parse(&query.to_string());
            prop_assert_eq!(again.as_ref(), Ok(&query), "canonical text {}", query);
        }
        Err(error) => {
            prop_assert!(
                error.position <= text.chars().count(),
                "{} in {:?}",
                error,
                text
            );
            prop_assert!(!error.message.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics_and_errors_point_inside_it(text in any::<String>()) {
        check_outcome(&text)?;
    }

    #[test]
    fn near_queries_never_panic_and_errors_point_inside_them(text in near_query()) {
        check_outcome(&text)?;
    }

    #[test]
    fn the_canonical_text_of_a_query_parses_back_to_it(root in expr()) {
        let query = Query { root: Some(root) };
        let text = query.to_string();
        prop_assert_eq!(Query::parse(&text), Ok(query), "text {:?}", text);
    }
}
