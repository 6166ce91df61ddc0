//! Photos changed on an edit: added after saving (the "after" photo taken hours later, the one
//! the county asked for), removed, or given another role; each change a new version whose outbox
//! record names `photos`; a photo the store does not hold, or one attached twice, is refused and
//! nothing is written.

mod common;

use common::{fresh_store, repair};
use patrol_device::{DeviceError, DeviceStore};
use patrol_model::{PhotoAttachment, PhotoHash, PhotoRole};
use tempfile::TempDir;

/// Imports a small picture of its own colour; returns its hash.
fn import(directory: &TempDir, store: &mut DeviceStore, shade: u8) -> PhotoHash {
    let path = directory.path().join(format!("photo-{shade}.png"));
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([shade, x as u8, y as u8]))
        .save(&path)
        .unwrap();
    store.import_photo(&path).unwrap().sha256
}

/// The repair every test edits: its draft never changes, only its photos.
fn fence_repair() -> patrol_model::EntryDraft {
    repair("2024-03-05", "fence", 30.0, None)
}

fn attached(sha256: &PhotoHash, role: PhotoRole) -> PhotoAttachment {
    PhotoAttachment {
        sha256: sha256.clone(),
        role,
    }
}

fn roles(store: &DeviceStore, id: patrol_model::EntryId) -> Vec<(PhotoHash, PhotoRole)> {
    let entry = store.entry(id).unwrap();
    entry
        .photos
        .into_iter()
        .map(|photo| (photo.sha256, photo.role))
        .collect()
}

#[test]
fn photos_are_added_removed_and_reroled_on_edit_each_a_synced_version() {
    let (directory, mut store) = fresh_store();
    let before = import(&directory, &mut store, 10);
    let entry = store
        .record_entry(fence_repair(), vec![attached(&before, PhotoRole::Before)])
        .unwrap();

    let after = import(&directory, &mut store, 200);
    let edited = store
        .edit_entry_and_photos(
            entry.id,
            fence_repair(),
            vec![
                attached(&before, PhotoRole::Before),
                attached(&after, PhotoRole::After),
            ],
        )
        .unwrap();
    assert_eq!(edited.revision, 2, "a photo added is a new version");
    assert_eq!(
        roles(&store, entry.id),
        [
            (before.clone(), PhotoRole::Before),
            (after.clone(), PhotoRole::After)
        ]
    );
    let records = store.pending_records(0, 10).unwrap();
    assert_eq!(
        records.last().unwrap().changed_fields.as_deref(),
        Some(&["photos".to_string()][..]),
        "only the photos changed"
    );

    // The same photos again: nothing written.
    let same = store
        .edit_entry_and_photos(
            entry.id,
            fence_repair(),
            vec![
                attached(&before, PhotoRole::Before),
                attached(&after, PhotoRole::After),
            ],
        )
        .unwrap();
    assert_eq!(same.revision, 2);

    // Taken for "before" by mistake: it becomes "after"; the other one is removed.
    store
        .edit_entry_and_photos(
            entry.id,
            fence_repair(),
            vec![attached(&before, PhotoRole::After)],
        )
        .unwrap();
    assert_eq!(
        roles(&store, entry.id),
        [(before.clone(), PhotoRole::After)]
    );
    assert!(
        store.photo(&after).unwrap().is_some(),
        "a removed photo stays in the store (the history names it)"
    );

    // A plain edit keeps the photos.
    store
        .edit_entry(entry.id, repair("2024-03-05", "fence", 32.0, None))
        .unwrap();
    assert_eq!(roles(&store, entry.id), [(before, PhotoRole::After)]);
    let history = store.entry_history(entry.id).unwrap();
    let photo_counts: Vec<usize> = history
        .iter()
        .map(|version| version.entry.photos.len())
        .collect();
    assert_eq!(photo_counts, [1, 2, 1, 1], "every version keeps its photos");
}

#[test]
fn a_photo_not_stored_here_or_attached_twice_is_refused_and_nothing_is_written() {
    let (directory, mut store) = fresh_store();
    let photo = import(&directory, &mut store, 30);
    let entry = store.record_entry(fence_repair(), vec![]).unwrap();
    let pending = store.pending_outbox_count().unwrap();

    let stranger = PhotoHash::try_from("ab".repeat(32)).unwrap();
    let error = store
        .edit_entry_and_photos(
            entry.id,
            fence_repair(),
            vec![attached(&stranger, PhotoRole::After)],
        )
        .unwrap_err();
    let DeviceError::Invalid(report) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(report.problems[0].field, "photos");
    assert!(
        error.message_zh().contains("不在本机"),
        "{}",
        error.message_zh()
    );

    let twice = store
        .edit_entry_and_photos(
            entry.id,
            fence_repair(),
            vec![
                attached(&photo, PhotoRole::Before),
                attached(&photo, PhotoRole::After),
            ],
        )
        .unwrap_err();
    assert!(
        twice.message_zh().contains("附了两次"),
        "{}",
        twice.message_zh()
    );
    let recorded_twice = store.record_entry(
        repair("2024-03-06", "fence", 5.0, None),
        vec![
            attached(&photo, PhotoRole::Before),
            attached(&photo, PhotoRole::Before),
        ],
    );
    assert!(recorded_twice.is_err(), "on a new entry too");

    assert_eq!(store.entry(entry.id).unwrap().revision, 1);
    assert!(store.entry(entry.id).unwrap().photos.is_empty());
    assert_eq!(store.pending_outbox_count().unwrap(), pending);
}
