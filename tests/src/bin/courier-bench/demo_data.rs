//! `courier-bench demo-data --out DIR`: saves what the benchmarks read of the demo world, as
//! courier-sim serves it: the player's GetProfile answer (`demo-profile.json`) and the item and
//! bucket definition tables (`demo-items.json`, `demo-buckets.json`).

use std::fs;
use std::path::Path;

use anyhow::{Context as _, ensure};
use courier_core::defs::{BUCKET_TABLE, ITEM_TABLE};
use courier_sim::{SimConfig, ThrottleMode};
use courier_tests::Signed;
use serde::Serialize;

/// The files written, with their sizes in bytes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    /// `demo-profile.json`.
    pub profile_bytes: usize,
    /// `demo-items.json`.
    pub items_bytes: usize,
    /// `demo-buckets.json`.
    pub buckets_bytes: usize,
}

/// Writes the three files into `out` (created when missing).
pub async fn save(out: &Path) -> anyhow::Result<Written> {
    let signed = Signed::start(SimConfig {
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await;
    let answer = signed
        .send(&signed.profile_request())
        .await
        .context("the simulator did not answer GetProfile")?;
    ensure!(
        answer.status == 200,
        "GetProfile answered HTTP {}",
        answer.status
    );
    let items = signed.table(ITEM_TABLE).await;
    let buckets = signed.table(BUCKET_TABLE).await;
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, bytes) in [
        ("demo-profile.json", &answer.body),
        ("demo-items.json", &items),
        ("demo-buckets.json", &buckets),
    ] {
        let path = out.join(name);
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(Written {
        profile_bytes: answer.body.len(),
        items_bytes: items.len(),
        buckets_bytes: buckets.len(),
    })
}
