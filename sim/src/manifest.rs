//! The manifest: `GET /Platform/Destiny2/Manifest/`, the definition tables it points to, single
//! entities, and the icons every definition names.

use axum::Router;

use crate::state::AppState;

/// `/common/destiny2_content/...`: the world content files and icons.
pub fn content_router() -> Router<AppState> {
    Router::new()
}
