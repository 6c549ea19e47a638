//! Reads package versions out of the workspace's `Cargo.lock`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The part of `Cargo.lock` this task reads.
#[derive(Debug, Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

/// One `[[package]]` entry.
#[derive(Debug, Deserialize)]
struct LockedPackage {
    name: String,
    version: String,
}

/// The version of `package` locked in the `Cargo.lock` at `path`.
pub fn locked_version_in(path: &Path, package: &str) -> Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "could not read {}; run `cargo generate-lockfile` in the repository root",
            path.display()
        )
    })?;
    locked_version(&text, package).with_context(|| format!("in {}", path.display()))
}

/// The one version of `package` in the text of a `Cargo.lock`.
///
/// Fails when the package is absent or locked at more than one version, since a tool that must
/// match it exactly (like the wasm-bindgen CLI) could then match only one of them.
pub fn locked_version(lock_text: &str, package: &str) -> Result<String> {
    let lockfile: Lockfile = toml::from_str(lock_text).context("Cargo.lock is not valid TOML")?;
    let mut versions: Vec<String> = lockfile
        .package
        .into_iter()
        .filter(|locked| locked.name == package)
        .map(|locked| locked.version)
        .collect();
    versions.sort();
    versions.dedup();
    match versions.as_slice() {
        [version] => Ok(version.clone()),
        [] => bail!("package `{package}` is not in Cargo.lock; is it a workspace dependency?"),
        many => bail!(
            "package `{package}` is locked at several versions ({}); pin one with `=` in Cargo.toml",
            many.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["wasm-bindgen-macro"]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.129"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn finds_the_version_of_the_named_package_only() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").expect("wasm-bindgen is locked"),
            "0.2.130"
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-macro").expect("macro is locked"),
            "0.2.129"
        );
    }

    #[test]
    fn a_missing_package_is_an_error_naming_it() {
        let err = locked_version(LOCK, "wasm-pack").expect_err("not locked");
        assert!(err.to_string().contains("`wasm-pack`"), "{err}");
    }

    #[test]
    fn two_versions_of_one_package_are_an_error_listing_both() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.100\"\n");
        let err = locked_version(&lock, "wasm-bindgen").expect_err("ambiguous");
        assert!(err.to_string().contains("0.2.100, 0.2.130"), "{err}");
    }

    #[test]
    fn broken_toml_is_an_error() {
        assert!(locked_version("[[package]\nname =", "wasm-bindgen").is_err());
    }

    #[test]
    fn the_workspace_lockfile_matches_the_wasm_bindgen_pin() {
        let root = crate::tools::repo_root();
        let manifest =
            std::fs::read_to_string(root.join("Cargo.toml")).expect("workspace Cargo.toml");
        let manifest: toml::Table = toml::from_str(&manifest).expect("Cargo.toml is TOML");
        let pin = manifest["workspace"]["dependencies"]["wasm-bindgen"]
            .as_str()
            .expect("wasm-bindgen is a plain version requirement");
        let locked = locked_version_in(&root.join("Cargo.lock"), "wasm-bindgen").expect("locked");
        assert_eq!(
            pin,
            format!("={locked}"),
            "the CLI install relies on an exact pin"
        );
    }
}
