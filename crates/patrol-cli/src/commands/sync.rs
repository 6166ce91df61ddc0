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
    let store = Mutex::new(DeviceStore::open(data_dir)?);
    let response = runtime()?.block_on(enroll_device(
        &store,
        &args.server_url,
        &args.code,
        &args.label,
    ))?;
    outln!(
        "已注册到 {}(设备 {})",
        response.post_name,
        response.device_id
    )?;
    Ok(())
}

pub fn run_sync(data_dir: &Path, args: SyncArgs) -> anyhow::Result<()> {
    let store = Mutex::new(DeviceStore::open(data_dir)?);
    let show_progress = args.progress;
    let progress = move |progress: &SyncProgress| {
        if show_progress {
            eprintln!(
                "{:?}: 记录 {}/{},照片 {}/{} 字节",
                progress.phase,
                progress.records_done,
                progress.records_total,
                progress.bytes_done,
                progress.bytes_total
            );
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
        Some(enrolment) => outln!("已注册:{}({})", enrolment.post_name, enrolment.server_url)?,
        None => outln!("未注册:请先 patrol enroll 服务器地址 注册码")?,
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
