//! `popup_first_paint`: opening the popup with a cached inventory until the gear is drawn, in
//! Chromium with the bench's build of the extension (`tests/bench/popup-first-paint.mjs`, which
//! starts its own courier-sim on the real host names): until the first frame showing the gear
//! has been rendered, with the time that frame started alongside.

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
    frame_start_median_ms: f64,
    busy_starts: usize,
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
    Ok(vec![measured.row()])
}

impl Painted {
    /// The row: the median until the frame is rendered, with what was measured and the samples.
    fn row(&self) -> Measurement {
        let samples: Vec<String> = self
            .samples_ms
            .iter()
            .map(|ms| format!("{ms:.0}"))
            .collect();
        ROWS[0].measured(self.median_ms, None).with_detail(format!(
            "median of {} openings of popup.html after a first one filled the cache, from navigation start until the first frame showing the gear (the chosen character's; the vault below the fold is built right after it) is rendered (style, layout, paint; that frame starts at {:.0} ms), with the worker running (headless Chromium), each started once the CPUs were at most 35% busy over 300 ms ({} started busy after waiting 15 s); samples {} ms",
            self.runs,
            self.frame_start_median_ms,
            self.busy_starts,
            samples.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_is_the_median_until_rendered_and_says_when_the_frame_started() {
        let printed = r#"{"runs":3,"medianMs":71.5,"samplesMs":[70.2,71.5,90.1],"frameStartMedianMs":60.4,"busyStarts":1}"#;
        let measured: Painted = serde_json::from_str(printed).expect("the script's line parses");
        let row = measured.row();
        assert_eq!(row.value, Some(71.5));
        assert!(
            row.detail.contains("median of 3 openings"),
            "{}",
            row.detail
        );
        assert!(
            row.detail.contains("that frame starts at 60 ms"),
            "{}",
            row.detail
        );
        assert!(row.detail.contains("(1 started busy"), "{}", row.detail);
        assert!(
            row.detail.ends_with("samples 70, 72, 90 ms"),
            "{}",
            row.detail
        );
    }
}
