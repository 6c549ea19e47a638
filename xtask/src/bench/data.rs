//! The data files the benchmarks read, in `target/bench/data/`: the profile to ingest (the real
//! one in `../shared/real-data/` when it is there, else the demo world's GetProfile answer),
//! the demo world's answer and definition tables (saved by `courier-bench demo-data`), and the
//! synthetic DestinyInventoryItemDefinition table that `courier-sim gen-items` writes.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use super::build::Built;
use super::{bench_dir, json_output};
use crate::tools::describe;

/// The real profile, relative to the repository root.
const REAL_PROFILE: &str = "../shared/real-data/profile-2021-05-28.json";
/// How many definitions the synthetic table holds.
pub const TABLE_DEFINITIONS: u32 = 25_000;
/// The seed it is made from.
const TABLE_SEED: u64 = 7;

/// Where the data is.
#[derive(Debug, Clone)]
pub struct Data {
    /// The folder (criterion's benches read it through `COURIER_BENCH_DATA`).
    pub dir: PathBuf,
    /// The profile to ingest (`profile.json` in the folder).
    pub profile: PathBuf,
    /// Where that profile came from, for the notes.
    pub profile_source: String,
    /// The demo world's bucket definitions.
    pub demo_buckets: PathBuf,
    /// The synthetic item definitions table.
    pub item_table: PathBuf,
}

/// Writes every data file.
pub fn prepare(root: &Path, built: &Built) -> Result<Data> {
    let dir = bench_dir(root).join("data");
    let _: serde_json::Value = json_output(
        Command::new(&built.bench)
            .args(["demo-data", "--out"])
            .arg(&dir),
    )?;
    let real = root.join(REAL_PROFILE);
    let (source, profile_source) = if real.exists() {
        (real, format!("{REAL_PROFILE} (a real account)"))
    } else {
        (
            dir.join("demo-profile.json"),
            "the demo world's GetProfile answer (../shared is absent)".to_owned(),
        )
    };
    let profile = dir.join("profile.json");
    let bytes = fs::read(&source).with_context(|| format!("cannot read {}", source.display()))?;
    fs::write(&profile, bytes).with_context(|| format!("cannot write {}", profile.display()))?;
    let item_table = dir.join(format!("items-{TABLE_DEFINITIONS}.json"));
    generate_table(&built.sim, &item_table)?;
    Ok(Data {
        demo_buckets: dir.join("demo-buckets.json"),
        dir,
        profile,
        profile_source,
        item_table,
    })
}

/// `courier-sim gen-items --count N --seed S > path`.
fn generate_table(sim: &Path, path: &Path) -> Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut command = Command::new(sim);
    command
        .args(["gen-items", "--count", &TABLE_DEFINITIONS.to_string()])
        .args(["--seed", &TABLE_SEED.to_string()])
        .stdout(Stdio::from(file));
    let line = describe(&command);
    println!("  $ {line} > {}", path.display());
    let status = command
        .status()
        .map_err(|error| crate::tools::start_error(&line, &error))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}
