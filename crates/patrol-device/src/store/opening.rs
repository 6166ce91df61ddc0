//! Opening the store file: only a missing file makes a new store (with a new device id and a
//! new key). A file that is there but empty, not a database, without its device id, or that
//! the store's key does not open is damaged: it is reported ([`DeviceError::StoreDamaged`]) and
//! kept as it is for recovery, never replaced.
//!
//! Every store is encrypted at rest (`at_rest/`): a plain one an older version left is brought
//! to the current schema as before, then encrypted in place, and its photos sealed.
//!
//! A new store is made complete under a temporary name and then renamed into place, so a crash
//! while creating one leaves no half-made file that could later pass for a damaged store.

use super::at_rest::key::{find, find_or_create};
use super::at_rest::migrate::{encrypt_store_file, PHOTOS_SEALED_SETTING};
use super::at_rest::sealed_files::seal_plain_photos;
use super::at_rest::{apply_key, open_connection, KeyStorage, StoreKey};
use crate::error::DeviceError;
use crate::migrations::device_migrations;
use chrono::Utc;
use patrol_model::DeviceId;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// What every plain SQLite database file begins with (an encrypted one begins with random
/// bytes).
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// An open store: its connection, device id, key and where the key is kept.
pub(super) struct OpenedStore {
    pub connection: Connection,
    pub device_id: DeviceId,
    pub key: StoreKey,
    pub key_storage: KeyStorage,
}

/// How the file at the store's path begins.
enum FileFormat {
    Plain,
    Encrypted,
}

/// Opens the store in `data_dir` (creating it only when the file is missing, encrypting a
/// plain one), migrated to the current schema, with its device id and key.
pub(super) fn open_store_file(data_dir: &Path) -> Result<OpenedStore, DeviceError> {
    let path = data_dir.join(crate::STORE_FILE_NAME);
    match std::fs::symlink_metadata(&path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let (key, _) = find_or_create(data_dir)?;
            create_store_file(&path, Some(&key))?;
        }
        Err(source) => return Err(DeviceError::Io { path, source }),
        Ok(_) => {}
    }
    let (key, key_storage) = match file_format(&path)? {
        FileFormat::Plain => {
            // As the version that made it would open it: schema checked and brought up to date
            // while still plain, so a damaged or newer store is refused untouched.
            drop(open_prepared(&path, None)?);
            let found = find_or_create(data_dir)?;
            encrypt_store_file(&path, &found.0)?;
            found
        }
        FileFormat::Encrypted => find(data_dir)?.ok_or_else(|| {
            store_damaged(
                &path,
                "不是明文数据库，本机也找不到它的密钥：可能不是数据库文件，也可能是加密的数据库而密钥已丢失",
                "it is not a plain SQLite database and no key of this store was found",
            )
        })?,
    };
    let (connection, device_id) = open_prepared(&path, Some(&key))?;
    let sealed = super::read_setting(&connection, PHOTOS_SEALED_SETTING)?;
    if sealed.as_deref() != Some("1") {
        seal_plain_photos(data_dir, &key, None)?;
        super::write_setting(&connection, PHOTOS_SEALED_SETTING, "1")?;
    }
    Ok(OpenedStore {
        connection,
        device_id,
        key,
        key_storage,
    })
}

/// A plain (unencrypted) store in `data_dir`, made if missing, as every store was before: the
/// baseline the benchmarks compare the encrypted store with. Never used by the app or `patrol`.
pub(super) fn open_plain_store_file(data_dir: &Path) -> Result<OpenedStore, DeviceError> {
    let path = data_dir.join(crate::STORE_FILE_NAME);
    if !path.exists() {
        create_store_file(&path, None)?;
    }
    let (connection, device_id) = open_prepared(&path, None)?;
    Ok(OpenedStore {
        connection,
        device_id,
        // Photo files are still sealed: only the database is plain.
        key: StoreKey::generate()?,
        key_storage: KeyStorage::LocalFile,
    })
}

/// Opens the file (with `key`, or plain), checks it is a store, migrates it to the current
/// schema and reads its device id.
fn open_prepared(
    path: &Path,
    key: Option<&StoreKey>,
) -> Result<(Connection, DeviceId), DeviceError> {
    let damaged = |error: rusqlite::Error| damaged_by_sqlite(path, error, key.is_some());
    let mut connection = open_connection(path).map_err(damaged)?;
    if let Some(key) = key {
        apply_key(&connection, key)?;
    }
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(damaged)?;
    // SQLCipher reads the first page only when the schema is needed.
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })
        .map_err(damaged)?;
    if version == 0 {
        return Err(store_damaged(
            path,
            "没有任何表(空库)",
            "it holds no schema at all",
        ));
    }
    configure_connection(&connection).map_err(|error| match error {
        DeviceError::Database(error) => damaged_by_sqlite(path, error, key.is_some()),
        other => other,
    })?;
    device_migrations().to_latest(&mut connection)?;
    let device_id = read_device_identity(&connection)?
        .ok_or_else(|| store_damaged(path, "缺少本机设备编号", "its device identity is missing"))?;
    Ok((connection, device_id))
}

/// Makes a new, complete store (schema and a new device id) under a temporary name, encrypted
/// with `key` (plain without one: benchmarks only), then renames it to `path`.
fn create_store_file(path: &Path, key: Option<&StoreKey>) -> Result<(), DeviceError> {
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
        let mut connection = open_connection(&temporary)?;
        if let Some(key) = key {
            apply_key(&connection, key)?;
        }
        configure_connection(&connection)?;
        device_migrations().to_latest(&mut connection)?;
        connection.execute(
            "INSERT INTO device_identity (singleton, device_id, created_at_ms) VALUES (1, ?1, ?2)",
            params![
                DeviceId::new_v7().to_string(),
                Utc::now().timestamp_millis()
            ],
        )?;
        super::write_setting(&connection, PHOTOS_SEALED_SETTING, "1")?;
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

/// An empty file is damaged; one that begins as SQLite is a plain store; anything else is an
/// encrypted one (or not a database at all, which its key will tell).
fn file_format(path: &Path) -> Result<FileFormat, DeviceError> {
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
        16 if &header == SQLITE_HEADER => Ok(FileFormat::Plain),
        _ => Ok(FileFormat::Encrypted),
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

/// SQLite saying the file is not a database or is corrupt is a damaged store (with a key: the
/// key does not open it, or the file is damaged, which SQLCipher cannot tell apart); anything
/// else (busy, disk full) stays a database error.
fn damaged_by_sqlite(path: &Path, error: rusqlite::Error, keyed: bool) -> DeviceError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) if keyed => store_damaged(
            path,
            "本机密钥解不开该文件：密钥不对，或文件已损坏(也可能不是数据库文件)",
            &format!("the store's key does not open it, or it is damaged (SQLite: {error})"),
        ),
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
