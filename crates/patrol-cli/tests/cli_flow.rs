//! A post leader's day with the real `patrol` binary: record the three kinds from the issue's
//! JSON, with photos; list, search, show, edit, delete; statistics; a patrol's GPS track.

mod common;

use common::*;
use serde_json::Value;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn record_list_show_edit_delete_and_count() {
    let patrol = Patrol::new();
    let photo = patrol.path().join("fence-before.png");
    image::RgbImage::from_fn(1024, 768, |x, _| image::Rgb([(x % 256) as u8, 80, 40]))
        .save(&photo)
        .unwrap();

    let hazard_id = patrol
        .ok(
            &[
                "record",
                "hazard",
                "--json",
                "-",
                "--photo",
                photo.to_str().unwrap(),
            ],
            HAZARD,
        )
        .trim()
        .to_string();
    let patrol_id = patrol
        .ok(&["record", "--json", "-"], PATROL)
        .trim()
        .to_string();
    let repair_id = patrol
        .ok(
            &[
                "record",
                "repair",
                "--json",
                "-",
                "--photo-before",
                photo.to_str().unwrap(),
            ],
            &repair_closing(&hazard_id),
        )
        .trim()
        .to_string();
    assert_eq!(
        patrol.photo_files().len(),
        2,
        "the same photo is stored once: the PNG as it came and the JPEG that syncs"
    );

    let page = json(&patrol.ok(&["list", "--json"], ""));
    let ids: Vec<&str> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [repair_id.as_str(), hazard_id.as_str(), patrol_id.as_str()],
        "newest first"
    );

    let fixed = json(&patrol.ok(
        &["list", "--kind", "hazard", "--status", "fixed", "--json"],
        "",
    ));
    assert_eq!(fixed["entries"][0]["id"], hazard_id.as_str());
    let found = json(&patrol.ok(&["list", "--search", "踩踏", "--json"], ""));
    assert_eq!(found["entries"][0]["id"], patrol_id.as_str());
    assert!(patrol
        .ok(&["list"], "")
        .contains("铁网/围栏 · 高风险 · 铁网被洪水冲毁约30米"));

    let shown = json(&patrol.ok(&["show", &hazard_id, "--json"], ""));
    assert_eq!(shown["status"], "fixed");
    assert_eq!(shown["photos"][0]["role"], "general");
    assert_eq!(shown["body"]["description"], "铁网被洪水冲毁约30米");

    // Edit what `show --json` printed, as a post leader fixing a mistake would.
    let mut edited = shown.clone();
    edited["body"]["severity"] = "critical".into();
    let output = patrol.ok(&["edit", &hazard_id, "--json", "-"], &edited.to_string());
    assert!(output.contains("第 3 版"), "{output}");
    let with_history = json(&patrol.ok(&["show", &hazard_id, "--json", "--history"], ""));
    let changes: Vec<&str> = with_history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["create", "status", "edit"]);
    assert_eq!(
        with_history["history"][0]["entry"]["body"]["severity"],
        "high"
    );
    assert!(patrol.ok(&["show", &hazard_id], "").contains("第 3 版"));

    let stats = json(&patrol.ok(&["stats", "--year", "2024", "--json"], ""));
    let totals = stats["totals"].as_array().unwrap();
    let fence = totals
        .iter()
        .find(|t| t["kind"] == "repair" && t["category"] == "fence")
        .unwrap();
    assert_eq!(
        (
            fence["entries"].as_u64(),
            fence["quantity"].as_f64(),
            fence["unit"].as_str()
        ),
        (Some(1), Some(30.0), Some("m"))
    );
    let joint = totals
        .iter()
        .find(|t| t["kind"] == "patrol" && t["category"] == "joint")
        .unwrap();
    assert_eq!(joint["entries"], 1);
    let text = patrol.ok(&["stats", "--year", "2024"], "");
    assert!(text.contains("修复  铁网  1 条,合计 30 米"), "{text}");

    patrol.ok(&["delete", &repair_id], "");
    let reopened = json(&patrol.ok(&["show", &hazard_id, "--json"], ""));
    assert_eq!(
        reopened["status"], "open",
        "deleting the repair re-opens the hazard"
    );
    let after = json(&patrol.ok(&["list", "--json"], ""));
    assert_eq!(after["entries"].as_array().unwrap().len(), 2);
    let with_deleted = json(&patrol.ok(&["list", "--include-deleted", "--json"], ""));
    assert_eq!(with_deleted["entries"].as_array().unwrap().len(), 3);
}

#[test]
fn a_patrol_track_recorded_point_by_point() {
    let patrol = Patrol::new();
    patrol.ok(&["member", "李国华"], "");
    let id = patrol
        .ok(
            &["track", "start", "--json", "-"],
            r#"{"members":["李国华","王明"],"partners":[{"unit":"village_committee","count":2}]}"#,
        )
        .trim()
        .to_string();
    // A fix a minute, 111 m apart: a walk (fixes faster than 50 m/s are left out as jumps).
    for i in 0..10 {
        let lat = format!("{}", 23.6 + i as f64 * 0.001);
        let at = format!("2024-03-02T08:{:02}:00+08:00", 10 + i);
        let count = patrol.ok(
            &[
                "track",
                "point",
                "--lat",
                &lat,
                "--lon",
                "105.6",
                "--accuracy",
                "5",
                "--at",
                &at,
            ],
            "",
        );
        assert_eq!(count.trim(), (i + 1).to_string());
    }
    let status = json(&patrol.ok(&["track", "status", "--json"], ""));
    assert_eq!(status[0]["point_count"], 10);
    assert_eq!(status[0]["running"], true);

    let end = r#"{"joint":true,"members":["李国华","王明"],"partners":[{"unit":"village_committee","count":2}],"markers":["125"],"findings":"无异常"}"#;
    let stopped = patrol.ok(&["track", "stop", "--json", "-"], end);
    assert!(stopped.contains("1 公里"), "{stopped}");
    let shown = json(&patrol.ok(&["show", &id, "--json"], ""));
    assert_eq!(shown["status"], "ended");
    assert_eq!(shown["author"], "李国华");
    assert_eq!(shown["body"]["distance_km"], 1.0);
    assert_eq!(shown["body"]["markers"][0], "125");
    assert!(shown["ended_at"].is_string());
    assert!(patrol
        .ok(&["track", "status"], "")
        .contains("没有进行中的巡逻"));
}

#[test]
fn help_documents_the_exit_codes() {
    let patrol = Patrol::new();
    let help = patrol.ok(&["--help"], "");
    for line in [
        "Exit codes:",
        "3  invalid input",
        "4  no entry with that id",
    ] {
        assert!(help.contains(line), "{help}");
    }
}
