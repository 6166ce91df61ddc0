//! The county dashboard's queries on both backends: the same entries are synced (through
//! `storage.sync`, as devices do) into SQLite and PostgreSQL; every answer is checked against
//! figures counted by hand, and the two backends' answers must be equal.

mod common;
#[path = "dashboard_queries/data.rs"]
mod data;
#[path = "dashboard_queries/exercise.rs"]
mod exercise;
#[path = "dashboard_queries/overview_checks.rs"]
mod overview_checks;
#[path = "dashboard_queries/page_checks.rs"]
mod page_checks;
#[path = "dashboard_queries/report_checks.rs"]
mod report_checks;
#[path = "dashboard_queries/review_checks.rs"]
mod review_checks;

use common::postgres::PgCluster;
use exercise::{exercise_backend, Fixture};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dashboard_query_answers_alike_on_sqlite_and_postgres() {
    let fixture = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let sqlite =
        county_server::open_storage(&dir.path().join("county.sqlite3").display().to_string())
            .await
            .unwrap();
    let cluster = PgCluster::start();
    let postgres = county_server::open_storage(&cluster.create_database("dashboard").await)
        .await
        .unwrap();
    let on_sqlite = exercise_backend("sqlite", &sqlite, &fixture).await;
    let on_postgres = exercise_backend("postgres", &postgres, &fixture).await;
    assert_eq!(
        on_sqlite.keys().collect::<Vec<_>>(),
        on_postgres.keys().collect::<Vec<_>>()
    );
    for (answer, value) in &on_sqlite {
        assert_eq!(
            value, &on_postgres[answer],
            "the backends disagree on {answer}"
        );
    }
}

/// An entry stored before migration 03 (a schema-02 file) gets its query columns at open.
#[tokio::test]
async fn entries_of_a_schema_02_file_are_listed_and_counted_after_migrating() {
    use county_server::storage::dashboard::DashboardEntryFilter;
    use county_server::storage::sqlite::county_sqlite_migrations;
    use patrol_model::{DeviceId, EntryId, PostId};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("county.sqlite3");
    let (post, device, entry_id) = (PostId::new_v7(), DeviceId::new_v7(), EntryId::new_v7());
    let mut document = serde_json::json!({
        "id": entry_id, "device_id": device, "post_id": post, "kind": "repair",
        "occurred_at": "2024-01-01T07:30:00+08:00", "author": "李国华",
        "location": {"lat": 23.6, "lon": 105.6},
        "body": {"category": "fence", "quantity": 0.2, "unit": "km", "description": "铁网修复"},
        "photos": [], "revision": 1, "deleted": false,
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"});
    {
        let mut connection = rusqlite::Connection::open(&path).unwrap();
        county_sqlite_migrations()
            .to_version(&mut connection, 2)
            .unwrap();
        connection
            .execute_batch(&format!(
                "INSERT INTO posts (id, name, change_counter, created_at)
                     VALUES ('{post}', '坡头联防所', 1, '2024-01-01T00:00:00Z');"
            ))
            .unwrap();
        // 2023-12-31T23:30 UTC, written on a device whose clock was 5 days slow.
        connection
            .execute(
                "INSERT INTO entries (id, post_id, kind, document, field_clocks, revision,
                     occurred_at_ms, occurred_correction_ms, deleted, change_cursor,
                     record_id, written_at_ms)
                 VALUES (?1, ?2, 'repair', ?3, '{}', 1, 1704065400000, 432000000, 0, 1, ?4, 5)",
                rusqlite::params![
                    entry_id.to_string(),
                    post.to_string(),
                    document.to_string(),
                    uuid::Uuid::now_v7().to_string()
                ],
            )
            .unwrap();
    }
    let storage = county_server::open_storage(&path.display().to_string())
        .await
        .unwrap();
    let listed = storage
        .entry_page(
            DashboardEntryFilter {
                text: Some("铁网".into()),
                ..Default::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    assert_eq!(listed.entries.len(), 1);
    let summary = &listed.entries[0];
    assert_eq!(
        (
            summary.local_day.as_str(),
            summary.category.as_str(),
            summary.quantity,
            summary.unit.as_deref()
        ),
        ("2024-01-01", "fence", Some(200.0), Some("m"))
    );
    assert_eq!(summary.cursor.occurred_corrected_ms, 1_704_497_400_000);
    let new_year_day = Some(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    let on_its_day = storage
        .entry_page(
            DashboardEntryFilter {
                from_day: new_year_day,
                to_day: new_year_day,
                ..Default::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    assert_eq!(
        on_its_day.entries.len(),
        1,
        "found by its local day whatever its clock's correction"
    );
    assert_eq!(summary.occurred_at, "2024-01-01T07:30:00+08:00");
    let report = storage.annual_report(2024).await.unwrap();
    let fence = report.repairs.iter().find(|r| r.code == "fence").unwrap();
    assert_eq!((report.posts, fence.entries, fence.quantity), (1, 1, 200.0));
    document["revision"] = 1.into();
    let overview = storage.overview(0, 7).await.unwrap();
    assert_eq!(
        (overview.totals.entries, overview.totals.awaiting_review),
        (1, 1),
        "the counts per post start from the rows already stored"
    );
    let detail = storage.entry_detail(entry_id).await.unwrap().unwrap();
    assert_eq!(detail.history.len(), 1);
    assert_eq!(detail.entry, document);
}

/// On PostgreSQL the backfill fills rows whose columns are missing, at start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_fills_missing_query_columns_at_start() {
    let cluster = PgCluster::start();
    let url = cluster.create_database("backfill").await;
    let fixture = Fixture::new();
    let storage = county_server::open_storage(&url).await.unwrap();
    let before = exercise::seed_only(&storage, &fixture).await;
    drop(storage);
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let driver = tokio::spawn(connection);
    let emptied = client
        .execute(
            "UPDATE entries SET local_day = NULL, category = NULL, quantity = NULL,
                 search_text = NULL, title_zh = NULL",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(emptied, 19);
    drop(client);
    let _ = driver.await;
    let storage = county_server::open_storage(&url).await.unwrap();
    let after = storage.annual_report(2024).await.unwrap();
    assert_eq!(after, before);
    // Here the 5 km road repair is not deleted: 3.1 + 4.1 + 5.
    assert_eq!(after.repairs[0].quantity, 12.2);
    assert_eq!(after.patrols.distance_km, 9.2);
}
