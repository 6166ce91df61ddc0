//! What a hostile or broken device sends must not poison the county or block a device: each
//! probe of issue 10, on every backend (SQLite in a temp file, PostgreSQL in a throwaway
//! cluster). Each shows the bad record refused with its reason (a rejection whose `problems`
//! name the field, in Chinese and English), the device's other records of the same request
//! stored, nothing stored changed by the bad one, and the next sync not blocked.

mod common;

use chrono::{Duration, Utc};
use common::*;
use county_server::error::EnrolError;
use county_server::secrets::{enrolment_code_hash, new_device_token, sha256_hex};
use county_server::storage::{AuthenticatedDevice, EntryFilter, NewDevice};
use county_server::SharedStorage;
use patrol_model::sync::{RecordRejection, SyncRecord, SyncResponse, MAX_CLOCK_AHEAD_MS};
use patrol_model::{DeviceId, EntryId};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

type CaseFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
type Case = (&'static str, fn(SharedStorage) -> CaseFuture);

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), |storage| Box::pin($name(storage)) as CaseFuture)),*]
    };
}

const CASES: &[Case] = cases![
    a_clock_before_1970_is_refused_and_the_entry_stays_readable,
    a_clock_far_ahead_is_refused_flagged_and_never_wins_an_edit,
    control_characters_are_refused_per_record,
    a_reused_record_id_is_refused_without_a_hole,
    a_revoked_device_enrols_again_and_delivers_what_it_holds_once,
];

async fn run_probes<F, Fut>(backend: &str, mut open: F)
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = SharedStorage>,
{
    let mut failures = Vec::new();
    for (index, (name, case)) in CASES.iter().enumerate() {
        let storage = open(index).await;
        if let Err(error) = tokio::spawn(case(storage)).await {
            eprintln!("[{backend}] {name} FAILED: {error}");
            failures.push(*name);
        }
    }
    assert!(
        failures.is_empty(),
        "[{backend}] failed cases: {failures:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_probes_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    run_probes("sqlite", |index| {
        let path = root.join(format!("probe-{index}.sqlite3"));
        async move {
            county_server::open_storage(&path.display().to_string())
                .await
                .unwrap()
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_probes_on_postgres() {
    let cluster = std::sync::Arc::new(postgres::PgCluster::start());
    run_probes("postgres", |index| {
        let cluster = std::sync::Arc::clone(&cluster);
        async move {
            let url = cluster.create_database(&format!("probe_{index}")).await;
            county_server::open_storage(&url).await.unwrap()
        }
    })
    .await;
}

// ---- helpers ----

async fn sync(
    storage: &SharedStorage,
    device: AuthenticatedDevice,
    records: Vec<SyncRecord>,
) -> SyncResponse {
    storage
        .sync(device, request(records, Some(("", 100))), Utc::now())
        .await
        .expect("the request is answered (not an error): a bad record is rejected alone")
}

/// Every entry the county holds, by description.
async fn stored(storage: &SharedStorage) -> Vec<Value> {
    let mut entries: Vec<Value> = storage
        .list_entries(EntryFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.document)
        .collect();
    entries.sort_by_key(|entry| entry["body"]["description"].to_string());
    entries
}

fn descriptions(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|entry| entry["body"]["description"].as_str().unwrap().to_string())
        .collect()
}

/// The one rejection of `seq`, which names `field` in Chinese and English.
fn rejection_of<'a>(answer: &'a SyncResponse, seq: u64, field: &str) -> &'a RecordRejection {
    let found: Vec<_> = answer.rejected.iter().filter(|r| r.seq == seq).collect();
    assert_eq!(
        found.len(),
        1,
        "one rejection of seq {seq}: {:?}",
        answer.rejected
    );
    let problem = found[0]
        .problems
        .iter()
        .find(|problem| problem.field == field)
        .unwrap_or_else(|| panic!("seq {seq} names {field}: {:?}", found[0].problems));
    assert!(
        !problem.message_zh.is_empty() && !problem.message_en.is_empty(),
        "{problem:?}"
    );
    assert!(
        problem
            .message_zh
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fa5}').contains(&c)),
        "a Chinese reason: {problem:?}"
    );
    found[0]
}

fn rejected_seqs(answer: &SyncResponse) -> Vec<u64> {
    let mut seqs: Vec<u64> = answer.rejected.iter().map(|r| r.seq).collect();
    seqs.sort();
    seqs
}

async fn device_row(
    storage: &SharedStorage,
    device: DeviceId,
) -> county_server::storage::DeviceSummary {
    storage
        .list_devices()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.id == device)
        .unwrap()
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

// ---- cases ----

/// Probe: an entry created with clock `[-5, 0]` was stored in a form the server could not
/// parse back, and every later sync touching it was a 500.
async fn a_clock_before_1970_is_refused_and_the_entry_stays_readable(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, _) = enrol(&storage, &post).await;
    let id = device.device_id;
    let good = hazard(EntryId::new_v7(), id, "high", "好的");
    let negative = hazard(EntryId::new_v7(), id, "high", "负时钟");
    let after = hazard(EntryId::new_v7(), id, "low", "之后的");
    let answer = sync(
        &storage,
        device,
        vec![
            record(1, id, now_ms(), None, &good),
            record(2, id, -5, None, &negative),
            record(3, id, now_ms(), None, &after),
        ],
    )
    .await;
    assert_eq!(answer.acknowledged_through, 3);
    assert!(answer.missing.is_empty());
    assert_eq!(rejected_seqs(&answer), [2]);
    let refused = rejection_of(&answer, 2, "hlc");
    assert!(
        refused.problems[0].message_zh.contains("1970"),
        "{refused:?}"
    );
    assert!(
        answer.clock_flagged,
        "a record's clock before 1970 flags the device"
    );
    assert_eq!(descriptions(&stored(&storage).await), ["之后的", "好的"]);

    // The entry is created again once the member saves it with a sane clock, and an edit of
    // it syncs: nothing is left that the server cannot read.
    let mut fixed = negative.clone();
    fixed["body"]["severity"] = "critical".into();
    let later = sync(
        &storage,
        device,
        vec![record(4, id, now_ms(), Some(&negative), &fixed)],
    )
    .await;
    assert!(later.rejected.is_empty(), "{:?}", later.rejected);
    let mut edited = fixed.clone();
    edited["body"]["severity"] = "low".into();
    let next = sync(
        &storage,
        device,
        vec![record(5, id, now_ms() + 1, Some(&fixed), &edited)],
    )
    .await;
    assert!(next.rejected.is_empty() && next.acknowledged_through == 5);
    let entries = stored(&storage).await;
    assert_eq!(descriptions(&entries), ["之后的", "好的", "负时钟"]);
    assert_eq!(entries[2]["body"]["severity"], "low");
    assert!(!device_row(&storage, id).await.clock_flagged, "sane again");
}

/// Probe: a clock 50 years ahead won every later edit of a field, silently.
async fn a_clock_far_ahead_is_refused_flagged_and_never_wins_an_edit(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (fast, _) = enrol(&storage, &post).await;
    let (right, _) = enrol(&storage, &post).await;
    let base = hazard(EntryId::new_v7(), right.device_id, "high", "铁网冲毁");
    sync(
        &storage,
        right,
        vec![record(1, right.device_id, now_ms(), None, &base)],
    )
    .await;
    let before = stored(&storage).await;

    let fifty_years = Duration::days(50 * 365).num_milliseconds();
    let mut by_fast = base.clone();
    by_fast["body"]["severity"] = "low".into();
    let own = hazard(EntryId::new_v7(), fast.device_id, "high", "快手机的");
    let answer = sync(
        &storage,
        fast,
        vec![
            record(
                1,
                fast.device_id,
                now_ms() + fifty_years,
                Some(&base),
                &by_fast,
            ),
            // Just inside the tolerance (a day) is taken.
            record(
                2,
                fast.device_id,
                now_ms() + MAX_CLOCK_AHEAD_MS - 60_000,
                None,
                &own,
            ),
        ],
    )
    .await;
    assert_eq!(answer.acknowledged_through, 2);
    assert_eq!(rejected_seqs(&answer), [1]);
    let refused = rejection_of(&answer, 1, "hlc");
    assert!(
        refused.problems[0].message_zh.contains("校正设备时间")
            && refused.problems[0].message_en.contains("ahead"),
        "{refused:?}"
    );
    assert!(answer.clock_flagged);
    assert!(device_row(&storage, fast.device_id).await.clock_flagged);
    let after = stored(&storage).await;
    assert_eq!(descriptions(&after), ["快手机的", "铁网冲毁"]);
    assert_eq!(after[1], before[0], "the refused edit changed nothing");

    // A later edit by a member with a right clock wins, as it should.
    let mut by_right = base.clone();
    by_right["body"]["severity"] = "critical".into();
    let next = sync(
        &storage,
        right,
        vec![record(2, right.device_id, now_ms(), Some(&base), &by_right)],
    )
    .await;
    assert!(next.rejected.is_empty());
    assert_eq!(stored(&storage).await[1]["body"]["severity"], "critical");
}

/// Probe: on PostgreSQL a NUL in any text made the whole request a 500, resent forever.
async fn control_characters_are_refused_per_record(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, _) = enrol(&storage, &post).await;
    let id = device.device_id;
    let base = hazard(EntryId::new_v7(), id, "high", "原样");
    sync(&storage, device, vec![record(1, id, now_ms(), None, &base)]).await;
    let before = stored(&storage).await;

    let nul = hazard(EntryId::new_v7(), id, "high", "铁网\u{0}冲毁");
    let mut escape_author = hazard(EntryId::new_v7(), id, "high", "作者");
    escape_author["author"] = "李\u{1b}[31m国华".into();
    let mut nul_edit = base.clone();
    nul_edit["body"]["description"] = "改\u{0}写".into();
    let mut nul_change = record(
        5,
        id,
        now_ms(),
        None,
        &hazard(EntryId::new_v7(), id, "high", "变更"),
    );
    nul_change.change = "cre\u{0}ate".into();
    let fine = hazard(EntryId::new_v7(), id, "low", "好的\t第二行\n");
    let answer = sync(
        &storage,
        device,
        vec![
            record(2, id, now_ms(), None, &nul),
            record(3, id, now_ms(), None, &escape_author),
            record(4, id, now_ms(), Some(&base), &nul_edit),
            nul_change,
            record(6, id, now_ms(), None, &fine),
        ],
    )
    .await;
    assert_eq!(answer.acknowledged_through, 6);
    assert!(answer.missing.is_empty());
    assert_eq!(rejected_seqs(&answer), [2, 3, 4, 5]);
    for (seq, field) in [
        (2, "body.description"),
        (3, "author"),
        (4, "body.description"),
    ] {
        let refused = rejection_of(&answer, seq, field);
        assert!(
            refused
                .problems
                .iter()
                .any(|p| p.message_zh.contains("控制字符")
                    && p.message_en.contains("control character")),
            "{refused:?}"
        );
    }
    rejection_of(&answer, 5, "change");
    let after = stored(&storage).await;
    assert_eq!(descriptions(&after), ["原样", "好的\t第二行\n"]);
    assert_eq!(after[0], before[0], "the refused edit changed nothing");

    // The resend repeats the rejections; the next sync goes on.
    let again = sync(&storage, device, vec![]).await;
    assert_eq!(again.acknowledged_through, 6);
    let next = sync(
        &storage,
        device,
        vec![record(
            7,
            id,
            now_ms(),
            None,
            &hazard(EntryId::new_v7(), id, "high", "下一条"),
        )],
    )
    .await;
    assert!(next.rejected.is_empty() && next.acknowledged_through == 7);
    assert_eq!(stored(&storage).await.len(), 3);
}

/// Probe: a reused `record_id` left a permanent gap in the device's sequence.
async fn a_reused_record_id_is_refused_without_a_hole(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, _) = enrol(&storage, &post).await;
    let (other, _) = enrol(&storage, &post).await;
    let id = device.device_id;
    let first = record(
        1,
        id,
        now_ms(),
        None,
        &hazard(EntryId::new_v7(), id, "high", "第一"),
    );
    let mut reused = record(
        2,
        id,
        now_ms(),
        None,
        &hazard(EntryId::new_v7(), id, "high", "重号"),
    );
    reused.record_id = first.record_id;
    let third = record(
        3,
        id,
        now_ms(),
        None,
        &hazard(EntryId::new_v7(), id, "high", "第三"),
    );
    let records = vec![first.clone(), reused.clone(), third];
    let answer = sync(&storage, device, records.clone()).await;
    assert_eq!(
        answer.acknowledged_through, 3,
        "the refused record accounts for seq 2"
    );
    assert!(answer.missing.is_empty(), "{:?}", answer.missing);
    assert_eq!(rejected_seqs(&answer), [2]);
    let refused = rejection_of(&answer, 2, "record_id");
    assert_eq!(
        refused.record_id, reused.record_id,
        "the device finds its record by seq and record id"
    );
    assert_eq!(descriptions(&stored(&storage).await), ["第一", "第三"]);

    let again = sync(&storage, device, records).await;
    assert_eq!(
        again.rejected, answer.rejected,
        "a resend repeats the rejection"
    );
    assert_eq!(again.acknowledged_through, 3);

    // Another device reusing this one's record id: refused, and no hole in its own sequence.
    let mut stolen = record(
        1,
        other.device_id,
        now_ms(),
        None,
        &hazard(EntryId::new_v7(), other.device_id, "high", "偷号"),
    );
    stolen.record_id = first.record_id;
    let own = record(
        2,
        other.device_id,
        now_ms(),
        None,
        &hazard(EntryId::new_v7(), other.device_id, "high", "自己的"),
    );
    let answer = sync(&storage, other, vec![stolen, own]).await;
    assert_eq!(answer.acknowledged_through, 2);
    assert!(answer.missing.is_empty());
    rejection_of(&answer, 1, "record_id");

    let next = sync(
        &storage,
        device,
        vec![record(
            4,
            id,
            now_ms(),
            None,
            &hazard(EntryId::new_v7(), id, "high", "第四"),
        )],
    )
    .await;
    assert!(next.rejected.is_empty() && next.missing.is_empty());
    assert_eq!(next.acknowledged_through, 4);
    let row = device_row(&storage, id).await;
    assert!(row.missing.is_empty() && row.acknowledged_through == 4);
    assert_eq!(
        descriptions(&stored(&storage).await),
        ["第一", "第三", "第四", "自己的"]
    );
}

/// Probe: a revoked phone could never enrol again, so what it still held was stranded.
async fn a_revoked_device_enrols_again_and_delivers_what_it_holds_once(storage: SharedStorage) {
    let post = storage
        .create_post("田蓬联防所", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let elsewhere = storage
        .create_post("董干联防所", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, old_token) = enrol(&storage, &post).await;
    let id = device.device_id;
    let held: Vec<_> = (1..=3)
        .map(|seq| {
            let entry = hazard(EntryId::new_v7(), id, "high", &format!("第{seq}条"));
            record(seq, id, now_ms() + seq as i64, None, &entry)
        })
        .collect();
    sync(&storage, device, held[..1].to_vec()).await;
    assert!(storage
        .revoke_device(
            id,
            county_server::storage::Revocation::KeepData,
            now_ms(),
            &county_server::audit::Actor::cli(),
        )
        .await
        .unwrap());

    let again = |code: &str, token: &str| NewDevice {
        code_sha256: enrolment_code_hash(code),
        device_id: id,
        label: "李国华的手机".into(),
        token_sha256: sha256_hex(token),
        now_ms: now_ms(),
    };
    // A code of another post is refused (its entries are this post's), and changes nothing.
    let foreign_code = make_code(&storage, &elsewhere, Duration::hours(24)).await;
    let new_token = new_device_token().unwrap();
    assert!(matches!(
        storage.enrol_device(again(&foreign_code, &new_token)).await,
        Err(EnrolError::DeviceOfAnotherPost(refused)) if refused == id
    ));
    assert!(device_row(&storage, id).await.revoked);
    assert!(storage
        .authenticate(&sha256_hex(&new_token))
        .await
        .unwrap()
        .is_none());

    let code = make_code(&storage, &post, Duration::hours(24)).await;
    assert_eq!(
        storage
            .enrol_device(again(&code, &new_token))
            .await
            .unwrap(),
        post
    );
    assert!(
        storage
            .authenticate(&sha256_hex(&old_token))
            .await
            .unwrap()
            .is_none(),
        "the old token stays dead"
    );
    let renewed = storage
        .authenticate(&sha256_hex(&new_token))
        .await
        .unwrap()
        .expect("the new token authenticates");
    assert!(
        renewed.standing == county_server::storage::DeviceStanding::Active
            && renewed.device_id == id
            && renewed.post_id == post.id
    );
    assert!(matches!(
        storage
            .enrol_device(again(&code, &new_device_token().unwrap()))
            .await,
        Err(EnrolError::CodeInvalid)
    ));
    let enrolled_again = make_code(&storage, &post, Duration::hours(24)).await;
    assert!(
        matches!(
            storage
                .enrol_device(again(&enrolled_again, &new_device_token().unwrap()))
                .await,
            Err(EnrolError::DeviceAlreadyEnrolled(_))
        ),
        "a device that is not revoked cannot be taken over with a code"
    );

    // Everything it held is delivered, the first record (already stored) not twice.
    let answer = sync(&storage, renewed, held.clone()).await;
    assert_eq!(answer.acknowledged_through, 3);
    assert!(answer.rejected.is_empty() && answer.missing.is_empty());
    sync(&storage, renewed, held).await;
    assert_eq!(
        descriptions(&stored(&storage).await),
        ["第1条", "第2条", "第3条"]
    );
    let row = device_row(&storage, id).await;
    assert!(!row.revoked && row.acknowledged_through == 3);
}
