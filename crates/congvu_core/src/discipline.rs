//! Discipline rules (legal brief §3): which forms a person may receive under the regime in force,
//! the limitation and handling clocks computed from dated facts and pauses, and the suggested form
//! with its reasons. The figures are data (`data/discipline.toml`); the logic is here.

pub mod case;
pub mod particulars;
pub mod view;

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::calendar;
use crate::error::DomainError;
use crate::legal::{Confidence, LegalBasis};
use crate::staff::Category;
use crate::text::Bilingual;

/// A disciplinary form (hình thức kỷ luật).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Khiển trách (reprimand).
    KhienTrach,
    /// Cảnh cáo (warning).
    CanhCao,
    /// Hạ bậc lương (salary-step demotion), civil servants before 1/7/2025.
    HaBacLuong,
    /// Giáng chức (demotion in post), civil-servant leaders before 1/7/2025.
    GiangChuc,
    /// Cách chức (dismissal from post).
    CachChuc,
    /// Bãi nhiệm (removal from elected office), cadres.
    BaiNhiem,
    /// Buộc thôi việc (forced resignation).
    BuocThoiViec,
}

impl Form {
    pub const ALL: [Form; 7] = [
        Self::KhienTrach,
        Self::CanhCao,
        Self::HaBacLuong,
        Self::GiangChuc,
        Self::CachChuc,
        Self::BaiNhiem,
        Self::BuocThoiViec,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::KhienTrach => "khien_trach",
            Self::CanhCao => "canh_cao",
            Self::HaBacLuong => "ha_bac_luong",
            Self::GiangChuc => "giang_chuc",
            Self::CachChuc => "cach_chuc",
            Self::BaiNhiem => "bai_nhiem",
            Self::BuocThoiViec => "buoc_thoi_viec",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The form's name in Vietnamese, as decisions write it.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::KhienTrach => "khiển trách",
            Self::CanhCao => "cảnh cáo",
            Self::HaBacLuong => "hạ bậc lương",
            Self::GiangChuc => "giáng chức",
            Self::CachChuc => "cách chức",
            Self::BaiNhiem => "bãi nhiệm",
            Self::BuocThoiViec => "buộc thôi việc",
        }
    }

    /// The form's name in English.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::KhienTrach => "reprimand",
            Self::CanhCao => "warning",
            Self::HaBacLuong => "salary-step demotion",
            Self::GiangChuc => "demotion in post",
            Self::CachChuc => "dismissal from post",
            Self::BaiNhiem => "removal from office",
            Self::BuocThoiViec => "forced resignation",
        }
    }
}

/// The consequence level of a violation (234/2026 Art. 6(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Consequence {
    LessSerious,
    Serious,
    VerySerious,
}

/// The forms open to one kind of person under one regime, mildest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    pub regimes: Vec<String>,
    pub categories: Vec<Category>,
    pub leader: bool,
    pub forms: Vec<Form>,
    pub basis: LegalBasis,
}

impl Ladder {
    /// The position of a form on this ladder (0 = mildest).
    pub fn rank(&self, form: Form) -> Option<usize> {
        self.forms.iter().position(|f| *f == form)
    }

    /// The form one level above `form`, or the heaviest form when already at the top.
    pub fn one_above(&self, form: Form) -> Option<Form> {
        let rank = self.rank(form)?;
        self.forms.get(rank + 1).or(self.forms.last()).copied()
    }

    /// A form of another ladder (a historic one) placed on this one: the heaviest form of this
    /// ladder that is not heavier than it in the order of `Form::ALL` (hạ bậc lương → cảnh cáo).
    pub fn counterpart(&self, form: Form) -> Option<Form> {
        if self.rank(form).is_some() {
            return Some(form);
        }
        let weight = |f: Form| Form::ALL.iter().position(|a| *a == f);
        let limit = weight(form)?;
        self.forms
            .iter()
            .copied()
            .rfind(|f| weight(*f).is_some_and(|w| w <= limit))
    }

    /// The heaviest of several forms on this ladder.
    pub fn heaviest(&self, forms: impl IntoIterator<Item = Form>) -> Option<Form> {
        forms
            .into_iter()
            .filter_map(|f| self.rank(f).map(|r| (r, f)))
            .max_by_key(|(r, _)| *r)
            .map(|(_, f)| f)
    }
}

/// The limitation periods of a regime (§3.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitationRule {
    pub regimes: Vec<String>,
    pub reprimand_months: u32,
    pub other_months: u32,
    pub basis: LegalBasis,
}

/// The handling time limit of a regime (§3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlingRule {
    pub regimes: Vec<String>,
    pub limit_days: u32,
    pub extended_days: u32,
    pub basis: LegalBasis,
}

/// All discipline figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisciplineRules {
    pub ladders: Vec<Ladder>,
    pub limitations: Vec<LimitationRule>,
    pub handling: Vec<HandlingRule>,
    pub effect_months: u32,
    pub repeat_window_months: u32,
    pub effect_basis: LegalBasis,
    pub steps: Vec<StepRule>,
    /// Forms the law abolished, with their last day.
    pub abolished: Vec<Abolition>,
    /// Days after a Party decision's announcement within which the administrative decision is due.
    pub party_days: u32,
    pub party_basis: LegalBasis,
}

/// A form no decision may use after its last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abolition {
    pub form: Form,
    pub last_day: NaiveDate,
    pub basis: LegalBasis,
}

/// The working-day limits of the procedure's steps for some regimes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRule {
    pub regimes: Vec<String>,
    pub limits: case::StepLimits,
    pub basis: LegalBasis,
}

/// Why a form was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormRefusal {
    /// No ladder is defined for this regime and kind of person.
    NoLadder,
    /// The form is not on the person's ladder; the rule that lists the allowed forms.
    NotAllowed {
        allowed: Vec<Form>,
        rule: LegalBasis,
    },
}

const FILE: &str = "data/discipline.toml";

fn shipped(message: impl Into<String>) -> DomainError {
    DomainError::ShippedData {
        file: FILE,
        message: message.into(),
    }
}

fn basis(
    document: &str,
    article: Option<&str>,
    confidence: &str,
) -> Result<LegalBasis, DomainError> {
    let confidence = Confidence::parse(confidence)
        .ok_or_else(|| shipped(format!("unknown confidence {confidence}")))?;
    LegalBasis::new(document, article, confidence).map_err(|e| shipped(e.to_string()))
}

impl DisciplineRules {
    /// The rules shipped with congvu.
    pub fn national() -> Result<Self, DomainError> {
        #[derive(Deserialize)]
        struct File {
            ladder: Vec<RawLadder>,
            limitation: Vec<RawLimitation>,
            handling: Vec<RawHandling>,
            effect: RawEffect,
            steps: Vec<RawSteps>,
            abolished: Vec<RawAbolished>,
            annulment: RawAnnulment,
            party: RawParty,
        }
        #[derive(Deserialize)]
        struct RawSteps {
            regimes: Vec<String>,
            report_after_review: u32,
            council_after_report: u32,
            convocation_before_meeting: u32,
            recommendation_after_meeting: u32,
            decision_after_recommendation: u32,
            decision_after_conviction: u32,
            document: String,
            article: Option<String>,
            confidence: String,
        }
        #[derive(Deserialize)]
        struct RawAbolished {
            form: String,
            last_day: toml::value::Datetime,
            document: String,
            confidence: String,
        }
        #[derive(Deserialize)]
        struct RawAnnulment {
            announcement_working_days: u32,
        }
        #[derive(Deserialize)]
        struct RawParty {
            days: u32,
            document: String,
            article: Option<String>,
            confidence: String,
        }
        #[derive(Deserialize)]
        struct RawLadder {
            regimes: Vec<String>,
            categories: Vec<String>,
            leader: bool,
            forms: Vec<String>,
            document: String,
            article: Option<String>,
            confidence: String,
        }
        #[derive(Deserialize)]
        struct RawLimitation {
            regimes: Vec<String>,
            reprimand_months: u32,
            other_months: u32,
            document: String,
            confidence: String,
        }
        #[derive(Deserialize)]
        struct RawHandling {
            regimes: Vec<String>,
            limit_days: u32,
            extended_days: u32,
            day_unit: String,
            document: String,
            confidence: String,
        }
        #[derive(Deserialize)]
        struct RawEffect {
            months: u32,
            repeat_window_months: u32,
            document: String,
            confidence: String,
        }
        let file: File = toml::from_str(include_str!("../data/discipline.toml"))
            .map_err(|e| shipped(e.to_string()))?;
        let ladders = file
            .ladder
            .into_iter()
            .map(|l| {
                let categories = l
                    .categories
                    .iter()
                    .map(|c| {
                        Category::parse(c).ok_or_else(|| shipped(format!("unknown category {c}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let forms = l
                    .forms
                    .iter()
                    .map(|f| Form::parse(f).ok_or_else(|| shipped(format!("unknown form {f}"))))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Ladder {
                    regimes: l.regimes,
                    categories,
                    leader: l.leader,
                    forms,
                    basis: basis(&l.document, l.article.as_deref(), &l.confidence)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let limitations = file
            .limitation
            .into_iter()
            .map(|l| {
                Ok(LimitationRule {
                    regimes: l.regimes,
                    reprimand_months: l.reprimand_months,
                    other_months: l.other_months,
                    basis: basis(&l.document, None, &l.confidence)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let handling = file
            .handling
            .into_iter()
            .map(|h| {
                if h.day_unit != "calendar" {
                    return Err(shipped("only calendar-day handling limits are supported"));
                }
                Ok(HandlingRule {
                    regimes: h.regimes,
                    limit_days: h.limit_days,
                    extended_days: h.extended_days,
                    basis: basis(&h.document, None, &h.confidence)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let announcement = file.annulment.announcement_working_days;
        let steps = file
            .steps
            .into_iter()
            .map(|r| {
                Ok(StepRule {
                    limits: case::StepLimits {
                        report_after_review: r.report_after_review,
                        council_after_report: r.council_after_report,
                        convocation_before_meeting: r.convocation_before_meeting,
                        recommendation_after_meeting: r.recommendation_after_meeting,
                        decision_after_recommendation: r.decision_after_recommendation,
                        decision_after_conviction: r.decision_after_conviction,
                        announcement_after_annulment: announcement,
                    },
                    basis: basis(&r.document, r.article.as_deref(), &r.confidence)?,
                    regimes: r.regimes,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let abolished = file
            .abolished
            .into_iter()
            .map(|a| {
                Ok(Abolition {
                    form: Form::parse(&a.form)
                        .ok_or_else(|| shipped(format!("unknown form {}", a.form)))?,
                    last_day: crate::legal::toml_date(&a.last_day)
                        .map_err(|e| shipped(e.to_string()))?,
                    basis: basis(&a.document, None, &a.confidence)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Self {
            ladders,
            limitations,
            handling,
            abolished,
            effect_months: file.effect.months,
            repeat_window_months: file.effect.repeat_window_months,
            effect_basis: basis(&file.effect.document, None, &file.effect.confidence)?,
            steps,
            party_days: file.party.days,
            party_basis: basis(
                &file.party.document,
                file.party.article.as_deref(),
                &file.party.confidence,
            )?,
        })
    }

    /// The ladder of a person of `category` (leader or not) under `regime`.
    pub fn ladder(&self, regime: &str, category: Category, leader: bool) -> Option<&Ladder> {
        self.ladders.iter().find(|l| {
            l.regimes.iter().any(|r| r == regime)
                && l.categories.contains(&category)
                && l.leader == leader
        })
    }

    /// Whether `form` may be decided for this person under `regime`; a refusal names the rule.
    pub fn check_form(
        &self,
        regime: &str,
        category: Category,
        leader: bool,
        form: Form,
    ) -> Result<(), FormRefusal> {
        let ladder = self
            .ladder(regime, category, leader)
            .ok_or(FormRefusal::NoLadder)?;
        if ladder.rank(form).is_some() {
            Ok(())
        } else {
            Err(FormRefusal::NotAllowed {
                allowed: ladder.forms.clone(),
                rule: ladder.basis.clone(),
            })
        }
    }

    /// The ladder as it stands on `on`: without the forms the law abolished before that day.
    pub fn ladder_on(
        &self,
        regime: &str,
        category: Category,
        leader: bool,
        on: NaiveDate,
    ) -> Option<Ladder> {
        let mut ladder = self.ladder(regime, category, leader)?.clone();
        ladder.forms.retain(|f| self.abolition(*f, on).is_none());
        Some(ladder)
    }

    /// The abolition that forbids `form` on `on`, if any.
    pub fn abolition(&self, form: Form, on: NaiveDate) -> Option<&Abolition> {
        self.abolished
            .iter()
            .find(|a| a.form == form && on > a.last_day)
    }

    /// Whether `form` may be decided on `on`: on the person's ladder and not abolished by then; a
    /// refusal names the rule.
    pub fn check_form_on(
        &self,
        regime: &str,
        category: Category,
        leader: bool,
        form: Form,
        on: NaiveDate,
    ) -> Result<(), FormRefusal> {
        self.check_form(regime, category, leader, form)?;
        match self.abolition(form, on) {
            Some(a) => Err(FormRefusal::NotAllowed {
                allowed: self
                    .ladder_on(regime, category, leader, on)
                    .map(|l| l.forms)
                    .unwrap_or_default(),
                rule: a.basis.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The limitation rule of a regime.
    pub fn limitation(&self, regime: &str) -> Option<&LimitationRule> {
        self.limitations
            .iter()
            .find(|l| l.regimes.iter().any(|r| r == regime))
    }

    /// The handling rule of a regime.
    pub fn handling(&self, regime: &str) -> Option<&HandlingRule> {
        self.handling
            .iter()
            .find(|h| h.regimes.iter().any(|r| r == regime))
    }

    /// The step deadlines of a regime.
    pub fn steps(&self, regime: &str) -> Option<&StepRule> {
        self.steps
            .iter()
            .find(|h| h.regimes.iter().any(|r| r == regime))
    }
}

/// A closed or open interval of days during which a clock stands still (a "not yet considered"
/// status, criminal proceedings, a complaint against the decision; §3.4 Art. 5(6), §3.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: NaiveDate,
    /// `None` while the pause lasts.
    pub to: Option<NaiveDate>,
}

/// Where a clock stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Running; the last day of the period, and the days left counted from `on`.
    Running { last_day: NaiveDate, days_left: i64 },
    /// The period has passed.
    Breached { last_day: NaiveDate },
    /// Stopped by a pause that has not ended.
    Paused { since: NaiveDate },
    /// No limit applies (the listed exceptions of §3.4).
    Unlimited,
}

/// The last day of a period that starts the day after `start` and lasts until `nominal_end`,
/// pushed back by every paused day inside it (pauses found by pushing are counted too). `None` if
/// an open pause stops the clock.
fn pushed_end(
    start: NaiveDate,
    nominal_end: NaiveDate,
    pauses: &[Pause],
) -> Result<Option<NaiveDate>, ()> {
    let mut end = nominal_end;
    loop {
        let mut paused = 0i64;
        for p in pauses {
            if p.from > end {
                continue;
            }
            let Some(to) = p.to else { return Ok(None) };
            let from = p.from.max(start + Duration::days(1));
            if to >= from {
                paused += (to.min(end) - from).num_days() + 1;
            }
        }
        let next = nominal_end + Duration::days(paused);
        if next == end {
            return Ok(Some(end));
        }
        end = next;
        if end.years_since(nominal_end).unwrap_or(0) > 200 {
            return Err(());
        }
    }
}

fn state(end: Option<NaiveDate>, pauses: &[Pause], on: NaiveDate) -> ClockState {
    match end {
        None => ClockState::Paused {
            since: pauses
                .iter()
                .filter(|p| p.to.is_none())
                .map(|p| p.from)
                .min()
                .unwrap_or(on),
        },
        Some(last_day) if on > last_day => ClockState::Breached { last_day },
        Some(last_day) => ClockState::Running {
            last_day,
            days_left: (last_day - on).num_days(),
        },
    }
}

/// The limitation clock of a violation (§3.4): `months` from the time of the violation (its end
/// when known), restarted by a later violation inside the period, stopped by pauses.
pub fn limitation_clock(
    violation_at: NaiveDate,
    later_violations: &[NaiveDate],
    months: Option<u32>,
    pauses: &[Pause],
    on: NaiveDate,
) -> Result<ClockState, DomainError> {
    let Some(months) = months else {
        return Ok(ClockState::Unlimited);
    };
    let mut start = violation_at;
    let mut sorted = later_violations.to_vec();
    sorted.sort();
    for later in sorted {
        let end = period_end(start, months, pauses)?;
        // A new violation committed inside the running period restarts it from that day.
        if later > start && end.is_none_or(|e| later <= e) {
            start = later;
        }
    }
    Ok(state(period_end(start, months, pauses)?, pauses, on))
}

fn period_end(
    start: NaiveDate,
    months: u32,
    pauses: &[Pause],
) -> Result<Option<NaiveDate>, DomainError> {
    let nominal =
        calendar::add_months(start, months).ok_or(DomainError::CalendarNotCovered(start))?;
    pushed_end(start, nominal, pauses).map_err(|()| DomainError::CalendarNotCovered(start))
}

/// The handling clock (§3.5): `limit_days` (or `extended_days` after a recorded extension) from
/// discovery, stopped by pauses. A passed limit flags accountability; it does not forbid a
/// decision while the limitation period runs.
pub fn handling_clock(
    rule: &HandlingRule,
    discovered_on: NaiveDate,
    extended: bool,
    pauses: &[Pause],
    on: NaiveDate,
) -> Result<ClockState, DomainError> {
    let days = if extended {
        rule.extended_days
    } else {
        rule.limit_days
    };
    let nominal = discovered_on + Duration::days(i64::from(days));
    let end = pushed_end(discovered_on, nominal, pauses)
        .map_err(|()| DomainError::CalendarNotCovered(discovered_on))?;
    Ok(state(end, pauses, on))
}

/// The facts about one violation that the form rules read (234/2026 Art. 8–11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViolationFacts {
    pub consequence: Consequence,
    /// The form of an earlier decision for the same kind of violation taking effect within the
    /// repeat window (tái phạm, Art. 2(8)).
    pub repeat_of: Option<Form>,
    /// Remorse, remedy and mitigating factors (Art. 4(4)).
    pub mitigating: bool,
    /// Aggravating factors (Art. 4(3)).
    pub aggravating: bool,
}

/// A suggested form with the reasons that led to it, each with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub form: Form,
    /// Each reason in Vietnamese and English, with its legal basis.
    pub reasons: Vec<(Bilingual, LegalBasis)>,
}

fn art(article: &str) -> LegalBasis {
    LegalBasis {
        document: "Nghị định 234/2026/NĐ-CP".into(),
        article: Some(article.into()),
        confidence: Confidence::Verified,
    }
}

/// The form one violation merits on this ladder, with its reason.
fn merited(ladder: &Ladder, v: &ViolationFacts) -> (Form, Bilingual, LegalBasis) {
    let top = ladder.forms.last().copied().unwrap_or(Form::BuocThoiViec);
    match (v.repeat_of, v.consequence) {
        (Some(previous), _) => {
            let form = ladder.one_above(previous).unwrap_or(top);
            (
                form,
                Bilingual::new(
                    format!(
                        "Tái phạm sau khi đã bị {}: áp dụng hình thức kỷ luật nặng hơn một mức",
                        previous.label_vi()
                    ),
                    format!(
                        "repeat offence after a {}: one level above",
                        previous.label_en()
                    ),
                ),
                art("Điều 9–11 (tái phạm)"),
            )
        }
        (None, Consequence::LessSerious) => (
            Form::KhienTrach,
            Bilingual::new(
                "Vi phạm lần đầu, gây hậu quả ít nghiêm trọng",
                "first violation, less serious consequences",
            ),
            art("Điều 8"),
        ),
        (None, Consequence::Serious) => (
            Form::CanhCao,
            Bilingual::new(
                "Vi phạm lần đầu, gây hậu quả nghiêm trọng",
                "first violation, serious consequences",
            ),
            art("Điều 9"),
        ),
        (None, Consequence::VerySerious)
            if ladder.rank(Form::CachChuc).is_some() && v.mitigating && !v.aggravating =>
        {
            (
                Form::CachChuc,
                Bilingual::new(
                    "Gây hậu quả rất nghiêm trọng, có thái độ tiếp thu, sửa chữa và tình tiết giảm nhẹ (người giữ chức vụ quản lý)",
                    "very serious consequences, with remorse and mitigating factors (a manager)",
                ),
                art("Điều 10"),
            )
        }
        (None, Consequence::VerySerious) => (
            top,
            Bilingual::new("Gây hậu quả rất nghiêm trọng", "very serious consequences"),
            art("Điều 11"),
        ),
    }
}

/// The suggested form for violations considered together, given the form of a decision still in
/// effect (if any). Several violations → the single highest form (Art. 2(2)); a new violation while
/// a decision is in effect → one level above the heavier of the two (Art. 2(3)). The result is
/// always a form on the person's ladder.
pub fn suggest(
    ladder: &Ladder,
    violations: &[ViolationFacts],
    in_effect: Option<Form>,
) -> Option<Suggestion> {
    let mut reasons = Vec::new();
    let mut forms = Vec::new();
    // A form in effect that is not on this ladder (a historic one) counts as its counterpart here.
    let in_effect = in_effect.and_then(|c| ladder.counterpart(c).map(|placed| (c, placed)));
    let escalating = in_effect.is_some();
    for v in violations {
        // While a decision is in effect, the escalation rule of Art. 2(3) already raises the form
        // one level for the new act; counting the same earlier decision again as a repeat
        // (Art. 9–11) would raise it twice. The act is judged on its own, then escalated once.
        let judged = if escalating {
            ViolationFacts {
                repeat_of: None,
                ..*v
            }
        } else {
            *v
        };
        let (form, why, basis) = merited(ladder, &judged);
        let form = if ladder.rank(form).is_some() {
            form
        } else {
            ladder.forms.last().copied()?
        };
        forms.push(form);
        reasons.push((why, basis));
    }
    let mut form = ladder.heaviest(forms.iter().copied())?;
    if forms.len() > 1 {
        reasons.push((
            Bilingual::new(
                format!(
                    "Xem xét cùng lúc {} hành vi vi phạm: áp dụng một hình thức cao nhất",
                    forms.len()
                ),
                format!(
                    "{} violations considered together: the single highest form",
                    forms.len()
                ),
            ),
            art("Điều 2 khoản 2"),
        ));
    }
    if let Some((current, placed)) = in_effect {
        let base = ladder.heaviest([placed, form])?;
        form = ladder.one_above(base)?;
        reasons.push((
            Bilingual::new(
                format!(
                    "Đang trong thời hạn thi hành quyết định kỷ luật {}: áp dụng hình thức kỷ luật nặng hơn một mức so với hình thức nặng hơn trong hai hình thức",
                    current.label_vi()
                ),
                format!(
                    "a {} is still in effect: one level above the heavier form",
                    current.label_en()
                ),
            ),
            art("Điều 2 khoản 3"),
        ));
    }
    Some(Suggestion { form, reasons })
}

/// The last day a decision is in effect: `months` after it takes effect (it then ends by itself
/// when no new violation occurred; §3.8 Art. 2(9)).
pub fn effect_ends(effective_on: NaiveDate, months: u32) -> Option<NaiveDate> {
    calendar::add_months(effective_on, months).and_then(|d| d.pred_opt())
}

/// Whether a violation on `committed_on` is a repeat of a decision effective on `previous_effective`
/// (within the repeat window, §3.3 Art. 2(8)).
pub fn is_repeat(
    previous_effective: NaiveDate,
    committed_on: NaiveDate,
    window_months: u32,
) -> bool {
    committed_on >= previous_effective
        && effect_ends(previous_effective, window_months).is_some_and(|end| committed_on <= end)
}

/// Why discipline is "not yet considered" (legal brief §3.7; 172/2025, 234/2026 Art. 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Postponement {
    /// Treatment for a grave illness, lost cognitive capacity, or serious in-patient illness.
    GraveIllness,
    /// Pregnancy, maternity leave, or raising a child under 12 months (or the father in the cases
    /// of the decree).
    MaternityOrInfant,
    /// Prosecution, custody or detention pending investigation, prosecution or trial.
    CriminalProceedings,
}

/// Whether the reason stops the clocks: the maternity/infant case does not when the person has
/// asked in writing to be disciplined (the decree's exception).
pub fn postpones(reason: Postponement, asked_in_writing: bool) -> bool {
    !(reason == Postponement::MaternityOrInfant && asked_in_writing)
}

/// What follows from a decision beyond the form itself (§3.8). `None` figures are not verified for
/// the regime and are reported as unknown, never guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Knock {
    pub salary_raise_delay_months: Option<u32>,
    pub no_appointment_months: Option<u32>,
    /// The form rates the person "not completed" in the year's classification (duty-related).
    pub disqualifies_classification: bool,
    pub basis: Option<LegalBasis>,
}

/// One row of the consequence table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KnockRow {
    regimes: Vec<String>,
    categories: Vec<Category>,
    form: Form,
    salary_raise_delay_months: Option<u32>,
    no_appointment_months: Option<u32>,
    basis: LegalBasis,
}

/// The consequence tables (`data/consequences.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consequences {
    rows: Vec<KnockRow>,
    classification: Vec<(Vec<String>, Form, LegalBasis)>,
}

impl Consequences {
    /// The tables shipped with congvu.
    pub fn national() -> Result<Self, DomainError> {
        #[derive(Deserialize)]
        struct File {
            consequence: Vec<Row>,
            classification: Vec<Class>,
        }
        #[derive(Deserialize)]
        struct Row {
            regimes: Vec<String>,
            categories: Vec<String>,
            form: String,
            salary_raise_delay_months: Option<u32>,
            no_appointment_months: Option<u32>,
            document: String,
            confidence: String,
        }
        #[derive(Deserialize)]
        struct Class {
            regimes: Vec<String>,
            lowest_form: String,
            document: String,
            confidence: String,
        }
        let bad = |message: String| DomainError::ShippedData {
            file: "data/consequences.toml",
            message,
        };
        let file: File = toml::from_str(include_str!("../data/consequences.toml"))
            .map_err(|e| bad(e.to_string()))?;
        let form =
            |code: &str| Form::parse(code).ok_or_else(|| bad(format!("unknown form {code}")));
        let rows = file
            .consequence
            .into_iter()
            .map(|r| {
                let categories = r
                    .categories
                    .iter()
                    .map(|c| Category::parse(c).ok_or_else(|| bad(format!("unknown category {c}"))))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(KnockRow {
                    regimes: r.regimes,
                    categories,
                    form: form(&r.form)?,
                    salary_raise_delay_months: r.salary_raise_delay_months,
                    no_appointment_months: r.no_appointment_months,
                    basis: basis(&r.document, None, &r.confidence)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let classification = file
            .classification
            .into_iter()
            .map(|c| {
                Ok((
                    c.regimes,
                    form(&c.lowest_form)?,
                    basis(&c.document, None, &c.confidence)?,
                ))
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Self {
            rows,
            classification,
        })
    }

    /// The knock-on consequences of `form` for a person of `category` under `regime`.
    pub fn of(&self, regime: &str, category: Category, form: Form) -> Knock {
        let row = self.rows.iter().find(|r| {
            r.regimes.iter().any(|g| g == regime)
                && r.categories.contains(&category)
                && r.form == form
        });
        let disqualifies = self.classification.iter().any(|(regimes, lowest, _)| {
            regimes.iter().any(|r| r == regime)
                && (form == *lowest
                    || Form::ALL.iter().position(|f| *f == form)
                        >= Form::ALL.iter().position(|f| f == lowest))
        });
        Knock {
            salary_raise_delay_months: row.and_then(|r| r.salary_raise_delay_months),
            no_appointment_months: row.and_then(|r| r.no_appointment_months),
            disqualifies_classification: disqualifies,
            basis: row.map(|r| r.basis.clone()),
        }
    }
}

/// A Party discipline form (kỷ luật đảng), which the administrative form must match (§3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyForm {
    KhienTrach,
    CanhCao,
    CachChuc,
    /// Khai trừ (expulsion), the highest Party form.
    KhaiTru,
}

impl PartyForm {
    pub const ALL: [PartyForm; 4] = [
        Self::KhienTrach,
        Self::CanhCao,
        Self::CachChuc,
        Self::KhaiTru,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::KhienTrach => "khien_trach",
            Self::CanhCao => "canh_cao",
            Self::CachChuc => "cach_chuc",
            Self::KhaiTru => "khai_tru",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// A Party discipline decision about the same act, and the day it was announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyDecision {
    pub form: PartyForm,
    pub announced_on: NaiveDate,
}

/// The administrative form commensurate with a Party form on the person's ladder (234/2026
/// Art. 2(6)): the highest Party form → the highest form of the ladder; Party cách chức for someone
/// with no management post → cảnh cáo; otherwise the form of the same name. `None` when the ladder
/// has no such form.
pub fn party_equivalent(ladder: &Ladder, party: PartyForm) -> Option<(Form, Bilingual)> {
    let (form, vi, en) = match party {
        PartyForm::KhaiTru => (
            *ladder.forms.last()?,
            "Đảng viên bị khai trừ: áp dụng hình thức kỷ luật hành chính cao nhất",
            "expelled from the Party (khai trừ): the highest administrative form",
        ),
        PartyForm::CachChuc if !ladder.leader => (
            Form::CanhCao,
            "Bị cách chức trong Đảng nhưng không giữ chức vụ quản lý: cảnh cáo",
            "Party dismissal for someone who holds no management post: a warning",
        ),
        PartyForm::CachChuc => (
            Form::CachChuc,
            "Bị cách chức trong Đảng: cách chức",
            "Party dismissal from post: dismissal from post",
        ),
        PartyForm::CanhCao => (
            Form::CanhCao,
            "Bị cảnh cáo trong Đảng: cảnh cáo",
            "Party warning: a warning",
        ),
        PartyForm::KhienTrach => (
            Form::KhienTrach,
            "Bị khiển trách trong Đảng: khiển trách",
            "Party reprimand: a reprimand",
        ),
    };
    ladder.rank(form).map(|_| (form, Bilingual::new(vi, en)))
}

/// How the effect of a decision ends (§3.8 Art. 2(9)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectEnd {
    /// No new violation in the period: it ends by itself after this last day, without a document.
    Expires(NaiveDate),
    /// A later decision took effect; this was the last day of the earlier one.
    Superseded(NaiveDate),
    /// A new violation was committed during the period: the effect lasts until the decision on it
    /// takes effect.
    Pending,
}

impl EffectEnd {
    /// Whether a decision effective on `effective_on` that ends this way is in effect on `day`.
    pub fn covers(self, effective_on: NaiveDate, day: NaiveDate) -> bool {
        day >= effective_on
            && match self {
                Self::Expires(last) | Self::Superseded(last) => day <= last,
                Self::Pending => true,
            }
    }
}

/// How a decision effective on `effective_on` ends, given the dates of the person's later acts and
/// the effective date of the next decision about them, if any. `None` past the calendar's range.
pub fn effect_end(
    effective_on: NaiveDate,
    months: u32,
    later_acts: &[NaiveDate],
    next_decision: Option<NaiveDate>,
) -> Option<EffectEnd> {
    let nominal = effect_ends(effective_on, months)?;
    let new_act = later_acts
        .iter()
        .any(|a| *a >= effective_on && *a <= nominal);
    match next_decision.filter(|n| *n > effective_on) {
        Some(next) if next <= nominal || new_act => Some(EffectEnd::Superseded(next.pred_opt()?)),
        _ if new_act => Some(EffectEnd::Pending),
        _ => Some(EffectEnd::Expires(nominal)),
    }
}

/// The regime a new case is decided under (legal brief §3.1; Decree 234/2026 Art. 24(1)): the one
/// in force when the case opens for the person's category; the regime in force on the day of the
/// act instead only when a competent person has recorded that it is more favourable (`old_is_more_favourable`
/// carries that decision's reason). A case keeps its regime once opened.
pub fn case_regime<'a>(
    regimes: &'a [crate::legal::Regime],
    category: Category,
    act_on: NaiveDate,
    opened_on: NaiveDate,
    old_is_more_favourable: Option<&str>,
) -> Option<(&'a crate::legal::Regime, String)> {
    use crate::legal::{RegimeDomain, regime_in_force};
    let current = regime_in_force(regimes, RegimeDomain::Discipline, category, opened_on)?;
    match (
        old_is_more_favourable,
        regime_in_force(regimes, RegimeDomain::Discipline, category, act_on),
    ) {
        (Some(why), Some(old)) if old.key != current.key => Some((
            old,
            format!("the rule in force on the day of the act is more favourable: {why}"),
        )),
        _ => Some((
            current,
            "the rule in force when the case was opened".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests;
