//! The facade's exports in Node (`wasm-pack test --node wasm`): what JavaScript gets back, and
//! the `CourierError`s it gets instead. A tiny profile and manifest tables are embedded.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use courier_core::exec::journal::JOURNAL_VERSION;
use courier_core::exec::{Journal, Phase, StepState};
use courier_wasm::error::CourierError;
use courier_wasm::{definitions, fetch, js, run, stored, views};
use js_sys::JsString;
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const PROFILE: &[u8] = include_bytes!("fixtures/profile.json");
const ITEMS: &[u8] = include_bytes!("fixtures/items.json");
const BUCKETS: &[u8] = include_bytes!("fixtures/buckets.json");

const TITAN: &str = "2305843009260802821";
const HUNTER: &str = "2305843009260802822";
const GJALLARHORN: u32 = 1363886209;

/// Loads the embedded definitions (every test that reads names calls this first, so the
/// order tests run in does not matter).
fn load_definitions() -> Vec<u8> {
    definitions::definitions_from_tables(ITEMS, BUCKETS).expect("the embedded tables build")
}

/// The embedded profile as the text `parseProfile` returns.
fn inventory() -> JsString {
    views::parse_profile(PROFILE).expect("the embedded profile parses")
}

/// A JS value read back as JSON, to assert on.
fn json_of(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value).expect("a plain JS value");
    serde_json::from_str(&String::from(text)).expect("JSON")
}

/// The inventory in text that crossed as a string, as JSON to assert on.
fn inventory_of(text: &JsString) -> Value {
    let inventory = stored::read_inventory(text).expect("an inventory's text");
    serde_json::to_value(inventory).expect("JSON")
}

/// The journal in text that crossed as a string.
fn journal_of(text: &JsString) -> Journal {
    stored::read_journal(text).expect("a journal's text")
}

/// Text as the JavaScript string an export takes.
fn js_text(text: &str) -> JsString {
    JsString::from(text)
}

/// A JSON value as a plain JS object.
fn js_of(value: &Value) -> JsValue {
    js::to_js("test value", value).expect("JSON crosses")
}

/// The JS error a failed export throws, checked to be a `CourierError` of `kind`; its message.
fn thrown(result: Result<JsValue, CourierError>, kind: &str) -> String {
    let error: JsValue = result.expect_err("the call fails").into();
    let error = error
        .dyn_into::<js_sys::Error>()
        .expect("a JS Error instance");
    assert_eq!(String::from(error.name()), "CourierError");
    let got = js_sys::Reflect::get(&error, &"kind".into()).expect("a kind property");
    assert_eq!(got.as_string().as_deref(), Some(kind));
    let message = String::from(error.message());
    assert!(!message.is_empty(), "a message for a person");
    message
}

#[wasm_bindgen_test]
fn definitions_built_from_tables_load_and_come_back_from_their_bytes() {
    let bytes = load_definitions();
    assert!(!bytes.is_empty());
    definitions::set_definitions(&bytes).expect("its own bytes load");
    let snapshot =
        json_of(&views::snapshot(&inventory(), true, "cookie", false).expect("snapshot"));
    assert_eq!(
        snapshot["vault"]["capacity"], 700,
        "the General bucket's itemCount"
    );
    let titan = &snapshot["stores"][0];
    assert_eq!(titan["buckets"][0]["name"], "Power Weapons");

    let damaged = definitions::set_definitions(b"not postcard").map(|()| JsValue::UNDEFINED);
    thrown(damaged, "definitions");
    let table = definitions::definitions_from_tables(b"[1,2", BUCKETS).map(JsValue::from);
    let message = thrown(table, "definitions");
    assert!(
        message.contains("DestinyInventoryItemDefinition"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn the_builder_takes_the_item_table_in_chunks() {
    let whole = load_definitions();
    let nothing = courier_core::model::Definitions::default().to_bytes();
    for size in [1, 7, 4096] {
        definitions::set_definitions(&nothing).expect("empty definitions load");
        let mut builder = definitions::DefinitionsBuilder::new();
        for chunk in ITEMS.chunks(size) {
            builder.push(chunk).expect("a chunk of the embedded table");
        }
        let bytes = builder.finish(BUCKETS).expect("the whole table was pushed");
        assert_eq!(bytes, whole, "chunks of {size} bytes");
    }
    let snapshot =
        json_of(&views::snapshot(&inventory(), true, "cookie", false).expect("snapshot"));
    assert_eq!(
        snapshot["stores"][0]["buckets"][0]["items"][1]["name"], "Gjallarhorn",
        "the builder loaded its definitions"
    );

    let mut builder = definitions::DefinitionsBuilder::new();
    builder
        .push(&ITEMS[..ITEMS.len() / 2])
        .expect("the first half");
    let message = thrown(builder.finish(BUCKETS).map(JsValue::from), "definitions");
    assert!(message.contains("cut short"), "{message}");

    let mut builder = definitions::DefinitionsBuilder::new();
    let refused = builder.push(b"<html>").map(|()| JsValue::UNDEFINED);
    thrown(refused, "definitions");
}

#[wasm_bindgen_test]
fn parse_profile_gives_the_inventory_with_its_int64_ids() {
    let inventory = inventory_of(&inventory());
    assert_eq!(inventory["membershipType"], 2);
    assert_eq!(
        inventory["membershipId"], "4611686018433092312",
        "an int64 beyond 2^53 survives as a string"
    );
    assert_eq!(inventory["characters"][0]["id"], TITAN, "most recent first");
    assert_eq!(inventory["characters"][0]["classType"], "titan");
    assert_eq!(inventory["minted"], "2026-01-01T12:00:00Z");
    let ids: Vec<&Value> = inventory["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| &item["instanceId"])
        .collect();
    assert_eq!(ids.len(), 4);
    assert!(ids.contains(&&json!("9001")) && ids.contains(&&Value::Null));

    thrown(
        views::parse_profile(b"<html>Down</html>").map(JsValue::from),
        "not_json",
    );
    let signed_out = br#"{"ErrorCode":99,"ThrottleSeconds":0,"ErrorStatus":"WebAuthRequired","Message":"Please sign-in to continue.","MessageData":{}}"#;
    thrown(
        views::parse_profile(signed_out).map(JsValue::from),
        "signed_out",
    );
}

#[wasm_bindgen_test]
fn components_passed_over_with_vector_instructions_change_nothing() {
    // Strings full of quotes, backslashes and brackets, of every length across the scan's
    // 64-byte blocks, in a component Courier does not read, before and after what it reads.
    let tricky: Vec<Value> = (0..200)
        .map(|length| {
            let text: String = "a\"\\]}[{ ".chars().cycle().take(length).collect();
            json!({ "plugHash": length, "name": text, "nested": [[text], { "k": "\\" }] })
        })
        .collect();
    let mut profile: Value = serde_json::from_slice(PROFILE).expect("the embedded profile");
    let plain = inventory_of(&inventory());
    for key in ["profilePlugSets", "zzzUnread"] {
        profile["Response"][key] = Value::Array(tricky.clone());
    }
    for text in [
        profile.to_string(),
        serde_json::to_string_pretty(&profile).expect("JSON"),
    ] {
        let read = views::parse_profile(text.as_bytes()).expect("still a profile");
        assert_eq!(inventory_of(&read), plain);
    }
    let cut = profile.to_string();
    let cut = &cut.as_bytes()[..cut.len() / 2];
    thrown(views::parse_profile(cut).map(JsValue::from), "not_json");
}

#[wasm_bindgen_test]
fn the_snapshot_has_the_popup_header_and_stores() {
    load_definitions();
    let snapshot = json_of(&views::snapshot(&inventory(), true, "psn", true).expect("snapshot"));
    assert_eq!(snapshot["ok"], true);
    assert_eq!(snapshot["signedIn"], true);
    assert_eq!(snapshot["authMode"], "psn");
    assert_eq!(snapshot["stale"], true);
    assert_eq!(snapshot["mintedAt"], "2026-01-01T12:00:00Z");
    assert_eq!(snapshot["characters"][0]["className"], "Titan");
    assert_eq!(snapshot["characters"][1]["id"], HUNTER);
    assert_eq!(snapshot["vault"]["count"], 1);
    assert_eq!(snapshot["postmaster"][0]["characterId"], TITAN);
    let titan_power = &snapshot["stores"][0]["buckets"][0]["items"];
    assert_eq!(titan_power[0]["name"], "Hothead", "equipped first");
    assert_eq!(titan_power[1]["name"], "Gjallarhorn");
    assert_eq!(titan_power[1]["tier"], "exotic");

    let bad = views::snapshot(&js_text("inventory"), true, "psn", false);
    thrown(bad, "invalid_argument");
}

#[wasm_bindgen_test]
fn search_counts_matches_and_reports_parse_errors_with_their_position() {
    load_definitions();
    let all = json_of(&views::search(&inventory(), "is:weapon").expect("a search"));
    assert_eq!(all["count"], 3);
    let mut ids: Vec<String> = serde_json::from_value(all["itemIds"].clone()).expect("ids");
    ids.sort();
    assert_eq!(ids, ["9001", "9002", "9003"]);
    let mut hashes: Vec<u32> = serde_json::from_value(all["hashes"].clone()).expect("hashes");
    hashes.sort_unstable();
    assert_eq!(hashes, [200, GJALLARHORN], "distinct hashes");

    let unlocked = json_of(&views::search(&inventory(), "gjallarhorn -is:locked").expect("search"));
    assert_eq!(unlocked["count"], 1);
    assert_eq!(unlocked["itemIds"], json!(["9001"]));

    let message = thrown(views::search(&inventory(), "is:weapn"), "search");
    assert!(message.contains("at 3"), "{message}");
}

#[wasm_bindgen_test]
fn names_are_searched_whatever_their_case_as_the_engine_lowercases() {
    // A German manifest's names (core is built without its own Unicode case tables here).
    let items = String::from_utf8(ITEMS.to_vec())
        .expect("UTF-8")
        .replace("Hothead", "Hitzkopf ÜBER Ärger")
        .replace("Glimmer Boost", "ΣΦΑΙΡΑ");
    definitions::definitions_from_tables(items.as_bytes(), BUCKETS).expect("the tables build");
    let count = |query: &str| {
        json_of(&views::search(&inventory(), query).expect("a search"))["count"].clone()
    };
    assert_eq!(count("über"), 1);
    assert_eq!(count("\"über äRGER\""), 1);
    assert_eq!(count("HITZKOPF"), 1);
    assert_eq!(count("σφαιρα"), count("ΣΦΑΙΡΑ"));
    assert_ne!(count("σφαιρα"), 0);
    assert_eq!(
        count("uber"),
        0,
        "folding lowercases; it does not strip accents"
    );
    load_definitions();
}

#[wasm_bindgen_test]
fn a_move_between_characters_is_planned_through_the_vault() {
    load_definitions();
    let intent = js_of(&json!({ "kind": "move", "itemId": "9001", "to": HUNTER }));
    let plan = json_of(&views::plan(&inventory(), intent, "never".into()).expect("a plan"));
    let steps = plan["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2, "{plan}");
    assert_eq!(steps[0]["action"]["toVault"], true, "{plan}");
    assert_eq!(steps[1]["action"]["characterId"], HUNTER, "{plan}");
    assert_eq!(plan["intents"][0]["refusal"], Value::Null);

    let gone = js_of(&json!({ "kind": "move", "itemId": "12345", "to": "vault" }));
    let refused = json_of(&views::plan(&inventory(), gone, "allowed".into()).expect("a plan"));
    assert_eq!(refused["intents"][0]["refusal"]["kind"], "not_found");
    assert_eq!(refused["steps"], json!([]));

    let nonsense = js_of(&json!({ "kind": "move", "itemId": "9001", "to": "mars" }));
    thrown(
        views::plan(&inventory(), nonsense, "never".into()),
        "invalid_argument",
    );
    let intent = js_of(&json!({ "kind": "move", "itemId": "9001", "to": "vault" }));
    thrown(
        views::plan(&inventory(), intent, "sometimes".into()),
        "invalid_argument",
    );
}

/// The `{journal, progress}` of a run moving Titan's Gjallarhorn to the vault.
fn started() -> JsValue {
    let intents = js_of(&json!([{ "kind": "move", "itemId": "9001", "to": "vault" }]));
    views::start_run(&inventory(), intents, "never".into()).expect("a run starts")
}

/// That run's journal text.
fn journal() -> JsString {
    js_text(
        json_of(&started())["journal"]
            .as_str()
            .expect("the journal crosses as text"),
    )
}

#[wasm_bindgen_test]
fn start_run_returns_the_journal_text_and_the_progress() {
    load_definitions();
    let started = json_of(&started());
    assert_eq!(started["progress"]["done"], 0);
    assert_eq!(started["progress"]["total"], 1);
    let journal = journal_of(&js_text(started["journal"].as_str().expect("text")));
    assert_eq!(journal.version, JOURNAL_VERSION);
    assert_eq!(journal.phase, Phase::Running);
    assert_eq!(journal.steps.len(), 1);
    assert_eq!(journal.steps[0].state, StepState::Pending);
    assert_eq!(journal.inventory.membership_id, 4611686018433092312);
    let intent = serde_json::to_value(&journal.intents[0]).expect("JSON");
    assert_eq!(intent["itemId"], "9001");
}

/// A connection nothing answers on (stepRun must not need it in these tests).
fn nowhere() -> JsValue {
    js_of(&json!({ "origin": "http://127.0.0.1:9", "apiKey": "k" }))
}

#[wasm_bindgen_test]
async fn step_run_waits_on_the_wall_clock_and_ends_without_the_network() {
    load_definitions();
    // A journal whose next send is a minute from now (Date.now, as the facade's clock).
    let mut waiting = journal_of(&journal());
    waiting.wait_until = Some(run::now() + Duration::from_secs(60));
    let waiting = stored::journal_text(&waiting).expect("a journal's text");
    let stepped = json_of(
        &run::step_run(waiting, nowhere(), None)
            .await
            .expect("a wait"),
    );
    assert_eq!(stepped["state"], "wait");
    let wait_ms = stepped["waitMs"].as_u64().expect("waitMs");
    assert!((58_000..=60_000).contains(&wait_ms), "{wait_ms}");
    assert_eq!(stepped["progress"]["total"], 1);
    assert_eq!(stepped["report"], Value::Null);

    // Nothing to do: done at once, with the report.
    let empty = views::start_run(&inventory(), js_of(&json!([])), "never".into()).expect("run");
    let empty = js_text(json_of(&empty)["journal"].as_str().expect("text"));
    let done = json_of(&run::step_run(empty, nowhere(), None).await.expect("done"));
    assert_eq!(done["state"], "done");
    assert_eq!(done["progress"]["finished"], true);
    assert_eq!(done["report"]["stepsDone"], 0);
    assert_eq!(
        journal_of(&js_text(done["journal"].as_str().expect("text"))).phase,
        Phase::Finished
    );
    let left = &done["profile"];
    let text = left["inventory"]
        .as_str()
        .expect("the inventory as the run left it");
    assert_eq!(
        inventory_of(&js_text(text)),
        inventory_of(&inventory()),
        "nothing moved"
    );
    assert_eq!(left["minted"], "2026-01-01T12:00:00Z");
    assert_eq!(left["characters"][0]["id"], TITAN);
    assert_eq!(
        stepped["profile"],
        Value::Null,
        "only a finished run hands it over"
    );
}

#[wasm_bindgen_test]
async fn step_run_refuses_journals_it_cannot_read() {
    let mut other = journal_of(&journal());
    other.version = 99;
    let other = stored::journal_text(&other).expect("a journal's text");
    let message = thrown(run::step_run(other, nowhere(), None).await, "journal");
    assert!(message.contains("version 99"), "{message}");
    let message = thrown(
        run::step_run(js_text(r#"{"version":1,"steps":[]}"#), nowhere(), None).await,
        "journal",
    );
    assert!(
        message.contains("version 1"),
        "an older Courier's JSON journal: {message}"
    );
    thrown(
        run::step_run(js_text("not base64!"), nowhere(), None).await,
        "journal",
    );
    thrown(
        run::step_run(journal(), js_of(&json!({ "origin": 5 })), None).await,
        "invalid_argument",
    );
}

#[wasm_bindgen_test]
async fn a_fetch_that_gets_no_answer_leaves_the_step_to_be_checked() {
    load_definitions();
    let stepped = json_of(
        &run::step_run(journal(), nowhere(), None)
            .await
            .expect("a cycle"),
    );
    assert_eq!(stepped["state"], "running");
    let journal = journal_of(&js_text(stepped["journal"].as_str().expect("text")));
    assert!(matches!(
        journal.steps[0].state,
        StepState::Uncertain { .. }
    ));
    assert!(
        matches!(journal.phase, Phase::Refresh { .. }),
        "a fresh profile decides whether it happened"
    );
    assert_eq!(journal.in_flight, None);

    let message = thrown(fetch::fetch_definitions(nowhere(), None).await, "network");
    assert!(message.contains("127.0.0.1:9"), "{message}");
    thrown(fetch::fetch_profile(nowhere()).await, "network");
}

#[wasm_bindgen_test]
async fn on_send_sees_the_journal_in_flight_and_can_stop_the_send() {
    load_definitions();
    let keep = js_sys::Function::new_with_args("journal", "globalThis.kept = journal;");
    run::step_run(journal(), nowhere(), Some(keep))
        .await
        .expect("a cycle");
    let kept = js_sys::Reflect::get(&js_sys::global(), &"kept".into()).expect("kept");
    let kept = journal_of(&js_text(&kept.as_string().expect("the journal's text")));
    assert_eq!(
        kept.in_flight.and_then(|flight| flight.step),
        Some(0),
        "stored with the step in flight"
    );
    assert_eq!(kept.steps[0].state, StepState::InFlight);

    let refuse = js_sys::Function::new_no_args("return Promise.reject(new Error('storage full'));");
    let message = thrown(
        run::step_run(journal(), nowhere(), Some(refuse)).await,
        "journal",
    );
    assert!(
        message.contains("storage full") && message.contains("nothing was sent"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn core_errors_become_courier_errors_with_kind_and_message() {
    use courier_core::api::ApiError;
    use courier_core::exec::JournalError;
    use courier_core::plan::Refusal;

    let api = ApiError::Maintenance {
        message: "bungie.net is down for maintenance; try again later.".into(),
    };
    let message = thrown(Err(api.into()), "maintenance");
    assert!(message.starts_with("Bungie.net is down"), "{message}");
    let refusal = Refusal::NoRoom {
        place: "The vault".into(),
    };
    let message = thrown(Err(refusal.into()), "no_room");
    assert!(message.starts_with("The vault is full"), "{message}");
    thrown(Err(JournalError::Version(7).into()), "journal");
}

#[wasm_bindgen_test]
fn item_links_name_their_hash_and_other_links_null() {
    let hash = views::item_hash_from_url("https://www.light.gg/db/items/1363886209/gjallarhorn/");
    assert_eq!(hash.as_f64(), Some(f64::from(GJALLARHORN)));
    let foundry = views::item_hash_from_url("https://d2foundry.gg/w/1363886209?p=1");
    assert_eq!(foundry.as_f64(), Some(f64::from(GJALLARHORN)));
    assert!(views::item_hash_from_url("https://www.light.gg/").is_null());
}

#[wasm_bindgen_test]
fn the_best_copy_is_the_unlocked_one_and_none_is_null() {
    load_definitions();
    let best = json_of(&views::best_copy(&inventory(), GJALLARHORN).expect("a copy"));
    assert_eq!(
        best["itemId"], "9001",
        "the locked 1850 in the vault is passed over"
    );
    assert_eq!(best["name"], "Gjallarhorn");
    assert_eq!(best["power"], 1810);
    assert_eq!(best["location"]["characterId"], TITAN);
    assert!(
        views::best_copy(&inventory(), 4)
            .expect("no copy is no error")
            .is_null()
    );
}
