//! The manifest: `GET /Platform/Destiny2/Manifest/`, the definition tables its content paths
//! point to, single entities, and the icons every definition names.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::envelope::{self, PlatformError, answer};
use crate::platform::ids::parse_param;
use crate::state::AppState;
use crate::world::{Definitions, defs::fnv1a};

/// Where the JSON world content lives.
const CONTENT_PREFIX: &str = "/common/destiny2_content/json/en";

/// A version string that changes whenever the definitions do.
fn version(definitions: &Definitions) -> String {
    let mut text = String::new();
    for (hash, def) in &definitions.items {
        text.push_str(&format!("{hash}:{}:{};", def.name, def.bucket_type_hash));
    }
    for (hash, bucket) in &definitions.buckets {
        text.push_str(&format!("{hash}:{};", bucket.item_count));
    }
    format!("226291.26.11.01.1730-1-sim-{:08x}", fnv1a(&text))
}

/// `GET /Platform/Destiny2/Manifest/`.
pub async fn manifest_get(State(state): State<AppState>) -> Response {
    let locked = state.lock();
    let version = version(&locked.world.definitions);
    let tables: Map<String, Value> = Definitions::TABLES
        .iter()
        .map(|table| {
            (
                table.to_string(),
                json!(format!("{CONTENT_PREFIX}/{table}-{version}.json")),
            )
        })
        .collect();
    answer(Ok(json!({
        "version": version,
        "mobileAssetContentPath": format!("/common/destiny2_content/sqlite/asset/asset_sql_content_{version}.content"),
        "mobileGearAssetDataBases": [],
        "mobileWorldContentPaths": { "en": format!("/common/destiny2_content/sqlite/en/world_sql_content_{version}.content") },
        "jsonWorldContentPaths": { "en": format!("{CONTENT_PREFIX}/aggregate-{version}.json") },
        "jsonWorldComponentContentPaths": { "en": tables },
        "mobileClanBannerDatabasePath": format!("/common/destiny2_content/clanbanner/clanbanner_sql_content_{version}.content"),
        "mobileGearCDN": {},
        "iconImagePyramidInfo": [],
    })))
}

/// `GET /Platform/Destiny2/Manifest/{entityType}/{hashIdentifier}/`.
pub async fn entity_get(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let locked = state.lock();
    let table = params.get("entityType").map_or("", String::as_str);
    let result = parse_param::<u32>(
        params.get("hashIdentifier").map_or("", String::as_str),
        "hashIdentifier",
    )
    .and_then(|hash| {
        locked
            .world
            .definitions
            .entity_json(table, hash)
            .ok_or_else(|| {
                PlatformError::new(
                    envelope::DESTINY_ITEM_NOT_FOUND,
                    format!("No {table} entity has the hash {hash}."),
                )
            })
    });
    answer(result)
}

/// `/common/destiny2_content/...`: the world content files and icons (no API key, like a CDN).
pub fn content_router() -> Router<AppState> {
    Router::new()
        .route("/common/destiny2_content/json/en/{file}", get(content_get))
        .route("/common/destiny2_content/icons/{file}", get(icon_get))
}

/// A table file `Table-VERSION.json`, or `aggregate-VERSION.json` with every table.
async fn content_get(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let locked = state.lock();
    let definitions = &locked.world.definitions;
    let version = version(definitions);
    let Some(name) = file.strip_suffix(&format!("-{version}.json")) else {
        return (
            StatusCode::NOT_FOUND,
            "No such content file: the manifest version has changed; fetch the manifest again.",
        )
            .into_response();
    };
    if name == "aggregate" {
        let all: Map<String, Value> = Definitions::TABLES
            .iter()
            .filter_map(|table| {
                definitions
                    .table_json(table)
                    .map(|t| (table.to_string(), t))
            })
            .collect();
        return Json(Value::Object(all)).into_response();
    }
    match definitions.table_json(name) {
        Some(table) => Json(table).into_response(),
        None => (StatusCode::NOT_FOUND, format!("No content table {name}.")).into_response(),
    }
}

/// Any icon path: a small PNG whose colour comes from the path, so icons tell items apart.
async fn icon_get(Path(file): Path<String>) -> Response {
    match icon_png(fnv1a(&file)) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// A 24x24 PNG in two shades of a colour picked by `seed`.
fn icon_png(seed: u32) -> Result<Vec<u8>, png::EncodingError> {
    const SIZE: u32 = 24;
    let [r, g, b, _] = seed.to_le_bytes();
    let mut pixels = Vec::with_capacity((SIZE * SIZE * 3) as usize);
    for y in 0..SIZE {
        for x in 0..SIZE {
            let border = x < 2 || y < 2 || x >= SIZE - 2 || y >= SIZE - 2;
            let shade = |c: u8| if border { c / 2 } else { c / 2 + 96 };
            pixels.extend([shade(r), shade(g), shade(b)]);
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, SIZE, SIZE);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(bytes)
}
