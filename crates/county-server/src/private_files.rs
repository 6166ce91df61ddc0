//! Files only their owner reads. The county's data dir holds every post's entries and photos:
//! its folders are made `0700` and its files `0600` (the SQLite file and its `-wal`/`-shm`,
//! photos and partial uploads, a TLS key), when they are created and again when the server
//! opens them, so a file left readable by an older version or by hand is fixed. On other
//! platforms than Unix these are no-ops (the folder's ACLs decide).

use std::io;
use std::path::Path;

/// A folder's mode: only the owner enters it.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
/// A file's mode: only the owner reads and writes it.
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// Creates `path` and its missing parents, each new one `0700` (existing ones are left as they
/// are: a parent may be `/var/lib` or a home directory).
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR_MODE);
    builder.create(path)
}

/// Options that create a file `0600` (an existing file keeps its mode).
pub fn private_open_options() -> std::fs::OpenOptions {
    #[allow(unused_mut)]
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    options
}

/// The same for tokio's files.
pub fn private_tokio_open_options() -> tokio::fs::OpenOptions {
    tokio::fs::OpenOptions::from(private_open_options())
}

/// Sets `path`'s mode to `mode` unless it already is; true when it had to change.
fn restrict(path: &Path, mode: u32) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = std::fs::symlink_metadata(path)?.permissions().mode() & 0o7777;
        if current == mode {
            return Ok(false);
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        Ok(true)
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(false)
    }
}

/// Makes a file `0600`; true when it was not.
pub fn restrict_file(path: &Path) -> io::Result<bool> {
    restrict(path, PRIVATE_FILE_MODE)
}

/// Makes a folder `0700`; true when it was not.
pub fn restrict_dir(path: &Path) -> io::Result<bool> {
    restrict(path, PRIVATE_DIR_MODE)
}

/// Makes `root` and every folder below it `0700` and every file `0600` (symbolic links are
/// not followed); returns how many had to change.
pub fn restrict_tree(root: &Path) -> io::Result<u64> {
    let mut changed = u64::from(restrict_dir(root)?);
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for child in std::fs::read_dir(&folder)? {
            let child = child?;
            let kind = child.file_type()?;
            if kind.is_dir() {
                changed += u64::from(restrict_dir(&child.path())?);
                folders.push(child.path());
            } else if kind.is_file() {
                changed += u64::from(restrict_file(&child.path())?);
            }
        }
    }
    Ok(changed)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_loose_tree_is_made_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        create_private_dir_all(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
        let file = nested.join("photo");
        std::fs::write(&file, b"x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&nested, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(restrict_tree(&dir.path().join("a")).unwrap(), 2);
        assert_eq!((mode(&nested), mode(&file)), (0o700, 0o600));
        assert_eq!(restrict_tree(&dir.path().join("a")).unwrap(), 0);
    }
}
