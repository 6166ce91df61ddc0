//! The year-end report as CSV: UTF-8 with a byte-order mark (so a spreadsheet program opens the
//! Chinese right), columns 类别,项目,数量,单位, one row per figure of
//! [`AnnualReport::figures`]; text cells through [`safe_text`], figures as numbers.

use super::annual::AnnualReport;
use crate::spreadsheet::safe_text;
use std::borrow::Cow;
use std::io::Write;

/// The header row.
pub const CSV_HEADER: [&str; 4] = ["类别", "项目", "数量", "单位"];

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn write_annual_csv(report: &AnnualReport, out: &mut dyn Write) -> Result<(), csv::Error> {
    out.write_all(UTF8_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for figure in report.figures() {
        let row: [Cow<'_, str>; 4] = [
            safe_text(figure.section_zh),
            safe_text(&figure.item_zh),
            Cow::Owned(figure.value_text()),
            safe_text(figure.unit_zh),
        ];
        writer.write_record(row.iter().map(|cell| cell.as_bytes()))?;
    }
    writer.flush()?;
    Ok(())
}
