//! Emulation titles and the year-end reports over HTTP (brief §5, §11.5): registration at the
//! start of the year (§5.6: unregistered people are not proposed), recognised initiatives, a
//! finalised classification feeding the titles (Law on Emulation and Commendation 2022 Art. 24:
//! LĐTT needs HTT or better; Art. 23: CSTĐCS needs LĐTT and an initiative; Art. 22: CSTĐ tỉnh a
//! streak of three CSTĐCS and a province-level initiative), the blockers of Decree 98/2023
//! Art. 4 (an inspection in progress), collective titles, awards refused when not eligible, the
//! amount as a multiple of the base salary in force on the decision day (Decree 98/2023 Art.
//! 54), revocation, the per-unit report as JSON, CSV and SVG, and scope.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestApp;

use crate::each_backend;

fn set_clock(app: &TestApp, month: u32, day: u32) {
    let instant =
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, month, day, 2, 0, 0).unwrap();
    app.state.clock.set(instant);
}

fn answer<'a>(view: &'a Value, person: &str, title: &str) -> &'a Value {
    view["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person)
        .and_then(|p| {
            p["answers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["title"] == title)
        })
        .unwrap_or_else(|| panic!("no {title} answer for {person}: {view:?}"))
}

fn unmet(a: &Value) -> Vec<String> {
    a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["met"] == false)
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_units_year_of_emulation_from_registration_to_awards_and_reports() {
    each_backend!(|app| {
        // March 2026: the start of the year.
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let dept = app
            .unit(&root, "HY-SNV", "Sở Nội vụ", "department", Some(&province))
            .await;
        let other = app
            .unit(&root, "HY-STP", "Sở Tư pháp", "department", Some(&province))
            .await;
        let names = [
            ("a", "Nguyễn Thị An"),
            ("b", "Lê Văn Bình"),
            ("c", "Trần Thị Cúc"),
            ("d", "Phạm Văn Dũng"),
            ("e", "Võ Thị Em"),
            ("u", "Đặng Văn Út"),
        ];
        let mut ids = std::collections::HashMap::new();
        for (k, name) in names {
            ids.insert(k, app.staff(&root, &format!("SNV-{k}"), name, &dept).await);
        }
        let id = |k: &str| ids[k].clone();
        let (_, tdkt) = app
            .officer(&root, "tdkt.snv", "emulation_officer", &dept)
            .await;
        let (_, outsider) = app
            .officer(&root, "tdkt.stp", "emulation_officer", &other)
            .await;

        // Registrations (§5.6); U does not register; the unit registers for both collective
        // titles; a personal title for a unit is refused.
        for (k, titles) in [
            ("a", json!(["ldtt", "cstdcs", "cstd_tinh"])),
            ("b", json!(["ldtt", "cstdcs"])),
            ("c", json!(["ldtt"])),
            ("d", json!(["ldtt"])),
            ("e", json!(["ldtt"])),
        ] {
            let r = app
                .post(
                    "/api/v1/emulation/registrations",
                    &tdkt,
                    json!({"subject_kind": "person", "subject_id": id(k), "year": 2026, "titles": titles, "reason": "đăng ký thi đua đầu năm"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        }
        let twice = app
            .post(
                "/api/v1/emulation/registrations",
                &tdkt,
                json!({"subject_kind": "person", "subject_id": id("c"), "year": 2026, "titles": ["ldtt"], "reason": "đăng ký lại"}),
            )
            .await;
        assert_eq!(twice.code(), "emulation.registered");
        let wrong = app
            .post(
                "/api/v1/emulation/registrations",
                &tdkt,
                json!({"subject_kind": "unit", "subject_id": dept, "year": 2026, "titles": ["ldtt"], "reason": "đăng ký"}),
            )
            .await;
        assert_eq!(wrong.fields(), ["titles[0]"]);
        let unit_reg = app
            .post(
                "/api/v1/emulation/registrations",
                &tdkt,
                json!({"subject_kind": "unit", "subject_id": dept, "year": 2026, "titles": ["tt_ldtt", "tt_ldxs"], "reason": "đăng ký tập thể"}),
            )
            .await;
        assert_eq!(unit_reg.status, StatusCode::CREATED, "{:?}", unit_reg.body);
        let foreign = app
            .post(
                "/api/v1/emulation/registrations",
                &outsider,
                json!({"subject_kind": "person", "subject_id": id("u"), "year": 2026, "titles": ["ldtt"], "reason": "đăng ký"}),
            )
            .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);

        // A's earlier CSTĐCS titles, from before congvu kept the records; the amount is the
        // multiple of the base salary in force on the decision day (Decree 73/2024: 2,340,000).
        for (year, on) in [(2024, "2024-12-20"), (2025, "2025-12-19")] {
            let h = app
                .post(
                    "/api/v1/emulation/awards",
                    &tdkt,
                    json!({"subject_kind": "person", "subject_id": id("a"), "year": year, "title": "cstdcs",
                           "decision": format!("QĐ {year}/QĐ-SNV"), "decided_on": on, "historic": true, "reason": "nhập hồ sơ khen thưởng"}),
                )
                .await;
            assert_eq!(h.status, StatusCode::CREATED, "{:?}", h.body);
            assert_eq!(h.body["amount"], 2_340_000);
        }
        let initiative = app
            .post(
                &format!("/api/v1/staff/{}/initiatives", id("a")),
                &tdkt,
                json!({"year": 2026, "scope": "province", "title": "Số hóa hồ sơ thi đua", "decision": "QĐ 88/QĐ-UBND", "reason": "công nhận sáng kiến"}),
            )
            .await;
        assert_eq!(
            initiative.status,
            StatusCode::CREATED,
            "{:?}",
            initiative.body
        );

        // After the start of the year, registration is closed (the day is data, [U]).
        set_clock(&app, 4, 2);
        let tdkt = app.login("tdkt.snv", tests::PASSWORD).await;
        let late = app
            .post(
                "/api/v1/emulation/registrations",
                &tdkt,
                json!({"subject_kind": "person", "subject_id": id("u"), "year": 2026, "titles": ["ldtt"], "reason": "đăng ký muộn"}),
            )
            .await;
        assert_eq!(late.code(), "emulation.registration_closed");

        // December: the year's evaluations, classification, finalisation.
        set_clock(&app, 12, 1);
        let root = app.login("root", tests::PASSWORD).await;
        let tdkt = app.login("tdkt.snv", tests::PASSWORD).await;
        let outsider = app.login("tdkt.stp", tests::PASSWORD).await;
        let (_, head) = app.officer(&root, "gd.snv", "unit_head", &dept).await;
        let (_, inspector) = app.officer(&root, "tt.snv", "inspector", &dept).await;
        let (_, province_tdkt) = app
            .officer(&root, "tdkt.hy", "emulation_officer", &province)
            .await;
        for (k, general, tasks) in [
            ("a", 29, 66),
            ("b", 26, 59),
            ("c", 25, 55),
            ("d", 25, 50),
            ("e", 24, 48),
            ("u", 26, 62),
        ] {
            let e = app
                .post(
                    &format!("/api/v1/staff/{}/evaluations", id(k)),
                    &tdkt,
                    json!({"kind": "year", "year": 2026, "index": 1, "general": general, "tasks": tasks, "reason": "đánh giá năm"}),
                )
                .await;
            assert_eq!(e.status, StatusCode::CREATED, "{:?}", e.body);
        }
        let round = app
            .post(
                &format!("/api/v1/units/{dept}/classifications"),
                &tdkt,
                json!({"year": 2026, "reason": "xếp loại năm 2026"}),
            )
            .await;
        assert_eq!(round.status, StatusCode::CREATED, "{:?}", round.body);
        let round = round.body["id"].as_str().unwrap().to_owned();
        let rated = app
            .put(
                &format!("/api/v1/classifications/{round}/unit-level"),
                &province_tdkt,
                json!({"level": "htxs", "reason": "UBND tỉnh xếp loại"}),
            )
            .await;
        assert_eq!(rated.body["breaches"], json!([]), "{:?}", rated.body);
        let done = app
            .post(
                &format!("/api/v1/classifications/{round}/finalise"),
                &head,
                json!({"reason": "phê duyệt"}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);

        // An inspection concerning D is in progress (Decree 98/2023 Art. 4).
        let inspection = app
            .post(
                &format!("/api/v1/staff/{}/proceedings", id("d")),
                &inspector,
                json!({"kind": "inspection", "opened_on": "2026-11-20", "reference": "QĐ thanh tra 15/QĐ-TTr", "reason": "thanh tra công vụ"}),
            )
            .await;
        assert_eq!(
            inspection.status,
            StatusCode::CREATED,
            "{:?}",
            inspection.body
        );

        let view = app
            .get(&format!("/api/v1/units/{dept}/emulation?year=2026"), &tdkt)
            .await;
        assert_eq!(view.status, StatusCode::OK, "{:?}", view.body);
        let v = &view.body;
        // Art. 24: LĐTT for HTT or better, registered, unblocked.
        assert_eq!(answer(v, &id("b"), "ldtt")["eligible"], true, "{v:?}");
        assert_eq!(unmet(answer(v, &id("u"), "ldtt")), ["registered"]);
        assert_eq!(unmet(answer(v, &id("d"), "ldtt")), ["inspection"]);
        // Issue 19: the reason reads as words (Nghị định 98/2023 Điều 4), its code apart.
        let blocked = answer(v, &id("d"), "ldtt")["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "inspection")
            .unwrap()
            .clone();
        assert_eq!(
            blocked["message"],
            "Đang bị thanh tra, kiểm tra: chưa xét khen thưởng"
        );
        assert_eq!(
            blocked["message_en"],
            "an inspection in progress: no award is considered yet"
        );
        // Art. 23: CSTĐCS needs an initiative; A has one, B has none.
        assert_eq!(answer(v, &id("a"), "cstdcs")["eligible"], true);
        assert_eq!(unmet(answer(v, &id("b"), "cstdcs")), ["initiative"]);
        // Art. 22: three CSTĐCS in a row (2024, 2025 on record, 2026 now) and a province-level
        // initiative make A eligible for CSTĐ tỉnh; the national title she did not register for.
        assert_eq!(answer(v, &id("a"), "cstd_tinh")["eligible"], true, "{v:?}");
        assert_eq!(
            unmet(answer(v, &id("a"), "cstd_toan_quoc")),
            ["registered", "streak", "initiative"]
        );
        assert_eq!(v["eligible"]["ldtt"], 4);
        assert_eq!(v["blocked"], 1);
        // Collectives: more than 50% LĐTT (4 of 6) → TT LĐTT; TLĐXS needs 70%.
        let collective = |t: &str| {
            v["collective"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["title"] == t)
                .unwrap()
                .clone()
        };
        assert_eq!(collective("tt_ldtt")["eligible"], true, "{v:?}");
        assert_eq!(unmet(&collective("tt_ldxs")), ["ldtt_share"]);

        // Awards: refused with every unmet condition, accepted when eligible.
        let award = |k: &str, title: &str| {
            json!({"subject_kind": "person", "subject_id": id(k), "year": 2026, "title": title,
                   "decision": "QĐ 200/QĐ-SNV", "decided_on": "2026-12-01", "reason": "khen thưởng cuối năm"})
        };
        let refused = app
            .post("/api/v1/emulation/awards", &tdkt, award("u", "ldtt"))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.code(), "emulation.not_eligible");
        assert_eq!(refused.fields(), ["registered"]);
        let blocked = app
            .post("/api/v1/emulation/awards", &tdkt, award("d", "ldtt"))
            .await;
        assert_eq!(blocked.fields(), ["inspection"]);
        // D's inspection keeps the share of LĐTT under 70%: no TLĐXS yet.
        let collective_award = app
            .post(
                "/api/v1/emulation/awards",
                &tdkt,
                json!({"subject_kind": "unit", "subject_id": dept, "year": 2026, "title": "tt_ldxs",
                       "decision": "QĐ 201", "decided_on": "2026-12-01", "reason": "khen tập thể"}),
            )
            .await;
        assert_eq!(collective_award.fields(), ["ldtt_share"]);
        let historic = app
            .post(
                "/api/v1/emulation/awards",
                &tdkt,
                json!({"subject_kind": "person", "subject_id": id("u"), "year": 2026, "title": "ldtt", "historic": true,
                       "decision": "QĐ 1", "decided_on": "2026-12-01", "reason": "nhập"}),
            )
            .await;
        assert_eq!(historic.code(), "emulation.not_historic");
        let closed = app
            .post(
                &format!(
                    "/api/v1/proceedings/{}/close",
                    inspection.body["id"].as_str().unwrap()
                ),
                &inspector,
                json!({"closed_on": "2026-11-30", "reason": "kết thúc thanh tra"}),
            )
            .await;
        assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
        let now_ok = app
            .post("/api/v1/emulation/awards", &tdkt, award("d", "ldtt"))
            .await;
        assert_eq!(now_ok.status, StatusCode::CREATED, "{:?}", now_ok.body);
        // No base salary is known for December 2026 in the shipped data: no amount is guessed.
        assert_eq!(now_ok.body["amount"], Value::Null);
        let b_award = app
            .post("/api/v1/emulation/awards", &tdkt, award("b", "ldtt"))
            .await;
        assert_eq!(b_award.status, StatusCode::CREATED, "{:?}", b_award.body);
        let again = app
            .post("/api/v1/emulation/awards", &tdkt, award("b", "ldtt"))
            .await;
        assert_eq!(again.code(), "emulation.awarded");
        let tinh = app
            .post("/api/v1/emulation/awards", &tdkt, award("a", "cstd_tinh"))
            .await;
        assert_eq!(tinh.status, StatusCode::CREATED, "{:?}", tinh.body);
        // The CSTĐCS cap: 15% of the unit's five LĐTT rounds down to none (the share is data, [U]).
        let capped = app
            .post("/api/v1/emulation/awards", &tdkt, award("a", "cstdcs"))
            .await;
        assert_eq!(capped.code(), "emulation.cstdcs_cap", "{:?}", capped.body);

        // Revocation with a reason; the award stays on record.
        let b_id = b_award.body["id"].as_str().unwrap();
        let bare = app
            .post(
                &format!("/api/v1/emulation/awards/{b_id}/revoke"),
                &tdkt,
                json!({"revoked_on": "2026-12-01"}),
            )
            .await;
        assert_eq!(bare.fields(), ["reason"]);
        let revoked = app
            .post(
                &format!("/api/v1/emulation/awards/{b_id}/revoke"),
                &tdkt,
                json!({"revoked_on": "2026-12-01", "reason": "kê khai không trung thực"}),
            )
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
        let list = app
            .get(&format!("/api/v1/staff/{}/awards", id("b")), &tdkt)
            .await;
        assert_eq!(
            list.body["items"][0]["revoke_reason"],
            "kê khai không trung thực"
        );

        // Scope: another unit's officer sees none of it.
        for path in [
            format!("/api/v1/units/{dept}/emulation?year=2026"),
            format!("/api/v1/units/{dept}/assessment-report?year=2026"),
            format!("/api/v1/staff/{}/awards", id("a")),
        ] {
            assert_eq!(
                app.get(&path, &outsider).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let foreign_award = app
            .post("/api/v1/emulation/awards", &outsider, award("c", "ldtt"))
            .await;
        assert_eq!(foreign_award.status, StatusCode::NOT_FOUND);

        // The report: the department's distribution against its quota (25% of five HTT when the
        // unit is HTXS → one HTXS), rolled up to the province; as CSV and as an SVG chart.
        let report = app
            .get(
                &format!("/api/v1/units/{province}/assessment-report?year=2026"),
                &province_tdkt,
            )
            .await;
        assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
        let rows = report.body["rows"].as_array().unwrap();
        let row = |u: &str| rows.iter().find(|r| r["unit_id"] == u).unwrap();
        assert_eq!(row(&dept)["own"]["htxs"], 1);
        assert_eq!(row(&dept)["own"]["htt"], 5);
        assert_eq!(row(&dept)["own"]["htxs_allowed"], 1);
        assert_eq!(row(&dept)["breaches"], 0);
        assert_eq!(row(&dept)["eligible"]["ldtt"], 5);
        assert_eq!(row(&province)["own"]["htt"], 0);
        assert_eq!(row(&province)["rolled_up"]["htt"], 5);
        assert_eq!(row(&province)["state"], Value::Null);
        let fetch = |ext: &str| {
            let url = format!(
                "{}/api/v1/units/{province}/assessment-report.{ext}?year=2026",
                app.base
            );
            let req = app.http.get(url).bearer_auth(&province_tdkt);
            async move {
                let res = req.send().await.unwrap();
                let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
                (res.status(), ct, res.text().await.unwrap())
            }
        };
        let (status, ct, csv) = fetch("csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ct.starts_with("text/csv"), "{ct}");
        assert!(
            csv.starts_with('\u{feff}'),
            "a BOM for spreadsheet programs"
        );
        let dept_line = csv.lines().find(|l| l.contains("HY-SNV")).unwrap();
        assert!(
            dept_line.contains("Sở Nội vụ,1,final,htxs,1,5,0,0,0,0,1"),
            "{dept_line}"
        );
        let (status, ct, svg) = fetch("svg").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ct.starts_with("image/svg+xml"), "{ct}");
        assert!(
            svg.contains("<svg") && svg.contains("Sở Nội vụ (6)"),
            "{svg}"
        );
    });
}
