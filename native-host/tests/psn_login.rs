//! `courier-host login` as a person runs it, against an in-process courier-sim: the secret on
//! stdin, the origins and config folder in the environment. Checks the exit status, what is
//! printed, the saved session (mode 0600, cookies only, working for Platform calls), and that
//! the password appears in no output and no file.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::Once;

use courier_sim::{Sim, SimConfig, ThrottleMode};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

/// The simulator's password in these tests: distinctive, so a leak is unmistakable.
const PASSWORD: &str = "correct-horse-battery-NEVER-LOG-ME";
/// A wrong password, just as distinctive.
const WRONG_PASSWORD: &str = "hunter2-NEVER-LOG-ME";

async fn sim_with(config: SimConfig) -> Sim {
    let sim = Sim::start(SimConfig {
        throttle: ThrottleMode::Off,
        ..config
    })
    .await
    .expect("the simulator starts");
    sim.state().lock().world.account.password = PASSWORD.to_string();
    sim
}

async fn sim() -> Sim {
    sim_with(SimConfig::default()).await
}

/// A client for the control API and Platform checks.
fn client() -> reqwest::Client {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

fn email(sim: &Sim) -> String {
    sim.state().lock().world.account.email.clone()
}

/// A fake home: the config folder and HOME both inside one temp dir.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn session_file(&self) -> PathBuf {
        self.config().join("courier").join("session.json")
    }

    /// Every file under the fake home.
    fn files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("a readable folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    walk(&path, found);
                } else {
                    found.push(path);
                }
            }
        }
        let mut found = Vec::new();
        walk(self.dir.path(), &mut found);
        found
    }

    /// `courier-host login ARGS` with `stdin` piped in, both origins at `base`.
    async fn login(&self, base: &str, args: &[&str], stdin: &str) -> Output {
        self.login_with(base, base, args, stdin, &[]).await
    }

    async fn login_with(
        &self,
        bungie: &str,
        psn: &str,
        args: &[&str],
        stdin: &str,
        env: &[(&str, &str)],
    ) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_courier-host"));
        command
            .arg("login")
            .args(args)
            .env("XDG_CONFIG_HOME", self.config())
            .env("HOME", self.dir.path())
            .env("COURIER_BUNGIE_ORIGIN", bungie)
            .env("COURIER_PSN_ORIGIN", psn)
            .env("COURIER_API_KEY", courier_sim::DEFAULT_API_KEY)
            .env("RUST_LOG", "trace")
            .env_remove("COURIER_CA_FILE")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("courier-host starts");
        let mut input = child.stdin.take().expect("a stdin pipe");
        // A host that refuses early exits before reading stdin: a broken pipe here is fine,
        // the exit status and output say what happened.
        let _ = input.write_all(stdin.as_bytes()).await;
        drop(input);
        child.wait_with_output().await.expect("courier-host ends")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The paths of the requests the simulator answered.
async fn hops(sim: &Sim) -> Vec<String> {
    let log: Value = client()
        .get(format!("{}/__sim/log", sim.http_url()))
        .send()
        .await
        .expect("the control API answers")
        .json()
        .await
        .expect("the log");
    log.as_array()
        .expect("a list")
        .iter()
        .map(|entry| {
            format!(
                "{} {}",
                entry["method"].as_str().unwrap_or("?"),
                entry["path"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// Asserts no output and no file under the fake home holds `secret`.
fn assert_nowhere(home: &Home, output: &Output, secret: &str) {
    assert!(
        !text(&output.stdout).contains(secret),
        "stdout shows the password"
    );
    assert!(
        !text(&output.stderr).contains(secret),
        "stderr shows the password"
    );
    for file in home.files() {
        let bytes = std::fs::read(&file).expect("a readable file");
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{} holds the password",
            file.display()
        );
    }
}

#[tokio::test]
async fn login_save_keeps_a_private_session_that_works_for_platform_calls() {
    let sim = sim().await;
    let home = Home::new();
    let output = home
        .login(
            sim.http_url(),
            &[
                "--psn",
                "--username",
                &email(&sim),
                "--password-stdin",
                "--save",
            ],
            &format!("{PASSWORD}\n"),
        )
        .await;
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    let account = sim.state().lock().world.account.clone();
    assert!(
        stdout.contains(&format!(
            "bungie.net member {}",
            account.bungie_membership_id
        )),
        "{stdout}"
    );
    assert!(stdout.contains("Saved the session"), "{stdout}");
    assert_eq!(
        hops(&sim).await,
        [
            "GET /en/User/SignIn/Psnid",
            "GET /2.0/oauth/authorize",
            "POST /login.do",
            "GET /2.0/oauth/authorize",
            "GET /en/User/SignIn/Psnid",
            "GET /Platform/User/GetMembershipsForCurrentUser/",
        ],
        "no more requests than the flow needs"
    );

    let path = home.session_file();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("the session file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let saved: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("readable")).expect("JSON");
    assert_eq!(
        saved["bungieMembershipId"],
        json!(account.bungie_membership_id.to_string())
    );
    let cookie = |name: &str| {
        saved["cookies"]
            .as_array()
            .expect("cookies")
            .iter()
            .find(|c| c["name"] == name)
            .and_then(|c| c["value"].as_str())
            .expect("the cookie")
            .to_string()
    };
    assert_nowhere(&home, &output, PASSWORD);

    let profile: Value = client()
        .get(format!(
            "{}/Platform/Destiny2/{}/Profile/{}/?components=100",
            sim.http_url(),
            account.membership_type,
            account.destiny_membership_id
        ))
        .header("x-api-key", sim.api_key())
        .header("x-csrf", cookie("bungled"))
        .header(
            "cookie",
            format!(
                "bungled={}; bungleatk={}; bungledid={}",
                cookie("bungled"),
                cookie("bungleatk"),
                cookie("bungledid")
            ),
        )
        .send()
        .await
        .expect("GetProfile answers")
        .json()
        .await
        .expect("an envelope");
    assert_eq!(profile["ErrorCode"], 1, "{profile}");
}

#[tokio::test]
async fn a_wrong_password_exits_3_and_is_never_written_or_printed() {
    let sim = sim().await;
    let home = Home::new();
    let output = home
        .login(
            sim.http_url(),
            &[
                "--psn",
                "--username",
                &email(&sim),
                "--password-stdin",
                "--save",
            ],
            &format!("{WRONG_PASSWORD}\n"),
        )
        .await;
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("invalid_credentials") && stderr.contains("did not accept"),
        "{stderr}"
    );
    assert!(
        !home.session_file().exists(),
        "a refused sign-in saves nothing"
    );
    assert_nowhere(&home, &output, WRONG_PASSWORD);
    assert_eq!(hops(&sim).await.len(), 3);
}

#[tokio::test]
async fn without_save_nothing_is_written() {
    let sim = sim().await;
    let home = Home::new();
    let output = home
        .login(
            sim.http_url(),
            &["--psn", "--username", &email(&sim), "--password-stdin"],
            PASSWORD,
        )
        .await;
    assert!(output.status.success(), "{output:?}");
    assert!(
        text(&output.stdout).contains("--save"),
        "it says how to keep the session"
    );
    assert!(home.files().is_empty(), "{:?}", home.files());
}

#[tokio::test]
async fn an_npsso_on_stdin_signs_in_and_a_stale_one_exits_3() {
    let sim = sim().await;
    let home = Home::new();
    let npsso = sim.state().lock().world.account.npsso.clone();
    let output = home
        .login(
            sim.http_url(),
            &["--psn", "--npsso-stdin", "--save"],
            &format!("{npsso}\r\n"),
        )
        .await;
    assert!(output.status.success(), "{output:?}");
    assert!(home.session_file().exists());
    assert_nowhere(&home, &output, &npsso);

    let output = home
        .login(sim.http_url(), &["--psn", "--npsso-stdin"], "stale-npsso\n")
        .await;
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert!(text(&output.stderr).contains("npsso"), "{output:?}");
}

#[tokio::test]
async fn a_captcha_exits_4_and_says_to_use_the_browser() {
    let sim = sim().await;
    client()
        .post(format!("{}/__sim/psn", sim.http_url()))
        .json(&json!({"captchaRequired": true}))
        .send()
        .await
        .expect("the control API answers");
    let home = Home::new();
    let output = home
        .login(
            sim.http_url(),
            &["--psn", "--username", &email(&sim), "--password-stdin"],
            PASSWORD,
        )
        .await;
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("captcha_required") && stderr.contains("in the browser"),
        "{stderr}"
    );
}

#[tokio::test]
async fn https_needs_the_simulators_certificate_in_courier_ca_file() {
    let sim = sim_with(SimConfig {
        https: Some("127.0.0.1:0".parse().expect("an address")),
        ..SimConfig::default()
    })
    .await;
    let base = sim.https_url().expect("an HTTPS listener").to_string();
    let home = Home::new();
    let ca = home.dir.path().join("sim.pem");
    std::fs::write(&ca, sim.certificate_pem().expect("the certificate")).expect("write the PEM");
    let args = [
        "--psn",
        "--username",
        &email(&sim),
        "--password-stdin",
        "--save",
    ];
    let ca_env = [("COURIER_CA_FILE", ca.to_str().expect("a UTF-8 path"))];
    let output = home
        .login_with(&base, &base, &args, PASSWORD, &ca_env)
        .await;
    assert!(output.status.success(), "{output:?}");
    let saved = std::fs::read_to_string(home.session_file()).expect("saved");
    assert!(saved.contains("\"secure\": true"), "{saved}");

    let output = home.login_with(&base, &base, &args, PASSWORD, &[]).await;
    assert_eq!(
        output.status.code(),
        Some(5),
        "an untrusted certificate: {output:?}"
    );
    assert!(text(&output.stderr).contains("network"), "{output:?}");
}

#[tokio::test]
async fn refused_origins_and_empty_input_exit_2_before_any_request() {
    let sim = sim().await;
    let home = Home::new();
    let args = [
        "--psn",
        "--username",
        "guardian@example.com",
        "--password-stdin",
    ];
    let output = home
        .login_with(
            sim.http_url(),
            "http://auth.example.com",
            &args,
            PASSWORD,
            &[],
        )
        .await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("bad_request")
            && stderr.contains("COURIER_PSN_ORIGIN")
            && stderr.contains("plain http"),
        "{stderr}"
    );

    let output = home.login(sim.http_url(), &args, "\n").await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        text(&output.stderr).contains("held no password"),
        "{output:?}"
    );
    assert!(hops(&sim).await.is_empty(), "nothing was sent");

    let output = home
        .login(sim.http_url(), &["--psn", "--username", "a@b"], PASSWORD)
        .await;
    assert!(
        !output.status.success(),
        "a secret source is required: {output:?}"
    );
}

#[tokio::test]
async fn nobody_listening_exits_5() {
    let home = Home::new();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        format!("http://{}", listener.local_addr().expect("an address"))
    };
    let output = home
        .login(
            &closed,
            &[
                "--psn",
                "--username",
                "guardian@example.com",
                "--password-stdin",
            ],
            PASSWORD,
        )
        .await;
    assert_eq!(output.status.code(), Some(5), "{output:?}");
    assert!(
        text(&output.stderr).contains("network: Could not reach bungie.net"),
        "{output:?}"
    );
    assert_nowhere(&home, &output, PASSWORD);
}
