//! The year-end report as CSV: UTF-8 with a byte-order mark (so a spreadsheet program opens the
//! Chinese right), columns 类别,项目,数量,单位, one row per figure of
//! [`AnnualReport::figures`].

use super::annual::AnnualReport;
use std::io::Write;

/// The header row.
pub const CSV_HEADER: [&str; 4] = ["类别", "项目", "数量", "单位"];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn write_annual_csv(report: &AnnualReport, out: &mut dyn Write) -> Result<(), csv::Error> {
    out.write_all(UTF8_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for figure in report.figures() {
        writer.write_record([
            figure.section_zh,
            &figure.item_zh,
            &figure.value_text(),
            figure.unit_zh,
        ])?;
    }
    writer.flush()?;
    Ok(())
}
