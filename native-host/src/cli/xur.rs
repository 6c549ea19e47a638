//! `courier-host xur`.

use std::process::ExitCode;

/// Flags of `courier-host xur`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `courier-host xur`.
pub fn run(api_key: Option<String>, args: Args) -> anyhow::Result<ExitCode> {
    let _ = (api_key, args);
    anyhow::bail!("xur is being built")
}
