//! The sign-in against courier-sim: every credential kind, over HTTP and HTTPS, with a failure
//! injected at each step, counting the requests the simulator saw.

mod proxy;

use courier_core::api::{ApiRequest, Auth, Component, decode};
use courier_sim::{Sim, SimConfig, ThrottleMode};
use reqwest::StatusCode;
use serde_json::json;

use super::flow::sign_in_using;
use super::{Credentials, Secret, SignInError, SignedIn, Step};
use crate::config::{Origins, check_origin, client_builder_trusting};
use proxy::{Proxy, Rule, Tamper};

/// A password no log or answer may ever show.
const DISTINCTIVE_PASSWORD: &str = "correct-horse-NEVER-LOG-ME";

async fn sim_with(config: SimConfig) -> Sim {
    let sim = Sim::start(SimConfig {
        throttle: ThrottleMode::Off,
        ..config
    })
    .await
    .expect("the simulator starts");
    sim.state().lock().world.account.password = DISTINCTIVE_PASSWORD.to_string();
    sim
}

async fn sim() -> Sim {
    sim_with(SimConfig::default()).await
}

/// These origins, checked.
fn origins(bungie: &str, psn: &str) -> Origins {
    let checked = |origin| check_origin(origin).expect("a loopback origin");
    Origins {
        bungie: checked(bungie),
        psn: checked(psn),
    }
}

/// Both origins at one base URL (the simulator serves bungie.net and Sony on one listener).
fn at(base: &str) -> Origins {
    origins(base, base)
}

fn password(sim: &Sim, password: &str) -> Credentials {
    Credentials::Password {
        username: sim.state().lock().world.account.email.clone(),
        password: Secret::new(password.to_string()),
    }
}

fn right_password(sim: &Sim) -> Credentials {
    password(sim, DISTINCTIVE_PASSWORD)
}

fn npsso(value: &str) -> Credentials {
    Credentials::Npsso(Secret::new(value.to_string()))
}

fn right_npsso(sim: &Sim) -> Credentials {
    npsso(&sim.state().lock().world.account.npsso.clone())
}

async fn sign_in(
    origins: &Origins,
    credentials: &Credentials,
    sim: &Sim,
) -> Result<SignedIn, SignInError> {
    sign_in_using(
        client_builder_trusting(Vec::new()),
        origins,
        sim.api_key(),
        credentials,
    )
    .await
}

/// The requests the simulator answered, as `METHOD path`.
fn hops(sim: &Sim) -> Vec<String> {
    sim.state()
        .lock()
        .log
        .entries()
        .iter()
        .map(|entry| format!("{} {}", entry.method, entry.path))
        .collect()
}

const PASSWORD_HOPS: [&str; 6] = [
    "GET /en/User/SignIn/Psnid",
    "GET /2.0/oauth/authorize",
    "POST /login.do",
    "GET /2.0/oauth/authorize",
    "GET /en/User/SignIn/Psnid",
    "GET /Platform/User/GetMembershipsForCurrentUser/",
];

const NPSSO_HOPS: [&str; 4] = [
    "GET /en/User/SignIn/Psnid",
    "GET /2.0/oauth/authorize",
    "GET /en/User/SignIn/Psnid",
    "GET /Platform/User/GetMembershipsForCurrentUser/",
];

/// Checks the three cookies are the sim's session, shaped for `chrome.cookies.set`.
fn assert_bungie_cookies(signed_in: &SignedIn, host: &str, secure: bool) {
    let names: Vec<_> = signed_in.cookies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["bungled", "bungleatk", "bungledid"]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64();
    for cookie in &signed_in.cookies {
        assert!(!cookie.value.is_empty(), "{cookie:?}");
        assert_eq!(cookie.domain, host, "{cookie:?}");
        assert_eq!(cookie.path, "/", "{cookie:?}");
        assert_eq!(cookie.secure, secure, "{cookie:?}");
        assert_eq!(cookie.http_only, cookie.name == "bungleatk", "{cookie:?}");
        let expires = cookie
            .expiration_date
            .expect("the cookies outlive the browser session");
        assert!(
            expires > now + 86_400.0 && expires < now + 400.0 * 86_400.0,
            "{cookie:?}"
        );
    }
    let wire = serde_json::to_value(&signed_in.cookies[1]).expect("serializes");
    let mut keys: Vec<_> = wire
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "domain",
            "expirationDate",
            "httpOnly",
            "name",
            "path",
            "secure",
            "value"
        ]
    );
}

/// A Platform call with the session: GetProfile answers the player's profile.
async fn assert_session_works(
    sim: &Sim,
    base: &str,
    signed_in: &SignedIn,
    client: &reqwest::Client,
) {
    let account = sim.state().lock().world.account.clone();
    let call = ApiRequest::get_profile(
        account.membership_type,
        account.destiny_membership_id,
        &[Component::Profiles],
    );
    let value = |name: &str| {
        signed_in
            .cookies
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.value.clone())
            .expect("the cookie")
    };
    let mut request = client.get(call.url(base)).header(
        "cookie",
        format!(
            "bungled={}; bungleatk={}; bungledid={}",
            value("bungled"),
            value("bungleatk"),
            value("bungledid")
        ),
    );
    for (name, header) in call.headers(
        &Auth::Cookie {
            bungled: value("bungled"),
        },
        sim.api_key(),
    ) {
        request = request.header(name, header);
    }
    let answer = request.send().await.expect("GetProfile answers");
    let status = answer.status().as_u16();
    let body = answer.bytes().await.expect("a body");
    let profile: serde_json::Value =
        decode(status, Some("application/json"), &body).expect("a profile");
    assert_eq!(
        profile["profile"]["data"]["userInfo"]["membershipId"],
        json!(account.destiny_membership_id.to_string()),
        "{profile}"
    );
}

#[tokio::test]
async fn a_password_signs_in_in_six_hops_and_the_session_works() {
    let sim = sim().await;
    let base = sim.http_url().to_string();
    let signed_in = sign_in(&at(&base), &right_password(&sim), &sim)
        .await
        .expect("signed in");
    let member = sim.state().lock().world.account.bungie_membership_id;
    assert_eq!(signed_in.bungie_membership_id, member.to_string());
    assert_bungie_cookies(&signed_in, "127.0.0.1", false);
    assert_eq!(
        hops(&sim),
        PASSWORD_HOPS,
        "no more requests than the flow needs"
    );
    {
        let state = sim.state().lock();
        let entries = state.log.entries();
        assert_eq!(
            entries[1]
                .query
                .as_deref()
                .map(|q| q.contains("client_id=")),
            Some(true)
        );
        assert!(
            entries[4]
                .query
                .as_deref()
                .is_some_and(|q| q.contains("code=")),
            "{:?}",
            entries[4]
        );
        let memberships = &entries[5];
        assert_eq!(memberships.status, 200);
        assert_eq!(
            memberships.csrf, memberships.bungled,
            "X-CSRF equals bungled"
        );
        assert_eq!(
            memberships.csrf.as_deref(),
            Some(signed_in.cookies[0].value.as_str())
        );
        let logged = format!("{entries:?}");
        assert!(
            !logged.contains(DISTINCTIVE_PASSWORD),
            "the password reached the log"
        );
    }
    assert_session_works(
        &sim,
        &base,
        &signed_in,
        &client_builder_trusting(Vec::new())
            .build()
            .expect("a client"),
    )
    .await;
    assert!(
        !format!("{signed_in:?}").contains(&signed_in.cookies[0].value),
        "Debug hides cookie values"
    );
}

#[tokio::test]
async fn https_works_when_the_simulators_certificate_is_trusted() {
    let sim = sim_with(SimConfig {
        http: None,
        https: Some("127.0.0.1:0".parse().expect("an address")),
        ..SimConfig::default()
    })
    .await;
    let base = sim
        .https_url()
        .expect("an HTTPS listener")
        .replace("127.0.0.1", "localhost");
    let origins = at(&base);
    let pem = sim.certificate_pem().expect("the certificate");
    let trusted = || {
        client_builder_trusting(vec![
            reqwest::Certificate::from_pem(pem.as_bytes()).expect("PEM"),
        ])
    };
    let signed_in = sign_in_using(trusted(), &origins, sim.api_key(), &right_password(&sim))
        .await
        .expect("signed in over HTTPS");
    assert_bungie_cookies(&signed_in, "localhost", true);
    assert_session_works(
        &sim,
        &base,
        &signed_in,
        &trusted().build().expect("a client"),
    )
    .await;

    // Without the certificate, verification is real: the first hop fails.
    let error = sign_in(&origins, &right_password(&sim), &sim)
        .await
        .expect_err("untrusted");
    assert_eq!(
        (error.kind(), error.step()),
        ("network", Some(Step::BungieSignIn)),
        "{error}"
    );
}

#[tokio::test]
async fn a_wrong_password_is_invalid_credentials_after_three_hops() {
    let sim = sim().await;
    let error = sign_in(
        &at(sim.http_url()),
        &password(&sim, "hunter2-NEVER-LOG-ME"),
        &sim,
    )
    .await
    .expect_err("refused");
    assert_eq!(error.kind(), "invalid_credentials", "{error}");
    assert!(error.to_string().contains("password"), "{error}");
    assert!(!format!("{error:?} {error}").contains("hunter2"));
    assert_eq!(hops(&sim), PASSWORD_HOPS[..3]);
}

#[tokio::test]
async fn an_npsso_signs_in_in_four_hops() {
    let sim = sim().await;
    let signed_in = sign_in(&at(sim.http_url()), &right_npsso(&sim), &sim)
        .await
        .expect("signed in");
    assert_bungie_cookies(&signed_in, "127.0.0.1", false);
    assert_eq!(hops(&sim), NPSSO_HOPS);
}

#[tokio::test]
async fn a_wrong_npsso_is_invalid_credentials_at_the_login_page() {
    let sim = sim().await;
    let error = sign_in(&at(sim.http_url()), &npsso("not-the-npsso"), &sim)
        .await
        .expect_err("refused");
    assert_eq!(error.kind(), "invalid_credentials", "{error}");
    assert!(error.to_string().contains("npsso"), "{error}");
    assert_eq!(hops(&sim), NPSSO_HOPS[..2], "it stops at Sony's login page");
}

#[tokio::test]
async fn a_captcha_is_captcha_required_and_an_npsso_still_works() {
    let sim = sim().await;
    let control = client_builder_trusting(Vec::new())
        .build()
        .expect("a client");
    let answer = control
        .post(format!("{}/__sim/psn", sim.http_url()))
        .json(&json!({"captchaRequired": true}))
        .send()
        .await
        .expect("the control API answers");
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    let error = sign_in(&at(sim.http_url()), &right_password(&sim), &sim)
        .await
        .expect_err("a captcha");
    assert_eq!(error.kind(), "captcha_required", "{error}");
    assert!(error.to_string().contains("in the browser"), "{error}");
    assert_eq!(hops(&sim), PASSWORD_HOPS[..3]);
    sign_in(&at(sim.http_url()), &right_npsso(&sim), &sim)
        .await
        .expect("the npsso skips the login");
}

#[tokio::test]
async fn bad_credentials_and_refused_origins_send_nothing() {
    let sim = sim().await;
    let error = sign_in(&at(sim.http_url()), &password(&sim, ""), &sim)
        .await
        .expect_err("empty");
    assert_eq!(error.kind(), "bad_request");
    let error = sign_in(&at(sim.http_url()), &npsso("a b"), &sim)
        .await
        .expect_err("malformed");
    assert_eq!(error.kind(), "bad_request");
    let foreign = Origins {
        bungie: "http://www.bungie.net".to_string(),
        psn: sim.http_url().to_string(),
    };
    let error = sign_in(&foreign, &right_password(&sim), &sim)
        .await
        .expect_err("plain http abroad");
    assert_eq!(error.kind(), "bad_request");
    assert!(error.to_string().contains("plain http"), "{error}");
    assert!(hops(&sim).is_empty());
}

/// One injected failure and what the sign-in must answer.
struct Case {
    rule: Rule,
    credentials: fn(&Sim) -> Credentials,
    kind: &'static str,
    step: Option<Step>,
    /// Words the message must contain.
    says: &'static str,
}

#[tokio::test]
async fn a_failure_at_each_step_names_the_step() {
    use Tamper::{Answer, Drop, Relocate, Strip};
    let rule = |path, nth, tamper| Rule { path, nth, tamper };
    let sign_in_page = "/en/User/SignIn/Psnid";
    let authorize = "/2.0/oauth/authorize";
    let cases = [
        Case {
            rule: rule(sign_in_page, 0, Drop),
            credentials: right_password,
            kind: "network",
            step: Some(Step::BungieSignIn),
            says: "Could not reach",
        },
        Case {
            rule: rule(sign_in_page, 0, Answer(StatusCode::NOT_FOUND)),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::BungieSignIn),
            says: "HTTP 404",
        },
        Case {
            rule: rule(sign_in_page, 0, Relocate("/elsewhere")),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::BungieSignIn),
            says: "to /elsewhere",
        },
        Case {
            rule: rule(authorize, 0, Drop),
            credentials: right_password,
            kind: "network",
            step: Some(Step::SonyAuthorize),
            says: "Could not reach",
        },
        Case {
            rule: rule(authorize, 0, Strip("set-cookie")),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::SonyAuthorize),
            says: "without a JSESSIONID",
        },
        Case {
            rule: rule(authorize, 0, Answer(StatusCode::INTERNAL_SERVER_ERROR)),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::SonyAuthorize),
            says: "HTTP 500",
        },
        Case {
            rule: rule(authorize, 0, Answer(StatusCode::OK)),
            credentials: right_password,
            kind: "captcha_required",
            step: None,
            says: "captcha",
        },
        Case {
            rule: rule(authorize, 0, Strip("x-np-grant-code")),
            credentials: right_npsso,
            kind: "unexpected_response",
            step: Some(Step::SonyAuthorize),
            says: "to /en/User/SignIn/Psnid",
        },
        Case {
            rule: rule("/login.do", 0, Drop),
            credentials: right_password,
            kind: "network",
            step: Some(Step::SonyLogin),
            says: "Could not reach",
        },
        Case {
            rule: rule("/login.do", 0, Answer(StatusCode::SERVICE_UNAVAILABLE)),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::SonyLogin),
            says: "HTTP 503",
        },
        Case {
            rule: rule("/login.do", 0, Answer(StatusCode::OK)),
            credentials: right_password,
            kind: "captcha_required",
            step: None,
            says: "npsso",
        },
        Case {
            rule: rule(authorize, 1, Strip("x-np-grant-code")),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::SonyGrant),
            says: "X-NP-GRANT-CODE",
        },
        Case {
            rule: rule(authorize, 1, Relocate("/en/User/SignIn/Psnid?code=forged")),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::SonyGrant),
            says: "with X-NP-GRANT-CODE",
        },
        Case {
            rule: rule(authorize, 1, Drop),
            credentials: right_password,
            kind: "network",
            step: Some(Step::SonyGrant),
            says: "Could not reach",
        },
        Case {
            rule: rule(sign_in_page, 1, Strip("set-cookie")),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::BungieCode),
            says: "without the cookie(s) bungled, bungleatk, bungledid",
        },
        Case {
            rule: rule(sign_in_page, 1, Drop),
            credentials: right_npsso,
            kind: "network",
            step: Some(Step::BungieCode),
            says: "Could not reach",
        },
        Case {
            rule: rule(sign_in_page, 1, Answer(StatusCode::BAD_REQUEST)),
            credentials: right_password,
            kind: "unexpected_response",
            step: Some(Step::BungieCode),
            says: "HTTP 400",
        },
        Case {
            rule: rule("/Platform/User/GetMembershipsForCurrentUser/", 0, Drop),
            credentials: right_password,
            kind: "network",
            step: Some(Step::Memberships),
            says: "GetMembershipsForCurrentUser",
        },
    ];
    for case in cases {
        let sim = sim().await;
        let proxy = Proxy::start(sim.http_url(), case.rule).await;
        let error = sign_in(&at(proxy.url()), &(case.credentials)(&sim), &sim)
            .await
            .expect_err("the injected failure stops the sign-in");
        let text = error.to_string();
        assert_eq!(
            (error.kind(), error.step()),
            (case.kind, case.step),
            "{:?}: {text}",
            case.rule
        );
        assert!(text.contains(case.says), "{:?}: {text}", case.rule);
        assert!(!text.contains(DISTINCTIVE_PASSWORD), "{text}");
    }
}

#[tokio::test]
async fn bungie_net_faults_on_the_memberships_call_are_reported() {
    for (fault, kind, says) in [
        ("html", "unexpected_response", "not_json"),
        ("drop", "network", "Could not reach"),
    ] {
        let sim = sim().await;
        let control = client_builder_trusting(Vec::new())
            .build()
            .expect("a client");
        let answer = control
            .post(format!("{}/__sim/faults", sim.http_url()))
            .json(&json!({"kind": fault, "pathContains": "GetMembershipsForCurrentUser"}))
            .send()
            .await
            .expect("the control API answers");
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
        let error = sign_in(&at(sim.http_url()), &right_password(&sim), &sim)
            .await
            .expect_err(fault);
        assert_eq!(
            (error.kind(), error.step()),
            (kind, Some(Step::Memberships)),
            "{error}"
        );
        assert!(error.to_string().contains(says), "{error}");
    }
}

#[tokio::test]
async fn a_code_from_another_sony_is_refused_by_bungie_net() {
    let bungie = sim().await;
    let other = sim().await;
    let origins = origins(bungie.http_url(), other.http_url());
    let error = sign_in(&origins, &right_password(&other), &bungie)
        .await
        .expect_err("an unknown code");
    assert_eq!(
        (error.kind(), error.step()),
        ("unexpected_response", Some(Step::BungieCode)),
        "{error}"
    );
    assert!(error.to_string().contains("HTTP 400"), "{error}");
}

#[tokio::test]
async fn nothing_listening_is_a_network_error() {
    let sim = sim().await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        format!("http://{}", listener.local_addr().expect("an address"))
    };
    let origins = origins(sim.http_url(), &closed);
    let error = sign_in(&origins, &right_password(&sim), &sim)
        .await
        .expect_err("nobody there");
    assert_eq!(
        (error.kind(), error.step()),
        ("network", Some(Step::SonyAuthorize)),
        "{error}"
    );
    assert_eq!(hops(&sim), PASSWORD_HOPS[..1]);
}
