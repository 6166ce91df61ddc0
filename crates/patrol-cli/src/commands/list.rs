//! `patrol list [--kind K] [--status S] [--review R] [--author NAME] [--patrol ID] [--since D]
//! [--until D] [--search TEXT] [--json]`

use crate::input::{parse_code, parse_entry_id};
use crate::output::{print_json, print_summary_line};
use clap::Args;
use patrol_device::{DeviceError, DeviceStore, EntryListQuery};
use patrol_model::{EntryKind, EntryStatus, ReviewDecision};
use std::path::Path;

#[derive(Args)]
pub struct ListArgs {
    /// Only this kind: patrol, hazard, repair, incident, outreach, activity
    #[arg(long)]
    kind: Option<String>,
    /// Only this status: open, fixed (hazards), running, ended (patrols)
    #[arg(long)]
    status: Option<String>,
    /// Only the county's decision: returned (to fix), approved
    #[arg(long)]
    review: Option<String>,
    /// Only the entries this member wrote
    #[arg(long)]
    author: Option<String>,
    /// Only the entries recorded during this patrol (its id)
    #[arg(long)]
    patrol: Option<String>,
    /// From this local day on (YYYY-MM-DD)
    #[arg(long)]
    since: Option<String>,
    /// Up to this local day (YYYY-MM-DD)
    #[arg(long)]
    until: Option<String>,
    /// Words that must all appear (Chinese matches any part of a text)
    #[arg(long)]
    search: Option<String>,
    /// Entries per page (1–500)
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// The cursor printed at the end of the previous page
    #[arg(long)]
    after: Option<String>,
    /// Include deleted entries
    #[arg(long)]
    include_deleted: bool,
    #[arg(long)]
    json: bool,
}

fn parse_day(text: &str, field: &str) -> Result<chrono::NaiveDate, DeviceError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        DeviceError::invalid_field(
            field,
            format!("日期“{text}”格式不对,应如 2024-03-02"),
            format!("bad date {text:?}, expected YYYY-MM-DD"),
        )
    })
}

pub fn run(data_dir: &Path, args: ListArgs) -> anyhow::Result<()> {
    let query = EntryListQuery {
        kind: args
            .kind
            .as_deref()
            .map(|k| parse_code::<EntryKind>(k, "--kind"))
            .transpose()?,
        status: args
            .status
            .as_deref()
            .map(|s| parse_code::<EntryStatus>(s, "--status"))
            .transpose()?,
        review: args
            .review
            .as_deref()
            .map(|r| parse_code::<ReviewDecision>(r, "--review"))
            .transpose()?,
        author: args.author,
        patrol: args
            .patrol
            .as_deref()
            .map(|text| parse_entry_id(text, "--patrol"))
            .transpose()?,
        since: args
            .since
            .as_deref()
            .map(|d| parse_day(d, "--since"))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|d| parse_day(d, "--until"))
            .transpose()?,
        search: args.search,
        after: args.after,
        limit: Some(args.limit),
        include_deleted: args.include_deleted,
    };
    let store = DeviceStore::open(data_dir)?;
    let page = store.list_entries(&query)?;
    if args.json {
        return print_json(&page);
    }
    if page.entries.is_empty() {
        outln!("暂无记录 (no entries)")?;
    }
    for entry in &page.entries {
        print_summary_line(entry)?;
    }
    if let Some(cursor) = page.next_cursor {
        outln!("…下一页 (next page): --after {cursor}")?;
    }
    Ok(())
}
