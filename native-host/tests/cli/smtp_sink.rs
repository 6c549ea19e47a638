//! An SMTP server on `127.0.0.1:0` (mailin-embedded, in a thread) that keeps every message it
//! is given, for the mail tests.

use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};

use mailin_embedded::{Handler, Response, Server, response};

/// The messages received, whole (headers and body), in order.
#[derive(Clone, Default)]
struct Inbox {
    messages: Arc<Mutex<Vec<Vec<u8>>>>,
    current: Vec<u8>,
}

impl Handler for Inbox {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.current.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let message = std::mem::take(&mut self.current);
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(message);
        response::OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }
}

/// A running sink. The server thread lives as long as the test process.
pub struct SmtpSink {
    /// `smtp://127.0.0.1:PORT`.
    pub url: String,
    messages: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl SmtpSink {
    /// Starts a sink on a free loopback port.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!(
            "smtp://{}",
            listener.local_addr().expect("the port is bound")
        );
        let inbox = Inbox::default();
        let messages = Arc::clone(&inbox.messages);
        let mut server = Server::new(inbox);
        server
            .with_name("sink.localhost")
            .with_num_threads(1)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { url, messages }
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
