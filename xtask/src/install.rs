//! `cargo xtask install`: builds the extension and courier-host, installs the native host's
//! manifest for the browsers found, and says where the extension is and how to load it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::packaging::{self as dist, Built, Defaults};
use crate::tools::{self, cargo, target_dir};

/// Options of `cargo xtask install`, passed to `courier-host install`.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct InstallArgs {
    /// Only for this browser: chrome, chromium, edge, brave, vivaldi, firefox or all (default:
    /// every browser found on this machine).
    #[arg(long, value_name = "BROWSER")]
    pub browser: Option<String>,
    /// For a browser started with `--user-data-dir DIR` (it reads host manifests only there).
    #[arg(long, value_name = "DIR")]
    pub user_data_dir: Option<PathBuf>,
}

/// Builds, installs the native host, and prints how to load the extension.
pub fn run(root: &Path, args: &InstallArgs) -> Result<()> {
    let built = dist::build(root, &Defaults::from_env())?;
    let host = build_host(root)?;
    tools::run(&mut host_install(
        &host,
        &built.extension_id,
        args.browser.as_deref(),
        args.user_data_dir.as_deref(),
    ))?;
    print!("{}", guide(&built));
    Ok(())
}

/// Builds courier-host in release mode and returns the binary's path.
pub fn build_host(root: &Path) -> Result<PathBuf> {
    tools::run(
        cargo()
            .args(["build", "--release", "-p", "courier-host"])
            .current_dir(root),
    )?;
    Ok(target_dir(root)
        .join("release")
        .join(format!("courier-host{}", std::env::consts::EXE_SUFFIX)))
}

/// `courier-host install` for the extension `extension_id`, for one browser or (with `None`)
/// every browser found, and for a browser profile folder when given.
pub fn host_install(
    host: &Path,
    extension_id: &str,
    browser: Option<&str>,
    user_data_dir: Option<&Path>,
) -> Command {
    let mut command = Command::new(host);
    command.arg("install");
    if let Some(browser) = browser {
        command.args(["--browser", browser]);
    }
    if let Some(dir) = user_data_dir {
        command.arg("--user-data-dir").arg(dir);
    }
    command.args(["--extension-id", extension_id]);
    command
}

/// Where the extension folders are and how to load each.
fn guide(built: &Built) -> String {
    let Built { dist, extension_id } = built;
    format!(
        "\nCourier is built and its native host is installed.\n\n\
         Chromium, Chrome, Edge, Brave, Vivaldi: load the folder\n  {chromium}\n  \
         1. Open chrome://extensions (edge://extensions, brave://extensions, vivaldi://extensions).\n  \
         2. Turn on Developer mode (top right).\n  \
         3. Click \"Load unpacked\" and choose the folder above.\n  \
         Its id is {extension_id}, the one id the native host answers.\n\n\
         Firefox: the folder\n  {firefox}\n  \
         Open about:debugging#/runtime/this-firefox, click \"Load Temporary Add-on...\" and choose\n  \
         manifest.json in that folder.\n\n\
         Zips for a store or another machine: {chromium_zip}, {firefox_zip}\n\
         Set your own bungie.net API key on the extension's options page (see README.md).\n",
        chromium = dist.chromium.display(),
        firefox = dist.firefox.display(),
        chromium_zip = dist.chromium_zip.display(),
        firefox_zip = dist.firefox_zip.display(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packaging::Dist;
    use crate::tools::describe;

    #[test]
    fn the_host_installs_for_the_browsers_found_unless_one_is_named() {
        let host = Path::new("/repo/target/release/courier-host");
        assert_eq!(
            describe(&host_install(host, "abc", None, None)),
            "courier-host install --extension-id abc"
        );
        assert_eq!(
            describe(&host_install(
                host,
                "abc",
                Some("chromium"),
                Some(Path::new("/tmp/profile"))
            )),
            "courier-host install --browser chromium --user-data-dir /tmp/profile --extension-id abc"
        );
    }

    #[test]
    fn the_guide_says_where_the_folders_are_and_how_to_load_them() {
        let built = Built {
            dist: Dist::at(Path::new("/repo")),
            extension_id: "nikakecbkkfjobcpnlceoecocaphahof".to_owned(),
        };
        let guide = guide(&built);
        for expected in [
            "/repo/dist/extension\n",
            "chrome://extensions",
            "Developer mode",
            "Load unpacked",
            "nikakecbkkfjobcpnlceoecocaphahof",
            "/repo/dist/extension-firefox\n",
            "about:debugging",
            "/repo/dist/courier-chromium.zip",
            "/repo/dist/courier-firefox.zip",
        ] {
            assert!(
                guide.contains(expected),
                "missing {expected:?} in:\n{guide}"
            );
        }
    }
}
