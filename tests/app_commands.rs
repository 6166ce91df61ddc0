//! The app's commands called through Tauri's IPC on the mock runtime, with the argument names
//! the UI sends (camelCase at the top level, snake_case inside objects) and the answers and
//! errors it receives (`docs/app-commands.md`). The store is a real one in a temporary directory.

use base64::Engine;
use patrol_device::DeviceStore;
use patrol_device::MemberSession;
use patrol_log_app::background_sync::BackgroundSync;
use patrol_log_app::{command_handler, SessionState, StoreState};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, Manager, WebviewWindow, WebviewWindowBuilder};

struct TestApp {
    _directory: tempfile::TempDir,
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl TestApp {
    /// The app with its post leader 李国华 unlocked, as after the lock screen.
    fn new() -> TestApp {
        let app = TestApp::locked();
        app.ok("set_first_pin", json!({"name": "李国华", "pin": "2580"}));
        app
    }

    /// The app as it opens: locked, on a phone with no members yet.
    fn locked() -> TestApp {
        let directory = tempfile::tempdir().unwrap();
        let store = DeviceStore::open(directory.path()).unwrap();
        let app = mock_builder()
            .invoke_handler(command_handler())
            .build(mock_context(noop_assets()))
            .unwrap();
        app.manage::<StoreState>(Mutex::new(store));
        app.manage::<SessionState>(Mutex::new(MemberSession::locked(5)));
        app.manage(BackgroundSync::default());
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        TestApp {
            _directory: directory,
            app,
            window,
        }
    }

    /// What the UI's `invoke(command, args)` resolves to (`Ok`) or rejects with (`Err`).
    fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        tauri::test::get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: command.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, command: &str, args: Value) -> Value {
        self.invoke(command, args)
            .unwrap_or_else(|error| panic!("{command} failed: {error}"))
    }

    fn err(&self, command: &str, args: Value) -> Value {
        match self.invoke(command, args) {
            Ok(value) => panic!("{command} should fail, answered {value}"),
            Err(error) => error,
        }
    }
}

fn fields(error: &Value) -> Vec<&str> {
    error["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {error}"))
        .iter()
        .map(|problem| problem["field"].as_str().unwrap())
        .collect()
}

fn hazard_draft(description: &str, lat: f64) -> Value {
    json!({"kind": "hazard", "occurred_at": "2024-03-02T09:00:00+08:00",
           "location": {"lat": lat, "lon": 105.6312},
           "body": {"category": "fence", "severity": "high", "description": description}})
}

fn png_base64() -> String {
    let picture = image::RgbImage::from_fn(400, 300, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 7])
    });
    let mut png = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(png)
}

#[test]
fn entries_are_recorded_edited_deleted_and_bad_drafts_list_every_field() {
    let app = TestApp::new();
    let states = Arc::new(Mutex::new(Vec::<Value>::new()));
    let seen = states.clone();
    app.app.listen("sync-state", move |event| {
        seen.lock()
            .unwrap()
            .push(serde_json::from_str(event.payload()).unwrap());
    });

    let error = app.err(
        "record_entry",
        json!({"draft": {"kind": "hazard", "occurred_at": "2024-03-02T09:00:00+08:00",
                         "body": {"category": "bridge", "severity": "high", "description": "",
                                  "colour": "red"}}}),
    );
    assert_eq!(error["kind"], "invalid");
    let problem_fields = fields(&error);
    for field in ["body.category", "body.colour"] {
        assert!(
            problem_fields.contains(&field),
            "{field} in {problem_fields:?}"
        );
    }
    assert!(
        states.lock().unwrap().is_empty(),
        "nothing recorded, nothing told"
    );

    let entry = app.ok(
        "record_entry",
        json!({"draft": hazard_draft("铁网破了", 23.6251), "photos": []}),
    );
    let id = entry["id"].as_str().unwrap().to_string();
    assert_eq!(entry["status"], "open");
    assert_eq!(app.ok("get_entry", json!({"id": id})), entry);
    assert_eq!(
        app.ok("entry_send_state", json!({"id": id})),
        json!({"state": "pending", "problems": []})
    );
    {
        let states = states.lock().unwrap();
        assert_eq!(states.len(), 1, "sync-state after recording: {states:?}");
        assert_eq!(states[0]["pending_records"], 1);
        assert_eq!(states[0]["pending_entries"], 1);
        assert_eq!(states[0]["syncing"], false);
    }

    // An edit may leave the kind out; it cannot change it.
    let mut edited_draft = hazard_draft("铁网破了两处", 23.6251);
    edited_draft.as_object_mut().unwrap().remove("kind");
    let edited = app.ok("edit_entry", json!({"id": id, "draft": edited_draft}));
    assert_eq!(edited["revision"], 2);
    assert_eq!(edited["body"]["description"], "铁网破了两处");
    let error = app.err(
        "edit_entry",
        json!({"id": id, "draft": {"kind": "repair", "occurred_at": "2024-03-02T09:00:00+08:00",
                                   "body": {"category": "fence", "quantity": 3, "description": "x"}}}),
    );
    assert_eq!(error["kind"], "invalid");

    let tombstone = app.ok("delete_entry", json!({"id": id}));
    assert_eq!(tombstone["deleted"], true);
    let history = app.ok("entry_history", json!({"id": id}));
    let changes: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|version| version["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["create", "edit", "delete"]);
    assert_eq!(states.lock().unwrap().len(), 3);

    let missing = app.err(
        "get_entry",
        json!({"id": "0190f5a4-7c1e-7000-8000-000000000000"}),
    );
    assert_eq!(missing["kind"], "not_found");
    assert!(missing.get("problems").is_none());
    let bad_id = app.err("get_entry", json!({"id": "铁网"}));
    assert_eq!(fields(&bad_id), ["id"]);
}

#[test]
fn photos_are_imported_as_base64_and_attached() {
    let app = TestApp::new();
    let photo = app.ok(
        "import_photo",
        json!({"bytesBase64": png_base64(), "fileName": "fence.png"}),
    );
    let sha256 = photo["sha256"].as_str().unwrap();
    assert_eq!(sha256.len(), 64);
    let url = photo["thumbnail_data_url"].as_str().unwrap();
    assert!(url.starts_with("data:image/jpeg;base64,"));
    assert_eq!(
        app.ok("photo_thumbnail", json!({"sha256": sha256})),
        json!(url)
    );

    let entry = app.ok(
        "record_entry",
        json!({"draft": hazard_draft("铁网", 23.6251), "photos": [{"sha256": sha256, "role": "general"}]}),
    );
    assert_eq!(entry["photos"][0]["role"], "general");

    // On edit: photos given replace the entry's; left out, they stay.
    let id = entry["id"].as_str().unwrap();
    let reroled = app.ok(
        "edit_entry",
        json!({"id": id, "draft": hazard_draft("铁网", 23.6251),
               "photos": [{"sha256": sha256, "role": "after"}]}),
    );
    assert_eq!(reroled["revision"], 2);
    assert_eq!(
        reroled["photos"],
        json!([{"sha256": sha256, "role": "after"}])
    );
    let kept = app.ok(
        "edit_entry",
        json!({"id": id, "draft": hazard_draft("铁网两处", 23.6251)}),
    );
    assert_eq!(kept["photos"], reroled["photos"]);
    let error = app.err(
        "edit_entry",
        json!({"id": id, "draft": hazard_draft("铁网", 23.6251), "photos": [{"sha256": "ab"}]}),
    );
    assert_eq!(fields(&error), ["photos[0]"]);
    assert_eq!(app.ok("get_entry", json!({"id": id}))["revision"], 3);

    let error = app.err(
        "record_entry",
        json!({"draft": hazard_draft("铁网", 23.6251),
               "photos": [{"sha256": sha256, "role": "general"}, {"sha256": sha256, "role": "selfie"}]}),
    );
    assert_eq!(fields(&error), ["photos[1]"]);
    let not_image = base64::engine::general_purpose::STANDARD.encode("铁网");
    let error = app.err(
        "import_photo",
        json!({"bytesBase64": not_image, "fileName": "notes.txt"}),
    );
    assert_eq!(error["kind"], "invalid");
    assert_eq!(fields(&error), ["photos"]);
    assert!(error["message"].as_str().unwrap().contains("notes.txt"));
}

#[test]
fn a_patrol_runs_point_by_point_and_ends() {
    let app = TestApp::new();
    assert_eq!(app.ok("running_patrol", json!({})), Value::Null);
    let patrol = app.ok(
        "start_patrol",
        json!({"body": {"joint": true, "members": ["李国华"], "partners": [{"unit": "army", "count": 2}],
                        "markers": [], "findings": ""},
               "location": {"lat": 23.6251, "lon": 105.6312, "accuracy_m": 6.0}}),
    );
    assert_eq!(patrol["status"], "running");
    let patrol_id = patrol["id"].as_str().unwrap();
    for (index, lat) in [23.6251, 23.6341, 23.6431].into_iter().enumerate() {
        let summary = app.ok(
            "append_track_point",
            json!({"patrolId": patrol_id,
                   "point": {"lat": lat, "lon": 105.6312, "accuracy_m": 5.0,
                             "recorded_at": format!("2024-03-02T08:1{index}:00+08:00")}}),
        );
        assert_eq!(summary["point_count"], index + 1);
    }
    let running = app.ok("running_patrol", json!({}));
    assert_eq!(running["entry"]["id"], patrol_id);
    let distance = running["track"]["distance_m"].as_f64().unwrap();
    assert!((1900.0..2100.0).contains(&distance), "{distance}");
    assert_eq!(
        app.ok("home_summary", json!({}))["running_patrol_id"],
        json!(patrol_id)
    );

    let error = app.err(
        "append_track_point",
        json!({"patrolId": patrol_id, "point": {"lat": 0.0, "lon": 0.0, "recorded_at": 1_709_338_200_000_i64}}),
    );
    assert_eq!(fields(&error), ["point"]);

    let ended = app.ok(
        "end_patrol",
        json!({"patrolId": patrol_id,
               "body": {"joint": true, "members": ["李国华", "王明"], "partners": [{"unit": "army", "count": 2}],
                        "markers": ["123"], "findings": "无异常"}}),
    );
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["body"]["distance_km"], 2.0);
    assert_eq!(app.ok("running_patrol", json!({})), Value::Null);
    let error = app.err("end_patrol", json!({"patrolId": patrol_id}));
    assert_eq!(error["kind"], "not_allowed");
}

#[test]
fn hazards_to_close_come_nearest_first_and_home_counts_them() {
    let app = TestApp::new();
    let far = app.ok(
        "record_entry",
        json!({"draft": hazard_draft("远处", 23.70)}),
    );
    let near = app.ok(
        "record_entry",
        json!({"draft": hazard_draft("近处", 23.6252)}),
    );
    let choices = app.ok(
        "open_hazards",
        json!({"near": {"lat": 23.6251, "lon": 105.6312}, "limit": 5}),
    );
    let ids: Vec<&Value> = choices
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&near["id"], &far["id"]]);
    assert!(choices[0]["distance_m"].as_f64().unwrap() < 20.0);
    let newest_first = app.ok("open_hazards", json!({}));
    assert_eq!(newest_first[0]["id"], near["id"]);
    assert!(newest_first[0].get("distance_m").is_none());
    let error = app.err(
        "open_hazards",
        json!({"near": {"lat": 123.0, "lon": 105.0}}),
    );
    assert_eq!(fields(&error), ["near.lat"]);
    assert_eq!(app.ok("home_summary", json!({}))["open_hazards"], 2);
    let month = app.ok("month_summary", json!({"month": "2024-03"}));
    assert_eq!(month["month"], "2024-03");
    assert_eq!(month["open_hazards"]["older"], 2, "{month}");
    let error = app.err("month_summary", json!({"month": "三月"}));
    assert_eq!(fields(&error), ["month"]);
}

#[test]
fn drafts_settings_and_sync_status_round_trip() {
    let app = TestApp::new();
    app.ok(
        "save_draft",
        json!({"form": "hazard", "json": "{\"description\":\"铁网\"}"}),
    );
    assert_eq!(
        app.ok("load_draft", json!({"form": "hazard"})),
        json!("{\"description\":\"铁网\"}")
    );
    app.ok("clear_draft", json!({"form": "hazard"}));
    assert_eq!(app.ok("load_draft", json!({"form": "hazard"})), Value::Null);
    assert_eq!(
        fields(&app.err("save_draft", json!({"form": "x", "json": "{}"}))),
        ["form"]
    );

    app.ok("set_roster", json!({"names": ["李国华", "王明"]}));
    app.ok("set_language", json!({"language": "en"}));
    assert_eq!(
        fields(&app.err("set_language", json!({"language": "fr"}))),
        ["language"]
    );
    let settings = app.ok("get_settings", json!({}));
    assert_eq!(settings["current_member"], "李国华");
    assert_eq!(settings["roster"], json!(["李国华", "王明"]));
    assert_eq!(settings["language"], "en");
    assert_eq!(settings["enrolled"], false);
    assert_eq!(settings["idle_lock_minutes"], 5);

    let status = app.ok("sync_status", json!({}));
    assert_eq!(status["syncing"], false);
    assert_eq!(status["online"], Value::Null);
    assert_eq!(status["pending_entries"], 0);
    assert_eq!(status["device_id"], settings["device_id"]);
    // Not enrolled: "sync now" says what to do first.
    let error = app.err("sync_now", json!({}));
    assert_eq!(error["kind"], "not_allowed");
    assert!(error["message"].as_str().unwrap().contains("登记"));
}

#[test]
fn typed_map_coordinates_convert_to_wgs84_and_bad_ones_name_their_field() {
    // Reads and writes nothing: a locked phone converts too.
    let app = TestApp::locked();
    // Funing (23.5, 105.6) as Gaode shows it.
    let (gcj_lat, gcj_lon) = patrol_model::datum::wgs84_to_gcj02(23.5, 105.6);
    let wgs = app.ok(
        "convert_to_wgs84",
        json!({"lat": gcj_lat, "lon": gcj_lon, "datum": "gcj02"}),
    );
    assert!((wgs["lat"].as_f64().unwrap() - 23.5).abs() < 1e-7, "{wgs}");
    assert!((wgs["lon"].as_f64().unwrap() - 105.6).abs() < 1e-7, "{wgs}");
    let (bd_lat, bd_lon) =
        patrol_model::datum::from_wgs84(patrol_model::CoordinateDatum::Bd09, 23.5, 105.6);
    let wgs = app.ok(
        "convert_to_wgs84",
        json!({"lat": bd_lat.to_string(), "lon": bd_lon, "datum": "bd09"}),
    );
    assert!((wgs["lat"].as_f64().unwrap() - 23.5).abs() < 1e-7, "{wgs}");
    assert_eq!(
        app.ok(
            "convert_to_wgs84",
            json!({"lat": 23.5, "lon": 105.6, "datum": "wgs84"})
        ),
        json!({"lat": 23.5, "lon": 105.6})
    );

    let error = app.err(
        "convert_to_wgs84",
        json!({"lat": "二十三", "lon": 105.6, "datum": "gcj02"}),
    );
    assert_eq!(error["kind"], "invalid");
    assert_eq!(fields(&error), ["lat"]);
    assert_eq!(
        fields(&app.err(
            "convert_to_wgs84",
            json!({"lat": 23.5, "lon": 181, "datum": "gcj02"})
        )),
        ["lon"]
    );
    assert_eq!(
        fields(&app.err(
            "convert_to_wgs84",
            json!({"lat": 23.5, "lon": 105.6, "datum": "wgs-84"})
        )),
        ["datum"]
    );
}

#[test]
fn enrolling_with_a_server_out_of_reach_is_unreachable() {
    let app = TestApp::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let error = app.err(
        "enroll_device",
        json!({"serverUrl": url, "code": "ABCD-1234"}),
    );
    assert_eq!(error["kind"], "unreachable");
    let error = app.err(
        "enroll_device",
        json!({"serverUrl": "ftp://county", "code": "ABCD"}),
    );
    assert_eq!(fields(&error), ["server_url"]);
    assert_eq!(app.ok("get_settings", json!({}))["enrolled"], false);
}

#[test]
fn a_locked_phone_shows_no_entry_and_each_entry_is_written_by_the_member_unlocked() {
    let app = TestApp::locked();
    let screen = app.ok("lock_screen", json!({}));
    assert_eq!(screen, json!({"members": [], "idle_lock_minutes": 5}));
    assert_eq!(
        app.err("list_entries", json!({"query": {}}))["kind"],
        "locked"
    );
    let error = app.err("record_entry", json!({"draft": hazard_draft("铁网", 23.1)}));
    assert_eq!(error["kind"], "locked");
    assert_eq!(error["message"], "手机已锁定，请选择使用人并输入 PIN");

    // The first PIN on a fresh phone sets up the post leader.
    let leader = app.ok("set_first_pin", json!({"name": "李国华", "pin": "2580"}));
    assert_eq!(leader, json!({"name": "李国华", "leader": true}));
    app.ok("set_roster", json!({"names": ["李国华", "王明"]}));
    // Whatever author the draft names, the entry is the unlocked member's.
    let mut draft = hazard_draft("铁网被冲毁", 23.1);
    draft["author"] = json!("王明");
    let first = app.ok("record_entry", json!({"draft": draft}));
    assert_eq!(first["author"], "李国华");
    let patrol = app.ok("start_patrol", json!({}));
    assert_eq!(patrol["author"], "李国华");

    app.ok("lock", json!({}));
    assert_eq!(
        app.ok("get_settings", json!({}))["current_member"],
        Value::Null
    );
    let id = first["id"].as_str().unwrap();
    assert_eq!(app.err("get_entry", json!({"id": id}))["kind"], "locked");
    assert_eq!(app.err("home_summary", json!({}))["kind"], "locked");
    // The GPS track goes on while locked.
    let point = json!({"lat": 23.1, "lon": 105.2, "accuracy_m": 5.0, "recorded_at": "2024-03-02T08:10:00+08:00"});
    let track = app.ok(
        "append_track_point",
        json!({"patrolId": patrol["id"], "point": point}),
    );
    assert_eq!(track["point_count"], 1);
    assert!(app.ok("running_patrol", json!({})).is_object());

    // 王明 sets his own PIN at his first unlock; his entry is his.
    let screen = app.ok("lock_screen", json!({}));
    assert_eq!(screen["members"][1]["has_pin"], false);
    app.ok("set_first_pin", json!({"name": "王明", "pin": "1357"}));
    let second = app.ok(
        "record_entry",
        json!({"draft": hazard_draft("界碑倾斜", 23.2)}),
    );
    assert_eq!(second["author"], "王明");
    assert_eq!(app.ok("get_settings", json!({}))["current_member"], "王明");
    let error = app.err("reset_member_pin", json!({"name": "李国华"}));
    assert_eq!(error["message"], "只有负责人可以重置 PIN");
    let error = app.err("set_roster", json!({"names": ["王明"]}));
    assert_eq!(error["message"], "只有负责人可以修改名单");

    app.ok("lock", json!({}));
    let wrong = app.err("unlock", json!({"name": "王明", "pin": "0000"}));
    assert_eq!(
        wrong,
        json!({"kind": "wrong_pin", "message": "PIN 不对，还可以再试 4 次"})
    );
    assert_eq!(
        app.err("list_entries", json!({"query": {}}))["kind"],
        "locked"
    );
    app.ok("unlock", json!({"name": "李国华", "pin": "2580"}));
    let reset = app.ok("reset_member_pin", json!({"name": "王明"}));
    assert_eq!(reset["has_pin"], false);
    let error = app.err("set_idle_lock", json!({"minutes": 2}));
    assert_eq!(fields(&error), ["minutes"]);
    app.ok("set_idle_lock", json!({"minutes": 1}));
    assert_eq!(app.ok("lock_screen", json!({}))["idle_lock_minutes"], 1);
    let page = app.ok("list_entries", json!({"query": {}}));
    assert_eq!(
        page["entries"].as_array().unwrap().len(),
        3,
        "nothing wiped"
    );
}
