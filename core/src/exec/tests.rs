//! The executor against scripted answers on a virtual clock: spacing, one request in flight,
//! throttles, bounded retries, verification before a retry, and the journal.

use std::time::Duration;

use serde_json::json;

use super::*;
use crate::api::Endpoint;
use crate::exec::journal::{JOURNAL_VERSION, Refresh};
use crate::model::{
    BucketDef, BucketScope, Character, CharacterId, ClassType, Item, ItemId, Location, buckets,
};
use crate::plan::{Destination, ItemRef};

const MS: fn(u64) -> Duration = Duration::from_millis;

fn inventory(items: usize) -> Inventory {
    let character = |id: i64, class_type| Character {
        id: CharacterId(id),
        class_type,
        light: 0,
        emblem_path: String::new(),
        emblem_background_path: String::new(),
        date_last_played: String::new(),
    };
    Inventory {
        membership_type: 2,
        membership_id: 7,
        characters: vec![
            character(1, ClassType::Titan),
            character(2, ClassType::Hunter),
        ],
        items: (0..items)
            .map(|i| Item {
                instance_id: Some(ItemId(100 + i as i64)),
                hash: 5,
                quantity: 1,
                bucket_hash: buckets::KINETIC,
                location: Location::Character(CharacterId(1)),
                equipped: false,
                locked: false,
                lockable: true,
                transfer_status: 0,
                power: Some(1800),
            })
            .collect(),
        minted: Some("2026-01-01T00:00:00.000Z".into()),
    }
}

fn definitions() -> Definitions {
    let mut definitions = Definitions::default();
    definitions.buckets.insert(
        buckets::KINETIC,
        BucketDef {
            name: "Kinetic".into(),
            capacity: 10,
            scope: BucketScope::Character,
            category: 3,
        },
    );
    definitions
}

fn to_vault(count: usize) -> Vec<Intent> {
    (0..count)
        .map(|i| Intent::Move {
            item: ItemRef::Instance {
                id: ItemId(100 + i as i64),
            },
            to: Destination::Vault,
            amount: None,
            equip: false,
        })
        .collect()
}

/// An executor moving the first `count` items of [`inventory`]`(count)` to the vault.
fn moving_to_vault(count: usize, definitions: &Definitions) -> Executor {
    Executor::new(
        &inventory(count),
        definitions,
        to_vault(count),
        PlanOptions::default(),
    )
}

fn envelope(code: i32, throttle: i32) -> Vec<u8> {
    json!({ "Response": 0, "ErrorCode": code, "ThrottleSeconds": throttle, "ErrorStatus": "X", "Message": "m", "MessageData": {} })
        .to_string()
        .into_bytes()
}

fn expect_send(executor: &mut Executor, now: Duration) -> Outgoing {
    match executor.poll(now) {
        Poll::Send(outgoing) => outgoing,
        other => panic!("expected a request at {now:?}, got {other:?}"),
    }
}

/// A profile answer in which these item ids are in the vault.
fn profile(in_vault: &[i64], minted: &str) -> Vec<u8> {
    let items: Vec<_> = in_vault
        .iter()
        .map(|id| json!({ "itemHash": 5, "itemInstanceId": id.to_string(), "quantity": 1, "bucketHash": buckets::VAULT, "location": 2, "transferStatus": 0, "lockable": true, "state": 0 }))
        .collect();
    json!({
        "Response": {
            "responseMintedTimestamp": minted,
            "profileInventory": { "data": { "items": items }, "privacy": 2 },
            "characters": { "data": {
                "1": { "characterId": "1", "membershipId": "7", "membershipType": 2, "classType": 0, "light": 0, "dateLastPlayed": "2026-01-01T00:00:00Z" },
                "2": { "characterId": "2", "membershipId": "7", "membershipType": 2, "classType": 1, "light": 0, "dateLastPlayed": "2025-01-01T00:00:00Z" }
            }, "privacy": 1 },
        },
        "ErrorCode": 1, "ThrottleSeconds": 0, "ErrorStatus": "Success", "Message": "Ok", "MessageData": {}
    })
    .to_string()
    .into_bytes()
}

#[test]
fn one_request_in_flight_and_the_documented_spacing() {
    let definitions = definitions();
    let mut executor = moving_to_vault(2, &definitions);
    let first = expect_send(&mut executor, MS(0));
    assert_eq!(first.request.endpoint, Endpoint::TransferItem);
    assert_eq!(
        executor.poll(MS(1)),
        Poll::Pending,
        "nothing else while one is in flight"
    );
    executor.handle_response(
        &definitions,
        first.id,
        200,
        Some("application/json"),
        &envelope(1, 0),
        MS(20),
    );
    assert_eq!(executor.poll(MS(20)), Poll::Wait(MS(100) + SPACING_MARGIN));
    let second = expect_send(&mut executor, MS(115));
    executor.handle_response(&definitions, second.id, 200, None, &envelope(1, 0), MS(130));
    match executor.poll(MS(130)) {
        Poll::Done(report) => assert!(report.intents.iter().all(|i| i.done)),
        other => panic!("expected done, got {other:?}"),
    }
}

#[test]
fn a_quick_answer_shortens_the_margin_to_its_round_trip_and_a_slow_one_does_not_lengthen_it() {
    let definitions = definitions();
    let mut executor = moving_to_vault(3, &definitions);
    let answer = |executor: &mut Executor, id, at| {
        executor.handle_response(&definitions, id, 200, None, &envelope(1, 0), at);
    };
    let first = expect_send(&mut executor, MS(0));
    answer(&mut executor, first.id, MS(2));
    assert_eq!(
        executor.poll(MS(2)),
        Poll::Wait(MS(102)),
        "a 2 ms round trip: the spacing plus 2 ms"
    );
    let second = expect_send(&mut executor, MS(102));
    answer(&mut executor, second.id, MS(160));
    assert_eq!(
        executor.poll(MS(160)),
        Poll::Wait(MS(202) + SPACING_MARGIN),
        "a 58 ms round trip: the spacing plus the whole margin, no more"
    );
    let third = expect_send(&mut executor, MS(217));
    executor.handle_failure(third.id, MS(221));
    assert_eq!(
        executor.journal().round_trips,
        [("TransferItem".to_string(), MS(4))],
        "a dropped answer counts its time too"
    );
}

#[test]
fn throttles_are_waited_out_with_their_throttle_seconds() {
    let definitions = definitions();
    let mut executor = moving_to_vault(1, &definitions);
    let first = expect_send(&mut executor, MS(0));
    executor.handle_response(&definitions, first.id, 429, None, &envelope(36, 10), MS(5));
    assert_eq!(executor.poll(MS(5)), Poll::Wait(MS(10_005)));
    let again = expect_send(&mut executor, MS(10_005));
    assert_eq!(again.request, first.request, "the same step, sent again");
    executor.handle_response(
        &definitions,
        again.id,
        200,
        None,
        &envelope(1, 0),
        MS(10_010),
    );
    assert!(matches!(executor.poll(MS(10_010)), Poll::Done(report) if report.intents[0].done));
}

#[test]
fn an_ambiguous_failure_is_checked_before_any_retry() {
    let definitions = definitions();
    let mut executor = moving_to_vault(1, &definitions);
    let first = expect_send(&mut executor, MS(0));
    executor.handle_failure(first.id, MS(50));
    let check = expect_send(&mut executor, MS(50));
    assert_eq!(
        check.request.endpoint,
        Endpoint::GetProfile,
        "it looks before it retries"
    );
    // The profile shows the move happened: no retry.
    executor.handle_response(
        &definitions,
        check.id,
        200,
        None,
        &profile(&[100], "2026-01-01T00:00:01.000Z"),
        MS(60),
    );
    // A run that had trouble ends by reading where everything really is.
    let reconcile = expect_send(&mut executor, MS(60));
    assert_eq!(reconcile.request.endpoint, Endpoint::GetProfile);
    executor.handle_response(
        &definitions,
        reconcile.id,
        200,
        None,
        &profile(&[100], "2026-01-01T00:00:02.000Z"),
        MS(70),
    );
    match executor.poll(MS(70)) {
        Poll::Done(report) => {
            assert!(report.intents[0].done);
            assert_eq!(report.intents[0].items[0].location, Some(Location::Vault));
        }
        other => panic!("expected done, got {other:?}"),
    }
}

#[test]
fn an_ambiguous_failure_that_did_not_happen_is_retried_a_bounded_number_of_times() {
    let definitions = definitions();
    let mut executor = moving_to_vault(1, &definitions);
    let mut now = MS(0);
    let mut sends = 0;
    let mut minted = 1;
    loop {
        match executor.poll(now) {
            Poll::Send(outgoing) if outgoing.request.endpoint == Endpoint::TransferItem => {
                sends += 1;
                executor.handle_response(
                    &definitions,
                    outgoing.id,
                    503,
                    Some("text/html"),
                    b"<html>down</html>",
                    now,
                );
            }
            Poll::Send(outgoing) => {
                minted += 1;
                let stamp = format!("2026-01-01T00:00:{minted:02}.000Z");
                executor.handle_response(
                    &definitions,
                    outgoing.id,
                    200,
                    None,
                    &profile(&[], &stamp),
                    now,
                );
            }
            Poll::Wait(until) => now = until,
            Poll::Pending => unreachable!(),
            Poll::Done(report) => {
                assert!(!report.intents[0].done);
                assert_eq!(report.intents[0].kind.as_deref(), Some("unavailable"));
                break;
            }
        }
        now += MS(1);
    }
    assert_eq!(sends, MAX_ATTEMPTS as usize);
}

#[test]
fn a_stale_profile_is_asked_for_again() {
    let definitions = definitions();
    let mut executor = moving_to_vault(1, &definitions);
    let first = expect_send(&mut executor, MS(0));
    executor.handle_failure(first.id, MS(10));
    let check = expect_send(&mut executor, MS(10));
    // Same minted time as the inventory the run started from: it shows nothing new yet.
    executor.handle_response(
        &definitions,
        check.id,
        200,
        None,
        &profile(&[], "2026-01-01T00:00:00.000Z"),
        MS(20),
    );
    assert_eq!(executor.poll(MS(20)), Poll::Wait(MS(20) + STALE_RETRY));
    let again = expect_send(&mut executor, MS(20) + STALE_RETRY);
    assert_eq!(again.request.endpoint, Endpoint::GetProfile);
}

#[test]
fn the_journal_round_trips_and_refuses_other_versions() {
    let definitions = definitions();
    let mut executor = moving_to_vault(2, &definitions);
    let first = expect_send(&mut executor, MS(0));
    executor.handle_response(&definitions, first.id, 200, None, &envelope(1, 0), MS(5));
    let bytes = executor.journal().to_bytes().expect("serializes");
    let journal = Journal::from_bytes(&bytes).expect("reads back");
    assert_eq!(&journal, executor.journal());
    // The version leads, as one varint byte: another number is another format.
    assert_eq!(u32::from(bytes[0]), JOURNAL_VERSION);
    let mut other = bytes.clone();
    other[0] = 2;
    assert_eq!(
        Journal::from_bytes(&other),
        Err(JournalError::Version(2)),
        "version 2 wrote intents and actions as their JSON wire"
    );
    other[0] = 99;
    assert_eq!(Journal::from_bytes(&other), Err(JournalError::Version(99)));
    assert_eq!(
        Journal::from_bytes(br#"{"version":1}"#),
        Err(JournalError::Version(123)),
        "a version 1 journal was JSON; its `{{` reads as another version"
    );
    for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            matches!(
                Journal::from_bytes(&bytes[..cut]),
                Err(JournalError::Unreadable(_))
            ),
            "cut at {cut}"
        );
    }
    // Resumed, the second step waits one spacing from the first poll, then goes.
    let mut resumed = Executor::resume(journal);
    assert_eq!(
        resumed.poll(MS(1_000)),
        Poll::Wait(MS(1_100) + SPACING_MARGIN)
    );
    let second = expect_send(&mut resumed, MS(1_200));
    assert_eq!(second.request.endpoint, Endpoint::TransferItem);
    assert_eq!(resumed.progress(&definitions).done, 1);
}

#[test]
fn a_journal_continued_on_the_wall_clock_keeps_its_waits() {
    let definitions = definitions();
    let mut executor = moving_to_vault(2, &definitions);
    let first = expect_send(&mut executor, MS(0));
    executor.handle_response(&definitions, first.id, 429, None, &envelope(36, 10), MS(5));
    let mut continued = Executor::continue_from(executor.journal().clone());
    assert_eq!(
        continued.poll(MS(6)),
        Poll::Wait(MS(10_005)),
        "the throttle wait survives"
    );
    let again = expect_send(&mut continued, MS(10_005));
    assert_eq!(again.request, first.request);
    // Stored with that request in flight, the journal resumes as after a restart: check first.
    let mut resumed = Executor::continue_from(continued.journal().clone());
    let check = expect_send(&mut resumed, MS(10_010));
    assert_eq!(check.request.endpoint, Endpoint::GetProfile);
}

#[test]
fn answers_to_unknown_requests_are_ignored() {
    let definitions = definitions();
    let mut executor = moving_to_vault(1, &definitions);
    let first = expect_send(&mut executor, MS(0));
    executor.handle_response(
        &definitions,
        first.id + 7,
        200,
        None,
        &envelope(1, 0),
        MS(5),
    );
    assert_eq!(executor.poll(MS(5)), Poll::Pending);
}

#[test]
fn a_failed_intent_reports_why_each_of_its_items_did_not_get_there() {
    let definitions = definitions();
    let query = "id:100 or id:101";
    let bulk = vec![Intent::MoveMatching {
        query: query.into(),
        to: Destination::Vault,
    }];
    let mut executor = Executor::new(&inventory(2), &definitions, bulk, PlanOptions::default());
    let first = expect_send(&mut executor, MS(0));
    executor.handle_response(&definitions, first.id, 200, None, &envelope(1660, 0), MS(5));
    let report = loop {
        match executor.poll(MS(10)) {
            Poll::Done(report) => break report,
            Poll::Send(outgoing) => {
                assert_ne!(
                    outgoing.request.endpoint,
                    Endpoint::TransferItem,
                    "nothing more is moved"
                );
                let fresh = profile(&[], "2026-01-01T00:00:09.000Z");
                executor.handle_response(&definitions, outgoing.id, 200, None, &fresh, MS(10));
            }
            other => panic!("unexpected {other:?}"),
        }
    };
    let outcome = &report.intents[0];
    assert!(!outcome.done);
    let failures: Vec<_> = outcome
        .items
        .iter()
        .map(|end| (end.item_id, end.failure.as_ref().map(|f| f.kind.as_str())))
        .collect();
    assert_eq!(
        failures,
        [
            (Some(ItemId(100)), Some("not_transferable")),
            (Some(ItemId(101)), Some(NOT_TRIED)),
        ]
    );
}

#[test]
fn every_step_state_and_phase_reads_back_what_it_writes() {
    fn round_trip<T>(value: T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let bytes = postcard::to_allocvec(&value).expect("serializes");
        assert_eq!(
            postcard::from_bytes::<T>(&bytes).expect("reads back"),
            value
        );
    }
    let failed = || ("no_room".to_string(), "The vault is full.".to_string());
    for state in [
        StepState::Pending,
        StepState::InFlight,
        StepState::Done,
        StepState::Uncertain {
            reason: "dropped".into(),
        },
        StepState::Failed {
            kind: failed().0,
            message: failed().1,
        },
        StepState::Skipped,
    ] {
        round_trip(state);
    }
    let refreshes = [
        Refresh::Verify { step: 2 },
        Refresh::Replan {
            step: 1,
            kind: failed().0,
            message: failed().1,
        },
        Refresh::Reconcile,
    ];
    for refresh in refreshes {
        round_trip(Phase::Refresh { refresh, tries: 3 });
    }
    round_trip(Phase::Running);
    round_trip(Phase::Finished);
    // A refresh phase without its refresh, and a phase that does not exist.
    assert!(postcard::from_bytes::<Phase>(&[1]).is_err());
    assert!(postcard::from_bytes::<Phase>(&[3]).is_err());
}
