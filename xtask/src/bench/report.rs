//! The benchmarks' results: one [`Measurement`] per row, printed as a table and written as
//! `target/bench/report.json` (`{"results":[{"name","value","unit","baseline","ratio","goal",
//! "met","detail"}]}`). A goal is reported as met or not; nothing here fails on it.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

/// What a row aims for.
#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    /// Nothing: the figure is reported.
    Report,
    /// The ratio to the baseline at most this.
    RatioAtMost(f64),
    /// The value at most this (in the row's unit).
    AtMost(f64),
    /// The value below this (in the row's unit).
    Below(f64),
    /// The ratio at most `ratio`, and none of something else (`what`) seen: see
    /// [`Measurement::seen`].
    RatioAtMostAndNone {
        /// The largest ratio.
        ratio: f64,
        /// What must not be seen, e.g. `throttled answers`.
        what: &'static str,
    },
}

impl Goal {
    /// The goal in words, e.g. `ratio <= 0.50`.
    fn describe(&self, unit: &str) -> String {
        match self {
            Goal::Report => "report".to_owned(),
            Goal::RatioAtMost(ratio) => format!("ratio <= {ratio:.2}"),
            Goal::AtMost(value) => format!("<= {value} {unit}"),
            Goal::Below(value) => format!("< {value} {unit}"),
            Goal::RatioAtMostAndNone { ratio, what, .. } => {
                format!("ratio <= {ratio:.2}, 0 {what}")
            }
        }
    }

    /// Whether a row meets it; `None` for rows without a goal or without a figure.
    fn met(&self, value: Option<f64>, ratio: Option<f64>, seen: usize) -> Option<bool> {
        match self {
            Goal::Report => None,
            Goal::RatioAtMost(most) => ratio.map(|ratio| ratio <= *most),
            Goal::AtMost(most) => value.map(|value| value <= *most),
            Goal::Below(limit) => value.map(|value| value < *limit),
            Goal::RatioAtMostAndNone { ratio: most, .. } => {
                ratio.map(|ratio| ratio <= *most && seen == 0)
            }
        }
    }
}

/// What a row is before it is measured: its name, unit and goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The row's name, as issue 7 names it (`ingest_profile`).
    pub name: &'static str,
    /// The unit of its value and baseline.
    pub unit: &'static str,
    /// What it aims for.
    pub goal: Goal,
}

impl Spec {
    /// The row with a figure and, when it has one, its baseline.
    pub fn measured(&self, value: f64, baseline: Option<f64>) -> Measurement {
        Measurement {
            name: self.name,
            value: Some(value),
            unit: self.unit,
            baseline,
            goal: self.goal.clone(),
            seen: 0,
            detail: String::new(),
        }
    }

    /// The row when it could not be measured, with why.
    pub fn failed(&self, why: &str) -> Measurement {
        Measurement {
            value: None,
            detail: format!("not measured: {why}"),
            ..self.measured(0.0, None)
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The row's name.
    pub name: &'static str,
    /// The figure, in `unit`; `None` when it could not be measured.
    pub value: Option<f64>,
    /// The unit of the value and the baseline.
    pub unit: &'static str,
    /// The baseline measured in the same run, when the row has one.
    pub baseline: Option<f64>,
    /// What the row aims for.
    pub goal: Goal,
    /// How many of what [`Goal::RatioAtMostAndNone`] wants none of were seen.
    pub seen: usize,
    /// How it was measured, or why it could not be.
    pub detail: String,
}

impl Measurement {
    /// With a note on how it was measured.
    pub fn with_detail(self, detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
            ..self
        }
    }

    /// With the count that [`Goal::RatioAtMostAndNone`] wants to be zero.
    pub fn with_seen(self, seen: usize) -> Self {
        Self { seen, ..self }
    }

    /// The value over the baseline.
    pub fn ratio(&self) -> Option<f64> {
        match (self.value, self.baseline) {
            (Some(value), Some(baseline)) if baseline > 0.0 => Some(value / baseline),
            _ => None,
        }
    }

    /// Whether the goal is met (`None`: no goal, or no figure).
    pub fn met(&self) -> Option<bool> {
        self.goal.met(self.value, self.ratio(), self.seen)
    }
}

/// A row as `report.json` holds it.
#[derive(Debug, Serialize)]
struct Row<'a> {
    name: &'a str,
    value: Option<f64>,
    unit: &'a str,
    baseline: Option<f64>,
    ratio: Option<f64>,
    goal: String,
    met: Option<bool>,
    detail: &'a str,
}

/// The whole file.
#[derive(Debug, Serialize)]
struct Report<'a> {
    results: Vec<Row<'a>>,
}

/// The results as the JSON of `report.json`.
pub fn to_json(results: &[Measurement]) -> Result<String> {
    let rows = results
        .iter()
        .map(|m| Row {
            name: m.name,
            value: m.value,
            unit: m.unit,
            baseline: m.baseline,
            ratio: m.ratio(),
            goal: m.goal.describe(m.unit),
            met: m.met(),
            detail: &m.detail,
        })
        .collect();
    Ok(serde_json::to_string_pretty(&Report { results: rows })? + "\n")
}

/// Writes `report.json` to `path`, creating its folder.
pub fn write(path: &Path, results: &[Measurement]) -> Result<()> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    fs::write(path, to_json(results)?).with_context(|| format!("cannot write {}", path.display()))
}

/// The table as text: one row per measurement, then the notes on how each was measured.
pub fn table(results: &[Measurement]) -> String {
    let header = ["name", "value", "baseline", "ratio", "goal", "met"].map(str::to_owned);
    let rows: Vec<[String; 6]> = results
        .iter()
        .map(|m| {
            let with_unit = |value: Option<f64>| {
                value.map_or_else(|| "-".to_owned(), |v| format!("{} {}", number(v), m.unit))
            };
            [
                m.name.to_owned(),
                with_unit(m.value),
                with_unit(m.baseline),
                m.ratio()
                    .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}")),
                m.goal.describe(m.unit),
                match m.met() {
                    Some(true) => "yes".to_owned(),
                    Some(false) => "NO".to_owned(),
                    None => "-".to_owned(),
                },
            ]
        })
        .collect();
    let mut widths = header.clone().map(|cell| cell.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 6]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let rule: [String; 6] = widths.map(|width| "-".repeat(width));
    let mut text = line(&header) + &line(&rule);
    for row in &rows {
        text.push_str(&line(row));
    }
    let notes: Vec<String> = results
        .iter()
        .filter(|m| !m.detail.is_empty())
        .map(|m| format!("- {}: {}\n", m.name, m.detail))
        .collect();
    if !notes.is_empty() {
        text.push('\n');
        text.push_str(&notes.concat());
    }
    text
}

/// A figure with as many decimals as its size needs (`1234`, `123.4`, `12.34`, `1.234`).
pub fn number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1000.0 {
        format!("{value:.0}")
    } else if magnitude >= 100.0 {
        format!("{value:.1}")
    } else if magnitude >= 10.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSFERS: Spec = Spec {
        name: "transfer_throughput",
        unit: "s",
        goal: Goal::RatioAtMostAndNone {
            ratio: 1.05,
            what: "throttled answers",
        },
    };

    fn spec(name: &'static str, unit: &'static str, goal: Goal) -> Spec {
        Spec { name, unit, goal }
    }

    fn rows() -> Vec<Measurement> {
        vec![
            spec("ingest_profile", "ms", Goal::RatioAtMost(0.5))
                .measured(2.0, Some(5.0))
                .with_detail("median of 30"),
            spec("plan_time", "µs", Goal::Report).measured(3.25, None),
            spec("wasm_size", "KB", Goal::AtMost(200.0)).measured(373.4, None),
            TRANSFERS.measured(10.4, Some(10.0)).with_seen(2),
            spec("popup_first_paint", "ms", Goal::Below(50.0)).failed("no Chromium"),
        ]
    }

    #[test]
    fn goals_are_met_by_the_ratio_or_the_value() {
        let met: Vec<Option<bool>> = rows().iter().map(Measurement::met).collect();
        assert_eq!(met, [Some(true), None, Some(false), Some(false), None]);
        assert_eq!(TRANSFERS.measured(10.4, Some(10.0)).met(), Some(true));
        assert_eq!(TRANSFERS.measured(10.6, Some(10.0)).met(), Some(false));
        assert_eq!(
            spec("popup_first_paint", "ms", Goal::Below(50.0))
                .measured(50.0, None)
                .met(),
            Some(false)
        );
        assert_eq!(
            spec("x", "ms", Goal::RatioAtMost(0.5))
                .measured(1.0, Some(0.0))
                .ratio(),
            None,
            "no ratio to a zero baseline"
        );
    }

    #[test]
    fn the_json_has_the_issues_fields_for_every_row() {
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&rows()).expect("serializes")).expect("valid JSON");
        let results = json["results"].as_array().expect("a results array");
        assert_eq!(results.len(), 5);
        assert_eq!(results[0]["name"], "ingest_profile");
        assert_eq!(results[0]["value"], 2.0);
        assert_eq!(results[0]["unit"], "ms");
        assert_eq!(results[0]["baseline"], 5.0);
        assert_eq!(results[0]["ratio"], 0.4);
        assert_eq!(results[0]["goal"], "ratio <= 0.50");
        assert_eq!(results[0]["met"], true);
        assert_eq!(results[1]["baseline"], serde_json::Value::Null);
        assert_eq!(results[1]["ratio"], serde_json::Value::Null);
        assert_eq!(results[1]["goal"], "report");
        assert_eq!(results[3]["goal"], "ratio <= 1.05, 0 throttled answers");
        assert_eq!(results[4]["value"], serde_json::Value::Null);
        assert_eq!(results[4]["detail"], "not measured: no Chromium");
    }

    #[test]
    fn the_table_lines_up_and_lists_the_notes() {
        let table = table(&rows());
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("| name"), "{table}");
        let width = lines[0].chars().count();
        for line in &lines[..7] {
            assert_eq!(line.chars().count(), width, "{table}");
        }
        assert!(
            lines[2].contains("| 2.000 ms |") && lines[2].contains("| 0.40 "),
            "{table}"
        );
        assert!(
            lines[4].contains("<= 200 KB") && lines[4].contains("| NO "),
            "{table}"
        );
        assert!(
            table.contains("- ingest_profile: median of 30\n"),
            "{table}"
        );
        assert!(
            table.contains("- popup_first_paint: not measured: no Chromium\n"),
            "{table}"
        );
    }

    #[test]
    fn numbers_keep_the_digits_that_matter() {
        assert_eq!(number(1234.56), "1235");
        assert_eq!(number(200.0), "200.0");
        assert_eq!(number(123.45), "123.5");
        assert_eq!(number(12.345), "12.35");
        assert_eq!(number(0.5), "0.500");
        assert_eq!(number(1.05), "1.050");
    }
}
