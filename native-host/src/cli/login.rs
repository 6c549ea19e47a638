//! `courier-host login`.

use std::process::ExitCode;

/// Flags of `courier-host login`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `courier-host login`.
pub fn run(api_key: Option<String>, args: Args) -> anyhow::Result<ExitCode> {
    let _ = (api_key, args);
    anyhow::bail!("login is being built")
}
