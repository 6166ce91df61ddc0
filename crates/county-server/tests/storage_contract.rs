//! The storage contract: one suite of cases, run against every backend (SQLite in a temp file,
//! PostgreSQL in a throwaway cluster this test starts). Each case gets a fresh database.

mod common;

use chrono::{Duration, Utc};
use common::*;
use county_server::error::{EnrolError, SyncError};
use county_server::secrets::{enrolment_code_hash, new_device_token, sha256_hex};
use county_server::storage::{DeviceStanding, EntryFilter, NewDevice, Revocation};
use county_server::SharedStorage;
use patrol_model::sync::{SyncResponse, WipeReport};
use patrol_model::{DeviceId, EntryId};
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
    enrolment_code_works_once_and_not_after_expiry,
    the_same_request_three_times_stores_once,
    out_of_order_records_report_gaps_until_filled,
    a_rejected_record_keeps_its_seq_accounted_and_is_repeated_on_resend,
    concurrent_edits_of_different_fields_both_survive,
    on_one_field_the_later_clock_wins_whatever_arrives_first,
    an_entry_of_another_post_is_refused_whole_and_never_pulled,
    a_revoked_device_is_marked_revoked,
    a_wipe_is_ordered_then_reported_once,
    a_wrong_clock_is_flagged_and_entries_order_by_corrected_time,
    pull_pages_with_more_changes_and_leaves_out_echoes,
];

async fn run_contract<F, Fut>(backend: &str, mut open: F)
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
async fn storage_contract_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    run_contract("sqlite", |index| {
        let path = root.join(format!("case-{index}.sqlite3"));
        async move {
            county_server::open_storage(&path.display().to_string())
                .await
                .unwrap()
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_contract_on_postgres() {
    let cluster = std::sync::Arc::new(postgres::PgCluster::start());
    run_contract("postgres", |index| {
        let cluster = std::sync::Arc::clone(&cluster);
        async move {
            let url = cluster.create_database(&format!("contract_{index}")).await;
            county_server::open_storage(&url).await.unwrap()
        }
    })
    .await;
}

async fn sync(
    storage: &SharedStorage,
    device: county_server::storage::AuthenticatedDevice,
    request: patrol_model::sync::SyncRequest,
) -> SyncResponse {
    storage.sync(device, request, Utc::now()).await.unwrap()
}

async fn entry_count(storage: &SharedStorage) -> usize {
    storage
        .list_entries(EntryFilter::default())
        .await
        .unwrap()
        .len()
}

// ---- cases ----

async fn enrolment_code_works_once_and_not_after_expiry(storage: SharedStorage) {
    let post = storage
        .create_post("田蓬联防所", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let code = make_code(&storage, &post, Duration::hours(24)).await;
    let new_device = |code: &str| NewDevice {
        code_sha256: enrolment_code_hash(code),
        device_id: DeviceId::new_v7(),
        label: "李国华的手机".into(),
        token_sha256: sha256_hex(&new_device_token().unwrap()),
        now_ms: Utc::now().timestamp_millis(),
    };
    let first = new_device(&code.to_lowercase());
    let enrolled = storage.enrol_device(first.clone()).await.unwrap();
    assert_eq!(enrolled, post);
    let device = storage
        .authenticate(&first.token_sha256)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (device.device_id, device.post_id, device.standing),
        (first.device_id, post.id, DeviceStanding::Active)
    );
    assert!(matches!(
        storage.enrol_device(new_device(&code)).await,
        Err(EnrolError::CodeInvalid)
    ));
    let expired = make_code(&storage, &post, Duration::seconds(-1)).await;
    assert!(matches!(
        storage.enrol_device(new_device(&expired)).await,
        Err(EnrolError::CodeInvalid)
    ));
    assert!(storage
        .authenticate("0".repeat(64).as_str())
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        storage.find_post(&post.id.to_string()).await.unwrap(),
        Some(post.clone())
    );
    assert_eq!(storage.find_post("田蓬联防所").await.unwrap(), Some(post));
}

async fn the_same_request_three_times_stores_once(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, _) = enrol(&storage, &post).await;
    let entries: Vec<_> = (0..3)
        .map(|i| {
            hazard(
                EntryId::new_v7(),
                device.device_id,
                "high",
                &format!("铁网 {i}"),
            )
        })
        .collect();
    let records: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            record(
                i as u64 + 1,
                device.device_id,
                1_000 + i as i64,
                None,
                entry,
            )
        })
        .collect();
    for _ in 0..3 {
        let answer = sync(&storage, device, request(records.clone(), Some(("", 100)))).await;
        assert_eq!(answer.acknowledged_through, 3);
        assert!(answer.rejected.is_empty() && answer.missing.is_empty());
        assert!(
            answer.changes.is_empty(),
            "a device's own records are not echoed back"
        );
    }
    assert_eq!(entry_count(&storage).await, 3);
    let devices = storage.list_devices().await.unwrap();
    assert_eq!(devices[0].highest_seq, 3);
}

async fn out_of_order_records_report_gaps_until_filled(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, _) = enrol(&storage, &post).await;
    let records: Vec<_> = (1..=5)
        .map(|seq| {
            let entry = hazard(EntryId::new_v7(), device.device_id, "high", "x");
            record(seq, device.device_id, seq as i64, None, &entry)
        })
        .collect();
    let pick = |seqs: &[u64]| -> Vec<_> {
        seqs.iter()
            .map(|seq| records[*seq as usize - 1].clone())
            .collect()
    };
    let answer = sync(&storage, device, request(pick(&[5, 3, 1]), None)).await;
    assert_eq!(answer.acknowledged_through, 1);
    assert_eq!(answer.missing, vec![[2, 2], [4, 4]]);
    let answer = sync(&storage, device, request(pick(&[4]), None)).await;
    assert_eq!(
        (answer.acknowledged_through, answer.missing.clone()),
        (1, vec![[2, 2]])
    );
    let listed = storage.list_devices().await.unwrap();
    assert_eq!(listed[0].missing, vec![[2, 2]]);
    let answer = sync(&storage, device, request(pick(&[2, 1]), None)).await;
    assert_eq!(answer.acknowledged_through, 5);
    assert!(answer.missing.is_empty());
    assert_eq!(entry_count(&storage).await, 5);
}

async fn a_rejected_record_keeps_its_seq_accounted_and_is_repeated_on_resend(
    storage: SharedStorage,
) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, _) = enrol(&storage, &post).await;
    let good = hazard(EntryId::new_v7(), device.device_id, "high", "ok");
    let mut bad = hazard(EntryId::new_v7(), device.device_id, "extreme", "bad");
    bad["location"] = serde_json::json!({"lat": 91, "lon": 105});
    let other = hazard(
        EntryId::new_v7(),
        DeviceId::new_v7(),
        "high",
        "someone else's id",
    );
    let records = vec![
        record(1, device.device_id, 1, None, &good),
        record(2, device.device_id, 2, None, &bad),
        record(3, device.device_id, 3, None, &other),
    ];
    let answer = sync(&storage, device, request(records.clone(), None)).await;
    assert_eq!(answer.acknowledged_through, 3);
    assert_eq!(answer.rejected.len(), 2, "{:?}", answer.rejected);
    let fields: Vec<_> = answer.rejected[0]
        .problems
        .iter()
        .map(|p| p.field.as_str())
        .collect();
    assert!(
        fields.contains(&"body.severity") && fields.contains(&"location.lat"),
        "{fields:?}"
    );
    assert!(answer.rejected[1]
        .problems
        .iter()
        .any(|p| p.field == "device_id"));
    assert_eq!(entry_count(&storage).await, 1);
    let again = sync(&storage, device, request(records, None)).await;
    assert_eq!(
        again.rejected, answer.rejected,
        "a resend repeats the rejections"
    );
    assert_eq!(again.acknowledged_through, 3);
}

/// Device A creates a hazard; B (same post) pulls it; both edit offline and sync.
async fn shared_hazard(
    storage: &SharedStorage,
) -> (
    county_server::storage::AuthenticatedDevice,
    county_server::storage::AuthenticatedDevice,
    serde_json::Value,
) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (a, _) = enrol(storage, &post).await;
    let (b, _) = enrol(storage, &post).await;
    let base = hazard(EntryId::new_v7(), a.device_id, "high", "铁网冲毁");
    sync(
        storage,
        a,
        request(vec![record(1, a.device_id, 1_000, None, &base)], None),
    )
    .await;
    let pulled = sync(storage, b, request(vec![], Some(("", 10)))).await;
    assert_eq!(pulled.changes.len(), 1);
    assert_eq!(pulled.changes[0].entry["post_id"], post.id.to_string());
    (a, b, base)
}

async fn concurrent_edits_of_different_fields_both_survive(storage: SharedStorage) {
    let (a, b, base) = shared_hazard(&storage).await;
    let mut by_a = base.clone();
    by_a["body"]["severity"] = "critical".into();
    let mut by_b = base.clone();
    by_b["body"]["description"] = "铁网冲毁约30米".into();
    let answer_b = sync(
        &storage,
        b,
        request(
            vec![record(1, b.device_id, 3_000, Some(&base), &by_b)],
            Some(("", 10)),
        ),
    )
    .await;
    assert!(answer_b.rejected.is_empty());
    let answer_a = sync(
        &storage,
        a,
        request(
            vec![record(2, a.device_id, 2_000, Some(&base), &by_a)],
            Some(("", 10)),
        ),
    )
    .await;
    assert_eq!(answer_a.changes.len(), 1, "A gets the merged version back");
    let merged = &answer_a.changes[0].entry;
    assert_eq!(merged["body"]["severity"], "critical");
    assert_eq!(merged["body"]["description"], "铁网冲毁约30米");
    let stored = storage.list_entries(EntryFilter::default()).await.unwrap();
    assert_eq!(&stored[0].document, merged);
    assert_eq!(merged["revision"], 3);
}

async fn on_one_field_the_later_clock_wins_whatever_arrives_first(storage: SharedStorage) {
    let (a, b, base) = shared_hazard(&storage).await;
    let mut early = base.clone();
    early["body"]["severity"] = "low".into();
    let mut late = base.clone();
    late["body"]["severity"] = "critical".into();
    // The later edit (A's) arrives first; B's earlier edit loses when it comes.
    sync(
        &storage,
        a,
        request(
            vec![record(2, a.device_id, 5_000, Some(&base), &late)],
            None,
        ),
    )
    .await;
    let answer = sync(
        &storage,
        b,
        request(
            vec![record(1, b.device_id, 4_000, Some(&base), &early)],
            Some(("", 10)),
        ),
    )
    .await;
    assert_eq!(answer.acknowledged_through, 1);
    let stored = storage.list_entries(EntryFilter::default()).await.unwrap();
    assert_eq!(stored[0].document["body"]["severity"], "critical");
    assert!(
        answer
            .changes
            .iter()
            .any(|change| change.entry["body"]["severity"] == "critical"),
        "B is told the winning value"
    );
}

async fn an_entry_of_another_post_is_refused_whole_and_never_pulled(storage: SharedStorage) {
    let post_a = storage
        .create_post("A", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let post_b = storage
        .create_post("B", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (a, _) = enrol(&storage, &post_a).await;
    let (b, _) = enrol(&storage, &post_b).await;
    let secret = hazard(EntryId::new_v7(), a.device_id, "high", "A 的条目");
    sync(
        &storage,
        a,
        request(vec![record(1, a.device_id, 1, None, &secret)], None),
    )
    .await;

    let mut forged = secret.clone();
    forged["body"]["description"] = "B 改写".into();
    let own = hazard(EntryId::new_v7(), b.device_id, "high", "B 的条目");
    let attempt = request(
        vec![
            record(1, b.device_id, 2, None, &own),
            record(2, b.device_id, 3, Some(&secret), &forged),
        ],
        Some(("", 100)),
    );
    let refused = storage.sync(b, attempt, Utc::now()).await;
    assert!(
        matches!(refused, Err(SyncError::EntryOfAnotherPost(_))),
        "{refused:?}"
    );
    assert_eq!(
        entry_count(&storage).await,
        1,
        "nothing of the refused request is stored"
    );
    let b_state = storage.list_devices().await.unwrap();
    assert!(b_state
        .iter()
        .all(|d| d.id != b.device_id || d.acknowledged_through == 0));

    let pulled = sync(&storage, b, request(vec![], Some(("", 100)))).await;
    assert!(pulled.changes.is_empty(), "B never receives A's entries");
    let b_only = storage
        .list_entries(EntryFilter {
            post_id: Some(post_b.id),
            since_ms: None,
        })
        .await
        .unwrap();
    assert!(b_only.is_empty());
}

async fn a_revoked_device_is_marked_revoked(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, token) = enrol(&storage, &post).await;
    assert!(storage
        .revoke_device(
            device.device_id,
            Revocation::KeepData,
            1,
            &county_server::audit::Actor::cli()
        )
        .await
        .unwrap());
    let found = storage
        .authenticate(&sha256_hex(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.standing, DeviceStanding::Revoked);
    assert!(!storage
        .revoke_device(
            DeviceId::new_v7(),
            Revocation::WipeData,
            1,
            &county_server::audit::Actor::cli()
        )
        .await
        .unwrap());
}

async fn a_wipe_is_ordered_then_reported_once(storage: SharedStorage) {
    let cli = county_server::audit::Actor::cli();
    let post = storage.create_post("p", &cli).await.unwrap();
    let (device, token) = enrol(&storage, &post).await;
    let report = WipeReport {
        unsent_entries: 4,
        unsent_photos: 1,
        unsent_photo_bytes: 250_000,
    };
    assert!(
        !storage
            .record_device_wipe(device.device_id, report, 5)
            .await
            .unwrap(),
        "no wipe ordered yet"
    );
    // Revoked first, the wipe ordered later: both kept, the revocation time unchanged.
    let revoke = |revocation, at| storage.revoke_device(device.device_id, revocation, at, &cli);
    assert!(revoke(Revocation::KeepData, 10).await.unwrap());
    assert!(revoke(Revocation::WipeData, 20).await.unwrap());
    assert!(revoke(Revocation::WipeData, 30).await.unwrap());
    let standing = || async {
        storage
            .authenticate(&sha256_hex(&token))
            .await
            .unwrap()
            .unwrap()
            .standing
    };
    assert_eq!(standing().await, DeviceStanding::WipeOrdered);
    let listed = storage.list_devices().await.unwrap().remove(0);
    let wipe = listed.wipe.unwrap();
    assert_eq!(
        (wipe.ordered_at_ms, wipe.wiped_at_ms, wipe.unsent),
        (20, None, None)
    );

    assert!(storage
        .record_device_wipe(device.device_id, report, 40)
        .await
        .unwrap());
    let other = WipeReport::default();
    assert!(storage
        .record_device_wipe(device.device_id, other, 50)
        .await
        .unwrap());
    assert_eq!(standing().await, DeviceStanding::Wiped);
    let listed = storage.list_devices().await.unwrap().remove(0);
    assert!(listed.revoked);
    assert_eq!(listed.standing, DeviceStanding::Wiped);
    let wipe = listed.wipe.unwrap();
    assert_eq!(
        (wipe.wiped_at_ms, wipe.unsent),
        (Some(40), Some(report)),
        "the first report stays"
    );
    let overview = storage.overview(60, 7).await.unwrap();
    assert_eq!(overview.devices[0].standing, DeviceStanding::Wiped);
    assert_eq!(
        overview.devices[0].wipe.as_ref().unwrap().unsent,
        Some(report)
    );
}

async fn a_wrong_clock_is_flagged_and_entries_order_by_corrected_time(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (fast, _) = enrol(&storage, &post).await;
    let (right, _) = enrol(&storage, &post).await;
    let now = Utc::now();
    let two_days = Duration::days(2);
    let rfc = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // Really two hours ago, but the fast phone says two days later.
    let by_fast = hazard_at(
        EntryId::new_v7(),
        fast.device_id,
        "high",
        "fast",
        &rfc(now - Duration::hours(2) + two_days),
    );
    let by_right = hazard_at(
        EntryId::new_v7(),
        right.device_id,
        "high",
        "right",
        &rfc(now - Duration::hours(1)),
    );
    let answer = storage
        .sync(
            fast,
            request_at(
                now + two_days,
                vec![record(1, fast.device_id, 1, None, &by_fast)],
                None,
            ),
            now,
        )
        .await
        .unwrap();
    assert!(answer.clock_flagged);
    assert!((answer.clock_offset_ms + two_days.num_milliseconds()).abs() < 1_000);
    let answer = storage
        .sync(
            right,
            request_at(
                now,
                vec![record(1, right.device_id, 1, None, &by_right)],
                None,
            ),
            now,
        )
        .await
        .unwrap();
    assert!(!answer.clock_flagged);
    let slow = storage
        .sync(right, request_at(now - two_days, vec![], None), now)
        .await
        .unwrap();
    assert!(slow.clock_flagged && slow.clock_offset_ms > 0);
    let listed = storage.list_entries(EntryFilter::default()).await.unwrap();
    let order: Vec<_> = listed
        .iter()
        .map(|e| e.document["body"]["description"].clone())
        .collect();
    assert_eq!(order, ["fast", "right"], "ordered by corrected occurred_at");
    let devices = storage.list_devices().await.unwrap();
    assert!(devices
        .iter()
        .any(|d| d.id == fast.device_id && d.clock_flagged));
}

async fn pull_pages_with_more_changes_and_leaves_out_echoes(storage: SharedStorage) {
    let post = storage
        .create_post("p", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (a, _) = enrol(&storage, &post).await;
    let (b, _) = enrol(&storage, &post).await;
    let records: Vec<_> = (1..=5)
        .map(|seq| {
            let entry = hazard(EntryId::new_v7(), a.device_id, "high", &format!("{seq}"));
            record(seq, a.device_id, seq as i64, None, &entry)
        })
        .collect();
    let own = sync(&storage, a, request(records, Some(("", 100)))).await;
    assert!(own.changes.is_empty() && !own.more_changes);
    let mut cursor = String::new();
    let mut pages = Vec::new();
    loop {
        let answer = sync(&storage, b, request(vec![], Some((&cursor, 2)))).await;
        pages.push(answer.changes.len());
        cursor = answer.next_cursor.clone().unwrap();
        if !answer.more_changes {
            break;
        }
    }
    assert_eq!(pages, [2, 2, 1]);
    let after = sync(&storage, b, request(vec![], Some((&cursor, 2)))).await;
    assert!(after.changes.is_empty() && !after.more_changes);
    let bad = storage
        .sync(b, request(vec![], Some(("not-a-cursor", 2))), Utc::now())
        .await;
    assert!(matches!(bad, Err(SyncError::BadRequest(_))));
}
