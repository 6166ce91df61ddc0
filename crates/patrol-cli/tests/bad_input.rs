//! Bad input to `patrol`: each case exits non-zero with the field and the reason in Chinese,
//! and the store is exactly as it was.

mod common;

use common::*;

struct Case {
    name: &'static str,
    args: Vec<String>,
    stdin: String,
    exit_code: i32,
    /// Every one of these must appear in stderr.
    says: Vec<&'static str>,
}

fn case(
    name: &'static str,
    args: &[&str],
    stdin: &str,
    exit_code: i32,
    says: &[&'static str],
) -> Case {
    Case {
        name,
        args: args.iter().map(|arg| arg.to_string()).collect(),
        stdin: stdin.to_string(),
        exit_code,
        says: says.to_vec(),
    }
}

#[test]
fn bad_input_is_refused_with_field_and_reason_and_nothing_changes() {
    let patrol = Patrol::new();
    let hazard_id = patrol
        .ok(&["record", "hazard", "--json", "-"], HAZARD)
        .trim()
        .to_string();
    patrol.ok(&["record", "patrol", "--json", "-"], PATROL);
    let long_text = "铁".repeat(2001);
    let picture = patrol.path().join("not-a-photo.jpg");
    std::fs::write(&picture, "这不是照片").unwrap();
    let picture = picture.to_str().unwrap().to_string();

    let cases = vec![
        case(
            "malformed JSON",
            &["record", "hazard", "--json", "-"],
            r#"{"kind":"hazard","#,
            3,
            &["(整体)", "不是有效的 JSON"],
        ),
        case(
            "empty input",
            &["record", "hazard", "--json", "-"],
            "",
            3,
            &["不是有效的 JSON"],
        ),
        case(
            "unknown kind",
            &["record", "picnic", "--json", "-"],
            HAZARD,
            3,
            &["kind", "未知的条目类型“picnic”"],
        ),
        case(
            "kind in JSON differs",
            &["record", "repair", "--json", "-"],
            HAZARD,
            3,
            &["kind", "不一致"],
        ),
        case(
            "unknown hazard category",
            &["record", "hazard", "--json", "-"],
            &HAZARD.replace(r#""category":"fence""#, r#""category":"bridge""#),
            3,
            &["body.category", "未知的隐患类别“bridge”"],
        ),
        case(
            "unknown repair category",
            &["record", "repair", "--json", "-"],
            &repair_closing(&hazard_id).replace(r#""category":"fence""#, r#""category":"tunnel""#),
            3,
            &["body.category", "未知的修复类别"],
        ),
        case(
            "negative quantity",
            &["record", "repair", "--json", "-"],
            &repair_closing(&hazard_id).replace(r#""quantity":30"#, r#""quantity":-30"#),
            3,
            &["body.quantity", "数量必须大于 0"],
        ),
        case(
            "end before start",
            &["record", "patrol", "--json", "-"],
            &PATROL.replace("T11:40:00", "T07:00:00"),
            3,
            &["ended_at", "结束时间早于开始时间"],
        ),
        case(
            "latitude out of range",
            &["record", "hazard", "--json", "-"],
            &HAZARD.replace("23.6251", "123.6251"),
            3,
            &["location.lat", "纬度应在 -90 到 90 之间"],
        ),
        case(
            "longitude out of range",
            &["record", "hazard", "--json", "-"],
            &HAZARD.replace("105.6312", "-205.6312"),
            3,
            &["location.lon", "经度应在 -180 到 180 之间"],
        ),
        case(
            "missing hazard",
            &["record", "repair", "--json", "-"],
            &repair_closing("0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a"),
            3,
            &["body.closes_hazard", "找不到隐患"],
        ),
        case(
            "oversized text",
            &["record", "hazard", "--json", "-"],
            &HAZARD.replace("铁网被洪水冲毁约30米", &long_text),
            3,
            &["body.description", "文字太长:2001 字,最多 2000 字"],
        ),
        case(
            "oversized input",
            &["record", "hazard", "--json", "-"],
            &format!("{}{}", HAZARD, " ".repeat(300 * 1024)),
            3,
            &["内容太大"],
        ),
        case(
            "not a photo",
            &["record", "hazard", "--json", "-", "--photo", &picture],
            HAZARD,
            3,
            &["不是 JPEG 或 PNG 照片"],
        ),
        case(
            "missing photo",
            &[
                "record",
                "hazard",
                "--json",
                "-",
                "--photo",
                "/nonexistent/a.jpg",
            ],
            HAZARD,
            3,
            &["文件不存在"],
        ),
        case(
            "edit of unknown id",
            &[
                "edit",
                "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a",
                "--json",
                "-",
            ],
            HAZARD,
            4,
            &["找不到条目"],
        ),
        case(
            "edit with a bad id",
            &["edit", "12345", "--json", "-"],
            HAZARD,
            3,
            &["不是条目编号"],
        ),
        case(
            "edit changing the kind",
            &["edit", &hazard_id, "--json", "-"],
            PATROL,
            3,
            &["kind"],
        ),
        case(
            "edit with bad values",
            &["edit", &hazard_id, "--json", "-"],
            &HAZARD.replace(r#""severity":"high""#, r#""severity":"extreme""#),
            3,
            &["body.severity", "未知的严重程度“extreme”"],
        ),
        case(
            "delete of unknown id",
            &["delete", "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a"],
            "",
            4,
            &["找不到条目"],
        ),
        case(
            "list with a bad date",
            &["list", "--since", "2024-13-01"],
            "",
            3,
            &["--since", "日期“2024-13-01”格式不对"],
        ),
        case(
            "list with a bad kind",
            &["list", "--kind", "picnic"],
            "",
            3,
            &["--kind", "未知的条目类型"],
        ),
        case(
            "stats for an absurd year",
            &["stats", "--year", "99999"],
            "",
            3,
            &["year", "年份应在"],
        ),
        case(
            "track point with no patrol running",
            &["track", "point", "--lat", "23.6", "--lon", "105.6"],
            "",
            5,
            &["没有进行中的巡逻"],
        ),
        case(
            "bad line in a JSON Lines import",
            &["record", "--jsonl", "-"],
            &format!(
                "{}\n",
                HAZARD.replace(r#""severity":"high""#, r#""severity":"?""#)
            ),
            3,
            &["第1行 body.severity"],
        ),
    ];

    for case in cases {
        let before = patrol.snapshot();
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let output = patrol.run(&args, &case.stdin);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(case.exit_code),
            "{}: stderr was {stderr}",
            case.name
        );
        assert!(
            output.stdout.is_empty(),
            "{}: printed {:?}",
            case.name,
            String::from_utf8_lossy(&output.stdout)
        );
        for words in &case.says {
            assert!(
                stderr.contains(words),
                "{}: stderr lacks {words:?}:\n{stderr}",
                case.name
            );
        }
        assert!(
            stderr.starts_with("错误:"),
            "{}: the member reads Chinese first:\n{stderr}",
            case.name
        );
        assert_eq!(
            patrol.snapshot(),
            before,
            "{}: the store changed",
            case.name
        );
        assert!(
            patrol.photo_files().is_empty(),
            "{}: a photo file was left behind",
            case.name
        );
    }
}

#[test]
fn a_bad_photo_among_good_ones_stores_none_of_them() {
    let patrol = Patrol::new();
    let good = patrol.path().join("good.png");
    image_png(&good);
    let bad = patrol.path().join("bad.jpg");
    std::fs::write(&bad, [0xFF, 0xD8, 0xFF, 0x00, 0x01]).unwrap();
    patrol.ok(&["list"], "");
    let before = patrol.snapshot();
    let output = patrol.run(
        &[
            "record",
            "hazard",
            "--json",
            "-",
            "--photo",
            good.to_str().unwrap(),
            "--photo",
            bad.to_str().unwrap(),
        ],
        HAZARD,
    );
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.jpg") && stderr.contains("照片已损坏"),
        "{stderr}"
    );
    assert_eq!(patrol.snapshot(), before);
    assert!(patrol.photo_files().is_empty());
}

/// A real photo-sized PNG.
fn image_png(path: &std::path::Path) {
    image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    })
    .save(path)
    .unwrap();
}
