//! Quality assessment and year-end classification (brief §4, §11.4): evaluation periods and their
//! overlap, the 100-point score, the annual aggregate that skips missing periods, the
//! classification by the regime's scheme with its disqualifiers and the under-six-months rule,
//! the discipline bookkeeping of §4.4, and (in [`quota`]) the quota and head-above-unit checks.
//! Every answer carries its reasons with their sources. Figures come from `data/assessment.toml`.

pub mod data;
pub mod quota;
pub mod tasks;
pub mod worktime;

use chrono::{Datelike, NaiveDate};

use crate::discipline::Form;
use crate::error::DomainError;
use crate::legal::LegalBasis;
use crate::text::Bilingual;

pub use data::{AssessmentRules, Method, Scheme};

/// The four levels (brief §4.2), best first (and ordered so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Hoàn thành xuất sắc nhiệm vụ.
    Htxs,
    /// Hoàn thành tốt nhiệm vụ.
    Htt,
    /// Hoàn thành nhiệm vụ.
    Ht,
    /// Không hoàn thành nhiệm vụ.
    Kht,
}

impl Level {
    pub const ALL: [Level; 4] = [Self::Htxs, Self::Htt, Self::Ht, Self::Kht];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Htxs => "htxs",
            Self::Htt => "htt",
            Self::Ht => "ht",
            Self::Kht => "kht",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The level's name in Vietnamese.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Htxs => "hoàn thành xuất sắc nhiệm vụ",
            Self::Htt => "hoàn thành tốt nhiệm vụ",
            Self::Ht => "hoàn thành nhiệm vụ",
            Self::Kht => "không hoàn thành nhiệm vụ",
        }
    }

    /// The level's name in English.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Htxs => "“completed excellently”",
            Self::Htt => "“completed well”",
            Self::Ht => "“completed”",
            Self::Kht => "“not completed”",
        }
    }

    /// 0 for the best level.
    pub const fn rank(self) -> u8 {
        match self {
            Self::Htxs => 0,
            Self::Htt => 1,
            Self::Ht => 2,
            Self::Kht => 3,
        }
    }

    /// Whether this level is better than `other`.
    pub const fn above(self, other: Level) -> bool {
        self.rank() < other.rank()
    }

    /// HTT or better: what Lao động tiên tiến needs (brief §5.2).
    pub const fn well_completed(self) -> bool {
        self.rank() <= 1
    }
}

/// A year's result: a level, not rated (fewer than six months worked), or undetermined (nothing
/// to rate on: no period evaluated, no criteria recorded) — which no proposal may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Rated(Level),
    NotRated,
    Undetermined,
}

impl Outcome {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Rated(l) => l.code(),
            Self::NotRated => "not_rated",
            Self::Undetermined => "undetermined",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "not_rated" => return Some(Self::NotRated),
            "undetermined" => return Some(Self::Undetermined),
            _ => {}
        }
        Level::parse(code).map(Self::Rated)
    }

    pub const fn level(self) -> Option<Level> {
        match self {
            Self::Rated(l) => Some(l),
            Self::NotRated | Self::Undetermined => None,
        }
    }
}

/// Points in hundredths (90.5 points = 9050), so scores add and compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(pub u32);

impl Points {
    pub const fn whole(points: u32) -> Self {
        Self(points * 100)
    }

    /// "90.5".
    pub fn display(self) -> String {
        let (whole, cents) = (self.0 / 100, self.0 % 100);
        match cents {
            0 => whole.to_string(),
            c if c % 10 == 0 => format!("{whole}.{}", c / 10),
            c => format!("{whole}.{c:02}"),
        }
    }
}

/// A period's score: general criteria and task results (brief §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Score {
    pub general: Points,
    pub tasks: Points,
}

impl Score {
    /// Checks both parts against the scheme's maxima (30 and 70).
    pub fn new(general: Points, tasks: Points, scheme: &Scheme) -> Result<Self, DomainError> {
        let Method::Points {
            general_max,
            tasks_max,
            ..
        } = scheme.method
        else {
            return Err(DomainError::invalid(
                "score",
                "criteria_regime",
                format!("{} rates by criteria, not points", scheme.regime),
            ));
        };
        let mut errors = crate::error::Collector::default();
        if general > Points::whole(general_max) {
            errors.push("general", "out_of_range", format!("0 to {general_max}"));
        }
        if tasks > Points::whole(tasks_max) {
            errors.push("tasks", "out_of_range", format!("0 to {tasks_max}"));
        }
        errors.finish()?;
        Ok(Self { general, tasks })
    }

    pub fn total(self) -> Points {
        Points(self.general.0 + self.tasks.0)
    }
}

/// How a unit's regulation turns period scores into the annual score (233/2026 Art. 12(5): the
/// unit's internal regulation sets it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// The mean of the periods evaluated.
    Mean,
    /// The lowest period evaluated.
    Lowest,
}

impl Aggregation {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Mean => "mean",
            Self::Lowest => "lowest",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Mean, Self::Lowest]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// The annual score from the periods evaluated, each weighted by the months it covers (a
/// half-year counts six times a month); a period without an evaluation is skipped, not counted
/// as zero. The mean is taken of the total and of the general part, each rounded half up to the
/// hundredth once, so two periods of 90 make 90. None when no period was evaluated.
pub fn annual(periods: &[(Period, Score)], rule: Aggregation) -> Option<Score> {
    if periods.is_empty() {
        return None;
    }
    match rule {
        Aggregation::Mean => {
            let weight = |p: &Period| {
                let (first, last) = p.months();
                u64::from(last - first + 1)
            };
            let months: u64 = periods.iter().map(|(p, _)| weight(p)).sum();
            let sum = |part: fn(&Score) -> u32| -> u64 {
                periods
                    .iter()
                    .map(|(p, s)| u64::from(part(s)) * weight(p))
                    .sum()
            };
            mean_of_sums(sum(|s| s.general.0), sum(|s| s.total().0), months)
        }
        Aggregation::Lowest => periods.iter().map(|(_, s)| *s).min_by_key(|s| s.total()),
    }
}

/// The mean rule of [`annual`] from month-weighted sums (hundredths × months) of the general part
/// and of the total, and the months evaluated: each mean rounded half up to the hundredth once.
/// None when no month was evaluated.
pub fn mean_of_sums(general: u64, total: u64, months: u64) -> Option<Score> {
    if months == 0 {
        return None;
    }
    let half_up = |x: u64| u32::try_from((2 * x + months) / (2 * months)).unwrap_or(u32::MAX);
    let total = half_up(total);
    let general = half_up(general).min(total);
    Some(Score {
        general: Points(general),
        tasks: Points(total - general),
    })
}

/// The kinds of evaluation period (brief §11.4 item 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Month,
    Quarter,
    HalfYear,
    Year,
}

impl PeriodKind {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::HalfYear => "half_year",
            Self::Year => "year",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Month, Self::Quarter, Self::HalfYear, Self::Year]
            .into_iter()
            .find(|k| k.code() == code)
    }

    /// How many periods of this kind a year has.
    pub const fn per_year(self) -> u32 {
        match self {
            Self::Month => 12,
            Self::Quarter => 4,
            Self::HalfYear => 2,
            Self::Year => 1,
        }
    }

    const fn months(self) -> u32 {
        12 / self.per_year()
    }
}

/// One evaluation period: month 1–12, quarter 1–4, half 1–2, or the year (index 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: i32,
    pub index: u32,
}

impl Period {
    pub fn new(kind: PeriodKind, year: i32, index: u32) -> Result<Self, DomainError> {
        if !(2000..=2100).contains(&year) {
            return Err(DomainError::invalid("year", "out_of_range", "2000 to 2100"));
        }
        if index == 0 || index > kind.per_year() {
            return Err(DomainError::invalid(
                "index",
                "out_of_range",
                format!("1 to {} for a {}", kind.per_year(), kind.code()),
            ));
        }
        Ok(Self { kind, year, index })
    }

    /// The first and last month (1–12) the period covers.
    pub const fn months(self) -> (u32, u32) {
        let span = self.kind.months();
        let first = (self.index - 1) * span + 1;
        (first, first + span - 1)
    }

    /// Whether two periods share a month: a person has one evaluation per stretch of time.
    pub fn overlaps(self, other: Period) -> bool {
        if self.year != other.year {
            return false;
        }
        let (a1, a2) = self.months();
        let (b1, b2) = other.months();
        a1 <= b2 && b1 <= a2
    }

    /// The period's first and last day.
    pub fn dates(self) -> Option<(NaiveDate, NaiveDate)> {
        let (first, last) = self.months();
        let start = NaiveDate::from_ymd_opt(self.year, first, 1)?;
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(self.year, last + 1, 1)?
        };
        Some((start, next.pred_opt()?))
    }
}

/// A disciplinary decision as the year-end classification reads it (brief §4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisciplineFact {
    /// The act punished: Party and administrative decisions for the same act share it.
    pub act: String,
    pub form: Form,
    /// For a violation related to public duty or to performing tasks.
    pub duty_related: bool,
    /// The day the decision took effect.
    pub effective_on: NaiveDate,
    /// The year whose rating the violation already made KHT before the decision was issued.
    pub used_for_kht_in: Option<i32>,
    /// The violation was committed at a former organisation.
    pub at_former_unit: bool,
    /// The day the act was committed.
    pub committed_on: NaiveDate,
}

/// The criteria results of the historic regime (Decree 90/2020, brief §4.7), in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriteriaResult {
    /// The general criteria (politics, ethics, discipline…) were all met well.
    pub general_met: bool,
    /// Share of tasks completed.
    pub tasks_done_pct: u32,
    /// Share of tasks exceeded.
    pub exceeded_pct: u32,
    /// Share of criteria late, of low quality or inefficient.
    pub shortfall_pct: u32,
    /// Share of task criteria not met.
    pub unmet_pct: u32,
}

/// Everything the classification of one person's year reads.
#[derive(Debug, Clone, Default)]
pub struct PersonYear<'a> {
    pub year: i32,
    /// The annual score, for points-based schemes.
    pub score: Option<Score>,
    /// The criteria results, for criteria-based schemes.
    pub criteria: Option<CriteriaResult>,
    /// Whole months worked in the year.
    pub months_worked: u32,
    /// Sick or maternity leave under social-insurance law, or unpaid leave after at least six
    /// months actually worked: rated on the time worked (233/2026 Art. 14).
    pub protected_leave: bool,
    /// A competent conclusion of degeneration, self-evolution or self-transformation.
    pub degeneration: bool,
    /// For a leader: a unit they directly manage was sanctioned for corruption or waste.
    pub managed_unit_corruption: bool,
    /// …which the leader detected, reported and remedied themselves (the authority may then rate
    /// them otherwise).
    pub corruption_self_remedied: bool,
    pub discipline: &'a [DisciplineFact],
}

/// Why a person got their result: a stable code, a sentence, and the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: &'static str,
    /// The sentence in Vietnamese.
    pub message: String,
    /// The sentence in English.
    pub message_en: String,
    pub basis: String,
}

/// A proposed or computed result with its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
}

fn reason(code: &'static str, message: Bilingual, basis: &LegalBasis) -> Reason {
    Reason {
        code,
        message: message.vi,
        message_en: message.en,
        basis: format!("{} [{}]", basis.cite(), basis.confidence.code()),
    }
}

/// The decision of the year that makes the person KHT, under the bookkeeping of §4.4 when the
/// scheme has it: a decision already used to rate KHT earlier does not count again; Party and
/// administrative decisions for the same act count in the earliest year only; an act at a former
/// organisation in an earlier year counts in that organisation's rating of that year (not here),
/// while one of this year counts here, since the new unit rates the whole year (233/2026 Art.
/// 15(1)). Only decisions of `at_least` or heavier count.
pub fn counting_discipline(
    facts: &[DisciplineFact],
    year: i32,
    once: bool,
    at_least: Form,
) -> Option<&DisciplineFact> {
    facts.iter().find(|d| {
        if d.effective_on.year() != year || !d.duty_related || severity(d.form) < severity(at_least)
        {
            return false;
        }
        if !once {
            return true;
        }
        let used_before = d.used_for_kht_in.is_some_and(|y| y < year);
        let counted_earlier = facts
            .iter()
            .any(|o| o.act == d.act && o.effective_on.year() < year);
        let elsewhere = d.at_former_unit && d.committed_on.year() < year;
        !used_before && !counted_earlier && !elsewhere
    })
}

impl AssessmentRules {
    /// Classifies one person's year under `scheme`: not rated under six months (unless protected
    /// leave), else any disqualifier makes KHT whatever the score, else the score or criteria
    /// decide. Every step that decided is a reason.
    pub fn classify(&self, scheme: &Scheme, p: &PersonYear<'_>) -> Classification {
        let mut reasons = Vec::new();
        if p.months_worked < self.min_months && !p.protected_leave {
            reasons.push(reason(
                "under_six_months",
                Bilingual::new(
                    format!(
                        "Năm {} công tác {} tháng, chưa đủ {} tháng",
                        p.year, p.months_worked, self.min_months
                    ),
                    format!(
                        "worked {} months in {}, fewer than {}",
                        p.months_worked, p.year, self.min_months
                    ),
                ),
                &self.min_months_basis,
            ));
            return Classification {
                outcome: Outcome::NotRated,
                reasons,
            };
        }
        if p.months_worked < self.min_months {
            reasons.push(reason(
                "protected_leave",
                Bilingual::new(
                    "Đánh giá theo thời gian thực tế công tác (nghỉ theo chế độ)",
                    "rated on the time actually worked (protected leave)",
                ),
                &self.min_months_basis,
            ));
        }
        let disqualified = self.disqualifiers(scheme, p);
        if !disqualified.is_empty() {
            reasons.extend(disqualified);
            return Classification {
                outcome: Outcome::Rated(Level::Kht),
                reasons,
            };
        }
        let decided = match scheme.method {
            Method::Points { htxs, htt, ht, .. } => by_points(scheme, p.score, htxs, htt, ht),
            Method::Criteria {
                htxs_exceeded_pct,
                ht_shortfall_pct,
                kht_unmet_pct,
            } => by_criteria(
                scheme,
                p.criteria,
                htxs_exceeded_pct,
                ht_shortfall_pct,
                kht_unmet_pct,
            ),
        };
        let (outcome, why) = decided;
        reasons.push(why);
        Classification { outcome, reasons }
    }

    fn disqualifiers(&self, scheme: &Scheme, p: &PersonYear<'_>) -> Vec<Reason> {
        let mut out = Vec::new();
        if p.degeneration {
            out.push(reason(
                "degeneration",
                Bilingual::new(
                    "Có kết luận của cấp có thẩm quyền về suy thoái tư tưởng chính trị, đạo đức, lối sống",
                    "a competent conclusion of degeneration",
                ),
                &self.disqualifier_basis,
            ));
        }
        let counting = counting_discipline(
            p.discipline,
            p.year,
            scheme.discipline_once,
            self.disqualifying_form,
        );
        if let Some(d) = counting {
            out.push(reason(
                "disciplined_in_year",
                Bilingual::new(
                    format!(
                        "Bị kỷ luật {} từ ngày {} do vi phạm liên quan đến thực thi nhiệm vụ",
                        d.form.label_vi(),
                        d.effective_on.format("%d/%m/%Y")
                    ),
                    format!(
                        "disciplined with a {} from {} for a duty-related violation",
                        d.form.label_en(),
                        d.effective_on.format("%d/%m/%Y")
                    ),
                ),
                &self.disqualifier_basis,
            ));
        }
        if p.managed_unit_corruption && !p.corruption_self_remedied {
            out.push(reason(
                "managed_unit_corruption",
                Bilingual::new(
                    "Đơn vị do người này trực tiếp quản lý để xảy ra tham nhũng, lãng phí",
                    "a unit the leader directly manages was sanctioned for corruption or waste",
                ),
                &self.disqualifier_basis,
            ));
        }
        out
    }
}

/// A form's place in the order of severity (khiển trách first).
pub fn severity(form: Form) -> usize {
    Form::ALL
        .iter()
        .position(|f| *f == form)
        .unwrap_or(usize::MAX)
}

fn by_points(
    scheme: &Scheme,
    score: Option<Score>,
    htxs: u32,
    htt: u32,
    ht: u32,
) -> (Outcome, Reason) {
    let Some(score) = score else {
        return (
            Outcome::Undetermined,
            reason(
                "no_score",
                Bilingual::new(
                    "Chưa có kỳ đánh giá nào trong năm",
                    "no period of the year was evaluated",
                ),
                &scheme.basis,
            ),
        );
    };
    let total = score.total();
    let level = if total >= Points::whole(htxs) {
        Level::Htxs
    } else if total >= Points::whole(htt) {
        Level::Htt
    } else if total >= Points::whole(ht) {
        Level::Ht
    } else {
        Level::Kht
    };
    (
        Outcome::Rated(level),
        reason(
            "score",
            Bilingual::new(
                format!(
                    "{} điểm (ngưỡng xuất sắc {htxs}, tốt {htt}, hoàn thành {ht})",
                    total.display()
                ),
                format!(
                    "{} points (thresholds: excellent {htxs}, well {htt}, completed {ht})",
                    total.display()
                ),
            ),
            &scheme.basis,
        ),
    )
}

fn by_criteria(
    scheme: &Scheme,
    criteria: Option<CriteriaResult>,
    htxs_exceeded_pct: u32,
    ht_shortfall_pct: u32,
    kht_unmet_pct: u32,
) -> (Outcome, Reason) {
    let Some(c) = criteria else {
        return (
            Outcome::Undetermined,
            reason(
                "no_criteria",
                Bilingual::new(
                    "Chưa ghi nhận kết quả theo tiêu chí",
                    "no criteria results were recorded",
                ),
                &scheme.basis,
            ),
        );
    };
    let all_done = c.tasks_done_pct >= 100;
    let (level, why) = if c.unmet_pct > kht_unmet_pct {
        (
            Level::Kht,
            Bilingual::new(
                format!("Trên {kht_unmet_pct}% tiêu chí nhiệm vụ không đạt"),
                format!("more than {kht_unmet_pct}% of task criteria not met"),
            ),
        )
    } else if c.general_met
        && all_done
        && c.shortfall_pct == 0
        && c.exceeded_pct >= htxs_exceeded_pct
    {
        (
            Level::Htxs,
            Bilingual::new(
                format!(
                    "100% nhiệm vụ hoàn thành đúng hạn, bảo đảm chất lượng, trong đó {}% vượt mức",
                    c.exceeded_pct
                ),
                format!("all tasks done with quality, {}% exceeded", c.exceeded_pct),
            ),
        )
    } else if c.general_met && all_done && c.shortfall_pct == 0 {
        (
            Level::Htt,
            Bilingual::new(
                "100% nhiệm vụ hoàn thành đúng hạn, bảo đảm chất lượng",
                "all tasks done",
            ),
        )
    } else if all_done && c.shortfall_pct <= ht_shortfall_pct {
        (
            Level::Ht,
            Bilingual::new(
                format!(
                    "{}% tiêu chí chậm tiến độ hoặc chưa bảo đảm chất lượng",
                    c.shortfall_pct
                ),
                format!("{}% of criteria late or of low quality", c.shortfall_pct),
            ),
        )
    } else {
        (
            Level::Kht,
            Bilingual::new(
                format!(
                    "Trên {ht_shortfall_pct}% tiêu chí chậm tiến độ hoặc chưa bảo đảm chất lượng"
                ),
                format!("more than {ht_shortfall_pct}% of criteria late or of low quality"),
            ),
        )
    };
    (
        Outcome::Rated(level),
        reason("criteria", why, &scheme.basis),
    )
}

#[cfg(test)]
mod tests;
