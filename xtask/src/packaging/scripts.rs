//! Which scripts of `extension/` ship, and how. The service worker's modules ship as they are
//! (the wasm glue it imports finds its module by URL); each page's script ships as one file,
//! bundled with its imports by esbuild, so a page fetches one script before its first frame.
//! A module only a page imports is in that page's bundle and nowhere else.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::tools;

/// The service worker's script.
pub const WORKER: &str = "background.js";
/// The pages' scripts.
pub const PAGES: [&str; 2] = ["popup.js", "options.js"];
/// What the worker imports from wasm-pack's output, which ships from there.
const WASM_GLUE: &str = "./wasm/*";

/// esbuild, as `npm ci` in `tests/` installs it.
pub struct Esbuild {
    program: PathBuf,
}

/// The part of esbuild's metafile read here: the files that went into the bundle.
#[derive(Deserialize)]
struct Metafile {
    inputs: serde_json::Map<String, serde_json::Value>,
}

impl Esbuild {
    /// esbuild under the repository `root`, or the error saying how to install it.
    pub fn at(root: &Path) -> Result<Self> {
        let program = super::node_tool(root, "esbuild");
        if !program.exists() {
            bail!(
                "{} is missing; run `cargo xtask setup` (npm ci in tests/ installs esbuild)",
                program.display()
            );
        }
        Ok(Self { program })
    }

    /// The worker's script and every module it imports, relative to `source`.
    pub fn worker_modules(&self, source: &Path) -> Result<BTreeSet<PathBuf>> {
        let scratch = tempfile::tempdir().context("cannot make a scratch folder for esbuild")?;
        let metafile = scratch.path().join("meta.json");
        self.bundle(
            source,
            WORKER,
            &scratch.path().join(WORKER),
            &[
                format!("--external:{WASM_GLUE}"),
                format!("--metafile={}", metafile.display()),
            ],
        )?;
        let text = fs::read_to_string(&metafile)
            .with_context(|| format!("esbuild wrote no {}", metafile.display()))?;
        let meta: Metafile = serde_json::from_str(&text)
            .with_context(|| format!("{} is not an esbuild metafile", metafile.display()))?;
        Ok(meta.inputs.keys().map(PathBuf::from).collect())
    }

    /// Writes each page's script under `dist`, bundled with its imports.
    pub fn bundle_pages(&self, source: &Path, dist: &Path) -> Result<()> {
        PAGES
            .iter()
            .try_for_each(|page| self.bundle(source, page, &dist.join(page), &[]))
    }

    /// Bundles `entry` (relative to `source`) into `out`: one ES module, not minified, in the
    /// syntax it was written in.
    fn bundle(&self, source: &Path, entry: &str, out: &Path, extra: &[String]) -> Result<()> {
        tools::run(
            Command::new(&self.program)
                .args([entry, "--bundle", "--format=esm", "--log-level=warning"])
                .arg(format!("--outfile={}", out.display()))
                .args(extra)
                .current_dir(source),
        )
        .with_context(|| format!("bundling {entry} failed"))
    }
}

/// Whether a file of `extension/` (relative path) is a script.
pub fn is_script(file: &Path) -> bool {
    file.extension().is_some_and(|extension| extension == "js")
}
