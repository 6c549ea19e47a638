//! `courier-host profile`.

use std::process::ExitCode;

/// Flags of `courier-host profile`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `courier-host profile`.
pub fn run(api_key: Option<String>, args: Args) -> anyhow::Result<ExitCode> {
    let _ = (api_key, args);
    anyhow::bail!("profile is being built")
}
