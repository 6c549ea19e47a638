//! Core's typed errors as the JavaScript `Error` the extension sees: `name` is always
//! `"CourierError"`, `kind` (snake_case) says which failure it is so the page picks its words and
//! actions by it, and `message` is a sentence for a person.

use std::fmt::Display;

use courier_core::api::ApiError;
use courier_core::defs::DefsError;
use courier_core::exec::JournalError;
use courier_core::inventory::ProfileError;
use courier_core::plan::Refusal;
use courier_core::search::SearchError;
use wasm_bindgen::{JsCast, JsValue};

/// A thrown JavaScript value in words: an Error's message, a string itself, else its debug form.
pub fn describe(thrown: &JsValue) -> String {
    match thrown.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => thrown.as_string().unwrap_or_else(|| format!("{thrown:?}")),
    }
}

/// The `name` of every error the facade throws.
pub const ERROR_NAME: &str = "CourierError";

/// A failure on its way to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourierError {
    /// Which failure: one of core's kinds (`signed_out`, `search`, ...) or the facade's own
    /// (`invalid_argument`, `network`, `no_membership`).
    pub kind: String,
    /// What happened and what to do.
    pub message: String,
}

impl CourierError {
    /// An error of this kind with this message (its first letter made a capital, as core's
    /// lower-level messages start in lowercase).
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            message: sentence(message.into()),
        }
    }

    /// JavaScript passed a value that is not what the function takes.
    pub fn invalid_argument(what: &str, reason: impl Display) -> Self {
        Self::new(
            "invalid_argument",
            format!(
                "The {what} given to Courier's core is not valid ({reason}); this is a bug in the extension."
            ),
        )
    }

    /// A request got no answer at all (fetch rejected: offline, refused, blocked).
    pub fn network(what: &str, origin: &str, reason: impl Display) -> Self {
        Self::new(
            "network",
            format!(
                "{what} got no answer from {origin} ({reason}); check the network connection and the Bungie origin in the options."
            ),
        )
    }
}

/// The message with its first letter in capitals. Courier's messages start with an English
/// word, so ASCII is enough (Unicode's uppercasing took 16.1 KB of the optimized module).
fn sentence(mut message: String) -> String {
    if let Some(first) = message.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    message
}

impl From<CourierError> for JsValue {
    fn from(error: CourierError) -> Self {
        let js = js_sys::Error::new(&error.message);
        js.set_name(ERROR_NAME);
        // Setting a property on a fresh, unfrozen Error object cannot fail.
        let _ = js_sys::Reflect::set(&js, &"kind".into(), &error.kind.into());
        js.into()
    }
}

impl From<ApiError> for CourierError {
    fn from(error: ApiError) -> Self {
        Self::new(error.kind(), error.message())
    }
}

impl From<SearchError> for CourierError {
    fn from(error: SearchError) -> Self {
        Self::new("search", error.message)
    }
}

impl From<Refusal> for CourierError {
    fn from(refusal: Refusal) -> Self {
        Self::new(refusal.kind(), refusal.to_string())
    }
}

impl From<DefsError> for CourierError {
    fn from(error: DefsError) -> Self {
        Self::new("definitions", error.to_string())
    }
}

impl From<ProfileError> for CourierError {
    fn from(error: ProfileError) -> Self {
        match error {
            ProfileError::Api(api) => api.into(),
            ProfileError::NotJson { .. } => Self::new("not_json", error.to_string()),
            ProfileError::Shape(_) => Self::new("unexpected", error.to_string()),
        }
    }
}

impl From<JournalError> for CourierError {
    fn from(error: JournalError) -> Self {
        Self::new("journal", error.to_string())
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::CourierError;

    #[wasm_bindgen_test]
    fn a_message_starts_with_a_capital() {
        assert_eq!(
            CourierError::new("x", "the vault is full.").message,
            "The vault is full."
        );
        assert_eq!(CourierError::new("x", "Already.").message, "Already.");
        assert_eq!(CourierError::new("x", "écrit").message, "écrit");
        assert_eq!(CourierError::new("x", "").message, "");
    }

    /// The module leaves core's table of code names out (it is 13.6 kB gzipped): a refusal is
    /// named as its answer names it, and one whose answer names nothing is `Unknown`.
    #[wasm_bindgen_test]
    fn a_refusal_is_named_as_its_answer_names_it() {
        let refused = |envelope: &str| {
            let error =
                courier_core::api::decode_unit(200, Some("application/json"), envelope.as_bytes())
                    .expect_err("a refusal");
            CourierError::from(error).message
        };
        let named = refused(
            r#"{"ErrorCode":1663,"ThrottleSeconds":0,"ErrorStatus":"DestinyItemActionForbidden","Message":"No."}"#,
        );
        assert!(
            named.contains("DestinyItemActionForbidden (1663)"),
            "{named}"
        );
        let unnamed = refused(r#"{"ErrorCode":1663,"ThrottleSeconds":0,"Message":"No."}"#);
        assert!(unnamed.contains("Unknown (1663)"), "{unnamed}");
    }
}
