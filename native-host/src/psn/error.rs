//! [`SignInError`]: why a PSN sign-in failed, by what the person must do, and [`Step`]: which hop
//! of the flow it failed at.

/// One hop of the 2016 PSN sign-in, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// `GET {bungie}/en/User/SignIn/Psnid`: bungie.net sends the browser to Sony's authorize.
    BungieSignIn,
    /// `GET {psn}/2.0/oauth/authorize`: Sony sets `JSESSIONID` and shows its login page (or,
    /// with a valid `npsso` cookie, answers a grant code at once).
    SonyAuthorize,
    /// `POST {psn}/login.do`: the sign-in ID and password.
    SonyLogin,
    /// `GET {psn}/2.0/oauth/authorize` again, signed in: the grant code (`X-NP-GRANT-CODE`).
    SonyGrant,
    /// `GET {bungie}/en/User/SignIn/Psnid?code=...`: bungie.net sets its three cookies.
    BungieCode,
    /// `GET {bungie}/Platform/User/GetMembershipsForCurrentUser/`: who signed in.
    Memberships,
}

impl Step {
    /// The step's name on the wire (`"sony_login"`).
    pub fn name(self) -> &'static str {
        match self {
            Step::BungieSignIn => "bungie_sign_in",
            Step::SonyAuthorize => "sony_authorize",
            Step::SonyLogin => "sony_login",
            Step::SonyGrant => "sony_grant",
            Step::BungieCode => "bungie_code",
            Step::Memberships => "memberships",
        }
    }

    /// What the step asks, for a person.
    fn describe(self) -> &'static str {
        match self {
            Step::BungieSignIn => "bungie.net's PSN sign-in page (/en/User/SignIn/Psnid)",
            Step::SonyAuthorize => "Sony's authorize page (/2.0/oauth/authorize)",
            Step::SonyLogin => "Sony's login (/login.do)",
            Step::SonyGrant => "Sony's authorize page after the login (/2.0/oauth/authorize)",
            Step::BungieCode => {
                "bungie.net's sign-in with Sony's code (/en/User/SignIn/Psnid?code=...)"
            }
            Step::Memberships => {
                "bungie.net's GetMembershipsForCurrentUser (/Platform/User/GetMembershipsForCurrentUser/)"
            }
        }
    }
}

/// Why a PSN sign-in failed. Callers tell the cases apart by [`SignInError::kind`]; the
/// `Display` text says what happened and what to do. No variant ever holds a password or an
/// npsso value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// The request was refused before anything was sent (an empty password, a malformed npsso,
    /// an origin Courier will not talk to).
    #[error("{0}")]
    BadRequest(String),
    /// Sony refused the sign-in ID and password, or the npsso cookie.
    #[error("{message}")]
    InvalidCredentials {
        /// What happened and what to do.
        message: String,
    },
    /// Sony answered a page (a captcha challenge, or its login page) where a redirect was expected.
    #[error(
        "PlayStation Network asked for a captcha (or showed its login page again), which Courier cannot answer. Sign in once in the browser instead, or sign in with the npsso cookie of a browser that is signed in to PlayStation Network (courier-host login --psn --username EMAIL --npsso-stdin)."
    )]
    CaptchaRequired,
    /// A step could not get an answer at all (no connection, TLS failure, timeout).
    #[error(
        "Could not reach {} ({reason}). Check the network connection (and COURIER_BUNGIE_ORIGIN / COURIER_PSN_ORIGIN or the config file, if set), then try again.",
        .step.describe()
    )]
    Network {
        /// The step that got no answer.
        step: Step,
        /// Why, as the HTTP client says it (without the URL).
        reason: String,
    },
    /// A step got an answer the flow does not expect.
    #[error(
        "{} answered {got}, where the sign-in expected {expected}. Try again; if it keeps happening, the sign-in flow has changed: sign in in the browser instead.",
        .step.describe()
    )]
    UnexpectedResponse {
        /// The step that got the answer.
        step: Step,
        /// What the flow expected there.
        expected: String,
        /// What came instead (status, and what was missing or wrong; never a secret).
        got: String,
    },
}

impl SignInError {
    /// The error's kind on the wire: `bad_request`, `invalid_credentials`, `captcha_required`,
    /// `network` or `unexpected_response`.
    pub fn kind(&self) -> &'static str {
        match self {
            SignInError::BadRequest(_) => "bad_request",
            SignInError::InvalidCredentials { .. } => "invalid_credentials",
            SignInError::CaptchaRequired => "captcha_required",
            SignInError::Network { .. } => "network",
            SignInError::UnexpectedResponse { .. } => "unexpected_response",
        }
    }

    /// The step that failed, for `network` and `unexpected_response`.
    pub fn step(&self) -> Option<Step> {
        match self {
            SignInError::Network { step, .. } | SignInError::UnexpectedResponse { step, .. } => {
                Some(*step)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_steps_use_the_protocol_names() {
        let unexpected = SignInError::UnexpectedResponse {
            step: Step::SonyGrant,
            expected: "a redirect with X-NP-GRANT-CODE".into(),
            got: "HTTP 400".into(),
        };
        assert_eq!(unexpected.kind(), "unexpected_response");
        assert_eq!(unexpected.step(), Some(Step::SonyGrant));
        assert_eq!(Step::SonyGrant.name(), "sony_grant");
        let text = unexpected.to_string();
        assert!(
            text.contains("/2.0/oauth/authorize") && text.contains("HTTP 400"),
            "{text}"
        );
        assert!(text.contains("X-NP-GRANT-CODE"), "{text}");
        assert_eq!(SignInError::CaptchaRequired.kind(), "captcha_required");
        assert!(
            SignInError::CaptchaRequired
                .to_string()
                .contains("in the browser")
        );
        assert!(SignInError::CaptchaRequired.to_string().contains("npsso"));
        assert_eq!(SignInError::CaptchaRequired.step(), None);
    }
}
