//! Weeks of one post's field work as a phone records them: patrols with their real-length GPS
//! tracks (2–4 h at one point every 5 s, packed as the app packs them), hazards and repairs, and
//! camera-size photos (12 MP JPEGs of a made-up mountain scene, imported as the app imports a
//! camera file). Deterministic for a seed. Used by the 2G link test (`tests/`) and the
//! "month at a post over 2G" benchmark.

use crate::log::{LogGenerator, Rng};
use image::{ImageEncoder, Rgb, RgbImage};
use patrol_device::{DeviceError, DeviceStore};
use patrol_model::{
    parse_entry_draft, EntryBody, EntryDraft, PackedTrack, PhotoAttachment, PhotoHash, PhotoRole,
    TrackPoint,
};
use std::collections::BTreeSet;
use std::path::Path;

/// How much a post records.
#[derive(Debug, Clone, Copy)]
pub struct FieldLogPlan {
    pub patrols: usize,
    pub hazards: usize,
    pub repairs: usize,
    /// Camera photos, attached to hazards (before) and repairs (after) in turn.
    pub photos: usize,
    /// The camera's size in pixels (a 12 MP phone: 4000 × 3000).
    pub photo_size: (u32, u32),
    pub seed: u64,
}

impl FieldLogPlan {
    /// A month at a post: 300 entries, 100 of them patrols with tracks, and 50 photos.
    pub const MONTH: FieldLogPlan = FieldLogPlan {
        patrols: 100,
        hazards: 120,
        repairs: 80,
        photos: 50,
        photo_size: (4000, 3000),
        seed: 0x2024_0601,
    };

    /// A couple of weeks at a quieter post, with two photos: the system test's log.
    pub const TWO_WEEKS: FieldLogPlan = FieldLogPlan {
        patrols: 14,
        hazards: 20,
        repairs: 10,
        photos: 2,
        photo_size: (4000, 3000),
        seed: 0x2024_0614,
    };

    pub fn entries(&self) -> usize {
        self.patrols + self.hazards + self.repairs
    }
}

/// What was recorded: every entry id, and the photos as the store keeps them.
#[derive(Debug, Clone, Default)]
pub struct RecordedLog {
    pub entry_ids: BTreeSet<String>,
    pub photos: Vec<PhotoHash>,
}

/// Records `plan` into `store`; camera files are written to `camera_dir` and imported.
pub fn record_field_log(
    store: &mut DeviceStore,
    plan: &FieldLogPlan,
    camera_dir: &Path,
) -> Result<RecordedLog, DeviceError> {
    let mut generator = LogGenerator::new(plan.seed);
    let mut rng = Rng::new(plan.seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut drafts = Vec::with_capacity(plan.entries());
    for _ in 0..plan.patrols {
        drafts.push(with_track(
            draft_of_kind(&mut generator, "patrol"),
            &mut rng,
        ));
    }
    let hazards: Vec<EntryDraft> = (0..plan.hazards)
        .map(|_| draft_of_kind(&mut generator, "hazard"))
        .collect();
    let repairs: Vec<EntryDraft> = (0..plan.repairs)
        .map(|_| draft_of_kind(&mut generator, "repair"))
        .collect();
    let mut recorded = RecordedLog::default();
    // Photographed entries first, each with its photo, the rest in one transaction.
    let mut photographed = hazards.iter().chain(&repairs).cloned().collect::<Vec<_>>();
    let rest = photographed.split_off(plan.photos.min(photographed.len()));
    for (index, draft) in photographed.into_iter().enumerate() {
        let path = camera_dir.join(format!("IMG_{index:04}.jpg"));
        std::fs::write(
            &path,
            camera_photo(plan.photo_size, plan.seed + index as u64),
        )
        .map_err(|source| DeviceError::Io {
            path: path.clone(),
            source,
        })?;
        let photo = store.import_photo(&path)?;
        let role = match draft.body {
            EntryBody::Repair(_) => PhotoRole::After,
            _ => PhotoRole::Before,
        };
        let entry = store.record_entry(
            draft,
            vec![PhotoAttachment {
                sha256: photo.sha256.clone(),
                role,
            }],
        )?;
        recorded.entry_ids.insert(entry.id.to_string());
        recorded.photos.push(photo.sha256);
    }
    drafts.extend(rest);
    for entry in store.record_entries(drafts)? {
        recorded.entry_ids.insert(entry.id.to_string());
    }
    Ok(recorded)
}

fn draft_of_kind(generator: &mut LogGenerator, kind: &str) -> EntryDraft {
    loop {
        let json = generator.json();
        if json["kind"] == kind {
            return parse_entry_draft(&json.to_string(), None).expect("generated drafts are valid");
        }
    }
}

/// The patrol with a track of 2–4 h at one fix every 5 s, walked from its start position.
fn with_track(mut draft: EntryDraft, rng: &mut Rng) -> EntryDraft {
    let hours = 2.0 + 2.0 * rng.unit();
    let start_ms = draft.occurred_at.utc_millis();
    let (lat, lon) = draft
        .location
        .as_ref()
        .map_or((23.6, 105.6), |location| (location.lat, location.lon));
    let points = walk(rng, start_ms, hours, lat, lon);
    if let EntryBody::Patrol(body) = &mut draft.body {
        let metres = patrol_model::track_distance_m(&points);
        body.distance_km = Some((metres / 10.0).round() / 100.0);
        body.track = Some(PackedTrack::pack(&points).to_base64());
    }
    draft
}

/// A walk at about 1.2 m/s with GPS noise, accuracy and altitude, one fix every 5 s.
fn walk(rng: &mut Rng, start_ms: i64, hours: f64, lat: f64, lon: f64) -> Vec<TrackPoint> {
    let count = (hours * 3600.0 / 5.0) as usize;
    let (mut lat, mut lon, mut altitude) = (lat, lon, 900.0 + 600.0 * rng.unit());
    let mut heading = rng.unit() * std::f64::consts::TAU;
    (0..count)
        .map(|index| {
            heading += (rng.unit() - 0.5) * 0.6;
            let step_m = 6.0 * (0.6 + 0.8 * rng.unit());
            lat += step_m * heading.cos() / 111_320.0;
            lon += step_m * heading.sin() / (111_320.0 * lat.to_radians().cos());
            altitude += (rng.unit() - 0.5) * 3.0;
            TrackPoint {
                recorded_at_ms: start_ms + index as i64 * 5_000,
                lat: lat + (rng.unit() - 0.5) * 0.00004,
                lon: lon + (rng.unit() - 0.5) * 0.00004,
                accuracy_m: Some((4.0 + 12.0 * rng.unit()).round()),
                altitude_m: Some(altitude.round()),
            }
        })
        .collect()
}

/// A camera JPEG (quality 92, as phones write) of a made-up scene: sky, ridges, vegetation
/// texture and sensor noise, so it compresses like a photo (about 2–3 MB at 12 MP).
pub fn camera_photo((width, height): (u32, u32), seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
    let ridges: Vec<(f64, f64, f64)> = (0..4)
        .map(|layer| {
            (
                0.35 + 0.12 * layer as f64 + 0.05 * rng.unit(),
                2.0 + 6.0 * rng.unit(),
                rng.unit() * 6.0,
            )
        })
        .collect();
    let mut noise = Rng::new(seed | 1);
    let image = RgbImage::from_fn(width, height, |x, y| {
        let (u, v) = (x as f64 / width as f64, y as f64 / height as f64);
        let mut colour = [120.0 + 80.0 * v, 160.0 + 60.0 * v, 230.0 - 20.0 * v];
        for (layer, (base, frequency, phase)) in ridges.iter().enumerate() {
            let ridge = base + 0.06 * (u * frequency * 6.0 + phase).sin();
            if v > ridge {
                let shade = 1.0 - 0.18 * layer as f64;
                let texture = 25.0 * ((x as f64 * 0.21).sin() * (y as f64 * 0.17).cos());
                colour = [
                    (50.0 + texture) * shade,
                    (95.0 + texture) * shade,
                    (45.0 + texture * 0.5) * shade,
                ];
            }
        }
        let grain = (noise.next_u64() % 17) as f64 - 8.0;
        Rgb(colour.map(|channel| (channel + grain).clamp(0.0, 255.0) as u8))
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("an in-memory JPEG encodes");
    jpeg
}
