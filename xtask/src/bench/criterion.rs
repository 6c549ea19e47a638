//! courier-core's criterion benchmarks (`core/benches/hot_paths.rs`: profile ingest, planner,
//! search), run in release by `cargo bench` on the data in `target/bench/data/`, with their
//! results under `target/bench/criterion/`. Two rows come from them: `ingest_profile_native`
//! (MB/s) and `plan_time` (µs per intent); the search figure goes into `plan_time`'s notes.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::report::{Goal, Measurement, Spec};
use super::{Bench, bench_dir};
use crate::tools::{self, cargo};

/// The rows of [`measure`].
pub const ROWS: [Spec; 2] = [
    Spec {
        name: "ingest_profile_native",
        unit: "MB/s",
        goal: Goal::Report,
    },
    Spec {
        name: "plan_time",
        unit: "µs",
        goal: Goal::Report,
    },
];

/// What a benchmark processes per iteration, as criterion's `benchmark.json` has it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
enum Throughput {
    Bytes(u64),
    BytesDecimal(u64),
    Elements(u64),
}

/// The parts of `benchmark.json` read here.
#[derive(Debug, Deserialize)]
struct Benchmark {
    throughput: Option<Throughput>,
}

/// The parts of `estimates.json` read here.
#[derive(Debug, Deserialize)]
struct Estimates {
    median: Estimate,
}

#[derive(Debug, Deserialize)]
struct Estimate {
    /// Nanoseconds per iteration.
    point_estimate: f64,
}

/// One benchmark's result: the median time of an iteration and what an iteration processes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sampled {
    median_ns: f64,
    per_iteration: u64,
}

/// Runs the benchmarks and reads their rows.
pub fn measure(bench: &Bench) -> Result<Vec<Measurement>> {
    let home = bench_dir(&bench.root).join("criterion");
    let mut command = cargo();
    command
        .args(["bench", "-p", "courier-core", "--bench", "hot_paths", "--"])
        .env("COURIER_BENCH_DATA", &bench.data.dir)
        .env("CRITERION_HOME", &home)
        .current_dir(&bench.root);
    if let Some((warm_up, measurement)) = bench.repetitions.criterion {
        command
            .arg("--warm-up-time")
            .arg(warm_up.as_secs_f64().to_string())
            .arg("--measurement-time")
            .arg(measurement.as_secs_f64().to_string());
    }
    tools::run(&mut command)?;
    let ingest = read(&home, "ingest/profile")?;
    let planning = read(&home, "plan/intent")?;
    let search = read(&home, "search/query")?;
    let mb_per_s = ingest.per_iteration as f64 / (ingest.median_ns / 1e9) / 1e6;
    let per = |result: Sampled| result.median_ns / result.per_iteration as f64 / 1000.0;
    Ok(vec![
        ROWS[0].measured(mb_per_s, None).with_detail(format!(
            "criterion ingest/profile: courier-core's parse_profile over {}, median",
            bench.data.profile_source
        )),
        ROWS[1].measured(per(planning), None).with_detail(format!(
            "criterion plan/intent: each of {} move intents planned alone on the full demo account, making room allowed, median; search/query: {:.1} µs per query",
            planning.per_iteration,
            per(search)
        )),
    ])
}

/// The result of the benchmark `id` (`group/function`) under criterion's folder `home`.
fn read(home: &Path, id: &str) -> Result<Sampled> {
    let folder = home.join(id).join("new");
    let text = |name: &str| {
        let path = folder.join(name);
        fs::read_to_string(&path).with_context(|| {
            format!(
                "criterion wrote no {}; did the benchmark find its data?",
                path.display()
            )
        })
    };
    let estimates: Estimates = serde_json::from_str(&text("estimates.json")?)
        .with_context(|| format!("{id}: estimates.json is not criterion's"))?;
    let benchmark: Benchmark = serde_json::from_str(&text("benchmark.json")?)
        .with_context(|| format!("{id}: benchmark.json is not criterion's"))?;
    let per_iteration = match benchmark.throughput {
        Some(Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n)) => n,
        None => bail!("{id} has no throughput; core/benches/hot_paths.rs sets one for each"),
    };
    Ok(Sampled {
        median_ns: estimates.median.point_estimate,
        per_iteration: per_iteration.max(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criterion_results_are_read_with_their_throughput() {
        let home = tempfile::tempdir().expect("a temporary folder");
        let folder = home.path().join("plan/intent/new");
        fs::create_dir_all(&folder).expect("folders");
        fs::write(
            folder.join("estimates.json"),
            r#"{"mean":{"point_estimate":2.0},"median":{"confidence_interval":{},"point_estimate":1921509.0,"standard_error":4.0}}"#,
        )
        .expect("estimates");
        fs::write(
            folder.join("benchmark.json"),
            r#"{"group_id":"plan","function_id":"intent","throughput":{"Elements":631}}"#,
        )
        .expect("benchmark");
        assert_eq!(
            read(home.path(), "plan/intent").expect("readable"),
            Sampled {
                median_ns: 1921509.0,
                per_iteration: 631
            }
        );
        let err = read(home.path(), "ingest/profile").expect_err("missing");
        assert!(format!("{err:#}").contains("criterion wrote no"), "{err:#}");
    }
}
