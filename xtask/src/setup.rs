//! `cargo xtask setup`: installs what building and testing need, skipping what is present.
//!
//! Every item prints one line: `ok: ...` when it is already there, `installing ...` before it is
//! installed, or `skipped: ...` with what to do when this task may not install it.

use std::io::ErrorKind;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::lockfile;
use crate::tools::{self, cargo, is_root, probe, target_dir};

/// The Rust target the wasm core is built for.
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The wasm-pack release known to work offline here (see PLATFORM-NOTES).
const WASM_PACK_VERSION: &str = "0.15.1";
/// Where the browser tests expect Debian's Chromium.
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
/// The command that installs Chromium for the browser tests.
pub(crate) const CHROMIUM_INSTALL: &str =
    "apt-get update && apt-get install -y chromium chromium-driver";
/// The Debian packages behind [`CHROMIUM_INSTALL`].
const CHROMIUM_PACKAGES: AptPackages<'static> = AptPackages {
    what: "chromium",
    packages: &["chromium", "chromium-driver"],
    without: "the browser tests will skip",
};
/// The Rust target courier-host is compile-checked for (`cargo xtask test`, step "windows check").
pub(crate) const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";
/// The C compiler that target's C dependencies (ring) build with.
pub(crate) const MINGW_GCC: &str = "x86_64-w64-mingw32-gcc";
/// The Debian package that provides [`MINGW_GCC`].
const MINGW_PACKAGES: AptPackages<'static> = AptPackages {
    what: "the MinGW-w64 C compiler",
    packages: &["gcc-mingw-w64-x86-64"],
    without: "the Windows compile check will skip",
};

/// Installs every missing item, in the order the build needs them.
pub fn run(root: &Path) -> Result<()> {
    rust_target(WASM_TARGET)?;
    rust_target(WINDOWS_TARGET)?;
    let bindgen = lockfile::locked_version_in(&root.join("Cargo.lock"), "wasm-bindgen")?;
    // One target folder for both installs, so dependencies they share compile once and an
    // interrupted install resumes where it stopped.
    let install_dir = target_dir(root).join("tool-install");
    CargoTool {
        binary: "wasm-bindgen",
        package: "wasm-bindgen-cli",
        version: &bindgen,
        // With --locked the install fails: one locked dependency is missing from the registry.
        locked: false,
    }
    .ensure(&install_dir)?;
    CargoTool {
        binary: "wasm-pack",
        package: "wasm-pack",
        version: WASM_PACK_VERSION,
        locked: true,
    }
    .ensure(&install_dir)?;
    npm_packages(&root.join("tests"))?;
    let chromium = Path::new(CHROMIUM).exists().then_some(CHROMIUM);
    CHROMIUM_PACKAGES.ensure(chromium)?;
    let mingw = probe(Command::new(MINGW_GCC).arg("--version")).map(|_| MINGW_GCC);
    MINGW_PACKAGES.ensure(mingw)
}

/// Adds a Rust target with rustup unless it is installed.
fn rust_target(target: &str) -> Result<()> {
    let installed = probe(Command::new("rustup").args(["target", "list", "--installed"]))
        .with_context(|| format!("`rustup target list --installed` failed; the {target} target is installed with rustup (https://rustup.rs)"))?;
    if lists_line(&installed, target) {
        println!("ok: {target} target already installed");
        return Ok(());
    }
    println!("installing {target} target");
    tools::run(Command::new("rustup").args(["target", "add", target]))
}

/// A binary installed by `cargo install` at an exact version.
struct CargoTool<'a> {
    /// The program's name on PATH.
    binary: &'a str,
    /// The crates.io package that provides it.
    package: &'a str,
    /// The exact version wanted.
    version: &'a str,
    /// Whether to install with the package's own lockfile.
    locked: bool,
}

impl CargoTool<'_> {
    /// Installs the tool unless `<binary> --version` already reports the wanted version.
    fn ensure(&self, install_dir: &Path) -> Result<()> {
        let found = self.installed_version();
        if found.as_deref() == Some(self.version) {
            println!("ok: {} {} already installed", self.binary, self.version);
            return Ok(());
        }
        let why = found.map_or_else(|| "not found".to_owned(), |other| format!("found {other}"));
        println!(
            "installing {} {} ({why}; this takes several minutes)",
            self.package, self.version
        );
        let mut install = cargo();
        install
            .args([
                "install",
                self.package,
                "--version",
                self.version,
                "--target-dir",
            ])
            .arg(install_dir);
        if self.locked {
            install.arg("--locked");
        }
        tools::run(&mut install)?;
        match self.installed_version() {
            Some(now) if now == self.version => Ok(()),
            now => bail!(
                "installed {} {}, but `{} --version` now reports {}; put cargo's bin folder \
                 (usually ~/.cargo/bin) first on PATH",
                self.package,
                self.version,
                self.binary,
                now.as_deref().unwrap_or("nothing (not found)")
            ),
        }
    }

    /// The version `<binary> --version` reports, if the binary runs.
    fn installed_version(&self) -> Option<String> {
        let output = probe(Command::new(self.binary).arg("--version"))?;
        reported_version(&output).map(str::to_owned)
    }
}

/// Runs `npm ci` in `tests/` unless its node_modules is at least as new as package-lock.json.
pub(crate) fn npm_packages(tests_dir: &Path) -> Result<()> {
    let lock = tests_dir.join("package-lock.json");
    let lock_time = modified(&lock)?
        .with_context(|| format!("{} is missing; run `npm install` in tests/", lock.display()))?;
    // npm writes this hidden lockfile into node_modules at the end of every install.
    let installed_time = modified(&tests_dir.join("node_modules").join(".package-lock.json"))?;
    let Some(why) = npm_install_reason(lock_time, installed_time) else {
        println!("ok: npm packages in tests/ already installed");
        return Ok(());
    };
    println!("installing npm packages in tests/ ({why})");
    tools::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(tests_dir),
    )
}

/// Debian packages that apt-get installs as root when what they provide is missing.
struct AptPackages<'a> {
    /// What they provide, for messages.
    what: &'a str,
    /// The packages.
    packages: &'a [&'a str],
    /// What goes without them.
    without: &'a str,
}

impl AptPackages<'_> {
    /// Installs the packages as root unless `found` names where they already are; otherwise
    /// says how to install them.
    fn ensure(&self, found: Option<&str>) -> Result<()> {
        let what = self.what;
        if let Some(found) = found {
            println!("ok: {what} already installed ({found})");
            return Ok(());
        }
        let install = self.command_line();
        if !is_root() || probe(Command::new("apt-get").arg("--version")).is_none() {
            println!(
                "skipped: {what} is missing and this task installs it only as root with apt-get; \
                 {}. To install, as root: {install}",
                self.without
            );
            return Ok(());
        }
        println!("installing {what} ({install})");
        tools::run(Command::new("apt-get").arg("update"))?;
        tools::run(
            Command::new("apt-get")
                .args(["install", "-y"])
                .args(self.packages)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    }

    /// The command a person runs as root to install the packages.
    fn command_line(&self) -> String {
        format!(
            "apt-get update && apt-get install -y {}",
            self.packages.join(" ")
        )
    }
}

/// Whether `listing` has `item` alone on one of its lines.
fn lists_line(listing: &str, item: &str) -> bool {
    listing.lines().any(|line| line.trim() == item)
}

/// The version in a `--version` answer such as `wasm-bindgen 0.2.130`.
fn reported_version(output: &str) -> Option<&str> {
    output.split_whitespace().nth(1)
}

/// Why `npm ci` must run, given when package-lock.json and the last install were written.
fn npm_install_reason(lock: SystemTime, installed: Option<SystemTime>) -> Option<&'static str> {
    match installed {
        None => Some("node_modules is missing"),
        Some(installed) if installed < lock => Some("package-lock.json is newer than node_modules"),
        Some(_) => None,
    }
}

/// When `path` was last written, or `None` when it does not exist.
fn modified(path: &Path) -> Result<Option<SystemTime>> {
    match std::fs::metadata(path) {
        Ok(metadata) => Ok(Some(metadata.modified().with_context(|| {
            format!("cannot read the modification time of {}", path.display())
        })?)),
        Err(err) if err.kind() == ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn an_installed_target_is_found_among_the_listed_ones() {
        let listing = "x86_64-unknown-linux-gnu\nwasm32-unknown-unknown\n";
        assert!(lists_line(listing, WASM_TARGET));
        assert!(!lists_line(
            "x86_64-unknown-linux-gnu\nwasm32-wasip1\n",
            WASM_TARGET
        ));
    }

    #[test]
    fn a_target_name_inside_a_longer_line_does_not_count() {
        assert!(!lists_line("wasm32-unknown-unknown-extra\n", WASM_TARGET));
    }

    #[test]
    fn the_apt_command_lines_name_every_package() {
        assert_eq!(CHROMIUM_PACKAGES.command_line(), CHROMIUM_INSTALL);
        assert_eq!(
            MINGW_PACKAGES.command_line(),
            "apt-get update && apt-get install -y gcc-mingw-w64-x86-64"
        );
    }

    #[test]
    fn the_version_is_read_from_the_second_word() {
        assert_eq!(reported_version("wasm-bindgen 0.2.130\n"), Some("0.2.130"));
        assert_eq!(reported_version("wasm-pack 0.15.1"), Some("0.15.1"));
        assert_eq!(reported_version("wasm-pack"), None);
        assert_eq!(reported_version(""), None);
    }

    #[test]
    fn npm_installs_when_node_modules_is_missing_or_older_than_the_lock() {
        let lock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let older = lock - Duration::from_secs(1);
        let newer = lock + Duration::from_secs(1);
        assert_eq!(
            npm_install_reason(lock, None),
            Some("node_modules is missing")
        );
        assert_eq!(
            npm_install_reason(lock, Some(older)),
            Some("package-lock.json is newer than node_modules")
        );
        assert_eq!(npm_install_reason(lock, Some(newer)), None);
        assert_eq!(npm_install_reason(lock, Some(lock)), None);
    }

    #[test]
    fn a_missing_file_has_no_modification_time() {
        let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-file");
        assert_eq!(
            modified(&missing).expect("a missing file is not an error"),
            None
        );
        assert!(
            modified(Path::new(env!("CARGO_MANIFEST_DIR")))
                .expect("the crate folder exists")
                .is_some()
        );
    }
}
