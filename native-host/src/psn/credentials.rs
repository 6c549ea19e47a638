//! [`Credentials`]: what a person signs in to PlayStation Network with, checked before use.

use super::error::SignInError;
use super::secret::Secret;

/// What to sign in with: a sign-in ID and password (the 2016 flow), or the `npsso` cookie of a
/// browser already signed in to PlayStation Network (what works today, when Sony asks a captcha).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// The PSN sign-in ID (an email address) and password.
    Password {
        /// The sign-in ID.
        username: String,
        /// The password.
        password: Secret,
    },
    /// The value of Sony's `npsso` cookie.
    Npsso(Secret),
}

impl Credentials {
    /// Checks the credentials can be sent at all: `bad_request` with what to fix otherwise.
    pub fn validate(&self) -> Result<(), SignInError> {
        let bad = |message: &str| Err(SignInError::BadRequest(message.to_string()));
        match self {
            Credentials::Password { username, password } => {
                if username.trim().is_empty() {
                    return bad(
                        "The PSN sign-in ID is empty: give the email address you sign in to PlayStation Network with.",
                    );
                }
                if username.chars().any(char::is_control) {
                    return bad(
                        "The PSN sign-in ID contains control characters: give the plain email address.",
                    );
                }
                if password.is_empty() {
                    return bad("The PSN password is empty.");
                }
                Ok(())
            }
            Credentials::Npsso(npsso) => {
                if npsso.is_empty() {
                    return bad(
                        "The npsso value is empty: copy the value of the npsso cookie from a browser signed in to PlayStation Network.",
                    );
                }
                if !npsso.expose().bytes().all(is_cookie_octet) {
                    return bad(
                        "The npsso value contains characters a cookie cannot carry (spaces, quotes, commas, semicolons or backslashes): copy only the cookie's value.",
                    );
                }
                Ok(())
            }
        }
    }
}

/// Whether a byte may appear in a cookie value (RFC 6265 `cookie-octet`).
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(username: &str, password: &str) -> Credentials {
        Credentials::Password {
            username: username.to_string(),
            password: Secret::new(password.to_string()),
        }
    }

    #[test]
    fn good_credentials_pass() {
        assert_eq!(
            password("guardian@example.com", "p@ss word;\"").validate(),
            Ok(())
        );
        assert_eq!(
            Credentials::Npsso(Secret::new("AbC123-_.~".into())).validate(),
            Ok(())
        );
    }

    #[test]
    fn empty_or_malformed_credentials_are_bad_requests() {
        for credentials in [
            password("", "x"),
            password("  ", "x"),
            password("a@b\n", "x"),
            password("a@b", ""),
            Credentials::Npsso(Secret::new(String::new())),
            Credentials::Npsso(Secret::new("abc; other=1".into())),
            Credentials::Npsso(Secret::new("abc def".into())),
        ] {
            let error = credentials.validate().expect_err("refused");
            assert_eq!(error.kind(), "bad_request", "{credentials:?}");
        }
    }

    #[test]
    fn debug_hides_the_secrets() {
        let shown = format!(
            "{:?}",
            password("guardian@example.com", "hunter2-NEVER-LOG-ME")
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }
}
