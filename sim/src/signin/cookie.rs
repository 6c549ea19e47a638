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
        let mut line = format!("{}={}; Path=/", self.name, self.value);
        match self.lifetime {
            Lifetime::Session => {}
            Lifetime::For(age) => line.push_str(&format!("; Max-Age={}", age.as_secs())),
            Lifetime::Cleared => line.push_str("; Max-Age=0"),
        }
        if secure {
            line.push_str("; Secure");
        }
        if self.http_only {
            line.push_str("; HttpOnly");
        }
        (SET_COOKIE, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_host_only_cookies_with_the_asked_attributes() {
        let cookie = Cookie {
            name: "a",
            value: "1",
            http_only: true,
            lifetime: Lifetime::For(Duration::from_secs(60)),
        };
        assert_eq!(
            cookie.header(true).1,
            "a=1; Path=/; Max-Age=60; Secure; HttpOnly"
        );
        let plain = Cookie {
            http_only: false,
            lifetime: Lifetime::Session,
            ..cookie
        };
        assert_eq!(plain.header(false).1, "a=1; Path=/");
    }
}
