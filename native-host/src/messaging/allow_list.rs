//! Which callers the host answers: by default only Courier's own extension.

use std::fmt;

/// The Chromium origin of Courier's extension, pinned by the `key` in `extension/manifest.json`.
pub const PINNED_EXTENSION_ORIGIN: &str = "chrome-extension://nikakecbkkfjobcpnlceoecocaphahof/";

/// The Firefox add-on id of Courier's extension.
pub const GECKO_ID: &str = "courier@courier.dev";

/// The environment variable that replaces the allow-list (comma-separated origins).
pub const ALLOWED_ORIGINS_ENV: &str = "COURIER_ALLOWED_ORIGINS";

/// The callers the host answers, compared exactly (`chrome-extension://ID/` with its `/`, or a
/// Firefox add-on id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowList(Vec<String>);

impl Default for AllowList {
    /// Courier's pinned Chromium extension and its Firefox add-on.
    fn default() -> Self {
        Self(vec![
            PINNED_EXTENSION_ORIGIN.to_string(),
            GECKO_ID.to_string(),
        ])
    }
}

impl AllowList {
    /// The allow-list from `COURIER_ALLOWED_ORIGINS` when set, else the config file's
    /// `allowedOrigins`, else the default. An unreadable config file keeps the default.
    pub fn load() -> Self {
        let from_file = || {
            crate::config::ConfigFile::load()
                .ok()
                .and_then(|file| file.allowed_origins)
                .map(|origins| origins.join(","))
        };
        let chosen = std::env::var(ALLOWED_ORIGINS_ENV).ok().or_else(from_file);
        Self::resolve(chosen.as_deref())
    }

    /// The allow-list a comma-separated override gives, else the default. An override with no
    /// origin in it is ignored (with a warning) rather than shutting every caller out.
    fn resolve(env: Option<&str>) -> Self {
        let Some(text) = env else {
            return Self::default();
        };
        let origins: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(str::to_string)
            .collect();
        if origins.is_empty() {
            tracing::warn!(
                "{ALLOWED_ORIGINS_ENV} is set but lists no origin; answering the default callers"
            );
            return Self::default();
        }
        Self(origins)
    }

    /// Whether `origin` may talk to the host.
    pub fn allows(&self, origin: &str) -> bool {
        self.0.iter().any(|allowed| allowed == origin)
    }
}

impl fmt::Display for AllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use sha2::{Digest, Sha256};

    use super::*;

    /// Chromium's extension id for a public key: the first 32 hex digits of its SHA-256, with
    /// the digits 0-f written as the letters a-p.
    fn extension_id(public_key_der: &[u8]) -> String {
        Sha256::digest(public_key_der)
            .iter()
            .take(16)
            .flat_map(|byte| [byte >> 4, byte & 0x0f])
            .map(|nibble| char::from(b'a' + nibble))
            .collect()
    }

    #[test]
    fn the_pinned_origin_is_the_manifest_keys_extension_id() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../extension/manifest.json");
        let text = std::fs::read_to_string(path).expect("extension/manifest.json is readable");
        let manifest: serde_json::Value = serde_json::from_str(&text).expect("manifest is JSON");
        let key = manifest["key"].as_str().expect("manifest has a \"key\"");
        let der = BASE64.decode(key).expect("the key is base64");
        let origin = format!("chrome-extension://{}/", extension_id(&der));
        assert_eq!(origin, PINNED_EXTENSION_ORIGIN);
    }

    #[test]
    fn the_id_mapping_follows_chromium() {
        // sha256("") = e3b0c442 98fc1c14 9afbf4c8 996fb924 ...
        assert_eq!(extension_id(b""), "odlameecjipmbmbejkplpemijjgpljce");
    }

    #[test]
    fn the_default_allows_only_courier() {
        let list = AllowList::resolve(None);
        assert!(list.allows(PINNED_EXTENSION_ORIGIN));
        assert!(list.allows(GECKO_ID));
        for foreign in [
            "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/",
            "chrome-extension://nikakecbkkfjobcpnlceoecocaphahof",
            "CHROME-EXTENSION://NIKAKECBKKFJOBCPNLCEOECOCAPHAHOF/",
            "evil@courier.dev",
            "",
        ] {
            assert!(!list.allows(foreign), "{foreign:?}");
        }
    }

    #[test]
    fn the_environment_replaces_the_default() {
        let other = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
        let list = AllowList::resolve(Some(&format!(" {other} , dev@example.org,")));
        assert!(list.allows(other));
        assert!(list.allows("dev@example.org"));
        assert!(!list.allows(PINNED_EXTENSION_ORIGIN));
        assert!(!list.allows(GECKO_ID));
        assert_eq!(list.to_string(), format!("{other}, dev@example.org"));
    }

    #[test]
    fn an_empty_override_keeps_the_default() {
        assert_eq!(AllowList::resolve(Some(" , ")), AllowList::default());
        assert_eq!(AllowList::resolve(Some("")), AllowList::default());
    }
}
