//! What the benchmarks run, built once: courier-sim, courier-host and courier-bench in release
//! (the builds people run), the debug courier-sim the browser scripts start, the wasm core for
//! Node, and the extension in `target/bench/dist/` (so `dist/` is left alone), whose wasm
//! module's size is the `wasm_size` row.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::report::{Goal, Measurement, Spec};
use super::{Bench, bench_dir};
use crate::packaging::{self as dist, Defaults, Dist, WasmSizes, WasmTarget};
use crate::tools::{self, cargo, target_dir};

/// The row this module yields.
pub const SIZE_ROWS: [Spec; 1] = [Spec {
    name: "wasm_size",
    unit: "KB",
    goal: Goal::AtMost(200.0),
}];

/// Where everything built is.
pub struct Built {
    /// `courier-sim`, release.
    pub sim: PathBuf,
    /// `courier-host`, release.
    pub host: PathBuf,
    /// `courier-bench`, release.
    pub bench: PathBuf,
    /// The wasm core built for Node (`courier_wasm.js`, `courier_wasm_bg.wasm`).
    pub node_pkg: PathBuf,
    /// The Chromium-family extension folder.
    pub extension: PathBuf,
    /// The size of the extension's wasm module.
    pub wasm: WasmSizes,
}

/// Builds everything.
pub fn build(root: &Path) -> Result<Built> {
    tools::run(
        cargo()
            .args([
                "build",
                "--release",
                "-p",
                "courier-sim",
                "-p",
                "courier-host",
            ])
            .args(["-p", "courier-tests", "--bins"])
            .current_dir(root),
    )?;
    tools::run(
        cargo()
            .args(["build", "-p", "courier-sim"])
            .current_dir(root),
    )?;
    let bench = bench_dir(root);
    let node_pkg = bench.join("wasm-node");
    dist::build_wasm(root, WasmTarget::NodeJs, &node_pkg)?;
    let (extension, wasm) = dist::build_at(
        root,
        &Defaults::sandbox(),
        Dist::in_folder(&bench.join("dist")),
        &bench.join("wasm-web"),
    )?;
    let release = target_dir(root).join("release");
    let binary = |name: &str| release.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    Ok(Built {
        sim: binary("courier-sim"),
        host: binary("courier-host"),
        bench: binary("courier-bench"),
        node_pkg,
        extension: extension.dist.chromium,
        wasm,
    })
}

/// `wasm_size`: the optimized module gzipped, in KB of 1,024 bytes as `cargo xtask dist`
/// prints it.
pub fn wasm_size(bench: &Bench) -> Result<Vec<Measurement>> {
    let sizes = bench.built.wasm;
    let kb = sizes.gzipped as f64 / 1024.0;
    Ok(vec![SIZE_ROWS[0].measured(kb, None).with_detail(format!(
        "{} (KB = 1,024 bytes)",
        sizes.describe()
    ))])
}
