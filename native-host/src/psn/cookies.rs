//! What a sign-in hands back: [`SignedIn`], the bungie.net cookies as a browser sets them
//! ([`BrowserCookie`]) and the member's id.

use cookie_store::{Cookie, CookieDomain, CookieExpiration, CookieStore};
use serde::{Deserialize, Serialize};
use url::Url;

/// The three cookies of a bungie.net website session.
pub const BUNGIE_COOKIES: [&str; 3] = ["bungled", "bungleatk", "bungledid"];

/// One cookie, in the shape `chrome.cookies.set` takes: the native-messaging protocol's own
/// type, so a sign-in's cookies go to the extension unchanged.
pub use courier_core::host_protocol::Cookie as BrowserCookie;

/// A finished sign-in: the bungie.net session cookies and who they sign in as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// `bungled`, `bungleatk` and `bungledid`, in that order.
    pub cookies: Vec<BrowserCookie>,
    /// The bungie.net membership id (an int64, as a string).
    pub bungie_membership_id: String,
}

/// The bungie.net session cookies the jar holds for `bungie` (in [`BUNGIE_COOKIES`] order), and
/// the names of those it lacks.
pub fn bungie_cookies(jar: &CookieStore, bungie: &Url) -> (Vec<BrowserCookie>, Vec<&'static str>) {
    let held = jar.matches(bungie);
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in BUNGIE_COOKIES {
        match held.iter().find(|cookie| cookie.name() == name) {
            Some(cookie) => found.push(browser_cookie(cookie)),
            None => missing.push(name),
        }
    }
    (found, missing)
}

/// A jar cookie as a browser cookie.
fn browser_cookie(cookie: &Cookie<'_>) -> BrowserCookie {
    let domain = match &cookie.domain {
        CookieDomain::HostOnly(host) | CookieDomain::Suffix(host) => host.clone(),
        CookieDomain::NotPresent | CookieDomain::Empty => String::new(),
    };
    let expiration_date = match &cookie.expires {
        CookieExpiration::AtUtc(at) => Some(at.unix_timestamp() as f64),
        CookieExpiration::SessionEnd => None,
    };
    BrowserCookie {
        name: cookie.name().to_string(),
        value: cookie.value().to_string(),
        domain,
        path: cookie.path.as_ref().to_string(),
        secure: cookie.secure().unwrap_or(false),
        http_only: cookie.http_only().unwrap_or(false),
        expiration_date,
    }
}
