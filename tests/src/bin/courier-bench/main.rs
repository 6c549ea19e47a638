//! courier-bench: the native measurements of `cargo xtask bench`, built in release. Each
//! subcommand prints one JSON object on stdout with what it measured; `cargo xtask bench` turns
//! them into rows of its table.
//!
//! - `transfers --moves N`: N character-to-character moves run by courier-core's executor
//!   against courier-sim with bungie.net's throttles on ([`transfers`]).
//! - `plan-optimality --cases N --seed S`: the planner against an exhaustive search on random
//!   small inventories with full buckets ([`optimality`]).
//! - `demo-data --out DIR`: the demo world's GetProfile answer and definition tables, as files
//!   the other benchmarks read ([`demo_data`]).

mod demo_data;
mod optimality;
mod transfers;

use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;

/// Courier's native benchmarks.
#[derive(Debug, Parser)]
#[command(name = "courier-bench", about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Time character-to-character moves against courier-sim with strict throttles.
    Transfers {
        /// How many moves (two TransferItem actions each).
        #[arg(long, default_value_t = 50)]
        moves: usize,
    },
    /// Compare the planner's plans with the fewest actions on random small inventories.
    PlanOptimality {
        /// How many inventories.
        #[arg(long, default_value_t = 1_000)]
        cases: usize,
        /// Seed for the inventories.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Save the demo world's GetProfile answer and definition tables into a folder.
    DemoData {
        /// The folder to write into.
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let printed = match Cli::parse().command {
        Command::Transfers { moves } => block_on(transfers::run(moves)).and_then(|m| print(&m)),
        Command::PlanOptimality { cases, seed } => print(&optimality::run(cases, seed)),
        Command::DemoData { out } => block_on(demo_data::save(&out)).and_then(|w| print(&w)),
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("courier-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `future` on a tokio runtime (the simulator and the HTTP client need one).
fn block_on<T>(future: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Runtime::new()?.block_on(future)
}

/// Prints what was measured as one line of JSON.
fn print(measured: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(measured)?);
    Ok(())
}
