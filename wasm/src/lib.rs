//! courier-wasm: the extension's window onto courier-core.
//!
//! It contains no logic: every export delegates to courier-core, and HTTP goes through the
//! browser's fetch. (Filled by the extension issue; the wasm-bindgen version is pinned here so
//! `cargo xtask setup` installs the matching CLI.)
