//! Two members edit the same entry on two phones while both are offline. After syncing, both
//! edits are in the entry's history, and the merge is the protocol's: per field, the later clock
//! wins — the same on both phones and on the server.

mod support;

use patrol_model::{EntryBody, EntryDraft, HazardSeverity};
use support::*;

fn edit_hazard(device: &Device, id: &str, change: impl FnOnce(&mut patrol_model::HazardBody)) {
    let mut store = device.store.lock().unwrap();
    let entry_id = id.parse().unwrap();
    let current = store.entry(entry_id).unwrap();
    let EntryBody::Hazard(mut body) = current.draft.body.clone() else {
        panic!("not a hazard")
    };
    change(&mut body);
    let draft = EntryDraft {
        body: EntryBody::Hazard(body),
        ..current.draft.clone()
    };
    store.edit_entry(entry_id, draft).unwrap();
}

fn hazard_body(device: &Device, id: &str) -> patrol_model::HazardBody {
    let entry = device
        .store
        .lock()
        .unwrap()
        .entry(id.parse().unwrap())
        .unwrap();
    match entry.draft.body {
        EntryBody::Hazard(body) => body,
        _ => panic!("not a hazard"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_edits_of_one_entry_merge_field_by_field_everywhere() {
    let server = CountyServer::start();
    let post = server.add_post("田蓬联防所");
    let (phone_a, phone_b) = (Device::new("李国华的手机"), Device::new("王明的手机"));
    phone_a.enroll(&server, &post).await;
    phone_b.enroll(&server, &post).await;

    let id = phone_a.record(&hazard_json(2, "铁网冲毁"));
    phone_a.sync().await.unwrap();
    phone_b.sync().await.unwrap();
    assert_eq!(
        hazard_body(&phone_b, &id).description,
        "铁网冲毁",
        "B received A's hazard"
    );

    // Both offline: A raises the severity and rewrites the description; a little later B, who
    // walked to the spot, rewrites the description too.
    edit_hazard(&phone_a, &id, |body| {
        body.severity = HazardSeverity::Critical;
        body.description = "铁网冲毁,牲畜可穿越".into();
    });
    std::thread::sleep(std::time::Duration::from_millis(20));
    edit_hazard(&phone_b, &id, |body| {
        body.description = "铁网冲毁约30米,需立即修复".into()
    });

    // B reaches the network first, then A, then both once more to see each other's edits.
    phone_b.sync().await.unwrap();
    phone_a.sync().await.unwrap();
    phone_b.sync().await.unwrap();
    phone_a.sync().await.unwrap();

    let expected_severity = HazardSeverity::Critical; // only A changed it
    let expected_description = "铁网冲毁约30米,需立即修复"; // B's edit is later
    for phone in [&phone_a, &phone_b] {
        let body = hazard_body(phone, &id);
        assert_eq!(body.severity, expected_severity, "{}", phone.name);
        assert_eq!(body.description, expected_description, "{}", phone.name);
    }
    let on_server = server
        .export()
        .into_iter()
        .find(|entry| entry["id"] == id.as_str())
        .unwrap();
    assert_eq!(on_server["body"]["severity"], "critical");
    assert_eq!(on_server["body"]["description"], expected_description);

    // Every version is kept: each phone's history holds its own edit and the merged result.
    for (phone, own_edit) in [
        (&phone_a, "铁网冲毁,牲畜可穿越"),
        (&phone_b, expected_description),
    ] {
        let history = phone
            .store
            .lock()
            .unwrap()
            .entry_history(id.parse().unwrap())
            .unwrap();
        let descriptions: Vec<String> = history
            .iter()
            .map(|version| match &version.entry.draft.body {
                EntryBody::Hazard(body) => body.description.clone(),
                _ => String::new(),
            })
            .collect();
        assert!(
            descriptions.iter().any(|d| d == own_edit),
            "{}: {descriptions:?}",
            phone.name
        );
        assert_eq!(
            descriptions.last().map(String::as_str),
            Some(expected_description),
            "{}",
            phone.name
        );
    }
}
