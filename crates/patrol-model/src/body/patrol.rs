//! 巡逻 / 联合巡逻: a patrol, joint when partner units (army, police, village committee) came.

use super::codes::{domain_code, DomainCode};
use crate::input::fields::FieldReader;
use crate::track::{PackedTrack, TrackPoint};
use crate::validation::{
    check_list_len, check_short_text, check_text, ValidationReport, MAX_TEXT_CHARS,
};
use serde::{Deserialize, Serialize};

domain_code! {
    /// Who patrolled with the post's members.
    PartnerUnit ("协同单位", "partner unit") {
        Army = "army" "部队" "Army",
        Police = "police" "边境警务室" "Border police office",
        VillageCommittee = "village_committee" "村委会" "Village committee",
        Other = "other" "其他" "Other",
    }
}

/// One partner unit and how many of its people came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PatrolPartner {
    pub unit: PartnerUnit,
    pub count: u32,
}

/// Largest head-count of one partner unit on one patrol.
pub const MAX_PARTNER_COUNT: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct PatrolBody {
    /// Joint patrol (联合巡逻): true exactly when partner units came.
    pub joint: bool,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub partners: Vec<PatrolPartner>,
    /// Boundary markers (界碑) passed, by number.
    #[serde(default)]
    pub markers: Vec<String>,
    #[serde(default)]
    pub findings: String,
    /// Distance walked or ridden: from the GPS track when there is one, else as entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// The GPS track, packed (`PackedTrack` v1) and base64-encoded: set when the patrol ends,
    /// so the track travels to the county with its entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
}

/// Most points a synced patrol track may hold (a 24-hour patrol at one point every 2 s).
pub const MAX_TRACK_POINTS: usize = 43_200;

/// Longest patrol distance accepted, in km.
pub const MAX_PATROL_DISTANCE_KM: f64 = 2_000.0;

impl PatrolBody {
    pub(crate) fn read(mut reader: FieldReader<'_>) -> Option<Self> {
        let joint = reader.optional_bool("joint");
        let members = reader.text_list("members");
        let markers = reader.text_list("markers");
        let findings = reader.optional_text("findings").unwrap_or_default();
        let distance_km = reader.optional_number("distance_km");
        let track = reader.optional_text("track");
        let mut partners = Vec::new();
        let mut partners_ok = true;
        for (path, value) in reader.object_list("partners") {
            match FieldReader::new(value, &path, reader.report()) {
                Some(mut item) => {
                    let unit = item.required_code::<PartnerUnit>("unit");
                    let count = item.required_number("count");
                    if let Some(count) = count {
                        if count.fract() != 0.0 || count < 1.0 || count > MAX_PARTNER_COUNT as f64 {
                            let field = item.path("count");
                            item.report().push(
                                field,
                                format!("人数应为 1 到 {MAX_PARTNER_COUNT} 的整数"),
                                format!("head-count must be a whole number from 1 to {MAX_PARTNER_COUNT}"),
                            );
                            partners_ok = false;
                        }
                    }
                    item.finish();
                    match (unit, count) {
                        (Some(unit), Some(count)) if partners_ok => partners.push(PatrolPartner {
                            unit,
                            count: count as u32,
                        }),
                        _ => partners_ok = false,
                    }
                }
                None => partners_ok = false,
            }
        }
        reader.finish();
        let joint = match joint {
            Some(joint) => joint,
            None => !partners.is_empty(),
        };
        partners_ok.then_some(PatrolBody {
            joint,
            members,
            partners,
            markers,
            findings,
            distance_km,
            track,
        })
    }

    pub fn validate(&self, report: &mut ValidationReport) {
        check_list_len(report, "body.members", self.members.len());
        for (index, member) in self.members.iter().enumerate() {
            check_short_text(report, &format!("body.members[{index}]"), member);
        }
        check_list_len(report, "body.markers", self.markers.len());
        for (index, marker) in self.markers.iter().enumerate() {
            check_short_text(report, &format!("body.markers[{index}]"), marker);
        }
        check_list_len(report, "body.partners", self.partners.len());
        check_text(report, "body.findings", &self.findings, MAX_TEXT_CHARS);
        if self.joint && self.partners.is_empty() {
            report.push(
                "body.partners",
                "联合巡逻至少要填写一个协同单位(部队、边境警务室、村委会)",
                "a joint patrol needs at least one partner unit",
            );
        }
        if !self.joint && !self.partners.is_empty() {
            report.push(
                "body.joint",
                "填写了协同单位,应为联合巡逻(joint 为 true)",
                "partner units were given, so the patrol is joint",
            );
        }
        if let Some(track) = &self.track {
            match self.track_points() {
                Ok(points) if points.len() > MAX_TRACK_POINTS => report.push(
                    "body.track",
                    format!("轨迹点太多:{} 个,最多 {MAX_TRACK_POINTS} 个", points.len()),
                    format!(
                        "too many track points: {}, at most {MAX_TRACK_POINTS}",
                        points.len()
                    ),
                ),
                Ok(_) => {}
                Err(_) => report.push(
                    "body.track",
                    "轨迹数据无法读取",
                    format!("not a packed track ({} characters of base64)", track.len()),
                ),
            }
        }
        if let Some(distance) = self.distance_km {
            if !distance.is_finite() || !(0.0..=MAX_PATROL_DISTANCE_KM).contains(&distance) {
                report.push(
                    "body.distance_km",
                    format!("里程应在 0 到 {MAX_PATROL_DISTANCE_KM} 公里之间"),
                    format!("distance must be between 0 and {MAX_PATROL_DISTANCE_KM} km"),
                );
            }
        }
    }

    /// The points of the synced track (none when the patrol had no track).
    pub fn track_points(&self) -> Result<Vec<TrackPoint>, crate::ModelError> {
        match &self.track {
            None => Ok(Vec::new()),
            Some(text) => PackedTrack::from_base64(text)?.unpack(),
        }
    }

    /// The category a patrol is counted under: `joint` or `regular`.
    pub fn category_code(&self) -> &'static str {
        if self.joint {
            "joint"
        } else {
            "regular"
        }
    }

    /// Total head-count of the partner units.
    pub fn partner_people(&self) -> u32 {
        self.partners.iter().map(|partner| partner.count).sum()
    }

    pub fn search_text(&self) -> String {
        let partners: Vec<&str> = self
            .partners
            .iter()
            .map(|partner| partner.unit.label_zh())
            .collect();
        [
            if self.joint { "联合巡逻" } else { "巡逻" }.to_string(),
            self.members.join(" "),
            partners.join(" "),
            self.markers
                .iter()
                .map(|marker| format!("界碑{marker}"))
                .collect::<Vec<_>>()
                .join(" "),
            self.findings.clone(),
        ]
        .join(" ")
    }
}
