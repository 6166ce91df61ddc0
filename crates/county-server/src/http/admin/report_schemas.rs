//! How the year-end report's JSON looks, for the OpenAPI document only: mirrors of
//! `report::annual::AnnualReport` and its sections (checked against real answers by
//! `tests/admin_api.rs`, like [`super::schemas`]).
#![allow(dead_code)] // read by utoipa's derive only

use utoipa::ToSchema;

/// The year-end report: every category of the vocabularies, with zeros, in vocabulary order.
#[derive(ToSchema)]
#[schema(as = AnnualReport)]
pub struct AnnualReportSchema {
    pub year: i32,
    /// Posts with at least one counted entry in the year.
    pub posts: u64,
    pub patrols: PatrolFiguresSchema,
    pub incidents: IncidentFiguresSchema,
    pub outreach: OutreachFiguresSchema,
    pub repairs: Vec<RepairFiguresSchema>,
    pub activities: Vec<ActivityFiguresSchema>,
    pub hazards: HazardFiguresSchema,
}

#[derive(ToSchema)]
#[schema(as = PatrolFigures)]
pub struct PatrolFiguresSchema {
    pub total: u64,
    /// Patrols with partner units.
    pub joint: u64,
    pub distance_km: f64,
}

#[derive(ToSchema)]
#[schema(as = IncidentFigures)]
pub struct IncidentFiguresSchema {
    pub cases: u64,
    pub persons: u64,
    pub by_type: Vec<IncidentTypeFiguresSchema>,
}

#[derive(ToSchema)]
#[schema(as = IncidentTypeFigures)]
pub struct IncidentTypeFiguresSchema {
    pub code: String,
    pub label_zh: String,
    pub cases: u64,
    pub persons: u64,
}

#[derive(ToSchema)]
#[schema(as = OutreachFigures)]
pub struct OutreachFiguresSchema {
    pub sessions: u64,
    pub audience: u64,
}

#[derive(ToSchema)]
#[schema(as = RepairFigures)]
pub struct RepairFiguresSchema {
    pub code: String,
    pub label_zh: String,
    pub entries: u64,
    /// In `unit`: road in km, fence in m, the rest counted.
    pub quantity: f64,
    pub unit: String,
}

#[derive(ToSchema)]
#[schema(as = ActivityFigures)]
pub struct ActivityFiguresSchema {
    pub code: String,
    pub label_zh: String,
    pub sessions: u64,
    pub attendees: u64,
}

#[derive(ToSchema)]
#[schema(as = HazardFigures)]
pub struct HazardFiguresSchema {
    pub found: u64,
    pub fixed: u64,
    pub open: u64,
    pub by_category: Vec<HazardCategoryFiguresSchema>,
}

#[derive(ToSchema)]
#[schema(as = HazardCategoryFigures)]
pub struct HazardCategoryFiguresSchema {
    pub code: String,
    pub label_zh: String,
    pub found: u64,
    pub fixed: u64,
}
