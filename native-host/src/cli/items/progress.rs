//! How a run shows its progress: a progress bar when stdout is a terminal, else one plain line
//! per step as it is sent (for logs and scripts).

use std::io::IsTerminal as _;

use courier_core::exec::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::output;

/// The bar's layout.
const TEMPLATE: &str = "{bar:30} {pos}/{len} {wide_msg}";

/// A progress bar, or plain lines.
#[derive(Debug)]
pub enum ProgressView {
    /// Drawing a bar on the terminal.
    Bar(ProgressBar),
    /// Printing one line per step sent; remembers the last line printed.
    Lines(Option<String>),
}

impl ProgressView {
    /// A bar for `total` steps when stdout is a terminal, else plain lines.
    pub fn new(total: usize) -> Self {
        if !std::io::stdout().is_terminal() {
            return Self::Lines(None);
        }
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stdout(),
        );
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style);
        }
        Self::Bar(bar)
    }

    /// Shows where the run is.
    pub fn update(&mut self, progress: &Progress) {
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        match self {
            Self::Bar(bar) => {
                // A re-plan can add steps.
                bar.set_length(count(progress.total));
                bar.set_position(count(progress.done));
                // Between steps nothing is in flight: the last step stays on show.
                if let Some(current) = &progress.current {
                    bar.set_message(current.clone());
                }
            }
            Self::Lines(last) => {
                if let Some(current) = &progress.current {
                    let line = format!("[{}/{}] {current}", progress.done + 1, progress.total);
                    if last.as_ref() != Some(&line) {
                        // Progress is a courtesy: a closed stdout must not stop the run.
                        let _ = output::print_line(&line);
                        *last = Some(line);
                    }
                }
            }
        }
    }

    /// Takes the bar off the screen before the report is printed.
    pub fn finish(&self) {
        if let Self::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
