//! Nothing acknowledged is lost (issue 20 §1): after a failed commit on a full database, a use
//! case that fails after BEGIN, a transaction dropped half-way (a client gone, a timeout), a panic
//! inside a transaction, or a PostgreSQL backend killed mid-transaction, every write the server
//! answered 2xx is seen by a separate connection, and the writer goes on working.
//!
//! The separate connection ("observer") is opened apart from the application's pools, so it sees
//! only what was committed.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use serde_json::json;
use tests::{Backend, TestApp};

/// A connection of its own to the application's database.
async fn observer(app: &TestApp) -> DatabaseConnection {
    sea_orm::Database::connect(app.state.config.database_url())
        .await
        .expect("observer connects")
}

/// How many units with this code the observer sees.
async fn units_seen(observer: &DatabaseConnection, code: &str) -> i64 {
    let backend = observer.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "SELECT COUNT(*) AS n FROM units WHERE code = $1",
        _ => "SELECT COUNT(*) AS n FROM units WHERE code = ?",
    };
    let row = observer
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [code.into()]))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

/// Creates a unit over HTTP; its status.
async fn create_unit(app: &TestApp, token: &str, code: &str) -> StatusCode {
    app.post(
        "/api/v1/units",
        token,
        json!({"code": code, "name": format!("Phòng thử nghiệm {code} với một cái tên khá dài để đầy trang"),
               "kind": "department", "valid_from": "2025-07-01", "reason": "thử lỗi ghi"}),
    )
    .await
    .status
}

/// Every acknowledged code is seen exactly once by the observer. Prints the fault suite's
/// figures (acknowledged, found, lost, duplicated) with the test's name, for OPERATIONS.md.
async fn assert_all_seen(observer: &DatabaseConnection, acknowledged: &[String]) {
    let (mut found, mut lost, mut duplicated) = (0, Vec::new(), Vec::new());
    for code in acknowledged {
        match units_seen(observer, code).await {
            0 => lost.push(code.clone()),
            1 => found += 1,
            _ => duplicated.push(code.clone()),
        }
    }
    eprintln!(
        "FAULT {} ({:?}): acknowledged {}, found {found}, lost {}, duplicated {}",
        std::thread::current().name().unwrap_or("?"),
        observer.get_database_backend(),
        acknowledged.len(),
        lost.len(),
        duplicated.len()
    );
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    assert!(duplicated.is_empty(), "stored twice: {duplicated:?}");
}

/// Writes `n` units with codes `prefix-i`; returns the acknowledged codes and the failures' statuses.
async fn write_units(
    app: &TestApp,
    token: &str,
    prefix: &str,
    n: usize,
) -> (Vec<String>, Vec<StatusCode>) {
    let mut acknowledged = Vec::new();
    let mut failed = Vec::new();
    for i in 0..n {
        let code = format!("{prefix}-{i}");
        let status = create_unit(app, token, &code).await;
        if status.is_success() {
            acknowledged.push(code);
        } else {
            failed.push(status);
        }
    }
    (acknowledged, failed)
}

/// An outside writer can take SQLite's write lock: the application holds no transaction open.
async fn outside_writer_can_begin(observer: &DatabaseConnection) {
    observer
        .execute_unprepared("BEGIN IMMEDIATE")
        .await
        .expect("an outside BEGIN IMMEDIATE: the application's writer holds no transaction");
    observer
        .execute_unprepared("ROLLBACK")
        .await
        .expect("rollback");
}

/// SQLite answers SQLITE_FULL when the database would grow past `max_page_count`, as it does on a
/// full disk. The writes that fail are refused with 507; every write acknowledged before, during
/// and after is stored; once room comes back the writer goes on (issue 20 §1).
#[tokio::test]
async fn a_full_sqlite_database_loses_no_acknowledged_write() {
    let app = TestApp::spawn(&Backend::Sqlite).await.expect("app");
    let root = app.root().await;
    let observer = observer(&app).await;
    let (before, _) = write_units(&app, &root, "TRUOC", 3).await;
    assert_eq!(before.len(), 3);

    let writer = app.state.db.writer();
    let pages = writer
        .query_one_raw(Statement::from_string(
            writer.get_database_backend(),
            "PRAGMA page_count",
        ))
        .await
        .expect("page_count")
        .expect("row")
        .try_get_by_index::<i64>(0)
        .expect("pages");
    writer
        .execute_unprepared(&format!("PRAGMA max_page_count = {}", pages + 1))
        .await
        .expect("cap");

    let (during, failed) = write_units(&app, &root, "DAY", 40).await;
    assert!(
        !failed.is_empty(),
        "the capped database refused nothing: the fault was not injected"
    );
    assert_all_seen(&observer, &before).await;
    assert_all_seen(&observer, &during).await;
    outside_writer_can_begin(&observer).await;
    for status in &failed {
        assert_eq!(*status, StatusCode::INSUFFICIENT_STORAGE, "a full database");
    }

    // Room comes back (on whichever connection the writer now uses).
    app.state
        .db
        .writer()
        .execute_unprepared("PRAGMA max_page_count = 1073741823")
        .await
        .expect("uncap");
    let (after, failed) = write_units(&app, &root, "SAU", 5).await;
    assert!(failed.is_empty(), "writes after room came back: {failed:?}");
    assert_all_seen(&observer, &after).await;
    let ready = app.call(reqwest::Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::OK);
    observer.close().await.expect("close");
    app.finish().await.expect("stop");
}

/// The state a failed COMMIT leaves, made without a full disk: SQLite ends the transaction under
/// the driver (here a raw `ROLLBACK`, as SQLite's own rollback on SQLITE_FULL does), so the
/// driver's ROLLBACK on drop fails and sqlx goes on counting an open transaction. Without the
/// writer's release check, the next transactions were savepoints: the first 409 rolled back to
/// one and left SQLite's transaction open, and every later 201 was lost (issue 20 §1). Runs
/// everywhere, root or not.
#[tokio::test]
async fn a_transaction_ended_under_the_driver_is_never_reused() {
    let app = TestApp::spawn(&Backend::Sqlite).await.expect("app");
    let root = app.root().await;
    let observer = observer(&app).await;
    let txn = app.state.db.begin().await.expect("begin");
    txn.execute_unprepared("ROLLBACK")
        .await
        .expect("SQLite ends the transaction under the driver");
    drop(txn);

    assert_eq!(create_unit(&app, &root, "KET").await, StatusCode::CREATED);
    assert_eq!(create_unit(&app, &root, "KET").await, StatusCode::CONFLICT);
    let (after, failed) = write_units(&app, &root, "SAUKET", 3).await;
    assert!(failed.is_empty(), "{failed:?}");
    assert_all_seen(&observer, &["KET".to_owned()]).await;
    assert_all_seen(&observer, &after).await;
    outside_writer_can_begin(&observer).await;
    observer.close().await.expect("close");
    app.finish().await.expect("stop");
}

/// A use case that fails after BEGIN (a duplicate unit code, refused by the unique index inside
/// the transaction) leaves the writer clean: the next writes are stored (issue 20 §1).
#[tokio::test]
async fn a_use_case_failing_after_begin_leaves_the_writer_clean() {
    crate::each_backend!(|app| {
        let root = app.root().await;
        let observer = observer(&app).await;
        assert_eq!(create_unit(&app, &root, "TRUNG").await, StatusCode::CREATED);
        for _ in 0..3 {
            assert_eq!(
                create_unit(&app, &root, "TRUNG").await,
                StatusCode::CONFLICT
            );
        }
        let (after, failed) = write_units(&app, &root, "TIEP", 3).await;
        assert!(failed.is_empty(), "{failed:?}");
        assert_all_seen(&observer, &after).await;
        observer.close().await.expect("close");
    });
}

/// A transaction dropped half-way (its future cancelled, as when a client goes or a timeout
/// fires) and a panic inside a transaction leave the writer clean; later commits are stored
/// (issue 20 §1).
#[tokio::test]
async fn a_dropped_or_panicking_transaction_leaves_the_writer_clean() {
    crate::each_backend!(|app| {
        let root = app.root().await;
        let observer = observer(&app).await;
        let db = app.state.db.clone();

        // Cancelled after its insert, before its commit.
        let cancelled = tokio::time::timeout(Duration::from_millis(200), async {
            let txn = db.begin().await.expect("begin");
            txn.execute_unprepared("UPDATE units SET name = name WHERE 1 = 0")
                .await
                .expect("statement");
            tokio::time::sleep(Duration::from_secs(30)).await;
            txn.commit().await.expect("never reached");
        })
        .await;
        assert!(cancelled.is_err(), "the transaction was cancelled");

        // A panic while the transaction is open.
        let db2 = db.clone();
        let panicked = tokio::spawn(async move {
            let txn = db2.begin().await.expect("begin");
            txn.execute_unprepared("UPDATE units SET name = name WHERE 1 = 0")
                .await
                .expect("statement");
            panic!("a use case panics inside its transaction");
        })
        .await;
        assert!(panicked.is_err(), "the task panicked");

        let (after, failed) = write_units(&app, &root, "SAUHUY", 3).await;
        assert!(failed.is_empty(), "{failed:?}");
        assert_all_seen(&observer, &after).await;
        if app.backend == Backend::Sqlite {
            outside_writer_can_begin(&observer).await;
        }
        observer.close().await.expect("close");
    });
}

/// `/readyz` proves the writer can write: while another process holds SQLite's write lock it
/// answers 503, and 200 once the lock is gone (issue 20 §1).
#[tokio::test]
async fn readyz_answers_503_while_the_writer_cannot_write() {
    let app = TestApp::spawn(&Backend::Sqlite).await.expect("app");
    let observer = observer(&app).await;
    let ready = app.call(reqwest::Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::OK);
    let held = observer.begin().await.expect("begin");
    held.execute_unprepared("UPDATE units SET name = name")
        .await
        .expect("take the write lock");
    let blocked = app.call(reqwest::Method::GET, "/readyz", None, None).await;
    assert_eq!(blocked.status, StatusCode::SERVICE_UNAVAILABLE);
    held.rollback().await.expect("release");
    let ready = app.call(reqwest::Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::OK);
    observer.close().await.expect("close");
    app.finish().await.expect("stop");
}

/// PostgreSQL: the application's backends are killed (`pg_terminate_backend`) while one of its
/// transactions is open. That commit fails; no write is acknowledged without being stored, and
/// the writer recovers without a restart (issue 20 §1).
#[tokio::test]
async fn a_postgres_backend_killed_mid_transaction_loses_no_acknowledged_write() {
    let Some(backend) = tests::backends()
        .into_iter()
        .find(|b| matches!(b, Backend::Postgres(_)))
    else {
        eprintln!("skipped: CONGVU_TEST_POSTGRES_URL is not set");
        return;
    };
    let app = TestApp::spawn(&backend).await.expect("app");
    let root = app.root().await;
    let observer = observer(&app).await;
    let (before, _) = write_units(&app, &root, "PG-TRUOC", 3).await;

    let txn = app.state.db.begin().await.expect("begin");
    txn.execute_unprepared("UPDATE units SET name = name")
        .await
        .expect("a statement inside the transaction");
    let killed = observer
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .await;
    assert!(killed.is_ok(), "{killed:?}");
    assert!(
        txn.commit().await.is_err(),
        "a commit on a killed backend cannot succeed"
    );

    let mut acknowledged = before;
    let mut recovered = false;
    for round in 0..20 {
        let (ok, _) = write_units(&app, &root, &format!("PG-SAU{round}"), 1).await;
        recovered = !ok.is_empty();
        acknowledged.extend(ok);
        if recovered {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the writer did not recover");
    let (more, failed) = write_units(&app, &root, "PG-TIEP", 3).await;
    assert!(failed.is_empty(), "{failed:?}");
    acknowledged.extend(more);
    assert_all_seen(&observer, &acknowledged).await;
    let ready = app.call(reqwest::Method::GET, "/readyz", None, None).await;
    assert_eq!(
        ready.status,
        StatusCode::OK,
        "a primary that takes writes is ready"
    );
    observer.close().await.expect("close");
    app.finish().await.expect("stop");
}

/// A tmpfs of `size` mounted for one test, unmounted when dropped.
struct SmallDisk {
    at: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs (needs root, as CI runs); `None` where mounting is not allowed.
    fn mount(size: &str) -> Option<Self> {
        let at = tempfile::tempdir().expect("mount point");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(Self { at })
    }

    /// Writes a file until the disk refuses more; returns its path.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let path = self.at.path().join("ballast");
        let mut file = std::fs::File::create(&path).expect("ballast");
        let chunk = vec![0u8; 16 * 1024];
        while file
            .write_all(&chunk)
            .and_then(|()| file.sync_all())
            .is_ok()
        {}
        // The last bytes the page cache took may not fit either: fill to the last byte.
        while file
            .write_all(&chunk[..512])
            .and_then(|()| file.sync_all())
            .is_ok()
        {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.at.path())
            .status();
    }
}

/// A real full disk under the SQLite file: a small tmpfs filled with a ballast file while the
/// server runs. Commits fail on the disk (the WAL cannot grow); each is refused, none is
/// acknowledged without being stored; after the ballast is removed the writer goes on, and every
/// acknowledged write is found by a separate connection (issue 20 §1; stack notes R6). Runs where
/// tmpfs can be mounted (root, as in CI); under `CI=true` it must.
#[tokio::test]
async fn a_real_full_disk_loses_no_acknowledged_write() {
    let Some(disk) = SmallDisk::mount("24m") else {
        assert!(
            std::env::var("CONGVU_TEST_REQUIRE_TMPFS").as_deref() != Ok("1"),
            "CONGVU_TEST_REQUIRE_TMPFS=1 but no tmpfs could be mounted for the full-disk test"
        );
        eprintln!("skipped: cannot mount a tmpfs here (not root)");
        return;
    };
    let dir = tempfile::tempdir_in(disk.at.path()).expect("data dir");
    let app = TestApp::spawn_in(&Backend::Sqlite, dir, |_| {})
        .await
        .expect("app");
    let root = app.root().await;
    let observer = observer(&app).await;
    let (mut acknowledged, _) = write_units(&app, &root, "DIA-TRUOC", 3).await;

    // An emptied WAL restarts at its first frame and reuses space it already holds; truncated, it
    // must grow with the next commit, so the full disk is met whatever the WAL's history.
    app.state
        .db
        .writer()
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .expect("checkpoint");
    let ballast = disk.fill();
    let (during, failed) = write_units(&app, &root, "DIA-DAY", 40).await;
    assert!(
        !failed.is_empty(),
        "the full disk refused nothing: the fault was not injected"
    );
    acknowledged.extend(during);
    assert_all_seen(&observer, &acknowledged).await;
    for status in &failed {
        assert_eq!(*status, StatusCode::INSUFFICIENT_STORAGE, "a full disk");
    }

    std::fs::remove_file(ballast).expect("room comes back");
    let (after, failed) = write_units(&app, &root, "DIA-SAU", 5).await;
    assert!(failed.is_empty(), "writes after room came back: {failed:?}");
    acknowledged.extend(after);
    assert_all_seen(&observer, &acknowledged).await;
    outside_writer_can_begin(&observer).await;
    observer.close().await.expect("close");
    app.finish().await.expect("stop");
    drop(disk);
}

/// How many rows `sql` counts, as the observer sees them.
async fn count(observer: &DatabaseConnection, sql: &str) -> i64 {
    observer
        .query_one_raw(Statement::from_string(observer.get_database_backend(), sql))
        .await
        .expect("count")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("n")
}

/// Clients that give up while their write runs (timeouts from 1 to 30 ms): each unit the server
/// stored has its audit event and none has two, the audit chain is intact, and later writes are
/// stored (issue 20 §1). Rocket 0.5 runs a handler to its end after its client has gone (here all
/// 30 were stored), so a transaction cancelled half-way is tested directly in
/// `a_dropped_or_panicking_transaction_leaves_the_writer_clean`.
#[tokio::test]
async fn clients_gone_mid_request_leave_whole_rows_and_a_clean_writer() {
    crate::each_backend!(|app| {
        let root = app.root().await;
        let observer = observer(&app).await;
        for i in 0..30_u64 {
            let gone = app
                .http
                .post(format!("{}/api/v1/units", app.base))
                .bearer_auth(&root)
                .timeout(Duration::from_millis(1 + i))
                .json(&json!({"code": format!("BO-{i}"), "name": format!("Phòng bỏ dở {i}"),
                              "kind": "department", "valid_from": "2025-07-01", "reason": "thử lỗi ghi"}))
                .send()
                .await;
            drop(gone);
        }
        let (after, failed) = write_units(&app, &root, "SAUBO", 3).await;
        assert!(failed.is_empty(), "{failed:?}");
        assert_all_seen(&observer, &after).await;
        let units = count(&observer, "SELECT COUNT(*) FROM units").await;
        let events = count(
            &observer,
            "SELECT COUNT(*) FROM audit_events WHERE object_type = 'unit' AND reason = 'thử lỗi ghi'",
        )
        .await;
        assert_eq!(
            units, events,
            "a unit without its audit event, or one twice"
        );
        let verify = app.get("/api/v1/audit/verify", &root).await;
        assert_eq!(verify.status, StatusCode::OK, "{:?}", verify.body);
        assert_eq!(verify.body["intact"], true, "{:?}", verify.body);
        if app.backend == Backend::Sqlite {
            outside_writer_can_begin(&observer).await;
        }
        observer.close().await.expect("close");
    });
}
