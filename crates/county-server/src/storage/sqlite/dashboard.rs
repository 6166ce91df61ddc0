//! [`DashboardQueries`] on SQLite: the entries list (keyset on corrected time, then id), one
//! entry with its history, and the county's review. The overview, statistics, year-end report
//! and map are in `report.rs`. Reads run on the dashboard's own read-only connection.

use super::{parse_id, report, sync_tx, to_u64, SqliteStorage};
use crate::error::StorageError;
use crate::report::annual::AnnualReport;
use crate::storage::dashboard::folds::{photo_references, written_by};
use crate::storage::dashboard::{
    category_label, corrected_window, like_pattern, occurred_at_text, BulkReviewOutcome,
    DashboardEntryFilter, DashboardQueries, EntryCursor, EntryDetail, EntryHistoryVersion,
    EntryPage, EntrySummary, MapFeatures, MapFilter, NewReview, Overview, ReviewFilter, Statistics,
    MAX_ENTRY_PAGE,
};
use async_trait::async_trait;
use patrol_model::{EntryId, PostId};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};

#[async_trait]
impl DashboardQueries for SqliteStorage {
    async fn entry_page(
        &self,
        filter: DashboardEntryFilter,
        cursor: Option<EntryCursor>,
        limit: u32,
    ) -> Result<EntryPage, StorageError> {
        self.query(move |c| entry_page(c, &filter, cursor, limit))
            .await
    }

    async fn entry_summary(&self, id: EntryId) -> Result<Option<EntrySummary>, StorageError> {
        self.query(move |c| entry_summary(c, id)).await
    }

    async fn entry_detail(&self, id: EntryId) -> Result<Option<EntryDetail>, StorageError> {
        self.query(move |c| entry_detail(c, id)).await
    }

    async fn review_entry(
        &self,
        id: EntryId,
        review: NewReview,
        by: &crate::audit::Actor,
    ) -> Result<Option<EntrySummary>, StorageError> {
        let event = crate::audit::AuditEvent::EntryReviewed {
            entry: id,
            decision: review.decision(),
        };
        let audit = event.row(by, chrono::Utc::now().timestamp_millis());
        self.run(move |c| match sync_tx::review(c, id, &review, &audit)? {
            true => entry_summary(c, id),
            false => Ok(None),
        })
        .await
    }

    async fn review_entries(
        &self,
        ids: Vec<EntryId>,
        review: NewReview,
        by: &crate::audit::Actor,
    ) -> Result<BulkReviewOutcome, StorageError> {
        let by = by.clone();
        self.run(move |c| sync_tx::review_many(c, &ids, &review, &by))
            .await
    }

    async fn overview(&self, now_ms: i64, silent_days: u32) -> Result<Overview, StorageError> {
        self.query(move |c| report::overview(c, now_ms, silent_days))
            .await
    }

    async fn statistics(
        &self,
        year: i32,
        post: Option<PostId>,
    ) -> Result<Statistics, StorageError> {
        self.query(move |c| report::statistics(c, year, post)).await
    }

    async fn map_features(&self, filter: MapFilter) -> Result<MapFeatures, StorageError> {
        self.query(move |c| report::map_features(c, &filter)).await
    }

    async fn annual_report(&self, year: i32) -> Result<AnnualReport, StorageError> {
        self.query(move |c| report::annual_report(c, year)).await
    }

    async fn latest_entry_year(&self) -> Result<Option<i32>, StorageError> {
        self.query(report::latest_entry_year).await
    }
}

/// The columns [`summary_from_row`] reads, from `entries e JOIN posts p`.
const SUMMARY_COLUMNS: &str = "SELECT e.id, e.post_id, p.name, e.kind, e.category, e.title_zh,
        e.occurred_at_ms, e.occurred_offset_minutes, e.local_day, e.author, e.status,
        e.review_decision, e.deleted, e.photo_count, e.quantity, e.quantity_unit, e.lat, e.lon,
        e.occurred_corrected_ms, e.severity";

fn summary_from_row(row: &Row<'_>) -> Result<EntrySummary, StorageError> {
    let id: EntryId = parse_id(&row.get::<_, String>(0)?)?;
    let kind: String = row.get(3)?;
    let category: Option<String> = row.get(4)?;
    let category = category.unwrap_or_default();
    Ok(EntrySummary {
        id,
        post_id: parse_id(&row.get::<_, String>(1)?)?,
        post_name: row.get(2)?,
        category_label_zh: category_label(&kind, &category),
        kind,
        category,
        title_zh: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
        occurred_at: occurred_at_text(row.get(6)?, row.get::<_, Option<i32>>(7)?.unwrap_or(0)),
        local_day: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
        author: row.get(9)?,
        status: row.get(10)?,
        review_decision: row.get(11)?,
        deleted: row.get(12)?,
        photo_count: row.get::<_, Option<u32>>(13)?.unwrap_or(0),
        quantity: row.get(14)?,
        unit: row.get(15)?,
        lat: row.get(16)?,
        lon: row.get(17)?,
        severity: row.get(19)?,
        cursor: EntryCursor {
            occurred_corrected_ms: row.get(18)?,
            id,
        },
    })
}

fn entry_page(
    connection: &Connection,
    filter: &DashboardEntryFilter,
    cursor: Option<EntryCursor>,
    limit: u32,
) -> Result<EntryPage, StorageError> {
    let limit = limit.clamp(1, MAX_ENTRY_PAGE);
    let mut conditions: Vec<&str> = Vec::new();
    let mut values: Vec<SqlValue> = Vec::new();
    let mut condition = |sql: &'static str, value: Option<SqlValue>| {
        conditions.push(sql);
        if let Some(value) = value {
            values.push(value);
        }
    };
    if !filter.include_deleted {
        condition("e.deleted = 0", None);
    }
    if let Some(post) = filter.post_id {
        condition("e.post_id = ?", Some(SqlValue::Text(post.to_string())));
    }
    if let Some(kind) = filter.kind {
        condition("e.kind = ?", Some(SqlValue::Text(code(kind))));
    }
    if let Some(from) = filter.from_day {
        condition("e.local_day >= ?", Some(SqlValue::Text(day(from))));
    }
    if let Some(to) = filter.to_day {
        condition("e.local_day <= ?", Some(SqlValue::Text(day(to))));
    }
    if let Some(status) = filter.status {
        condition("e.status = ?", Some(SqlValue::Text(code(status))));
    }
    match filter.review.map(ReviewFilter::decision_code) {
        None => {}
        Some(None) => condition("e.review_decision IS NULL", None),
        Some(Some(decision)) => condition(
            "e.review_decision = ?",
            Some(SqlValue::Text(decision.to_string())),
        ),
    }
    if let Some(text) = filter.text.as_deref().filter(|text| !text.is_empty()) {
        condition(
            "e.search_text LIKE ? ESCAPE '\\'",
            Some(SqlValue::Text(like_pattern(text))),
        );
    }
    if let Some(severity) = filter.severity {
        condition("e.severity = ?", Some(SqlValue::Text(code(severity))));
    }
    if let Some(author) = filter.author.as_deref() {
        condition("e.author = ?", Some(SqlValue::Text(author.to_string())));
    }
    if filter.returned_unfixed {
        // Written out (not bound), so the planner can use the partial index of migration 12.
        condition(RETURNED_UNFIXED, None);
    }
    if filter.from_day.is_some() || filter.to_day.is_some() {
        let window = corrected_window(
            filter.from_day,
            filter.to_day,
            report::correction_range(connection)?,
        );
        if let Some(lower) = window.0 {
            condition(
                "e.occurred_corrected_ms >= ?",
                Some(SqlValue::Integer(lower)),
            );
        }
        if let Some(upper) = window.1 {
            condition(
                "e.occurred_corrected_ms < ?",
                Some(SqlValue::Integer(upper)),
            );
        }
    }
    if let Some(cursor) = cursor {
        condition("(e.occurred_corrected_ms, e.id) < (?, ?)", None);
        values.push(SqlValue::Integer(cursor.occurred_corrected_ms));
        values.push(SqlValue::Text(cursor.id.to_string()));
    }
    values.push(SqlValue::Integer(i64::from(limit) + 1));
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    // The page's rows are chosen first by rowid alone, so an index that holds every filtered
    // column (the day range's, the text search's) answers without reading the entries it
    // skips; only the page's rows are read whole.
    let sql = format!(
        "{SUMMARY_COLUMNS}
         FROM (SELECT e.rowid AS page_rowid FROM entries e {where_clause}
               ORDER BY e.occurred_corrected_ms DESC, e.id DESC LIMIT ?) page
         JOIN entries e ON e.rowid = page.page_rowid JOIN posts p ON p.id = e.post_id
         ORDER BY e.occurred_corrected_ms DESC, e.id DESC"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        entries.push(summary_from_row(row)?);
    }
    let next_cursor = if entries.len() > limit as usize {
        entries.truncate(limit as usize);
        entries.last().map(|last| last.cursor.to_string())
    } else {
        None
    };
    Ok(EntryPage {
        entries,
        next_cursor,
    })
}

/// A return still standing: returned, and the current version is the county's own.
pub(super) const RETURNED_UNFIXED: &str =
    "e.review_decision = 'returned' AND e.written_by = 'county'";

fn code(value: impl patrol_model::DomainCode) -> String {
    value.code().to_string()
}

fn day(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn entry_summary(
    connection: &Connection,
    id: EntryId,
) -> Result<Option<EntrySummary>, StorageError> {
    let mut statement = connection.prepare_cached(&format!(
        "{SUMMARY_COLUMNS} FROM entries e JOIN posts p ON p.id = e.post_id WHERE e.id = ?1"
    ))?;
    let mut rows = statement.query([id.to_string()])?;
    match rows.next()? {
        Some(row) => Ok(Some(summary_from_row(row)?)),
        None => Ok(None),
    }
}

fn entry_detail(connection: &Connection, id: EntryId) -> Result<Option<EntryDetail>, StorageError> {
    let Some(summary) = entry_summary(connection, id)? else {
        return Ok(None);
    };
    let (document, revision, written_at_ms, current_by): (String, i64, Option<i64>, String) =
        connection
            .prepare_cached(
                "SELECT document, revision, written_at_ms, written_by FROM entries WHERE id = ?1",
            )?
            .query_row([id.to_string()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?;
    let entry: serde_json::Value =
        serde_json::from_str(&document).map_err(StorageError::corrupt)?;
    let device_label: Option<String> = match entry.get("device_id").and_then(|id| id.as_str()) {
        Some(device) => connection
            .prepare_cached("SELECT label FROM devices WHERE id = ?1")?
            .query_row([device], |row| row.get(0))
            .optional()?,
        None => None,
    };
    let mut history = Vec::new();
    let mut statement = connection.prepare_cached(
        "SELECT revision, created_at_ms, written_by, document FROM entry_versions
         WHERE entry_id = ?1 AND revision <> ?2 ORDER BY revision",
    )?;
    let mut rows = statement.query(rusqlite::params![id.to_string(), revision])?;
    while let Some(row) = rows.next()? {
        let document: String = row.get(3)?;
        history.push(EntryHistoryVersion {
            revision: to_u64(row.get(0)?)?,
            written_at_ms: row.get(1)?,
            by: written_by(&row.get::<_, String>(2)?)?,
            document: serde_json::from_str(&document).map_err(StorageError::corrupt)?,
        });
    }
    history.push(EntryHistoryVersion {
        revision: to_u64(revision)?,
        written_at_ms,
        by: written_by(&current_by)?,
        document: entry.clone(),
    });
    Ok(Some(EntryDetail {
        photos: photo_references(&entry),
        post_name: summary.post_name.clone(),
        device_label,
        summary,
        history,
        entry,
    }))
}
