//! A minimal HTTP GET over a plain TCP socket, enough to smoke-test the local simulator.
//!
//! It speaks HTTP/1.0 so the server answers with a plain body (never chunked) and closes the
//! connection when done; only `http://` origins are supported.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// How long connecting, sending and reading may each take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// An HTTP answer: status code and body text.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status code, e.g. 200.
    pub status: u16,
    /// The body, decoded as UTF-8 (invalid bytes replaced).
    pub body: String,
}

/// GETs `path` from the `http://host:port` `origin` with extra `headers`.
pub fn get(origin: &str, path: &str, headers: &[(&str, &str)]) -> Result<Answer> {
    let authority = authority(origin)?;
    let address = authority
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {authority}"))?
        .next()
        .with_context(|| format!("{authority} resolves to no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT)
        .with_context(|| format!("cannot connect to {origin}"))?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let mut request = format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .with_context(|| format!("cannot send the request to {origin}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .with_context(|| format!("no complete answer from {origin}{path}"))?;
    parse_answer(&raw)
}

/// The `host:port` of an `http://host:port` origin (a trailing path is ignored).
fn authority(origin: &str) -> Result<&str> {
    let Some(rest) = origin.strip_prefix("http://") else {
        bail!("{origin:?} is not an http:// origin");
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.is_empty() {
        bail!("{origin:?} has no host");
    }
    Ok(authority)
}

/// Splits a raw HTTP/1.x answer into status code and body.
fn parse_answer(raw: &[u8]) -> Result<Answer> {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        bail!(
            "the answer has no end of headers: {:?}",
            truncate(&text, 200)
        );
    };
    let status_line = head.lines().next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("the answer has no valid status line: {status_line:?}"))?;
    Ok(Answer {
        status,
        body: body.to_owned(),
    })
}

/// At most `limit` characters of `text`, marked when cut.
pub fn truncate(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}... ({} bytes in all)", &text[..cut], text.len()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::thread;

    use super::*;

    #[test]
    fn the_authority_is_host_and_port_only() {
        assert_eq!(
            authority("http://127.0.0.1:41234").expect("valid"),
            "127.0.0.1:41234"
        );
        assert_eq!(
            authority("http://localhost:8/x/y").expect("valid"),
            "localhost:8"
        );
        assert!(
            authority("https://127.0.0.1:1").is_err(),
            "TLS is not spoken here"
        );
        assert!(authority("http://").is_err());
    }

    #[test]
    fn an_answer_splits_into_status_and_body() {
        let raw = b"HTTP/1.0 404 Not Found\r\ncontent-type: text/plain\r\n\r\nno\r\n\r\nsuch";
        assert_eq!(
            parse_answer(raw).expect("valid answer"),
            Answer {
                status: 404,
                body: "no\r\n\r\nsuch".to_owned()
            }
        );
        assert!(
            parse_answer(b"HTTP/1.0 200 OK\r\n").is_err(),
            "headers never end"
        );
        assert!(parse_answer(b"garbage\r\n\r\n").is_err(), "no status code");
    }

    #[test]
    fn long_text_is_cut_and_says_so() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdef", 3), "abc... (6 bytes in all)");
    }

    #[test]
    fn get_sends_the_headers_and_reads_the_body() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let origin = format!("http://{}", listener.local_addr().expect("bound address"));
        let server = thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("one connection");
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") {
                stream.read_exact(&mut byte).expect("request bytes");
                request.push(byte[0]);
            }
            stream
                .write_all(b"HTTP/1.0 200 OK\r\n\r\n{\"ErrorCode\":1}")
                .expect("answer");
            String::from_utf8(request).expect("ASCII request")
        });
        let answer = get(
            &origin,
            "/Platform/Destiny2/Manifest/",
            &[("X-API-Key", "k")],
        )
        .expect("the local server answers");
        let request = server.join().expect("server thread");
        assert!(
            request.starts_with("GET /Platform/Destiny2/Manifest/ HTTP/1.0\r\n"),
            "{request}"
        );
        assert!(request.contains("\r\nX-API-Key: k\r\n"), "{request}");
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, "{\"ErrorCode\":1}");
    }
}
