//! The year-end report as the county gets it from `county-server report`: JSON equal to the
//! storage's report, CSV (UTF-8 with BOM) parsed back, XLSX read back with calamine, and a bad
//! year refused. The binary runs on a SQLite file filled through `storage.sync`.

mod common;

use chrono::Utc;
use common::{enrol, record, request};
use county_server::report::AnnualReport;
use patrol_model::{DeviceId, EntryId};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

fn entry(
    device: DeviceId,
    kind: &str,
    occurred_at: &str,
    status: Option<&str>,
    body: Value,
) -> Value {
    let mut document = json!({
        "id": EntryId::new_v7(), "device_id": device, "kind": kind, "occurred_at": occurred_at,
        "body": body, "photos": [], "revision": 1, "deleted": false,
        "created_at": "2024-12-01T00:00:00Z", "updated_at": "2024-12-01T00:00:00Z"});
    if let Some(status) = status {
        document["status"] = status.into();
    }
    document
}

/// A county file with one post's 2024: patrols 3.1 + 4.1 km (one joint), road repairs
/// 3.1 + 4.1 km, a fence repair of 0.2 km, a fixed fence hazard, an incident of 2 persons.
async fn county_file(path: &Path) -> AnnualReport {
    let storage = county_server::open_storage(&path.display().to_string())
        .await
        .unwrap();
    let post = storage
        .create_post("田蓬联防所", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (device, _) = enrol(&storage, &post).await;
    let id = device.device_id;
    let entries = [
        entry(
            id,
            "patrol",
            "2024-03-02T08:10:00+08:00",
            Some("ended"),
            json!({"joint": true, "partners": [{"unit": "army", "count": 2}], "distance_km": 3.1}),
        ),
        entry(
            id,
            "patrol",
            "2024-03-05T08:10:00+08:00",
            Some("ended"),
            json!({"joint": false, "distance_km": 4.1}),
        ),
        entry(
            id,
            "repair",
            "2024-04-01T10:00:00+08:00",
            None,
            json!({"category": "road", "quantity": 3.1, "unit": "km"}),
        ),
        entry(
            id,
            "repair",
            "2024-04-02T10:00:00+08:00",
            None,
            json!({"category": "road", "quantity": 4.1, "unit": "km"}),
        ),
        entry(
            id,
            "repair",
            "2024-04-03T10:00:00+08:00",
            None,
            json!({"category": "fence", "quantity": 0.2, "unit": "km"}),
        ),
        entry(
            id,
            "hazard",
            "2024-05-01T10:00:00+08:00",
            Some("fixed"),
            json!({"category": "fence", "severity": "high"}),
        ),
        entry(
            id,
            "incident",
            "2024-06-01T10:00:00+08:00",
            None,
            json!({"crime_type": "smuggling", "persons": 2}),
        ),
    ];
    let records = entries
        .iter()
        .enumerate()
        .map(|(index, document)| record(index as u64 + 1, id, 1_000 + index as i64, None, document))
        .collect();
    let answer = storage
        .sync(device, request(records, None), Utc::now())
        .await
        .unwrap();
    assert!(answer.rejected.is_empty(), "{:?}", answer.rejected);
    storage.annual_report(2024).await.unwrap()
}

fn county_server(database: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_county-server"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("county-server runs")
}

fn succeeded(output: Output) -> Vec<u8> {
    assert!(
        output.status.success(),
        "county-server failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[tokio::test]
async fn the_report_command_prints_json_csv_and_xlsx_with_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("county.sqlite3");
    let expected = county_file(&database).await;
    assert_eq!(expected.repairs[0].quantity.to_string(), "7.2");
    assert_eq!(expected.patrols.distance_km.to_string(), "7.2");

    let json = succeeded(county_server(
        &database,
        &["report", "--year", "2024", "--format", "json"],
    ));
    let printed: AnnualReport = serde_json::from_slice(&json).unwrap();
    assert_eq!(printed, expected);
    let text = String::from_utf8(json).unwrap();
    assert!(text.contains("\"distance_km\": 7.2"), "{text}");
    assert!(!text.contains("7.19999"), "{text}");

    let csv_bytes = succeeded(county_server(
        &database,
        &["report", "--year", "2024", "--format", "csv"],
    ));
    let body = csv_bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("the CSV starts with a UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(body);
    assert_eq!(
        reader.headers().unwrap(),
        vec!["类别", "项目", "数量", "单位"]
    );
    let rows: Vec<[String; 4]> = reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            [0, 1, 2, 3].map(|column| row[column].to_string())
        })
        .collect();
    assert_eq!(rows.len(), expected.figures().len());
    let find = |item: &str| rows.iter().find(|row| row[1] == item).unwrap().clone();
    assert_eq!(
        find("水毁道路"),
        ["修复", "水毁道路", "7.2", "公里"].map(String::from)
    );
    assert_eq!(
        find("铁网"),
        ["修复", "铁网", "200", "米"].map(String::from)
    );
    assert_eq!(
        find("巡逻里程"),
        ["巡逻", "巡逻里程", "7.2", "公里"].map(String::from)
    );
    assert_eq!(
        find("联合巡逻"),
        ["巡逻", "联合巡逻", "1", "次"].map(String::from)
    );
    assert_eq!(
        find("已整改"),
        ["隐患排查", "已整改", "1", "处"].map(String::from)
    );
    assert_eq!(
        find("涉案人员"),
        ["案件", "涉案人员", "2", "人"].map(String::from)
    );

    let workbook_path = dir.path().join("patrol-log-annual-2024.xlsx");
    let output = workbook_path.display().to_string();
    succeeded(county_server(
        &database,
        &[
            "report", "--year", "2024", "--format", "xlsx", "--output", &output,
        ],
    ));
    check_workbook(&workbook_path, &expected);
    // Piped (not a terminal), the workbook goes to stdout.
    let piped = succeeded(county_server(
        &database,
        &["report", "--year", "2024", "--format", "xlsx"],
    ));
    assert!(piped.starts_with(b"PK"), "an XLSX is a zip file");
    let piped_path = dir.path().join("piped.xlsx");
    std::fs::write(&piped_path, piped).unwrap();
    check_workbook(&piped_path, &expected);
}

fn check_workbook(path: &Path, expected: &AnnualReport) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "年度报告",
            "巡逻",
            "案件",
            "普法宣传",
            "修复",
            "活动",
            "隐患排查"
        ]
    );
    let summary = workbook.worksheet_range("年度报告").unwrap();
    let rows: Vec<&[Data]> = summary.rows().collect();
    assert_eq!(
        rows[0],
        [
            Data::String("类别".into()),
            Data::String("项目".into()),
            Data::String("数量".into()),
            Data::String("单位".into())
        ]
    );
    assert_eq!(rows.len(), expected.figures().len() + 1);
    let road = rows
        .iter()
        .find(|row| row[1] == Data::String("水毁道路".into()))
        .unwrap();
    assert_eq!(road[2], Data::Float(7.2));
    assert_eq!(road[3], Data::String("公里".into()));
    let repairs = workbook.worksheet_range("修复").unwrap();
    let fence = repairs
        .rows()
        .find(|row| row[0] == Data::String("铁网".into()))
        .unwrap();
    assert_eq!(
        fence[1..],
        [
            Data::Float(1.0),
            Data::Float(200.0),
            Data::String("米".into())
        ]
    );
    let hazards = workbook.worksheet_range("隐患排查").unwrap();
    let total = hazards.rows().next_back().unwrap();
    assert_eq!(
        total,
        [
            Data::String("合计".into()),
            Data::Float(1.0),
            Data::Float(1.0),
            Data::Float(0.0)
        ]
    );
}

#[tokio::test]
async fn a_year_out_of_range_is_refused_naming_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("county.sqlite3");
    county_file(&database).await;
    for year in ["1999", "2101", "last"] {
        let output = county_server(&database, &["report", "--year", year, "--format", "json"]);
        assert!(!output.status.success(), "--year {year} is refused");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--year"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}
