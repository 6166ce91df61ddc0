//! The figures a demo year adds up to: for 2024 with Funing's twelve posts exactly those of the
//! county's year-end report (`seed-funing-2024.txt`), for other years and county sizes figures
//! of the same order, varied by year and scaled by the number of posts.

use super::random::DemoRng;
use patrol_model::CrimeType;

/// The county's year in totals. Everything else (regular patrols, study days, hazards left
/// open, …) follows from how posts work and is not a target.
#[derive(Debug, Clone, PartialEq)]
pub struct YearFigures {
    /// 联合巡逻: "开展联合巡逻330余次".
    pub joint_patrols: u64,
    /// 普法宣传: "开展普法宣传680余次,受教育群众4万余人".
    pub outreach_sessions: u64,
    pub outreach_audience: u64,
    /// 案件: "查处跨境违法犯罪类案件3起5人", each (type, persons).
    pub incidents: Vec<(CrimeType, u32)>,
    /// 修复水毁道路 in tenths of a km: 7.2 km = 72.
    pub road_tenths_km: u64,
    /// 清理塌方 (sites).
    pub landslides: u64,
    /// 修复水源.
    pub water_sources: u64,
    /// 修复电路.
    pub power_circuits: u64,
    /// 修复铁网 in m.
    pub fence_m: u64,
    /// 技防设施 repaired (not in the seed).
    pub cameras: u64,
    /// 技能培训, 战术演练, 军地联席会议, 季度推进会, 主题党日, 环境卫生整治.
    pub trainings: u64,
    pub drills: u64,
    pub joint_meetings: u64,
    pub quarterly_meetings: u64,
    pub party_days: u64,
    pub clean_ups: u64,
}

/// The year and county size the seed describes.
pub const SEED_YEAR: i32 = 2024;
pub const SEED_POSTS: usize = 12;

impl YearFigures {
    /// Funing's 2024, as its year-end report states it.
    pub fn funing_2024() -> YearFigures {
        YearFigures {
            joint_patrols: 330,
            outreach_sessions: 680,
            outreach_audience: 40_000,
            incidents: vec![
                (CrimeType::IllegalCrossing, 2),
                (CrimeType::Drugs, 1),
                (CrimeType::IllegalCrossing, 2),
            ],
            road_tenths_km: 72,
            landslides: 45,
            water_sources: 14,
            power_circuits: 16,
            fence_m: 200,
            cameras: 5,
            trainings: 1,
            drills: 3,
            joint_meetings: 4,
            quarterly_meetings: 4,
            party_days: 6,
            clean_ups: 20,
        }
    }

    /// The figures of `year` for a county of `posts` posts: the seed's exactly for 2024 and
    /// twelve posts; otherwise each count varied by ±15 % for the year and scaled by
    /// `posts / 12` (meetings stay county-wide: one a quarter whatever the size).
    pub fn for_year(year: i32, posts: usize) -> YearFigures {
        let seed = YearFigures::funing_2024();
        if year == SEED_YEAR && posts == SEED_POSTS {
            return seed;
        }
        let mut rng = DemoRng::stream(&[0xf16e, year as u64]);
        let scale = posts as f64 / SEED_POSTS as f64;
        let mut vary = |value: u64, minimum: u64| -> u64 {
            let factor = if year == SEED_YEAR {
                1.0
            } else {
                rng.range(0.85, 1.15)
            };
            ((value as f64 * factor * scale).round() as u64).max(minimum)
        };
        let incident_count = vary(3, 1);
        let outreach_sessions = vary(680, 24 * posts as u64);
        let mut incident_rng = DemoRng::stream(&[0x1c1d, year as u64]);
        YearFigures {
            joint_patrols: vary(330, 1),
            outreach_sessions,
            outreach_audience: vary(40_000, outreach_sessions * 20),
            incidents: (0..incident_count)
                .map(|case| {
                    // No smuggling case since 2022 ("连续三年保持边境走私案件零发生").
                    let types: &[CrimeType] = if year >= 2022 {
                        &[
                            CrimeType::IllegalCrossing,
                            CrimeType::Drugs,
                            CrimeType::Other,
                        ]
                    } else {
                        &[
                            CrimeType::IllegalCrossing,
                            CrimeType::Smuggling,
                            CrimeType::Drugs,
                        ]
                    };
                    let persons = if case % 3 == 1 {
                        1
                    } else {
                        incident_rng.between(1, 3) as u32
                    };
                    (*incident_rng.pick(types), persons)
                })
                .collect(),
            road_tenths_km: vary(72, 5),
            landslides: vary(45, 2),
            water_sources: vary(14, 1),
            power_circuits: vary(16, 1),
            fence_m: vary(200, 20),
            cameras: vary(5, 1),
            trainings: 1,
            drills: vary(3, 1),
            joint_meetings: 4,
            quarterly_meetings: 4,
            party_days: vary(6, 1),
            clean_ups: vary(20, 2),
        }
    }

    /// Persons in all incidents.
    pub fn incident_persons(&self) -> u32 {
        self.incidents.iter().map(|(_, persons)| persons).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funing_2024_is_the_seed() {
        let figures = YearFigures::for_year(2024, 12);
        assert_eq!(figures.joint_patrols, 330);
        assert_eq!(
            (figures.outreach_sessions, figures.outreach_audience),
            (680, 40_000)
        );
        assert_eq!(
            (figures.incidents.len(), figures.incident_persons()),
            (3, 5)
        );
        assert!(figures
            .incidents
            .iter()
            .all(|(crime, _)| *crime != CrimeType::Smuggling));
    }

    #[test]
    fn other_years_are_similar_but_not_the_same() {
        let seed = YearFigures::for_year(2024, 12);
        let other = YearFigures::for_year(2023, 12);
        assert_ne!(seed, other);
        assert!((280..=380).contains(&other.joint_patrols), "{other:?}");
        assert_eq!(YearFigures::for_year(2023, 12), other, "repeatable");
    }
}
