//! How a simulator is set up: listeners, API key, world, origins, latency, faults, throttles and
//! OAuth clients. Parsed from the command line by `main.rs`, built directly by Rust tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;

/// Everything that configures one simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Plain HTTP listener (`127.0.0.1:0` picks a free port).
    pub http: Option<SocketAddr>,
    /// HTTPS listener with a self-signed certificate.
    pub https: Option<SocketAddr>,
    /// The one API key the simulator accepts.
    pub api_key: String,
    /// Which account to simulate.
    pub world: WorldSource,
    /// The origin written into bungie.net redirects; by default the origin the request came in on.
    pub bungie_origin: Option<String>,
    /// The origin written into Sony redirects; by default the origin the request came in on.
    pub psn_origin: Option<String>,
    /// The seed for the demo world and for random faults.
    pub seed: u64,
    /// Added before every answer.
    pub latency: Duration,
    /// Random faults to inject.
    pub faults: FaultRates,
    /// Whether bungie.net's action throttles apply.
    pub throttle: ThrottleMode,
    /// OAuth clients that may use the authorization code flow.
    pub oauth_clients: Vec<OAuthClient>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            http: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
            https: None,
            api_key: DEFAULT_API_KEY.to_string(),
            world: WorldSource::Demo,
            bungie_origin: None,
            psn_origin: None,
            seed: 0,
            latency: Duration::ZERO,
            faults: FaultRates::default(),
            throttle: ThrottleMode::Strict,
            oauth_clients: Vec::new(),
        }
    }
}

/// The API key of the sandbox.
pub const DEFAULT_API_KEY: &str = "sandbox-api-key";

/// Where the simulated account comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorldSource {
    /// The generated demo world (deterministic for a seed).
    Demo,
    /// A saved GetProfile envelope.
    File(PathBuf),
}

impl FromStr for WorldSource {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(if text == "demo" {
            Self::Demo
        } else {
            Self::File(PathBuf::from(text))
        })
    }
}

/// Whether bungie.net's action throttles apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThrottleMode {
    /// Per-user, per-endpoint spacing and one action in flight per account, as documented.
    Strict,
    /// No throttling (for tests that are not about it).
    Off,
}

/// A kind of fault the simulator can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// ErrorCode 36 ThrottleLimitExceededMomentarily with ThrottleSeconds.
    Throttle,
    /// ErrorCode 1672 DestinyThrottledByGameServer (HTTP 503).
    GameServerThrottle,
    /// An HTTP 500 envelope with ErrorCode 1618 DestinyUnexpectedError.
    ServerError,
    /// An HTML outage page instead of JSON (HTTP 503).
    Html,
    /// The connection closes without an answer.
    Drop,
    /// GetProfile answers an older copy of the account, as bungie.net's cache does.
    Stale,
}

impl FaultKind {
    /// Every kind, in the order the spec names them.
    pub const ALL: [FaultKind; 6] = [
        FaultKind::Throttle,
        FaultKind::GameServerThrottle,
        FaultKind::ServerError,
        FaultKind::Html,
        FaultKind::Drop,
        FaultKind::Stale,
    ];

    /// The name used in `--faults` and the control API.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Throttle => "throttle",
            FaultKind::GameServerThrottle => "game_server_throttle",
            FaultKind::ServerError => "server_error",
            FaultKind::Html => "html",
            FaultKind::Drop => "drop",
            FaultKind::Stale => "stale",
        }
    }
}

impl FromStr for FaultKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "unknown fault kind {text:?}; known kinds: {}",
                    names.join(", ")
                )
            })
    }
}

/// Random fault rates, each the chance in [0, 1] that a request gets that fault.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultRates {
    /// (kind, rate) pairs, each kind at most once.
    pub rates: Vec<(FaultKind, f64)>,
}

impl FromStr for FaultRates {
    type Err = String;

    /// Parses `kind=rate,kind=rate`, e.g. `throttle=0.05,html=0.01`; `none` or empty is no faults.
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut rates = Vec::new();
        for part in spec
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty() && *p != "none")
        {
            let (name, rate) = part
                .split_once('=')
                .ok_or_else(|| format!("fault {part:?} needs a rate, like {part}=0.05"))?;
            let kind: FaultKind = name.trim().parse()?;
            let rate: f64 = rate
                .trim()
                .parse()
                .map_err(|_| format!("fault rate {rate:?} for {name} is not a number"))?;
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "fault rate {rate} for {name} must be between 0 and 1"
                ));
            }
            if rates.iter().any(|(k, _)| *k == kind) {
                return Err(format!("fault {name} is given twice"));
            }
            rates.push((kind, rate));
        }
        Ok(Self { rates })
    }
}

/// An OAuth client registered with the simulated bungie.net.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    /// The client id.
    pub id: String,
    /// The client secret; empty for a public client (which gets no refresh token).
    pub secret: String,
    /// The one redirect URL registered for it.
    pub redirect: String,
}

impl FromStr for OAuthClient {
    type Err = String;

    /// Parses `ID:SECRET:REDIRECT` (the redirect may contain colons; SECRET may be empty).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(id), Some(secret), Some(redirect)) if !id.is_empty() && !redirect.is_empty() => {
                Ok(Self {
                    id: id.to_string(),
                    secret: secret.to_string(),
                    redirect: redirect.to_string(),
                })
            }
            _ => Err(format!(
                "OAuth client {text:?} must look like ID:SECRET:REDIRECT, e.g. 1234:s3cret:https://app.example/cb"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_spec_parses_rates_and_rejects_nonsense() {
        let rates: FaultRates = "throttle=0.1, html=0.02".parse().expect("valid spec");
        assert_eq!(
            rates.rates,
            vec![(FaultKind::Throttle, 0.1), (FaultKind::Html, 0.02)]
        );
        assert!("none".parse::<FaultRates>().expect("none").rates.is_empty());
        assert!("throttle".parse::<FaultRates>().is_err());
        assert!("throttle=2".parse::<FaultRates>().is_err());
        assert!(
            "bogus=0.1"
                .parse::<FaultRates>()
                .expect_err("unknown kind")
                .contains("known kinds")
        );
        assert!("html=0.1,html=0.2".parse::<FaultRates>().is_err());
    }

    #[test]
    fn oauth_client_keeps_colons_in_the_redirect() {
        let client: OAuthClient = "42::https://x.example:8443/cb".parse().expect("valid");
        assert_eq!(client.id, "42");
        assert_eq!(client.secret, "");
        assert_eq!(client.redirect, "https://x.example:8443/cb");
        assert!("42".parse::<OAuthClient>().is_err());
    }
}
