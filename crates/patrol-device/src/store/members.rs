//! The post's members on this phone (table `members`, migration 08): the roster in its order,
//! each member's PIN (an argon2id hash, never the digits), the post leader, and the back-off
//! after wrong PINs — kept in the store, so closing the app does not reset it.
//!
//! How a phone gets its PINs: on a phone with no leader yet, the first member to set a PIN
//! becomes the post leader (on an empty roster, that first member is added by name). Every other
//! member sets their own PIN at their first unlock; the unlocked leader can reset a member's
//! forgotten PIN, who then sets a new one the same way. Nothing is wiped.

use super::DeviceStore;
use crate::error::DeviceError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Utc;
use patrol_model::sync::PinReset;
use patrol_model::validation::{check_short_text, MAX_LIST_ITEMS};
use patrol_model::ValidationReport;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

/// Wrong PINs in a row a member may type before waiting.
pub const FREE_PIN_ATTEMPTS: u32 = 5;
/// The wait after the [`FREE_PIN_ATTEMPTS`]-th wrong PIN; it doubles with each further one.
pub const FIRST_PIN_BLOCK_SECONDS: u64 = 30;
/// The longest wait, however many wrong PINs.
pub const MAX_PIN_BLOCK_SECONDS: u64 = 60 * 60;
pub const MIN_PIN_DIGITS: usize = 4;
pub const MAX_PIN_DIGITS: usize = 8;

/// argon2id with 19 MiB and 2 passes (OWASP's first choice): about 50–100 ms on a phone.
const PIN_HASH_MEMORY_KIB: u32 = 19 * 1024;
const PIN_HASH_PASSES: u32 = 2;

/// A member as the lock screen and the roster show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Member {
    pub name: String,
    /// The post leader (所长/负责人), who may reset another member's PIN.
    pub leader: bool,
    /// `false` for a member new on this phone or whose PIN the leader reset: they set one at
    /// their next unlock.
    pub has_pin: bool,
    /// Seconds before this member's PIN is tried again (after too many wrong ones), else 0.
    pub blocked_seconds: u64,
}

/// A 4–8 digit PIN, checked; the digits never leave this type except to be hashed.
pub struct Pin(String);

impl Pin {
    pub fn parse(text: &str) -> Result<Pin, DeviceError> {
        let digits = text.chars().count();
        if !(MIN_PIN_DIGITS..=MAX_PIN_DIGITS).contains(&digits)
            || !text.chars().all(|c| c.is_ascii_digit())
        {
            return Err(DeviceError::invalid_field(
                "pin",
                format!("PIN 须为 {MIN_PIN_DIGITS}–{MAX_PIN_DIGITS} 位数字"),
                format!("a PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits"),
            ));
        }
        Ok(Pin(text.to_string()))
    }

    fn hash(&self) -> Result<String, DeviceError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)
            .map_err(|error| DeviceError::Damaged(format!("system random source: {error}")))?;
        let salt = SaltString::encode_b64(&salt)
            .map_err(|error| DeviceError::Damaged(format!("PIN salt: {error}")))?;
        pin_hasher()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| DeviceError::Damaged(format!("PIN hash: {error}")))
    }

    fn matches(&self, stored: &str) -> Result<bool, DeviceError> {
        let hash = PasswordHash::new(stored)
            .map_err(|error| DeviceError::Damaged(format!("stored PIN hash: {error}")))?;
        // The parameters come from the stored hash, so a later change of ours keeps old PINs.
        Ok(Argon2::default()
            .verify_password(self.0.as_bytes(), &hash)
            .is_ok())
    }
}

fn pin_hasher() -> Argon2<'static> {
    let params = Params::new(PIN_HASH_MEMORY_KIB, PIN_HASH_PASSES, 1, None)
        .expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The wait after `failed` wrong PINs in a row: none before [`FREE_PIN_ATTEMPTS`], then 30 s,
/// 60 s, 120 s, … up to an hour.
pub fn pin_block_seconds(failed: u32) -> u64 {
    if failed < FREE_PIN_ATTEMPTS {
        return 0;
    }
    let doublings = (failed - FREE_PIN_ATTEMPTS).min(16);
    (FIRST_PIN_BLOCK_SECONDS << doublings).min(MAX_PIN_BLOCK_SECONDS)
}

/// One row of `members`.
struct MemberRow {
    name: String,
    pin_hash: Option<String>,
    leader: bool,
    failed_attempts: u32,
    blocked_until_ms: i64,
}

impl MemberRow {
    /// Seconds still to wait at `now_ms`; a clock set back never makes it longer than the
    /// longest wait.
    fn blocked_seconds(&self, now_ms: i64) -> u64 {
        let left_ms = self.blocked_until_ms.saturating_sub(now_ms).max(0) as u64;
        left_ms.div_ceil(1000).min(MAX_PIN_BLOCK_SECONDS)
    }

    fn member(&self, now_ms: i64) -> Member {
        Member {
            name: self.name.clone(),
            leader: self.leader,
            has_pin: self.pin_hash.is_some(),
            blocked_seconds: self.blocked_seconds(now_ms),
        }
    }
}

const MEMBER_COLUMNS: &str = "name, pin_hash, leader, failed_attempts, blocked_until_ms";

fn member_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MemberRow> {
    Ok(MemberRow {
        name: row.get(0)?,
        pin_hash: row.get(1)?,
        leader: row.get(2)?,
        failed_attempts: row.get(3)?,
        blocked_until_ms: row.get(4)?,
    })
}

fn load_member(
    connection: &rusqlite::Connection,
    name: &str,
) -> Result<Option<MemberRow>, DeviceError> {
    Ok(connection
        .query_row(
            &format!("SELECT {MEMBER_COLUMNS} FROM members WHERE name = ?1"),
            [name],
            member_from_row,
        )
        .optional()?)
}

fn known_member(connection: &rusqlite::Connection, name: &str) -> Result<MemberRow, DeviceError> {
    load_member(connection, name.trim())?.ok_or_else(|| {
        DeviceError::invalid_field(
            "name",
            format!("名单里没有“{}”", name.trim()),
            format!("{:?} is not on the roster", name.trim()),
        )
    })
}

fn has_leader(connection: &rusqlite::Connection) -> Result<bool, DeviceError> {
    Ok(connection
        .query_row("SELECT 1 FROM members WHERE leader = 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

impl DeviceStore {
    /// The post's members in the roster's order, with their PIN state.
    pub fn members(&self) -> Result<Vec<Member>, DeviceError> {
        let now = now_ms();
        let mut statement = self.connection.prepare(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members ORDER BY position, name"
        ))?;
        let rows = statement
            .query_map([], member_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows.iter().map(|row| row.member(now)).collect())
    }

    /// The post's members' names, in the order given.
    pub fn roster(&self) -> Result<Vec<String>, DeviceError> {
        Ok(self
            .members()?
            .into_iter()
            .map(|member| member.name)
            .collect())
    }

    /// Replaces the post's roster. Every name is checked (not blank, not too long, not twice);
    /// all problems are reported at once and nothing is kept then. Members who stay keep their
    /// PIN; the post leader cannot be left out.
    pub fn set_roster(&mut self, names: &[String]) -> Result<(), DeviceError> {
        let kept = checked_roster(names)?;
        let transaction = self.begin_write()?;
        check_leader_stays(&transaction, &kept)?;
        replace_roster(&transaction, &kept)?;
        transaction.commit()?;
        Ok(())
    }

    /// `member` (unlocked on this phone) replaces the roster: once the post has a leader, only
    /// the leader may.
    pub fn set_roster_as(&mut self, member: &str, names: &[String]) -> Result<(), DeviceError> {
        let kept = checked_roster(names)?;
        let transaction = self.begin_write()?;
        if has_leader(&transaction)? && !known_member(&transaction, member)?.leader {
            return Err(DeviceError::not_allowed(
                "只有负责人可以修改名单",
                "only the post leader can change the roster",
            ));
        }
        check_leader_stays(&transaction, &kept)?;
        replace_roster(&transaction, &kept)?;
        transaction.commit()?;
        Ok(())
    }

    /// Sets the PIN of a member who has none (new on this phone, or reset by the leader), and
    /// returns them, unlocked. On a phone with no leader yet, they become the leader; on an
    /// empty roster they are added to it first.
    pub fn set_first_pin(&mut self, name: &str, pin: &str) -> Result<Member, DeviceError> {
        let mut report = ValidationReport::default();
        check_short_text(&mut report, "name", name);
        if !report.is_empty() {
            return Err(DeviceError::Invalid(report));
        }
        let pin = Pin::parse(pin)?;
        let name = name.trim();
        let hash = pin.hash()?;
        let transaction = self.begin_write()?;
        let roster_empty: bool =
            transaction.query_row("SELECT COUNT(*) = 0 FROM members", [], |row| row.get(0))?;
        if roster_empty {
            transaction.execute(
                "INSERT INTO members (name, position) VALUES (?1, 0)",
                [name],
            )?;
        }
        let member = known_member(&transaction, name)?;
        if member.pin_hash.is_some() {
            return Err(DeviceError::not_allowed(
                format!("“{name}”已经设置了 PIN，请输入 PIN；忘记了请找负责人或县边防办重置"),
                format!("{name} already has a PIN: type it, or ask the post leader or the county office to reset it"),
            ));
        }
        let leader = member.leader || !has_leader(&transaction)?;
        transaction.execute(
            "UPDATE members SET pin_hash = ?2, leader = ?3, failed_attempts = 0,
                 blocked_until_ms = 0 WHERE name = ?1",
            params![name, hash, leader],
        )?;
        let member = known_member(&transaction, name)?.member(now_ms());
        transaction.commit()?;
        Ok(member)
    }

    /// Checks `name`'s PIN. A wrong one is counted (kept in the store) and, from the
    /// [`FREE_PIN_ATTEMPTS`]-th in a row, makes the member wait; while they wait no PIN is tried.
    pub fn check_member_pin(&mut self, name: &str, pin: &str) -> Result<Member, DeviceError> {
        let member = known_member(&self.connection, name)?;
        let now = now_ms();
        let blocked = member.blocked_seconds(now);
        if blocked > 0 {
            return Err(DeviceError::PinBlocked {
                member: member.name,
                seconds: blocked,
            });
        }
        let Some(stored) = &member.pin_hash else {
            return Err(DeviceError::not_allowed(
                format!("“{}”还没有设置 PIN，请先设置", member.name),
                format!("{} has no PIN yet: set one first", member.name),
            ));
        };
        // A PIN of the wrong shape is a wrong PIN too (counted), so guessing learns nothing.
        let right = match Pin::parse(pin) {
            Ok(pin) => pin.matches(stored)?,
            Err(_) => false,
        };
        if right {
            self.connection.execute(
                "UPDATE members SET failed_attempts = 0, blocked_until_ms = 0 WHERE name = ?1",
                [&member.name],
            )?;
            return Ok(MemberRow {
                failed_attempts: 0,
                blocked_until_ms: 0,
                ..member
            }
            .member(now));
        }
        self.count_wrong_pin(&member.name, now)
    }

    /// Counts one wrong PIN of `name` at `now` and says how it stands.
    fn count_wrong_pin(&mut self, name: &str, now: i64) -> Result<Member, DeviceError> {
        let transaction = self.begin_write()?;
        // Read again inside the write: another process may have counted one meanwhile.
        let member = known_member(&transaction, name)?;
        let failed = member.failed_attempts.saturating_add(1);
        let blocked_seconds = pin_block_seconds(failed);
        let blocked_until_ms = now + (blocked_seconds as i64) * 1000;
        transaction.execute(
            "UPDATE members SET failed_attempts = ?2, blocked_until_ms = ?3 WHERE name = ?1",
            params![name, failed, blocked_until_ms],
        )?;
        transaction.commit()?;
        Err(DeviceError::WrongPin {
            member: name.to_string(),
            attempts_left: FREE_PIN_ATTEMPTS.saturating_sub(failed),
            blocked_seconds,
        })
    }

    /// The post leader `leader` resets `name`'s forgotten PIN: it is forgotten on this phone
    /// (with the wrong-PIN count), and `name` sets a new one at their next unlock.
    pub fn reset_member_pin(&mut self, leader: &str, name: &str) -> Result<Member, DeviceError> {
        let transaction = self.begin_write()?;
        let by = known_member(&transaction, leader)?;
        if !by.leader {
            return Err(DeviceError::not_allowed(
                "只有负责人可以重置 PIN",
                "only the post leader can reset a PIN",
            ));
        }
        let member = known_member(&transaction, name)?;
        transaction.execute(
            "UPDATE members SET pin_hash = NULL, failed_attempts = 0, blocked_until_ms = 0
             WHERE name = ?1",
            [&member.name],
        )?;
        let member = known_member(&transaction, &member.name)?.member(now_ms());
        transaction.commit()?;
        Ok(member)
    }
}

/// Applies the county's PIN resets of one sync answer inside its transaction: each reset not
/// applied before forgets the named member's PIN (and wrong-PIN count) on this phone, once;
/// a name not on this phone's roster is remembered as applied and changes nothing. Returns how
/// many PINs were forgotten.
pub(super) fn apply_county_pin_resets(
    transaction: &Transaction<'_>,
    resets: &[PinReset],
    now_ms: i64,
) -> Result<u64, DeviceError> {
    let mut forgotten = 0;
    for reset in resets {
        let first_time = transaction.execute(
            "INSERT OR IGNORE INTO applied_pin_resets (id, member, applied_at_ms)
             VALUES (?1, ?2, ?3)",
            params![reset.id.to_string(), reset.member, now_ms],
        )? > 0;
        if first_time {
            forgotten += transaction.execute(
                "UPDATE members SET pin_hash = NULL, failed_attempts = 0, blocked_until_ms = 0
                 WHERE name = ?1 AND pin_hash IS NOT NULL",
                [reset.member.trim()],
            )? as u64;
        }
    }
    Ok(forgotten)
}

/// The names of a new roster, trimmed, or every problem with them.
fn checked_roster(names: &[String]) -> Result<Vec<String>, DeviceError> {
    let mut report = ValidationReport::default();
    if names.len() > MAX_LIST_ITEMS {
        report.push(
            "names",
            format!("人数太多：{} 人，最多 {MAX_LIST_ITEMS} 人", names.len()),
            format!("too many names: {}, at most {MAX_LIST_ITEMS}", names.len()),
        );
    }
    let mut kept: Vec<String> = Vec::with_capacity(names.len());
    for (index, name) in names.iter().enumerate() {
        let field = format!("names[{index}]");
        check_short_text(&mut report, &field, name);
        let name = name.trim().to_string();
        if !name.is_empty() && kept.contains(&name) {
            report.push(
                &field,
                format!("“{name}”重复了"),
                format!("{name:?} is listed twice"),
            );
        }
        kept.push(name);
    }
    if !report.is_empty() {
        return Err(DeviceError::Invalid(report));
    }
    Ok(kept)
}

fn check_leader_stays(transaction: &Transaction<'_>, names: &[String]) -> Result<(), DeviceError> {
    let leader: Option<String> = transaction
        .query_row("SELECT name FROM members WHERE leader = 1", [], |row| {
            row.get(0)
        })
        .optional()?;
    match leader {
        Some(leader) if !names.contains(&leader) => Err(DeviceError::invalid_field(
            "names",
            format!("负责人“{leader}”不能从名单中删除"),
            format!("the post leader {leader:?} cannot be left off the roster"),
        )),
        _ => Ok(()),
    }
}

/// Writes `names` as the roster: members who stay keep their PIN, others are added without one.
fn replace_roster(transaction: &Transaction<'_>, names: &[String]) -> Result<(), DeviceError> {
    let kept = serde_json::to_string(names)
        .map_err(|error| DeviceError::Damaged(format!("roster: {error}")))?;
    transaction.execute(
        "DELETE FROM members WHERE name NOT IN (SELECT value FROM json_each(?1))",
        [&kept],
    )?;
    for (position, name) in names.iter().enumerate() {
        transaction.execute(
            "INSERT INTO members (name, position) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            params![name, position as i64],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_starts_at_the_fifth_wrong_pin_and_doubles_up_to_an_hour() {
        assert_eq!(pin_block_seconds(4), 0);
        assert_eq!(pin_block_seconds(5), 30);
        assert_eq!(pin_block_seconds(6), 60);
        assert_eq!(pin_block_seconds(7), 120);
        assert_eq!(pin_block_seconds(12), 3600);
        assert_eq!(pin_block_seconds(u32::MAX), 3600);
    }

    #[test]
    fn a_pin_is_four_to_eight_digits() {
        for good in ["1234", "00000000", "2580"] {
            assert!(Pin::parse(good).is_ok(), "{good}");
        }
        for bad in ["123", "123456789", "12a4", " 1234", "１２３４", ""] {
            let error = Pin::parse(bad).err().unwrap();
            assert_eq!(error.kind_code(), "invalid", "{bad}");
            assert!(error.message_zh().contains("4–8 位数字"), "{bad}");
        }
    }
}
