//! A Platform request as data: method, path, query, JSON body and the endpoint it calls. A
//! driver (the wasm facade's fetch, the native host's reqwest) turns it into HTTP with
//! [`ApiRequest::url`] and [`ApiRequest::headers`]; core never sends it.

use serde::{Deserialize, Serialize};

use super::encode::{encode_pairs, percent_encode};
use super::endpoints::Endpoint;

/// An HTTP method the Platform endpoints Courier uses need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET: reads.
    Get,
    /// POST: actions (and the OAuth token exchange).
    Post,
}

impl Method {
    /// The method as HTTP writes it (`"GET"`, `"POST"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// How a request is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Auth {
    /// The bungie.net website session: the browser (or the host's cookie jar) sends the
    /// `bungled`, `bungleatk` and `bungledid` cookies itself; the request adds `X-CSRF`, which
    /// must equal the `bungled` cookie.
    Cookie {
        /// The value of the `bungled` cookie.
        bungled: String,
    },
    /// An OAuth access token, sent as `Authorization: Bearer ...`.
    Bearer(String),
    /// Not signed in: only public endpoints (manifest, public vendors) answer.
    Anonymous,
}

/// One Platform request, ready for a driver to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiRequest {
    /// GET for reads, POST for actions.
    pub method: Method,
    /// The path, starting `/Platform/` and always ending `/` (bungie.net redirects a path
    /// without it, and the redirect drops the auth headers).
    pub path: String,
    /// Query parameters, not yet encoded.
    pub query: Vec<(String, String)>,
    /// The JSON body of an action.
    pub body: Option<String>,
    /// The endpoint it calls (for spacing, throttles and logs).
    pub endpoint: Endpoint,
}

impl ApiRequest {
    /// The full URL at `origin` (e.g. `https://www.bungie.net`), query percent-encoded.
    pub fn url(&self, origin: &str) -> String {
        let origin = origin.trim_end_matches('/');
        let mut url = format!("{origin}{}", self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&encode_pairs(
                self.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            ));
        }
        url
    }

    /// The headers to send: `X-API-Key` always; `X-CSRF` for a cookie session or
    /// `Authorization` for a bearer token; `Content-Type: application/json` with a body.
    /// (Cookies are not headers the request sets: the browser or cookie jar adds them.)
    pub fn headers(&self, auth: &Auth, api_key: &str) -> Vec<(&'static str, String)> {
        let mut headers = vec![("X-API-Key", api_key.to_string())];
        match auth {
            Auth::Cookie { bungled } => headers.push(("X-CSRF", bungled.clone())),
            Auth::Bearer(token) => headers.push(("Authorization", format!("Bearer {token}"))),
            Auth::Anonymous => {}
        }
        if self.method == Method::Post && self.body.is_some() {
            headers.push(("Content-Type", "application/json".to_string()));
        }
        headers
    }
}

/// A path under `/Platform/` from its segments, each percent-encoded, ending with `/`.
pub(crate) fn platform_path<I>(segments: I) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut path = String::from("/Platform/");
    for segment in segments {
        path.push_str(&percent_encode(segment.as_ref()));
        path.push('/');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, query: &[(&str, &str)], body: Option<&str>) -> ApiRequest {
        ApiRequest {
            method,
            path: "/Platform/Destiny2/Manifest/".to_string(),
            query: query
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.map(str::to_string),
            endpoint: Endpoint::GetDestinyManifest,
        }
    }

    #[test]
    fn url_joins_origin_path_and_encoded_query() {
        let get = request(
            Method::Get,
            &[("components", "100,102"), ("q", "a b&c")],
            None,
        );
        assert_eq!(
            get.url("https://www.bungie.net"),
            "https://www.bungie.net/Platform/Destiny2/Manifest/?components=100,102&q=a%20b%26c"
        );
        assert_eq!(
            get.url("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080/Platform/Destiny2/Manifest/?components=100,102&q=a%20b%26c"
        );
        assert_eq!(
            request(Method::Get, &[], None).url("https://www.bungie.net"),
            "https://www.bungie.net/Platform/Destiny2/Manifest/"
        );
    }

    #[test]
    fn cookie_sessions_send_the_csrf_header() {
        let headers = request(Method::Get, &[], None).headers(
            &Auth::Cookie {
                bungled: "b-123".into(),
            },
            "key",
        );
        assert_eq!(
            headers,
            [
                ("X-API-Key", "key".to_string()),
                ("X-CSRF", "b-123".to_string())
            ]
        );
    }

    #[test]
    fn bearer_tokens_send_authorization_and_bodies_their_type() {
        let headers =
            request(Method::Post, &[], Some("{}")).headers(&Auth::Bearer("tok".into()), "key");
        assert_eq!(
            headers,
            [
                ("X-API-Key", "key".to_string()),
                ("Authorization", "Bearer tok".to_string()),
                ("Content-Type", "application/json".to_string()),
            ]
        );
    }

    #[test]
    fn anonymous_requests_send_only_the_key() {
        let headers = request(Method::Get, &[], None).headers(&Auth::Anonymous, "key");
        assert_eq!(headers, [("X-API-Key", "key".to_string())]);
    }

    #[test]
    fn paths_encode_segments_and_end_with_a_slash() {
        assert_eq!(
            platform_path(["Destiny2", "Manifest", "a b/c"]),
            "/Platform/Destiny2/Manifest/a%20b%2Fc/"
        );
    }

    #[test]
    fn methods_serialize_as_http_writes_them() {
        assert_eq!(serde_json::json!(Method::Post), serde_json::json!("POST"));
        assert_eq!(Method::Get.as_str(), "GET");
    }
}
