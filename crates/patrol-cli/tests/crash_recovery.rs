//! The phone dies mid-write: a `patrol record --jsonl` process recording entries as fast as it
//! can is killed with SIGKILL at random moments, 40 times over the same store. After each kill,
//! every entry whose id it had printed is there, the outbox matches the entries' versions one to
//! one with no gap in its sequence, and SQLite's integrity check says `ok`.

mod common;

use common::*;
use patrol_device::DeviceStore;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::Duration;

const ROUNDS: usize = 40;

/// xorshift64*: enough randomness for kill times, reproducible from the printed seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

fn lines_for_round(round: usize, hazards_so_far: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    for n in 0..400 {
        let day = 1 + (round + n) % 28;
        match n % 4 {
            0 | 1 => lines.push(
                HAZARD
                    .replace("2024-03-02", &format!("2024-04-{day:02}"))
                    .replace(
                        "铁网被洪水冲毁约30米",
                        &format!("第{round}轮第{n}条 塌方阻断便道"),
                    ),
            ),
            2 => lines.push(PATROL.replace("2024-03-02", &format!("2024-05-{day:02}"))),
            _ => {
                // A repair closing an earlier hazard: two entries change in one transaction.
                if let Some(hazard) =
                    hazards_so_far.get((round * 7 + n) % hazards_so_far.len().max(1))
                {
                    lines.push(repair_closing(hazard));
                }
            }
        }
    }
    lines
}

#[test]
fn entries_survive_sigkill_at_random_moments() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("crash test seed: {seed}");
    let mut random = Random(seed);
    let patrol = Patrol::new();
    let mut printed_ids: Vec<String> = Vec::new();
    let mut hazard_ids: Vec<String> = Vec::new();
    let mut kills_mid_stream = 0;

    for round in 0..ROUNDS {
        let lines = lines_for_round(round, &hazard_ids);
        let mut child = patrol
            .command()
            .args(["record", "--jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            for line in lines {
                if writeln!(stdin, "{line}").is_err() {
                    return; // the child was killed
                }
            }
        });
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });

        std::thread::sleep(Duration::from_millis(5 + random.below(150)));
        let finished_before_kill = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        feeder.join().unwrap();
        let ids = reader.join().unwrap();
        if !finished_before_kill {
            kills_mid_stream += 1;
        }

        let store = DeviceStore::open(patrol.path()).unwrap();
        assert_eq!(
            store.integrity_check().unwrap(),
            "ok",
            "round {round} (seed {seed})"
        );
        for id in &ids {
            let entry = store.entry(id.parse().unwrap()).unwrap_or_else(|error| {
                panic!("round {round}: printed id {id} is lost: {error} (seed {seed})")
            });
            if entry.kind() == patrol_model::EntryKind::Hazard {
                hazard_ids.push(id.clone());
            }
        }
        printed_ids.extend(ids);
        drop(store);
        assert_outbox_matches_versions(&patrol, round, seed);
    }

    let store = DeviceStore::open(patrol.path()).unwrap();
    for id in &printed_ids {
        assert!(
            store.entry(id.parse().unwrap()).is_ok(),
            "{id} lost by the end (seed {seed})"
        );
    }
    assert!(
        printed_ids.len() > 100,
        "the child recorded too little to test anything: {}",
        printed_ids.len()
    );
    assert!(
        kills_mid_stream >= 30,
        "only {kills_mid_stream} kills hit a running writer"
    );
}

/// Every version has exactly one outbox record and every record one version; sequence numbers
/// run 1..=n; each entry's current revision is its newest version.
fn assert_outbox_matches_versions(patrol: &Patrol, round: usize, seed: u64) {
    let connection = patrol_device::store::at_rest::open_raw_store(patrol.path()).unwrap();
    let count = |sql: &str| -> i64 { connection.query_row(sql, [], |row| row.get(0)).unwrap() };
    let versions = count("SELECT COUNT(*) FROM entry_versions WHERE source = 'local'");
    let outbox = count("SELECT COUNT(*) FROM outbox");
    assert_eq!(
        versions, outbox,
        "round {round}: versions vs outbox (seed {seed})"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox o JOIN entry_versions v ON v.entry_id = o.entry_id AND v.revision = o.revision"),
        outbox,
        "round {round}: an outbox record without its version (seed {seed})"
    );
    assert_eq!(
        count("SELECT COALESCE(MAX(seq), 0) FROM outbox"),
        outbox,
        "round {round}: a gap in the outbox sequence (seed {seed})"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM entries e WHERE e.revision <> (SELECT MAX(revision) FROM entry_versions v WHERE v.entry_id = e.id)"),
        0,
        "round {round}: an entry's current revision is not its newest version (seed {seed})"
    );
    // The monthly statistics kept on every write equal a count of the entries themselves.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM (
                 SELECT kind, category, month, entries, ROUND(COALESCE(quantity, 0), 3), fixed
                 FROM monthly_statistics WHERE entries > 0
                 EXCEPT
                 SELECT kind, category, substr(local_date, 1, 7), COUNT(*),
                        ROUND(COALESCE(SUM(quantity), 0), 3), SUM(IFNULL(status, '') = 'fixed')
                 FROM entries WHERE deleted = 0 GROUP BY kind, category, substr(local_date, 1, 7))"
        ),
        0,
        "round {round}: monthly statistics drifted from the entries (seed {seed})"
    );
}
