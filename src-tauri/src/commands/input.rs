//! Reading the UI's arguments. Structured arguments arrive as JSON values and are read here, so
//! a bad one comes back as an `invalid` [`AppError`] naming its field, not as Tauri's bare
//! deserialisation text.

use patrol_device::DeviceError;
use patrol_model::body::DomainCode;
use patrol_model::{
    parse_entry_body, parse_entry_draft, CoordinateDatum, EntryBody, EntryDraft, EntryId,
    EntryKind, Location, PatrolBody, PhotoAttachment,
};
use serde_json::Value;

use crate::AppError;

/// An entry id the UI passed (`id`, `patrolId`, ...).
pub fn entry_id(text: &str, field: &str) -> Result<EntryId, AppError> {
    text.parse().map_err(|_| {
        AppError::from(DeviceError::invalid_field(
            field,
            format!("条目编号“{text}”无效"),
            format!("{text:?} is not an entry id"),
        ))
    })
}

/// A member's draft, read and checked exactly as `patrol record --json` reads it: every problem
/// with its field path.
pub fn entry_draft(draft: &Value, kind: Option<EntryKind>) -> Result<EntryDraft, AppError> {
    parse_entry_draft(&draft.to_string(), kind).map_err(|error| DeviceError::from(error).into())
}

/// A patrol's body (`{members, partners, markers, findings, ...}`).
pub fn patrol_body(body: &Value) -> Result<PatrolBody, AppError> {
    match parse_entry_body(&body.to_string(), EntryKind::Patrol).map_err(DeviceError::from)? {
        EntryBody::Patrol(body) => Ok(body),
        _ => Err(DeviceError::Damaged("a patrol body parsed as another kind".into()).into()),
    }
}

/// A WGS-84 position `{lat, lon, accuracy_m?, altitude_m?}`; its range is checked by the store.
pub fn location(value: &Value, field: &str) -> Result<Location, AppError> {
    serde_json::from_value(value.clone()).map_err(|error| {
        AppError::from(DeviceError::invalid_field(
            field,
            "位置应为 {lat, lon}（纬度、经度，可带 accuracy_m、altitude_m）",
            format!("expected {{lat, lon, accuracy_m?, altitude_m?}}: {error}"),
        ))
    })
}

/// A latitude (`field` names it): a finite number from -90 to 90, as the store checks a location.
pub fn latitude(value: &Value, field: &str) -> Result<f64, AppError> {
    degrees(value, -90.0..=90.0).ok_or_else(|| {
        AppError::from(DeviceError::invalid_field(
            field,
            "纬度应为 -90 到 90 之间的数字",
            format!("latitude must be a number between -90 and 90, not {value}"),
        ))
    })
}

/// A longitude (`field` names it): a finite number from -180 to 180.
pub fn longitude(value: &Value, field: &str) -> Result<f64, AppError> {
    degrees(value, -180.0..=180.0).ok_or_else(|| {
        AppError::from(DeviceError::invalid_field(
            field,
            "经度应为 -180 到 180 之间的数字",
            format!("longitude must be a number between -180 and 180, not {value}"),
        ))
    })
}

/// A number of degrees in `range`; the UI's fields hold text, so a numeric string is taken too.
fn degrees(value: &Value, range: std::ops::RangeInclusive<f64>) -> Option<f64> {
    let number = match value {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (number.is_finite() && range.contains(&number)).then_some(number)
}

/// A coordinate datum code (`wgs84`, `gcj02`, `bd09`).
pub fn coordinate_datum(value: &Value, field: &str) -> Result<CoordinateDatum, AppError> {
    serde_json::from_value(value.clone()).map_err(|_| {
        AppError::from(DeviceError::invalid_field(
            field,
            format!("坐标来源应为 {}", CoordinateDatum::choices_zh()),
            format!(
                "coordinate datum must be one of {}, not {value}",
                CoordinateDatum::choices_en()
            ),
        ))
    })
}

/// The photos attached to an entry, `[{sha256, role}]`; each bad one is named.
pub fn photo_attachments(photos: &[Value]) -> Result<Vec<PhotoAttachment>, AppError> {
    let mut report = patrol_model::ValidationReport::default();
    let mut attachments = Vec::with_capacity(photos.len());
    for (index, photo) in photos.iter().enumerate() {
        match serde_json::from_value::<PhotoAttachment>(photo.clone()) {
            Ok(attachment) => attachments.push(attachment),
            Err(error) => report.push(
                format!("photos[{index}]"),
                "照片应为 {sha256, role}，role 为 general、before 或 after",
                format!("expected {{sha256, role}}: {error}"),
            ),
        }
    }
    if report.is_empty() {
        Ok(attachments)
    } else {
        Err(DeviceError::Invalid(report).into())
    }
}
