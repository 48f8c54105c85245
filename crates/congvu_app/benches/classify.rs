//! Year-end classification benchmark (not a test): a province of 100,000 staff in ~500 units,
//! each with a year of monthly evaluations (1.2 million rows), is classified and quota-checked
//! unit by unit through the database, as officers would open each unit's year. Prints figures;
//! asserts nothing.
//!
//! `cargo bench -p congvu_app --bench classify` (release build). SQLite in a temp directory
//! always; PostgreSQL too when `CONGVU_BENCH_POSTGRES_URL` names an admin URL (a fresh database is
//! created, ANALYZEd after seeding, and dropped). `CONGVU_BENCH_STAFF` sets the staff count
//! (default 100,000). The clock is fixed at 2026-12-01 09:00 in Vietnam: everyone is a công chức
//! employed since 2025-01-01, so Decree 335/2025 (points) governs them at the year's end. The
//! timed call is `service::classification::open_subtree` on the province (every unit's members'
//! evaluations, facts and discipline loaded in batches, classified, the rounds and entries
//! inserted, each round's quotas checked), then `show` (re-validation of a stored round) and
//! `recompute` (one unit computed again, the cost of opening one unit) on a sample of units; the
//! reads and writes of one unit are also timed alone, to show where the time goes.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use congvu_app::clock::Clock;
use congvu_app::config::AppConfig;
use congvu_app::service::accounts;
use congvu_app::service::classification::{self, Opening};
use congvu_app::state::AppState;
use congvu_core::assessment::{Period, PeriodKind, Points, Score};
use congvu_core::ids::{EmploymentId, PersonId, UnitId};
use congvu_core::legal::Validity;
use congvu_core::policy::{Actor, Reach};
use congvu_core::staff::{Category, NewEmployment, NewPerson};
use congvu_db::classification::{self as store, RoundRecord, RoundState};
use congvu_db::evaluation::EvaluationRecord;
use congvu_db::staff::{Members, NewStaff};
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
const YEAR: i32 = 2026;
/// The assessment regime in force for công chức at the end of 2026.
const REGIME: &str = "nd335_2025";
/// People whose evaluations are generated and inserted per transaction.
const SEED_BATCH: usize = 10_000;
/// Units whose stored round is shown again, and whose reads are timed alone.
const SAMPLES: usize = 20;
/// The pure domain step (annual scores, classification, quota check of 100,000 people), from
/// `cargo bench -p congvu_core --bench classify`; not re-run here.
const DOMAIN_ONLY_MS: f64 = 69.0;

/// A small deterministic generator (no rand dependency for a benchmark's fixtures).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        u32::try_from((self.0 >> 33) % u64::from(below)).unwrap_or(0)
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn date(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("bad date {y}-{m}-{d}"))
}

/// 2026-12-01 09:00 in Vietnam (UTC+7): the year-end classification opens.
fn open_instant() -> anyhow::Result<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("bad instant"))
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

fn median(v: Vec<Duration>) -> Duration {
    spread(v).0
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
            valid_from: Some(date(2025, 1, 1)?),
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

/// Staff spread round-robin over the units, all công chức employed since 2025-01-01; the first
/// person placed in each unit leads it. Returns each person's id and unit.
async fn seed_staff(
    state: &AppState,
    units: &[UnitRecord],
    count: usize,
) -> anyhow::Result<Vec<(PersonId, UnitId)>> {
    let validity = Validity::new(date(2025, 1, 1)?, None)?;
    let mut people = Vec::with_capacity(count);
    let mut employments = Vec::with_capacity(count);
    let mut ids = Vec::with_capacity(count);
    for i in 0..count {
        let leader = i < units.len();
        let unit = units
            .get(i % units.len())
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
            email: None,
        });
        employments.push(NewEmployment {
            unit,
            category: Category::CongChuc,
            position: if leader {
                "Thủ trưởng"
            } else {
                "Chuyên viên"
            }
            .to_owned(),
            is_leader: leader,
            validity,
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

/// A person's yearly total in hundredths: about 15% HTXS (90–97), 60% HTT (70–89), 20% HT
/// (50–69) and 5% KHT (30–49).
fn yearly_total(rng: &mut Lcg) -> u32 {
    let band = rng.next(100);
    let base = match band {
        0..15 => return 9_000 + rng.next(8) * 100,
        15..75 => 7_000,
        75..95 => 5_000,
        _ => 3_000,
    };
    base + rng.next(20) * 100
}

/// Twelve monthly scores whose mean is exactly `total`: general is 30% of it, and the task part
/// moves by a point up or down from month to month (the moves cancel over the year).
fn monthly_scores(total: u32) -> [Score; 12] {
    let general = total * 3 / 10;
    let tasks = total - general;
    std::array::from_fn(|m| {
        let tasks = match m % 3 {
            1 => tasks + 100,
            2 => tasks - 100,
            _ => tasks,
        };
        Score {
            general: Points(general),
            tasks: Points(tasks),
        }
    })
}

/// Everyone's twelve monthly evaluations of 2026, in batches of people per transaction
/// (multi-row inserts). Returns the rows inserted.
async fn seed_evaluations(
    state: &AppState,
    people: &[(PersonId, UnitId)],
    evaluator: Uuid,
) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let periods = (1..=12)
        .map(|m| Period::new(PeriodKind::Month, YEAR, m))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rng = Lcg(2026);
    let mut inserted = 0;
    for batch in people.chunks(SEED_BATCH) {
        let mut rows = Vec::with_capacity(batch.len() * periods.len());
        for (person, unit) in batch {
            let scores = monthly_scores(yearly_total(&mut rng));
            for (period, score) in periods.iter().zip(scores) {
                rows.push(EvaluationRecord {
                    id: Uuid::now_v7(),
                    person: *person,
                    unit: *unit,
                    period: *period,
                    regime: REGIME.to_owned(),
                    score,
                    products: None,
                    evaluated_by: evaluator,
                    created_at: now,
                });
            }
        }
        let txn = state.db.begin().await?;
        congvu_db::evaluation::insert_many(&txn, &rows).await?;
        txn.commit().await?;
        inserted += rows.len();
    }
    Ok(inserted)
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
    // CONGVU_BENCH_KEEP=1 keeps the SQLite database for a look with the sqlite3 shell.
    if pg_admin.is_none() && std::env::var_os("CONGVU_BENCH_KEEP").is_some() {
        println!("  kept: {}", dir.keep().display());
    }
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

/// Where an `open` spends its time: each read and write it makes, timed alone on a sample of
/// units (medians per unit; a query made twice counts both), in the order `open` makes them.
#[derive(Default)]
struct Phases {
    rows: Vec<(&'static str, Vec<Duration>)>,
    /// The sampled unit being timed (0-based).
    unit: usize,
}

impl Phases {
    fn push(&mut self, name: &'static str, took: Duration) {
        let unit = self.unit;
        match self.rows.iter_mut().find(|(n, _)| *n == name) {
            Some((_, times)) if times.len() > unit => {
                if let Some(last) = times.last_mut() {
                    *last += took;
                }
            }
            Some((_, times)) => times.push(took),
            None => self.rows.push((name, vec![took])),
        }
    }

    async fn time<T, F>(&mut self, name: &'static str, f: F) -> anyhow::Result<T>
    where
        F: std::future::Future<Output = Result<T, congvu_db::DbError>>,
    {
        let started = Instant::now();
        let out = f.await?;
        self.push(name, started.elapsed());
        Ok(out)
    }
}

/// Times, on one unit whose round is stored, the queries `open` makes (reads on the reader;
/// the inserts of a copy of the round in a transaction rolled back).
async fn time_phases(
    state: &AppState,
    phases: &mut Phases,
    unit: &UnitRecord,
    round: &RoundRecord,
) -> anyhow::Result<()> {
    let db = state.db.reader();
    let day = date(2026, 12, 1)?;
    phases
        .time(
            "unit::find (unit_for)",
            congvu_db::unit::find(db, &Reach::All, unit.id),
        )
        .await?;
    phases
        .time(
            "rounds_of (existing rounds)",
            store::rounds_of(db, unit.id, YEAR),
        )
        .await?;
    let members = phases
        .time(
            "staff::members_on",
            congvu_db::staff::members_on(db, unit.id, day),
        )
        .await?;
    phases
        .time(
            "staff::employments_of",
            congvu_db::staff::employments_of(db, Members::Persons(&members)),
        )
        .await?;
    phases
        .time(
            "evaluation::mean_sums (yearly summary)",
            congvu_db::evaluation::mean_sums(db, Members::Persons(&members), YEAR),
        )
        .await?;
    phases
        .time(
            "classification::facts",
            store::facts(db, Members::Persons(&members), YEAR),
        )
        .await?;
    phases
        .time(
            "classification::decided_cases",
            store::decided_cases(db, Members::Persons(&members)),
        )
        .await?;
    phases
        .time(
            "classification::used_cases",
            store::used_cases(db, Members::Persons(&members)),
        )
        .await?;
    phases
        .time(
            "evaluation::aggregation",
            congvu_db::evaluation::aggregation(db, &unit.path),
        )
        .await?;
    let stored = store::entries(db, round.id).await?;
    let copy = RoundRecord {
        id: Uuid::now_v7(),
        version: round.version + 1000,
        state: RoundState::Draft,
        ..round.clone()
    };
    let entries: Vec<_> = stored
        .iter()
        .map(|e| store::EntryRecord {
            id: Uuid::now_v7(),
            round: copy.id,
            ..e.clone()
        })
        .collect();
    let txn = state.db.begin().await?;
    phases
        .time("insert_round (in a txn)", store::insert_round(&txn, &copy))
        .await?;
    phases
        .time(
            "insert_entries (in a txn)",
            store::insert_entries(&txn, &entries),
        )
        .await?;
    let started = Instant::now();
    txn.rollback().await?;
    phases.push("rollback of that txn", started.elapsed());
    phases
        .time(
            "staff::people (round_view names)",
            congvu_db::staff::people(db, &members),
        )
        .await?;
    let members_of_round: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    phases
        .time(
            "in_other_rounds (round_view: transfers)",
            store::in_other_rounds(db, unit.id, YEAR, &members_of_round),
        )
        .await?;
    // units_below twice: the unit's children, and its siblings under its parent.
    for parent in [Some(unit.id), unit.parent].into_iter().flatten() {
        let children: Vec<UnitId> = phases
            .time(
                "unit::children (units_below, ×2)",
                congvu_db::unit::children(db, parent),
            )
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        phases
            .time(
                "rounds_of_units (units_below, ×2)",
                store::rounds_of_units(db, &children, YEAR),
            )
            .await?;
    }
    phases
        .time("entries (show's read)", store::entries(db, round.id))
        .await?;
    Ok(())
}

async fn bench(label: &str, config: &AppConfig, staff: usize) -> anyhow::Result<()> {
    let now = open_instant()?;
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
    let started = Instant::now();
    let evaluations = seed_evaluations(&state, &people, root_id.as_uuid()).await?;
    let seed_evaluations_time = started.elapsed();
    // PostgreSQL plans from table statistics, which autovacuum gathers some time after a bulk
    // load: measure the steady state. (SQLite has no such daemon, and congvu runs no ANALYZE
    // there, so SQLite is measured as deployed.)
    let analyzed = !config.database_url().starts_with("sqlite:");
    if analyzed {
        state.db.writer().execute_unprepared("ANALYZE").await?;
    }

    // The timed part: the province's year opened in one call (every unit's round computed from
    // its members' evaluations, discipline, months worked and facts, inserted, and its quotas
    // checked), as the province's emulation officer would at year end.
    let province_started = Instant::now();
    let view = classification::open_subtree(
        &state,
        &root,
        units
            .first()
            .ok_or_else(|| anyhow::anyhow!("no province"))?
            .id,
        Opening {
            year: YEAR,
            reason: Some("Đánh giá, xếp loại chất lượng cuối năm 2026".into()),
        },
    )
    .await?;
    let province_time = province_started.elapsed();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut classified = 0;
    let mut breaches = 0;
    for r in &view.opened {
        classified += r.people;
        breaches += r.breaches;
        for (outcome, n) in &r.counts {
            *counts.entry(outcome.code()).or_insert(0) += n;
        }
    }
    let round_of: std::collections::HashMap<Uuid, Uuid> = view
        .opened
        .iter()
        .map(|r| (r.unit.as_uuid(), r.round.as_uuid()))
        .collect();
    let rounds: Vec<Uuid> = units
        .iter()
        .filter_map(|u| round_of.get(&u.id.as_uuid()).copied())
        .collect();
    // classification_entries grew from empty during the opens, with the statistics of the empty
    // table: PostgreSQL then scans it whole for every person filter. Measure what follows in the
    // steady state.
    if analyzed {
        state.db.writer().execute_unprepared("ANALYZE").await?;
    }

    // Re-validation of stored rounds, and each query of an open alone, on a spread of units.
    let step = (units.len() / SAMPLES).max(1);
    let sample: Vec<usize> = (0..units.len()).step_by(step).take(SAMPLES).collect();
    let mut show_times = Vec::with_capacity(sample.len());
    let mut shown = 0;
    for &k in &sample {
        let round = rounds
            .get(k)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no round"))?;
        let started = Instant::now();
        let view = classification::show(&state, &root, round.into()).await?;
        show_times.push(started.elapsed());
        shown += view.entries.len();
    }
    // One unit's draft computed again from the records (what opening a single unit costs).
    let mut open_times = Vec::with_capacity(sample.len());
    let mut breach_codes: BTreeMap<&'static str, usize> = BTreeMap::new();
    for &k in &sample {
        let round = rounds
            .get(k)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no round"))?;
        let started = Instant::now();
        let v = classification::recompute(&state, &root, round.into(), Some("tính lại")).await?;
        open_times.push(started.elapsed());
        for b in &v.breaches {
            *breach_codes.entry(b.code).or_insert(0) += 1;
        }
    }
    let mut phases = Phases::default();
    for &k in &sample {
        let unit = units.get(k).ok_or_else(|| anyhow::anyhow!("no unit"))?;
        let round_id = rounds
            .get(k)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no round"))?;
        let round = store::find_round(state.db.reader(), round_id, false).await?;
        time_phases(&state, &mut phases, unit, &round).await?;
        phases.unit += 1;
    }

    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let (o_med, o_min, o_max) = spread(open_times.clone());
    let (s_med, s_min, s_max) = spread(show_times);
    println!();
    println!("classification benchmark — {label}, {cores} cores");
    println!(
        "  province: {} units (1 + {SECOND_LEVEL} + {}), {} staff (công chức, {REGIME}), {} monthly evaluations",
        units.len(),
        SECOND_LEVEL * THIRD_LEVEL,
        people.len(),
        evaluations
    );
    println!(
        "  result: {}",
        counts
            .iter()
            .map(|(c, n)| format!("{} {n}", c.to_uppercase()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  quota check: {breaches} breach(es) named across {} rounds; in the {} rounds recomputed: {}",
        rounds.len(),
        sample.len(),
        breach_codes
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
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
        format!("  evaluations (insert_many, {SEED_BATCH} people/txn)"),
        ms(seed_evaluations_time)
    );
    if analyzed {
        println!("  (ANALYZE run after seeding, and again after the opens, as autovacuum would)");
    }
    println!("  {:<52} {:>10}", "timed service calls", "median (min–max)");
    println!(
        "  {:<52} {:>10.1} ms = {:.0} entries/s (target < 2000 ms)",
        format!(
            "CLASSIFY + QUOTA-CHECK THE PROVINCE (open_subtree, {} units)",
            view.opened.len()
        ),
        ms(province_time),
        classified as f64 / province_time.as_secs_f64()
    );
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1})",
        format!(
            "one unit recomputed (~{} people, {} units)",
            classified / units.len().max(1),
            sample.len()
        ),
        ms(o_med),
        ms(o_min),
        ms(o_max)
    );
    println!(
        "  {:<52} {:>10.1} ms ({:.1}–{:.1})",
        format!(
            "show, re-validation ({} units, {shown} entries)",
            sample.len()
        ),
        ms(s_med),
        ms(s_min),
        ms(s_max)
    );
    println!(
        "  {:<52} {:>10.1} ms",
        "domain only, 100k (congvu_core bench, not re-run)", DOMAIN_ONLY_MS
    );
    println!(
        "  {:<52} {:>10}",
        format!("the queries of an open, alone ({} units)", sample.len()),
        "median"
    );
    let mut phase_sum = Duration::ZERO;
    for (name, times) in phases.rows {
        let m = median(times);
        phase_sum += m;
        println!("  {:<52} {:>10.2} ms", format!("  {name}"), ms(m));
    }
    println!(
        "  {:<52} {:>10.2} ms (× {} units = {:.0} ms)",
        "  sum",
        ms(phase_sum),
        units.len(),
        ms(phase_sum) * units.len() as f64
    );
    state.db.clone().close().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let staff = env_or("CONGVU_BENCH_STAFF", 100_000) as usize;
    println!("congvu classification benchmark: clock fixed at 2026-12-01 09:00 (Vietnam)");
    run("SQLite (WAL, synchronous=FULL)", None, staff).await?;
    if let Ok(url) = std::env::var("CONGVU_BENCH_POSTGRES_URL")
        && !url.is_empty()
    {
        run("PostgreSQL", Some(&url), staff).await?;
    }
    Ok(())
}
