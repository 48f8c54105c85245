//! congvu without HTTP: a batch job that opens a data directory, imports a unit's staff from a
//! spreadsheet, records a year of monthly evaluations and computes the unit's year-end
//! classification, all through `congvu_app`'s use cases (the same scope, validation and audit as
//! the API).
//!
//! `cargo run -p congvu_app --example year_end -- [DATA_DIR]` (a fresh temporary directory when
//! none is given). CI runs it.

use chrono::{NaiveDate, TimeZone, Utc};
use congvu_app::clock::Clock;
use congvu_app::config::AppConfig;
use congvu_app::service::classification::{self, Opening};
use congvu_app::service::evaluations::{self, NewEvaluation};
use congvu_app::service::{accounts, import, seed, staff, units};
use congvu_app::{AppState, Error};
use congvu_core::assessment::{Period, PeriodKind, Points};
use congvu_core::unit::{NewUnit, UnitInput};
use congvu_db::{Db, Page};

const PASSWORD: &str = "mật-khẩu-của-tác-vụ-cuối-năm";

/// The unit's staff, as an HR officer would export them from a spreadsheet.
const STAFF_CSV: &str = "\
staff_code,full_name,unit_code,category,position,is_leader,valid_from
VD-001,Nguyễn Thị Lan,VD-TP,cong_chuc,Chánh Văn phòng,có,2025-07-01
VD-002,Trần Văn Đức,VD-TP,cong_chuc,Chuyên viên,không,2025-07-01
VD-003,Lê Thị Hoa,VD-TP,cong_chuc,Chuyên viên,không,2025-07-01
VD-004,Phạm Minh Tuấn,VD-TP,cong_chuc,Chuyên viên,không,01/07/2025
VD-005,Hoàng Văn Nam,VD-TP,cong_chuc,Kế toán,không,01/07/2025
";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let data_dir = match std::env::args().nth(1) {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("congvu-year-end-{}", std::process::id())),
    };
    let config = AppConfig {
        data_dir: data_dir.clone(),
        ..AppConfig::default()
    };
    config.ensure_data_dir()?;
    let db = Db::connect_and_migrate(&config.database_url()).await?;
    // 10 January 2027: the year 2026 is over and can be classified.
    let now = Utc
        .with_ymd_and_hms(2027, 1, 10, 2, 0, 0)
        .single()
        .ok_or_else(|| Error::Internal("a fixed instant".into()))?;
    let state = AppState::open(db, Clock::fixed(now), config)?;
    seed::national_data(&state).await?;

    accounts::create_superadmin(&state, "tac-vu", PASSWORD).await?;
    let session = accounts::login(&state, "tac-vu", PASSWORD, None).await?;
    let actor = accounts::actor_for_token(&state, &session.token)
        .await?
        .ok_or_else(|| Error::Internal("the new session is not live".into()))?;

    let new = NewUnit::parse(&UnitInput {
        code: "VD-TP",
        name: "Văn phòng Sở Tư pháp",
        kind: "department",
        parent: None,
        valid_from: NaiveDate::from_ymd_opt(2025, 7, 1),
        valid_to: None,
    })?;
    let unit = units::create(&state, &actor, new, "thành lập để chạy ví dụ").await?;

    let report = import::staff(&state, STAFF_CSV.as_bytes(), "tac-vu", |_| {}).await?;
    println!(
        "imported {} people, {} rejected",
        report.created,
        report.rejected.len()
    );

    let today = congvu_core::calendar::vietnam_date(now);
    let people = staff::list(
        &state,
        &actor,
        None,
        Some(unit.id),
        None,
        today,
        Page {
            limit: Page::MAX_LIMIT,
            offset: 0,
        },
    )
    .await?;
    for (n, person) in people.iter().enumerate() {
        // A spread of results (in hundredths of a point): the first two excellent, one weak, the
        // rest good.
        let general = Points([2900, 2850, 2000, 2600, 2500][n % 5]);
        let tasks = Points([6800, 6600, 3000, 6000, 5800][n % 5]);
        for month in 1..=12 {
            evaluations::create(
                &state,
                &actor,
                person.id,
                NewEvaluation {
                    period: Period::new(PeriodKind::Month, 2026, month)?,
                    general,
                    tasks: Some(tasks),
                    products: None,
                    reason: Some("đánh giá hằng tháng".into()),
                },
            )
            .await?;
        }
    }

    let round = classification::open(
        &state,
        &actor,
        unit.id,
        Opening {
            year: 2026,
            reason: Some("mở xếp loại cuối năm".into()),
        },
    )
    .await?;
    println!(
        "{} {}: {} people",
        unit.code,
        round.year,
        round.entries.len()
    );
    for entry in &round.entries {
        println!("  {:<20} {}", entry.full_name, entry.computed.code());
    }
    for (outcome, n) in &round.counts {
        println!("  {}: {n}", outcome.code());
    }
    for breach in &round.breaches {
        println!("breach: {} {}", breach.scope, breach.code);
    }
    println!("data directory: {}", data_dir.display());
    Ok(())
}
