//! Yearly commitments end to end (brief §9.1, §11.8): a template drafted from the code sets in
//! force and published with its hash; a campaign launched over a three-level tree; staff signing
//! online by hash, on paper with a scan, heads counter-signing with the level above; a revision
//! asking everyone to sign again; joiners added and leavers closed out by their employment; the
//! roll-up, the CSV, the digest to each head delivered to a real SMTP server on loopback; a
//! violation citing the item it breaks; and scope (a sibling's campaign and signatures are 404).

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{Answer, TestApp};

use crate::sink::{Sink, app_with_sink, sink_available};

/// Staff member with an account linked to their record.
struct Person {
    id: String,
    token: String,
}

/// The tree: province P (chairman), department D (head, two staff, an HR officer), office O
/// under D (head without e-mail, one staff), and a sibling department S (head, one staff).
struct World {
    root: String,
    p: String,
    d: String,
    o: String,
    s: String,
    outside: String,
    chairman: Person,
    d_head: Person,
    d1: Person,
    d2: String,
    o_head: Person,
    o1: String,
    s_head: Person,
    s1: String,
    hr_d: String,
}

async fn person(
    app: &TestApp,
    root: &str,
    code: &str,
    name: &str,
    unit: &str,
    leader: bool,
    email: Option<&str>,
) -> String {
    let a = app
        .post(
            "/api/v1/staff",
            root,
            json!({"staff_code": code, "full_name": name, "email": email, "reason": "tiếp nhận",
                   "employment": {"unit_id": unit, "category": "cong_chuc",
                                  "position": if leader { "Thủ trưởng" } else { "Chuyên viên" },
                                  "is_leader": leader, "valid_from": "2025-07-01"}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "staff {code}: {:?}", a.body);
    a.body["id"].as_str().unwrap().to_owned()
}

/// An account linked to `person_id`, holding `role` at `unit`.
async fn account(
    app: &TestApp,
    root: &str,
    username: &str,
    person_id: &str,
    role: &str,
    unit: &str,
) -> Person {
    let a = app
        .post(
            "/api/v1/users",
            root,
            json!({"username": username, "password": tests::PASSWORD, "person_id": person_id, "reason": "tài khoản"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let id = a.body["id"].as_str().unwrap().to_owned();
    let g = app
        .post(
            &format!("/api/v1/users/{id}/grants"),
            root,
            json!({"unit_id": unit, "role": role, "reason": "phân quyền"}),
        )
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{:?}", g.body);
    Person {
        id: person_id.to_owned(),
        token: app.login(username, tests::PASSWORD).await,
    }
}

async fn world(app: &TestApp) -> World {
    let root = app.root().await;
    let p = app
        .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
        .await;
    let d = app
        .unit(&root, "HY-SNV", "Sở Nội vụ", "department", Some(&p))
        .await;
    let o = app
        .unit(
            &root,
            "HY-SNV-TDKT",
            "Ban Thi đua - Khen thưởng",
            "public_service_unit",
            Some(&d),
        )
        .await;
    let s = app
        .unit(&root, "HY-STP", "Sở Tư pháp", "department", Some(&p))
        .await;
    let outside = app
        .unit(&root, "HD", "Tỉnh Hải Dương", "province", None)
        .await;
    let chairman = person(
        app,
        &root,
        "P-1",
        "Trần Quốc Hưng",
        &p,
        true,
        Some("chutich@hungyen.gov.vn"),
    )
    .await;
    let d_head = person(
        app,
        &root,
        "D-1",
        "Lê Thị Hoa",
        &d,
        true,
        Some("giamdoc.snv@hungyen.gov.vn"),
    )
    .await;
    let d1 = person(app, &root, "D-2", "Phạm Văn An", &d, false, None).await;
    let d2 = person(app, &root, "D-3", "Đỗ Thị Bình", &d, false, None).await;
    let o_head = person(app, &root, "O-1", "Vũ Văn Cường", &o, true, None).await;
    let o1 = person(app, &root, "O-2", "Ngô Thị Dung", &o, false, None).await;
    let s_head = person(
        app,
        &root,
        "S-1",
        "Hoàng Văn Em",
        &s,
        true,
        Some("giamdoc.stp@hungyen.gov.vn"),
    )
    .await;
    let s1 = person(app, &root, "S-2", "Bùi Thị Giang", &s, false, None).await;
    let (_, hr_d) = app.officer(&root, "tccb.snv", "hr_officer", &d).await;
    World {
        chairman: account(app, &root, "ct.hy", &chairman, "unit_head", &p).await,
        d_head: account(app, &root, "gd.snv", &d_head, "unit_head", &d).await,
        d1: account(app, &root, "an.snv", &d1, "staff", &d).await,
        o_head: account(app, &root, "tp.tdkt", &o_head, "unit_head", &o).await,
        s_head: account(app, &root, "gd.stp", &s_head, "unit_head", &s).await,
        root,
        p,
        d,
        o,
        s,
        outside,
        d2,
        o1,
        s1,
        hr_d,
    }
}

fn template_body(revises: Option<&str>, extra: bool) -> Value {
    template_of(2026, revises, extra)
}

fn template_of(year: i32, revises: Option<&str>, extra: bool) -> Value {
    let mut items = vec![
        // Restates 5 không item 1; text and basis come from the code set in force.
        json!({"code": "CK-01", "set_key": "5khong", "item_code": "KHONG-1"}),
        json!({"code": "CK-02", "text": "Không uống rượu, bia trong giờ làm việc, giờ nghỉ trưa của ngày làm việc và ngày trực",
               "legal_basis": {"document": "Chỉ thị 26/CT-TTg", "article": "mục 1", "confidence": "V"}}),
        json!({"code": "CK-03", "text": "Chấp hành hình thức kỷ luật nếu vi phạm cam kết"}),
    ];
    if extra {
        items.push(json!({"code": "CK-04", "text": "Không để hồ sơ trễ hẹn; nếu trễ hẹn thì xin lỗi người dân bằng văn bản"}));
    }
    json!({"year": year, "title": format!("Bản cam kết thực hiện kỷ luật, kỷ cương hành chính năm {year}"),
           "items": items, "revises": revises})
}

/// Drafts and publishes a template at P; answers (id, hash).
async fn published(
    app: &TestApp,
    token: &str,
    p: &str,
    revises: Option<&str>,
    extra: bool,
) -> (String, String) {
    let t = app
        .post(
            &format!("/api/v1/units/{p}/commitment-templates"),
            token,
            template_body(revises, extra),
        )
        .await;
    assert_eq!(t.status, StatusCode::CREATED, "{:?}", t.body);
    let id = t.body["id"].as_str().unwrap().to_owned();
    let pub_ = app
        .post(
            &format!("/api/v1/commitment-templates/{id}/publish"),
            token,
            json!({}),
        )
        .await;
    assert_eq!(pub_.status, StatusCode::OK, "{:?}", pub_.body);
    (id, pub_.body["content_hash"].as_str().unwrap().to_owned())
}

async fn launch(app: &TestApp, token: &str, unit: &str, template: &str) -> String {
    launch_for(app, token, unit, template, 2026, "2026-03-31").await
}

async fn launch_for(
    app: &TestApp,
    token: &str,
    unit: &str,
    template: &str,
    year: i32,
    due: &str,
) -> String {
    let c = app
        .post(
            &format!("/api/v1/units/{unit}/commitment-campaigns"),
            token,
            json!({"year": year, "template_id": template, "due_on": due}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{:?}", c.body);
    c.body["id"].as_str().unwrap().to_owned()
}

async fn sign(app: &TestApp, campaign: &str, who: &Person, hash: &str) -> Answer {
    app.post(
        &format!("/api/v1/commitment-campaigns/{campaign}/signatures"),
        &who.token,
        json!({"template_hash": hash}),
    )
    .await
}

/// Each person's standing, by staff code.
async fn standings(app: &TestApp, campaign: &str, token: &str) -> Vec<(String, String)> {
    let a = app
        .get(
            &format!("/api/v1/commitment-campaigns/{campaign}/people?limit=100"),
            token,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let mut out: Vec<(String, String)> = a.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["staff_code"].as_str().unwrap().to_owned(),
                p["standing"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    v.sort();
    v
}

/// Moves the clock to 09:00 in Vietnam on a day of 2026 and signs everyone in again (sessions
/// expire with time).
async fn at(app: &TestApp, w: &mut World, month: u32, day: u32) {
    let instant =
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, month, day, 2, 0, 0).unwrap();
    app.state.clock.set(instant);
    let login = |name: &'static str| app.login(name, tests::PASSWORD);
    w.root = login("root").await;
    w.hr_d = login("tccb.snv").await;
    w.chairman.token = login("ct.hy").await;
    w.d_head.token = login("gd.snv").await;
    w.d1.token = login("an.snv").await;
    w.o_head.token = login("tp.tdkt").await;
    w.s_head.token = login("gd.stp").await;
}

/// The completion row of a unit: (own, total) as JSON.
async fn completion_of(app: &TestApp, campaign: &str, token: &str) -> Value {
    let a = app
        .get(
            &format!("/api/v1/commitment-campaigns/{campaign}/completion"),
            token,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    a.body
}

fn unit_row<'a>(completion: &'a Value, unit: &str) -> &'a Value {
    completion["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit)
        .unwrap_or_else(|| panic!("no row for {unit}: {completion}"))
}

fn counts(v: &Value) -> (u64, u64, u64, u64, u64) {
    (
        v["pending"].as_u64().unwrap(),
        v["overdue"].as_u64().unwrap(),
        v["signed"].as_u64().unwrap(),
        v["counter_signed"].as_u64().unwrap(),
        v["closed_out"].as_u64().unwrap(),
    )
}

async fn paper(
    app: &TestApp,
    campaign: &str,
    person: &str,
    token: &str,
    hash: &str,
    content_type: &str,
) -> Answer {
    paper_on(
        app,
        campaign,
        person,
        token,
        hash,
        content_type,
        "2026-03-10",
    )
    .await
}

async fn paper_on(
    app: &TestApp,
    campaign: &str,
    person: &str,
    token: &str,
    hash: &str,
    content_type: &str,
    day: &str,
) -> Answer {
    let res = app
        .http
        .post(format!(
            "{}/api/v1/commitment-campaigns/{campaign}/people/{person}/paper-signature?signed_on={day}&template_hash={hash}&filename=cam-ket-D-3.pdf",
            app.base
        ))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(b"%PDF-1.4 ban cam ket co chu ky tay".to_vec())
        .send()
        .await
        .unwrap();
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = res.text().await.unwrap_or_default();
    Answer {
        status,
        content_type,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// The whole year of one campaign: template, launch, online and paper signatures, counter-
/// signatures up the tree, a revision, a joiner and a leaver, the roll-up, the CSV, overdue, the
/// digest per head over SMTP, withdrawal, and a violation citing a commitment item.
#[tokio::test]
async fn a_year_of_commitments_over_a_three_level_tree() {
    if !sink_available() {
        return;
    }
    for backend in tests::backends() {
        let sink = Sink::up().await;
        let app = app_with_sink(&backend, &sink).await;
        let mut w = world(&app).await;
        let chair = &w.chairman.token;

        // A restated item names an item of a code set in force; an unknown one is refused with
        // every problem listed.
        let bad = app
            .post(
                &format!("/api/v1/units/{}/commitment-templates", w.p),
                chair,
                json!({"year": 2026, "title": "", "items": [{"code": "X", "set_key": "5khong", "item_code": "KHONG-99"}]}),
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            bad.body
        );
        assert!(
            bad.fields().contains(&"items[0].item_code".to_owned()),
            "{:?}",
            bad.body
        );
        assert!(bad.fields().contains(&"title".to_owned()), "{:?}", bad.body);

        let (v1, h1) = published(&app, chair, &w.p, None, false).await;
        let t = app
            .get(&format!("/api/v1/commitment-templates/{v1}"), chair)
            .await;
        assert_eq!(t.body["state"], "published");
        assert_eq!(t.body["version"], 1);
        assert!(
            t.body["items"][0]["text"].as_str().unwrap().len() > 10,
            "the restated item takes the code item's text: {:?}",
            t.body["items"][0]
        );
        assert!(t.body["items"][0]["legal_basis"]["document"].is_string());
        // Published means immutable.
        let edit = app
            .put(
                &format!("/api/v1/commitment-templates/{v1}"),
                chair,
                template_body(None, true),
            )
            .await;
        assert_eq!(edit.status, StatusCode::CONFLICT);
        assert_eq!(edit.code(), "commitment.template_published");

        // Only the unit's head launches (a unit above one's reach is 404, an HR officer 403);
        // the dates fit the year; one campaign per unit and year.
        let above = app
            .post(
                &format!("/api/v1/units/{}/commitment-campaigns", w.p),
                &w.d_head.token,
                json!({"year": 2026, "template_id": v1, "due_on": "2026-03-31"}),
            )
            .await;
        assert_eq!(above.status, StatusCode::NOT_FOUND, "{:?}", above.body);
        let refused = app
            .post(
                &format!("/api/v1/units/{}/commitment-campaigns", w.d),
                &w.hr_d,
                json!({"year": 2026, "template_id": v1, "due_on": "2026-03-31"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
        let late = app
            .post(
                &format!("/api/v1/units/{}/commitment-campaigns", w.p),
                chair,
                json!({"year": 2026, "template_id": v1, "due_on": "2026-03-01"}),
            )
            .await;
        assert_eq!(late.fields(), ["due_on"], "{:?}", late.body);
        let campaign = launch(&app, chair, &w.p, &v1).await;
        let again = app
            .post(
                &format!("/api/v1/units/{}/commitment-campaigns", w.p),
                chair,
                json!({"year": 2026, "template_id": v1, "due_on": "2026-03-31"}),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(again.code(), "commitment.campaign_exists");
        // A department's own campaign would ask the same people twice.
        let below = app
            .post(
                &format!("/api/v1/units/{}/commitment-campaigns", w.d),
                &w.d_head.token,
                json!({"year": 2026, "template_id": v1, "due_on": "2026-03-31"}),
            )
            .await;
        assert_eq!(
            below.code(),
            "commitment.campaign_overlaps",
            "{:?}",
            below.body
        );

        // Everyone employed in the subtree on the launch day is asked.
        let c = completion_of(&app, &campaign, chair).await;
        assert_eq!(counts(&unit_row(&c, &w.p)["total"]), (8, 0, 0, 0, 0));
        assert_eq!(counts(&unit_row(&c, &w.d)["total"]), (5, 0, 0, 0, 0));
        assert_eq!(counts(&unit_row(&c, &w.o)["own"]), (2, 0, 0, 0, 0));

        // Online signature: the hash read must be the version asked for.
        let stale = sign(&app, &campaign, &w.d1, &"0".repeat(64)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(stale.code(), "commitment.stale_template");
        let signed = sign(&app, &campaign, &w.d1, &h1).await;
        assert_eq!(signed.status, StatusCode::CREATED, "{:?}", signed.body);
        assert_eq!(signed.body["standing"], "signed");
        assert_eq!(signed.body["counterparty_unit_id"], w.d.as_str());
        let twice = sign(&app, &campaign, &w.d1, &h1).await;
        assert_eq!(twice.code(), "commitment.already_signed");

        // Paper signature by the HR officer of the person's unit, with the scan.
        let wrong_type = paper(&app, &campaign, &w.d2, &w.hr_d, &h1, "text/html").await;
        assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let not_hr = paper(
            &app,
            &campaign,
            &w.d2,
            &w.d_head.token,
            &h1,
            "application/pdf",
        )
        .await;
        assert_eq!(not_hr.status, StatusCode::FORBIDDEN);
        // Not dated before the version was published (10 March).
        let early = paper_on(
            &app,
            &campaign,
            &w.d2,
            &w.hr_d,
            &h1,
            "application/pdf",
            "2026-03-09",
        )
        .await;
        assert_eq!(
            early.body["errors"][0]["code"], "before_publication",
            "{:?}",
            early.body
        );
        let on_paper = paper(&app, &campaign, &w.d2, &w.hr_d, &h1, "application/pdf").await;
        assert_eq!(on_paper.status, StatusCode::CREATED, "{:?}", on_paper.body);
        assert_eq!(on_paper.body["paper"], true);
        assert_eq!(on_paper.body["signed_on"], "2026-03-10");
        let event = on_paper.body["events"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(on_paper.body["events"][0]["scan"], true);
        let scan = app
            .http
            .get(format!(
                "{}/api/v1/commitment-campaigns/{campaign}/events/{event}/scan",
                app.base
            ))
            .bearer_auth(&w.d_head.token)
            .send()
            .await
            .unwrap();
        assert_eq!(scan.status(), StatusCode::OK);
        assert_eq!(
            scan.bytes().await.unwrap().as_ref(),
            b"%PDF-1.4 ban cam ket co chu ky tay"
        );

        // Staff counter-signed by their head; the head by the level above; all or none.
        let mixed = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/counter-signatures"),
                &w.d_head.token,
                json!({"person_ids": [w.d1.id, w.o_head.id], "template_hash": h1}),
            )
            .await;
        assert_eq!(
            mixed.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            mixed.body
        );
        assert_eq!(mixed.fields(), ["person_ids[1]"]);
        let by_sibling = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/counter-signatures"),
                &w.s_head.token,
                json!({"person_ids": [w.d1.id], "template_hash": h1}),
            )
            .await;
        assert_eq!(by_sibling.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            by_sibling.body["errors"][0]["code"], "not_member",
            "outside S's units"
        );
        let counter = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/counter-signatures"),
                &w.d_head.token,
                json!({"person_ids": [w.d1.id, w.d2], "template_hash": h1}),
            )
            .await;
        assert_eq!(counter.status, StatusCode::OK, "{:?}", counter.body);
        assert!(
            counter.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["standing"] == "counter_signed")
        );
        // The department head signs with the province chairman (brief §9.1).
        assert_eq!(
            sign(&app, &campaign, &w.d_head, &h1).await.status,
            StatusCode::CREATED
        );
        let self_counter = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/counter-signatures"),
                &w.d_head.token,
                json!({"person_ids": [w.d_head.id], "template_hash": h1}),
            )
            .await;
        assert_eq!(self_counter.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(self_counter.body["errors"][0]["code"], "self_counter_sign");
        let by_chair = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/counter-signatures"),
                chair,
                json!({"person_ids": [w.d_head.id], "template_hash": h1}),
            )
            .await;
        assert_eq!(by_chair.status, StatusCode::OK, "{:?}", by_chair.body);
        assert_eq!(
            sign(&app, &campaign, &w.o_head, &h1).await.status,
            StatusCode::CREATED
        );

        // A violation may cite the commitment item it breaks, for a person who signed it.
        let five_khong = app.code_set(&w.root, &w.d, "5khong", "2026-03-02").await;
        let violation_on = |person: &str, item: &str, on: &str| {
            json!({"person_id": person, "code_set_id": five_khong, "item_code": "KHONG-1", "source": "supervisor",
                   "started_on": on, "discovered_on": on, "consequence": "less_serious",
                   "description": "Uống bia trong giờ nghỉ trưa ngày làm việc", "reason": "báo cáo của trưởng phòng",
                   "commitment": {"campaign_id": campaign, "item_code": item}})
        };
        let violation = |person: &str, item: &str| violation_on(person, item, "2026-03-10");
        // An act before the person signed breaks no commitment of theirs.
        let before = app
            .post(
                "/api/v1/violations",
                &w.hr_d,
                violation_on(&w.d1.id, "CK-02", "2026-03-09"),
            )
            .await;
        assert_eq!(
            before.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            before.body
        );
        assert_eq!(before.body["errors"][0]["code"], "not_signed");
        let cited = app
            .post("/api/v1/violations", &w.hr_d, violation(&w.d1.id, "CK-02"))
            .await;
        assert_eq!(cited.status, StatusCode::CREATED, "{:?}", cited.body);
        assert_eq!(cited.body["commitment"]["item_code"], "CK-02");
        assert_eq!(cited.body["commitment"]["template_id"], v1.as_str());
        let unknown = app
            .post("/api/v1/violations", &w.hr_d, violation(&w.d1.id, "CK-99"))
            .await;
        assert_eq!(unknown.fields(), ["commitment.item_code"]);
        let unsigned = app
            .post("/api/v1/violations", &w.root, violation(&w.o1, "CK-02"))
            .await;
        assert_eq!(
            unsigned.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            unsigned.body
        );
        assert_eq!(unsigned.body["errors"][0]["code"], "not_signed");

        // A revision asks everyone to sign again.
        let (v2, h2) = published(&app, chair, &w.p, Some(&v1), true).await;
        assert_ne!(h1, h2);
        let t2 = app
            .get(&format!("/api/v1/commitment-templates/{v2}"), chair)
            .await;
        assert_eq!(t2.body["version"], 2);
        assert_eq!(t2.body["family_id"], v1.as_str());
        let no_reason = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/revise"),
                chair,
                json!({"template_id": v2}),
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        let revised = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/revise"),
                chair,
                json!({"template_id": v2, "reason": "bổ sung cam kết không để hồ sơ trễ hẹn"}),
            )
            .await;
        assert_eq!(revised.status, StatusCode::OK, "{:?}", revised.body);
        assert_eq!(revised.body["template_hash"], h2.as_str());
        assert_eq!(
            standings(&app, &campaign, chair).await,
            pairs(&[
                ("P-1", "pending"),
                ("D-1", "pending"),
                ("D-2", "pending"),
                ("D-3", "pending"),
                ("O-1", "pending"),
                ("O-2", "pending"),
                ("S-1", "pending"),
                ("S-2", "pending")
            ])
        );
        assert_eq!(
            sign(&app, &campaign, &w.d1, &h1).await.code(),
            "commitment.stale_template"
        );
        assert_eq!(
            sign(&app, &campaign, &w.d1, &h2).await.status,
            StatusCode::CREATED
        );
        let history = app
            .get(
                &format!("/api/v1/commitment-campaigns/{campaign}/people/{}", w.d1.id),
                &w.d1.token,
            )
            .await;
        let kinds: Vec<&str> = history.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["signed", "counter_signed", "signed"]);
        assert_eq!(history.body["events"][2]["template_id"], v2.as_str());

        // A joiner (from 12 March) and a leaver (to another province from 13 March).
        let joiner = person(
            &app,
            &w.root,
            "O-3",
            "Đinh Văn Hải",
            &w.outside,
            false,
            None,
        )
        .await;
        let moved = app
            .post(
                &format!("/api/v1/staff/{joiner}/employments"),
                &w.root,
                json!({"unit_id": w.o, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2026-03-12", "reason": "tiếp nhận"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::CREATED, "{:?}", moved.body);
        let left = app
            .post(
                &format!("/api/v1/staff/{}/employments", w.s1),
                &w.root,
                json!({"unit_id": w.outside, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2026-03-13", "reason": "điều động"}),
            )
            .await;
        assert_eq!(left.status, StatusCode::CREATED, "{:?}", left.body);
        at(&app, &mut w, 3, 16).await;
        let chair = &w.chairman.token;
        let list = app
            .get(
                &format!("/api/v1/commitment-campaigns/{campaign}/people?standing=closed_out"),
                chair,
            )
            .await;
        assert_eq!(
            list.body["items"].as_array().map(Vec::len),
            Some(1),
            "{:?}",
            list.body
        );
        assert_eq!(list.body["items"][0]["person_id"], w.s1.as_str());
        assert_eq!(list.body["items"][0]["left_on"], "2026-03-12");

        // A revision after the act does not undo the signature that stood then: D-3 signed v1 on
        // paper and not v2; an act of 10 March cites v1's item, and v2's new item is not theirs.
        let after_revision = app
            .post(
                "/api/v1/violations",
                &w.hr_d,
                violation_on(&w.d2, "CK-02", "2026-03-10"),
            )
            .await;
        assert_eq!(
            after_revision.status,
            StatusCode::CREATED,
            "{:?}",
            after_revision.body
        );
        assert_eq!(
            after_revision.body["commitment"]["template_id"],
            v1.as_str()
        );
        let not_in_v1 = app
            .post(
                "/api/v1/violations",
                &w.hr_d,
                violation_on(&w.d2, "CK-04", "2026-03-10"),
            )
            .await;
        assert_eq!(not_in_v1.fields(), ["commitment.item_code"]);

        // The roll-up over three levels on 16 March.
        let c = completion_of(&app, &campaign, chair).await;
        // O: head signed (v1 only: pending now), O-2 pending, O-3 pending.
        assert_eq!(counts(&unit_row(&c, &w.o)["total"]), (3, 0, 0, 0, 0));
        // D: D-1 pending (v1), D-2 signed v2, D-3 pending (paper was v1), plus O.
        assert_eq!(counts(&unit_row(&c, &w.d)["own"]), (2, 0, 1, 0, 0));
        assert_eq!(counts(&unit_row(&c, &w.d)["total"]), (5, 0, 1, 0, 0));
        assert_eq!(counts(&unit_row(&c, &w.s)["total"]), (1, 0, 0, 0, 1));
        assert_eq!(counts(&unit_row(&c, &w.p)["total"]), (7, 0, 1, 0, 1));
        // A read focused on D (which loads only the people who worked there) agrees.
        let focused = app
            .get(
                &format!(
                    "/api/v1/commitment-campaigns/{campaign}/completion?unit_id={}",
                    w.d
                ),
                chair,
            )
            .await;
        assert_eq!(focused.body["units"].as_array().unwrap().len(), 2);
        for unit in [&w.d, &w.o] {
            assert_eq!(unit_row(&focused.body, unit), unit_row(&c, unit));
        }
        let d_people = app
            .get(
                &format!(
                    "/api/v1/commitment-campaigns/{campaign}/people?unit_id={}",
                    w.d
                ),
                chair,
            )
            .await;
        assert_eq!(d_people.body["items"].as_array().unwrap().len(), 6);

        // The joiner was asked from the day they joined; the counterparty of O's head is D's head.
        let j = app
            .get(
                &format!("/api/v1/commitment-campaigns/{campaign}/people/{joiner}"),
                chair,
            )
            .await;
        assert_eq!(j.body["member_since"], "2026-03-12");
        let oh = app
            .get(
                &format!(
                    "/api/v1/commitment-campaigns/{campaign}/people/{}",
                    w.o_head.id
                ),
                chair,
            )
            .await;
        assert_eq!(oh.body["counterparty_unit_id"], w.d.as_str());

        // After the due date the outstanding are overdue, except the joiner: 30 days from
        // joining on 12 March, until 11 April.
        at(&app, &mut w, 4, 2).await;
        let chair = &w.chairman.token;
        let c = completion_of(&app, &campaign, chair).await;
        assert_eq!(counts(&unit_row(&c, &w.p)["total"]), (1, 6, 1, 0, 1));
        let j = app
            .get(
                &format!("/api/v1/commitment-campaigns/{campaign}/people/{joiner}"),
                chair,
            )
            .await;
        assert_eq!(j.body["standing"], "pending");

        // CSV of the department's people.
        let csv = app
            .http
            .get(format!(
                "{}/api/v1/commitment-campaigns/{campaign}/people.csv?unit_id={}",
                app.base, w.d
            ))
            .bearer_auth(chair)
            .send()
            .await
            .unwrap();
        assert!(
            csv.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = csv.text().await.unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 6, "{text}");
        assert!(
            lines[0].starts_with("\u{feff}person_id,staff_code,full_name"),
            "UTF-8 BOM first"
        );
        assert!(text.contains("Phạm Văn An,"), "{text}");

        // The digest: one message per head with people outstanding. D's head answers for D-3 and
        // O's head; O's head (no e-mail) for O-2 and O-3; the chairman for the heads of D and S;
        // S's head for nobody (S-2 left). The chairman, the top leader, has no counterparty.
        let digest = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/digest"),
                &w.hr_d,
                json!({}),
            )
            .await;
        assert_eq!(
            digest.status,
            StatusCode::FORBIDDEN,
            "HR of D does not run P's digest"
        );
        let digest = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/digest"),
                chair,
                json!({}),
            )
            .await;
        assert_eq!(digest.status, StatusCode::OK, "{:?}", digest.body);
        let mut heads: Vec<(String, u64, String)> = digest.body["heads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["unit_id"].as_str().unwrap().to_owned(),
                    h["outstanding"].as_u64().unwrap(),
                    h["result"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        heads.sort();
        let mut expected = vec![
            (w.p.clone(), 2, "queued".to_owned()),
            (w.d.clone(), 2, "queued".to_owned()),
            (w.o.clone(), 2, "no_email".to_owned()),
        ];
        expected.sort();
        assert_eq!(heads, expected);
        assert_eq!(digest.body["queued"], 2);
        let again = app
            .post(
                &format!("/api/v1/commitment-campaigns/{campaign}/digest"),
                chair,
                json!({}),
            )
            .await;
        assert_eq!(again.body["queued"], 0);
        // Delivered to a real SMTP server: one message to each head, none to staff.
        assert_eq!(
            congvu_app::mail::drain(&app.state).await.unwrap(),
            congvu_app::mail::Pass {
                sent: 2,
                deferred: 0,
                failed: 0
            }
        );
        let mails = sink.messages();
        assert_eq!(mails.len(), 2, "{mails:?}");
        let to_d = mails
            .iter()
            .filter(|m| m.contains("giamdoc.snv@hungyen.gov.vn"))
            .count();
        let to_p = mails
            .iter()
            .filter(|m| m.contains("chutich@hungyen.gov.vn"))
            .count();
        assert_eq!((to_d, to_p), (1, 1));

        // Withdrawal: a new event with a reason, by the signer or HR of their unit.
        let no_reason = app
            .post(
                &format!(
                    "/api/v1/commitment-campaigns/{campaign}/people/{}/withdrawals",
                    w.d1.id
                ),
                &w.hr_d,
                json!({}),
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        let withdrawn = app
            .post(
                &format!(
                    "/api/v1/commitment-campaigns/{campaign}/people/{}/withdrawals",
                    w.d1.id
                ),
                &w.hr_d,
                json!({"reason": "ký nhầm bản cam kết của người khác"}),
            )
            .await;
        assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
        assert_eq!(withdrawn.body["standing"], "overdue");
        assert_eq!(withdrawn.body["events"].as_array().unwrap().len(), 4);
        let nothing = app
            .post(
                &format!(
                    "/api/v1/commitment-campaigns/{campaign}/people/{}/withdrawals",
                    w.d1.id
                ),
                &w.d1.token,
                json!({"reason": "rút lại"}),
            )
            .await;
        assert_eq!(nothing.code(), "commitment.nothing_to_withdraw");

        // A withdrawal after the act does not undo the signature that stood then: D-2 signed v2
        // on 10 March and withdrew on 2 April; an act of 16 March cites v2's new item.
        let after_withdrawal = app
            .post(
                "/api/v1/violations",
                &w.hr_d,
                violation_on(&w.d1.id, "CK-04", "2026-03-16"),
            )
            .await;
        assert_eq!(
            after_withdrawal.status,
            StatusCode::CREATED,
            "{:?}",
            after_withdrawal.body
        );
        assert_eq!(
            after_withdrawal.body["commitment"]["template_id"],
            v2.as_str()
        );

        // The staff member sees their own commitments: the text and where they stand.
        let mine = app.get("/api/v1/me/commitments", &w.d1.token).await;
        assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
        assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(
            mine.body["items"][0]["template"]["content_hash"],
            h2.as_str()
        );
        assert_eq!(mine.body["items"][0]["signature"]["standing"], "overdue");

        // Every change is in the audit chain.
        let audit = app.get("/api/v1/audit/verify", &w.root).await;
        assert_eq!(audit.status, StatusCode::OK, "{:?}", audit.body);
        assert_eq!(audit.body["intact"], true, "{:?}", audit.body);
        app.finish().await.unwrap();
    }
}

/// A sibling unit's campaign, completion, people, signatures and scans are 404, and so is every
/// write naming them; campaigns of one year do not overlap; within the province's campaign a
/// department head sees and touches only their own part; nobody counter-signs themselves.
#[tokio::test]
async fn commitments_are_scoped_to_the_units_in_reach() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        let mut w = world(&app).await;
        let (v1, h1) = published(&app, &w.chairman.token, &w.p, None, false).await;
        // D and S launch their own 2026 campaigns from the province's template; the province then
        // cannot launch one that would ask the same people again.
        let of_d = launch(&app, &w.d_head.token, &w.d, &v1).await;
        let of_s = launch(&app, &w.s_head.token, &w.s, &v1).await;
        let overlap = app
            .post(
                &format!("/api/v1/units/{}/commitment-campaigns", w.p),
                &w.chairman.token,
                json!({"year": 2026, "template_id": v1, "due_on": "2026-03-31"}),
            )
            .await;
        assert_eq!(overlap.status, StatusCode::CONFLICT, "{:?}", overlap.body);
        assert_eq!(overlap.code(), "commitment.campaign_overlaps");
        assert_eq!(
            sign(&app, &of_d, &w.d1, &h1).await.status,
            StatusCode::CREATED
        );
        let scan = paper(&app, &of_d, &w.d2, &w.hr_d, &h1, "application/pdf").await;
        assert_eq!(scan.status, StatusCode::CREATED, "{:?}", scan.body);
        let event = scan.body["events"][0]["id"].as_str().unwrap().to_owned();

        // A deputy holding a unit-head grant at D signs but may not counter-sign themselves.
        let deputy = person(&app, &w.root, "D-9", "Trịnh Văn Phó", &w.d, false, None).await;
        let deputy = account(&app, &w.root, "pgd.snv", &deputy, "unit_head", &w.d).await;
        assert_eq!(
            sign(&app, &of_d, &deputy, &h1).await.status,
            StatusCode::CREATED
        );
        let own = app
            .post(
                &format!("/api/v1/commitment-campaigns/{of_d}/counter-signatures"),
                &deputy.token,
                json!({"person_ids": [deputy.id], "template_hash": h1}),
            )
            .await;
        assert_eq!(
            own.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            own.body
        );
        assert_eq!(own.body["errors"][0]["code"], "self_counter_sign");

        let s = w.s_head.token.clone();
        for path in [
            format!("/api/v1/commitment-campaigns/{of_d}"),
            format!("/api/v1/commitment-campaigns/{of_d}/completion"),
            format!("/api/v1/commitment-campaigns/{of_d}/people"),
            format!("/api/v1/commitment-campaigns/{of_d}/people.csv"),
            format!("/api/v1/commitment-campaigns/{of_d}/people/{}", w.d1.id),
            format!("/api/v1/commitment-campaigns/{of_d}/events/{event}/scan"),
            format!("/api/v1/commitment-campaigns/{of_s}/events/{event}/scan"),
        ] {
            let a = app.get(&path, &s).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {:?}", a.body);
            assert_eq!(a.content_type, "application/problem+json");
        }
        let listed = app.get("/api/v1/commitment-campaigns", &s).await;
        let ids: Vec<&str> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [of_s.as_str()]);
        for (path, body) in [
            (
                format!(
                    "/api/v1/commitment-campaigns/{of_d}/people/{}/withdrawals",
                    w.d1.id
                ),
                json!({"reason": "thử"}),
            ),
            (
                format!("/api/v1/commitment-campaigns/{of_d}/digest"),
                json!({}),
            ),
            (
                format!("/api/v1/commitment-campaigns/{of_d}/counter-signatures"),
                json!({"person_ids": [w.d1.id], "template_hash": h1}),
            ),
            (
                format!("/api/v1/commitment-campaigns/{of_d}/revise"),
                json!({"template_id": v1, "reason": "thử"}),
            ),
        ] {
            let a = app.post(&path, &s, body).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {:?}", a.body);
        }
        // A person outside a campaign cannot sign it.
        assert_eq!(
            sign(&app, &of_d, &w.s_head, &h1).await.status,
            StatusCode::NOT_FOUND
        );

        // In December the province launches next year's campaign: S's head sees and touches only S.
        at(&app, &mut w, 12, 15).await;
        let s = w.s_head.token.clone();
        let t = app
            .post(
                &format!("/api/v1/units/{}/commitment-templates", w.p),
                &w.chairman.token,
                template_of(2027, None, false),
            )
            .await;
        assert_eq!(t.status, StatusCode::CREATED, "{:?}", t.body);
        let t27 = t.body["id"].as_str().unwrap().to_owned();
        // S's head does not see the province's draft, only published versions above.
        assert_eq!(
            app.get(&format!("/api/v1/commitment-templates/{t27}"), &s)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let h27 = app
            .post(
                &format!("/api/v1/commitment-templates/{t27}/publish"),
                &w.chairman.token,
                json!({}),
            )
            .await
            .body["content_hash"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            app.get(&format!("/api/v1/commitment-templates/{t27}"), &s)
                .await
                .status,
            StatusCode::OK
        );
        let province = launch_for(&app, &w.chairman.token, &w.p, &t27, 2027, "2027-01-31").await;
        assert_eq!(
            standings(&app, &province, &s).await,
            pairs(&[("S-1", "pending"), ("S-2", "pending")])
        );
        let c = completion_of(&app, &province, &s).await;
        let units: Vec<&str> = c["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["unit_id"].as_str().unwrap())
            .collect();
        assert_eq!(units, [w.s.as_str()]);
        for path in [
            format!("/api/v1/commitment-campaigns/{province}/people/{}", w.d1.id),
            format!(
                "/api/v1/commitment-campaigns/{province}/completion?unit_id={}",
                w.d
            ),
            format!(
                "/api/v1/commitment-campaigns/{province}/people?unit_id={}",
                w.d
            ),
        ] {
            assert_eq!(
                app.get(&path, &s).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let withdraw = app
            .post(
                &format!(
                    "/api/v1/commitment-campaigns/{province}/people/{}/withdrawals",
                    w.d1.id
                ),
                &s,
                json!({"reason": "thử"}),
            )
            .await;
        assert_eq!(
            withdraw.status,
            StatusCode::NOT_FOUND,
            "{:?}",
            withdraw.body
        );
        let (_, hr_s) = app.officer(&w.root, "tccb.stp", "hr_officer", &w.s).await;
        let paper_d = paper(&app, &province, &w.d2, &hr_s, &h27, "application/pdf").await;
        assert_eq!(paper_d.status, StatusCode::NOT_FOUND, "{:?}", paper_d.body);
        let counter = app
            .post(
                &format!("/api/v1/commitment-campaigns/{province}/counter-signatures"),
                &s,
                json!({"person_ids": [w.d1.id], "template_hash": h27}),
            )
            .await;
        assert_eq!(
            counter.body["errors"][0]["code"], "not_member",
            "{:?}",
            counter.body
        );

        // A staff member sees only their own standing, and their own commitments.
        let other = app
            .get(
                &format!("/api/v1/commitment-campaigns/{province}/people/{}", w.d2),
                &w.d1.token,
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        let mine = app.get("/api/v1/me/commitments", &w.d1.token).await;
        let campaigns: Vec<&str> = mine.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["campaign"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(campaigns, [province.as_str(), of_d.as_str()]);
        assert!(
            mine.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["signature"]["person_id"] == w.d1.id.as_str())
        );
        app.finish().await.unwrap();
    }
}

/// Two signatures sent at once by the same person: one is recorded, the other refused; the
/// campaign row serialises them (brief §9.1: the record keeps exactly who signed when).
#[tokio::test]
async fn a_double_submitted_signature_is_recorded_once() {
    for backend in tests::backends() {
        let app = TestApp::spawn(&backend).await.unwrap();
        let w = world(&app).await;
        let (v1, h1) = published(&app, &w.chairman.token, &w.p, None, false).await;
        let campaign = launch(&app, &w.chairman.token, &w.p, &v1).await;
        let (a, b) = tokio::join!(
            sign(&app, &campaign, &w.d1, &h1),
            sign(&app, &campaign, &w.d1, &h1)
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "{:?} / {:?}", a.body, b.body);
        let history = app
            .get(
                &format!("/api/v1/commitment-campaigns/{campaign}/people/{}", w.d1.id),
                &w.d1.token,
            )
            .await;
        assert_eq!(history.body["events"].as_array().unwrap().len(), 1);
        app.finish().await.unwrap();
    }
}
