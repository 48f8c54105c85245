//! Year-end classification at province scale, in the domain alone: `cargo bench -p congvu_core
//! --bench classify`. 100,000 staff in 500 units (two peer groups each), a year of monthly
//! scores with some months not evaluated, a few disciplined or short-service people; times the
//! annual aggregation, the classification of everyone and the quota check of every peer group,
//! median of 5 runs on whatever machine runs it. Reading the facts from the database is not
//! included (the figures are the rules' own cost).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use congvu_core::assessment::quota::{Proposal, check_group};
use congvu_core::assessment::{
    Aggregation, AssessmentRules, DisciplineFact, Level, Outcome, Period, PeriodKind, PersonYear,
    Points, Score, annual,
};
use congvu_core::discipline::Form;
use congvu_core::error::DomainError;
use congvu_core::ids::PersonId;
use uuid::Uuid;

const STAFF: usize = 100_000;
const UNITS: usize = 500;
const RUNS: usize = 5;

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

struct Person {
    id: PersonId,
    unit: usize,
    group: usize,
    head: bool,
    months: Vec<(Period, Score)>,
    months_worked: u32,
    discipline: Vec<DisciplineFact>,
}

fn people() -> Result<Vec<Person>, DomainError> {
    let mut rng = Lcg(2026);
    let effective = NaiveDate::from_ymd_opt(2026, 5, 4)
        .ok_or_else(|| DomainError::invalid("date", "bad", "date"))?;
    (0..STAFF)
        .map(|i| {
            // A quarter of the staff score high enough for HTXS (more than the 20% cap allows).
            let (general, tasks) = if rng.next(4) == 0 {
                (2_800, 6_300)
            } else {
                (2_300, 5_000)
            };
            let mut months = Vec::with_capacity(12);
            for m in 1..=12 {
                // One month in ten is not evaluated.
                if rng.next(10) != 0 {
                    let period = Period::new(PeriodKind::Month, 2026, m)?;
                    months.push((
                        period,
                        Score {
                            general: Points(general + rng.next(201)),
                            tasks: Points(tasks + rng.next(701)),
                        },
                    ));
                }
            }
            let discipline = if rng.next(100) == 0 {
                vec![DisciplineFact {
                    act: format!("A{i}"),
                    form: Form::KhienTrach,
                    duty_related: true,
                    effective_on: effective,
                    used_for_kht_in: None,
                    at_former_unit: false,
                    committed_on: effective,
                }]
            } else {
                Vec::new()
            };
            Ok(Person {
                id: PersonId::from_uuid(Uuid::from_u128(i as u128)),
                unit: i % UNITS,
                group: (i / UNITS) % 2,
                head: i < UNITS,
                months,
                months_worked: if rng.next(50) == 0 { 4 } else { 12 },
                discipline,
            })
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> Result<(), DomainError> {
    let rules = AssessmentRules::national()?;
    let scheme = rules
        .scheme("nd335_2025")
        .ok_or_else(|| DomainError::invalid("scheme", "missing", "nd335_2025"))?
        .clone();
    let staff = people()?;
    let months: usize = staff.iter().map(|p| p.months.len()).sum();
    let (mut t_annual, mut t_classify, mut t_quota, mut t_total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut breaches = 0;
    let mut distribution = [0usize; 5];
    for _ in 0..RUNS {
        let start = Instant::now();
        let scores: Vec<Option<Score>> = staff
            .iter()
            .map(|p| annual(&p.months, Aggregation::Mean))
            .collect();
        let after_annual = Instant::now();
        let outcomes: Vec<Outcome> = staff
            .iter()
            .zip(&scores)
            .map(|(p, s)| {
                let year = PersonYear {
                    year: 2026,
                    score: *s,
                    months_worked: p.months_worked,
                    discipline: &p.discipline,
                    ..PersonYear::default()
                };
                rules.classify(&scheme, &year).outcome
            })
            .collect();
        let after_classify = Instant::now();
        let mut groups: Vec<Vec<Proposal>> = vec![Vec::new(); UNITS * 2];
        for (p, outcome) in staff.iter().zip(&outcomes) {
            groups[p.unit * 2 + p.group].push(Proposal {
                person: p.id,
                outcome: *outcome,
                is_head: p.head,
            });
        }
        breaches = groups
            .iter()
            .enumerate()
            .map(|(g, proposals)| {
                let unit_level = if g % 20 == 0 { Level::Htxs } else { Level::Htt };
                check_group(&rules.quota, "g", proposals, Some(unit_level)).len()
            })
            .sum();
        let end = Instant::now();
        distribution = [0; 5];
        for o in &outcomes {
            let slot = match o {
                Outcome::Rated(Level::Htxs) => 0,
                Outcome::Rated(Level::Htt) => 1,
                Outcome::Rated(Level::Ht) => 2,
                Outcome::Rated(Level::Kht) => 3,
                Outcome::NotRated | Outcome::Undetermined => 4,
            };
            distribution[slot] += 1;
        }
        t_annual.push(after_annual - start);
        t_classify.push(after_classify - after_annual);
        t_quota.push(end - after_classify);
        t_total.push(end - start);
    }
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!("classify benchmark (domain only), {cores} cores, single thread, median of {RUNS}");
    println!("  {STAFF} staff in {UNITS} units (two peer groups each), {months} monthly scores");
    println!(
        "  annual aggregation          {:>9.1} ms",
        ms(median(t_annual))
    );
    println!(
        "  classification of everyone {:>9.1} ms",
        ms(median(t_classify))
    );
    println!(
        "  quota check of {} groups  {:>9.1} ms",
        UNITS * 2,
        ms(median(t_quota))
    );
    println!(
        "  total                       {:>9.1} ms (target < 2,000 ms)",
        ms(median(t_total))
    );
    println!(
        "  result: HTXS {} HTT {} HT {} KHT {} not rated {}; {breaches} quota breaches named",
        distribution[0], distribution[1], distribution[2], distribution[3], distribution[4]
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}
