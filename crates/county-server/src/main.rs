//! `county-server`: serve the sync API, and the county admin's commands (posts, enrolment
//! codes, devices, admins, export, the year-end report, the basemap). Every command takes
//! `--database URL`.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use county_server::audit::{record_audit, Actor, AuditEvent, ExportSubject};
use county_server::export::{write_export, ExportFormat};
use county_server::secrets::{
    enrolment_code_hash, hash_password, new_enrolment_code, ENROLMENT_CODE_TTL_MS,
};
use county_server::storage::admin_sessions::AdminRole;
use county_server::storage::{EntryFilter, Revocation};
use county_server::{launch, open_storage, ServerSettings, SharedStorage, TlsFiles};
use patrol_model::DeviceId;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

mod cli;

const DEFAULT_DATABASE: &str = "./county-data/county.sqlite3";

#[derive(Parser)]
#[command(
    name = "county-server",
    version,
    about = "巡防日志 county server: sync API and county admin"
)]
struct Cli {
    /// `postgres://…` for PostgreSQL; otherwise the path of the embedded SQLite file.
    #[arg(long, global = true, default_value = DEFAULT_DATABASE)]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API until SIGINT/SIGTERM: HTTPS with --tls-cert/--tls-key; plain HTTP only on
    /// loopback (or behind a TLS proxy, with --plain-http-behind-proxy).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Where photos are kept.
        #[arg(long, default_value = "./county-data")]
        data_dir: PathBuf,
        /// PEM certificate chain for HTTPS (with --tls-key).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key for HTTPS (with --tls-cert).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Allow plain HTTP on a non-loopback address: only behind a proxy that terminates TLS.
        #[arg(long)]
        plain_http_behind_proxy: bool,
        /// The URL devices reach this server on, put in enrolment QR codes (default: the
        /// scheme and host the admin opened the dashboard with).
        #[arg(long, value_parser = parse_public_url)]
        public_url: Option<String>,
        /// A map tile URL template for the dashboard, e.g. https://tiles.example/{z}/{x}/{y}.png
        /// (default: none; the map draws a plain grid).
        #[arg(long, value_parser = parse_map_tile_url)]
        map_tile_url: Option<String>,
        /// Connections one client address may hold open at once (0: no such limit). Not
        /// applied with --plain-http-behind-proxy, where every client is the proxy.
        #[arg(long, default_value_t = county_server::serve::CONNECTIONS_PER_ADDRESS)]
        max_connections_per_address: usize,
    },
    /// Joint-defence posts.
    Post {
        #[command(subcommand)]
        command: PostCommand,
    },
    /// Make a one-time enrolment code (24 h) for POST (id or name); prints the code.
    EnrollCode { post: String },
    /// Reset MEMBER's forgotten PIN on the phones of POST (id or name): each forgets it at its
    /// next sync (within 30 days) and the member sets a new one at their next unlock.
    PinReset { post: String, member: String },
    /// Enrolled devices.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// County admins.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Fill an EMPTY database with a realistic made-up year of a county's posts, sent through
    /// the real sync API by their devices (2024 with 12 posts gives Funing's 2024 report).
    Demo {
        /// The year to make (2000 to the current year).
        #[arg(long)]
        year: i32,
        /// How many posts (Funing has 12).
        #[arg(long, default_value_t = 12)]
        posts: usize,
        /// The same seed makes the same year.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The year-end report (年度报告): every figure of the year's live entries, counted in
    /// their local day's year. JSON or CSV to stdout, or to --output FILE (XLSX needs a file
    /// or a redirected stdout).
    Report {
        #[arg(long, value_parser = cli::report::parse_report_year)]
        year: i32,
        #[arg(long, value_enum, default_value = "json")]
        format: cli::report::ReportFileFormat,
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// The audit log (操作记录), oldest first: logins and failed logins, reviews, revokes,
    /// exports and reports, enrolment codes, posts and admins.
    Audit {
        /// Rows written on or after this day (UTC+8) or RFC 3339 instant.
        #[arg(long, value_parser = cli::audit::parse_instant)]
        since: Option<i64>,
        /// Rows written before this day (UTC+8) or RFC 3339 instant.
        #[arg(long, value_parser = cli::audit::parse_instant)]
        until: Option<i64>,
        /// Only this action.
        #[arg(long, value_enum)]
        action: Option<county_server::audit::AuditAction>,
        #[arg(long, value_enum)]
        format: county_server::audit::AuditFormat,
    },
    /// The county basemap (底图) that the dashboard and the phones draw offline.
    Map {
        #[command(subcommand)]
        command: cli::map::MapCommand,
    },
    /// Each entry's current version, ordered by corrected time.
    Export {
        /// A post id or name (all posts when absent).
        #[arg(long)]
        post: Option<String>,
        /// Entries that occurred on or after this day (China Standard Time, UTC+8).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        #[arg(long, value_enum)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum PostCommand {
    /// Add a post; prints its id.
    Add {
        name: String,
    },
    List,
}

#[derive(Subcommand)]
enum DeviceCommand {
    List,
    /// Refuse every further request of this device (until it enrols again with a fresh code
    /// of its post: its old token stays dead).
    Revoke {
        id: DeviceId,
        /// Also have the phone delete its store and photos on its next contact (停用并清除);
        /// `devices list` then shows what it still held unsent when it did.
        #[arg(long)]
        wipe: bool,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Add (or reset) an admin; the password is read from stdin. A reset ends the admin's
    /// dashboard sessions.
    Add {
        user: String,
        /// admin may change things (review, posts, enrolment codes, revoke); viewer only reads.
        #[arg(long, value_enum, default_value = "admin")]
        role: AdminRole,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Jsonl,
    Csv,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,county_server=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let storage = open_storage(&cli.database)
        .await
        .with_context(|| format!("opening the database {}", cli.database))?;
    match cli.command {
        Command::Serve {
            listen,
            data_dir,
            tls_cert,
            tls_key,
            plain_http_behind_proxy,
            public_url,
            map_tile_url,
            max_connections_per_address,
        } => {
            let tls = match (tls_cert, tls_key) {
                (Some(certificate_chain), Some(private_key)) => Some(TlsFiles {
                    certificate_chain,
                    private_key,
                }),
                _ => None,
            };
            if tls.is_none() && !listen.ip().is_loopback() && !plain_http_behind_proxy {
                bail!(
                    "refusing plain HTTP on {listen}: device tokens would cross the network \
                     unencrypted. Give --tls-cert and --tls-key, or --plain-http-behind-proxy \
                     when a proxy in front terminates TLS"
                );
            }
            let settings = ServerSettings {
                storage,
                data_dir,
                tls,
                public_url,
                map_tile_url,
                connections_per_address: (max_connections_per_address > 0
                    && !plain_http_behind_proxy)
                    .then_some(max_connections_per_address),
                behind_proxy: plain_http_behind_proxy,
            };
            serve(settings, listen).await
        }
        Command::Post { command } => posts(storage, command).await,
        Command::EnrollCode { post } => enroll_code(storage, &post).await,
        Command::PinReset { post, member } => pin_reset(storage, &post, &member).await,
        Command::Device { command } => devices(storage, command).await,
        Command::Admin {
            command: AdminCommand::Add { user, role },
        } => add_admin(storage, &user, role).await,
        Command::Export {
            post,
            since,
            format,
        } => export(storage, post, since, format).await,
        Command::Report {
            year,
            format,
            output,
        } => cli::report::report(storage, year, format, output).await,
        Command::Map { command } => cli::map::map(storage, command).await,
        Command::Demo { year, posts, seed } => demo(storage, year, posts, seed).await,
        Command::Audit {
            since,
            until,
            action,
            format,
        } => cli::audit::audit(storage, since, until, action, format).await,
    }
}

async fn serve(settings: ServerSettings, listen: SocketAddr) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let address = listener.local_addr()?;
    let scheme = if settings.tls.is_some() {
        "https"
    } else {
        "http"
    };
    println!("listening on {scheme}://{address}");
    std::io::stdout().flush()?;
    launch(listener, settings, shutdown_signal()).await?;
    Ok(())
}

/// `--public-url`: an http(s) URL, kept without a trailing slash.
fn parse_public_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("the public URL must start with https:// or http://")?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err("the public URL needs a host, e.g. https://patrol.county.example".into());
    }
    Ok(url.to_string())
}

fn parse_map_tile_url(text: &str) -> Result<String, String> {
    match county_server::http::edge::url_origin(text) {
        Some(_) => Ok(text.to_string()),
        None => Err("expected an http:// or https:// URL template with a host, e.g. https://tiles.example/{z}/{x}/{y}.png".into()),
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn find_post(storage: &SharedStorage, key: &str) -> Result<county_server::storage::Post> {
    match storage.find_post(key).await? {
        Some(post) => Ok(post),
        None => bail!("no post with id or name {key:?} (see `county-server post list`)"),
    }
}

async fn posts(storage: SharedStorage, command: PostCommand) -> Result<()> {
    match command {
        PostCommand::Add { name } => {
            let name = name.trim();
            if name.is_empty() {
                bail!("a post needs a name");
            }
            let post = storage.create_post(name, &Actor::cli()).await?;
            println!("{}", post.id);
        }
        PostCommand::List => {
            for post in storage.list_posts().await? {
                println!("{}\t{}", post.id, post.name);
            }
        }
    }
    Ok(())
}

async fn enroll_code(storage: SharedStorage, key: &str) -> Result<()> {
    let post = find_post(&storage, key).await?;
    let code = new_enrolment_code()?;
    let expires = chrono::Utc::now().timestamp_millis() + ENROLMENT_CODE_TTL_MS;
    storage
        .create_enrolment_code(post.id, &enrolment_code_hash(&code), expires, &Actor::cli())
        .await?;
    println!("{code}");
    Ok(())
}

async fn pin_reset(storage: SharedStorage, post: &str, member: &str) -> Result<()> {
    let post = find_post(&storage, post).await?;
    let member = member.trim();
    let mut report = patrol_model::ValidationReport::default();
    patrol_model::validation::check_short_text(&mut report, "member", member);
    if let Some(problem) = report.problems.first() {
        bail!("member: {}", problem.message_en);
    }
    let now_ms = chrono::Utc::now().timestamp_millis();
    storage
        .reset_member_pin(post.id, member, now_ms, &Actor::cli())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no post {}", post.id))?;
    println!(
        "PIN of {member} reset for {}: its phones forget it at their next sync",
        post.name
    );
    Ok(())
}

async fn devices(storage: SharedStorage, command: DeviceCommand) -> Result<()> {
    match command {
        DeviceCommand::List => {
            println!("id\tpost_id\tlabel\trevoked\tclock_offset_ms\tclock_flagged\tacknowledged_through\tmissing\tstanding\tunsent_at_wipe");
            for device in storage.list_devices().await? {
                let unsent = match device.wipe.and_then(|wipe| wipe.unsent) {
                    Some(unsent) => format!(
                        "entries={} photos={} photo_bytes={}",
                        unsent.unsent_entries, unsent.unsent_photos, unsent.unsent_photo_bytes
                    ),
                    None => "-".to_string(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:?}\t{}\t{}",
                    device.id,
                    device.post_id,
                    device.label,
                    device.revoked,
                    device.clock_offset_ms,
                    device.clock_flagged,
                    device.acknowledged_through,
                    device.missing,
                    serde_json::to_value(device.standing)?
                        .as_str()
                        .unwrap_or_default(),
                    unsent
                );
            }
        }
        DeviceCommand::Revoke { id, wipe } => {
            let revocation = if wipe {
                Revocation::WipeData
            } else {
                Revocation::KeepData
            };
            let now_ms = chrono::Utc::now().timestamp_millis();
            if !storage
                .revoke_device(id, revocation, now_ms, &Actor::cli())
                .await?
            {
                bail!("no device {id}");
            }
            if wipe {
                println!("revoked {id}; it wipes its data on its next contact");
            } else {
                println!("revoked {id}");
            }
        }
    }
    Ok(())
}

async fn add_admin(storage: SharedStorage, user: &str, role: AdminRole) -> Result<()> {
    let user = user.trim();
    if user.is_empty() {
        bail!("an admin needs a user name");
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("reading the password from stdin")?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.chars().count() < 8 {
        bail!("the password must have at least 8 characters");
    }
    let phc = hash_password(password)?;
    storage
        .save_admin(
            user,
            &phc,
            role,
            chrono::Utc::now().timestamp_millis(),
            &Actor::cli(),
        )
        .await?;
    println!("admin {user} saved ({})", role.as_str());
    Ok(())
}

async fn demo(storage: SharedStorage, year: i32, posts: usize, seed: u64) -> Result<()> {
    let options = county_server::demo::DemoOptions::year(year, posts, seed);
    let summary =
        county_server::demo::fill_demo_county(storage, &options, &|line| eprintln!("{line}"))
            .await?;
    println!(
        "demo {year}: {} posts, {} devices, {} entries ({} records in {} sync requests) in {:.1} s",
        summary.posts,
        summary.devices,
        summary.entries,
        summary.records,
        summary.wire.requests,
        summary.seconds
    );
    Ok(())
}

async fn export(
    storage: SharedStorage,
    post: Option<String>,
    since: Option<chrono::NaiveDate>,
    format: Format,
) -> Result<()> {
    let post_id = match post {
        Some(key) => Some(find_post(&storage, &key).await?.id),
        None => None,
    };
    let since_ms = since.map(|day| {
        let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
        day.and_hms_opt(0, 0, 0)
            .and_then(|midnight| midnight.and_local_timezone(china).single())
            .map(|start| start.timestamp_millis())
            .unwrap_or_default()
    });
    let entries = storage
        .list_entries(EntryFilter { post_id, since_ms })
        .await?;
    let (format, code) = match format {
        Format::Jsonl => (ExportFormat::Jsonl, "jsonl"),
        Format::Csv => (ExportFormat::Csv, "csv"),
    };
    {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        write_export(&entries, format, &mut out)?;
        out.flush()?;
    }
    let event = AuditEvent::Exported {
        subject: ExportSubject::Entries,
        format: code.into(),
        rows: entries.len() as u64,
    };
    record_audit(storage.as_ref(), &Actor::cli(), event).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_public_url;

    #[test]
    fn a_public_url_is_http_or_https_with_a_host() {
        assert_eq!(
            parse_public_url("https://patrol.funing.example/").as_deref(),
            Ok("https://patrol.funing.example")
        );
        assert!(parse_public_url("patrol.funing.example").is_err());
        assert!(parse_public_url("https://").is_err());
    }
}
