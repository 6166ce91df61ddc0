//! `patrol member [NAME]`: which member is using this device (entries are written in their name).

use clap::Args;
use patrol_device::{DeviceStore, CURRENT_MEMBER_SETTING};
use patrol_model::validation::check_short_text;
use patrol_model::ValidationReport;
use std::path::Path;

#[derive(Args)]
pub struct MemberArgs {
    /// The member's name; without it, prints the current one
    name: Option<String>,
}

pub fn run(data_dir: &Path, args: MemberArgs) -> anyhow::Result<()> {
    let mut store = DeviceStore::open(data_dir)?;
    match args.name {
        Some(name) => {
            let mut report = ValidationReport::default();
            check_short_text(&mut report, "name", &name);
            if !report.is_empty() {
                return Err(patrol_device::DeviceError::Invalid(report).into());
            }
            store.set_setting(CURRENT_MEMBER_SETTING, name.trim())?;
            outln!("当前使用人:{}", name.trim())?;
        }
        None => match store.setting(CURRENT_MEMBER_SETTING)? {
            Some(name) => outln!("{name}")?,
            None => outln!("未设置 (not set)")?,
        },
    }
    Ok(())
}
