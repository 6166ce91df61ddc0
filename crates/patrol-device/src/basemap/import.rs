//! A basemap brought by hand (`patrol map import FILE`: from a post PC or a USB stick): the file
//! is checked (not empty, a whole PMTiles v3 archive), copied beside the installed one, checked
//! again as copied, and installed the way a download is, under its content version — so the
//! next download finds it current when it is the county's. A refused file changes nothing.

use super::archive_file::{archive_version, check_pmtiles_archive};
use super::basemap_dir;
use super::installed::{install_archive, BasemapSource, InstalledBasemap};
use crate::error::DeviceError;
use crate::store::private_files::{create_private_dir_all, create_private_file};
use std::path::Path;

/// The copy being made, inside the basemap folder.
const IMPORT_FILE_NAME: &str = "county.pmtiles.import";

/// Installs the PMTiles archive at `source` as the device's basemap. A file that is empty or
/// not a whole PMTiles v3 archive is [`DeviceError::NotABasemap`] naming it and why; the map
/// installed before stays.
pub fn import_basemap(data_dir: &Path, source: &Path) -> Result<InstalledBasemap, DeviceError> {
    check_pmtiles_archive(source)?;
    let folder = basemap_dir(data_dir);
    create_private_dir_all(&folder)?;
    let copy = folder.join(IMPORT_FILE_NAME);
    copy_into(source, &copy)?;
    let version = archive_version(&copy)?;
    install_archive(&folder, &copy, &version, BasemapSource::Import).map_err(|error| {
        let _ = std::fs::remove_file(&copy);
        name_the_source(error, source)
    })
}

/// Copies `source` to `copy` (0600 from its first byte).
fn copy_into(source: &Path, copy: &Path) -> Result<(), DeviceError> {
    let mut reader = std::fs::File::open(source).map_err(|error| DeviceError::Io {
        path: source.to_path_buf(),
        source: error,
    })?;
    let mut writer = create_private_file(copy)?;
    std::io::copy(&mut reader, &mut writer).map_err(|error| {
        let _ = std::fs::remove_file(copy);
        DeviceError::Io {
            path: source.to_path_buf(),
            source: error,
        }
    })?;
    Ok(())
}

/// A refusal of the copy is told of the file the member gave.
fn name_the_source(error: DeviceError, source: &Path) -> DeviceError {
    match error {
        DeviceError::NotABasemap {
            reason_zh,
            reason_en,
            ..
        } => DeviceError::NotABasemap {
            path: source.to_path_buf(),
            reason_zh,
            reason_en,
        },
        other => other,
    }
}
