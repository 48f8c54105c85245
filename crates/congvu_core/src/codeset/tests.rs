use chrono::NaiveDate;
use uuid::Uuid;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn content(key: &str, text: &str) -> CodeSetContent {
    CodeSetContent::parse(&ContentInput {
        key,
        title_vi: "5 không của tỉnh",
        document: "Quyết định 01/2026/QĐ-UBND",
        valid_from: Some(d(2026, 1, 1)),
        normative: true,
        items: vec![ItemInput {
            code: "K1",
            group: "5 không",
            text_vi: text,
            document: "QĐ 01/2026",
            default_severity: "less_serious",
            ..Default::default()
        }],
        ..Default::default()
    })
    .unwrap()
}

/// Legal brief §1: the nationwide "Năm không" (Tổng LĐLĐVN 2019) has exactly five items.
#[test]
fn shipped_national_sets_parse_and_5_khong_has_five_items() {
    let sets = national_sets().unwrap();
    assert_eq!(sets.len(), 7);
    let five = sets.iter().find(|s| s.content.key == "5khong").unwrap();
    assert_eq!(five.content.items.len(), 5);
    assert!(
        sets.iter()
            .all(|s| s.status == Status::Published && s.hash_matches())
    );
}

/// Decree 61/2018 Art. 5(1) lists nine prohibited acts, a to i (with đ).
#[test]
fn decree_61_2018_art_5_1_has_nine_acts_a_to_i() {
    let sets = national_sets().unwrap();
    let art5 = sets
        .iter()
        .find(|s| s.content.key == "nd61_2018_art5")
        .unwrap();
    let codes: Vec<_> = art5.content.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "5.1.A", "5.1.B", "5.1.C", "5.1.D", "5.1.DD", "5.1.E", "5.1.G", "5.1.H", "5.1.I"
        ]
    );
    assert!(!art5.content.validity.contains(d(2025, 7, 1)));
}

#[test]
fn published_versions_are_immutable() {
    let mut set = CodeSet::draft(Scope::National, 1, content("local", "Không gây phiền hà"));
    set.publish().unwrap();
    assert!(matches!(
        set.revise(content("local", "khác")),
        Err(DomainError::CodeSetImmutable { .. })
    ));
    assert!(set.publish().is_err());
    set.retire().unwrap();
    assert!(set.retire().is_err());
}

#[test]
fn hash_changes_with_any_item_text() {
    assert_ne!(content("k", "a").hash(), content("k", "b").hash());
    assert_eq!(content("k", "a").hash(), content("k", "a").hash());
}

#[test]
fn nearest_scope_wins_and_national_fills_the_rest() {
    let (province, commune) = (
        UnitId::from_uuid(Uuid::new_v4()),
        UnitId::from_uuid(Uuid::new_v4()),
    );
    let mut sets = national_sets().unwrap();
    let mut local = CodeSet::draft(Scope::Unit(province), 2, content("5khong", "Không trễ hẹn"));
    local.publish().unwrap();
    sets.push(local);
    let ancestry = [commune, province];
    let in_force_now = in_force(&sets, &ancestry, d(2026, 6, 1));
    let five = in_force_now
        .iter()
        .find(|s| s.content.key == "5khong")
        .unwrap();
    assert_eq!(five.scope, Scope::Unit(province));
    assert!(in_force_now.iter().any(|s| s.content.key == "4xin"));
    // Before the provincial version starts, the national one applies; Decree 61/2018 ended 30/6/2025.
    let earlier = in_force(&sets, &ancestry, d(2025, 6, 1));
    assert_eq!(
        earlier
            .iter()
            .find(|s| s.content.key == "5khong")
            .unwrap()
            .scope,
        Scope::National
    );
    assert!(earlier.iter().any(|s| s.content.key == "nd61_2018_art5"));
    // A sibling unit does not see the province's... only units under it do.
    let other = in_force(&sets, &[UnitId::from_uuid(Uuid::new_v4())], d(2026, 6, 1));
    assert_eq!(
        other
            .iter()
            .find(|s| s.content.key == "5khong")
            .unwrap()
            .scope,
        Scope::National
    );
}

#[test]
fn parse_reports_item_fields_with_their_index() {
    let err = CodeSetContent::parse(&ContentInput {
        key: "k",
        title_vi: "t",
        document: "d",
        valid_from: Some(d(2026, 1, 1)),
        items: vec![ItemInput {
            code: "",
            group: "g",
            text_vi: "t",
            document: "d",
            default_severity: "huge",
            ..Default::default()
        }],
        ..Default::default()
    })
    .unwrap_err();
    let DomainError::Invalid(fields) = err else {
        panic!()
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["items[0].code", "items[0].default_severity"]);
}
