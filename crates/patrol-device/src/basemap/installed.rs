//! The installed basemap: `county.pmtiles` and beside it `county.json` (its version, bytes,
//! when and how it came). A new archive is checked, fsynced and renamed over the old one, then
//! its record written, each durably: a crash leaves the old map or the new one, never half.

use super::archive_file::check_pmtiles_archive;
use super::BASEMAP_FILE_NAME;
use crate::error::DeviceError;
use crate::store::private_files::{sync_directory, write_private_file_durably};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The record of the installed archive, beside it.
const INSTALLED_RECORD_FILE_NAME: &str = "county.json";

/// How the installed archive reached the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum BasemapSource {
    /// Downloaded from the county server.
    Download,
    /// Copied by hand (`patrol map import`, from a post PC or a USB stick).
    Import,
}

/// The archive the app draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InstalledBasemap {
    /// The archive's content version (16 hex digits of its SHA-256, the county's ETag).
    pub version: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// When it was installed here, RFC 3339, UTC.
    pub installed_at: String,
    pub source: BasemapSource,
}

pub(super) fn installed_archive_path(folder: &Path) -> PathBuf {
    folder.join(BASEMAP_FILE_NAME)
}

fn installed_record_path(folder: &Path) -> PathBuf {
    folder.join(INSTALLED_RECORD_FILE_NAME)
}

/// The installed archive's record; `None` when no archive is there.
pub(super) fn read_installed(folder: &Path) -> Result<Option<InstalledBasemap>, DeviceError> {
    if !installed_archive_path(folder).is_file() {
        return Ok(None);
    }
    let path = installed_record_path(folder);
    match std::fs::read(&path) {
        Ok(text) => serde_json::from_slice(&text)
            .map(Some)
            .map_err(|error| DeviceError::Damaged(format!("{}: {error}", path.display()))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(DeviceError::Io { path, source }),
    }
}

/// Installs the archive at `ready` (in the basemap folder) as version `version`: checked,
/// fsynced, renamed over the installed one, its record written. A file that is not a whole
/// PMTiles v3 archive is deleted and refused; the installed map stays.
pub(super) fn install_archive(
    folder: &Path,
    ready: &Path,
    version: &str,
    source: BasemapSource,
) -> Result<InstalledBasemap, DeviceError> {
    if let Err(refusal) = check_pmtiles_archive(ready) {
        let _ = std::fs::remove_file(ready);
        return Err(refusal);
    }
    let bytes = fsync_file(ready)?;
    let target = installed_archive_path(folder);
    std::fs::rename(ready, &target).map_err(|source| DeviceError::Io {
        path: target.clone(),
        source,
    })?;
    sync_directory(folder);
    let installed = InstalledBasemap {
        version: version.to_string(),
        bytes,
        installed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        source,
    };
    write_installed_record(folder, &installed)?;
    Ok(installed)
}

/// The record of `installed`, written durably.
pub(super) fn write_installed_record(
    folder: &Path,
    installed: &InstalledBasemap,
) -> Result<(), DeviceError> {
    let json = serde_json::to_vec_pretty(installed).expect("a basemap record is always JSON");
    write_private_file_durably(&installed_record_path(folder), &json)
}

/// Flushes `path` to disk; answers its length.
fn fsync_file(path: &Path) -> Result<u64, DeviceError> {
    let io_error = |source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io_error)?;
    file.sync_all().map_err(io_error)?;
    Ok(file.metadata().map_err(io_error)?.len())
}

/// Finishes an install a crash stopped between renaming the part into place and writing its
/// record: the installed archive hashes to the version the download began, so it is that one.
pub(super) fn finish_interrupted_install(folder: &Path) -> Result<(), DeviceError> {
    let Some(version) = super::partial::begun_version(folder) else {
        return Ok(());
    };
    let archive = installed_archive_path(folder);
    if super::partial::part_path(folder).exists() || !archive.is_file() {
        return Ok(());
    }
    let recorded = read_installed(folder).ok().flatten();
    if recorded.is_some_and(|installed| installed.version == version) {
        return super::partial::forget_download(folder);
    }
    if super::archive_file::archive_version(&archive)? == version {
        let installed = InstalledBasemap {
            version,
            bytes: std::fs::metadata(&archive)
                .map(|metadata| metadata.len())
                .unwrap_or_default(),
            installed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            source: BasemapSource::Download,
        };
        write_installed_record(folder, &installed)?;
        super::partial::forget_download(folder)?;
    }
    Ok(())
}
