//! The old layout, `photos/ab/<sha256>.<variant>` (one copy shared by every post, thumbnails
//! unchecked), moved on open into the new one: each file is checked as an upload is and
//! linked into every post whose entries list the photo, then removed. A file no entry lists,
//! or one that fails the checks, goes to `photos/unclaimed/` (kept, never served). Partial
//! files of the old layout cannot be told apart by device and are removed: their devices
//! still hold the photos and send them again from the start.

use super::verify::{check_image, file_sha256};
use super::{sync_folder_of, PhotoError, PhotoStore, PhotoVariant};
use crate::private_files;
use crate::storage::dashboard::folds::photo_references;
use crate::storage::{CountyStorage, EntryFilter};
use patrol_model::{PhotoHash, PostId};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What moving the old layout did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyAdoption {
    /// Files linked into at least one post.
    pub adopted: u64,
    /// Files moved to `photos/unclaimed/`.
    pub unclaimed: u64,
}

/// One complete file of the old layout.
#[derive(Debug, Clone)]
struct LegacyFile {
    path: PathBuf,
    hash: PhotoHash,
    variant: PhotoVariant,
}

impl PhotoStore {
    /// Moves the files of the old layout into the posts that own them (idempotent: a run cut
    /// short is finished by the next open).
    pub async fn adopt_legacy_files(
        &self,
        storage: &dyn CountyStorage,
    ) -> Result<LegacyAdoption, PhotoError> {
        let root = self.root.clone();
        let files = tokio::task::spawn_blocking(move || legacy_files(&root))
            .await
            .map_err(std::io::Error::other)??;
        if files.is_empty() {
            return Ok(LegacyAdoption::default());
        }
        let wanted: HashSet<String> = files.iter().map(|file| file.hash.to_string()).collect();
        let owners = photo_owners(storage, &wanted).await?;
        let targets: Vec<(LegacyFile, Vec<PathBuf>)> = files
            .into_iter()
            .map(|file| {
                let posts = owners.get(file.hash.as_str()).cloned().unwrap_or_default();
                let paths = posts
                    .into_iter()
                    .map(|post| self.complete_path(post, &file.hash, file.variant))
                    .collect();
                (file, paths)
            })
            .collect();
        let unclaimed = self.root.join("unclaimed");
        let adoption = tokio::task::spawn_blocking(move || adopt_all(targets, &unclaimed))
            .await
            .map_err(std::io::Error::other)??;
        tracing::info!(
            adopted = adoption.adopted,
            unclaimed = adoption.unclaimed,
            "photos of the old layout moved into their posts"
        );
        Ok(adoption)
    }
}

/// Which posts list each wanted photo, read post by post.
async fn photo_owners(
    storage: &dyn CountyStorage,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, Vec<PostId>>, PhotoError> {
    let mut owners: HashMap<String, Vec<PostId>> = HashMap::new();
    for post in storage.list_posts().await? {
        let entries = storage
            .list_entries(EntryFilter {
                post_id: Some(post.id),
                since_ms: None,
            })
            .await?;
        let listed: HashSet<String> = entries
            .iter()
            .flat_map(|entry| photo_references(&entry.document))
            .map(|photo| photo.sha256)
            .filter(|sha256| wanted.contains(sha256))
            .collect();
        for sha256 in listed {
            owners.entry(sha256).or_default().push(post.id);
        }
    }
    Ok(owners)
}

/// The complete files of the old layout; its partial folder is removed on the way.
fn legacy_files(root: &Path) -> Result<Vec<LegacyFile>, std::io::Error> {
    let old_partials = root.join("partial");
    if old_partials.is_dir() {
        fs::remove_dir_all(&old_partials)?;
    }
    let mut files = Vec::new();
    for folder in fs::read_dir(root)? {
        let folder = folder?;
        let name = folder.file_name().to_string_lossy().to_string();
        let is_fan_out = name.len() == 2 && name.bytes().all(|b| b.is_ascii_hexdigit());
        if !is_fan_out || !folder.file_type()?.is_dir() {
            continue;
        }
        for file in fs::read_dir(folder.path())? {
            let path = file?.path();
            if let Some(legacy) = legacy_file(path) {
                files.push(legacy);
            }
        }
    }
    Ok(files)
}

fn legacy_file(path: PathBuf) -> Option<LegacyFile> {
    let name = path.file_name()?.to_str()?;
    let (hash, variant) = name.split_once('.')?;
    Some(LegacyFile {
        hash: PhotoHash::try_from(hash.to_string()).ok()?,
        variant: variant.parse().ok()?,
        path,
    })
}

fn adopt_all(
    targets: Vec<(LegacyFile, Vec<PathBuf>)>,
    unclaimed: &Path,
) -> Result<LegacyAdoption, PhotoError> {
    let mut adoption = LegacyAdoption::default();
    for (file, destinations) in targets {
        if !destinations.is_empty() && passes_checks(&file)? {
            for destination in &destinations {
                link_into_place(&file.path, destination)?;
            }
            fs::remove_file(&file.path)?;
            adoption.adopted += 1;
        } else {
            private_files::create_private_dir_all(unclaimed)?;
            let kept = unclaimed.join(file.path.file_name().unwrap_or_default());
            fs::rename(&file.path, &kept)?;
            sync_folder_of(&kept)?;
            adoption.unclaimed += 1;
        }
        if let Some(folder) = file.path.parent() {
            // The fan-out folder goes once it is empty.
            let _ = fs::remove_dir(folder);
        }
    }
    Ok(adoption)
}

/// The checks an upload passes; a thumbnail of the old layout has no declared hash to match.
fn passes_checks(file: &LegacyFile) -> Result<bool, std::io::Error> {
    if file.variant == PhotoVariant::Original && file_sha256(&file.path)? != file.hash.as_str() {
        return Ok(false);
    }
    Ok(check_image(&file.path, file.variant)?.is_ok())
}

fn link_into_place(source: &Path, destination: &Path) -> Result<(), std::io::Error> {
    if let Some(folder) = destination.parent() {
        private_files::create_private_dir_all(folder)?;
    }
    match fs::hard_link(source, destination) {
        Ok(()) => sync_folder_of(destination),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}
