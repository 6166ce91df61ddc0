//! `patrol show ID [--json] [--history]`: an entry, the county's review of it, its history.

use crate::input::parse_entry_id;
use crate::output::{print_json, short_time, status_label};
use clap::Args;
use patrol_device::DeviceStore;
use patrol_model::{DomainCode, Review};
use std::path::Path;

#[derive(Args)]
pub struct ShowArgs {
    id: String,
    /// Print the entry as JSON (it can be edited and given back to `patrol edit`)
    #[arg(long)]
    json: bool,
    /// With --json: print {"entry": …, "history": [every version]}
    #[arg(long)]
    history: bool,
}

pub fn run(data_dir: &Path, args: ShowArgs) -> anyhow::Result<()> {
    let id = parse_entry_id(&args.id, "id")?;
    let store = DeviceStore::open(data_dir)?;
    let entry = store.entry(id)?;
    if args.json && args.history {
        let history = store.entry_history(id)?;
        return print_json(&serde_json::json!({ "entry": entry, "history": history }));
    }
    if args.json {
        return print_json(&entry);
    }
    outln!("{}  [{}]", entry.kind().label_zh(), entry.id)?;
    outln!("时间:{}", short_time(&entry.draft.occurred_at.to_string()))?;
    if let Some(ended_at) = entry.draft.ended_at {
        outln!("结束:{}", short_time(&ended_at.to_string()))?;
    }
    if let Some(location) = entry.draft.location {
        outln!("位置:{:.6}, {:.6}", location.lat, location.lon)?;
    }
    if let Some(author) = &entry.draft.author {
        outln!("记录人:{author}")?;
    }
    if entry.status.is_some() {
        outln!("状态:{}", status_label(entry.status))?;
    }
    outln!("内容:{}", entry.draft.body.title_zh())?;
    if !entry.photos.is_empty() {
        outln!("照片:{} 张", entry.photos.len())?;
    }
    if let Some(review) = &entry.review {
        outln!("{}", review_line(review))?;
    }
    if entry.deleted {
        outln!("(已删除)")?;
    }
    outln!("历史:")?;
    for version in store.entry_history(id)? {
        outln!(
            "  第 {} 版  {}  {}",
            version.revision,
            version.changed_at.format("%Y-%m-%d %H:%M UTC"),
            match version.change.as_str() {
                "create" => "新建",
                "edit" => "修改",
                "delete" => "删除",
                _ => "状态变更",
            }
        )?;
    }
    Ok(())
}

/// "审核:已退回:请写明移交单位 (张科长, 2024-03-05 10:00 UTC)".
fn review_line(review: &Review) -> String {
    let comment = review.comment.trim();
    let decision = if comment.is_empty() {
        review.decision.label_zh().to_string()
    } else {
        format!("{}:{comment}", review.decision.label_zh())
    };
    format!(
        "审核:{decision} ({}, {})",
        review.reviewer,
        review.decided_at.format("%Y-%m-%d %H:%M UTC")
    )
}
