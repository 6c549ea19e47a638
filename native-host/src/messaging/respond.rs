//! The host's answers: `hello` from memory, `psn_login` through [`crate::psn::sign_in`].

use courier_core::host_protocol::{
    Action, Answer, ErrorKind, Failure, PsnLogin, Request, RequestId,
};

use crate::config::Origins;
use crate::psn::{self, Credentials, SignInError, SignedIn};

/// Answers requests, running sign-ins on its own async runtime.
pub struct Responder {
    runtime: tokio::runtime::Runtime,
}

impl Responder {
    /// A responder with a single-threaded runtime for its network calls.
    pub fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Self { runtime })
    }

    /// The answer to one request.
    pub fn answer(&self, request: Request) -> Answer {
        match request.action {
            Action::Hello => Answer::hello(request.id, env!("CARGO_PKG_VERSION")),
            Action::PsnLogin(login) => {
                let result = self.runtime.block_on(sign_in(credentials(login)));
                match result {
                    Ok(signed_in) => signed_in_answer(request.id, signed_in),
                    Err(error) => {
                        tracing::warn!(id = request.id, kind = error.kind(), "{error}");
                        Answer::failed(Some(request.id), failure(&error))
                    }
                }
            }
        }
    }
}

/// Signs in at the configured origins (read at each sign-in, so a fixed config needs no restart).
async fn sign_in(credentials: Credentials) -> Result<SignedIn, SignInError> {
    let origins = Origins::load().map_err(|error| SignInError::BadRequest(error.to_string()))?;
    psn::sign_in(&origins, &credentials).await
}

/// The protocol's login as the sign-in's credentials; the secrets move, uncopied, into types
/// that zero their memory.
fn credentials(login: PsnLogin) -> Credentials {
    match login {
        PsnLogin::Password { username, password } => Credentials::Password {
            username,
            password: psn::Secret::new(password.into_inner()),
        },
        PsnLogin::Npsso { npsso } => Credentials::Npsso(psn::Secret::new(npsso.into_inner())),
    }
}

/// A finished sign-in as the `psn_login` answer.
fn signed_in_answer(id: RequestId, signed_in: SignedIn) -> Answer {
    Answer::SignedIn {
        id,
        cookies: signed_in.cookies,
        bungie_membership_id: signed_in.bungie_membership_id,
    }
}

/// A sign-in error as the protocol's failure, with the step that failed.
fn failure(error: &SignInError) -> Failure {
    let kind = match error {
        SignInError::BadRequest(_) => ErrorKind::BadRequest,
        SignInError::InvalidCredentials { .. } => ErrorKind::InvalidCredentials,
        SignInError::CaptchaRequired => ErrorKind::CaptchaRequired,
        SignInError::Network { .. } => ErrorKind::Network,
        SignInError::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
    };
    let failure = Failure::new(kind, error.to_string());
    match error.step() {
        Some(step) => failure.at_step(step.name()),
        None => failure,
    }
}

#[cfg(test)]
mod tests {
    use courier_core::host_protocol::Secret;

    use super::*;
    use crate::psn::Step;

    #[test]
    fn hello_needs_no_network() {
        let responder = Responder::new().expect("a runtime");
        let answer = responder.answer(Request {
            id: 4,
            action: Action::Hello,
        });
        assert_eq!(answer, Answer::hello(4, env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn the_login_becomes_credentials_with_the_same_secrets() {
        let password = credentials(PsnLogin::Password {
            username: "guardian@example.com".into(),
            password: Secret::new("hunter2"),
        });
        let Credentials::Password { username, password } = password else {
            panic!("expected a password login, got {password:?}");
        };
        assert_eq!(username, "guardian@example.com");
        assert_eq!(password.expose(), "hunter2");
        let npsso = credentials(PsnLogin::Npsso {
            npsso: Secret::new("n-cookie"),
        });
        assert!(matches!(npsso, Credentials::Npsso(secret) if secret.expose() == "n-cookie"));
    }

    #[test]
    fn sign_in_errors_keep_their_kind_and_step() {
        let unexpected = failure(&SignInError::UnexpectedResponse {
            step: Step::SonyGrant,
            expected: "a redirect".into(),
            got: "HTTP 200".into(),
        });
        assert_eq!(unexpected.kind, ErrorKind::UnexpectedResponse);
        assert_eq!(unexpected.step.as_deref(), Some("sony_grant"));
        assert!(
            unexpected.message.contains("HTTP 200"),
            "{}",
            unexpected.message
        );
        let network = failure(&SignInError::Network {
            step: Step::BungieSignIn,
            reason: "connection refused".into(),
        });
        assert_eq!(network.kind, ErrorKind::Network);
        assert_eq!(network.step.as_deref(), Some("bungie_sign_in"));
        let invalid = failure(&SignInError::InvalidCredentials {
            message: "wrong password".into(),
        });
        assert_eq!(invalid.kind, ErrorKind::InvalidCredentials);
        assert_eq!(invalid.step, None);
        assert_eq!(
            failure(&SignInError::CaptchaRequired).kind,
            ErrorKind::CaptchaRequired
        );
        assert_eq!(
            failure(&SignInError::BadRequest("x".into())).kind,
            ErrorKind::BadRequest
        );
    }

    #[test]
    fn cookies_carry_every_field() {
        let answer = signed_in_answer(
            2,
            SignedIn {
                cookies: vec![crate::psn::BrowserCookie {
                    name: "bungleatk".into(),
                    value: "token".into(),
                    domain: ".bungie.net".into(),
                    path: "/".into(),
                    secure: true,
                    http_only: true,
                    expiration_date: Some(1.9e9),
                }],
                bungie_membership_id: "123".into(),
            },
        );
        let json = serde_json::to_value(&answer).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"id": 2, "ok": true, "bungieMembershipId": "123", "cookies": [{
                "name": "bungleatk", "value": "token", "domain": ".bungie.net", "path": "/",
                "secure": true, "httpOnly": true, "expirationDate": 1.9e9}]})
        );
    }
}
