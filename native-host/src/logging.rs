//! Logging: to stderr only (stdout carries native-messaging frames or command output), at
//! `RUST_LOG`'s level or a default, and never a cookie value.

use std::io;

/// cookie_store logs every `Set-Cookie` it stores, values included (bungie.net's session
/// tokens), at debug level: it is held at warn whatever `RUST_LOG` says.
const COOKIE_STORE_LOG: &str = "cookie_store=warn";

/// Logs to stderr at `RUST_LOG`'s level, else `default_level`.
pub fn init(default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let filter = match COOKIE_STORE_LOG.parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    // Fails only when a subscriber is already set, which then logs instead.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(false)
        .try_init();
}
