//! The county PostgreSQL schema: `migrations/county-postgres/NN-name/up.sql`, embedded at
//! compile time and applied on start by this small runner, recorded in `schema_migrations`.
//! The same folder layout as the SQLite migrations; an advisory lock lets several server copies
//! start at once. Append-only.

use crate::error::StorageError;
use include_dir::{include_dir, Dir};

static FILES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../migrations/county-postgres");

/// An arbitrary constant: the advisory lock key of the migration runner.
const MIGRATION_LOCK_KEY: i64 = 0x7061_7472_6f6c;

/// `(version, name, sql)`, oldest first; the version is the folder's `NN` prefix.
pub fn county_postgres_migrations() -> Result<Vec<(i32, String, &'static str)>, StorageError> {
    let mut migrations = Vec::new();
    for dir in FILES.dirs() {
        let name = dir.path().display().to_string();
        let version = name
            .split('-')
            .next()
            .and_then(|prefix| prefix.parse::<i32>().ok())
            .ok_or_else(|| StorageError::corrupt(format!("migration folder {name:?} lacks NN-")))?;
        let sql = dir
            .get_file(dir.path().join("up.sql"))
            .and_then(|file| file.contents_utf8())
            .ok_or_else(|| StorageError::corrupt(format!("migration {name:?} lacks up.sql")))?;
        migrations.push((version, name, sql));
    }
    migrations.sort_by_key(|(version, _, _)| *version);
    Ok(migrations)
}

pub async fn migrate(client: &mut deadpool_postgres::Object) -> Result<(), StorageError> {
    let migrations = county_postgres_migrations()?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await?;
    let applied: Vec<i32> = tx
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let known = migrations
        .last()
        .map(|(version, _, _)| *version)
        .unwrap_or(0);
    if let Some(newer) = applied.iter().find(|version| **version > known) {
        return Err(StorageError::corrupt(format!(
            "the database has schema version {newer}, newer than this server knows ({known})"
        )));
    }
    for (version, name, sql) in migrations {
        if applied.contains(&version) {
            continue;
        }
        tx.batch_execute(sql)
            .await
            .map_err(|source| StorageError::PostgresMigration {
                name: name.clone(),
                source,
            })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&version, &name],
        )
        .await?;
        tracing::info!(migration = %name, "applied PostgreSQL migration");
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_numbered_folders_with_up_sql() {
        let migrations = super::county_postgres_migrations().unwrap();
        assert!(!migrations.is_empty());
        for (index, (version, _, _)) in migrations.iter().enumerate() {
            assert_eq!(*version as usize, index + 1);
        }
    }
}
