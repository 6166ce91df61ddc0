//! Opening the store file: only a missing file makes a new store (with a new device id). A
//! file that is there but empty, not a database, or without its device id is damaged: it is
//! reported ([`DeviceError::StoreDamaged`]) and kept as it is for recovery, never replaced.
//!
//! A new store is made complete under a temporary name and then renamed into place, so a crash
//! while creating one leaves no half-made file that could later pass for a damaged store.

use crate::error::DeviceError;
use crate::migrations::device_migrations;
use chrono::Utc;
use patrol_model::DeviceId;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// What every SQLite database file begins with.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Opens the store at `path` (creating it only when the file is missing), migrated to the
/// current schema, and its device id.
pub(super) fn open_store_file(path: &Path) -> Result<(Connection, DeviceId), DeviceError> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => create_store_file(path)?,
        Err(source) => {
            return Err(DeviceError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
        Ok(_) => {}
    }
    check_header(path)?;
    let damaged = |error: rusqlite::Error| damaged_by_sqlite(path, error);
    let mut connection = Connection::open(path).map_err(damaged)?;
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(damaged)?;
    if version == 0 {
        return Err(store_damaged(
            path,
            "没有任何表(空库)",
            "it holds no schema at all",
        ));
    }
    configure_connection(&connection).map_err(|error| match error {
        DeviceError::Database(error) => damaged_by_sqlite(path, error),
        other => other,
    })?;
    device_migrations().to_latest(&mut connection)?;
    let device_id = read_device_identity(&connection)?
        .ok_or_else(|| store_damaged(path, "缺少本机设备编号", "its device identity is missing"))?;
    Ok((connection, device_id))
}

/// Makes a new, complete store (schema and a new device id) under a temporary name, then
/// renames it to `path`.
fn create_store_file(path: &Path) -> Result<(), DeviceError> {
    let temporary = path.with_extension("sqlite3.new");
    // Left by a crash while creating a store: it never held anything.
    for leftover in ["", "-wal", "-shm", "-journal"] {
        let file = format!("{}{leftover}", temporary.display());
        let _ = std::fs::remove_file(file);
    }
    // Made 0600 before SQLite opens it: SQLite gives the `-wal` and `-shm` files the mode of
    // the database file.
    drop(super::private_files::create_private_file(&temporary)?);
    {
        let mut connection = Connection::open(&temporary)?;
        configure_connection(&connection)?;
        device_migrations().to_latest(&mut connection)?;
        connection.execute(
            "INSERT INTO device_identity (singleton, device_id, created_at_ms) VALUES (1, ?1, ?2)",
            params![
                DeviceId::new_v7().to_string(),
                Utc::now().timestamp_millis()
            ],
        )?;
        // Everything into the main file, so the rename moves all of it.
        connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        connection.close().map_err(|(_, error)| error)?;
    }
    let io_error = |source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::File::open(&temporary)
        .and_then(|file| file.sync_all())
        .map_err(io_error)?;
    std::fs::rename(&temporary, path).map_err(io_error)?;
    if let Some(directory) = path.parent() {
        super::private_files::sync_directory(directory);
    }
    Ok(())
}

/// A file that is not a SQLite database at all (empty, truncated, overwritten).
fn check_header(path: &Path) -> Result<(), DeviceError> {
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut header))
        .map_err(|source| DeviceError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    match read {
        0 => Err(store_damaged(
            path,
            "文件为空(0 字节)",
            "the file is empty (0 bytes)",
        )),
        16 if &header == SQLITE_HEADER => Ok(()),
        _ => Err(store_damaged(
            path,
            "不是数据库文件",
            "it is not a SQLite database",
        )),
    }
}

pub(super) fn configure_connection(connection: &Connection) -> Result<(), DeviceError> {
    connection.busy_timeout(Duration::from_secs(10))?;
    // WAL: readers never block the writer; FULL: a committed entry survives power loss.
    let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(DeviceError::Damaged(format!(
            "the store could not switch to WAL (got {mode})"
        )));
    }
    connection.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(())
}

fn read_device_identity(connection: &Connection) -> Result<Option<DeviceId>, DeviceError> {
    let text: Option<String> = connection
        .query_row(
            "SELECT device_id FROM device_identity WHERE singleton = 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    text.map(|text| {
        text.parse()
            .map_err(|_| DeviceError::Damaged(format!("device id {text:?} is not a UUID")))
    })
    .transpose()
}

/// SQLite saying the file is not a database or is corrupt is a damaged store; anything else
/// (busy, disk full) stays a database error.
fn damaged_by_sqlite(path: &Path, error: rusqlite::Error) -> DeviceError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            store_damaged(path, "数据库文件已损坏", &format!("SQLite: {error}"))
        }
        _ => DeviceError::Database(error),
    }
}

fn store_damaged(path: &Path, reason_zh: &str, reason_en: &str) -> DeviceError {
    DeviceError::StoreDamaged {
        path: path.to_path_buf(),
        reason_zh: reason_zh.to_string(),
        reason_en: reason_en.to_string(),
    }
}
