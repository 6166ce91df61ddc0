//! Who holds the phone: the lock screen's members, unlocking with a PIN (or setting a first
//! one), locking, the idle time, and the post leader resetting a member's PIN. The rules are
//! `patrol_device::store::members` and `patrol_device::session`; these commands only pass them
//! the session the app keeps in memory.

use std::time::Instant;

use patrol_device::{Member, UnlockedMember};
use serde::Serialize;
use tauri::State;

use crate::{lock_session, lock_store, unlocked_member, AppError, SessionState, StoreState};

/// What the lock screen shows: who may unlock, and who is unlocked now (if anyone).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LockScreen {
    pub members: Vec<Member>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlocked: Option<Unlocked>,
    pub idle_lock_minutes: u32,
}

/// The member unlocked, as the UI receives them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unlocked {
    pub name: String,
    pub leader: bool,
}

impl From<UnlockedMember> for Unlocked {
    fn from(member: UnlockedMember) -> Self {
        Unlocked {
            name: member.name,
            leader: member.leader,
        }
    }
}

/// The lock screen: member names only, never an entry. Does not count as activity.
#[tauri::command]
pub async fn lock_screen(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
) -> Result<LockScreen, AppError> {
    let store = lock_store(&store)?;
    let unlocked = lock_session(&session)?
        .peek(Instant::now())
        .map(Unlocked::from);
    Ok(LockScreen {
        members: store.members()?,
        unlocked,
        idle_lock_minutes: store.idle_lock_minutes()?,
    })
}

/// Unlocks the phone for `name` with their PIN; a wrong one is `wrong_pin`, too many
/// `pin_blocked`.
#[tauri::command]
pub async fn unlock(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    name: String,
    pin: String,
) -> Result<Unlocked, AppError> {
    let member = lock_store(&store)?.check_member_pin(&name, &pin)?;
    Ok(lock_session(&session)?
        .unlock(&member, Instant::now())
        .into())
}

/// Sets the PIN of a member who has none and unlocks for them (the first on a fresh phone
/// becomes the post leader).
#[tauri::command]
pub async fn set_first_pin(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    name: String,
    pin: String,
) -> Result<Unlocked, AppError> {
    let member = lock_store(&store)?.set_first_pin(&name, &pin)?;
    Ok(lock_session(&session)?
        .unlock(&member, Instant::now())
        .into())
}

/// Locks the phone ("锁定" / "换人", or the UI's idle timer).
#[tauri::command]
pub async fn lock(session: State<'_, SessionState>) -> Result<(), AppError> {
    lock_session(&session)?.lock();
    Ok(())
}

/// The member's screen was touched: keeps the session open (`locked` once it has closed).
#[tauri::command]
pub async fn keep_unlocked(session: State<'_, SessionState>) -> Result<(), AppError> {
    unlocked_member(&session)?;
    Ok(())
}

/// Minutes without a touch before the app locks: 1, 5, 15 or 30.
#[tauri::command]
pub async fn set_idle_lock(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    minutes: u32,
) -> Result<(), AppError> {
    unlocked_member(&session)?;
    lock_store(&store)?.set_idle_lock_minutes(minutes)?;
    lock_session(&session)?.set_idle_minutes(minutes);
    Ok(())
}

/// The unlocked post leader resets `name`'s forgotten PIN; they set a new one at next unlock.
#[tauri::command]
pub async fn reset_member_pin(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    name: String,
) -> Result<Member, AppError> {
    let leader = unlocked_member(&session)?;
    Ok(lock_store(&store)?.reset_member_pin(&leader.name, &name)?)
}
