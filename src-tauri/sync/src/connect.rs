//! Reaching the server: a `postgres://` URL (TLS through rustls when the server offers it or the
//! URL asks for it), the password given apart from the URL, and bounded waits everywhere — a
//! desk never waits on the network for longer than these.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Client, Config, Socket};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::{Result, SyncError};

/// How long connecting may take before the server counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest any statement may run on the server.
const STATEMENT_TIMEOUT_MS: u32 = 20_000;

/// Where to sync: the URL as entered (it may carry the password, though the window keeps it
/// apart) and the password entered separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub password: Option<String>,
}

impl Target {
    pub fn new(url: &str, password: Option<&str>) -> Target {
        Target {
            url: url.trim().to_string(),
            password: password.filter(|p| !p.is_empty()).map(str::to_string),
        }
    }
}

/// An open connection, and the host it goes to (for messages).
pub struct Link {
    pub client: Client,
    pub host: String,
    /// The schema version checked and the login's venues read, once per connection.
    pub(crate) venues: Option<Vec<String>>,
}

fn config(t: &Target) -> Result<(Config, String)> {
    let mut cfg: Config = t
        .url
        .parse()
        .map_err(|e: tokio_postgres::Error| SyncError::BadUrl(e.to_string()))?;
    if let Some(p) = &t.password {
        cfg.password(p.as_bytes());
    }
    if cfg.get_connect_timeout().is_none() {
        cfg.connect_timeout(CONNECT_TIMEOUT);
    }
    cfg.application_name("tongxin");
    cfg.options(format!("-c statement_timeout={STATEMENT_TIMEOUT_MS}"));
    let host = match cfg.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let host = match cfg.get_ports().first() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    };
    Ok((cfg, host))
}

/// rustls with the system's certificates, and the PEM file named by `TONGXIN_SERVER_CA` (a
/// city office's own certificate authority) when set.
fn tls() -> Result<MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = std::env::var_os("TONGXIN_SERVER_CA") {
        use rustls_pki_types::pem::PemObject;
        let certs = rustls_pki_types::CertificateDer::pem_file_iter(&path)
            .map_err(|e| SyncError::Tls(format!("证书文件 {}：{e}", path.to_string_lossy())))?;
        for cert in certs {
            let cert = cert.map_err(|e| SyncError::Tls(e.to_string()))?;
            roots.add(cert).map_err(|e| SyncError::Tls(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SyncError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

type Stream = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream;

async fn open(t: &Target) -> Result<(Link, tokio_postgres::Connection<Socket, Stream>)> {
    let (cfg, host) = config(t)?;
    let tls = tls()?;
    let (client, conn) = tokio::time::timeout(CONNECT_TIMEOUT * 2, cfg.connect(tls))
        .await
        .map_err(|_| SyncError::Timeout(host.clone()))?
        .map_err(|e| SyncError::from_pg(&host, e))?;
    Ok((
        Link {
            client,
            host,
            venues: None,
        },
        conn,
    ))
}

/// Connects; the connection is driven by a task on the current tokio runtime.
pub async fn connect(t: &Target) -> Result<Link> {
    let (link, conn) = open(t).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(link)
}

/// A notification from the server: the event (venue) whose log just grew.
pub type Notified = String;

/// Connects and listens on the `tongxin` channel: the receiver yields the venue of every
/// check-in or revocation the server receives, and ends when the connection does.
pub async fn connect_listening(t: &Target) -> Result<(Link, mpsc::UnboundedReceiver<Notified>)> {
    let (link, mut conn) = open(t).await?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(m) = std::future::poll_fn(|cx| conn.poll_message(cx)).await {
            match m {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_string()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    link.client
        .batch_execute("LISTEN tongxin")
        .await
        .map_err(|e| SyncError::from_pg(&link.host, e))?;
    Ok((link, rx))
}

impl Link {
    pub(crate) fn err(&self, e: tokio_postgres::Error) -> SyncError {
        SyncError::from_pg(&self.host, e)
    }
}
