//! `popup_first_paint`: opening the popup with a cached inventory until the gear is drawn, in
//! Chromium with the bench's build of the extension (`tests/bench/popup-first-paint.mjs`, which
//! starts its own courier-sim on the real host names).

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};
use serde::Deserialize;

use super::report::{Goal, Measurement, Spec};
use super::{Bench, json_output};
use crate::setup::CHROMIUM;

/// The row of [`first_paint`].
pub const ROWS: [Spec; 1] = [Spec {
    name: "popup_first_paint",
    unit: "ms",
    goal: Goal::Below(50.0),
}];

/// What the script prints.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Painted {
    runs: usize,
    median_ms: f64,
    samples_ms: Vec<f64>,
}

/// Runs the script.
pub fn first_paint(bench: &Bench) -> Result<Vec<Measurement>> {
    if !Path::new(CHROMIUM).exists() {
        bail!("{CHROMIUM} is missing; `cargo xtask setup` as root installs it");
    }
    let measured: Painted = json_output(
        Command::new("node")
            .arg("popup-first-paint.mjs")
            .arg(&bench.built.extension)
            .arg(bench.repetitions.popup.to_string())
            .current_dir(bench.root.join("tests").join("bench")),
    )?;
    let samples: Vec<String> = measured
        .samples_ms
        .iter()
        .map(|ms| format!("{ms:.0}"))
        .collect();
    Ok(vec![ROWS[0].measured(measured.median_ms, None).with_detail(format!(
        "median of {} openings of popup.html after a first one filled the cache, from navigation start to the first frame showing the gear (headless Chromium); samples {} ms",
        measured.runs,
        samples.join(", ")
    ))])
}
