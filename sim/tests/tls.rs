//! `--https`: the self-signed certificate is valid for the real host names, so a client mapped
//! to the simulator can verify it as www.bungie.net and as Sony's sign-in host.

mod support;

use std::net::SocketAddr;

use courier_sim::{SimConfig, ThrottleMode};

#[tokio::test]
async fn the_certificate_names_the_real_hosts() {
    let sim = support::sim_with(SimConfig {
        https: Some("127.0.0.1:0".parse().expect("address")),
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await;
    let https = sim.https_url().expect("an HTTPS listener");
    let addr: SocketAddr = https
        .trim_start_matches("https://")
        .parse()
        .expect("ip:port");
    let pem = sim.certificate_pem().expect("the certificate");
    support::client(); // installs the crypto provider
    for host in [
        "www.bungie.net",
        "auth.api.sonyentertainmentnetwork.com",
        "localhost",
    ] {
        let client = reqwest::Client::builder()
            .tls_certs_only([
                reqwest::Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate")
            ])
            .resolve(host, addr)
            .build()
            .expect("a verifying client");
        let answer = client
            .get(format!(
                "https://{host}:{}/Platform/Destiny2/Manifest/",
                addr.port()
            ))
            .header("x-api-key", sim.api_key())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{host} verifies: {e:?}"));
        assert_eq!(answer.status().as_u16(), 200, "{host}");
    }
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(pem.as_bytes()).expect("PEM")])
        .resolve("example.com", addr)
        .build()
        .expect("client");
    let wrong = client
        .get(format!("https://example.com:{}/", addr.port()))
        .send()
        .await;
    assert!(
        wrong.is_err(),
        "a name the certificate does not carry fails verification"
    );
}
