//! Listing entries: by kind, status, the county's review, the member who wrote them, the patrol
//! they were recorded during, local date range and full text
//! (Chinese included), newest first, paged by keyset (a cursor, never OFFSET, so page 200 costs
//! what page 1 does).

use super::rows::entry_from_document;
use super::send_state::{SendState, SEND_STATE_SQL};
use super::DeviceStore;
use crate::error::DeviceError;
use chrono::NaiveDate;
use patrol_model::validation::MAX_SHORT_TEXT_CHARS;
use patrol_model::{DomainCode, EntryId, EntryKind, EntryStatus, ReviewDecision};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

/// What to list. Every field is optional; the default lists the newest 50 entries.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct EntryListQuery {
    pub kind: Option<EntryKind>,
    pub status: Option<EntryStatus>,
    /// The county's decision, e.g. the entries returned for the member to fix.
    pub review: Option<ReviewDecision>,
    /// Only the entries this member wrote (the post leader's filter; the name as the roster has it).
    pub author: Option<String>,
    /// Only the entries recorded during this patrol.
    pub patrol: Option<EntryId>,
    /// First local day included.
    pub since: Option<NaiveDate>,
    /// Last local day included.
    pub until: Option<NaiveDate>,
    /// Words that must all appear (any part of a Chinese text matches).
    pub search: Option<String>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    pub limit: Option<u32>,
    /// Left out: `false` (the container's `serde(default)`, which ts-rs does not read).
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub include_deleted: bool,
}

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;
/// Longest search text accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 100;

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntrySummary {
    pub id: String,
    pub kind: EntryKind,
    pub category: String,
    pub status: Option<EntryStatus>,
    /// RFC 3339 in the offset it was recorded in.
    pub occurred_at: String,
    pub author: Option<String>,
    /// A one-line Chinese summary.
    pub title: String,
    pub revision: u32,
    pub deleted: bool,
    pub photo_count: usize,
    /// The county's decision (`approved` / `returned`); absent while none was pulled.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub review_decision: Option<ReviewDecision>,
    /// Whether the county has it: pending, sent, rejected, or received (another phone's).
    pub send_state: SendState,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntryPage {
    pub entries: Vec<EntrySummary>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl DeviceStore {
    pub fn list_entries(&self, query: &EntryListQuery) -> Result<EntryPage, DeviceError> {
        let limit = query
            .limit
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE);
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if !query.include_deleted {
            conditions.push("deleted = 0".into());
        }
        if let Some(kind) = query.kind {
            conditions.push("kind = ?".into());
            values.push(Value::Text(kind.code().into()));
        }
        if let Some(status) = query.status {
            conditions.push("status = ?".into());
            values.push(Value::Text(status.code().into()));
        }
        if let Some(review) = query.review {
            conditions.push("review_decision = ?".into());
            values.push(Value::Text(review.code().into()));
        }
        if let Some(author) = query.author.as_deref().map(str::trim) {
            if author.chars().count() > MAX_SHORT_TEXT_CHARS {
                return Err(DeviceError::invalid_field(
                    "author",
                    format!("成员姓名太长，最多 {MAX_SHORT_TEXT_CHARS} 个字"),
                    format!("member name longer than {MAX_SHORT_TEXT_CHARS} characters"),
                ));
            }
            conditions.push("author = ?".into());
            values.push(Value::Text(author.into()));
        }
        if let Some(patrol) = query.patrol {
            conditions.push("patrol_id = ?".into());
            values.push(Value::Text(patrol.to_string()));
        }
        // Local days are bounded on the indexed UTC time first (widened by the largest UTC
        // offsets), so the timeline index is walked in order; the exact local-day test then
        // runs on those rows only (`+` keeps SQLite from sorting a whole date range instead).
        if let Some(since) = query.since {
            conditions.push("occurred_at_ms >= ? AND +local_date >= ?".into());
            values.push(Value::Integer(day_start_utc_ms(since) - MAX_OFFSET_MS));
            values.push(Value::Text(since.format("%Y-%m-%d").to_string()));
        }
        if let Some(until) = query.until {
            conditions.push("occurred_at_ms < ? AND +local_date <= ?".into());
            let next_day = until.succ_opt().unwrap_or(until);
            values.push(Value::Integer(day_start_utc_ms(next_day) + MAX_OFFSET_MS));
            values.push(Value::Text(until.format("%Y-%m-%d").to_string()));
        }
        if let Some(search) = &query.search {
            add_search_conditions(search, &mut conditions, &mut values)?;
        }
        if let Some(cursor) = &query.after {
            let (occurred_at_ms, id) = parse_cursor(cursor)?;
            conditions.push("(occurred_at_ms < ? OR (occurred_at_ms = ? AND id < ?))".into());
            values.push(Value::Integer(occurred_at_ms));
            values.push(Value::Integer(occurred_at_ms));
            values.push(Value::Text(id));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT occurred_at_ms, id, document, {SEND_STATE_SQL} FROM entries {where_clause}
             ORDER BY occurred_at_ms DESC, id DESC LIMIT {}",
            limit + 1
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut entries = Vec::new();
        let mut last_key = None;
        let mut has_more = false;
        for row in rows {
            let (occurred_at_ms, id, document, send_state) = row?;
            if entries.len() == limit as usize {
                has_more = true;
                break;
            }
            let entry = entry_from_document(&document)?;
            entries.push(EntrySummary {
                id: id.clone(),
                kind: entry.kind(),
                category: entry.draft.body.category_code().to_string(),
                status: entry.status,
                occurred_at: entry.draft.occurred_at.to_string(),
                author: entry.draft.author.clone(),
                title: entry.draft.body.title_zh(),
                revision: entry.revision,
                deleted: entry.deleted,
                photo_count: entry.photos.len(),
                review_decision: entry.review.as_ref().map(|review| review.decision),
                send_state: SendState::from_code(send_state.as_deref()),
            });
            last_key = Some((occurred_at_ms, id));
        }
        let next_cursor = match (has_more, last_key) {
            (true, Some((occurred_at_ms, id))) => Some(format!("{occurred_at_ms}_{id}")),
            _ => None,
        };
        Ok(EntryPage {
            entries,
            next_cursor,
        })
    }
}

/// Wider than any UTC offset a time can carry (RFC 3339 allows up to ±23:59), in ms.
const MAX_OFFSET_MS: i64 = 24 * 3600 * 1000;

/// Midnight UTC at the start of `day`, in ms.
fn day_start_utc_ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map(|midnight| midnight.and_utc().timestamp_millis())
        .unwrap_or(0)
}

fn parse_cursor(cursor: &str) -> Result<(i64, String), DeviceError> {
    let bad = || {
        DeviceError::invalid_field(
            "after",
            "翻页位置无效,请从第一页重新开始",
            "invalid page cursor; start again from the first page",
        )
    };
    let (millis, id) = cursor.split_once('_').ok_or_else(bad)?;
    let millis: i64 = millis.parse().map_err(|_| bad())?;
    let id: uuid::Uuid = id.parse().map_err(|_| bad())?;
    Ok((millis, id.hyphenated().to_string()))
}

/// Each whitespace-separated word must appear. Words of three characters or more use the
/// trigram index; shorter ones (many Chinese words are two characters: 铁网, 塌方) scan with LIKE.
fn add_search_conditions(
    search: &str,
    conditions: &mut Vec<String>,
    values: &mut Vec<Value>,
) -> Result<(), DeviceError> {
    let count = search.chars().count();
    if count > MAX_SEARCH_CHARS {
        return Err(DeviceError::invalid_field(
            "search",
            format!("搜索内容太长:{count} 字,最多 {MAX_SEARCH_CHARS} 字"),
            format!("search text too long: {count} characters, at most {MAX_SEARCH_CHARS}"),
        ));
    }
    let mut long_words = Vec::new();
    for word in search.split_whitespace() {
        if word.chars().count() >= 3 {
            long_words.push(format!("\"{}\"", word.replace('"', "\"\"")));
        } else {
            conditions.push("search_text LIKE ? ESCAPE '\\'".into());
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            values.push(Value::Text(format!("%{escaped}%")));
        }
    }
    if !long_words.is_empty() {
        conditions.push(
            "entry_rowid IN (SELECT rowid FROM entries_search WHERE entries_search MATCH ?)".into(),
        );
        values.push(Value::Text(long_words.join(" AND ")));
    }
    Ok(())
}
