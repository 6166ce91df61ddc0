//! Exports safe to open: entries whose member text is a spreadsheet formula
//! (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-1+2`, a leading tab or CR) are synced through the
//! real HTTP API of the real `county-server` binary, then every spreadsheet the county can
//! write — `export --format csv`, `report --format csv|xlsx`, and the dashboard's report
//! downloads — is read back (csv crate; calamine for XLSX): no cell begins with a formula
//! character, no XLSX cell is a formula, the member's text is still all there after the `'`,
//! and numbers are still numbers.

mod common;

use common::hazard;
use common::process::ServerProcess;
use county_server::spreadsheet::FORMULA_STARTS;
use patrol_model::EntryId;
use serde_json::Value;

const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-1+2",
    "\tx",
    "\rx",
];
const ADMIN: (&str, &str) = ("县边防办", "边防办 2024 口令");

/// A server with one post whose device synced one hazard per formula, as author and text.
async fn server_with_formula_entries() -> ServerProcess {
    let server = ServerProcess::start(None);
    server.cli(&["post", "add", "田蓬联防所"]);
    server.add_admin(ADMIN.0, ADMIN.1, "admin");
    let mut device = server.enrol("田蓬联防所").await;
    let entries: Vec<Value> = FORMULAS
        .iter()
        .map(|formula| {
            let mut entry = hazard(EntryId::new_v7(), device.id, "high", formula);
            entry["author"] = (*formula).into();
            entry
        })
        .collect();
    server.sync(&mut device, &entries).await;
    server
}

fn assert_safe(cell: &str, place: &str) {
    assert!(
        !cell.starts_with(FORMULA_STARTS),
        "{place}: the cell {cell:?} would open as a formula"
    );
}

/// Every cell of a CSV (a leading BOM skipped), as rows.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|row| row.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn check_csv(bytes: &[u8], place: &str) -> Vec<Vec<String>> {
    let rows = csv_rows(bytes);
    assert!(rows.len() > 1, "{place}: rows were written");
    for cell in rows.iter().flatten() {
        assert_safe(cell, place);
    }
    rows
}

/// Every string cell of every sheet is safe, no cell is a formula; the 数量 column of the
/// summary is numbers.
fn check_xlsx(bytes: &[u8], place: &str) {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    for sheet in workbook.sheet_names() {
        let range = workbook.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            if let (_, _, Data::String(text)) = cell {
                assert_safe(text, &format!("{place}, sheet {sheet}"));
            }
        }
        let formulas = workbook.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas
                .used_cells()
                .all(|(_, _, formula)| formula.is_empty()),
            "{place}, sheet {sheet}: no cell may be a formula"
        );
    }
    let summary = workbook.worksheet_range("年度报告").unwrap();
    for row in summary.rows().skip(1) {
        assert!(
            matches!(row[2], Data::Float(_)),
            "{place}: the figure {:?} stays a number",
            row[2]
        );
    }
}

#[tokio::test]
async fn the_entry_export_shows_formulas_as_text() {
    let server = server_with_formula_entries().await;
    let rows = check_csv(
        &server.cli(&["export", "--format", "csv"]),
        "export --format csv",
    );
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|title| title == name).unwrap();
    let authors: Vec<&str> = rows[1..]
        .iter()
        .map(|row| row[column("author")].as_str())
        .collect();
    let mut expected: Vec<String> = FORMULAS.iter().map(|f| format!("'{f}")).collect();
    let mut authors: Vec<String> = authors.into_iter().map(str::to_string).collect();
    expected.sort();
    authors.sort();
    assert_eq!(
        authors, expected,
        "every author is kept whole after the quote"
    );
    for row in &rows[1..] {
        assert_eq!(row[column("revision")], "1", "a number stays a number");
        let body: Value = serde_json::from_str(&row[column("body")]).unwrap();
        assert!(
            FORMULAS.contains(&body["description"].as_str().unwrap()),
            "the body's JSON keeps the text as the member wrote it"
        );
    }

    let jsonl = String::from_utf8(server.cli(&["export", "--format", "jsonl"])).unwrap();
    let authors: Vec<String> = jsonl
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["author"].to_string())
        .collect();
    assert!(
        authors
            .iter()
            .any(|a| a == "\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\""),
        "JSON lines are not a spreadsheet: the text is unchanged ({authors:?})"
    );
}

#[tokio::test]
async fn the_report_files_and_downloads_hold_no_formula() {
    let server = server_with_formula_entries().await;
    let csv = server.cli(&["report", "--year", "2024", "--format", "csv"]);
    let rows = check_csv(&csv, "report --format csv");
    let hazards_found = rows
        .iter()
        .find(|row| row[1] == "发现隐患")
        .expect("the fence hazards' row");
    assert_eq!(hazards_found[2], "6", "the figure is a plain number");

    let file = server.dir.path().join("report.xlsx");
    let file_arg = file.display().to_string();
    server.cli(&[
        "report", "--year", "2024", "--format", "xlsx", "--output", &file_arg,
    ]);
    check_xlsx(&std::fs::read(&file).unwrap(), "report --format xlsx");

    let (status, cookie) = server.log_in(ADMIN.0, ADMIN.1).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let cookie = cookie.unwrap();
    for format in ["csv", "xlsx"] {
        let (status, bytes) = server
            .get(
                &format!("/api/v1/admin/reports/annual?year=2024&format={format}"),
                &cookie,
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "the {format} download");
        let place = format!("the dashboard's {format} download");
        if format == "csv" {
            assert_eq!(check_csv(&bytes, &place), rows, "{place} equals the CLI's");
        } else {
            check_xlsx(&bytes, &place);
        }
    }
}
