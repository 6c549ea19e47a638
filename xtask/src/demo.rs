//! `cargo xtask demo`: builds everything, starts the simulator with the demo world as
//! www.bungie.net and Sony's sign-in host, installs the native host into a fresh browser profile,
//! and starts Chromium with Courier loaded against it: headed where there is a display (until
//! Ctrl-C), else (or with `--headless`) driven by Playwright to save a screenshot of the popup.
//!
//! With `--smoke` it instead checks that the simulator answers the manifest, then stops.

mod browser;

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::http;
use crate::install;
use crate::packaging::{self as dist, Defaults};
use crate::sim::{Ready, RunningSim, SimOptions};
use crate::tools::{self, target_dir};

use browser::{Mode, Setup};

/// The manifest path, the first thing any client reads.
const MANIFEST_PATH: &str = "/Platform/Destiny2/Manifest/";
/// Where the 2016 PlayStation sign-in starts.
const PSN_SIGN_IN_PATH: &str = "/en/User/SignIn/Psnid";
/// The control API's dump of every store and item.
const STATE_PATH: &str = "/__sim/state";
/// The demo world's player (see issue 2: the demo world).
const DEMO_EMAIL: &str = "guardian@example.com";
/// The demo player's PlayStation password.
const DEMO_PASSWORD: &str = "sandbox-password";
/// The demo player's Sony `npsso` cookie value.
const DEMO_NPSSO: &str = "sandbox-npsso";
/// How much of the smoke answer to print.
const PRINT_LIMIT: usize = 600;
/// courier-sim flags that make it answer as the real hosts the browser maps to it.
const REAL_HOST_ORIGINS: [&str; 4] = [
    "--bungie-origin",
    "https://www.bungie.net",
    "--psn-origin",
    "https://auth.api.sonyentertainmentnetwork.com",
];

/// Options of `cargo xtask demo`.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct DemoArgs {
    /// Options passed through to the simulator.
    #[command(flatten)]
    pub sim: SimOptions,
    /// Check that the simulator answers the manifest with ErrorCode 1, then stop.
    #[arg(long)]
    pub smoke: bool,
    /// Drive a headless Chromium instead: open the popup, wait for the gear, save a screenshot
    /// to target/demo/popup.png, then stop.
    #[arg(long, conflicts_with = "smoke")]
    pub headless: bool,
}

/// Runs the demo until Ctrl-C, the headless screenshot, or the smoke check when asked.
pub fn run(root: &Path, args: &DemoArgs) -> Result<()> {
    if args.smoke {
        let sim = RunningSim::start(root, &args.sim)?;
        return smoke(&sim.ready);
    }
    let built = dist::build(root, &Defaults::sandbox())?;
    let host = install::build_host(root)?;
    let sim = RunningSim::start_with(root, &args.sim, &REAL_HOST_ORIGINS)?;
    let demo_dir = target_dir(root).join("demo");
    fs::create_dir_all(&demo_dir)
        .with_context(|| format!("cannot create {}", demo_dir.display()))?;
    let profile = tempfile::Builder::new()
        .prefix("profile-")
        .tempdir_in(&demo_dir)
        .with_context(|| format!("cannot create a browser profile in {}", demo_dir.display()))?;
    let setup = Setup {
        extension_dir: &built.dist.chromium,
        extension_id: &built.extension_id,
        profile: profile.path(),
        sim: &sim.ready,
    };
    tools::run(
        install::host_install(
            &host,
            &built.extension_id,
            Some("chromium"),
            Some(profile.path()),
        )
        .envs(setup.host_env()),
    )?;
    match Mode::choose(args.headless, browser::display_present()) {
        Mode::Headless => {
            if !args.headless {
                println!("no display (DISPLAY and WAYLAND_DISPLAY are unset): running headless");
            }
            let screenshot = demo_dir.join("popup.png");
            browser::run_headless(root, &setup, &screenshot)?;
            println!(
                "the popup with the demo world's gear: {}",
                screenshot.display()
            );
            Ok(())
        }
        Mode::Headed => {
            let log = demo_dir.join("chromium.log");
            let _browser = browser::start_headed(&setup, &log)?;
            print!(
                "{}{}\nPress Ctrl-C to stop the simulator and the browser.\n",
                guide(&sim.ready),
                browser_guide(&setup, &log)
            );
            sim.wait_for_interrupt()
        }
    }
}

/// What to do in the demo's browser.
fn browser_guide(setup: &Setup<'_>, log: &Path) -> String {
    format!(
        "\nChromium is open with Courier loaded (fresh profile {profile}; its messages go to {log}).\n  \
         The popup:  click Courier in the toolbar's extensions menu, or open {popup}\n  \
         Sign in:    on https://www.bungie.net/ (the simulator) with PlayStation, or in the popup\n              \
         (it signs in through courier-host, installed into that profile)\n",
        profile = setup.profile.display(),
        log = log.display(),
        popup = setup.popup_url(),
    )
}

/// How to reach the running simulator: origins, key, demo credentials and commands to try.
fn guide(ready: &Ready) -> String {
    let Ready {
        http,
        https,
        api_key,
    } = ready;
    let mut text = format!("\ncourier-sim is running with the demo world.\n\n  HTTP:     {http}\n");
    if let Some(https) = https {
        text.push_str(&format!(
            "  HTTPS:    {https}  (self-signed certificate: curl -k)\n"
        ));
    }
    text.push_str(&format!(
        "  API key:  {api_key}\n  \
         Sign in:  {DEMO_EMAIL} / {DEMO_PASSWORD}  (Sony npsso cookie: {DEMO_NPSSO})\n\nTry:\n"
    ));
    let examples = [
        (
            format!("curl -H 'X-API-Key: {api_key}' {http}{MANIFEST_PATH}"),
            "the manifest",
        ),
        (
            format!("curl -i {http}{PSN_SIGN_IN_PATH}"),
            "PlayStation sign-in, first redirect",
        ),
        (
            format!("curl {http}{STATE_PATH}"),
            "control API: every store and item",
        ),
    ];
    let width = examples
        .iter()
        .map(|(command, _)| command.len())
        .max()
        .unwrap_or(0);
    for (command, what) in examples {
        text.push_str(&format!("  {command:<width$}  # {what}\n"));
    }
    text
}

/// GETs the manifest with the API key and requires ErrorCode 1 (Success).
fn smoke(ready: &Ready) -> Result<()> {
    let url = format!("{}{MANIFEST_PATH}", ready.http);
    println!("  GET {url}");
    let answer = http::get(&ready.http, MANIFEST_PATH, &[("X-API-Key", &ready.api_key)])?;
    println!(
        "  HTTP {}: {}",
        answer.status,
        http::truncate(&answer.body, PRINT_LIMIT)
    );
    let code = error_code(&answer.body).with_context(|| format!("GET {url}"))?;
    if code != 1 {
        bail!(
            "GET {url} answered ErrorCode {code} (HTTP {}), not 1 (Success)",
            answer.status
        );
    }
    println!("ok: the simulator answers the manifest with ErrorCode 1 (Success)");
    Ok(())
}

/// The `ErrorCode` of a bungie.net envelope.
fn error_code(body: &str) -> Result<i64> {
    /// The one envelope field the smoke check reads.
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(rename = "ErrorCode")]
        error_code: i64,
    }
    let envelope: Envelope = serde_json::from_str(body)
        .context("the answer is not a bungie.net envelope with an ErrorCode")?;
    Ok(envelope.error_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(https: Option<&str>) -> Ready {
        Ready {
            http: "http://127.0.0.1:41234".to_owned(),
            https: https.map(str::to_owned),
            api_key: "key-42".to_owned(),
        }
    }

    #[test]
    fn the_guide_names_the_origins_key_credentials_and_commands() {
        let guide = guide(&ready(Some("https://127.0.0.1:41235")));
        for expected in [
            "HTTP:     http://127.0.0.1:41234\n",
            "HTTPS:    https://127.0.0.1:41235",
            "API key:  key-42",
            "guardian@example.com / sandbox-password",
            "sandbox-npsso",
            "curl -H 'X-API-Key: key-42' http://127.0.0.1:41234/Platform/Destiny2/Manifest/",
            "http://127.0.0.1:41234/en/User/SignIn/Psnid",
            "http://127.0.0.1:41234/__sim/state",
        ] {
            assert!(
                guide.contains(expected),
                "missing {expected:?} in:\n{guide}"
            );
        }
    }

    #[test]
    fn the_guide_leaves_out_https_when_there_is_none() {
        assert!(!guide(&ready(None)).contains("HTTPS"));
    }

    #[test]
    fn error_code_reads_the_envelope_exactly() {
        assert_eq!(
            error_code(r#"{"Response":{},"ErrorCode":1}"#).expect("envelope"),
            1
        );
        assert_eq!(
            error_code(r#"{"ErrorCode":1623,"Message":"x"}"#).expect("envelope"),
            1623
        );
        assert!(error_code("<html>outage</html>").is_err());
        assert!(error_code(r#"{"Response":{}}"#).is_err());
    }
}
