//! Reaching the server: a `postgres://` URL, the password given apart from the URL, and bounded
//! waits everywhere — a desk never waits on the network for longer than these.
//!
//! A server anywhere but on this machine is reached over TLS with its certificate verified
//! (the system's authorities, or the city's own named by `TONGXIN_SERVER_CA`), whatever
//! `sslmode` the URL says: one that offers no TLS is refused before the password is sent, so a
//! hostile network cannot strip the encryption. Plain connections go to loopback only — or
//! anywhere when the desk's explicit switch (`Target::plaintext`) is on, which the window shows
//! in red.

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
    /// Allow a server off this machine without TLS (the explicit, red switch).
    pub plaintext: bool,
}

impl Target {
    pub fn new(url: &str, password: Option<&str>) -> Target {
        Target {
            url: url.trim().to_string(),
            password: password.filter(|p| !p.is_empty()).map(str::to_string),
            plaintext: false,
        }
    }

    pub fn allow_plaintext(mut self, yes: bool) -> Target {
        self.plaintext = yes;
        self
    }
}

/// Whether every host of the configuration is this machine: `localhost`, a loopback address,
/// or a Unix socket. A `hostaddr` does not count: the name is what the certificate must match.
fn on_this_machine(cfg: &Config) -> bool {
    use std::net::IpAddr;
    !cfg.get_hosts().is_empty()
        && cfg.get_hosts().iter().all(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => {
                name.eq_ignore_ascii_case("localhost")
                    || name
                        .trim_start_matches('[')
                        .trim_end_matches(']')
                        .parse::<IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(_) => true,
        })
}

/// An open connection, and the host it goes to (for messages).
pub struct Link {
    pub client: Client,
    pub host: String,
    /// The schema version checked and the login's venues read, once per connection.
    pub(crate) venues: Option<Vec<String>>,
    /// The server's id, read with the venues.
    pub(crate) server_id: Option<String>,
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
    if !on_this_machine(&cfg) && !t.plaintext {
        cfg.ssl_mode(tokio_postgres::config::SslMode::Require);
    }
    cfg.application_name("tongxin");
    // Commits are on the server's disk before they are acknowledged, whatever its default
    // (a round's cursor relies on it: see `round`).
    cfg.options(format!(
        "-c statement_timeout={STATEMENT_TIMEOUT_MS} -c synchronous_commit=on"
    ));
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
            server_id: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn here(url: &str) -> bool {
        on_this_machine(&url.parse::<Config>().expect("a URL"))
    }

    #[test]
    fn only_loopback_and_local_sockets_count_as_this_machine() {
        assert!(here("postgres://a@localhost/tongxin"));
        assert!(here("postgres://a@127.0.0.1:5432/tongxin"));
        assert!(here("postgres://a@127.8.9.10/tongxin"));
        assert!(here("postgres://a@[::1]:5432/tongxin"));
        assert!(here("postgresql:///tongxin?host=/run/postgresql"));
        assert!(!here("postgres://a@10.0.0.5/tongxin"));
        assert!(!here("postgres://a@db.city.example/tongxin"));
        // The name decides, not the address it is given: the certificate is checked by name.
        assert!(!here(
            "postgres://a@db.city.example/tongxin?hostaddr=127.0.0.1"
        ));
        assert!(!here("postgres://a@localhost,10.0.0.5/tongxin"));
    }
}
