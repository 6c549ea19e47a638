//! The fixture of the CLI tests: a simulator in this process, temporary config and cache
//! folders, and the built `courier-host` run against them as a person would run it.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Once;
use std::time::Duration;

use courier_sim::world::{Place, World};
use courier_sim::{Sim, SimConfig};
use serde_json::Value;
use tempfile::TempDir;
use tokio::io::AsyncWriteExt;

/// The longest one command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// A simulator and the folders `courier-host` keeps its files in.
pub struct Host {
    /// The simulator.
    pub sim: Sim,
    home: TempDir,
    http: reqwest::Client,
}

/// How one command ended.
#[derive(Debug)]
pub struct Run {
    /// Its exit code.
    pub code: Option<i32>,
    /// What it printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
}

impl Run {
    /// Panics with everything printed unless the command exited 0.
    pub fn success(self, what: &str) -> Self {
        assert_eq!(self.code, Some(0), "{what} should succeed: {self:#?}");
        self
    }

    /// Panics with everything printed unless the command exited non-zero.
    pub fn failure(self, what: &str) -> Self {
        assert!(
            matches!(self.code, Some(code) if code != 0),
            "{what} should fail: {self:#?}"
        );
        self
    }
}

impl Host {
    /// A simulator of the demo world, with bungie.net's throttles as documented.
    pub async fn start() -> Self {
        static PROVIDER: Once = Once::new();
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let sim = Sim::start(SimConfig::default())
            .await
            .expect("the simulator starts");
        Self {
            sim,
            home: tempfile::tempdir().expect("a temporary home"),
            http: reqwest::Client::new(),
        }
    }

    /// A simulator whose player is signed in, with the session saved as `login --save` does.
    pub async fn signed_in() -> Self {
        let host = Self::start().await;
        host.sign_in().await;
        host
    }

    /// Signs the player in through the simulator's PSN pages and saves the session.
    pub async fn sign_in(&self) {
        let password = self.world().account.password;
        let email = self.world().account.email;
        self.run_with_stdin(
            &[
                "login",
                "--psn",
                "--username",
                &email,
                "--password-stdin",
                "--save",
            ],
            &format!("{password}\n"),
        )
        .await
        .success("login --save");
    }

    /// Runs `courier-host ARGS` with nothing on stdin.
    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "").await
    }

    /// Runs `courier-host ARGS` with `stdin`, in an environment of only the fixture's folders and
    /// the simulator's origins and key.
    pub async fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.run_in(args, stdin, self.sim.http_url()).await
    }

    /// Runs `courier-host ARGS` against another bungie.net origin.
    pub async fn run_in(&self, args: &[&str], stdin: &str, bungie_origin: &str) -> Run {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_courier-host"))
            .args(args)
            .env_clear()
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("XDG_CACHE_HOME", self.cache_home())
            .env("COURIER_BUNGIE_ORIGIN", bungie_origin)
            .env("COURIER_PSN_ORIGIN", self.sim.http_url())
            .env("COURIER_API_KEY", self.sim.api_key())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("courier-host starts");
        let mut input = child.stdin.take().expect("a stdin pipe");
        input
            .write_all(stdin.as_bytes())
            .await
            .expect("stdin takes the input");
        drop(input);
        let output = tokio::time::timeout(COMMAND_TIMEOUT, child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("courier-host {args:?} did not finish in time"))
            .expect("courier-host runs");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `XDG_CONFIG_HOME` of the commands.
    pub fn config_home(&self) -> PathBuf {
        self.home.path().join("config")
    }

    /// `XDG_CACHE_HOME` of the commands.
    pub fn cache_home(&self) -> PathBuf {
        self.home.path().join("cache")
    }

    /// A path for a file of the test's own.
    pub fn file(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    /// A copy of the simulator's world as it is now.
    pub fn world(&self) -> World {
        self.sim.state().lock().world.clone()
    }

    /// Changes the simulator's world in place.
    pub fn edit_world<T>(&self, edit: impl FnOnce(&mut World) -> T) -> T {
        edit(&mut self.sim.state().lock().world)
    }

    /// `POST /__sim/{path}` with a JSON body.
    pub async fn control(&self, path: &str, body: Value) {
        let response = self
            .http
            .post(format!("{}/__sim/{path}", self.sim.http_url()))
            .json(&body)
            .send()
            .await
            .expect("the control API answers");
        assert!(
            response.status().is_success(),
            "/__sim/{path}: {response:?}"
        );
    }

    /// How many logged requests went to a path containing `part`.
    pub fn requests_to(&self, part: &str) -> usize {
        self.sim
            .state()
            .lock()
            .log
            .entries()
            .iter()
            .filter(|entry| entry.path.contains(part))
            .count()
    }

    /// The `ErrorCode` of each logged request to a path containing `part`, in order.
    pub fn error_codes(&self, part: &str) -> Vec<Option<i32>> {
        self.sim
            .state()
            .lock()
            .log
            .entries()
            .iter()
            .filter(|entry| entry.path.contains(part))
            .map(|entry| entry.error_code)
            .collect()
    }

    /// A Platform GET with the API key only (for answers to save as files).
    pub async fn platform_get_anonymous(&self, path_and_query: &str) -> Vec<u8> {
        self.http
            .get(format!("{}{path_and_query}", self.sim.http_url()))
            .header("X-API-Key", self.sim.api_key())
            .send()
            .await
            .expect("the simulator answers")
            .bytes()
            .await
            .expect("a body")
            .to_vec()
    }

    /// A signed-in Platform GET through the saved session (for answers to save as files).
    pub async fn platform_get(&self, path_and_query: &str) -> Vec<u8> {
        let session: Value = serde_json::from_slice(
            &std::fs::read(self.config_home().join("courier/session.json"))
                .expect("a saved session"),
        )
        .expect("the session is JSON");
        let cookie = |name: &str| -> String {
            session["cookies"]
                .as_array()
                .and_then(|cookies| cookies.iter().find(|c| c["name"] == name))
                .and_then(|c| c["value"].as_str())
                .unwrap_or_else(|| panic!("the session has {name}"))
                .to_string()
        };
        let header = ["bungled", "bungleatk", "bungledid"]
            .map(|name| format!("{name}={}", cookie(name)))
            .join("; ");
        self.http
            .get(format!("{}{path_and_query}", self.sim.http_url()))
            .header("X-API-Key", self.sim.api_key())
            .header("X-CSRF", cookie("bungled"))
            .header("Cookie", header)
            .send()
            .await
            .expect("the simulator answers")
            .bytes()
            .await
            .expect("a body")
            .to_vec()
    }
}

/// The name the simulator gives an item hash.
pub fn name(world: &World, hash: u32) -> String {
    world
        .definitions
        .items
        .get(&hash)
        .map(|def| def.name.clone())
        .unwrap_or_else(|| panic!("the simulator defines {hash}"))
}

/// Where the simulator has an instanced item now.
pub fn place_of(world: &World, id: i64) -> Place {
    world
        .items
        .iter()
        .find(|item| item.instance_id == Some(id))
        .map(|item| item.place)
        .unwrap_or_else(|| panic!("item {id} is in the world"))
}

/// The definition hash of an instanced item.
pub fn hash_of(world: &World, id: i64) -> u32 {
    world
        .items
        .iter()
        .find(|item| item.instance_id == Some(id))
        .map(|item| item.hash)
        .unwrap_or_else(|| panic!("item {id} is in the world"))
}
