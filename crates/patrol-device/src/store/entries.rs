//! Recording, editing and deleting entries. Each change is one transaction that writes the new
//! current version, keeps it in the history, and appends it to the outbox.

use super::outbox::append_to_outbox;
use super::photos::check_photo_attachments;
use super::rows::{document_of, entry_from_document};
use super::{DeviceStore, CURRENT_MEMBER_SETTING};
use crate::error::DeviceError;
use chrono::Utc;
use patrol_model::{
    DomainCode, Entry, EntryBody, EntryDraft, EntryId, EntryKind, EntryStatus, PhotoAttachment,
    Review, ValidationReport,
};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// What a new version of an entry did, as kept in its history and sent in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryChange {
    Create,
    Edit,
    Delete,
    Status,
}

impl EntryChange {
    pub fn code(self) -> &'static str {
        match self {
            EntryChange::Create => "create",
            EntryChange::Edit => "edit",
            EntryChange::Delete => "delete",
            EntryChange::Status => "status",
        }
    }
}

impl DeviceStore {
    /// Records a new entry from a member's draft. Photos must have been imported first.
    pub fn record_entry(
        &mut self,
        draft: EntryDraft,
        photos: Vec<PhotoAttachment>,
    ) -> Result<Entry, DeviceError> {
        let status = initial_status(draft.kind());
        self.insert_new_entry(draft, photos, status)
    }

    pub(crate) fn insert_new_entry(
        &mut self,
        draft: EntryDraft,
        photos: Vec<PhotoAttachment>,
        status: Option<EntryStatus>,
    ) -> Result<Entry, DeviceError> {
        let current_member = self.setting(CURRENT_MEMBER_SETTING)?;
        let device_id = self.device_id;
        let transaction = self.begin_write()?;
        let entry = insert_in(
            &transaction,
            device_id,
            &current_member,
            draft,
            photos,
            status,
        )?;
        transaction.commit()?;
        Ok(entry)
    }

    /// Records many entries in one transaction: all of them or, if one is invalid, none (the
    /// error names the entry by its position). For imports and for filling test stores.
    pub fn record_entries(&mut self, drafts: Vec<EntryDraft>) -> Result<Vec<Entry>, DeviceError> {
        let current_member = self.setting(CURRENT_MEMBER_SETTING)?;
        let device_id = self.device_id;
        let transaction = self.begin_write()?;
        let mut entries = Vec::with_capacity(drafts.len());
        for (index, draft) in drafts.into_iter().enumerate() {
            let status = initial_status(draft.kind());
            let entry = insert_in(
                &transaction,
                device_id,
                &current_member,
                draft,
                Vec::new(),
                status,
            )
            .map_err(|error| match error {
                DeviceError::Invalid(mut report) => {
                    for problem in &mut report.problems {
                        problem.field = format!("[{index}].{}", problem.field);
                    }
                    DeviceError::Invalid(report)
                }
                other => other,
            })?;
            entries.push(entry);
        }
        transaction.commit()?;
        Ok(entries)
    }

    /// Replaces what the member wrote in an entry (its kind cannot change), keeping its photos.
    /// An edit that changes nothing writes nothing.
    pub fn edit_entry(&mut self, id: EntryId, draft: EntryDraft) -> Result<Entry, DeviceError> {
        self.edit(id, draft, None)
    }

    /// [`edit_entry`](Self::edit_entry) that also replaces the photos attached: photos added
    /// (imported first), removed or given another role. The `photos` field syncs like any other
    /// field; a removed photo stays in the store.
    pub fn edit_entry_and_photos(
        &mut self,
        id: EntryId,
        draft: EntryDraft,
        photos: Vec<PhotoAttachment>,
    ) -> Result<Entry, DeviceError> {
        self.edit(id, draft, Some(photos))
    }

    fn edit(
        &mut self,
        id: EntryId,
        draft: EntryDraft,
        photos: Option<Vec<PhotoAttachment>>,
    ) -> Result<Entry, DeviceError> {
        let mut report = ValidationReport::default();
        draft.validate(&mut report);
        if !report.is_empty() {
            return Err(DeviceError::Invalid(report));
        }
        let transaction = self.begin_write()?;
        let current = load_entry(&transaction, id)?.ok_or(DeviceError::EntryNotFound(id))?;
        if current.deleted {
            return Err(DeviceError::not_allowed(
                "该条目已删除,不能修改",
                "the entry is deleted and cannot be edited",
            ));
        }
        if current.kind() != draft.kind() {
            return Err(DeviceError::invalid_field(
                "kind",
                format!(
                    "不能把“{}”改成“{}”",
                    current.kind().label_zh(),
                    draft.kind().label_zh()
                ),
                "the kind of an entry cannot change",
            ));
        }
        let mut draft = draft;
        if draft.author.is_none() {
            draft.author = current.draft.author.clone();
        }
        // The patrol it was recorded during is kept unless the edit names another.
        match draft.patrol_id {
            None => draft.patrol_id = current.draft.patrol_id,
            Some(patrol_id) if Some(patrol_id) != current.draft.patrol_id => {
                check_patrol_reference(&transaction, patrol_id)?;
            }
            Some(_) => {}
        }
        // The packed track is the recorder's, not the form's: an edit that leaves it out keeps it.
        if let (EntryBody::Patrol(edited), EntryBody::Patrol(recorded)) =
            (&mut draft.body, &current.draft.body)
        {
            if edited.track.is_none() {
                edited.track = recorded.track.clone();
            }
        }
        let photos = match photos {
            Some(photos) => {
                check_photo_attachments(&transaction, &photos)?;
                photos
            }
            None => current.photos.clone(),
        };
        if draft == current.draft && photos == current.photos {
            return Ok(current);
        }
        let old_hazard = closed_hazard(&current.draft.body);
        let new_hazard = closed_hazard(&draft.body);
        if let Some(hazard_id) = new_hazard {
            if new_hazard != old_hazard {
                check_hazard_reference(&transaction, hazard_id)?;
            }
        }
        // The server drops a returned decision on this edit too, and does not echo it back.
        let review = current
            .review
            .clone()
            .filter(Review::stands_after_member_edit);
        let entry = Entry {
            draft,
            photos,
            revision: current.revision + 1,
            updated_at: Utc::now(),
            review,
            ..current
        };
        write_entry_version(&transaction, &entry, EntryChange::Edit)?;
        for hazard_id in [old_hazard, new_hazard].into_iter().flatten() {
            refresh_hazard_status(&transaction, hazard_id)?;
        }
        transaction.commit()?;
        Ok(entry)
    }

    /// Deletes an entry by leaving a tombstone: its history stays, and the deletion syncs.
    pub fn delete_entry(&mut self, id: EntryId) -> Result<Entry, DeviceError> {
        let transaction = self.begin_write()?;
        let current = load_entry(&transaction, id)?.ok_or(DeviceError::EntryNotFound(id))?;
        if current.deleted {
            return Err(DeviceError::not_allowed(
                "该条目已删除",
                "the entry is already deleted",
            ));
        }
        let entry = Entry {
            deleted: true,
            revision: current.revision + 1,
            updated_at: Utc::now(),
            ..current
        };
        write_entry_version(&transaction, &entry, EntryChange::Delete)?;
        if let Some(hazard_id) = closed_hazard(&entry.draft.body) {
            refresh_hazard_status(&transaction, hazard_id)?;
        }
        transaction.commit()?;
        Ok(entry)
    }

    /// One entry as it is now (deleted ones too, marked so).
    pub fn entry(&self, id: EntryId) -> Result<Entry, DeviceError> {
        load_entry(&self.connection, id)?.ok_or(DeviceError::EntryNotFound(id))
    }
}

fn initial_status(kind: EntryKind) -> Option<EntryStatus> {
    match kind {
        EntryKind::Hazard => Some(EntryStatus::Open),
        EntryKind::Patrol => Some(EntryStatus::Ended),
        EntryKind::Repair | EntryKind::Incident | EntryKind::Outreach | EntryKind::Activity => None,
    }
}

/// Validates and inserts one new entry inside the caller's transaction.
fn insert_in(
    transaction: &Transaction<'_>,
    device_id: patrol_model::DeviceId,
    current_member: &Option<String>,
    mut draft: EntryDraft,
    photos: Vec<PhotoAttachment>,
    status: Option<EntryStatus>,
) -> Result<Entry, DeviceError> {
    let mut report = ValidationReport::default();
    draft.validate(&mut report);
    if !report.is_empty() {
        return Err(DeviceError::Invalid(report));
    }
    if draft.author.is_none() {
        draft.author = current_member.clone();
    }
    check_photo_attachments(transaction, &photos)?;
    let closes_hazard = closed_hazard(&draft.body);
    if let Some(hazard_id) = closes_hazard {
        check_hazard_reference(transaction, hazard_id)?;
    }
    if let Some(patrol_id) = draft.patrol_id {
        check_patrol_reference(transaction, patrol_id)?;
    }
    let now = Utc::now();
    let post_id = super::read_setting(transaction, super::POST_ID_SETTING)?;
    let entry = Entry {
        id: EntryId::new_v7(),
        device_id,
        post_id: post_id.and_then(|text| text.parse().ok()),
        draft,
        photos,
        status,
        revision: 1,
        created_at: now,
        updated_at: now,
        deleted: false,
        review: None,
    };
    write_entry_version(transaction, &entry, EntryChange::Create)?;
    if let Some(hazard_id) = closes_hazard {
        refresh_hazard_status(transaction, hazard_id)?;
    }
    Ok(entry)
}

fn closed_hazard(body: &EntryBody) -> Option<EntryId> {
    match body {
        EntryBody::Repair(repair) => repair.closes_hazard,
        _ => None,
    }
}

pub(crate) fn load_entry(
    connection: &Connection,
    id: EntryId,
) -> Result<Option<Entry>, DeviceError> {
    let document: Option<String> = connection
        .query_row(
            "SELECT document FROM entries WHERE id = ?1",
            [id.to_string()],
            |row| row.get(0),
        )
        .optional()?;
    document.map(|text| entry_from_document(&text)).transpose()
}

/// A repair may only close a hazard that exists here and is not deleted.
fn check_hazard_reference(
    transaction: &Transaction<'_>,
    hazard_id: EntryId,
) -> Result<(), DeviceError> {
    check_reference(
        transaction,
        "body.closes_hazard",
        hazard_id,
        EntryKind::Hazard,
    )
}

/// An entry may only be recorded during a patrol that exists here and is not deleted.
fn check_patrol_reference(
    transaction: &Transaction<'_>,
    patrol_id: EntryId,
) -> Result<(), DeviceError> {
    check_reference(transaction, "patrol_id", patrol_id, EntryKind::Patrol)
}

/// `id` in `field` names a live entry of kind `expected` in this store.
fn check_reference(
    transaction: &Transaction<'_>,
    field: &str,
    id: EntryId,
    expected: EntryKind,
) -> Result<(), DeviceError> {
    let (label_zh, label_en) = (expected.label_zh(), expected.code());
    match load_entry(transaction, id)? {
        None => Err(DeviceError::invalid_field(
            field,
            format!("找不到{label_zh} {id}"),
            format!("no {label_en} with id {id}"),
        )),
        Some(entry) if entry.kind() != expected => Err(DeviceError::invalid_field(
            field,
            format!("{id} 是“{}”,不是{label_zh}", entry.kind().label_zh()),
            format!("{id} is a {}, not a {label_en}", entry.kind()),
        )),
        Some(entry) if entry.deleted => Err(DeviceError::invalid_field(
            field,
            format!("{label_zh} {id} 已删除"),
            format!("{label_en} {id} is deleted"),
        )),
        Some(_) => Ok(()),
    }
}

/// A hazard is fixed exactly when a repair that is not deleted closes it; when that changes,
/// the hazard gets a new version (which syncs like any other change).
pub(crate) fn refresh_hazard_status(
    transaction: &Transaction<'_>,
    hazard_id: EntryId,
) -> Result<(), DeviceError> {
    let Some(hazard) = load_entry(transaction, hazard_id)? else {
        return Ok(());
    };
    if hazard.deleted || hazard.kind() != EntryKind::Hazard {
        return Ok(());
    }
    let fixed: bool = transaction.query_row(
        "SELECT EXISTS (SELECT 1 FROM entries
                        WHERE closes_hazard = ?1 AND kind = 'repair' AND deleted = 0)",
        [hazard_id.to_string()],
        |row| row.get(0),
    )?;
    let status = Some(if fixed {
        EntryStatus::Fixed
    } else {
        EntryStatus::Open
    });
    if hazard.status == status {
        return Ok(());
    }
    let entry = Entry {
        status,
        revision: hazard.revision + 1,
        updated_at: Utc::now(),
        ..hazard
    };
    write_entry_version(transaction, &entry, EntryChange::Status)
}

/// Writes `entry` as the current version (insert or update), keeps it in the history, and
/// appends it to the outbox.
pub(crate) fn write_entry_version(
    transaction: &Transaction<'_>,
    entry: &Entry,
    change: EntryChange,
) -> Result<(), DeviceError> {
    write_current_and_history(transaction, entry, change, VersionSource::Local)?;
    append_to_outbox(transaction, entry, change)
}

/// Where a version came from: made here (and so in the outbox), or pulled from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VersionSource {
    Local,
    Server,
}

/// Writes `entry` as the current row and keeps the version in the history.
pub(crate) fn write_current_and_history(
    transaction: &Transaction<'_>,
    entry: &Entry,
    change: EntryChange,
    source: VersionSource,
) -> Result<(), DeviceError> {
    let replaced = StatisticsContribution::of_stored(transaction, &entry.id.to_string())?;
    write_version_over(transaction, entry, change, source, replaced)
}

/// Writes `entry` as the current row over a stored entry whose statistics contribution the
/// caller already read (`None`: no entry, or a deleted one), and keeps the version in the
/// history. Every statement is prepared once per connection.
pub(crate) fn write_version_over(
    transaction: &Transaction<'_>,
    entry: &Entry,
    change: EntryChange,
    source: VersionSource,
    replaced: Option<StatisticsContribution>,
) -> Result<(), DeviceError> {
    let document = document_of(entry)?;
    let id = entry.id.to_string();
    // The entry's old contribution to the monthly statistics goes, its new one comes.
    if let Some(old) = replaced {
        old.add_to(transaction, -1)?;
    }
    if let Some(new) = StatisticsContribution::of(entry) {
        new.add_to(transaction, 1)?;
    }
    upsert_current(transaction, &id, entry, &document)?;
    transaction
        .prepare_cached(
            "INSERT INTO entry_versions (entry_id, revision, change, changed_at_ms, document, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            id,
            entry.revision,
            change.code(),
            entry.updated_at.timestamp_millis(),
            document,
            match source {
                VersionSource::Local => "local",
                VersionSource::Server => "server",
            }
        ])?;
    Ok(())
}

/// Inserts or updates the current row of `entry`: its query columns, derived from it here, and
/// its document.
fn upsert_current(
    transaction: &Transaction<'_>,
    id: &str,
    entry: &Entry,
    document: &str,
) -> Result<(), DeviceError> {
    let draft = &entry.draft;
    let quantity = draft.body.counted_quantity();
    let mut search_text = draft.body.search_text();
    if let Some(author) = &draft.author {
        search_text.push(' ');
        search_text.push_str(author);
    }
    let mut statement = transaction.prepare_cached(
        "INSERT INTO entries (id, kind, category, status, occurred_at_ms, occurred_offset_min,
                              local_date, ended_at_ms, lat, lon, quantity, unit, closes_hazard,
                              author, search_text, revision, created_at_ms, updated_at_ms,
                              deleted, review_decision, patrol_id, document)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22)
         ON CONFLICT (id) DO UPDATE SET
             kind = excluded.kind, category = excluded.category, status = excluded.status,
             occurred_at_ms = excluded.occurred_at_ms,
             occurred_offset_min = excluded.occurred_offset_min,
             local_date = excluded.local_date, ended_at_ms = excluded.ended_at_ms,
             lat = excluded.lat, lon = excluded.lon, quantity = excluded.quantity,
             unit = excluded.unit, closes_hazard = excluded.closes_hazard,
             author = excluded.author, search_text = excluded.search_text,
             revision = excluded.revision, updated_at_ms = excluded.updated_at_ms,
             deleted = excluded.deleted, review_decision = excluded.review_decision,
             patrol_id = excluded.patrol_id, document = excluded.document",
    )?;
    statement.execute(params![
        id,
        entry.kind().code(),
        draft.body.category_code(),
        entry.status.map(|status| status.code()),
        draft.occurred_at.utc_millis(),
        draft.occurred_at.offset_minutes(),
        draft
            .occurred_at
            .local_date()
            .format("%Y-%m-%d")
            .to_string(),
        draft.ended_at.map(|time| time.utc_millis()),
        draft.location.map(|location| location.lat),
        draft.location.map(|location| location.lon),
        quantity.map(|quantity| quantity.value),
        quantity.map(|quantity| quantity.unit.code()),
        closed_hazard(&draft.body).map(|hazard| hazard.to_string()),
        draft.author,
        search_text,
        entry.revision,
        entry.created_at.timestamp_millis(),
        entry.updated_at.timestamp_millis(),
        entry.deleted,
        entry.review.as_ref().map(|review| review.decision.code()),
        draft.patrol_id.map(|patrol| patrol.to_string()),
        document,
    ])?;
    Ok(())
}

/// What one live entry adds to `monthly_statistics`.
pub(crate) struct StatisticsContribution {
    kind: String,
    category: String,
    month: String,
    unit: Option<String>,
    quantity: Option<f64>,
    fixed: bool,
}

/// The columns of `entries` a [`StatisticsContribution`] is read from, in its order, for a
/// query that reads it along with other columns (see [`StatisticsContribution::from_row`]).
pub(crate) const CONTRIBUTION_COLUMNS: &str =
    "kind, category, substr(local_date, 1, 7), unit, quantity, IFNULL(status, '') = 'fixed'";

impl StatisticsContribution {
    /// What `entry` adds, unless it is deleted.
    fn of(entry: &Entry) -> Option<StatisticsContribution> {
        if entry.deleted {
            return None;
        }
        let draft = &entry.draft;
        let quantity = draft.body.counted_quantity();
        Some(StatisticsContribution {
            kind: entry.kind().code().to_string(),
            category: draft.body.category_code().to_string(),
            month: draft.occurred_at.local_month(),
            unit: quantity.map(|quantity| quantity.unit.code().to_string()),
            quantity: quantity.map(|quantity| quantity.value),
            fixed: entry.status == Some(EntryStatus::Fixed),
        })
    }

    /// What the stored entry `id` adds, if there is one and it is not deleted.
    fn of_stored(
        transaction: &Transaction<'_>,
        id: &str,
    ) -> Result<Option<StatisticsContribution>, DeviceError> {
        Ok(transaction
            .prepare_cached(&format!(
                "SELECT {CONTRIBUTION_COLUMNS} FROM entries WHERE id = ?1 AND deleted = 0"
            ))?
            .query_row([id], |row| StatisticsContribution::from_row(row, 0))
            .optional()?)
    }

    /// Reads [`CONTRIBUTION_COLUMNS`] from `row`, starting at column `first`.
    pub(crate) fn from_row(
        row: &rusqlite::Row<'_>,
        first: usize,
    ) -> rusqlite::Result<StatisticsContribution> {
        Ok(StatisticsContribution {
            kind: row.get(first)?,
            category: row.get(first + 1)?,
            month: row.get(first + 2)?,
            unit: row.get(first + 3)?,
            quantity: row.get(first + 4)?,
            fixed: row.get(first + 5)?,
        })
    }

    /// Adds (`sign` = 1) or removes (`sign` = -1) this contribution.
    fn add_to(&self, transaction: &Transaction<'_>, sign: i64) -> Result<(), DeviceError> {
        transaction.prepare_cached(
            "INSERT INTO monthly_statistics (kind, category, month, unit, entries, quantity, fixed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (kind, category, month) DO UPDATE SET
                 unit = COALESCE(excluded.unit, unit),
                 entries = entries + excluded.entries,
                 quantity = CASE WHEN excluded.quantity IS NULL THEN quantity
                                 ELSE COALESCE(quantity, 0) + excluded.quantity END,
                 fixed = fixed + excluded.fixed",
        )?
        .execute(params![
                self.kind,
                self.category,
                self.month,
                self.unit,
                sign,
                self.quantity.map(|quantity| quantity * sign as f64),
                if self.fixed { sign } else { 0 },
            ])?;
        Ok(())
    }
}
