//! A county's demo years put together: each post's entries for every year, handed to the
//! devices that recorded them, as device outboxes ready to sync. Deterministic for a seed.

use super::county::{DemoPost, MEMBERS_PER_POST};
use super::device_log::DeviceLog;
use super::figures::YearFigures;
use super::life::uuid_v7_at;
use super::plan::{share_year, PostYearShare};
use super::post_year::post_year;
use super::random::DemoRng;
use chrono::NaiveDate;
use patrol_model::DeviceId;
use std::collections::BTreeMap;

/// The county's years, shared out among its posts (computed once, cheap).
pub struct CountyYears {
    pub years: Vec<i32>,
    /// `shares[year index][post index]`.
    shares: Vec<Vec<PostYearShare>>,
    seed: u64,
}

impl CountyYears {
    pub fn new(years: &[i32], posts: usize, seed: u64) -> CountyYears {
        let members = (posts * MEMBERS_PER_POST) as u32;
        let shares = years
            .iter()
            .map(|year| {
                share_year(
                    &YearFigures::for_year(*year, posts),
                    posts,
                    members,
                    seed,
                    *year,
                )
            })
            .collect();
        CountyYears {
            years: years.to_vec(),
            shares,
            seed,
        }
    }

    /// The device ids of post `post_index`, one per device label, the same for one seed.
    pub fn device_ids(&self, post: &DemoPost, post_index: usize) -> Vec<DeviceId> {
        let mut rng = DemoRng::stream(&[self.seed, 0xde71ce, post_index as u64]);
        let first_year = self.years.iter().min().copied().unwrap_or(2024);
        // Enrolled in the December before the first year.
        let enrolled_ms = NaiveDate::from_ymd_opt(first_year - 1, 12, 1)
            .and_then(|day| day.and_hms_opt(2, 0, 0))
            .map(|time| time.and_utc().timestamp_millis())
            .unwrap_or_default();
        (0..post.devices.len())
            .map(|index| {
                let ms = enrolled_ms + index as i64 * 3_600_000 + rng.between(0, 600_000) as i64;
                DeviceId(uuid_v7_at(ms, rng.uuid_bytes()))
            })
            .collect()
    }

    /// The outboxes of post `post_index`'s devices over all the years: only what was made
    /// before `now_ms` (the current year is not over).
    pub fn post_device_logs(
        &self,
        post: &DemoPost,
        post_index: usize,
        now_ms: i64,
    ) -> Vec<DeviceLog> {
        let mut logs: Vec<DeviceLog> = self
            .device_ids(post, post_index)
            .into_iter()
            .zip(&post.devices)
            .map(|(device_id, label)| DeviceLog::new(device_id, label.clone(), post_index))
            .collect();
        let mut by_device: BTreeMap<usize, Vec<super::life::EntryLife>> = BTreeMap::new();
        for (year_index, year) in self.years.iter().enumerate() {
            let share = &self.shares[year_index][post_index];
            for mut life in post_year(post, post_index, *year, share, self.seed) {
                if life.created_ms >= now_ms {
                    continue;
                }
                life.later.retain(|change| change.made_ms < now_ms);
                by_device.entry(life.device).or_default().push(life);
            }
        }
        let mut rng = DemoRng::stream(&[self.seed, 0x5ec0, post_index as u64]);
        for (device, lives) in by_device {
            if let Some(log) = logs.get_mut(device) {
                log.append(lives, &mut rng);
            }
        }
        logs
    }
}
