//! Admin roles and dashboard sessions (migration 04) on both backends, with the same answers:
//! an admin saved before roles existed is `admin`; a session is found while live, its expiry
//! slides, and it is gone once expired, logged out, or when the admin is reset; logging in
//! answers the same for an unknown user and a wrong password. And an admin of a SQLite file
//! from before migration 04 can still log in, as an admin.

mod common;

use chrono::Utc;
use county_server::secrets::{hash_password, sha256_hex};
use county_server::storage::admin_sessions::{
    log_in_admin, AdminRole, NewAdminSession, ADMIN_SESSION_REFRESH_STEP_MS, ADMIN_SESSION_TTL_MS,
};
use county_server::SharedStorage;

async fn sessions_behave(backend: &str, storage: SharedStorage) {
    let now = Utc::now().timestamp_millis();
    let phc = hash_password("边防办 2024").unwrap();

    // An admin added the old way (before roles) is an admin.
    storage
        .set_admin_password("老管理员", &phc, now)
        .await
        .unwrap();
    let old = storage.admin_with_role("老管理员").await.unwrap().unwrap();
    assert_eq!(old.role, AdminRole::Admin, "[{backend}]");
    storage
        .save_admin(
            "viewer",
            &phc,
            AdminRole::Viewer,
            now,
            &county_server::audit::Actor::cli(),
        )
        .await
        .unwrap();
    let viewer = storage.admin_with_role("viewer").await.unwrap().unwrap();
    assert_eq!(
        (viewer.role, viewer.password_phc),
        (AdminRole::Viewer, phc.clone())
    );
    assert_eq!(storage.admin_with_role("nobody").await.unwrap(), None);

    // Logging in: right password opens a session; unknown user and wrong password both None.
    let opened = log_in_admin(storage.as_ref(), "viewer", "边防办 2024", None, now)
        .await
        .unwrap()
        .expect("the right password logs in");
    assert_eq!(opened.session.role, AdminRole::Viewer);
    assert_eq!(opened.session.expires_at_ms, now + ADMIN_SESSION_TTL_MS);
    assert!(log_in_admin(storage.as_ref(), "viewer", "wrong", None, now)
        .await
        .unwrap()
        .is_none());
    assert!(
        log_in_admin(storage.as_ref(), "nobody", "边防办 2024", None, now)
            .await
            .unwrap()
            .is_none()
    );
    let hash = sha256_hex(&opened.token);
    let found = storage
        .find_live_admin_session(&hash, now + 1_000)
        .await
        .unwrap()
        .expect("a fresh session is live");
    assert_eq!(
        (found.username.as_str(), found.role, found.expires_at_ms),
        ("viewer", AdminRole::Viewer, now + ADMIN_SESSION_TTL_MS),
        "[{backend}] no write within the first minute"
    );

    // Sliding: used 11 h later, it lives 12 h from then.
    let later = now + 11 * 3600 * 1000;
    let slid = storage
        .find_live_admin_session(&hash, later)
        .await
        .unwrap()
        .expect("still live after 11 h");
    assert_eq!(slid.expires_at_ms, later + ADMIN_SESSION_TTL_MS);
    assert!(storage
        .find_live_admin_session(
            &hash,
            later + ADMIN_SESSION_TTL_MS - ADMIN_SESSION_REFRESH_STEP_MS
        )
        .await
        .unwrap()
        .is_some());
    // Unused for 12 h: gone.
    let idle = storage
        .find_live_admin_session(&hash, later + 2 * ADMIN_SESSION_TTL_MS + 1)
        .await
        .unwrap();
    assert_eq!(idle, None, "[{backend}] expired");

    // Logged out: gone; logging out twice is fine.
    let second = log_in_admin(storage.as_ref(), "viewer", "边防办 2024", None, now)
        .await
        .unwrap()
        .unwrap();
    let second_hash = sha256_hex(&second.token);
    storage.delete_admin_session(&second_hash).await.unwrap();
    storage.delete_admin_session(&second_hash).await.unwrap();
    assert_eq!(
        storage
            .find_live_admin_session(&second_hash, now)
            .await
            .unwrap(),
        None
    );

    // Resetting the admin (new password or role) ends their sessions.
    let third = log_in_admin(storage.as_ref(), "viewer", "边防办 2024", None, now)
        .await
        .unwrap()
        .unwrap();
    storage
        .save_admin(
            "viewer",
            &phc,
            AdminRole::Admin,
            now,
            &county_server::audit::Actor::cli(),
        )
        .await
        .unwrap();
    assert_eq!(
        storage
            .find_live_admin_session(&sha256_hex(&third.token), now)
            .await
            .unwrap(),
        None,
        "[{backend}] a reset ends the sessions"
    );

    // A session already expired when stored is never found.
    storage
        .create_admin_session(NewAdminSession {
            token_sha256: sha256_hex("old-token"),
            username: "viewer".into(),
            role: AdminRole::Admin,
            created_at_ms: now - ADMIN_SESSION_TTL_MS - 10,
            expires_at_ms: now - 10,
        })
        .await
        .unwrap();
    assert_eq!(
        storage
            .find_live_admin_session(&sha256_hex("old-token"), now)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sessions_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("county.sqlite3");
    let storage = county_server::open_storage(&path.display().to_string())
        .await
        .unwrap();
    sessions_behave("sqlite", storage).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sessions_on_postgres() {
    let cluster = common::postgres::PgCluster::start();
    let url = cluster.create_database("admin_sessions").await;
    let storage = county_server::open_storage(&url).await.unwrap();
    sessions_behave("postgres", storage).await;
}

#[tokio::test]
async fn an_admin_of_a_file_before_roles_logs_in_as_admin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("county.sqlite3");
    let phc = hash_password("边防办 2024").unwrap();
    {
        let mut connection = rusqlite::Connection::open(&path).unwrap();
        county_server::storage::sqlite::county_sqlite_migrations()
            .to_version(&mut connection, 3)
            .unwrap();
        connection
            .execute(
                "INSERT INTO admins (username, password_phc, created_at_ms) VALUES (?1, ?2, 0)",
                rusqlite::params!["老管理员", phc],
            )
            .unwrap();
    }
    let storage = county_server::open_storage(&path.display().to_string())
        .await
        .unwrap();
    let opened = log_in_admin(
        storage.as_ref(),
        "老管理员",
        "边防办 2024",
        None,
        Utc::now().timestamp_millis(),
    )
    .await
    .unwrap()
    .expect("the old admin logs in");
    assert_eq!(opened.session.role, AdminRole::Admin);
}
