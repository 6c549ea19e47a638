//! courier-core: the pure-Rust brain of Courier, with no I/O.
//!
//! - [`api`]: typed requests for every Bungie Platform endpoint Courier uses, and the envelope
//!   decoded into `Result<T, ApiError>`.
//! - [`inventory`]: the [`model::Inventory`] built from the raw bytes of a GetProfile answer.
//! - [`defs`]: the compact [`model::Definitions`] streamed from the manifest's tables.
//! - [`plan`]: intents in, plans (ordered API actions) or typed refusals out.
//! - [`exec`]: the action executor, a sans-I/O state machine: it says what to send or how long
//!   to wait, takes each answer with the time, and journals its state after every step.
//! - [`search`]: the search language (`is:weapon is:exotic -is:locked power:>1800`).
//! - [`xur`]: Xur's stock as a digest, in HTML and plain text.
//! - [`host_protocol`]: the native-messaging messages between the extension and courier-host.
//! - [`links`]: the item hash behind a link to an item page, and the copy to act on, for the
//!   right-click menu.
//! - [`popup`]: the protocol between the extension's pages and its worker, and the views core
//!   builds for the popup.
//!
//! Core never reads a clock, the network or the disk: time, randomness and answers come in as
//! parameters, so every part is testable without a network. It builds for `wasm32-unknown-unknown`.

pub mod api;
pub mod defs;
pub mod exec;
pub mod host_protocol;
pub mod inventory;
pub mod links;
pub mod model;
mod order;
pub mod plan;
pub mod popup;
mod scan;
pub mod search;
mod tagged;
pub mod xur;
