//! The dashboard's wider reads on PostgreSQL: the overview, the statistics and the year-end
//! report (grouped by the database, merged by [`crate::storage::dashboard::folds`] exactly as
//! on SQLite), and the map.

use super::devices::{standing_at, wipe_at};
use super::to_u64;
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
use deadpool_postgres::GenericClient;
use patrol_model::{DeviceId, DomainCode, EntryId, PostId};
use tokio_postgres::types::ToSql;
use uuid::Uuid;

pub async fn overview(
    client: &impl GenericClient,
    now_ms: i64,
    silent_days: u32,
) -> Result<Overview, StorageError> {
    let mut devices = Vec::new();
    for row in client
        .query(
            &format!(
                "SELECT d.id, d.post_id, p.name, d.label,
                    d.last_contact_ms, d.pending_age_ms, d.clock_offset_ms, d.clock_flagged,
                    d.highest_seq, d.acknowledged_through, d.missing_json, {STANDING_COLUMNS}, {WIPE_COLUMNS}
             FROM devices d JOIN posts p ON p.id = d.post_id
             ORDER BY p.name, d.label, d.id"
            ),
            &[],
        )
        .await?
    {
        let missing: String = row.try_get(10)?;
        let standing = standing_at(&row, 11);
        devices.push(DeviceOverview {
            id: DeviceId(row.try_get(0)?),
            post_id: PostId(row.try_get(1)?),
            post_name: row.try_get(2)?,
            label: row.try_get(3)?,
            revoked: standing.is_revoked(),
            standing,
            wipe: wipe_at(&row, 14)?,
            last_contact_ms: row.try_get(4)?,
            pending_age_ms: row.try_get(5)?,
            clock_offset_ms: row.try_get(6)?,
            clock_flagged: row.try_get(7)?,
            highest_seq: to_u64(row.try_get(8)?)?,
            acknowledged_through: to_u64(row.try_get(9)?)?,
            missing: serde_json::from_str(&missing).map_err(StorageError::corrupt)?,
        });
    }
    // Live and awaiting entries per post are counted by the sync and the review (EntryCounts).
    let mut posts = Vec::new();
    for row in client
        .query(
            "SELECT id, name, live_entries, awaiting_review FROM posts ORDER BY name, id",
            &[],
        )
        .await?
    {
        posts.push(PostCounts {
            id: PostId(row.try_get(0)?),
            name: row.try_get(1)?,
            live_entries: to_u64(row.try_get(2)?)?,
            awaiting_review: to_u64(row.try_get(3)?)?,
        });
    }
    Ok(overview_from(devices, posts, now_ms, silent_days))
}

/// Live entries of `year` grouped by post, local month, kind and category.
async fn year_groups(
    client: &impl GenericClient,
    year: i32,
    post: Option<PostId>,
) -> Result<Vec<GroupRow>, StorageError> {
    let (first, last) = year_days(year);
    let post: Option<Uuid> = post.map(|post| post.0);
    let rows = client
        .query(
            "SELECT g.post_id, p.name, g.month, g.kind, g.category, g.entries, g.quantity,
                    g.fixed
             FROM (SELECT post_id, substr(local_day, 1, 7) AS month, kind, category,
                          COUNT(*) AS entries, SUM(quantity) AS quantity,
                          COUNT(*) FILTER (WHERE status = 'fixed') AS fixed
                   FROM entries
                   WHERE NOT deleted AND local_day BETWEEN $1 AND $2
                     AND ($3::uuid IS NULL OR post_id = $3)
                   GROUP BY post_id, substr(local_day, 1, 7), kind, category) g
             JOIN posts p ON p.id = g.post_id",
            &[&first, &last, &post],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(GroupRow {
                post_id: PostId(row.try_get(0)?),
                post_name: row.try_get(1)?,
                period: row.try_get(2)?,
                kind: row.try_get(3)?,
                category: row.try_get::<_, Option<String>>(4)?.unwrap_or_default(),
                entries: to_u64(row.try_get(5)?)?,
                quantity: row.try_get(6)?,
                fixed: to_u64(row.try_get(7)?)?,
            })
        })
        .collect()
}

pub async fn statistics(
    client: &impl GenericClient,
    year: i32,
    post: Option<PostId>,
) -> Result<Statistics, StorageError> {
    Ok(statistics_from_groups(
        year,
        year_groups(client, year, post).await?,
    ))
}

/// The year of the latest live local day: one step down `entries_by_local_day`.
pub async fn latest_entry_year(client: &impl GenericClient) -> Result<Option<i32>, StorageError> {
    let statement = client
        .prepare_cached("SELECT MAX(local_day) FROM entries WHERE NOT deleted")
        .await?;
    let day: Option<String> = client.query_one(&statement, &[]).await?.get(0);
    Ok(day.as_deref().and_then(year_of_local_day))
}

pub async fn annual_report(
    client: &impl GenericClient,
    year: i32,
) -> Result<AnnualReport, StorageError> {
    Ok(report_from_groups(
        year,
        year_groups(client, year, None).await?,
    ))
}

pub async fn map_features(
    client: &impl GenericClient,
    filter: &MapFilter,
) -> Result<MapFeatures, StorageError> {
    let mut conditions: Vec<String> = vec![
        "NOT e.deleted".into(),
        "(e.lat IS NOT NULL OR (e.kind = 'patrol'
            AND (e.document::jsonb) #>> '{body,track}' IS NOT NULL))"
            .into(),
    ];
    let mut values: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    let mut add = |sql: &str, value: Box<dyn ToSql + Sync + Send>| {
        values.push(value);
        conditions.push(format!("{sql} ${}", values.len()));
    };
    if let Some(post) = filter.post_id {
        add("e.post_id =", Box::new(post.0));
    }
    if let Some(kind) = filter.kind {
        add("e.kind =", Box::new(kind.code().to_string()));
    }
    if let Some(from) = filter.from_day {
        add(
            "e.local_day >=",
            Box::new(from.format("%Y-%m-%d").to_string()),
        );
    }
    if let Some(to) = filter.to_day {
        add(
            "e.local_day <=",
            Box::new(to.format("%Y-%m-%d").to_string()),
        );
    }
    if filter.from_day.is_some() || filter.to_day.is_some() {
        let window = corrected_window(
            filter.from_day,
            filter.to_day,
            correction_range(client).await?,
        );
        if let Some(lower) = window.0 {
            add("e.occurred_corrected_ms >=", Box::new(lower));
        }
        if let Some(upper) = window.1 {
            add("e.occurred_corrected_ms <", Box::new(upper));
        }
    }
    let sql = format!(
        "SELECT e.id, e.kind, e.category, e.title_zh, e.status, e.occurred_at_ms,
                e.occurred_offset_minutes, p.name, e.lat, e.lon, e.post_id, e.severity,
                CASE WHEN e.kind = 'patrol' THEN (e.document::jsonb) #>> '{{body,track}}' END
         FROM entries e JOIN posts p ON p.id = e.post_id
         WHERE {}
         ORDER BY e.occurred_corrected_ms DESC, e.id DESC LIMIT {}",
        conditions.join(" AND "),
        MAX_MAP_FEATURES + 1
    );
    let params: Vec<&(dyn ToSql + Sync)> = values
        .iter()
        .map(|value| value.as_ref() as &(dyn ToSql + Sync))
        .collect();
    let rows = client.query(&sql, &params).await?;
    let truncated = rows.len() > MAX_MAP_FEATURES;
    let mut features = Vec::new();
    for row in rows.iter().take(MAX_MAP_FEATURES) {
        let map_row = MapRow {
            id: EntryId(row.try_get(0)?),
            kind: row.try_get(1)?,
            category: row.try_get::<_, Option<String>>(2)?.unwrap_or_default(),
            title_zh: row.try_get::<_, Option<String>>(3)?.unwrap_or_default(),
            status: row.try_get(4)?,
            occurred_at_ms: row.try_get(5)?,
            occurred_offset_minutes: row.try_get::<_, Option<i32>>(6)?.unwrap_or(0),
            post_name: row.try_get(7)?,
            lat: row.try_get(8)?,
            lon: row.try_get(9)?,
            post_id: PostId(row.try_get(10)?),
            severity: row.try_get(11)?,
            track: row.try_get(12)?,
        };
        features.extend(map_row.into_feature());
    }
    Ok(MapFeatures {
        features,
        truncated,
    })
}

/// The smallest and largest clock correction of any entry (0, 0 when there is none).
pub async fn correction_range(client: &impl GenericClient) -> Result<(i64, i64), StorageError> {
    let row = client
        .query_one(
            "SELECT MIN(occurred_correction_ms), MAX(occurred_correction_ms) FROM entries",
            &[],
        )
        .await?;
    let lowest: Option<i64> = row.try_get(0)?;
    let highest: Option<i64> = row.try_get(1)?;
    Ok((lowest.unwrap_or(0), highest.unwrap_or(0)))
}
