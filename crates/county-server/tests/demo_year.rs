//! `county-server demo --year 2024` through the real binary: a fresh SQLite file filled with a
//! year of Funing's twelve posts over the sync API gives exactly the county's own 2024 figures
//! (`seed-funing-2024.txt`) in `county-server report`, the entries look like a real year (every
//! post's outreach at least twice a month, Monday study days, tracks along the border, hazards
//! fixed by the repairs that close them), and a second demo into the same database is refused.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

fn county_server(database: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_county-server"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("county-server runs")
}

fn success(output: Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The entry of `list` whose `code` is `code`.
fn by_code<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .and_then(|items| items.iter().find(|item| item["code"] == code))
        .unwrap_or_else(|| panic!("no {code} in {list}"))
}

#[test]
fn a_demo_2024_gives_funings_year_end_report_and_a_second_demo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("county.sqlite3");
    let started = Instant::now();
    let summary = success(
        county_server(&database, &["demo", "--year", "2024"]),
        "demo",
    );
    eprintln!(
        "demo took {:.1} s: {summary}",
        started.elapsed().as_secs_f64()
    );
    assert!(summary.contains("12 posts"), "{summary}");

    let report = year_end_report(&database);
    assert_eq!(report["year"], 2024);
    assert_eq!(report["posts"], 12);
    // 联合巡逻 330 次; 普法宣传 680 次, 受教育群众 4 万人; 案件 3 起 5 人, 无走私.
    assert_eq!(report["patrols"]["joint"], 330, "{report}");
    assert_eq!(report["outreach"]["sessions"], 680);
    assert_eq!(report["outreach"]["audience"], 40_000);
    assert_eq!(report["incidents"]["cases"], 3);
    assert_eq!(report["incidents"]["persons"], 5);
    assert_eq!(
        by_code(&report["incidents"]["by_type"], "smuggling")["cases"],
        0
    );
    // 修复水毁道路 7.2 公里, 清理塌方 45 处, 修复水源 14 处, 电路 16 处, 铁网 200 米.
    let repairs = &report["repairs"];
    for (code, quantity, unit) in [
        ("road", 7.2, "km"),
        ("landslide", 45.0, "count"),
        ("water", 14.0, "count"),
        ("power", 16.0, "count"),
        ("fence", 200.0, "m"),
    ] {
        let repair = by_code(repairs, code);
        assert_eq!(
            repair["quantity"].as_f64(),
            Some(quantity),
            "{code}: {repair}"
        );
        assert_eq!(repair["unit"], unit, "{code}: {repair}");
    }
    // 技能培训 1 次, 军地联席会议 4 次, 季度推进会 4 次, 战术演练 3 次, 主题党日 6 场, 环境卫生整治 20 次.
    let activities = &report["activities"];
    for (code, sessions) in [
        ("training", 1),
        ("joint_meeting", 4),
        ("quarterly_meeting", 4),
        ("drill", 3),
        ("party_day", 6),
        ("clean_up", 20),
    ] {
        assert_eq!(
            by_code(activities, code)["sessions"],
            sessions,
            "{code}: {activities}"
        );
    }
    // Weekly study days at every post, regular patrols far more than joint ones, hazards
    // found and most of them fixed.
    let study_days = by_code(activities, "study_day")["sessions"]
        .as_u64()
        .unwrap();
    assert!((12 * 45..=12 * 53).contains(&study_days), "{study_days}");
    let patrols = report["patrols"]["total"].as_u64().unwrap();
    assert!((1_100..=2_000).contains(&patrols), "{patrols} patrols");
    let hazards = &report["hazards"];
    let (found, fixed) = (
        hazards["found"].as_u64().unwrap(),
        hazards["fixed"].as_u64().unwrap(),
    );
    assert!(
        found >= 80 && fixed * 3 >= found * 2 && fixed < found,
        "{hazards}"
    );

    year_looks_lived_in(&database);

    let again = county_server(&database, &["demo", "--year", "2024"]);
    assert!(!again.status.success(), "a second demo must be refused");
    let message = String::from_utf8_lossy(&again.stderr);
    assert!(
        message.contains("already holds 12 post") && message.contains("--database"),
        "the refusal says why and what to do: {message}"
    );
    let after = year_end_report(&database);
    assert_eq!(after, report, "the refused demo changed nothing");
}

/// `county-server report --year 2024 --format json`.
fn year_end_report(database: &Path) -> Value {
    let report = success(
        county_server(database, &["report", "--year", "2024", "--format", "json"]),
        "report",
    );
    serde_json::from_str(&report).expect("the report is JSON")
}

/// What the report does not show, from the exported entries.
fn year_looks_lived_in(database: &Path) {
    let export = success(
        county_server(database, &["export", "--format", "jsonl"]),
        "export",
    );
    let entries: Vec<Value> = export
        .lines()
        .map(|line| serde_json::from_str(line).expect("one entry per line"))
        .collect();
    let live: Vec<&Value> = entries
        .iter()
        .filter(|entry| entry["deleted"] == false)
        .collect();
    assert!(
        entries.len() > live.len(),
        "some mistaken duplicates were deleted"
    );
    let mut outreach_by_post_month: HashMap<(String, String), u32> = HashMap::new();
    let mut study_mondays = 0;
    let mut fixed_hazards = HashSet::new();
    let mut closed_by_repairs = HashSet::new();
    for entry in &live {
        let occurred = entry["occurred_at"].as_str().unwrap();
        assert!(
            occurred.starts_with("2024-") && occurred.ends_with("+08:00"),
            "local time of 2024: {occurred}"
        );
        if let Some(location) = entry.get("location").filter(|l| !l.is_null()) {
            let (lat, lon) = (
                location["lat"].as_f64().unwrap(),
                location["lon"].as_f64().unwrap(),
            );
            assert!(
                (23.2..=23.7).contains(&lat) && (105.2..=106.2).contains(&lon),
                "along the border: {location}"
            );
        }
        let post = entry["post_id"].as_str().unwrap().to_string();
        match entry["kind"].as_str().unwrap() {
            "outreach" => {
                *outreach_by_post_month
                    .entry((post, occurred[..7].to_string()))
                    .or_default() += 1;
            }
            "activity" if entry["body"]["activity_type"] == "study_day" => {
                let day = chrono::DateTime::parse_from_rfc3339(occurred).unwrap();
                assert_eq!(chrono::Datelike::weekday(&day), chrono::Weekday::Mon);
                study_mondays += 1;
            }
            "patrol" => {
                assert_eq!(entry["status"], "ended");
                let track = entry["body"]["track"]
                    .as_str()
                    .expect("a patrol has its track");
                assert!(
                    track.len() > 1_000,
                    "a real track: {} characters",
                    track.len()
                );
                assert!(entry["body"]["distance_km"].as_f64().unwrap() > 0.5);
                if entry["body"]["joint"] == true {
                    assert!(!entry["body"]["partners"].as_array().unwrap().is_empty());
                }
            }
            "hazard" if entry["status"] == "fixed" => {
                fixed_hazards.insert(entry["id"].as_str().unwrap().to_string());
            }
            "repair" => {
                if let Some(hazard) = entry["body"]["closes_hazard"].as_str() {
                    closed_by_repairs.insert(hazard.to_string());
                }
            }
            _ => {}
        }
    }
    assert_eq!(
        outreach_by_post_month.len(),
        12 * 12,
        "every post, every month"
    );
    assert!(
        outreach_by_post_month
            .values()
            .all(|sessions| *sessions >= 2),
        "at least two outreach sessions a month per post: {outreach_by_post_month:?}"
    );
    assert!(study_mondays >= 12 * 45);
    assert_eq!(
        fixed_hazards, closed_by_repairs,
        "a hazard is fixed exactly when a repair closes it"
    );
}
