//! One backend through every dashboard query: sync the data set, check each answer against the
//! hand-counted figures, and return the answers (ids of posts replaced by names, times of
//! contact left out) for comparing the backends.

use super::common::{record, request};
use super::data::{seed_entries, POST_NAMES};
use chrono::{DateTime, NaiveDate, Utc};
use county_server::secrets::{enrolment_code_hash, new_enrolment_code, sha256_hex};
use county_server::storage::dashboard::{DashboardEntryFilter, EntryPage};
use county_server::storage::{AuthenticatedDevice, NewDevice, Post};
use county_server::SharedStorage;
use patrol_model::sync::{SyncRecord, SyncResponse};
use patrol_model::{DeviceId, EntryId};
use serde_json::Value;
use std::collections::BTreeMap;

/// What both backends get alike: device ids, entry documents, the review's time.
pub struct Fixture {
    pub devices: [(DeviceId, &'static str); 3],
    pub entries: Vec<(usize, &'static str, Value)>,
    pub decided_at: DateTime<Utc>,
    pub new_entry_id: EntryId,
}

impl Fixture {
    pub fn new() -> Fixture {
        let devices = [
            (DeviceId::new_v7(), "田蓬-李国华的手机"),
            (DeviceId::new_v7(), "田蓬-所部电脑"),
            (DeviceId::new_v7(), "木央-王强的手机"),
        ];
        let entries = seed_entries()
            .into_iter()
            .map(|seed| {
                let mut document = seed.document;
                let sender = if seed.post == 0 { 0 } else { 2 };
                document["device_id"] = devices[sender].0.to_string().into();
                (sender, seed.name, document)
            })
            .collect();
        Fixture {
            devices,
            entries,
            decided_at: "2025-01-05T02:00:00Z".parse().unwrap(),
            new_entry_id: EntryId::new_v7(),
        }
    }

    pub fn document(&self, name: &str) -> &Value {
        &self.entries.iter().find(|(_, n, _)| *n == name).unwrap().2
    }

    pub fn id(&self, name: &str) -> EntryId {
        self.document(name)["id"].as_str().unwrap().parse().unwrap()
    }
}

async fn enrol(
    storage: &SharedStorage,
    post: &Post,
    id: DeviceId,
    label: &str,
) -> AuthenticatedDevice {
    let code = new_enrolment_code().unwrap();
    let now = Utc::now().timestamp_millis();
    storage
        .create_enrolment_code(
            post.id,
            &enrolment_code_hash(&code),
            now + 60_000,
            &county_server::audit::Actor::cli(),
        )
        .await
        .unwrap();
    let token = format!("token-{id}");
    storage
        .enrol_device(NewDevice {
            code_sha256: enrolment_code_hash(&code),
            device_id: id,
            label: label.into(),
            token_sha256: sha256_hex(&token),
            now_ms: now,
        })
        .await
        .unwrap();
    storage
        .authenticate(&sha256_hex(&token))
        .await
        .unwrap()
        .unwrap()
}

pub async fn sync(
    storage: &SharedStorage,
    device: AuthenticatedDevice,
    records: Vec<SyncRecord>,
    pull: bool,
) -> SyncResponse {
    let answer = storage
        .sync(
            device,
            request(records, pull.then_some(("", 1000))),
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(answer.rejected.is_empty(), "{:?}", answer.rejected);
    answer
}

pub async fn page(storage: &SharedStorage, filter: DashboardEntryFilter) -> EntryPage {
    storage.entry_page(filter, None, 200).await.unwrap()
}

pub fn day(text: &str) -> Option<NaiveDate> {
    Some(text.parse().unwrap())
}

/// The answers keyed by name, as JSON with post ids replaced by post names.
pub type Answers = BTreeMap<String, Value>;

pub async fn exercise_backend(
    backend: &str,
    storage: &SharedStorage,
    fixture: &Fixture,
) -> Answers {
    let mut answers = Answers::new();
    assert_eq!(
        storage.latest_entry_year().await.unwrap(),
        None,
        "[{backend}] no entry, no year"
    );
    let mut posts = Vec::new();
    for name in POST_NAMES.iter().chain(["剥隘联防所"].iter()) {
        posts.push(
            storage
                .create_post(name, &county_server::audit::Actor::cli())
                .await
                .unwrap(),
        );
    }
    let mut devices = Vec::new();
    for (index, (id, label)) in fixture.devices.iter().enumerate() {
        let post = if index < 2 { &posts[0] } else { &posts[1] };
        devices.push(enrol(storage, post, *id, label).await);
    }
    let (a1, a2, b1) = (devices[0], devices[1], devices[2]);
    // The oldest record waited an hour on its device.
    let hour_ago = Utc::now().timestamp_millis() - 3_600_000;
    let mut seqs = [0u64; 3];
    let mut batches: [Vec<SyncRecord>; 3] = Default::default();
    for (sender, _, document) in &fixture.entries {
        seqs[*sender] += 1;
        let wall = hour_ago + seqs[*sender] as i64;
        batches[*sender].push(record(
            seqs[*sender],
            devices[*sender].device_id,
            wall,
            None,
            document,
        ));
    }
    let [batch_a, _, batch_b] = batches;
    sync(storage, a1, batch_a, false).await;
    sync(storage, b1, batch_b, false).await;
    let overview = storage
        .overview(Utc::now().timestamp_millis(), 7)
        .await
        .unwrap();
    let age = overview
        .devices
        .iter()
        .find(|d| d.id == a1.device_id)
        .unwrap()
        .pending_age_ms
        .unwrap();
    assert!(
        (3_590_000..3_660_000).contains(&age),
        "[{backend}] pending age {age}"
    );
    let never = overview
        .devices
        .iter()
        .find(|d| d.id == a2.device_id)
        .unwrap();
    assert_eq!((never.pending_age_ms, never.last_contact_ms), (None, None));

    // Deleted: must not count anywhere (but is listed with deleted=true).
    let deleted_before = fixture.document("deleted_road");
    let mut deleted = deleted_before.clone();
    deleted["deleted"] = true.into();
    seqs[0] += 1;
    sync(
        storage,
        a1,
        vec![record(
            seqs[0],
            a1.device_id,
            hour_ago + 100,
            Some(deleted_before),
            &deleted,
        )],
        false,
    )
    .await;

    super::report_checks::check_report(backend, storage, &mut answers).await;
    super::page_checks::check_pages(backend, storage, fixture, &posts, &mut answers).await;
    super::review_checks::check_reviews(
        backend,
        storage,
        fixture,
        [a1, a2, b1],
        &mut seqs,
        &mut answers,
    )
    .await;
    super::overview_checks::check_overview_and_map(backend, storage, fixture, &posts, &mut answers)
        .await;

    let replacements: Vec<(String, String)> = posts
        .iter()
        .map(|post| (post.id.to_string(), post.name.clone()))
        .collect();
    answers
        .into_iter()
        .map(|(key, value)| {
            let mut text = value.to_string();
            for (id, name) in &replacements {
                text = text.replace(id, name);
            }
            (key, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// Syncs the data set (nothing else) and returns 2024's report.
pub async fn seed_only(
    storage: &SharedStorage,
    fixture: &Fixture,
) -> county_server::report::AnnualReport {
    let mut posts = Vec::new();
    for name in POST_NAMES {
        posts.push(
            storage
                .create_post(name, &county_server::audit::Actor::cli())
                .await
                .unwrap(),
        );
    }
    let a1 = enrol(
        storage,
        &posts[0],
        fixture.devices[0].0,
        fixture.devices[0].1,
    )
    .await;
    let b1 = enrol(
        storage,
        &posts[1],
        fixture.devices[2].0,
        fixture.devices[2].1,
    )
    .await;
    for (device, sender) in [(a1, 0), (b1, 2)] {
        let records = fixture
            .entries
            .iter()
            .filter(|(from, _, _)| *from == sender)
            .enumerate()
            .map(|(index, (_, _, document))| {
                record(
                    index as u64 + 1,
                    device.device_id,
                    1_000 + index as i64,
                    None,
                    document,
                )
            })
            .collect();
        sync(storage, device, records, false).await;
    }
    storage.annual_report(2024).await.unwrap()
}
