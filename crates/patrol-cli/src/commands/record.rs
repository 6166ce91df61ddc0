//! `patrol record [KIND] --json FILE|- [--photo FILE]...` and `patrol record --jsonl FILE|-`

use crate::input::{parse_code, read_json_text};
use clap::Args;
use patrol_device::{DeviceError, DeviceStore, PreparedPhoto};
use patrol_model::{
    parse_entry_draft, EntryKind, PhotoAttachment, PhotoRole, MAX_ENTRY_JSON_BYTES,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct RecordArgs {
    /// patrol, hazard, repair, incident, outreach or activity (default: the JSON's own "kind")
    kind: Option<String>,
    /// The entry as JSON: a file, or - for standard input
    #[arg(
        long,
        value_name = "FILE|-",
        required_unless_present = "jsonl",
        conflicts_with = "jsonl"
    )]
    json: Option<String>,
    /// Many entries, one JSON object per line: each is committed and its id printed before the
    /// next is read; the first bad line stops the import (the ones before it stay recorded)
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["photo", "photo_before", "photo_after"])]
    jsonl: Option<String>,
    /// A photo of the scene (JPEG or PNG); repeat for several
    #[arg(long, value_name = "FILE")]
    photo: Vec<PathBuf>,
    /// A photo before the repair
    #[arg(long, value_name = "FILE")]
    photo_before: Vec<PathBuf>,
    /// A photo after the repair
    #[arg(long, value_name = "FILE")]
    photo_after: Vec<PathBuf>,
}

pub fn run(data_dir: &Path, args: RecordArgs) -> anyhow::Result<()> {
    let kind: Option<EntryKind> = args
        .kind
        .as_deref()
        .map(|k| parse_code(k, "kind"))
        .transpose()?;
    if let Some(source) = &args.jsonl {
        return record_lines(data_dir, kind, source);
    }
    let json = args.json.as_deref().unwrap_or("-");
    let draft = parse_entry_draft(&read_json_text(json)?, kind).map_err(DeviceError::from)?;
    // Every photo is read and checked before anything is stored.
    let mut prepared = Vec::new();
    for (paths, role) in [
        (&args.photo, PhotoRole::General),
        (&args.photo_before, PhotoRole::Before),
        (&args.photo_after, PhotoRole::After),
    ] {
        for path in paths {
            prepared.push((PreparedPhoto::read(path)?, role));
        }
    }
    let mut store = DeviceStore::open(data_dir)?;
    let mut attachments = Vec::new();
    for (photo, role) in prepared {
        let stored = store.store_photo(photo)?;
        attachments.push(PhotoAttachment {
            sha256: stored.sha256,
            role,
        });
    }
    let entry = store.record_entry(draft, attachments)?;
    outln!("{}", entry.id)?;
    Ok(())
}

fn record_lines(data_dir: &Path, kind: Option<EntryKind>, source: &str) -> anyhow::Result<()> {
    let reader: Box<dyn Read> = if source == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(source).map_err(|error| {
            DeviceError::invalid_field(
                "--jsonl",
                format!("无法读取 {source}:{error}"),
                format!("cannot read {source}: {error}"),
            )
        })?)
    };
    let mut store = DeviceStore::open(data_dir)?;
    let mut lines = BufReader::new(reader);
    let mut stdout = std::io::stdout().lock();
    let mut line_number = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        line_number += 1;
        let limit = MAX_ENTRY_JSON_BYTES as u64 + 2;
        let read = (&mut lines).take(limit).read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(());
        }
        if read as u64 == limit && !line.ends_with(b"\n") {
            return Err(DeviceError::invalid_field(
                &format!("第{line_number}行"),
                format!("这一行太长,最多 {MAX_ENTRY_JSON_BYTES} 字节"),
                format!("line {line_number} is too long, at most {MAX_ENTRY_JSON_BYTES} bytes"),
            )
            .into());
        }
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        let recorded = parse_entry_draft(text.trim_end(), kind)
            .map_err(DeviceError::from)
            .and_then(|draft| store.record_entry(draft, Vec::new()));
        match recorded {
            Ok(entry) => {
                writeln!(stdout, "{}", entry.id)?;
                stdout.flush()?;
            }
            Err(DeviceError::Invalid(mut report)) => {
                for problem in &mut report.problems {
                    problem.field = format!("第{line_number}行 {}", problem.field);
                }
                return Err(DeviceError::Invalid(report).into());
            }
            Err(other) => return Err(other.into()),
        }
    }
}
