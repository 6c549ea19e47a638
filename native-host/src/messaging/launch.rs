//! Whether the command line is a browser starting the host, and which extension it is for.

use std::ffi::OsString;

/// How Chromium-family browsers name the calling extension.
const CHROMIUM_SCHEME: &str = "chrome-extension://";

/// The flag Chromium adds on Windows (`--parent-window=1234`).
const PARENT_WINDOW_FLAG: &str = "--parent-window=";

/// How the browser started the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// The caller: `chrome-extension://ID/` (Chromium family) or the add-on id (Firefox).
    pub origin: String,
}

/// The launch, when the arguments are a browser's native-messaging start:
/// `[path, "chrome-extension://ID/"]` (on Windows also `--parent-window=N`) from Chromium, or
/// `[path, "/path/to/manifest.json", "addon@id"]` from Firefox. Anything else is the CLI.
pub fn launch_from_args(args: impl IntoIterator<Item = OsString>) -> Option<Launch> {
    let args: Vec<OsString> = args.into_iter().skip(1).collect();
    let args: Vec<&str> = args.iter().map(|arg| arg.to_str()).collect::<Option<_>>()?;
    let origin = match args.as_slice() {
        [origin] if is_chromium_origin(origin) => origin,
        [origin, parent] if is_chromium_origin(origin) && is_parent_window(parent) => origin,
        [manifest, addon] if is_manifest_path(manifest) && is_gecko_id(addon) => addon,
        _ => return None,
    };
    Some(Launch {
        origin: (*origin).to_string(),
    })
}

/// `chrome-extension://…`, the only argument Chromium passes besides the Windows flag.
fn is_chromium_origin(arg: &str) -> bool {
    arg.starts_with(CHROMIUM_SCHEME)
}

/// `--parent-window=` and a window handle in decimal.
fn is_parent_window(arg: &str) -> bool {
    arg.strip_prefix(PARENT_WINDOW_FLAG)
        .is_some_and(|handle| !handle.is_empty() && handle.bytes().all(|b| b.is_ascii_digit()))
}

/// The host manifest Firefox started the host from.
fn is_manifest_path(arg: &str) -> bool {
    arg.to_ascii_lowercase().ends_with(".json")
}

/// A Firefox add-on id: `name@domain` or a `{GUID}`.
fn is_gecko_id(arg: &str) -> bool {
    let email_like = arg
        .split_once('@')
        .is_some_and(|(name, domain)| !domain.is_empty() && !name.starts_with('-'));
    let guid = arg.len() > 2 && arg.starts_with('{') && arg.ends_with('}');
    email_like || guid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(args: &[&str]) -> Option<Launch> {
        launch_from_args(
            std::iter::once("/opt/courier/courier-host")
                .chain(args.iter().copied())
                .map(OsString::from),
        )
    }

    fn origin(origin: &str) -> Option<Launch> {
        Some(Launch {
            origin: origin.to_string(),
        })
    }

    #[test]
    fn chromium_starts_with_the_extension_origin() {
        let id = "chrome-extension://nikakecbkkfjobcpnlceoecocaphahof/";
        assert_eq!(launch(&[id]), origin(id));
        assert_eq!(launch(&[id, "--parent-window=6620"]), origin(id));
        // A foreign extension is still a browser launch: the allow-list refuses it later.
        assert_eq!(
            launch(&["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"]),
            origin("chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")
        );
    }

    #[test]
    fn firefox_starts_with_the_manifest_and_the_addon_id() {
        assert_eq!(
            launch(&[
                "/home/p/.mozilla/native-messaging-hosts/dev.courier.host.json",
                "courier@courier.dev"
            ]),
            origin("courier@courier.dev")
        );
        assert_eq!(
            launch(&[
                r"C:\Courier\dev.courier.host.JSON",
                "{d3a1c2b4-0000-4000-8000-000000000000}"
            ]),
            origin("{d3a1c2b4-0000-4000-8000-000000000000}")
        );
    }

    #[test]
    fn anything_else_is_the_cli() {
        for args in [
            &[][..],
            &["login", "--psn"],
            &["inspect", "profile", "saved.json"],
            &["chrome-extension://x/", "--parent-window="],
            &["chrome-extension://x/", "--parent-window=12ab"],
            &["chrome-extension://x/", "extra"],
            &["chrome-extension://x/", "--parent-window=1", "extra"],
            &["manifest.json"],
            &["manifest.txt", "courier@courier.dev"],
            &["manifest.json", "not-an-addon-id"],
            &["manifest.json", "--flag@x"],
            &["manifest.json", "courier@courier.dev", "extra"],
            &["doctor", "chrome-extension://x/"],
        ] {
            assert_eq!(launch(args), None, "{args:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn arguments_that_are_not_unicode_are_the_cli() {
        use std::os::unix::ffi::OsStringExt;
        let args = [
            OsString::from("courier-host"),
            OsString::from_vec(b"chrome-extension://\xff/".to_vec()),
        ];
        assert_eq!(launch_from_args(args), None);
    }
}
