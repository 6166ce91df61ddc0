//! What the field app keeps between runs: drafts of half-filled forms, the post's roster, the
//! language, the idle lock and the CLI's current member; each checked before it is kept, and
//! kept across reopening.

mod common;

use common::*;
use patrol_device::{DeviceError, DeviceStore, Language};

fn problem_fields(error: DeviceError) -> Vec<String> {
    match error {
        DeviceError::Invalid(report) => report.problems.into_iter().map(|p| p.field).collect(),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn a_draft_survives_reopening_until_it_is_cleared() {
    let (directory, mut store) = fresh_store();
    let hazard_form = r#"{"category":"fence","description":"铁网破"}"#;
    store.save_draft("hazard", hazard_form).unwrap();
    let entry = store
        .record_entry(hazard("2024-03-02", "fence", "铁网"), vec![])
        .unwrap();
    let edit_form = format!("edit.{}", entry.id);
    store
        .save_draft(&edit_form, r#"{"severity":"low"}"#)
        .unwrap();
    drop(store);

    let mut store = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(
        store.load_draft("hazard").unwrap().as_deref(),
        Some(hazard_form)
    );
    assert_eq!(
        store.load_draft(&edit_form).unwrap().as_deref(),
        Some(r#"{"severity":"low"}"#)
    );
    assert_eq!(store.load_draft("repair").unwrap(), None);
    store.clear_draft("hazard").unwrap();
    store.clear_draft("hazard").unwrap(); // clearing twice is fine
    assert_eq!(store.load_draft("hazard").unwrap(), None);
    assert!(store.load_draft(&edit_form).unwrap().is_some());
}

#[test]
fn drafts_refuse_unknown_forms_bad_json_and_huge_text() {
    let (_directory, mut store) = fresh_store();
    for form in ["settings", "edit.not-a-uuid", "", "draft.hazard"] {
        let error = store.save_draft(form, "{}").unwrap_err();
        assert_eq!(problem_fields(error), ["form"], "form {form:?}");
    }
    let error = store.save_draft("patrol", "{\"members\": [").unwrap_err();
    assert_eq!(problem_fields(error), ["json"]);
    let huge = format!("\"{}\"", "x".repeat(300 * 1024));
    let error = store.save_draft("patrol", &huge).unwrap_err();
    assert_eq!(problem_fields(error), ["json"]);
    assert_eq!(store.load_draft("patrol").unwrap(), None);
}

#[test]
fn the_roster_keeps_trimmed_names_in_order_and_refuses_blank_long_or_repeated_ones() {
    let (directory, mut store) = fresh_store();
    assert!(store.roster().unwrap().is_empty());
    store
        .set_roster(&[" 李国华 ".into(), "王明".into(), "岩温".into()])
        .unwrap();
    let error = store
        .set_roster(&["王明".into(), "  ".into(), "王明 ".into(), "长".repeat(41)])
        .unwrap_err();
    assert_eq!(problem_fields(error), ["names[1]", "names[2]", "names[3]"]);
    drop(store);
    let store = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(store.roster().unwrap(), ["李国华", "王明", "岩温"]);
}

#[test]
fn language_is_chinese_until_english_is_chosen_and_nothing_else_is_accepted() {
    let (_directory, mut store) = fresh_store();
    assert_eq!(store.language().unwrap(), Language::SimplifiedChinese);
    assert_eq!(store.set_language("en").unwrap(), Language::English);
    assert_eq!(store.language().unwrap(), Language::English);
    let error = store.set_language("fr").unwrap_err();
    assert_eq!(problem_fields(error), ["language"]);
    assert_eq!(store.language().unwrap(), Language::English);
    let json = serde_json::to_value(store.app_settings().unwrap()).unwrap();
    assert_eq!(json["language"], "en");
}

#[test]
fn the_idle_lock_is_five_minutes_until_one_of_the_offered_times_is_chosen() {
    let (directory, mut store) = fresh_store();
    assert_eq!(store.idle_lock_minutes().unwrap(), 5);
    for bad in [0, 2, 60] {
        let error = store.set_idle_lock_minutes(bad).unwrap_err();
        assert_eq!(problem_fields(error), ["minutes"]);
    }
    store.set_idle_lock_minutes(1).unwrap();
    drop(store);
    let store = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(store.app_settings().unwrap().idle_lock_minutes, 1);
}

#[test]
fn app_settings_show_the_member_roster_and_enrolment() {
    let (_directory, mut store) = fresh_store();
    let settings = store.app_settings().unwrap();
    assert!(!settings.enrolled);
    assert_eq!(settings.device_id, store.device_id().to_string());
    assert_eq!(settings.current_member, None);
    let error = store.set_current_member("   ").unwrap_err();
    assert_eq!(problem_fields(error), ["name"]);
    store.set_current_member(" 李国华 ").unwrap();
    store.set_roster(&["李国华".into(), "王明".into()]).unwrap();
    let json = serde_json::to_value(store.app_settings().unwrap()).unwrap();
    assert_eq!(json["current_member"], "李国华");
    assert_eq!(json["roster"], serde_json::json!(["李国华", "王明"]));
    assert_eq!(json["enrolled"], false);
    assert!(json.get("server_url").is_none());
    // A new entry is written in the current member's name.
    let entry = store
        .record_entry(hazard("2024-03-02", "fence", "铁网"), vec![])
        .unwrap();
    assert_eq!(entry.draft.author.as_deref(), Some("李国华"));
}
