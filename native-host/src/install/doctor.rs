//! `doctor`: for each target, whether the manifest is where the browser reads it, is valid, runs
//! an executable binary and allows the extension; and the command that fixes what is not.

use std::fs;
use std::io;
use std::path::Path;
use std::process::ExitCode;

use super::store::{self, Found};
use super::table::{Family, Location};
use super::{Args, Target, counted, install_command, manifest};

/// Checks every location of every target and prints a report; fails when something is wrong.
pub fn run(args: &Args, targets: &[Target]) -> anyhow::Result<ExitCode> {
    let mut broken = 0;
    for target in targets {
        let label = target.label();
        let mut healthy = true;
        for location in &target.locations {
            match examine(location, target.family, &args.extension_id) {
                Ok(binary) => println!("{label}: ok: {location} (runs {binary})"),
                Err(problems) => {
                    healthy = false;
                    for problem in problems {
                        println!("{label}: problem: {location}: {problem}");
                    }
                }
            }
        }
        if !healthy {
            broken += 1;
            println!(
                "{label}: fix: run: {}",
                install_command(args, target.browser)
            );
        }
    }
    if broken == 0 {
        println!(
            "doctor: everything is in place ({})",
            counted(targets.len(), "browser")
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "doctor: {broken} of {} need the fix shown above",
            counted(targets.len(), "browser")
        );
        Ok(ExitCode::FAILURE)
    }
}

/// The binary the manifest at `location` runs, or what is wrong with it.
fn examine(
    location: &Location,
    family: Family,
    extension: &manifest::ExtensionId,
) -> Result<String, Vec<String>> {
    let bytes = match store::read(location) {
        Ok(Found::Manifest { bytes, .. }) => bytes,
        Ok(Found::Missing(what)) => return Err(vec![what]),
        Err(error) => return Err(vec![format!("cannot read it: {error}")]),
    };
    let binary = manifest::check(&bytes, family, extension)?;
    runnable(Path::new(&binary)).map_err(|problem| vec![problem])?;
    Ok(binary)
}

/// Whether `binary` is an existing, executable file.
fn runnable(binary: &Path) -> Result<(), String> {
    let metadata = fs::metadata(binary).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => format!("its host binary {} does not exist", binary.display()),
        _ => format!("cannot check its host binary {}: {error}", binary.display()),
    })?;
    if !metadata.is_file() {
        return Err(format!(
            "its host binary {} is not a file",
            binary.display()
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o111 == 0 {
            return Err(format!(
                "its host binary {} is not executable",
                binary.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_must_exist_be_a_file_and_run() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let missing = runnable(&dir.path().join("gone")).expect_err("missing");
        assert!(missing.contains("does not exist"), "{missing}");
        let folder = runnable(dir.path()).expect_err("a folder");
        assert!(folder.contains("not a file"), "{folder}");
        let file = dir.path().join("host");
        fs::write(&file, "").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).expect("chmod");
            let plain = runnable(&file).expect_err("not executable");
            assert!(plain.contains("not executable"), "{plain}");
            fs::set_permissions(&file, fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        assert_eq!(runnable(&file), Ok(()));
    }
}
