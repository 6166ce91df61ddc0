//! Who holds a shared phone now: the member unlocked with their PIN, until the app is locked
//! ("锁定" / "换人") or no one has touched it for the idle time. The app keeps one
//! [`MemberSession`] in memory (a restart starts locked); the PINs and their back-off are in the
//! store (`store::members`).
//!
//! The UI locks itself after the idle time counted from the member's last touch; this session is
//! the backstop counted from the last command a member's screen made, with
//! [`IDLE_GRACE`] more so that it never locks before the UI does.

use crate::error::DeviceError;
use crate::store::members::Member;
use std::time::{Duration, Instant};

/// How much longer than the idle time the session outlives the last command.
pub const IDLE_GRACE: Duration = Duration::from_secs(60);

/// The member unlocked on this phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockedMember {
    pub name: String,
    pub leader: bool,
}

#[derive(Debug)]
pub struct MemberSession {
    unlocked: Option<(UnlockedMember, Instant)>,
    idle: Duration,
}

impl MemberSession {
    /// A locked session that locks after `idle_minutes` without a command.
    pub fn locked(idle_minutes: u32) -> MemberSession {
        MemberSession {
            unlocked: None,
            idle: minutes(idle_minutes),
        }
    }

    pub fn set_idle_minutes(&mut self, idle_minutes: u32) {
        self.idle = minutes(idle_minutes);
    }

    /// `member` (whose PIN was just checked) holds the phone from `now`.
    pub fn unlock(&mut self, member: &Member, now: Instant) -> UnlockedMember {
        let unlocked = UnlockedMember {
            name: member.name.clone(),
            leader: member.leader,
        };
        self.unlocked = Some((unlocked.clone(), now));
        unlocked
    }

    pub fn lock(&mut self) {
        self.unlocked = None;
    }

    /// The member unlocked at `now`, counting this as their activity; `None` when locked or
    /// idle too long (the session then locks).
    pub fn touch(&mut self, now: Instant) -> Option<UnlockedMember> {
        let idle_limit = self.idle + IDLE_GRACE;
        match &mut self.unlocked {
            Some((_, last)) if now.saturating_duration_since(*last) > idle_limit => {
                self.unlocked = None;
                None
            }
            Some((member, last)) => {
                *last = (*last).max(now);
                Some(member.clone())
            }
            None => None,
        }
    }

    /// The member unlocked at `now` without counting it as activity.
    pub fn peek(&mut self, now: Instant) -> Option<UnlockedMember> {
        let last = self.unlocked.as_ref().map(|(_, last)| *last)?;
        let member = self.touch(now)?;
        if let Some((_, kept)) = &mut self.unlocked {
            *kept = last;
        }
        Some(member)
    }

    /// The member unlocked at `now`, or [`DeviceError::Locked`].
    pub fn require(&mut self, now: Instant) -> Result<UnlockedMember, DeviceError> {
        self.touch(now).ok_or(DeviceError::Locked)
    }

    /// Locks when the unlocked member is no longer on the roster.
    pub fn forget_unless(&mut self, roster: &[String]) {
        if let Some((member, _)) = &self.unlocked {
            if !roster.contains(&member.name) {
                self.unlocked = None;
            }
        }
    }
}

fn minutes(idle_minutes: u32) -> Duration {
    Duration::from_secs(u64::from(idle_minutes) * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str) -> Member {
        Member {
            name: name.into(),
            leader: false,
            has_pin: true,
            blocked_seconds: 0,
        }
    }

    #[test]
    fn a_session_starts_locked_and_unlocks_for_one_member() {
        let start = Instant::now();
        let mut session = MemberSession::locked(5);
        assert!(matches!(session.require(start), Err(DeviceError::Locked)));
        session.unlock(&member("李国华"), start);
        assert_eq!(session.require(start).unwrap().name, "李国华");
        session.unlock(&member("王明"), start);
        assert_eq!(session.require(start).unwrap().name, "王明");
        session.lock();
        assert!(session.touch(start).is_none());
    }

    #[test]
    fn it_locks_after_the_idle_time_and_its_grace_without_a_command() {
        let start = Instant::now();
        let mut session = MemberSession::locked(1);
        session.unlock(&member("李国华"), start);
        // Each command keeps it open.
        let later = start + Duration::from_secs(100);
        assert!(session.touch(later).is_some());
        assert!(session.touch(later + minutes(1) + IDLE_GRACE).is_some());
        let idle =
            later + minutes(1) + IDLE_GRACE + minutes(1) + IDLE_GRACE + Duration::from_secs(1);
        assert!(session.touch(idle).is_none());
        assert!(session.touch(later).is_none(), "stays locked");
    }

    #[test]
    fn a_member_taken_off_the_roster_is_no_longer_unlocked() {
        let start = Instant::now();
        let mut session = MemberSession::locked(5);
        session.unlock(&member("王明"), start);
        session.forget_unless(&["王明".into()]);
        assert!(session.touch(start).is_some());
        session.forget_unless(&["李国华".into()]);
        assert!(session.touch(start).is_none());
    }
}
