//! Xûr's digest from the simulator's three vendor answers (GetVendor, GetVendors,
//! GetPublicVendors), checked against the simulator's own stock; then, with Xûr sent away
//! through the control API, every answer must say he is away.

use courier_core::api::ApiRequest;
use courier_core::model::{CharacterId, ClassType, Definitions, Tier};
use courier_core::xur::{Cost, XUR_COMPONENTS, XUR_VENDOR_HASH, XurDigest, XurSale, XurSource};
use courier_sim::{SimConfig, ThrottleMode};
use courier_tests::{Signed, http_client};

/// The three requests that carry Xûr's stock, for the world's first character.
fn requests(signed: &Signed) -> [(XurSource, ApiRequest); 3] {
    let (membership_type, membership_id, character) = {
        let locked = signed.sim.state().lock();
        let world = &locked.world;
        let first = world.characters.first().expect("the world has characters");
        (
            world.account.membership_type,
            world.account.destiny_membership_id,
            CharacterId(first.id),
        )
    };
    [
        (
            XurSource::Vendor,
            ApiRequest::get_vendor(
                membership_type,
                membership_id,
                character,
                XUR_VENDOR_HASH,
                &XUR_COMPONENTS,
            ),
        ),
        (
            XurSource::CharacterVendors,
            ApiRequest::get_vendors(membership_type, membership_id, character, &XUR_COMPONENTS),
        ),
        (
            XurSource::PublicVendors,
            ApiRequest::get_public_vendors(&XUR_COMPONENTS),
        ),
    ]
}

/// The digest of each of the three answers.
async fn digests(signed: &Signed, definitions: &Definitions) -> Vec<(XurSource, XurDigest)> {
    let mut digests = Vec::new();
    for (source, request) in requests(signed) {
        let answer = signed.send(&request).await.expect("the simulator answers");
        let digest = XurDigest::from_answer(
            source,
            answer.status,
            answer.content_type.as_deref(),
            &answer.body,
            definitions,
        )
        .unwrap_or_else(|e| panic!("{source:?} gives a digest: {e}"));
        digests.push((source, digest));
    }
    digests
}

/// Xûr's stock as the simulator holds it, named from the simulator's own definitions.
fn sim_stock(signed: &Signed) -> Vec<XurSale> {
    let locked = signed.sim.state().lock();
    let world = &locked.world;
    let item = |hash: u32| {
        world
            .definitions
            .items
            .get(&hash)
            .unwrap_or_else(|| panic!("the simulator defines item {hash}"))
    };
    world
        .xur
        .sales
        .iter()
        .map(|sale| {
            let def = item(sale.item_hash);
            XurSale {
                vendor_item_index: sale.vendor_item_index,
                item_hash: sale.item_hash,
                name: def.name.clone(),
                quantity: sale.quantity,
                class_type: ClassType::from_api(def.class_type.into()),
                tier: Tier::from_api(def.tier_type.into()),
                type_name: def.item_type_display_name.clone(),
                icon: def.icon.clone(),
                costs: sale
                    .costs
                    .iter()
                    .map(|&(currency, quantity)| Cost {
                        item_hash: currency,
                        name: item(currency).name.clone(),
                        quantity,
                    })
                    .collect(),
            }
        })
        .collect()
}

#[tokio::test]
async fn every_vendor_answer_gives_the_simulators_stock_then_says_away() {
    let signed = Signed::start(SimConfig {
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await;
    let definitions = signed.definitions().await;
    let stock = sim_stock(&signed);
    assert!(!stock.is_empty(), "the demo world's Xûr sells something");

    let present = digests(&signed, &definitions).await;
    let refresh = present[0].1.refresh_date.clone();
    assert!(refresh.is_some(), "GetVendor says when the stock changes");
    for (source, digest) in &present {
        assert!(digest.present, "{source:?}: Xûr is here");
        assert_eq!(digest.sales, stock, "{source:?}: the simulator's stock");
        assert_eq!(
            digest.refresh_date, refresh,
            "{source:?}: the same refresh date"
        );
        let text = digest.to_text();
        assert_eq!(text.lines().count(), 1 + stock.len(), "{source:?}: {text}");
        for sale in &stock {
            assert!(
                text.contains(&sale.name),
                "{source:?}: {} in {text}",
                sale.name
            );
        }
        let html = digest.to_html();
        let rows = html.matches("<tr>").count();
        assert_eq!(
            rows,
            1 + stock.len(),
            "{source:?}: a heading and a row per sale: {html}"
        );
    }

    let status = http_client()
        .post(format!("{}/__sim/xur", signed.sim.http_url()))
        .json(&serde_json::json!({ "present": false }))
        .send()
        .await
        .expect("the control API answers")
        .status();
    assert!(status.is_success(), "Xûr is sent away: {status}");

    for (source, digest) in digests(&signed, &definitions).await {
        assert_eq!(digest, XurDigest::absent(), "{source:?}: Xûr is away");
        assert_eq!(digest.to_text(), "Xûr is not here this week.");
        assert!(digest.to_html().contains("Xûr is not here this week."));
    }
}
