//! Tagged enums written and read through flat wire structs.
//!
//! serde's readers for internally tagged, adjacently tagged and untagged enums buffer each value
//! as a tree before picking the variant; in the wasm core that machinery was about a sixth of
//! the module, and binary forms such as postcard cannot read them at all. The enums that cross
//! to JavaScript and are also kept in the binary form of the inventory and journal (intents,
//! locations, actions) go `into` and `try_from` a plain struct instead: the tag as a unit enum
//! and every variant's fields as options (`null` in JSON when the variant has no such field),
//! checked here.

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
