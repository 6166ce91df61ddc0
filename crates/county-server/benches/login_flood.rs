//! A login flood against the real `county-server` process (issue 11): what the admin's correct
//! password costs while 200 attackers keep guessing, and the server's peak memory.
//!
//! `cargo bench -p county-server --bench login_flood` (release build of the server). The server
//! runs on loopback with a fresh SQLite database and one admin (the tests' `ServerProcess`). Each attacker sends wrong
//! logins back to back for the flood's length, each from a fresh loopback address and with a
//! fresh user name, so no back-off spares the password hashing: the worst case. The office logs
//! in with the right password every 250 ms from 127.0.0.1, answering a 503 ("服务器正忙") by
//! trying again after 100 ms; the bench reports the time from its first try to the session,
//! idle and under the flood, and the server's VmHWM. Under `cargo test --all-targets` it runs a
//! short flood of 20 attackers.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "flood bench 2024";
const ADMIN: &str = "县边防办";

fn measuring() -> bool {
    std::env::args().any(|argument| argument == "--bench")
}

#[path = "../tests/common/mod.rs"]
mod common;

use common::process::ServerProcess;

/// (VmRSS, VmHWM) of the server process, in MiB.
fn memory_mib(server: &ServerProcess) -> (u64, u64) {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0)
            >> 10
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The right password until a session: how long, and how many 503s on the way.
async fn office_login(client: &reqwest::Client, url: &str) -> (Duration, u32) {
    let started = Instant::now();
    let mut busy = 0;
    loop {
        let answer = client
            .post(url)
            .json(&serde_json::json!({"username": ADMIN, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        match answer.status().as_u16() {
            200 => return (started.elapsed(), busy),
            503 => {
                busy += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => panic!("the right password answered {other}"),
        }
    }
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * share).round() as usize]
}

fn summary(label: &str, mut times: Vec<Duration>, busy: u32) {
    times.sort();
    eprintln!(
        "{label}: {} logins, median {:.0} ms, p95 {:.0} ms, max {:.0} ms, {busy} answers 503 on the way",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (attackers, flood_for, idle_logins) = if measuring() {
        (200u32, Duration::from_secs(30), 20)
    } else {
        (20u32, Duration::from_secs(2), 3)
    };
    let server = ServerProcess::start(None);
    server.add_admin(ADMIN, PASSWORD, "admin");
    server.ready().await;
    let url = server.url("/api/v1/admin/session");
    let office = reqwest::Client::new();

    let mut idle = Vec::new();
    for _ in 0..idle_logins {
        idle.push(office_login(&office, &url).await.0);
    }
    let (_, idle_peak) = memory_mib(&server);
    summary("idle", idle, 0);

    let stop = Arc::new(AtomicBool::new(false));
    let answers: Arc<[AtomicU64; 3]> = Arc::new(Default::default());
    let next_address = Arc::new(AtomicU64::new(0));
    let mut flood = Vec::new();
    for attacker in 0..attackers {
        let (stop, answers, next_address, url) = (
            stop.clone(),
            answers.clone(),
            next_address.clone(),
            url.clone(),
        );
        flood.push(tokio::spawn(async move {
            let mut guess = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // A fresh address from 127.11.0.0/16 and a fresh name each time.
                let n = next_address.fetch_add(1, Ordering::Relaxed) % 65_000;
                let address: IpAddr = format!("127.11.{}.{}", n / 250, 1 + n % 250).parse().unwrap();
                let client = reqwest::Client::builder()
                    .local_address(address)
                    .build()
                    .unwrap();
                let answer = client
                    .post(&url)
                    .json(&serde_json::json!({"username": format!("猜{attacker}-{guess}"), "password": "x"}))
                    .send()
                    .await;
                let slot = match answer.map(|answer| answer.status().as_u16()) {
                    Ok(401) => 0,
                    Ok(503) => 1,
                    _ => 2,
                };
                answers[slot].fetch_add(1, Ordering::Relaxed);
                guess += 1;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let flood_started = Instant::now();
    let mut under_flood = Vec::new();
    let mut busy_total = 0;
    while flood_started.elapsed() < flood_for {
        let (took, busy) = office_login(&office, &url).await;
        under_flood.push(took);
        busy_total += busy;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for attacker in flood {
        attacker.await.unwrap();
    }
    let (resident, peak) = memory_mib(&server);
    summary("under the flood", under_flood, busy_total);
    let elapsed = flood_started.elapsed().as_secs_f64() + 0.5;
    let [wrong, busy, other] = [0, 1, 2].map(|slot| answers[slot].load(Ordering::Relaxed));
    eprintln!(
        "the flood: {attackers} attackers for {elapsed:.0} s: {wrong} wrong logins checked ({:.0}/s), {busy} told 503, {other} other; \
         server memory: peak {peak} MiB (idle peak {idle_peak} MiB), {resident} MiB after",
        wrong as f64 / elapsed
    );
    assert_eq!(other, 0, "every wrong login is a 401 or a 503");
}
