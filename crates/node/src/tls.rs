//! TLS for the HTTP API, and node-to-node clients that trust only pinned certificates.
//!
//! The HTTP listener carries bearer tokens and, between nodes, relayed transactions and
//! synced blocks. A node with a `[tls]` table ([`TlsConfig`]) serves its router over
//! TLS only ([`serve`]; rustls with the ring provider, HTTP/1.1). Its own clients of the
//! other nodes — relay, full-node sync, peer heights, QR attestations — accept a server
//! only if it presents, byte for byte, one of the certificates pinned in
//! `peer_certs` ([`PinnedVerifier`]): no certificate authority and no system roots are
//! consulted, names are not compared (a pin is the identity), and the handshake
//! signature is still checked against the pinned certificate's key, so only the holder
//! of a pinned key gets through.
//!
//! A process runs one node: [`install`] records that node's pins before any peer client
//! is built, and [`peer_client_builder`] (the one way node-to-node clients are made)
//! reads them. A process that installed no pins (no `[tls]`) trusts no certificate at
//! all: its clients speak plain HTTP to `http://` peers and refuse every `https://` one.
//!
//! `fapiao init --tls` makes a self-signed certificate per node with
//! [`write_self_signed`].

pub use crate::config::TlsConfig;
use crate::{Error, Result};
use parking_lot::RwLock;
use rustls::{
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::{CryptoProvider, WebPkiSupportedAlgorithms},
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer, ServerName, UnixTime},
    CertificateError, ClientConfig, DigitallySignedStruct, ServerConfig, SignatureScheme,
};
use std::{path::Path, sync::Arc, time::Duration};

/// The certificate file `fapiao init --tls` writes beside a node's config.
pub const CERT_FILE: &str = "tls.crt";
/// The key file `fapiao init --tls` writes beside a node's config (mode 0600).
pub const KEY_FILE: &str = "tls.key";

/// Longest a connecting client may take to finish its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The pinned-peer client configuration of this process ([`install`]).
static PEER_CLIENT: RwLock<Option<Arc<ClientConfig>>> = RwLock::new(None);

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_error(path: &Path, what: impl std::fmt::Display) -> Error {
    Error::Tls(format!("{}: {what}", path.display()))
}

/// Every certificate in the PEM file `path`, in order.
///
/// # Errors
/// [`Error::Tls`] if the file cannot be read, is not PEM, or holds no certificate.
pub fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| tls_error(path, e))?
        .collect::<core::result::Result<Vec<_>, _>>()
        .map_err(|e| tls_error(path, e))?;
    if certs.is_empty() {
        return Err(tls_error(path, "no CERTIFICATE in the file"));
    }
    Ok(certs)
}

/// The private key in the PEM file `path`.
///
/// # Errors
/// [`Error::Tls`] if the file cannot be read or holds no private key.
pub fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path).map_err(|e| tls_error(path, e))
}

/// Every certificate of every file in `files`: the pins.
///
/// # Errors
/// As [`read_certs`].
pub fn read_pins(files: &[impl AsRef<Path>]) -> Result<Vec<CertificateDer<'static>>> {
    let mut pins = Vec::new();
    for f in files {
        pins.extend(read_certs(f.as_ref())?);
    }
    Ok(pins)
}

/// The listener's configuration: `tls.cert` and `tls.key`, TLS 1.2 and 1.3, HTTP/1.1, no
/// client certificates.
///
/// # Errors
/// [`Error::Tls`] if the files cannot be read or the key does not fit the certificate.
pub fn server_config(tls: &TlsConfig) -> Result<Arc<ServerConfig>> {
    let certs = read_certs(&tls.cert)?;
    let key = read_key(&tls.key)?;
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| tls_error(&tls.key, e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A client configuration that accepts exactly the servers presenting one of `pins`.
pub fn pinned_client_config(pins: Vec<CertificateDer<'static>>) -> ClientConfig {
    let provider = provider();
    let verifier = PinnedVerifier { pins, algorithms: provider.signature_verification_algorithms };
    ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth()
}

/// A reqwest client builder whose TLS trusts exactly `pins`.
pub fn client_builder(pins: Vec<CertificateDer<'static>>) -> reqwest::ClientBuilder {
    reqwest::Client::builder().use_preconfigured_tls(pinned_client_config(pins))
}

/// Records the peer pins of this process's node (`tls.peer_certs`; none without `[tls]`)
/// for [`peer_client_builder`]. Call it before the node builds any peer client.
///
/// # Errors
/// [`Error::Tls`] if a pinned certificate file cannot be read.
pub fn install(tls: Option<&TlsConfig>) -> Result<()> {
    let config = match tls {
        Some(t) => Some(Arc::new(pinned_client_config(read_pins(&t.peer_certs)?))),
        None => None,
    };
    *PEER_CLIENT.write() = config;
    Ok(())
}

/// The builder of every node-to-node HTTP client: it trusts only the pins [`install`]ed
/// for this process (none if nothing was installed).
pub fn peer_client_builder() -> reqwest::ClientBuilder {
    let installed = PEER_CLIENT.read().clone();
    let config = match installed {
        Some(c) => ClientConfig::clone(&c),
        None => pinned_client_config(Vec::new()),
    };
    reqwest::Client::builder().use_preconfigured_tls(config)
}

/// Refuses peer URLs that the node could not reach as configured: `https://` peers
/// without `[tls]` pins, and `http://` peers of a node that serves TLS (its tokens and
/// blocks would cross the network in the clear).
///
/// # Errors
/// [`Error::Config`] naming the peer.
pub fn check_peer_urls(tls: Option<&TlsConfig>, peers: &[String]) -> Result<()> {
    for peer in peers {
        let https = peer.starts_with("https://");
        match tls {
            Some(_) if !https => {
                return Err(Error::Config(format!(
                    "peers: {peer} is not https:// but this node has [tls]"
                )))
            }
            Some(t) if t.peer_certs.is_empty() => {
                return Err(Error::Config(format!(
                    "peers: {peer} needs a pinned certificate in tls.peer_certs"
                )))
            }
            None if https => {
                return Err(Error::Config(format!(
                    "peers: {peer} is https:// but this node has no [tls] with peer_certs"
                )))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Serves `app` over TLS on `listener` until the process stops: one task per connection,
/// each given ten seconds to complete its handshake. A client that does not
/// speak TLS (plain HTTP) is dropped at the handshake.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    config: Arc<ServerConfig>,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    loop {
        let (tcp, remote) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of file descriptors and the like: let connections drain.
                tracing::warn!(error = %e, "HTTP accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // The client's address, for the per-address rate limit.
        let app = app.clone().layer(axum::Extension(axum::extract::ConnectInfo(remote)));
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let stream = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::debug!(%remote, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(%remote, "TLS handshake timed out");
                    return;
                }
            };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let served = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            if let Err(e) = served {
                tracing::debug!(%remote, error = %e, "HTTPS connection ended with an error");
            }
        });
    }
}

/// Writes a new ECDSA P-256 key and a self-signed certificate with common name `name`
/// for `hosts` (DNS names or IP addresses, the certificate's subject alternative names)
/// to `dir/tls.crt` and `dir/tls.key` (mode 0600). Validity dates are rcgen's defaults
/// (1975 to 4096): a pinned certificate is trusted until it is unpinned, never until a
/// date.
///
/// # Errors
/// [`Error::Tls`] if generation fails, [`Error::Io`] if a file cannot be written.
pub fn write_self_signed(dir: &Path, name: &str, hosts: &[String]) -> Result<()> {
    let refused = |e: rcgen::Error| Error::Tls(format!("certificate for {hosts:?}: {e}"));
    let mut params = rcgen::CertificateParams::new(hosts.to_vec()).map_err(refused)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(rcgen::DnType::CommonName, name);
    let key = rcgen::KeyPair::generate().map_err(refused)?;
    let cert = params.self_signed(&key).map_err(refused)?;
    write_private(&dir.join(KEY_FILE), key.serialize_pem().as_bytes())?;
    crate::write_atomic(&dir.join(CERT_FILE), cert.pem().as_bytes())
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| Error::io(path, e))
}

/// Accepts a server certificate only if it is one of the pins, byte for byte, and
/// checks the handshake signature with that certificate's key.
#[derive(Debug)]
pub struct PinnedVerifier {
    pins: Vec<CertificateDer<'static>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> core::result::Result<ServerCertVerified, rustls::Error> {
        if self.pins.iter().any(|pin| pin.as_ref() == end_entity.as_ref()) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> core::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> core::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::{
        server::{ClientHello, ResolvesServerCert},
        sign::CertifiedKey,
    };
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    /// A fresh self-signed certificate (DER) and its key, for `localhost` and 127.0.0.1.
    fn self_signed() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let g = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
            .unwrap();
        let key = rustls::pki_types::PrivatePkcs8KeyDer::from(g.key_pair.serialize_der()).into();
        (g.cert.der().clone(), key)
    }

    fn verify(pins: Vec<CertificateDer<'static>>, presented: &CertificateDer<'_>) -> bool {
        let verifier =
            PinnedVerifier { pins, algorithms: provider().signature_verification_algorithms };
        verifier
            .verify_server_cert(
                presented,
                &[],
                &ServerName::try_from("localhost").unwrap(),
                &[],
                UnixTime::now(),
            )
            .is_ok()
    }

    #[test]
    fn the_pinned_certificate_is_accepted_another_for_the_same_name_is_not() {
        let (a, _) = self_signed();
        let (b, _) = self_signed();
        let (c, _) = self_signed();
        assert!(verify(vec![a.clone()], &a));
        assert!(verify(vec![b.clone(), a.clone()], &a));
        assert!(!verify(vec![a.clone()], &b));
        assert!(!verify(vec![a, c], &b));
        assert!(!verify(Vec::new(), &b), "no pins trust nothing");
    }

    /// A server that presents `cert` but signs its handshakes with `key`.
    #[derive(Debug)]
    struct Fixed(Arc<CertifiedKey>);

    impl ResolvesServerCert for Fixed {
        fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
            Some(self.0.clone())
        }
    }

    fn server(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> Arc<ServerConfig> {
        let signer = provider().key_provider.load_private_key(key).unwrap();
        let resolver = Fixed(Arc::new(CertifiedKey::new(vec![cert], signer)));
        Arc::new(
            ServerConfig::builder_with_provider(provider())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_cert_resolver(Arc::new(resolver)),
        )
    }

    /// Whether a handshake between a client pinning `pins` and `server` succeeds (and a
    /// byte crosses it).
    async fn handshake(pins: Vec<CertificateDer<'static>>, server: Arc<ServerConfig>) -> bool {
        let (client_io, server_io) = tokio::io::duplex(64 * 1024);
        let acceptor = tokio_rustls::TlsAcceptor::from(server);
        let serving = tokio::spawn(async move {
            let mut s = acceptor.accept(server_io).await.ok()?;
            s.write_all(b"!").await.ok()?;
            s.flush().await.ok()
        });
        let connector = tokio_rustls::TlsConnector::from(Arc::new(pinned_client_config(pins)));
        let name = ServerName::try_from("localhost").unwrap();
        let mut byte = [0u8; 1];
        let ok = match connector.connect(name, client_io).await {
            Ok(mut s) => s.read_exact(&mut byte).await.is_ok(),
            Err(_) => false,
        };
        serving.abort();
        ok
    }

    #[tokio::test]
    async fn a_handshake_needs_the_pinned_certificate_and_its_key() {
        let (a, a_key) = self_signed();
        let (b, b_key) = self_signed();
        assert!(handshake(vec![a.clone()], server(a.clone(), a_key.clone_key())).await);
        assert!(!handshake(vec![a.clone()], server(b.clone(), b_key.clone_key())).await);
        // The pinned certificate, replayed by a server without its key: the handshake
        // signature (made with b's key) does not verify under a's public key.
        assert!(!handshake(vec![a.clone()], server(a, b_key)).await);
    }

    fn write_pem(dir: &Path) -> TlsConfig {
        write_self_signed(dir, "test node", &["localhost".into(), "127.0.0.1".into()]).unwrap();
        TlsConfig {
            cert: dir.join(CERT_FILE),
            key: dir.join(KEY_FILE),
            peer_certs: vec![dir.join(CERT_FILE)],
        }
    }

    #[tokio::test]
    async fn serve_answers_pinned_https_and_refuses_plain_http_and_other_pins() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let tls = write_pem(dir.path());
        let wrong = write_pem(other.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&tls.key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().route("/ping", axum::routing::get(|| async { "pong" }));
        let server = tokio::spawn(serve(listener, app, server_config(&tls).unwrap()));

        let pinned = client_builder(read_pins(&tls.peer_certs).unwrap()).build().unwrap();
        let resp = pinned.get(format!("https://127.0.0.1:{}/ping", addr.port())).send().await;
        assert_eq!(resp.unwrap().text().await.unwrap(), "pong");
        let resp = pinned.get(format!("https://localhost:{}/ping", addr.port())).send().await;
        assert!(resp.unwrap().status().is_success());

        let plain = reqwest::Client::new().get(format!("http://{addr}/ping")).send().await;
        assert!(plain.is_err(), "plain HTTP is answered: {plain:?}");

        let other_pin = client_builder(read_pins(&wrong.peer_certs).unwrap()).build().unwrap();
        let refused = other_pin.get(format!("https://{addr}/ping")).send().await;
        assert!(refused.is_err(), "a client pinning another certificate got through");

        let unpinned = reqwest::Client::new().get(format!("https://{addr}/ping")).send().await;
        assert!(unpinned.is_err(), "no built-in roots may vouch for a node");
        server.abort();
    }

    #[test]
    fn peer_urls_must_match_whether_the_node_has_tls() {
        let tls = TlsConfig {
            cert: "tls.crt".into(),
            key: "tls.key".into(),
            peer_certs: vec!["../node1/tls.crt".into()],
        };
        let https = vec!["https://127.0.0.1:27101".to_string()];
        let http = vec!["http://127.0.0.1:27101".to_string()];
        assert!(check_peer_urls(Some(&tls), &https).is_ok());
        assert!(check_peer_urls(None, &http).is_ok());
        assert!(check_peer_urls(Some(&tls), &http).is_err());
        assert!(check_peer_urls(None, &https).is_err());
        let unpinned = TlsConfig { peer_certs: Vec::new(), ..tls };
        assert!(check_peer_urls(Some(&unpinned), &https).is_err());
        assert!(check_peer_urls(Some(&unpinned), &[]).is_ok());
    }

    #[test]
    fn unreadable_or_empty_pem_is_refused_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.crt");
        std::fs::write(&empty, "not pem\n").unwrap();
        let e = read_certs(&empty).unwrap_err().to_string();
        assert!(e.contains("empty.crt"), "{e}");
        assert!(read_certs(&dir.path().join("missing.crt")).is_err());
        assert!(read_key(&empty).is_err());
    }
}
