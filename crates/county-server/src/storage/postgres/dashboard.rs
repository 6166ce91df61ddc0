//! [`DashboardQueries`] on PostgreSQL: the entries list (keyset on corrected time, then id), one
//! entry with its history, and the county's review. The overview, statistics, year-end report
//! and map are in `report.rs`. Same answers as the SQLite backend (`tests/dashboard_queries.rs`).

use super::{report, sync_tx, to_u64, PostgresStorage};
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
use deadpool_postgres::GenericClient;
use patrol_model::{DomainCode, EntryId, PostId};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use uuid::Uuid;

#[async_trait]
impl DashboardQueries for PostgresStorage {
    async fn entry_page(
        &self,
        filter: DashboardEntryFilter,
        cursor: Option<EntryCursor>,
        limit: u32,
    ) -> Result<EntryPage, StorageError> {
        entry_page(&self.client().await?, &filter, cursor, limit).await
    }

    async fn entry_summary(&self, id: EntryId) -> Result<Option<EntrySummary>, StorageError> {
        entry_summary(&self.client().await?, id).await
    }

    async fn entry_detail(&self, id: EntryId) -> Result<Option<EntryDetail>, StorageError> {
        entry_detail(&self.client().await?, id).await
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
        let mut client = self.client().await?;
        if !sync_tx::review(&mut client, id, &review, &audit).await? {
            return Ok(None);
        }
        entry_summary(&client, id).await
    }

    async fn review_entries(
        &self,
        ids: Vec<EntryId>,
        review: NewReview,
        by: &crate::audit::Actor,
    ) -> Result<BulkReviewOutcome, StorageError> {
        sync_tx::review_many(&mut self.client().await?, &ids, &review, by).await
    }

    async fn overview(&self, now_ms: i64, silent_days: u32) -> Result<Overview, StorageError> {
        report::overview(&self.client().await?, now_ms, silent_days).await
    }

    async fn statistics(
        &self,
        year: i32,
        post: Option<PostId>,
    ) -> Result<Statistics, StorageError> {
        report::statistics(&self.client().await?, year, post).await
    }

    async fn map_features(&self, filter: MapFilter) -> Result<MapFeatures, StorageError> {
        report::map_features(&self.client().await?, &filter).await
    }

    async fn annual_report(&self, year: i32) -> Result<AnnualReport, StorageError> {
        report::annual_report(&self.client().await?, year).await
    }

    async fn latest_entry_year(&self) -> Result<Option<i32>, StorageError> {
        report::latest_entry_year(&self.client().await?).await
    }
}

/// The columns [`summary_from_row`] reads, from `entries e JOIN posts p`.
const SUMMARY_COLUMNS: &str = "SELECT e.id, e.post_id, p.name, e.kind, e.category, e.title_zh,
        e.occurred_at_ms, e.occurred_offset_minutes, e.local_day, e.author, e.status,
        e.review_decision, e.deleted, e.photo_count, e.quantity, e.quantity_unit, e.lat, e.lon,
        e.occurred_corrected_ms, e.severity";

fn summary_from_row(row: &Row) -> Result<EntrySummary, StorageError> {
    let id = EntryId(row.try_get(0)?);
    let kind: String = row.try_get(3)?;
    let category: String = row.try_get::<_, Option<String>>(4)?.unwrap_or_default();
    let photo_count: Option<i32> = row.try_get(13)?;
    Ok(EntrySummary {
        id,
        post_id: PostId(row.try_get(1)?),
        post_name: row.try_get(2)?,
        category_label_zh: category_label(&kind, &category),
        kind,
        category,
        title_zh: row.try_get::<_, Option<String>>(5)?.unwrap_or_default(),
        occurred_at: occurred_at_text(
            row.try_get(6)?,
            row.try_get::<_, Option<i32>>(7)?.unwrap_or(0),
        ),
        local_day: row.try_get::<_, Option<String>>(8)?.unwrap_or_default(),
        author: row.try_get(9)?,
        status: row.try_get(10)?,
        review_decision: row.try_get(11)?,
        deleted: row.try_get(12)?,
        photo_count: photo_count
            .and_then(|count| u32::try_from(count).ok())
            .unwrap_or(0),
        quantity: row.try_get(14)?,
        unit: row.try_get(15)?,
        lat: row.try_get(16)?,
        lon: row.try_get(17)?,
        severity: row.try_get(19)?,
        cursor: EntryCursor {
            occurred_corrected_ms: row.try_get::<_, Option<i64>>(18)?.unwrap_or(0),
            id,
        },
    })
}

/// A query's `WHERE` terms and their parameters, numbered `$1`, `$2`, … as they are added.
#[derive(Default)]
struct Conditions {
    terms: Vec<String>,
    values: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Conditions {
    /// Adds `sql`, where each `$` stands for the next parameter.
    fn push(&mut self, sql: &str, values: Vec<Box<dyn ToSql + Sync + Send>>) {
        let mut numbered = String::new();
        let mut next = self.values.len();
        for character in sql.chars() {
            if character == '$' {
                next += 1;
                numbered.push_str(&format!("${next}"));
            } else {
                numbered.push(character);
            }
        }
        self.terms.push(numbered);
        self.values.extend(values);
    }

    fn where_clause(&self) -> String {
        if self.terms.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.terms.join(" AND "))
        }
    }

    fn next_placeholder(&self) -> String {
        format!("${}", self.values.len() + 1)
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values
            .iter()
            .map(|value| value.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

fn day(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

async fn entry_page(
    client: &impl GenericClient,
    filter: &DashboardEntryFilter,
    cursor: Option<EntryCursor>,
    limit: u32,
) -> Result<EntryPage, StorageError> {
    let limit = limit.clamp(1, MAX_ENTRY_PAGE);
    let mut conditions = Conditions::default();
    if !filter.include_deleted {
        conditions.push("NOT e.deleted", vec![]);
    }
    if let Some(post) = filter.post_id {
        conditions.push("e.post_id = $", vec![Box::new(post.0)]);
    }
    if let Some(kind) = filter.kind {
        conditions.push("e.kind = $", vec![Box::new(kind.code().to_string())]);
    }
    if let Some(from) = filter.from_day {
        conditions.push("e.local_day >= $", vec![Box::new(day(from))]);
    }
    if let Some(to) = filter.to_day {
        conditions.push("e.local_day <= $", vec![Box::new(day(to))]);
    }
    if let Some(status) = filter.status {
        conditions.push("e.status = $", vec![Box::new(status.code().to_string())]);
    }
    match filter.review.map(ReviewFilter::decision_code) {
        None => {}
        Some(None) => conditions.push("e.review_decision IS NULL", vec![]),
        Some(Some(decision)) => conditions.push(
            "e.review_decision = $",
            vec![Box::new(decision.to_string())],
        ),
    }
    if let Some(text) = filter.text.as_deref().filter(|text| !text.is_empty()) {
        conditions.push(
            "e.search_text LIKE $ ESCAPE '\\'",
            vec![Box::new(like_pattern(text))],
        );
    }
    if let Some(severity) = filter.severity {
        conditions.push(
            "e.severity = $",
            vec![Box::new(severity.code().to_string())],
        );
    }
    if let Some(author) = filter.author.clone() {
        conditions.push("e.author = $", vec![Box::new(author)]);
    }
    if filter.returned_unfixed {
        // Written out (not bound), so the planner can use the partial index of migration 12.
        conditions.push(
            "e.review_decision = 'returned' AND e.written_by = 'county'",
            vec![],
        );
    }
    if filter.from_day.is_some() || filter.to_day.is_some() {
        let window = corrected_window(
            filter.from_day,
            filter.to_day,
            report::correction_range(client).await?,
        );
        if let Some(lower) = window.0 {
            conditions.push("e.occurred_corrected_ms >= $", vec![Box::new(lower)]);
        }
        if let Some(upper) = window.1 {
            conditions.push("e.occurred_corrected_ms < $", vec![Box::new(upper)]);
        }
    }
    if let Some(cursor) = cursor {
        conditions.push(
            "(e.occurred_corrected_ms, e.id) < ($, $)",
            vec![
                Box::new(cursor.occurred_corrected_ms),
                Box::new(cursor.id.0),
            ],
        );
    }
    // The page's ids are chosen first, so an index holding every filtered column answers
    // without reading the entries it skips; only the page's rows are read whole.
    let sql = format!(
        "{SUMMARY_COLUMNS}
         FROM (SELECT e.id AS page_id FROM entries e {}
               ORDER BY e.occurred_corrected_ms DESC, e.id DESC LIMIT {}) page
         JOIN entries e ON e.id = page.page_id JOIN posts p ON p.id = e.post_id
         ORDER BY e.occurred_corrected_ms DESC, e.id DESC",
        conditions.where_clause(),
        conditions.next_placeholder()
    );
    let fetch = i64::from(limit) + 1;
    let mut params = conditions.params();
    params.push(&fetch);
    let statement = client.prepare_cached(&sql).await?;
    let rows = client.query(&statement, &params).await?;
    let mut entries = rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<Vec<_>, _>>()?;
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

async fn entry_summary(
    client: &impl GenericClient,
    id: EntryId,
) -> Result<Option<EntrySummary>, StorageError> {
    let statement = client
        .prepare_cached(&format!(
            "{SUMMARY_COLUMNS} FROM entries e JOIN posts p ON p.id = e.post_id WHERE e.id = $1"
        ))
        .await?;
    client
        .query_opt(&statement, &[&id.0])
        .await?
        .map(|row| summary_from_row(&row))
        .transpose()
}

async fn entry_detail(
    client: &impl GenericClient,
    id: EntryId,
) -> Result<Option<EntryDetail>, StorageError> {
    let Some(summary) = entry_summary(client, id).await? else {
        return Ok(None);
    };
    let current = client
        .query_one(
            "SELECT document, revision, written_at_ms, written_by FROM entries WHERE id = $1",
            &[&id.0],
        )
        .await?;
    let document: String = current.try_get(0)?;
    let revision: i64 = current.try_get(1)?;
    let entry: serde_json::Value =
        serde_json::from_str(&document).map_err(StorageError::corrupt)?;
    let device: Option<Uuid> = entry
        .get("device_id")
        .and_then(|device| device.as_str())
        .and_then(|device| device.parse().ok());
    let device_label: Option<String> = match device {
        Some(device) => client
            .query_opt("SELECT label FROM devices WHERE id = $1", &[&device])
            .await?
            .map(|row| row.try_get(0))
            .transpose()?,
        None => None,
    };
    let versions = client
        .query(
            "SELECT revision, created_at_ms, written_by, document FROM entry_versions
             WHERE entry_id = $1 AND revision <> $2 ORDER BY revision",
            &[&id.0, &revision],
        )
        .await?;
    let mut history = Vec::new();
    for row in &versions {
        let document: String = row.try_get(3)?;
        history.push(EntryHistoryVersion {
            revision: to_u64(row.try_get(0)?)?,
            written_at_ms: row.try_get(1)?,
            by: written_by(row.try_get(2)?)?,
            document: serde_json::from_str(&document).map_err(StorageError::corrupt)?,
        });
    }
    history.push(EntryHistoryVersion {
        revision: to_u64(revision)?,
        written_at_ms: current.try_get(2)?,
        by: written_by(current.try_get(3)?)?,
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
