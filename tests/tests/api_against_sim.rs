//! courier-core's API model against the simulator: every builder's request, sent as
//! `url()` and `headers()` say, is understood, and every answer (success, refusal, outage page,
//! throttle) decodes into the right type or `ApiError`.

use courier_core::api::{
    ApiError, ApiRequest, Auth, Component, DestinyEquipItemResults, DestinyItemActionRequest,
    DestinyItemSetActionRequest, DestinyItemStateRequest, DestinyItemTransferRequest,
    DestinyLinkedProfilesResponse, DestinyLoadoutActionRequest, DestinyManifest,
    DestinyPostmasterTransferRequest, Method, OAuthClient, OAuthTokenRequest, UserMembershipData,
    decode, decode_unit,
};
use courier_core::model::{CharacterId, ItemId};
use courier_sim::world::{Place, World, XUR_VENDOR_HASH, buckets};
use courier_sim::{SimConfig, ThrottleMode};
use courier_tests::{Answer, Signed, http_client, open_session};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A simulator with throttles off (throttles come from injected faults here) and a session.
async fn signed() -> Signed {
    Signed::start(SimConfig {
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await
}

/// Sends a request with the signed-in session and decodes the answer as `T`.
async fn call<T: DeserializeOwned>(signed: &Signed, request: &ApiRequest) -> Result<T, ApiError> {
    let answer = signed.send(request).await.expect("the simulator answers");
    decode(answer.status, answer.content_type.as_deref(), &answer.body)
}

/// Sends an action with the signed-in session and decodes its int32 answer.
async fn act(signed: &Signed, request: &ApiRequest) -> Result<(), ApiError> {
    let answer = signed.send(request).await.expect("the simulator answers");
    decode_unit(answer.status, answer.content_type.as_deref(), &answer.body)
}

/// Sends a request with exactly these headers (no session cookies).
async fn send_bare(signed: &Signed, request: &ApiRequest, headers: &[(&str, String)]) -> Answer {
    let url = request.url(signed.sim.http_url());
    let mut builder = match request.method {
        Method::Get => http_client().get(url),
        Method::Post => http_client().post(url),
    };
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let response = builder.send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.bytes().await.expect("a body").to_vec();
    Answer {
        status,
        content_type,
        body,
    }
}

/// Queues a fault through the control API, as `POST /__sim/faults` documents it.
async fn queue_fault(signed: &Signed, fault: Value) {
    let response = http_client()
        .post(format!("{}/__sim/faults", signed.sim.http_url()))
        .json(&fault)
        .send()
        .await
        .expect("the control API answers");
    assert!(response.status().is_success(), "fault {fault} was refused");
}

/// The world as the simulator holds it now.
fn world(signed: &Signed) -> World {
    signed.sim.state().lock().world.clone()
}

/// The account's platform and Destiny membership id.
fn account(world: &World) -> (i32, i64) {
    (
        world.account.membership_type,
        world.account.destiny_membership_id,
    )
}

/// The first character's id.
fn first_character(world: &World) -> CharacterId {
    CharacterId(world.characters[0].id)
}

/// An instanced item of the first character matching `want`: (instance id, hash).
fn pick(world: &World, want: impl Fn(&courier_sim::world::Item) -> bool) -> (ItemId, u32) {
    world
        .items
        .iter()
        .filter(|item| item.place == Place::Character(0))
        .find(|item| want(item))
        .and_then(|item| Some((ItemId(item.instance_id?), item.hash)))
        .expect("the demo world has such an item")
}

/// A weapon the first character carries unequipped: not exotic, transferable, usable by it.
fn spare_weapon(world: &World) -> (ItemId, u32) {
    let class = world.characters[0].class_type;
    pick(world, |item| {
        let def = &world.definitions.items[&item.hash];
        buckets::EQUIPPABLE[..3].contains(&item.bucket_hash)
            && !item.equipped
            && def.tier_type != 6
            && !def.non_transferrable
            && (def.class_type == class || def.class_type == 3)
    })
}

/// Where an item instance is now.
fn place_of(signed: &Signed, id: ItemId) -> Place {
    world(signed)
        .items
        .iter()
        .find(|item| item.instance_id == Some(id.0))
        .map(|item| item.place)
        .expect("the item exists")
}

#[tokio::test]
async fn memberships_and_linked_profiles() {
    let signed = signed().await;
    let world = world(&signed);
    let memberships: UserMembershipData =
        call(&signed, &ApiRequest::get_memberships_for_current_user())
            .await
            .expect("memberships");
    assert_eq!(
        memberships.bungie_net_user.membership_id,
        world.account.bungie_membership_id
    );
    let primary = memberships.primary().expect("a Destiny membership");
    assert_eq!(
        (primary.membership_type, primary.membership_id),
        account(&world)
    );

    let (membership_type, membership_id) = account(&world);
    let linked: DestinyLinkedProfilesResponse = call(
        &signed,
        &ApiRequest::get_linked_profiles(membership_type, membership_id, false),
    )
    .await
    .expect("linked profiles");
    assert_eq!(linked.profiles.len(), 1);
    assert_eq!(linked.profiles[0].card.membership_id, membership_id);
    let bnet = linked.bnet_membership.expect("the bungie.net membership");
    assert_eq!(
        (bnet.membership_type, bnet.membership_id),
        (254, world.account.bungie_membership_id)
    );
    let by_bnet: DestinyLinkedProfilesResponse = call(
        &signed,
        &ApiRequest::get_linked_profiles(254, world.account.bungie_membership_id, true),
    )
    .await
    .expect("linked profiles of the bungie.net membership");
    assert_eq!(by_bnet.profiles[0].card.membership_id, membership_id);
}

#[tokio::test]
async fn manifest_and_an_entity_definition() {
    let signed = signed().await;
    let manifest: DestinyManifest = call(&signed, &ApiRequest::get_destiny_manifest())
        .await
        .expect("the manifest");
    assert!(!manifest.version.is_empty());
    for table in [
        "DestinyInventoryItemDefinition",
        "DestinyInventoryBucketDefinition",
    ] {
        assert!(
            manifest.table_path("en", table).is_some(),
            "{table} is listed"
        );
    }
    let world = world(&signed);
    let (_, hash) = spare_weapon(&world);
    let definition: Value = call(
        &signed,
        &ApiRequest::get_destiny_entity_definition("DestinyInventoryItemDefinition", hash),
    )
    .await
    .expect("an item definition");
    assert_eq!(definition["hash"], json!(hash));
    assert_eq!(
        definition["displayProperties"]["name"],
        json!(world.definitions.items[&hash].name)
    );
}

#[tokio::test]
async fn profile_character_item_and_vendor_reads() {
    let signed = signed().await;
    let world = world(&signed);
    let (membership_type, membership_id) = account(&world);
    let character = first_character(&world);

    let profile: Value = call(
        &signed,
        &ApiRequest::get_profile(membership_type, membership_id, &[Component::Profiles]),
    )
    .await
    .expect("a profile");
    let ids = &profile["profile"]["data"]["characterIds"];
    assert!(
        ids.as_array()
            .is_some_and(|ids| ids.contains(&json!(character.to_string()))),
        "{ids}"
    );

    let one: Value = call(
        &signed,
        &ApiRequest::get_character(
            membership_type,
            membership_id,
            character,
            &[Component::Characters],
        ),
    )
    .await
    .expect("a character");
    assert_eq!(
        one["character"]["data"]["characterId"],
        json!(character.to_string())
    );

    let (item, hash) = spare_weapon(&world);
    let got: Value = call(
        &signed,
        &ApiRequest::get_item(
            membership_type,
            membership_id,
            item,
            &[Component::ItemCommonData, Component::ItemInstances],
        ),
    )
    .await
    .expect("an item");
    assert_eq!(got["item"]["data"]["itemHash"], json!(hash));

    let sales = [
        Component::Vendors,
        Component::VendorCategories,
        Component::VendorSales,
    ];
    let xur = XUR_VENDOR_HASH.to_string();
    let vendors: Value = call(
        &signed,
        &ApiRequest::get_vendors(membership_type, membership_id, character, &sales),
    )
    .await
    .expect("vendors");
    assert!(
        vendors["vendors"]["data"].get(&xur).is_some(),
        "Xur is listed"
    );
    let vendor: Value = call(
        &signed,
        &ApiRequest::get_vendor(
            membership_type,
            membership_id,
            character,
            XUR_VENDOR_HASH,
            &sales,
        ),
    )
    .await
    .expect("Xur");
    assert_eq!(
        vendor["vendor"]["data"]["vendorHash"],
        json!(XUR_VENDOR_HASH)
    );
    let public: Value = call(&signed, &ApiRequest::get_public_vendors(&sales))
        .await
        .expect("public vendors");
    assert!(
        public["vendors"]["data"].get(&xur).is_some(),
        "Xur is public"
    );
}

#[tokio::test]
async fn transfer_to_the_vault_and_back() {
    let signed = signed().await;
    let world = world(&signed);
    let (membership_type, _) = account(&world);
    let character = first_character(&world);
    let (item, hash) = spare_weapon(&world);
    let transfer = |to_vault| {
        ApiRequest::transfer_item(&DestinyItemTransferRequest {
            item_reference_hash: hash,
            stack_size: 1,
            transfer_to_vault: to_vault,
            item_id: Some(item),
            character_id: character,
            membership_type,
        })
    };
    act(&signed, &transfer(true)).await.expect("to the vault");
    assert_eq!(place_of(&signed, item), Place::Vault);
    act(&signed, &transfer(false))
        .await
        .expect("back to the character");
    assert_eq!(place_of(&signed, item), Place::Character(0));
}

#[tokio::test]
async fn equip_one_then_several() {
    let signed = signed().await;
    let world = world(&signed);
    let (membership_type, _) = account(&world);
    let character = first_character(&world);
    let (item, _) = spare_weapon(&world);
    act(
        &signed,
        &ApiRequest::equip_item(&DestinyItemActionRequest {
            item_id: item,
            character_id: character,
            membership_type,
        }),
    )
    .await
    .expect("equipped");
    let equipped = |id: ItemId| world_item(&signed, id).equipped;
    assert!(equipped(item));

    let world = self::world(&signed);
    let (other, _) = spare_weapon(&world);
    let results: DestinyEquipItemResults = call(
        &signed,
        &ApiRequest::equip_items(&DestinyItemSetActionRequest {
            item_ids: vec![other],
            character_id: character,
            membership_type,
        }),
    )
    .await
    .expect("a result per item");
    assert_eq!(results.equip_results.len(), 1);
    assert_eq!(results.equip_results[0].item_instance_id, other);
    assert_eq!(results.equip_results[0].outcome(), Ok(()));
    assert!(equipped(other));
}

/// One item of the world by instance id.
fn world_item(signed: &Signed, id: ItemId) -> courier_sim::world::Item {
    world(signed)
        .items
        .into_iter()
        .find(|item| item.instance_id == Some(id.0))
        .expect("the item exists")
}

#[tokio::test]
async fn lock_and_unlock() {
    let signed = signed().await;
    let world = world(&signed);
    let (membership_type, _) = account(&world);
    let (item, _) = spare_weapon(&world);
    let was = world_item(&signed, item).locked;
    for state in [!was, was] {
        act(
            &signed,
            &ApiRequest::set_lock_state(&DestinyItemStateRequest {
                state,
                item_id: item,
                character_id: first_character(&world),
                membership_type,
            }),
        )
        .await
        .expect("the lock changes");
        assert_eq!(world_item(&signed, item).locked, state);
    }
}

#[tokio::test]
async fn track_a_pursuit_and_equip_a_loadout() {
    let signed = signed().await;
    let world = world(&signed);
    let (membership_type, _) = account(&world);
    let character = first_character(&world);
    let (pursuit, _) = pick(&world, |item| {
        world.definitions.items[&item.hash].trackable && !item.tracked
    });
    act(
        &signed,
        &ApiRequest::set_tracked_state(&DestinyItemStateRequest {
            state: true,
            item_id: pursuit,
            character_id: character,
            membership_type,
        }),
    )
    .await
    .expect("tracked");
    assert!(world_item(&signed, pursuit).tracked);

    assert!(
        !world.characters[0].loadouts.is_empty(),
        "the demo world has loadouts"
    );
    act(
        &signed,
        &ApiRequest::equip_loadout(&DestinyLoadoutActionRequest {
            loadout_index: 0,
            character_id: character,
            membership_type,
        }),
    )
    .await
    .expect("the loadout is equipped");
    for id in &world.characters[0].loadouts[0].item_ids {
        assert!(world_item(&signed, ItemId(*id)).equipped, "item {id}");
    }
}

#[tokio::test]
async fn postmaster_pulls_and_their_side_effects() {
    let signed = signed().await;
    let world = world(&signed);
    let (membership_type, _) = account(&world);
    let character = first_character(&world);
    let in_postmaster = |side_effects: bool| {
        world
            .items
            .iter()
            .find(|item| {
                item.place == Place::Postmaster(0)
                    && world.definitions.items[&item.hash].does_postmaster_pull_have_side_effects
                        == side_effects
            })
            .map(|item| {
                ApiRequest::pull_from_postmaster(&DestinyPostmasterTransferRequest {
                    item_reference_hash: item.hash,
                    stack_size: item.quantity,
                    item_id: item.instance_id.map(ItemId),
                    character_id: character,
                    membership_type,
                })
            })
    };
    let Some(pull) = in_postmaster(false) else {
        panic!("the first character's postmaster holds a plain item")
    };
    let in_postmaster_count = |world: &World| {
        world
            .items
            .iter()
            .filter(|item| item.place == Place::Postmaster(0))
            .count()
    };
    act(&signed, &pull).await.expect("pulled");
    assert_eq!(
        in_postmaster_count(&self::world(&signed)),
        in_postmaster_count(&world) - 1
    );
    let refused = in_postmaster(true).expect("a postmaster item whose pull has side effects");
    let error = act(&signed, &refused).await.expect_err("side effects");
    assert!(
        matches!(error, ApiError::NotTransferable { code: 1673, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn moving_an_equipped_item_is_refused_as_equipped() {
    let signed = signed().await;
    let world = world(&signed);
    let (membership_type, _) = account(&world);
    let (item, hash) = pick(&world, |item| {
        item.equipped && buckets::EQUIPPABLE[..3].contains(&item.bucket_hash)
    });
    let error = act(
        &signed,
        &ApiRequest::transfer_item(&DestinyItemTransferRequest {
            item_reference_hash: hash,
            stack_size: 1,
            transfer_to_vault: true,
            item_id: Some(item),
            character_id: first_character(&world),
            membership_type,
        }),
    )
    .await
    .expect_err("equipped items cannot move");
    assert!(matches!(error, ApiError::Equipped { .. }), "{error:?}");
    assert_eq!(error.code(), Some(1656));
    assert_eq!(place_of(&signed, item), Place::Character(0));
}

#[tokio::test]
async fn a_missing_or_wrong_api_key_is_a_bad_api_key() {
    let signed = signed().await;
    let request = ApiRequest::get_destiny_manifest();
    let missing = send_bare(&signed, &request, &[]).await;
    let error = decode::<DestinyManifest>(
        missing.status,
        missing.content_type.as_deref(),
        &missing.body,
    )
    .expect_err("no key");
    assert!(
        matches!(
            error,
            ApiError::BadApiKey {
                code: Some(2102),
                ..
            }
        ),
        "{error:?}"
    );
    let wrong = send_bare(
        &signed,
        &request,
        &request.headers(&Auth::Anonymous, "not-the-key"),
    )
    .await;
    let error = decode::<DestinyManifest>(wrong.status, wrong.content_type.as_deref(), &wrong.body)
        .expect_err("a wrong key");
    assert_eq!(error.code(), Some(2101));
    assert_eq!(error.kind(), "bad_api_key");
}

#[tokio::test]
async fn no_cookies_is_signed_out() {
    let signed = signed().await;
    let request = ApiRequest::get_memberships_for_current_user();
    let answer = send_bare(
        &signed,
        &request,
        &request.headers(&Auth::Anonymous, signed.sim.api_key()),
    )
    .await;
    let error =
        decode::<UserMembershipData>(answer.status, answer.content_type.as_deref(), &answer.body)
            .expect_err("not signed in");
    assert!(matches!(error, ApiError::SignedOut { .. }), "{error:?}");
    assert!(error.message().contains("sign in to bungie.net again"));
}

#[tokio::test]
async fn an_outage_page_is_not_json() {
    let signed = signed().await;
    queue_fault(&signed, json!({ "kind": "html", "count": 1 })).await;
    let error = call::<DestinyManifest>(&signed, &ApiRequest::get_destiny_manifest())
        .await
        .expect_err("an outage page");
    let ApiError::NotJson {
        status, snippet, ..
    } = &error
    else {
        panic!("expected NotJson, got {error:?}")
    };
    assert_eq!(*status, 503);
    assert!(snippet.contains("Bungie.net"), "{snippet}");
    assert!(error.is_transient());
    call::<DestinyManifest>(&signed, &ApiRequest::get_destiny_manifest())
        .await
        .expect("the fault was used up");
}

#[tokio::test]
async fn a_throttle_is_throttled_with_a_wait() {
    let signed = signed().await;
    queue_fault(&signed, json!({ "kind": "throttle", "count": 1 })).await;
    let error =
        call::<UserMembershipData>(&signed, &ApiRequest::get_memberships_for_current_user())
            .await
            .expect_err("throttled");
    let ApiError::Throttled { code, wait, .. } = &error else {
        panic!("expected Throttled, got {error:?}")
    };
    assert_eq!(*code, 36);
    let wait = wait.expect("ThrottleSeconds");
    assert!(wait.as_secs() > 0);
    assert_eq!(error.retry_after(3), Some(wait));
}

#[tokio::test]
async fn oauth_code_refresh_and_bearer_requests() {
    let redirect = "https://courier.example/callback";
    let client = OAuthClient {
        id: "courier".to_string(),
        secret: Some("courier-secret".to_string()),
    };
    let signed = Signed::start(SimConfig {
        throttle: ThrottleMode::Off,
        oauth_clients: vec![courier_sim::OAuthClient {
            id: client.id.clone(),
            secret: "courier-secret".to_string(),
            redirect: redirect.to_string(),
        }],
        ..SimConfig::default()
    })
    .await;
    let origin = signed.sim.http_url().to_string();
    let http = http_client();

    // The player approves Courier on the website (signed in with a fresh session).
    let session = open_session(&signed.sim).await;
    let approved = http
        .post(format!("{origin}/en/OAuth/Authorize"))
        .header("cookie", session.cookie_header())
        .form(&[
            ("client_id", client.id.as_str()),
            ("redirect_uri", redirect),
        ])
        .send()
        .await
        .expect("the approval answers");
    let location = approved
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect to Courier")
        .to_string();
    let code = location
        .split_once("code=")
        .map(|(_, rest)| rest.split('&').next().unwrap_or_default().to_string())
        .expect("a code in the redirect");

    let exchange = |request: OAuthTokenRequest| {
        let http = http.clone();
        let origin = origin.clone();
        async move {
            let mut builder = http.post(request.url(&origin));
            for (name, value) in request.headers() {
                builder = builder.header(name, value);
            }
            let response = builder
                .body(request.body.clone())
                .send()
                .await
                .expect("the token endpoint answers");
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = response.bytes().await.expect("a body");
            OAuthTokenRequest::decode(status, content_type.as_deref(), &body)
        }
    };
    let tokens = exchange(OAuthTokenRequest::authorization_code(&code, &client))
        .await
        .expect("tokens for the code");
    assert_eq!(
        tokens.membership_id,
        world(&signed).account.bungie_membership_id
    );
    let again = exchange(OAuthTokenRequest::authorization_code(&code, &client))
        .await
        .expect_err("a code works once");
    assert_eq!(again.kind(), "signed_out");

    let memberships = ApiRequest::get_memberships_for_current_user();
    let bearer = send_bare(
        &signed,
        &memberships,
        &memberships.headers(
            &Auth::Bearer(tokens.access_token.clone()),
            signed.sim.api_key(),
        ),
    )
    .await;
    let data: UserMembershipData =
        decode(bearer.status, bearer.content_type.as_deref(), &bearer.body)
            .expect("a bearer token signs in");
    assert_eq!(data.bungie_net_user.membership_id, tokens.membership_id);

    let refresh = tokens
        .refresh_token
        .expect("a confidential client gets refresh tokens");
    let renewed = exchange(OAuthTokenRequest::refresh(&refresh, &client))
        .await
        .expect("refreshed tokens");
    assert_ne!(renewed.access_token, tokens.access_token);
    let reused = exchange(OAuthTokenRequest::refresh(&refresh, &client))
        .await
        .expect_err("a refresh token works once");
    assert_eq!(reused.kind(), "signed_out");
    let wrong_client = OAuthClient {
        secret: Some("wrong".to_string()),
        ..client.clone()
    };
    let refused = exchange(OAuthTokenRequest::authorization_code("x", &wrong_client))
        .await
        .expect_err("a wrong secret");
    assert_eq!(refused.kind(), "bad_api_key");
}
