//! `patrol map download [--json]`, `patrol map status`, `patrol map import FILE`: the county
//! basemap on this device (docs/maps.md, "On the device").

use crate::exit;
use crate::output::print_json;
use clap::{Args, Subcommand};
use patrol_device::basemap::{
    basemap_status, download_basemap, import_basemap, BasemapDownload, BasemapDownloadOptions,
    BasemapOutcome, BasemapProgress,
};
use patrol_device::DeviceStore;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(Args)]
pub struct MapArgs {
    #[command(subcommand)]
    command: MapCommand,
}

#[derive(Subcommand)]
enum MapCommand {
    /// Download the county's basemap now, or resume the download begun
    ///
    /// Prints progress to stderr and the outcome to stdout. Exit 0 when the map is current, the county has none yet, or a
    /// new one is installed; 5 when records or photos must be synced first (`patrol sync`) or
    /// another download runs; 6 when the link is too slow (what arrived is kept)
    Download(DownloadArgs),
    /// What is installed (version, bytes, when, how) and a download under way, as JSON
    Status,
    /// Install a PMTiles file brought by hand (from a post PC, a USB stick)
    ///
    /// A file that is empty or not a whole PMTiles v3 archive is refused (exit 3) and the
    /// installed map stays.
    Import(ImportArgs),
}

#[derive(Args)]
struct DownloadArgs {
    /// Print the outcome as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// The PMTiles file
    file: PathBuf,
}

/// Runs a `map` command; answers the exit code of an outcome that is not an error.
pub fn run(data_dir: &Path, args: MapArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        MapCommand::Download(args) => run_download(data_dir, args),
        MapCommand::Status => run_status(data_dir).map(|()| ExitCode::SUCCESS),
        MapCommand::Import(args) => run_import(data_dir, args).map(|()| ExitCode::SUCCESS),
    }
}

fn run_download(data_dir: &Path, args: DownloadArgs) -> anyhow::Result<ExitCode> {
    let store = Mutex::new(DeviceStore::open(data_dir)?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let last_chunk = Mutex::new(u32::MAX);
    let progress = |progress: &BasemapProgress| {
        let mut last = last_chunk
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *last != progress.chunks_done {
            *last = progress.chunks_done;
            eprintln!("{}", progress_line(progress));
        }
    };
    let download = runtime.block_on(download_basemap(
        &store,
        None,
        &BasemapDownloadOptions::default(),
        &progress,
    ))?;
    if args.json {
        print_json(&download)?;
    } else {
        outln!("{}", outcome_line(&download))?;
    }
    Ok(ExitCode::from(outcome_exit_code(download.outcome)))
}

/// "底图:已下载 16384/29045 字节(56%),速度 约 7900 字节/秒,剩余 约 2 秒"
fn progress_line(progress: &BasemapProgress) -> String {
    let percent = (progress.bytes_done * 100)
        .checked_div(progress.bytes_total)
        .unwrap_or(0);
    let measured = |value: Option<u64>, unit: &str| {
        value.map_or_else(|| "未测".to_string(), |v| format!("约 {v} {unit}"))
    };
    format!(
        "底图:已下载 {}/{} 字节({percent}%),速度 {},剩余 {}{}",
        progress.bytes_done,
        progress.bytes_total,
        measured(progress.bytes_per_second, "字节/秒"),
        measured(progress.seconds_remaining, "秒"),
        if progress.retries > 0 {
            format!(",重试 {} 次", progress.retries)
        } else {
            String::new()
        }
    )
}

fn outcome_line(download: &BasemapDownload) -> String {
    let version = download.version.as_deref().unwrap_or("-");
    match download.outcome {
        BasemapOutcome::Installed => format!(
            "{}:版本 {version},{} 字节(本次接收 {} 字节,{} 次请求)",
            download.message_zh, download.bytes_total, download.bytes_received, download.requests
        ),
        BasemapOutcome::UpToDate => format!("{}(版本 {version})", download.message_zh),
        BasemapOutcome::LinkTooSlow => format!(
            "{}(已下载 {}/{} 字节)",
            download.message_zh, download.bytes_done, download.bytes_total
        ),
        BasemapOutcome::WaitingForSync => {
            format!("{}:请先运行 patrol sync", download.message_zh)
        }
        BasemapOutcome::NotBuilt | BasemapOutcome::AlreadyDownloading => {
            download.message_zh.clone()
        }
    }
}

/// The exit code of an outcome: 0 when nothing is left to do, else why not now.
fn outcome_exit_code(outcome: BasemapOutcome) -> u8 {
    match outcome {
        BasemapOutcome::Installed | BasemapOutcome::UpToDate | BasemapOutcome::NotBuilt => 0,
        BasemapOutcome::WaitingForSync | BasemapOutcome::AlreadyDownloading => exit::NOT_ALLOWED,
        BasemapOutcome::LinkTooSlow => exit::UNREACHABLE,
    }
}

fn run_status(data_dir: &Path) -> anyhow::Result<()> {
    // Opening the store checks the data dir is this app's (and finishes an interrupted wipe).
    let store = DeviceStore::open(data_dir)?;
    print_json(&basemap_status(store.data_dir())?)
}

fn run_import(data_dir: &Path, args: ImportArgs) -> anyhow::Result<()> {
    let store = DeviceStore::open(data_dir)?;
    let installed = import_basemap(store.data_dir(), &args.file)?;
    outln!(
        "底图已导入:{}(版本 {},{} 字节)",
        args.file.display(),
        installed.version,
        installed.bytes
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_done_of_total_speed_and_time_left() {
        let progress = BasemapProgress {
            version: "c5f356b5056f158a".into(),
            bytes_done: 16_384,
            bytes_total: 29_045,
            chunks_done: 1,
            bytes_per_second: Some(7_900),
            seconds_remaining: Some(2),
            retries: 1,
        };
        assert_eq!(
            progress_line(&progress),
            "底图:已下载 16384/29045 字节(56%),速度 约 7900 字节/秒,剩余 约 2 秒,重试 1 次"
        );
    }

    #[test]
    fn only_a_paused_download_is_a_non_zero_exit() {
        assert_eq!(outcome_exit_code(BasemapOutcome::NotBuilt), 0);
        assert_eq!(outcome_exit_code(BasemapOutcome::UpToDate), 0);
        assert_eq!(
            outcome_exit_code(BasemapOutcome::LinkTooSlow),
            exit::UNREACHABLE
        );
        assert_eq!(
            outcome_exit_code(BasemapOutcome::WaitingForSync),
            exit::NOT_ALLOWED
        );
    }
}
