//! A shared phone's members: the first PIN on a fresh phone makes the post leader, others set
//! their own at their first unlock, a wrong PIN is counted and backs off (kept across
//! reopening the store), the leader resets a forgotten PIN without wiping anything, and the
//! roster keeps PINs of members who stay.

mod common;

use common::*;
use patrol_device::store::members::{FREE_PIN_ATTEMPTS, MAX_PIN_DIGITS};
use patrol_device::{DeviceError, DeviceStore, EntryListQuery};

/// Moves the end of `name`'s wait to the past, as if the time had passed (a second connection
/// to the encrypted file, as the CLI would open).
fn end_the_wait(directory: &std::path::Path, name: &str) {
    let connection = patrol_device::store::at_rest::open_raw_store(directory).unwrap();
    connection
        .execute(
            "UPDATE members SET blocked_until_ms = 0 WHERE name = ?1",
            [name],
        )
        .unwrap();
}

fn names(store: &DeviceStore) -> Vec<String> {
    store.roster().unwrap()
}

#[test]
fn on_a_fresh_phone_the_first_member_to_set_a_pin_is_the_leader() {
    let (_directory, mut store) = fresh_store();
    let leader = store.set_first_pin(" 李国华 ", "2580").unwrap();
    assert_eq!(leader.name, "李国华");
    assert!(leader.leader && leader.has_pin);
    assert_eq!(names(&store), ["李国华"]);
    // The leader adds a member, who has no PIN yet and sets one at their first unlock.
    store
        .set_roster_as("李国华", &["李国华".into(), "王明".into()])
        .unwrap();
    let wang = &store.members().unwrap()[1];
    assert!(!wang.has_pin && !wang.leader);
    let wang = store.set_first_pin("王明", "1357").unwrap();
    assert!(!wang.leader, "one leader only");
    assert_eq!(store.check_member_pin("王明", "1357").unwrap().name, "王明");
    assert!(store.check_member_pin("李国华", "2580").unwrap().leader);
    // A second first PIN for someone who has one is refused, and the PIN stays.
    let error = store.set_first_pin("王明", "0000").unwrap_err();
    assert_eq!(error.kind_code(), "not_allowed");
    assert!(
        error.message_zh().contains("已经设置了 PIN"),
        "{}",
        error.message_zh()
    );
    assert!(store.check_member_pin("王明", "1357").is_ok());
    // A name not on the roster cannot set a PIN once there is a roster.
    let error = store.set_first_pin("陌生人", "1234").unwrap_err();
    assert!(error.message_zh().contains("名单里没有“陌生人”"));
    assert_eq!(names(&store), ["李国华", "王明"]);
}

#[test]
fn a_migrated_roster_gets_its_leader_from_the_first_pin_set() {
    let (_directory, mut store) = fresh_store();
    store.set_roster(&["李国华".into(), "王明".into()]).unwrap();
    assert!(store.set_first_pin("王明", "1357").unwrap().leader);
    assert!(!store.set_first_pin("李国华", "2580").unwrap().leader);
}

#[test]
fn pins_are_four_to_eight_digits_and_never_stored_in_clear() {
    let (directory, mut store) = fresh_store();
    for bad in ["123", "123456789", "12ab", ""] {
        let error = store.set_first_pin("李国华", bad).unwrap_err();
        match error {
            DeviceError::Invalid(report) => {
                assert_eq!(report.problems[0].field, "pin");
                assert!(report.problems[0].message_zh.contains("4–8 位数字"));
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert!(names(&store).is_empty(), "nothing kept from a bad PIN");
    store.set_first_pin("李国华", "24681357").unwrap();
    assert_eq!("24681357".len(), MAX_PIN_DIGITS);
    drop(store);
    let bytes = std::fs::read(directory.path().join(patrol_device::STORE_FILE_NAME)).unwrap();
    let wal = std::fs::read(directory.path().join("patrol.sqlite3-wal")).unwrap_or_default();
    for file in [&bytes, &wal] {
        assert!(
            !file.windows(8).any(|window| window == b"24681357"),
            "the PIN's digits are nowhere in the store"
        );
    }
}

#[test]
fn wrong_pins_back_off_from_the_fifth_and_a_reopened_store_still_waits() {
    let (directory, mut store) = fresh_store();
    store.set_first_pin("李国华", "2580").unwrap();
    for attempt in 1..FREE_PIN_ATTEMPTS {
        match store.check_member_pin("李国华", "1111").unwrap_err() {
            DeviceError::WrongPin {
                attempts_left,
                blocked_seconds,
                ..
            } => {
                assert_eq!(attempts_left, FREE_PIN_ATTEMPTS - attempt);
                assert_eq!(blocked_seconds, 0);
            }
            other => panic!("{other:?}"),
        }
    }
    let fifth = store.check_member_pin("李国华", "1111").unwrap_err();
    assert_eq!(fifth.kind_code(), "wrong_pin");
    assert_eq!(fifth.message_zh(), "PIN 不对。错误次数太多，请 30 秒后再试");
    drop(store);
    // Closing the app does not reset it: the right PIN is not even tried while waiting.
    let mut store = DeviceStore::open(directory.path()).unwrap();
    let waiting = store.check_member_pin("李国华", "2580").unwrap_err();
    match &waiting {
        DeviceError::PinBlocked { seconds, .. } => assert!((29..=30).contains(seconds)),
        other => panic!("{other:?}"),
    }
    assert!(waiting.message_zh().contains("秒后再试"));
    assert!(store.members().unwrap()[0].blocked_seconds > 0);
    // Once the wait is over (here: the stored time moved back), the next wrong one waits twice
    // as long, and the right one clears the count.
    end_the_wait(directory.path(), "李国华");
    match store.check_member_pin("李国华", "9999").unwrap_err() {
        DeviceError::WrongPin {
            blocked_seconds, ..
        } => assert_eq!(blocked_seconds, 60),
        other => panic!("{other:?}"),
    }
    end_the_wait(directory.path(), "李国华");
    assert!(store.check_member_pin("李国华", "2580").is_ok());
    match store.check_member_pin("李国华", "9999").unwrap_err() {
        DeviceError::WrongPin { attempts_left, .. } => {
            assert_eq!(attempts_left, FREE_PIN_ATTEMPTS - 1)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_leader_resets_a_forgotten_pin_and_nothing_else_changes() {
    let (_directory, mut store) = fresh_store();
    store.set_first_pin("李国华", "2580").unwrap();
    store
        .set_roster_as("李国华", &["李国华".into(), "王明".into()])
        .unwrap();
    store.set_first_pin("王明", "1357").unwrap();
    store.set_current_member("王明").unwrap();
    store
        .record_entry(hazard("2024-03-02", "fence", "铁网破损"), vec![])
        .unwrap();
    for _ in 0..FREE_PIN_ATTEMPTS {
        let _ = store.check_member_pin("王明", "0000");
    }
    // Only the leader may reset.
    let error = store.reset_member_pin("王明", "王明").unwrap_err();
    assert_eq!(error.message_zh(), "只有负责人可以重置 PIN");
    let wang = store.reset_member_pin("李国华", "王明").unwrap();
    assert!(!wang.has_pin);
    assert_eq!(wang.blocked_seconds, 0, "the wait goes with the PIN");
    assert!(
        store.check_member_pin("王明", "1357").is_err(),
        "old PIN gone"
    );
    store.set_first_pin("王明", "8642").unwrap();
    assert!(store.check_member_pin("王明", "8642").is_ok());
    let log = store.list_entries(&EntryListQuery::default()).unwrap();
    assert_eq!(log.entries.len(), 1, "the entries are all there");
}

#[test]
fn the_roster_keeps_pins_of_members_who_stay_and_only_the_leader_changes_it() {
    let (_directory, mut store) = fresh_store();
    store.set_first_pin("李国华", "2580").unwrap();
    store
        .set_roster_as("李国华", &["李国华".into(), "王明".into(), "岩温".into()])
        .unwrap();
    store.set_first_pin("王明", "1357").unwrap();
    let error = store
        .set_roster_as("王明", &["李国华".into(), "王明".into()])
        .unwrap_err();
    assert_eq!(error.message_zh(), "只有负责人可以修改名单");
    let error = store
        .set_roster_as("李国华", &["王明".into(), "岩温".into()])
        .unwrap_err();
    assert!(error
        .message_zh()
        .contains("负责人“李国华”不能从名单中删除"));
    assert_eq!(names(&store), ["李国华", "王明", "岩温"], "nothing changed");
    store
        .set_roster_as("李国华", &["王明".into(), "李国华".into()])
        .unwrap();
    assert_eq!(names(&store), ["王明", "李国华"]);
    assert!(store.check_member_pin("王明", "1357").is_ok(), "PIN kept");
}
