//! `stepRun`: one cycle of core's executor, driven by fetch and the wall clock.
//!
//! The journal lives in the extension's storage between cycles, and the worker may be stopped
//! between any two, so the executor's clock is `Date.now()` (a wall clock, meaningful across
//! restarts) and each cycle picks the journal up with [`Executor::continue_from`].

use std::time::Duration;

use courier_core::exec::{Executor, Journal, Poll, Progress, Report};
use js_sys::JsString;
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::definitions;
use crate::error::{CourierError, describe};
use crate::http::Connection;
use crate::js::{add_fields, to_js};
use crate::stored::{journal_text, read_journal};
use crate::views;

/// The executor's "now": milliseconds since the Unix epoch, from `Date.now()`.
pub fn now() -> Duration {
    Duration::try_from_secs_f64(js_sys::Date::now() / 1000.0).unwrap_or_default()
}

/// Where a run is after a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum State {
    /// Nothing to send for `waitMs`; call again then.
    Wait,
    /// A request went out and its answer was handled; call again.
    Running,
    /// Finished; `report` says how it went.
    Done,
}

/// What `stepRun` resolves to, besides the journal (which crosses as text) and the profile.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Stepped {
    /// Where the run is.
    state: State,
    /// With `wait`, how long to wait in milliseconds; else 0.
    wait_ms: u64,
    /// Steps done of total, and the current action.
    progress: Progress,
    /// With `done`, the run's report; else `null`.
    report: Option<Report>,
}

/// `stepRun(journal, connection, onSend?)`: one cycle of the run. Asks the executor what to
/// do; when it says send, fetches the request and hands the answer back (a fetch that rejects
/// counts as no answer). Resolves to `{journal, state, waitMs, progress, report, profile}`:
/// the journal as text to store ([`crate::stored`]), and with `done` the inventory as the run left it, as
/// `{inventory, minted, characters}` like `fetchProfile` gives it (else `null`).
///
/// `onSend`, when given, is called (and awaited if it returns a promise) with the journal's text as it
/// stands with the request in flight, before the request goes out: storing that journal means
/// a worker stopped during the fetch resumes by checking whether the step happened instead of
/// repeating it. If `onSend` throws or rejects, nothing is sent.
#[wasm_bindgen(js_name = stepRun)]
pub async fn step_run(
    journal: JsString,
    connection: JsValue,
    #[wasm_bindgen(js_name = onSend)] on_send: Option<js_sys::Function>,
) -> Result<JsValue, CourierError> {
    let journal = read_journal(&journal)?;
    let connection = Connection::from_js(connection)?;
    let definitions = definitions::current();
    let mut executor = Executor::continue_from(journal);
    let at = now();
    let (state, wait, report) = match executor.poll(at) {
        Poll::Send(outgoing) => {
            if let Some(on_send) = on_send {
                persist(&on_send, executor.journal()).await?;
            }
            match connection.send(&outgoing.request).await {
                Ok(answer) => executor.handle_response(
                    &definitions,
                    outgoing.id,
                    answer.status,
                    answer.content_type.as_deref(),
                    &answer.body,
                    now(),
                ),
                Err(_) => executor.handle_failure(outgoing.id, now()),
            }
            (State::Running, Duration::ZERO, None)
        }
        Poll::Wait(until) => (State::Wait, until.saturating_sub(at), None),
        // `continue_from` never leaves a request in flight, so this is only a safe fallback.
        Poll::Pending => (State::Running, Duration::ZERO, None),
        Poll::Done(report) => (State::Done, Duration::ZERO, Some(report)),
    };
    let done = report.is_some();
    let stepped = to_js(
        "run step",
        &Stepped {
            state,
            wait_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            progress: executor.progress(&definitions),
            report,
        },
    )?;
    let journal = executor.journal();
    let profile = if done {
        views::profile(&journal.inventory)?
    } else {
        JsValue::NULL
    };
    add_fields(
        &stepped,
        &[
            ("journal", journal_text(journal)?.into()),
            ("profile", profile),
        ],
    );
    Ok(stepped)
}

/// Hands the journal to `onSend` and waits for it.
async fn persist(on_send: &js_sys::Function, journal: &Journal) -> Result<(), CourierError> {
    let refused = |reason: JsValue| {
        CourierError::new(
            "journal",
            format!(
                "The run could not be saved before its next step ({}); nothing was sent.",
                describe(&reason)
            ),
        )
    };
    let returned = on_send
        .call1(&JsValue::NULL, &journal_text(journal)?.into())
        .map_err(refused)?;
    if returned.has_type::<js_sys::Promise>() {
        JsFuture::from(js_sys::Promise::from(returned))
            .await
            .map_err(refused)?;
    }
    Ok(())
}
