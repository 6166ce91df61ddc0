//! The year-end report as an XLSX workbook (rust_xlsxwriter): the sheet 年度报告 with every
//! figure as a row 类别/项目/数量/单位 (the same rows as the CSV), then one sheet per section
//! with its table by category. Numbers are written as numbers, so they add up in a spreadsheet;
//! text is written as strings (never formulas), through [`safe_text`].

use super::annual::{
    AnnualReport, SECTION_ACTIVITIES, SECTION_HAZARDS, SECTION_INCIDENTS, SECTION_OUTREACH,
    SECTION_PATROLS, SECTION_REPAIRS,
};
use super::csv::CSV_HEADER;
use crate::spreadsheet::safe_text;
use crate::storage::dashboard::round_quantity;
use patrol_model::DomainCode;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The first sheet's name.
pub const SUMMARY_SHEET: &str = "年度报告";

/// A cell of a table.
pub(crate) enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Number(f64),
}

/// The workbook's bytes.
pub fn annual_xlsx(report: &AnnualReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();

    let sheet = workbook.add_worksheet().set_name(SUMMARY_SHEET)?;
    let rows = report.figures();
    let table: Vec<Vec<Cell<'_>>> = rows
        .iter()
        .map(|figure| {
            vec![
                Cell::Text(figure.section_zh),
                Cell::Text(&figure.item_zh),
                Cell::Number(round_quantity(figure.value)),
                Cell::Text(figure.unit_zh),
            ]
        })
        .collect();
    write_table(sheet, &bold, &CSV_HEADER, &table)?;

    let patrols = &report.patrols;
    let sheet = workbook.add_worksheet().set_name(SECTION_PATROLS)?;
    write_table(
        sheet,
        &bold,
        &["项目", "数量", "单位"],
        &[
            vec![
                Cell::Text("巡逻"),
                Cell::Number(patrols.total as f64),
                Cell::Text("次"),
            ],
            vec![
                Cell::Text("联合巡逻"),
                Cell::Number(patrols.joint as f64),
                Cell::Text("次"),
            ],
            vec![
                Cell::Text("巡逻里程"),
                Cell::Number(patrols.distance_km),
                Cell::Text("公里"),
            ],
        ],
    )?;

    let sheet = workbook.add_worksheet().set_name(SECTION_INCIDENTS)?;
    let mut table: Vec<Vec<Cell<'_>>> = report
        .incidents
        .by_type
        .iter()
        .map(|row| {
            vec![
                Cell::Text(&row.label_zh),
                Cell::Number(row.cases as f64),
                Cell::Number(row.persons as f64),
            ]
        })
        .collect();
    table.push(vec![
        Cell::Text("合计"),
        Cell::Number(report.incidents.cases as f64),
        Cell::Number(report.incidents.persons as f64),
    ]);
    write_table(
        sheet,
        &bold,
        &["案件类型", "案件(起)", "涉案人员(人)"],
        &table,
    )?;

    let sheet = workbook.add_worksheet().set_name(SECTION_OUTREACH)?;
    write_table(
        sheet,
        &bold,
        &["项目", "数量", "单位"],
        &[
            vec![
                Cell::Text("宣传次数"),
                Cell::Number(report.outreach.sessions as f64),
                Cell::Text("次"),
            ],
            vec![
                Cell::Text("受教育群众"),
                Cell::Number(report.outreach.audience as f64),
                Cell::Text("人"),
            ],
        ],
    )?;

    let sheet = workbook.add_worksheet().set_name(SECTION_REPAIRS)?;
    let table: Vec<Vec<Cell<'_>>> = report
        .repairs
        .iter()
        .map(|row| {
            vec![
                Cell::Text(&row.label_zh),
                Cell::Number(row.entries as f64),
                Cell::Number(row.quantity),
                Cell::Text(unit_zh(&row.unit)),
            ]
        })
        .collect();
    write_table(sheet, &bold, &["修复类别", "条目", "数量", "单位"], &table)?;

    let sheet = workbook.add_worksheet().set_name(SECTION_ACTIVITIES)?;
    let table: Vec<Vec<Cell<'_>>> = report
        .activities
        .iter()
        .map(|row| {
            vec![
                Cell::Text(&row.label_zh),
                Cell::Number(row.sessions as f64),
                Cell::Number(row.attendees as f64),
            ]
        })
        .collect();
    write_table(sheet, &bold, &["活动类型", "次数", "参加人数"], &table)?;

    let sheet = workbook.add_worksheet().set_name(SECTION_HAZARDS)?;
    let hazards = &report.hazards;
    let mut table: Vec<Vec<Cell<'_>>> = hazards
        .by_category
        .iter()
        .map(|row| {
            vec![
                Cell::Text(&row.label_zh),
                Cell::Number(row.found as f64),
                Cell::Number(row.fixed as f64),
                Cell::Number(row.found.saturating_sub(row.fixed) as f64),
            ]
        })
        .collect();
    table.push(vec![
        Cell::Text("合计"),
        Cell::Number(hazards.found as f64),
        Cell::Number(hazards.fixed as f64),
        Cell::Number(hazards.open as f64),
    ]);
    write_table(
        sheet,
        &bold,
        &["隐患类别", "发现", "已整改", "未整改"],
        &table,
    )?;

    workbook.save_to_buffer()
}

fn unit_zh(code: &str) -> &'static str {
    patrol_model::Unit::from_code(code)
        .map(patrol_model::Unit::label_zh)
        .unwrap_or("")
}

/// A bold header row, then the rows; the first column wide enough for Chinese labels.
pub(crate) fn write_table(
    sheet: &mut Worksheet,
    bold: &Format,
    header: &[&str],
    rows: &[Vec<Cell<'_>>],
) -> Result<(), XlsxError> {
    for (column, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, column, safe_text(title), bold)?;
        sheet.set_column_width(column, if column < 2 { 22 } else { 12 })?;
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(text) => sheet.write_string(row, column, safe_text(text))?,
                Cell::Owned(text) => sheet.write_string(row, column, safe_text(text))?,
                Cell::Number(number) => sheet.write_number(row, column, *number)?,
            };
        }
    }
    Ok(())
}
