//! The rows of courier-host (release): `host_cold_start` (spawning it as a browser does and
//! getting the answer to `hello`, against spawning `/bin/true`) and `psn_login` (the PlayStation
//! sign-in against courier-sim answering every request 20 ms late, against the number of
//! requests the flow made times those 20 ms).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};

use super::report::{Goal, Measurement, Spec};
use super::{Bench, median, millis};
use crate::http;
use crate::sim::{RunningSim, SimOptions};
use crate::tools::describe;

/// The row of [`cold_start`].
pub const COLD_START_ROWS: [Spec; 1] = [Spec {
    name: "host_cold_start",
    unit: "ms",
    goal: Goal::Report,
}];

/// The row of [`psn_login`].
pub const LOGIN_ROWS: [Spec; 1] = [Spec {
    name: "psn_login",
    unit: "ms",
    goal: Goal::RatioAtMost(1.1),
}];

/// How Chromium starts the host: with the calling extension's origin.
const EXTENSION_ORIGIN: &str = "chrome-extension://nikakecbkkfjobcpnlceoecocaphahof/";
/// The native-messaging request timed.
const HELLO: &[u8] = br#"{"id":1,"type":"hello"}"#;
/// The program the baseline spawns.
const TRUE: &str = "/bin/true";
/// The simulator's answer delay for `psn_login`.
const LATENCY: Duration = Duration::from_millis(20);
/// The demo world's player.
const USERNAME: &str = "guardian@example.com";
/// Their PlayStation password.
const PASSWORD: &str = "sandbox-password";

/// `host_cold_start`: the medians of spawning courier-host up to its `hello` answer and of
/// spawning `/bin/true` up to its exit, interleaved.
pub fn cold_start(bench: &Bench) -> Result<Vec<Measurement>> {
    let runs = bench.repetitions.cold_start;
    let mut host = Vec::with_capacity(runs);
    let mut baseline = Vec::with_capacity(runs);
    for _ in 0..runs {
        host.push(hello(&bench.built.host)?);
        baseline.push(spawn_true()?);
    }
    let (Some(host), Some(baseline)) = (median(host), median(baseline)) else {
        bail!("no runs");
    };
    Ok(vec![
        COLD_START_ROWS[0]
            .measured(millis(host), Some(millis(baseline)))
            .with_detail(format!(
                "median of {runs}: spawn courier-host {EXTENSION_ORIGIN}, send {{\"id\":1,\"type\":\"hello\"}}, read the answer; baseline: spawn {TRUE} until it exits"
            )),
    ])
}

/// One spawn of the host, timed up to its answer to `hello`; the answer must say ok.
fn hello(host: &Path) -> Result<Duration> {
    let started = Instant::now();
    let mut child = Command::new(host)
        .arg(EXTENSION_ORIGIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", host.display()))?;
    let answer = exchange(&mut child);
    let elapsed = started.elapsed();
    // Closing stdin ends the host; it has answered by now, so how it exits does not matter.
    drop(child.stdin.take());
    let _ = child.wait();
    let answer = answer?;
    let ok: serde_json::Value =
        serde_json::from_slice(&answer).context("the hello answer is not JSON")?;
    ensure!(ok["ok"] == true, "courier-host answered hello with {ok}");
    Ok(elapsed)
}

/// Writes the `hello` frame and reads one answer frame (a native-endian 32-bit length, then
/// the JSON).
fn exchange(child: &mut std::process::Child) -> Result<Vec<u8>> {
    let stdin = child
        .stdin
        .as_mut()
        .context("the host's stdin was not captured")?;
    let length = u32::try_from(HELLO.len()).context("hello fits a frame")?;
    stdin.write_all(&length.to_ne_bytes())?;
    stdin.write_all(HELLO)?;
    stdin.flush()?;
    let stdout = child
        .stdout
        .as_mut()
        .context("the host's stdout was not captured")?;
    let mut prefix = [0u8; 4];
    stdout
        .read_exact(&mut prefix)
        .context("courier-host closed stdout without answering hello")?;
    let length = u32::from_ne_bytes(prefix) as usize;
    ensure!(
        length <= 1 << 20,
        "courier-host announced a {length}-byte answer to hello"
    );
    let mut answer = vec![0u8; length];
    stdout
        .read_exact(&mut answer)
        .context("the hello answer was cut short")?;
    Ok(answer)
}

/// One spawn of `/bin/true`, timed up to its exit.
fn spawn_true() -> Result<Duration> {
    let started = Instant::now();
    let status = Command::new(TRUE)
        .status()
        .with_context(|| format!("cannot start {TRUE}"))?;
    ensure!(status.success(), "{TRUE} failed ({status})");
    Ok(started.elapsed())
}

/// `psn_login`: the median sign-in time against the requests it made times the latency.
pub fn psn_login(bench: &Bench) -> Result<Vec<Measurement>> {
    let options = SimOptions {
        latency: Some(LATENCY.as_millis() as u64),
        throttle: Some("off".to_owned()),
        ..SimOptions::default()
    };
    // The release build, so the simulator's own work does not count against the flow.
    let sim = RunningSim::start_binary(&bench.built.sim, &bench.root, &options, &[])?;
    let config = tempfile::tempdir().context("cannot create a config folder for courier-host")?;
    let runs = bench.repetitions.login;
    let mut times = Vec::with_capacity(runs);
    let mut requests = Vec::with_capacity(runs);
    for _ in 0..runs {
        let before = logged_requests(&sim)?;
        times.push(sign_in(&bench.built.host, &sim, config.path())?);
        requests.push(logged_requests(&sim)? - before);
    }
    let Some(time) = median(times) else {
        bail!("no runs");
    };
    requests.sort_unstable();
    requests.dedup();
    let [requests] = requests[..] else {
        bail!("the sign-in made a different number of requests each time: {requests:?}");
    };
    let floor = millis(LATENCY) * requests as f64;
    Ok(vec![
        LOGIN_ROWS[0]
            .measured(millis(time), Some(floor))
            .with_detail(format!(
                "median of {runs}: courier-host login --psn --password-stdin, process start to exit, against courier-sim (release) --latency {}; the flow made {requests} requests, floor = {requests} x {} ms",
                LATENCY.as_millis(),
                LATENCY.as_millis()
            )),
    ])
}

/// One `courier-host login --psn` against the simulator, timed from spawn to exit.
fn sign_in(host: &Path, sim: &RunningSim, config: &Path) -> Result<Duration> {
    let mut command = Command::new(host);
    command
        .args(["login", "--psn", "--username", USERNAME, "--password-stdin"])
        .env("COURIER_BUNGIE_ORIGIN", &sim.ready.http)
        .env("COURIER_PSN_ORIGIN", &sim.ready.http)
        .env("COURIER_API_KEY", &sim.ready.api_key)
        .env("XDG_CONFIG_HOME", config)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let line = describe(&command);
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|error| crate::tools::start_error(&line, &error))?;
    child
        .stdin
        .take()
        .context("courier-host's stdin was not captured")?
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .context("cannot send the password to courier-host")?;
    let status = child.wait().context("cannot wait for courier-host")?;
    let elapsed = started.elapsed();
    ensure!(status.success(), "`{line}` failed ({status})");
    Ok(elapsed)
}

/// How many requests the simulator has logged.
fn logged_requests(sim: &RunningSim) -> Result<usize> {
    let answer = http::get(&sim.ready.http, "/__sim/log", &[])?;
    ensure!(
        answer.status == 200,
        "GET /__sim/log answered {}",
        answer.status
    );
    let log: Vec<serde_json::Value> =
        serde_json::from_str(&answer.body).context("the request log is not a JSON array")?;
    Ok(log.len())
}
