//! The host's driver of courier-core: a small bungie.net client ([`client`]), the definitions
//! with their on-disk cache ([`definitions`]), and the loop that runs core's sans-I/O executor
//! over HTTP ([`run`]).
//!
//! Core never reads a clock; the driver does: `now` is the time since the run started, from a
//! monotonic clock. Every request the executor asks for is sent, its answer (or the lack of one)
//! handed back, and every wait slept out, until the executor reports.

pub mod client;
pub mod definitions;

use std::future::Future;

use anyhow::Context as _;
use courier_core::exec::{Executor, Poll, Progress, Report};
use courier_core::model::Definitions;

use crate::{config, session};
use client::Bungie;

pub use definitions::cache_dir;

/// What to tell a person who needs a session and has none.
pub const NOT_SIGNED_IN: &str = "Not signed in: run `courier-host login --psn --username EMAIL \
                                 --password-stdin --save` first.";

/// Whether a command needs a bungie.net session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// It reads or changes the player's inventory: no session is an error.
    Required,
    /// It works without one (public endpoints), and uses one when saved.
    Optional,
}

/// How many polls one run may take before the driver gives up (the executor's retries are
/// bounded far below this; reaching it means a bug, not a slow network).
const MAX_POLLS: usize = 100_000;

/// A client of the configured bungie.net origin with the API key (`api_key` is the
/// `--api-key` flag) and the saved session, if any.
pub fn connect(api_key: Option<String>, need: SignIn) -> anyhow::Result<Bungie> {
    let origins = config::Origins::load()?;
    let saved = session::load()?;
    if need == SignIn::Required && saved.is_none() {
        anyhow::bail!(NOT_SIGNED_IN);
    }
    Ok(Bungie::new(
        config::http_client()?,
        &origins.bungie,
        config::api_key(api_key),
        saved.as_ref(),
    ))
}

/// Runs `future` to its end on a fresh single-threaded tokio runtime (the CLI commands are
/// synchronous functions).
pub fn block_on<F: Future>(future: F) -> anyhow::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    Ok(runtime.block_on(future))
}

/// Drives the executor to its report: sends what it asks for through `client`, sleeps out its
/// waits, and calls `on_progress` when a step is sent and when its answer arrives.
pub async fn run(
    client: &Bungie,
    executor: &mut Executor,
    definitions: &Definitions,
    mut on_progress: impl FnMut(&Progress),
) -> anyhow::Result<Report> {
    let started = tokio::time::Instant::now();
    let now = || started.elapsed();
    for _ in 0..MAX_POLLS {
        match executor.poll(now()) {
            Poll::Done(report) => return Ok(report),
            Poll::Wait(until) => tokio::time::sleep(until.saturating_sub(now())).await,
            Poll::Pending => anyhow::bail!(
                "internal error: the executor waits for an answer that was already handed back"
            ),
            Poll::Send(outgoing) => {
                on_progress(&executor.progress(definitions));
                match client.send(&outgoing.request).await {
                    Ok(answer) => executor.handle_response(
                        definitions,
                        outgoing.id,
                        answer.status,
                        answer.content_type.as_deref(),
                        &answer.body,
                        now(),
                    ),
                    Err(error) => {
                        tracing::warn!("{} got no answer: {error}", outgoing.request.path);
                        executor.handle_failure(outgoing.id, now());
                    }
                }
                on_progress(&executor.progress(definitions));
            }
        }
    }
    anyhow::bail!("internal error: the run did not finish in {MAX_POLLS} steps")
}
