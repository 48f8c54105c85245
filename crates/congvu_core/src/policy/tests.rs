use uuid::Uuid;

use super::*;

fn unit() -> UnitId {
    UnitId::from_uuid(Uuid::new_v4())
}

fn actor(grants: Vec<Grant>) -> Actor {
    Actor {
        user: UserId::from_uuid(Uuid::nil()),
        username: "u".into(),
        superadmin: false,
        person: None,
        grants,
    }
}

#[test]
fn a_grant_covers_sub_units_but_not_siblings_or_parents() {
    let (province, a, b) = (unit(), unit(), unit());
    let p_path = unit_path(None, province);
    let a_path = unit_path(Some(&p_path), a);
    let b_path = unit_path(Some(&p_path), b);
    let a_child = unit_path(Some(&a_path), unit());
    let officer = actor(vec![Grant {
        role: Role::HrOfficer,
        unit: a,
        unit_path: a_path.clone(),
    }]);
    assert!(officer.may(Action::ManageStaff, &a_path));
    assert!(officer.may(Action::ManageStaff, &a_child));
    assert!(!officer.may(Action::ManageStaff, &b_path));
    assert!(!officer.may(Action::ViewStaff, &p_path));
    assert_eq!(path_units(&a_child)[..2], [province, a]);
}

#[test]
fn staff_role_sees_units_and_codes_but_not_staff_records() {
    let a = unit();
    let path = unit_path(None, a);
    let staff = actor(vec![Grant {
        role: Role::Staff,
        unit: a,
        unit_path: path.clone(),
    }]);
    assert!(staff.may(Action::ViewUnit, &path));
    assert!(staff.may(Action::ViewCodeSet, &path));
    assert!(!staff.may(Action::ViewStaff, &path));
    assert!(!staff.may(Action::PublishCodeSet, &path));
    assert_eq!(staff.reach(Action::ManageGrants), Reach::Subtrees(vec![]));
}

#[test]
fn superadmin_reaches_everything() {
    let mut root = actor(vec![]);
    root.superadmin = true;
    assert_eq!(root.reach(Action::ManageGrants), Reach::All);
    assert!(root.may(Action::PublishCodeSet, "/anything/"));
}

#[test]
fn role_codes_round_trip() {
    for role in Role::ALL {
        assert_eq!(Role::parse(role.code()), Some(role));
    }
}
