//! A structural scan of JSON text: walking an object's entries, and passing over values
//! without building or checking them.
//!
//! Reading a GetProfile answer this way jumps over the large components Courier does not use
//! (sockets, reusable plugs, plug sets: most of the bytes) about twice as fast as serde_json
//! parses them to ignore them; the values Courier reads are parsed by serde_json where they
//! start, which checks them fully. Depth is a counter, so deep nesting cannot overflow the
//! stack.

use std::borrow::Cow;

/// Why a scan stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ScanError {
    /// The text ends inside a value.
    #[error("the text ends in the middle of a value")]
    Truncated,
    /// A byte that cannot be where it is.
    #[error("byte {offset} is {found:?} where {wanted} should be")]
    Unexpected {
        /// Its offset in the text scanned.
        offset: usize,
        /// The byte, as a character.
        found: char,
        /// What should be there.
        wanted: &'static str,
    },
}

/// Whether the value at `at` (after any whitespace) is an object.
pub(crate) fn is_object_at(text: &[u8], at: usize) -> bool {
    text.get(skip_whitespace(text, at)) == Some(&b'{')
}

/// Walks the object at `start` (after any whitespace). For each entry, `visit` gets the key
/// (escapes resolved) and the offset where its value starts, reads or skips the value
/// ([`skip_value`]), and returns the offset where the value ended. Returns the offset just
/// after the object.
pub(crate) fn walk_object<'a, E: From<ScanError>>(
    text: &'a [u8],
    start: usize,
    mut visit: impl FnMut(Cow<'a, str>, usize) -> Result<usize, E>,
) -> Result<usize, E> {
    let mut at = skip_whitespace(text, start);
    expect(text, at, b'{', "an object")?;
    at = skip_whitespace(text, at + 1);
    if text.get(at) == Some(&b'}') {
        return Ok(at + 1);
    }
    loop {
        expect(text, at, b'"', "a key")?;
        let key_end = string_end(text, at)?;
        let key = key_text(&text[at..key_end]);
        at = skip_whitespace(text, key_end);
        expect(text, at, b':', "a colon")?;
        at = skip_whitespace(text, at + 1);
        at = skip_whitespace(text, visit(key, at)?);
        match text.get(at) {
            Some(b',') => at = skip_whitespace(text, at + 1),
            Some(b'}') => return Ok(at + 1),
            Some(_) => return Err(unexpected(text, at, "a comma or the object's end").into()),
            None => return Err(ScanError::Truncated.into()),
        }
    }
}

/// Ok when nothing but whitespace follows `at`.
pub(crate) fn expect_end(text: &[u8], at: usize) -> Result<(), ScanError> {
    let end = skip_whitespace(text, at);
    if end < text.len() {
        return Err(unexpected(text, end, "the end of the text"));
    }
    Ok(())
}

/// The end (exclusive) of the value that starts at `start`, passed over unchecked.
pub(crate) fn skip_value(text: &[u8], start: usize) -> Result<usize, ScanError> {
    match text.get(start) {
        None => Err(ScanError::Truncated),
        Some(b'"') => string_end(text, start),
        Some(b'{' | b'[') => container_end(text, start),
        Some(b'}' | b']' | b',' | b':') => Err(unexpected(text, start, "a value")),
        Some(_) => Ok(scalar_end(text, start)),
    }
}

/// A quoted key's text: borrowed when it has no escapes, decoded by serde_json when it has.
fn key_text(quoted: &[u8]) -> Cow<'_, str> {
    let inner = &quoted[1..quoted.len() - 1];
    if !inner.contains(&b'\\')
        && let Ok(plain) = std::str::from_utf8(inner)
    {
        return Cow::Borrowed(plain);
    }
    // A key that does not decode matches no name Courier reads.
    Cow::Owned(serde_json::from_slice::<String>(quoted).unwrap_or_default())
}

/// The end of the number, `true`, `false` or `null` at `start`: the next delimiter.
fn scalar_end(text: &[u8], start: usize) -> usize {
    text[start..]
        .iter()
        .position(|byte| matches!(byte, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
        .map_or(text.len(), |length| start + length)
}

/// The end of the string whose opening quote is at `start`, just after its closing quote.
fn string_end(text: &[u8], start: usize) -> Result<usize, ScanError> {
    let mut at = start + 1;
    loop {
        let rest = text.get(at..).ok_or(ScanError::Truncated)?;
        at += rest
            .iter()
            .position(|byte| matches!(byte, b'"' | b'\\'))
            .ok_or(ScanError::Truncated)?;
        if text[at] == b'"' {
            return Ok(at + 1);
        }
        // A backslash escapes the next byte (the rest of a \u escape is plain).
        at += 2;
    }
}

/// The end of the object or array that opens at `start`, just after its closing bracket.
fn container_end(text: &[u8], start: usize) -> Result<usize, ScanError> {
    let mut depth = 0usize;
    let mut at = start;
    loop {
        at = next_structural(text, at).ok_or(ScanError::Truncated)?;
        match text[at] {
            b'"' => at = string_end(text, at)?,
            b'{' | b'[' => {
                depth += 1;
                at += 1;
            }
            _ => {
                // The first byte opens, so depth is at least one here.
                depth -= 1;
                at += 1;
                if depth == 0 {
                    return Ok(at);
                }
            }
        }
    }
}

/// The offset of the first quote or bracket from `at`.
fn next_structural(text: &[u8], at: usize) -> Option<usize> {
    text.get(at..)?
        .iter()
        .position(|byte| is_structural(*byte))
        .map(|index| at + index)
}

/// Whether `byte` is `"`, `{`, `}`, `[` or `]` (setting bit 5 turns `[` into `{` and `]` into
/// `}`, and no other byte into either).
fn is_structural(byte: u8) -> bool {
    let folded = byte | 0x20;
    byte == b'"' || folded == b'{' || folded == b'}'
}

/// The first offset from `at` that is not JSON whitespace.
fn skip_whitespace(text: &[u8], at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| {
            rest.iter()
                .position(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
        })
        .map_or(text.len(), |length| at + length)
}

/// Ok when the byte at `at` is `wanted`.
fn expect(text: &[u8], at: usize, wanted: u8, what: &'static str) -> Result<(), ScanError> {
    match text.get(at) {
        Some(byte) if *byte == wanted => Ok(()),
        Some(_) => Err(unexpected(text, at, what)),
        None => Err(ScanError::Truncated),
    }
}

/// The error for the byte at `offset`, which must exist.
fn unexpected(text: &[u8], offset: usize, wanted: &'static str) -> ScanError {
    ScanError::Unexpected {
        offset,
        found: char::from(text[offset]),
        wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys and the text of the values of the object `text`, and where it ended.
    fn entries(text: &str) -> Result<(Vec<(String, String)>, usize), ScanError> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let end = walk_object(bytes, 0, |key, at| {
            let end = skip_value(bytes, at)?;
            let value = String::from_utf8(bytes[at..end].to_vec()).expect("text");
            found.push((key.into_owned(), value));
            Ok::<_, ScanError>(end)
        })?;
        expect_end(bytes, end)?;
        Ok((found, end))
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn entries_come_with_their_values_text_in_order() {
        let text = r#" { "a": 1, "b" :{"c": [1, {"d": "}"}]} ,"e":"x\"]","f":true,"g":null,
            "h":-1.5e3 } "#;
        let (found, end) = entries(text).expect("an object");
        assert_eq!(
            found,
            pairs(&[
                ("a", "1"),
                ("b", r#"{"c": [1, {"d": "}"}]}"#),
                ("e", r#""x\"]""#),
                ("f", "true"),
                ("g", "null"),
                ("h", "-1.5e3"),
            ])
        );
        assert_eq!(end, text.len() - 1, "just after the closing brace");
        assert_eq!(entries("{}").map(|(found, _)| found), Ok(vec![]));
    }

    #[test]
    fn escaped_keys_are_decoded() {
        let (found, _) = entries(r#"{"Respons\u0065": 1, "a\\b": 2}"#).expect("an object");
        assert_eq!(found, pairs(&[("Response", "1"), ("a\\b", "2")]));
    }

    #[test]
    fn every_cut_of_an_object_is_an_error_never_a_panic() {
        let text = r#"{"a": [1, {"b": "c\"d"}], "e": {"f": null}}"#;
        for end in 0..text.len() {
            assert!(entries(&text[..end]).is_err(), "cut at {end}");
        }
        assert!(entries(text).is_ok());
    }

    #[test]
    fn what_does_not_belong_is_pointed_at() {
        let at = |offset, found, wanted| {
            Err(ScanError::Unexpected {
                offset,
                found,
                wanted,
            })
        };
        assert_eq!(entries("  [1]"), at(2, '[', "an object"));
        assert_eq!(entries(r#"{"a": 1} x"#), at(9, 'x', "the end of the text"));
        assert_eq!(
            entries(r#"{"a": 1 "b": 2}"#),
            at(8, '"', "a comma or the object's end")
        );
        assert_eq!(entries(r#"{"a": , "b": 2}"#), at(6, ',', "a value"));
        assert_eq!(entries(r#"{"a" 1}"#), at(5, '1', "a colon"));
        assert_eq!(entries(r#"{1: 1}"#), at(1, '1', "a key"));
        assert_eq!(entries(""), Err(ScanError::Truncated));
        assert!(is_object_at(b"x {", 1) && !is_object_at(b"[{}]", 0));
    }

    #[test]
    fn every_structural_byte_is_found_at_every_position() {
        for byte in 0..=255u8 {
            for position in 0..20 {
                let mut text = vec![b' '; 20];
                text[position] = byte;
                let expected = b"\"{}[]".contains(&byte).then_some(position);
                assert_eq!(next_structural(&text, 0), expected, "{byte} at {position}");
            }
        }
        let text = b"yY_\x7f 12 ,:]";
        assert_eq!(next_structural(text, 0), Some(text.len() - 1));
        assert_eq!(next_structural(text, text.len()), None);
    }

    #[test]
    fn deep_nesting_is_counted_not_recursed() {
        let deep = format!(r#"{{"a": {}{}}}"#, "[".repeat(200_000), "]".repeat(200_000));
        assert_eq!(entries(&deep).map(|(found, _)| found.len()), Ok(1));
    }
}
