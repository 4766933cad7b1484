//! The TLS configuration of the client's connections: rustls with the `ring` crypto provider,
//! certificates checked against the system's roots (rustls-platform-verifier) plus any the
//! builder added, or not checked at all on the explicit `danger_accept_invalid_certs` opt-in.
//!
//! The provider is the client's own, never installed process-wide, so a program that uses
//! another rustls provider elsewhere is not affected.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::Error;

/// The rustls configuration for these extra roots (PEM bundles) and the danger opt-in.
pub(super) fn client_config(
    ca_certificates: &[Vec<u8>],
    accept_invalid_certs: bool,
) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::setting("tls", error.to_string()))?
        .dangerous();
    let verifier: Arc<dyn ServerCertVerifier> = if accept_invalid_certs {
        Arc::new(AcceptAnyCertificate(
            provider.signature_verification_algorithms,
        ))
    } else {
        let extra = extra_roots(ca_certificates)?;
        let verifier = if extra.is_empty() {
            rustls_platform_verifier::Verifier::new(provider)
        } else {
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
        };
        Arc::new(verifier.map_err(|error| Error::setting("tls", error.to_string()))?)
    };
    Ok(builder
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// The certificates of the PEM bundles; a bundle without any is refused.
fn extra_roots(bundles: &[Vec<u8>]) -> Result<Vec<CertificateDer<'static>>, Error> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = Vec::new();
    for pem in bundles {
        let before = roots.len();
        for certificate in CertificateDer::pem_slice_iter(pem) {
            roots.push(certificate.map_err(|error| {
                Error::setting("ca_certificates", format!("not PEM certificates: {error}"))
            })?);
        }
        if roots.len() == before {
            return Err(Error::setting(
                "ca_certificates",
                "the PEM text holds no certificate",
            ));
        }
    }
    Ok(roots)
}

/// Accepts any certificate (`danger_accept_invalid_certs(true)`); the handshake's signatures are
/// still checked, so the peer must hold the key of the certificate it shows.
#[derive(Debug)]
struct AcceptAnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AcceptAnyCertificate {
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
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_without_certificates_is_refused_and_the_danger_opt_in_builds() {
        let error = client_config(&[b"not pem".to_vec()], false)
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(error.contains("ca_certificates"), "{error}");
        assert!(client_config(&[], true).is_ok());
        assert!(client_config(&[], false).is_ok());
    }
}
