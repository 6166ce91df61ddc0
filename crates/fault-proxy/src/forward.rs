//! One connection through the proxy: two pumps (client → server, server → client), each a reader
//! that takes bytes only as fast as the link carries them and a writer that hands them on after
//! the link's delay; a fault's byte limit; the per-request latency; and the cut of an outage.

use crate::link::{Direction, Link};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// What one direction of one connection is allowed and must do.
pub(crate) struct PumpRules {
    pub direction: Direction,
    /// Forward at most this many bytes, then cut the connection (a fault).
    pub limit: Option<usize>,
    /// Wait this long before the first bytes of each request (up direction only).
    pub request_latency: Duration,
    /// Keep a copy of what passed (to replay it).
    pub record: Option<Arc<Mutex<Vec<u8>>>>,
}

enum Piece {
    Bytes(Vec<u8>, Instant),
    End,
    Cut,
}

/// Reads at most this much at once: about 50 ms of the link, so a cut is as sharp as the link.
fn read_size(link: &Link, direction: Direction) -> usize {
    match link.rate(direction) {
        Some(rate) => ((rate / 20) as usize).clamp(256, 16 * 1024),
        None => 16 * 1024,
    }
}

/// Carries one direction until its end, a fault's cut, or an error.
pub(crate) async fn pump(
    from: OwnedReadHalf,
    to: OwnedWriteHalf,
    rules: PumpRules,
    link: Arc<Link>,
    answered: Arc<AtomicBool>,
) -> std::io::Result<()> {
    let (sender, receiver) = mpsc::channel(64);
    let reader = read_side(from, sender, &rules, &link, &answered);
    let writer = write_side(to, receiver, rules.direction, &answered);
    tokio::try_join!(reader, writer).map(|_| ())
}

async fn read_side(
    mut from: OwnedReadHalf,
    sender: mpsc::Sender<Piece>,
    rules: &PumpRules,
    link: &Link,
    answered: &AtomicBool,
) -> std::io::Result<()> {
    let mut buffer = vec![0u8; read_size(link, rules.direction)];
    let mut passed = 0usize;
    let delay = link.profile().one_way_delay;
    loop {
        let read = from.read(&mut buffer).await?;
        if read == 0 {
            let _ = sender.send(Piece::End).await;
            return Ok(());
        }
        if rules.direction == Direction::Up
            && !rules.request_latency.is_zero()
            && answered.swap(false, Ordering::Relaxed)
        {
            tokio::time::sleep(rules.request_latency).await;
        }
        let allowed = match rules.limit {
            Some(limit) => read.min(limit.saturating_sub(passed)),
            None => read,
        };
        let bytes = buffer[..allowed].to_vec();
        if let Some(record) = &rules.record {
            record.lock().unwrap().extend_from_slice(&bytes);
        }
        passed += allowed;
        let arrives = link.carry(rules.direction, allowed);
        // Take no more from the sender until the link has carried these bytes.
        tokio::time::sleep_until(arrives.checked_sub(delay).unwrap_or(arrives)).await;
        if sender.send(Piece::Bytes(bytes, arrives)).await.is_err() {
            return Ok(());
        }
        if rules.limit.is_some_and(|limit| passed >= limit) {
            // The writer hands on what passed, then ends the connection.
            let _ = sender.send(Piece::Cut).await;
            return Ok(());
        }
    }
}

async fn write_side(
    mut to: OwnedWriteHalf,
    mut receiver: mpsc::Receiver<Piece>,
    direction: Direction,
    answered: &AtomicBool,
) -> std::io::Result<()> {
    while let Some(piece) = receiver.recv().await {
        match piece {
            Piece::Bytes(bytes, arrives) => {
                tokio::time::sleep_until(arrives).await;
                to.write_all(&bytes).await?;
                if direction == Direction::Down {
                    answered.store(true, Ordering::Relaxed);
                }
            }
            Piece::End => return to.shutdown().await,
            Piece::Cut => return Err(std::io::Error::other("cut by a fault")),
        }
    }
    Ok(())
}
