//! bungie.net's OAuth token endpoint: the form request that trades an authorization code or a
//! refresh token for tokens, and its answer. It is not enveloped: success is plain JSON, failure
//! an RFC 6749 `{error, error_description}`.

use serde::{Deserialize, Serialize};

use super::classify::{BAD_API_KEY, SIGN_IN_AGAIN, with_bungie_message};
use super::encode::encode_pairs;
use super::envelope::{not_json, unexpected};
use super::error::ApiError;
use crate::model::int64_string;

/// Where tokens come from.
pub const TOKEN_PATH: &str = "/Platform/App/OAuth/token/";

/// Courier's registered OAuth application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClient {
    /// The client id bungie.net assigned.
    pub id: String,
    /// The secret of a confidential client (only those get refresh tokens); `None` for a public one.
    pub secret: Option<String>,
}

/// `POST /Platform/App/OAuth/token/` with an `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthTokenRequest {
    /// Always [`TOKEN_PATH`].
    pub path: String,
    /// The form body, encoded.
    pub body: String,
}

impl OAuthTokenRequest {
    /// Trades the `code` the authorize redirect carried for tokens.
    pub fn authorization_code(code: &str, client: &OAuthClient) -> Self {
        Self::grant(
            &[("grant_type", "authorization_code"), ("code", code)],
            client,
        )
    }

    /// Trades a refresh token (each works once) for new tokens.
    pub fn refresh(refresh_token: &str, client: &OAuthClient) -> Self {
        Self::grant(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
            client,
        )
    }

    /// A grant's fields followed by the client's credentials.
    fn grant(fields: &[(&str, &str)], client: &OAuthClient) -> Self {
        let mut pairs = fields.to_vec();
        pairs.push(("client_id", &client.id));
        if let Some(secret) = &client.secret {
            pairs.push(("client_secret", secret));
        }
        Self {
            path: TOKEN_PATH.to_string(),
            body: encode_pairs(pairs),
        }
    }

    /// The full URL at `origin` (e.g. `https://www.bungie.net`); the method is POST.
    pub fn url(&self, origin: &str) -> String {
        format!("{}{}", origin.trim_end_matches('/'), self.path)
    }

    /// The headers to send: only the form content type (the body carries the client).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        vec![(
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        )]
    }

    /// Decodes the token endpoint's answer: tokens, or why not. A rejected code or refresh
    /// token (`invalid_grant`) means signing in again; a rejected client is a setup problem.
    pub fn decode(
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<OAuthTokens, ApiError> {
        if let Ok(refusal) = serde_json::from_slice::<OAuthRefusal>(body) {
            return Err(refusal.into_error());
        }
        match serde_json::from_slice::<OAuthTokens>(body) {
            Ok(tokens) => Ok(tokens),
            Err(error) if error.is_data() => {
                Err(unexpected(format!("the token answer did not fit: {error}")))
            }
            Err(_) => Err(not_json(status, content_type, body)),
        }
    }
}

/// The token endpoint's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthTokens {
    /// The token for `Authorization: Bearer ...`.
    pub access_token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Seconds the access token lasts (3600).
    pub expires_in: u64,
    /// The next refresh token (confidential clients only).
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Seconds the refresh token lasts (90 days).
    #[serde(default)]
    pub refresh_expires_in: Option<u64>,
    /// The bungie.net membership id the tokens are for.
    #[serde(with = "int64_string")]
    pub membership_id: i64,
}

/// An RFC 6749 error answer.
#[derive(Debug, Deserialize)]
struct OAuthRefusal {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl OAuthRefusal {
    fn into_error(self) -> ApiError {
        let said = self.error_description.unwrap_or_default();
        match self.error.as_str() {
            "invalid_grant" => ApiError::SignedOut {
                code: None,
                message: with_bungie_message(SIGN_IN_AGAIN, &said),
            },
            "invalid_client" | "unauthorized_client" => ApiError::BadApiKey {
                code: None,
                message: with_bungie_message(BAD_API_KEY, &said),
            },
            other => unexpected(format!(
                "the token endpoint refused the request with {other}: {said}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn confidential() -> OAuthClient {
        OAuthClient {
            id: "courier".into(),
            secret: Some("s3cr=t&".into()),
        }
    }

    #[test]
    fn authorization_code_form() {
        let request = OAuthTokenRequest::authorization_code("abc/def", &confidential());
        assert_eq!(request.path, "/Platform/App/OAuth/token/");
        assert_eq!(
            request.body,
            "grant_type=authorization_code&code=abc%2Fdef&client_id=courier&client_secret=s3cr%3Dt%26"
        );
        assert_eq!(
            request.url("https://www.bungie.net/"),
            "https://www.bungie.net/Platform/App/OAuth/token/"
        );
        assert_eq!(
            request.headers(),
            [(
                "Content-Type",
                "application/x-www-form-urlencoded".to_string()
            )]
        );
    }

    #[test]
    fn refresh_form_of_a_public_client_has_no_secret() {
        let public = OAuthClient {
            id: "courier".into(),
            secret: None,
        };
        assert_eq!(
            OAuthTokenRequest::refresh("r1", &public).body,
            "grant_type=refresh_token&refresh_token=r1&client_id=courier"
        );
    }

    #[test]
    fn tokens_decode() {
        let body = json!({
            "access_token": "at", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "rt", "refresh_expires_in": 7776000, "membership_id": "7094",
        })
        .to_string();
        let tokens = OAuthTokenRequest::decode(200, Some("application/json"), body.as_bytes())
            .expect("tokens");
        assert_eq!(tokens.membership_id, 7094);
        assert_eq!(tokens.refresh_token.as_deref(), Some("rt"));
        let public = json!({ "access_token": "at", "token_type": "Bearer", "expires_in": 3600, "membership_id": "1" }).to_string();
        let tokens = OAuthTokenRequest::decode(200, None, public.as_bytes()).expect("tokens");
        assert_eq!(
            (tokens.refresh_token, tokens.refresh_expires_in),
            (None, None)
        );
    }

    #[test]
    fn refusals_are_classified() {
        let refuse = |error: &str| {
            let body = json!({ "error": error, "error_description": "AuthorizationCodeInvalid" })
                .to_string();
            OAuthTokenRequest::decode(400, None, body.as_bytes()).expect_err("refused")
        };
        let grant = refuse("invalid_grant");
        assert_eq!(grant.kind(), "signed_out");
        assert!(grant.message().contains("AuthorizationCodeInvalid"));
        assert_eq!(refuse("invalid_client").kind(), "bad_api_key");
        assert_eq!(refuse("unsupported_grant_type").kind(), "unexpected");
    }

    #[test]
    fn wrong_shapes_and_pages() {
        let got = OAuthTokenRequest::decode(200, None, br#"{"access_token":"at"}"#)
            .expect_err("incomplete");
        assert_eq!(got.kind(), "unexpected");
        let got = OAuthTokenRequest::decode(503, Some("text/html"), b"<html>down</html>")
            .expect_err("a page");
        assert_eq!(got.kind(), "not_json");
    }
}
