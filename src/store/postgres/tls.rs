//! TLS to PostgreSQL with rustls, configured as libpq is: `sslmode` in the URL.
//!
//! | `sslmode` | TLS | server certificate |
//! |---|---|---|
//! | `disable` | never | – |
//! | `prefer` (default) | if the server offers it | not checked |
//! | `require` | always | not checked (checked as `verify-ca` when `sslrootcert` is given) |
//! | `verify-ca` | always | signed by a trusted root |
//! | `verify-full` | always | signed by a trusted root and issued for the host |
//!
//! Trusted roots: the PEM file `sslrootcert=/path` names, else the system's
//! (`rustls-native-certs`). tokio-postgres itself knows only disable/prefer/require, so the
//! verifying modes are mapped to `require` plus a verifying rustls configuration.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// A URL's TLS settings, and the URL without them (for tokio-postgres).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsUrl {
    pub url: String,
    pub mode: Mode,
    pub root_cert: Option<PathBuf>,
}

/// Takes `sslmode` and `sslrootcert` out of a `postgres://` URL's query. An unknown mode is
/// an error naming the accepted ones.
pub fn split_url(url: &str) -> Result<TlsUrl, String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let mut mode = None;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "sslmode" => {
                mode = Some(match &*v {
                    "disable" => Mode::Disable,
                    "prefer" | "allow" => Mode::Prefer,
                    "require" => Mode::Require,
                    "verify-ca" => Mode::VerifyCa,
                    "verify-full" => Mode::VerifyFull,
                    other => {
                        return Err(format!(
                            "invalid sslmode {other:?} (use disable, prefer, require, verify-ca \
                             or verify-full)"
                        ));
                    }
                })
            }
            "sslrootcert" => root_cert = Some(PathBuf::from(&*v)),
            _ => kept.push((k.into_owned(), v.into_owned())),
        }
    }
    let mut url = base.to_string();
    if !kept.is_empty() {
        url.push('?');
        url.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(kept)
                .finish(),
        );
    }
    let mut mode = mode.unwrap_or(Mode::Prefer);
    if mode == Mode::Require && root_cert.is_some() {
        // As libpq: a root certificate given makes `require` check the chain.
        mode = Mode::VerifyCa;
    }
    Ok(TlsUrl {
        url,
        mode,
        root_cert,
    })
}

impl Mode {
    /// What tokio-postgres is told (it verifies nothing itself; rustls does).
    pub fn ssl_mode(self) -> SslMode {
        match self {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        }
    }
}

/// The rustls connector for `t`. Errors name the unreadable root certificate file.
pub fn connector(t: &TlsUrl) -> Result<MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?;
    let config = match t.mode {
        Mode::Disable | Mode::Prefer | Mode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unverified(provider)))
            .with_no_client_auth(),
        Mode::VerifyCa | Mode::VerifyFull => {
            let roots = Arc::new(roots(t.root_cert.as_ref())?);
            let webpki =
                rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider)
                    .build()
                    .map_err(|e| format!("TLS setup: {e}"))?;
            let verifier: Arc<dyn ServerCertVerifier> = if t.mode == Mode::VerifyCa {
                Arc::new(AnyName(webpki))
            } else {
                webpki
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth()
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

fn roots(file: Option<&PathBuf>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    match file {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|i| i.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("cannot read sslrootcert {}: {e}", path.display()))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(format!(
                    "sslrootcert {} holds no usable certificate",
                    path.display()
                ));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            if roots.is_empty() {
                return Err(
                    "no system root certificates found; give sslrootcert=/path/to/ca.pem".into(),
                );
            }
        }
    }
    Ok(roots)
}

/// `prefer`/`require`: encrypted, the certificate not checked (libpq's behaviour). The
/// handshake signatures are still verified, so the session is with the key presented.
#[derive(Debug)]
struct Unverified(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root; the name is not compared.
#[derive(Debug)]
struct AnyName(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_and_root_cert_are_taken_out_of_the_url() {
        let t = split_url(
            "postgres://u@h/db?sslmode=verify-full&sslrootcert=%2Fca.pem&application_name=x",
        )
        .unwrap();
        assert_eq!(t.mode, Mode::VerifyFull);
        assert_eq!(t.root_cert, Some(PathBuf::from("/ca.pem")));
        assert_eq!(t.url, "postgres://u@h/db?application_name=x");
        let d = split_url("postgres://u@h/db").unwrap();
        assert_eq!(
            (d.mode, d.url.as_str()),
            (Mode::Prefer, "postgres://u@h/db")
        );
        assert_eq!(
            split_url("postgres://h/db?sslmode=require&sslrootcert=/c.pem")
                .unwrap()
                .mode,
            Mode::VerifyCa,
            "require with a root certificate checks the chain, as libpq"
        );
        assert_eq!(
            split_url("postgres://h/db?sslmode=disable")
                .unwrap()
                .mode
                .ssl_mode(),
            SslMode::Disable
        );
        let e = split_url("postgres://h/db?sslmode=verify_full").unwrap_err();
        assert!(e.contains("invalid sslmode \"verify_full\""), "{e}");
    }

    #[test]
    fn an_unreadable_root_certificate_is_named() {
        let t =
            split_url("postgres://h/db?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem").unwrap();
        let e = connector(&t).err().unwrap();
        assert!(e.contains("/nonexistent/ca.pem"), "{e}");
    }

    /// Against the real local server: `require` encrypts, `disable` does not, `verify-full`
    /// refuses a certificate no trusted root signed (naming why), and `verify-ca` accepts the
    /// server's own certificate given as the root. A server without TLS makes `require` fail
    /// with an error saying so.
    #[test]
    fn modes_against_the_local_server() {
        use crate::store::postgres::{PgStore, testing::TempDb};
        let Some(db) = TempDb::create() else { return };
        let with = |q: &str| {
            let sep = if db.url.contains('?') { '&' } else { '?' };
            format!("{}{sep}{q}", db.url)
        };
        let ssl = |s: &PgStore| -> bool {
            s.run(s.scalar(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            ))
            .unwrap()
        };
        let plain = PgStore::open(&with("sslmode=disable"), true).unwrap();
        assert!(!ssl(&plain));
        let cert_file: String = plain.run(plain.scalar("SHOW ssl_cert_file", &[])).unwrap();
        let on: String = plain.run(plain.scalar("SHOW ssl", &[])).unwrap();
        if on != "on" {
            let e = PgStore::open(&with("sslmode=require"), false)
                .err()
                .unwrap()
                .to_string();
            assert!(e.contains("TLS"), "{e}");
            eprintln!("NOTICE: the test server has no TLS; only the refusal was tested: {e}");
            return;
        }
        let tls = PgStore::open(&with("sslmode=require"), false).unwrap();
        assert!(ssl(&tls), "sslmode=require without TLS");
        let preferred = PgStore::open(&db.url, false).unwrap();
        assert!(
            ssl(&preferred),
            "the default (prefer) uses the TLS the server offers"
        );
        let e = PgStore::open(&with("sslmode=verify-full"), false)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("certificate"), "{e}");
        if std::fs::File::open(&cert_file).is_ok() {
            let q = format!("sslmode=verify-ca&sslrootcert={cert_file}");
            let s = PgStore::open(&with(&q), false).unwrap();
            assert!(ssl(&s));
        }
    }
}
