//! `patrol edit ID --json FILE|-` and `patrol delete ID`

use crate::input::{parse_entry_id, read_json_text};
use clap::Args;
use patrol_device::{DeviceError, DeviceStore};
use patrol_model::parse_entry_draft;
use std::path::Path;

#[derive(Args)]
pub struct EditArgs {
    id: String,
    /// The whole entry as JSON (as `patrol show ID --json` prints it): a file, or -
    #[arg(long, value_name = "FILE|-")]
    json: String,
}

#[derive(Args)]
pub struct DeleteArgs {
    id: String,
}

pub fn run_edit(data_dir: &Path, args: EditArgs) -> anyhow::Result<()> {
    let id = parse_entry_id(&args.id, "id")?;
    let text = read_json_text(&args.json)?;
    let mut store = DeviceStore::open(data_dir)?;
    let kind = store.entry(id)?.kind();
    let draft = parse_entry_draft(&text, Some(kind)).map_err(DeviceError::from)?;
    let entry = store.edit_entry(id, draft)?;
    outln!("已修改 {} (第 {} 版)", entry.id, entry.revision)?;
    Ok(())
}

pub fn run_delete(data_dir: &Path, args: DeleteArgs) -> anyhow::Result<()> {
    let id = parse_entry_id(&args.id, "id")?;
    let mut store = DeviceStore::open(data_dir)?;
    let entry = store.delete_entry(id)?;
    outln!("已删除 {}", entry.id)?;
    Ok(())
}
