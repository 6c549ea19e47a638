//! Helpers for running other programs and finding the repository's folders.

use std::env;
use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use anyhow::{Result, bail};

/// The repository root: the folder above this crate.
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// Cargo's target folder: `CARGO_TARGET_DIR` when set (a relative one counts from the root,
/// where these tasks run cargo), else `target/` under the root.
pub fn target_dir(root: &Path) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// A `Command` for the cargo that runs this task (so the same toolchain builds everything).
pub fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

/// The command line as a person would type it, for headers and error messages.
pub fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    command
        .get_args()
        .map(|arg| arg.to_string_lossy().into_owned())
        .fold(program, |line, arg| line + " " + &arg)
}

/// Runs `command` with this process's terminal, failing unless it exits successfully.
pub fn run(command: &mut Command) -> Result<()> {
    let line = describe(command);
    println!("  $ {line}");
    let status = command.status().map_err(|err| start_error(&line, &err))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs `command` and returns its standard output when it starts and succeeds, `None` otherwise
/// (a missing program, or one that fails, simply is not "present").
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether this process runs as root (`id -u` prints 0).
pub fn is_root() -> bool {
    probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

/// A child process that is killed and reaped when dropped.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // Either call fails only when the process is already gone, which is the goal.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Turns a failure to start `line` into a message that says what to check.
pub fn start_error(line: &str, err: &std::io::Error) -> anyhow::Error {
    if err.kind() == ErrorKind::NotFound {
        anyhow::anyhow!("could not start `{line}`: program not found; is it installed and on PATH?")
    } else {
        anyhow::anyhow!("could not start `{line}`: {err}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_shows_program_name_and_arguments() {
        let mut command = Command::new("/usr/bin/rustup");
        command.args(["target", "add", "wasm32-unknown-unknown"]);
        assert_eq!(
            describe(&command),
            "rustup target add wasm32-unknown-unknown"
        );
    }

    #[test]
    fn probe_is_none_for_a_missing_program() {
        assert_eq!(probe(&mut Command::new("courier-no-such-program")), None);
    }

    #[test]
    fn run_reports_the_failing_command() {
        let err = run(Command::new("false").arg("--flag")).expect_err("`false` must fail");
        assert!(err.to_string().contains("`false --flag` failed"), "{err}");
    }
}
