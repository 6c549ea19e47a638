//! `cargo xtask`: Courier's developer tasks, written in Rust so they run wherever cargo does.
//!
//! `cargo xtask dist` builds the extension; `cargo xtask install` also installs the native host;
//! `cargo xtask demo` starts the simulator with the demo world and a browser with Courier loaded;
//! `cargo xtask test` installs what is missing and runs every check and test; `cargo xtask setup`
//! only installs; `cargo xtask bench` runs the benchmarks and writes `target/bench/report.json`.

mod bench;
mod demo;
mod http;
mod install;
mod lockfile;
mod packaging;
mod setup;
mod sim;
mod test;
mod tools;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Courier's developer tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about)]
struct Cli {
    /// The task to run.
    #[command(subcommand)]
    task: Task,
}

/// The tasks.
#[derive(Debug, Subcommand)]
enum Task {
    /// Install what building and testing need (wasm32 and Windows targets, wasm-bindgen CLI,
    /// wasm-pack, npm packages, Chromium and MinGW-w64 as root), skipping what is already there.
    Setup,
    /// Set up, then run formatting, clippy, every test, the wasm32 build, the browser tests and
    /// the demo smoke check, stopping at the first failure.
    Test,
    /// Build the extension: dist/extension/ (Chromium family), dist/extension-firefox/ and a
    /// zip of each, with the API key from COURIER_API_KEY (else the sandbox's) baked in.
    Dist,
    /// Build, install the native host for the browsers found, and say how to load the extension.
    Install(install::InstallArgs),
    /// Build everything, start the simulator with the demo world and a browser with Courier
    /// loaded against it (headed where there is a display; Ctrl-C stops it).
    Demo(demo::DemoArgs),
    /// Run the benchmarks against their baselines, print the table and write
    /// target/bench/report.json (goals are reported, never enforced).
    Bench {
        /// Fewer repetitions (under 3 minutes once built).
        #[arg(long)]
        quick: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = tools::repo_root();
    let outcome = match &cli.task {
        Task::Setup => setup::run(&root),
        Task::Test => test::run(&root),
        Task::Dist => packaging::run(&root),
        Task::Install(args) => install::run(&root, args),
        Task::Demo(args) => demo::run(&root, args),
        Task::Bench { quick } => bench::run(&root, *quick),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn demo_flags_reach_the_simulator_options() {
        let cli = Cli::try_parse_from([
            "xtask",
            "demo",
            "--seed",
            "7",
            "--latency",
            "20",
            "--faults",
            "html=0.5",
            "--throttle",
            "off",
            "--smoke",
        ])
        .expect("valid demo flags");
        let Task::Demo(args) = cli.task else {
            panic!("parsed as {:?}", cli.task);
        };
        assert!(args.smoke);
        assert_eq!(args.sim.seed, Some(7));
        assert_eq!(args.sim.latency, Some(20));
        assert_eq!(args.sim.faults.as_deref(), Some("html=0.5"));
        assert_eq!(args.sim.throttle.as_deref(), Some("off"));
    }

    #[test]
    fn bench_takes_quick() {
        for (args, quick) in [
            (&["xtask", "bench"][..], false),
            (&["xtask", "bench", "--quick"], true),
        ] {
            let cli = Cli::try_parse_from(args).expect("valid bench flags");
            assert!(
                matches!(cli.task, Task::Bench { quick: q } if q == quick),
                "{args:?}"
            );
        }
        assert!(Cli::try_parse_from(["xtask", "bench", "--fast"]).is_err());
    }

    #[test]
    fn bad_demo_flags_are_refused() {
        assert!(Cli::try_parse_from(["xtask", "demo", "--throttle", "sometimes"]).is_err());
        assert!(Cli::try_parse_from(["xtask", "demo", "--seed", "-1"]).is_err());
        assert!(Cli::try_parse_from(["xtask", "demo", "--latency", "fast"]).is_err());
    }
}
