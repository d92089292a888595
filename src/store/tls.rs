//! TLS to the ledger's server with libpq's `sslmode` meanings, on rustls (pure Rust, ring as the
//! crypto provider): nothing to install and no OpenSSL.
//!
//! | sslmode | TLS | certificate |
//! | --- | --- | --- |
//! | disable | never | — |
//! | allow, prefer (default) | when the server offers it | not checked |
//! | require | always | not checked; checked against the root certificate when one is given or `~/.postgresql/root.crt` exists (libpq does the same) |
//! | verify-ca | always | signed by a trusted root |
//! | verify-full | always | signed by a trusted root and naming the host |
//!
//! Trusted roots: `sslrootcert=FILE` (PEM), `sslrootcert=system` (the operating system's store),
//! else `~/.postgresql/root.crt`. Local socket connections never use TLS (as in libpq).

use super::error::LedgerError;
use super::url::{Env, LedgerUrl, SslMode};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How the client speaks to the server: the protocol-level mode and the TLS connector.
#[derive(Clone)]
pub struct TlsSetup {
    pub mode: postgres::config::SslMode,
    pub connector: MakeRustlsConnect,
}

/// The connector for a URL's `sslmode` and `sslrootcert`.
pub fn setup(url: &LedgerUrl, env: &Env) -> Result<TlsSetup, LedgerError> {
    use postgres::config::SslMode as Wire;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    if url.is_socket() || url.sslmode == SslMode::Disable {
        let connector = connector(provider.clone(), Arc::new(AnyCertificate(provider)))?;
        return Ok(TlsSetup {
            mode: Wire::Disable,
            connector,
        });
    }
    let (mode, verifier): (Wire, Arc<dyn ServerCertVerifier>) = match url.sslmode {
        SslMode::Disable | SslMode::Allow | SslMode::Prefer => {
            (Wire::Prefer, Arc::new(AnyCertificate(provider.clone())))
        }
        SslMode::Require => match roots(url, env, false)? {
            Some(r) => (Wire::Require, ca_only(r, &provider)?),
            None => (Wire::Require, Arc::new(AnyCertificate(provider.clone()))),
        },
        SslMode::VerifyCa => {
            let r = roots(url, env, true)?.expect("required roots are present");
            (Wire::Require, ca_only(r, &provider)?)
        }
        SslMode::VerifyFull => {
            let r = roots(url, env, true)?.expect("required roots are present");
            (Wire::Require, webpki(r, &provider)?)
        }
    };
    Ok(TlsSetup {
        mode,
        connector: connector(provider, verifier)?,
    })
}

fn connector(
    provider: Arc<CryptoProvider>,
    verifier: Arc<dyn ServerCertVerifier>,
) -> Result<MakeRustlsConnect, LedgerError> {
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| LedgerError::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// The trusted roots, or `None` when none are configured and `required` is false.
fn roots(url: &LedgerUrl, env: &Env, required: bool) -> Result<Option<RootCertStore>, LedgerError> {
    let default = env
        .home
        .as_ref()
        .map(|h| h.join(".postgresql").join("root.crt"));
    let source = match &url.sslrootcert {
        Some(s) => s.clone(),
        None => match default.filter(|p| p.is_file()) {
            Some(p) => p.display().to_string(),
            None if required => {
                return Err(LedgerError::Tls(format!(
                    "sslmode={} needs the certificate of the authority that signed the server's: add sslrootcert=/path/to/ca.pem to the URL (or sslrootcert=system for the system's trusted authorities), or put it in ~/.postgresql/root.crt",
                    url.sslmode.as_str()
                )));
            }
            None => return Ok(None),
        },
    };
    let mut store = RootCertStore::empty();
    if source == "system" {
        let found = rustls_native_certs::load_native_certs();
        for c in found.certs {
            // A malformed system certificate is skipped, as browsers do.
            let _ = store.add(c);
        }
    } else {
        let certs = CertificateDer::pem_file_iter(&source)
            .map_err(|e| LedgerError::Tls(format!("sslrootcert {source}: {e}")))?;
        for c in certs {
            let c = c.map_err(|e| LedgerError::Tls(format!("sslrootcert {source}: {e}")))?;
            store
                .add(c)
                .map_err(|e| LedgerError::Tls(format!("sslrootcert {source}: {e}")))?;
        }
    }
    if store.is_empty() {
        return Err(LedgerError::Tls(format!(
            "sslrootcert {source}: no certificates found"
        )));
    }
    Ok(Some(store))
}

fn webpki(
    roots: RootCertStore,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, LedgerError> {
    let v = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| LedgerError::Tls(e.to_string()))?;
    Ok(v)
}

fn ca_only(
    roots: RootCertStore,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, LedgerError> {
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| LedgerError::Tls(e.to_string()))?;
    Ok(Arc::new(CaOnly(inner)))
}

/// `require` without roots: encryption without authentication, as libpq does it. The handshake
/// signatures are still checked against the certificate the server sent.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
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

/// `verify-ca`: the chain must lead to a trusted root; the name in the certificate may differ.
#[derive(Debug)]
struct CaOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for CaOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
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
