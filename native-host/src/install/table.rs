//! Where each browser reads native-messaging host manifests: one pure table over the operating
//! system, the browser, the scope and the user's home. Nothing here touches the file system or the
//! environment, so every system's layout is unit-tested on any machine.
//!
//! Sources: Chrome's and MDN's native-messaging pages (the Chrome, Chromium and Firefox folders and
//! registry keys), Microsoft's Edge page, brave-core's `BraveMainDelegate::PreSandboxStartup` (Brave
//! points its native-messaging folders at Chrome's on macOS, and its system folder at Chrome's on
//! Linux), and the `native_messaging` crate's browser table. Vivaldi documents none: its own
//! folders are the ones every packager uses, plus the folder it inherits from Chromium (Linux) or
//! Chrome's registry key (Windows), which it was reported to read.

use std::fmt;
use std::path::{Path, PathBuf};

use super::manifest::{HOST_NAME, MANIFEST_FILE};

/// An operating system whose browser layout the table knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux (and any other Unix but macOS).
    Linux,
    /// macOS.
    Mac,
    /// Windows.
    Windows,
}

impl Os {
    /// The system this binary was built for.
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Mac
        } else {
            Os::Linux
        }
    }

    /// `base` followed by `parts`, with this system's separator (so Windows paths read right when
    /// the table runs on Linux).
    fn join(self, base: &Path, parts: &[&str]) -> PathBuf {
        let separator = if self == Os::Windows { '\\' } else { '/' };
        let mut path = base.to_string_lossy().into_owned();
        for part in parts {
            if !path.ends_with(separator) {
                path.push(separator);
            }
            path.push_str(part);
        }
        PathBuf::from(path)
    }
}

/// A browser Courier installs its host manifest for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    /// Google Chrome.
    Chrome,
    /// Chromium.
    Chromium,
    /// Microsoft Edge.
    Edge,
    /// Brave.
    Brave,
    /// Vivaldi.
    Vivaldi,
    /// Mozilla Firefox.
    Firefox,
}

impl Browser {
    /// Every browser, in the order reports list them.
    pub const ALL: [Browser; 6] = [
        Browser::Chrome,
        Browser::Chromium,
        Browser::Edge,
        Browser::Brave,
        Browser::Vivaldi,
        Browser::Firefox,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Chromium => "chromium",
            Browser::Edge => "edge",
            Browser::Brave => "brave",
            Browser::Vivaldi => "vivaldi",
            Browser::Firefox => "firefox",
        }
    }

    /// Which manifest format the browser reads.
    pub fn family(self) -> Family {
        match self {
            Browser::Firefox => Family::Firefox,
            _ => Family::Chromium,
        }
    }
}

impl fmt::Display for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The two manifest formats: `allowed_origins` (Chromium family) or `allowed_extensions` (Firefox).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Chrome, Chromium, Edge, Brave, Vivaldi.
    Chromium,
    /// Firefox.
    Firefox,
}

/// For whom the manifest is installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The current user (folders under the home, `HKEY_CURRENT_USER`).
    User,
    /// Every user of the machine (system folders, `HKEY_LOCAL_MACHINE`).
    System,
}

/// The user's folders the per-user locations hang from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    /// The home folder (`HOME`; on Windows the profile folder, e.g. `C:\Users\ana`).
    pub dir: PathBuf,
    /// `XDG_CONFIG_HOME` when set to an absolute path: Chromium-family browsers on Linux keep
    /// their profiles there (default `~/.config`).
    pub xdg_config: Option<PathBuf>,
}

impl Home {
    /// A home with the default configuration folder.
    #[cfg(test)]
    pub fn new(dir: impl Into<PathBuf>) -> Home {
        Home {
            dir: dir.into(),
            xdg_config: None,
        }
    }

    /// The Linux configuration folder: `XDG_CONFIG_HOME`, else `~/.config`.
    fn linux_config(&self) -> PathBuf {
        self.xdg_config
            .clone()
            .unwrap_or_else(|| Os::Linux.join(&self.dir, &[".config"]))
    }
}

/// A Windows registry root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hive {
    /// `HKEY_CURRENT_USER`.
    CurrentUser,
    /// `HKEY_LOCAL_MACHINE`.
    LocalMachine,
}

/// A registry key: its root and its path under that root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryKey {
    /// The root.
    pub hive: Hive,
    /// The path under the root, e.g. `Software\Google\Chrome\NativeMessagingHosts\dev.courier.host`.
    pub path: String,
}

impl fmt::Display for RegistryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hive = match self.hive {
            Hive::CurrentUser => "HKCU",
            Hive::LocalMachine => "HKLM",
        };
        write!(f, "{hive}\\{}", self.path)
    }
}

/// One place a browser finds the host manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Linux and macOS: the browser reads the manifest file at this path.
    File(PathBuf),
    /// Windows: the browser reads the key, whose default value is the manifest file's path.
    Registry {
        /// The key.
        key: RegistryKey,
        /// The manifest file the key points at.
        manifest: PathBuf,
    },
}

impl Location {
    /// The manifest file this location holds or points at.
    #[cfg(test)]
    pub fn manifest(&self) -> &Path {
        match self {
            Location::File(path) => path,
            Location::Registry { manifest, .. } => manifest,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Registry { key, manifest } => {
                write!(f, "{key} -> {}", manifest.display())
            }
        }
    }
}

/// Every place `browser` reads the host manifest on `os` for `scope`.
pub fn locations(os: Os, browser: Browser, scope: Scope, home: &Home) -> Vec<Location> {
    match os {
        Os::Linux | Os::Mac => manifest_dirs(os, browser, scope, home)
            .into_iter()
            .map(|dir| Location::File(os.join(&dir, &[MANIFEST_FILE])))
            .collect(),
        Os::Windows => registry_vendors(browser)
            .iter()
            .map(|vendor| registry_location(vendor, scope, home))
            .collect(),
    }
}

/// Where a Chromium-family browser started with `--user-data-dir=DIR` reads the manifest (besides
/// the system folder).
pub fn user_data_dir_location(dir: &Path) -> Location {
    Location::File(dir.join("NativeMessagingHosts").join(MANIFEST_FILE))
}

/// A file the browser writes the first time it runs for this user: its presence says the browser
/// is installed and used here (`Local State` in a Chromium profile folder, `profiles.ini` for
/// Firefox). Installing the manifest never creates it, unlike the profile folder itself on Linux.
pub fn first_run_marker(os: Os, browser: Browser, home: &Home) -> PathBuf {
    let marker = match browser.family() {
        Family::Chromium => "Local State",
        Family::Firefox => "profiles.ini",
    };
    os.join(&profile_dir(os, browser, home), &[marker])
}

/// The program names a browser installs on `PATH` (Linux packages; Windows adds `.exe`).
pub fn programs(browser: Browser) -> &'static [&'static str] {
    match browser {
        Browser::Chrome => &["google-chrome", "google-chrome-stable"],
        Browser::Chromium => &["chromium", "chromium-browser"],
        Browser::Edge => &["microsoft-edge", "microsoft-edge-stable"],
        Browser::Brave => &["brave-browser", "brave"],
        Browser::Vivaldi => &["vivaldi", "vivaldi-stable"],
        Browser::Firefox => &["firefox", "firefox-esr"],
    }
}

/// The folder a browser keeps its profiles in for this user.
fn profile_dir(os: Os, browser: Browser, home: &Home) -> PathBuf {
    let config = |name: &str| os.join(&home.linux_config(), &[name]);
    let support = |name: &str| os.join(&home.dir, &["Library", "Application Support", name]);
    let local = |vendor: &str| os.join(&home.dir, &["AppData", "Local", vendor, "User Data"]);
    match (os, browser) {
        (Os::Linux, Browser::Chrome) => config("google-chrome"),
        (Os::Linux, Browser::Chromium) => config("chromium"),
        (Os::Linux, Browser::Edge) => config("microsoft-edge"),
        (Os::Linux, Browser::Brave) => config("BraveSoftware/Brave-Browser"),
        (Os::Linux, Browser::Vivaldi) => config("vivaldi"),
        (Os::Linux, Browser::Firefox) => os.join(&home.dir, &[".mozilla", "firefox"]),
        (Os::Mac, Browser::Chrome) => support("Google/Chrome"),
        (Os::Mac, Browser::Chromium) => support("Chromium"),
        (Os::Mac, Browser::Edge) => support("Microsoft Edge"),
        (Os::Mac, Browser::Brave) => support("BraveSoftware/Brave-Browser"),
        (Os::Mac, Browser::Vivaldi) => support("Vivaldi"),
        (Os::Mac, Browser::Firefox) => support("Firefox"),
        (Os::Windows, Browser::Chrome) => local("Google\\Chrome"),
        (Os::Windows, Browser::Chromium) => local("Chromium"),
        (Os::Windows, Browser::Edge) => local("Microsoft\\Edge"),
        (Os::Windows, Browser::Brave) => local("BraveSoftware\\Brave-Browser"),
        (Os::Windows, Browser::Vivaldi) => local("Vivaldi"),
        (Os::Windows, Browser::Firefox) => {
            os.join(&home.dir, &["AppData", "Roaming", "Mozilla", "Firefox"])
        }
    }
}

/// The folders (Linux, macOS) the browser reads `dev.courier.host.json` from.
fn manifest_dirs(os: Os, browser: Browser, scope: Scope, home: &Home) -> Vec<PathBuf> {
    let fixed = |dirs: &[&str]| dirs.iter().map(PathBuf::from).collect::<Vec<_>>();
    match (os, scope) {
        (Os::Linux, Scope::User) => vec![match browser {
            Browser::Firefox => os.join(&home.dir, &[".mozilla", "native-messaging-hosts"]),
            _ => os.join(&profile_dir(os, browser, home), &["NativeMessagingHosts"]),
        }],
        (Os::Linux, Scope::System) => fixed(match browser {
            Browser::Chrome | Browser::Brave => &["/etc/opt/chrome/native-messaging-hosts"],
            Browser::Chromium => &["/etc/chromium/native-messaging-hosts"],
            Browser::Edge => &["/etc/opt/edge/native-messaging-hosts"],
            Browser::Vivaldi => &[
                "/etc/vivaldi/native-messaging-hosts",
                "/etc/chromium/native-messaging-hosts",
            ],
            Browser::Firefox => &[
                "/usr/lib/mozilla/native-messaging-hosts",
                "/usr/lib64/mozilla/native-messaging-hosts",
            ],
        }),
        (Os::Mac, Scope::User) => vec![match browser {
            // Brave reads Chrome's folder, not its own; Firefox reads Mozilla's, not its profile's.
            Browser::Brave => os.join(
                &profile_dir(os, Browser::Chrome, home),
                &["NativeMessagingHosts"],
            ),
            Browser::Firefox => os.join(
                &home.dir,
                &[
                    "Library",
                    "Application Support",
                    "Mozilla",
                    "NativeMessagingHosts",
                ],
            ),
            _ => os.join(&profile_dir(os, browser, home), &["NativeMessagingHosts"]),
        }],
        (Os::Mac, Scope::System) => fixed(match browser {
            Browser::Chrome | Browser::Brave => &["/Library/Google/Chrome/NativeMessagingHosts"],
            Browser::Chromium => &["/Library/Application Support/Chromium/NativeMessagingHosts"],
            Browser::Edge => &["/Library/Microsoft/Edge/NativeMessagingHosts"],
            Browser::Vivaldi => &["/Library/Application Support/Vivaldi/NativeMessagingHosts"],
            Browser::Firefox => &["/Library/Application Support/Mozilla/NativeMessagingHosts"],
        }),
        (Os::Windows, _) => Vec::new(),
    }
}

/// The vendor paths under `Software\` whose `NativeMessagingHosts` key the browser reads on
/// Windows, its own first.
fn registry_vendors(browser: Browser) -> &'static [&'static str] {
    match browser {
        Browser::Chrome => &["Google\\Chrome"],
        Browser::Chromium => &["Chromium"],
        Browser::Edge => &["Microsoft\\Edge"],
        Browser::Brave => &["BraveSoftware\\Brave-Browser", "Google\\Chrome"],
        Browser::Vivaldi => &["Vivaldi", "Google\\Chrome"],
        Browser::Firefox => &["Mozilla"],
    }
}

/// The key for one vendor, and the manifest file it points at: one file per key (under
/// `%LOCALAPPDATA%\Courier`, or `C:\Program Files\Courier` for every user, where only
/// administrators can write), so browsers sharing a key share the file too.
fn registry_location(vendor: &str, scope: Scope, home: &Home) -> Location {
    let (hive, base) = match scope {
        Scope::User => (
            Hive::CurrentUser,
            Os::Windows.join(&home.dir, &["AppData", "Local"]),
        ),
        Scope::System => (Hive::LocalMachine, PathBuf::from("C:\\Program Files")),
    };
    Location::Registry {
        key: RegistryKey {
            hive,
            path: format!("Software\\{vendor}\\NativeMessagingHosts\\{HOST_NAME}"),
        },
        manifest: Os::Windows.join(
            &base,
            &["Courier", "NativeMessagingHosts", vendor, MANIFEST_FILE],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The manifest paths of `browser`'s file locations.
    fn files(os: Os, browser: Browser, scope: Scope, home: &Home) -> Vec<String> {
        locations(os, browser, scope, home)
            .into_iter()
            .map(|location| match location {
                Location::File(path) => path.display().to_string(),
                other => panic!("{os:?} should use files, got {other}"),
            })
            .collect()
    }

    /// The keys and manifest paths of `browser`'s registry locations.
    fn keys(browser: Browser, scope: Scope, home: &Home) -> Vec<(String, String)> {
        locations(Os::Windows, browser, scope, home)
            .into_iter()
            .map(|location| match location {
                Location::Registry { key, manifest } => {
                    (key.to_string(), manifest.display().to_string())
                }
                other => panic!("Windows should use registry keys, got {other}"),
            })
            .collect()
    }

    #[test]
    fn linux_user_locations_are_under_the_config_folder_and_mozilla() {
        let home = Home::new("/home/ana");
        let expected = [
            (
                Browser::Chrome,
                "/home/ana/.config/google-chrome/NativeMessagingHosts",
            ),
            (
                Browser::Chromium,
                "/home/ana/.config/chromium/NativeMessagingHosts",
            ),
            (
                Browser::Edge,
                "/home/ana/.config/microsoft-edge/NativeMessagingHosts",
            ),
            (
                Browser::Brave,
                "/home/ana/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            ),
            (
                Browser::Vivaldi,
                "/home/ana/.config/vivaldi/NativeMessagingHosts",
            ),
            (
                Browser::Firefox,
                "/home/ana/.mozilla/native-messaging-hosts",
            ),
        ];
        for (browser, dir) in expected {
            assert_eq!(
                files(Os::Linux, browser, Scope::User, &home),
                [format!("{dir}/dev.courier.host.json")],
                "{browser}"
            );
        }
    }

    #[test]
    fn linux_honours_xdg_config_home_for_the_chromium_family_only() {
        let home = Home {
            dir: PathBuf::from("/home/ana"),
            xdg_config: Some(PathBuf::from("/xdg/config")),
        };
        assert_eq!(
            files(Os::Linux, Browser::Chromium, Scope::User, &home),
            ["/xdg/config/chromium/NativeMessagingHosts/dev.courier.host.json"]
        );
        assert_eq!(
            files(Os::Linux, Browser::Firefox, Scope::User, &home),
            ["/home/ana/.mozilla/native-messaging-hosts/dev.courier.host.json"]
        );
        assert_eq!(
            first_run_marker(Os::Linux, Browser::Chromium, &home),
            PathBuf::from("/xdg/config/chromium/Local State")
        );
    }

    #[test]
    fn linux_system_locations_are_the_documented_folders() {
        let home = Home::new("/home/ana");
        let file = |dir: &str| format!("{dir}/dev.courier.host.json");
        let system = |browser| files(Os::Linux, browser, Scope::System, &home);
        assert_eq!(
            system(Browser::Chrome),
            [file("/etc/opt/chrome/native-messaging-hosts")]
        );
        assert_eq!(
            system(Browser::Chromium),
            [file("/etc/chromium/native-messaging-hosts")]
        );
        assert_eq!(
            system(Browser::Edge),
            [file("/etc/opt/edge/native-messaging-hosts")]
        );
        assert_eq!(
            system(Browser::Brave),
            system(Browser::Chrome),
            "brave-core points Brave's system folder at Chrome's"
        );
        assert_eq!(
            system(Browser::Vivaldi),
            [
                file("/etc/vivaldi/native-messaging-hosts"),
                file("/etc/chromium/native-messaging-hosts")
            ]
        );
        assert_eq!(
            system(Browser::Firefox),
            [
                file("/usr/lib/mozilla/native-messaging-hosts"),
                file("/usr/lib64/mozilla/native-messaging-hosts")
            ]
        );
    }

    #[test]
    fn macos_locations_are_under_application_support_and_library() {
        let home = Home::new("/Users/ana");
        let support = "/Users/ana/Library/Application Support";
        let user = |browser| files(Os::Mac, browser, Scope::User, &home);
        let system = |browser| files(Os::Mac, browser, Scope::System, &home);
        let file = |dir: String| vec![format!("{dir}/NativeMessagingHosts/dev.courier.host.json")];
        assert_eq!(
            user(Browser::Chrome),
            file(format!("{support}/Google/Chrome"))
        );
        assert_eq!(user(Browser::Chromium), file(format!("{support}/Chromium")));
        assert_eq!(
            user(Browser::Edge),
            file(format!("{support}/Microsoft Edge"))
        );
        assert_eq!(user(Browser::Brave), user(Browser::Chrome));
        assert_eq!(user(Browser::Vivaldi), file(format!("{support}/Vivaldi")));
        assert_eq!(user(Browser::Firefox), file(format!("{support}/Mozilla")));
        assert_eq!(
            system(Browser::Chrome),
            file("/Library/Google/Chrome".into())
        );
        assert_eq!(
            system(Browser::Chromium),
            file("/Library/Application Support/Chromium".into())
        );
        assert_eq!(
            system(Browser::Edge),
            file("/Library/Microsoft/Edge".into())
        );
        assert_eq!(system(Browser::Brave), system(Browser::Chrome));
        assert_eq!(
            system(Browser::Vivaldi),
            file("/Library/Application Support/Vivaldi".into())
        );
        assert_eq!(
            system(Browser::Firefox),
            file("/Library/Application Support/Mozilla".into())
        );
    }

    #[test]
    fn windows_user_locations_are_hkcu_keys_pointing_into_local_app_data() {
        let home = Home::new("C:\\Users\\ana");
        let local = "C:\\Users\\ana\\AppData\\Local\\Courier\\NativeMessagingHosts";
        let entry = |vendor: &str| {
            (
                format!("HKCU\\Software\\{vendor}\\NativeMessagingHosts\\dev.courier.host"),
                format!("{local}\\{vendor}\\dev.courier.host.json"),
            )
        };
        let user = |browser| keys(browser, Scope::User, &home);
        assert_eq!(user(Browser::Chrome), [entry("Google\\Chrome")]);
        assert_eq!(user(Browser::Chromium), [entry("Chromium")]);
        assert_eq!(user(Browser::Edge), [entry("Microsoft\\Edge")]);
        assert_eq!(
            user(Browser::Brave),
            [
                entry("BraveSoftware\\Brave-Browser"),
                entry("Google\\Chrome")
            ]
        );
        assert_eq!(
            user(Browser::Vivaldi),
            [entry("Vivaldi"), entry("Google\\Chrome")]
        );
        assert_eq!(user(Browser::Firefox), [entry("Mozilla")]);
    }

    #[test]
    fn windows_system_locations_are_hklm_keys_pointing_into_program_files() {
        let home = Home::new("C:\\Users\\ana");
        assert_eq!(
            keys(Browser::Firefox, Scope::System, &home),
            [(
                "HKLM\\Software\\Mozilla\\NativeMessagingHosts\\dev.courier.host".to_owned(),
                "C:\\Program Files\\Courier\\NativeMessagingHosts\\Mozilla\\dev.courier.host.json"
                    .to_owned()
            )]
        );
        for browser in Browser::ALL {
            for (key, manifest) in keys(browser, Scope::System, &home) {
                assert!(key.starts_with("HKLM\\Software\\"), "{key}");
                assert!(
                    manifest.starts_with("C:\\Program Files\\Courier\\"),
                    "{manifest}"
                );
            }
        }
    }

    #[test]
    fn every_browser_has_a_location_on_every_system_and_scope() {
        let home = Home::new("/home/ana");
        for os in [Os::Linux, Os::Mac, Os::Windows] {
            for scope in [Scope::User, Scope::System] {
                for browser in Browser::ALL {
                    let found = locations(os, browser, scope, &home);
                    assert!(!found.is_empty(), "{os:?} {scope:?} {browser}");
                    for location in found {
                        assert!(
                            location
                                .manifest()
                                .to_string_lossy()
                                .ends_with(MANIFEST_FILE),
                            "{os:?} {scope:?} {browser}: {location}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_user_data_dir_holds_the_manifest_in_native_messaging_hosts() {
        assert_eq!(
            user_data_dir_location(Path::new("/tmp/profile")),
            Location::File(PathBuf::from(
                "/tmp/profile/NativeMessagingHosts/dev.courier.host.json"
            ))
        );
    }

    #[test]
    fn first_run_markers_sit_in_each_profile_folder() {
        let mac = Home::new("/Users/ana");
        assert_eq!(
            first_run_marker(Os::Mac, Browser::Brave, &mac),
            PathBuf::from(
                "/Users/ana/Library/Application Support/BraveSoftware/Brave-Browser/Local State"
            )
        );
        assert_eq!(
            first_run_marker(Os::Linux, Browser::Firefox, &Home::new("/home/ana")),
            PathBuf::from("/home/ana/.mozilla/firefox/profiles.ini")
        );
        let windows = Home::new("C:\\Users\\ana");
        assert_eq!(
            first_run_marker(Os::Windows, Browser::Edge, &windows),
            PathBuf::from(
                "C:\\Users\\ana\\AppData\\Local\\Microsoft\\Edge\\User Data\\Local State"
            )
        );
        assert_eq!(
            first_run_marker(Os::Windows, Browser::Firefox, &windows),
            PathBuf::from("C:\\Users\\ana\\AppData\\Roaming\\Mozilla\\Firefox\\profiles.ini")
        );
    }

    #[test]
    fn registry_keys_print_with_their_hive() {
        let key = RegistryKey {
            hive: Hive::LocalMachine,
            path: "Software\\Chromium\\NativeMessagingHosts\\dev.courier.host".into(),
        };
        assert_eq!(
            key.to_string(),
            "HKLM\\Software\\Chromium\\NativeMessagingHosts\\dev.courier.host"
        );
    }
}
