//! The county basemap on the device (docs/maps.md, "On the device"): the one PMTiles v3
//! archive the county server builds, kept in `<data dir>/basemap/` so the app draws the
//! border and the post's trails offline. This module owns that folder: the download from
//! `GET /api/v1/map/archive` in Range chunks sized to the link, resumed after a cut or a
//! restart and restarted cleanly when the county rebuilt its map meanwhile
//! ([`download_basemap`]); a file brought by hand ([`import_basemap`]); the check that a file
//! is a whole PMTiles v3 archive before it is installed; and what is there now
//! ([`basemap_status`]).
//!
//! Invariants: `county.pmtiles` is always a whole archive that passed the check (a new one is
//! renamed over it, never written in place); a partial download is only ever of one version
//! (the ETag it began with), so two versions are never mixed; the download runs after the
//! records and photos and yields to them.

mod archive_file;
mod download;
mod import;
mod installed;
mod link_gate;
mod partial;
mod range_request;

pub use archive_file::{PMTILES_HEADER_BYTES, PMTILES_MAGIC, PMTILES_VERSION};
pub use download::{
    download_basemap, BasemapDownload, BasemapDownloadOptions, BasemapOutcome, BasemapProgress,
};
pub use import::import_basemap;
pub use installed::{BasemapSource, InstalledBasemap};
pub use link_gate::MIN_BASEMAP_LINK_BYTES_PER_SECOND;

use crate::error::DeviceError;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The folder of the basemap inside the data directory.
pub const BASEMAP_DIR_NAME: &str = "basemap";
/// The installed archive, inside [`BASEMAP_DIR_NAME`].
pub const BASEMAP_FILE_NAME: &str = "county.pmtiles";

/// The basemap folder of a data directory.
pub fn basemap_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BASEMAP_DIR_NAME)
}

/// The installed archive's path (it may not exist yet): what the app hands to its map view.
pub fn installed_basemap_path(data_dir: &Path) -> PathBuf {
    basemap_dir(data_dir).join(BASEMAP_FILE_NAME)
}

/// What the device has of the basemap: the installed archive, and a download under way.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BasemapStatus {
    /// The archive the app draws, if one is installed.
    pub installed: Option<InstalledBasemap>,
    /// A download begun and not finished (resumed by the next download).
    pub download: Option<BasemapDownloadInProgress>,
}

/// A download begun and not finished: of which version, how far.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BasemapDownloadInProgress {
    pub version: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_done: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_total: u64,
    /// RFC 3339, UTC.
    pub begun_at: String,
}

/// What is installed and what is under way, read from the basemap folder (no store, no lock).
pub fn basemap_status(data_dir: &Path) -> Result<BasemapStatus, DeviceError> {
    let folder = basemap_dir(data_dir);
    Ok(BasemapStatus {
        installed: installed::read_installed(&folder)?,
        download: partial::download_in_progress(&folder)?,
    })
}
