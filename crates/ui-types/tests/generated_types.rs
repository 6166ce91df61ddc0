//! The generated TypeScript is current: every file is rendered here from the Rust types and
//! compared with the committed one. `UPDATE_GENERATED=1` writes them instead.

use std::path::{Path, PathBuf};
use ui_types::declarations::DeclarationFile;
use ui_types::vocabularies::VocabularyFile;
use ui_types::{header, GeneratedFile, REGENERATE};

use patrol_model::{
    ActivityType, CrimeType, DomainCode, EntryKind, EntryStatus, HazardCategory, HazardSeverity,
    PartnerUnit, PhotoRole, RepairCategory, ReviewDecision, Unit,
};

fn vocabularies() -> VocabularyFile {
    let mut file = VocabularyFile::default();
    file.add::<EntryKind>(|_| Vec::new());
    file.add::<EntryStatus>(|_| Vec::new());
    file.add::<PhotoRole>(|_| Vec::new());
    file.add::<ReviewDecision>(|_| Vec::new());
    file.add::<HazardCategory>(|_| Vec::new());
    file.add::<HazardSeverity>(|_| Vec::new());
    file.add::<RepairCategory>(|category| vec![("unit", category.unit().code())]);
    file.add::<PartnerUnit>(|_| Vec::new());
    file.add::<CrimeType>(|_| Vec::new());
    file.add::<ActivityType>(|_| Vec::new());
    file.add::<Unit>(|_| Vec::new());
    file
}

/// What the field app's commands return and take (src-tauri/src/commands over patrol-device).
fn app_types(vocabulary_names: &[&str]) -> String {
    let mut file = DeclarationFile::new();
    file.import_from("./vocabularies", vocabulary_names);
    file.add::<patrol_model::Entry>();
    file.add::<patrol_model::EntryDraft>();
    file.add::<patrol_model::TrackPoint>();
    file.add::<patrol_model::Quantity>();
    file.add::<patrol_device::EntryListQuery>();
    file.add::<patrol_device::EntryPage>();
    file.add::<patrol_device::EntrySendState>();
    file.add::<patrol_device::EntryVersion>();
    file.add::<patrol_device::HazardChoice>();
    file.add::<patrol_device::HomeSummary>();
    file.add::<patrol_device::MonthSummary>();
    file.add::<patrol_device::TrackSummary>();
    file.add::<patrol_device::AppSettings>();
    file.add::<patrol_device::Member>();
    file.add::<patrol_device::SyncStatus>();
    file.add::<patrol_device::sync::SyncProgress>();
    file.add::<patrol_device::sync::SyncReport>();
    file.render(&header(
        "the Rust types of patrol-model and patrol-device (ts-rs)",
    ))
}

fn generated_files() -> Vec<GeneratedFile> {
    let vocabularies = vocabularies();
    vec![
        GeneratedFile {
            path: "ui/src/generated/vocabularies.ts",
            text: vocabularies.render(&header("patrol-model's closed vocabularies (domain_code!)")),
        },
        GeneratedFile {
            path: "ui/src/generated/types.ts",
            text: app_types(vocabularies.names()),
        },
    ]
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn generated_typescript_is_current() {
    let root = repository_root();
    let update = std::env::var("UPDATE_GENERATED").is_ok_and(|value| value == "1");
    let mut stale = Vec::new();
    for file in generated_files() {
        let path = root.join(file.path);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == file.text {
            continue;
        }
        if update {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder made");
            std::fs::write(&path, &file.text).expect("file written");
        } else {
            stale.push(file.path);
        }
    }
    assert!(
        stale.is_empty(),
        "generated TypeScript is stale: {}\nregenerate with: {REGENERATE}",
        stale.join(", ")
    );
}

#[test]
fn every_vocabulary_is_listed_once() {
    let file = vocabularies();
    let mut names = file.names().to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), file.names().len());
    assert_eq!(file.names().len(), 11);
}
