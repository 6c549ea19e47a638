//! `install` and `uninstall`: write or remove each target's locations and report each one.

use std::io;
use std::process::ExitCode;

use super::store::{self, Removal, Written};
use super::{Args, Target, counted, manifest, this_binary};

/// Writes the manifest to every location of every target.
pub fn install(args: &Args, targets: &[Target]) -> anyhow::Result<ExitCode> {
    let binary = this_binary()?;
    let (mut changed, mut failed, mut total) = (0, 0, 0);
    for target in targets {
        let content = manifest::render(target.family, &binary, &args.extension_id);
        let label = target.label();
        for location in &target.locations {
            total += 1;
            match store::write(location, &content) {
                Ok(Written::Created) => {
                    changed += 1;
                    println!("{label}: installed {location}");
                }
                Ok(Written::Updated) => {
                    changed += 1;
                    println!("{label}: updated {location}");
                }
                Ok(Written::Unchanged) => println!("{label}: already installed: {location}"),
                Err(error) => {
                    failed += 1;
                    eprintln!(
                        "{label}: cannot write {location}: {error}{}",
                        permission_hint(&error, args.system)
                    );
                }
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "install: {failed} of {} could not be written (see above)",
            counted(total, "location")
        );
        return Ok(ExitCode::FAILURE);
    }
    if changed == 0 {
        println!(
            "install: nothing changed: the manifest was already in place ({})",
            counted(total, "location")
        );
    } else {
        println!(
            "install: wrote {changed} of {}; the host is {binary}",
            counted(total, "location")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes Courier's manifest from every location of every target.
pub fn uninstall(targets: &[Target]) -> anyhow::Result<ExitCode> {
    let (mut removed, mut failed, mut total) = (0, 0, 0);
    for target in targets {
        let label = target.label();
        for location in &target.locations {
            total += 1;
            match store::remove(location) {
                Ok(Removal::Removed) => {
                    removed += 1;
                    println!("{label}: removed {location}");
                }
                Ok(Removal::Absent) => println!("{label}: not installed: {location}"),
                Ok(Removal::Kept(why)) => println!("{label}: {why}"),
                Err(error) => {
                    failed += 1;
                    eprintln!("{label}: cannot remove {location}: {error}");
                }
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "uninstall: {failed} of {} could not be removed (see above)",
            counted(total, "location")
        );
        return Ok(ExitCode::FAILURE);
    }
    if removed == 0 {
        println!(
            "uninstall: nothing to remove: the manifest was in none of {}",
            counted(total, "location")
        );
    } else {
        println!(
            "uninstall: removed the manifest from {removed} of {}",
            counted(total, "location")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What to do about a refused write.
fn permission_hint(error: &io::Error, system: bool) -> &'static str {
    match (error.kind(), system) {
        (io::ErrorKind::PermissionDenied, true) => {
            " (--system writes the system folders: run it as root or an administrator)"
        }
        (io::ErrorKind::PermissionDenied, false) => {
            " (check who owns that folder; browsers create it for the user who runs them)"
        }
        _ => "",
    }
}
