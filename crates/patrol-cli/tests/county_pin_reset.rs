//! A member forgot their PIN and the post leader is away: the county resets it
//! (`county-server pin-reset POST MEMBER`), end to end with the real `patrol` and
//! `county-server` binaries. The phone's next sync forgets that member's PIN (and nobody
//! else's), the member sets a new one, and the reset pulled again changes nothing; a name not
//! on the phone's roster changes nothing either.

mod common;

use common::county::County;
use common::*;
use patrol_device::DeviceStore;

fn has_pin(phone: &Patrol) -> Vec<(String, bool)> {
    DeviceStore::open(phone.path())
        .unwrap()
        .members()
        .unwrap()
        .into_iter()
        .map(|member| (member.name, member.has_pin))
        .collect()
}

#[test]
fn a_pin_the_county_resets_is_forgotten_once_at_the_next_sync() {
    let county = County::start();
    let (post, phone) = county.post_with_phone("田蓬联防所");
    {
        let mut store = DeviceStore::open(phone.path()).unwrap();
        store.set_first_pin("李国华", "2580").unwrap();
        store
            .set_roster_as("李国华", &["李国华".to_string(), "王明".to_string()])
            .unwrap();
        store.set_first_pin("王明", "1357").unwrap();
        // Three wrong PINs: the count goes with the reset too.
        for _ in 0..3 {
            assert!(store.check_member_pin("王明", "0000").is_err());
        }
    }
    phone.ok(&["sync"], "");
    assert_eq!(
        has_pin(&phone),
        [("李国华".to_string(), true), ("王明".to_string(), true)]
    );

    let said = county.admin(&["pin-reset", "田蓬联防所", "王明"]);
    assert!(said.contains("王明"), "{said}");
    county.admin(&["pin-reset", &post, "张三"]);
    let refused = std::process::Command::new(
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_patrol")).with_file_name("county-server"),
    )
    .arg("--database")
    .arg(county.database().join("county.sqlite3"))
    .args(["pin-reset", &post, "  "])
    .output()
    .unwrap();
    assert!(!refused.status.success(), "a blank member is refused");

    phone.ok(&["sync"], "");
    assert_eq!(
        has_pin(&phone),
        [("李国华".to_string(), true), ("王明".to_string(), false)],
        "only 王明's PIN is forgotten"
    );
    {
        let mut store = DeviceStore::open(phone.path()).unwrap();
        let unlocked = store.set_first_pin("王明", "8642").unwrap();
        assert!(unlocked.has_pin && unlocked.blocked_seconds == 0);
    }
    phone.ok(&["sync"], "");
    assert_eq!(
        has_pin(&phone),
        [("李国华".to_string(), true), ("王明".to_string(), true)],
        "the same reset pulled again is not applied again"
    );
    let mut store = DeviceStore::open(phone.path()).unwrap();
    assert!(store.check_member_pin("王明", "8642").is_ok());

    let audit = county.admin(&["audit", "--format", "jsonl"]);
    let resets: Vec<&str> = audit
        .lines()
        .filter(|line| line.contains("\"pin_reset\""))
        .collect();
    assert_eq!(resets.len(), 2, "{audit}");
    assert!(resets[0].contains("王明"), "{}", resets[0]);
}
