//! Tagged enums written and read through flat wire structs in JSON, and in their derived form in
//! binary.
//!
//! serde's readers for internally tagged, adjacently tagged and untagged enums buffer each value
//! as a tree before picking the variant; in the wasm core that machinery was about a sixth of
//! the module, and binary forms such as postcard cannot read them at all. The enums that cross
//! to JavaScript and are also kept in the binary form of the inventory and journal (intents,
//! locations, actions) are written in JSON as a plain struct instead: the tag as a unit enum and
//! every variant's fields as options (`null` when the variant has no such field), checked here.
//! In binary they keep the form serde derives for an enum (the variant's index, then its
//! fields), which is smaller to store and to read than the wire struct (1.0 kB of the gzipped
//! wasm module): [`wire_in_text`] picks one by the format's `is_human_readable`.

/// The field `field` that a `variant` needs, or the sentence that says it is missing.
pub(crate) fn needed<T>(value: Option<T>, variant: &str, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("{variant} needs `{field}`"))
}

/// Implements `Serialize` and `Deserialize` for an enum `$ty` that derives its binary form with
/// `#[serde(remote = "Self")]`: in human-readable formats (JSON) it goes `From` and `TryFrom` its
/// wire struct `$wire` instead.
macro_rules! wire_in_text {
    ($ty:ty, $wire:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if serializer.is_human_readable() {
                    serde::Serialize::serialize(&<$wire>::from(self.clone()), serializer)
                } else {
                    <$ty>::serialize(self, serializer)
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                if deserializer.is_human_readable() {
                    let wire = <$wire as serde::Deserialize>::deserialize(deserializer)?;
                    <$ty>::try_from(wire).map_err(serde::de::Error::custom)
                } else {
                    <$ty>::deserialize(deserializer)
                }
            }
        }
    };
}
pub(crate) use wire_in_text;

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
