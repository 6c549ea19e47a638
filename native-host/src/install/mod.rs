//! Installing, removing and checking the native-messaging host manifest per browser.
//!
//! `install` writes `dev.courier.host.json`, pointing at this binary, in every place each chosen
//! browser reads it (the [`table`]; on Windows a registry key and the file it points at).
//! `uninstall` removes Courier's manifests from those same places and nothing else: a file is
//! removed only when it is a manifest named `dev.courier.host`, a registry key only when it points
//! at Courier's file. No state file is kept; the table says where to look. `doctor` checks each
//! place and prints the command that fixes what is wrong.
//!
//! Without `--browser`, `install` and `doctor` work on the browsers found on this machine (see
//! [`detect`]), and `uninstall` on every browser, so it also cleans up after a browser that is
//! gone.

mod apply;
mod detect;
mod doctor;
mod manifest;
mod registry;
mod store;
mod table;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::builder::PossibleValue;

use manifest::ExtensionId;
use table::{Browser, Family, Home, Location, Os, Scope};

/// `install`, `uninstall` and `doctor` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The browser. Default: every browser found here (it has run for this user, or its program
    /// is on PATH); for uninstall, all.
    #[arg(long, value_enum, value_name = "BROWSER")]
    browser: Option<Selection>,
    /// Only DIR/NativeMessagingHosts/: what a Chromium-family browser started with
    /// --user-data-dir=DIR reads on Linux and macOS (with the system folder), instead of the
    /// browser's own folders.
    #[arg(long, value_name = "DIR", conflicts_with = "system")]
    user_data_dir: Option<PathBuf>,
    /// The Chromium extension id to allow (32 letters a-p); Firefox always allows
    /// courier@courier.dev.
    #[arg(long, value_name = "ID", default_value = manifest::PINNED_EXTENSION_ID)]
    extension_id: ExtensionId,
    /// For every user of this machine: the system folders (HKLM on Windows). Needs root or an
    /// administrator.
    #[arg(long)]
    system: bool,
}

/// `--browser`: one browser, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection {
    /// This browser.
    One(Browser),
    /// Every browser Courier knows, found here or not.
    All,
}

impl clap::ValueEnum for Selection {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Selection::One(Browser::Chrome),
            Selection::One(Browser::Chromium),
            Selection::One(Browser::Edge),
            Selection::One(Browser::Brave),
            Selection::One(Browser::Vivaldi),
            Selection::One(Browser::Firefox),
            Selection::All,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Selection::One(browser) => browser.name(),
            Selection::All => "all",
        }))
    }
}

/// `courier-host install`.
pub fn install(args: &Args) -> anyhow::Result<ExitCode> {
    apply::install(args, &targets(args, Unnamed::Found)?)
}

/// `courier-host uninstall`.
pub fn uninstall(args: &Args) -> anyhow::Result<ExitCode> {
    apply::uninstall(&targets(args, Unnamed::Every)?)
}

/// `courier-host doctor`.
pub fn doctor(args: &Args) -> anyhow::Result<ExitCode> {
    doctor::run(args, &targets(args, Unnamed::Found)?)
}

/// One browser's share of a command: the manifest format it reads and where.
struct Target {
    /// The browser; `None` for `--user-data-dir` without `--browser`.
    browser: Option<Browser>,
    /// The manifest format.
    family: Family,
    /// Every place the manifest goes.
    locations: Vec<Location>,
}

impl Target {
    /// The name reports print for this target.
    fn label(&self) -> &'static str {
        self.browser.map_or("user-data-dir", Browser::name)
    }
}

/// Which browsers a command without `--browser` works on.
#[derive(Debug, Clone, Copy)]
enum Unnamed {
    /// The browsers found on this machine.
    Found,
    /// Every browser.
    Every,
}

/// The targets the flags name.
fn targets(args: &Args, unnamed: Unnamed) -> anyhow::Result<Vec<Target>> {
    if let Some(dir) = &args.user_data_dir {
        return Ok(vec![user_data_dir_target(
            Os::current(),
            args.browser,
            dir,
        )?]);
    }
    let os = Os::current();
    let home = home_from_env()?;
    let scope = if args.system {
        Scope::System
    } else {
        Scope::User
    };
    let browsers = match (args.browser, unnamed) {
        (Some(Selection::One(browser)), _) => vec![browser],
        (Some(Selection::All), _) | (None, Unnamed::Every) => Browser::ALL.to_vec(),
        (None, Unnamed::Found) => {
            let path = std::env::var_os("PATH");
            let found = detect::found_browsers(os, &home, path.as_deref());
            if found.is_empty() {
                bail!(
                    "no browser found on this machine (none has run for this user, and none is \
                     on PATH); name one with --browser chrome|chromium|edge|brave|vivaldi|firefox, \
                     or --browser all"
                );
            }
            found
        }
    };
    Ok(browsers
        .into_iter()
        .map(|browser| Target {
            browser: Some(browser),
            family: browser.family(),
            locations: table::locations(os, browser, scope, &home),
        })
        .collect())
}

/// The one target of `--user-data-dir DIR`.
fn user_data_dir_target(os: Os, browser: Option<Selection>, dir: &Path) -> anyhow::Result<Target> {
    if os == Os::Windows {
        bail!(
            "on Windows, browsers find native-messaging manifests only through the registry, \
             whatever their user data folder: run without --user-data-dir"
        );
    }
    let browser = match browser {
        Some(Selection::One(Browser::Firefox)) => bail!(
            "--user-data-dir is for Chromium-family browsers; Firefox reads manifests only from \
             its own folders: run without --user-data-dir"
        ),
        Some(Selection::One(Browser::Brave)) => bail!(
            "Brave reads native-messaging manifests from Chrome's folders, not from its user data \
             folder: run without --user-data-dir"
        ),
        Some(Selection::One(browser)) => Some(browser),
        Some(Selection::All) | None => None,
    };
    let dir = std::path::absolute(dir)
        .with_context(|| format!("cannot find the absolute path of {}", dir.display()))?;
    Ok(Target {
        browser,
        family: Family::Chromium,
        locations: vec![table::user_data_dir_location(&dir)],
    })
}

/// The user's home and configuration folders, from the environment.
fn home_from_env() -> anyhow::Result<Home> {
    let dir = std::env::home_dir()
        .filter(|dir| dir.is_absolute())
        .context("cannot find your home folder: set HOME to its absolute path")?;
    let xdg_config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute());
    Ok(Home { dir, xdg_config })
}

/// This binary's absolute path, as the manifest's `path` holds it.
fn this_binary() -> anyhow::Result<String> {
    let exe =
        std::env::current_exe().context("cannot find the path of this courier-host binary")?;
    exe.to_str().map(str::to_owned).with_context(|| {
        format!(
            "this binary's path {} is not valid Unicode, which a manifest cannot hold; move \
             courier-host to a folder with a plain name",
            exe.display()
        )
    })
}

/// `1 location`, `2 locations`: a count with its noun.
fn counted(count: usize, noun: &str) -> String {
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{plural}")
}

/// The `install` command that writes what `browser` needs, with the same flags.
fn install_command(args: &Args, browser: Option<Browser>) -> String {
    let mut command = String::from("courier-host install");
    if let Some(browser) = browser {
        let _ = write!(command, " --browser {browser}");
    }
    if let Some(dir) = &args.user_data_dir {
        let dir = dir.display().to_string();
        if dir.contains(char::is_whitespace) {
            let _ = write!(command, " --user-data-dir '{dir}'");
        } else {
            let _ = write!(command, " --user-data-dir {dir}");
        }
    }
    if !args.extension_id.is_pinned() {
        let _ = write!(command, " --extension-id {}", args.extension_id);
    }
    if args.system {
        command.push_str(" --system (as root or an administrator)");
    }
    command
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    /// The flags alone, as `courier-host install` parses them.
    #[derive(Debug, Parser)]
    struct Flags {
        #[command(flatten)]
        args: Args,
    }

    fn parse(flags: &[&str]) -> Result<Args, clap::Error> {
        Flags::try_parse_from(std::iter::once("install").chain(flags.iter().copied()))
            .map(|flags| flags.args)
    }

    #[test]
    fn the_flags_parse_into_a_browser_an_id_and_a_scope() {
        let args = parse(&["--browser", "edge", "--system"]).expect("valid flags");
        assert_eq!(args.browser, Some(Selection::One(Browser::Edge)));
        assert!(args.system);
        assert!(args.extension_id.is_pinned());
        let all = parse(&["--browser", "all"]).expect("valid flags");
        assert_eq!(all.browser, Some(Selection::All));
    }

    #[test]
    fn every_browser_can_be_named_on_the_command_line() {
        use clap::ValueEnum;
        let named: Vec<Selection> = Browser::ALL.into_iter().map(Selection::One).collect();
        assert_eq!(
            Selection::value_variants(),
            [named, vec![Selection::All]].concat()
        );
    }

    #[test]
    fn bad_flags_are_refused_with_the_reason() {
        let error = parse(&["--extension-id", "not-an-id"]).expect_err("a bad id");
        assert!(
            error.to_string().contains("32 letters from a to p"),
            "{error}"
        );
        assert!(parse(&["--browser", "safari"]).is_err());
        assert!(parse(&["--system", "--user-data-dir", "/tmp/p"]).is_err());
    }

    #[test]
    fn a_user_data_dir_is_for_the_chromium_family_that_reads_it() {
        let dir = Path::new("/tmp/profile");
        let target = user_data_dir_target(Os::Linux, None, dir).expect("any Chromium");
        assert_eq!(target.label(), "user-data-dir");
        assert_eq!(target.locations, [table::user_data_dir_location(dir)]);
        let chromium = user_data_dir_target(Os::Mac, Some(Selection::One(Browser::Chromium)), dir)
            .expect("Chromium reads it");
        assert_eq!(chromium.label(), "chromium");
        for refused in [Browser::Firefox, Browser::Brave] {
            let error = user_data_dir_target(Os::Linux, Some(Selection::One(refused)), dir)
                .err()
                .expect("refused");
            assert!(
                error.to_string().contains("run without --user-data-dir"),
                "{error}"
            );
        }
        let windows = user_data_dir_target(Os::Windows, None, dir)
            .err()
            .expect("Windows reads the registry only");
        assert!(windows.to_string().contains("registry"), "{windows}");
    }

    #[test]
    fn counts_read_in_the_singular_and_the_plural() {
        assert_eq!(counted(1, "location"), "1 location");
        assert_eq!(counted(6, "browser"), "6 browsers");
        assert_eq!(counted(0, "location"), "0 locations");
    }

    #[test]
    fn the_fix_repeats_the_flags_that_matter() {
        let args = parse(&[
            "--user-data-dir",
            "/tmp/my profile",
            "--extension-id",
            "abcdefghijklmnopabcdefghijklmnop",
        ])
        .expect("valid flags");
        assert_eq!(
            install_command(&args, Some(Browser::Chromium)),
            "courier-host install --browser chromium --user-data-dir '/tmp/my profile' \
             --extension-id abcdefghijklmnopabcdefghijklmnop"
        );
        let system = parse(&["--system"]).expect("valid flags");
        assert_eq!(
            install_command(&system, Some(Browser::Firefox)),
            "courier-host install --browser firefox --system (as root or an administrator)"
        );
    }
}
