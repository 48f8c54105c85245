//! `congvu import staff`: good rows imported, bad rows reported by line, a second run changes nothing.

use reqwest::StatusCode;

use crate::each_backend;

const FILE: &str = "\u{feff}staff_code,full_name,date_of_birth,email,unit_code,category,position,is_leader,valid_from\n\
HY-0001,Nguyễn Thị Lan,05/09/1990,lan@hungyen.gov.vn,HY-TL,cong_chuc,Chuyên viên,không,2025-07-01\n\
HY-0002,Trần Văn Đức,1985-02-11,,HY-TL,cong_chuc,Trưởng phòng,có,2025-07-01\n\
HY-0003,,1990-01-01,,HY-TL,cong_chuc,Chuyên viên,,2025-07-01\n\
HY-0004,Lê Văn Tám,31-12-1980,,HY-XX,giam_doc,Chuyên viên,,2025-07-01\n\
HY-0005,\"Phạm, Thị Hằng\",,,HY-TL,vien_chuc,Giáo viên,,2025-07-01\n\
HY-0001,Nguyễn Thị Lan,05/09/1990,,HY-TL,cong_chuc,Chuyên viên,,2025-07-01\n";

#[tokio::test]
async fn mixed_file_imports_good_rows_reports_bad_lines_and_rerun_changes_nothing() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        app.unit(&root, "HY-TL", "Phường Tiên Lữ", "ward", Some(&province))
            .await;
        let path = app.data_dir().join("staff.csv");
        let mut bytes = FILE.as_bytes().to_vec();
        bytes.extend_from_slice(
            b"HY-0009,Nguy\xea\xde\xf1 V\xe3n,,,HY-TL,cong_chuc,Chuy\xean vi\xean,,2025-07-01\n",
        );
        std::fs::write(&path, bytes).unwrap();
        let file = path.display().to_string();

        let (code, out) = app.cli(&["import", "staff", &file], "").await;
        assert_eq!(code, 2, "{out}");
        assert!(
            out.starts_with("7 rows: 3 created, 0 updated, 0 unchanged, 4 rejected"),
            "{out}"
        );
        assert!(
            out.contains("line 4 (HY-0003): full_name: must not be empty"),
            "{out}"
        );
        assert!(
            out.contains("line 5 (HY-0004): date_of_birth: must be a date"),
            "{out}"
        );
        assert!(out.contains("category: must be one of"), "{out}");
        assert!(
            out.contains(
                "line 7 (HY-0001): staff_code: this staff code appears earlier in the file"
            ),
            "{out}"
        );

        let listed = app.get("/api/v1/staff?limit=100", &root).await;
        let names: Vec<&str> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Nguyễn Thị Lan", "Phạm, Thị Hằng", "Trần Văn Đức"]);
        let duc = listed.body["items"][2].clone();
        assert_eq!(duc["current"]["is_leader"], true);
        assert_eq!(duc["date_of_birth"], "1985-02-11");
        let events_before = app.get("/api/v1/audit/verify", &root).await.body["events"]
            .as_i64()
            .unwrap();

        let (code, out) = app.cli(&["import", "staff", &file], "").await;
        assert_eq!(code, 2, "{out}");
        assert!(
            out.starts_with("7 rows: 0 created, 0 updated, 3 unchanged, 4 rejected"),
            "{out}"
        );
        let after = app.get("/api/v1/audit/verify", &root).await;
        assert_eq!(
            after.body["events"].as_i64().unwrap(),
            events_before,
            "a re-run writes nothing"
        );
        assert_eq!(after.body["intact"], true);

        // A corrected file updates the changed row only, starting a new slice for the promotion.
        let corrected = FILE.replace("HY-0001,Nguyễn Thị Lan,05/09/1990,lan@hungyen.gov.vn,HY-TL,cong_chuc,Chuyên viên,không,2025-07-01",
            "HY-0001,Nguyễn Thị Lan,05/09/1990,lan@hungyen.gov.vn,HY-TL,cong_chuc,Phó Trưởng phòng,có,2026-03-01");
        std::fs::write(
            &path,
            [
                corrected.as_bytes(),
                b"HY-0009,Nguy\xea\xde\xf1 V\xe3n,,,HY-TL,cong_chuc,x,,2025-07-01\n",
            ]
            .concat(),
        )
        .unwrap();
        let (_, out) = app.cli(&["import", "staff", &file], "").await;
        assert!(
            out.starts_with("7 rows: 0 created, 1 updated, 2 unchanged, 4 rejected"),
            "{out}"
        );
        let lan = app.get("/api/v1/staff?q=lan", &root).await;
        assert_eq!(lan.status, StatusCode::OK);
        assert_eq!(
            lan.body["items"][0]["employments"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    });
}

#[tokio::test]
async fn a_file_without_required_columns_is_refused_whole() {
    each_backend!(|app| {
        let path = app.data_dir().join("bad.csv");
        std::fs::write(&path, "ma,ho_ten\nX,Y\n").unwrap();
        let (code, out) = app
            .cli(&["import", "staff", &path.display().to_string()], "")
            .await;
        assert_eq!(code, 1);
        assert!(out.contains("invalid input"), "{out}");
    });
}

/// A file without the optional columns keeps the stored email, date of birth and leader flag.
#[tokio::test]
async fn absent_optional_columns_keep_what_is_stored() {
    each_backend!(|app| {
        let root = app.root().await;
        app.unit(&root, "HY-TL", "Phường Tiên Lữ", "ward", None)
            .await;
        let path = app.data_dir().join("staff.csv");
        std::fs::write(&path, "staff_code,full_name,date_of_birth,email,unit_code,category,position,is_leader,valid_from\nHY-1,Trần Văn Đức,1985-02-11,duc@hy.gov.vn,HY-TL,cong_chuc,Trưởng phòng,có,2025-07-01\n").unwrap();
        let file = path.display().to_string();
        assert_eq!(app.cli(&["import", "staff", &file], "").await.0, 0);
        std::fs::write(&path, "staff_code,full_name,unit_code,category,position,valid_from\nHY-1,Trần Văn Đức,HY-TL,cong_chuc,Trưởng phòng,2025-07-01\n").unwrap();
        let (code, out) = app.cli(&["import", "staff", &file], "").await;
        assert_eq!(code, 0, "{out}");
        assert!(
            out.starts_with("1 rows: 0 created, 0 updated, 1 unchanged, 0 rejected"),
            "{out}"
        );
        let duc = app.get("/api/v1/staff?q=HY-1", &root).await.body["items"][0].clone();
        assert_eq!(duc["email"], "duc@hy.gov.vn");
        assert_eq!(duc["date_of_birth"], "1985-02-11");
        assert_eq!(duc["current"]["is_leader"], true);
    });
}
