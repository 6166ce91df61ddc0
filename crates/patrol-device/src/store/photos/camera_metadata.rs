//! What the camera wrote into a photo's EXIF that the store keeps: when it was taken and where.
//! Read with kamadak-exif from the raw EXIF block the image decoder found. A camera that wrote
//! nothing, or something unreadable or impossible (a latitude of 200°), leaves the field empty:
//! the photo itself is still imported.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use exif::{Exif, In, Rational, Tag, Value};
use patrol_model::Location;

/// The capture time and position the camera recorded, where it did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CameraMetadata {
    pub captured_at: Option<CaptureTime>,
    /// From the EXIF GPS block: WGS-84 latitude and longitude, altitude, horizontal error.
    pub position: Option<Location>,
}

/// When a photo was taken, by the camera's clock. Most cameras write only the wall-clock time;
/// newer ones add the UTC offset (`OffsetTimeOriginal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureTime {
    /// The camera's local time, offset unknown.
    Local(NaiveDateTime),
    /// The camera's local time with its offset.
    WithOffset(DateTime<FixedOffset>),
}

impl CaptureTime {
    /// As stored: `2024-03-02T09:00:00` or `2024-03-02T09:00:00+08:00`.
    pub fn to_text(&self) -> String {
        match self {
            CaptureTime::Local(time) => time.format("%Y-%m-%dT%H:%M:%S").to_string(),
            CaptureTime::WithOffset(time) => time.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        }
    }

    /// Reads [`CaptureTime::to_text`] back.
    pub fn parse(text: &str) -> Option<CaptureTime> {
        DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%:z")
            .map(CaptureTime::WithOffset)
            .or_else(|_| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").map(CaptureTime::Local)
            })
            .ok()
    }
}

/// Reads the capture time and position from a raw EXIF block (TIFF bytes).
pub(super) fn read(raw_exif: &[u8]) -> CameraMetadata {
    let Ok(exif) = exif::Reader::new().read_raw(raw_exif.to_vec()) else {
        return CameraMetadata::default();
    };
    CameraMetadata {
        captured_at: capture_time(&exif),
        position: position(&exif),
    }
}

fn capture_time(exif: &Exif) -> Option<CaptureTime> {
    [
        (Tag::DateTimeOriginal, Tag::OffsetTimeOriginal),
        (Tag::DateTimeDigitized, Tag::OffsetTimeDigitized),
    ]
    .into_iter()
    .find_map(|(time_tag, offset_tag)| {
        let mut time = exif::DateTime::from_ascii(ascii(exif, time_tag)?).ok()?;
        let local = NaiveDate::from_ymd_opt(time.year.into(), time.month.into(), time.day.into())?
            .and_hms_opt(time.hour.into(), time.minute.into(), time.second.into())?;
        let offset_read =
            ascii(exif, offset_tag).is_some_and(|text| time.parse_offset(text).is_ok());
        let offset = time
            .offset
            .filter(|_| offset_read)
            .and_then(|minutes| FixedOffset::east_opt(i32::from(minutes) * 60));
        Some(match offset {
            Some(offset) => CaptureTime::WithOffset(local.and_local_timezone(offset).single()?),
            None => CaptureTime::Local(local),
        })
    })
}

fn position(exif: &Exif) -> Option<Location> {
    let lat = degrees(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')?;
    let lon = degrees(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return None;
    }
    let below_sea = matches!(
        exif.get_field(Tag::GPSAltitudeRef, In::PRIMARY).map(|field| &field.value),
        Some(Value::Byte(bytes)) if bytes.first() == Some(&1)
    );
    let altitude_m = rationals(exif, Tag::GPSAltitude)
        .and_then(|values| values.first().map(Rational::to_f64))
        .filter(|value| value.is_finite())
        .map(|value| if below_sea { -value } else { value });
    let accuracy_m = rationals(exif, Tag::GPSHPositioningError)
        .and_then(|values| values.first().map(Rational::to_f64))
        .filter(|value| value.is_finite() && *value >= 0.0);
    Some(Location {
        lat,
        lon,
        accuracy_m,
        altitude_m,
    })
}

/// Degrees, minutes and seconds as a signed decimal, negative when the reference is `negative`.
fn degrees(exif: &Exif, value_tag: Tag, reference_tag: Tag, negative: u8) -> Option<f64> {
    let parts = rationals(exif, value_tag)?;
    let [degrees, minutes, seconds] = parts.get(..3)? else {
        return None;
    };
    let value = degrees.to_f64() + minutes.to_f64() / 60.0 + seconds.to_f64() / 3600.0;
    if !value.is_finite() {
        return None;
    }
    let reference = ascii(exif, reference_tag)?.first().copied()?;
    Some(if reference.eq_ignore_ascii_case(&negative) {
        -value
    } else {
        value
    })
}

fn rationals(exif: &Exif, tag: Tag) -> Option<&[Rational]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(values) => Some(values),
        _ => None,
    }
}

fn ascii(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(values) => values.first().map(Vec::as_slice),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_times_read_back_as_written() {
        for text in ["2024-03-02T09:00:00", "2024-03-02T09:00:00+08:00"] {
            assert_eq!(CaptureTime::parse(text).unwrap().to_text(), text);
        }
        assert!(CaptureTime::parse("yesterday").is_none());
    }

    #[test]
    fn an_unreadable_exif_block_gives_no_metadata() {
        assert_eq!(read(b"not a tiff"), CameraMetadata::default());
    }
}
