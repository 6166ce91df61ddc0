//! What makes a file a basemap the app can draw: a PMTiles v3 archive — the magic `PMTiles`,
//! version byte 3, a 127-byte header whose sections (directories, metadata, tile data) all lie
//! inside the file, so a copy cut short is caught here, not on the map. Also the archive's
//! version: the first 16 hex digits of its SHA-256, as the county server names it (its ETag).

use crate::error::DeviceError;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The first seven bytes of every PMTiles archive.
pub const PMTILES_MAGIC: &[u8; 7] = b"PMTiles";
/// The PMTiles spec version the app reads (the eighth byte).
pub const PMTILES_VERSION: u8 = 3;
/// The fixed length of a PMTiles v3 header.
pub const PMTILES_HEADER_BYTES: u64 = 127;

/// The header's sections: name, offset of its u64 offset, then its u64 length.
const HEADER_SECTIONS: [(&str, &str, usize); 4] = [
    ("根目录", "root directory", 8),
    ("元数据", "metadata", 24),
    ("叶目录", "leaf directories", 40),
    ("瓦片数据", "tile data", 56),
];

/// Why a file is not a basemap, in both languages.
struct Refusal {
    zh: String,
    en: String,
}

fn refused(path: &Path, refusal: Refusal) -> DeviceError {
    DeviceError::NotABasemap {
        path: path.to_path_buf(),
        reason_zh: refusal.zh,
        reason_en: refusal.en,
    }
}

/// Checks `path` is a whole PMTiles v3 archive; otherwise [`DeviceError::NotABasemap`] saying
/// why (empty, too short, not PMTiles, another version, cut short).
pub(super) fn check_pmtiles_archive(path: &Path) -> Result<(), DeviceError> {
    let io_error = |source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if !metadata.is_file() {
        return Err(refused(
            path,
            Refusal {
                zh: "这不是一个文件".into(),
                en: "it is not a file".into(),
            },
        ));
    }
    let mut header = Vec::with_capacity(PMTILES_HEADER_BYTES as usize);
    std::fs::File::open(path)
        .map_err(io_error)?
        .take(PMTILES_HEADER_BYTES)
        .read_to_end(&mut header)
        .map_err(io_error)?;
    check_header(&header, metadata.len()).map_err(|refusal| refused(path, refusal))
}

/// The header's rules, on its bytes and the file's length.
fn check_header(header: &[u8], file_bytes: u64) -> Result<(), Refusal> {
    if file_bytes == 0 {
        return Err(Refusal {
            zh: "文件是空的(0 字节)".into(),
            en: "the file is empty (0 bytes)".into(),
        });
    }
    if !header.starts_with(PMTILES_MAGIC) {
        return Err(Refusal {
            zh: "不是 PMTiles 底图文件(开头不是“PMTiles”)".into(),
            en: "it is not a PMTiles basemap (it does not begin with \"PMTiles\")".into(),
        });
    }
    let version = header.get(7).copied().unwrap_or(0);
    if version != PMTILES_VERSION {
        return Err(Refusal {
            zh: format!("是 PMTiles 第 {version} 版,本机只认第 {PMTILES_VERSION} 版"),
            en: format!(
                "it is PMTiles version {version}; this app reads version {PMTILES_VERSION}"
            ),
        });
    }
    if (header.len() as u64) < PMTILES_HEADER_BYTES {
        return Err(Refusal {
            zh: format!(
                "文件只有 {file_bytes} 字节,不足 PMTiles 文件头的 {PMTILES_HEADER_BYTES} 字节(可能没拷完)"
            ),
            en: format!(
                "it holds only {file_bytes} bytes, less than a PMTiles header ({PMTILES_HEADER_BYTES} bytes): cut short?"
            ),
        });
    }
    check_sections_inside(header, file_bytes)
}

/// Every section the header names ends inside the file.
fn check_sections_inside(header: &[u8], file_bytes: u64) -> Result<(), Refusal> {
    for (name_zh, name_en, at) in HEADER_SECTIONS {
        let offset = read_u64(header, at);
        let length = read_u64(header, at + 8);
        let end = offset.saturating_add(length);
        if end > file_bytes {
            return Err(Refusal {
                zh: format!(
                    "文件不完整:只有 {file_bytes} 字节,而文件头说其中的{name_zh}到第 {end} 字节(可能没拷完)"
                ),
                en: format!(
                    "it is incomplete: it holds {file_bytes} bytes but its header puts the {name_en} up to byte {end} (cut short?)"
                ),
            });
        }
    }
    Ok(())
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// The archive's version: the first 16 hex digits of the file's SHA-256 (the county's ETag).
pub(super) fn archive_version(path: &Path) -> Result<String, DeviceError> {
    let io_error = |source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer).map_err(io_error)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(&hasher.finalize()[..8]))
}

/// Whether `version` is one the county server names by content (16 hex digits), so a file can
/// be checked against it.
pub(super) fn is_content_version(version: &str) -> bool {
    version.len() == 16 && version.bytes().all(|byte| byte.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header of a `file_bytes`-long archive whose tile data ends at `tiles_end`.
    fn header(tiles_end: u64) -> Vec<u8> {
        let mut header = vec![0u8; PMTILES_HEADER_BYTES as usize];
        header[..7].copy_from_slice(PMTILES_MAGIC);
        header[7] = 3;
        header[8..16].copy_from_slice(&127u64.to_le_bytes());
        header[16..24].copy_from_slice(&20u64.to_le_bytes());
        header[56..64].copy_from_slice(&200u64.to_le_bytes());
        header[64..72].copy_from_slice(&(tiles_end - 200).to_le_bytes());
        header
    }

    #[test]
    fn a_whole_v3_archive_passes() {
        assert!(check_header(&header(1000), 1000).is_ok());
    }

    #[test]
    fn empty_junk_another_version_and_a_cut_copy_are_refused_saying_why() {
        let empty = check_header(&[], 0).err().unwrap();
        assert!(empty.zh.contains("空"), "{}", empty.zh);
        let junk = check_header(b"<html>not a map</html>", 22).err().unwrap();
        assert!(junk.en.contains("not a PMTiles"), "{}", junk.en);
        let mut version_two = header(1000);
        version_two[7] = 2;
        let old = check_header(&version_two, 1000).err().unwrap();
        assert!(old.zh.contains("第 2 版"), "{}", old.zh);
        let short = check_header(&header(1000)[..60], 60).err().unwrap();
        assert!(
            short.en.contains("less than a PMTiles header"),
            "{}",
            short.en
        );
        let cut = check_header(&header(1000), 600).err().unwrap();
        assert!(cut.en.contains("tile data up to byte 1000"), "{}", cut.en);
    }

    #[test]
    fn a_content_version_is_16_hex_digits() {
        assert!(is_content_version("c5f356b5056f158a"));
        assert!(!is_content_version("c5f356b5056f158"));
        assert!(!is_content_version("w/c5f356b5056f15"));
    }
}
