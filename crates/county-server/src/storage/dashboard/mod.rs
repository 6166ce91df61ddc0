//! What the county dashboard reads and the one thing it writes (a review), as a storage trait
//! each backend implements with its own SQL over the derived query columns of `entries`
//! (migration 03-entry-queries, [`super::query_columns`]). The shapes follow
//! `docs/county-api.md`; the HTTP handlers only parse the query and serialise these.
//! The year-end report's typed figures and their assembly live in [`crate::report`].

use crate::error::StorageError;
use crate::report::annual::AnnualReport;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use patrol_model::{
    DomainCode, EntryId, EntryKind, EntryStatus, HazardSeverity, PostId, ReviewDecision,
    ValidationReport,
};
use std::fmt;

mod answers;
pub mod folds;

pub use answers::{
    BulkReviewOutcome, DeviceOverview, EntryDetail, EntryHistoryVersion, EntryPage,
    EntryPhotoReference, EntrySummary, MapFeature, MapFeatures, MapGeometry, Overview,
    OverviewTotals, PostOverview, Statistics, StatisticsRow,
};

/// The largest page of the entries list; the default is [`DEFAULT_ENTRY_PAGE`].
pub const MAX_ENTRY_PAGE: u32 = 200;
pub const DEFAULT_ENTRY_PAGE: u32 = 50;
/// The most features one map answer carries (the newest).
pub const MAX_MAP_FEATURES: usize = 20_000;
/// The most entries one `POST /api/v1/admin/reviews` decides.
pub const MAX_BULK_REVIEW: usize = 500;
/// The most rows one export of the entries list holds (narrow the filter for more).
pub const MAX_EXPORT_ROWS: usize = 100_000;
/// The longest review comment, in characters.
pub const MAX_REVIEW_COMMENT_CHARS: usize = 500;

/// Which review state to list: `pending` is no decision yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFilter {
    Pending,
    Approved,
    Returned,
}

impl ReviewFilter {
    pub fn from_code(code: &str) -> Option<ReviewFilter> {
        match code {
            "pending" => Some(ReviewFilter::Pending),
            "approved" => Some(ReviewFilter::Approved),
            "returned" => Some(ReviewFilter::Returned),
            _ => None,
        }
    }

    /// The stored `review_decision` it matches (`None` = pending, no decision).
    pub fn decision_code(self) -> Option<&'static str> {
        match self {
            ReviewFilter::Pending => None,
            ReviewFilter::Approved => Some(ReviewDecision::Approved.code()),
            ReviewFilter::Returned => Some(ReviewDecision::Returned.code()),
        }
    }
}

/// `GET /api/v1/admin/entries` filters. Days are the member's local days, inclusive.
#[derive(Debug, Clone, Default)]
pub struct DashboardEntryFilter {
    pub post_id: Option<PostId>,
    pub kind: Option<EntryKind>,
    pub from_day: Option<NaiveDate>,
    pub to_day: Option<NaiveDate>,
    pub status: Option<EntryStatus>,
    pub review: Option<ReviewFilter>,
    /// Text matched anywhere in the entry's text (`LIKE '%q%'`, case-insensitive for Latin).
    pub text: Option<String>,
    /// Hazards of this severity (other kinds have none, so they are left out).
    pub severity: Option<HazardSeverity>,
    /// Entries written by this member (`author`, exactly as recorded).
    pub author: Option<String>,
    /// Only entries the county returned that the post has not changed since: a member's edit
    /// clears a return (`sync/version.rs`), so these are the live returns, whose current
    /// version is the county's own.
    pub returned_unfixed: bool,
    /// Deleted entries are left out unless this is set.
    pub include_deleted: bool,
}

/// Where the next page starts: the last row's corrected occurred time and id. Written
/// `"{ms}_{id}"`; anything else is not a cursor this server gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryCursor {
    pub occurred_corrected_ms: i64,
    pub id: EntryId,
}

impl fmt::Display for EntryCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.occurred_corrected_ms, self.id)
    }
}

impl std::str::FromStr for EntryCursor {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (ms, id) = text.split_once('_').ok_or(())?;
        Ok(EntryCursor {
            occurred_corrected_ms: ms.parse().map_err(|_| ())?,
            id: id.parse().map_err(|_| ())?,
        })
    }
}

/// A county admin's decision, checked: only [`NewReview::new`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReview {
    decision: ReviewDecision,
    comment: String,
    reviewer: String,
    decided_at: DateTime<Utc>,
}

impl NewReview {
    /// A comment is required (non-blank) to return an entry; at most 500 characters.
    pub fn new(
        decision: ReviewDecision,
        comment: &str,
        reviewer: &str,
        decided_at: DateTime<Utc>,
    ) -> Result<NewReview, ValidationReport> {
        let mut report = ValidationReport::default();
        let comment = comment.trim();
        if decision == ReviewDecision::Returned && comment.is_empty() {
            report.push(
                "comment",
                "退回时必须填写意见,说明要改什么",
                "a comment saying what to fix is required to return an entry",
            );
        }
        if comment.chars().count() > MAX_REVIEW_COMMENT_CHARS {
            report.push(
                "comment",
                format!("意见最多 {MAX_REVIEW_COMMENT_CHARS} 个字"),
                format!("comment too long: at most {MAX_REVIEW_COMMENT_CHARS} characters"),
            );
        }
        if reviewer.trim().is_empty() {
            report.push("reviewer", "缺少审核人", "the reviewer is missing");
        }
        if !report.is_empty() {
            return Err(report);
        }
        Ok(NewReview {
            decision,
            comment: comment.to_string(),
            reviewer: reviewer.trim().to_string(),
            decided_at,
        })
    }

    /// The `review` object the entry's document carries.
    pub fn to_review(&self) -> patrol_model::Review {
        patrol_model::Review {
            decision: self.decision,
            comment: self.comment.clone(),
            reviewer: self.reviewer.clone(),
            decided_at: self.decided_at,
        }
    }

    pub fn decision(&self) -> ReviewDecision {
        self.decision
    }

    pub fn decided_at(&self) -> DateTime<Utc> {
        self.decided_at
    }
}

/// `GET /api/v1/admin/map` filters.
#[derive(Debug, Clone, Default)]
pub struct MapFilter {
    pub post_id: Option<PostId>,
    pub kind: Option<EntryKind>,
    pub from_day: Option<NaiveDate>,
    pub to_day: Option<NaiveDate>,
}

/// The county dashboard's queries. A supertrait of [`super::CountyStorage`], so every backend
/// answers them and [`super::SharedStorage`] has them; both pass `tests/dashboard_queries.rs`
/// with the same answers.
#[async_trait]
pub trait DashboardQueries: Send + Sync {
    /// Up to `limit` (1–200) entries after `cursor`, newest first by corrected occurred time,
    /// then id.
    async fn entry_page(
        &self,
        filter: DashboardEntryFilter,
        cursor: Option<EntryCursor>,
        limit: u32,
    ) -> Result<EntryPage, StorageError>;

    /// One entry's summary (deleted or not); `None` when there is no such entry.
    async fn entry_summary(&self, id: EntryId) -> Result<Option<EntrySummary>, StorageError>;

    /// One entry with its history and photos; `None` when there is no such entry.
    async fn entry_detail(&self, id: EntryId) -> Result<Option<EntryDetail>, StorageError>;

    /// Writes a new version of the entry with `review` set (the replaced version kept in the
    /// history, this one written by the county) at the post's next change cursor, so every
    /// device of the post pulls it. `None` when there is no such entry.
    /// The audit row `by` is written in the same transaction.
    async fn review_entry(
        &self,
        id: EntryId,
        review: NewReview,
        by: &crate::audit::Actor,
    ) -> Result<Option<EntrySummary>, StorageError>;

    /// Writes `review` onto each of `ids` (at most [`MAX_BULK_REVIEW`]) as [`Self::review_entry`]
    /// does, all in one transaction with one audit row per entry reviewed; an entry that
    /// already has this decision and comment is left as it is.
    async fn review_entries(
        &self,
        ids: Vec<EntryId>,
        review: NewReview,
        by: &crate::audit::Actor,
    ) -> Result<BulkReviewOutcome, StorageError>;

    /// Totals, posts (silent when no device made contact for `silent_days` days) and devices.
    async fn overview(&self, now_ms: i64, silent_days: u32) -> Result<Overview, StorageError>;

    /// Rows per post, local month, kind and category of `year`'s live entries.
    async fn statistics(&self, year: i32, post: Option<PostId>)
        -> Result<Statistics, StorageError>;

    /// Patrol tracks and located entries, newest first, at most [`MAX_MAP_FEATURES`].
    async fn map_features(&self, filter: MapFilter) -> Result<MapFeatures, StorageError>;

    /// The year-end report of `year` (entries counted in their local day's year).
    async fn annual_report(&self, year: i32) -> Result<AnnualReport, StorageError>;

    /// The year of the latest local day of a live entry (statistics and the report open on
    /// it), or `None` with no entry.
    async fn latest_entry_year(&self) -> Result<Option<i32>, StorageError>;
}

/// The year of a stored local day ("2024-12-31"), or `None` when the text holds none.
pub fn year_of_local_day(day: &str) -> Option<i32> {
    day.get(..4)?.parse().ok()
}

/// The first and last local day of `year` as stored (`YYYY-MM-DD`).
pub fn year_days(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// `q` as matched: lower-cased, with LIKE's wildcards escaped (escape character `\`).
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for character in text.to_lowercase().chars() {
        if matches!(character, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(character);
    }
    pattern.push('%');
    pattern
}

/// The corrected times an entry of local days `from`..=`to` can have, given the smallest and
/// largest clock correction stored: its `occurred_at` lies within a day of those days in UTC
/// (any offset), and its correction within the stored ones. Bounding the corrected time lets
/// a day-range page walk only its part of the time index.
pub fn corrected_window(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    corrections: (i64, i64),
) -> (Option<i64>, Option<i64>) {
    const DAY_MS: i64 = 86_400_000;
    let midnight = |day: NaiveDate| {
        day.and_hms_opt(0, 0, 0)
            .map(|time| time.and_utc().timestamp_millis())
    };
    let lower = from
        .and_then(midnight)
        .map(|start| start - DAY_MS + corrections.0.min(0));
    let upper = to
        .and_then(midnight)
        .map(|start| start + 2 * DAY_MS + corrections.1.max(0));
    (lower, upper)
}

/// A sum as the report and statistics show it: 7.2, not 7.199999999; 0, not -0 (the sum of
/// nothing in f64).
pub fn round_quantity(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0 + 0.0
}

/// The Chinese label of a statistics category.
pub fn category_label(kind: &str, category: &str) -> Option<String> {
    EntryKind::from_code(kind)
        .and_then(|kind| patrol_model::body::category_label_zh(kind, category))
        .map(str::to_string)
}

/// `occurred_at` as the entry has it, from the stored instant and offset.
pub fn occurred_at_text(occurred_at_ms: i64, offset_minutes: i32) -> String {
    patrol_model::LocalTime::from_parts(occurred_at_ms, offset_minutes)
        .map(|time| time.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_garbage_is_refused() {
        let cursor = EntryCursor {
            occurred_corrected_ms: -5,
            id: EntryId::new_v7(),
        };
        assert_eq!(cursor.to_string().parse::<EntryCursor>(), Ok(cursor));
        assert!("12".parse::<EntryCursor>().is_err());
        assert!("x_y".parse::<EntryCursor>().is_err());
    }

    #[test]
    fn like_wildcards_in_the_text_match_themselves() {
        assert_eq!(like_pattern("铁网"), "%铁网%");
        assert_eq!(like_pattern("50%_A"), "%50\\%\\_a%");
    }

    #[test]
    fn a_return_needs_a_comment_and_comments_are_bounded() {
        let now = Utc::now();
        let problems = NewReview::new(ReviewDecision::Returned, "  ", "县办", now).unwrap_err();
        assert_eq!(problems.problems[0].field, "comment");
        assert!(NewReview::new(ReviewDecision::Approved, "", "县办", now).is_ok());
        let long = "字".repeat(501);
        assert!(NewReview::new(ReviewDecision::Approved, &long, "县办", now).is_err());
    }

    #[test]
    fn the_window_of_a_day_range_holds_every_offset_and_correction() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1);
        let (lower, upper) = corrected_window(day, day, (-600_000, 3_600_000));
        // 00:00 at +14:00 and 23:59 at -12:00, corrected by the smallest and largest.
        let earliest = 1_704_067_200_000 - 14 * 3_600_000 - 600_000;
        let latest = 1_704_067_200_000 + 36 * 3_600_000 + 3_600_000;
        assert!(lower.unwrap() <= earliest && latest < upper.unwrap());
        assert_eq!(corrected_window(None, None, (0, 0)), (None, None));
    }

    #[test]
    fn sums_round_to_three_decimals() {
        assert_eq!(round_quantity(3.1 + 4.1).to_string(), "7.2");
        assert_eq!(round_quantity(200.0).to_string(), "200");
        assert_eq!(round_quantity(-0.0).to_string(), "0");
    }
}
