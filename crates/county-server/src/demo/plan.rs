//! A county year's figures shared out among its posts: how many joint patrols and outreach
//! sessions each post holds (with each session's audience), which hazards it finds and which
//! repairs fix them, its incidents, and the county-wide activities it hosts. Every total of
//! [`YearFigures`] is met exactly by the sum of the shares.

use super::figures::YearFigures;
use super::random::{split_total, DemoRng};
use patrol_model::{ActivityType, CrimeType, HazardCategory, RepairCategory, Unit};

/// A repair with its quantity in the unit the county totals it in.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRepair {
    pub category: RepairCategory,
    pub quantity: f64,
    pub unit: Unit,
}

/// A hazard a post finds, and the repair that fixes it (none: still open at the year's end).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedHazard {
    pub category: HazardCategory,
    pub fixed_by: Option<PlannedRepair>,
}

/// An activity the post hosts for the county, in a given month.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedActivity {
    pub activity_type: ActivityType,
    /// 1–12.
    pub month: u32,
    pub attendees: u32,
}

/// One post's share of the county's year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostYearShare {
    pub joint_patrols: u64,
    /// One audience per outreach session.
    pub outreach_audiences: Vec<u64>,
    pub incidents: Vec<(CrimeType, u32)>,
    pub hazards: Vec<PlannedHazard>,
    /// Repairs done without a recorded hazard (found and fixed on the spot).
    pub loose_repairs: Vec<PlannedRepair>,
    pub hosted_activities: Vec<PlannedActivity>,
}

/// Minimum outreach sessions of a post in a year: two a month ("每月…不低于2次").
pub const MIN_OUTREACH_PER_POST: u64 = 24;

/// Shares `figures` out among `posts` posts (with `members` members in all).
pub fn share_year(
    figures: &YearFigures,
    posts: usize,
    members: u32,
    seed: u64,
    year: i32,
) -> Vec<PostYearShare> {
    let mut rng = DemoRng::stream(&[seed, 0x91a2, year as u64]);
    let mut shares = vec![PostYearShare::default(); posts];
    // Some stretches are busier than others (more crossings, more rain damage).
    let weights: Vec<f64> = (0..posts).map(|_| rng.range(0.6, 1.6)).collect();

    for (share, joint) in shares
        .iter_mut()
        .zip(split_total(figures.joint_patrols, &weights, 0))
    {
        share.joint_patrols = joint;
    }

    let sessions = split_total(figures.outreach_sessions, &weights, MIN_OUTREACH_PER_POST);
    let total_sessions: u64 = sessions.iter().sum();
    let crowd: Vec<f64> = (0..total_sessions).map(|_| rng.range(0.3, 1.7)).collect();
    let mut audiences = split_total(figures.outreach_audience, &crowd, 1).into_iter();
    for (share, count) in shares.iter_mut().zip(sessions) {
        share.outreach_audiences = audiences.by_ref().take(count as usize).collect();
    }

    for incident in &figures.incidents {
        let post = rng.weighted_index(&weights);
        shares[post].incidents.push(*incident);
    }

    let repairs = repair_lists(figures, &mut rng);
    for hazard in planned_hazards(repairs.closing, posts, &mut rng) {
        let post = rng.weighted_index(&weights);
        shares[post].hazards.push(hazard);
    }
    for repair in repairs.loose {
        let post = rng.weighted_index(&weights);
        shares[post].loose_repairs.push(repair);
    }
    for activity in planned_activities(figures, members, &mut rng) {
        let post = rng.next_u64() as usize % posts.max(1);
        shares[post].hosted_activities.push(activity);
    }
    shares
}

/// Repairs of every category, quantities summing exactly to the year's figures. The first
/// `closing` of each list close a hazard; the rest are loose.
struct RepairLists {
    closing: Vec<PlannedRepair>,
    loose: Vec<PlannedRepair>,
}

fn repair_lists(figures: &YearFigures, rng: &mut DemoRng) -> RepairLists {
    let mut closing = Vec::new();
    let mut loose = Vec::new();
    let mut add = |repairs: Vec<PlannedRepair>, rng: &mut DemoRng, share_closing: f64| {
        for repair in repairs {
            if rng.chance(share_closing) {
                closing.push(repair);
            } else {
                loose.push(repair);
            }
        }
    };
    // Road: 0.2–1.2 km a repair, in tenths of a km.
    let road_parts = (figures.road_tenths_km / 6).max(1) as usize;
    let road = random_split(rng, figures.road_tenths_km, road_parts, 2);
    add(
        road.into_iter()
            .map(|tenths| repair(RepairCategory::Road, tenths as f64 / 10.0, Unit::Km))
            .collect(),
        rng,
        0.8,
    );
    // Counted categories: mostly one site a repair, some two.
    for (category, total, doubles) in [
        (
            RepairCategory::Landslide,
            figures.landslides,
            figures.landslides / 15,
        ),
        (RepairCategory::Water, figures.water_sources, 0),
        (
            RepairCategory::Power,
            figures.power_circuits,
            figures.power_circuits / 8,
        ),
        (RepairCategory::Camera, figures.cameras, 0),
    ] {
        let doubles = doubles.min(total / 2);
        let mut counts = vec![2.0; doubles as usize];
        counts.extend(std::iter::repeat_n(1.0, (total - 2 * doubles) as usize));
        rng.shuffle(&mut counts);
        let share_closing = if category == RepairCategory::Camera {
            1.0
        } else {
            0.85
        };
        add(
            counts
                .into_iter()
                .map(|count| repair(category, count, Unit::Count))
                .collect(),
            rng,
            share_closing,
        );
    }
    // Fence: 5–60 m a repair, whole metres.
    let fence_parts = (figures.fence_m / 28).max(1) as usize;
    let fence = random_split(rng, figures.fence_m, fence_parts, 5);
    add(
        fence
            .into_iter()
            .map(|metres| repair(RepairCategory::Fence, metres as f64, Unit::M))
            .collect(),
        rng,
        0.75,
    );
    RepairLists { closing, loose }
}

fn repair(category: RepairCategory, quantity: f64, unit: Unit) -> PlannedRepair {
    PlannedRepair {
        category,
        quantity,
        unit,
    }
}

/// `total` in `parts` random whole parts of at least `minimum`.
fn random_split(rng: &mut DemoRng, total: u64, parts: usize, minimum: u64) -> Vec<u64> {
    let weights: Vec<f64> = (0..parts).map(|_| rng.range(0.5, 1.5)).collect();
    split_total(total, &weights, minimum)
        .into_iter()
        .filter(|part| *part > 0)
        .collect()
}

/// Hazards: one for each closing repair (a fence repair may close an illegal-crossing blind
/// spot), plus hazards still open at the year's end.
fn planned_hazards(
    closing: Vec<PlannedRepair>,
    posts: usize,
    rng: &mut DemoRng,
) -> Vec<PlannedHazard> {
    let mut hazards: Vec<PlannedHazard> = Vec::new();
    let mut crossing_closed = false;
    for repair in closing {
        let category = match repair.category {
            RepairCategory::Road => HazardCategory::Road,
            RepairCategory::Landslide => HazardCategory::Landslide,
            RepairCategory::Water => HazardCategory::Water,
            RepairCategory::Power => HazardCategory::Power,
            RepairCategory::Fence if !crossing_closed => {
                crossing_closed = true;
                HazardCategory::Crossing
            }
            RepairCategory::Fence => HazardCategory::Fence,
            RepairCategory::Camera => HazardCategory::Camera,
            RepairCategory::Other => HazardCategory::Other,
        };
        hazards.push(PlannedHazard {
            category,
            fixed_by: Some(repair),
        });
    }
    let scale = posts as f64 / 12.0;
    for (category, open_per_county) in [
        (HazardCategory::Road, 3.0),
        (HazardCategory::Landslide, 4.0),
        (HazardCategory::Water, 2.0),
        (HazardCategory::Power, 2.0),
        (HazardCategory::Fence, 2.0),
        (HazardCategory::Camera, 2.0),
        (HazardCategory::Crossing, 8.0),
        (HazardCategory::Other, 5.0),
    ] {
        let open = (open_per_county * scale * rng.range(0.6, 1.4)).round() as usize;
        hazards.extend((0..open).map(|_| PlannedHazard {
            category,
            fixed_by: None,
        }));
    }
    hazards
}

/// County-wide activities with their months and attendance.
fn planned_activities(
    figures: &YearFigures,
    members: u32,
    rng: &mut DemoRng,
) -> Vec<PlannedActivity> {
    let mut activities = Vec::new();
    let mut plan =
        |activity_type: ActivityType, months: Vec<u32>, low: u32, high: u32, rng: &mut DemoRng| {
            for month in months {
                activities.push(PlannedActivity {
                    activity_type,
                    month,
                    attendees: (rng.between(low.into(), high.into()) as u32).max(1),
                });
            }
        };
    let spread = |count: u64, rng: &mut DemoRng| -> Vec<u32> {
        (0..count).map(|_| rng.between(1, 12) as u32).collect()
    };
    // Everyone comes to the training and the quarterly meetings, less those on duty.
    let months = spread(figures.trainings, rng);
    plan(
        ActivityType::Training,
        months,
        members.saturating_sub(4),
        members,
        rng,
    );
    let months = quarter_months(figures.quarterly_meetings, 1);
    plan(
        ActivityType::QuarterlyMeeting,
        months,
        members.saturating_sub(10),
        members.saturating_sub(2),
        rng,
    );
    let months = quarter_months(figures.joint_meetings, 3);
    plan(ActivityType::JointMeeting, months, 16, 28, rng);
    let months = spread(figures.drills, rng);
    plan(ActivityType::Drill, months, 35, 60, rng);
    let months: Vec<u32> = [1, 3, 5, 7, 8, 10, 12, 6, 9, 11, 2, 4]
        .into_iter()
        .cycle()
        .take(figures.party_days as usize)
        .collect();
    plan(ActivityType::PartyDay, months, 15, 40, rng);
    let months = spread(figures.clean_ups, rng);
    plan(ActivityType::CleanUp, months, 8, 30, rng);
    activities
}

/// `count` months, one a quarter from `first_month` (1–3) on, wrapping round the year.
fn quarter_months(count: u64, first_month: u32) -> Vec<u32> {
    (0..count as u32)
        .map(|index| (first_month - 1 + 3 * index) % 12 + 1)
        .collect()
}
