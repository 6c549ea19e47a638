//! Where courier-host talks to and with which key: the bungie.net and PSN origins, the API key,
//! the config file (`$XDG_CONFIG_HOME/courier/config.json`, else the platform's config folder),
//! and the one HTTP client builder every request goes through.
//!
//! Precedence, for each setting: the command-line flag (API key only), then the environment
//! (`COURIER_BUNGIE_ORIGIN`, `COURIER_PSN_ORIGIN`, `COURIER_API_KEY`), then the config file
//! (`bungieOrigin`, `psnOrigin`, `apiKey`), then the default. Plain `http://` is allowed only to
//! loopback addresses; every origin is checked by [`check_origin`].

use std::ffi::OsString;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::Duration;

use serde::Deserialize;
use url::{Host, Url};

/// bungie.net's origin.
pub const DEFAULT_BUNGIE_ORIGIN: &str = "https://www.bungie.net";
/// Sony's sign-in origin.
pub const DEFAULT_PSN_ORIGIN: &str = "https://auth.api.sonyentertainmentnetwork.com";
/// The API key used when none is configured (the simulator's).
pub const SANDBOX_API_KEY: &str = "sandbox-api-key";

/// Overrides bungie.net's origin.
pub const BUNGIE_ORIGIN_ENV: &str = "COURIER_BUNGIE_ORIGIN";
/// Overrides Sony's sign-in origin.
pub const PSN_ORIGIN_ENV: &str = "COURIER_PSN_ORIGIN";
/// Sets the API key.
pub const API_KEY_ENV: &str = "COURIER_API_KEY";
/// A PEM file of extra certificates to trust (for a local simulator's self-signed certificate).
pub const CA_FILE_ENV: &str = "COURIER_CA_FILE";

/// The folder under the config directory that holds Courier's files.
const APP_FOLDER: &str = "courier";
/// The config file's name in that folder.
const CONFIG_FILE: &str = "config.json";
/// The longest a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// The longest one request may take, answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest config file read.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An origin that Courier will not talk to.
    #[error("{from} is {origin:?}, which Courier will not use: {reason}")]
    Origin {
        /// The origin as given.
        origin: String,
        /// Where it came from (`COURIER_BUNGIE_ORIGIN`, the config file's `bungieOrigin`).
        from: String,
        /// Why it was refused, and what would do.
        reason: String,
    },
    /// No config directory could be found.
    #[error("no config directory: set XDG_CONFIG_HOME (or HOME) to a folder Courier may write to")]
    NoConfigDir,
    /// The config file exists but cannot be read.
    #[error("cannot read the config file {}: {reason}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The config file is not the JSON Courier expects.
    #[error(
        "the config file {} is not valid: {reason}. It is a JSON object with the optional fields bungieOrigin, psnOrigin and apiKey.",
        .path.display()
    )]
    Parse {
        /// The file.
        path: PathBuf,
        /// serde's reason.
        reason: String,
    },
    /// `COURIER_CA_FILE` names a file that is not a readable PEM certificate bundle.
    #[error("{CA_FILE_ENV} is {}, which cannot be used: {reason}", .path.display())]
    CaFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

/// Where bungie.net and Sony's sign-in are, each a checked origin (`scheme://host[:port]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origins {
    /// bungie.net (`https://www.bungie.net`).
    pub bungie: String,
    /// Sony's sign-in (`https://auth.api.sonyentertainmentnetwork.com`).
    pub psn: String,
}

impl Default for Origins {
    fn default() -> Self {
        Self {
            bungie: DEFAULT_BUNGIE_ORIGIN.to_string(),
            psn: DEFAULT_PSN_ORIGIN.to_string(),
        }
    }
}

impl Origins {
    /// The origins from the environment, else the config file, else the defaults.
    pub fn load() -> Result<Self, ConfigError> {
        Self::resolve(|name| std::env::var(name).ok(), &ConfigFile::load()?)
    }

    /// The origins from `env` (a variable's value by name), else `file`, else the defaults.
    fn resolve(
        env: impl Fn(&str) -> Option<String>,
        file: &ConfigFile,
    ) -> Result<Self, ConfigError> {
        let pick = |variable: &str, field: &str, from_file: &Option<String>, default: &str| {
            if let Some(value) = env(variable).filter(|v| !v.is_empty()) {
                return checked(&value, variable);
            }
            match from_file {
                Some(value) => checked(value, &format!("the config file's {field}")),
                None => Ok(default.to_string()),
            }
        };
        Ok(Self {
            bungie: pick(
                BUNGIE_ORIGIN_ENV,
                "bungieOrigin",
                &file.bungie_origin,
                DEFAULT_BUNGIE_ORIGIN,
            )?,
            psn: pick(
                PSN_ORIGIN_ENV,
                "psnOrigin",
                &file.psn_origin,
                DEFAULT_PSN_ORIGIN,
            )?,
        })
    }
}

/// [`check_origin`], with where the origin came from in the error.
fn checked(origin: &str, from: &str) -> Result<String, ConfigError> {
    check_origin(origin).map_err(|reason| ConfigError::Origin {
        origin: origin.to_string(),
        from: from.to_string(),
        reason,
    })
}

/// Checks that `origin` is one Courier may talk to and answers it normalized
/// (`scheme://host[:port]`, no trailing slash): `https://` anywhere, plain `http://` only to a
/// loopback address (127.0.0.0/8, `::1`, `localhost`), and nothing but scheme, host and port.
/// The error says why, for a person.
pub fn check_origin(origin: &str) -> Result<String, String> {
    let url = Url::parse(origin.trim()).map_err(|error| {
        format!("it is not a URL ({error}); an origin looks like https://www.bungie.net")
    })?;
    let host = url
        .host()
        .ok_or_else(|| "it has no host; an origin looks like https://www.bungie.net".to_string())?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(format!(
                "plain http is allowed only to this machine (127.0.0.1, ::1 or localhost), and {host} is not; use https://{host}"
            ));
        }
        other => return Err(format!("the scheme {other}: is not http or https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it carries a user name or password; give only scheme, host and port".into());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(
            "it has a path, query or fragment; give only scheme, host and port (https://www.bungie.net)"
                .into(),
        );
    }
    Ok(url.origin().ascii_serialization())
}

/// Whether a host is this machine: 127.0.0.0/8, `::1` or `localhost`.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
    }
}

/// The config file's contents; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigFile {
    /// bungie.net's origin.
    pub bungie_origin: Option<String>,
    /// Sony's sign-in origin.
    pub psn_origin: Option<String>,
    /// The bungie.net API key.
    pub api_key: Option<String>,
    /// The native-messaging callers to answer, instead of Courier's own extension.
    pub allowed_origins: Option<Vec<String>>,
}

impl ConfigFile {
    /// Reads the config file; a missing file (or config directory) is an empty configuration.
    pub fn load() -> Result<Self, ConfigError> {
        match config_dir() {
            Ok(dir) => Self::read(&dir.join(CONFIG_FILE)),
            Err(ConfigError::NoConfigDir) => Ok(Self::default()),
            Err(other) => Err(other),
        }
    }

    /// Reads a config file at `path`; a missing file is an empty configuration.
    fn read(path: &Path) -> Result<Self, ConfigError> {
        use std::io::Read;
        let read_error = |error: std::io::Error| ConfigError::Read {
            path: path.to_path_buf(),
            reason: error.to_string(),
        };
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(error) => return Err(read_error(error)),
        };
        let mut text = Vec::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_end(&mut text)
            .map_err(read_error)?;
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(ConfigError::Parse {
                path: path.to_path_buf(),
                reason: format!("it is over {} KiB", MAX_CONFIG_BYTES / 1024),
            });
        }
        serde_json::from_slice(&text).map_err(|error| ConfigError::Parse {
            path: path.to_path_buf(),
            reason: error.to_string(),
        })
    }
}

/// The bungie.net API key: `cli_flag`, else `COURIER_API_KEY`, else the config file's `apiKey`,
/// else [`SANDBOX_API_KEY`]. An unreadable config file is reported on stderr (through `tracing`)
/// and skipped; [`Origins::load`] fails on it.
pub fn api_key(cli_flag: Option<String>) -> String {
    let file = ConfigFile::load().unwrap_or_else(|error| {
        tracing::warn!("{error}; using no API key from it");
        ConfigFile::default()
    });
    pick_api_key(cli_flag, std::env::var(API_KEY_ENV).ok(), &file)
}

/// The first non-empty key of the flag, the environment and the file, else the sandbox key.
fn pick_api_key(cli_flag: Option<String>, env: Option<String>, file: &ConfigFile) -> String {
    [cli_flag, env, file.api_key.clone()]
        .into_iter()
        .flatten()
        .map(|key| key.trim().to_string())
        .find(|key| !key.is_empty())
        .unwrap_or_else(|| SANDBOX_API_KEY.to_string())
}

/// Courier's config folder: `$XDG_CONFIG_HOME/courier` when that is set (to an absolute path),
/// else the platform's (`~/.config/courier`, `~/Library/Application Support/courier`,
/// `%APPDATA%\courier`).
pub fn config_dir() -> Result<PathBuf, ConfigError> {
    config_dir_from(std::env::var_os("XDG_CONFIG_HOME"))
}

/// [`config_dir`] with `XDG_CONFIG_HOME` given.
fn config_dir_from(xdg_config_home: Option<OsString>) -> Result<PathBuf, ConfigError> {
    if let Some(dir) = xdg_config_home
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
    {
        return Ok(dir.join(APP_FOLDER));
    }
    directories::BaseDirs::new()
        .map(|dirs| dirs.config_dir().join(APP_FOLDER))
        .ok_or(ConfigError::NoConfigDir)
}

/// The HTTP client builder every courier-host request starts from: rustls (ring), no
/// redirects followed (each hop is read; a redirect would drop bungie.net's auth), timeouts,
/// and the system's roots plus any in `COURIER_CA_FILE`.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
    let extra_roots = match std::env::var_os(CA_FILE_ENV).filter(|v| !v.is_empty()) {
        Some(path) => read_certificates(Path::new(&path))?,
        None => Vec::new(),
    };
    Ok(client_builder_trusting(extra_roots))
}

/// A client from [`http_client_builder`].
pub fn http_client() -> Result<reqwest::Client, ConfigError> {
    http_client_builder()?
        .build()
        .map_err(|error| ConfigError::Client(error.to_string()))
}

/// The builder of [`http_client_builder`], trusting `extra_roots` besides the system's.
pub(crate) fn client_builder_trusting(
    extra_roots: Vec<reqwest::Certificate>,
) -> reqwest::ClientBuilder {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        // Fails only when a provider is already installed, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("courier-host/", env!("CARGO_PKG_VERSION")));
    if extra_roots.is_empty() {
        builder
    } else {
        builder.tls_certs_merge(extra_roots)
    }
}

/// The certificates of a PEM file.
fn read_certificates(path: &Path) -> Result<Vec<reqwest::Certificate>, ConfigError> {
    let unusable = |reason: String| ConfigError::CaFile {
        path: path.to_path_buf(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|error| unusable(error.to_string()))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|error| unusable(format!("it is not a PEM certificate bundle ({error})")))?;
    if certificates.is_empty() {
        return Err(unusable("it holds no PEM certificate".to_string()));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_origins_anywhere_and_http_only_on_loopback() {
        for (given, normalized) in [
            ("https://www.bungie.net", "https://www.bungie.net"),
            ("https://www.bungie.net/", "https://www.bungie.net"),
            ("https://WWW.Bungie.NET:443", "https://www.bungie.net"),
            ("https://10.0.0.1:8443", "https://10.0.0.1:8443"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.9.8.7", "http://127.9.8.7"),
            ("http://[::1]:9000/", "http://[::1]:9000"),
            ("http://localhost:3000", "http://localhost:3000"),
            ("http://LOCALHOST", "http://localhost"),
        ] {
            assert_eq!(check_origin(given).as_deref(), Ok(normalized), "{given}");
        }
    }

    #[test]
    fn other_origins_are_refused_with_a_reason() {
        for (given, reason) in [
            ("http://www.bungie.net", "plain http is allowed only"),
            ("http://10.0.0.1", "plain http is allowed only"),
            ("http://192.168.1.2:80", "plain http is allowed only"),
            ("http://[::2]", "plain http is allowed only"),
            (
                "http://localhost.evil.example",
                "plain http is allowed only",
            ),
            ("http://128.0.0.1", "plain http is allowed only"),
            ("ftp://127.0.0.1", "is not http or https"),
            ("www.bungie.net", "not a URL"),
            ("", "not a URL"),
            ("https://www.bungie.net/Platform", "path, query or fragment"),
            ("https://www.bungie.net/?x=1", "path, query or fragment"),
            ("https://user:pw@www.bungie.net", "user name or password"),
        ] {
            let error = check_origin(given).expect_err(given);
            assert!(error.contains(reason), "{given}: {error}");
        }
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn environment_beats_the_file_which_beats_the_defaults() {
        let file = ConfigFile {
            bungie_origin: Some("http://127.0.0.1:1".into()),
            psn_origin: Some("http://127.0.0.1:2".into()),
            api_key: None,
            allowed_origins: None,
        };
        assert_eq!(
            Origins::resolve(env(&[]), &ConfigFile::default()).expect("defaults"),
            Origins::default()
        );
        assert_eq!(
            Origins::resolve(env(&[]), &file).expect("file"),
            Origins {
                bungie: "http://127.0.0.1:1".into(),
                psn: "http://127.0.0.1:2".into()
            }
        );
        let both = Origins::resolve(
            env(&[
                (BUNGIE_ORIGIN_ENV, "http://localhost:5/"),
                (PSN_ORIGIN_ENV, ""),
            ]),
            &file,
        )
        .expect("env and file");
        assert_eq!(both.bungie, "http://localhost:5");
        assert_eq!(both.psn, "http://127.0.0.1:2", "an empty variable is unset");
    }

    #[test]
    fn a_refused_origin_names_where_it_came_from() {
        let error = Origins::resolve(
            env(&[(PSN_ORIGIN_ENV, "http://example.com")]),
            &ConfigFile::default(),
        )
        .expect_err("plain http to a foreign host");
        let text = error.to_string();
        assert!(
            text.contains(PSN_ORIGIN_ENV) && text.contains("plain http"),
            "{text}"
        );
        let file = ConfigFile {
            bungie_origin: Some("http://bungie.net".into()),
            ..ConfigFile::default()
        };
        let text = Origins::resolve(env(&[]), &file)
            .expect_err("refused")
            .to_string();
        assert!(text.contains("bungieOrigin"), "{text}");
    }

    #[test]
    fn the_api_key_comes_from_flag_env_file_or_sandbox() {
        let file = ConfigFile {
            api_key: Some("from-file".into()),
            ..ConfigFile::default()
        };
        let key = |flag: Option<&str>, env: Option<&str>, file: &ConfigFile| {
            pick_api_key(flag.map(str::to_string), env.map(str::to_string), file)
        };
        assert_eq!(key(Some("flag"), Some("env"), &file), "flag");
        assert_eq!(key(None, Some("env"), &file), "env");
        assert_eq!(key(Some(" "), None, &file), "from-file");
        assert_eq!(key(None, None, &ConfigFile::default()), SANDBOX_API_KEY);
    }

    #[test]
    fn the_config_dir_honours_an_absolute_xdg_config_home() {
        assert_eq!(
            config_dir_from(Some("/tmp/xdg".into())).expect("a dir"),
            PathBuf::from("/tmp/xdg/courier")
        );
        let fallback = config_dir_from(Some("relative".into()));
        if let Ok(dir) = fallback {
            assert!(
                dir.is_absolute() && dir.ends_with(APP_FOLDER),
                "{}",
                dir.display()
            );
        }
    }

    #[test]
    fn config_files_are_read_and_checked() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join(CONFIG_FILE);
        assert_eq!(
            ConfigFile::read(&path).expect("missing is empty"),
            ConfigFile::default()
        );
        std::fs::write(
            &path,
            r#"{"bungieOrigin":"http://127.0.0.1:9","apiKey":"k"}"#,
        )
        .expect("write");
        let file = ConfigFile::read(&path).expect("valid");
        assert_eq!(file.bungie_origin.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(file.api_key.as_deref(), Some("k"));
        std::fs::write(&path, r#"{"bungieorigin":"x"}"#).expect("write");
        let text = ConfigFile::read(&path).expect_err("a typo").to_string();
        assert!(
            text.contains("bungieorigin") && text.contains("bungieOrigin"),
            "{text}"
        );
        std::fs::write(&path, "not json").expect("write");
        assert!(matches!(
            ConfigFile::read(&path),
            Err(ConfigError::Parse { .. })
        ));
    }

    #[test]
    fn a_ca_file_must_hold_certificates() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("ca.pem");
        assert!(matches!(
            read_certificates(&path),
            Err(ConfigError::CaFile { .. })
        ));
        std::fs::write(&path, "no pem here").expect("write");
        let text = read_certificates(&path)
            .expect_err("no certificate")
            .to_string();
        assert!(text.contains(CA_FILE_ENV), "{text}");
    }
}
