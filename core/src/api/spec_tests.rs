//! The API model checked against Bungie's OpenAPI spec (`../shared/bungie-api/openapi.json`):
//! every builder's method, path, query names and body fields, the component numbers, and the
//! field names the response types read.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::*;
use crate::model::{CharacterId, ItemId};

const SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/bungie-api/openapi.json"
);

/// The spec, or `None` (with a note) when the shared folder is absent.
fn spec() -> Option<Value> {
    let Ok(bytes) = std::fs::read(SPEC) else {
        println!("skipped: ../shared/bungie-api/openapi.json is absent");
        return None;
    };
    Some(serde_json::from_slice(&bytes).expect("the spec is JSON"))
}

/// One request of each endpoint, with every optional part present.
fn sample(endpoint: Endpoint) -> ApiRequest {
    let (character, item, id) = (
        CharacterId(2305843009300000001),
        ItemId(6917529000000000001),
        4611686018433092312,
    );
    let components = [Component::Profiles, Component::ItemInstances];
    match endpoint {
        Endpoint::GetMembershipsForCurrentUser => ApiRequest::get_memberships_for_current_user(),
        Endpoint::GetLinkedProfiles => ApiRequest::get_linked_profiles(2, id, true),
        Endpoint::GetProfile => ApiRequest::get_profile(2, id, &components),
        Endpoint::GetCharacter => ApiRequest::get_character(2, id, character, &components),
        Endpoint::GetItem => ApiRequest::get_item(2, id, item, &components),
        Endpoint::GetVendors => ApiRequest::get_vendors(2, id, character, &components),
        Endpoint::GetVendor => ApiRequest::get_vendor(2, id, character, 2190858386, &components),
        Endpoint::GetPublicVendors => ApiRequest::get_public_vendors(&components),
        Endpoint::GetDestinyManifest => ApiRequest::get_destiny_manifest(),
        Endpoint::GetDestinyEntityDefinition => {
            ApiRequest::get_destiny_entity_definition("DestinyInventoryItemDefinition", 1)
        }
        Endpoint::TransferItem => ApiRequest::transfer_item(&DestinyItemTransferRequest {
            item_reference_hash: 1,
            stack_size: 1,
            transfer_to_vault: true,
            item_id: Some(item),
            character_id: character,
            membership_type: 2,
        }),
        Endpoint::PullFromPostmaster => {
            ApiRequest::pull_from_postmaster(&DestinyPostmasterTransferRequest {
                item_reference_hash: 1,
                stack_size: 1,
                item_id: None,
                character_id: character,
                membership_type: 2,
            })
        }
        Endpoint::EquipItem => ApiRequest::equip_item(&DestinyItemActionRequest {
            item_id: item,
            character_id: character,
            membership_type: 2,
        }),
        Endpoint::EquipItems => ApiRequest::equip_items(&DestinyItemSetActionRequest {
            item_ids: vec![item],
            character_id: character,
            membership_type: 2,
        }),
        Endpoint::SetLockState | Endpoint::SetTrackedState => {
            let state = DestinyItemStateRequest {
                state: true,
                item_id: item,
                character_id: character,
                membership_type: 2,
            };
            if endpoint == Endpoint::SetLockState {
                ApiRequest::set_lock_state(&state)
            } else {
                ApiRequest::set_tracked_state(&state)
            }
        }
        Endpoint::EquipLoadout => ApiRequest::equip_loadout(&DestinyLoadoutActionRequest {
            loadout_index: 0,
            character_id: character,
            membership_type: 2,
        }),
    }
}

/// Whether a concrete path fits a spec template (`{name}` matches any one segment).
fn fits(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t.starts_with('{') || t == p)
}

/// How many literal segments a template has (more is more specific).
fn literals(template: &str) -> usize {
    template
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .count()
}

/// Follows `$ref` (and a single `allOf`) to the schema object.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return resolve(spec, &spec["components"]["schemas"][name]);
    }
    if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return resolve(spec, only);
    }
    schema
}

/// The schema of an operation's 200 `Response` (through the envelope schema).
fn response_schema<'a>(spec: &'a Value, operation: &'a Value) -> &'a Value {
    let reference = operation["responses"]["200"]["$ref"]
        .as_str()
        .expect("a response ref");
    let name = reference.trim_start_matches("#/components/responses/");
    let envelope = &spec["components"]["responses"][name]["content"]["application/json"]["schema"];
    resolve(spec, &envelope["properties"]["Response"])
}

/// Checks that every key of `value` is a property of `schema`, recursively, and that int64
/// properties are sent as strings.
fn check_fields(spec: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(spec, schema);
    match value {
        Value::Object(map) if schema["properties"].is_object() => {
            for (key, inner) in map {
                let property = &schema["properties"][key];
                assert!(!property.is_null(), "{at}.{key} is not in the spec");
                if property["format"] == "int64" && !inner.is_null() {
                    assert!(
                        inner.is_string(),
                        "{at}.{key} is int64 and must be a string: {inner}"
                    );
                }
                check_fields(spec, property, inner, &format!("{at}.{key}"));
            }
        }
        Value::Object(map) if schema["additionalProperties"].is_object() => {
            for (key, inner) in map {
                check_fields(
                    spec,
                    &schema["additionalProperties"],
                    inner,
                    &format!("{at}[{key}]"),
                );
            }
        }
        Value::Array(items) => {
            for item in items {
                check_fields(spec, &schema["items"], item, &format!("{at}[]"));
            }
        }
        _ => {}
    }
}

/// The spec's operation for a request, found by method and the most specific path template.
fn operation<'a>(spec: &'a Value, request: &ApiRequest) -> (&'a str, &'a Value) {
    let relative = request
        .path
        .strip_prefix("/Platform")
        .expect("paths start with /Platform");
    let method = request.method.as_str().to_ascii_lowercase();
    let paths = spec["paths"].as_object().expect("spec paths");
    paths
        .iter()
        .filter(|(template, item)| fits(template, relative) && item.get(&method).is_some())
        .max_by_key(|(template, _)| literals(template))
        .map(|(template, item)| (template.as_str(), &item[&method]))
        .unwrap_or_else(|| {
            panic!(
                "no spec path for {} {}",
                request.method.as_str(),
                request.path
            )
        })
}

#[test]
fn every_builder_matches_its_spec_operation() {
    let Some(spec) = spec() else { return };
    for endpoint in Endpoint::ALL {
        let request = sample(endpoint);
        assert!(
            request.path.ends_with('/'),
            "{endpoint:?}: {}",
            request.path
        );
        let (template, operation) = operation(&spec, &request);
        let operation_id = operation["operationId"].as_str().expect("an operationId");
        assert_eq!(
            operation_id.rsplit('.').next(),
            Some(endpoint.name()),
            "{endpoint:?} is sent to {template}"
        );
        let query_names: BTreeSet<&str> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .collect();
        for (name, _) in &request.query {
            assert!(
                query_names.contains(name.as_str()),
                "{endpoint:?}: query {name} is not in the spec"
            );
        }
        let documented =
            operation["x-documentation-attributes"]["ThrottleSecondsBetweenActionPerUser"]
                .as_str()
                .map_or(0.0, |s| s.parse::<f64>().expect("a number of seconds"));
        assert_eq!(
            endpoint.spacing().as_secs_f64(),
            documented,
            "{endpoint:?} spacing"
        );
    }
}

#[test]
fn action_bodies_send_exactly_the_spec_fields() {
    let Some(spec) = spec() else { return };
    for endpoint in Endpoint::ALL.into_iter().filter(|e| e.is_action()) {
        let request = sample(endpoint);
        let (_, operation) = operation(&spec, &request);
        let schema = resolve(
            &spec,
            &operation["requestBody"]["content"]["application/json"]["schema"],
        );
        let body: Value =
            serde_json::from_str(request.body.as_deref().expect("actions have bodies"))
                .expect("bodies are JSON");
        let sent: BTreeSet<&String> = body.as_object().expect("an object").keys().collect();
        let specified: BTreeSet<&String> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .collect();
        assert_eq!(sent, specified, "{endpoint:?}");
        check_fields(&spec, schema, &body, endpoint.name());
    }
}

#[test]
fn component_numbers_and_names_match_the_spec() {
    let Some(spec) = spec() else { return };
    let values = spec["components"]["schemas"]["Destiny.DestinyComponentType"]["x-enum-values"]
        .as_array()
        .expect("component values");
    for component in Component::ALL {
        let entry = values
            .iter()
            .find(|v| {
                v["numericValue"].as_str() == Some(&component.number().to_string())
                    || v["numericValue"] == component.number()
            })
            .unwrap_or_else(|| panic!("{component:?} is not a spec component"));
        assert_eq!(entry["identifier"], format!("{component:?}"));
    }
}

#[test]
fn response_types_read_spec_field_names() {
    let Some(spec) = spec() else { return };
    let card = json!({ "membershipType": 2, "membershipId": "1", "displayName": "a", "bungieGlobalDisplayName": "a", "bungieGlobalDisplayNameCode": 1 });
    let cases: [(Endpoint, Value); 4] = [
        (
            Endpoint::GetMembershipsForCurrentUser,
            serde_json::to_value(serde_json::from_value::<UserMembershipData>(json!({
                "destinyMemberships": [card], "primaryMembershipId": "1",
                "bungieNetUser": { "membershipId": "7", "displayName": "a" },
            })).expect("memberships")).expect("serializes"),
        ),
        (
            Endpoint::GetLinkedProfiles,
            serde_json::to_value(serde_json::from_value::<DestinyLinkedProfilesResponse>(json!({
                "profiles": [{ "membershipType": 2, "membershipId": "1", "dateLastPlayed": "2022-09-18T07:22:25Z", "isCrossSavePrimary": true }],
                "bnetMembership": card,
            })).expect("linked profiles")).expect("serializes"),
        ),
        (
            Endpoint::GetDestinyManifest,
            serde_json::to_value(serde_json::from_value::<DestinyManifest>(json!({
                "version": "1", "jsonWorldComponentContentPaths": { "en": { "DestinyInventoryItemDefinition": "/x.json" } },
            })).expect("manifest")).expect("serializes"),
        ),
        (
            Endpoint::EquipItems,
            serde_json::to_value(serde_json::from_value::<DestinyEquipItemResults>(json!({
                "equipResults": [{ "itemInstanceId": "1", "equipStatus": 1 }],
            })).expect("equip results")).expect("serializes"),
        ),
    ];
    for (endpoint, value) in cases {
        let (_, operation) = operation(&spec, &sample(endpoint));
        check_fields(
            &spec,
            response_schema(&spec, operation),
            &value,
            endpoint.name(),
        );
    }
}
