//! Files only their owner reads: the data directory and every folder under it are 0700, every
//! file in it (the store and its `-wal`/`-shm`, photos, originals, the key file) 0600. New
//! folders and files are made so from the start ([`create_private_dir_all`],
//! [`create_private_file`]); a store made by an older version is tightened on open
//! ([`tighten_data_dir`]). On systems without Unix modes these do nothing beyond creating.

use crate::error::DeviceError;
use std::fs::File;
use std::path::Path;

/// Mode of every folder of the data directory.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
/// Mode of every file of the data directory.
pub const PRIVATE_FILE_MODE: u32 = 0o600;

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> DeviceError + '_ {
    move |source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `directory` and its missing parents, each new one 0700, and makes `directory`
/// itself 0700 if it was there already.
pub fn create_private_dir_all(directory: &Path) -> Result<(), DeviceError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR_MODE);
    builder.create(directory).map_err(io_error(directory))?;
    set_mode(directory, PRIVATE_DIR_MODE)
}

/// Creates (or truncates) a file for writing, 0600 from its first byte.
pub fn create_private_file(path: &Path) -> Result<File, DeviceError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    let file = options.open(path).map_err(io_error(path))?;
    // A file that was there keeps its old mode through `open`: set it.
    set_file_mode(&file, path, PRIVATE_FILE_MODE)?;
    Ok(file)
}

/// What the store keeps in its data directory, as [`store_entries`] finds it.
pub(crate) enum StoreEntry {
    /// `patrol.sqlite3` or a file beginning so (`-wal`, `-shm`, `.new`, `.encrypting`), or the
    /// key file.
    File(std::path::PathBuf),
    /// A folder the store keeps whole: the `photos/` tree, or `basemap/` (the county's map,
    /// with the post's trails).
    Tree(std::path::PathBuf),
}

/// The store's own entries in `data_dir`: other files a member put there are left out, and so
/// are symbolic links (their targets are not the store's).
pub(crate) fn store_entries(data_dir: &Path) -> Result<Vec<StoreEntry>, DeviceError> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(data_dir).map_err(io_error(data_dir))?;
    for entry in entries {
        let entry = entry.map_err(io_error(data_dir))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let file_type = entry.file_type().map_err(io_error(&path))?;
        if file_type.is_dir()
            && (name == crate::PHOTOS_DIR_NAME || name == crate::basemap::BASEMAP_DIR_NAME)
        {
            found.push(StoreEntry::Tree(path));
        } else if file_type.is_file()
            && (name.starts_with(crate::STORE_FILE_NAME) || name == crate::KEY_FILE_NAME)
        {
            found.push(StoreEntry::File(path));
        }
    }
    Ok(found)
}

/// Makes the data directory 0700 and what the store keeps in it private ([`store_entries`]):
/// its files 0600, the `photos/` tree folders 0700 and files 0600.
pub fn tighten_data_dir(data_dir: &Path) -> Result<(), DeviceError> {
    set_mode(data_dir, PRIVATE_DIR_MODE)?;
    for entry in store_entries(data_dir)? {
        match entry {
            StoreEntry::Tree(path) => tighten_tree(&path)?,
            StoreEntry::File(path) => set_mode(&path, PRIVATE_FILE_MODE)?,
        }
    }
    Ok(())
}

/// Every folder under `directory` (itself included) 0700, every file 0600.
fn tighten_tree(directory: &Path) -> Result<(), DeviceError> {
    set_mode(directory, PRIVATE_DIR_MODE)?;
    let entries = std::fs::read_dir(directory).map_err(io_error(directory))?;
    for entry in entries {
        let entry = entry.map_err(io_error(directory))?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(io_error(&path))?;
        if file_type.is_dir() {
            tighten_tree(&path)?;
        } else if file_type.is_file() {
            set_mode(&path, PRIVATE_FILE_MODE)?;
        }
    }
    Ok(())
}

/// Writes `bytes` to a temporary file (0600), fsyncs, renames it to `path` and fsyncs the
/// folder: a crash leaves either the old file or all of the new one.
pub fn write_private_file_durably(path: &Path, bytes: &[u8]) -> Result<(), DeviceError> {
    use std::io::Write;
    let directory = path.parent().unwrap_or(Path::new("."));
    create_private_dir_all(directory)?;
    let temporary = path.with_extension("partial");
    let mut file = create_private_file(&temporary)?;
    file.write_all(bytes).map_err(io_error(&temporary))?;
    file.sync_all().map_err(io_error(&temporary))?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(io_error(path))?;
    sync_directory(directory);
    Ok(())
}

/// Flushes a folder's entries (a rename in it) to disk; best effort.
pub fn sync_directory(directory: &Path) {
    if let Ok(handle) = File::open(directory) {
        let _ = handle.sync_all();
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), DeviceError> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::symlink_metadata(path).map_err(io_error(path))?;
    if metadata.file_type().is_symlink() || metadata.permissions().mode() & 0o7777 == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io_error(path))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), DeviceError> {
    Ok(())
}

#[cfg(unix)]
fn set_file_mode(file: &File, path: &Path, mode: u32) -> Result<(), DeviceError> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
        .map_err(io_error(path))
}

#[cfg(not(unix))]
fn set_file_mode(_file: &File, _path: &Path, _mode: u32) -> Result<(), DeviceError> {
    Ok(())
}
