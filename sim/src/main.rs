//! `courier-sim serve`: runs the simulator until interrupted. When ready it prints exactly one
//! JSON line on stdout (`{"http":…,"https":…,"api_key":…}`); logs go to stderr.
//!
//! `courier-sim gen-items --count N --seed N`: writes a synthetic DestinyInventoryItemDefinition
//! table of N realistic definitions (about 2 KB each) to stdout, for benchmarks.

use std::io::{self, BufWriter, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use courier_sim::{FaultRates, OAuthClient, Sim, SimConfig, ThrottleMode, WorldSource};

/// A faithful local bungie.net and Sony sign-in.
#[derive(Debug, Parser)]
#[command(name = "courier-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the simulator until interrupted.
    Serve(Box<ServeArgs>),
    /// Write a synthetic DestinyInventoryItemDefinition table to stdout.
    GenItems(GenItemsArgs),
}

#[derive(Debug, clap::Args)]
struct GenItemsArgs {
    /// How many definitions to write.
    #[arg(long, default_value_t = 25_000, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    count: u32,
    /// Seed for the definitions (same seed, same bytes).
    #[arg(long, default_value_t = 0, value_name = "N")]
    seed: u64,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Plain HTTP listener (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    http: SocketAddr,
    /// HTTPS listener with a self-signed certificate for www.bungie.net and Sony's host.
    #[arg(long, value_name = "ADDR")]
    https: Option<SocketAddr>,
    /// The API key to accept.
    #[arg(long, default_value = courier_sim::DEFAULT_API_KEY, value_name = "KEY")]
    api_key: String,
    /// `demo`, or a saved GetProfile envelope to serve as the account.
    #[arg(long, default_value = "demo", value_name = "demo|FILE")]
    world: WorldSource,
    /// The origin to write into bungie.net redirects (default: the request's own).
    #[arg(long, value_name = "URL")]
    bungie_origin: Option<String>,
    /// The origin to write into Sony redirects (default: the request's own).
    #[arg(long, value_name = "URL")]
    psn_origin: Option<String>,
    /// Seed for the demo world and random faults.
    #[arg(long, default_value_t = 0, value_name = "N")]
    seed: u64,
    /// Delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency: u64,
    /// Random faults, e.g. `throttle=0.05,game_server_throttle=0.02,server_error=0.02,html=0.01,drop=0.01,stale=0.1`.
    #[arg(long, default_value = "none", value_name = "SPEC")]
    faults: FaultRates,
    /// Whether bungie.net's action throttles apply.
    #[arg(long, value_enum, default_value = "strict")]
    throttle: ThrottleMode,
    /// An OAuth client allowed to sign in (repeatable).
    #[arg(long = "oauth-client", value_name = "ID:SECRET:REDIRECT")]
    oauth_clients: Vec<OAuthClient>,
}

impl From<ServeArgs> for SimConfig {
    fn from(args: ServeArgs) -> Self {
        SimConfig {
            http: Some(args.http),
            https: args.https,
            api_key: args.api_key,
            world: args.world,
            bungie_origin: args.bungie_origin,
            psn_origin: args.psn_origin,
            seed: args.seed,
            latency: Duration::from_millis(args.latency),
            faults: args.faults,
            throttle: args.throttle,
            oauth_clients: args.oauth_clients,
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve(args) => serve(*args),
        Command::GenItems(args) => gen_items(&args),
    }
}

/// Writes the synthetic table to stdout.
fn gen_items(args: &GenItemsArgs) -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    let written =
        courier_sim::world::synthetic::write_item_table(args.count as usize, args.seed, &mut out)
            .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("courier-sim: cannot write the table to stdout: {error}");
            ExitCode::from(1)
        }
    }
}

#[tokio::main]
async fn serve(args: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let sim = match Sim::start(args.into()).await {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("courier-sim: {error}");
            return ExitCode::from(1);
        }
    };
    println!("{}", sim.ready_line());
    tracing::info!(ready = %sim.ready_line(), "courier-sim ready");
    match tokio::signal::ctrl_c().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("courier-sim: cannot wait for Ctrl-C: {error}");
            ExitCode::from(1)
        }
    }
}
