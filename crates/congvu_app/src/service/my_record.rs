//! A staff member's own record, whole, to read and to take away (issue 20 §8: a data subject's
//! access to their personal data, Decree 13/2023 Art. 9 / Law 91/2025; docs/LEGAL.md): employment,
//! violations, discipline decisions, evaluations and commitments. As data (the API answers JSON)
//! and as a PDF laid out like the letters. Only for an account linked to a staff record; every
//! export is audited.

use chrono::NaiveDate;
use congvu_core::letter::compose::Document;
use congvu_core::policy::Actor;
use congvu_core::staff::Category;
use congvu_db::staff::PersonRecord;

use crate::error::{Error, Result};
use crate::service::cases::StaffRecord;
use crate::service::evaluations::YearView;
use crate::service::signatures::MyCommitment;
use crate::state::AppState;

/// Everything congvu holds about the signed-in staff member.
#[derive(Debug, Clone)]
pub struct MyRecord {
    pub on: NaiveDate,
    pub person: PersonRecord,
    pub discipline: StaffRecord,
    pub evaluations: Vec<YearView>,
    pub commitments: Vec<MyCommitment>,
}

/// The caller's own record; 404 for an account without a staff record.
pub async fn export(state: &AppState, actor: &Actor) -> Result<MyRecord> {
    let person = actor.person.ok_or(Error::NotFound)?;
    let on = super::cases::today(state);
    let record = super::staff::get(state, actor, person).await?;
    let discipline = super::cases::staff_record(state, actor, person, on).await?;
    let mut evaluations = Vec::new();
    for year in congvu_db::evaluation::years_of(state.db.reader(), person).await? {
        evaluations.push(super::evaluations::year(state, actor, person, year).await?);
    }
    let commitments = super::signatures::mine_all(state, actor).await?;
    let txn = state.db.begin().await?;
    super::record(
        &txn,
        &actor.username,
        "staff.record_export",
        ("person", person.to_string()),
        "the staff member's own request",
        &serde_json::json!({}),
        state.clock.now(),
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(MyRecord {
        on,
        person: record,
        discipline,
        evaluations,
        commitments,
    })
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A category as people say it.
const fn category_vi(c: Category) -> &'static str {
    match c {
        Category::CanBo => "cán bộ",
        Category::CongChuc => "công chức",
        Category::VienChuc => "viên chức",
        Category::NguoiLaoDong => "người lao động",
    }
}

/// The record as a document to print or keep (Vietnamese, dates as 07/12/2026).
pub fn document(r: &MyRecord) -> Document {
    let mut lines = vec![
        format!(
            "Họ và tên: {}. Mã cán bộ: {}.",
            r.person.full_name, r.person.staff_code
        ),
        "I. QUÁ TRÌNH CÔNG TÁC".into(),
    ];
    for e in &r.person.employments {
        let until = e.validity.to().map_or_else(|| "nay".into(), day);
        lines.push(format!(
            "Từ {} đến {}: {} ({}).",
            day(e.validity.from()),
            until,
            e.position,
            category_vi(e.category)
        ));
    }
    lines.push("II. VI PHẠM ĐÃ GHI NHẬN".into());
    if r.discipline.violations.is_empty() {
        lines.push("Không có.".into());
    }
    for v in &r.discipline.violations {
        lines.push(format!(
            "Ngày {}: {} (điều khoản {}).",
            day(v.started_on),
            v.description,
            v.item_code
        ));
    }
    lines.push("III. QUYẾT ĐỊNH KỶ LUẬT".into());
    if r.discipline.decisions.is_empty() {
        lines.push("Không có.".into());
    }
    for d in &r.discipline.decisions {
        lines.push(format!(
            "Quyết định số {} ký ngày {}: {}, có hiệu lực từ ngày {}{}.",
            d.decision.number,
            day(d.decision.signed_on),
            d.decision.form.label_vi(),
            day(d.decision.effective_on),
            if d.in_effect {
                ", đang có hiệu lực"
            } else {
                ""
            }
        ));
    }
    lines.push("IV. ĐÁNH GIÁ, XẾP LOẠI".into());
    if r.evaluations.is_empty() {
        lines.push("Chưa có.".into());
    }
    for y in &r.evaluations {
        let annual = y.annual.map_or_else(
            || "chưa đủ kỳ đánh giá".into(),
            |s| format!("{} điểm", s.total().display()),
        );
        lines.push(format!(
            "Năm {}: {} kỳ đánh giá; cả năm {}.",
            y.year,
            y.evaluations.len(),
            annual
        ));
    }
    lines.push("V. CAM KẾT".into());
    if r.commitments.is_empty() {
        lines.push("Chưa có.".into());
    }
    for c in &r.commitments {
        lines.push(format!("Cam kết năm {}.", c.campaign.year));
    }
    Document {
        draft: false,
        parent: None,
        body: "HỒ SƠ CÁ NHÂN".into(),
        number: String::new(),
        place_date: format!("Trích xuất ngày {}", day(r.on)),
        title: Some("TRÍCH XUẤT HỒ SƠ CÁ NHÂN".into()),
        summary: Some(r.person.full_name.clone()),
        addressee: Vec::new(),
        paragraphs: lines,
        recipients: Vec::new(),
        signature: None,
    }
}

/// The record as a PDF.
pub fn pdf(r: &MyRecord) -> Result<Vec<u8>> {
    congvu_letters::pdf::render(&document(r), &r.person.id.to_string())
        .map_err(|e| Error::Internal(e.to_string()))
}
