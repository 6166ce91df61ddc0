//! The basemap archive on disk: one PMTiles v3 file of gzip-compressed MVT tiles
//! (`<data dir>/basemap/county.pmtiles`) and beside it what was built (`county.json`), each
//! replaced whole by a rename so a reader never sees half a map.

use super::tiles::TileSet;
use super::{BasemapArea, BasemapLayerStatus, BasemapStatus, ARCHIVE_MAX_ZOOM, ARCHIVE_MIN_ZOOM};
use crate::error::BasemapError;
use crate::private_files::create_private_dir_all;
use pmtiles::{PmTilesWriter, TileCoord, TileId, TileType};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The archive's file.
pub fn archive_path(data_dir: &Path) -> PathBuf {
    data_dir.join("basemap").join("county.pmtiles")
}

/// What was built, beside the archive.
fn status_path(data_dir: &Path) -> PathBuf {
    data_dir.join("basemap").join("county.json")
}

/// The archive's status; `built: false` when there is none.
pub fn read_status(data_dir: &Path) -> Result<BasemapStatus, BasemapError> {
    match std::fs::read(status_path(data_dir)) {
        Ok(text) if archive_path(data_dir).exists() => {
            serde_json::from_slice(&text).map_err(|error| {
                BasemapError::Source(format!("{}: {error}", status_path(data_dir).display()))
            })
        }
        Ok(_) => Ok(BasemapStatus::not_built()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Ok(BasemapStatus::not_built())
        }
        Err(error) => Err(error.into()),
    }
}

/// Writes `tiles` as the county's archive and its status; answers the status.
pub fn write_archive(
    data_dir: &Path,
    tiles: &TileSet<'_>,
    area: &BasemapArea,
    layers: Vec<BasemapLayerStatus>,
) -> Result<BasemapStatus, BasemapError> {
    let folder = data_dir.join("basemap");
    create_private_dir_all(&folder)?;
    let BasemapArea {
        west,
        south,
        east,
        north,
    } = *area;
    let mut encoded: Vec<(u64, TileCoord, Vec<u8>)> = Vec::with_capacity(tiles.len());
    for tile in tiles.encoded() {
        let ((zoom, x, y), bytes) = tile?;
        let coordinates = TileCoord::new(zoom, x, y)?;
        encoded.push((TileId::from(coordinates).value(), coordinates, bytes));
    }
    encoded.sort_by_key(|(id, _, _)| *id);
    let temporary = tempfile::NamedTempFile::new_in(&folder)?;
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .min_zoom(ARCHIVE_MIN_ZOOM)
        .max_zoom(ARCHIVE_MAX_ZOOM)
        .bounds(west, south, east, north)
        .center((west + east) / 2.0, (south + north) / 2.0)
        .center_zoom(10)
        .metadata(tile_json_metadata(&layers).to_string())
        .create(temporary.reopen()?)?;
    for (_, coordinates, bytes) in &encoded {
        writer.add_tile(*coordinates, bytes)?;
    }
    writer.finalize()?;
    temporary.as_file().sync_all()?;
    let bytes = temporary.as_file().metadata()?.len();
    let version = file_version(temporary.path())?;
    temporary
        .persist(archive_path(data_dir))
        .map_err(|error| BasemapError::Io(error.error))?;
    let status = BasemapStatus {
        built: true,
        version: Some(version),
        built_at: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        bytes,
        tiles: encoded.len() as u64,
        min_zoom: ARCHIVE_MIN_ZOOM,
        max_zoom: ARCHIVE_MAX_ZOOM,
        bounds: Some([west, south, east, north]),
        layers,
    };
    write_status(data_dir, &status)?;
    Ok(status)
}

fn write_status(data_dir: &Path, status: &BasemapStatus) -> Result<(), BasemapError> {
    let mut temporary = tempfile::NamedTempFile::new_in(data_dir.join("basemap"))?;
    temporary.write_all(&serde_json::to_vec_pretty(status).expect("a status is always JSON"))?;
    temporary.as_file().sync_all()?;
    temporary
        .persist(status_path(data_dir))
        .map_err(|error| BasemapError::Io(error.error))?;
    Ok(())
}

/// The first 16 hex digits of the file's SHA-256: the archive's version and ETag.
fn file_version(path: &Path) -> Result<String, BasemapError> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(&hasher.finalize()[..8]))
}

/// TileJSON's `vector_layers`, which MapLibre and other readers use to list the layers.
fn tile_json_metadata(layers: &[BasemapLayerStatus]) -> serde_json::Value {
    serde_json::json!({
        "name": "巡防日志 county basemap",
        "attribution": "Natural Earth (border lines); the county's patrol tracks (trails)",
        "vector_layers": layers.iter().map(|layer| serde_json::json!({
            "id": layer.name,
            "minzoom": layer.min_zoom,
            "maxzoom": ARCHIVE_MAX_ZOOM,
            "fields": layer.fields.iter().map(|field| (field.to_string(), serde_json::Value::from("String"))).collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
    })
}
