//! `fault-proxy` owns the bad link between a device and the county server, for the system tests
//! (`tests/`) and the sync benchmark (`crates/sync-bench`): a TCP proxy on loopback that damages
//! the link the way a border mountain's 2G does. Each connection, at random, passes cleanly, is
//! delayed, is cut mid-request, is cut mid-response, or has its request replayed to the server a
//! second time. It can also add a fixed latency, either once per connection
//! ([`FaultProxy::set_latency`]) or before every request on a connection
//! ([`FaultProxy::set_request_latency`]). And it is the link emulator of the field link
//! ([`FaultProxy::set_link`], [`LinkProfile`]): a rate per direction shared by every connection,
//! a fixed one-way delay, outages on a schedule that cut every open connection and go on for as
//! long as the proxy runs, and counters of the bytes put on the link ([`FaultProxy::totals`]).
//! The kernel here has no `netem`, so all of it is made in user space. It knows nothing of HTTP
//! beyond "the client speaks, then the server answers".

mod forward;
mod link;

pub use link::{CutSchedule, LinkProfile, LinkTotals};

use forward::{pump, PumpRules};
use link::{Direction, Link};

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Clean,
    /// Wait before forwarding anything.
    Delay,
    /// Forward only part of the request, then close both ways.
    CutRequest,
    /// Forward the request, then only part of the answer, then close.
    CutResponse,
    /// Forward cleanly, then send the same request bytes to the server once more.
    Replay,
}

/// How often each fault happens, out of 100 connections (the rest are clean).
#[derive(Debug, Clone, Copy)]
pub struct FaultMix {
    pub delay: u64,
    pub cut_request: u64,
    pub cut_response: u64,
    pub replay: u64,
}

impl FaultMix {
    pub const NONE: FaultMix = FaultMix {
        delay: 0,
        cut_request: 0,
        cut_response: 0,
        replay: 0,
    };
    pub const HARSH: FaultMix = FaultMix {
        delay: 15,
        cut_request: 15,
        cut_response: 20,
        replay: 15,
    };
}

pub struct FaultProxy {
    pub address: SocketAddr,
    mix: Arc<Mutex<FaultMix>>,
    /// Added once to every connection before it is forwarded. An HTTP client that keeps its
    /// connections alive pays it once per connection, not once per request.
    latency: Arc<Mutex<Duration>>,
    /// Added before each request on a connection: before the first bytes the client sends, and
    /// again whenever the client speaks after the server has answered (keep-alive included).
    request_latency: Arc<Mutex<Duration>>,
    pub connections: Arc<AtomicU64>,
    pub faults: Arc<Mutex<Vec<Fault>>>,
    link: Arc<Link>,
    stop: Arc<AtomicBool>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` on a free loopback port.
    pub async fn start(upstream: SocketAddr, seed: u64) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let proxy = FaultProxy {
            address,
            mix: Arc::new(Mutex::new(FaultMix::NONE)),
            latency: Arc::new(Mutex::new(Duration::ZERO)),
            request_latency: Arc::new(Mutex::new(Duration::ZERO)),
            connections: Arc::new(AtomicU64::new(0)),
            faults: Arc::new(Mutex::new(Vec::new())),
            link: Link::new(),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (mix, latency, request_latency, connections, faults, link, stop) = (
            proxy.mix.clone(),
            proxy.latency.clone(),
            proxy.request_latency.clone(),
            proxy.connections.clone(),
            proxy.faults.clone(),
            proxy.link.clone(),
            proxy.stop.clone(),
        );
        let upstream = Arc::new(Mutex::new(upstream));
        tokio::spawn(async move {
            let mut random = seed | 1;
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                connections.fetch_add(1, Ordering::Relaxed);
                let roll = next(&mut random) % 100;
                let cut_at = next(&mut random);
                let current = *mix.lock().unwrap();
                let fault = pick(current, roll);
                faults.lock().unwrap().push(fault);
                let delays = Delays {
                    connection: *latency.lock().unwrap(),
                    request: *request_latency.lock().unwrap(),
                };
                let target = *upstream.lock().unwrap();
                let link = link.clone();
                tokio::spawn(async move {
                    let _ = handle(client, target, fault, cut_at, delays, link).await;
                });
            }
        });
        proxy
    }

    pub fn set_mix(&self, mix: FaultMix) {
        *self.mix.lock().unwrap() = mix;
    }

    /// Latency added once per new connection (from the next accepted connection on).
    pub fn set_latency(&self, latency: Duration) {
        *self.latency.lock().unwrap() = latency;
    }

    /// Latency added before every request, also on a kept-alive connection (from the next
    /// accepted connection on): the "100 ms per request" link.
    pub fn set_request_latency(&self, latency: Duration) {
        *self.request_latency.lock().unwrap() = latency;
    }

    /// Shapes every connection from now on (rate, delay, outages); a new cut schedule starts
    /// counting from now and goes on until the proxy is dropped or the profile changes.
    pub fn set_link(&self, profile: LinkProfile) {
        self.link.set_profile(profile);
    }

    /// Bytes put on the link each way, outages and connections they cut, since the start.
    pub fn totals(&self) -> LinkTotals {
        self.link.counters.totals()
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn fault_counts(&self) -> Vec<(Fault, usize)> {
        let faults = self.faults.lock().unwrap();
        [
            Fault::Clean,
            Fault::Delay,
            Fault::CutRequest,
            Fault::CutResponse,
            Fault::Replay,
        ]
        .into_iter()
        .map(|fault| (fault, faults.iter().filter(|f| **f == fault).count()))
        .collect()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The fixed delays of one connection.
#[derive(Debug, Clone, Copy)]
struct Delays {
    connection: Duration,
    request: Duration,
}

fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn pick(mix: FaultMix, roll: u64) -> Fault {
    let mut bound = mix.delay;
    if roll < bound {
        return Fault::Delay;
    }
    bound += mix.cut_request;
    if roll < bound {
        return Fault::CutRequest;
    }
    bound += mix.cut_response;
    if roll < bound {
        return Fault::CutResponse;
    }
    bound += mix.replay;
    if roll < bound {
        return Fault::Replay;
    }
    Fault::Clean
}

async fn handle(
    client: TcpStream,
    upstream: SocketAddr,
    fault: Fault,
    cut_at: u64,
    delays: Delays,
    link: Arc<Link>,
) -> std::io::Result<()> {
    // A connection opened while the link is dark waits for it, as a retried SYN would.
    link.wait_until_lit().await;
    let mut outages = link.generation();
    outages.borrow_and_update();
    if !delays.connection.is_zero() {
        tokio::time::sleep(delays.connection).await;
    }
    if fault == Fault::Delay {
        tokio::time::sleep(Duration::from_millis(50 + cut_at % 400)).await;
    }
    let server = TcpStream::connect(upstream).await?;
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let up_rules = PumpRules {
        direction: Direction::Up,
        // Cut somewhere in the first 8 KiB of the request: headers or body.
        limit: (fault == Fault::CutRequest).then(|| 1 + (cut_at % 8192) as usize),
        request_latency: delays.request,
        record: (fault == Fault::Replay).then(|| recorded.clone()),
    };
    let down_rules = PumpRules {
        direction: Direction::Down,
        limit: (fault == Fault::CutResponse).then(|| 1 + (cut_at % 2048) as usize),
        request_latency: Duration::ZERO,
        record: None,
    };
    // Set when the server has answered: the client's next bytes start a new request.
    let answered = Arc::new(AtomicBool::new(true));
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let both_ways = async {
        tokio::try_join!(
            pump(
                client_read,
                server_write,
                up_rules,
                link.clone(),
                answered.clone()
            ),
            pump(
                server_read,
                client_write,
                down_rules,
                link.clone(),
                answered
            ),
        )
    };
    // Either direction failing (a cut) ends the connection both ways; so does an outage.
    tokio::select! {
        _ = both_ways => {}
        _ = outages.changed() => {
            link.counters.connections_cut.fetch_add(1, Ordering::Relaxed);
        }
    }
    if fault == Fault::Replay {
        let bytes = recorded.lock().unwrap().clone();
        replay(upstream, &bytes).await?;
    }
    Ok(())
}

/// Sends the recorded request bytes to the server once more, on a new connection.
async fn replay(upstream: SocketAddr, bytes: &[u8]) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut again = TcpStream::connect(upstream).await?;
    again.write_all(bytes).await?;
    again.shutdown().await?;
    let mut sink = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), again.read_to_end(&mut sink)).await;
    Ok(())
}
