//! Mailing the digest through SMTP (lettre, rustls): an HTML message with a plain-text
//! alternative. `smtps://` is TLS from the first byte; `smtp://` to another machine always
//! upgrades with STARTTLS (or fails); plain `smtp://` only to this machine. A user and password
//! may come in the URL; no message here ever repeats the URL.

use std::net::IpAddr;

use anyhow::Context as _;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use url::Url;

/// Where and how to mail.
pub struct Mail {
    to: Mailbox,
    from: Mailbox,
    /// `host:port`, for messages (the URL may hold a password).
    server: String,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Mail {
    /// Checks the addresses and the SMTP URL, without connecting yet.
    pub fn new(to: &str, from: &str, smtp: &str) -> anyhow::Result<Self> {
        let to: Mailbox = to
            .parse()
            .with_context(|| format!("--email {to:?} is not an email address"))?;
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("--from {from:?} is not an email address"))?;
        let url = smtp_url(smtp)?;
        let server = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port()
                .map_or_else(|| "default port".to_string(), |p| p.to_string())
        );
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())
            .map_err(|error| anyhow::anyhow!("--smtp cannot be used: {error}"))?
            .build();
        Ok(Self {
            to,
            from,
            server,
            transport,
        })
    }

    /// The recipient.
    pub fn to(&self) -> &Mailbox {
        &self.to
    }

    /// Sends one message: `html`, with `text` as its plain-text alternative.
    pub async fn send(&self, subject: &str, text: &str, html: &str) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(self.to.clone())
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(
                text.to_string(),
                html.to_string(),
            ))
            .context("the mail could not be put together")?;
        self.transport.send(message).await.with_context(|| {
            format!(
                "the SMTP server {} did not take the mail; check --smtp",
                self.server
            )
        })?;
        Ok(())
    }
}

/// The SMTP URL with the TLS rules applied: `smtps://` as is; `smtp://` to this machine as is
/// (plain unless it asks for `?tls=`); `smtp://` elsewhere with `tls=required` (STARTTLS).
fn smtp_url(text: &str) -> anyhow::Result<Url> {
    let hint = "write smtps://host[:port] or smtp://host[:port]";
    let mut url = Url::parse(text)
        .map_err(|error| anyhow::anyhow!("--smtp is not a URL ({error}); {hint}"))?;
    let host = url
        .host_str()
        .filter(|host| !host.is_empty())
        .map(str::to_string)
        .with_context(|| format!("--smtp names no host; {hint}"))?;
    match url.scheme() {
        "smtps" => {}
        "smtp" if is_loopback(&host) => {}
        "smtp" => {
            let others: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(name, _)| name != "tls")
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(others)
                .append_pair("tls", "required");
        }
        other => anyhow::bail!("--smtp starts with {other}://; {hint}"),
    }
    Ok(url)
}

/// Whether an SMTP host is this machine: 127.0.0.0/8, `::1` or `localhost`.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().map_or_else(
        |_| bare.eq_ignore_ascii_case("localhost"),
        |ip| ip.is_loopback(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls(url: &Url) -> Option<String> {
        url.query_pairs()
            .find(|(name, _)| name == "tls")
            .map(|(_, value)| value.into_owned())
    }

    #[test]
    fn plain_smtp_stays_plain_only_on_this_machine() {
        for local in [
            "smtp://127.0.0.1:2525",
            "smtp://localhost:25",
            "smtp://[::1]:2525",
        ] {
            let url = smtp_url(local).expect(local);
            assert_eq!(tls(&url), None, "{local}");
        }
        for remote in [
            "smtp://mail.example.com:587",
            "smtp://10.0.0.2:25",
            "smtp://mail.example.com?tls=opportunistic",
        ] {
            let url = smtp_url(remote).expect(remote);
            assert_eq!(tls(&url).as_deref(), Some("required"), "{remote}");
        }
        let implicit = smtp_url("smtps://mail.example.com").expect("smtps");
        assert_eq!((implicit.scheme(), tls(&implicit)), ("smtps", None));
    }

    #[test]
    fn other_urls_are_refused_without_repeating_a_password() {
        for bad in [
            "https://user:hunter2@mail.example.com",
            "smtp://user:hunter2@",
            "user:hunter2 mail.example.com",
        ] {
            let error = smtp_url(bad).expect_err(bad).to_string();
            assert!(error.contains("--smtp"), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
    }

    #[test]
    fn addresses_are_checked_before_anything_is_sent() {
        let error = Mail::new(
            "not an address",
            "courier@example.com",
            "smtp://127.0.0.1:25",
        )
        .err()
        .expect("a bad recipient")
        .to_string();
        assert!(error.contains("--email"), "{error}");
        assert!(Mail::new("a@example.com", "b@example.com", "smtps://mail.example.com").is_ok());
    }
}
