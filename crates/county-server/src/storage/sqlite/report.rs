//! The dashboard's wider reads on SQLite: the overview, the statistics and the year-end report
//! (grouped in the order of the `entries_by_local_day` index, so SQLite aggregates while it
//! walks the index, and merged in Rust by [`crate::storage::dashboard::folds`]), and the map.

use super::devices::{standing_at, wipe_at};
use super::{parse_id, to_u64};
use crate::error::StorageError;
use crate::report::annual::AnnualReport;
use crate::storage::dashboard::folds::{
    overview_from, report_from_groups, statistics_from_groups, GroupRow, MapRow, PostCounts,
};
use crate::storage::dashboard::{
    corrected_window, year_days, year_of_local_day, DeviceOverview, MapFeatures, MapFilter,
    Overview, Statistics, MAX_MAP_FEATURES,
};
use crate::storage::device_standing::{STANDING_COLUMNS, WIPE_COLUMNS};
use patrol_model::{DomainCode, PostId};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection};
use std::collections::HashMap;

fn post_names(connection: &Connection) -> Result<Vec<(PostId, String)>, StorageError> {
    let mut statement =
        connection.prepare_cached("SELECT id, name FROM posts ORDER BY name, id")?;
    let mut rows = statement.query([])?;
    let mut posts = Vec::new();
    while let Some(row) = rows.next()? {
        posts.push((parse_id(&row.get::<_, String>(0)?)?, row.get(1)?));
    }
    Ok(posts)
}

pub fn overview(
    connection: &Connection,
    now_ms: i64,
    silent_days: u32,
) -> Result<Overview, StorageError> {
    let mut devices = Vec::new();
    {
        let mut statement = connection.prepare_cached(&format!(
            "SELECT d.id, d.post_id, p.name, d.label,
                    d.last_contact_ms, d.pending_age_ms, d.clock_offset_ms, d.clock_flagged,
                    d.highest_seq, d.acknowledged_through, d.missing_json, {STANDING_COLUMNS}, {WIPE_COLUMNS}
             FROM devices d JOIN posts p ON p.id = d.post_id
             ORDER BY p.name, d.label, d.id"
        ))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let missing: String = row.get(10)?;
            let standing = standing_at(row, 11)?;
            devices.push(DeviceOverview {
                id: parse_id(&row.get::<_, String>(0)?)?,
                post_id: parse_id(&row.get::<_, String>(1)?)?,
                post_name: row.get(2)?,
                label: row.get(3)?,
                revoked: standing.is_revoked(),
                standing,
                wipe: wipe_at(row, 14)?,
                last_contact_ms: row.get(4)?,
                pending_age_ms: row.get(5)?,
                clock_offset_ms: row.get(6)?,
                clock_flagged: row.get(7)?,
                highest_seq: to_u64(row.get(8)?)?,
                acknowledged_through: to_u64(row.get(9)?)?,
                missing: serde_json::from_str(&missing).map_err(StorageError::corrupt)?,
            });
        }
    }
    // Live and awaiting entries per post are counted by the sync and the review (EntryCounts).
    let mut posts = Vec::new();
    let mut statement = connection.prepare_cached(
        "SELECT id, name, live_entries, awaiting_review FROM posts ORDER BY name, id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        posts.push(PostCounts {
            id: parse_id(&row.get::<_, String>(0)?)?,
            name: row.get(1)?,
            live_entries: to_u64(row.get(2)?)?,
            awaiting_review: to_u64(row.get(3)?)?,
        });
    }
    Ok(overview_from(devices, posts, now_ms, silent_days))
}

/// Live entries of `year` grouped by local day, kind, category and post (the index's order).
fn year_groups(
    connection: &Connection,
    year: i32,
    post: Option<PostId>,
) -> Result<Vec<GroupRow>, StorageError> {
    let names: HashMap<PostId, String> = post_names(connection)?.into_iter().collect();
    let (first, last) = year_days(year);
    let mut statement = connection.prepare_cached(
        "SELECT local_day, kind, category, post_id, COUNT(*), SUM(quantity),
                COUNT(CASE WHEN status = 'fixed' THEN 1 END)
         FROM entries
         WHERE deleted = 0 AND local_day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR post_id = ?3)
         GROUP BY local_day, kind, category, post_id",
    )?;
    let mut rows = statement.query(rusqlite::params![
        first,
        last,
        post.map(|post| post.to_string())
    ])?;
    let mut groups = Vec::new();
    while let Some(row) = rows.next()? {
        let post_id: PostId = parse_id(&row.get::<_, String>(3)?)?;
        groups.push(GroupRow {
            post_name: names.get(&post_id).cloned().unwrap_or_default(),
            post_id,
            period: row.get(0)?,
            kind: row.get(1)?,
            category: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
            entries: to_u64(row.get(4)?)?,
            quantity: row.get(5)?,
            fixed: to_u64(row.get(6)?)?,
        });
    }
    Ok(groups)
}

pub fn statistics(
    connection: &Connection,
    year: i32,
    post: Option<PostId>,
) -> Result<Statistics, StorageError> {
    Ok(statistics_from_groups(
        year,
        year_groups(connection, year, post)?,
    ))
}

pub fn annual_report(connection: &Connection, year: i32) -> Result<AnnualReport, StorageError> {
    Ok(report_from_groups(
        year,
        year_groups(connection, year, None)?,
    ))
}

/// The year of the latest live local day: one step down `entries_by_local_day`.
pub fn latest_entry_year(connection: &Connection) -> Result<Option<i32>, StorageError> {
    let day: Option<String> = connection
        .prepare_cached("SELECT MAX(local_day) FROM entries WHERE deleted = 0")?
        .query_row([], |row| row.get(0))?;
    Ok(day.as_deref().and_then(year_of_local_day))
}

pub fn map_features(
    connection: &Connection,
    filter: &MapFilter,
) -> Result<MapFeatures, StorageError> {
    let mut conditions = vec![
        "e.deleted = 0",
        "(e.lat IS NOT NULL OR (e.kind = 'patrol'
            AND json_extract(e.document, '$.body.track') IS NOT NULL))",
    ];
    let mut values: Vec<SqlValue> = Vec::new();
    if let Some(post) = filter.post_id {
        conditions.push("e.post_id = ?");
        values.push(SqlValue::Text(post.to_string()));
    }
    if let Some(kind) = filter.kind {
        conditions.push("e.kind = ?");
        values.push(SqlValue::Text(kind.code().to_string()));
    }
    if let Some(from) = filter.from_day {
        conditions.push("e.local_day >= ?");
        values.push(SqlValue::Text(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to_day {
        conditions.push("e.local_day <= ?");
        values.push(SqlValue::Text(to.format("%Y-%m-%d").to_string()));
    }
    if filter.from_day.is_some() || filter.to_day.is_some() {
        let window = corrected_window(
            filter.from_day,
            filter.to_day,
            correction_range(connection)?,
        );
        if let Some(lower) = window.0 {
            conditions.push("e.occurred_corrected_ms >= ?");
            values.push(SqlValue::Integer(lower));
        }
        if let Some(upper) = window.1 {
            conditions.push("e.occurred_corrected_ms < ?");
            values.push(SqlValue::Integer(upper));
        }
    }
    values.push(SqlValue::Integer(MAX_MAP_FEATURES as i64 + 1));
    let sql = format!(
        "SELECT e.id, e.kind, e.category, e.title_zh, e.status, e.occurred_at_ms,
                e.occurred_offset_minutes, p.name, e.lat, e.lon, e.post_id, e.severity,
                CASE WHEN e.kind = 'patrol' THEN json_extract(e.document, '$.body.track') END
         FROM entries e JOIN posts p ON p.id = e.post_id
         WHERE {}
         ORDER BY e.occurred_corrected_ms DESC, e.id DESC LIMIT ?",
        conditions.join(" AND ")
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    let mut features = Vec::new();
    let mut truncated = false;
    while let Some(row) = rows.next()? {
        if features.len() == MAX_MAP_FEATURES {
            truncated = true;
            break;
        }
        let map_row = MapRow {
            id: parse_id(&row.get::<_, String>(0)?)?,
            kind: row.get(1)?,
            category: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
            title_zh: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
            status: row.get(4)?,
            occurred_at_ms: row.get(5)?,
            occurred_offset_minutes: row.get::<_, Option<i32>>(6)?.unwrap_or(0),
            post_name: row.get(7)?,
            lat: row.get(8)?,
            lon: row.get(9)?,
            post_id: parse_id(&row.get::<_, String>(10)?)?,
            severity: row.get(11)?,
            track: row.get(12)?,
        };
        features.extend(map_row.into_feature());
    }
    Ok(MapFeatures {
        features,
        truncated,
    })
}

/// The smallest and largest clock correction of any entry (0, 0 when there is none).
pub fn correction_range(connection: &Connection) -> Result<(i64, i64), StorageError> {
    let (lowest, highest): (Option<i64>, Option<i64>) = connection
        .prepare_cached(
            // Two subqueries: SQLite reads a MIN or MAX off the index only when it is alone.
            "SELECT (SELECT MIN(occurred_correction_ms) FROM entries),
                    (SELECT MAX(occurred_correction_ms) FROM entries)",
        )?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok((lowest.unwrap_or(0), highest.unwrap_or(0)))
}
