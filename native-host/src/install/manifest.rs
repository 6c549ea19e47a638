//! The host manifest Courier writes, the extension ids it allows, and the checks `doctor` runs on
//! a manifest it reads back.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Serialize;
use serde_json::Value;

use super::table::Family;

/// The native-messaging host name the extension connects to.
pub const HOST_NAME: &str = "dev.courier.host";
/// The manifest's file name: the host name plus `.json` (browsers require that on Linux and macOS).
pub const MANIFEST_FILE: &str = "dev.courier.host.json";
/// The extension id pinned by the `key` in `extension/manifest.json`.
pub const PINNED_EXTENSION_ID: &str = "nikakecbkkfjobcpnlceoecocaphahof";
/// The Firefox add-on id (`browser_specific_settings.gecko.id`).
pub const GECKO_ID: &str = "courier@courier.dev";
/// The manifest's `description`.
const DESCRIPTION: &str =
    "Courier's native helper: PlayStation Network sign-in for the Courier extension";

/// A Chromium extension id: 32 letters from `a` to `p`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionId(String);

impl ExtensionId {
    /// Whether this is the pinned id.
    pub fn is_pinned(&self) -> bool {
        self.0 == PINNED_EXTENSION_ID
    }

    /// The origin the manifest allows: `chrome-extension://ID/`, with the trailing slash Chromium
    /// requires.
    pub fn origin(&self) -> String {
        format!("chrome-extension://{}/", self.0)
    }
}

impl FromStr for ExtensionId {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.len() == 32 && text.bytes().all(|byte| (b'a'..=b'p').contains(&byte)) {
            Ok(ExtensionId(text.to_owned()))
        } else {
            Err(format!(
                "`{text}` is not a Chromium extension id: an id is 32 letters from a to p \
                 (see chrome://extensions; Courier's is {PINNED_EXTENSION_ID})"
            ))
        }
    }
}

impl fmt::Display for ExtensionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The manifest as written.
#[derive(Serialize)]
struct Manifest<'a> {
    /// Always [`HOST_NAME`].
    name: &'a str,
    /// What the host is.
    description: &'a str,
    /// The absolute path of the host binary.
    path: &'a str,
    /// Always `stdio`.
    #[serde(rename = "type")]
    kind: &'a str,
    /// Chromium family: the extension origins allowed to connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_origins: Option<[String; 1]>,
    /// Firefox: the add-on ids allowed to connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_extensions: Option<[&'a str; 1]>,
}

/// The manifest bytes for `family`, pointing at `binary` and allowing `extension` (Chromium) or
/// the Courier add-on (Firefox).
pub fn render(family: Family, binary: &str, extension: &ExtensionId) -> Vec<u8> {
    let manifest = Manifest {
        name: HOST_NAME,
        description: DESCRIPTION,
        path: binary,
        kind: "stdio",
        allowed_origins: (family == Family::Chromium).then(|| [extension.origin()]),
        allowed_extensions: (family == Family::Firefox).then_some([GECKO_ID]),
    };
    let mut bytes =
        serde_json::to_vec_pretty(&manifest).expect("a struct of strings always serializes");
    bytes.push(b'\n');
    bytes
}

/// Whether `bytes` is a host manifest named [`HOST_NAME`]: the only files `uninstall` removes.
pub fn is_ours(bytes: &[u8]) -> Result<(), String> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| format!("it is not valid JSON ({error})"))?;
    match value.get("name").and_then(Value::as_str) {
        Some(HOST_NAME) => Ok(()),
        Some(other) => Err(format!("its name is `{other}`, not `{HOST_NAME}`")),
        None => Err(format!("it has no name `{HOST_NAME}`")),
    }
}

/// Checks `bytes` as the manifest a `family` browser reads for Courier: valid JSON, the right name
/// and type, an absolute binary path, and the extension allowed. Returns the binary path, or
/// every problem found.
pub fn check(bytes: &[u8], family: Family, extension: &ExtensionId) -> Result<String, Vec<String>> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|error| vec![format!("the manifest is not valid JSON ({error})")])?;
    let field = |name: &str| value.get(name);
    let mut problems = Vec::new();
    match field("name").and_then(Value::as_str) {
        Some(HOST_NAME) => {}
        other => problems.push(format!(
            "its name is {}, not \"{HOST_NAME}\" (the browser then reports the host not found)",
            shown(other)
        )),
    }
    match field("type").and_then(Value::as_str) {
        Some("stdio") => {}
        other => problems.push(format!("its type is {}, not \"stdio\"", shown(other))),
    }
    let (list, wanted) = match family {
        Family::Chromium => ("allowed_origins", extension.origin()),
        Family::Firefox => ("allowed_extensions", GECKO_ID.to_owned()),
    };
    let allowed = field(list)
        .and_then(Value::as_array)
        .is_some_and(|entries| entries.iter().any(|entry| entry.as_str() == Some(&wanted)));
    if !allowed {
        problems.push(format!("its {list} does not include \"{wanted}\""));
    }
    let binary = match field("path").and_then(Value::as_str) {
        Some(path) if Path::new(path).is_absolute() => Some(path.to_owned()),
        Some(path) => {
            problems.push(format!("its path \"{path}\" is not absolute"));
            None
        }
        None => {
            problems.push("it has no path to the host binary".to_owned());
            None
        }
    };
    match binary {
        Some(binary) if problems.is_empty() => Ok(binary),
        _ => Err(problems),
    }
}

/// A JSON string field for a message: quoted, or `missing`.
fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "missing".to_owned(), |text| format!("\"{text}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned() -> ExtensionId {
        PINNED_EXTENSION_ID.parse().expect("the pinned id is valid")
    }

    fn parsed(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes).expect("a rendered manifest is JSON")
    }

    #[test]
    fn the_file_name_is_the_host_name_plus_json() {
        assert_eq!(MANIFEST_FILE, format!("{HOST_NAME}.json"));
    }

    #[test]
    fn a_chromium_manifest_allows_the_origin_with_its_trailing_slash() {
        let bytes = render(Family::Chromium, "/opt/courier-host", &pinned());
        assert_eq!(
            parsed(&bytes),
            serde_json::json!({
                "name": "dev.courier.host",
                "description": DESCRIPTION,
                "path": "/opt/courier-host",
                "type": "stdio",
                "allowed_origins": ["chrome-extension://nikakecbkkfjobcpnlceoecocaphahof/"],
            })
        );
        assert!(bytes.ends_with(b"}\n"));
    }

    #[test]
    fn a_firefox_manifest_allows_the_gecko_id() {
        let bytes = render(Family::Firefox, "/opt/courier-host", &pinned());
        assert_eq!(
            parsed(&bytes),
            serde_json::json!({
                "name": "dev.courier.host",
                "description": DESCRIPTION,
                "path": "/opt/courier-host",
                "type": "stdio",
                "allowed_extensions": ["courier@courier.dev"],
            })
        );
    }

    #[test]
    fn extension_ids_are_32_letters_from_a_to_p() {
        let id: ExtensionId = "abcdefghijklmnopabcdefghijklmnop"
            .parse()
            .expect("valid id");
        assert_eq!(
            id.origin(),
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop/"
        );
        assert!(!id.is_pinned());
        assert!(
            PINNED_EXTENSION_ID
                .parse::<ExtensionId>()
                .expect("pinned")
                .is_pinned()
        );
        for bad in [
            "",
            "abcdefghijklmnopabcdefghijklmno",
            "abcdefghijklmnopabcdefghijklmnopa",
            "abcdefghijklmnopabcdefghijklmnoq",
            "ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP",
            "abcdefghijklmnopabcdefghijklmn/p",
            "abcdefghijklmnopabcdefghijklmnó",
        ] {
            let error = bad.parse::<ExtensionId>().expect_err(bad);
            assert!(error.contains("32 letters from a to p"), "{error}");
        }
    }

    #[test]
    fn a_rendered_manifest_passes_its_own_check() {
        let id = pinned();
        for family in [Family::Chromium, Family::Firefox] {
            let bytes = render(family, "/opt/courier-host", &id);
            assert_eq!(
                check(&bytes, family, &id),
                Ok("/opt/courier-host".to_owned())
            );
            assert_eq!(is_ours(&bytes), Ok(()));
        }
    }

    #[test]
    fn the_check_names_every_problem() {
        let id = pinned();
        let bytes = br#"{"name":"other.host","type":"pipe","path":"courier-host",
            "allowed_origins":["chrome-extension://nikakecbkkfjobcpnlceoecocaphahof"]}"#;
        let problems = check(bytes, Family::Chromium, &id).expect_err("four problems");
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("\"other.host\""), "{problems:?}");
        assert!(problems[1].contains("\"pipe\""), "{problems:?}");
        assert!(problems[2].contains("allowed_origins"), "{problems:?}");
        assert!(problems[3].contains("not absolute"), "{problems:?}");
    }

    #[test]
    fn the_check_wants_the_right_list_for_the_family() {
        let id = pinned();
        let chromium = render(Family::Chromium, "/opt/courier-host", &id);
        let problems = check(&chromium, Family::Firefox, &id).expect_err("no gecko id");
        assert_eq!(
            problems,
            ["its allowed_extensions does not include \"courier@courier.dev\""]
        );
        let other: ExtensionId = "abcdefghijklmnopabcdefghijklmnop"
            .parse()
            .expect("valid id");
        assert!(check(&chromium, Family::Chromium, &other).is_err());
    }

    #[test]
    fn garbage_is_neither_valid_nor_ours() {
        let id = pinned();
        let problems = check(b"{not json", Family::Chromium, &id).expect_err("garbage");
        assert!(problems[0].contains("not valid JSON"), "{problems:?}");
        assert!(is_ours(b"{not json").is_err());
        assert!(is_ours(br#"{"name":"com.example.other"}"#).is_err());
        assert!(is_ours(br#"[1,2]"#).is_err());
    }
}
