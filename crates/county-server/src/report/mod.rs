//! The county's year-end report (年度报告): the typed figures and their assembly from aggregate
//! rows ([`annual`]), and the files it is handed out as — JSON, CSV ([`csv`]) and XLSX
//! ([`xlsx`]). The storage backends compute the aggregate rows
//! ([`crate::storage::dashboard::DashboardQueries::annual_report`]); `county-server report` and
//! `GET /api/v1/admin/reports/annual` both write the report through [`write_annual_report`].

pub mod annual;
pub mod csv;
pub mod entry_list;
pub mod xlsx;

pub use annual::{assemble_annual_report, AggregateRow, AnnualReport, REPORT_YEARS};

use std::io::Write;

/// What the report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Xlsx,
    Csv,
}

impl ReportFormat {
    pub fn from_code(code: &str) -> Option<ReportFormat> {
        match code {
            "json" => Some(ReportFormat::Json),
            "xlsx" => Some(ReportFormat::Xlsx),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Json => "application/json",
            ReportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ReportFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The attachment's name: `patrol-log-annual-2024.xlsx`.
    pub fn file_name(self, year: i32) -> String {
        format!("patrol-log-annual-{year}.{}", self.code())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("writing the report: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the report as CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("writing the report as XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes `report` to `out` in `format` (JSON pretty-printed, with a final newline).
pub fn write_annual_report(
    report: &AnnualReport,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            out.write_all(b"\n")?;
        }
        ReportFormat::Csv => csv::write_annual_csv(report, out)?,
        ReportFormat::Xlsx => out.write_all(&xlsx::annual_xlsx(report)?)?,
    }
    out.flush()?;
    Ok(())
}
