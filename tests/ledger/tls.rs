//! TLS when the URL asks for it, with libpq's sslmode meanings, against a server that accepts
//! TCP connections only over TLS (a self-signed authority made for the test).

use crate::common::*;
use crate::pg::Options;
use diffusion_desk::store::{Env, LedgerConn, LedgerError, Target};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use std::sync::Arc;

struct Authority {
    pem: String,
    issuer: CertifiedIssuer<'static, KeyPair>,
}

fn authority(name: &str) -> Authority {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    Authority {
        pem: issuer.pem(),
        issuer,
    }
}

/// A server certificate for `names`, signed by `ca`: (certificate, key) in PEM.
fn server_cert(ca: &Authority, names: &[&str]) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let cert = CertificateParams::new(names)
        .unwrap()
        .signed_by(&key, &ca.issuer)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

fn open(l: &Ledger, query: &str) -> Result<LedgerConn, LedgerError> {
    let url = format!("{}?{query}", l.cluster.url("alice", &l.db));
    let target = Target::resolve(&url, Some(PASSWORD.into()), &Env::isolated())?;
    LedgerConn::open(Arc::new(target), eval())
}

fn uses_tls(conn: &mut LedgerConn) -> bool {
    conn.client()
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn tls_is_used_and_checked_as_the_url_asks() {
    let ca = authority("Ledger test authority");
    let other = authority("Someone else");
    let l = Ledger::with(Options {
        tls: Some(server_cert(&ca, &["127.0.0.1"])),
        tls_only: true,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.pem).unwrap();
    let other_file = dir.path().join("other.pem");
    std::fs::write(&other_file, &other.pem).unwrap();
    let root = |f: &std::path::Path| format!("sslrootcert={}", f.display());

    let mut full = open(&l, &format!("sslmode=verify-full&{}", root(&ca_file))).unwrap();
    assert!(uses_tls(&mut full));
    let mut plain_require = open(&l, "sslmode=require").unwrap();
    assert!(uses_tls(&mut plain_require));
    match open(&l, &format!("sslmode=verify-full&{}", root(&other_file))) {
        Err(LedgerError::Tls(m)) => assert!(m.contains("certificate"), "{m}"),
        other => panic!("an unknown authority is refused: {other:?}"),
    }
    match open(&l, "sslmode=verify-full") {
        Err(LedgerError::Tls(m)) => assert!(m.contains("sslrootcert"), "{m}"),
        other => panic!("verify-full without a root says what to add: {other:?}"),
    }
    // The server refuses TCP without TLS.
    assert!(open(&l, "sslmode=disable").is_err());

    // A certificate for another name: verify-ca accepts it, verify-full does not.
    let (cert, key) = server_cert(&ca, &["db.example.test"]);
    l.cluster.replace_tls(&cert, &key);
    let mut ca_only = open(&l, &format!("sslmode=verify-ca&{}", root(&ca_file))).unwrap();
    assert!(uses_tls(&mut ca_only));
    assert!(matches!(
        open(&l, &format!("sslmode=verify-full&{}", root(&ca_file))),
        Err(LedgerError::Tls(_))
    ));
}
