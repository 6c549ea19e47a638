//! Builds and starts the `courier-sim` binary and reads the JSON line it prints when ready.

use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::process::{ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::tools::{self, KillOnDrop, cargo, describe, target_dir};

/// How long the simulator may take from start to its ready line.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the wait loop looks at the child and at Ctrl-C.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// Simulator flags `cargo xtask demo` passes through to `courier-sim serve`.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct SimOptions {
    /// Seed for the demo world and for fault rates (same seed, same world).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency: Option<u64>,
    /// Faults to inject at random rates: `kind=rate,...`, e.g. `throttle=0.05,html=0.01`.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// bungie.net's throttles: `strict` as documented, or `off`.
    #[arg(long, value_name = "MODE", value_parser = ["strict", "off"])]
    pub throttle: Option<String>,
}

impl SimOptions {
    /// The `courier-sim serve` arguments for these options.
    fn serve_args(&self) -> Vec<String> {
        let mut args = vec![
            "serve".to_owned(),
            "--https".to_owned(),
            "127.0.0.1:0".to_owned(),
        ];
        let flags = [
            ("--seed", self.seed.map(|seed| seed.to_string())),
            ("--latency", self.latency.map(|ms| ms.to_string())),
            ("--faults", self.faults.clone()),
            ("--throttle", self.throttle.clone()),
        ];
        for (flag, value) in flags {
            if let Some(value) = value {
                args.extend([flag.to_owned(), value]);
            }
        }
        args
    }
}

/// What courier-sim prints on stdout once it listens.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ready {
    /// The plain HTTP origin, e.g. `http://127.0.0.1:41234`.
    pub http: String,
    /// The HTTPS origin, when started with `--https`.
    #[serde(default)]
    pub https: Option<String>,
    /// The API key every `/Platform` request must carry.
    pub api_key: String,
}

/// Reads the ready line; anything else is an error that quotes the line.
pub fn parse_ready(line: &str) -> Result<Ready> {
    serde_json::from_str(line.trim()).with_context(|| {
        format!(
            "courier-sim's first line on stdout is not its ready line \
             ({{\"http\":...,\"https\":...,\"api_key\":...}}): {:?}",
            line.trim()
        )
    })
}

/// A running courier-sim child process, killed when this value is dropped.
pub struct RunningSim {
    child: KillOnDrop,
    /// Where it listens and with which API key.
    pub ready: Ready,
}

impl RunningSim {
    /// Builds courier-sim, starts it with `options`, and waits for its ready line.
    pub fn start(root: &Path, options: &SimOptions) -> Result<Self> {
        Self::start_with(root, options, &[])
    }

    /// [`RunningSim::start`] with more `courier-sim serve` flags after the options.
    pub fn start_with(root: &Path, options: &SimOptions, extra_args: &[&str]) -> Result<Self> {
        tools::run(
            cargo()
                .args(["build", "-p", "courier-sim"])
                .current_dir(root),
        )?;
        let binary = target_dir(root)
            .join("debug")
            .join(format!("courier-sim{}", std::env::consts::EXE_SUFFIX));
        Self::start_binary(&binary, root, options, extra_args)
    }

    /// Starts the courier-sim `binary` (already built) with `options` and `extra_args` in
    /// `root`, and waits for its ready line.
    pub fn start_binary(
        binary: &Path,
        root: &Path,
        options: &SimOptions,
        extra_args: &[&str],
    ) -> Result<Self> {
        let mut command = Command::new(binary);
        command
            .args(options.serve_args())
            .args(extra_args)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let line = describe(&command);
        println!("  $ {line}");
        let mut child = command
            .spawn()
            .map_err(|err| tools::start_error(&line, &err))?;
        let stdout = child
            .stdout
            .take()
            .context("courier-sim's stdout was not captured")?;
        // From here on, dropping `child` kills the process whatever goes wrong.
        let mut child = KillOnDrop(child);
        let first_line = first_line_then_forward(stdout);
        let ready = match first_line.recv_timeout(READY_TIMEOUT) {
            Ok(Ok(line)) if !line.is_empty() => parse_ready(&line)?,
            Ok(Ok(_)) => {
                let status = child.0.wait().context("could not wait for courier-sim")?;
                bail!("courier-sim exited ({status}) before it was ready; its messages are above")
            }
            Ok(Err(err)) => return Err(err).context("could not read courier-sim's stdout"),
            Err(_) => bail!(
                "courier-sim printed no ready line within {} s; its messages are above",
                READY_TIMEOUT.as_secs()
            ),
        };
        Ok(Self { child, ready })
    }

    /// Waits until Ctrl-C (or SIGTERM/SIGHUP), then stops the simulator.
    ///
    /// Fails if the simulator stops by itself first.
    pub fn wait_for_interrupt(mut self) -> Result<()> {
        let (interrupted, interrupt) = mpsc::channel();
        ctrlc::set_handler(move || {
            // The receiver is gone only once we stopped waiting; nothing left to tell then.
            let _ = interrupted.send(());
        })
        .context("could not install the Ctrl-C handler")?;
        loop {
            match interrupt.recv_timeout(POLL_INTERVAL) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            if let Some(status) = self
                .child
                .0
                .try_wait()
                .context("could not check courier-sim")?
            {
                // A Ctrl-C in the terminal reaches the child too; it may exit before our handler runs.
                if interrupt.recv_timeout(POLL_INTERVAL).is_ok() {
                    break;
                }
                bail!("courier-sim stopped by itself ({status}); its messages are above");
            }
        }
        println!("stopping courier-sim");
        Ok(())
    }
}

/// Reads the child's first stdout line on a thread, sends it, then forwards the rest of its
/// stdout to ours so the child never blocks on a full pipe.
fn first_line_then_forward(stdout: ChildStdout) -> mpsc::Receiver<io::Result<String>> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let result = reader.read_line(&mut line).map(|_| line);
        let keep_reading = result.as_ref().is_ok_and(|line| !line.is_empty());
        // The receiver is gone only when the start already failed; the line is moot then.
        let _ = sender.send(result);
        if keep_reading {
            // Ends with the child; a failed copy only loses the child's extra output.
            let _ = io::copy(&mut reader, &mut io::stdout());
        }
    });
    receiver
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ready_line_is_read_with_and_without_https() {
        let ready = parse_ready(
            r#"{"http":"http://127.0.0.1:41234","https":"https://127.0.0.1:41235","api_key":"sandbox-api-key"}"#,
        )
        .expect("a full ready line");
        assert_eq!(
            ready,
            Ready {
                http: "http://127.0.0.1:41234".to_owned(),
                https: Some("https://127.0.0.1:41235".to_owned()),
                api_key: "sandbox-api-key".to_owned(),
            }
        );
        let plain = parse_ready("{\"http\":\"http://127.0.0.1:1\",\"api_key\":\"k\"}\n")
            .expect("https is optional");
        assert_eq!(plain.https, None);
        let null = parse_ready(r#"{"http":"http://127.0.0.1:1","https":null,"api_key":"k"}"#)
            .expect("https may be null");
        assert_eq!(null.https, None);
    }

    #[test]
    fn a_log_line_instead_of_the_ready_line_is_an_error_quoting_it() {
        let err = parse_ready("listening on 127.0.0.1:41234").expect_err("not JSON");
        assert!(
            format!("{err:#}").contains("listening on 127.0.0.1:41234"),
            "{err:#}"
        );
        assert!(
            parse_ready(r#"{"http":"http://127.0.0.1:1"}"#).is_err(),
            "api_key is required"
        );
    }

    #[test]
    fn only_the_given_options_are_passed_to_serve() {
        assert_eq!(
            SimOptions::default().serve_args(),
            ["serve", "--https", "127.0.0.1:0"]
        );
        let options = SimOptions {
            seed: Some(7),
            latency: Some(20),
            faults: Some("throttle=0.1".to_owned()),
            throttle: Some("off".to_owned()),
        };
        assert_eq!(
            options.serve_args(),
            [
                "serve",
                "--https",
                "127.0.0.1:0",
                "--seed",
                "7",
                "--latency",
                "20",
                "--faults",
                "throttle=0.1",
                "--throttle",
                "off"
            ]
        );
    }
}
