//! Reviewing at scale (issue 14), on SQLite and on PostgreSQL, through the real `county-server`
//! binary: the entries list filtered by hazard severity, by member and to the returns a post
//! has not fixed yet; one decision on many entries (`POST /api/v1/admin/reviews`) in one
//! transaction that reaches each post's devices, audited per entry, with every hostile or
//! malformed body, a viewer and too many ids refused without a change; and the filtered list
//! downloaded as CSV and XLSX whose cells never open as formulas.

mod common;

use common::hazard;
use common::postgres::PgCluster;
use common::process::{HttpDevice, ServerProcess};
use county_server::spreadsheet::FORMULA_STARTS;
use patrol_model::EntryId;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const ADMIN: (&str, &str) = ("县边防办", "边防办 2024 口令");
const VIEWER: (&str, &str) = ("查看员", "只看不改 2024");
/// A member's name as a hostile phone could send it: a spreadsheet formula.
const FORMULA_AUTHOR: &str = "=HYPERLINK(\"http://x\",\"王明\")";

fn authored(mut entry: Value, author: &str) -> Value {
    entry["author"] = json!(author);
    entry
}

fn patrol(id: EntryId, device: &HttpDevice, author: &str) -> Value {
    json!({"id": id, "device_id": device.id, "kind": "patrol",
           "occurred_at": "2024-03-03T08:00:00+08:00", "ended_at": "2024-03-03T11:00:00+08:00",
           "author": author,
           "body": {"joint": false, "members": [author], "partners": [], "markers": [],
                    "findings": "", "distance_km": 6.5},
           "photos": [], "status": "ended", "revision": 1,
           "created_at": "2026-11-29T04:31:02.100Z", "updated_at": "2026-11-29T04:31:02.100Z",
           "deleted": false})
}

/// The ids of every entry the list gives for `query`, following its cursors.
async fn listed(server: &ServerProcess, cookie: &str, query: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/api/v1/admin/entries?limit=2{query}{cursor}");
        let (status, bytes) = server.get(&path, cookie).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        let page: Value = serde_json::from_slice(&bytes).unwrap();
        for entry in page["entries"].as_array().unwrap() {
            assert!(
                ids.insert(entry["id"].as_str().unwrap().to_string()),
                "{path}: twice"
            );
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return ids,
        }
    }
}

fn ids_of(entries: &[&Value]) -> BTreeSet<String> {
    entries
        .iter()
        .map(|entry| entry["id"].as_str().unwrap().to_string())
        .collect()
}

/// Everything the device's post changed since the start, as the device pulls it.
async fn pull(server: &ServerProcess, device: &HttpDevice) -> Vec<Value> {
    let response = server.pull_from_start(device, 500).await;
    response
        .changes
        .into_iter()
        .map(|change| change.entry)
        .collect()
}

async fn audit_rows(server: &ServerProcess, cookie: &str, action: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/api/v1/admin/audit?limit=200&action={action}{cursor}");
        let (status, bytes) = server.get(&path, cookie).await;
        assert_eq!(status, StatusCode::OK);
        let page: Value = serde_json::from_slice(&bytes).unwrap();
        rows.extend(page["records"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return rows,
        }
    }
}

async fn expect_bad(answer: reqwest::Response, field: &str) {
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
    assert!(
        body["problems"]
            .as_array()
            .is_some_and(|problems| problems.iter().any(|problem| problem["field"] == field)),
        "a problem on {field}: {body}"
    );
    assert!(!body["message"].as_str().unwrap().is_empty());
    assert!(!body["message_zh"].as_str().unwrap().is_empty());
}

/// The two posts, their devices and entries, and a session of the admin and of the viewer.
struct Scene {
    server: ServerProcess,
    tianpeng: HttpDevice,
    muyang: HttpDevice,
    entries: Vec<Value>,
    cookie: String,
    viewer: String,
}

impl Scene {
    /// The ids of the entries `keep` keeps.
    fn expected(&self, keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
        ids_of(
            &self
                .entries
                .iter()
                .filter(|entry| keep(entry))
                .collect::<Vec<_>>(),
        )
    }

    /// The high hazards of both posts.
    fn high(&self) -> BTreeSet<String> {
        self.expected(|entry| entry["body"]["severity"] == "high")
    }

    /// Everything 王明 wrote.
    fn wang(&self) -> BTreeSet<String> {
        self.expected(|entry| entry["author"] == "王明")
    }
}

/// One boxed future per step, so no future holds every step's state in a debug build. (The
/// stack overflow this test once died of was the 2,000-deep hostile body built as a
/// `serde_json::Value` and serialised recursively on the test thread: it is sent as text now.)
async fn review_at_scale(server: ServerProcess) {
    let mut scene = Box::pin(set_up(server)).await;
    Box::pin(filters_alone_and_together(&scene)).await;
    Box::pin(bad_filters_are_refused(&scene)).await;
    Box::pin(returned_not_yet_fixed(&mut scene)).await;
    Box::pin(refused_bulk_reviews_change_nothing(&scene)).await;
    Box::pin(bulk_approval_reaches_each_post(&scene)).await;
    Box::pin(export_of_the_filtered_list(&scene)).await;
    Box::pin(bad_exports_are_refused(&scene)).await;
}

async fn set_up(server: ServerProcess) -> Scene {
    server.ready().await;
    server.cli_text(&["post", "add", "田蓬联防所"]);
    server.cli_text(&["post", "add", "木央联防所"]);
    server.add_admin(ADMIN.0, ADMIN.1, "admin");
    server.add_admin(VIEWER.0, VIEWER.1, "viewer");
    let mut tianpeng = server.enrol("田蓬联防所").await;
    let mut muyang = server.enrol("木央联防所").await;
    let severities = ["low", "high", "critical", "high", "high", "medium"];
    let mut entries: Vec<Value> = severities
        .iter()
        .enumerate()
        .map(|(index, severity)| {
            let author = if index % 2 == 0 {
                "李国华"
            } else {
                "王明"
            };
            authored(
                hazard(
                    EntryId::new_v7(),
                    tianpeng.id,
                    severity,
                    &format!("隐患 {index}"),
                ),
                author,
            )
        })
        .collect();
    entries.push(patrol(EntryId::new_v7(), &tianpeng, "王明"));
    server.sync(&mut tianpeng, &entries).await;
    let formula = authored(
        hazard(EntryId::new_v7(), muyang.id, "high", "=1+1 铁网被冲毁"),
        FORMULA_AUTHOR,
    );
    server
        .sync(&mut muyang, std::slice::from_ref(&formula))
        .await;
    entries.push(formula);
    let (_, cookie) = server.log_in(ADMIN.0, ADMIN.1).await;
    let cookie = cookie.unwrap();
    let (_, viewer) = server.log_in(VIEWER.0, VIEWER.1).await;
    let viewer = viewer.unwrap();
    Scene {
        server,
        tianpeng,
        muyang,
        entries,
        cookie,
        viewer,
    }
}

async fn filters_alone_and_together(scene: &Scene) {
    let Scene { server, cookie, .. } = scene;
    // Filters: each alone, together, with the others, paged without a row lost or repeated.
    let high = scene.high();
    assert_eq!(high.len(), 4);
    assert_eq!(listed(server, cookie, "&severity=high").await, high);
    let wang = scene.wang();
    assert_eq!(wang.len(), 4, "three hazards and the patrol");
    assert_eq!(listed(server, cookie, "&author=王明").await, wang);
    assert_eq!(
        listed(server, cookie, &format!("&author={}", urlencode(" 王明 "))).await,
        wang,
        "the name is trimmed"
    );
    let wang_high =
        scene.expected(|entry| entry["author"] == "王明" && entry["body"]["severity"] == "high");
    assert_eq!(
        listed(server, cookie, "&author=王明&severity=high").await,
        wang_high
    );
    assert_eq!(
        listed(server, cookie, "&author=王明&kind=patrol&severity=")
            .await
            .len(),
        1
    );
    assert!(
        listed(server, cookie, "&author=王").await.is_empty(),
        "exactly the name"
    );
    let summary_page: Value = {
        let (_, bytes) = server
            .get("/api/v1/admin/entries?severity=critical", cookie)
            .await;
        serde_json::from_slice(&bytes).unwrap()
    };
    assert_eq!(summary_page["entries"][0]["severity"], "critical");
}

async fn bad_filters_are_refused(scene: &Scene) {
    let Scene { server, cookie, .. } = scene;
    for (query, field) in [
        ("severity=huge", "severity"),
        ("returned_unfixed=yes", "returned_unfixed"),
        ("author=x&author=y", "author"),
    ] {
        let answer = server
            .client
            .get(server.url(&format!("/api/v1/admin/entries?{query}")))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        expect_bad(answer, field).await;
    }
    let long_author = format!("/api/v1/admin/entries?author={}", "王".repeat(101));
    expect_bad(
        server
            .client
            .get(server.url(&long_author))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap(),
        "author",
    )
    .await;
}

async fn returned_not_yet_fixed(scene: &mut Scene) {
    let Scene {
        server,
        cookie,
        entries,
        tianpeng,
        ..
    } = scene;
    // "Returned, not yet fixed": two returned, one of them then edited on the phone.
    let returned: Vec<String> = entries[..2]
        .iter()
        .map(|entry| entry["id"].as_str().unwrap().to_string())
        .collect();
    for id in &returned {
        let answer = server
            .post(
                &format!("/api/v1/admin/entries/{id}/review"),
                cookie,
                json!({"decision": "returned", "comment": "请补拍照片"}),
            )
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
    }
    let both: BTreeSet<String> = returned.iter().cloned().collect();
    assert_eq!(listed(server, cookie, "&returned_unfixed=true").await, both);
    let mut fixed = entries[1].clone();
    fixed["body"]["description"] = json!("已补拍照片");
    fixed["revision"] = json!(2);
    server.sync(tianpeng, std::slice::from_ref(&fixed)).await;
    let unfixed: BTreeSet<String> = [returned[0].clone()].into();
    assert_eq!(
        listed(server, cookie, "&returned_unfixed=true").await,
        unfixed
    );
    assert_eq!(
        listed(server, cookie, "&returned_unfixed=false")
            .await
            .len(),
        entries.len()
    );
    assert_eq!(
        listed(server, cookie, "&returned_unfixed=true&author=王明").await,
        BTreeSet::new()
    );
    assert!(listed(server, cookie, "&review=pending")
        .await
        .contains(&returned[1]));
}

async fn refused_bulk_reviews_change_nothing(scene: &Scene) {
    let Scene {
        server,
        cookie,
        viewer,
        ..
    } = scene;
    let high = scene.high();
    // Many at once: refused, and nothing changed, for a viewer, without the header, and for
    // every bad body.
    let pending_before = listed(server, cookie, "&review=pending").await;
    let some: Vec<&str> = high.iter().map(String::as_str).collect();
    let answer = server
        .post(
            "/api/v1/admin/reviews",
            viewer,
            json!({"entry_ids": some, "decision": "approved"}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let answer = server
        .client
        .post(server.url("/api/v1/admin/reviews"))
        .header("cookie", cookie)
        .json(&json!({"entry_ids": some, "decision": "approved"}))
        .send()
        .await
        .unwrap();
    expect_bad(answer, "X-Patrol-Dashboard").await;
    let too_many: Vec<String> = (0..501).map(|_| EntryId::new_v7().to_string()).collect();
    let bodies = [
        (json!({"decision": "approved"}), "entry_ids"),
        (
            json!({"entry_ids": [], "decision": "approved"}),
            "entry_ids",
        ),
        (
            json!({"entry_ids": too_many, "decision": "approved"}),
            "entry_ids",
        ),
        (
            json!({"entry_ids": some[0], "decision": "approved"}),
            "entry_ids",
        ),
        (
            json!({"entry_ids": [some[0], 7], "decision": "approved"}),
            "entry_ids[1]",
        ),
        (
            json!({"entry_ids": [some[0], "'; DROP TABLE entries; --"], "decision": "approved"}),
            "entry_ids[1]",
        ),
        (json!({"entry_ids": some, "decision": "maybe"}), "decision"),
        (json!({"entry_ids": some}), "decision"),
        (
            json!({"entry_ids": some, "decision": "returned", "comment": " "}),
            "comment",
        ),
        (
            json!({"entry_ids": some, "decision": "approved", "comment": "字".repeat(501)}),
            "comment",
        ),
        (
            json!({"entry_ids": some, "decision": "approved", "all": true}),
            "all",
        ),
        (
            json!({"entry_ids": some, "decision": "approved", "comment": "a\u{0}b"}),
            "comment",
        ),
    ];
    for (body, field) in bodies {
        expect_bad(
            server.post("/api/v1/admin/reviews", cookie, body).await,
            field,
        )
        .await;
    }
    // An id nested 2,000 arrays deep, written as text (serde_json would recurse through it).
    let nested = format!(
        "{{\"entry_ids\": [{}\"x\"{}], \"decision\": \"approved\"}}",
        "[".repeat(2000),
        "]".repeat(2000)
    );
    for raw in [
        "[1,2]",
        "{\"entry_ids\": [",
        "null",
        "\"approved\"",
        &nested,
    ] {
        let answer = server
            .client
            .post(server.url("/api/v1/admin/reviews"))
            .header("cookie", cookie)
            .header("x-patrol-dashboard", "1")
            .header("content-type", "application/json")
            .body(raw.to_string())
            .send()
            .await
            .unwrap();
        let status = answer.status();
        assert!(status.is_client_error(), "{raw}: {status}");
        let body: Value = answer.json().await.unwrap();
        assert!(body["message_zh"].is_string(), "{raw}: {body}");
    }
    assert_eq!(
        listed(server, cookie, "&review=pending").await,
        pending_before
    );
    assert!(
        audit_rows(server, cookie, "review").await.len() == 2,
        "only the two returns"
    );
}

async fn bulk_approval_reaches_each_post(scene: &Scene) {
    let Scene {
        server,
        cookie,
        entries,
        tianpeng,
        muyang,
        ..
    } = scene;
    let high = scene.high();
    let some: Vec<&str> = high.iter().map(String::as_str).collect();
    // Every high hazard of both posts approved in one request, with an unknown id and one
    // given twice; the answer says which.
    let unknown = EntryId::new_v7().to_string();
    let mut ids: Vec<&str> = some.clone();
    ids.push(&unknown);
    ids.push(some[0]);
    let answer = server
        .post(
            "/api/v1/admin/reviews",
            cookie,
            json!({"entry_ids": ids, "decision": "approved"}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let outcome: Value = answer.json().await.unwrap();
    assert_eq!(outcome["reviewed"], json!(some), "in the order sent, once");
    assert_eq!(outcome["unchanged"], json!([]));
    assert_eq!(outcome["not_found"], json!([unknown]));
    assert_eq!(listed(server, cookie, "&review=approved").await, high);
    let again = server
        .post(
            "/api/v1/admin/reviews",
            cookie,
            json!({"entry_ids": some, "decision": "approved"}),
        )
        .await;
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["reviewed"], json!([]));
    assert_eq!(
        again["unchanged"],
        json!(some),
        "already approved: no new version"
    );

    // Each post's phones pull exactly their own entries' decisions.
    for (device, post_entries) in [(tianpeng, &entries[..7]), (muyang, &entries[7..])] {
        let pulled = pull(server, device).await;
        let approved: BTreeSet<String> = pulled
            .iter()
            .filter(|entry| entry["review"]["decision"] == "approved")
            .map(|entry| entry["id"].as_str().unwrap().to_string())
            .collect();
        let of_post: BTreeSet<String> = ids_of(&post_entries.iter().collect::<Vec<_>>());
        assert_eq!(approved, high.intersection(&of_post).cloned().collect());
        for entry in pulled
            .iter()
            .filter(|entry| entry["review"]["decision"] == "approved")
        {
            assert_eq!(entry["review"]["reviewer"], ADMIN.0);
        }
    }
    // One audit row per entry reviewed, by the admin.
    let reviews = audit_rows(server, cookie, "review").await;
    assert_eq!(reviews.len(), 2 + high.len());
    let audited: BTreeSet<String> = reviews
        .iter()
        .filter(|row| row["detail"]["decision"] == "approved")
        .map(|row| row["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(audited, high);
    assert!(reviews.iter().all(|row| row["actor"] == ADMIN.0));
}

async fn export_of_the_filtered_list(scene: &Scene) {
    let Scene {
        server,
        cookie,
        viewer,
        ..
    } = scene;
    let (high, wang) = (scene.high(), scene.wang());
    // The filtered list as CSV and XLSX, the same rows as the list; no cell runs.
    let (status, csv) = server
        .get(
            "/api/v1/admin/entries/export?format=csv&severity=high",
            viewer,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(csv);
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "编号");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let exported: BTreeSet<String> = rows.iter().map(|row| row[0].to_string()).collect();
    assert_eq!(exported, high);
    for row in &rows {
        for cell in row.iter() {
            assert!(!cell.starts_with(FORMULA_STARTS), "the cell {cell:?}");
        }
        assert_eq!(&row[8], "高");
        assert_eq!(&row[12], "已通过");
    }
    assert!(rows
        .iter()
        .any(|row| row[7] == format!("'{FORMULA_AUTHOR}")));
    let answer = server
        .client
        .get(server.url("/api/v1/admin/entries/export?format=xlsx&author=王明"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let disposition = answer.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"patrol-log-entries-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".xlsx\""), "{disposition}");
    let bytes = answer.bytes().await.unwrap().to_vec();
    use calamine::{Data, Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("条目").unwrap();
    let sheet_rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(sheet_rows[0][4], Data::String("标题".into()));
    let xlsx_ids: BTreeSet<String> = sheet_rows[1..]
        .iter()
        .map(|row| row[0].to_string())
        .collect();
    assert_eq!(xlsx_ids, wang);
    let patrol_row = sheet_rows[1..]
        .iter()
        .find(|row| row[2] == Data::String("巡逻".into()))
        .unwrap();
    assert_eq!(patrol_row[10], Data::Float(6.5), "a quantity is a number");
}

async fn bad_exports_are_refused(scene: &Scene) {
    let Scene { server, cookie, .. } = scene;
    for (query, field) in [
        ("format=pdf", "format"),
        ("severity=high", "format"),
        ("format=csv&review=maybe", "review"),
        ("format=csv&cursor=x", "cursor"),
    ] {
        let answer = server
            .client
            .get(server.url(&format!("/api/v1/admin/entries/export?{query}")))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        expect_bad(answer, field).await;
    }
    let exports = audit_rows(server, cookie, "export").await;
    assert_eq!(exports.len(), 2, "each download is in the log");
    assert!(exports
        .iter()
        .all(|row| row["detail"]["subject"] == "entries"));
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn reviewing_at_scale_on_sqlite() {
    review_at_scale(ServerProcess::start(None)).await;
}

#[tokio::test]
async fn reviewing_at_scale_on_postgres() {
    let cluster = PgCluster::start();
    let url = cluster.create_database("review_at_scale").await;
    review_at_scale(ServerProcess::start(Some(&url))).await;
}
