//! The listeners: plain HTTP and HTTPS (a self-signed certificate made at start for the real
//! host names), both serving the same router. A handler can ask for the connection to be
//! dropped without an answer, which is how the `drop` fault is made.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tower::ServiceExt;

/// The host names the HTTPS certificate is valid for.
pub const CERTIFICATE_NAMES: [&str; 4] = [
    "www.bungie.net",
    "auth.api.sonyentertainmentnetwork.com",
    "localhost",
    "127.0.0.1",
];

/// The scheme a request came in on, put into each request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP.
    Http,
    /// TLS.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// Put into a response's extensions to close the connection instead of answering.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// Why a listener could not start.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The certificate could not be made or loaded.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
}

/// Binds a listener.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ListenError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ListenError::Bind { addr, source })
}

/// A TLS acceptor with a fresh self-signed certificate for [`CERTIFICATE_NAMES`], and that
/// certificate in PEM (for clients that would rather trust it than skip verification).
pub fn self_signed_acceptor() -> Result<(TlsAcceptor, String), ListenError> {
    let names: Vec<String> = CERTIFICATE_NAMES.iter().map(|n| n.to_string()).collect();
    let certified =
        rcgen::generate_simple_self_signed(names).map_err(|e| ListenError::Tls(e.to_string()))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ListenError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(|e| ListenError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), certified.cert.pem()))
}

/// Serves `app` on `listener` until the task is dropped; with an acceptor, over TLS.
pub async fn serve(listener: TcpListener, app: Router, tls: Option<TlsAcceptor>) {
    let scheme = if tls.is_some() {
        Scheme::Https
    } else {
        Scheme::Http
    };
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "accept failed");
                continue;
            }
        };
        let app = app.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => match acceptor.accept(stream).await {
                    Ok(stream) => serve_connection(TokioIo::new(stream), app, scheme).await,
                    Err(error) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                },
                None => serve_connection(TokioIo::new(stream), app, scheme).await,
            }
        });
    }
}

/// Serves one connection, closing it when a response carries [`DropConnection`].
async fn serve_connection<S>(io: TokioIo<S>, app: Router, scheme: Scheme)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            let app = app.clone();
            request.extensions_mut().insert(scheme);
            async move {
                let response: Response = match app.oneshot(request.map(Body::new)).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                if response.extensions().get::<DropConnection>().is_some() {
                    Err(DroppedOnPurpose)
                } else {
                    Ok::<_, DroppedOnPurpose>(response)
                }
            }
        });
    if let Err(error) = auto::Builder::new(TokioExecutor::new())
        .serve_connection_with_upgrades(io, service)
        .await
    {
        tracing::debug!(%error, "connection ended");
    }
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault")]
struct DroppedOnPurpose;
