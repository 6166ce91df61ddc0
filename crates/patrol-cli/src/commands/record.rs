//! `patrol record KIND --json FILE|- [--photo FILE]...`

use crate::input::{parse_code, read_json_text};
use clap::Args;
use patrol_device::{DeviceStore, PreparedPhoto};
use patrol_model::{parse_entry_draft, EntryKind, PhotoAttachment, PhotoRole};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct RecordArgs {
    /// patrol, hazard or repair
    kind: String,
    /// The entry as JSON: a file, or - for standard input
    #[arg(long, value_name = "FILE|-")]
    json: String,
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
    let kind: EntryKind = parse_code(&args.kind, "kind")?;
    let draft = parse_entry_draft(&read_json_text(&args.json)?, Some(kind))
        .map_err(patrol_device::DeviceError::from)?;
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
    println!("{}", entry.id);
    Ok(())
}
