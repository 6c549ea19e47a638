//! Tests of the item table read in chunks: for any way of splitting a file, the same
//! definitions as reading it whole, or an error naming the table when the file is not one
//! (never a panic).

use std::collections::HashMap;

use proptest::prelude::*;

use super::tests::item_table;
use super::{DefsError, ITEM_TABLE, ItemTableBuilder, parse_item_table};
use crate::model::ItemDef;

/// A table whose text holds what the scanner must not take for structure: braces, brackets
/// and commas in strings, escaped quotes and backslashes (one right before a closing quote),
/// `\u` escapes, multi-byte characters, nesting, and whitespace and newlines between entries.
fn tricky_table() -> Vec<u8> {
    concat!(
        " \r\n{\n",
        r#"  "1": {"displayProperties": {"name": "a } b ] c , d { e [", "icon": "\\\\server\\"},"#,
        r#" "itemTypeDisplayName": "say \"hi\", \u00e9t\u00e9 \ud83d\ude00","#,
        "\n    \"sockets\": [[{\"x\": [1, {\"y\": \"}}\"}]}], []], \"itemType\": 3},\n",
        "  \"2\" : { \"displayProperties\": { \"name\": \"Ünïcødé ★ 🚀 中文\" },",
        r#" "itemTypeDisplayName": "1/2\" pipe }, {" } ,"#,
        "\n",
        r#"  "3": {"equippingBlock": {"uniqueLabel": "\"quoted\\\""}, "redacted": false},"#,
        r#"  "4": {"displayProperties": {"name": "Hidden"}, "blacklisted": true},"#,
        "\t\"5\":{}\n}\n\t "
    )
    .as_bytes()
    .to_vec()
}

/// The definitions built from these chunks, pushed in order.
fn pushed<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Result<HashMap<u32, ItemDef>, DefsError> {
    let mut builder = ItemTableBuilder::new();
    for chunk in chunks {
        builder.push(chunk)?;
    }
    builder.finish()
}

/// `bytes` cut at these positions (in any order, repeats and positions past the end allowed),
/// so empty chunks are pushed too.
fn cut<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|&at| at.min(bytes.len())).collect();
    cuts.sort_unstable();
    let mut chunks = Vec::new();
    let mut from = 0;
    for at in cuts {
        chunks.push(&bytes[from..at]);
        from = at;
    }
    chunks.push(&bytes[from..]);
    chunks
}

#[test]
fn the_tricky_table_reads_as_its_strings_say() {
    let items = parse_item_table(&tricky_table()).expect("the tricky table is valid JSON");
    assert_eq!(items.len(), 4, "the blacklisted entity is left out");
    assert_eq!(items[&1].name, "a } b ] c , d { e [");
    assert_eq!(items[&1].icon, r"\\server\");
    assert_eq!(items[&1].type_name, "say \"hi\", été 😀");
    assert_eq!(items[&2].name, "Ünïcødé ★ 🚀 中文");
    assert_eq!(items[&2].type_name, "1/2\" pipe }, {");
    assert_eq!(items[&3].unique_label.as_deref(), Some("\"quoted\\\""));
}

#[test]
fn every_split_point_gives_what_the_whole_file_gives() {
    for table in [item_table(), tricky_table()] {
        let whole = parse_item_table(&table).expect("the table reads whole");
        for at in 0..=table.len() {
            assert_eq!(
                pushed(cut(&table, &[at])).as_ref(),
                Ok(&whole),
                "split at {at}"
            );
        }
    }
}

#[test]
fn every_chunk_size_gives_what_the_whole_file_gives() {
    let table = tricky_table();
    let whole = parse_item_table(&table).expect("the table reads whole");
    for size in 1..=table.len() {
        assert_eq!(
            pushed(table.chunks(size)).as_ref(),
            Ok(&whole),
            "chunks of {size}"
        );
    }
}

#[test]
fn an_empty_object_is_an_empty_table() {
    for text in ["{}", " \n{ \t}\r\n "] {
        for at in 0..=text.len() {
            assert_eq!(
                pushed(cut(text.as_bytes(), &[at])),
                Ok(HashMap::new()),
                "{text:?} split at {at}"
            );
        }
    }
}

/// Files that are not item tables, and a piece of the sentence each error should hold.
fn bad_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let table = item_table();
    let mut bad_utf8 = br#"{"1": {"displayProperties": {"name": "ab"}}}"#.to_vec();
    bad_utf8[39] = 0xff;
    let text = |text: &str| text.as_bytes().to_vec();
    vec![
        ("empty", Vec::new(), "empty or blank"),
        ("blank", text(" \n\t "), "empty or blank"),
        ("HTML", text("<html>503</html>"), "starts with `<`"),
        ("an array", text("[1, 2]"), "not a JSON object"),
        ("binary", vec![0x1f, 0x8b, 8, 0], "the byte 0x1f"),
        ("cut short", table[..table.len() / 2].to_vec(), "cut short"),
        (
            "cut before the last brace",
            table[..table.len() - 1].to_vec(),
            "cut short",
        ),
        (
            "a trailing comma",
            text(r#"{"1": {},}"#),
            "right after a comma",
        ),
        ("a lone comma", text("{,}"), "follows no entry"),
        (
            "two commas",
            text(r#"{"1": {}, , "2": {}}"#),
            "follows no entry",
        ),
        ("closed by a bracket", text(r#"{"1": {}]"#), "`]`"),
        (
            "trailing text",
            text(r#"{"1": {}} and more"#),
            "`a` follows",
        ),
        ("two objects", text("{} {}"), "follows the end"),
        (
            "an unclosed string",
            text(r#"{"1": {"displayProperties": {"name": "a}}}"#),
            "cut short",
        ),
        (
            "a key that is no hash",
            text(r#"{"1": {}, "x": {}}"#),
            "counting from byte",
        ),
        (
            "a key beyond u32",
            text(r#"{"99999999999": {}}"#),
            "counting from byte",
        ),
        ("a missing colon", text(r#"{"1" {}}"#), "counting from byte"),
        (
            "a missing comma",
            text(r#"{"1": {} "2": {}}"#),
            "counting from byte",
        ),
        (
            "a name that is a number",
            text(r#"{"1": {"displayProperties": {"name": 5}}}"#),
            "expected",
        ),
        (
            "a bad escape",
            text(r#"{"1": {"displayProperties": {"name": "\q"}}}"#),
            "escape",
        ),
        ("invalid UTF-8 in a name", bad_utf8, "invalid unicode"),
    ]
}

#[test]
fn bad_files_are_errors_naming_the_table_wherever_they_are_split() {
    for (what, bytes, says) in bad_files() {
        assert!(parse_item_table(&bytes).is_err(), "{what}: whole, too");
        for at in 0..=bytes.len() {
            match pushed(cut(&bytes, &[at])) {
                Err(error @ DefsError::Table { table, .. }) => {
                    assert_eq!(table, ITEM_TABLE, "{what}");
                    let message = error.to_string();
                    assert!(message.contains(says), "{what}, split at {at}: {message}");
                    assert!(message.contains("download it again"), "{message}");
                }
                other => panic!("{what}, split at {at}: expected a table error, got {other:?}"),
            }
        }
    }
}

#[test]
fn errors_give_their_place_in_the_file() {
    let error = |bytes: &[u8], chunk: usize| {
        pushed(bytes.chunks(chunk))
            .expect_err("a bad file")
            .to_string()
    };
    let late_bad_key = br#"{"1": {}, "2": {}, "x": {}}"#;
    assert!(
        error(late_bad_key, 12).contains("counting from byte 17 of the file"),
        "{}",
        error(late_bad_key, 12)
    );
    assert!(error(b"  [", 1).contains("at byte 2"));
    assert!(error(br#"{"1": {}} x"#, 4).contains("at byte 10"));
    assert!(error(br#"{"1": {"#, 3).contains("after 7 bytes"));
}

#[test]
fn an_error_ends_the_build() {
    let mut builder = ItemTableBuilder::new();
    let first = builder.push(b"[").expect_err("not an object");
    assert_eq!(builder.push(b"{}"), Err(first.clone()), "later chunks");
    assert_eq!(builder.finish(), Err(first));

    let mut builder = ItemTableBuilder::new();
    builder.push(br#"{"1": {}, "#).expect("a good start");
    let bad = builder
        .push(br#""x": {}, "2": {}}"#)
        .expect_err("a bad key");
    assert_eq!(builder.finish(), Err(bad));
}

proptest! {
    #[test]
    fn any_cuts_give_what_the_whole_file_gives(
        cuts in proptest::collection::vec(0..2_000_usize, 0..12),
    ) {
        for table in [item_table(), tricky_table()] {
            let whole = parse_item_table(&table).expect("the table reads whole");
            prop_assert_eq!(pushed(cut(&table, &cuts)), Ok(whole));
        }
    }

    /// A byte of the tricky table overwritten (often breaking it): read in chunks it is an
    /// error exactly when it is one read whole, and the same definitions otherwise.
    #[test]
    fn a_damaged_table_reads_as_it_does_whole(
        at in 0..2_000_usize,
        byte in prop::sample::select(b"{}[]\",:\\ x0\n\xc3".to_vec()),
        cuts in proptest::collection::vec(0..2_000_usize, 0..6),
    ) {
        let mut table = tricky_table();
        let at = at % table.len();
        table[at] = byte;
        let whole = parse_item_table(&table);
        let chunked = pushed(cut(&table, &cuts));
        match (whole, chunked) {
            (Ok(whole), Ok(chunked)) => prop_assert_eq!(whole, chunked),
            (Err(_), Err(DefsError::Table { table, .. })) => prop_assert_eq!(table, ITEM_TABLE),
            (whole, chunked) => prop_assert!(false, "whole {:?}, in chunks {:?}", whole, chunked),
        }
    }

    #[test]
    fn json_like_text_in_chunks_reads_as_it_does_whole(
        text in r#"[\[\]{}":,0-9a-z\\ ]{0,120}"#,
        cuts in proptest::collection::vec(0..120_usize, 0..6),
    ) {
        let whole = parse_item_table(text.as_bytes());
        let chunked = pushed(cut(text.as_bytes(), &cuts));
        prop_assert_eq!(
            whole.is_ok(),
            chunked.is_ok(),
            "whole {:?}, in chunks {:?}",
            whole,
            chunked
        );
        if let (Ok(whole), Ok(chunked)) = (whole, chunked) {
            prop_assert_eq!(whole, chunked);
        }
    }

    #[test]
    fn arbitrary_bytes_in_chunks_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
        cuts in proptest::collection::vec(0..512_usize, 0..6),
    ) {
        let _ = pushed(cut(&bytes, &cuts));
    }
}
