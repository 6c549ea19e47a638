//! `cargo xtask test`: sets up, then runs every check and test, stopping at the first failure.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::demo::{self, DemoArgs};
use crate::packaging as dist;
use crate::setup;
use crate::tools::{self, cargo};

/// What one step does.
enum Action {
    /// A cargo command run in the repository root.
    Cargo(&'static [&'static str]),
    /// A task of this crate.
    Task(fn(&Path) -> Result<()>),
}

/// The steps, in order: cheap checks before slow ones.
const STEPS: &[(&str, Action)] = &[
    ("setup", Action::Task(setup::run)),
    ("format", Action::Cargo(&["fmt", "--all", "--", "--check"])),
    (
        "clippy",
        Action::Cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    ),
    ("cargo tests", Action::Cargo(&["test", "--workspace"])),
    (
        "wasm32 build",
        Action::Cargo(&[
            "build",
            "-p",
            "courier-core",
            "-p",
            "courier-wasm",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    ),
    ("core stays pure", Action::Task(core_dependencies)),
    ("windows check", Action::Task(windows_check)),
    ("wasm tests", Action::Task(wasm_tests)),
    ("dist", Action::Task(dist::run)),
    ("firefox lint", Action::Task(dist::lint_firefox)),
    ("extension unit tests", Action::Task(extension_unit_tests)),
    ("browser tests", Action::Task(browser_tests)),
    ("demo smoke", Action::Task(demo_smoke)),
];

/// Runs every step, printing a header and a time for each and a summary at the end.
pub fn run(root: &Path) -> Result<()> {
    let total = STEPS.len();
    let mut times = Vec::with_capacity(total);
    for (index, (name, action)) in STEPS.iter().enumerate() {
        println!("\n==> [{}/{total}] {name}", index + 1);
        let started = Instant::now();
        let outcome = match action {
            Action::Cargo(args) => tools::run(cargo().args(*args).current_dir(root)),
            Action::Task(task) => task(root),
        };
        let elapsed = started.elapsed();
        if let Err(err) = outcome {
            print_summary(&times);
            return Err(err).with_context(|| {
                format!(
                    "xtask test: step {}/{total} `{name}` failed after {}",
                    index + 1,
                    human_duration(elapsed)
                )
            });
        }
        println!("<== {name} passed in {}", human_duration(elapsed));
        times.push((*name, elapsed));
    }
    print_summary(&times);
    println!("xtask test: all {total} steps passed");
    Ok(())
}

/// Crates courier-core must never depend on: it is sans-I/O.
const FORBIDDEN_IN_CORE: [&str; 5] = ["tokio", "reqwest", "hyper", "mio", "async-std"];

/// Fails when courier-core's normal dependency tree holds an async runtime or HTTP client.
fn core_dependencies(root: &Path) -> Result<()> {
    let output = cargo()
        .args([
            "tree",
            "-p",
            "courier-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(root)
        .output()
        .context("cannot run cargo tree")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let found = forbidden_crates(&tree);
    anyhow::ensure!(
        found.is_empty(),
        "courier-core depends on {}: core must stay free of I/O",
        found.join(", ")
    );
    println!(
        "courier-core's dependency tree has none of {}",
        FORBIDDEN_IN_CORE.join(", ")
    );
    Ok(())
}

/// The forbidden crates named in `cargo tree --format {p}` output (`name vX.Y.Z ...` lines).
fn forbidden_crates(tree: &str) -> Vec<String> {
    let mut found: Vec<String> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FORBIDDEN_IN_CORE.contains(name))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// `cargo check -p courier-host --target x86_64-pc-windows-gnu`: the Windows build (registry
/// installer included) compiles. Skips when the MinGW-w64 compiler that ring's C code needs is
/// missing (setup installs it as root).
fn windows_check(root: &Path) -> Result<()> {
    if tools::probe(Command::new(setup::MINGW_GCC).arg("--version")).is_none() {
        println!(
            "skipped: {} is missing; run `cargo xtask setup` as root to install it",
            setup::MINGW_GCC
        );
        return Ok(());
    }
    tools::run(
        cargo()
            .args([
                "check",
                "-p",
                "courier-host",
                "--target",
                setup::WINDOWS_TARGET,
            ])
            .current_dir(root),
    )
}

/// The wasm facade's tests in Node (`wasm-pack test --node wasm`), with a courier-sim running
/// for the ones that fetch (they find it through `COURIER_SIM_URL` and `COURIER_SIM_API_KEY`).
fn wasm_tests(root: &Path) -> Result<()> {
    let sim = crate::sim::RunningSim::start(
        root,
        &crate::sim::SimOptions {
            throttle: Some("off".to_owned()),
            ..crate::sim::SimOptions::default()
        },
    )?;
    tools::run(
        Command::new("wasm-pack")
            .args(["test", "--node", "wasm"])
            .env("COURIER_SIM_URL", &sim.ready.http)
            .env("COURIER_SIM_API_KEY", &sim.ready.api_key)
            .current_dir(root),
    )
}

/// Runs the extension's unit tests in `tests/unit/` (fake `chrome`, fake core) with Node's
/// test runner.
fn extension_unit_tests(root: &Path) -> Result<()> {
    let tests_dir = root.join("tests");
    if !has_node_tests(&tests_dir.join("unit"))? {
        println!("skipped: no tests/unit/*.test.mjs yet");
        return Ok(());
    }
    tools::run(
        Command::new("node")
            .args(["--test", "unit/"])
            .current_dir(tests_dir),
    )
}

/// Runs the browser tests in `tests/e2e/` with Node's test runner, when there are any, after
/// building the binaries they start.
fn browser_tests(root: &Path) -> Result<()> {
    let tests_dir = root.join("tests");
    let e2e = tests_dir.join("e2e");
    let found = has_node_tests(&e2e)?;
    if !found {
        println!("skipped: no tests/e2e/*.test.mjs yet");
        return Ok(());
    }
    // The tests start these binaries from target/debug (the extension itself is the dist step's).
    tools::run(
        cargo()
            .args(["build", "-p", "courier-sim", "-p", "courier-host"])
            .current_dir(root),
    )?;
    tools::run(
        Command::new("node")
            .args(["--test", "e2e/"])
            .current_dir(tests_dir),
    )
}

/// Whether `dir` holds a `*.test.mjs` file (a missing folder holds none).
fn has_node_tests(dir: &Path) -> Result<bool> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err).with_context(|| format!("cannot list {}", dir.display())),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        if entry.file_name().to_string_lossy().ends_with(".test.mjs") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `cargo xtask demo --smoke`: the simulator binary starts and answers.
fn demo_smoke(root: &Path) -> Result<()> {
    demo::run(
        root,
        &DemoArgs {
            smoke: true,
            ..DemoArgs::default()
        },
    )
}

/// Prints each finished step with its time.
fn print_summary(times: &[(&str, Duration)]) {
    println!("\nstep times:");
    for (name, elapsed) in times {
        println!("  {name:<16} {:>8}", human_duration(*elapsed));
    }
    let total: Duration = times.iter().map(|(_, elapsed)| *elapsed).sum();
    println!("  {:<16} {:>8}", "total", human_duration(total));
}

/// `0.4s`, `12.3s` or `3m04s`.
fn human_duration(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1}s")
    } else {
        let whole = elapsed.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_seconds_then_minutes() {
        assert_eq!(human_duration(Duration::from_millis(400)), "0.4s");
        assert_eq!(human_duration(Duration::from_millis(12_345)), "12.3s");
        assert_eq!(human_duration(Duration::from_secs(184)), "3m04s");
    }

    #[test]
    fn forbidden_crates_are_named_once() {
        let tree = "courier-core v0.1.0 (/x)\nserde v1.0.0\ntokio v1.2.3\ntokio v1.2.3 (*)\nhyper-util v0.1.0\n";
        assert_eq!(forbidden_crates(tree), ["tokio"]);
        assert!(forbidden_crates("serde v1\nthiserror v2\n").is_empty());
    }

    #[test]
    fn node_tests_are_found_by_their_suffix_only() {
        let dir = std::env::temp_dir().join(format!("xtask-e2e-{}", std::process::id()));
        assert!(!has_node_tests(&dir).expect("a missing folder is empty"));
        std::fs::create_dir_all(&dir).expect("create a temporary folder");
        std::fs::write(dir.join("helpers.mjs"), "").expect("write a helper");
        let without = has_node_tests(&dir).expect("list the folder");
        std::fs::write(dir.join("popup.test.mjs"), "").expect("write a test");
        let with = has_node_tests(&dir).expect("list the folder");
        std::fs::remove_dir_all(&dir).expect("remove the temporary folder");
        assert!(!without, "helpers.mjs is not a test");
        assert!(with, "popup.test.mjs is a test");
    }
}
