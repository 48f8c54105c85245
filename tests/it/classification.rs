//! Year-end classification over HTTP (brief §4.3–§4.6, §11.4 items 19–21): a department's year
//! from evaluations to a finalised classification — computed proposals with their reasons (the
//! 90/70/50 thresholds of Decree 335/2025 Art. 14, a degeneration conclusion, under six months,
//! nothing evaluated), a quota breach refused with every breach named (233/2026 Art. 12(6)–(7):
//! HTXS at most 20% of HTT; the head not above the unit), accepted after correction, the unit
//! head's finalisation, each person's notice over SMTP, publication inside the unit, a
//! replacement decision linked to the old one, the units-of-units cap (fewer than five units, at
//! most one HTXS), and scope.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestApp;

use crate::sink::{Sink, app_with_sink, sink_available};

/// Moves the test clock to 1 December 2026, 02:00 UTC (sessions expire: log in again).
fn to_december(app: &TestApp) {
    let instant = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 2, 0, 0).unwrap();
    app.state.clock.set(instant);
}

async fn person(
    app: &TestApp,
    root: &str,
    code: &str,
    name: &str,
    unit: &str,
    from: &str,
    leader: bool,
) -> String {
    let email = format!("{}@hungyen.gov.vn", code.to_lowercase());
    let a = app
        .post(
            "/api/v1/staff",
            root,
            json!({"staff_code": code, "full_name": name, "email": email, "reason": "tiếp nhận",
                   "employment": {"unit_id": unit, "category": "cong_chuc", "position": if leader { "Giám đốc" } else { "Chuyên viên" },
                                  "is_leader": leader, "valid_from": from}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "staff {code}: {:?}", a.body);
    a.body["id"].as_str().unwrap().to_owned()
}

async fn evaluate(app: &TestApp, token: &str, person: &str, general: u32, tasks: u32) {
    let a = app
        .post(
            &format!("/api/v1/staff/{person}/evaluations"),
            token,
            json!({"kind": "year", "year": 2026, "index": 1, "general": general, "tasks": tasks, "reason": "đánh giá năm"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
}

fn entry<'a>(round: &'a Value, person: &str) -> &'a Value {
    round["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["person_id"] == person)
        .unwrap_or_else(|| panic!("no entry for {person}: {round:?}"))
}

fn codes(round: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = round[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_departments_year_from_evaluations_to_a_finalised_and_replaced_classification() {
    // Without the SMTP server (outside CI) everything but the delivery of the notices is checked.
    let mail = sink_available();
    for backend in tests::backends() {
        let sink = if mail { Some(Sink::up().await) } else { None };
        let app = match &sink {
            Some(sink) => app_with_sink(&backend, sink).await,
            None => TestApp::spawn(&backend).await.unwrap(),
        };
        to_december(&app);
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let dept = app
            .unit(&root, "HY-SNV", "Sở Nội vụ", "department", Some(&province))
            .await;
        let justice = app
            .unit(&root, "HY-STP", "Sở Tư pháp", "department", Some(&province))
            .await;
        let finance = app
            .unit(
                &root,
                "HY-STC",
                "Sở Tài chính",
                "department",
                Some(&province),
            )
            .await;
        let (_, tdkt) = app
            .officer(&root, "tdkt.snv", "emulation_officer", &dept)
            .await;
        let (_, head) = app.officer(&root, "gd.snv", "unit_head", &dept).await;
        let (_, province_tdkt) = app
            .officer(&root, "tdkt.hy", "emulation_officer", &province)
            .await;
        let (_, outsider) = app
            .officer(&root, "tdkt.stp", "emulation_officer", &justice)
            .await;

        // The department: its director, eight people rated HTT by score, two HTXS, one HT with a
        // degeneration conclusion, one who joined in August, one not evaluated.
        let director = person(
            &app,
            &root,
            "SNV-GD",
            "Trần Văn Giám",
            &dept,
            "2025-07-01",
            true,
        )
        .await;
        evaluate(&app, &tdkt, &director, 28, 64).await; // 92 → HTXS
        let a = person(
            &app,
            &root,
            "SNV-A",
            "Nguyễn Thị An",
            &dept,
            "2025-07-01",
            false,
        )
        .await;
        evaluate(&app, &tdkt, &a, 29, 66).await; // 95 → HTXS
        let b = person(
            &app,
            &root,
            "SNV-B",
            "Lê Văn Bình",
            &dept,
            "2025-07-01",
            false,
        )
        .await;
        evaluate(&app, &tdkt, &b, 27, 64).await; // 91 → HTXS
        let mut htt = Vec::new();
        for i in 0..8u32 {
            let p = person(
                &app,
                &root,
                &format!("SNV-H{i}"),
                &format!("Phạm Văn Hải {i}"),
                &dept,
                "2025-07-01",
                false,
            )
            .await;
            evaluate(&app, &tdkt, &p, 25, 45 + 2 * i).await; // 70..84 → HTT
            htt.push(p);
        }
        let k = person(
            &app,
            &root,
            "SNV-K",
            "Đỗ Văn Khang",
            &dept,
            "2025-07-01",
            false,
        )
        .await;
        evaluate(&app, &tdkt, &k, 20, 35).await; // 55 → HT, but…
        let fact = app
            .post(
                &format!("/api/v1/staff/{k}/assessment-facts"),
                &tdkt,
                json!({"year": 2026, "kind": "degeneration", "reference": "Kết luận số 12-KL/ĐU", "reason": "kết luận của cấp có thẩm quyền"}),
            )
            .await;
        assert_eq!(fact.status, StatusCode::CREATED, "{:?}", fact.body);
        let late = person(
            &app,
            &root,
            "SNV-L",
            "Vũ Thị Lan",
            &dept,
            "2026-08-01",
            false,
        )
        .await;
        evaluate(&app, &tdkt, &late, 28, 62).await;
        let m = person(
            &app,
            &root,
            "SNV-M",
            "Hoàng Văn Minh",
            &dept,
            "2025-07-01",
            false,
        )
        .await;

        // Opening the year computes every result with its reasons and sources.
        let unexplained = app
            .post(
                &format!("/api/v1/units/{dept}/classifications"),
                &tdkt,
                json!({"year": 2026}),
            )
            .await;
        assert_eq!(unexplained.fields(), ["reason"]);
        let opened = app
            .post(
                &format!("/api/v1/units/{dept}/classifications"),
                &tdkt,
                json!({"year": 2026, "reason": "xếp loại chất lượng năm 2026"}),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
        let round = opened.body["id"].as_str().unwrap().to_owned();
        let r = &opened.body;
        assert_eq!(r["state"], "draft");
        assert_eq!(r["entries"].as_array().unwrap().len(), 14);
        // Decree 335/2025 Art. 14: ≥ 90 HTXS, ≥ 70 HTT, ≥ 50 HT.
        assert_eq!(entry(r, &a)["computed"], "htxs");
        assert_eq!(entry(r, &htt[0])["computed"], "htt");
        assert!(
            entry(r, &a)["reasons"][0]["basis"]
                .as_str()
                .unwrap()
                .contains("335/2025")
        );
        // A degeneration conclusion makes KHT whatever the score (335/2025 Art. 14).
        assert_eq!(entry(r, &k)["computed"], "kht");
        assert_eq!(entry(r, &k)["reasons"][0]["code"], "degeneration");
        // Fewer than six months worked: not rated (335/2025 Art. 14).
        assert_eq!(entry(r, &late)["computed"], "not_rated");
        assert_eq!(entry(r, &late)["reasons"][0]["code"], "under_six_months");
        assert_eq!(entry(r, &m)["computed"], "undetermined");
        assert_eq!(entry(r, &director)["is_head"], true);
        // Every breach is named: nothing computed for M, three HTXS where 20% of eight HTT
        // allows one (233/2026 Art. 12(6)), and the head rated before the unit.
        assert_eq!(
            codes(r, "breaches"),
            [
                "classification.undetermined",
                "quota.htxs_over_share",
                "quota.unit_not_rated"
            ]
        );
        assert_eq!(r["valid"], false);
        let again = app
            .post(
                &format!("/api/v1/units/{dept}/classifications"),
                &tdkt,
                json!({"year": 2026, "reason": "mở lại"}),
            )
            .await;
        assert_eq!(again.code(), "classification.exists");

        // The head may not finalise an invalid set: every breach comes back.
        let refused = app
            .post(
                &format!("/api/v1/classifications/{round}/finalise"),
                &head,
                json!({"reason": "phê duyệt"}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            refused.body
        );
        assert_eq!(refused.code(), "classification.invalid");
        assert_eq!(refused.fields().len(), 3, "{:?}", refused.body);

        // The managing body rates the unit HTT: now the head (HTXS) is above it.
        let by_itself = app
            .put(
                &format!("/api/v1/classifications/{round}/unit-level"),
                &tdkt,
                json!({"level": "htt", "reason": "tự xếp loại"}),
            )
            .await;
        assert_eq!(by_itself.status, StatusCode::FORBIDDEN);
        let rated = app
            .put(
                &format!("/api/v1/classifications/{round}/unit-level"),
                &province_tdkt,
                json!({"level": "htt", "reason": "UBND tỉnh xếp loại Sở"}),
            )
            .await;
        assert_eq!(rated.status, StatusCode::OK, "{:?}", rated.body);
        assert_eq!(
            codes(&rated.body, "breaches"),
            [
                "classification.undetermined",
                "quota.head_above_unit",
                "quota.htxs_over_share"
            ]
        );

        // Corrections: an override needs a reason; the head and B to HTT, M to HT.
        let entry_path = |p: &str| format!("/api/v1/classifications/{round}/entries/{p}");
        let bare = app
            .call(
                reqwest::Method::PATCH,
                &entry_path(&b),
                Some(&tdkt),
                Some(json!({"proposed": "htt"})),
            )
            .await;
        assert_eq!(bare.fields(), ["reason"]);
        // The head's own result is the managing body's (233/2026 Art. 13).
        let own_unit = app
            .call(
                reqwest::Method::PATCH,
                &entry_path(&director),
                Some(&tdkt),
                Some(json!({"proposed": "htt", "reason": "x"})),
            )
            .await;
        assert_eq!(own_unit.status, StatusCode::FORBIDDEN);
        let by_province = app
            .call(
                reqwest::Method::PATCH,
                &entry_path(&director),
                Some(&province_tdkt),
                Some(json!({"proposed": "htt", "reason": "người đứng đầu không cao hơn tập thể"})),
            )
            .await;
        assert_eq!(by_province.status, StatusCode::OK, "{:?}", by_province.body);
        for (p, level, why) in [
            (&b, "htt", "hội đồng bình xét"),
            (
                &m,
                "ht",
                "nghỉ ốm dài ngày, đánh giá trên thời gian công tác",
            ),
        ] {
            let changed = app
                .call(
                    reqwest::Method::PATCH,
                    &entry_path(p),
                    Some(&tdkt),
                    Some(json!({"proposed": level, "reason": why})),
                )
                .await;
            assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        }
        let fixed = app
            .get(&format!("/api/v1/classifications/{round}"), &tdkt)
            .await;
        assert_eq!(
            fixed.body["breaches"],
            json!([]),
            "{:?}",
            fixed.body["breaches"]
        );
        assert_eq!(fixed.body["valid"], true);
        assert_eq!(
            entry(&fixed.body, &b)["override_reason"],
            "hội đồng bình xét"
        );
        assert_eq!(fixed.body["counts"]["htxs"], 1);
        assert_eq!(fixed.body["counts"]["htt"], 10);

        // Only the unit's own head finalises.
        let officer = app
            .post(
                &format!("/api/v1/classifications/{round}/finalise"),
                &tdkt,
                json!({"reason": "phê duyệt"}),
            )
            .await;
        assert_eq!(officer.status, StatusCode::FORBIDDEN);
        let done = app
            .post(
                &format!("/api/v1/classifications/{round}/finalise"),
                &head,
                json!({"reason": "Giám đốc phê duyệt kết quả"}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
        assert_eq!(done.body["state"], "final");
        let frozen = app
            .call(
                reqwest::Method::PATCH,
                &entry_path(&a),
                Some(&tdkt),
                Some(json!({"proposed": "htt", "reason": "sửa"})),
            )
            .await;
        assert_eq!(frozen.code(), "classification.not_draft");

        // Each person is told their result by mail, over SMTP.
        if let Some(sink) = &sink {
            let pass = congvu_app::mail::drain(&app.state).await.unwrap();
            assert_eq!(pass.sent, 14, "{pass:?}");
            let mails = sink.messages();
            let to_a = mails
                .iter()
                .find(|m| m.contains("snv-a@hungyen.gov.vn"))
                .expect("A's notice");
            let body = to_a.split("\r\n\r\n").nth(1).unwrap_or_default();
            let text = {
                use base64::Engine;
                let raw: String = body.split_whitespace().collect();
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(raw)
                        .unwrap(),
                )
                .unwrap()
            };
            assert!(
                text.contains("Hoàn thành xuất sắc nhiệm vụ (HTXS)"),
                "{text}"
            );
        }

        // Published inside the unit: names and levels; not to another unit's officer.
        let published = app
            .get(
                &format!("/api/v1/units/{dept}/classifications/published?year=2026"),
                &tdkt,
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
        assert_eq!(published.body["results"].as_array().unwrap().len(), 14);
        assert!(published.body["results"][0].get("reasons").is_none());
        for path in [
            format!("/api/v1/units/{dept}/classifications/published?year=2026"),
            format!("/api/v1/classifications/{round}"),
            format!("/api/v1/units/{dept}/classifications?year=2026"),
        ] {
            let hidden = app.get(&path, &outsider).await;
            assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{path}");
        }
        let foreign = app
            .call(
                reqwest::Method::PATCH,
                &entry_path(&a),
                Some(&outsider),
                Some(json!({"proposed": "htt", "reason": "x"})),
            )
            .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);
        let foreign_open = app
            .post(
                &format!("/api/v1/units/{dept}/classifications"),
                &outsider,
                json!({"year": 2026, "reason": "x"}),
            )
            .await;
        assert_eq!(foreign_open.status, StatusCode::NOT_FOUND);

        // A later correction is a replacement decision linked to the old one.
        let replacing = app
            .post(
                &format!("/api/v1/classifications/{round}/replace"),
                &tdkt,
                json!({"reason": "điều chỉnh theo kết luận thanh tra"}),
            )
            .await;
        assert_eq!(
            replacing.status,
            StatusCode::CREATED,
            "{:?}",
            replacing.body
        );
        assert_eq!(replacing.body["replaces"], round.as_str());
        assert_eq!(replacing.body["version"], 2);
        let second = replacing.body["id"].as_str().unwrap().to_owned();
        let c = &htt[7];
        let corrected = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/classifications/{second}/entries/{c}"),
                Some(&tdkt),
                Some(json!({"proposed": "ht", "reason": "kết luận thanh tra"})),
            )
            .await;
        assert_eq!(corrected.status, StatusCode::OK, "{:?}", corrected.body);
        let still = app
            .get(
                &format!("/api/v1/units/{dept}/classifications/published?year=2026"),
                &tdkt,
            )
            .await;
        assert_eq!(still.body["version"], 1);
        let final2 = app
            .post(
                &format!("/api/v1/classifications/{second}/finalise"),
                &head,
                json!({"reason": "phê duyệt điều chỉnh"}),
            )
            .await;
        assert_eq!(final2.status, StatusCode::OK, "{:?}", final2.body);
        let rounds = app
            .get(
                &format!("/api/v1/units/{dept}/classifications?year=2026"),
                &tdkt,
            )
            .await;
        let states: Vec<&str> = rounds.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["state"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["replaced", "final"]);
        let now = app
            .get(
                &format!("/api/v1/units/{dept}/classifications/published?year=2026"),
                &tdkt,
            )
            .await;
        assert_eq!(now.body["version"], 2);

        // Units of units (233/2026 Art. 12(7)): fewer than five units rated together, at most
        // one HTXS. Two of the province's three departments rated HTXS is a breach.
        let mut last_sibling = Value::Null;
        for (name, unit, level) in [("stp2", &justice, "htxs"), ("stc", &finance, "htxs")] {
            let (_, token) = app
                .officer(&root, &format!("tdkt.{name}"), "emulation_officer", unit)
                .await;
            let opened = app
                .post(
                    &format!("/api/v1/units/{unit}/classifications"),
                    &token,
                    json!({"year": 2026, "reason": "xếp loại"}),
                )
                .await;
            assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
            let id = opened.body["id"].as_str().unwrap();
            let rated = app
                .put(
                    &format!("/api/v1/classifications/{id}/unit-level"),
                    &province_tdkt,
                    json!({"level": level, "reason": "UBND tỉnh xếp loại"}),
                )
                .await;
            assert_eq!(rated.status, StatusCode::OK, "{:?}", rated.body);
            last_sibling = rated.body;
        }
        // Each of them sees the breach too, even if the province never opens its own round.
        assert_eq!(
            codes(&last_sibling, "breaches"),
            ["quota.units_htxs_over_share"]
        );
        let top = app
            .post(
                &format!("/api/v1/units/{province}/classifications"),
                &province_tdkt,
                json!({"year": 2026, "reason": "xếp loại các Sở"}),
            )
            .await;
        assert_eq!(top.status, StatusCode::CREATED, "{:?}", top.body);
        assert_eq!(
            codes(&top.body, "breaches"),
            ["quota.units_htxs_over_share"]
        );
        app.finish().await.unwrap();
    }
}

/// Records a confirmed violation of the "5 không" rules by `person`, committed on `act`.
async fn violation(app: &TestApp, hr: &str, unit: &str, person: &str, act: &str) -> String {
    let five_khong = app.code_set(hr, unit, "5khong", act).await;
    let created = app
        .post(
            "/api/v1/violations",
            hr,
            json!({"person_id": person, "code_set_id": five_khong, "item_code": "KHONG-1", "source": "inspection",
                "started_on": act, "ended_on": act, "discovered_on": act, "place": "Bộ phận Một cửa",
                "consequence": "less_serious", "description": "Gây phiền hà cho người dân", "reason": "kiểm tra công vụ"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    for to in ["under_verification", "confirmed"] {
        let a = app
            .post(
                &format!("/api/v1/violations/{id}/transitions"),
                hr,
                json!({"to": to, "reason": "đã xác minh"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    }
    id
}

/// Brief §4.4 and Decree 335/2025 Art. 14 (the rules Decree 48/2023 added to 90/2020): a
/// khiển trách decided in the year makes KHT whatever the score, read from the discipline case;
/// a decision whose violation already made the person KHT in an earlier year does not count
/// again in its decision year; an open case blocks emulation proposals (Decree 98/2023 Art. 4).
#[tokio::test]
async fn discipline_decisions_disqualify_once_and_open_cases_block_titles() {
    crate::each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let ward = app
            .unit(&root, "HY-PH", "Phường Phố Hiến", "ward", Some(&province))
            .await;
        let (_, hr) = app.officer(&root, "hr.ph", "hr_officer", &ward).await;
        let (_, head) = app.officer(&root, "ct.ph", "unit_head", &ward).await;
        let x = app.staff(&root, "PH-1", "Nguyễn Văn Xuân", &ward).await;
        let y = app.staff(&root, "PH-2", "Trần Thị Yến", &ward).await;
        let z = app.staff(&root, "PH-3", "Lê Văn Zũng", &ward).await;

        // X: a violation of 10 December 2025, khiển trách effective 2 February 2026, via a
        // competent body's conclusion.
        let act = violation(&app, &hr, &ward, &x, "2025-12-10").await;
        let case = app
            .post(
                "/api/v1/cases",
                &hr,
                json!({"violations": [{"id": act}], "opened_on": "2026-01-20", "reason": "xem xét kỷ luật"}),
            )
            .await;
        assert_eq!(case.status, StatusCode::CREATED, "{:?}", case.body);
        let case = case.body["id"].as_str().unwrap().to_owned();
        let skipped = app
            .post(
                &format!("/api/v1/cases/{case}/steps"),
                &hr,
                json!({"on": "2026-01-26", "step": {"kind": "skip_to_decision", "why": "conclusion_proposes_form", "documents": []}, "reason": "theo kết luận thanh tra"}),
            )
            .await;
        assert_eq!(skipped.status, StatusCode::OK, "{:?}", skipped.body);
        let decided = app
            .post(&format!("/api/v1/cases/{case}/decision"), &head,
                json!({"form": "khien_trach", "document_number": "3/QĐ-UBND", "signed_on": "2026-01-30", "effective_on": "2026-02-02", "reason": "theo kết luận thanh tra"}))
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{:?}", decided.body);
        // Y: a case still open.
        let y_act = violation(&app, &hr, &ward, &y, "2026-02-10").await;
        let open_case = app
            .post(
                "/api/v1/cases",
                &hr,
                json!({"violations": [{"id": y_act}], "opened_on": "2026-02-20", "reason": "xem xét kỷ luật"}),
            )
            .await;
        assert_eq!(
            open_case.status,
            StatusCode::CREATED,
            "{:?}",
            open_case.body
        );
        let registered = app
            .post(
                "/api/v1/emulation/registrations",
                &head,
                json!({"subject_kind": "person", "subject_id": y, "year": 2026, "titles": ["ldtt"], "reason": "đăng ký thi đua"}),
            )
            .await;
        assert_eq!(
            registered.status,
            StatusCode::CREATED,
            "{:?}",
            registered.body
        );

        // P: maternity leave from November 2025 to August 2026, recorded once, read by both
        // years (233/2026 Art. 14: rated on the time worked).
        let p = person(
            &app,
            &root,
            "PH-4",
            "Phạm Thị Phương",
            &ward,
            "2025-01-01",
            false,
        )
        .await;
        let leave = app
            .post(
                &format!("/api/v1/staff/{p}/assessment-facts"),
                &hr,
                json!({"year": 2026, "kind": "leave_protected", "from": "2025-11-01", "to": "2026-08-31", "reference": "Giấy chứng nhận BHXH", "reason": "nghỉ thai sản"}),
            )
            .await;
        assert_eq!(leave.status, StatusCode::CREATED, "{:?}", leave.body);
        let unbounded = app
            .post(
                &format!("/api/v1/staff/{p}/assessment-facts"),
                &hr,
                json!({"year": 2026, "kind": "leave_unpaid", "from": "2027-01-01", "to": "2027-02-01", "reference": "x", "reason": "x"}),
            )
            .await;
        assert_eq!(unbounded.fields(), ["from"]);

        // December: everyone scores 92.
        to_december(&app);
        let root = app.login("root", tests::PASSWORD).await;
        let hr = app.login("hr.ph", tests::PASSWORD).await;
        let head = app.login("ct.ph", tests::PASSWORD).await;
        // Q joined in August with a day of sick leave: under six months whatever the leave.
        let q = person(
            &app,
            &root,
            "PH-5",
            "Đỗ Văn Quang",
            &ward,
            "2026-08-01",
            false,
        )
        .await;
        let sick = app
            .post(
                &format!("/api/v1/staff/{q}/assessment-facts"),
                &hr,
                json!({"year": 2026, "kind": "leave_protected", "from": "2026-08-03", "to": "2026-08-03", "reference": "Giấy nghỉ ốm", "reason": "nghỉ ốm"}),
            )
            .await;
        assert_eq!(sick.status, StatusCode::CREATED, "{:?}", sick.body);
        for who in [&x, &y, &z, &p, &q] {
            evaluate(&app, &hr, who, 28, 64).await;
        }
        let opened = app
            .post(
                &format!("/api/v1/units/{ward}/classifications"),
                &head,
                json!({"year": 2026, "reason": "xếp loại năm 2026"}),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
        let x_entry = entry(&opened.body, &x);
        assert_eq!(x_entry["computed"], "kht", "{x_entry:?}");
        assert_eq!(x_entry["reasons"][0]["code"], "disciplined_in_year");
        assert_eq!(entry(&opened.body, &y)["computed"], "htxs");
        let p_entry = entry(&opened.body, &p);
        assert_eq!(p_entry["computed"], "htxs", "{p_entry:?}");
        assert_eq!(p_entry["reasons"][0]["code"], "protected_leave");
        assert_eq!(entry(&opened.body, &q)["computed"], "not_rated");

        // The 2025 decision (made afterwards) rated X KHT for this violation already: with that
        // recorded, the 2026 decision does not count again (brief §4.4).
        // 2025 was governed by Decree 90/2020 as amended (criteria, no points): Y's criteria
        // result (all tasks done, half exceeded) makes HTXS (Art. 12); 2026 takes none.
        let criteria = |year: i32| {
            json!({"year": year, "general_met": true, "tasks_done_pct": 100, "exceeded_pct": 50,
                   "shortfall_pct": 0, "unmet_pct": 0, "reason": "kết quả đánh giá năm"})
        };
        let points_year = app
            .post(
                &format!("/api/v1/staff/{y}/criteria-results"),
                &hr,
                criteria(2026),
            )
            .await;
        assert_eq!(points_year.fields(), ["year"]);
        let recorded = app
            .post(
                &format!("/api/v1/staff/{y}/criteria-results"),
                &hr,
                criteria(2025),
            )
            .await;
        assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
        assert_eq!(recorded.body["regime"], "nd90_48_2023");
        let twice = app
            .post(
                &format!("/api/v1/staff/{y}/criteria-results"),
                &hr,
                criteria(2025),
            )
            .await;
        assert_eq!(twice.code(), "evaluation.criteria_recorded");
        let first = app
            .post(
                &format!("/api/v1/units/{ward}/classifications"),
                &head,
                json!({"year": 2025, "reason": "xếp loại năm 2025"}),
            )
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        let y_2025 = entry(&first.body, &y);
        assert_eq!(y_2025["computed"], "htxs", "{y_2025:?}");
        assert_eq!(y_2025["reasons"][0]["code"], "criteria");
        let round_2025 = first.body["id"].as_str().unwrap().to_owned();
        let wrong_case = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/classifications/{round_2025}/entries/{x}"),
                Some(&head),
                Some(json!({"proposed": "kht", "used_case_id": open_case.body["id"], "reason": "vi phạm"})),
            )
            .await;
        assert_eq!(wrong_case.fields(), ["used_case_id"]);
        for (p, level, used) in [
            (&x, "kht", Some(&case)),
            (&y, "htt", None),
            (&z, "htt", None),
            (&p, "htt", None),
        ] {
            let set = app
                .call(
                    reqwest::Method::PATCH,
                    &format!("/api/v1/classifications/{round_2025}/entries/{p}"),
                    Some(&head),
                    Some(json!({"proposed": level, "used_case_id": used, "reason": "theo hồ sơ năm 2025"})),
                )
                .await;
            assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
        }
        let (_, province_tdkt) = app
            .officer(&root, "tdkt.hy", "emulation_officer", &province)
            .await;
        let level = app
            .put(
                &format!("/api/v1/classifications/{round_2025}/unit-level"),
                &province_tdkt,
                json!({"level": "htt", "reason": "xếp loại tập thể"}),
            )
            .await;
        assert_eq!(level.status, StatusCode::OK, "{:?}", level.body);
        let done = app
            .post(
                &format!("/api/v1/classifications/{round_2025}/finalise"),
                &head,
                json!({"reason": "phê duyệt"}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
        let round_2026 = opened.body["id"].as_str().unwrap().to_owned();
        let again = app
            .post(
                &format!("/api/v1/units/{ward}/classifications"),
                &head,
                json!({"year": 2026, "reason": "tính lại"}),
            )
            .await;
        assert_eq!(again.code(), "classification.exists");
        // Recomputing the draft reads the 2025 decision: the khiển trách no longer counts.
        let recomputed = app
            .post(
                &format!("/api/v1/classifications/{round_2026}/recompute"),
                &head,
                json!({"reason": "đã có kết quả năm 2025"}),
            )
            .await;
        assert_eq!(recomputed.status, StatusCode::OK, "{:?}", recomputed.body);
        let x_now = entry(&recomputed.body, &x);
        assert_eq!(x_now["computed"], "htxs", "{x_now:?}");
        assert_eq!(x_now["proposed"], "htxs");

        // Finalised (three HTXS where no HTT allows any: two brought to HTT with reasons), Y's
        // open case blocks LĐTT (Decree 98/2023 Art. 4(2)).
        for p in [&x, &z, &p] {
            let set = app
                .call(
                    reqwest::Method::PATCH,
                    &format!("/api/v1/classifications/{round_2026}/entries/{p}"),
                    Some(&head),
                    Some(json!({"proposed": "htt", "reason": "hội đồng bình xét"})),
                )
                .await;
            assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
        }
        let shown = app
            .get(&format!("/api/v1/classifications/{round_2026}"), &head)
            .await;
        assert_eq!(codes(&shown.body, "breaches"), ["quota.htxs_over_share"]);
        let set = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/classifications/{round_2026}/entries/{y}"),
                Some(&head),
                Some(json!({"proposed": "htt", "reason": "hội đồng bình xét"})),
            )
            .await;
        assert_eq!(set.body["valid"], true, "{:?}", set.body);
        let done = app
            .post(
                &format!("/api/v1/classifications/{round_2026}/finalise"),
                &head,
                json!({"reason": "phê duyệt"}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
        let view = app
            .get(&format!("/api/v1/units/{ward}/emulation?year=2026"), &head)
            .await;
        let y_ldtt = view.body["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["person_id"] == y.as_str())
            .unwrap()["answers"][0]
            .clone();
        assert_eq!(y_ldtt["title"], "ldtt");
        assert_eq!(y_ldtt["eligible"], false);
        let unmet: Vec<&str> = y_ldtt["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["met"] == false)
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(unmet, ["open_discipline_case"]);

        // Z moves to another ward on 1 December: its year's round would rate Z a second time.
        let ward2 = app
            .unit(&root, "HY-AT", "Xã Ân Thi", "commune", Some(&province))
            .await;
        let moved = app
            .post(
                &format!("/api/v1/staff/{z}/employments"),
                &root,
                json!({"unit_id": ward2, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2026-12-01", "reason": "điều động"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::CREATED, "{:?}", moved.body);
        let (_, tdkt2) = app
            .officer(&root, "tdkt.at", "emulation_officer", &ward2)
            .await;
        let second = app
            .post(
                &format!("/api/v1/units/{ward2}/classifications"),
                &tdkt2,
                json!({"year": 2026, "reason": "xếp loại năm 2026"}),
            )
            .await;
        assert_eq!(second.status, StatusCode::CREATED, "{:?}", second.body);
        assert_eq!(
            codes(&second.body, "breaches"),
            ["classification.in_other_round", "quota.htxs_over_share"]
        );
        // The breach names the other unit as people know it, never by an internal id.
        let moved_breach = &second.body["breaches"][0];
        let message = moved_breach["message"].as_str().unwrap();
        assert!(message.contains("Phường Phố Hiến"), "{message}");
        assert!(!message.contains(ward.as_str()), "{message}");
    });
}

/// A province opens the whole tree's year at once: every unit without a live round gets the same
/// draft `open` would make, each scored by its own unit's rule (233/2026 Art. 12(5): the mean, or
/// the lowest period where the unit's regulation says so); units already open are left alone.
#[tokio::test]
async fn a_province_opens_every_units_year_at_once() {
    crate::each_backend!(|app| {
        to_december(&app);
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let mean = app
            .unit(&root, "HY-SNV", "Sở Nội vụ", "department", Some(&province))
            .await;
        let lowest = app
            .unit(&root, "HY-STP", "Sở Tư pháp", "department", Some(&province))
            .await;
        let opened_before = app
            .unit(
                &root,
                "HY-STC",
                "Sở Tài chính",
                "department",
                Some(&province),
            )
            .await;
        let (_, tdkt) = app
            .officer(&root, "tdkt.hy", "emulation_officer", &province)
            .await;
        let rule = app
            .put(
                &format!("/api/v1/units/{lowest}/assessment-settings"),
                &tdkt,
                json!({"aggregation": "lowest"}),
            )
            .await;
        assert_eq!(rule.status, StatusCode::OK, "{:?}", rule.body);
        let mut people = Vec::new();
        for (code, unit) in [("M", &mean), ("L", &lowest), ("F", &opened_before)] {
            let p = person(
                &app,
                &root,
                &format!("HY-{code}"),
                "Nguyễn Văn Thử",
                unit,
                "2025-01-01",
                false,
            )
            .await;
            // Two quarters: 95 and 85 — a mean of 90 (HTXS), a lowest of 85 (HTT).
            for (index, general, tasks) in [(1, 29, 66), (2, 25, 60)] {
                let e = app
                    .post(
                        &format!("/api/v1/staff/{p}/evaluations"),
                        &tdkt,
                        json!({"kind": "quarter", "year": 2026, "index": index, "general": general, "tasks": tasks, "reason": "đánh giá quý"}),
                    )
                    .await;
                assert_eq!(e.status, StatusCode::CREATED, "{:?}", e.body);
            }
            people.push(p);
        }
        let first = app
            .post(
                &format!("/api/v1/units/{opened_before}/classifications"),
                &tdkt,
                json!({"year": 2026, "reason": "mở trước"}),
            )
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);

        let all = app
            .post(
                &format!("/api/v1/units/{province}/classifications/subtree"),
                &tdkt,
                json!({"year": 2026, "reason": "xếp loại toàn tỉnh"}),
            )
            .await;
        assert_eq!(all.status, StatusCode::CREATED, "{:?}", all.body);
        assert_eq!(all.body["skipped"], json!([opened_before]));
        let opened = all.body["opened"].as_array().unwrap();
        assert_eq!(opened.len(), 3, "{opened:?}");
        let round_of = |unit: &str| {
            opened.iter().find(|r| r["unit_id"] == unit).unwrap()["round_id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let m = app
            .get(
                &format!("/api/v1/classifications/{}", round_of(&mean)),
                &tdkt,
            )
            .await;
        assert_eq!(
            entry(&m.body, &people[0])["computed"],
            "htxs",
            "{:?}",
            m.body
        );
        let l = app
            .get(
                &format!("/api/v1/classifications/{}", round_of(&lowest)),
                &tdkt,
            )
            .await;
        let l_entry = entry(&l.body, &people[1]);
        assert_eq!(l_entry["computed"], "htt", "{l_entry:?}");
        // Issue 19: the reason is a sentence in Vietnamese, English beside it, code apart.
        assert_eq!(l_entry["reasons"][0]["code"], "score");
        assert!(
            l_entry["reasons"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with("85 điểm (ngưỡng xuất sắc"),
            "{l_entry:?}"
        );
        assert!(
            l_entry["reasons"][0]["message_en"]
                .as_str()
                .unwrap()
                .starts_with("85 points")
        );
        // The same unit opened alone computes the same thing.
        let alone = app
            .post(
                &format!("/api/v1/classifications/{}/recompute", round_of(&mean)),
                &tdkt,
                json!({"reason": "đối chiếu"}),
            )
            .await;
        assert_eq!(entry(&alone.body, &people[0])["computed"], "htxs");
        let again = app
            .post(
                &format!("/api/v1/units/{province}/classifications/subtree"),
                &tdkt,
                json!({"year": 2026, "reason": "lần nữa"}),
            )
            .await;
        assert_eq!(again.body["opened"], json!([]));
        assert_eq!(again.body["skipped"].as_array().unwrap().len(), 4);
    });
}
