//! `county-server export`: each entry's current version as JSON lines or CSV (every text cell
//! through [`crate::spreadsheet::safe_text`], so no member text opens as a formula).

use crate::spreadsheet::json_cell;
use crate::storage::StoredEntryView;
use std::borrow::Cow;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("encoding JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The CSV columns: the envelope, then the body as JSON.
const CSV_COLUMNS: [&str; 12] = [
    "id",
    "post_id",
    "kind",
    "occurred_at",
    "ended_at",
    "author",
    "status",
    "deleted",
    "device_id",
    "revision",
    "updated_at",
    "body",
];

pub fn write_export(
    entries: &[StoredEntryView],
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        ExportFormat::Jsonl => {
            for entry in entries {
                serde_json::to_writer(&mut *out, &entry.document)?;
                out.write_all(b"\n")?;
            }
        }
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(CSV_COLUMNS)?;
            for entry in entries {
                let row: Vec<Cow<'_, str>> = CSV_COLUMNS
                    .iter()
                    .map(|column| json_cell(entry.document.get(*column)))
                    .collect();
                writer.write_record(row.iter().map(|cell| cell.as_bytes()))?;
            }
            writer.flush()?;
        }
    }
    Ok(())
}
