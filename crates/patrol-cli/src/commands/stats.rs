//! `patrol stats [--year Y] [--json]`

use crate::output::print_json;
use clap::Args;
use patrol_device::{DeviceStore, StatisticsQuery};
use patrol_model::{DomainCode, EntryKind, Unit};
use std::path::Path;

#[derive(Args)]
pub struct StatsArgs {
    /// Only this calendar year
    #[arg(long)]
    year: Option<i32>,
    #[arg(long)]
    json: bool,
}

pub fn run(data_dir: &Path, args: StatsArgs) -> anyhow::Result<()> {
    let store = DeviceStore::open(data_dir)?;
    let statistics = store.statistics(&StatisticsQuery { year: args.year })?;
    if args.json {
        return print_json(&statistics);
    }
    match statistics.year {
        Some(year) => outln!("{year} 年统计")?,
        None => outln!("全部统计")?,
    }
    if statistics.totals.is_empty() {
        outln!("暂无记录 (no entries)")?;
    }
    for total in &statistics.totals {
        let category = category_label(total.kind, &total.category);
        let mut line = format!(
            "{}  {}  {} 条",
            total.kind.label_zh(),
            category,
            total.entries
        );
        if let (Some(quantity), Some(unit)) = (total.quantity, total.unit.as_deref()) {
            let unit = Unit::from_code(unit).map(Unit::label_zh).unwrap_or(unit);
            line.push_str(&format!(",合计 {quantity} {unit}"));
        }
        if total.kind == EntryKind::Hazard {
            line.push_str(&format!(",已整改 {}", total.fixed));
        }
        outln!("{line}")?;
    }
    Ok(())
}

fn category_label(kind: EntryKind, code: &str) -> String {
    patrol_model::body::category_label_zh(kind, code)
        .unwrap_or(code)
        .to_string()
}
