//! The routine part of a post's year: outreach in its linked villages (at least twice a month),
//! the Monday study day, the county-wide activities it hosts, and the small corrections and
//! deleted duplicates every real log has.

use super::life::{china_text, china_time, LaterChange, DAY_MS, HOUR_MS, MINUTE_MS};
use super::plan::PlannedActivity;
use super::post_year::PostYearBuilder;
use super::texts;
use chrono::{Datelike, Duration, Weekday};
use patrol_model::{ActivityType, DomainCode};
use serde_json::{json, Value};

/// Where the county's party days are held: 田蓬狮子山爱国主义教育基地.
const SHIZISHAN: (f64, f64) = (23.301, 105.281);
/// The county town, where county-wide meetings and trainings are held.
const COUNTY_TOWN: (f64, f64) = (23.625, 105.630);

impl PostYearBuilder<'_> {
    /// Where a linked village is: a few km from the post, the same every time.
    fn village_position(&self, index: usize) -> (f64, f64) {
        let step = index as f64 + 1.0;
        (
            self.post.lat + 0.012 * (step * 1.7).sin(),
            self.post.lon + 0.015 * (step * 2.3).cos(),
        )
    }

    /// One session per audience, at least two a month, in the linked villages in turn.
    pub(super) fn outreach(&mut self, audiences: &[u64]) {
        let mut months: Vec<u32> = (1..=12).flat_map(|month| [month, month]).collect();
        while months.len() < audiences.len() {
            months.push(self.rng.between(1, 12) as u32);
        }
        months.truncate(audiences.len());
        months.sort_unstable();
        let villages = self.post.villages.len().max(1);
        for (session, (month, audience)) in months.into_iter().zip(audiences).enumerate() {
            let day = self.day_in_month(month);
            let village_index = (session + self.rng.between(0, 1) as usize) % villages;
            let village = self
                .post
                .villages
                .get(village_index)
                .cloned()
                .unwrap_or_default();
            let (lat, lon) = self.village_position(village_index);
            let location = self.location(lat, lon);
            let start_ms = china_time(
                day,
                self.rng.between(9, 15) as u32,
                self.rng.between(0, 59) as u32,
            )
            .timestamp_millis();
            let end_ms = start_ms + self.rng.between(60, 180) as i64 * MINUTE_MS;
            let (topic, description) = texts::outreach_texts(&mut self.rng, &village);
            let device = if self.rng.chance(0.5) {
                0
            } else {
                self.phone()
            };
            let author = self.member();
            let draft = json!({"kind": "outreach", "occurred_at": china_text(start_ms),
                "ended_at": china_text(end_ms), "location": location, "author": author,
                "body": {"village": village, "topic": topic, "audience": audience,
                         "description": description}});
            let created_ms = end_ms + self.rng.between(10, 90) as i64 * MINUTE_MS;
            self.push_life(device, created_ms, draft, Vec::new());
        }
    }

    /// Every Monday is the study day ("每周一定为集中学习日"), but for a few weeks of duty or
    /// the Spring Festival.
    pub(super) fn study_days(&mut self) {
        let skipped = self.rng.between(2, 5);
        let mut mondays: Vec<chrono::NaiveDate> = (0..self.days_in_year())
            .map(|offset| self.first_day() + Duration::days(offset))
            .filter(|day| day.weekday() == Weekday::Mon)
            .collect();
        for _ in 0..skipped {
            let index = self.rng.between(0, mondays.len() as u64 - 1) as usize;
            mondays.remove(index);
        }
        let leader = self.post.members[0].clone();
        let members = self.post.members.len() as u64;
        for day in mondays {
            let start_ms = china_time(day, 8, 30).timestamp_millis();
            let end_ms = start_ms + self.rng.between(90, 150) as i64 * MINUTE_MS;
            let village = self.post.villages.first().cloned().unwrap_or_default();
            let place = self.post.place.clone();
            let (topic, description) =
                texts::activity_texts(&mut self.rng, ActivityType::StudyDay, &place, &village);
            let location = self.near_post(0.0005);
            let draft = activity_draft(
                ActivityType::StudyDay,
                start_ms,
                end_ms,
                location,
                &leader,
                self.rng.between(members.saturating_sub(4).max(2), members),
                &topic,
                &description,
            );
            let created_ms = end_ms + self.rng.between(5, 60) as i64 * MINUTE_MS;
            self.push_life(0, created_ms, draft, Vec::new());
        }
    }

    pub(super) fn hosted_activity(&mut self, planned: &PlannedActivity) {
        let mut day = self.day_in_month(planned.month);
        if day.weekday() == Weekday::Mon {
            day = (day + Duration::days(1)).min(self.last_day());
        }
        let hour = match planned.activity_type {
            ActivityType::CleanUp => 8,
            ActivityType::Drill => 14,
            _ => 9,
        };
        let start_ms = china_time(day, hour, 0).timestamp_millis();
        let end_ms = start_ms + self.rng.between(120, 240) as i64 * MINUTE_MS;
        let village_index = self.rng.between(0, self.post.villages.len() as u64 - 1) as usize;
        let village = self.post.villages[village_index].clone();
        let (lat, lon) = match planned.activity_type {
            ActivityType::PartyDay => SHIZISHAN,
            ActivityType::Training
            | ActivityType::JointMeeting
            | ActivityType::QuarterlyMeeting => COUNTY_TOWN,
            ActivityType::CleanUp => self.village_position(village_index),
            _ => (self.post.lat + 0.01, self.post.lon - 0.01),
        };
        let location = self.location(lat, lon);
        let place = self.post.place.clone();
        let (topic, description) =
            texts::activity_texts(&mut self.rng, planned.activity_type, &place, &village);
        let leader = self.post.members[0].clone();
        let draft = activity_draft(
            planned.activity_type,
            start_ms,
            end_ms,
            location,
            &leader,
            planned.attendees.into(),
            &topic,
            &description,
        );
        let created_ms = end_ms + self.rng.between(30, 180) as i64 * MINUTE_MS;
        self.push_life(0, created_ms, draft, Vec::new());
    }

    /// About 3 % of entries get a text corrected a day or so later; about 1 % of outreach
    /// sessions are recorded twice by mistake and the copy deleted.
    pub(super) fn corrections_and_duplicates(&mut self) {
        let count = self.lives.len();
        for index in 0..count {
            let kind = self.lives[index].draft["kind"]
                .as_str()
                .unwrap_or("")
                .to_string();
            if self.rng.chance(0.03) {
                let (path, old) = match kind.as_str() {
                    "patrol" => ("body.findings", final_text(&self.lives[index], "findings")),
                    "hazard" | "repair" | "incident" | "outreach" | "activity" => (
                        "body.description",
                        final_text(&self.lives[index], "description"),
                    ),
                    _ => continue,
                };
                let note = self.rng.pick(&[
                    "(补记:已拍照上报)",
                    "(更正:时间地点已核实)",
                    "(补记:已通报村委会)",
                ]);
                let last_ms = self.lives[index]
                    .later
                    .iter()
                    .map(|change| change.made_ms)
                    .max()
                    .unwrap_or(self.lives[index].created_ms);
                let made_ms = last_ms + self.rng.between(2, 48) as i64 * HOUR_MS;
                self.lives[index].later.push(LaterChange {
                    made_ms,
                    change: "edit",
                    set: vec![(path, json!(format!("{old}{note}")))],
                });
                self.lives[index].later.sort_by_key(|change| change.made_ms);
            }
            if kind == "outreach" && self.rng.chance(0.01) {
                let original = self.lives[index].clone();
                let created_ms = original.created_ms + self.rng.between(1, 3) as i64 * MINUTE_MS;
                let deleted_ms = created_ms + self.rng.between(5, 24 * 60) as i64 * MINUTE_MS;
                let delete = LaterChange {
                    made_ms: deleted_ms.min(created_ms + DAY_MS),
                    change: "delete",
                    set: Vec::new(),
                };
                self.push_life(original.device, created_ms, original.draft, vec![delete]);
            }
        }
    }
}

/// The text of `body.<field>` after the entry's changes so far.
fn final_text(life: &super::life::EntryLife, field: &str) -> String {
    let path = format!("body.{field}");
    life.later
        .iter()
        .rev()
        .flat_map(|change| change.set.iter())
        .find(|(set_path, _)| *set_path == path)
        .map(|(_, value)| value.clone())
        .unwrap_or_else(|| life.draft["body"][field].clone())
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[allow(clippy::too_many_arguments)]
fn activity_draft(
    activity: ActivityType,
    start_ms: i64,
    end_ms: i64,
    location: Value,
    author: &str,
    attendees: u64,
    topic: &str,
    description: &str,
) -> Value {
    json!({"kind": "activity", "occurred_at": china_text(start_ms), "ended_at": china_text(end_ms),
        "location": location, "author": author,
        "body": {"activity_type": activity.code(), "attendees": attendees, "topic": topic,
                 "description": description}})
}
