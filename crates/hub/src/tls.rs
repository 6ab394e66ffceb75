//! Serving the API over TLS, and making a certificate for a center that has none.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::crypto::ring;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the certificate chain in {path}: {reason}")]
    Certificate { path: PathBuf, reason: String },
    #[error("{path} holds no certificate (expected PEM, -----BEGIN CERTIFICATE-----)")]
    NoCertificate { path: PathBuf },
    #[error("cannot read the private key in {path}: {reason}")]
    Key { path: PathBuf, reason: String },
    #[error("the certificate and key cannot be used together: {0}")]
    Mismatch(rustls::Error),
    #[error("cannot make a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("{path} already exists; the hub will not overwrite it")]
    Exists { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// The server side of TLS from a PEM certificate chain (the hub's first) and its private key.
pub fn server_config(certificate: &Path, key: &Path) -> Result<Arc<ServerConfig>, TlsError> {
    let chain = CertificateDer::pem_file_iter(certificate)
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .map_err(|err| TlsError::Certificate { path: certificate.to_owned(), reason: err.to_string() })?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate { path: certificate.to_owned() });
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|err| TlsError::Key { path: key.to_owned(), reason: err.to_string() })?;
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Mismatch)?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(TlsError::Mismatch)?;
    Ok(Arc::new(config))
}

/// A self-signed certificate for the hub's names (host names or IP addresses), written as PEM
/// to `certificate` and `key`. Desks trust it when given the certificate file at connect; the
/// key never leaves the hub, so it is written readable by its owner only.
pub fn write_self_signed(names: &[String], certificate: &Path, key: &Path) -> Result<(), TlsError> {
    if let Some(existing) = [certificate, key].into_iter().find(|path| path.exists()) {
        return Err(TlsError::Exists { path: existing.to_owned() });
    }
    let mut params = rcgen::CertificateParams::new(names.to_vec())?;
    params.distinguished_name.push(rcgen::DnType::CommonName, "Porchlight hub");
    let signing_key = rcgen::KeyPair::generate()?;
    let issued = params.self_signed(&signing_key)?;
    write_new(key, signing_key.serialize_pem().as_bytes(), 0o600)?;
    write_new(certificate, issued.pem().as_bytes(), 0o644)
}

fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), TlsError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let write = || -> std::io::Result<()> { options.open(path)?.write_all(contents) };
    write().map_err(|source| TlsError::Write { path: path.to_owned(), source })
}
