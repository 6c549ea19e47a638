//! Criterion benchmarks of courier-core's hot paths: building the inventory from a GetProfile
//! answer (`ingest/profile`, in bytes per second), planning one intent on a full account
//! (`plan/intent`, per intent) and running searches over it (`search/query`, per query).
//!
//! They read their data from `COURIER_BENCH_DATA` (default `target/bench/data/`), which
//! `cargo xtask bench` fills: `profile.json` (the profile the Node benchmark reads too) and the
//! demo world's `demo-profile.json`, `demo-items.json` and `demo-buckets.json`. A benchmark
//! whose files are missing says so and is left out.

use std::hint::black_box;
use std::path::PathBuf;
use std::{env, fs};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use courier_core::inventory::parse_profile;
use courier_core::model::{ClassType, Definitions, Inventory, Location};
use courier_core::plan::{Destination, Intent, ItemRef, MakeRoom, PlanOptions, plan};
use courier_core::search::{self, Context, Query};

/// Searches a player might type, from simple to compound.
const QUERIES: [&str; 6] = [
    "is:weapon",
    "is:weapon is:exotic -is:locked power:>1800",
    "is:armor is:titan tier:legendary",
    "is:invault or is:inpostmaster",
    "name:\"the\" or is:kinetic",
    "not (is:equipped or is:locked) (is:helmet or is:chest)",
];

/// The folder `cargo xtask bench` writes the benchmarks' data to.
fn data_dir() -> PathBuf {
    env::var_os("COURIER_BENCH_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench/data"),
        PathBuf::from,
    )
}

/// The bytes of a data file, or `None` (with a note saying how to make it) when it is missing.
fn data(name: &str) -> Option<Vec<u8>> {
    let path = data_dir().join(name);
    match fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            eprintln!(
                "skipped: cannot read {} ({error}); `cargo xtask bench` writes it",
                path.display()
            );
            None
        }
    }
}

/// The demo account with its definitions, when `cargo xtask bench` saved them.
fn demo_account() -> Option<(Inventory, Definitions)> {
    let inventory = parse_profile(&data("demo-profile.json")?).ok()?;
    let definitions =
        Definitions::from_tables(&data("demo-items.json")?, &data("demo-buckets.json")?).ok()?;
    Some((inventory, definitions))
}

fn ingest(c: &mut Criterion) {
    let Some(bytes) = data("profile.json") else {
        return;
    };
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("profile", |b| b.iter(|| parse_profile(black_box(&bytes))));
    group.finish();
}

/// One intent per unequipped instanced item, as a player sends them: weapons to the next
/// character, other gear to the vault, vault items to the first character who may use them.
fn intents(inventory: &Inventory, definitions: &Definitions) -> Vec<Intent> {
    let characters: Vec<_> = inventory.characters.iter().map(|c| c.id).collect();
    let class_of = |hash| {
        definitions
            .item(hash)
            .map_or(ClassType::Any, |d| d.class_type)
    };
    inventory
        .items
        .iter()
        .filter(|item| !item.equipped)
        .filter_map(|item| {
            let id = item.instance_id?;
            let to = match item.location {
                Location::Character(holder) if class_of(item.hash) == ClassType::Any => {
                    let next = characters.iter().position(|c| *c == holder)? + 1;
                    Destination::Character(characters[next % characters.len()])
                }
                Location::Character(_) => Destination::Vault,
                Location::Vault => Destination::Character(
                    *inventory
                        .characters
                        .iter()
                        .find(|c| class_of(item.hash).allows(c.class_type))
                        .map(|c| &c.id)?,
                ),
                Location::Account | Location::Postmaster(_) => return None,
            };
            Some(Intent::Move {
                item: ItemRef::Instance { id },
                to,
                amount: None,
                equip: false,
            })
        })
        .collect()
}

fn planner(c: &mut Criterion) {
    let Some((inventory, definitions)) = demo_account() else {
        return;
    };
    let intents = intents(&inventory, &definitions);
    let options = PlanOptions {
        make_room: MakeRoom::Allowed,
        ..PlanOptions::default()
    };
    let mut group = c.benchmark_group("plan");
    group.throughput(Throughput::Elements(intents.len() as u64));
    group.bench_function("intent", |b| {
        b.iter(|| {
            for intent in &intents {
                black_box(plan(
                    &inventory,
                    &definitions,
                    std::slice::from_ref(intent),
                    &options,
                ));
            }
        });
    });
    group.finish();
}

fn searches(c: &mut Criterion) {
    let Some((inventory, definitions)) = demo_account() else {
        return;
    };
    let context = Context {
        inventory: &inventory,
        definitions: &definitions,
    };
    let mut group = c.benchmark_group("search");
    group.throughput(Throughput::Elements(QUERIES.len() as u64));
    group.bench_function("query", |b| {
        b.iter(|| {
            for text in QUERIES {
                let query = Query::parse(black_box(text)).expect("the benchmark's queries parse");
                black_box(search::filter(query, &context));
            }
        });
    });
    group.finish();
}

criterion_group!(hot_paths, ingest, planner, searches);
criterion_main!(hot_paths);
