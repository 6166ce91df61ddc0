//! The county SQLite schema: `migrations/county-sqlite/NN-name/up.sql`, embedded at compile
//! time, applied on open. Append-only.

use include_dir::{include_dir, Dir};
use rusqlite_migration::Migrations;
use std::sync::LazyLock;

static FILES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../migrations/county-sqlite");

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::from_directory(&FILES)
        .expect("migrations/county-sqlite is laid out as NN-name/up.sql (checked by a test)")
});

/// Every county SQLite migration, oldest first.
pub fn county_sqlite_migrations() -> &'static Migrations<'static> {
    &MIGRATIONS
}

/// The schema version of a fully migrated database.
pub fn county_sqlite_schema_version() -> usize {
    FILES.dirs().count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::county_sqlite_migrations().validate().unwrap();
        assert!(super::county_sqlite_schema_version() >= 1);
    }
}
