//! `cargo xtask dist`: builds the extension for the Chromium family (`dist/extension/`, loadable
//! unpacked) and for Firefox (`dist/extension-firefox/`), and a zip of each.
//!
//! The wasm core is built by wasm-pack (`--target web`, cargo profile `wasm-release`) and
//! optimized by binaryen's `wasm-opt -O3` (the npm package in `tests/`; on this module `-O3`
//! gzips 0.4% smaller than `-Oz` and parses a profile a quarter faster, 2.25 ms against 3.0).
//! The files of `extension/` are copied as they are, with the wasm output in `wasm/` and
//! `config.js` holding the baked-in defaults, except the scripts ([`scripts`]): the worker's
//! modules ship as they are, each page's script bundled by esbuild (the npm package in `tests/`)
//! into one file, so the popup fetches one script instead of ten modules before its first
//! frame. Firefox gets a manifest derived from the Chromium one. Every run starts from empty
//! output folders.

mod archive;
mod manifest;
mod scripts;
mod tree;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::setup;
use crate::tools::{self, target_dir};

/// The extension's sources, under the repository root.
const SOURCE_DIR: &str = "extension";
/// Files of the source folder that are for developers, not part of the extension.
const LEFT_OUT: [&str; 1] = ["README.md"];
/// The wasm facade's crate folder.
const WASM_CRATE: &str = "wasm";
/// The name wasm-pack gives the facade's files (`courier_wasm.js`, `courier_wasm_bg.wasm`).
const WASM_NAME: &str = "courier_wasm";
/// The cargo profile the wasm facade is built with (the workspace's Cargo.toml says why);
/// binaryen's `wasm-opt` runs afterwards, so wasm-pack's own (which downloads) is off.
const WASM_PROFILE: &str = "wasm-release";
/// The folder the wasm files go into, inside the extension.
const WASM_DIR: &str = "wasm";
/// The file that holds the defaults the options page starts from.
const CONFIG_FILE: &str = "config.js";
/// The manifest, in every extension folder.
const MANIFEST_FILE: &str = "manifest.json";
/// The API key baked in when `COURIER_API_KEY` is unset: the simulator's.
pub const SANDBOX_API_KEY: &str = "sandbox-api-key";
/// bungie.net's origin, baked in when `COURIER_BUNGIE_ORIGIN` is unset.
pub const BUNGIE_ORIGIN: &str = "https://www.bungie.net";
/// Sets the baked-in API key.
const API_KEY_ENV: &str = "COURIER_API_KEY";
/// Sets the baked-in bungie.net origin.
const BUNGIE_ORIGIN_ENV: &str = "COURIER_BUNGIE_ORIGIN";

/// The defaults written into `config.js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// The bungie.net API key.
    pub api_key: String,
    /// Where bungie.net is.
    pub bungie_origin: String,
}

impl Defaults {
    /// The simulator's key and bungie.net's real origin (the demo maps it to the simulator).
    pub fn sandbox() -> Self {
        Self {
            api_key: SANDBOX_API_KEY.to_owned(),
            bungie_origin: BUNGIE_ORIGIN.to_owned(),
        }
    }

    /// `COURIER_API_KEY` and `COURIER_BUNGIE_ORIGIN` where set (and not empty), else the sandbox's.
    pub fn from_env() -> Self {
        let read = |name: &str, fallback: &str| {
            env::var(name)
                .ok()
                .filter(|value| !value.is_empty())
                .unwrap_or_else(|| fallback.to_owned())
        };
        Self {
            api_key: read(API_KEY_ENV, SANDBOX_API_KEY),
            bungie_origin: read(BUNGIE_ORIGIN_ENV, BUNGIE_ORIGIN),
        }
    }

    /// The text of `config.js`: one exported constant per default, as JSON strings.
    fn config_js(&self) -> String {
        let quoted = |text: &str| Value::from(text).to_string();
        format!(
            "// Written by `cargo xtask dist`: the defaults the options page starts from.\n\
             export const DEFAULT_API_KEY = {};\n\
             export const DEFAULT_BUNGIE_ORIGIN = {};\n",
            quoted(&self.api_key),
            quoted(&self.bungie_origin)
        )
    }
}

/// Where `cargo xtask dist` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dist {
    /// The Chromium-family extension folder, loadable unpacked.
    pub chromium: PathBuf,
    /// The Firefox extension folder.
    pub firefox: PathBuf,
    /// The zip of the Chromium folder.
    pub chromium_zip: PathBuf,
    /// The zip of the Firefox folder.
    pub firefox_zip: PathBuf,
}

impl Dist {
    /// The output paths under the repository root `root`.
    pub fn at(root: &Path) -> Self {
        Self::in_folder(&root.join("dist"))
    }

    /// The output paths in the folder `dist`.
    pub fn in_folder(dist: &Path) -> Self {
        Self {
            chromium: dist.join("extension"),
            firefox: dist.join("extension-firefox"),
            chromium_zip: dist.join("courier-chromium.zip"),
            firefox_zip: dist.join("courier-firefox.zip"),
        }
    }

    /// Removes everything an earlier run wrote.
    fn clean(&self) -> Result<()> {
        for path in [
            &self.chromium,
            &self.firefox,
            &self.chromium_zip,
            &self.firefox_zip,
        ] {
            tree::remove(path)?;
        }
        Ok(())
    }
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct Built {
    /// Where it is.
    pub dist: Dist,
    /// The Chromium extension id that the manifest's `key` pins.
    pub extension_id: String,
}

/// `cargo xtask dist`: builds with the defaults from the environment.
pub fn run(root: &Path) -> Result<()> {
    build(root, &Defaults::from_env()).map(drop)
}

/// Builds both extension folders and their zips with `defaults` baked in, into `dist/`.
pub fn build(root: &Path, defaults: &Defaults) -> Result<Built> {
    let wasm_out = target_dir(root).join("dist-wasm");
    build_at(root, defaults, Dist::at(root), &wasm_out).map(|(built, _)| built)
}

/// [`build`] into the paths of `dist`, with wasm-pack writing into `wasm_out`; also says how
/// big the wasm module is.
pub fn build_at(
    root: &Path,
    defaults: &Defaults,
    dist: Dist,
    wasm_out: &Path,
) -> Result<(Built, WasmSizes)> {
    setup::npm_packages(&root.join("tests"))?;
    let wasm_sizes = build_wasm(root, WasmTarget::Web, wasm_out)?;

    dist.clean()?;
    let source = root.join(SOURCE_DIR);
    let esbuild = scripts::Esbuild::at(root)?;
    let worker_modules = esbuild.worker_modules(&source)?;
    let shipped: Vec<PathBuf> = tree::files(&source)?
        .into_iter()
        .filter(|file| is_shipped(file))
        .filter(|file| !scripts::is_script(file) || worker_modules.contains(file))
        .collect();
    tree::copy(&source, &dist.chromium, &shipped)?;
    esbuild.bundle_pages(&source, &dist.chromium)?;
    let wasm_files: Vec<PathBuf> = tree::files(wasm_out)?
        .into_iter()
        .filter(|file| is_wasm_output(file))
        .collect();
    tree::copy(wasm_out, &dist.chromium.join(WASM_DIR), &wasm_files)?;
    write(&dist.chromium.join(CONFIG_FILE), &defaults.config_js())?;

    let chromium_manifest = read_manifest(&dist.chromium)?;
    let extension_id = manifest::extension_id(&chromium_manifest)?;
    tree::copy(&dist.chromium, &dist.firefox, &tree::files(&dist.chromium)?)?;
    let firefox_manifest = manifest::firefox_manifest(&chromium_manifest)?;
    write(
        &dist.firefox.join(MANIFEST_FILE),
        &format!("{}\n", serde_json::to_string_pretty(&firefox_manifest)?),
    )?;
    archive::zip_folder(&dist.chromium, &dist.chromium_zip)?;
    archive::zip_folder(&dist.firefox, &dist.firefox_zip)?;

    println!("{}", wasm_sizes.describe());
    println!(
        "built the extension (id {extension_id}):\n  Chromium family: {}\n                   {}\n  Firefox:         {}\n                   {}",
        dist.chromium.display(),
        dist.chromium_zip.display(),
        dist.firefox.display(),
        dist.firefox_zip.display()
    );
    Ok((Built { dist, extension_id }, wasm_sizes))
}

/// Whether a file of `extension/` (relative path) goes into the build.
fn is_shipped(file: &Path) -> bool {
    let hidden = file
        .iter()
        .any(|part| part.to_string_lossy().starts_with('.'));
    let left_out = file
        .file_name()
        .is_some_and(|name| LEFT_OUT.iter().any(|left| name == *left));
    !hidden && !left_out
}

/// Whether a file wasm-pack wrote (relative path) is needed at run time: the JS glue, the wasm
/// module and any JS snippets; not the typings, package.json or .gitignore.
fn is_wasm_output(file: &Path) -> bool {
    let glue = format!("{WASM_NAME}.js");
    let module = format!("{WASM_NAME}_bg.wasm");
    file.starts_with("snippets") || file == Path::new(&glue) || file == Path::new(&module)
}

/// The size of the wasm module at each stage of the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmSizes {
    /// Bytes as wasm-bindgen wrote it.
    pub built: u64,
    /// Bytes after `wasm-opt -O3`.
    pub optimized: u64,
    /// Bytes of the optimized module gzipped.
    pub gzipped: usize,
}

impl WasmSizes {
    /// One line for the build's output.
    pub fn describe(&self) -> String {
        format!(
            "{WASM_NAME}_bg.wasm: {} built, {} after wasm-opt -O3, {} gzipped",
            kib(self.built as f64),
            kib(self.optimized as f64),
            kib(self.gzipped as f64)
        )
    }
}

/// `123.4 KiB`.
fn kib(bytes: f64) -> String {
    format!("{:.1} KiB", bytes / 1024.0)
}

/// Which JavaScript the wasm facade is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WasmTarget {
    /// ES modules for the browser (the extension).
    Web,
    /// CommonJS for Node (the benchmarks).
    NodeJs,
}

impl WasmTarget {
    /// wasm-pack's name for it.
    fn name(self) -> &'static str {
        match self {
            WasmTarget::Web => "web",
            WasmTarget::NodeJs => "nodejs",
        }
    }
}

/// Builds the wasm facade for `target` into `out` (emptied first) and optimizes its module in
/// place; its files are named `courier_wasm*`.
pub fn build_wasm(root: &Path, target: WasmTarget, out: &Path) -> Result<WasmSizes> {
    tree::remove(out)?;
    tools::run(
        Command::new("wasm-pack")
            .args([
                "build",
                WASM_CRATE,
                "--target",
                target.name(),
                "--profile",
                WASM_PROFILE,
                "--no-opt",
                "--out-dir",
            ])
            .arg(out)
            .args(["--out-name", WASM_NAME])
            .current_dir(root),
    )
    .context("the wasm build failed; `cargo xtask setup` installs wasm-pack and wasm-bindgen")?;
    let module = out.join(format!("{WASM_NAME}_bg.wasm"));
    let built = file_len(&module)?;
    let optimized_path = out.join(format!("{WASM_NAME}_bg.opt.wasm"));
    let wasm_opt = node_tool(root, "wasm-opt");
    if !wasm_opt.exists() {
        bail!(
            "{} is missing; run `cargo xtask setup` (npm ci in tests/ installs binaryen)",
            wasm_opt.display()
        );
    }
    tools::run(
        Command::new(&wasm_opt)
            .arg("-O3")
            .arg(&module)
            .arg("-o")
            .arg(&optimized_path),
    )?;
    fs::rename(&optimized_path, &module).with_context(|| {
        format!(
            "cannot replace {} with its optimized copy",
            module.display()
        )
    })?;
    let bytes = fs::read(&module).with_context(|| format!("cannot read {}", module.display()))?;
    Ok(WasmSizes {
        built,
        optimized: bytes.len() as u64,
        gzipped: archive::gzipped_len(&bytes)?,
    })
}

/// `cargo xtask test`'s Firefox check: `web-ext lint` on `dist/extension-firefox/`, with
/// warnings (such as HTML built from strings) counted as errors.
///
/// Skips with a message when web-ext is not installed; fails when the folder was not built.
pub fn lint_firefox(root: &Path) -> Result<()> {
    let web_ext = node_tool(root, "web-ext");
    if !web_ext.exists() {
        println!(
            "skipped: {} is missing; `cargo xtask setup` installs it (npm ci in tests/)",
            web_ext.display()
        );
        return Ok(());
    }
    let folder = Dist::at(root).firefox;
    if !folder.join(MANIFEST_FILE).exists() {
        bail!(
            "{} has no manifest.json; run `cargo xtask dist` first",
            folder.display()
        );
    }
    tools::run(
        Command::new(&web_ext)
            .args(["lint", "--no-input", "--warnings-as-errors", "--source-dir"])
            .arg(&folder),
    )
}

/// A program installed by `npm ci` in `tests/`.
fn node_tool(root: &Path, name: &str) -> PathBuf {
    root.join("tests")
        .join("node_modules")
        .join(".bin")
        .join(name)
}

/// The size of `path` in bytes.
fn file_len(path: &Path) -> Result<u64> {
    Ok(fs::metadata(path)
        .with_context(|| format!("wasm-pack wrote no {}", path.display()))?
        .len())
}

/// The manifest of the extension folder `dir`, parsed.
fn read_manifest(dir: &Path) -> Result<Value> {
    let path = dir.join(MANIFEST_FILE);
    let text = fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {}; extension/manifest.json must exist",
            path.display()
        )
    })?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}

/// Writes `text` to `path`.
fn write(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_js_exports_both_defaults_as_json_strings() {
        let defaults = Defaults {
            api_key: "key \"with\" quotes\\".to_owned(),
            bungie_origin: "https://127.0.0.1:8443".to_owned(),
        };
        assert_eq!(
            defaults.config_js(),
            "// Written by `cargo xtask dist`: the defaults the options page starts from.\n\
             export const DEFAULT_API_KEY = \"key \\\"with\\\" quotes\\\\\";\n\
             export const DEFAULT_BUNGIE_ORIGIN = \"https://127.0.0.1:8443\";\n"
        );
    }

    #[test]
    fn the_sandbox_defaults_are_the_simulators_key_and_bungie_net() {
        assert_eq!(
            Defaults::sandbox(),
            Defaults {
                api_key: "sandbox-api-key".to_owned(),
                bungie_origin: "https://www.bungie.net".to_owned()
            }
        );
    }

    #[test]
    fn developer_files_stay_out_of_the_build() {
        assert!(is_shipped(Path::new("manifest.json")));
        assert!(is_shipped(Path::new("lib/chrome.js")));
        assert!(is_shipped(Path::new("icons/icon-128.png")));
        assert!(!is_shipped(Path::new("README.md")));
        assert!(!is_shipped(Path::new("lib/README.md")));
        assert!(!is_shipped(Path::new(".eslintrc.json")));
        assert!(!is_shipped(Path::new("lib/.DS_Store")));
    }

    #[test]
    fn only_the_run_time_wasm_files_are_copied() {
        assert!(is_wasm_output(Path::new("courier_wasm.js")));
        assert!(is_wasm_output(Path::new("courier_wasm_bg.wasm")));
        assert!(is_wasm_output(Path::new(
            "snippets/courier-wasm-1/inline0.js"
        )));
        for left_out in [
            "courier_wasm.d.ts",
            "courier_wasm_bg.wasm.d.ts",
            "package.json",
            ".gitignore",
        ] {
            assert!(!is_wasm_output(Path::new(left_out)), "{left_out}");
        }
    }

    #[test]
    fn the_output_paths_are_under_dist() {
        let dist = Dist::at(Path::new("/repo"));
        assert_eq!(dist.chromium, Path::new("/repo/dist/extension"));
        assert_eq!(dist.firefox, Path::new("/repo/dist/extension-firefox"));
        assert_eq!(
            dist.chromium_zip,
            Path::new("/repo/dist/courier-chromium.zip")
        );
        assert_eq!(
            dist.firefox_zip,
            Path::new("/repo/dist/courier-firefox.zip")
        );
    }

    #[test]
    fn sizes_read_in_kib() {
        let sizes = WasmSizes {
            built: 2048,
            optimized: 1536,
            gzipped: 512,
        };
        assert_eq!(
            sizes.describe(),
            "courier_wasm_bg.wasm: 2.0 KiB built, 1.5 KiB after wasm-opt -O3, 0.5 KiB gzipped"
        );
    }
}
