//! `patrol`: the device side of Patrol Log without a window, for scripts, tests and a post PC.
//! It owns argument parsing, input files, output formatting and exit codes; everything it does
//! to entries it asks of `patrol-device`.

#[macro_use]
mod output;
mod commands;
mod exit;
mod input;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The identifier the app uses for its data directory; the CLI shares it by default.
const APP_IDENTIFIER: &str = "cn.patrollog.field";

#[derive(Parser)]
#[command(
    name = "patrol",
    version,
    about = "巡防日志 Patrol Log — record and review a post's field log without a window",
    after_help = exit::EXIT_CODES_HELP
)]
struct Cli {
    /// Where the local store lives [default: the platform data dir, shared with the app]
    #[arg(long, global = true, env = "PATROL_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Record a new entry (patrol, hazard, repair, incident, outreach, activity) from JSON;
    /// prints its id
    Record(commands::record::RecordArgs),
    /// List entries, newest first
    List(commands::list::ListArgs),
    /// Show one entry with the county's review and its history
    Show(commands::show::ShowArgs),
    /// Replace what an entry says, from JSON (its kind cannot change)
    Edit(commands::edit::EditArgs),
    /// Delete an entry (it stays in the history, and the deletion syncs)
    Delete(commands::edit::DeleteArgs),
    /// Counts and totals by kind, category and month
    Stats(commands::stats::StatsArgs),
    /// Record a patrol's GPS track: start, point, stop, status
    Track(commands::track::TrackArgs),
    /// Show or set the member using this device
    Member(commands::member::MemberArgs),
    /// Enrol this device with the county server using a one-time code
    Enroll(commands::sync::EnrollArgs),
    /// Send what the county has not acknowledged and fetch the post's changes
    Sync(commands::sync::SyncArgs),
    /// Pending records and photo bytes, rejected records with reasons, last sync, last error
    Status(commands::sync::StatusArgs),
    /// The county basemap (底图) drawn offline: download (or resume), status, import a file
    Map(commands::map::MapArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = match cli.data_dir.or_else(default_data_dir) {
        Some(dir) => dir,
        None => {
            eprintln!(
                "错误:找不到数据目录,请用 --data-dir 指定 (no data directory: pass --data-dir)"
            );
            return ExitCode::from(exit::USAGE);
        }
    };
    let result = match cli.command {
        Command::Map(args) => commands::map::run(&data_dir, args),
        Command::Record(args) => done(commands::record::run(&data_dir, args)),
        Command::List(args) => done(commands::list::run(&data_dir, args)),
        Command::Show(args) => done(commands::show::run(&data_dir, args)),
        Command::Edit(args) => done(commands::edit::run_edit(&data_dir, args)),
        Command::Delete(args) => done(commands::edit::run_delete(&data_dir, args)),
        Command::Stats(args) => done(commands::stats::run(&data_dir, args)),
        Command::Track(args) => done(commands::track::run(&data_dir, args)),
        Command::Member(args) => done(commands::member::run(&data_dir, args)),
        Command::Enroll(args) => done(commands::sync::run_enroll(&data_dir, args)),
        Command::Sync(args) => done(commands::sync::run_sync(&data_dir, args)),
        Command::Status(args) => done(commands::sync::run_status(&data_dir, args)),
    };
    match result {
        Ok(code) => code,
        // `patrol list | head`: the reader went away; say nothing, as the shell expects.
        Err(error) if output::is_closed_pipe(&error) => ExitCode::from(exit::CLOSED_PIPE),
        Err(error) => exit::report(&error),
    }
}

/// A command that ends with exit code 0 when it succeeds.
fn done(result: anyhow::Result<()>) -> anyhow::Result<ExitCode> {
    result.map(|()| ExitCode::SUCCESS)
}

fn default_data_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.data_dir().join(APP_IDENTIFIER))
}
