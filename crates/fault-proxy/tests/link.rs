//! The link emulator as a sender sees it: bytes take at least as long as the rate allows, arrive
//! whole, are counted, and an outage cuts every open connection and holds new ones until the
//! link is back. Only lower bounds on time are asserted: a busy machine can only make it slower.

use fault_proxy::{CutSchedule, FaultProxy, LinkProfile};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A server that answers every connection with the byte count it read, once the client is done.
async fn counting_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut received = Vec::new();
                if socket.read_to_end(&mut received).await.is_ok() {
                    let _ = socket
                        .write_all(received.len().to_string().as_bytes())
                        .await;
                }
            });
        }
    });
    address
}

async fn send_through(proxy: &FaultProxy, bytes: &[u8]) -> std::io::Result<String> {
    let mut socket = TcpStream::connect(proxy.address).await?;
    socket.write_all(bytes).await?;
    socket.shutdown().await?;
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await?;
    Ok(answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bytes_cross_no_faster_than_the_rate_and_are_counted() {
    let proxy = FaultProxy::start(counting_server().await, 1).await;
    proxy.set_link(LinkProfile {
        up_bytes_per_second: Some(8_000),
        down_bytes_per_second: Some(8_000),
        one_way_delay: Duration::from_millis(150),
        cuts: None,
    });
    let payload = vec![7u8; 24_000];
    let started = Instant::now();
    let answer = send_through(&proxy, &payload).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(answer, "24000", "the bytes arrived damaged or short");
    // 24,000 B at 8,000 B/s is 3 s, plus the round trip of the answer.
    assert!(
        elapsed >= Duration::from_millis(3_250),
        "24 kB crossed a 64 kbit/s link in {elapsed:?}"
    );
    let totals = proxy.totals();
    assert_eq!(totals.bytes_up, 24_000);
    assert_eq!(totals.bytes_down, 5);
    assert_eq!(totals.cuts, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_share_the_one_link() {
    let proxy = FaultProxy::start(counting_server().await, 2).await;
    proxy.set_link(LinkProfile {
        up_bytes_per_second: Some(10_000),
        ..LinkProfile::CLEAN
    });
    let payload = vec![1u8; 10_000];
    let started = Instant::now();
    let (first, second) = tokio::join!(
        send_through(&proxy, &payload),
        send_through(&proxy, &payload)
    );
    assert_eq!(first.unwrap(), "10000");
    assert_eq!(second.unwrap(), "10000");
    // Two connections at once still share 10 kB/s: 20 kB take 2 s, not 1.
    assert!(started.elapsed() >= Duration::from_millis(1_900));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_cuts_open_connections_and_holds_new_ones_until_it_ends() {
    let proxy = FaultProxy::start(counting_server().await, 3).await;
    proxy.set_link(LinkProfile {
        up_bytes_per_second: Some(4_000),
        cuts: Some(CutSchedule {
            every: Duration::from_millis(1_500),
            lasting: Duration::from_millis(500),
        }),
        ..LinkProfile::CLEAN
    });
    // 8 kB at 4 kB/s need 2 s: the outage at 1 s cuts them.
    let cut = send_through(&proxy, &vec![2u8; 8_000]).await;
    assert!(
        !matches!(&cut, Ok(answer) if answer == "8000"),
        "a transfer across an outage arrived whole: {cut:?}"
    );
    let totals = proxy.totals();
    assert_eq!(totals.cuts, 1);
    assert_eq!(totals.connections_cut, 1);
    assert!(totals.bytes_up < 8_000);

    // Small transfers between outages go through, the cuts go on.
    let mut delivered = 0;
    for _ in 0..6 {
        if send_through(&proxy, &[3u8; 400]).await.ok().as_deref() == Some("400") {
            delivered += 1;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(
        delivered >= 4,
        "only {delivered} of 6 small transfers got through"
    );
    assert!(proxy.totals().cuts >= 2, "the outages stopped");
}
