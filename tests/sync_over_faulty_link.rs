//! Four devices of two posts record and sync for 200 rounds through a proxy that delays, cuts
//! requests and answers mid-way, and replays requests. At the end the county server holds
//! exactly the union of what the devices recorded — none twice, none lost — and every device
//! holds its own post's entries and none of the other post's.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use support::fault_proxy::{FaultMix, FaultProxy};
use support::*;

const ROUNDS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_entry_arrives_exactly_once_over_a_damaged_link() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed}");
    let server = CountyServer::start();
    let posts = [server.add_post("田蓬联防所"), server.add_post("木央联防所")];
    let devices: Vec<(usize, Device)> = (0..4)
        .map(|index| (index % 2, Device::new(&format!("手机{index}"))))
        .collect();
    for (post, device) in &devices {
        device.enroll(&server, &posts[*post]).await;
    }
    let proxy = FaultProxy::start(server.address(), seed).await;
    proxy.set_mix(FaultMix::HARSH);
    for (_, device) in &devices {
        device.use_server_url(&proxy.url());
    }

    let mut random = seed;
    let mut next = move || {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        random
    };
    let mut recorded: BTreeMap<String, usize> = BTreeMap::new(); // entry id → post
                                                                 // Requests the faults broke: tried again within a sync, or ending a sync.
    let mut broken = 0;
    for round in 0..ROUNDS {
        let (post, device) = &devices[(next() % 4) as usize];
        let new_entries = next() % 4;
        for n in 0..new_entries {
            let text = format!("第{round}轮 {} 第{n}条", device.name);
            let id = if next() % 2 == 0 {
                device.record(&hazard_json(1 + (round % 28) as u32, &text))
            } else {
                device.record(&patrol_json(1 + (round % 28) as u32, &text))
            };
            recorded.insert(id, *post);
        }
        if next() % 5 == 0 {
            // Edit or delete one of its entries now and then: more records of the same entry.
            let ids = device.entry_ids();
            if let Some(id) = ids.iter().nth((next() as usize) % ids.len().max(1)) {
                let mut store = device.store.lock().unwrap();
                let entry_id = id.parse().unwrap();
                let current = store.entry(entry_id).unwrap();
                if !current.deleted {
                    if next() % 3 == 0 {
                        store.delete_entry(entry_id).unwrap();
                    } else if let patrol_model::EntryBody::Hazard(mut body) =
                        current.draft.body.clone()
                    {
                        body.description.push_str(" 已复查");
                        let draft = patrol_model::EntryDraft {
                            body: patrol_model::EntryBody::Hazard(body),
                            ..current.draft.clone()
                        };
                        store.edit_entry(entry_id, draft).unwrap();
                    }
                }
            }
        }
        match device.sync().await {
            Ok(report) => broken += report.retries,
            Err(_) => broken += 1,
        }
    }
    println!(
        "faults per connection: {:?}; requests broken {broken}",
        proxy.fault_counts()
    );
    // The link really was bad: every kind of fault happened many times and broke requests.
    for (fault, count) in proxy.fault_counts() {
        assert!(count >= 10, "{fault:?} happened only {count} times");
    }
    assert!(
        broken >= 5,
        "the proxy must actually break requests ({broken} broken)"
    );

    // The link heals: every device syncs until it has nothing left to send, then once more to
    // pull what the others sent last.
    proxy.set_mix(FaultMix::NONE);
    for _ in 0..2 {
        for (_, device) in &devices {
            device.sync().await.unwrap();
            assert_eq!(
                device.pending(),
                0,
                "{} still has records to send",
                device.name
            );
        }
    }

    let exported = server.export();
    let server_ids: Vec<String> = exported
        .iter()
        .map(|entry| entry["id"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<&String> = server_ids.iter().collect();
    assert_eq!(
        unique.len(),
        server_ids.len(),
        "an entry is on the server twice"
    );
    let recorded_ids: BTreeSet<&String> = recorded.keys().collect();
    assert_eq!(
        unique, recorded_ids,
        "the server must hold exactly what the devices recorded"
    );

    for (post, device) in &devices {
        let expected: BTreeSet<String> = recorded
            .iter()
            .filter(|(_, entry_post)| *entry_post == post)
            .map(|(id, _)| id.clone())
            .collect();
        assert_eq!(
            device.entry_ids(),
            expected,
            "{} must hold its post's entries, only those",
            device.name
        );
    }
    // Edits and deletes arrived too: each device's current version equals the server's.
    for entry in &exported {
        let id = entry["id"].as_str().unwrap();
        let (_, device) = devices
            .iter()
            .find(|(post, _)| *post == recorded[id])
            .unwrap();
        let local = device
            .store
            .lock()
            .unwrap()
            .entry(id.parse().unwrap())
            .unwrap();
        assert_eq!(
            local.deleted,
            entry["deleted"].as_bool().unwrap_or(false),
            "{id}"
        );
        assert_eq!(
            serde_json::to_value(&local).unwrap()["body"],
            entry["body"],
            "{id}: the device and the server disagree"
        );
    }
}
