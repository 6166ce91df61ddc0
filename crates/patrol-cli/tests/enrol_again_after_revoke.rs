//! A revoked phone is not stranded: end to end with the real `patrol` and `county-server`
//! binaries. The phone records, the county revokes it (`county-server device revoke`), its
//! sync is refused with the Chinese message, the county gives it a fresh code, it enrols
//! again (same device id, new token) and delivers what it held, each entry exactly once.

mod common;

use common::county::County;
use common::*;

fn hazard(description: &str) -> String {
    HAZARD.replace("铁网被洪水冲毁约30米", description)
}

#[test]
fn a_revoked_phone_enrols_again_with_a_fresh_code_and_delivers_what_it_held_once() {
    let county = County::start();
    let post = county
        .admin(&["post", "add", "田蓬联防所"])
        .trim()
        .to_string();
    let phone = Patrol::new();
    let code = county.admin(&["enroll-code", &post]).trim().to_string();
    let enrolled = phone.ok(&["enroll", &county.url, &code], "");
    phone.ok(&["record", "--json", "-"], &hazard("第一条"));
    phone.ok(&["sync"], "");

    let devices = county.admin(&["device", "list"]);
    let device_id = devices
        .lines()
        .nth(1)
        .and_then(|line| line.split('\t').next())
        .unwrap()
        .to_string();
    assert!(enrolled.contains(&device_id), "{enrolled} / {devices}");
    county.admin(&["device", "revoke", &device_id]);

    // Recorded while (or after) the county revoked it: held on the phone.
    phone.ok(&["record", "--json", "-"], &hazard("第二条"));
    phone.ok(&["record", "--json", "-"], &hazard("第三条"));
    let refused = phone.run(&["sync"], "");
    assert_eq!(refused.status.code(), Some(7), "refused by the county");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("本设备已被停用"), "{stderr}");
    assert_eq!(county.exported_descriptions(), ["第一条"]);
    // The used code cannot bring it back.
    let reused = phone.run(&["enroll", &county.url, &code], "");
    assert_eq!(reused.status.code(), Some(7));

    let fresh = county.admin(&["enroll-code", &post]).trim().to_string();
    let again = phone.ok(&["enroll", &county.url, &fresh], "");
    assert!(again.contains(&device_id), "the same device id: {again}");
    let synced = phone.ok(&["sync"], "");
    assert!(synced.contains("确认 2 条"), "{synced}");
    phone.ok(&["sync"], "");
    assert_eq!(
        county.exported_descriptions(),
        ["第一条", "第三条", "第二条"],
        "each held entry once"
    );
    let status = phone.ok(&["status", "--json"], "");
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["pending_records"], 0, "{status}");
    let devices = county.admin(&["device", "list"]);
    assert_eq!(devices.lines().count(), 2, "still one device: {devices}");
    assert!(
        devices.contains("\tfalse\t"),
        "no longer revoked: {devices}"
    );
}
