//! congvu_db's scoped reads on their own (issue 19): the reads of units, staff, violations, cases
//! and accounts that take a `Reach` are called directly, under the reach of the unit that holds
//! the rows and under a sibling's (code sets, commitments, letters and the `*_for_update` reads
//! are not covered yet). The
//! sibling sees none of it (404 at the API comes from here, not only from the use cases), an empty
//! reach sees nothing, and the owner's reach finds every row, so each check can fail.

use congvu_core::ids::{PersonId, UnitId};
use congvu_core::policy::Reach;
use congvu_db::{DbError, Page};
use reqwest::StatusCode;
use serde_json::json;

use crate::cases::{confirmed, world};
use crate::each_backend;

#[tokio::test]
async fn a_siblings_reach_finds_nothing_of_a_units_rows() {
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
        let case: uuid::Uuid = opened.body["id"].as_str().unwrap().parse().unwrap();
        let violation: uuid::Uuid = violation.parse().unwrap();
        let person = PersonId::from_uuid(w.person.parse().unwrap());
        let ward = UnitId::from_uuid(w.ward.parse().unwrap());
        let db = app.state.db.reader();
        let path = |id: &str| {
            let id = UnitId::from_uuid(id.parse().unwrap());
            async move {
                congvu_db::unit::find(db, &Reach::All, id)
                    .await
                    .unwrap()
                    .path
            }
        };
        let own = Reach::Subtrees(vec![path(&w.ward).await]);
        let sibling = Reach::Subtrees(vec![path(&w.sibling).await]);
        let nothing = Reach::Subtrees(vec![]);
        let page = Page {
            limit: 100,
            offset: 0,
        };
        let staff_filter = congvu_db::staff::StaffFilter {
            query: None,
            unit_path: None,
            category: None,
            on: "2026-02-02".parse().unwrap(),
        };

        for (reach, seen) in [(&own, true), (&sibling, false), (&nothing, false)] {
            let found = |r: Result<(), DbError>| match r {
                Ok(()) => true,
                Err(DbError::NotFound) => false,
                Err(e) => panic!("{e:?}"),
            };
            let unit = congvu_db::unit::find(db, reach, ward).await.map(|_| ());
            assert_eq!(found(unit), seen, "unit::find {reach:?}");
            let by_code = congvu_db::unit::find_by_code(db, reach, "HY-PH")
                .await
                .map(|_| ());
            assert_eq!(found(by_code), seen, "unit::find_by_code {reach:?}");
            let units = congvu_db::unit::list(db, reach, &Default::default(), page)
                .await
                .unwrap();
            assert_eq!(
                units.iter().any(|u| u.id == ward),
                seen,
                "unit::list {reach:?}"
            );
            let staff = congvu_db::staff::find(db, reach, None, person)
                .await
                .map(|_| ());
            assert_eq!(found(staff), seen, "staff::find {reach:?}");
            let people = congvu_db::staff::list(db, reach, None, &staff_filter, page)
                .await
                .unwrap();
            assert_eq!(
                people.iter().any(|p| p.id == person),
                seen,
                "staff::list {reach:?}"
            );
            let v = congvu_db::violation::find(db, reach, violation)
                .await
                .map(|_| ());
            assert_eq!(found(v), seen, "violation::find {reach:?}");
            let vs = congvu_db::violation::list(db, reach, &Default::default(), page)
                .await
                .unwrap();
            assert_eq!(
                vs.iter().any(|v| v.id == violation),
                seen,
                "violation::list {reach:?}"
            );
            let c = congvu_db::case::find(db, reach, case).await.map(|_| ());
            assert_eq!(found(c), seen, "case::find {reach:?}");
            let cs = congvu_db::case::list(db, reach, &Default::default(), page)
                .await
                .unwrap();
            assert_eq!(
                cs.iter().any(|c| c.id == case),
                seen,
                "case::list {reach:?}"
            );
            let users = congvu_db::account::list_users(db, reach, page)
                .await
                .unwrap();
            assert_eq!(
                users.iter().any(|u| u.username == "hr.ph"),
                seen,
                "account::list_users {reach:?}"
            );
        }
    });
}
