//! Turns a member's JSON (from the CLI, the app or the wire) into an [`EntryDraft`], or into a
//! report of every problem in it: missing and mistyped fields, unknown fields, and broken rules.

pub mod fields;

use crate::body::{
    ActivityBody, EntryBody, HazardBody, IncidentBody, OutreachBody, PatrolBody, RepairBody,
};
use crate::entry::{validate_location, EntryDraft, EntryKind};
use crate::location::Location;
use crate::time::LocalTime;
use crate::validation::ValidationReport;
use crate::{DomainCode, ModelError};
use fields::FieldReader;
use serde_json::Value;

/// Largest JSON accepted for one entry.
pub const MAX_ENTRY_JSON_BYTES: usize = 256 * 1024;

/// Envelope fields the store assigns: tolerated in input (so `show --json` can be edited and fed
/// back) but never taken from it.
const ASSIGNED_FIELDS: [&str; 10] = [
    "id",
    "device_id",
    "post_id",
    "photos",
    "status",
    "revision",
    "created_at",
    "updated_at",
    "deleted",
    "review",
];

/// Parses and validates one entry. `expected_kind` is the kind the caller asked for (the CLI's
/// `record KIND`); the JSON's own `kind` may be left out then, and must agree if given.
pub fn parse_entry_draft(
    json_text: &str,
    expected_kind: Option<EntryKind>,
) -> Result<EntryDraft, ModelError> {
    let mut report = ValidationReport::default();
    let Some(value) = read_json(json_text, "(整体)", &mut report) else {
        return Err(ModelError::Invalid(report));
    };
    entry_draft_from_value(value, expected_kind).map_err(ModelError::Invalid)
}

/// [`parse_entry_draft`] for JSON already parsed (a record received by the sync server).
pub fn entry_draft_from_value(
    value: Value,
    expected_kind: Option<EntryKind>,
) -> Result<EntryDraft, ValidationReport> {
    let mut report = ValidationReport::default();
    match read_draft(value, expected_kind, &mut report) {
        Some(draft) => {
            draft.validate(&mut report);
            if report.is_empty() {
                Ok(draft)
            } else {
                Err(report)
            }
        }
        None => Err(report),
    }
}

fn read_draft(
    value: Value,
    expected_kind: Option<EntryKind>,
    report: &mut ValidationReport,
) -> Option<EntryDraft> {
    let mut reader = FieldReader::new(value, "", report)?;
    let kind = read_kind(&mut reader, expected_kind);
    let occurred_at = read_time(&mut reader, "occurred_at", true);
    let ended_at = read_time(&mut reader, "ended_at", false);
    let location = read_location(&mut reader);
    let author = reader.optional_text("author");
    let patrol_id = reader.optional_entry_id("patrol_id");
    let body_value = reader.raw("body");
    reader.ignore(&ASSIGNED_FIELDS);
    reader.finish();

    let body = match (kind, body_value) {
        (Some(kind), Some(body_value)) => read_body(kind, body_value, report),
        (Some(_), None) => {
            report.push("body", "必须填写", "is required");
            None
        }
        (None, _) => None,
    };
    let (occurred_at, ended_at, location) = (
        occurred_at.flatten(),
        ended_at.flatten(),
        location.flatten(),
    );
    match (occurred_at, body) {
        (Some(occurred_at), Some(body)) => Some(EntryDraft {
            occurred_at,
            ended_at,
            location,
            author,
            patrol_id,
            body,
        }),
        (_, body) => {
            // The draft is incomplete, but the parts that were read are still checked, so that
            // the member sees every problem at once.
            if let Some(location) = &location {
                validate_location(report, "location", location);
            }
            if let Some(body) = &body {
                body.validate(report);
            }
            None
        }
    }
}

fn read_kind(reader: &mut FieldReader<'_>, expected_kind: Option<EntryKind>) -> Option<EntryKind> {
    let given = reader.optional_code::<EntryKind>("kind");
    let given_text_was_bad = given.is_none() && reader.report().mentions("kind");
    match (given, expected_kind) {
        (Some(given), Some(expected)) if given != expected => {
            reader.report().push(
                "kind",
                format!(
                    "条目类型“{}”与命令中的“{}”不一致",
                    given.code(),
                    expected.code()
                ),
                format!("kind {given} does not match the command's {expected}"),
            );
            None
        }
        (Some(given), _) => Some(given),
        (None, Some(expected)) if !given_text_was_bad => Some(expected),
        (None, None) if !given_text_was_bad => {
            reader.report().push(
                "kind",
                format!("必须填写,可选:{}", EntryKind::choices_zh()),
                format!("is required, one of {}", EntryKind::choices_en()),
            );
            None
        }
        _ => None,
    }
}

/// `Some(None)` when absent and allowed, `None` when a problem was recorded.
fn read_time(
    reader: &mut FieldReader<'_>,
    name: &str,
    required: bool,
) -> Option<Option<LocalTime>> {
    if !reader.is_present(name) {
        if required {
            let field = reader.path(name);
            reader.report().push(
                field,
                "必须填写(如 2024-03-02T08:10:00+08:00)",
                "is required (e.g. 2024-03-02T08:10:00+08:00)",
            );
            return None;
        }
        return Some(None);
    }
    let text = reader.optional_text(name)?;
    match LocalTime::parse(&text) {
        Ok(time) => Some(Some(time)),
        Err(_) => {
            let field = reader.path(name);
            reader.report().push(
                field,
                format!("时间格式不对:“{text}”,应如 2024-03-02T08:10:00+08:00(须带时区)"),
                format!("bad time {text:?}: expected RFC 3339 with an offset, e.g. 2024-03-02T08:10:00+08:00"),
            );
            None
        }
    }
}

fn read_location(reader: &mut FieldReader<'_>) -> Option<Option<Location>> {
    let Some(value) = reader.raw("location") else {
        return Some(None);
    };
    let mut item = FieldReader::new(value, "location", reader.report())?;
    let lat = item.required_number("lat");
    let lon = item.required_number("lon");
    let accuracy_m = item
        .optional_number("accuracy_m")
        .or_else(|| item.optional_number("accuracy"));
    let altitude_m = item
        .optional_number("altitude_m")
        .or_else(|| item.optional_number("altitude"));
    item.finish();
    let location = Location {
        lat: lat?,
        lon: lon?,
        accuracy_m,
        altitude_m,
    };
    // Range problems are reported once, by EntryDraft::validate.
    Some(Some(location))
}

fn read_body(kind: EntryKind, value: Value, report: &mut ValidationReport) -> Option<EntryBody> {
    let reader = FieldReader::new(value, "body", report)?;
    match kind {
        EntryKind::Patrol => PatrolBody::read(reader).map(EntryBody::Patrol),
        EntryKind::Hazard => HazardBody::read(reader).map(EntryBody::Hazard),
        EntryKind::Repair => RepairBody::read(reader).map(EntryBody::Repair),
        EntryKind::Incident => IncidentBody::read(reader).map(EntryBody::Incident),
        EntryKind::Outreach => OutreachBody::read(reader).map(EntryBody::Outreach),
        EntryKind::Activity => ActivityBody::read(reader).map(EntryBody::Activity),
    }
}

/// Parses and validates only the body of an entry of `kind` (what a member fills in at the
/// start or end of a patrol), with fields named `body.…`.
pub fn parse_entry_body(json_text: &str, kind: EntryKind) -> Result<EntryBody, ModelError> {
    let mut report = ValidationReport::default();
    let Some(value) = read_json(json_text, "body", &mut report) else {
        return Err(ModelError::Invalid(report));
    };
    match read_body(kind, value, &mut report) {
        Some(body) => {
            body.validate(&mut report);
            report.into_result(body)
        }
        None => Err(ModelError::Invalid(report)),
    }
}

/// The JSON value of a member's text, or a problem on `field`: too large, or not JSON.
fn read_json(json_text: &str, field: &str, report: &mut ValidationReport) -> Option<Value> {
    if json_text.len() > MAX_ENTRY_JSON_BYTES {
        report.push(
            field,
            format!(
                "内容太大:{} 字节,最多 {MAX_ENTRY_JSON_BYTES} 字节",
                json_text.len()
            ),
            format!(
                "input too large: {} bytes, at most {MAX_ENTRY_JSON_BYTES}",
                json_text.len()
            ),
        );
        return None;
    }
    match serde_json::from_str(json_text) {
        Ok(value) => Some(value),
        Err(error) => {
            report.push(
                field,
                format!(
                    "不是有效的 JSON:第 {} 行第 {} 列有误",
                    error.line(),
                    error.column()
                ),
                format!("not valid JSON: {error}"),
            );
            None
        }
    }
}
