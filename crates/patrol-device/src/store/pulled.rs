//! Applying the post's changes pulled from the server, inside the transaction that applies the
//! whole answer (`sync_state.rs`). Per entry: one lookup (current document, latest revision and
//! statistics contribution in one cached statement), no copy of the pulled JSON, and one write
//! of the current row and its history row, kept as the server's version (no outbox record).
//! The entries with unsent changes are read once per answer: those are not applied.

use super::entries::{write_version_over, EntryChange, StatisticsContribution, VersionSource};
use crate::error::DeviceError;
use patrol_model::sync::{same_entry_content, PulledChange};
use patrol_model::Entry;
use rusqlite::{OptionalExtension, Transaction};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;

/// What applying one answer's changes did.
#[derive(Debug, Default)]
pub(crate) struct PulledOutcome {
    /// New versions written.
    pub pulled: u64,
    /// Not applied because this device still has unsent changes of them.
    pub deferred: u64,
}

/// Applies `changes` in order. Call after the answer's acknowledgements are applied: an entry
/// whose changes the server has all stored is no longer held back.
pub(crate) fn apply_pulled_changes(
    transaction: &Transaction<'_>,
    changes: &[PulledChange],
) -> Result<PulledOutcome, DeviceError> {
    let mut outcome = PulledOutcome::default();
    if changes.is_empty() {
        return Ok(outcome);
    }
    let unsent = entries_with_unsent_changes(transaction)?;
    for change in changes {
        let mut entry = parse_pulled(change)?;
        let id = entry.id.to_string();
        if unsent.contains(&id) {
            outcome.deferred += 1;
            continue;
        }
        let local = LocalEntry::load(transaction, &id)?;
        if let Some(local) = &local {
            if local.says_what(&change.entry)? {
                continue; // nothing new for this device
            }
        }
        let local_revision = local.as_ref().and_then(|local| local.revision);
        entry.revision = entry.revision.max(local_revision.unwrap_or(0) + 1);
        let kind = match local_revision {
            Some(_) => EntryChange::Edit,
            None => EntryChange::Create,
        };
        let replaced = local.and_then(|local| local.contribution);
        write_version_over(transaction, &entry, kind, VersionSource::Server, replaced)?;
        outcome.pulled += 1;
    }
    Ok(outcome)
}

/// The entry a change carries, read from the answer without copying it.
fn parse_pulled(change: &PulledChange) -> Result<Entry, DeviceError> {
    Entry::deserialize(&change.entry).map_err(|_| {
        DeviceError::Damaged(format!(
            "the server sent an entry that does not parse at cursor {}",
            change.cursor
        ))
    })
}

/// The ids of the entries that have an outbox record the server has not acknowledged.
fn entries_with_unsent_changes(
    transaction: &Transaction<'_>,
) -> Result<HashSet<String>, DeviceError> {
    let mut statement = transaction
        .prepare_cached("SELECT DISTINCT entry_id FROM outbox WHERE acknowledged_at_ms IS NULL")?;
    let ids = statement
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// What the device holds of a pulled entry.
struct LocalEntry {
    document: String,
    /// The latest revision in its history.
    revision: Option<u32>,
    /// What it adds to the monthly statistics now (`None` when deleted).
    contribution: Option<StatisticsContribution>,
}

impl LocalEntry {
    fn load(transaction: &Transaction<'_>, id: &str) -> Result<Option<LocalEntry>, DeviceError> {
        let mut statement = transaction.prepare_cached(&format!(
            "SELECT e.document, e.deleted,
                    (SELECT MAX(v.revision) FROM entry_versions v WHERE v.entry_id = e.id),
                    {}
             FROM entries e WHERE e.id = ?1",
            super::entries::CONTRIBUTION_COLUMNS
        ))?;
        Ok(statement
            .query_row([id], |row| {
                let deleted: bool = row.get(1)?;
                Ok(LocalEntry {
                    document: row.get(0)?,
                    revision: row.get(2)?,
                    contribution: if deleted {
                        None
                    } else {
                        Some(StatisticsContribution::from_row(row, 3)?)
                    },
                })
            })
            .optional()?)
    }

    /// Whether `pulled` says what the device holds: the same content, review and post.
    fn says_what(&self, pulled: &Value) -> Result<bool, DeviceError> {
        let current: Value = serde_json::from_str(&self.document)
            .map_err(|error| DeviceError::Damaged(error.to_string()))?;
        Ok(same_entry_content(&current, pulled) && current.get("post_id") == pulled.get("post_id"))
    }
}
