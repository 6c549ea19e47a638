//! courier-host in native-messaging mode, started as Chromium and Firefox start it: framing,
//! the allow-list, exit statuses, and `psn_login` against courier-sim.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use courier_core::host_protocol::{Answer, ErrorKind, MAX_ANSWER_BYTES};
use courier_sim::world::demo::{EMAIL, NPSSO, PASSWORD};
use courier_sim::{Sim, SimConfig};

/// The origin Chromium passes for Courier's pinned extension.
const COURIER_ORIGIN: &str = "chrome-extension://nikakecbkkfjobcpnlceoecocaphahof/";
/// Courier's Firefox add-on id.
const GECKO_ID: &str = "courier@courier.dev";
/// How long any host may take to answer or exit before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// Chromium's argv after the program path.
fn chromium(origin: &str) -> Vec<String> {
    vec![origin.to_string()]
}

/// Firefox's argv after the program path.
fn firefox(addon: &str) -> Vec<String> {
    vec![
        "/home/player/.mozilla/native-messaging-hosts/dev.courier.host.json".to_string(),
        addon.to_string(),
    ]
}

/// `payload` as a native-messaging frame.
fn frame(payload: &[u8]) -> Vec<u8> {
    let mut bytes = u32::try_from(payload.len())
        .expect("test payloads fit a u32")
        .to_ne_bytes()
        .to_vec();
    bytes.extend_from_slice(payload);
    bytes
}

/// What the host's stdout carried, piece by piece.
enum Output {
    /// One whole frame's payload.
    Frame(Vec<u8>),
    /// The end of stdout, with any bytes that were not a whole frame.
    End(Vec<u8>),
}

/// Forwards each frame on `stdout` to `sender`, then the end with whatever was not a whole
/// frame (a frame over the browser's 1 MiB limit counts as not a frame).
fn forward_frames(mut stdout: impl Read, sender: mpsc::Sender<Output>) {
    loop {
        let mut prefix = [0u8; 4];
        let got = read_fully(&mut stdout, &mut prefix);
        if got < prefix.len() {
            let _ = sender.send(Output::End(prefix[..got].to_vec()));
            return;
        }
        let len = u32::from_ne_bytes(prefix) as usize;
        if len > MAX_ANSWER_BYTES {
            let _ = sender.send(Output::End(prefix.to_vec()));
            return;
        }
        let mut payload = vec![0u8; len];
        let got = read_fully(&mut stdout, &mut payload);
        if got < len {
            let mut stray = prefix.to_vec();
            stray.extend_from_slice(&payload[..got]);
            let _ = sender.send(Output::End(stray));
            return;
        }
        if sender.send(Output::Frame(payload)).is_err() {
            return;
        }
    }
}

/// Reads into `buf` until it is full or the input ends; answers how many bytes came.
fn read_fully(reader: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    filled
}

/// How a host process ended.
struct Finished {
    status: ExitStatus,
    /// Frames it wrote that the test had not received.
    unread: Vec<Answer>,
    stderr: String,
}

/// A courier-host process started as a browser starts it.
struct Host {
    child: Child,
    stdin: Option<ChildStdin>,
    output: Receiver<Output>,
    stderr: JoinHandle<Vec<u8>>,
    _config_home: tempfile::TempDir,
}

impl Host {
    /// Starts the binary with these arguments and extra environment, with no configuration of
    /// the machine's (a fresh `XDG_CONFIG_HOME`, no `COURIER_*` variables) and full logging.
    fn start(args: &[String], env: &[(&str, &str)]) -> Self {
        let config_home = tempfile::tempdir().expect("a temporary config home");
        let mut command = Command::new(env!("CARGO_BIN_EXE_courier-host"));
        command
            .args(args)
            .env("XDG_CONFIG_HOME", config_home.path())
            .env("RUST_LOG", "trace")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, _) in std::env::vars() {
            if name.starts_with("COURIER_") {
                command.env_remove(name);
            }
        }
        command.envs(env.iter().copied());
        let mut child = command.spawn().expect("courier-host starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("a piped stdout");
        let mut stderr = child.stderr.take().expect("a piped stderr");
        let (sender, output) = mpsc::channel();
        thread::spawn(move || forward_frames(stdout, sender));
        let stderr = thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stderr.read_to_end(&mut bytes);
            bytes
        });
        Self {
            child,
            stdin,
            output,
            stderr,
            _config_home: config_home,
        }
    }

    /// Writes raw bytes to the host's stdin.
    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is still open");
        stdin.write_all(bytes).expect("the host reads its stdin");
        stdin.flush().expect("the host reads its stdin");
    }

    /// Sends one message as a frame.
    fn send(&mut self, message: &str) {
        self.write(&frame(message.as_bytes()));
    }

    /// The next frame the host writes, as an answer (at most 1 MiB, as a browser requires).
    fn receive(&mut self) -> Answer {
        match self.output.recv_timeout(PATIENCE) {
            Ok(Output::Frame(payload)) => {
                serde_json::from_slice(&payload).unwrap_or_else(|error| {
                    panic!(
                        "not an answer ({error}): {}",
                        String::from_utf8_lossy(&payload)
                    )
                })
            }
            Ok(Output::End(rest)) => panic!(
                "stdout ended, or carried a frame over 1 MiB (with {} stray bytes)",
                rest.len()
            ),
            Err(error) => panic!("no answer within {PATIENCE:?}: {error}"),
        }
    }

    /// Closes stdin (as the browser does when the port closes).
    fn close(&mut self) {
        self.stdin = None;
    }

    /// Waits for the host to exit (killing it after [`PATIENCE`]) and collects what is left.
    fn finish(mut self) -> Finished {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("the host can be waited for") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the host did not exit within {PATIENCE:?}");
            }
            thread::sleep(Duration::from_millis(20));
        };
        let mut unread = Vec::new();
        loop {
            match self.output.recv_timeout(PATIENCE) {
                Ok(Output::Frame(payload)) => {
                    unread.push(serde_json::from_slice(&payload).expect("every frame is an answer"))
                }
                Ok(Output::End(rest)) => {
                    assert!(
                        rest.is_empty(),
                        "stdout carried bytes that are not frames: {rest:?}"
                    );
                    break;
                }
                Err(error) => panic!("stdout did not end: {error}"),
            }
        }
        let stderr = self.stderr.join().expect("stderr is read");
        Finished {
            status,
            unread,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// Asserts `answer` is a failure of `kind` for request `id`, and answers its message.
fn assert_failed(answer: &Answer, id: Option<u64>, kind: ErrorKind) -> String {
    match answer {
        Answer::Failed { id: got, error } => {
            assert_eq!((*got, error.kind), (id, kind), "{error:?}");
            error.message.clone()
        }
        other => panic!("expected a {kind:?} failure, got {other:?}"),
    }
}

fn hello(id: u64) -> Answer {
    Answer::hello(id, env!("CARGO_PKG_VERSION"))
}

#[test]
fn hello_round_trip_as_chromium_starts_it() {
    let mut host = Host::start(&chromium(COURIER_ORIGIN), &[]);
    host.send(r#"{"id":1,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(1));
    host.close();
    let finished = host.finish();
    assert_eq!(finished.status.code(), Some(0), "{}", finished.stderr);
    assert!(finished.unread.is_empty());
}

#[test]
fn hello_round_trip_as_firefox_starts_it() {
    let mut host = Host::start(&firefox(GECKO_ID), &[]);
    host.send(r#"{"id":41,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(41));
    host.close();
    assert_eq!(host.finish().status.code(), Some(0));
}

#[test]
fn chromium_on_windows_adds_its_parent_window() {
    let mut args = chromium(COURIER_ORIGIN);
    args.push("--parent-window=4242".to_string());
    let mut host = Host::start(&args, &[]);
    host.send(r#"{"id":3,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(3));
    host.close();
    assert_eq!(host.finish().status.code(), Some(0));
}

#[test]
fn several_frames_in_one_session_are_answered_in_order() {
    let mut host = Host::start(&chromium(COURIER_ORIGIN), &[]);
    host.send(r#"{"id":1,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(1));
    let mut batch = Vec::new();
    for id in 2..=5 {
        batch.extend(frame(format!(r#"{{"id":{id},"type":"hello"}}"#).as_bytes()));
    }
    host.write(&batch);
    for id in 2..=5 {
        assert_eq!(host.receive(), hello(id));
    }
    host.close();
    let finished = host.finish();
    assert_eq!(finished.status.code(), Some(0));
    assert!(finished.unread.is_empty());
}

#[test]
fn malformed_frames_get_an_error_and_the_host_keeps_serving() {
    let mut host = Host::start(&chromium(COURIER_ORIGIN), &[]);
    host.send("this is not JSON");
    assert_failed(&host.receive(), None, ErrorKind::BadRequest);
    host.send(r#"{"id":7,"type":"self_destruct"}"#);
    let message = assert_failed(&host.receive(), Some(7), ErrorKind::BadRequest);
    assert!(message.contains("self_destruct"), "{message}");
    host.send(r#"{"id":9,"type":"psn_login","username":"a@b.c"}"#);
    assert_failed(&host.receive(), Some(9), ErrorKind::BadRequest);
    host.write(&frame(b"\xc3\x28 not utf-8"));
    assert_failed(&host.receive(), None, ErrorKind::BadRequest);
    host.write(&frame(b""));
    assert_failed(&host.receive(), None, ErrorKind::BadRequest);
    host.send(r#"{"id":8,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(8));
    host.close();
    assert_eq!(host.finish().status.code(), Some(0));
}

#[test]
fn an_oversize_prefix_gets_too_large_and_the_host_exits() {
    let mut host = Host::start(&chromium(COURIER_ORIGIN), &[]);
    host.send(r#"{"id":1,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(1));
    // The prefix alone: the host must not wait for (or allocate) the 4 GiB it announces.
    host.write(&0xFFFF_FFF0_u32.to_ne_bytes());
    let message = assert_failed(&host.receive(), None, ErrorKind::TooLarge);
    assert!(message.contains("4294967280"), "{message}");
    let finished = host.finish();
    assert_eq!(finished.status.code(), Some(1), "{}", finished.stderr);
    assert!(finished.unread.is_empty());
}

#[test]
fn a_truncated_frame_ends_the_session_with_an_error() {
    let mut host = Host::start(&chromium(COURIER_ORIGIN), &[]);
    let whole = frame(br#"{"id":1,"type":"hello"}"#);
    host.write(&whole[..whole.len() - 5]);
    host.close();
    let finished = host.finish();
    assert_eq!(finished.status.code(), Some(1), "{}", finished.stderr);
    assert_eq!(finished.unread.len(), 1);
    assert_failed(&finished.unread[0], None, ErrorKind::BadRequest);
}

#[test]
fn eof_before_any_message_exits_0_without_output() {
    let mut host = Host::start(&firefox(GECKO_ID), &[]);
    host.close();
    let finished = host.finish();
    assert_eq!(finished.status.code(), Some(0), "{}", finished.stderr);
    assert!(finished.unread.is_empty());
}

/// Asserts the host refuses `args` with exactly one `forbidden_origin` frame and exit status 2,
/// before reading any request.
fn assert_forbidden(args: &[String], env: &[(&str, &str)]) {
    // stdin stays open: the host must leave on its own, without waiting for a request.
    let finished = Host::start(args, env).finish();
    assert_eq!(finished.status.code(), Some(2), "{}", finished.stderr);
    assert_eq!(finished.unread.len(), 1, "exactly one frame");
    assert_failed(&finished.unread[0], None, ErrorKind::ForbiddenOrigin);
}

#[test]
fn a_foreign_chromium_extension_is_refused() {
    assert_forbidden(
        &chromium("chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"),
        &[],
    );
}

#[test]
fn a_foreign_firefox_addon_is_refused() {
    assert_forbidden(&firefox("evil@example.com"), &[]);
}

#[test]
fn the_environment_replaces_the_allow_list() {
    let other = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
    let env = [("COURIER_ALLOWED_ORIGINS", other)];
    let mut host = Host::start(&chromium(other), &env);
    host.send(r#"{"id":1,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(1));
    host.close();
    assert_eq!(host.finish().status.code(), Some(0));
    assert_forbidden(&chromium(COURIER_ORIGIN), &env);
}

#[test]
fn the_config_file_replaces_the_allow_list() {
    let other = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
    let config_home = tempfile::tempdir().expect("a temporary config home");
    let dir = config_home.path().join("courier");
    std::fs::create_dir_all(&dir).expect("the config folder");
    std::fs::write(
        dir.join("config.json"),
        format!(r#"{{"allowedOrigins":["{other}"]}}"#),
    )
    .expect("the config file");
    let home = config_home.path().to_str().expect("a UTF-8 path");
    let env = [("XDG_CONFIG_HOME", home)];
    let mut host = Host::start(&chromium(other), &env);
    host.send(r#"{"id":1,"type":"hello"}"#);
    assert_eq!(host.receive(), hello(1));
    host.close();
    assert_eq!(host.finish().status.code(), Some(0));
    assert_forbidden(&chromium(COURIER_ORIGIN), &env);
}

/// A simulator on its own runtime (its listener keeps serving while the test blocks on pipes).
struct Simulator {
    sim: Sim,
    _runtime: tokio::runtime::Runtime,
}

impl Simulator {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the simulator");
        let sim = runtime
            .block_on(Sim::start(SimConfig::default()))
            .expect("the simulator starts");
        Self {
            sim,
            _runtime: runtime,
        }
    }

    /// The environment that points the host's sign-in at this simulator.
    fn env(&self) -> [(&str, &str); 2] {
        [
            ("COURIER_BUNGIE_ORIGIN", self.sim.http_url()),
            ("COURIER_PSN_ORIGIN", self.sim.http_url()),
        ]
    }

    fn bungie_membership_id(&self) -> String {
        self.sim
            .state()
            .lock()
            .world
            .account
            .bungie_membership_id
            .to_string()
    }
}

/// Sends one `psn_login`, answers the host's answer and its stderr after the port closed.
fn psn_login(simulator: &Simulator, args: &[String], message: &str) -> (Answer, String) {
    let mut host = Host::start(args, &simulator.env());
    host.send(message);
    let answer = host.receive();
    host.close();
    let finished = host.finish();
    assert_eq!(finished.status.code(), Some(0), "{}", finished.stderr);
    (answer, finished.stderr)
}

/// Asserts a sign-in answered bungie.net's three session cookies for the simulator's player,
/// and that none of their values reached the log.
fn assert_signed_in(simulator: &Simulator, answer: &Answer, id: u64, stderr: &str) {
    let Answer::SignedIn {
        id: got,
        cookies,
        bungie_membership_id,
    } = answer
    else {
        panic!("expected a sign-in, got {answer:?}");
    };
    assert_eq!(*got, id);
    assert_eq!(*bungie_membership_id, simulator.bungie_membership_id());
    let names: Vec<&str> = cookies.iter().map(|cookie| cookie.name.as_str()).collect();
    assert_eq!(names, ["bungled", "bungleatk", "bungledid"]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs_f64();
    for cookie in cookies {
        assert!(!cookie.value.is_empty(), "{} has a value", cookie.name);
        assert!(
            !stderr.contains(&cookie.value),
            "{} reached stderr",
            cookie.name
        );
        assert_eq!(cookie.domain, "127.0.0.1", "{cookie:?}");
        assert_eq!(cookie.path, "/", "{cookie:?}");
        assert!(!cookie.secure, "set over plain http: {cookie:?}");
        assert_eq!(cookie.http_only, cookie.name == "bungleatk", "{cookie:?}");
        let expires = cookie.expiration_date.expect("the session cookies expire");
        assert!(expires > now, "{cookie:?} expires in the future");
    }
}

#[test]
fn psn_login_with_a_password_answers_the_three_cookies() {
    let simulator = Simulator::start();
    let message =
        format!(r#"{{"id":2,"type":"psn_login","username":"{EMAIL}","password":"{PASSWORD}"}}"#);
    let (answer, stderr) = psn_login(&simulator, &chromium(COURIER_ORIGIN), &message);
    assert_signed_in(&simulator, &answer, 2, &stderr);
    assert!(
        stderr.contains("psn_login"),
        "the host logs to stderr: {stderr}"
    );
    assert!(
        !stderr.contains(PASSWORD),
        "the password reached stderr:\n{stderr}"
    );
}

#[test]
fn psn_login_with_npsso_answers_the_three_cookies() {
    let simulator = Simulator::start();
    let message = format!(r#"{{"id":5,"type":"psn_login","npsso":"{NPSSO}"}}"#);
    let (answer, stderr) = psn_login(&simulator, &firefox(GECKO_ID), &message);
    assert_signed_in(&simulator, &answer, 5, &stderr);
    assert!(
        !stderr.contains(NPSSO),
        "the npsso reached stderr:\n{stderr}"
    );
}

#[test]
fn psn_login_with_a_wrong_password_is_invalid_credentials() {
    let simulator = Simulator::start();
    let wrong = "wrong-Password-Canary-7f3a";
    let message =
        format!(r#"{{"id":3,"type":"psn_login","username":"{EMAIL}","password":"{wrong}"}}"#);
    let (answer, stderr) = psn_login(&simulator, &chromium(COURIER_ORIGIN), &message);
    assert_failed(&answer, Some(3), ErrorKind::InvalidCredentials);
    assert!(
        stderr.contains("psn_login"),
        "the host logs to stderr: {stderr}"
    );
    assert!(
        !stderr.contains(wrong),
        "the password reached stderr:\n{stderr}"
    );
}

#[test]
fn psn_login_when_sony_asks_a_captcha_is_captcha_required() {
    let simulator = Simulator::start();
    simulator.sim.state().lock().psn.set_captcha_required(true);
    let message =
        format!(r#"{{"id":4,"type":"psn_login","username":"{EMAIL}","password":"{PASSWORD}"}}"#);
    let (answer, stderr) = psn_login(&simulator, &chromium(COURIER_ORIGIN), &message);
    let text = assert_failed(&answer, Some(4), ErrorKind::CaptchaRequired);
    assert!(text.contains("browser"), "{text}");
    assert!(
        !stderr.contains(PASSWORD),
        "the password reached stderr:\n{stderr}"
    );
}

#[test]
fn psn_login_to_an_unreachable_server_is_network_with_the_step() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let origin = format!("http://127.0.0.1:{port}");
    let env = [
        ("COURIER_BUNGIE_ORIGIN", origin.as_str()),
        ("COURIER_PSN_ORIGIN", origin.as_str()),
    ];
    let mut host = Host::start(&chromium(COURIER_ORIGIN), &env);
    host.send(&format!(
        r#"{{"id":6,"type":"psn_login","npsso":"{NPSSO}"}}"#
    ));
    let answer = host.receive();
    assert_failed(&answer, Some(6), ErrorKind::Network);
    let Answer::Failed { error, .. } = &answer else {
        unreachable!("checked above");
    };
    assert_eq!(error.step.as_deref(), Some("bungie_sign_in"));
    host.close();
    assert_eq!(host.finish().status.code(), Some(0));
}
