//! Citizens' reports, public side, over HTTP on both backends: named and anonymous submissions,
//! the receipt shown once and stored only as a keyed hash, status and messages with the receipt,
//! the same answer for a wrong and an unknown receipt, idempotent retries, and rate limits.

use reqwest::StatusCode;
use serde_json::{Value, json};

use congvu_core::complaint::receipt::Receipt;

use crate::each_backend;

async fn world(app: &tests::TestApp) -> (String, String) {
    // (root token, ward id)
    let root = app.root().await;
    let province = app
        .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
        .await;
    let ward = app
        .unit(&root, "HY-PH", "Phường Phố Hiến", "ward", Some(&province))
        .await;
    app.staff(&root, "HY-77", "Nguyễn Văn Nam", &ward).await;
    (root, ward)
}

async fn submit(app: &tests::TestApp, body: Value, key: Option<&str>) -> (StatusCode, Value) {
    let mut req = app
        .http
        .post(format!("{}/api/v1/public/complaints", app.base))
        .json(&body);
    if let Some(key) = key {
        req = req.header("Idempotency-Key", key);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn public(app: &tests::TestApp, path: &str, body: Value) -> tests::Answer {
    app.call(reqwest::Method::POST, path, None, Some(body))
        .await
}

fn named() -> Value {
    json!({"staff_code": "hy-77", "description": "Cán bộ bắt đi lại ba lần để bổ sung giấy tờ không có trong quy định",
        "occurred_on": "2026-03-02", "place": "Bộ phận Một cửa", "dossier_code": "000.00.18.H31-260302-0001",
        "kind": "feedback", "identity": {"name": "Trần Thị Mai", "address": "12 Điện Biên, Hưng Yên", "phone": "0912 345 678", "email": "mai@example.vn"}})
}

/// Decree 20/2008 Art. 9: a named feedback gets its 5-working-day forwarding clock; the anonymous
/// report is an anonymous tip with no legal clock (Law on Denunciations Art. 25).
#[tokio::test]
async fn named_and_anonymous_reports_are_followed_with_their_receipt_nd_20_2008_art_9() {
    each_backend!(|app| {
        let (root, ward) = world(&app).await;
        let (status, first) = submit(&app, named(), None).await;
        assert_eq!(status, StatusCode::CREATED, "{first:?}");
        let receipt = first["receipt"].as_str().unwrap().to_owned();
        let shape = receipt.split('-').map(str::len).collect::<Vec<_>>();
        assert_eq!(shape, [4, 4, 4, 4]);
        assert!(receipt.chars().all(|c| c.is_ascii_digit() || c == '-'));
        assert_eq!(first["kind"], "feedback");
        assert_eq!(first["received_on"], "2026-03-10");

        let (status, anonymous) = submit(
            &app,
            json!({"unit_code": "HY-PH", "description": "Cán bộ nói chuyện riêng, không tiếp dân", "kind": "denunciation"}),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{anonymous:?}");
        assert_eq!(anonymous["kind"], "anonymous_tip");
        assert_ne!(anonymous["receipt"], first["receipt"]);

        // Status with the receipt, typed with spaces instead of dashes.
        let typed = receipt.replace('-', " ");
        let got = public(
            &app,
            "/api/v1/public/complaints/status",
            json!({"receipt": typed}),
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{:?}", got.body);
        assert_eq!(got.body["state"], "received");
        // Received Tue 10/3/2026: forwarded by 11, 12, 13, 16, 17/3.
        assert_eq!(
            got.body["deadlines"],
            json!([{"clock": "forward", "due_on": "2026-03-17"}])
        );
        assert_eq!(got.body["timeline"].as_array().unwrap().len(), 1);
        let tip = public(
            &app,
            "/api/v1/public/complaints/status",
            json!({"receipt": anonymous["receipt"]}),
        )
        .await;
        assert_eq!(tip.body["deadlines"], json!([]));

        // The citizen adds information.
        let added = public(&app, "/api/v1/public/complaints/messages",
            json!({"receipt": receipt, "message": "Tôi bổ sung: ngày 05/3 cũng bị từ chối nhận hồ sơ."})).await;
        assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
        assert_eq!(added.body["timeline"].as_array().unwrap().len(), 2);

        // A file attached with the receipt in a header; officers download it.
        let upload = |receipt: String, ctype: &'static str, body: Vec<u8>| {
            let req = app
                .http
                .post(format!(
                    "{}/api/v1/public/complaints/attachments?filename=bien-lai.txt",
                    app.base
                ))
                .header("X-Receipt", receipt)
                .header("content-type", ctype)
                .body(body);
            async move {
                let res = req.send().await.unwrap();
                let status = res.status();
                (status, res.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let (status, file) = upload(
            receipt.clone(),
            "text/plain",
            "Biên lai thu tiền không số".as_bytes().to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{file:?}");
        let (status, _) = upload(receipt.clone(), "text/html", b"<b>x</b>".to_vec()).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (status, _) = upload("0000-0000-0000-5724".into(), "text/plain", b"x".to_vec()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, inspector) = app.officer(&root, "tt.ph", "inspector", &ward).await;
        let listed = app
            .get("/api/v1/complaints?state=received", &inspector)
            .await;
        let named_id = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["anonymous"] == false)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let detail = app
            .get(&format!("/api/v1/complaints/{named_id}"), &inspector)
            .await;
        assert_eq!(detail.body["attachments"][0]["id"], file["id"]);
        let download = app
            .http
            .get(format!(
                "{}/api/v1/complaints/{named_id}/attachments/{}",
                app.base,
                file["id"].as_str().unwrap()
            ))
            .bearer_auth(&inspector)
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), StatusCode::OK);
        assert_eq!(download.text().await.unwrap(), "Biên lai thu tiền không số");

        // A mistyped receipt and an unknown one get the same answer.
        let mut digits: Vec<char> = receipt.chars().collect();
        digits[0] = if digits[0] == '1' { '2' } else { '1' };
        let mistyped: String = digits.into_iter().collect();
        let unknown = "0000-0000-0000-5724";
        let a = public(
            &app,
            "/api/v1/public/complaints/status",
            json!({"receipt": mistyped}),
        )
        .await;
        let b = public(
            &app,
            "/api/v1/public/complaints/status",
            json!({"receipt": unknown}),
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert_eq!((a.status, &a.body), (b.status, &b.body));

        // Routed to the official's unit; the audit event names neither receipt nor identity.
        let verified = congvu_db::audit::verify(app.state.db.reader())
            .await
            .unwrap();
        assert!(
            matches!(verified, congvu_db::audit::Verification::Intact { .. }),
            "{verified:?}"
        );
        let stored = dump(&app).await;
        let digits: String = receipt.chars().filter(char::is_ascii_digit).collect();
        assert!(stored.contains(&ward), "the report is routed to the ward");
        for secret in [
            receipt.as_str(),
            digits.as_str(),
            "Trần Thị Mai",
            "0912 345 678",
            "mai@example.vn",
            "12 Điện Biên",
        ] {
            assert!(!stored.contains(secret), "{secret} is stored in clear");
        }
    });
}

/// Every row of the report tables and the audit log, as text: the database file itself on
/// SQLite, each row as JSON on PostgreSQL.
async fn dump(app: &tests::TestApp) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    if matches!(app.backend, tests::Backend::Sqlite) {
        let mut out = String::new();
        for file in ["congvu.db", "congvu.db-wal"] {
            if let Ok(bytes) = std::fs::read(app.data_dir().join(file)) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        return out;
    }
    let db = app.state.db.reader();
    let mut out = String::new();
    for table in [
        "complaints",
        "complaint_events",
        "audit_events",
        "idempotency_keys",
    ] {
        let sql = format!("SELECT CAST(row_to_json(t) AS TEXT) AS j FROM {table} t");
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap();
        for row in rows {
            out.push_str(&row.try_get::<String>("", "j").unwrap());
            out.push('\n');
        }
    }
    out
}

/// A retried submission with the same Idempotency-Key returns the first answer and files one
/// report; the same key with another body is refused.
#[tokio::test]
async fn a_retried_submission_files_one_report() {
    each_backend!(|app| {
        world(&app).await;
        let (s1, a1) = submit(&app, named(), Some("thu-lai-7f3a")).await;
        let (s2, a2) = submit(&app, named(), Some("thu-lai-7f3a")).await;
        assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
        assert_eq!(a1, a2, "the first answer, receipt included");
        let mut other = named();
        other["description"] = json!("Một nội dung khác");
        let (s3, a3) = submit(&app, other, Some("thu-lai-7f3a")).await;
        assert_eq!(s3, StatusCode::CONFLICT);
        assert_eq!(a3["code"], "idempotency.key_reused");
        use sea_orm::{ConnectionTrait, Statement};
        let db = app.state.db.reader();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT id FROM complaints",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        let (s4, a4) = submit(&app, named(), Some("khac-8b2c")).await;
        assert_eq!(s4, StatusCode::CREATED);
        assert_ne!(a4["receipt"], a1["receipt"]);
    });
}

/// Guessing receipts hits 429 with Retry-After after a handful of tries per client (10 per minute
/// by default), against a space of 10^15.
#[tokio::test]
async fn guessing_receipts_is_rate_limited() {
    each_backend!(|app| {
        world(&app).await;
        let mut limited = None;
        for i in 0..30u64 {
            let guess = format!("{:016}", 1_000_000_000_000_000u64 + i * 7919);
            let res = app
                .http
                .post(format!("{}/api/v1/public/complaints/status", app.base))
                .json(&json!({"receipt": guess}))
                .send()
                .await
                .unwrap();
            if res.status() == StatusCode::TOO_MANY_REQUESTS {
                let after: u64 = res.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(after >= 1);
                let body: Value = res.json().await.unwrap();
                assert_eq!(body["code"], "rate_limited");
                limited = Some(i);
                break;
            }
            assert_eq!(res.status(), StatusCode::NOT_FOUND);
        }
        assert_eq!(limited, Some(10), "the 11th guess in a minute is refused");
        // Invalid submissions are refused field by field and store nothing.
        let (status, body) = submit(&app, json!({"description": ""}), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["description", "unit_code"]);
    });
}

/// A status check through the proxy, from the client the proxy names.
async fn check_from(app: &tests::TestApp, forwarded_for: &str, receipt: &str) -> StatusCode {
    app.http
        .post(format!("{}/api/v1/public/complaints/status", app.base))
        .header("X-Forwarded-For", forwarded_for)
        .json(&json!({ "receipt": receipt }))
        .send()
        .await
        .unwrap()
        .status()
}

/// Issue 20 §4: behind a trusted proxy each citizen has their own limits; others' guesses with a
/// victim's first digits never lock the victim out, and a guesser's own wrong receipts stop it.
#[tokio::test]
async fn limits_follow_the_client_behind_a_trusted_proxy_and_guesses_lock_out_only_the_guesser() {
    each_backend!(
        |app| {
            world(&app).await;
            let (status, first) = submit(&app, named(), None).await;
            assert_eq!(status, StatusCode::CREATED);
            let receipt = first["receipt"].as_str().unwrap().to_owned();
            let digits: String = receipt.chars().filter(char::is_ascii_digit).collect();
            // 40 wrong guesses with valid check digits sharing the victim's first twelve digits,
            // from four addresses (ten each: the budget of this configuration).
            for i in 0..40u8 {
                let mut random = [0u8; 15];
                for (k, d) in digits.bytes().take(12).enumerate() {
                    random[k] = d - b'0';
                }
                random[12] = i / 10;
                random[13] = i % 10;
                // Never the victim's own: its fifteenth digit differs.
                random[14] = (digits.as_bytes()[14] - b'0' + 1) % 10;
                let guess = Receipt::from_random(random).to_string();
                assert_ne!(guess, receipt);
                let from = format!("198.51.100.{}", i % 4 + 1);
                assert_eq!(
                    check_from(&app, &from, &guess).await,
                    StatusCode::NOT_FOUND,
                    "guess {i}"
                );
            }
            // The victim, from their own address, is answered.
            assert_eq!(
                check_from(&app, "203.0.113.9", &receipt).await,
                StatusCode::OK
            );
            // Each guesser has used its daily budget (10 in this configuration): its next check
            // is refused, even with a right receipt.
            assert_eq!(
                check_from(&app, "198.51.100.1", &receipt).await,
                StatusCode::TOO_MANY_REQUESTS
            );
            // A header set by the client itself names nobody: through the proxy the rightmost
            // untrusted hop counts, so a forged first hop does not escape the guesser's limit.
            assert_eq!(
                check_from(&app, "203.0.113.9, 198.51.100.1", &receipt).await,
                StatusCode::TOO_MANY_REQUESTS
            );
            assert_eq!(
                check_from(&app, "198.51.100.1, 203.0.113.9", &receipt).await,
                StatusCode::OK
            );
        },
        |config| {
            config.trusted_proxies = vec!["127.0.0.1".into()];
            config.public_status_per_minute = 1000;
            config.public_wrong_receipts_per_day = 10;
        }
    );
}

/// Issue 20 §4: without trusted proxies, forwarding headers are the client's own words and change
/// nothing: every request from this peer shares its limits.
#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    each_backend!(|app| {
        world(&app).await;
        let mut refused_at = None;
        for i in 0..12u32 {
            let status = check_from(&app, &format!("192.0.2.{i}"), "1111-2222-3333-4444").await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                refused_at = Some(i);
                break;
            }
        }
        assert_eq!(
            refused_at,
            Some(10),
            "ten checks a minute from this peer, whatever it claims"
        );
    });
}

/// The form token and cookie of a citizen's form page.
async fn form_token(app: &tests::TestApp, path: &str) -> (String, String) {
    let res = app
        .http
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let html = res.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    (cookie, html[at..at + 64].to_owned())
}

/// Posts the report form with the given headers and fields.
async fn post_form(
    app: &tests::TestApp,
    path: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut req = app.http.post(format!("{}{path}", app.base)).form(fields);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn reports_stored(app: &tests::TestApp) -> usize {
    use sea_orm::EntityTrait;
    congvu_db::entity::complaint::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap()
        .len()
}

/// Issue 20 §6: the citizens' HTML forms refuse cross-site posts (an `Origin` of another site, or
/// no form token) with the form again and nothing stored; the same form from the site files.
#[tokio::test]
async fn the_citizens_forms_refuse_cross_site_posts() {
    each_backend!(|app| {
        world(&app).await;
        let report = [
            ("unit_code", "HY-PH"),
            ("description", "Cán bộ không trả lời câu hỏi của người dân"),
        ];
        // A page on another site posting to the form: refused, nothing stored.
        let (status, html) = post_form(
            &app,
            "/citizen/report",
            &[("Origin", "http://evil.example")],
            &report,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("Biểu mẫu đã hết hạn"), "{html}");
        // Even with a stolen token, the browser's Origin gives the other site away.
        let (cookie, token) = form_token(&app, "/citizen/report").await;
        let mut with_token = report.to_vec();
        with_token.push(("csrf", &token));
        let (status, _) = post_form(
            &app,
            "/citizen/report",
            &[("Origin", "http://evil.example"), ("Cookie", &cookie)],
            &with_token,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // No Origin, no cookie (a script posting the form): refused.
        let (status, _) = post_form(&app, "/citizen/report", &[], &with_token).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = post_form(
            &app,
            "/citizen/status",
            &[("Sec-Fetch-Site", "cross-site"), ("Cookie", &cookie)],
            &[("receipt", "1111-2222-3333-4444"), ("csrf", &token)],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(reports_stored(&app).await, 0);

        // From the site itself, with its cookie and token: filed.
        let own = app.base.clone();
        let (status, html) = post_form(
            &app,
            "/citizen/report",
            &[("Origin", &own), ("Cookie", &cookie)],
            &with_token,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("id=\"receipt\""), "{html}");
        assert_eq!(reports_stored(&app).await, 1);
    });
}

/// Review finding on issue 20 §4: behind a proxy that writes X-Forwarded-For, a `Forwarded`
/// header the client sent itself is never read, so it cannot pick its address.
#[tokio::test]
async fn a_client_made_forwarded_header_is_not_believed() {
    each_backend!(
        |app| {
            world(&app).await;
            let mut refused_at = None;
            for i in 0..12u32 {
                let res = app
                    .http
                    .post(format!("{}/api/v1/public/complaints/status", app.base))
                    .header("Forwarded", format!("for=192.0.2.{i}"))
                    .header("X-Forwarded-For", "198.51.100.50")
                    .json(&json!({"receipt": "1111-2222-3333-4444"}))
                    .send()
                    .await
                    .unwrap();
                if res.status() == StatusCode::TOO_MANY_REQUESTS {
                    refused_at = Some(i);
                    break;
                }
            }
            assert_eq!(refused_at, Some(10), "one client, whatever Forwarded says");
        },
        |config| {
            config.trusted_proxies = vec!["127.0.0.1".into()];
        }
    );
}
