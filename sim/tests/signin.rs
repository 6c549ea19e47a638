//! The sign-in flows, hop by hop with an ordinary HTTP client that follows no redirects and keeps
//! no cookies: the 2016 PSN sign-in (password, npsso, captcha, every missing piece), and
//! bungie.net's OAuth authorization code flow.

mod support;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use courier_sim::auth::{AuthKind, authenticate};
use courier_sim::world::Account;
use courier_sim::{Sim, SimConfig, ThrottleMode};
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::Value;
use url::Url;

use support::{client, sim, sim_with};

const SIGN_IN: &str = "/en/User/SignIn/Psnid";

/// One `Set-Cookie` header, split into its value and attributes.
#[derive(Debug)]
struct SetCookie {
    name: String,
    value: String,
    /// Attribute names (lower case) with their values, if any.
    attributes: Vec<(String, Option<String>)>,
}

impl SetCookie {
    fn has(&self, attribute: &str) -> bool {
        self.attributes.iter().any(|(name, _)| name == attribute)
    }

    fn attribute(&self, attribute: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(name, _)| name == attribute)
            .and_then(|(_, value)| value.as_deref())
    }
}

/// Every `Set-Cookie` of an answer.
fn set_cookies(response: &Response) -> Vec<SetCookie> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|line| {
            let line = line.to_str().expect("a text Set-Cookie");
            let mut parts = line.split(';').map(str::trim);
            let (name, value) = parts
                .next()
                .and_then(|pair| pair.split_once('='))
                .expect("Set-Cookie starts with name=value");
            let attributes = parts
                .map(|part| match part.split_once('=') {
                    Some((name, value)) => (name.to_ascii_lowercase(), Some(value.to_string())),
                    None => (part.to_ascii_lowercase(), None),
                })
                .collect();
            SetCookie {
                name: name.to_string(),
                value: value.to_string(),
                attributes,
            }
        })
        .collect()
}

/// The one cookie of that name an answer sets.
fn set_cookie(response: &Response, name: &str) -> SetCookie {
    let mut found: Vec<_> = set_cookies(response)
        .into_iter()
        .filter(|c| c.name == name)
        .collect();
    assert_eq!(found.len(), 1, "expected one {name} cookie in {response:?}");
    found.remove(0)
}

/// The Location of a 302.
fn location(response: &Response) -> String {
    assert_eq!(
        response.status(),
        StatusCode::FOUND,
        "expected a redirect: {response:?}"
    );
    response
        .headers()
        .get(LOCATION)
        .expect("a redirect has a Location")
        .to_str()
        .expect("a text Location")
        .to_string()
}

/// The same path and query on `base` (for Locations written with configured origins).
fn on(base: &str, location: &str) -> String {
    let url = Url::parse(location).expect("an absolute Location");
    match url.query() {
        Some(query) => format!("{base}{}?{query}", url.path()),
        None => format!("{base}{}", url.path()),
    }
}

/// A query field of a URL.
fn query_field(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .expect("an absolute URL")
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

/// The value of a hidden form field in a page.
fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the hidden field is on the page") + marker.len();
    let end = html[start..].find('"').expect("the value is quoted") + start;
    html[start..end].to_string()
}

/// Asserts the answer is an HTML page and returns it.
async fn html(response: Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status, "{response:?}");
    let content_type = response.headers().get(CONTENT_TYPE).cloned();
    assert_eq!(
        content_type.as_ref().and_then(|v| v.to_str().ok()),
        Some("text/html; charset=utf-8")
    );
    response.text().await.expect("a page")
}

async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the simulator answers")
}

/// The signed-in player's account.
fn account(sim: &Sim) -> Account {
    sim.state().lock().world.account.clone()
}

/// The `Cookie` header the three bungie.net cookies of a final answer make, after checking them.
fn bungie_cookies(response: &Response, secure: bool) -> String {
    let mut pairs = Vec::new();
    for name in ["bungled", "bungleatk", "bungledid"] {
        let cookie = set_cookie(response, name);
        assert!(!cookie.value.is_empty(), "{name} has a value");
        assert_eq!(cookie.attribute("path"), Some("/"), "{name} is Path=/");
        assert!(!cookie.has("domain"), "{name} is host-only");
        assert_eq!(cookie.has("secure"), secure, "{name} Secure");
        assert_eq!(
            cookie.has("httponly"),
            name == "bungleatk",
            "{name} HttpOnly"
        );
        let age: u64 = cookie
            .attribute("max-age")
            .expect("the cookie outlives the browser session")
            .parse()
            .expect("Max-Age is a number");
        assert!(age >= 24 * 60 * 60, "{name} lasts at least a day");
        pairs.push(format!("{name}={}", cookie.value));
    }
    pairs.join("; ")
}

/// The headers of a cookie-session request: the cookies and `X-CSRF` equal to `bungled`.
fn cookie_session_headers(cookie_header: &str) -> HeaderMap {
    let bungled = cookie_header
        .split("; ")
        .find_map(|pair| pair.strip_prefix("bungled="))
        .expect("a bungled cookie");
    let mut headers = HeaderMap::new();
    headers.insert(
        COOKIE,
        HeaderValue::from_str(cookie_header).expect("cookies"),
    );
    headers.insert("x-csrf", HeaderValue::from_str(bungled).expect("csrf"));
    headers
}

/// Whether `authenticate` accepts these cookies (with X-CSRF = bungled) as the world's player.
fn assert_session_works(sim: &Sim, cookie_header: &str) {
    let headers = cookie_session_headers(cookie_header);
    let caller = authenticate(&sim.state().lock(), &headers, sim.state().now())
        .expect("the cookies are a session");
    assert_eq!(caller.kind, AuthKind::Cookie);
    assert_eq!(
        caller.bungie_membership_id,
        account(sim).bungie_membership_id
    );
}

/// `GetMembershipsForCurrentUser` with these headers (plus the API key): the signed-in member's id.
async fn current_member(sim: &Sim, headers: HeaderMap) -> Value {
    let answer = send(
        client()
            .get(format!(
                "{}/Platform/User/GetMembershipsForCurrentUser/",
                sim.http_url()
            ))
            .header("x-api-key", sim.api_key())
            .headers(headers),
    )
    .await;
    let body: Value = answer.json().await.expect("an envelope");
    assert_eq!(body["ErrorCode"], 1, "{body}");
    body["Response"]["bungieNetUser"]["membershipId"].clone()
}

/// Steps 1 and 2 without credentials: returns (login page Location, JSESSIONID).
async fn reach_login_page(base: &str, bru: Option<&str>) -> (String, String) {
    let start = match bru {
        Some(bru) => client()
            .get(format!("{base}{SIGN_IN}"))
            .query(&[("bru", bru)]),
        None => client().get(format!("{base}{SIGN_IN}")),
    };
    let authorize = location(&send(start).await);
    let answer = send(client().get(on(base, &authorize))).await;
    let login_page = location(&answer);
    let session = set_cookie(&answer, "JSESSIONID").value;
    (login_page, session)
}

/// `POST /login.do` as the 2016 scripts did: params is the base64 of the login page's query.
async fn login(
    base: &str,
    login_page: &str,
    session: Option<&str>,
    user: &str,
    password: &str,
) -> Response {
    let query = Url::parse(login_page)
        .expect("a login URL")
        .query()
        .unwrap_or_default()
        .to_string();
    let mut request = client().post(format!("{base}/login.do")).form(&[
        ("j_username", user),
        ("j_password", password),
        ("params", &BASE64.encode(query)),
    ]);
    if let Some(session) = session {
        request = request.header(COOKIE, format!("JSESSIONID={session}"));
    }
    send(request).await
}

/// Signs in with the npsso cookie and returns the bungie.net `Cookie` header.
async fn sign_in_with_npsso(sim: &Sim, bru: Option<&str>) -> (String, Response) {
    let base = sim.http_url();
    let start = match bru {
        Some(bru) => client()
            .get(format!("{base}{SIGN_IN}"))
            .query(&[("bru", bru)]),
        None => client().get(format!("{base}{SIGN_IN}")),
    };
    let authorize = location(&send(start).await);
    let npsso = format!("npsso={}", account(sim).npsso);
    let back = location(&send(client().get(authorize).header(COOKIE, npsso)).await);
    let done = send(client().get(back)).await;
    assert_eq!(done.status(), StatusCode::OK);
    (bungie_cookies(&done, false), done)
}

#[tokio::test]
async fn psn_sign_in_walks_every_hop_and_leaves_a_working_session() {
    let sim = sim().await;
    let base = sim.http_url();
    let player = account(&sim);

    // 1. bungie.net sends the browser to Sony's authorize, with its redirect_uri and a state.
    let start = send(client().get(format!("{base}{SIGN_IN}"))).await;
    let authorize = location(&start);
    assert!(authorize.starts_with(&format!("{base}/2.0/oauth/authorize?")));
    assert_eq!(
        query_field(&authorize, "response_type").as_deref(),
        Some("code")
    );
    assert_eq!(query_field(&authorize, "scope").as_deref(), Some("psn:s2s"));
    assert_eq!(
        query_field(&authorize, "redirect_uri"),
        Some(format!("{base}{SIGN_IN}"))
    );
    assert!(query_field(&authorize, "client_id").is_some());
    let state = query_field(&authorize, "state").expect("a state");
    assert!(set_cookies(&start).is_empty());

    // 2. Sony sets JSESSIONID and shows its login page with the same query.
    let answer = send(client().get(&authorize)).await;
    let login_page = location(&answer);
    let authorize_query = Url::parse(&authorize)
        .expect("url")
        .query()
        .map(str::to_string);
    assert_eq!(
        login_page,
        format!(
            "{base}/login.jsp?{}",
            authorize_query.clone().expect("a query")
        )
    );
    let first = set_cookie(&answer, "JSESSIONID");
    assert_eq!(first.attribute("path"), Some("/"));
    assert!(first.has("httponly") && !first.has("domain") && !first.has("secure"));

    // 3. The login page is a form whose params is the base64 of its query.
    let form = html(send(client().get(&login_page)).await, StatusCode::OK).await;
    assert!(form.contains("action=\"/login.do\""));
    assert!(form.contains("name=\"j_username\"") && form.contains("name=\"j_password\""));
    let params = BASE64
        .decode(hidden_field(&form, "params"))
        .expect("params is base64");
    assert_eq!(String::from_utf8(params).ok(), authorize_query);
    assert!(!form.contains("not correct"));

    // 4. The right credentials: a new JSESSIONID and back to authorize.
    let answer = login(
        base,
        &login_page,
        Some(&first.value),
        &player.email,
        &player.password,
    )
    .await;
    assert_eq!(location(&answer), authorize);
    let signed_in = set_cookie(&answer, "JSESSIONID");
    assert_ne!(
        signed_in.value, first.value,
        "the login sets a new JSESSIONID"
    );
    assert!(signed_in.has("httponly"));

    // 5. Authorize with the new JSESSIONID: the grant code in a header and the redirect.
    let answer = send(
        client()
            .get(&authorize)
            .header(COOKIE, format!("JSESSIONID={}", signed_in.value)),
    )
    .await;
    let back = location(&answer);
    let grant = answer
        .headers()
        .get("x-np-grant-code")
        .and_then(|v| v.to_str().ok())
        .expect("X-NP-GRANT-CODE")
        .to_string();
    assert!(back.starts_with(&format!("{base}{SIGN_IN}?")));
    assert_eq!(query_field(&back, "code"), Some(grant));
    assert_eq!(query_field(&back, "state"), Some(state));

    // 6. bungie.net answers 200 with the three cookies on this same answer.
    let done = send(client().get(&back)).await;
    assert_eq!(done.status(), StatusCode::OK);
    let cookies = bungie_cookies(&done, false);
    let page = html(done, StatusCode::OK).await;
    assert!(page.contains("http-equiv=\"refresh\" content=\"0;url=/\""));
    assert_session_works(&sim, &cookies);
    assert_eq!(
        current_member(&sim, cookie_session_headers(&cookies)).await,
        player.bungie_membership_id.to_string()
    );

    // The home page knows who signed in.
    let home = html(
        send(client().get(format!("{base}/")).header(COOKIE, &cookies)).await,
        StatusCode::OK,
    )
    .await;
    assert!(home.contains(&format!("Signed in as {}#", player.display_name)));
}

#[tokio::test]
async fn the_return_path_is_carried_through_the_sign_in() {
    let sim = sim().await;
    let (_, done) = sign_in_with_npsso(&sim, Some("/en/Profile?tab=gear")).await;
    let page = html(done, StatusCode::OK).await;
    assert!(page.contains("content=\"0;url=/en/Profile?tab=gear\""));
    assert!(page.contains("href=\"/en/Profile?tab=gear\""));

    for foreign in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
    ] {
        let answer = send(
            client()
                .get(format!("{}{SIGN_IN}", sim.http_url()))
                .query(&[("bru", foreign)]),
        )
        .await;
        let page = html(answer, StatusCode::BAD_REQUEST).await;
        assert!(
            page.contains("is not a path on this site"),
            "{foreign}: {page}"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_goes_back_to_the_login_page_with_an_error() {
    let sim = sim().await;
    let base = sim.http_url();
    let player = account(&sim);
    let (login_page, session) = reach_login_page(base, None).await;
    let login_query = Url::parse(&login_page)
        .expect("url")
        .query()
        .map(str::to_string);

    let answer = login(
        base,
        &login_page,
        Some(&session),
        &player.email,
        "not-the-password",
    )
    .await;
    let retry = location(&answer);
    assert_eq!(
        retry,
        format!(
            "{base}/login.jsp?authentication_error=true&{}",
            login_query.clone().expect("query")
        )
    );
    assert!(
        set_cookies(&answer).is_empty(),
        "no cookies on a failed login"
    );

    let wrong_user = login(
        base,
        &login_page,
        Some(&session),
        "someone@example.com",
        &player.password,
    )
    .await;
    assert!(location(&wrong_user).contains("authentication_error=true"));

    // The retry page says why, and its params still decode to the authorize query.
    let form = html(send(client().get(&retry)).await, StatusCode::OK).await;
    assert!(form.contains("id=\"authentication-error\""));
    let params = BASE64
        .decode(hidden_field(&form, "params"))
        .expect("base64");
    assert_eq!(String::from_utf8(params).ok(), login_query);

    // A script that base64s the retry page's whole query still signs in, and lands on authorize.
    let answer = login(
        base,
        &retry,
        Some(&session),
        &player.email,
        &player.password,
    )
    .await;
    let authorize = location(&answer);
    assert!(!authorize.contains("authentication_error"));
    assert!(authorize.starts_with(&format!("{base}/2.0/oauth/authorize?")));
}

#[tokio::test]
async fn the_npsso_cookie_skips_the_login_page() {
    let sim = sim().await;
    let base = sim.http_url();
    let authorize = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);

    let npsso = format!("npsso={}", account(&sim).npsso);
    let answer = send(client().get(&authorize).header(COOKIE, npsso)).await;
    let back = location(&answer);
    assert!(back.starts_with(&format!("{base}{SIGN_IN}?code=")));
    assert!(answer.headers().contains_key("x-np-grant-code"));
    assert!(
        set_cookies(&answer).is_empty(),
        "no new Sony session is needed"
    );

    let done = send(client().get(&back)).await;
    let cookies = bungie_cookies(&done, false);
    assert_session_works(&sim, &cookies);

    // A stale npsso is not a sign-in: Sony shows its login page.
    let answer = send(
        client()
            .get(&authorize)
            .header(COOKIE, "npsso=expired-npsso"),
    )
    .await;
    assert!(location(&answer).starts_with(&format!("{base}/login.jsp?")));
    assert!(!answer.headers().contains_key("x-np-grant-code"));
}

#[tokio::test]
async fn captcha_mode_answers_a_challenge_instead_of_signing_in() {
    let sim = sim().await;
    let base = sim.http_url();
    let player = account(&sim);
    let (login_page, session) = reach_login_page(base, None).await;
    sim.state().lock().psn.set_captcha_required(true);

    let answer = login(
        base,
        &login_page,
        Some(&session),
        &player.email,
        &player.password,
    )
    .await;
    assert!(answer.headers().get(LOCATION).is_none());
    assert!(set_cookies(&answer).is_empty());
    let page = html(answer, StatusCode::OK).await;
    assert!(page.contains("captcha"));

    // The npsso cookie still works, as today's tools rely on.
    let (cookies, _) = sign_in_with_npsso(&sim, None).await;
    assert_session_works(&sim, &cookies);

    sim.state().lock().psn.set_captcha_required(false);
    let answer = login(
        base,
        &login_page,
        Some(&session),
        &player.email,
        &player.password,
    )
    .await;
    assert!(location(&answer).contains("/2.0/oauth/authorize?"));
}

#[tokio::test]
async fn login_without_a_good_session_or_params_says_what_went_wrong() {
    let sim = sim().await;
    let base = sim.http_url();
    let player = account(&sim);
    let (login_page, session) = reach_login_page(base, None).await;

    let missing = login(base, &login_page, None, &player.email, &player.password).await;
    assert!(set_cookies(&missing).is_empty());
    let page = html(missing, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("Your sign-in session has expired"));
    assert!(page.contains("did not send the JSESSIONID cookie"));
    assert!(page.contains(&format!("href=\"{base}{SIGN_IN}\"")));

    let unknown = login(
        base,
        &login_page,
        Some("made-up"),
        &player.email,
        &player.password,
    )
    .await;
    let page = html(unknown, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("not a sign-in session Sony knows"));

    let garbled = send(
        client()
            .post(format!("{base}/login.do"))
            .header(COOKIE, format!("JSESSIONID={session}"))
            .form(&[
                ("j_username", player.email.as_str()),
                ("j_password", player.password.as_str()),
                ("params", "not base64!"),
            ]),
    )
    .await;
    let page = html(garbled, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("params field must be the base64"));

    let wrong_client = send(
        client()
            .post(format!("{base}/login.do"))
            .header(COOKIE, format!("JSESSIONID={session}"))
            .form(&[
                ("j_username", player.email.as_str()),
                ("j_password", player.password.as_str()),
                (
                    "params",
                    &BASE64.encode("response_type=code&client_id=other"),
                ),
            ]),
    )
    .await;
    let page = html(wrong_client, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("client_id other is not a client Sony knows"));

    // A Sony session that waited over an hour is gone.
    sim.state().clock.advance(Duration::from_secs(3601));
    let late = login(
        base,
        &login_page,
        Some(&session),
        &player.email,
        &player.password,
    )
    .await;
    let page = html(late, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("waited over an hour"));
}

#[tokio::test]
async fn sony_authorize_refuses_what_bungie_net_did_not_register() {
    let sim = sim().await;
    let base = sim.http_url();
    let authorize = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);
    let mut url = Url::parse(&authorize).expect("url");
    let good: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let mut with = |name: &str, value: Option<&str>| {
        let mut pairs: Vec<(String, String)> =
            good.iter().filter(|(n, _)| n != name).cloned().collect();
        if let Some(value) = value {
            pairs.push((name.to_string(), value.to_string()));
        }
        url.query_pairs_mut().clear().extend_pairs(pairs);
        url.to_string()
    };
    let cases = [
        (
            with("client_id", Some("<script>x</script>")),
            "client_id &lt;script&gt;x&lt;/script&gt; is not a client",
        ),
        (with("client_id", None), "client_id is missing"),
        (
            with("response_type", Some("token")),
            "response_type must be code",
        ),
        (
            with("redirect_uri", Some("https://evil.example/steal")),
            "is not registered for this client",
        ),
        (
            with("redirect_uri", None),
            "is not registered for this client",
        ),
    ];
    for (bad, sentence) in cases {
        for path in ["/2.0/oauth/authorize", "/login.jsp"] {
            let target = bad.replacen("/2.0/oauth/authorize", path, 1);
            let answer = send(client().get(&target)).await;
            assert!(set_cookies(&answer).is_empty());
            let page = html(answer, StatusCode::BAD_REQUEST).await;
            assert!(page.contains(sentence), "{target}: {page}");
            assert!(!page.contains("<script>"));
        }
    }
}

#[tokio::test]
async fn psnid_refuses_unknown_reused_and_expired_codes() {
    let sim = sim().await;
    let base = sim.http_url();
    let authorize = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);
    let state = query_field(&authorize, "state").expect("state");
    let npsso = format!("npsso={}", account(&sim).npsso);

    let made_up = send(
        client()
            .get(format!("{base}{SIGN_IN}"))
            .query(&[("code", "made-up"), ("state", &state)]),
    )
    .await;
    assert!(set_cookies(&made_up).is_empty());
    let page = html(made_up, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("code is unknown or was already used"));

    let back = location(&send(client().get(&authorize).header(COOKIE, &npsso)).await);
    let first = send(client().get(&back)).await;
    bungie_cookies(&first, false);
    // The used code fails even with a fresh sign-in's state.
    let fresh = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);
    let code = query_field(&back, "code").expect("code");
    let fresh_state = query_field(&fresh, "state").expect("state");
    let again = send(
        client()
            .get(format!("{base}{SIGN_IN}"))
            .query(&[("code", &code), ("state", &fresh_state)]),
    )
    .await;
    assert!(set_cookies(&again).is_empty());
    let page = html(again, StatusCode::BAD_REQUEST).await;
    assert!(
        page.contains("code is unknown or was already used"),
        "{page}"
    );
    // And the used state fails with a fresh code.
    let fresh_back = location(&send(client().get(&fresh).header(COOKIE, &npsso)).await);
    let fresh_code = query_field(&fresh_back, "code").expect("code");
    let again = send(
        client()
            .get(format!("{base}{SIGN_IN}"))
            .query(&[("code", &fresh_code), ("state", &state)]),
    )
    .await;
    assert!(set_cookies(&again).is_empty());
    let page = html(again, StatusCode::BAD_REQUEST).await;
    assert!(
        page.contains("state is unknown or was already used"),
        "{page}"
    );

    // A code without the sign-in's state does not finish it.
    let authorize = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);
    let back = location(&send(client().get(&authorize).header(COOKIE, &npsso)).await);
    let code = query_field(&back, "code").expect("code");
    let stateless = send(
        client()
            .get(format!("{base}{SIGN_IN}"))
            .query(&[("code", &code)]),
    )
    .await;
    assert!(set_cookies(&stateless).is_empty());
    let page = html(stateless, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("without its state"));

    // Codes last five simulated minutes.
    let authorize = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);
    let back = location(&send(client().get(&authorize).header(COOKIE, &npsso)).await);
    sim.state().clock.advance(Duration::from_secs(301));
    let late = send(client().get(&back)).await;
    assert!(set_cookies(&late).is_empty());
    let page = html(late, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("has expired"));
}

#[tokio::test]
async fn over_https_every_cookie_is_secure() {
    let sim = sim_with(SimConfig {
        https: Some("127.0.0.1:0".parse().expect("an address")),
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await;
    let base = sim.https_url().expect("an HTTPS listener");
    let player = account(&sim);
    let authorize = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);
    assert!(authorize.starts_with(&format!("{base}/2.0/oauth/authorize?")));
    assert_eq!(
        query_field(&authorize, "redirect_uri"),
        Some(format!("{base}{SIGN_IN}"))
    );

    let answer = send(client().get(&authorize)).await;
    let login_page = location(&answer);
    let first = set_cookie(&answer, "JSESSIONID");
    assert!(first.has("secure") && first.has("httponly"));

    let answer = login(
        base,
        &login_page,
        Some(&first.value),
        &player.email,
        &player.password,
    )
    .await;
    let signed_in = set_cookie(&answer, "JSESSIONID");
    assert!(signed_in.has("secure"));
    let answer = send(
        client()
            .get(location(&answer))
            .header(COOKIE, format!("JSESSIONID={}", signed_in.value)),
    )
    .await;
    let done = send(client().get(location(&answer))).await;
    let cookies = bungie_cookies(&done, true);
    assert_session_works(&sim, &cookies);
}

#[tokio::test]
async fn configured_origins_are_written_into_every_redirect() {
    let bungie = "https://www.bungie.net";
    let psn = "https://auth.api.sonyentertainmentnetwork.com";
    let sim = sim_with(SimConfig {
        bungie_origin: Some(bungie.to_string()),
        psn_origin: Some(psn.to_string()),
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await;
    let base = sim.http_url();
    let player = account(&sim);

    let authorize = location(&send(client().get(format!("{base}{SIGN_IN}"))).await);
    assert!(authorize.starts_with(&format!("{psn}/2.0/oauth/authorize?")));
    assert_eq!(
        query_field(&authorize, "redirect_uri"),
        Some(format!("{bungie}{SIGN_IN}"))
    );

    let answer = send(client().get(on(base, &authorize))).await;
    let login_page = location(&answer);
    assert!(login_page.starts_with(&format!("{psn}/login.jsp?")));
    let session = set_cookie(&answer, "JSESSIONID").value;

    let answer = login(base, &login_page, Some(&session), &player.email, "wrong").await;
    assert!(location(&answer).starts_with(&format!("{psn}/login.jsp?authentication_error=true&")));

    let answer = login(
        base,
        &login_page,
        Some(&session),
        &player.email,
        &player.password,
    )
    .await;
    let again = location(&answer);
    assert!(again.starts_with(&format!("{psn}/2.0/oauth/authorize?")));
    let signed_in = set_cookie(&answer, "JSESSIONID").value;

    let answer = send(
        client()
            .get(on(base, &again))
            .header(COOKIE, format!("JSESSIONID={signed_in}")),
    )
    .await;
    let back = location(&answer);
    assert!(back.starts_with(&format!("{bungie}{SIGN_IN}?code=")));

    // Cookies follow the scheme the request came in on, not the configured origin.
    let done = send(client().get(on(base, &back))).await;
    let cookies = bungie_cookies(&done, false);
    assert_session_works(&sim, &cookies);

    let out = send(
        client()
            .get(format!("{base}/en/User/SignOut"))
            .header(COOKIE, &cookies),
    )
    .await;
    assert_eq!(location(&out), format!("{bungie}/"));
}

#[tokio::test]
async fn the_home_page_offers_sign_in_and_sign_out_ends_the_session() {
    let sim = sim().await;
    let base = sim.http_url();
    let signed_out = html(send(client().get(format!("{base}/"))).await, StatusCode::OK).await;
    assert!(signed_out.contains(&format!("href=\"{SIGN_IN}\"")));
    assert!(signed_out.contains("Sign in with PlayStation"));

    let (cookies, _) = sign_in_with_npsso(&sim, None).await;
    let out = send(
        client()
            .get(format!("{base}/en/User/SignOut"))
            .header(COOKIE, &cookies),
    )
    .await;
    assert_eq!(location(&out), format!("{base}/"));
    for cookie in set_cookies(&out) {
        assert_eq!(
            cookie.attribute("max-age"),
            Some("0"),
            "{} is deleted",
            cookie.name
        );
    }
    assert_eq!(set_cookies(&out).len(), 3);

    let home = html(
        send(client().get(format!("{base}/")).header(COOKIE, &cookies)).await,
        StatusCode::OK,
    )
    .await;
    assert!(home.contains("You are not signed in"));
}

// ---- OAuth ----

const CONFIDENTIAL: &str = "1001";
const SECRET: &str = "s3cret";
const CONFIDENTIAL_REDIRECT: &str = "https://app.example/callback";
const PUBLIC: &str = "1002";
const PUBLIC_REDIRECT: &str = "https://public.example/cb?from=sim";

async fn oauth_sim() -> Sim {
    sim_with(SimConfig {
        throttle: ThrottleMode::Off,
        oauth_clients: vec![
            format!("{CONFIDENTIAL}:{SECRET}:{CONFIDENTIAL_REDIRECT}")
                .parse()
                .expect("a client"),
            format!("{PUBLIC}::{PUBLIC_REDIRECT}")
                .parse()
                .expect("a client"),
        ],
        ..SimConfig::default()
    })
    .await
}

/// Approves `client_id` as the signed-in player and returns the redirect's code.
async fn approve(sim: &Sim, cookies: &str, client_id: &str) -> String {
    let answer = send(
        client()
            .post(format!("{}/en/OAuth/Authorize", sim.http_url()))
            .header(COOKIE, cookies)
            .form(&[("client_id", client_id), ("state", "s-1")]),
    )
    .await;
    query_field(&location(&answer), "code").expect("a code")
}

/// POSTs a form to the token endpoint; returns the status and the JSON answer.
async fn token(
    sim: &Sim,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut request = client()
        .post(format!("{}/Platform/App/OAuth/token/", sim.http_url()))
        .form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let answer = send(request).await;
    let status = answer.status();
    (status, answer.json().await.expect("a JSON answer"))
}

fn assert_token_error(answer: &(StatusCode, Value), error: &str) {
    assert_eq!(answer.0, StatusCode::BAD_REQUEST, "{answer:?}");
    assert_eq!(answer.1["error"], error, "{answer:?}");
    assert!(
        answer.1["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{answer:?}"
    );
}

/// The member a bearer token stands for, through `authenticate`.
fn bearer_member(sim: &Sim, access_token: &str) -> Result<i64, i32> {
    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {access_token}")).expect("header"),
    );
    authenticate(&sim.state().lock(), &headers, sim.state().now())
        .map(|caller| {
            assert_eq!(caller.kind, AuthKind::Bearer);
            caller.bungie_membership_id
        })
        .map_err(|error| error.code.code)
}

#[tokio::test]
async fn oauth_authorize_refuses_unknown_clients_and_bad_parameters() {
    let sim = oauth_sim().await;
    let authorize = format!("{}/en/OAuth/Authorize", sim.http_url());
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("response_type", "code")], "client_id is missing"),
        (
            &[("client_id", "9999"), ("response_type", "code")],
            "client_id 9999 is not a registered",
        ),
        (
            &[("client_id", CONFIDENTIAL), ("response_type", "token")],
            "response_type must be code",
        ),
        (
            &[
                ("client_id", CONFIDENTIAL),
                ("response_type", "code"),
                ("redirect_uri", "https://evil.example/"),
            ],
            "is not the one registered",
        ),
    ];
    for (query, sentence) in cases {
        let page = html(
            send(client().get(&authorize).query(query)).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert!(page.contains(sentence), "{query:?}: {page}");
    }
    let unknown = send(client().post(&authorize).form(&[("client_id", "9999")])).await;
    html(unknown, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn oauth_authorize_asks_to_sign_in_then_to_approve() {
    let sim = oauth_sim().await;
    let base = sim.http_url();
    let authorize_path =
        format!("/en/OAuth/Authorize?client_id={CONFIDENTIAL}&response_type=code&state=xyz%26more");

    // Signed out: a link to the PSN sign-in that comes back here.
    let page = html(
        send(client().get(format!("{base}{authorize_path}"))).await,
        StatusCode::OK,
    )
    .await;
    let href = {
        let marker = "<p id=\"sign-in\"><a href=\"";
        let start = page.find(marker).expect("a sign-in link") + marker.len();
        let end = page[start..].find('"').expect("quoted") + start;
        page[start..end].replace("&amp;", "&")
    };
    assert!(href.starts_with(&format!("{SIGN_IN}?bru=")));
    let bru = query_field(&format!("{base}{href}"), "bru").expect("a bru");
    assert_eq!(bru, authorize_path);

    // Signing in through that link sends the browser back to the authorize page.
    let (cookies, done) = sign_in_with_npsso(&sim, Some(&bru)).await;
    let forward = html(done, StatusCode::OK).await;
    assert!(forward.contains(&format!(
        "content=\"0;url={}\"",
        authorize_path.replace('&', "&amp;")
    )));

    // Signed in: the approval form.
    let approval = html(
        send(
            client()
                .get(format!("{base}{authorize_path}"))
                .header(COOKIE, &cookies),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(approval.contains("method=\"post\" action=\"/en/OAuth/Authorize\""));
    assert_eq!(hidden_field(&approval, "client_id"), CONFIDENTIAL);
    assert_eq!(
        hidden_field(&approval, "redirect_uri"),
        CONFIDENTIAL_REDIRECT
    );
    assert_eq!(hidden_field(&approval, "state"), "xyz&amp;more");
    assert!(approval.contains("Approve"));

    // Approving needs the session.
    let form = [
        ("client_id", CONFIDENTIAL),
        ("redirect_uri", CONFIDENTIAL_REDIRECT),
        ("state", "xyz&more"),
    ];
    let anonymous = send(
        client()
            .post(format!("{base}/en/OAuth/Authorize"))
            .form(&form),
    )
    .await;
    let page = html(anonymous, StatusCode::UNAUTHORIZED).await;
    assert!(page.contains("not signed in"));

    let approved = send(
        client()
            .post(format!("{base}/en/OAuth/Authorize"))
            .header(COOKIE, &cookies)
            .form(&form),
    )
    .await;
    let redirect = location(&approved);
    assert!(redirect.starts_with(&format!("{CONFIDENTIAL_REDIRECT}?code=")));
    assert_eq!(query_field(&redirect, "state").as_deref(), Some("xyz&more"));

    // A registered redirect keeps its own query.
    let public = send(
        client()
            .post(format!("{base}/en/OAuth/Authorize"))
            .header(COOKIE, &cookies)
            .form(&[("client_id", PUBLIC)]),
    )
    .await;
    assert!(location(&public).starts_with(&format!("{PUBLIC_REDIRECT}&code=")));
}

#[tokio::test]
async fn a_confidential_client_exchanges_a_code_and_refreshes() {
    let sim = oauth_sim().await;
    let member = account(&sim).bungie_membership_id;
    let (cookies, _) = sign_in_with_npsso(&sim, None).await;
    let code = approve(&sim, &cookies, CONFIDENTIAL).await;

    let (status, first) = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "authorization_code"), ("code", &code)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["token_type"], "Bearer");
    assert_eq!(first["expires_in"], 3600);
    assert_eq!(first["membership_id"], member.to_string());
    assert_eq!(first["refresh_expires_in"], 7_776_000);
    let access = first["access_token"].as_str().expect("an access token");
    let refresh = first["refresh_token"].as_str().expect("a refresh token");
    assert_eq!(bearer_member(&sim, access), Ok(member));
    let mut bearer = HeaderMap::new();
    bearer.insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {access}")).expect("header"),
    );
    assert_eq!(current_member(&sim, bearer).await, member.to_string());

    // The code works once.
    let reused = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "authorization_code"), ("code", &code)],
    )
    .await;
    assert_token_error(&reused, "invalid_grant");

    // Refreshing gives a new pair and revokes the old refresh token.
    let (status, second) = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_ne!(second["access_token"], first["access_token"]);
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(
        bearer_member(&sim, second["access_token"].as_str().expect("token")),
        Ok(member)
    );
    let old = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_token_error(&old, "invalid_grant");
}

#[tokio::test]
async fn client_credentials_may_come_as_form_fields_and_must_be_right() {
    let sim = oauth_sim().await;
    let (cookies, _) = sign_in_with_npsso(&sim, None).await;
    let code = approve(&sim, &cookies, CONFIDENTIAL).await;
    let exchange = |id: &'static str, secret: &'static str, code: String| {
        let sim = &sim;
        async move {
            token(
                sim,
                None,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("client_id", id),
                    ("client_secret", secret),
                ],
            )
            .await
        }
    };

    assert_token_error(
        &exchange(CONFIDENTIAL, "wrong", code.clone()).await,
        "invalid_client",
    );
    assert_token_error(
        &exchange("9999", SECRET, code.clone()).await,
        "invalid_client",
    );
    assert_token_error(
        &token(
            &sim,
            Some((CONFIDENTIAL, "wrong")),
            &[("grant_type", "authorization_code"), ("code", &code)],
        )
        .await,
        "invalid_client",
    );
    assert_token_error(
        &token(
            &sim,
            None,
            &[("grant_type", "authorization_code"), ("code", &code)],
        )
        .await,
        "invalid_client",
    );
    // A refused client does not use up the code.
    let (status, answer) = exchange(CONFIDENTIAL, SECRET, code).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer["refresh_token"].is_string());
}

#[tokio::test]
async fn a_public_client_gets_no_refresh_token() {
    let sim = oauth_sim().await;
    let (cookies, _) = sign_in_with_npsso(&sim, None).await;
    let code = approve(&sim, &cookies, PUBLIC).await;

    // A public client has no secret to send.
    assert_token_error(
        &token(
            &sim,
            Some((PUBLIC, "guess")),
            &[("grant_type", "authorization_code"), ("code", &code)],
        )
        .await,
        "invalid_client",
    );
    let (status, answer) = token(
        &sim,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", PUBLIC),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer["access_token"].is_string());
    assert!(answer.get("refresh_token").is_none(), "{answer}");
    assert!(answer.get("refresh_expires_in").is_none(), "{answer}");

    let refresh = token(
        &sim,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "anything"),
            ("client_id", PUBLIC),
        ],
    )
    .await;
    assert_token_error(&refresh, "invalid_grant");
}

#[tokio::test]
async fn codes_belong_to_their_client_and_expire_after_five_minutes() {
    let sim = oauth_sim().await;
    let (cookies, _) = sign_in_with_npsso(&sim, None).await;

    let public_code = approve(&sim, &cookies, PUBLIC).await;
    let stolen = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "authorization_code"), ("code", &public_code)],
    )
    .await;
    assert_token_error(&stolen, "invalid_grant");
    assert!(
        stolen.1["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("another client"))
    );

    let code = approve(&sim, &cookies, CONFIDENTIAL).await;
    sim.state().clock.advance(Duration::from_secs(301));
    let late = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "authorization_code"), ("code", &code)],
    )
    .await;
    assert_token_error(&late, "invalid_grant");
    assert!(
        late.1["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("expired"))
    );
}

#[tokio::test]
async fn access_tokens_expire_after_an_hour_and_unknown_ones_are_refused() {
    let sim = oauth_sim().await;
    let member = account(&sim).bungie_membership_id;
    let (cookies, _) = sign_in_with_npsso(&sim, None).await;
    let code = approve(&sim, &cookies, CONFIDENTIAL).await;
    let (_, answer) = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "authorization_code"), ("code", &code)],
    )
    .await;
    let access = answer["access_token"].as_str().expect("a token");
    let refresh = answer["refresh_token"].as_str().expect("a refresh token");

    let now = sim.state().now();
    let oauth_member = sim
        .state()
        .lock()
        .oauth
        .member_for_access_token(access, now);
    assert_eq!(oauth_member, Ok(member));

    let unknown = sim
        .state()
        .lock()
        .oauth
        .member_for_access_token("made-up", now)
        .expect_err("an unknown token is refused");
    assert_eq!(unknown.code.code, 99);
    assert!(unknown.message.contains("/en/OAuth/Authorize"));

    sim.state().clock.advance(Duration::from_secs(3601));
    let now = sim.state().now();
    let expired = sim
        .state()
        .lock()
        .oauth
        .member_for_access_token(access, now)
        .expect_err("an expired token is refused");
    assert_eq!(expired.code.code, 2111);
    assert_eq!(expired.code.name, "AccessTokenHasExpired");
    assert!(expired.message.contains("refresh_token"));
    assert_eq!(bearer_member(&sim, access), Err(2111));

    // The refresh token outlives the access token.
    let (status, fresh) = token(
        &sim,
        Some((CONFIDENTIAL, SECRET)),
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    assert_eq!(
        bearer_member(&sim, fresh["access_token"].as_str().expect("token")),
        Ok(member)
    );
}

#[tokio::test]
async fn the_token_endpoint_explains_malformed_requests() {
    let sim = oauth_sim().await;
    let basic = Some((CONFIDENTIAL, SECRET));
    assert_token_error(
        &token(&sim, basic, &[("code", "x")]).await,
        "invalid_request",
    );
    assert_token_error(
        &token(
            &sim,
            basic,
            &[("grant_type", "password"), ("username", "a")],
        )
        .await,
        "unsupported_grant_type",
    );
    assert_token_error(
        &token(&sim, basic, &[("grant_type", "authorization_code")]).await,
        "invalid_request",
    );
    assert_token_error(
        &token(&sim, basic, &[("grant_type", "refresh_token")]).await,
        "invalid_request",
    );
    let garbled = send(
        client()
            .post(format!("{}/Platform/App/OAuth/token/", sim.http_url()))
            .header("authorization", "Basic !!!")
            .form(&[("grant_type", "authorization_code"), ("code", "x")]),
    )
    .await;
    assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);
    let body: Value = garbled.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_client");
}
