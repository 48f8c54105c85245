use chrono::NaiveDate;

use super::compose::{self, Issue};
use super::rules::{IssueFacts, LetterRules, check_issue, notice_due};
use super::*;
use crate::calendar::WorkCalendar;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn rules() -> LetterRules {
    LetterRules::national().unwrap_or_else(|e| panic!("{e}"))
}

fn calendar() -> WorkCalendar {
    WorkCalendar::national().unwrap_or_else(|e| panic!("{e}"))
}

fn dossier(received: NaiveDate, due: NaiveDate) -> Dossier {
    Dossier {
        code: "000.00.31.H26-250303-0007".into(),
        procedure: "Cấp bản sao trích lục hộ tịch".into(),
        received_on: received,
        due_on: due,
    }
}

fn facts<'a>(
    form: &'a rules::Form,
    on: NaiveDate,
    dossier: &'a Dossier,
    earlier: u32,
) -> IssueFacts<'a> {
    IssueFacts {
        form,
        issued_on: on,
        dossier: Some(dossier),
        earlier_reappointments: earlier,
        authority: Authority::Own,
    }
}

#[test]
fn circular_03_2025_form_replaces_mau_04_of_2018_on_15_september_2025() {
    let rules = rules();
    let before = rules.form(Cause::Overdue, d(2025, 9, 14));
    let after = rules.form(Cause::Overdue, d(2025, 9, 15));
    assert_eq!(before.map(|f| f.key.as_str()), Some("tt01-2018-mau04"));
    assert_eq!(
        before.and_then(|f| f.title.as_deref()),
        Some("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    );
    assert_eq!(after.map(|f| f.key.as_str()), Some("tt03-2025-mau04"));
    assert_eq!(
        after.and_then(|f| f.title.as_deref()),
        Some("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
    );
}

#[test]
fn every_cause_has_a_form_on_every_day_the_calendar_covers() {
    let rules = rules();
    let mut day = d(2024, 1, 1);
    while day <= d(2027, 12, 31) {
        for cause in Cause::ALL {
            assert!(
                rules.form(cause, day).is_some(),
                "{} on {day}",
                cause.code()
            );
        }
        day = day.succ_opt().unwrap_or(day);
    }
}

#[test]
fn decree_61_2018_art_19_9_letter_due_one_working_day_before_the_return_date() {
    let rules = rules();
    let cal = calendar();
    let form = rules
        .form(Cause::Overdue, d(2025, 3, 1))
        .unwrap_or_else(|| panic!());
    // Due Wednesday 12 March 2025: the letter is due by Tuesday 11 March.
    let ds = dossier(d(2025, 3, 3), d(2025, 3, 12));
    assert_eq!(
        notice_due(form, &ds, &cal).ok().flatten(),
        Some(d(2025, 3, 11))
    );
    assert_eq!(
        check_issue(&facts(form, d(2025, 3, 11), &ds, 0), &cal),
        Ok(vec![])
    );
    let late = check_issue(&facts(form, d(2025, 3, 12), &ds, 0), &cal);
    match late {
        Err(DomainError::LetterRule { code, detail }) => {
            assert_eq!(code, "letter.late");
            assert!(detail.contains("Điều 19 khoản 9"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn decree_61_2018_art_19_9_one_working_day_before_a_monday_is_the_friday() {
    let rules = rules();
    let cal = calendar();
    let form = rules
        .form(Cause::Overdue, d(2025, 3, 1))
        .unwrap_or_else(|| panic!());
    // Due Monday 17 March 2025: the working day before is Friday 14 March; Saturday is late.
    let ds = dossier(d(2025, 3, 10), d(2025, 3, 17));
    assert_eq!(
        notice_due(form, &ds, &cal).ok().flatten(),
        Some(d(2025, 3, 14))
    );
    assert!(check_issue(&facts(form, d(2025, 3, 15), &ds, 0), &cal).is_err());
}

#[test]
fn decree_61_2018_art_19_9_one_working_day_before_skips_the_national_day_holiday() {
    let rules = rules();
    let cal = calendar();
    let form = rules
        .form(Cause::Overdue, d(2024, 9, 1))
        .unwrap_or_else(|| panic!());
    // Due Wednesday 4 September 2024; 2 and 3 September 2024 are holidays (National Day), so the
    // letter is due by Friday 30 August.
    let ds = dossier(d(2024, 8, 26), d(2024, 9, 4));
    assert_eq!(
        notice_due(form, &ds, &cal).ok().flatten(),
        Some(d(2024, 8, 30))
    );
}

#[test]
fn decree_61_2018_art_19_9_the_return_date_is_re_set_only_once() {
    let rules = rules();
    let cal = calendar();
    let form = rules
        .form(Cause::Overdue, d(2025, 3, 1))
        .unwrap_or_else(|| panic!());
    let ds = dossier(d(2025, 3, 3), d(2025, 3, 12));
    match check_issue(&facts(form, d(2025, 3, 10), &ds, 1), &cal) {
        Err(DomainError::LetterRule { code, .. }) => {
            assert_eq!(code, "letter.second_reappointment");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn circular_03_2025_unverified_timing_and_once_rules_warn_instead_of_refusing() {
    let rules = rules();
    let cal = calendar();
    let form = rules
        .form(Cause::Overdue, d(2025, 10, 1))
        .unwrap_or_else(|| panic!());
    // Due Thursday 2 October 2025, issued on the day itself and after an earlier re-set.
    let ds = dossier(d(2025, 9, 25), d(2025, 10, 2));
    let warnings =
        check_issue(&facts(form, d(2025, 10, 2), &ds, 1), &cal).unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<_> = warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["letter.late", "letter.second_reappointment"]);
    assert!(warnings.iter().all(|w| w.basis.contains("118/2025")));
}

#[test]
fn decree_61_2018_art_37_2_d_conduct_apology_is_signed_by_the_head_not_a_deputy() {
    let rules = rules();
    let cal = calendar();
    let old = rules
        .form(Cause::StaffConduct, d(2025, 6, 30))
        .unwrap_or_else(|| panic!());
    let kt = IssueFacts {
        form: old,
        issued_on: d(2025, 6, 30),
        dossier: None,
        earlier_reappointments: 0,
        authority: Authority::Kt,
    };
    assert!(matches!(
        check_issue(&kt, &cal),
        Err(DomainError::LetterRule {
            code: "letter.deputy_signature",
            ..
        })
    ));
    let tm = IssueFacts {
        authority: Authority::Tm,
        ..kt
    };
    assert_eq!(check_issue(&tm, &cal), Ok(vec![]));
    // Under Decree 118/2025 the equivalent is unverified: a warning.
    let new = rules
        .form(Cause::StaffConduct, d(2025, 7, 1))
        .unwrap_or_else(|| panic!());
    let kt_new = IssueFacts {
        form: new,
        issued_on: d(2025, 7, 1),
        ..kt
    };
    assert_eq!(check_issue(&kt_new, &cal).map(|w| w.len()), Ok(1));
}

#[test]
fn decree_30_2020_number_has_a_leading_zero_below_ten() {
    let n = DocNumber {
        seq: 5,
        symbol: "PXL".into(),
        body: "STP".into(),
    };
    assert_eq!(n.render(), "05/PXL-STP");
    let n = DocNumber { seq: 123, ..n };
    assert_eq!(n.render(), "123/PXL-STP");
}

#[test]
fn decree_30_2020_date_line_pads_days_and_the_first_two_months() {
    assert_eq!(
        compose::date_line("Hà Nội", d(2020, 3, 5)),
        "Hà Nội, ngày 05 tháng 3 năm 2020"
    );
    assert_eq!(
        compose::date_line("Huế", d(2026, 2, 14)),
        "Huế, ngày 14 tháng 02 năm 2026"
    );
    assert_eq!(
        compose::date_line("Huế", d(2026, 12, 31)),
        "Huế, ngày 31 tháng 12 năm 2026"
    );
}

#[test]
fn workflow_steps_follow_the_issue_order() {
    use State as S;
    assert_eq!(Step::Submit.apply(S::Draft), Some(S::Submitted));
    assert_eq!(Step::Issue.apply(S::Draft), None);
    assert_eq!(Step::Issue.apply(S::Submitted), Some(S::Issued));
    assert_eq!(Step::Deliver.apply(S::Issued), Some(S::Delivered));
    assert_eq!(Step::Revoke.apply(S::Revoked), None);
    assert_eq!(Step::Return.apply(S::Issued), None);
    for s in State::ALL {
        assert_eq!(s.editable(), s == S::Draft);
    }
}

fn sample_content(channel: Channel) -> Content {
    Content {
        applicant: Applicant {
            salutation: Salutation::Ms,
            name: "Trần Thị Ngọc Ánh".into(),
            address: Some("12 Lê Lợi, phường Hiến Nam".into()),
            email: Some("anh@example.vn".into()),
        },
        dossier: Some(dossier(d(2025, 3, 3), d(2025, 3, 12))),
        details: Details::Overdue {
            reason: "cần xác minh thông tin tại Ủy ban nhân dân xã Tân Hưng".into(),
            new_due_on: d(2025, 3, 19),
        },
        apology: None,
        recipients: vec!["Trung tâm Phục vụ hành chính công tỉnh".into()],
        channel,
    }
}

#[test]
fn content_check_lists_every_problem() {
    let mut c = sample_content(Channel::Email);
    c.applicant.email = None;
    c.details = Details::Overdue {
        reason: "x".into(),
        new_due_on: d(2025, 3, 1),
    };
    match c.check() {
        Err(DomainError::Invalid(errors)) => {
            let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["new_due_on", "applicant.email"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sample_content(Channel::Paper).check(), Ok(()));
}

#[test]
fn composed_letter_has_the_nine_components_of_decree_30_2020_art_8() {
    let rules = rules();
    let form = rules
        .form(Cause::Overdue, d(2025, 3, 10))
        .unwrap_or_else(|| panic!());
    let head = Letterhead::new(
        Some("Ủy ban nhân dân tỉnh Hưng Yên"),
        "Sở Tư pháp",
        "STP",
        "Hưng Yên",
        "HCTP",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let sig = Signature::new(
        Authority::Kt,
        Some("Giám đốc"),
        "Phó Giám đốc",
        "Lê Văn Bình",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let number = DocNumber {
        seq: 7,
        symbol: form.symbol.clone(),
        body: head.symbol.clone(),
    };
    let doc = compose::compose(
        &head,
        form,
        &sample_content(Channel::Email),
        Some(Issue {
            number: &number,
            on: d(2025, 3, 10),
            signature: &sig,
        }),
    );
    assert_eq!(doc.parent.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN"));
    assert_eq!(doc.body, "SỞ TƯ PHÁP");
    assert_eq!(doc.number, "Số: 07/PXL-STP");
    assert_eq!(doc.place_date, "Hưng Yên, ngày 10 tháng 3 năm 2025");
    assert_eq!(doc.addressee[0], "Kính gửi: Bà Trần Thị Ngọc Ánh");
    assert!(doc.paragraphs[0].contains("000.00.31.H26-250303-0007"));
    assert!(doc.paragraphs[2].contains("19/3/2025"));
    assert!(doc.paragraphs.last().is_some_and(|p| p.ends_with("./.")));
    assert_eq!(
        doc.recipients.last().map(String::as_str),
        Some("- Lưu: VT, HCTP.")
    );
    let sig = doc.signature.unwrap_or_else(|| panic!());
    assert_eq!(sig.lines, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]);
    assert_eq!(sig.name, "Lê Văn Bình");
}

#[test]
fn a_draft_has_no_number_date_or_signature() {
    let rules = rules();
    let form = rules
        .form(Cause::Overdue, d(2025, 3, 10))
        .unwrap_or_else(|| panic!());
    let head = Letterhead::new(
        None,
        "Ủy ban nhân dân xã Tân Hưng",
        "UBND",
        "Tân Hưng",
        "VP",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let doc = compose::compose(&head, form, &sample_content(Channel::Paper), None);
    assert!(doc.draft);
    assert_eq!(doc.number, "Số:      /PXL-UBND");
    assert!(doc.signature.is_none());
    assert!(doc.plain_text().starts_with(compose::DRAFT_MARK));
}

#[test]
fn signatures_name_whom_tm_and_kt_sign_for() {
    assert!(Signature::new(Authority::Kt, None, "Phó Chủ tịch", "A").is_err());
    assert!(Signature::new(Authority::Own, Some("Chủ tịch"), "Chủ tịch", "A").is_err());
    let tm = Signature::new(Authority::Tm, Some("Ủy ban nhân dân"), "Chủ tịch", "A");
    assert_eq!(
        tm.map(|s| (s.on_behalf_of, s.title)),
        Ok((Some("ỦY BAN NHÂN DÂN".into()), "CHỦ TỊCH".into()))
    );
}

#[test]
fn letterhead_symbols_are_letters_and_digits() {
    assert!(Letterhead::new(None, "Sở Tư pháp", "STP", "Huế", "VP").is_ok());
    assert!(Letterhead::new(None, "Sở Tư pháp", "ĐKĐĐ-CN1", "Huế", "VP").is_ok());
    assert!(Letterhead::new(None, "Sở Tư pháp", "S/TP", "Huế", "VP").is_err());
    assert!(
        Letterhead::new(None, "", "-", "", "").is_err_and(|e| match e {
            DomainError::Invalid(f) => f.len() == 4,
            _ => false,
        })
    );
}

/// Brief §6.4: a conduct letter states the measures taken, never the official's discipline; the
/// words are data and match without accents or case.
#[test]
fn discipline_terms_are_recognised_without_accents() {
    let rules = rules();
    assert!(rules.names_discipline("Đã KỶ LUẬT cán bộ"));
    assert!(rules.names_discipline("da khien trach can bo"));
    assert!(rules.names_discipline("Buộc thôi việc"));
    assert!(!rules.names_discipline("đã tổ chức kiểm điểm và chấn chỉnh"));
}

/// Circular 03/2025 Mẫu 04 asks the applicant to agree to an extension; Circular 01/2018 Mẫu 04
/// announced the new return date.
#[test]
fn the_2025_form_asks_for_an_extension_and_the_2018_form_announces_a_date() {
    let rules = rules();
    let old = rules.by_key("tt01-2018-mau04").unwrap_or_else(|| panic!());
    let new = rules.by_key("tt03-2025-mau04").unwrap_or_else(|| panic!());
    assert!(!old.asks_extension && new.asks_extension);
}
