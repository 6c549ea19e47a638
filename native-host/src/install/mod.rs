//! Installing, removing and checking the native-messaging host manifest per browser.

use std::process::ExitCode;

/// `install`, `uninstall` and `doctor` flags.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// `courier-host install`.
pub fn install(args: &Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("install is being built")
}

/// `courier-host uninstall`.
pub fn uninstall(args: &Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("uninstall is being built")
}

/// `courier-host doctor`.
pub fn doctor(args: &Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("doctor is being built")
}
