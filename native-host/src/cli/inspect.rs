//! `courier-host inspect`.

use std::process::ExitCode;

/// Flags of `courier-host inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `courier-host inspect`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("inspect is being built")
}
