//! Yearly-commitment benchmark (not a test): a province of 50,000 staff in ~500 units launches
//! its campaign, then the completion roll-up, the per-person list, the digest and single signing
//! calls are timed on a realistic mix of signatures. Prints figures; asserts nothing.
//!
//! `cargo bench -p congvu_app --bench commitments` (release build). SQLite in a temp directory
//! always; PostgreSQL too when `CONGVU_BENCH_POSTGRES_URL` names an admin URL (a fresh database is
//! created, ANALYZEd after seeding, and dropped). `CONGVU_BENCH_STAFF` sets the staff count
//! (default 50,000). The clock is fixed at the 2026 launch, then moved to December 2026 at the
//! end so each sở can launch a 2027 campaign (more launch samples without overlapping campaigns).

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use congvu_app::clock::Clock;
use congvu_app::config::AppConfig;
use congvu_app::service::commitments::{self, DraftItem, Launch, TemplateDraft};
use congvu_app::service::{accounts, completion, signatures};
use congvu_app::state::AppState;
use congvu_core::commitment::signing::Standing;
use congvu_core::ids::{EmploymentId, PersonId, UnitId, UserId};
use congvu_core::legal::Validity;
use congvu_core::policy::{Actor, Role};
use congvu_core::staff::{Category, NewEmployment, NewPerson};
use congvu_db::commitment::{Among, EventKind, EventRecord};
use congvu_db::staff::NewStaff;
use congvu_db::unit::UnitRecord;
use congvu_db::{Connection, Db};
use uuid::Uuid;

const FAMILY: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Đức", "Thị Thu", "Minh", "Ngọc"];
const GIVEN: [&str; 10] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hương", "Khánh", "Lan", "Phúc", "Đào",
];
/// Units under the province (sở, ban) and under each of those (phòng, trung tâm).
const SECOND_LEVEL: usize = 20;
const THIRD_LEVEL: usize = 25;
const PASSWORD: &str = "mat-khau-do-hieu-nang-2026";
/// Units in which one signature and one counter-signing batch are timed.
const SIGNING_RUNS: usize = 3;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn date(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("bad date {y}-{m}-{d}"))
}

/// 2026-01-05 09:00 in Vietnam (UTC+7): the start-of-year conference where campaigns launch.
fn launch_instant() -> anyhow::Result<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 1, 5, 2, 0, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("bad launch instant"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, min and max of some runs.
fn spread(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let median = v.get(v.len() / 2).copied().unwrap_or_default();
    let min = v.first().copied().unwrap_or_default();
    let max = v.last().copied().unwrap_or_default();
    (median, min, max)
}

/// Times `runs` awaits of `f`, returning the durations and the last result.
async fn time_runs<T, F, Fut>(runs: usize, mut f: F) -> anyhow::Result<(Vec<Duration>, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = congvu_app::Result<T>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let out = f().await?;
        times.push(started.elapsed());
        last = Some(out);
    }
    let last = last.ok_or_else(|| anyhow::anyhow!("no runs"))?;
    Ok((times, last))
}

/// The actor a signed-in user would be (as the session guard builds it).
fn actor_of(u: congvu_db::account::UserRecord) -> Actor {
    Actor {
        user: u.id,
        username: u.username,
        superadmin: u.superadmin,
        person: u.person,
        grants: u.grants,
    }
}

fn new_unit(
    code: &str,
    name: &str,
    kind: &str,
    parent: Option<UnitId>,
) -> anyhow::Result<congvu_core::unit::NewUnit> {
    Ok(congvu_core::unit::NewUnit::parse(
        &congvu_core::unit::UnitInput {
            code,
            name,
            kind,
            parent,
            valid_from: Some(date(2025, 7, 1)?),
            valid_to: None,
        },
    )?)
}

/// The province tree in one transaction: the province, its sở, and their phòng / trung tâm
/// (parents before children).
async fn seed_units(state: &AppState) -> anyhow::Result<Vec<UnitRecord>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let mut units = Vec::new();
    let province = congvu_db::unit::insert(
        &txn,
        UnitId::from_uuid(Uuid::now_v7()),
        &new_unit("HY", "Tỉnh Hưng Yên", "province", None)?,
        None,
        now,
    )
    .await?;
    units.push(province.clone());
    for d in 0..SECOND_LEVEL {
        let dept = congvu_db::unit::insert(
            &txn,
            UnitId::from_uuid(Uuid::now_v7()),
            &new_unit(
                &format!("HY-S{d:02}"),
                &format!("Sở số {d}"),
                "department",
                Some(province.id),
            )?,
            Some(&province.path),
            now,
        )
        .await?;
        units.push(dept.clone());
        for o in 0..THIRD_LEVEL {
            let (kind, name) = if o % 2 == 0 {
                ("department", format!("Phòng số {o} thuộc Sở số {d}"))
            } else {
                (
                    "public_service_unit",
                    format!("Trung tâm số {o} thuộc Sở số {d}"),
                )
            };
            let office = congvu_db::unit::insert(
                &txn,
                UnitId::from_uuid(Uuid::now_v7()),
                &new_unit(&format!("HY-S{d:02}-{o:02}"), &name, kind, Some(dept.id))?,
                Some(&dept.path),
                now,
            )
            .await?;
            units.push(office);
        }
    }
    txn.commit().await?;
    Ok(units)
}

/// Staff spread round-robin over the units; the first person placed in each unit leads it and
/// has an e-mail address (the digest goes to heads). Returns each person's id and unit index.
async fn seed_staff(
    state: &AppState,
    units: &[UnitRecord],
    count: usize,
) -> anyhow::Result<Vec<(PersonId, usize)>> {
    let base = date(2025, 7, 1)?;
    let mut people = Vec::with_capacity(count);
    let mut employments = Vec::with_capacity(count);
    let mut ids = Vec::with_capacity(count);
    for i in 0..count {
        let unit = i % units.len();
        let leader = i < units.len();
        let unit_id = units
            .get(unit)
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("no unit"))?;
        people.push(NewPerson {
            staff_code: format!("NV{i:07}"),
            full_name: format!(
                "{} {} {}",
                FAMILY[i % 10],
                MIDDLE[(i / 10) % 6],
                GIVEN[(i / 60) % 10]
            ),
            date_of_birth: NaiveDate::from_ymd_opt(
                1965 + (i % 35) as i32,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            ),
            email: leader.then(|| format!("thu-truong-{i}@hungyen.gov.vn")),
        });
        employments.push(NewEmployment {
            unit: unit_id,
            category: Category::ALL[i % 4],
            position: if leader {
                "Thủ trưởng"
            } else {
                "Chuyên viên"
            }
            .to_owned(),
            is_leader: leader,
            validity: Validity::new(base + chrono::Days::new((i % 180) as u64), None)?,
        });
        ids.push((PersonId::from_uuid(Uuid::now_v7()), unit));
    }
    let rows: Vec<NewStaff<'_>> = ids
        .iter()
        .zip(people.iter().zip(&employments))
        .map(|((id, _), (person, employment))| NewStaff {
            id: *id,
            person,
            employment_id: EmploymentId::from_uuid(Uuid::now_v7()),
            employment,
        })
        .collect();
    let txn = state.db.begin().await?;
    congvu_db::staff::insert_people(&txn, &rows, state.clock.now()).await?;
    txn.commit().await?;
    Ok(ids)
}

/// The signing mix: 60% signed (a tenth of those on paper), 30% of the signed counter-signed.
fn events_for(
    people: &[(PersonId, usize)],
    campaign: &commitments::CampaignView,
    recorder: UserId,
    now: DateTime<Utc>,
) -> Vec<EventRecord> {
    let mut out = Vec::new();
    for (i, (person, _)) in people.iter().enumerate() {
        if i % 10 >= 6 {
            continue;
        }
        let event = |kind, at: DateTime<Utc>, paper| EventRecord {
            id: Uuid::now_v7(),
            campaign: campaign.id.as_uuid(),
            seq: 0,
            person: *person,
            kind,
            template: Some(campaign.template.as_uuid()),
            template_hash: Some(campaign.template_hash.clone()),
            on: campaign.launched_on,
            paper,
            reason: None,
            recorded_by: recorder.as_uuid(),
            recorded_at: at,
        };
        out.push(event(EventKind::Signed, now, (i / 10) % 10 == 0));
        if (i / 10) % 10 < 3 {
            out.push(event(
                EventKind::CounterSigned,
                now + chrono::Duration::seconds(1),
                false,
            ));
        }
    }
    out
}

fn template_input() -> TemplateDraft {
    let items = [
        "Chấp hành nghiêm đường lối của Đảng, chính sách, pháp luật của Nhà nước.",
        "Không gây phiền hà, sách nhiễu người dân, doanh nghiệp khi thi hành công vụ.",
        "Thực hiện đúng quy tắc ứng xử, văn hóa công vụ tại cơ quan, đơn vị.",
        "Không sử dụng đồ uống có cồn trong giờ làm việc và giờ nghỉ trưa của ngày làm việc.",
        "Hoàn thành đúng hạn nhiệm vụ được giao; chịu trách nhiệm về kết quả công việc.",
        "Giữ gìn đoàn kết nội bộ; không lợi dụng chức vụ, quyền hạn để vụ lợi.",
    ];
    TemplateDraft {
        year: 2026,
        title: "Bản cam kết thực hiện văn hóa công vụ năm 2026".to_owned(),
        items: items
            .iter()
            .enumerate()
            .map(|(i, text)| DraftItem {
                code: format!("CK-{:02}", i + 1),
                text: Some((*text).to_owned()),
                set_key: None,
                item_code: None,
                legal_basis: None,
            })
            .collect(),
        revises: None,
        reason: None,
    }
}

/// One backend's run; `pg_admin` is set for PostgreSQL (a fresh database is made and dropped).
async fn run(label: &str, pg_admin: Option<&str>, staff: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let pg = match pg_admin {
        Some(admin) => Some(fresh_postgres(admin).await?),
        None => None,
    };
    let config = AppConfig {
        data_dir: dir.path().to_path_buf(),
        database_url: pg.as_ref().map(|(url, _)| url.clone()),
        port: 0,
        // On PostgreSQL keys must be given (they are never made up where nodes share a database).
        keys: Some(congvu_app::config::Password(
            congvu_app::secrets::Secrets::generate().to_text(),
        )),
        ..AppConfig::default()
    };
    let result = bench(label, &config, staff).await;
    if let (Some(admin), Some((_, name))) = (pg_admin, pg) {
        let db = Db::connect(admin).await?;
        db.writer()
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
        db.close().await?;
    }
    result
}

async fn fresh_postgres(admin_url: &str) -> anyhow::Result<(String, String)> {
    let name = format!("congvu_bench_{}", Uuid::new_v4().simple());
    let admin = Db::connect(admin_url).await?;
    admin
        .writer()
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    Ok((format!("{prefix}/{name}{query}"), name))
}

async fn bench(label: &str, config: &AppConfig, staff: usize) -> anyhow::Result<()> {
    let now = launch_instant()?;
    let db = Db::connect_and_migrate(&config.database_url()).await?;
    let state = AppState::open(db, Clock::fixed(now), config.clone())?;
    congvu_app::service::seed::national_data(&state).await?;
    let root_id = accounts::create_superadmin(&state, "bench", PASSWORD).await?;
    let root = Actor {
        user: root_id,
        username: "bench".into(),
        superadmin: true,
        person: None,
        grants: vec![],
    };

    let started = Instant::now();
    let units = seed_units(&state).await?;
    let seed_units_time = started.elapsed();
    let started = Instant::now();
    let people = seed_staff(&state, &units, staff).await?;
    let seed_staff_time = started.elapsed();
    let province = units
        .first()
        .ok_or_else(|| anyhow::anyhow!("no province"))?;
    let leader_of = |unit: usize| {
        people
            .get(unit)
            .map(|(p, _)| *p)
            .ok_or_else(|| anyhow::anyhow!("no leader"))
    };

    // The province chairman: a unit head at the province, linked to the province's leader.
    let head = accounts::create_user(
        &state,
        &root,
        "chutich",
        PASSWORD,
        Some(leader_of(0)?),
        "benchmark",
    )
    .await?;
    let head = actor_of(
        accounts::grant(
            &state,
            &root,
            head.id,
            province.id,
            Role::UnitHead,
            "benchmark",
        )
        .await?,
    );

    let started = Instant::now();
    let template =
        commitments::create_template(&state, &head, province.id, template_input()).await?;
    let template = commitments::publish_template(&state, &head, template.id.into()).await?;
    let template_time = started.elapsed();

    let due_on = date(2026, 1, 31)?;
    let input = Launch {
        year: 2026,
        template: template.id.into(),
        due_on,
        joiner_days: None,
        reason: None,
    };
    let started = Instant::now();
    let campaign = commitments::launch(&state, &head, province.id, input).await?;
    let launch_time = started.elapsed();
    let started = Instant::now();
    let events = events_for(&people, &campaign, root.user, now);
    let txn = state.db.begin().await?;
    // insert_events numbers events after the campaign's last: hold its row lock, as services do.
    congvu_db::commitment::find_campaign(
        &txn,
        &congvu_core::policy::Reach::All,
        campaign.id.as_uuid(),
        true,
    )
    .await?;
    congvu_db::commitment::insert_events(&txn, campaign.id.as_uuid(), &events).await?;
    txn.commit().await?;
    let seed_events_time = started.elapsed();
    // PostgreSQL plans from table statistics, which autovacuum gathers some time after a bulk
    // load; without them the 40-person reads of counter_sign scan the whole subtree (~30 ms
    // instead of <1 ms). Measure the steady state. (SQLite has no such daemon, and congvu runs
    // no ANALYZE there, so SQLite is measured as deployed.)
    let analyzed = !config.database_url().starts_with("sqlite:");
    if analyzed {
        state.db.writer().execute_unprepared("ANALYZE").await?;
    }

    let (get_times, _) =
        time_runs(5, || commitments::get_campaign(&state, &head, campaign.id)).await?;
    let (completion_times, view) = time_runs(5, || {
        completion::completion(&state, &head, campaign.id, None)
    })
    .await?;
    let dept = units
        .iter()
        .find(|u| u.parent == Some(province.id))
        .ok_or_else(|| anyhow::anyhow!("no sở"))?;
    let (focus_times, focus_view) = time_runs(5, || {
        completion::completion(&state, &head, campaign.id, Some(dept.id))
    })
    .await?;
    let (completion_root_times, _) = time_runs(3, || {
        completion::completion(&state, &root, campaign.id, None)
    })
    .await?;
    // Where a roll-up's time goes: the two reads every completion makes, alone.
    let mut slice_times = Vec::new();
    let mut event_times = Vec::new();
    let (mut slice_rows, mut event_rows) = (0, 0);
    for _ in 0..3 {
        let started = Instant::now();
        slice_rows = congvu_db::commitment::slices(
            state.db.reader(),
            &province.path,
            campaign.launched_on,
            Among::Everyone,
        )
        .await?
        .len();
        slice_times.push(started.elapsed());
        let started = Instant::now();
        event_rows = congvu_db::commitment::events(
            state.db.reader(),
            campaign.id.as_uuid(),
            campaign.launched_on,
            Among::Everyone,
        )
        .await?
        .len();
        event_times.push(started.elapsed());
    }
    let (people_times, list) = time_runs(3, || {
        completion::people(&state, &head, campaign.id, None, None)
    })
    .await?;
    let (digest_times, digest) =
        time_runs(1, || completion::digest(&state, &head, campaign.id)).await?;

    // In three phòng / trung tâm: one pending staff member signs online, then the unit's head
    // counter-signs everyone there who has signed but is not yet counter-signed.
    let offices: Vec<usize> = (0..units.len())
        .filter(|&u| {
            units
                .get(u)
                .is_some_and(|r| r.parent.is_some() && r.parent != Some(province.id))
        })
        .take(SIGNING_RUNS)
        .collect();
    let mut sign_times = Vec::new();
    let mut counter_times = Vec::new();
    let mut countered = 0;
    for (k, &office) in offices.iter().enumerate() {
        let unit = units
            .get(office)
            .ok_or_else(|| anyhow::anyhow!("no unit"))?;
        let signer = people
            .iter()
            .enumerate()
            .find(|(i, (_, u))| *i >= units.len() && i % 10 >= 6 && *u == office)
            .map(|(_, (p, _))| *p)
            .ok_or_else(|| anyhow::anyhow!("nobody pending"))?;
        let signer_actor = actor_of(
            accounts::create_user(
                &state,
                &root,
                &format!("nhanvien{k}"),
                PASSWORD,
                Some(signer),
                "benchmark",
            )
            .await?,
        );
        let started = Instant::now();
        signatures::sign(&state, &signer_actor, campaign.id, &campaign.template_hash).await?;
        sign_times.push(started.elapsed());

        let unit_head = accounts::create_user(
            &state,
            &root,
            &format!("truongphong{k}"),
            PASSWORD,
            Some(leader_of(office)?),
            "benchmark",
        )
        .await?;
        let unit_head = actor_of(
            accounts::grant(
                &state,
                &root,
                unit_head.id,
                unit.id,
                Role::UnitHead,
                "benchmark",
            )
            .await?,
        );
        let to_counter: Vec<PersonId> = list
            .iter()
            .filter(|p| p.unit == unit.id && !p.is_leader && p.standing == Standing::Signed)
            .map(|p| p.person)
            .chain([signer])
            .collect();
        let started = Instant::now();
        let done = signatures::counter_sign(
            &state,
            &unit_head,
            campaign.id,
            signatures::CounterSigning {
                people: to_counter,
                template_hash: campaign.template_hash.clone(),
            },
        )
        .await?;
        counter_times.push(started.elapsed());
        countered = done.len();
    }

    // Launch has no fan-out, so one province launch is one sample. For more, move the clock to
    // December (a campaign may launch the December before its year) and let each sở launch its
    // own 2027 campaign on a 2027 province template (siblings do not overlap; the province has
    // no 2027 campaign).
    state.clock.set(
        Utc.with_ymd_and_hms(2026, 12, 15, 2, 0, 0)
            .single()
            .ok_or_else(|| anyhow::anyhow!("bad instant"))?,
    );
    let next_year = commitments::create_template(
        &state,
        &head,
        province.id,
        TemplateDraft {
            year: 2027,
            title: "Bản cam kết thực hiện văn hóa công vụ năm 2027".to_owned(),
            ..template_input()
        },
    )
    .await?;
    let next_year = commitments::publish_template(&state, &head, next_year.id.into()).await?;
    let mut sub_launches = Vec::new();
    for dept in units.iter().filter(|u| u.parent == Some(province.id)) {
        let started = Instant::now();
        commitments::launch(
            &state,
            &head,
            dept.id,
            Launch {
                year: 2027,
                template: next_year.id.into(),
                due_on: date(2027, 1, 31)?,
                joiner_days: None,
                reason: None,
            },
        )
        .await?;
        sub_launches.push(started.elapsed());
    }
    let (sub_launch, sub_launch_min, sub_launch_max) = spread(sub_launches);

    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let members = list.len();
    let total = view
        .units
        .first()
        .map(|u| u.total)
        .ok_or_else(|| anyhow::anyhow!("empty roll-up"))?;
    let (c_med, c_min, c_max) = spread(completion_times);
    let (r_med, r_min, r_max) = spread(completion_root_times);
    let (p_med, p_min, p_max) = spread(people_times);
    let (g_med, _, _) = spread(get_times);
    println!();
    println!("commitments benchmark — {label}, {cores} cores");
    println!(
        "  province: {} units (1 + {SECOND_LEVEL} + {}), {} staff, {} signing events",
        units.len(),
        SECOND_LEVEL * THIRD_LEVEL,
        people.len(),
        events.len()
    );
    println!(
        "  roll-up at the province: pending {}, signed {}, counter-signed {}, overdue {}, closed out {}",
        total.pending, total.signed, total.counter_signed, total.overdue, total.closed_out
    );
    println!("  {:<52} {:>10}", "seeding", "");
    println!(
        "  {:<52} {:>10.1} ms",
        "  units (one transaction)",
        ms(seed_units_time)
    );
    println!(
        "  {:<52} {:>10.1} ms",
        "  staff + employment slices (insert_people)",
        ms(seed_staff_time)
    );
    println!(
        "  {:<52} {:>10.1} ms",
        "  signing events (insert_events)",
        ms(seed_events_time)
    );
    if analyzed {
        println!("  (ANALYZE run after seeding, as autovacuum would have)");
    }
    println!("  {:<52} {:>10}", "timed service calls", "median (min–max)");
    println!(
        "  {:<52} {:>10.1} ms",
        "create + publish template",
        ms(template_time)
    );
    println!(
        "  {:<52} {:>10.1} ms",
        "launch (province, once)",
        ms(launch_time)
    );
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1})",
        format!("launch (each of {SECOND_LEVEL} sở, for 2027)"),
        ms(sub_launch),
        ms(sub_launch_min),
        ms(sub_launch_max)
    );
    println!(
        "  {:<52} {:>10.1} ms",
        "get_campaign (median of 5)",
        ms(g_med)
    );
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1}) = {:.0} people/s",
        format!(
            "completion, province head, {} units (5 runs)",
            view.units.len()
        ),
        ms(c_med),
        ms(c_min),
        ms(c_max),
        members as f64 / c_med.as_secs_f64()
    );
    println!(
        "  {:<52} {:>10.1} ms",
        format!("  the slices read alone: {slice_rows} rows (3 runs)"),
        ms(spread(slice_times).0)
    );
    println!(
        "  {:<52} {:>10.1} ms",
        format!("  the events read alone: {event_rows} rows (3 runs)"),
        ms(spread(event_times).0)
    );
    let (f_med, f_min, f_max) = spread(focus_times);
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1})",
        format!(
            "completion, one sở ({} units, unit filter, 5 runs)",
            focus_view.units.len()
        ),
        ms(f_med),
        ms(f_min),
        ms(f_max)
    );
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1})",
        "completion, superadmin (3 runs)",
        ms(r_med),
        ms(r_min),
        ms(r_max)
    );
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1}) = {:.0} people/s",
        format!("people, full list of {members} (3 runs)"),
        ms(p_med),
        ms(p_min),
        ms(p_max),
        members as f64 / p_med.as_secs_f64()
    );
    println!(
        "  {:<52} {:>10.1} ms",
        format!(
            "digest (once): {} heads, {} queued",
            digest.heads.len(),
            digest.queued
        ),
        ms(spread(digest_times).0)
    );
    let (s_med, s_min, s_max) = spread(sign_times);
    let (k_med, k_min, k_max) = spread(counter_times);
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1})",
        format!("sign, one person online ({SIGNING_RUNS} units)"),
        ms(s_med),
        ms(s_min),
        ms(s_max)
    );
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1})",
        format!("counter_sign, ~{countered} people of a unit ({SIGNING_RUNS} units)"),
        ms(k_med),
        ms(k_min),
        ms(k_max)
    );
    state.db.clone().close().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let staff = env_or("CONGVU_BENCH_STAFF", 50_000) as usize;
    println!("congvu commitments benchmark: clock fixed at 2026-01-05 09:00 (Vietnam)");
    run("SQLite (WAL, synchronous=FULL)", None, staff).await?;
    if let Ok(url) = std::env::var("CONGVU_BENCH_POSTGRES_URL")
        && !url.is_empty()
    {
        run("PostgreSQL", Some(&url), staff).await?;
    }
    Ok(())
}
