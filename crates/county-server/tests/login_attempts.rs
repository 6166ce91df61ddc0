//! Guessing is slow: failed logins back off per address and per account with a clear 429
//! (JSON, Chinese message, Retry-After), a correct password is refused too while its address
//! or account waits, a success clears the count, and invalid enrolment codes back off per
//! address. Clients on other loopback addresses stand for other machines.

mod admin;
mod common;

use admin::{expect_error, AdminServer, ADMIN};
use reqwest::StatusCode;
use std::time::Duration;

/// A client whose connections come from `address` (any 127.x.y.z).
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn log_in_from(
    server: &AdminServer,
    client: &reqwest::Client,
    user: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(server.url("/api/v1/admin/session"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
}

fn retry_after(answer: &reqwest::Response) -> u64 {
    answer.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn an_address_that_keeps_guessing_waits_and_is_told_how_long() {
    let server = AdminServer::start().await;
    let guesser = client_from("127.0.8.1");
    for _ in 0..county_server::attempts::PER_ADDRESS.free {
        let answer = log_in_from(&server, &guesser, ADMIN.0, "猜一猜").await;
        expect_error(answer, StatusCode::UNAUTHORIZED).await;
    }
    let answer = log_in_from(&server, &guesser, ADMIN.0, ADMIN.1).await;
    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&answer);
    assert!((1..=2).contains(&wait), "the first wait is short: {wait} s");
    let error = expect_error(answer, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(error.error, "too_many_attempts");
    assert!(
        error.message_zh.contains("秒后再试"),
        "{}",
        error.message_zh
    );
    // Another machine is not held up by this one.
    let admin = log_in_from(&server, &client_from("127.0.8.2"), ADMIN.0, ADMIN.1).await;
    assert_eq!(admin.status(), StatusCode::OK);
    // After the wait, the right password works, and the count starts over.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let answer = log_in_from(&server, &guesser, ADMIN.0, ADMIN.1).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let answer = log_in_from(&server, &guesser, ADMIN.0, "又猜").await;
    expect_error(answer, StatusCode::UNAUTHORIZED).await;
    server.stop().await;
}

#[tokio::test]
async fn an_account_guessed_from_many_addresses_waits_a_little_each_time() {
    let server = AdminServer::start().await;
    for attempt in 0..county_server::attempts::PER_ACCOUNT.free {
        let client = client_from(&format!("127.0.9.{}", attempt + 1));
        let answer = log_in_from(&server, &client, ADMIN.0, "撒网猜").await;
        expect_error(answer, StatusCode::UNAUTHORIZED).await;
    }
    let fresh = client_from("127.0.9.200");
    let answer = log_in_from(&server, &fresh, ADMIN.0, ADMIN.1).await;
    assert_eq!(
        answer.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the account waits"
    );
    let wait = retry_after(&answer);
    assert!(
        wait <= 60,
        "an account never waits more than a minute: {wait} s"
    );
    // Other accounts are not held up.
    let viewer = log_in_from(&server, &fresh, admin::VIEWER.0, admin::VIEWER.1).await;
    assert_eq!(viewer.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let answer = log_in_from(&server, &fresh, ADMIN.0, ADMIN.1).await;
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "after the wait the admin gets in"
    );
    server.stop().await;
}

#[tokio::test]
async fn invalid_enrolment_codes_back_off_per_address() {
    let server = AdminServer::start().await;
    let guesser = client_from("127.0.10.1");
    let enrol = |client: &reqwest::Client, code: &str| {
        client
            .post(server.url("/api/v1/enroll"))
            .json(&serde_json::json!({
                "code": code,
                "device_id": patrol_model::DeviceId::new_v7(),
                "label": "捡到的手机",
            }))
            .send()
    };
    for guess in 0..county_server::attempts::PER_ADDRESS.free {
        let answer = enrol(&guesser, &format!("AAAA-BBBB-{guess:04}"))
            .await
            .unwrap();
        expect_error(answer, StatusCode::FORBIDDEN).await;
    }
    let answer = enrol(&guesser, "AAAA-BBBB-CCCC").await.unwrap();
    assert!(retry_after(&answer) >= 1);
    let error = expect_error(answer, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(error.error, "too_many_attempts");
    // A real device elsewhere enrols with a real code.
    let code = common::make_code(&server.storage, &server.post, chrono::Duration::hours(1)).await;
    let answer = enrol(&client_from("127.0.10.2"), &code).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    server.stop().await;
}
