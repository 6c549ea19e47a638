//! The fetching exports against a running courier-sim, through Node's fetch: the public reads
//! (manifest and definitions, Xûr from the public vendors) and how bungie.net's refusals come
//! back. `cargo xtask test` starts the simulator and sets `COURIER_SIM_URL` and
//! `COURIER_SIM_API_KEY`; without them these tests return at once. (Signed-in runs need the
//! browser's cookies: the e2e browser test covers them.)
#![cfg(target_arch = "wasm32")]

use courier_core::exec::StepState;
use courier_wasm::{fetch, js, run, stored, views};
use js_sys::JsString;
use serde_json::{Value, json};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(inline_js = "export function env(name) { \
    return typeof process === 'undefined' ? undefined : process.env[name]; }")]
extern "C" {
    /// An environment variable of the Node process running the tests.
    fn env(name: &str) -> Option<String>;
}

/// The simulator's origin and API key, when the test run has one.
fn sim() -> Option<(String, String)> {
    match (env("COURIER_SIM_URL"), env("COURIER_SIM_API_KEY")) {
        (Some(url), Some(key)) => Some((url, key)),
        _ => {
            wasm_bindgen_test::console_log!("skipped: COURIER_SIM_URL is not set");
            None
        }
    }
}

/// A connection value for the extension's `connection` argument.
fn connection(origin: &str, api_key: &str, auth: Value) -> JsValue {
    js::to_js(
        "connection",
        &json!({ "origin": origin, "apiKey": api_key, "auth": auth }),
    )
    .expect("JSON crosses")
}

/// A JS value read back as JSON.
fn json_of(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value).expect("a plain JS value");
    serde_json::from_str(&String::from(text)).expect("JSON")
}

/// The `kind` of a rejected call.
fn kind_of(error: courier_wasm::error::CourierError) -> String {
    error.kind
}

#[wasm_bindgen_test]
async fn definitions_download_once_per_manifest_version() {
    let Some((origin, key)) = sim() else { return };
    let anonymous = connection(&origin, &key, Value::Null);
    let fetched = fetch::fetch_definitions(anonymous.clone(), None)
        .await
        .expect("the manifest and its tables");
    let fetched_json =
        json_of(&js_sys::Reflect::get(&fetched, &"version".into()).expect("version"));
    let version = fetched_json.as_str().expect("a version string").to_string();
    let bytes = js_sys::Reflect::get(&fetched, &"bytes".into()).expect("bytes");
    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
    courier_wasm::definitions::set_definitions(&bytes).expect("the bytes load");
    let again = fetch::fetch_definitions(anonymous, Some(version))
        .await
        .expect("asked again");
    assert!(again.is_null(), "the cached version is current");

    let wrong_key = connection(&origin, "not-the-key", Value::Null);
    let refused = fetch::fetch_definitions(wrong_key, None).await;
    assert_eq!(
        refused.map_err(kind_of).err().as_deref(),
        Some("bad_api_key")
    );
}

#[wasm_bindgen_test]
async fn xur_comes_from_the_public_vendors_without_an_inventory() {
    let Some((origin, key)) = sim() else { return };
    let digest = fetch::fetch_xur(connection(&origin, &key, Value::Null), None)
        .await
        .expect("a digest");
    let digest = json_of(&digest);
    assert_eq!(digest["present"], true, "{digest}");
    assert!(
        !digest["sales"].as_array().expect("sales").is_empty(),
        "{digest}"
    );
}

#[wasm_bindgen_test]
async fn without_a_session_reads_and_runs_end_signed_out() {
    let Some((origin, key)) = sim() else { return };
    let stale_cookie = connection(
        &origin,
        &key,
        json!({ "kind": "cookie", "bungled": "expired" }),
    );
    let refused = fetch::fetch_profile(stale_cookie.clone()).await;
    assert_eq!(
        refused.map_err(kind_of).err().as_deref(),
        Some("signed_out")
    );

    let inventory = views::parse_profile(include_bytes!("fixtures/profile.json")).expect("profile");
    let intents = js::to_js(
        "intents",
        &json!([{ "kind": "move", "itemId": "9001", "to": "vault" }]),
    )
    .expect("intents");
    let started = views::start_run(&inventory, intents, "never".into()).expect("a run");
    let journal = JsString::from(json_of(&started)["journal"].as_str().expect("text"));
    let sent = json_of(
        &run::step_run(journal, stale_cookie.clone(), None)
            .await
            .expect("a cycle"),
    );
    assert_eq!(sent["state"], "running");
    let journal = JsString::from(sent["journal"].as_str().expect("text"));
    let stepped = stored::read_journal(&journal).expect("a journal's text");
    assert!(
        matches!(stepped.steps[0].state, StepState::Failed { .. }),
        "{sent}"
    );
    let done = json_of(
        &run::step_run(journal, stale_cookie, None)
            .await
            .expect("the end"),
    );
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["report"]["intents"][0]["done"], false);
    assert_eq!(done["report"]["intents"][0]["kind"], "signed_out", "{done}");
}
