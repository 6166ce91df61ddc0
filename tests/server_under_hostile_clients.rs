//! The real `county-server` process against clients that never finish: half-sent requests by
//! the thousand, one address grabbing every connection, kept-alive connections left idle,
//! huge unauthenticated bodies that stall, and a SIGTERM while a request hangs half-sent.
//! Devices and admins on other addresses must still be answered, and the server must let go.

mod support;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use support::CountyServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A connection from `source` (any 127.x.y.z is this machine) to the server.
async fn connect_from(source: &str, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source.parse::<IpAddr>().unwrap(), 0))?;
    socket.connect(server).await
}

/// Whether the server closed `stream` (EOF or reset) within `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// `/healthz` answers 200 to a client on its own address, within `limit` (a guard against
/// hanging the test, not a speed figure).
async fn healthz_answers(server: &CountyServer, limit: Duration) -> bool {
    let client = reqwest::Client::builder().timeout(limit).build().unwrap();
    matches!(
        client.get(format!("{}/healthz", server.url)).send().await,
        Ok(answer) if answer.status() == 200
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_by_the_thousand_neither_block_others_nor_stay_open() {
    let server = CountyServer::start();
    let address = server.address();
    let mut half_sent = Vec::new();
    // 1,100 connections from 20 addresses, under the per-address bound: all are taken in.
    for connection in 0..1_100 {
        let source = format!("127.0.1.{}", 10 + connection % 20);
        let mut stream = connect_from(&source, address).await.unwrap();
        stream
            .write_all(b"POST /api/v1/sync HTTP/1.1\r\nHost: county\r\nContent-Le")
            .await
            .unwrap();
        half_sent.push(stream);
    }
    assert!(
        healthz_answers(&server, Duration::from_secs(10)).await,
        "/healthz must answer while 1,100 requests hang half-sent"
    );
    let mut still_open = 0;
    for stream in &mut half_sent {
        if !closed_within(stream, Duration::from_secs(60)).await {
            still_open += 1;
        }
    }
    assert_eq!(
        still_open, 0,
        "the server closes a request whose headers never finish"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_take_every_connection() {
    let server = CountyServer::start();
    let address = server.address();
    let mut greedy = Vec::new();
    for _ in 0..200 {
        greedy.push(connect_from("127.0.2.1", address).await.unwrap());
    }
    let mut refused = 0;
    for stream in &mut greedy {
        if closed_within(stream, Duration::from_millis(500)).await {
            refused += 1;
        }
    }
    assert!(
        refused >= 200 - county_server::serve::CONNECTIONS_PER_ADDRESS,
        "at most {} connections of one address stay open; {refused} of 200 were closed",
        county_server::serve::CONNECTIONS_PER_ADDRESS
    );
    assert!(healthz_answers(&server, Duration::from_secs(10)).await);
    let mut neighbour = connect_from("127.0.2.2", address).await.unwrap();
    neighbour
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: county\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    neighbour.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "another address is served: {answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_alive_connections_left_idle_are_closed() {
    let server = CountyServer::start();
    let mut idle = Vec::new();
    for _ in 0..30 {
        let mut stream = connect_from("127.0.3.1", server.address()).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: county\r\n\r\n")
            .await
            .unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 200");
        idle.push(stream);
    }
    let mut still_open = 0;
    for stream in &mut idle {
        if !closed_within(stream, Duration::from_secs(60)).await {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "idle kept-alive connections are closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_unauthenticated_enrolment_bodies_do_not_grow_the_server() {
    let server = CountyServer::start();
    assert!(healthz_answers(&server, Duration::from_secs(10)).await);
    let (resident_before, _) = server.memory();
    let mut answers = Vec::new();
    for client in 0..24 {
        let source = format!("127.0.4.{}", 1 + client % 4);
        let mut stream = connect_from(&source, server.address()).await.unwrap();
        let head = format!(
            "POST /api/v1/enroll HTTP/1.1\r\nHost: county\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{{\"code\": \"",
            16 * 1024 * 1024
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        // A MiB of the 16 announced, then nothing: the server must not wait for the rest.
        let _ = stream.write_all(&vec![b'a'; 1024 * 1024]).await;
        answers.push(stream);
    }
    for stream in &mut answers {
        let mut answer = Vec::new();
        let _ =
            tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
        let text = String::from_utf8_lossy(&answer);
        assert!(
            text.starts_with("HTTP/1.1 413"),
            "an enrolment body past its small bound is refused at once: {text:.200}"
        );
        assert!(text.contains("\"error\":\"too_large\""), "{text:.400}");
    }
    let (_, peak) = server.memory();
    let grown = peak.saturating_sub(resident_before);
    assert!(
        grown < 64 * 1024 * 1024,
        "24 stalled 16 MiB enrolment bodies grew the server by {} MiB",
        grown / (1024 * 1024)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_while_a_request_hangs_half_sent() {
    let mut server = CountyServer::start();
    let mut hanging = connect_from("127.0.5.1", server.address()).await.unwrap();
    hanging
        .write_all(b"POST /api/v1/sync HTTP/1.1\r\nHost: county\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        server.terminate(Duration::from_secs(60)),
        "SIGTERM must stop the server within its shutdown deadline"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_wrong_logins_keeps_memory_flat_and_lets_the_admin_in() {
    let server = CountyServer::start();
    let mut add = std::process::Command::new(support::workspace_binary("county-server"))
        .arg("--database")
        .arg(server.database())
        .args(["admin", "add", "县边防办"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all_sync(b"flood test 2024\n");
    assert!(add.wait().unwrap().success());
    assert!(healthz_answers(&server, Duration::from_secs(10)).await);
    let (resident_before, _) = server.memory();
    let url = format!("{}/api/v1/admin/session", server.url);
    let mut flood = Vec::new();
    for attacker in 0..200u32 {
        let client = reqwest::Client::builder()
            .local_address(
                format!("127.0.11.{}", 1 + attacker % 200)
                    .parse::<IpAddr>()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let url = url.clone();
        flood.push(tokio::spawn(async move {
            let answer = client
                .post(url)
                .json(&serde_json::json!({"username": format!("猜{attacker}"), "password": "x"}))
                .send()
                .await
                .unwrap();
            answer.status().as_u16()
        }));
    }
    // The real admin, from the office, while the flood runs: told to wait when the server is
    // busy, and let in.
    let office = reqwest::Client::new();
    let mut admitted = false;
    for _ in 0..60 {
        let answer = office
            .post(&url)
            .json(&serde_json::json!({"username": "县边防办", "password": "flood test 2024"}))
            .send()
            .await
            .unwrap();
        if answer.status() == 200 {
            admitted = true;
            break;
        }
        assert_eq!(
            answer.status(),
            503,
            "only 'busy' delays the right password"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(admitted, "the admin gets in during the flood");
    let mut statuses = std::collections::BTreeMap::new();
    for attempt in flood {
        *statuses.entry(attempt.await.unwrap()).or_insert(0) += 1;
    }
    assert!(
        statuses.keys().all(|status| [401, 503].contains(status)),
        "wrong logins are refused or told the server is busy: {statuses:?}"
    );
    let (_, peak) = server.memory();
    eprintln!(
        "login flood: {statuses:?}; peak RSS {} MiB (was {} MiB)",
        peak >> 20,
        resident_before >> 20
    );
    assert!(
        peak < 300 * 1024 * 1024,
        "200 concurrent wrong logins took the server to {} MiB",
        peak >> 20
    );
}

/// `write_all` on a child's stdin (std, not tokio).
trait WriteAllSync {
    fn write_all_sync(self, bytes: &[u8]);
}

impl WriteAllSync for std::process::ChildStdin {
    fn write_all_sync(mut self, bytes: &[u8]) {
        std::io::Write::write_all(&mut self, bytes).unwrap();
    }
}
