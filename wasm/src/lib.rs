//! courier-wasm: the extension's window onto courier-core.
//!
//! It contains no logic: every export is a short delegation to courier-core, values cross as
//! plain JavaScript objects (camelCase, int64 ids as strings) or `Uint8Array`s ([`js`]), the
//! inventory and a run's journal as text in core's binary form ([`stored`]), HTTP goes through
//! the browser's fetch, and
//! every failure is a JS `Error` with
//! `name = "CourierError"`, a snake_case `kind` and a `message` for a person ([`error`]).
//!
//! | export | module |
//! |---|---|
//! | `setDefinitions`, `definitionsFromTables`, `DefinitionsBuilder` | [`definitions`] |
//! | `parseProfile`, `snapshot`, `search`, `plan`, `startRun`, `itemHashFromUrl`, `bestCopy` | [`views`] |
//! | `stepRun` | [`run`] |
//! | `fetchProfile`, `fetchDefinitions`, `fetchXur` | [`fetch`] |
//!
//! Built with `wasm-pack build wasm --target web`; loaded in the extension's module service
//! worker by `import init, * as core from './wasm/courier_wasm.js'`.

pub mod definitions;
pub mod error;
pub mod fetch;
pub mod http;
pub mod js;
pub mod run;
pub mod stored;
pub mod views;
