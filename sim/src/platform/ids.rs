//! Reading ids from paths and bodies: int64 ids travel as strings (clients may also send JSON
//! numbers), hashes as numbers; anything else is ErrorCode 7 with the parameter named.

use std::str::FromStr;

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::envelope::{self, PlatformError};
use crate::state::AppState;

/// Parses a path or query parameter, naming it in the error.
pub fn parse_param<T: FromStr>(text: &str, name: &str) -> Result<T, PlatformError> {
    text.parse().map_err(|_| {
        PlatformError::new(
            envelope::PARAMETER_PARSE_FAILURE,
            format!("Unable to parse your parameters. Please correct them, and try again. ({name} = {text:?})"),
        )
    })
}

/// An int64 id that arrives as a JSON string of digits or as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int64(pub i64);

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Number(i64),
            Text(String),
        }
        match Either::deserialize(deserializer)? {
            Either::Number(n) => Ok(Int64(n)),
            Either::Text(text) => text
                .trim()
                .parse()
                .map(Int64)
                .map_err(|_| serde::de::Error::custom(format!("{text:?} is not an int64 id"))),
        }
    }
}

/// A JSON request body; a body that does not parse is ErrorCode 7 with serde's reason.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Body<T> {
    type Rejection = PlatformError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| PlatformError::new(envelope::PARAMETER_PARSE_FAILURE, e.to_string()))?;
        serde_json::from_slice(&bytes).map(Body).map_err(|e| {
            PlatformError::new(
                envelope::PARAMETER_PARSE_FAILURE,
                format!(
                    "Unable to parse your parameters. Please correct them, and try again. ({e})"
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int64_accepts_strings_and_numbers_only() {
        let parse = |json: &str| serde_json::from_str::<Int64>(json).map(|v| v.0);
        assert_eq!(
            parse("\"6917529368861287826\"").ok(),
            Some(6917529368861287826)
        );
        assert_eq!(parse("42").ok(), Some(42));
        assert!(parse("\"12ab\"").is_err());
        assert!(parse("true").is_err());
    }

    #[test]
    fn bad_params_name_themselves() {
        let error = parse_param::<i64>("abc", "characterId").expect_err("not a number");
        assert_eq!(error.code.code, 7);
        assert!(error.message.contains("characterId"));
    }
}
