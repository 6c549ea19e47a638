//! `courier-host install`, `uninstall` and `doctor`, run as the built binary against a fake home
//! and a `--user-data-dir`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The origin the pinned extension id gives.
const PINNED_ORIGIN: &str = "chrome-extension://nikakecbkkfjobcpnlceoecocaphahof/";

/// A fake machine: a home, an empty `PATH` folder, and room for user data folders.
struct Machine {
    root: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let root = tempfile::tempdir().expect("a temporary folder");
        fs::create_dir_all(root.path().join("home")).expect("a home");
        fs::create_dir_all(root.path().join("bin")).expect("a PATH folder");
        Machine { root }
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.path().join(relative)
    }

    /// `courier-host ARGS` with this machine's HOME, no XDG_CONFIG_HOME and an empty PATH.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_courier-host"));
        command
            .args(args)
            .env("HOME", self.home())
            .env("PATH", self.path("bin"))
            .env_remove("XDG_CONFIG_HOME");
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::of(self.command(args).output().expect("courier-host runs"))
    }
}

/// What one run printed and how it ended.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts the exit code and returns the run.
    fn exits(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    fn says(&self, text: &str) -> bool {
        self.stdout.contains(text) || self.stderr.contains(text)
    }
}

fn read_json(path: &Path) -> Value {
    let bytes = fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_slice(&bytes).expect("a manifest is JSON")
}

/// The built binary, as the manifest must name it.
fn this_host() -> PathBuf {
    fs::canonicalize(env!("CARGO_BIN_EXE_courier-host")).expect("the binary exists")
}

fn assert_points_at_this_host(manifest: &Value) {
    let path = manifest["path"].as_str().expect("a path");
    assert!(Path::new(path).is_absolute(), "{path}");
    assert_eq!(
        fs::canonicalize(path).expect("the path exists"),
        this_host()
    );
}

#[test]
fn a_user_data_dir_install_is_idempotent_checked_repaired_and_removed_exactly() {
    let machine = Machine::new();
    let profile = machine.path("profile");
    let profile_flag = profile.to_str().expect("a UTF-8 temp path");
    let hosts = profile.join("NativeMessagingHosts");
    let manifest = hosts.join("dev.courier.host.json");
    let udd = ["--user-data-dir", profile_flag];
    let with = |command: &'static str| [&[command][..], &udd[..]].concat();

    let first = machine.run(&with("install")).exits(0);
    assert!(first.says("installed"), "{}", first.stdout);
    let written = read_json(&manifest);
    assert_eq!(written["name"], "dev.courier.host");
    assert_eq!(written["type"], "stdio");
    assert_eq!(
        written["allowed_origins"],
        serde_json::json!([PINNED_ORIGIN])
    );
    assert!(written.get("allowed_extensions").is_none());
    assert_points_at_this_host(&written);

    let bytes = fs::read(&manifest).expect("the manifest");
    let modified = fs::metadata(&manifest)
        .and_then(|m| m.modified())
        .expect("mtime");
    let second = machine.run(&with("install")).exits(0);
    assert!(second.says("nothing changed"), "{}", second.stdout);
    assert_eq!(fs::read(&manifest).expect("the manifest"), bytes);
    assert_eq!(
        fs::metadata(&manifest)
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified,
        "an unchanged manifest is not rewritten"
    );

    let healthy = machine.run(&with("doctor")).exits(0);
    assert!(healthy.says("ok:"), "{}", healthy.stdout);

    let unrelated = hosts.join("com.example.other.json");
    fs::write(&unrelated, br#"{"name":"com.example.other"}"#).expect("an unrelated manifest");

    fs::write(&manifest, b"{ \"name\": ").expect("corrupt the manifest");
    let corrupt = machine.run(&with("doctor")).exits(1);
    assert!(corrupt.says("not valid JSON"), "{}", corrupt.stdout);
    let fix = format!("fix: run: courier-host install --user-data-dir {profile_flag}");
    assert!(corrupt.says(&fix), "{}", corrupt.stdout);

    fs::remove_file(&manifest).expect("delete the manifest");
    let missing = machine.run(&with("doctor")).exits(1);
    assert!(missing.says("no manifest at"), "{}", missing.stdout);
    assert!(missing.says(&fix), "{}", missing.stdout);

    machine.run(&with("install")).exits(0);
    machine.run(&with("doctor")).exits(0);

    let removed = machine.run(&with("uninstall")).exits(0);
    assert!(removed.says("removed"), "{}", removed.stdout);
    assert!(!manifest.exists(), "the manifest is gone");
    assert!(unrelated.exists(), "the unrelated manifest stays");
    let again = machine.run(&with("uninstall")).exits(0);
    assert!(again.says("nothing to remove"), "{}", again.stdout);
}

#[test]
fn firefox_gets_allowed_extensions_in_its_own_folder() {
    let machine = Machine::new();
    machine.run(&["install", "--browser", "firefox"]).exits(0);
    let manifest = read_json(
        &machine
            .home()
            .join(".mozilla/native-messaging-hosts/dev.courier.host.json"),
    );
    assert_eq!(manifest["name"], "dev.courier.host");
    assert_eq!(
        manifest["allowed_extensions"],
        serde_json::json!(["courier@courier.dev"])
    );
    assert!(manifest.get("allowed_origins").is_none());
    assert_points_at_this_host(&manifest);
    machine.run(&["doctor", "--browser", "firefox"]).exits(0);
}

#[test]
fn every_browser_installs_under_the_home_and_uninstall_cleans_every_one() {
    let machine = Machine::new();
    let home = machine.home();
    let expected = [
        ".config/google-chrome/NativeMessagingHosts",
        ".config/chromium/NativeMessagingHosts",
        ".config/microsoft-edge/NativeMessagingHosts",
        ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        ".config/vivaldi/NativeMessagingHosts",
        ".mozilla/native-messaging-hosts",
    ]
    .map(|dir| home.join(dir).join("dev.courier.host.json"));
    machine.run(&["install", "--browser", "all"]).exits(0);
    for manifest in &expected {
        assert_points_at_this_host(&read_json(manifest));
    }
    machine.run(&["doctor", "--browser", "all"]).exits(0);

    fs::remove_file(&expected[2]).expect("delete Edge's manifest");
    let broken = machine.run(&["doctor", "--browser", "all"]).exits(1);
    assert!(
        broken.says("edge: fix: run: courier-host install --browser edge"),
        "{}",
        broken.stdout
    );
    assert!(broken.says("chromium: ok:"), "{}", broken.stdout);

    let unrelated = home.join(".config/chromium/NativeMessagingHosts/org.example.json");
    fs::write(&unrelated, "{}").expect("an unrelated file");
    machine.run(&["uninstall"]).exits(0);
    for manifest in &expected {
        assert!(!manifest.exists(), "{} is gone", manifest.display());
    }
    assert!(unrelated.exists(), "the unrelated file stays");
}

#[test]
fn xdg_config_home_moves_the_chromium_family_folders() {
    let machine = Machine::new();
    let xdg = machine.path("xdg");
    let run = Run::of(
        machine
            .command(&["install", "--browser", "chrome"])
            .env("XDG_CONFIG_HOME", &xdg)
            .output()
            .expect("courier-host runs"),
    )
    .exits(0);
    assert!(run.says("installed"), "{}", run.stdout);
    assert_points_at_this_host(&read_json(
        &xdg.join("google-chrome/NativeMessagingHosts/dev.courier.host.json"),
    ));
    assert!(!machine.home().join(".config").exists());
}

#[test]
fn without_browser_only_the_browsers_found_here_are_installed() {
    let machine = Machine::new();
    let nothing = machine.run(&["install"]).exits(1);
    assert!(nothing.says("no browser found"), "{}", nothing.stderr);

    let vivaldi = machine.home().join(".config/vivaldi");
    fs::create_dir_all(&vivaldi).expect("a Vivaldi profile");
    fs::write(vivaldi.join("Local State"), "{}").expect("Vivaldi has run");
    machine.run(&["install"]).exits(0);
    assert!(
        vivaldi
            .join("NativeMessagingHosts/dev.courier.host.json")
            .is_file()
    );
    assert!(!machine.home().join(".config/chromium").exists());
    assert!(!machine.home().join(".mozilla").exists());
    let doctor = machine.run(&["doctor"]).exits(0);
    assert!(doctor.says("vivaldi: ok:"), "{}", doctor.stdout);
    assert!(!doctor.says("chromium"), "{}", doctor.stdout);
}

#[test]
fn the_extension_id_is_validated_and_checked_by_doctor() {
    let machine = Machine::new();
    let refused = machine
        .run(&["install", "--browser", "chromium", "--extension-id", "xyz"])
        .exits(2);
    assert!(refused.says("32 letters from a to p"), "{}", refused.stderr);
    assert!(!machine.home().join(".config").exists());

    let other = "abcdefghijklmnopabcdefghijklmnop";
    machine
        .run(&["install", "--browser", "chromium", "--extension-id", other])
        .exits(0);
    let manifest = read_json(
        &machine
            .home()
            .join(".config/chromium/NativeMessagingHosts/dev.courier.host.json"),
    );
    assert_eq!(
        manifest["allowed_origins"],
        serde_json::json!([format!("chrome-extension://{other}/")])
    );
    machine
        .run(&["doctor", "--browser", "chromium", "--extension-id", other])
        .exits(0);
    let pinned = machine.run(&["doctor", "--browser", "chromium"]).exits(1);
    assert!(pinned.says(PINNED_ORIGIN), "{}", pinned.stdout);
}

#[test]
fn doctor_catches_a_manifest_whose_binary_is_gone() {
    let machine = Machine::new();
    let hosts = machine.path("profile/NativeMessagingHosts");
    fs::create_dir_all(&hosts).expect("hosts folder");
    let gone = machine.path("gone/courier-host");
    let manifest = serde_json::json!({
        "name": "dev.courier.host",
        "description": "an old install",
        "path": gone,
        "type": "stdio",
        "allowed_origins": [PINNED_ORIGIN],
    });
    fs::write(hosts.join("dev.courier.host.json"), manifest.to_string()).expect("an old manifest");
    let profile = machine.path("profile");
    let profile_flag = profile.to_str().expect("a UTF-8 temp path");
    let run = machine
        .run(&["doctor", "--user-data-dir", profile_flag])
        .exits(1);
    assert!(run.says("does not exist"), "{}", run.stdout);
    let updated = machine
        .run(&["install", "--user-data-dir", profile_flag])
        .exits(0);
    assert!(updated.says("updated"), "{}", updated.stdout);
    machine
        .run(&["doctor", "--user-data-dir", profile_flag])
        .exits(0);
}
