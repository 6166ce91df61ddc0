//! 活动: the post's own trainings, drills and meetings, and the days it helps the villages.

use super::codes::{domain_code, DomainCode};
use crate::input::fields::FieldReader;
use crate::validation::{check_text, ValidationReport, MAX_TEXT_CHARS};
use serde::{Deserialize, Serialize};

domain_code! {
    /// What kind of activity it was.
    ActivityType ("活动类型", "activity type") {
        Training = "training" "技能培训" "Training",
        Drill = "drill" "战术演练" "Drill",
        JointMeeting = "joint_meeting" "军地联席会议" "Joint meeting",
        QuarterlyMeeting = "quarterly_meeting" "季度边境管控推进会" "Quarterly meeting",
        StudyDay = "study_day" "集中学习日" "Study day",
        PartyDay = "party_day" "主题党日" "Party day",
        CleanUp = "clean_up" "环境卫生整治" "Village clean-up",
    }
}

/// Most attendees of one activity.
pub const MAX_ACTIVITY_ATTENDEES: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActivityBody {
    pub activity_type: ActivityType,
    /// People who took part.
    pub attendees: u32,
    /// "队列训练", "突发事件处置演练".
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub description: String,
}

impl ActivityBody {
    pub(crate) fn read(mut reader: FieldReader<'_>) -> Option<Self> {
        let activity_type = reader.required_code::<ActivityType>("activity_type");
        let attendees = reader.required_whole_number("attendees", 1, MAX_ACTIVITY_ATTENDEES);
        let topic = reader.optional_text("topic").unwrap_or_default();
        let description = reader.optional_text("description").unwrap_or_default();
        reader.finish();
        Some(ActivityBody {
            activity_type: activity_type?,
            attendees: attendees?,
            topic,
            description,
        })
    }

    pub fn validate(&self, report: &mut ValidationReport) {
        check_text(report, "body.topic", &self.topic, MAX_TEXT_CHARS);
        check_text(
            report,
            "body.description",
            &self.description,
            MAX_TEXT_CHARS,
        );
        if !(1..=MAX_ACTIVITY_ATTENDEES).contains(&self.attendees) {
            report.push(
                "body.attendees",
                format!("参加人数应为 1 到 {MAX_ACTIVITY_ATTENDEES} 的整数"),
                format!("attendees must be a whole number from 1 to {MAX_ACTIVITY_ATTENDEES}"),
            );
        }
    }

    pub fn search_text(&self) -> String {
        format!(
            "活动 {} {} {}",
            self.activity_type.label_zh(),
            self.topic,
            self.description
        )
    }
}
