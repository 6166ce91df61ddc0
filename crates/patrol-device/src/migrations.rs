//! The device schema: SQL files under `migrations/device/`, embedded at compile time and applied
//! on open. Append-only: a landed migration is never edited.

use include_dir::{include_dir, Dir};
use rusqlite_migration::Migrations;
use std::sync::LazyLock;

static DEVICE_MIGRATION_FILES: Dir<'_> =
    include_dir!("$CARGO_MANIFEST_DIR/../../migrations/device");

static DEVICE_MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::from_directory(&DEVICE_MIGRATION_FILES)
        .expect("migrations/device is laid out as NN-name/up.sql (checked by a test)")
});

/// Every device migration, oldest first.
pub fn device_migrations() -> &'static Migrations<'static> {
    &DEVICE_MIGRATIONS
}

/// How many migrations there are: the schema version of a fully migrated store.
pub fn device_schema_version() -> usize {
    DEVICE_MIGRATION_FILES.dirs().count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::device_migrations().validate().unwrap();
        assert!(super::device_schema_version() >= 3);
    }
}
