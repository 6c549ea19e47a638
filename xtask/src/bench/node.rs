//! The rows measured in Node against the wasm core built for it (`tests/bench/*.mjs`):
//! `ingest_profile` (the wasm core's `parseProfile` against `JSON.parse` of the same text, in one
//! process) and `manifest_table` with `manifest_table_memory` (a `DefinitionsBuilder` fed the
//! synthetic 25,000-definition table in the pieces `fetchDefinitions` feeds it, against
//! `JSON.parse` of it, each in its own process).

use std::path::Path;
use std::process::Command;

use anyhow::Result;
use serde::Deserialize;

use super::data::TABLE_DEFINITIONS;
use super::report::{Goal, Measurement, Spec};
use super::{Bench, json_output};

/// The row of [`ingest`].
pub const INGEST_ROWS: [Spec; 1] = [Spec {
    name: "ingest_profile",
    unit: "ms",
    goal: Goal::RatioAtMost(0.5),
}];

/// The rows of [`manifest`].
pub const MANIFEST_ROWS: [Spec; 2] = [
    Spec {
        name: "manifest_table",
        unit: "ms",
        goal: Goal::RatioAtMost(1.0),
    },
    Spec {
        name: "manifest_table_memory",
        unit: "MB",
        goal: Goal::RatioAtMost(0.25),
    },
];

/// What `ingest-profile.mjs` prints.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ingested {
    runs: usize,
    bytes: usize,
    items: usize,
    wasm_ms: f64,
    json_parse_ms: f64,
}

/// What `manifest-table.mjs` prints (the piece and cache sizes only for the wasm core).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Built {
    runs: usize,
    bytes: usize,
    median_ms: f64,
    memory_bytes: f64,
    #[serde(default)]
    piece_bytes: usize,
    #[serde(default)]
    cache_bytes: usize,
}

/// A benchmark script of `tests/bench/`, run by node from that folder.
fn script(root: &Path, name: &str) -> Command {
    let mut command = Command::new("node");
    command
        .arg("--expose-gc")
        .arg(name)
        .current_dir(root.join("tests").join("bench"));
    command
}

/// `ingest_profile`.
pub fn ingest(bench: &Bench) -> Result<Vec<Measurement>> {
    let measured: Ingested = json_output(
        script(&bench.root, "ingest-profile.mjs")
            .arg(&bench.built.node_pkg)
            .arg(&bench.data.profile)
            .arg(bench.repetitions.ingest.to_string()),
    )?;
    let detail = format!(
        "median of {} runs of the wasm core's parseProfile over {} ({:.2} MB, {} items) vs JSON.parse of the same text in the same Node process",
        measured.runs,
        bench.data.profile_source,
        measured.bytes as f64 / 1e6,
        measured.items
    );
    Ok(vec![
        INGEST_ROWS[0]
            .measured(measured.wasm_ms, Some(measured.json_parse_ms))
            .with_detail(detail),
    ])
}

/// `manifest_table` and `manifest_table_memory`.
pub fn manifest(bench: &Bench) -> Result<Vec<Measurement>> {
    let runs = bench.repetitions.manifest.to_string();
    let table = &bench.data.item_table;
    let wasm: Built = json_output(
        script(&bench.root, "manifest-table.mjs")
            .arg("wasm")
            .arg(&bench.built.node_pkg)
            .arg(table)
            .arg(&bench.data.demo_buckets)
            .arg(&runs),
    )?;
    let parsed: Built = json_output(
        script(&bench.root, "manifest-table.mjs")
            .args(["json-parse", "-"])
            .arg(table)
            .args(["-", &runs]),
    )?;
    let file = format!(
        "a synthetic DestinyInventoryItemDefinition table of {TABLE_DEFINITIONS} definitions ({:.1} MB, courier-sim gen-items)",
        wasm.bytes as f64 / 1e6
    );
    let mb = |bytes: f64| bytes / 1e6;
    let fed = format!(
        "a DefinitionsBuilder fed the file in {} KiB pieces, as fetchDefinitions feeds it a download, then finished",
        wasm.piece_bytes / 1024
    );
    let cache = format!("{:.2} MB of cache bytes", mb(wasm.cache_bytes as f64));
    Ok(vec![
        MANIFEST_ROWS[0]
            .measured(wasm.median_ms, Some(parsed.median_ms))
            .with_detail(format!(
                "median of {} runs of the wasm core ({fed} into the definitions and their {cache}) on {file} vs JSON.parse of it in Node",
                wasm.runs
            )),
        MANIFEST_ROWS[1]
            .measured(mb(wasm.memory_bytes), Some(mb(parsed.memory_bytes)))
            .with_detail(format!(
                "the wasm core's linear memory growth with {fed} (one piece at a time, the unfinished entry, the definitions, their {cache}) plus the growth of the JS heap and ArrayBuffers (the cache bytes handed back), vs the same JS growth for JSON.parse with its tree alive; each in a fresh process, the file already in memory"
            )),
    ])
}
