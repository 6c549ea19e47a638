//! The extension's manifest: the Firefox variant derived from the Chromium one, and the
//! extension id the Chromium manifest's `key` pins.

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// Courier's add-on id in Firefox (the native host's Firefox manifest allows exactly this one).
pub const GECKO_ID: &str = "courier@courier.dev";
/// The oldest Firefox that runs Courier: MV3 with a module background script (112) and
/// `data_collection_permissions`, which addons-linter asks of every new add-on (140, an ESR).
pub const GECKO_MIN_VERSION: &str = "140.0";
/// The same for Firefox for Android, which has `data_collection_permissions` from 142.
pub const GECKO_ANDROID_MIN_VERSION: &str = "142.0";

/// The Firefox manifest for the Chromium manifest `chromium`.
///
/// Firefox has no `key` (its id comes from `browser_specific_settings.gecko.id`) and runs the
/// service worker as a module background script; everything else is kept as it is.
pub fn firefox_manifest(chromium: &Value) -> Result<Value> {
    let Some(manifest) = chromium.as_object() else {
        bail!("manifest.json is not a JSON object");
    };
    let mut manifest = manifest.clone();
    manifest.remove("key");
    if let Some(background) = manifest.get_mut("background") {
        *background = firefox_background(background)?;
    }
    let settings = object_entry(&mut manifest, "browser_specific_settings")?;
    let gecko = object_entry(settings, "gecko")?;
    gecko.insert("id".to_owned(), json!(GECKO_ID));
    gecko.insert("strict_min_version".to_owned(), json!(GECKO_MIN_VERSION));
    // Courier sends nothing anywhere but bungie.net, on the player's behalf.
    gecko
        .entry("data_collection_permissions")
        .or_insert_with(|| json!({ "required": ["none"] }));
    let android = object_entry(settings, "gecko_android")?;
    android.insert(
        "strict_min_version".to_owned(),
        json!(GECKO_ANDROID_MIN_VERSION),
    );
    Ok(Value::Object(manifest))
}

/// `{"service_worker": FILE, ...}` becomes `{"scripts": [FILE], "type": "module"}`.
fn firefox_background(background: &Value) -> Result<Value> {
    let Some(worker) = background.get("service_worker") else {
        return Ok(background.clone());
    };
    let Some(worker) = worker.as_str() else {
        bail!("manifest.json: background.service_worker is {worker}, not a file name");
    };
    Ok(json!({ "scripts": [worker], "type": "module" }))
}

/// The object under `key` in `map`, made empty when missing; an error when it is not an object.
fn object_entry<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> Result<&'a mut Map<String, Value>> {
    let entry = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    match entry {
        Value::Object(object) => Ok(object),
        other => bail!("manifest.json: {key} is {other}, not an object"),
    }
}

/// The Chromium extension id that the manifest's `key` pins: the first 32 hex digits of the
/// SHA-256 of the DER public key, with the digits 0-f written as the letters a-p.
pub fn extension_id(chromium: &Value) -> Result<String> {
    let key = chromium
        .get("key")
        .and_then(Value::as_str)
        .context("manifest.json has no `key`, so the extension id would change on every machine; put the base64 public key back")?;
    let der = BASE64
        .decode(key)
        .context("manifest.json's `key` is not valid base64")?;
    let digest = Sha256::digest(der);
    Ok(digest[..16]
        .iter()
        .flat_map(|byte| [byte >> 4, byte & 0x0f])
        .map(|nibble| char::from(b'a' + nibble))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real manifest's key and the id PLATFORM-NOTES and the native host use.
    const KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyHaFa0zCh+1bGfUwxHRDEq/5jChVO5VZyZp61J43vFjVAA1ZxAtCbgjDBqLQ7VVIZInW10yPOG6GP5JKDRWoOflN6KC1Y+OhaRVqAHUV/nPMBnKNzheaPYbTfm4oGrB8SXo+lEj0RiYlucm5HkY8llDerKw6yE/p4clgwfJIb0waEeibagX6gQhHRV8k3y4o5zxakVTGVD/CojxDSpECHQ41ZrbIZx0cbkouzoJf0pjtjbPwTJJ1glDrNoQUnlTyaXxVHMm6FpqXDvZot9+VNInt4xemQ1YOgSQBfU7IJM7kRjYfjlRcRo5N22VitaDmK+WC4F13cnycuFVfJswgrQIDAQAB";

    fn chromium() -> Value {
        json!({
            "manifest_version": 3,
            "name": "Courier",
            "key": KEY,
            "background": { "service_worker": "background.js", "type": "module" },
            "permissions": ["cookies", "nativeMessaging"],
            "action": { "default_popup": "popup.html" }
        })
    }

    #[test]
    fn the_key_pins_the_known_id() {
        assert_eq!(
            extension_id(&chromium()).expect("a valid key"),
            "nikakecbkkfjobcpnlceoecocaphahof"
        );
    }

    #[test]
    fn a_missing_or_broken_key_is_an_error_saying_so() {
        let err = extension_id(&json!({ "name": "x" })).expect_err("no key");
        assert!(err.to_string().contains("no `key`"), "{err}");
        let err = extension_id(&json!({ "key": "not base64!" })).expect_err("bad key");
        assert!(err.to_string().contains("base64"), "{err}");
    }

    #[test]
    fn firefox_gets_background_scripts_and_its_id_without_the_key() {
        let firefox = firefox_manifest(&chromium()).expect("a valid manifest");
        assert_eq!(firefox.get("key"), None);
        assert_eq!(
            firefox["background"],
            json!({ "scripts": ["background.js"], "type": "module" })
        );
        let gecko = &firefox["browser_specific_settings"]["gecko"];
        assert_eq!(gecko["id"], GECKO_ID);
        assert_eq!(gecko["strict_min_version"], GECKO_MIN_VERSION);
        assert_eq!(
            gecko["data_collection_permissions"],
            json!({ "required": ["none"] })
        );
        assert_eq!(
            firefox["browser_specific_settings"]["gecko_android"]["strict_min_version"],
            GECKO_ANDROID_MIN_VERSION
        );
        for kept in ["manifest_version", "name", "permissions", "action"] {
            assert_eq!(firefox[kept], chromium()[kept], "{kept} is kept");
        }
    }

    #[test]
    fn existing_gecko_settings_are_merged_not_replaced() {
        let mut manifest = chromium();
        manifest["browser_specific_settings"] = json!({
            "gecko": { "id": "old@x", "data_collection_permissions": { "required": ["locationInfo"] } },
            "gecko_android": { "strict_min_version": "120.0" },
            "safari": {}
        });
        let firefox = firefox_manifest(&manifest).expect("a valid manifest");
        let settings = &firefox["browser_specific_settings"];
        assert_eq!(settings["gecko"]["id"], GECKO_ID);
        assert_eq!(
            settings["gecko"]["data_collection_permissions"],
            json!({ "required": ["locationInfo"] })
        );
        assert_eq!(
            settings["gecko_android"],
            json!({ "strict_min_version": GECKO_ANDROID_MIN_VERSION })
        );
        assert_eq!(settings["safari"], json!({}));
    }

    #[test]
    fn malformed_manifests_are_errors_naming_the_field() {
        assert!(firefox_manifest(&json!(["not", "an", "object"])).is_err());
        let err = firefox_manifest(&json!({ "background": { "service_worker": 7 } }))
            .expect_err("a number is no file");
        assert!(
            err.to_string().contains("background.service_worker"),
            "{err}"
        );
        let err = firefox_manifest(&json!({ "browser_specific_settings": "x" }))
            .expect_err("a string is no object");
        assert!(
            err.to_string().contains("browser_specific_settings"),
            "{err}"
        );
    }

    #[test]
    fn a_manifest_without_a_worker_keeps_its_background() {
        let manifest = json!({ "background": { "scripts": ["a.js"] } });
        let firefox = firefox_manifest(&manifest).expect("a valid manifest");
        assert_eq!(firefox["background"], json!({ "scripts": ["a.js"] }));
    }
}
