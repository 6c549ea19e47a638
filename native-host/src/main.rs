//! courier-host: Courier's native-messaging helper and command-line tool.
//!
//! Started by a browser with `chrome-extension://ID/` (Chromium family) or a manifest path and
//! an add-on id (Firefox) it speaks native messaging on stdin/stdout. Otherwise it is a CLI:
//! sign in through PlayStation Network, read the profile, move, equip, lock, collect the
//! postmaster, check Xur, and install its own host manifest for each browser.

mod cli;
mod config;
mod driver;
mod install;
mod logging;
mod messaging;
mod psn;
mod session;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Courier's native helper: PSN sign-in, item moves from a shell, and browser setup.
#[derive(Debug, Parser)]
#[command(name = "courier-host", version, about)]
struct Cli {
    /// The bungie.net API key (else `COURIER_API_KEY`, else the config file, else the sandbox key).
    #[arg(long, global = true, env = "COURIER_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the native-messaging host manifest for each browser.
    Install(install::Args),
    /// Remove exactly what `install` wrote.
    Uninstall(install::Args),
    /// Check, per browser, that the host manifest is there and right.
    Doctor(install::Args),
    /// Sign in through PlayStation Network.
    Login(cli::login::Args),
    /// Show the characters and what they carry.
    Profile(cli::profile::Args),
    /// Move every item a search matches.
    Move(cli::items::MoveArgs),
    /// Equip the item a search matches.
    Equip(cli::items::EquipArgs),
    /// Lock the items a search matches.
    Lock(cli::items::QueryArgs),
    /// Unlock the items a search matches.
    Unlock(cli::items::QueryArgs),
    /// Pull everything from a character's postmaster.
    Postmaster(cli::items::PostmasterArgs),
    /// Show Xur's stock, or mail it.
    Xur(cli::xur::Args),
    /// Read saved bungie.net answers offline.
    Inspect(cli::inspect::Args),
}

fn main() -> ExitCode {
    if let Some(launch) = messaging::launch_from_args(std::env::args_os()) {
        return messaging::serve(launch);
    }
    let cli = Cli::parse();
    logging::init("warn");
    let api_key = cli.api_key;
    let result = match cli.command {
        Command::Install(args) => install::install(&args),
        Command::Uninstall(args) => install::uninstall(&args),
        Command::Doctor(args) => install::doctor(&args),
        Command::Login(args) => cli::login::run(api_key, args),
        Command::Profile(args) => cli::profile::run(api_key, args),
        Command::Move(args) => cli::items::move_items(api_key, args),
        Command::Equip(args) => cli::items::equip(api_key, args),
        Command::Lock(args) => cli::items::lock(api_key, args, true),
        Command::Unlock(args) => cli::items::lock(api_key, args, false),
        Command::Postmaster(args) => cli::items::postmaster(api_key, args),
        Command::Xur(args) => cli::xur::run(api_key, args),
        Command::Inspect(args) => cli::inspect::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("courier-host: {error:#}");
            ExitCode::FAILURE
        }
    }
}
