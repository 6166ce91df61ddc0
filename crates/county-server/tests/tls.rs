//! HTTPS through rustls: a client that trusts the county's certificate talks to the API; plain
//! HTTP and clients that do not trust the certificate get nowhere.

mod admin;
mod common;

use admin::{AdminServer, ServeOptions};
use county_server::{launch, ServerSettings, TlsFiles};

#[tokio::test]
async fn the_api_is_served_over_https_with_the_given_certificate() {
    let server = AdminServer::start_with(ServeOptions {
        tls: true,
        ..ServeOptions::default()
    })
    .await;
    let port = server.base.rsplit(':').next().unwrap().to_string();

    // `server.client` trusts the county's self-signed certificate, and nothing else does.
    let answer = server
        .client
        .get(server.url("/healthz"))
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

    server.stop().await;
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
        connections_per_address: None,
        behind_proxy: false,
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
