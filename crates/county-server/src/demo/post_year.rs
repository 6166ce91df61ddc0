//! One post's year, entry by entry: its patrols (regular and joint, each with a GPS track), the
//! hazards found on them and the repairs that fix them, incidents met on patrol; the routine
//! of outreach, study days and hosted activities is in [`super::routine`].

use super::county::DemoPost;
use super::life::{china_text, china_time, uuid_v7_at, EntryLife, LaterChange, HOUR_MS, MINUTE_MS};
use super::plan::{PlannedHazard, PlannedRepair, PostYearShare};
use super::random::DemoRng;
use super::texts;
use super::track::{patrol_track, PatrolTrack};
use chrono::{Datelike, Duration, NaiveDate};
use patrol_model::{DomainCode, EntryId, HazardCategory, HazardSeverity, PartnerUnit};
use serde_json::{json, Value};

/// Builds the entries of one post in one year.
pub struct PostYearBuilder<'a> {
    pub(super) rng: DemoRng,
    pub(super) post: &'a DemoPost,
    pub(super) year: i32,
    pub(super) lives: Vec<EntryLife>,
    patrols: Vec<PatrolSlot>,
}

/// A patrol while its year is being built: hazards and incidents attach to it before it is
/// written as an entry.
struct PatrolSlot {
    day: NaiveDate,
    start_ms: i64,
    end_ms: i64,
    device: usize,
    author: String,
    members: Vec<String>,
    partners: Vec<Value>,
    /// The border markers passed, in order.
    markers: std::ops::Range<u32>,
    track: PatrolTrack,
    /// What was reported on the way, for the findings.
    reported: Vec<String>,
}

/// Every entry the post records in `year`, with later changes, in no particular order.
pub fn post_year(
    post: &DemoPost,
    post_index: usize,
    year: i32,
    share: &PostYearShare,
    seed: u64,
) -> Vec<EntryLife> {
    let mut builder = PostYearBuilder {
        rng: DemoRng::stream(&[seed, 0x9057_7ea2, year as u64, post_index as u64]),
        post,
        year,
        lives: Vec::new(),
        patrols: Vec::new(),
    };
    builder.schedule_patrols(share.joint_patrols);
    for hazard in &share.hazards {
        builder.hazard_on_patrol(hazard);
    }
    for repair in &share.loose_repairs {
        builder.loose_repair(repair);
    }
    for (crime, persons) in &share.incidents {
        builder.incident_on_patrol(*crime, *persons);
    }
    builder.write_patrols();
    builder.outreach(&share.outreach_audiences);
    builder.study_days();
    for activity in &share.hosted_activities {
        builder.hosted_activity(activity);
    }
    builder.corrections_and_duplicates();
    builder.lives
}

impl PostYearBuilder<'_> {
    pub(super) fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or_default()
    }

    pub(super) fn last_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or_default()
    }

    pub(super) fn days_in_year(&self) -> i64 {
        (self.last_day() - self.first_day()).num_days() + 1
    }

    pub(super) fn random_day(&mut self) -> NaiveDate {
        let offset = self.rng.between(0, self.days_in_year() as u64 - 1);
        self.first_day() + Duration::days(offset as i64)
    }

    /// A random day of `month` (1–12) of the year.
    pub(super) fn day_in_month(&mut self, month: u32) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or_default();
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, month + 1, 1)
        }
        .unwrap_or_default();
        let days = (next - first).num_days().max(1) as u64;
        first + Duration::days(self.rng.between(0, days - 1) as i64)
    }

    /// A member's phone (the post's PC stays at the post).
    pub(super) fn phone(&mut self) -> usize {
        self.rng.between(1, self.post.devices.len() as u64 - 1) as usize
    }

    pub(super) fn member(&mut self) -> String {
        self.rng.pick(&self.post.members).clone()
    }

    pub(super) fn new_id(&mut self, ms: i64) -> EntryId {
        let random = self.rng.uuid_bytes();
        EntryId(uuid_v7_at(ms, random))
    }

    /// A position near the post, within `spread` degrees, with a phone's accuracy.
    pub(super) fn near_post(&mut self, spread: f64) -> Value {
        let lat = self.post.lat + self.rng.range(-spread, spread);
        let lon = self.post.lon + self.rng.range(-spread, spread);
        self.location(lat, lon)
    }

    pub(super) fn location(&mut self, lat: f64, lon: f64) -> Value {
        let round = |value: f64| (value * 1e6).round() / 1e6;
        json!({"lat": round(lat), "lon": round(lon),
               "accuracy_m": (self.rng.range(4.0, 25.0) * 10.0).round() / 10.0})
    }

    pub(super) fn push_life(
        &mut self,
        device: usize,
        created_ms: i64,
        draft: Value,
        later: Vec<LaterChange>,
    ) -> EntryId {
        let id = self.new_id(created_ms);
        self.lives.push(EntryLife {
            id,
            device,
            created_ms,
            draft,
            later,
        });
        id
    }

    fn schedule_patrols(&mut self, joint: u64) {
        let days = self.days_in_year();
        let mut week_start = 0;
        while week_start < days {
            let regular = self.rng.between(1, 3);
            let mut offsets: Vec<i64> = (0..7).filter(|day| week_start + day < days).collect();
            self.rng.shuffle(&mut offsets);
            for offset in offsets.into_iter().take(regular as usize) {
                let day = self.first_day() + Duration::days(week_start + offset);
                self.schedule_patrol(day, false);
            }
            week_start += 7;
        }
        for _ in 0..joint {
            let day = self.random_day();
            self.schedule_patrol(day, true);
        }
        self.patrols.sort_by_key(|slot| slot.start_ms);
    }

    fn schedule_patrol(&mut self, day: NaiveDate, joint: bool) {
        let night = self.rng.chance(0.2);
        let hour = if night {
            self.rng.between(20, 22)
        } else {
            self.rng.between(7, 14)
        } as u32;
        let start_ms = china_time(day, hour, self.rng.between(0, 59) as u32).timestamp_millis();
        let duration_ms = if joint {
            self.rng.between(3 * 60, 5 * 60)
        } else {
            self.rng.between(2 * 60, 4 * 60)
        } as i64
            * MINUTE_MS;
        let by_motorbike = !night && self.rng.chance(0.15);
        let device = self.phone();
        let author = self.member();
        let mut members = vec![author.clone()];
        for _ in 0..self.rng.between(1, 3) {
            let other = self.member();
            if !members.contains(&other) {
                members.push(other);
            }
        }
        let partners = if joint { self.partners() } else { Vec::new() };
        let first = self.post.first_marker + self.rng.between(0, 8) as u32;
        let markers = first..first + self.rng.between(2, 4) as u32;
        let lat = self.post.lat + self.rng.range(-0.002, 0.002);
        let lon = self.post.lon + self.rng.range(-0.002, 0.002);
        let track = patrol_track(&mut self.rng, lat, lon, start_ms, duration_ms, by_motorbike);
        self.patrols.push(PatrolSlot {
            day,
            start_ms,
            end_ms: start_ms + duration_ms,
            device,
            author,
            members,
            partners,
            markers,
            track,
            reported: Vec::new(),
        });
    }

    /// Partner units of a joint patrol with their head-counts (at least one unit).
    fn partners(&mut self) -> Vec<Value> {
        let mut partners = Vec::new();
        for (unit, chance, low, high) in [
            (PartnerUnit::Army, 0.7, 3, 10),
            (PartnerUnit::Police, 0.6, 1, 3),
            (PartnerUnit::VillageCommittee, 0.5, 2, 6),
        ] {
            if self.rng.chance(chance) {
                partners.push(json!({"unit": unit.code(), "count": self.rng.between(low, high)}));
            }
        }
        if partners.is_empty() {
            partners
                .push(json!({"unit": PartnerUnit::Army.code(), "count": self.rng.between(3, 8)}));
        }
        partners
    }

    /// A patrol to hang something found on the way on: one in `months` when there is one,
    /// starting no later than `latest` (so a repair still fits in the year).
    fn pick_patrol(&mut self, months: &[u32], latest: NaiveDate) -> Option<usize> {
        let fitting: Vec<usize> = (0..self.patrols.len())
            .filter(|index| self.patrols[*index].day <= latest)
            .collect();
        let in_season: Vec<usize> = fitting
            .iter()
            .copied()
            .filter(|index| months.contains(&self.patrols[*index].day.month()))
            .collect();
        let pool = if !in_season.is_empty() && self.rng.chance(0.8) {
            in_season
        } else if !fitting.is_empty() {
            fitting
        } else {
            (0..self.patrols.len()).collect()
        };
        (!pool.is_empty()).then(|| *self.rng.pick(&pool))
    }

    fn hazard_on_patrol(&mut self, planned: &PlannedHazard) {
        let rainy: &[u32] = match planned.category {
            HazardCategory::Road
            | HazardCategory::Landslide
            | HazardCategory::Water
            | HazardCategory::Power => &[5, 6, 7, 8, 9, 10],
            _ => &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        };
        let latest = if planned.fixed_by.is_some() {
            NaiveDate::from_ymd_opt(self.year, 12, 1).unwrap_or_default()
        } else {
            self.last_day()
        };
        let Some(index) = self.pick_patrol(rainy, latest) else {
            return;
        };
        let fraction = self.rng.range(0.15, 0.5);
        let point = self.patrols[index].track.point_at(fraction);
        let (device, author, day) = {
            let slot = &self.patrols[index];
            (slot.device, slot.author.clone(), slot.day)
        };
        let severity = match planned.category {
            HazardCategory::Crossing => *self
                .rng
                .pick(&[HazardSeverity::High, HazardSeverity::Critical]),
            HazardCategory::Other => *self
                .rng
                .pick(&[HazardSeverity::Low, HazardSeverity::Medium]),
            _ => *self.rng.pick(&[
                HazardSeverity::Medium,
                HazardSeverity::High,
                HazardSeverity::High,
                HazardSeverity::Critical,
            ]),
        };
        let marker = self.post.first_marker + self.rng.between(0, 11) as u32;
        let description = texts::hazard_description(&mut self.rng, planned.category, marker);
        self.patrols[index]
            .reported
            .push(format!("{}({})", planned.category.label_zh(), marker));
        let occurred_ms = point.recorded_at_ms;
        let created_ms = occurred_ms + self.rng.between(2, 10) as i64 * MINUTE_MS;
        let location = self.location(point.lat, point.lon);
        let draft = json!({"kind": "hazard", "occurred_at": china_text(occurred_ms),
            "location": location, "author": author,
            "body": {"category": planned.category.code(), "severity": severity.code(),
                     "description": description},
            "status": "open"});
        let hazard_index = self.lives.len();
        let hazard_id = self.push_life(device, created_ms, draft, Vec::new());
        if let Some(repair) = &planned.fixed_by {
            let delay = match planned.category {
                HazardCategory::Landslide | HazardCategory::Power => self.rng.between(1, 7),
                _ => self.rng.between(2, 25),
            };
            let repair_day = (day + Duration::days(delay as i64)).min(self.last_day());
            let fixed_ms = self.repair(repair, repair_day, device, Some((hazard_id, location)));
            self.lives[hazard_index].later.push(LaterChange {
                made_ms: fixed_ms + 1_000,
                change: "status",
                set: vec![("status", json!("fixed"))],
            });
        }
    }

    /// Records a repair on `day`; returns when the device recorded it.
    fn repair(
        &mut self,
        repair: &PlannedRepair,
        day: NaiveDate,
        device: usize,
        closes: Option<(EntryId, Value)>,
    ) -> i64 {
        let start_ms = china_time(
            day,
            self.rng.between(8, 13) as u32,
            self.rng.between(0, 59) as u32,
        )
        .timestamp_millis();
        let end_ms = start_ms + self.rng.between(2, 6) as i64 * HOUR_MS;
        let created_ms = end_ms + self.rng.between(5, 30) as i64 * MINUTE_MS;
        let author = self.member();
        let description =
            texts::repair_description(&mut self.rng, repair.category, repair.quantity);
        let (closes_hazard, location) = match closes {
            Some((hazard, location)) => (Some(hazard), location),
            None => (None, self.near_post(0.05)),
        };
        let mut body = json!({"category": repair.category.code(), "quantity": repair.quantity,
            "unit": repair.unit.code(), "description": description});
        if let Some(hazard) = closes_hazard {
            body["closes_hazard"] = json!(hazard);
        }
        let draft = json!({"kind": "repair", "occurred_at": china_text(start_ms),
            "ended_at": china_text(end_ms), "location": location, "author": author,
            "body": body});
        self.push_life(device, created_ms, draft, Vec::new());
        created_ms
    }

    fn loose_repair(&mut self, repair: &PlannedRepair) {
        let rainy = matches!(
            repair.category,
            patrol_model::RepairCategory::Road | patrol_model::RepairCategory::Landslide
        );
        let day = if rainy {
            let month = self.rng.between(5, 10) as u32;
            self.day_in_month(month)
        } else {
            self.random_day()
        };
        let device = self.phone();
        self.repair(repair, day, device, None);
    }

    fn incident_on_patrol(&mut self, crime: patrol_model::CrimeType, persons: u32) {
        let latest = self.last_day();
        let Some(index) = self.pick_patrol(&[], latest) else {
            return;
        };
        let fraction = self.rng.range(0.3, 0.7);
        let point = self.patrols[index].track.point_at(fraction);
        let (device, author, end_ms) = {
            let slot = &self.patrols[index];
            (slot.device, slot.author.clone(), slot.end_ms)
        };
        let marker = self.post.first_marker + self.rng.between(0, 11) as u32;
        let place = self.post.place.clone();
        let (handed_to, description) =
            texts::incident_texts(&mut self.rng, crime, persons, &place, marker);
        self.patrols[index]
            .reported
            .push(format!("查获{persons}人"));
        let location = self.location(point.lat, point.lon);
        let draft = json!({"kind": "incident", "occurred_at": china_text(point.recorded_at_ms),
            "location": location, "author": author,
            "body": {"crime_type": crime.code(), "persons": persons, "handed_to": handed_to,
                     "description": description}});
        let created_ms = end_ms + self.rng.between(20, 60) as i64 * MINUTE_MS;
        self.push_life(device, created_ms, draft, Vec::new());
    }

    /// Each patrol as the device writes it: created when it starts (running, with members and
    /// partners), then ended with its track, distance, markers and findings.
    fn write_patrols(&mut self) {
        let patrols = std::mem::take(&mut self.patrols);
        for slot in patrols {
            let start = slot.track.points[0];
            let location = self.location(start.lat, start.lon);
            let reported = (!slot.reported.is_empty()).then(|| slot.reported.join("、"));
            let findings = texts::patrol_findings(
                &mut self.rng,
                slot.markers.start,
                slot.markers.end - 1,
                reported.as_deref(),
            );
            let markers: Vec<String> = slot.markers.map(|marker| marker.to_string()).collect();
            let draft = json!({"kind": "patrol", "occurred_at": china_text(slot.start_ms),
                "location": location, "author": slot.author,
                "body": {"joint": !slot.partners.is_empty(), "members": slot.members,
                         "partners": slot.partners, "markers": [], "findings": ""},
                "status": "running"});
            let ended = LaterChange {
                made_ms: slot.end_ms + 30_000,
                change: "edit",
                set: vec![
                    ("ended_at", json!(china_text(slot.end_ms))),
                    ("body.markers", json!(markers)),
                    ("body.findings", json!(findings)),
                    ("body.distance_km", json!(slot.track.distance_km)),
                    ("body.track", json!(slot.track.packed_base64)),
                    ("status", json!("ended")),
                ],
            };
            self.push_life(slot.device, slot.start_ms + 20_000, draft, vec![ended]);
        }
    }
}
