//! `patrol list | head`: when the reader of its output goes away, `patrol` stops quietly with
//! the conventional status 141 (128 + SIGPIPE) instead of panicking, and what it saved stays.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// Runs `patrol ARGS` with its stdout a real pipe whose reader keeps `keep_lines` lines and
/// then closes it; returns the exit status and stderr.
fn run_into_closed_pipe(
    patrol: &Patrol,
    args: &[&str],
    keep_lines: usize,
) -> (Option<i32>, String) {
    let mut child = patrol
        .command()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    for _ in 0..keep_lines {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
    }
    drop(reader);
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn output_into_a_closed_pipe_stops_quietly() {
    let patrol = Patrol::new();
    // Enough entries that the list does not fit in the pipe before the reader goes.
    let many: String = (0..400)
        .map(|i| HAZARD.replace("铁网被洪水冲毁约30米", &format!("铁网被洪水冲毁第{i}处")) + "\n")
        .collect();
    patrol.ok(&["record", "--jsonl", "-"], &many);
    let listed = patrol.ok(&["list", "--limit", "500"], "");
    assert!(listed.lines().count() >= 400, "{listed}");

    for (args, keep) in [
        (&["list", "--limit", "500"][..], 1),
        (&["list", "--limit", "500"][..], 0),
        (&["list", "--json", "--limit", "500"][..], 3),
        (&["stats"][..], 0),
        (&["status"][..], 0),
    ] {
        let (code, stderr) = run_into_closed_pipe(&patrol, args, keep);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "patrol {args:?} into a closed pipe: {stderr}"
        );
        assert!(
            code == Some(141) || code == Some(0),
            "patrol {args:?}: status {code:?}, stderr {stderr}"
        );
        assert!(stderr.trim().is_empty(), "quiet: {stderr}");
    }
    // Nothing was lost or changed by the cut output.
    assert_eq!(patrol.ok(&["list", "--limit", "500"], ""), listed);
}
