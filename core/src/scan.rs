//! A structural scan of JSON text: walking an object's entries, and passing over values
//! without building or checking them.
//!
//! Reading a GetProfile answer this way jumps over the large components Courier does not use
//! (sockets, reusable plugs, plug sets: most of the bytes) without parsing them: containers are
//! passed 64 bytes at a time as bit masks (with wasm's vector instructions in the extension's
//! build, 64-bit words elsewhere). Measured in wasm on the real 2021 profile, the whole read
//! took 3.0 ms when serde_json parsed those parts to ignore them, and 1.6 ms with this scan
//! (together with reading only each instance's primary stat). The values Courier reads are
//! parsed by serde_json where they start, which checks them fully. Depth is a counter, so deep
//! nesting cannot overflow the stack.

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
///
/// The text is read in blocks of 64 bytes, each as bit masks of its quotes, backslashes and
/// brackets ([`block_masks`]). In a block without backslashes, the bytes inside strings are
/// the prefix XOR of the quote mask, so the brackets outside strings are counted with a few
/// word operations, and only a block where the depth may come back to zero is walked bracket
/// by bracket. Blocks with escapes, and the last bytes, go through [`Walk::bytes`].
fn container_end(text: &[u8], start: usize) -> Result<usize, ScanError> {
    let mut walk = Walk::default();
    let rest = text.get(start..).ok_or(ScanError::Truncated)?;
    let (blocks, tail) = rest.as_chunks::<64>();
    let mut at = start;
    for block in blocks {
        let masks = block_masks(block);
        let end = if masks.backslashes != 0 || walk.escaped {
            walk.bytes(block)
        } else {
            walk.block(&masks)
        };
        if let Some(end) = end {
            return Ok(at + end);
        }
        at += 64;
    }
    walk.bytes(tail)
        .map(|end| at + end)
        .ok_or(ScanError::Truncated)
}

/// Where a walk through a container is.
#[derive(Default)]
struct Walk {
    /// Open brackets not closed yet.
    depth: usize,
    /// Inside a string.
    in_string: bool,
    /// The next byte is escaped.
    escaped: bool,
}

impl Walk {
    /// Walks `bytes` one by one; the offset just after the bracket that closes the container,
    /// if it is among them.
    fn bytes(&mut self, bytes: &[u8]) -> Option<usize> {
        for (index, byte) in bytes.iter().enumerate() {
            if self.escaped {
                self.escaped = false;
            } else if self.in_string {
                match byte {
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
            } else {
                match byte {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth = self.depth.saturating_sub(1);
                        if self.depth == 0 {
                            return Some(index + 1);
                        }
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// Walks a 64-byte block without backslashes through its masks, like [`Walk::bytes`].
    fn block(&mut self, masks: &Masks) -> Option<usize> {
        let inside = prefix_xor(masks.quotes) ^ if self.in_string { u64::MAX } else { 0 };
        self.in_string ^= masks.quotes.count_ones() % 2 == 1;
        let opens = masks.opens & !inside;
        let closes = masks.closes & !inside;
        let (opened, closed) = (opens.count_ones() as usize, closes.count_ones() as usize);
        if self.depth > closed {
            self.depth = self.depth + opened - closed;
            return None;
        }
        let mut brackets = opens | closes;
        while brackets != 0 {
            let index = brackets.trailing_zeros();
            if opens & (1 << index) != 0 {
                self.depth += 1;
            } else {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    return Some(index as usize + 1);
                }
            }
            brackets &= brackets - 1;
        }
        None
    }
}

/// Bit `i` of each mask is set when byte `i` of a 64-byte block is that kind of byte.
struct Masks {
    /// `"`.
    quotes: u64,
    /// `\`.
    backslashes: u64,
    /// `{` and `[`.
    opens: u64,
    /// `}` and `]`.
    closes: u64,
}

/// Bit `i` set when an odd number of bits at or below `i` are set in `bits`: with the quote
/// mask, the bytes from an opening quote up to (not including) its closing one.
fn prefix_xor(mut bits: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        bits ^= bits << shift;
    }
    bits
}

/// The masks of a block, sixteen bytes at a time with wasm's 128-bit vector instructions
/// (Chromium 91 and Firefox 89 onwards have them).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn block_masks(block: &[u8; 64]) -> Masks {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, u64x2, v128_or};
    /// The masks of sixteen bytes (given as two words), shifted to bit `16 * index`.
    /// Straight-line and always inlined: the module's build inlines little by default
    /// (.cargo/config.toml), and a call per lane would cost the scan its speed.
    #[inline(always)]
    fn lane(low: &[u8; 8], high: &[u8; 8], index: u32) -> Masks {
        let bytes = u64x2(u64::from_le_bytes(*low), u64::from_le_bytes(*high));
        // `[` and `]` are `{` and `}` with bit 0x20 clear.
        let folded = v128_or(bytes, u8x16_splat(0x20));
        let bits = |found| u64::from(u8x16_bitmask(found)) << (16 * index);
        Masks {
            quotes: bits(u8x16_eq(bytes, u8x16_splat(b'"'))),
            backslashes: bits(u8x16_eq(bytes, u8x16_splat(b'\\'))),
            opens: bits(u8x16_eq(folded, u8x16_splat(b'{'))),
            closes: bits(u8x16_eq(folded, u8x16_splat(b'}'))),
        }
    }
    let (words, _) = block.as_chunks::<8>();
    let [a, b, c, d] = [
        lane(&words[0], &words[1], 0),
        lane(&words[2], &words[3], 1),
        lane(&words[4], &words[5], 2),
        lane(&words[6], &words[7], 3),
    ];
    Masks {
        quotes: a.quotes | b.quotes | c.quotes | d.quotes,
        backslashes: a.backslashes | b.backslashes | c.backslashes | d.backslashes,
        opens: a.opens | b.opens | c.opens | d.opens,
        closes: a.closes | b.closes | c.closes | d.closes,
    }
}

/// The masks of a block, eight bytes at a time in a 64-bit word.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn block_masks(block: &[u8; 64]) -> Masks {
    const EVERY_BYTE: u64 = 0x0101_0101_0101_0101;
    let mut masks = Masks {
        quotes: 0,
        backslashes: 0,
        opens: 0,
        closes: 0,
    };
    let (words, _) = block.as_chunks::<8>();
    for (index, word) in words.iter().enumerate() {
        let word = u64::from_le_bytes(*word);
        let folded = word | (0x20 * EVERY_BYTE);
        let at = |byte: u8, among: u64| {
            zero_bytes(among ^ (u64::from(byte) * EVERY_BYTE)) << (8 * index)
        };
        masks.quotes |= at(b'"', word);
        masks.backslashes |= at(b'\\', word);
        masks.opens |= at(b'{', folded);
        masks.closes |= at(b'}', folded);
    }
    masks
}

/// One bit per zero byte of `word`, packed: bit `i` for byte `i`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn zero_bytes(word: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // 0x80 in exactly the bytes that are zero (no carry crosses a byte)...
    let high = !(((word & LOW_SEVEN) + LOW_SEVEN) | word | LOW_SEVEN);
    // ...and those eight bits gathered into the top byte by one multiplication.
    (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
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
    use proptest::prelude::*;

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

    /// JSON values whose strings are full of quotes, backslashes and brackets.
    fn tricky_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<i64>().prop_map(serde_json::Value::from),
            "[a-z{}\\[\\]\"\\\\ ]{0,90}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::btree_map("[a-z\\]\"]{0,6}", inner, 0..6)
                    .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn a_container_ends_where_its_text_does_at_any_offset(
            value in tricky_json(),
            padding in 0usize..130,
            pretty in proptest::bool::ANY,
        ) {
            let container = serde_json::json!([value, "]"]);
            let written = if pretty {
                serde_json::to_string_pretty(&container)
            } else {
                serde_json::to_string(&container)
            }
            .expect("JSON");
            let text = format!("{}{written} ,\"after\": [1]", " ".repeat(padding));
            proptest::prop_assert_eq!(
                skip_value(text.as_bytes(), padding),
                Ok(padding + written.len())
            );
        }
    }

    #[test]
    fn deep_nesting_is_counted_not_recursed() {
        let deep = format!(r#"{{"a": {}{}}}"#, "[".repeat(200_000), "]".repeat(200_000));
        assert_eq!(entries(&deep).map(|(found, _)| found.len()), Ok(1));
    }
}
