//! A download under way: `county.pmtiles.part` holds the archive's first bytes as they arrived,
//! and `county.part.json` says of which version (the ETag the download began with) and how long
//! the whole archive is. The part's length is how far the download got, so a cut or a restart
//! resumes from there; bytes of another version never go into it (a new version begins a new
//! part from 0).

use crate::error::DeviceError;
use crate::store::private_files::{
    create_private_file, sync_directory, write_private_file_durably, PRIVATE_FILE_MODE,
};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

const PART_FILE_NAME: &str = "county.pmtiles.part";
const PART_RECORD_FILE_NAME: &str = "county.part.json";

/// Which archive a download began: what every later chunk must be of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct DownloadBegun {
    /// The archive's version (its ETag without quotes).
    pub version: String,
    pub bytes_total: u64,
    /// RFC 3339, UTC.
    pub begun_at: String,
}

/// The part file of one version, open for appending.
#[derive(Debug)]
pub(super) struct PartialArchive {
    pub begun: DownloadBegun,
    pub bytes_done: u64,
    file: File,
    path: PathBuf,
}

pub(super) fn part_path(folder: &Path) -> PathBuf {
    folder.join(PART_FILE_NAME)
}

fn part_record_path(folder: &Path) -> PathBuf {
    folder.join(PART_RECORD_FILE_NAME)
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> DeviceError + '_ {
    move |source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The download begun earlier, if its record reads (a damaged one is no download).
fn read_begun(folder: &Path) -> Option<DownloadBegun> {
    let text = std::fs::read(part_record_path(folder)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// What a status shows of a download under way.
pub(super) fn download_in_progress(
    folder: &Path,
) -> Result<Option<super::BasemapDownloadInProgress>, DeviceError> {
    let Some(begun) = read_begun(folder) else {
        return Ok(None);
    };
    let bytes_done = match std::fs::metadata(part_path(folder)) {
        Ok(metadata) => metadata.len().min(begun.bytes_total),
        Err(_) => 0,
    };
    Ok(Some(super::BasemapDownloadInProgress {
        version: begun.version,
        bytes_done,
        bytes_total: begun.bytes_total,
        begun_at: begun.begun_at,
    }))
}

impl PartialArchive {
    /// The download begun before, opened to go on from its last byte; `None` when there is
    /// none (a part without its record, or longer than its archive, is thrown away).
    pub fn resume(folder: &Path) -> Result<Option<PartialArchive>, DeviceError> {
        let Some(begun) = read_begun(folder) else {
            discard(folder)?;
            return Ok(None);
        };
        let path = part_path(folder);
        let file = open_for_append(&path)?;
        let bytes_done = file.metadata().map_err(io_error(&path))?.len();
        if bytes_done > begun.bytes_total {
            drop(file);
            discard(folder)?;
            return Ok(None);
        }
        Ok(Some(PartialArchive {
            begun,
            bytes_done,
            file,
            path,
        }))
    }

    /// Begins the download of `version` (`bytes_total` long) from 0, replacing any other part.
    pub fn begin(
        folder: &Path,
        version: &str,
        bytes_total: u64,
    ) -> Result<PartialArchive, DeviceError> {
        discard(folder)?;
        let begun = DownloadBegun {
            version: version.to_string(),
            bytes_total,
            begun_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        let json = serde_json::to_vec(&begun).expect("a download record is always JSON");
        write_private_file_durably(&part_record_path(folder), &json)?;
        let path = part_path(folder);
        let file = create_private_file(&path)?;
        sync_directory(folder);
        Ok(PartialArchive {
            begun,
            bytes_done: 0,
            file,
            path,
        })
    }

    /// Bytes still to come.
    pub fn bytes_left(&self) -> u64 {
        self.begun.bytes_total.saturating_sub(self.bytes_done)
    }

    pub fn is_complete(&self) -> bool {
        self.bytes_done == self.begun.bytes_total
    }

    /// Appends bytes that arrived, at the part's end.
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), DeviceError> {
        self.file.write_all(bytes).map_err(io_error(&self.path))?;
        self.bytes_done += bytes.len() as u64;
        Ok(())
    }

    /// Flushes what arrived to disk (after each chunk): a restart resumes from it.
    pub fn flush_to_disk(&mut self) -> Result<(), DeviceError> {
        self.file.sync_data().map_err(io_error(&self.path))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn open_for_append(path: &Path) -> Result<File, DeviceError> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    options.open(path).map_err(io_error(path))
}

/// Removes the part and its record (the download of a version that is no more, or one just
/// installed).
pub(super) fn discard(folder: &Path) -> Result<(), DeviceError> {
    for path in [part_path(folder), part_record_path(folder)] {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(DeviceError::Io { path, source }),
        }
    }
    Ok(())
}

/// After installing: the record of the download goes (the part was renamed into place).
pub(super) fn forget_download(folder: &Path) -> Result<(), DeviceError> {
    discard(folder)
}

/// The version a download began, for finishing an install a crash interrupted (its part
/// renamed into place, its record still there).
pub(super) fn begun_version(folder: &Path) -> Option<String> {
    read_begun(folder).map(|begun| begun.version)
}
