//! The `courier-sim serve` binary: one JSON ready line on stdout, logs on stderr, flags honoured.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running `courier-sim serve` that is killed when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with these arguments after `serve` and reads its ready line.
fn serve(args: &[&str]) -> (Served, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_courier-sim"))
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("courier-sim starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a ready line");
    let ready: Value = serde_json::from_str(&line).expect("the ready line is JSON");
    (Served(child), ready)
}

/// A plain HTTP/1.1 GET with an API key, answered as text.
fn http_get(base: &str, path: &str, api_key: &str) -> String {
    let authority = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(authority).expect("connects");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nX-API-Key: {api_key}\r\nConnection: close\r\n\r\n"
    );
    std::io::Write::write_all(&mut stream, request.as_bytes()).expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    answer
}

#[test]
fn serve_prints_one_ready_line_with_its_addresses() {
    let (_served, ready) = serve(&["--https", "127.0.0.1:0", "--api-key", "k3y", "--seed", "4"]);
    let http = ready["http"].as_str().expect("an http URL");
    assert!(http.starts_with("http://127.0.0.1:"));
    assert!(
        ready["https"]
            .as_str()
            .expect("an https URL")
            .starts_with("https://127.0.0.1:")
    );
    assert_eq!(ready["api_key"], "k3y");
    let answer = http_get(http, "/Platform/Destiny2/Manifest/", "k3y");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"ErrorCode\":1"));
}

#[test]
fn defaults_are_http_only_with_the_sandbox_key() {
    let (_served, ready) = serve(&[]);
    assert!(ready["https"].is_null());
    assert_eq!(ready["api_key"], "sandbox-api-key");
}

#[test]
fn bad_flags_and_worlds_fail_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_courier-sim"))
        .args(["serve", "--faults", "bogus=1"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("known kinds"));
    assert!(output.stdout.is_empty());

    let output = Command::new(env!("CARGO_BIN_EXE_courier-sim"))
        .args(["serve", "--world", "/nonexistent/profile.json"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/profile.json"));
    assert!(output.stdout.is_empty(), "nothing on stdout unless ready");
}
