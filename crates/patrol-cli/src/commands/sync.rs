//! `patrol enroll SERVER_URL CODE`, `patrol sync`, `patrol status [--json]`

use crate::output::print_json;
use clap::Args;
use patrol_device::sync::{enroll_device, sync_device, SyncOptions, SyncProgress};
use patrol_device::{DeviceError, DeviceStore};
use std::path::Path;
use std::sync::Mutex;

#[derive(Args)]
pub struct EnrollArgs {
    /// The county server, e.g. http://10.0.0.5:8080
    server_url: String,
    /// The one-time enrolment code from the county office
    code: String,
    /// How the county sees this device, e.g. 李国华的手机
    #[arg(long, default_value = "")]
    label: String,
    /// Send the token over plain http:// to a server that is not this machine (readable by
    /// anyone on the network); kept for later syncs. Without it such an address is refused.
    #[arg(long)]
    allow_insecure_http: bool,
}

#[derive(Args)]
pub struct SyncArgs {
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Print progress to stderr
    #[arg(long)]
    progress: bool,
}

#[derive(Args)]
pub struct StatusArgs {
    #[arg(long)]
    json: bool,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

pub fn run_enroll(data_dir: &Path, args: EnrollArgs) -> anyhow::Result<()> {
    let mut store = DeviceStore::open(data_dir)?;
    // Enrolment decides: later syncs honour what it was told.
    store.set_allow_insecure_http(args.allow_insecure_http)?;
    let store = Mutex::new(store);
    let response = runtime()?.block_on(enroll_device(
        &store,
        &args.server_url,
        &args.code,
        &args.label,
    ))?;
    outln!(
        "已登记到 {}(设备 {})",
        response.post_name,
        response.device_id
    )?;
    Ok(())
}

/// A figure the link measured ("约 7800 字节/秒"), or "未测" before it is known.
fn measured(value: Option<u64>, unit: &str) -> String {
    value.map_or_else(|| "未测".to_string(), |v| format!("约 {v} {unit}"))
}

/// The `--progress` line: records and photo bytes, then what the link is doing.
fn progress_line(progress: &SyncProgress) -> String {
    format!(
        "{:?}: 记录 {}/{},照片 {}/{} 字节,已发送 {}/{} 字节,速度 {},剩余 {},重试 {} 次{}",
        progress.phase,
        progress.records_done,
        progress.records_total,
        progress.bytes_done,
        progress.bytes_total,
        progress.bytes_sent,
        progress.bytes_sent.saturating_add(progress.bytes_remaining),
        measured(progress.upload_bytes_per_second, "字节/秒"),
        measured(progress.seconds_remaining, "秒"),
        progress.retries,
        if progress.slow_link {
            ",网络较慢(同步继续)"
        } else {
            ""
        }
    )
}

pub fn run_sync(data_dir: &Path, args: SyncArgs) -> anyhow::Result<()> {
    let store = Mutex::new(DeviceStore::open(data_dir)?);
    let show_progress = args.progress;
    let progress = move |progress: &SyncProgress| {
        if show_progress {
            eprintln!("{}", progress_line(progress));
        }
    };
    let report = runtime()?.block_on(sync_device(&store, &SyncOptions::default(), &progress))?;
    let status = store
        .lock()
        .map_err(|_| anyhow::anyhow!("store lock poisoned"))?
        .sync_status()?;
    if args.json {
        print_json(&serde_json::json!({ "report": report, "status": status }))?;
    } else {
        outln!(
            "同步完成:确认 {} 条,退回 {} 条,收到 {} 条,照片 {} 张({} 次请求,上行 {} 字节,下行 {} 字节)",
            report.acknowledged,
            report.rejected,
            report.pulled,
            report.photos_uploaded,
            report.requests,
            report.bytes_up,
            report.bytes_down
        )?;
        for rejected in &status.rejected {
            for problem in &rejected.problems {
                outln!(
                    "退回:{} — {}:{}",
                    rejected.title,
                    problem.field,
                    problem.message_zh
                )?;
            }
        }
        if report.clock_flagged {
            outln!("注意:本机时钟与服务器相差较大,请校准手机时间")?;
        }
    }
    if status.pending_records > 0 {
        return Err(DeviceError::Protocol(format!(
            "{} records are still not acknowledged by the server",
            status.pending_records
        ))
        .into());
    }
    Ok(())
}

pub fn run_status(data_dir: &Path, args: StatusArgs) -> anyhow::Result<()> {
    let store = DeviceStore::open(data_dir)?;
    let status = store.sync_status()?;
    if args.json {
        return print_json(&status);
    }
    match &status.enrolment {
        Some(enrolment) => outln!("已登记:{}({})", enrolment.post_name, enrolment.server_url)?,
        None => outln!("未登记:请先 patrol enroll 服务器地址 登记码")?,
    }
    outln!("待同步记录:{} 条", status.pending_records)?;
    outln!("待上传照片:{} 字节", status.pending_photo_bytes)?;
    match status.last_sync_at {
        Some(time) => outln!("上次同步:{}", time.format("%Y-%m-%d %H:%M UTC"))?,
        None => outln!("上次同步:从未")?,
    }
    if let Some(error) = &status.last_error {
        outln!("上次错误:{error}")?;
    }
    if let Some(wiped) = &status.wiped {
        outln!(
            "本机数据已于 {} 按县边防办的要求清除:当时尚有 {} 条记录、{} 张照片未上传({})",
            wiped.wiped_at.format("%Y-%m-%d %H:%M UTC"),
            wiped.unsent.unsent_entries,
            wiped.unsent.unsent_photos,
            if wiped.reported {
                "已报给县边防办"
            } else {
                "尚未报给县边防办,下次联网时补报"
            }
        )?;
    }
    for rejected in &status.rejected {
        for problem in &rejected.problems {
            outln!(
                "被退回:{} [{}] — {}:{}",
                rejected.title,
                rejected.entry_id,
                problem.field,
                problem.message_zh
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use patrol_device::sync::SyncPhase;

    #[test]
    fn a_slow_link_prints_sent_of_total_speed_time_left_and_retries() {
        let progress = SyncProgress {
            phase: SyncPhase::Records,
            records_done: 120,
            records_total: 300,
            bytes_sent: 1_200_000,
            bytes_remaining: 2_200_000,
            upload_bytes_per_second: Some(7_800),
            seconds_remaining: Some(282),
            slow_link: true,
            retries: 3,
            ..SyncProgress::default()
        };
        assert_eq!(
            progress_line(&progress),
            "Records: 记录 120/300,照片 0/0 字节,已发送 1200000/3400000 字节,\
             速度 约 7800 字节/秒,剩余 约 282 秒,重试 3 次,网络较慢(同步继续)"
        );
    }

    #[test]
    fn figures_not_measured_yet_read_as_such() {
        let line = progress_line(&SyncProgress::default());
        assert_eq!(
            line,
            "Records: 记录 0/0,照片 0/0 字节,已发送 0/0 字节,速度 未测,剩余 未测,重试 0 次"
        );
    }
}
