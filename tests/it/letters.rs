//! Apology letters end to end: drafting to issue over HTTP, the rules of the form in force on the
//! issue date, numbering per body per year (across New Year in Vietnam time, and under concurrent
//! issuing), scoping, and the email through the outbox to a real SMTP server on loopback
//! (`tests/support/smtp_sink.py`, Debian's python3-aiosmtpd), including a server that is down,
//! answers 451 or 550, and a relay process killed mid-delivery.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use chrono::{DateTime, TimeZone, Utc};
use congvu_app::mail::{Pass, drain};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestApp;

use crate::sink::{Sink, app_with_sink, sink_available};

/// Accounts and a unit with its letterhead.
struct World {
    root: String,
    province: String,
    unit: String,
    head: String,
    drafter: String,
    sibling: String,
}

async fn world(app: &TestApp) -> World {
    let tests::Province {
        root,
        province,
        ward: unit,
        sibling: other,
    } = app.province().await;
    let (_, head) = app.officer(&root, "ct.ph", "unit_head", &unit).await;
    let (_, drafter) = app.officer(&root, "mc.ph", "one_stop_officer", &unit).await;
    let (_, sibling) = app
        .officer(&root, "mc.at", "one_stop_officer", &other)
        .await;
    let a = app
        .put(
            &format!("/api/v1/units/{unit}/letterhead"),
            &head,
            json!({"parent": "Ủy ban nhân dân tỉnh Hưng Yên", "body": "Ủy ban nhân dân phường Phố Hiến",
                   "symbol": "UBND", "place": "Phố Hiến", "archive": "VP"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    World {
        root,
        province,
        unit,
        head,
        drafter,
        sibling,
    }
}

fn overdue(code: &str, received: &str, due: &str, new_due: &str, email: Option<&str>) -> Value {
    json!({
        "cause": "overdue",
        "applicant": {"salutation": "ba", "name": "Trần Thị Ngọc Ánh", "address": "12 Lê Lợi", "email": email},
        "dossier": {"code": code, "procedure": "Cấp bản sao trích lục hộ tịch", "received_on": received, "due_on": due},
        "reason": "cần xác minh thông tin tại Sở Tư pháp",
        "new_due_on": new_due,
    })
}

fn error_letter(email: Option<&str>) -> Value {
    json!({
        "cause": "error_in_result",
        "applicant": {"salutation": "ong", "name": "Lê Văn Bình", "email": email},
        "dossier": {"code": "HS-ERR-1", "procedure": "Chứng thực bản sao", "received_on": "2026-03-02", "due_on": "2026-03-04"},
        "error": "bản sao ghi sai năm sinh",
        "remedy": "đã cấp lại bản sao đúng",
    })
}

fn own_signature() -> Value {
    json!({"authority": "own", "title": "Chủ tịch", "name": "Nguyễn Văn Hòa"})
}

/// Drafts and submits; answers the letter id.
async fn submitted(app: &TestApp, w: &World, letter: Value) -> String {
    let a = app
        .post(
            &format!("/api/v1/units/{}/letters", w.unit),
            &w.drafter,
            letter,
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let id = a.body["id"].as_str().unwrap().to_owned();
    let s = app
        .post(
            &format!("/api/v1/letters/{id}/submit"),
            &w.drafter,
            json!(null),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    id
}

async fn issue(app: &TestApp, w: &World, id: &str) -> tests::Answer {
    app.post(
        &format!("/api/v1/letters/{id}/issue"),
        &w.head,
        own_signature(),
    )
    .await
}

fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

async fn bytes(app: &TestApp, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let res = app
        .http
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, res.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn an_issued_letter_is_mailed_with_its_pdf_and_becomes_delivered() {
    if !sink_available() {
        return;
    }
    for backend in tests::backends() {
        let sink = Sink::up().await;
        let app = app_with_sink(&backend, &sink).await;
        let w = world(&app).await;
        let id = submitted(
            &app,
            &w,
            overdue(
                "HS-001",
                "2026-03-02",
                "2026-03-12",
                "2026-03-19",
                Some("anh.tran@example.vn"),
            ),
        )
        .await;
        let a = issue(&app, &w, &id).await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        // Circular 03/2025 is in force on 10/3/2026: its form and symbol, number 01 of the year.
        assert_eq!(a.body["form_key"], "tt03-2025-mau04");
        assert_eq!(a.body["number"], "01/XLGH-UBND");
        assert_eq!(a.body["issued_on"], "2026-03-10");
        assert_eq!(a.body["state"], "issued");
        let (status, kind, pdf) =
            bytes(&app, &format!("/api/v1/letters/{id}.pdf"), &w.drafter).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind, "application/pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        if let Some(text) = tests::pdf_text(&pdf) {
            assert!(text.contains("Số: 01/XLGH-UBND"), "{text}");
            assert!(
                text.contains("Phố Hiến, ngày 10 tháng 3 năm 2026"),
                "{text}"
            );
            assert!(text.contains("Kính gửi: Bà Trần Thị Ngọc Ánh"), "{text}");
        }
        assert_eq!(
            drain(&app.state).await.unwrap(),
            Pass {
                sent: 1,
                deferred: 0,
                failed: 0
            }
        );
        assert_eq!(
            drain(&app.state).await.unwrap(),
            Pass::default(),
            "sent once"
        );
        let mail = sink.messages();
        assert_eq!(mail.len(), 1);
        let eml = &mail[0];
        assert!(eml.contains("To: anh.tran@example.vn"), "{eml}");
        assert!(eml.contains("Content-Type: application/pdf"), "{eml}");
        assert!(eml.contains("01-XLGH-UBND.pdf"), "{eml}");
        assert!(eml.contains("@congvu>"), "{eml}");
        use base64::Engine;
        let stored = base64::engine::general_purpose::STANDARD.encode(&pdf);
        let flat: String = eml.split_whitespace().collect();
        assert!(
            flat.contains(&stored),
            "the attachment is the stored PDF, whole"
        );
        let letter = app.get(&format!("/api/v1/letters/{id}"), &w.drafter).await;
        assert_eq!(letter.body["state"], "delivered");
        // An issued letter is immutable.
        let put = app
            .put(
                &format!("/api/v1/letters/{id}"),
                &w.drafter,
                overdue("HS-001", "2026-03-02", "2026-03-12", "2026-03-20", None),
            )
            .await;
        assert_eq!(put.status, StatusCode::CONFLICT, "{:?}", put.body);
        app.finish().await.unwrap();
    }
}

#[tokio::test]
async fn with_the_server_down_at_issue_the_letter_arrives_exactly_once_when_it_returns() {
    if !sink_available() {
        return;
    }
    for backend in tests::backends() {
        let mut sink = Sink::down();
        let app = app_with_sink(&backend, &sink).await;
        let w = world(&app).await;
        let id = submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await;
        assert_eq!(issue(&app, &w, &id).await.status, StatusCode::OK);
        assert_eq!(
            drain(&app.state).await.unwrap(),
            Pass {
                sent: 0,
                deferred: 1,
                failed: 0
            }
        );
        let queue = app.get("/api/v1/outbox?state=pending", &w.root).await;
        assert_eq!(queue.status, StatusCode::OK);
        let item = &queue.body["items"][0];
        assert_eq!(item["attempts"], 1);
        assert!(item["last_error"].as_str().is_some_and(|e| !e.is_empty()));
        assert_eq!(item["letter_id"], id.as_str());
        // Not due again before its backoff.
        assert_eq!(drain(&app.state).await.unwrap(), Pass::default());
        sink.start().await;
        app.state
            .clock
            .set(tests::test_now() + chrono::Duration::hours(1));
        assert_eq!(
            drain(&app.state).await.unwrap(),
            Pass {
                sent: 1,
                deferred: 0,
                failed: 0
            }
        );
        app.state
            .clock
            .set(tests::test_now() + chrono::Duration::hours(10));
        assert_eq!(drain(&app.state).await.unwrap(), Pass::default());
        assert_eq!(sink.messages().len(), 1, "exactly once");
        app.finish().await.unwrap();
    }
}

#[tokio::test]
async fn a_451_is_retried_and_a_550_fails_visibly_until_an_administrator_retries_it() {
    if !sink_available() {
        return;
    }
    for backend in tests::backends() {
        let sink = Sink::up().await;
        let app = app_with_sink(&backend, &sink).await;
        let w = world(&app).await;
        sink.mode("451");
        let first = submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await;
        assert_eq!(issue(&app, &w, &first).await.status, StatusCode::OK);
        assert_eq!(drain(&app.state).await.unwrap().deferred, 1);
        sink.mode("250");
        app.state
            .clock
            .set(tests::test_now() + chrono::Duration::hours(1));
        assert_eq!(drain(&app.state).await.unwrap().sent, 1);
        assert_eq!(sink.messages().len(), 1);

        sink.mode("550");
        let mut english = error_letter(Some("hoa.pham@example.vn"));
        english["mail_language"] = json!("en");
        let second = submitted(&app, &w, english).await;
        assert_eq!(issue(&app, &w, &second).await.status, StatusCode::OK);
        assert_eq!(drain(&app.state).await.unwrap().failed, 1);
        let failed = app.get("/api/v1/outbox?state=failed", &w.root).await;
        let items = failed.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        let why = items[0]["last_error"].as_str().unwrap();
        assert!(why.contains("550"), "{why}");
        assert!(
            !why.contains("hoa.pham@example.vn"),
            "the address is masked: {why}"
        );
        assert!(why.contains("h***@example.vn"), "{why}");
        let letter = app.get(&format!("/api/v1/letters/{second}"), &w.head).await;
        assert_eq!(letter.body["state"], "issued", "not delivered");
        // Administrators see the mail of their units' letters; others do not see the queue.
        assert_eq!(
            app.get("/api/v1/outbox", &w.head).await.status,
            StatusCode::FORBIDDEN
        );
        let (_, admin) = app.officer(&w.root, "qt.hy", "admin", &w.province).await;
        let mine = app.get("/api/v1/outbox?state=failed", &admin).await;
        assert_eq!(
            mine.body["items"].as_array().unwrap().len(),
            1,
            "{:?}",
            mine.body
        );
        let elsewhere = app
            .unit(&w.root, "DB", "Tỉnh Điện Biên", "province", None)
            .await;
        let (_, stranger) = app.officer(&w.root, "qt.db", "admin", &elsewhere).await;
        let none = app.get("/api/v1/outbox?state=failed", &stranger).await;
        assert_eq!(none.body["items"], json!([]));
        let failed_id = items[0]["id"].as_str().unwrap();
        assert_eq!(
            app.post(
                &format!("/api/v1/outbox/{failed_id}/retry"),
                &stranger,
                json!(null)
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let outbox_id = items[0]["id"].as_str().unwrap();
        let retried = app
            .post(
                &format!("/api/v1/outbox/{outbox_id}/retry"),
                &w.root,
                json!(null),
            )
            .await;
        assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
        assert_eq!(retried.body["state"], "pending");
        sink.mode("250");
        assert_eq!(drain(&app.state).await.unwrap().sent, 1);
        let mail = sink.messages();
        assert_eq!(mail.len(), 2);
        // The covering email in English when asked; the letter itself stays Vietnamese.
        assert!(
            mail[1].contains("Subject: Letter No. 02/XL-UBND from"),
            "{}",
            mail[1]
        );
        assert!(
            mail[0].contains("01/XL-UBND") && !mail[0].contains("Letter No."),
            "Vietnamese by default: {}",
            mail[0]
        );
        let again = app
            .post(
                &format!("/api/v1/outbox/{outbox_id}/retry"),
                &w.root,
                json!(null),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        app.finish().await.unwrap();
    }
}

/// Claims the next message as a relay would, with a 60-second lease, and commits the claim.
async fn claim(
    app: &TestApp,
    now: DateTime<Utc>,
    max_attempts: u32,
) -> Option<congvu_db::outbox::Message> {
    let txn = app.state.db.begin().await.unwrap();
    let claimed =
        congvu_db::outbox::claim(&txn, now, now + chrono::Duration::seconds(60), max_attempts)
            .await
            .unwrap();
    txn.commit().await.unwrap();
    claimed
}

/// The `congvu` binary beside this test binary (`cargo test --workspace` builds it).
fn congvu_bin() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("congvu");
    if bin.exists() {
        return Some(bin);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI runs `cargo test --workspace`, which builds the congvu binary"
    );
    eprintln!("SKIPPED: target/…/congvu is not built (run `cargo test --workspace`)");
    None
}

#[tokio::test]
async fn a_relay_killed_mid_delivery_loses_nothing() {
    let Some(bin) = congvu_bin() else {
        return;
    };
    if !sink_available() {
        return;
    }
    for backend in tests::backends() {
        let sink = Sink::up().await;
        let app = app_with_sink(&backend, &sink).await;
        let w = world(&app).await;
        let id = submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await;
        assert_eq!(issue(&app, &w, &id).await.status, StatusCode::OK);
        sink.mode("stall");
        // A real `congvu worker` process (system clock), killed with SIGKILL in the middle of DATA.
        let mut worker = Command::new(&bin)
            .arg("--data-dir")
            .arg(app.data_dir())
            .args(["--database-url", &app.state.config.database_url(), "worker"])
            .env("CONGVU_SMTP_HOST", "127.0.0.1")
            .env("CONGVU_SMTP_PORT", sink.port.to_string())
            .env("CONGVU_SMTP_SECURITY", "none")
            .env("CONGVU_SMTP_TIMEOUT_SECONDS", "10")
            .env("CONGVU_MAIL_LEASE_SECONDS", "60")
            .env("CONGVU_MAIL_FROM", "congvu@hungyen.gov.vn")
            // The worker's retention purge runs by the system clock; this test's sessions and
            // mail were made by the test clock (March 2026) and must outlive it.
            .env("CONGVU_RETENTION_SESSION_DAYS", "100000")
            .env("CONGVU_RETENTION_MAIL_DAYS", "100000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        sink.wait_stalled().await;
        worker.kill().unwrap();
        worker.wait().unwrap();
        // Still queued, held by the dead worker's lease, its attempt counted.
        let queue = app.get("/api/v1/outbox?state=pending", &w.root).await;
        let items = queue.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{:?}", queue.body);
        assert_eq!(items[0]["attempts"], 1);
        assert!(items[0]["claimed_until"].is_string());
        // Thirty seconds into the worker's 60-second lease (it took it by the system clock).
        app.state
            .clock
            .set(Utc::now() + chrono::Duration::seconds(30));
        assert_eq!(
            drain(&app.state).await.unwrap(),
            Pass::default(),
            "the lease holds"
        );
        std::fs::remove_file(sink.dir.path().join("stalled")).unwrap();
        sink.mode("250");
        app.state
            .clock
            .set(Utc::now() + chrono::Duration::seconds(61));
        assert_eq!(
            drain(&app.state).await.unwrap().sent,
            1,
            "taken over after the lease"
        );
        assert_eq!(sink.messages().len(), 1);
        // The clock jumped months ahead: log in again.
        let head = app.login("ct.ph", tests::PASSWORD).await;
        let letter = app.get(&format!("/api/v1/letters/{id}"), &head).await;
        assert_eq!(letter.body["state"], "delivered");
        assert_eq!(letter.body["mail"]["state"], "sent");
        app.finish().await.unwrap();
    }
}

/// Decree 61/2018 Art. 19(9) and Circular 01/2018 Mẫu 04, tested on 10 March 2025: the letter is
/// due one working day before the return date, and a dossier's return date is re-set once.
#[tokio::test]
async fn decree_61_2018_art_19_9_late_and_second_letters_are_refused_and_take_no_number() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        app.state.clock.set(vn(2025, 3, 10, 9, 0));
        let w = world(&app).await;
        // Due Wednesday 12/3: the last day is Tuesday 11/3; issuing on Monday 10/3 is in time.
        let first = submitted(
            &app,
            &w,
            overdue("HS-7", "2025-03-03", "2025-03-12", "2025-03-19", None),
        )
        .await;
        let a = issue(&app, &w, &first).await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        assert_eq!(a.body["form_key"], "tt01-2018-mau04");
        assert_eq!(a.body["number"], "01/PXL-UBND");
        assert_eq!(a.body["warnings"], json!([]));
        // A second letter for the same dossier: refused, naming the rule's source.
        let second = submitted(
            &app,
            &w,
            overdue("HS-7", "2025-03-03", "2025-03-19", "2025-03-26", None),
        )
        .await;
        let b = issue(&app, &w, &second).await;
        assert_eq!(b.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", b.body);
        assert_eq!(b.code(), "letter.second_reappointment");
        assert!(
            b.body["detail"].as_str().unwrap().contains("61/2018"),
            "{:?}",
            b.body
        );
        // Due today (10/3): the last day was Friday 7/3.
        let late = submitted(
            &app,
            &w,
            overdue("HS-8", "2025-03-03", "2025-03-10", "2025-03-17", None),
        )
        .await;
        let c = issue(&app, &w, &late).await;
        assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", c.body);
        assert_eq!(c.code(), "letter.late");
        // Refusals leave the letters submitted and take no number.
        assert_eq!(
            app.get(&format!("/api/v1/letters/{late}"), &w.head)
                .await
                .body["state"],
            "submitted"
        );
        let ok = submitted(
            &app,
            &w,
            overdue("HS-9", "2025-03-03", "2025-03-14", "2025-03-21", None),
        )
        .await;
        assert_eq!(issue(&app, &w, &ok).await.body["number"], "02/PXL-UBND");
        // Revoking the first letter frees the dossier for a new return date.
        let r = app
            .post(
                &format!("/api/v1/letters/{first}/revoke"),
                &w.head,
                json!({"reason": "ghi sai ngày hẹn"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        let retry = issue(&app, &w, &second).await;
        assert_eq!(retry.status, StatusCode::OK, "{:?}", retry.body);
        assert_eq!(
            retry.body["number"], "03/PXL-UBND",
            "a revoked letter keeps its number"
        );
        app.finish().await.unwrap();
    }
}

/// Decree 61/2018 Art. 19(9): two letters re-setting the same dossier's date, issued at the same
/// moment, cannot both stand.
#[tokio::test]
async fn decree_61_2018_art_19_9_holds_when_two_letters_for_one_dossier_are_issued_at_once() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        app.state.clock.set(vn(2025, 3, 10, 9, 0));
        let w = world(&app).await;
        let mut ids = Vec::new();
        for new_due in ["2025-03-19", "2025-03-20"] {
            ids.push(
                submitted(
                    &app,
                    &w,
                    overdue("HS-30", "2025-03-03", "2025-03-12", new_due, None),
                )
                .await,
            );
        }
        let answers = futures::future::join_all(ids.iter().map(|id| issue(&app, &w, id))).await;
        let mut statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 422], "{answers:?}");
        app.finish().await.unwrap();
    }
}

/// Circular 03/2025 replaces Mẫu 04 of Circular 01/2018 for letters issued from 15 September 2025;
/// its timing and once-only rules are unverified, so they warn instead of refusing.
#[tokio::test]
async fn circular_03_2025_form_applies_from_15_september_2025_with_warnings_for_unverified_rules() {
    for backend in tests::backends() {
        // Tokens live long enough for the clock to move across days.
        let app = TestApp::spawn_with(&backend, |c| c.token_ttl_hours = 720)
            .await
            .unwrap();
        app.state.clock.set(vn(2025, 9, 12, 9, 0));
        let w = world(&app).await;
        let before = submitted(
            &app,
            &w,
            overdue("HS-20", "2025-09-08", "2025-09-16", "2025-09-23", None),
        )
        .await;
        let a = issue(&app, &w, &before).await;
        assert_eq!(a.body["form_key"], "tt01-2018-mau04", "{:?}", a.body);
        // Drafted under the 2018 form on Friday 12/9, issued on Monday 15/9: the 2025 form.
        // Same dossier, and late (due 15/9): both rules broken, both only warnings now.
        let after = submitted(
            &app,
            &w,
            overdue("HS-20", "2025-09-08", "2025-09-15", "2025-09-30", None),
        )
        .await;
        let drafted = app.get(&format!("/api/v1/letters/{after}"), &w.head).await;
        assert_eq!(drafted.body["form_key"], "tt01-2018-mau04");
        app.state.clock.set(vn(2025, 9, 15, 9, 0));
        let b = issue(&app, &w, &after).await;
        assert_eq!(b.status, StatusCode::OK, "{:?}", b.body);
        assert_eq!(b.body["form_key"], "tt03-2025-mau04");
        assert_eq!(b.body["number"], "02/XLGH-UBND");
        let codes: Vec<&str> = b.body["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["letter.late", "letter.second_reappointment"]);
        let (_, _, pdf) = bytes(&app, &format!("/api/v1/letters/{after}.pdf"), &w.head).await;
        if let Some(text) = tests::pdf_text(&pdf) {
            assert!(
                text.contains("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
                "{text}"
            );
        }
        // The HTML is the one issued, even after the letterhead changes.
        let changed = app
            .put(
                &format!("/api/v1/units/{}/letterhead", w.unit),
                &w.head,
                json!({"body": "Ủy ban nhân dân phường Hiến Nam", "symbol": "HN", "place": "Hiến Nam", "archive": "VP"}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK);
        let (_, _, html) = bytes(&app, &format!("/api/v1/letters/{after}.html"), &w.head).await;
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"));
        assert!(
            html.contains("Số: 02/XLGH-UBND") && html.contains("PHỐ HIẾN"),
            "{html}"
        );
        // Rows written before the stored documents were versioned (issue 19): the request bodies
        // as they were, warnings a bare list, a field the format has since dropped. They read.
        use sea_orm::ConnectionTrait;
        app.state
            .db
            .writer()
            .execute_unprepared(
                r#"UPDATE letters SET
                   content = '{"cause":"overdue","applicant":{"salutation":"ong","name":"Trần Văn Cũ","address":null,"email":null},"dossier":{"code":"HS-20","procedure":"Cấp phép","received_on":"2025-09-08","due_on":"2025-09-15"},"reason":"Thiếu","new_due_on":"2025-09-30","recipients":[],"retired_field":true}',
                   signature = '{"authority":"own","on_behalf_of":null,"title":"CHỦ TỊCH","name":"Nguyễn Văn Xưa"}',
                   warnings = '[{"code":"letter.late","message":"m","basis":"b"}]'
                   WHERE number = '02/XLGH-UBND'"#,
            )
            .await
            .unwrap();
        let legacy = app.get(&format!("/api/v1/letters/{after}"), &w.head).await;
        assert_eq!(legacy.status, StatusCode::OK, "{:?}", legacy.body);
        assert_eq!(legacy.body["content"]["applicant"]["name"], "Trần Văn Cũ");
        assert_eq!(legacy.body["content"]["channel"], Value::Null);
        assert_eq!(legacy.body["signature"]["name"], "Nguyễn Văn Xưa");
        assert_eq!(legacy.body["warnings"][0]["code"], "letter.late");
        app.finish().await.unwrap();
    }
}

/// Decree 30/2020 Art. 15: numbers run from 01 per issuing body per calendar year — the year of
/// the issue date in Vietnam (UTC+7).
#[tokio::test]
async fn decree_30_2020_numbers_restart_at_new_year_in_vietnam_time() {
    for backend in tests::backends() {
        // Tokens live long enough for the clock to move across days.
        let app = TestApp::spawn_with(&backend, |c| c.token_ttl_hours = 720)
            .await
            .unwrap();
        app.state.clock.set(vn(2026, 12, 31, 9, 0));
        let w = world(&app).await;
        let mut numbers = Vec::new();
        for at in [
            vn(2026, 12, 31, 9, 0),
            vn(2026, 12, 31, 23, 59),
            vn(2027, 1, 1, 0, 0),
            vn(2027, 1, 4, 8, 0),
        ] {
            app.state.clock.set(at);
            let id = submitted(&app, &w, error_letter(None)).await;
            let a = issue(&app, &w, &id).await;
            assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
            numbers.push((
                a.body["number"].as_str().unwrap().to_owned(),
                a.body["issued_on"].as_str().unwrap().to_owned(),
            ));
        }
        assert_eq!(
            numbers,
            [
                ("01/XL-UBND".to_owned(), "2026-12-31".to_owned()),
                ("02/XL-UBND".to_owned(), "2026-12-31".to_owned()),
                ("01/XL-UBND".to_owned(), "2027-01-01".to_owned()),
                ("02/XL-UBND".to_owned(), "2027-01-04".to_owned()),
            ]
        );
        app.finish().await.unwrap();
    }
}

/// Decree 30/2020 Art. 15(1): a body's numbers are unique in the year; congvu also keeps them
/// gap-free under concurrent issuing.
#[tokio::test]
async fn decree_30_2020_art_15_concurrent_issuing_gives_gap_free_distinct_numbers() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        let w = world(&app).await;
        let mut ids = Vec::new();
        for _ in 0..12 {
            ids.push(submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await);
        }
        let answers = futures::future::join_all(ids.iter().map(|id| issue(&app, &w, id))).await;
        let mut numbers: Vec<String> = answers
            .iter()
            .map(|a| {
                assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
                a.body["number"].as_str().unwrap().to_owned()
            })
            .collect();
        numbers.sort();
        let expected: Vec<String> = (1..=12).map(|n| format!("{n:02}/XL-UBND")).collect();
        assert_eq!(numbers, expected, "{backend:?}");
        // One queued mail per letter, each bound to its letter.
        let queue = app.get("/api/v1/outbox?state=pending", &w.root).await;
        let mut bound: Vec<&str> = queue.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["letter_id"].as_str().unwrap())
            .collect();
        bound.sort_unstable();
        let mut issued: Vec<&str> = ids.iter().map(String::as_str).collect();
        issued.sort_unstable();
        assert_eq!(bound, issued);
        app.finish().await.unwrap();
    }
}

/// Several relays on one queue (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on
/// SQLite): every message goes out once, none twice.
#[tokio::test]
async fn several_relays_share_the_queue_and_send_each_message_once() {
    if !sink_available() {
        return;
    }
    for backend in tests::backends() {
        let sink = Sink::up().await;
        let app = app_with_sink(&backend, &sink).await;
        let w = world(&app).await;
        for _ in 0..25 {
            let id = submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await;
            assert_eq!(issue(&app, &w, &id).await.status, StatusCode::OK);
        }
        let passes = futures::future::join_all((0..3).map(|_| drain(&app.state))).await;
        let mut sent: usize = passes.into_iter().map(|p| p.unwrap().sent).sum();
        sent += drain(&app.state).await.unwrap().sent;
        assert_eq!(sent, 25);
        let mail = sink.messages();
        assert_eq!(mail.len(), 25);
        let mut ids: Vec<&str> = mail
            .iter()
            .filter_map(|m| m.lines().find(|l| l.starts_with("Message-ID:")))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 25, "no message sent twice");
        app.finish().await.unwrap();
    }
}

#[tokio::test]
async fn only_the_issuing_units_head_issues_and_other_units_see_nothing() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        let w = world(&app).await;
        let id = submitted(&app, &w, error_letter(None)).await;
        // The drafter cannot sign; a head of the province above is not the ward's head.
        assert_eq!(
            issue_as(&app, &w.drafter, &id).await.status,
            StatusCode::FORBIDDEN
        );
        let units = app.get("/api/v1/units?q=hung%20yen", &w.root).await;
        let province = units.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == "HY")
            .and_then(|u| u["id"].as_str())
            .unwrap()
            .to_owned();
        let (_, upper) = app.officer(&w.root, "ct.hy", "unit_head", &province).await;
        assert_eq!(
            issue_as(&app, &upper, &id).await.status,
            StatusCode::FORBIDDEN
        );
        // A sibling unit's officer gets 404 everywhere.
        for path in [
            format!("/api/v1/letters/{id}"),
            format!("/api/v1/letters/{id}.pdf"),
            format!("/api/v1/letters/{id}.html"),
        ] {
            assert_eq!(
                bytes(&app, &path, &w.sibling).await.0,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        assert_eq!(
            app.post(
                &format!("/api/v1/letters/{id}/submit"),
                &w.sibling,
                json!(null)
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let listed = app.get("/api/v1/letters", &w.sibling).await;
        assert_eq!(listed.body["items"], json!([]));
        assert_eq!(
            app.get(&format!("/api/v1/letters?unit_id={}", w.unit), &w.sibling)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // The draft preview is marked and unsigned; the HTML has its own strict policy.
        let (status, kind, html) =
            bytes(&app, &format!("/api/v1/letters/{id}.html"), &w.drafter).await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("text/html"));
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("DỰ THẢO") && !html.contains("(Đã ký)"));
        let a = issue(&app, &w, &id).await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        let listed = app
            .get(
                &format!("/api/v1/letters?unit_id={}&state=issued", w.unit),
                &w.drafter,
            )
            .await;
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
        app.finish().await.unwrap();
    }
}

async fn issue_as(app: &TestApp, token: &str, id: &str) -> tests::Answer {
    app.post(
        &format!("/api/v1/letters/{id}/issue"),
        token,
        own_signature(),
    )
    .await
}

#[tokio::test]
async fn bad_letters_get_every_problem_at_once_and_conduct_letters_keep_discipline_private() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        let w = world(&app).await;
        let path = format!("/api/v1/units/{}/letters", w.unit);
        let a = app
            .post(
                &path,
                &w.drafter,
                json!({"cause": "overdue", "applicant": {"salutation": "x", "name": " ", "email": "nope"},
                       "channel": "email"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
        let fields = a.fields();
        for f in [
            "applicant.salutation",
            "applicant.name",
            "applicant.email",
            "reason",
            "new_due_on",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
        let conduct = app
            .post(
                &path,
                &w.drafter,
                json!({"cause": "staff_conduct", "applicant": {"salutation": "ong", "name": "Lê Văn Bình"},
                       "failure": "cán bộ tiếp dân có thái độ thiếu tôn trọng",
                       "measures": "đã kỷ luật khiển trách cán bộ"}),
            )
            .await;
        assert_eq!(conduct.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(conduct.fields(), ["measures"]);
        // Any text of the letter, with or without accents; and links must exist in reach.
        let hidden = app
            .post(
                &path,
                &w.drafter,
                json!({"cause": "staff_conduct", "applicant": {"salutation": "ong", "name": "Lê Văn Bình"},
                       "failure": "thái độ thiếu tôn trọng", "measures": "đã chấn chỉnh",
                       "apology": "Cán bộ đã bị khien trach.", "recipients": ["Hội đồng kỷ luật"]}),
            )
            .await;
        assert_eq!(
            hidden.fields(),
            ["apology", "recipients[0]"],
            "{:?}",
            hidden.body
        );
        let linked = app
            .post(
                &path,
                &w.drafter,
                json!({"cause": "staff_conduct", "applicant": {"salutation": "ong", "name": "Lê Văn Bình"},
                       "failure": "thái độ thiếu tôn trọng", "measures": "đã chấn chỉnh",
                       "violation_id": uuid::Uuid::new_v4()}),
            )
            .await;
        assert_eq!(linked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(linked.fields(), ["violation_id"]);
        // Decree 61/2018 Art. 37(2)(d) as carried into the 2025 rules [U]: a KT signature warns.
        let ok = app
            .post(
                &path,
                &w.drafter,
                json!({"cause": "staff_conduct", "applicant": {"salutation": "ong", "name": "Lê Văn Bình"},
                       "failure": "cán bộ tiếp dân có thái độ thiếu tôn trọng",
                       "measures": "đã tổ chức kiểm điểm và chấn chỉnh"}),
            )
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
        let id = ok.body["id"].as_str().unwrap();
        app.post(
            &format!("/api/v1/letters/{id}/submit"),
            &w.drafter,
            json!(null),
        )
        .await;
        let kt = app
            .post(
                &format!("/api/v1/letters/{id}/issue"),
                &w.head,
                json!({"authority": "kt", "on_behalf_of": "Chủ tịch", "title": "Phó Chủ tịch", "name": "Đỗ Văn Long"}),
            )
            .await;
        assert_eq!(kt.status, StatusCode::OK, "{:?}", kt.body);
        assert_eq!(kt.body["warnings"][0]["code"], "letter.deputy_signature");
        assert_eq!(kt.body["number"], "01/XL-UBND");
        app.finish().await.unwrap();
    }
}

/// Brief §6.4: a conduct letter answers a confirmed violation (in the drafter's units), never one
/// still being verified; once confirmed, the letter is drafted, issued and keeps the link.
#[tokio::test]
async fn a_conduct_letter_answers_a_confirmed_violation_only() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        let w = world(&app).await;
        let person = app.staff(&w.root, "HY-77", "Nguyễn Văn Nam", &w.unit).await;
        let sets = app
            .get(
                &format!("/api/v1/units/{}/code-sets?on=2026-01-05", w.unit),
                &w.root,
            )
            .await;
        let five_khong = sets.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "5khong")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, hr) = app.officer(&w.root, "hr.ph", "hr_officer", &w.unit).await;
        let created = app
            .post(
                "/api/v1/violations",
                &hr,
                json!({"person_id": person, "code_set_id": five_khong, "item_code": "KHONG-1", "source": "citizen_complaint",
                    "started_on": "2026-01-05", "ended_on": "2026-01-05", "discovered_on": "2026-01-12",
                    "consequence": "less_serious", "description": "Thái độ thiếu tôn trọng với người dân", "reason": "phản ánh"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let violation = created.body["id"].as_str().unwrap().to_owned();
        let letter = json!({"cause": "staff_conduct",
            "applicant": {"salutation": "ong", "name": "Lê Văn Bình", "address": "5 Trưng Trắc"},
            "failure": "cán bộ tiếp nhận hồ sơ có thái độ thiếu tôn trọng với Ông ngày 05/01/2026",
            "measures": "đã tổ chức kiểm điểm cán bộ và bố trí lại vị trí tiếp dân",
            "violation_id": violation});
        let path = format!("/api/v1/units/{}/letters", w.unit);
        let early = app.post(&path, &hr, letter.clone()).await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            early.body
        );
        assert_eq!(
            early.body["errors"][0]["code"], "not_confirmed",
            "{:?}",
            early.body
        );
        for to in ["under_verification", "confirmed"] {
            let a = app
                .post(
                    &format!("/api/v1/violations/{violation}/transitions"),
                    &hr,
                    json!({"to": to, "reason": "đã xác minh"}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        }
        let drafted = app.post(&path, &hr, letter).await;
        assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
        let id = drafted.body["id"].as_str().unwrap();
        assert_eq!(drafted.body["content"]["violation_id"], violation.as_str());
        app.post(&format!("/api/v1/letters/{id}/submit"), &hr, json!(null))
            .await;
        let issued = issue(&app, &w, id).await;
        assert_eq!(issued.status, StatusCode::OK, "{:?}", issued.body);
        assert_eq!(issued.body["number"], "01/XL-UBND");
        assert_eq!(issued.body["warnings"], json!([]));
        // A sibling unit's officer cannot draft for the ward at all: 404, as for a missing unit.
        let other = app
            .post(
                &format!("/api/v1/units/{}/letters", w.unit),
                &w.sibling,
                json!({"cause": "staff_conduct", "applicant": {"salutation": "ong", "name": "X"},
                       "failure": "x", "measures": "y", "violation_id": violation}),
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        app.finish().await.unwrap();
    }
}

/// Revoking a letter stops its mail: queued mail is cancelled at once, and mail a relay was
/// sending at that moment is cancelled when that attempt fails instead of being retried later.
#[tokio::test]
async fn revoking_a_letter_stops_its_mail_even_when_in_flight() {
    if !sink_available() {
        return;
    }
    for backend in tests::backends() {
        let sink = Sink::up().await;
        let app = app_with_sink(&backend, &sink).await;
        let w = world(&app).await;
        sink.mode("451");
        let queued = submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await;
        assert_eq!(issue(&app, &w, &queued).await.status, StatusCode::OK);
        assert_eq!(drain(&app.state).await.unwrap().deferred, 1);
        let revoke = |id: String| {
            let app = &app;
            let head = w.head.clone();
            async move {
                app.post(
                    &format!("/api/v1/letters/{id}/revoke"),
                    &head,
                    json!({"reason": "gửi nhầm người nhận"}),
                )
                .await
            }
        };
        assert_eq!(revoke(queued.clone()).await.status, StatusCode::OK);
        let view = app.get(&format!("/api/v1/letters/{queued}"), &w.head).await;
        assert_eq!(view.body["mail"]["state"], "cancelled");

        // In flight: a relay holds the message when the letter is revoked; its attempt fails.
        let flying = submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await;
        assert_eq!(issue(&app, &w, &flying).await.status, StatusCode::OK);
        let now = app.state.clock.now();
        let claimed = claim(&app, now, 10).await.unwrap();
        assert_eq!(revoke(flying.clone()).await.status, StatusCode::OK);
        let view = app.get(&format!("/api/v1/letters/{flying}"), &w.head).await;
        assert_eq!(
            view.body["mail"]["state"], "pending",
            "still in the relay's hands"
        );
        congvu_db::outbox::failed(
            app.state.db.writer(),
            claimed.id,
            claimed.attempts,
            "451 4.3.0 try again",
            Some(now + chrono::Duration::seconds(30)),
        )
        .await
        .unwrap();
        let view = app.get(&format!("/api/v1/letters/{flying}"), &w.head).await;
        assert_eq!(view.body["mail"]["state"], "cancelled");
        let retry = app
            .post(
                &format!("/api/v1/outbox/{}/retry", claimed.id),
                &w.root,
                json!(null),
            )
            .await;
        assert_eq!(retry.status, StatusCode::CONFLICT);
        sink.mode("250");
        app.state.clock.set(now + chrono::Duration::hours(2));
        assert_eq!(drain(&app.state).await.unwrap(), Pass::default());
        assert!(
            sink.messages().is_empty(),
            "a revoked letter is never mailed"
        );
        app.finish().await.unwrap();
    }
}

/// A message whose relay dies on every attempt (a crash loop, an out-of-memory kill) is not taken
/// again forever: once its attempts are used up and the last lease has run out, it is failed and
/// visible.
#[tokio::test]
async fn a_message_whose_relay_keeps_dying_ends_failed_and_visible() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        let w = world(&app).await;
        let id = submitted(&app, &w, error_letter(Some("binh.le@example.vn"))).await;
        assert_eq!(issue(&app, &w, &id).await.status, StatusCode::OK);
        let mut now = app.state.clock.now();
        for attempt in 1..=2 {
            assert_eq!(claim(&app, now, 2).await.map(|m| m.attempts), Some(attempt));
            now += chrono::Duration::seconds(61); // the relay died; its lease runs out
        }
        let third = claim(&app, now, 2).await;
        assert!(third.is_none());
        let failed = app.get("/api/v1/outbox?state=failed", &w.root).await;
        let items = failed.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{:?}", failed.body);
        assert!(
            items[0]["last_error"]
                .as_str()
                .unwrap()
                .contains("relay stopped")
        );
        app.finish().await.unwrap();
    }
}
