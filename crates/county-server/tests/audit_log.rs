//! The audit log (操作记录) as a county uses it, on SQLite and on PostgreSQL: the real
//! `county-server` binary serves, its CLI and the dashboard's API act (a failed and a good
//! login, a post, enrolment codes, a review, a revoke, an export and report downloads), and
//! then `GET /api/v1/admin/audit` lists each action with who, from where and on what — newest
//! first, filtered by action and day, paged without a row lost or repeated — a viewer is
//! refused, bad filters are 400s naming the field, and `county-server audit` exports the same
//! rows as JSON lines and as a CSV whose cells never open as formulas.

mod common;

use common::hazard;
use common::postgres::PgCluster;
use common::process::ServerProcess;
use county_server::spreadsheet::FORMULA_STARTS;
use patrol_model::EntryId;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const ADMIN: (&str, &str) = ("县边防办", "边防办 2024 口令");
const VIEWER: (&str, &str) = ("查看员", "只看不改 2024");
/// A user name tried at the login that is a spreadsheet formula.
const FORMULA_USER: &str = "=cmd|' /C calc'!A0";

/// What the county did, in order; returns the reviewed entry's id and the revoked device's.
async fn county_actions(server: &ServerProcess) -> (String, String) {
    let post = server.cli_text(&["post", "add", "田蓬联防所"]);
    server.add_admin(ADMIN.0, ADMIN.1, "admin");
    server.add_admin(VIEWER.0, VIEWER.1, "viewer");
    let mut device = server.enrol("田蓬联防所").await;
    let entry = hazard(EntryId::new_v7(), device.id, "high", "铁网被冲毁约30米");
    server.sync(&mut device, std::slice::from_ref(&entry)).await;

    let (status, _) = server.log_in(FORMULA_USER, "猜的口令").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = server.log_in(ADMIN.0, "错误口令 123").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let cookie = admin_cookie(server).await;

    let entry_id = entry["id"].as_str().unwrap().to_string();
    let answer = server
        .post(
            &format!("/api/v1/admin/entries/{entry_id}/review"),
            &cookie,
            json!({"decision": "returned", "comment": "请补充照片"}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK, "the review");
    let answer = server
        .post(
            &format!("/api/v1/admin/posts/{post}/enrolment-codes"),
            &cookie,
            json!({}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED, "the enrolment code");
    let answer = server
        .post(
            &format!("/api/v1/admin/devices/{}/revoke", device.id),
            &cookie,
            json!({}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK, "the revoke");
    // What did not happen is not logged: an unknown device, an unknown entry.
    let unknown = patrol_model::DeviceId::new_v7();
    let answer = server
        .post(
            &format!("/api/v1/admin/devices/{unknown}/revoke"),
            &cookie,
            json!({}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let answer = server
        .post(
            &format!("/api/v1/admin/entries/{}/review", EntryId::new_v7()),
            &cookie,
            json!({"decision": "approved"}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let (status, _) = server
        .get(
            "/api/v1/admin/reports/annual?year=2024&format=xlsx",
            &cookie,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the report download");
    server.cli(&["export", "--format", "csv"]);
    (entry_id, device.id.to_string())
}

async fn admin_cookie(server: &ServerProcess) -> String {
    let (status, cookie) = server.log_in(ADMIN.0, ADMIN.1).await;
    assert_eq!(status, StatusCode::OK, "the admin logs in");
    cookie.unwrap()
}

async fn audit_json(server: &ServerProcess, cookie: &str, query: &str) -> (StatusCode, Value) {
    let (status, bytes) = server
        .get(&format!("/api/v1/admin/audit{query}"), cookie)
        .await;
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// Every row the API lists for `query`, following the cursors `limit` at a time.
async fn all_pages(server: &ServerProcess, cookie: &str, query: &str, limit: u32) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("?limit={limit}{query}");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let (status, page) = audit_json(server, cookie, &url).await;
        assert_eq!(status, StatusCode::OK, "{url}: {page}");
        let records = page["records"].as_array().unwrap();
        assert!(records.len() <= limit as usize);
        rows.extend(records.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return rows,
        }
    }
}

fn actions(rows: &[Value]) -> Vec<&str> {
    rows.iter()
        .map(|row| row["action"].as_str().unwrap())
        .collect()
}

fn only<'a>(rows: &'a [Value], action: &str) -> Vec<&'a Value> {
    rows.iter().filter(|row| row["action"] == action).collect()
}

async fn the_log_tells_what_happened(server: ServerProcess) {
    let (entry_id, device_id) = county_actions(&server).await;
    let cookie = admin_cookie(&server).await;

    let rows = all_pages(&server, &cookie, "", 200).await;
    let ids: Vec<i64> = rows.iter().map(|row| row["id"].as_i64().unwrap()).collect();
    assert!(
        ids.windows(2).all(|pair| pair[0] > pair[1]),
        "newest first: {ids:?}"
    );
    // Newest first: the last login, the export, the report, the revoke, ...
    assert_eq!(
        actions(&rows),
        [
            "login",
            "export",
            "report",
            "revoke",
            "enrolment_code",
            "review",
            "login",
            "login_failed",
            "login_failed",
            "enrolment_code",
            "admin_save",
            "admin_save",
            "post_add",
        ]
    );

    let failed = only(&rows, "login_failed");
    assert_eq!(failed[0]["actor"], ADMIN.0);
    assert_eq!(failed[1]["actor"], FORMULA_USER);
    for row in &failed {
        assert_eq!(row["outcome"], "failed");
        assert_eq!(row["address"], "127.0.0.1");
        assert_eq!(row["detail"]["reason"], "wrong_credentials");
    }
    let review = only(&rows, "review")[0];
    assert_eq!(
        (&review["actor"], &review["address"], &review["target"]),
        (&json!(ADMIN.0), &json!("127.0.0.1"), &json!(entry_id))
    );
    assert_eq!(review["detail"]["decision"], "returned");
    assert_eq!(review["outcome"], "ok");
    let revoke = only(&rows, "revoke")[0];
    assert_eq!(revoke["target"], device_id);
    let report = only(&rows, "report")[0];
    assert_eq!(report["detail"], json!({"year": 2024, "format": "xlsx"}));
    let export = only(&rows, "export")[0];
    assert!(export["actor"].as_str().unwrap().starts_with("cli"));
    assert_eq!(export["address"], Value::Null);
    assert_eq!(export["detail"]["rows"], 1);
    let saved: BTreeSet<&str> = only(&rows, "admin_save")
        .iter()
        .map(|row| row["target"].as_str().unwrap())
        .collect();
    assert_eq!(saved, BTreeSet::from([ADMIN.0, VIEWER.0]));

    // Two at a time, every row once, in the same order.
    assert_eq!(all_pages(&server, &cookie, "", 2).await, rows);

    // Filters: by action, by day (UTC+8).
    let reviews = all_pages(&server, &cookie, "&action=review", 50).await;
    assert_eq!(actions(&reviews), ["review"]);
    let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let today = chrono::Utc::now().with_timezone(&china).date_naive();
    let yesterday = today.pred_opt().unwrap();
    let from_today = all_pages(&server, &cookie, &format!("&from={today}&to={today}"), 50).await;
    assert_eq!(from_today.len(), rows.len());
    let before = all_pages(&server, &cookie, &format!("&to={yesterday}"), 50).await;
    assert!(before.is_empty(), "nothing happened yesterday: {before:?}");

    // A viewer may not read it; bad filters are 400s naming the field.
    let (status, cookie_of_viewer) = server.log_in(VIEWER.0, VIEWER.1).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = audit_json(&server, &cookie_of_viewer.unwrap(), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    for (query, field) in [
        ("?action=delete_everything", "action"),
        ("?limit=0", "limit"),
        ("?limit=201", "limit"),
        ("?cursor=abc", "cursor"),
        ("?from=2024-13-01", "from"),
        ("?from=2024-03-02&to=2024-03-01", "to"),
        ("?user=x", "user"),
    ] {
        let (status, body) = audit_json(&server, &cookie, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(
            body.to_string().contains(field),
            "{query} names {field}: {body}"
        );
    }

    // The CLI exports the same rows, oldest first.
    let jsonl = String::from_utf8(server.cli(&["audit", "--format", "jsonl"])).unwrap();
    let exported: Vec<Value> = jsonl
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let mut newest_first = all_pages(&server, &cookie, "", 200).await;
    newest_first.retain(|row| row["id"].as_i64() <= exported.last().unwrap()["id"].as_i64());
    newest_first.reverse();
    assert_eq!(exported, newest_first);
    let since_today = server.cli(&[
        "audit",
        "--since",
        &today.to_string(),
        "--action",
        "login-failed",
        "--format",
        "jsonl",
    ]);
    assert_eq!(String::from_utf8(since_today).unwrap().lines().count(), 2);

    let csv = server.cli(&["audit", "--format", "csv"]);
    let csv = csv.strip_prefix(b"\xEF\xBB\xBF").unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv);
    let header = reader.headers().unwrap().clone();
    let actor = header.iter().position(|title| title == "actor").unwrap();
    let mut actors = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        for cell in row.iter() {
            assert!(!cell.starts_with(FORMULA_STARTS), "the cell {cell:?}");
        }
        actors.push(row[actor].to_string());
    }
    assert!(actors.contains(&format!("'{FORMULA_USER}")), "{actors:?}");

    // Each export is itself in the log.
    let exports = all_pages(&server, &cookie, "&action=export", 50).await;
    assert_eq!(exports.len(), 4, "entries, then the audit log three times");
    assert_eq!(exports[0]["detail"]["subject"], "audit_log");
}

#[tokio::test]
async fn the_audit_log_on_sqlite() {
    the_log_tells_what_happened(ServerProcess::start(None)).await;
}

#[tokio::test]
async fn the_audit_log_on_postgres() {
    let cluster = PgCluster::start();
    let url = cluster.create_database("audit_log").await;
    the_log_tells_what_happened(ServerProcess::start(Some(&url))).await;
}
