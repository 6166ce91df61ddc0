//! The generated TypeScript is current: every file is rendered here from the Rust types and
//! compared with the committed one. `UPDATE_GENERATED=1` writes them instead.

use std::path::{Path, PathBuf};
use ui_types::declarations::DeclarationFile;
use ui_types::limits::LimitFile;
use ui_types::vocabularies::VocabularyFile;
use ui_types::{header, GeneratedFile, REGENERATE};

use patrol_model::{
    ActivityType, CompassPoint, CoordinateDatum, CrimeType, DomainCode, EntryKind, EntryStatus,
    HazardCategory, HazardSeverity, PartnerUnit, PhotoRole, RepairCategory, ReviewDecision, Unit,
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
    file.add::<CoordinateDatum>(|_| Vec::new());
    file.add::<CompassPoint>(|_| Vec::new());
    file
}

/// The limits the app's forms check before the store checks them again.
fn limits() -> LimitFile {
    use patrol_model::body::{activity, incident, outreach, patrol, repair};
    use patrol_model::validation;
    let mut file = LimitFile::default();
    file.add(
        "MAX_SHORT_TEXT_CHARS",
        "patrol_model::validation::MAX_SHORT_TEXT_CHARS",
        validation::MAX_SHORT_TEXT_CHARS,
        "Characters of a short text: a village, a topic, whom a case went to",
    );
    file.add(
        "MAX_LONG_TEXT_CHARS",
        "patrol_model::validation::MAX_TEXT_CHARS",
        validation::MAX_TEXT_CHARS,
        "Characters of a description",
    );
    file.add(
        "MAX_PARTNER_COUNT",
        "patrol_model::body::patrol::MAX_PARTNER_COUNT",
        patrol::MAX_PARTNER_COUNT,
        "Largest head-count of one partner unit on one patrol",
    );
    file.add(
        "MAX_PATROL_DISTANCE_KM",
        "patrol_model::body::patrol::MAX_PATROL_DISTANCE_KM",
        patrol::MAX_PATROL_DISTANCE_KM,
        "Longest patrol distance, in km",
    );
    file.add(
        "MAX_REPAIR_QUANTITY",
        "patrol_model::body::repair::MAX_REPAIR_QUANTITY",
        repair::MAX_REPAIR_QUANTITY,
        "Largest quantity of one repair, in its unit",
    );
    file.add(
        "MAX_INCIDENT_PERSONS",
        "patrol_model::body::incident::MAX_INCIDENT_PERSONS",
        incident::MAX_INCIDENT_PERSONS,
        "Most persons of one incident",
    );
    file.add(
        "MAX_OUTREACH_AUDIENCE",
        "patrol_model::body::outreach::MAX_OUTREACH_AUDIENCE",
        outreach::MAX_OUTREACH_AUDIENCE,
        "Largest audience of one outreach session",
    );
    file.add(
        "MAX_ACTIVITY_ATTENDEES",
        "patrol_model::body::activity::MAX_ACTIVITY_ATTENDEES",
        activity::MAX_ACTIVITY_ATTENDEES,
        "Most attendees of one activity",
    );
    file.add(
        "MIN_PIN_DIGITS",
        "patrol_device::store::members::MIN_PIN_DIGITS",
        patrol_device::store::members::MIN_PIN_DIGITS,
        "Fewest digits of a member's PIN",
    );
    file.add(
        "MAX_PIN_DIGITS",
        "patrol_device::store::members::MAX_PIN_DIGITS",
        patrol_device::store::members::MAX_PIN_DIGITS,
        "Most digits of a member's PIN",
    );
    file
}

/// The county server's bounds the dashboard's pages keep to.
fn dashboard_limits() -> LimitFile {
    let years = county_server::report::REPORT_YEARS;
    let mut file = LimitFile::default();
    file.add(
        "FIRST_REPORT_YEAR",
        "county_server::report::REPORT_YEARS",
        years.start(),
        "Earliest year of the statistics and the year-end report",
    );
    file.add(
        "LAST_REPORT_YEAR",
        "county_server::report::REPORT_YEARS",
        years.end(),
        "Latest year of the statistics and the year-end report",
    );
    file
}

/// What the field app's commands return and take (src-tauri/src/commands over patrol-device).
fn app_types(vocabulary_names: &[&str]) -> DeclarationFile {
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
    file
}

/// What the county server's dashboard API answers (`/api/v1/admin/*`, docs/county-api.md),
/// the entry documents and vocabularies imported from the app's files. The map's GeoJSON is
/// built as JSON (`MapFeatures::to_geojson`) and typed by hand in the dashboard.
fn dashboard_types(vocabulary_names: &[&str], app: &DeclarationFile) -> String {
    use county_server::http::admin as answers;
    use county_server::storage::dashboard;
    let mut file = DeclarationFile::new();
    file.import_from("../../../src/generated/vocabularies", vocabulary_names);
    file.import_types_from("../../../src/generated/types", app);
    // Codes the answers keep as text in Rust, typed in TypeScript by `ts(type = ...)`.
    file.add::<EntryKind>();
    file.add::<EntryStatus>();
    file.add::<ReviewDecision>();
    file.add::<Unit>();
    file.add::<CrimeType>();
    file.add::<RepairCategory>();
    file.add::<ActivityType>();
    file.add::<HazardCategory>();
    file.add::<HazardSeverity>();
    file.add::<patrol_model::sync::ApiErrorBody>();
    file.add::<answers::SessionAnswer>();
    file.add::<dashboard::Overview>();
    file.add::<dashboard::EntryPage>();
    file.add::<dashboard::BulkReviewOutcome>();
    file.add::<answers::EntryDetailAnswer>();
    file.add::<dashboard::Statistics>();
    file.add::<county_server::report::AnnualReport>();
    file.add::<answers::DashboardConfig>();
    file.add::<county_server::map::BasemapStatus>();
    file.add::<answers::PostListItem>();
    file.add::<answers::EnrolmentCodeAnswer>();
    file.add::<answers::PinResetAnswer>();
    file.add::<answers::AuditPageAnswer>();
    file.render(&header("the county server's answer types (ts-rs)"))
}

fn generated_files() -> Vec<GeneratedFile> {
    let vocabularies = vocabularies();
    let app = app_types(vocabularies.names());
    vec![
        GeneratedFile {
            path: "ui/src/generated/vocabularies.ts",
            text: vocabularies.render(&header("patrol-model's closed vocabularies (domain_code!)")),
        },
        GeneratedFile {
            path: "ui/src/generated/types.ts",
            text: app.render(&header(
                "the Rust types of patrol-model and patrol-device (ts-rs)",
            )),
        },
        GeneratedFile {
            path: "ui/dashboard/src/generated/types.ts",
            text: dashboard_types(vocabularies.names(), &app),
        },
        GeneratedFile {
            path: "ui/src/generated/limits.ts",
            text: limits().render(&header("the limits patrol-model and patrol-device check")),
        },
        GeneratedFile {
            path: "ui/dashboard/src/generated/limits.ts",
            text: dashboard_limits().render(&header("the bounds county-server checks")),
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
    assert_eq!(file.names().len(), 13);
}
