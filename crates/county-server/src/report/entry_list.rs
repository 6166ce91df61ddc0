//! The entries list as the dashboard filtered it (`GET /api/v1/admin/entries/export`), as a CSV
//! (UTF-8 with a byte-order mark, like the year-end report's) or an XLSX sheet 条目: one row per
//! entry with its labels in Chinese. Every text cell goes through [`safe_text`] (member text
//! never opens as a formula); quantities, counts and coordinates are numbers.

use super::csv::UTF8_BOM;
use super::xlsx::{write_table, Cell};
use super::{ReportError, ReportFormat};
use crate::spreadsheet::safe_text;
use crate::storage::dashboard::EntrySummary;
use patrol_model::{DomainCode, EntryKind, EntryStatus, HazardSeverity, ReviewDecision, Unit};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Write;

/// The header row of both files.
pub const ENTRY_LIST_HEADER: [&str; 17] = [
    "编号",
    "联防所",
    "类型",
    "类别",
    "标题",
    "发生时间",
    "日期",
    "联防员",
    "严重程度",
    "状态",
    "数量",
    "单位",
    "审核",
    "照片",
    "纬度",
    "经度",
    "已删除",
];

/// The XLSX sheet's name.
pub const ENTRY_LIST_SHEET: &str = "条目";

/// The attachment's name: `patrol-log-entries-20241231-0930.csv` (the server's UTC time).
pub fn entry_list_file_name(format: ReportFormat, now: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "patrol-log-entries-{}.{}",
        now.format("%Y%m%d-%H%M"),
        format.code()
    )
}

/// The review state as the dashboard says it.
fn review_label(decision: Option<&str>) -> &'static str {
    match decision.and_then(ReviewDecision::from_code) {
        None => "待审核",
        Some(ReviewDecision::Approved) => "已通过",
        Some(ReviewDecision::Returned) => "已退回",
    }
}

fn label<T: DomainCode>(code: Option<&str>) -> String {
    code.map(|code| T::from_code(code).map_or_else(|| code.to_string(), |v| v.label_zh().into()))
        .unwrap_or_default()
}

/// One entry's cells, in the order of [`ENTRY_LIST_HEADER`].
fn cells(entry: &EntrySummary) -> Vec<Cell<'static>> {
    let text = |value: String| Cell::Owned(value);
    let number = |value: Option<f64>| value.map_or(Cell::Text(""), Cell::Number);
    vec![
        text(entry.id.to_string()),
        text(entry.post_name.clone()),
        text(label::<EntryKind>(Some(&entry.kind))),
        text(entry.category_label_zh.clone().unwrap_or_default()),
        text(entry.title_zh.clone()),
        text(entry.occurred_at.clone()),
        text(entry.local_day.clone()),
        text(entry.author.clone().unwrap_or_default()),
        text(label::<HazardSeverity>(entry.severity.as_deref())),
        text(label::<EntryStatus>(entry.status.as_deref())),
        number(entry.quantity),
        text(label::<Unit>(entry.unit.as_deref())),
        Cell::Text(review_label(entry.review_decision.as_deref())),
        Cell::Number(f64::from(entry.photo_count)),
        number(entry.lat),
        number(entry.lon),
        Cell::Text(if entry.deleted { "是" } else { "" }),
    ]
}

/// Writes `entries` as `format` (CSV or XLSX; JSON is the list's own answer).
pub fn write_entry_list(
    entries: &[EntrySummary],
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    match format {
        ReportFormat::Csv => {
            out.write_all(UTF8_BOM)?;
            let mut writer = csv::Writer::from_writer(&mut *out);
            writer.write_record(ENTRY_LIST_HEADER)?;
            for entry in entries {
                let row: Vec<String> = cells(entry)
                    .iter()
                    .map(|cell| match cell {
                        Cell::Text(text) => safe_text(text).into_owned(),
                        Cell::Owned(text) => safe_text(text).into_owned(),
                        Cell::Number(number) => number.to_string(),
                    })
                    .collect();
                writer.write_record(&row)?;
            }
            writer.flush()?;
        }
        ReportFormat::Xlsx | ReportFormat::Json => {
            let mut workbook = Workbook::new();
            let bold = Format::new().set_bold();
            let sheet = workbook.add_worksheet().set_name(ENTRY_LIST_SHEET)?;
            let rows: Vec<Vec<Cell<'static>>> = entries.iter().map(cells).collect();
            write_table(sheet, &bold, &ENTRY_LIST_HEADER, &rows)?;
            out.write_all(&workbook.save_to_buffer()?)?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::dashboard::EntryCursor;
    use patrol_model::{EntryId, PostId};

    fn summary(title: &str) -> EntrySummary {
        let id = EntryId::new_v7();
        EntrySummary {
            id,
            post_id: PostId(uuid::Uuid::now_v7()),
            post_name: "田蓬联防所".into(),
            kind: "hazard".into(),
            category: "fence".into(),
            category_label_zh: Some("铁网/围栏".into()),
            title_zh: title.into(),
            occurred_at: "2024-03-02T09:00:00+08:00".into(),
            local_day: "2024-03-02".into(),
            author: Some("@李国华".into()),
            status: Some("open".into()),
            review_decision: Some("returned".into()),
            deleted: false,
            photo_count: 2,
            quantity: Some(-1.5),
            unit: None,
            lat: Some(23.6),
            lon: Some(105.6),
            severity: Some("high".into()),
            cursor: EntryCursor {
                occurred_corrected_ms: 0,
                id,
            },
        }
    }

    #[test]
    fn a_csv_row_has_chinese_labels_and_no_cell_that_runs() {
        let mut out = Vec::new();
        write_entry_list(&[summary("=HYPERLINK(\"x\")")], ReportFormat::Csv, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let text = text.strip_prefix('\u{feff}').unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap(), ENTRY_LIST_HEADER.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[2], "隐患排查");
        assert_eq!(&row[4], "'=HYPERLINK(\"x\")");
        assert_eq!(&row[7], "'@李国华");
        assert_eq!(&row[8], "高");
        assert_eq!(&row[9], "待整改");
        assert_eq!(&row[10], "-1.5", "a number stays a number");
        assert_eq!(&row[12], "已退回");
    }
}
