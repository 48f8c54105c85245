//! Discipline cases over HTTP: a case taken from a confirmed violation to a decision through the
//! steps of Decree 172/2025 / 234/2026 (review meeting, council, recommendation, decision) with
//! step deadlines on the unit's calendar and audit events; refusals that name their rule; clocks
//! extended and paused; annulment with its announcement; the staff record; and scope (another
//! unit's users get 404 on every case and document URL).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::each_backend;

pub(crate) struct World {
    pub(crate) root: String,
    pub(crate) province: String,
    pub(crate) ward: String,
    pub(crate) sibling: String,
    pub(crate) person: String,
    pub(crate) five_khong: String,
    pub(crate) hr: String,
}

pub(crate) async fn world(app: &tests::TestApp) -> World {
    let tests::Province {
        root,
        province,
        ward,
        sibling,
    } = app.province().await;
    let person = app.staff(&root, "HY-77", "Nguyễn Văn Nam", &ward).await;
    let five_khong = app.code_set(&root, &ward, "5khong", "2026-01-05").await;
    let (_, hr) = app.officer(&root, "hr.ph", "hr_officer", &ward).await;
    World {
        root,
        province,
        ward,
        sibling,
        person,
        five_khong,
        hr,
    }
}

/// Records a violation and confirms it; returns its id.
pub(crate) async fn confirmed(
    app: &tests::TestApp,
    w: &World,
    person: &str,
    item: &str,
    act: &str,
    consequence: &str,
) -> String {
    // Discovered on 12 January 2026, or the day of a later act.
    let discovered = if act > "2026-01-12" {
        act
    } else {
        "2026-01-12"
    };
    let created = app
        .post(
            "/api/v1/violations",
            &w.hr,
            json!({"person_id": person, "code_set_id": w.five_khong, "item_code": item, "source": "inspection",
                "started_on": act, "ended_on": act, "discovered_on": discovered, "place": "Bộ phận Một cửa",
                "consequence": consequence, "description": "Gây phiền hà cho người dân khi giải quyết hồ sơ", "reason": "kiểm tra công vụ"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    for to in ["under_verification", "confirmed"] {
        let a = app
            .post(
                &format!("/api/v1/violations/{id}/transitions"),
                &w.hr,
                json!({"to": to, "reason": "đã xác minh"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    }
    id
}

async fn document(
    app: &tests::TestApp,
    token: &str,
    case: &str,
    kind: &str,
) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!(
            "{}/api/v1/cases/{case}/documents?kind={kind}&filename={kind}.pdf&reason=h%E1%BB%93%20s%C6%A1",
            app.base
        ))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(format!("%PDF-1.7 {kind}").into_bytes())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn doc_id(app: &tests::TestApp, token: &str, case: &str, kind: &str) -> String {
    let (status, body) = document(app, token, case, kind).await;
    assert_eq!(status, StatusCode::CREATED, "{body:?}");
    body["id"].as_str().unwrap().to_owned()
}

async fn step(
    app: &tests::TestApp,
    token: &str,
    case: &str,
    on: &str,
    step: Value,
) -> tests::Answer {
    app.post(
        &format!("/api/v1/cases/{case}/steps"),
        token,
        json!({"on": on, "step": step, "reason": "theo trình tự Nghị định 172/2025"}),
    )
    .await
}

fn ok(a: &tests::Answer) {
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
}

/// Decree 172/2025 Art. 16 / 234/2026 Art. 13–18: review meeting → council (three members, no
/// relative) → secret ballots → recommendation → decision by the competent unit head, each step
/// with its working-day deadline; Art. 8 suggests khiển trách for a first less-serious violation.
#[tokio::test]
async fn a_case_goes_from_violation_to_decision_nd_172_2025_art_16() {
    each_backend!(|app| {
        let w = world(&app).await;
        let violation =
            confirmed(&app, &w, &w.person, "KHONG-1", "2026-01-05", "less_serious").await;
        let (_, head) = app.officer(&w.root, "ct.ph", "unit_head", &w.ward).await;
        let (_, province_head) = app
            .officer(&w.root, "ct.hy", "unit_head", &w.province)
            .await;
        let m1 = app.staff(&w.root, "HY-81", "Trần Thị Hoa", &w.ward).await;
        let m2 = app.staff(&w.root, "HY-82", "Lê Văn Bình", &w.ward).await;
        let m3 = app.staff(&w.root, "HY-83", "Phạm Thu Hà", &w.ward).await;
        let spouse = app.staff(&w.root, "HY-84", "Nguyễn Thị Lan", &w.ward).await;

        let opened = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": violation}], "opened_on": "2026-02-02", "reason": "xem xét kỷ luật"}),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
        let case = opened.body["id"].as_str().unwrap().to_owned();
        assert_eq!(opened.body["stage"], "opened");
        assert_eq!(opened.body["regime"], "nd172_2025");
        assert_eq!(opened.body["competent_unit_id"], w.ward.as_str());
        assert_eq!(
            opened.body["allowed_forms"],
            json!(["khien_trach", "canh_cao", "buoc_thoi_viec"])
        );
        // Art. 8: first violation, less serious → khiển trách.
        assert_eq!(opened.body["suggestion"]["form"], "khien_trach");

        // Step 1: the review meeting needs its minutes.
        let no_minutes = step(
            &app,
            &w.hr,
            &case,
            "2026-02-05",
            json!({"kind": "hold_review", "self_criticism": true, "absent": null, "documents": []}),
        )
        .await;
        assert_eq!(no_minutes.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(no_minutes.code(), "case.document_required");
        let minutes = doc_id(&app, &w.hr, &case, "minutes").await;
        let reviewed = step(&app, &w.hr, &case, "2026-02-05",
            json!({"kind": "hold_review", "self_criticism": true, "absent": null, "documents": [minutes]})).await;
        ok(&reviewed);
        assert_eq!(reviewed.body["stage"], "reviewed");
        // The report and minutes are due 3 working days after the meeting: 6, 9, 10 February.
        assert_eq!(reviewed.body["next_step"]["what"], "report_and_minutes");
        assert_eq!(reviewed.body["next_step"]["due_on"], "2026-02-10");

        // Step 2a: the council — a declared spouse may not sit on it (Art. 2(11)).
        let declared = app
            .post(
                &format!("/api/v1/staff/{}/relations", w.person),
                &w.hr,
                json!({"relative_id": spouse, "kind": "spouse", "reason": "kê khai quan hệ gia đình"}),
            )
            .await;
        assert_eq!(declared.status, StatusCode::CREATED, "{:?}", declared.body);
        let council = |who: &str| {
            json!({"kind": "form_council", "members": [
                {"person_id": who, "role": "chair"}, {"person_id": m2, "role": "member"}, {"person_id": m3, "role": "member"}],
                "documents": []})
        };
        let conflicted = step(&app, &w.hr, &case, "2026-02-12", council(&spouse)).await;
        assert_eq!(conflicted.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(conflicted.code(), "case.council_invalid");
        let two = step(&app, &w.hr, &case, "2026-02-12", json!({"kind": "form_council", "members": [
            {"person_id": m1, "role": "chair"}, {"person_id": m2, "role": "member"}], "documents": []})).await;
        assert_eq!(two.code(), "case.council_invalid");
        let twice = step(&app, &w.hr, &case, "2026-02-12", json!({"kind": "form_council", "members": [
            {"person_id": m1, "role": "chair"}, {"person_id": m2, "role": "member"}, {"person_id": m2, "role": "member"}], "documents": []})).await;
        assert_eq!(twice.code(), "case.council_invalid");
        ok(&step(&app, &w.hr, &case, "2026-02-12", council(&m1)).await);

        // Step 2c: the convocation goes out at least 5 working days before the meeting.
        let council_minutes = doc_id(&app, &w.hr, &case, "minutes").await;
        let meeting = |convened: &str, yes: u8, no: u8, form: Option<&str>| {
            json!({"kind": "hold_council", "convened_on": convened, "members_present": 3,
                "discipline_yes": yes, "discipline_no": no, "form": form, "documents": [council_minutes]})
        };
        let late = step(
            &app,
            &w.hr,
            &case,
            "2026-03-02",
            meeting("2026-02-25", 2, 1, Some("khien_trach")),
        )
        .await;
        assert_eq!(late.code(), "case.convocation_late");
        // The refusal cites the case's own regime (a civil servant's case: Decree 172/2025,
        // whose articles were not read, data/discipline.toml [[citations]]), never Decree
        // 234/2026, which governs public employees only and was not yet in force.
        let cited = late.body["detail"].as_str().unwrap();
        assert!(cited.contains("Nghị định 172/2025/NĐ-CP"), "{cited}");
        assert!(!cited.contains("234/2026"), "{cited}");
        let miscounted = step(
            &app,
            &w.hr,
            &case,
            "2026-03-02",
            meeting("2026-02-23", 2, 2, Some("khien_trach")),
        )
        .await;
        assert_eq!(miscounted.code(), "case.ballots_invalid");
        let met = step(
            &app,
            &w.hr,
            &case,
            "2026-03-02",
            meeting("2026-02-23", 2, 1, Some("khien_trach")),
        )
        .await;
        ok(&met);
        assert_eq!(met.body["stage"], "council_met");
        let decide_early = app
            .post(&format!("/api/v1/cases/{case}/decision"), &head,
                json!({"form": "khien_trach", "document_number": "15/QĐ-UBND", "signed_on": "2026-03-03", "effective_on": "2026-03-03", "reason": "x"}))
            .await;
        assert_eq!(decide_early.status, StatusCode::CONFLICT);
        assert_eq!(decide_early.code(), "case.step_out_of_order");

        // Step 3a: the recommendation; the decision is due within 5 working days.
        let recommended = step(
            &app,
            &w.hr,
            &case,
            "2026-03-04",
            json!({"kind": "recommend", "documents": []}),
        )
        .await;
        ok(&recommended);
        let got = app
            .get(&format!("/api/v1/cases/{case}?on=2026-03-10"), &head)
            .await;
        ok(&got);
        assert_eq!(
            got.body["next_step"],
            json!({"what": "decision", "due_on": "2026-03-11", "overdue": false})
        );
        // Handling limit: 90 days from discovery on 12 January (Art. 5(5)).
        assert_eq!(got.body["clocks"]["handling"]["last_day"], "2026-04-12");
        assert_eq!(got.body["clocks"]["handling"]["days_left"], 33);
        assert_eq!(got.body["clocks"]["accountability"], false);
        // Limitation: 60 months from the end of a khiển trách-level act.
        assert_eq!(
            got.body["clocks"]["limitation"][0]["clock"]["last_day"],
            "2031-01-05"
        );
        let steps = got.body["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 4);
        // The council is due 3 + 5 working days after the review meeting of 5 February; the
        // Tết days off (16–20 February) do not count: 6, 9–13, 23, 24 February.
        assert_eq!(steps[0]["due_on"], Value::Null);
        assert_eq!(steps[1]["due_on"], "2026-02-24");
        assert_eq!(steps[1]["late"], false);
        assert_eq!(steps[3]["kind"], "recommend");
        assert_eq!(steps[3]["due_on"], "2026-03-09");
        assert_eq!(steps[3]["late"], false);

        // Step 3b: only a unit head of the competent unit decides, with an allowed form.
        let by_hr = app
            .post(&format!("/api/v1/cases/{case}/decision"), &w.hr,
                json!({"form": "khien_trach", "document_number": "15/QĐ-UBND", "signed_on": "2026-03-10", "effective_on": "2026-03-10", "reason": "x"}))
            .await;
        assert_eq!(by_hr.status, StatusCode::FORBIDDEN);
        let by_province = app
            .post(&format!("/api/v1/cases/{case}/decision"), &province_head,
                json!({"form": "khien_trach", "document_number": "15/QĐ-UBND", "signed_on": "2026-03-10", "effective_on": "2026-03-10", "reason": "x"}))
            .await;
        assert_eq!(by_province.status, StatusCode::FORBIDDEN);
        let demotion = app
            .post(&format!("/api/v1/cases/{case}/decision"), &head,
                json!({"form": "ha_bac_luong", "document_number": "15/QĐ-UBND", "signed_on": "2026-03-10", "effective_on": "2026-03-10", "reason": "x"}))
            .await;
        assert_eq!(demotion.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(demotion.code(), "case.form_not_allowed");
        assert!(
            demotion.body["detail"]
                .as_str()
                .unwrap()
                .contains("172/2025"),
            "{:?}",
            demotion.body
        );
        let no_effect = app
            .post(&format!("/api/v1/cases/{case}/decision"), &head,
                json!({"form": "khien_trach", "document_number": "15/QĐ-UBND", "signed_on": "2026-03-10", "reason": "x"}))
            .await;
        assert_eq!(no_effect.fields(), ["effective_on"]);
        let decided = app
            .post(&format!("/api/v1/cases/{case}/decision"), &head,
                json!({"form": "khien_trach", "document_number": "15/QĐ-UBND", "signed_on": "2026-03-10", "effective_on": "2026-03-10", "reason": "theo kiến nghị của Hội đồng"}))
            .await;
        ok(&decided);
        assert_eq!(decided.body["stage"], "decided");
        assert_eq!(decided.body["decision"]["form"], "khien_trach");
        assert_eq!(decided.body["decision"]["number"], "15/QĐ-UBND");
        assert_eq!(decided.body["next_step"], Value::Null);
        assert!(decided.body["consequences"].is_object());

        // The staff record: in effect for 12 months, then ends by itself (Art. 2(9)).
        let record = app
            .get(
                &format!("/api/v1/staff/{}/discipline?on=2026-03-10", w.person),
                &head,
            )
            .await;
        ok(&record);
        assert_eq!(record.body["in_effect"], json!([case]));
        assert_eq!(record.body["repeat_window_open"], json!([case]));
        assert_eq!(record.body["decisions"][0]["effect_end"], "expires");
        assert_eq!(record.body["decisions"][0]["effect_last_day"], "2027-03-09");
        assert_eq!(record.body["cases"][0]["id"], case.as_str());
        assert_eq!(record.body["violations"][0]["id"], violation.as_str());
        let later = app
            .get(
                &format!("/api/v1/staff/{}/discipline?on=2027-03-10", w.person),
                &head,
            )
            .await;
        assert_eq!(later.body["in_effect"], json!([]));

        // Every change is audited with its reason.
        let events = congvu_db::audit::for_object(app.state.db.reader(), "case", &case)
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "case.open",
                "case.document",
                "case.hold_review",
                "case.form_council",
                "case.document",
                "case.hold_council",
                "case.recommend",
                "case.decide"
            ]
        );
        assert!(events.iter().all(|e| !e.reason.is_empty()));
        let verified = app.get("/api/v1/audit/verify", &w.root).await;
        assert_eq!(verified.body["intact"], true, "{:?}", verified.body);

        // A user of another unit gets 404 on every case and document URL.
        let (_, other) = app
            .officer(&w.root, "hr.at", "hr_officer", &w.sibling)
            .await;
        let (_, other_head) = app.officer(&w.root, "ct.at", "unit_head", &w.sibling).await;
        for token in [&other, &other_head] {
            for path in [
                format!("/api/v1/cases/{case}"),
                format!("/api/v1/cases/{case}/documents"),
                format!("/api/v1/cases/{case}/documents/{minutes}"),
                format!("/api/v1/staff/{}/discipline", w.person),
                format!("/api/v1/staff/{}/relations", w.person),
                format!("/api/v1/violations/{violation}"),
            ] {
                let a = app.get(&path, token).await;
                assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {:?}", a.body);
            }
            for (path, body) in [
                (
                    format!("/api/v1/cases/{case}/steps"),
                    json!({"on": "2026-03-10", "step": {"kind": "recommend", "documents": []}, "reason": "x"}),
                ),
                (
                    format!("/api/v1/cases/{case}/decision"),
                    json!({"form": "canh_cao", "document_number": "1", "signed_on": "2026-03-10", "effective_on": "2026-03-10", "reason": "x"}),
                ),
                (
                    format!("/api/v1/cases/{case}/annulment"),
                    json!({"on": "2026-03-10", "ruling": "x", "ruling_on": "2026-03-10", "reason": "x"}),
                ),
                (
                    format!("/api/v1/cases/{case}/extension"),
                    json!({"on": "2026-03-10", "reason": "x"}),
                ),
                (
                    format!("/api/v1/cases/{case}/pauses"),
                    json!({"kind": "complaint", "from": "2026-03-10", "reason": "x"}),
                ),
                (
                    format!("/api/v1/cases/{case}/announcement"),
                    json!({"on": "2026-03-10", "reason": "x"}),
                ),
                (
                    format!("/api/v1/cases/{case}/pauses/{case}/resume"),
                    json!({"to": "2026-03-10", "reason": "x"}),
                ),
                (
                    format!("/api/v1/staff/{}/relations", w.person),
                    json!({"relative_id": spouse, "kind": "spouse", "reason": "x"}),
                ),
            ] {
                let a = app.post(&path, token, body).await;
                assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {:?}", a.body);
            }
            let (status, _) = document(&app, token, &case, "other").await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            let listed = app.get("/api/v1/cases", token).await;
            assert_eq!(listed.body["items"], json!([]));
        }
        let listed = app
            .get(&format!("/api/v1/cases?unit_id={}", w.ward), &head)
            .await;
        assert_eq!(listed.body["items"][0]["id"], case.as_str());
    });
}

/// Decree 234/2026 Art. 5(5)–(6), §3.7 and Art. 2(6), 22(2): the handling limit extended once to
/// 150 days by the competent head; postponements stop the clocks (not the maternity case when the
/// person asked in writing); a Party decision skips to the decision with its commensurate form and
/// a 30-day limit; an annulled decision calls for an announcement within 10 working days and frees
/// the violations for a new case.
#[tokio::test]
async fn clocks_pause_and_extend_and_an_annulled_decision_is_announced_nd_234_2026_art_5_22() {
    each_backend!(|app| {
        let w = world(&app).await;
        let violation = confirmed(&app, &w, &w.person, "KHONG-2", "2026-01-05", "serious").await;
        let (_, head) = app.officer(&w.root, "ct.ph", "unit_head", &w.ward).await;
        let opened = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": violation, "mitigating": true}], "opened_on": "2026-01-20", "reason": "xem xét kỷ luật"}),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
        let case = opened.body["id"].as_str().unwrap().to_owned();
        let path = |tail: &str| format!("/api/v1/cases/{case}{tail}");
        // 90 days from discovery on 12 January.
        assert_eq!(opened.body["clocks"]["handling"]["last_day"], "2026-04-12");
        // Art. 9: first serious violation → cảnh cáo.
        assert_eq!(opened.body["suggestion"]["form"], "canh_cao");

        let by_hr = app
            .post(
                &path("/extension"),
                &w.hr,
                json!({"on": "2026-02-02", "reason": "cần thanh tra làm rõ"}),
            )
            .await;
        assert_eq!(by_hr.status, StatusCode::FORBIDDEN);
        let extended = app
            .post(
                &path("/extension"),
                &head,
                json!({"on": "2026-02-02", "reason": "vụ việc phức tạp, cần thanh tra làm rõ"}),
            )
            .await;
        ok(&extended);
        assert_eq!(
            extended.body["clocks"]["handling"]["last_day"],
            "2026-06-11"
        );
        let again = app
            .post(
                &path("/extension"),
                &head,
                json!({"on": "2026-02-03", "reason": "x"}),
            )
            .await;
        assert_eq!(again.code(), "case.already_extended");

        // Raising a child under 12 months, but she asked in writing to be disciplined: the clocks run.
        let asked = app
            .post(&path("/pauses"), &w.hr, json!({"kind": "maternity_or_infant", "asked_in_writing": true, "from": "2026-02-03", "reason": "nghỉ thai sản"}))
            .await;
        ok(&asked);
        assert_eq!(asked.body["pauses"][0]["stops_clocks"], false);
        assert_eq!(asked.body["clocks"]["handling"]["last_day"], "2026-06-11");
        let busy = app
            .post(
                &path("/pauses"),
                &w.hr,
                json!({"kind": "grave_illness", "from": "2026-02-04", "reason": "x"}),
            )
            .await;
        assert_eq!(busy.code(), "case.pause_open");
        let first_pause = asked.body["pauses"][0]["id"].as_str().unwrap().to_owned();
        ok(&app
            .post(
                &path(&format!("/pauses/{first_pause}/resume")),
                &w.hr,
                json!({"to": "2026-02-10", "reason": "đi làm lại"}),
            )
            .await);
        let overlapping = app
            .post(
                &path("/pauses"),
                &w.hr,
                json!({"kind": "grave_illness", "from": "2026-02-10", "reason": "x"}),
            )
            .await;
        assert_eq!(overlapping.fields(), ["from"]);

        // Grave illness: the clocks stand still while it lasts, then resume ten days later.
        let ill = app
            .post(&path("/pauses"), &w.hr, json!({"kind": "grave_illness", "from": "2026-02-11", "note": "giấy xác nhận của bệnh viện", "reason": "điều trị bệnh hiểm nghèo"}))
            .await;
        ok(&ill);
        assert_eq!(ill.body["clocks"]["handling"]["state"], "paused");
        assert_eq!(ill.body["clocks"]["handling"]["paused_since"], "2026-02-11");
        assert_eq!(
            ill.body["clocks"]["limitation"][0]["clock"]["state"],
            "paused"
        );
        let ill_id = ill.body["pauses"][1]["id"].as_str().unwrap().to_owned();
        let resumed = app
            .post(
                &path(&format!("/pauses/{ill_id}/resume")),
                &w.hr,
                json!({"to": "2026-02-20", "reason": "ra viện"}),
            )
            .await;
        ok(&resumed);
        assert_eq!(resumed.body["clocks"]["handling"]["last_day"], "2026-06-21");
        assert_eq!(
            resumed.body["clocks"]["limitation"][0]["clock"]["last_day"],
            "2036-01-15"
        );

        // A Party decision (cách chức, for someone who holds no management post) skips steps 1–2;
        // the administrative form is cảnh cáo, due within 30 days of the announcement.
        let party = step(
            &app,
            &w.hr,
            &case,
            "2026-03-02",
            json!({"kind": "skip_to_decision", "why": "party_decision",
            "party_form": "cach_chuc", "party_announced_on": "2026-03-02", "documents": []}),
        )
        .await;
        ok(&party);
        assert_eq!(party.body["stage"], "recommended");
        assert_eq!(party.body["suggestion"]["form"], "canh_cao");
        let reasons = party.body["suggestion"]["reasons"].as_array().unwrap();
        assert_eq!(
            reasons.last().unwrap()["legal_basis"]["article"],
            "Điều 2 khoản 6"
        );
        let on_day = app.get(&path("?on=2026-03-10"), &head).await;
        assert_eq!(
            on_day.body["clocks"]["party_deadline"]["last_day"],
            "2026-04-01"
        );
        assert_eq!(on_day.body["clocks"]["party_deadline"]["days_left"], 22);

        let decided = app
            .post(&path("/decision"), &head, json!({"form": "canh_cao", "document_number": "21/QĐ-UBND", "signed_on": "2026-03-10", "effective_on": "2026-03-10", "reason": "tương xứng kỷ luật đảng"}))
            .await;
        ok(&decided);
        let early_announce = app
            .post(
                &path("/announcement"),
                &w.hr,
                json!({"on": "2026-03-10", "reason": "x"}),
            )
            .await;
        assert_eq!(early_announce.code(), "case.not_annulled");
        let again_open = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": violation}], "reason": "x"}),
            )
            .await;
        assert_eq!(again_open.code(), "case.violation_already_in_case");

        // Annulled after a complaint: announcement due within 10 working days (11–24 March).
        let by_hr = app.post(&path("/annulment"), &w.hr, json!({"on": "2026-03-10", "ruling": "QĐ giải quyết khiếu nại số 3", "ruling_on": "2026-03-10", "reason": "x"})).await;
        assert_eq!(by_hr.status, StatusCode::FORBIDDEN);
        let before_decision = app
            .post(&path("/annulment"), &head, json!({"on": "2026-03-10", "ruling": "x", "ruling_on": "2026-03-09", "reason": "x"}))
            .await;
        assert_eq!(before_decision.fields(), ["ruling_on"]);
        let annulled = app
            .post(&path("/annulment"), &head, json!({"on": "2026-03-10", "ruling": "QĐ giải quyết khiếu nại số 3/QĐ-UBND", "ruling_on": "2026-03-10", "reason": "sai thẩm quyền"}))
            .await;
        ok(&annulled);
        assert_eq!(annulled.body["stage"], "annulled");
        assert_eq!(annulled.body["annulment"]["announcement_due"], "2026-03-24");
        assert_eq!(annulled.body["next_step"]["what"], "announcement");
        assert_eq!(annulled.body["consequences"], Value::Null);
        let announced = app
            .post(
                &path("/announcement"),
                &w.hr,
                json!({"on": "2026-03-10", "reason": "công bố tại cuộc họp cơ quan"}),
            )
            .await;
        ok(&announced);
        assert_eq!(announced.body["annulment"]["announced_on"], "2026-03-10");
        assert_eq!(announced.body["next_step"], Value::Null);
        let twice = app
            .post(
                &path("/announcement"),
                &w.hr,
                json!({"on": "2026-03-10", "reason": "x"}),
            )
            .await;
        assert_eq!(twice.code(), "case.already_announced");

        // The annulled decision no longer stands; the violation may be handled again.
        let record = app
            .get(&format!("/api/v1/staff/{}/discipline", w.person), &head)
            .await;
        assert_eq!(record.body["decisions"], json!([]));
        let redo = app
            .post("/api/v1/cases", &w.hr, json!({"violations": [{"id": violation}], "reason": "làm lại theo quyết định giải quyết khiếu nại"}))
            .await;
        assert_eq!(redo.status, StatusCode::CREATED, "{:?}", redo.body);
    });
}

/// A case gathers confirmed violations of one person (234/2026 Art. 2(2)); a repeat of the same
/// item while the earlier decision is in effect is escalated once (Art. 2(3), 2(8), 9).
#[tokio::test]
async fn cases_open_only_from_confirmed_violations_of_one_person_and_escalate_nd_234_2026_art_2() {
    each_backend!(|app| {
        let w = world(&app).await;
        let (_, head) = app.officer(&w.root, "ct.ph", "unit_head", &w.ward).await;
        let other_person = app.staff(&w.root, "HY-90", "Đỗ Minh Tuấn", &w.ward).await;
        let first = confirmed(&app, &w, &w.person, "KHONG-1", "2026-01-05", "less_serious").await;
        let theirs = confirmed(
            &app,
            &w,
            &other_person,
            "KHONG-1",
            "2026-01-06",
            "less_serious",
        )
        .await;
        let reported = app
            .post("/api/v1/violations", &w.hr, json!({"person_id": w.person, "code_set_id": w.five_khong, "item_code": "KHONG-3",
                "source": "camera", "started_on": "2026-01-07", "discovered_on": "2026-01-12", "consequence": "less_serious",
                "description": "Sử dụng điện thoại việc riêng trong giờ tiếp dân", "reason": "trích xuất camera"}))
            .await
            .body["id"].as_str().unwrap().to_owned();

        let unconfirmed = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": reported}], "reason": "x"}),
            )
            .await;
        assert_eq!(unconfirmed.status, StatusCode::CONFLICT);
        assert_eq!(unconfirmed.code(), "case.violation_not_confirmed");
        let mixed = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": first}, {"id": theirs}], "reason": "x"}),
            )
            .await;
        assert_eq!(mixed.fields(), ["violations"]);
        let empty = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [], "reason": "x"}),
            )
            .await;
        assert_eq!(empty.fields(), ["violations"]);
        let exception = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": first, "no_limitation": "forever"}], "reason": "x"}),
            )
            .await;
        assert_eq!(exception.fields(), ["violations[0].no_limitation"]);
        let (_, other) = app
            .officer(&w.root, "hr.at", "hr_officer", &w.sibling)
            .await;
        let foreign = app
            .post(
                "/api/v1/cases",
                &other,
                json!({"violations": [{"id": first}], "reason": "x"}),
            )
            .await;
        assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
        let stored = app.get("/api/v1/cases", &w.hr).await;
        assert_eq!(stored.body["items"], json!([]), "refusals store nothing");

        // First case: khiển trách, effective 2 February (via a competent body's conclusion).
        let case = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": first}], "opened_on": "2026-01-20", "reason": "x"}),
            )
            .await;
        let case = case.body["id"].as_str().unwrap().to_owned();
        ok(&step(
            &app,
            &w.hr,
            &case,
            "2026-01-26",
            json!({"kind": "skip_to_decision", "why": "conclusion_proposes_form", "documents": []}),
        )
        .await);
        ok(&app.post(&format!("/api/v1/cases/{case}/decision"), &head,
            json!({"form": "khien_trach", "document_number": "3/QĐ-UBND", "signed_on": "2026-01-30", "effective_on": "2026-02-02", "reason": "theo kết luận thanh tra"})).await);

        // The same item again on 20 February, while the khiển trách is in effect.
        let again = confirmed(&app, &w, &w.person, "KHONG-1", "2026-02-20", "less_serious").await;
        let second = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": again}], "reason": "tái phạm"}),
            )
            .await;
        assert_eq!(second.status, StatusCode::CREATED, "{:?}", second.body);
        assert_eq!(second.body["suggestion"]["form"], "canh_cao");
        let texts: Vec<&str> = second.body["suggestion"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["text"].as_str().unwrap())
            .collect();
        // Issue 19: reasons are words, not codes (Nghị định 234/2026 Điều 2 khoản 3): Vietnamese
        // first, English beside it, the form named as a decision writes it.
        assert!(
            texts
                .iter()
                .any(|t| t.contains("Đang trong thời hạn thi hành quyết định kỷ luật khiển trách")),
            "{texts:?}"
        );
        assert!(
            texts.iter().all(|t| !t.contains("khien_trach")),
            "{texts:?}"
        );
        let english: Vec<&str> = second.body["suggestion"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["text_en"].as_str().unwrap())
            .collect();
        assert!(
            english
                .iter()
                .any(|t| t.contains("a reprimand is still in effect")),
            "{english:?}"
        );

        // The staff record on 10 March: the first decision's effect lasts until the new decision
        // (a new violation happened during it).
        let record = app
            .get(
                &format!("/api/v1/staff/{}/discipline?on=2026-03-10", w.person),
                &w.hr,
            )
            .await;
        assert_eq!(record.body["decisions"][0]["effect_end"], "pending");
        assert_eq!(record.body["in_effect"], json!([case]));
        assert_eq!(record.body["violations"].as_array().unwrap().len(), 3);
    });
}

/// Decree 234/2026 Art. 24(1) / legal brief §3.1: a case opened today runs under 172/2025, or
/// under the rule of the day of the act when a competent person records that it is more
/// favourable (with the reason); Art. 12: a manager's case is decided by the head of the body
/// above; Art. 2(2): several violations → one decision, the single highest form; step 3b may
/// conclude that there was no violation.
#[tokio::test]
async fn regime_transition_manager_competence_and_no_violation_nd_172_2025_art_12() {
    each_backend!(|app| {
        let w = world(&app).await;
        let old = |code: &str, name: &str, kind: &str, parent: Option<&str>| json!({"code": code, "name": name, "kind": kind, "parent_id": parent, "valid_from": "2024-01-01", "reason": "thành lập"});
        let province = app
            .post(
                "/api/v1/units",
                &w.root,
                old("BN", "Tỉnh Bắc Ninh", "province", None),
            )
            .await;
        let province = province.body["id"].as_str().unwrap().to_owned();
        let dept = app
            .post(
                "/api/v1/units",
                &w.root,
                old("BN-SNV", "Sở Nội vụ", "department", Some(&province)),
            )
            .await;
        assert_eq!(dept.status, StatusCode::CREATED, "{:?}", dept.body);
        let dept = dept.body["id"].as_str().unwrap().to_owned();
        let office = app
            .post(
                "/api/v1/units",
                &w.root,
                old(
                    "BN-SNV-VP",
                    "Trung tâm Phục vụ hành chính công",
                    "service_centre",
                    Some(&dept),
                ),
            )
            .await;
        assert_eq!(office.status, StatusCode::CREATED, "{:?}", office.body);
        let office = office.body["id"].as_str().unwrap().to_owned();
        let manager = app
            .post("/api/v1/staff", &w.root, json!({"staff_code": "SNV-1", "full_name": "Vũ Đức Long", "reason": "tiếp nhận",
                "employment": {"unit_id": office, "category": "cong_chuc", "position": "Chánh Văn phòng", "is_leader": true, "valid_from": "2024-01-01"}}))
            .await;
        assert_eq!(manager.status, StatusCode::CREATED, "{:?}", manager.body);
        let manager = manager.body["id"].as_str().unwrap().to_owned();
        let (_, hr) = app.officer(&w.root, "hr.snv", "hr_officer", &dept).await;
        let (_, office_head) = app.officer(&w.root, "ct.vp", "unit_head", &office).await;
        let (_, dept_head) = app.officer(&w.root, "gd.snv", "unit_head", &dept).await;
        let sets = app
            .get(
                &format!("/api/v1/units/{office}/code-sets?on=2025-06-01"),
                &w.root,
            )
            .await;
        let set = sets.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "5khong")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut ids = Vec::new();
        for (item, act, consequence) in [
            ("KHONG-1", "2025-06-01", "less_serious"),
            ("KHONG-2", "2025-06-10", "serious"),
        ] {
            let v = app
                .post("/api/v1/violations", &hr, json!({"person_id": manager, "code_set_id": set, "item_code": item, "source": "inspection",
                    "started_on": act, "ended_on": act, "discovered_on": "2026-01-12", "consequence": consequence,
                    "description": "Sai phạm phát hiện qua thanh tra", "reason": "kết luận thanh tra"}))
                .await;
            assert_eq!(v.status, StatusCode::CREATED, "{:?}", v.body);
            let id = v.body["id"].as_str().unwrap().to_owned();
            for to in ["under_verification", "confirmed"] {
                ok(&app
                    .post(
                        &format!("/api/v1/violations/{id}/transitions"),
                        &hr,
                        json!({"to": to, "reason": "xác minh"}),
                    )
                    .await);
            }
            ids.push(id);
        }

        let current = app
            .post(
                "/api/v1/cases",
                &hr,
                json!({"violations": [{"id": ids[0]}], "opened_on": "2026-01-20", "reason": "x"}),
            )
            .await;
        assert_eq!(current.status, StatusCode::CREATED, "{:?}", current.body);
        assert_eq!(current.body["regime"], "nd172_2025");
        // The manager's case is decided by the head of the department above the office.
        assert_eq!(current.body["competent_unit_id"], dept.as_str());
        assert_eq!(current.body["leader"], true);
        assert_eq!(
            current.body["allowed_forms"],
            json!(["khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec"])
        );
        let case = current.body["id"].as_str().unwrap().to_owned();
        ok(&step(
            &app,
            &hr,
            &case,
            "2026-01-26",
            json!({"kind": "skip_to_decision", "why": "conclusion_proposes_form", "documents": []}),
        )
        .await);
        let by_office = step(
            &app,
            &office_head,
            &case,
            "2026-01-27",
            json!({"kind": "conclude_no_violation", "documents": []}),
        )
        .await;
        assert_eq!(by_office.status, StatusCode::FORBIDDEN);
        let by_hr = step(
            &app,
            &hr,
            &case,
            "2026-01-27",
            json!({"kind": "conclude_no_violation", "documents": []}),
        )
        .await;
        assert_eq!(by_hr.status, StatusCode::FORBIDDEN);
        let cleared = step(
            &app,
            &dept_head,
            &case,
            "2026-01-27",
            json!({"kind": "conclude_no_violation", "documents": []}),
        )
        .await;
        ok(&cleared);
        assert_eq!(cleared.body["stage"], "no_violation");
        assert_eq!(cleared.body["next_step"], Value::Null);

        // The second act, with the old rule recorded as more favourable: 112/2020 as amended.
        let by_hr = app
            .post(
                "/api/v1/cases",
                &hr,
                json!({"violations": [{"id": ids[1]}], "opened_on": "2026-01-20",
                "old_rule_more_favourable": "x", "reason": "x"}),
            )
            .await;
        assert_eq!(by_hr.status, StatusCode::FORBIDDEN);
        let favourable = app
            .post("/api/v1/cases", &dept_head, json!({"violations": [{"id": ids[1]}], "opened_on": "2026-01-20",
                "old_rule_more_favourable": "thời hiệu 5 năm theo quy định cũ có lợi hơn", "reason": "x"}))
            .await;
        assert_eq!(
            favourable.status,
            StatusCode::CREATED,
            "{:?}",
            favourable.body
        );
        assert_eq!(favourable.body["regime"], "nd112_71_2023");
        assert!(
            favourable.body["regime_reason"]
                .as_str()
                .unwrap()
                .contains("có lợi hơn")
        );
        // Giáng chức was a form of 112/2020, but the law abolished it from 1 July 2025: a case
        // decided now under the old decree cannot use it (Law 80/2025; brief §3.2).
        assert_eq!(
            favourable.body["allowed_forms"],
            json!(["khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec"])
        );
        let old_case = favourable.body["id"].as_str().unwrap().to_owned();
        ok(&step(
            &app,
            &hr,
            &old_case,
            "2026-01-26",
            json!({"kind": "skip_to_decision", "why": "conclusion_proposes_form", "documents": []}),
        )
        .await);
        let demoted = app
            .post(&format!("/api/v1/cases/{old_case}/decision"), &dept_head,
                json!({"form": "giang_chuc", "document_number": "9/QĐ-SNV", "signed_on": "2026-01-28", "effective_on": "2026-01-28", "reason": "x"}))
            .await;
        assert_eq!(demoted.code(), "case.form_not_allowed");
        assert!(
            demoted.body["detail"].as_str().unwrap().contains("80/2025"),
            "{:?}",
            demoted.body
        );
        // Old limitation: 60 months for an act heavier than khiển trách (Law 52/2019 Art. 53).
        assert_eq!(
            favourable.body["clocks"]["limitation"][0]["clock"]["last_day"],
            "2030-06-10"
        );
    });
}

/// Two officers record the same step at the same moment: exactly one is kept, the other is told
/// the case has moved on (409), and the log has one step.
#[tokio::test]
async fn concurrent_steps_keep_one_and_refuse_the_other() {
    each_backend!(|app| {
        let w = world(&app).await;
        let violation =
            confirmed(&app, &w, &w.person, "KHONG-1", "2026-01-05", "less_serious").await;
        let (_, hr2) = app.officer(&w.root, "hr2.ph", "hr_officer", &w.ward).await;
        let opened = app
            .post("/api/v1/cases", &w.hr, json!({"violations": [{"id": violation}], "opened_on": "2026-02-02", "reason": "x"}))
            .await;
        let case = opened.body["id"].as_str().unwrap().to_owned();
        let skip =
            json!({"kind": "skip_to_decision", "why": "conclusion_proposes_form", "documents": []});
        let (a, b) = tokio::join!(
            step(&app, &w.hr, &case, "2026-02-03", skip.clone()),
            step(&app, &hr2, &case, "2026-02-03", skip.clone())
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{:?} {:?}", a.body, b.body);
        let loser = if a.status == StatusCode::CONFLICT {
            &a
        } else {
            &b
        };
        assert!(
            ["case.step_out_of_order", "case.step_conflict"].contains(&loser.code()),
            "{:?}",
            loser.body
        );
        let got = app.get(&format!("/api/v1/cases/{case}"), &w.hr).await;
        assert_eq!(got.body["steps"].as_array().unwrap().len(), 1);
    });
}

/// Issue 19: stored history is applied, never re-judged by today's rules. A council of two formed
/// under an earlier rule set (Nghị định 234/2026 Điều 14 wants three today) is written in its
/// stored format, and the review before it is rewritten as a row from before the format had a
/// version, with a field the format has since dropped and no self-criticism (which Điều 15 wants
/// today). The case still reads, shows both steps, and the next step is judged from there.
#[tokio::test]
async fn stored_steps_replay_after_the_rules_change_nd_234_2026_art_14_15() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    each_backend!(|app| {
        let w = world(&app).await;
        let violation =
            confirmed(&app, &w, &w.person, "KHONG-1", "2026-01-05", "less_serious").await;
        let opened = app
            .post(
                "/api/v1/cases",
                &w.hr,
                json!({"violations": [{"id": violation}], "opened_on": "2026-02-02", "reason": "xem xét kỷ luật"}),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
        let case = opened.body["id"].as_str().unwrap().to_owned();
        let minutes = doc_id(&app, &w.hr, &case, "minutes").await;
        ok(&step(&app, &w.hr, &case, "2026-02-05",
            json!({"kind": "hold_review", "self_criticism": true, "absent": null, "documents": [minutes]})).await);

        // The council of two, as an earlier rule set recorded it.
        let m1: uuid::Uuid = app
            .staff(&w.root, "HY-81", "Trần Thị Hoa", &w.ward)
            .await
            .parse()
            .unwrap();
        let m2: uuid::Uuid = app
            .staff(&w.root, "HY-82", "Lê Văn Bình", &w.ward)
            .await
            .parse()
            .unwrap();
        let hr_id: uuid::Uuid = app.get("/api/v1/auth/me", &w.hr).await.body["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let two = congvu_db::case::StepParticulars::FormCouncil {
            members: vec![
                congvu_db::case::CouncilSeat {
                    person_id: m1,
                    role: "chair".into(),
                },
                congvu_db::case::CouncilSeat {
                    person_id: m2,
                    role: "member".into(),
                },
            ],
            documents: vec![],
        };
        let txn = app.state.db.writer().begin().await.unwrap();
        congvu_db::case::append_step(
            &txn,
            case.parse().unwrap(),
            &congvu_db::case::NewStep {
                seq: 2,
                kind: "form_council",
                on: "2026-02-12".parse().unwrap(),
                detail: &two,
                reason: "Hội đồng theo quy định cũ",
                stage_after: "council_formed",
            },
            hr_id.into(),
            tests::test_now(),
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
        // The review as a row from before versioning: no `v`, a dropped field, no self-criticism.
        app.state
            .db
            .writer()
            .execute_unprepared(
                r#"UPDATE case_steps SET detail = '{"kind":"hold_review","self_criticism":false,"absent":null,"quorum_rule":"2019"}' WHERE kind = 'hold_review'"#,
            )
            .await
            .unwrap();

        let read = app.get(&format!("/api/v1/cases/{case}"), &w.hr).await;
        assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
        assert_eq!(read.body["stage"], "council_formed");
        let steps = read.body["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0]["detail"]["self_criticism"], false);
        assert_eq!(steps[0]["detail"]["documents"], json!([]));
        assert_eq!(steps[1]["detail"]["members"].as_array().unwrap().len(), 2);
        // Today's rules judge what comes next: after a council, its meeting, not a recommendation
        // (sent without `documents`, which a step that cites none may leave out).
        let early = step(
            &app,
            &w.hr,
            &case,
            "2026-02-20",
            json!({"kind": "recommend"}),
        )
        .await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{:?}", early.body);
        assert_eq!(early.code(), "case.step_out_of_order");
    });
}
