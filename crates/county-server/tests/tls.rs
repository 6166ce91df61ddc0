//! HTTPS through rustls: a client that trusts the county's certificate talks to the API; plain
//! HTTP and clients that do not trust the certificate get nowhere.

use county_server::{launch, ServerSettings, TlsFiles};

#[tokio::test]
async fn the_api_is_served_over_https_with_the_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let certificate_pem = certified.cert.pem();
    let files = TlsFiles {
        certificate_chain: dir.path().join("county.crt"),
        private_key: dir.path().join("county.key"),
    };
    std::fs::write(&files.certificate_chain, &certificate_pem).unwrap();
    std::fs::write(&files.private_key, certified.signing_key.serialize_pem()).unwrap();
    let storage =
        county_server::open_storage(&dir.path().join("county.sqlite3").display().to_string())
            .await
            .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let settings = ServerSettings {
        storage,
        data_dir: dir.path().to_path_buf(),
        tls: Some(files),
        public_url: None,
        map_tile_url: None,
    };
    let server = tokio::spawn(launch(listener, settings, async {
        let _ = stopped.await;
    }));

    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(certificate_pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let answer = trusting
        .get(format!("https://localhost:{port}/healthz"))
        .send()
        .await
        .expect("HTTPS with the county's certificate");
    assert_eq!(answer.status(), 200);

    let plain = reqwest::Client::new()
        .get(format!("http://localhost:{port}/healthz"))
        .send()
        .await;
    assert!(
        plain.is_err() || plain.is_ok_and(|answer| !answer.status().is_success()),
        "plain HTTP must not reach the API on an HTTPS port"
    );
    let untrusting = reqwest::Client::new()
        .get(format!("https://localhost:{port}/healthz"))
        .send()
        .await;
    assert!(
        untrusting.is_err(),
        "an unknown certificate must be refused"
    );

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_missing_certificate_is_a_clear_error_not_a_plain_server() {
    let dir = tempfile::tempdir().unwrap();
    let storage =
        county_server::open_storage(&dir.path().join("county.sqlite3").display().to_string())
            .await
            .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let settings = ServerSettings {
        storage,
        data_dir: dir.path().to_path_buf(),
        tls: Some(TlsFiles {
            certificate_chain: dir.path().join("missing.crt"),
            private_key: dir.path().join("missing.key"),
        }),
        public_url: None,
        map_tile_url: None,
    };
    let error = launch(listener, settings, std::future::pending())
        .await
        .expect_err("no certificate, no server");
    assert!(error.to_string().contains("missing.crt"), "{error}");
}

#[test]
fn the_binary_refuses_plain_http_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_county-server"))
        .arg("--database")
        .arg(dir.path().join("county.sqlite3"))
        .args(["serve", "--listen", "0.0.0.0:0", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success(), "it must not serve");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refusing plain HTTP") && stderr.contains("--tls-cert"),
        "{stderr}"
    );
}
