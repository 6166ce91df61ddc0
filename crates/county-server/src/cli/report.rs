//! `county-server report --year Y --format json|xlsx|csv [--output FILE]`: the year-end report
//! (the same figures as `GET /api/v1/admin/reports/annual`), to a file or to stdout. An XLSX
//! goes to stdout only when it is not a terminal.

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use county_server::audit::{record_audit, Actor, AuditEvent};
use county_server::report::{write_annual_report, ReportFormat, REPORT_YEARS};
use county_server::SharedStorage;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFileFormat {
    Json,
    Xlsx,
    Csv,
}

impl From<ReportFileFormat> for ReportFormat {
    fn from(format: ReportFileFormat) -> Self {
        match format {
            ReportFileFormat::Json => ReportFormat::Json,
            ReportFileFormat::Xlsx => ReportFormat::Xlsx,
            ReportFileFormat::Csv => ReportFormat::Csv,
        }
    }
}

/// `--year` as clap reads it: a number from 2000 to 2100.
pub fn parse_report_year(text: &str) -> Result<i32, String> {
    let year: i32 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a year"))?;
    if !REPORT_YEARS.contains(&year) {
        return Err(format!(
            "{year} is outside {}–{}",
            REPORT_YEARS.start(),
            REPORT_YEARS.end()
        ));
    }
    Ok(year)
}

pub async fn report(
    storage: SharedStorage,
    year: i32,
    format: ReportFileFormat,
    output: Option<PathBuf>,
) -> Result<()> {
    let format = ReportFormat::from(format);
    if output.is_none() && format == ReportFormat::Xlsx && std::io::stdout().is_terminal() {
        bail!(
            "an XLSX workbook is not for a terminal: give --output {} (or redirect stdout)",
            format.file_name(year)
        );
    }
    let report = storage
        .annual_report(year)
        .await
        .with_context(|| format!("computing the {year} report"))?;
    match output {
        Some(path) => {
            let file = std::fs::File::create(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            write_annual_report(&report, format, &mut out)?;
            out.into_inner()
                .map_err(|error| error.into_error())?
                .sync_all()
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write_annual_report(&report, format, &mut out)?;
            out.flush()?;
        }
    }
    let event = AuditEvent::ReportWritten {
        year,
        format: format.code().into(),
    };
    record_audit(storage.as_ref(), &Actor::cli(), event).await?;
    Ok(())
}
