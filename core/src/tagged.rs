//! Tagged enums read through flat wire structs.
//!
//! serde's readers for internally tagged, adjacently tagged and untagged enums buffer each value
//! as a tree before picking the variant; in the wasm core that machinery was about a sixth of
//! the module. The enums Courier reads (intents, locations, actions, journal states) derive
//! `Deserialize` through `try_from` a plain struct instead: the tag as a unit enum and every
//! variant's fields as options, checked here. Their JSON is unchanged.

/// The field `field` that a `variant` needs, or the sentence that says it is missing.
pub(crate) fn needed<T>(value: Option<T>, variant: &str, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("{variant} needs `{field}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_field_is_named_with_its_variant() {
        assert_eq!(needed(Some(3), "a lock intent", "locked"), Ok(3));
        assert_eq!(
            needed::<bool>(None, "a lock intent", "locked"),
            Err("a lock intent needs `locked`".to_string())
        );
    }
}
