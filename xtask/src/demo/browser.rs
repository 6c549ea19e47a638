//! The demo's browser: Debian's Chromium with Courier loaded against the simulator, headed on a
//! display, or driven headless by a Playwright script that screenshots the popup.

use std::ffi::OsString;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::setup::{CHROMIUM, CHROMIUM_INSTALL};
use crate::sim::Ready;
use crate::tools::{self, KillOnDrop};

/// The host names Chromium resolves to the simulator's HTTPS listener.
const MAPPED_HOSTS: [&str; 2] = ["www.bungie.net", "auth.api.sonyentertainmentnetwork.com"];
/// Chromium flags for a throwaway profile on this kind of machine (see PLATFORM-NOTES).
const QUIET_FLAGS: [&str; 7] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
/// The Playwright script of the headless demo, under `tests/`.
const HEADLESS_SCRIPT: &str = "e2e/tools/demo-popup.mjs";

/// How the browser runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A window a person uses; the demo runs until Ctrl-C.
    Headed,
    /// Playwright opens the popup, saves a screenshot and stops.
    Headless,
}

impl Mode {
    /// Headless when asked, or when there is no display to show a window on.
    pub fn choose(headless: bool, display: bool) -> Self {
        if headless || !display {
            Self::Headless
        } else {
            Self::Headed
        }
    }
}

/// Whether an X11 or Wayland display is there (`DISPLAY` or `WAYLAND_DISPLAY` is set).
pub fn display_present() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

/// What the browser is started with.
pub struct Setup<'a> {
    /// The unpacked extension folder.
    pub extension_dir: &'a Path,
    /// Its id.
    pub extension_id: &'a str,
    /// The fresh user-data-dir, with the native host installed in it.
    pub profile: &'a Path,
    /// The simulator.
    pub sim: &'a Ready,
}

impl Setup<'_> {
    /// The popup's address.
    pub fn popup_url(&self) -> String {
        format!("chrome-extension://{}/popup.html", self.extension_id)
    }

    /// The environment courier-host needs to reach the simulator rather than bungie.net and
    /// Sony; Chromium passes its environment on to the native host it starts.
    pub fn host_env(&self) -> [(&'static str, String); 3] {
        [
            ("COURIER_BUNGIE_ORIGIN", self.sim.http.clone()),
            ("COURIER_PSN_ORIGIN", self.sim.http.clone()),
            ("COURIER_API_KEY", self.sim.api_key.clone()),
        ]
    }

    /// The `--host-resolver-rules` value: every mapped host to the simulator's HTTPS port.
    fn resolver_rules(&self) -> Result<String> {
        let https = self
            .sim
            .https
            .as_deref()
            .context("courier-sim has no HTTPS listener; the browser needs one")?;
        let port = https
            .rsplit_once(':')
            .map(|(_, port)| port.trim_end_matches('/'))
            .filter(|port| port.parse::<u16>().is_ok())
            .with_context(|| format!("courier-sim's HTTPS origin {https:?} has no port"))?;
        Ok(MAPPED_HOSTS
            .iter()
            .map(|host| format!("MAP {host} 127.0.0.1:{port}"))
            .collect::<Vec<_>>()
            .join(","))
    }

    /// Chromium's command line for a headed window that opens the popup and the simulator's site.
    fn chromium_args(&self) -> Result<Vec<OsString>> {
        let mut args: Vec<OsString> = QUIET_FLAGS.iter().map(OsString::from).collect();
        let pairs = [
            ("--user-data-dir=", self.profile.as_os_str()),
            (
                "--disable-extensions-except=",
                self.extension_dir.as_os_str(),
            ),
            ("--load-extension=", self.extension_dir.as_os_str()),
        ];
        for (flag, value) in pairs {
            let mut arg = OsString::from(flag);
            arg.push(value);
            args.push(arg);
        }
        args.push(format!("--host-resolver-rules={}", self.resolver_rules()?).into());
        args.push("--ignore-certificate-errors".into());
        args.push(self.popup_url().into());
        args.push("https://www.bungie.net/".into());
        Ok(args)
    }
}

/// Fails with how to install Chromium when it is missing.
fn require_chromium() -> Result<()> {
    if !Path::new(CHROMIUM).exists() {
        bail!("{CHROMIUM} is missing; install it as root with: {CHROMIUM_INSTALL}");
    }
    Ok(())
}

/// Starts a headed Chromium, its output going to `log`; it is closed when the value is dropped.
pub fn start_headed(setup: &Setup<'_>, log: &Path) -> Result<KillOnDrop> {
    require_chromium()?;
    let output = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
    let errors = output
        .try_clone()
        .with_context(|| format!("cannot share {}", log.display()))?;
    let mut command = Command::new(CHROMIUM);
    command
        .args(setup.chromium_args()?)
        .envs(setup.host_env())
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(errors);
    let line = tools::describe(&command);
    println!("  $ {line}");
    let child = command
        .spawn()
        .map_err(|err| tools::start_error(&line, &err))?;
    Ok(KillOnDrop(child))
}

/// Runs the Playwright script that opens the popup, waits for the gear and saves `screenshot`.
pub fn run_headless(root: &Path, setup: &Setup<'_>, screenshot: &Path) -> Result<()> {
    require_chromium()?;
    let https = setup
        .sim
        .https
        .as_deref()
        .context("courier-sim has no HTTPS listener; the browser needs one")?;
    let mut command = Command::new("node");
    command
        .arg(HEADLESS_SCRIPT)
        .args(["--http", &setup.sim.http, "--https", https])
        .args(["--api-key", &setup.sim.api_key])
        .args(["--extension-id", setup.extension_id])
        .arg("--extension")
        .arg(setup.extension_dir)
        .arg("--profile")
        .arg(setup.profile)
        .arg("--out")
        .arg(screenshot)
        .envs(setup.host_env())
        .current_dir(root.join("tests"));
    tools::run(&mut command)
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
    fn headless_when_asked_or_when_there_is_no_display() {
        assert_eq!(Mode::choose(false, true), Mode::Headed);
        assert_eq!(Mode::choose(true, true), Mode::Headless);
        assert_eq!(Mode::choose(false, false), Mode::Headless);
        assert_eq!(Mode::choose(true, false), Mode::Headless);
    }

    #[test]
    fn chromium_loads_only_courier_and_maps_both_hosts_to_the_https_port() {
        let sim = ready(Some("https://127.0.0.1:41235"));
        let setup = Setup {
            extension_dir: Path::new("/repo/dist/extension"),
            extension_id: "nikakecbkkfjobcpnlceoecocaphahof",
            profile: Path::new("/repo/target/demo/profile-x"),
            sim: &sim,
        };
        let args: Vec<String> = setup
            .chromium_args()
            .expect("the simulator has HTTPS")
            .into_iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        for expected in [
            "--user-data-dir=/repo/target/demo/profile-x",
            "--disable-extensions-except=/repo/dist/extension",
            "--load-extension=/repo/dist/extension",
            "--host-resolver-rules=MAP www.bungie.net 127.0.0.1:41235,MAP auth.api.sonyentertainmentnetwork.com 127.0.0.1:41235",
            "--ignore-certificate-errors",
            "--no-first-run",
            "--disable-quic",
            "chrome-extension://nikakecbkkfjobcpnlceoecocaphahof/popup.html",
        ] {
            assert!(
                args.iter().any(|arg| arg == expected),
                "missing {expected:?} in {args:?}"
            );
        }
    }

    #[test]
    fn the_host_reaches_the_simulator_over_plain_http() {
        let sim = ready(Some("https://127.0.0.1:41235"));
        let setup = Setup {
            extension_dir: Path::new("/x"),
            extension_id: "id",
            profile: Path::new("/p"),
            sim: &sim,
        };
        assert_eq!(
            setup.host_env(),
            [
                ("COURIER_BUNGIE_ORIGIN", "http://127.0.0.1:41234".to_owned()),
                ("COURIER_PSN_ORIGIN", "http://127.0.0.1:41234".to_owned()),
                ("COURIER_API_KEY", "key-42".to_owned()),
            ]
        );
    }

    #[test]
    fn without_https_or_a_port_there_are_no_resolver_rules() {
        for https in [None, Some("https://127.0.0.1"), Some("https://127.0.0.1:x")] {
            let sim = ready(https);
            let setup = Setup {
                extension_dir: Path::new("/x"),
                extension_id: "id",
                profile: Path::new("/p"),
                sim: &sim,
            };
            assert!(setup.resolver_rules().is_err(), "{https:?}");
        }
    }
}
