//! `courier-host move`, `equip`, `lock`, `unlock` and `postmaster`: plan with courier-core,
//! show the plan, run it, report.

use std::process::ExitCode;

/// Flags of `move`.
#[derive(Debug, clap::Args)]
pub struct MoveArgs {}

/// Flags of `equip`.
#[derive(Debug, clap::Args)]
pub struct EquipArgs {}

/// Flags of `lock` and `unlock`.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {}

/// Flags of `postmaster`.
#[derive(Debug, clap::Args)]
pub struct PostmasterArgs {}

/// `courier-host move`.
pub fn move_items(api_key: Option<String>, args: MoveArgs) -> anyhow::Result<ExitCode> {
    let _ = (api_key, args);
    anyhow::bail!("move is being built")
}

/// `courier-host equip`.
pub fn equip(api_key: Option<String>, args: EquipArgs) -> anyhow::Result<ExitCode> {
    let _ = (api_key, args);
    anyhow::bail!("equip is being built")
}

/// `courier-host lock` / `unlock`.
pub fn lock(api_key: Option<String>, args: QueryArgs, locked: bool) -> anyhow::Result<ExitCode> {
    let _ = (api_key, args, locked);
    anyhow::bail!("lock is being built")
}

/// `courier-host postmaster`.
pub fn postmaster(api_key: Option<String>, args: PostmasterArgs) -> anyhow::Result<ExitCode> {
    let _ = (api_key, args);
    anyhow::bail!("postmaster is being built")
}
