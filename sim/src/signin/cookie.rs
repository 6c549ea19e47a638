//! `Set-Cookie` values the simulated sites send: host-only (no `Domain`, so they work on
//! whatever host name the simulator is reached at), `Path=/`, and `Secure` over HTTPS.

use std::time::Duration;

use axum::http::HeaderName;
use axum::http::header::SET_COOKIE;

/// How long a cookie lives in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Until the browser closes.
    Session,
    /// For this long.
    For(Duration),
    /// Deleted now.
    Cleared,
}

/// One cookie to set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cookie<'a> {
    /// The name.
    pub name: &'a str,
    /// The value (the simulator's own tokens, which need no quoting).
    pub value: &'a str,
    /// Whether scripts may not read it.
    pub http_only: bool,
    /// How long it lives.
    pub lifetime: Lifetime,
}

impl Cookie<'_> {
    /// The `Set-Cookie` header for it; `secure` when the request came over HTTPS.
    pub fn header(&self, secure: bool) -> (HeaderName, String) {
        let mut cookie = cookie::Cookie::build((self.name, self.value))
            .path("/")
            .secure(secure)
            .http_only(self.http_only);
        match self.lifetime {
            Lifetime::Session => {}
            Lifetime::For(age) => {
                let seconds = i64::try_from(age.as_secs()).unwrap_or(i64::MAX);
                cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
            }
            Lifetime::Cleared => cookie = cookie.max_age(cookie::time::Duration::ZERO),
        }
        (SET_COOKIE, cookie.build().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> cookie::Cookie<'_> {
        cookie::Cookie::parse(line).expect("a valid Set-Cookie value")
    }

    #[test]
    fn writes_host_only_cookies_with_the_asked_attributes() {
        let cookie = Cookie {
            name: "a",
            value: "1",
            http_only: true,
            lifetime: Lifetime::For(Duration::from_secs(60)),
        };
        let (name, line) = cookie.header(true);
        assert_eq!(name, SET_COOKIE);
        let set = parsed(&line);
        assert_eq!((set.name(), set.value(), set.path()), ("a", "1", Some("/")));
        assert_eq!(set.domain(), None, "host-only");
        assert_eq!((set.secure(), set.http_only()), (Some(true), Some(true)));
        assert_eq!(set.max_age(), Some(cookie::time::Duration::seconds(60)));

        let plain = Cookie {
            http_only: false,
            lifetime: Lifetime::Session,
            ..cookie
        };
        let line = plain.header(false).1;
        let set = parsed(&line);
        assert_eq!(
            (set.secure(), set.http_only(), set.max_age()),
            (None, None, None)
        );
        let cleared = Cookie {
            lifetime: Lifetime::Cleared,
            ..cookie
        }
        .header(false)
        .1;
        assert_eq!(
            parsed(&cleared).max_age(),
            Some(cookie::time::Duration::ZERO)
        );
    }
}
