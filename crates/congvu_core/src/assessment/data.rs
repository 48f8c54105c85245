//! The figures of classification and emulation, read from `data/assessment.toml` into private raw
//! structs and checked: the scheme of each assessment regime, the shared rules (disqualifying form,
//! six months), task scoring, quotas, and the emulation titles.

use serde::Deserialize;

use crate::discipline::Form;
use crate::emulation::{BaseSalary, InitiativeScope, Subject, TitleKey, TitleRule};
use crate::error::DomainError;
use crate::legal::{Confidence, LegalBasis};

const FILE: &str = "data/assessment.toml";

fn shipped(message: impl ToString) -> DomainError {
    DomainError::ShippedData {
        file: FILE,
        message: message.to_string(),
    }
}

/// How a scheme decides the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Out of 100: general criteria and task results; thresholds for HTXS, HTT, HT.
    Points {
        general_max: u32,
        tasks_max: u32,
        htxs: u32,
        htt: u32,
        ht: u32,
    },
    /// Decree 90/2020's criteria (percentages).
    Criteria {
        htxs_exceeded_pct: u32,
        ht_shortfall_pct: u32,
        kht_unmet_pct: u32,
    },
}

/// How one assessment regime classifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// The regime key of `data/regimes.toml`.
    pub regime: String,
    pub method: Method,
    pub basis: LegalBasis,
    /// Whether the discipline bookkeeping of §4.4 applies (from Decree 48/2023 on).
    pub discipline_once: bool,
}

/// The civil servants' task score from work products (335/2025).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskScoring {
    /// Deducted from a product's quality (timeliness) points per failed review (delay).
    pub deduction_pct: u32,
    pub quantity_weight: u32,
    pub quality_weight: u32,
    pub timeliness_weight: u32,
    pub basis: LegalBasis,
    /// The confidence of the weights (how the three ratios combine was not read).
    pub weights_confidence: Confidence,
}

/// The caps on HTXS (233/2026 Art. 12(6)–(7), Art. 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub htxs_share_of_htt_pct: u32,
    pub htxs_share_if_unit_excellent_pct: u32,
    pub small_group_below: usize,
    pub small_group_max_htxs: usize,
    pub basis: LegalBasis,
}

/// Everything classification and emulation read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRules {
    pub schemes: Vec<Scheme>,
    pub disqualifying_form: Form,
    pub disqualifier_basis: LegalBasis,
    pub min_months: u32,
    pub min_months_basis: LegalBasis,
    pub task_scoring: TaskScoring,
    pub quota: Quota,
    pub titles: Vec<TitleRule>,
    /// The last month and day of a year's emulation registration (from 1 December before).
    pub registration_until: (u32, u32),
    pub registration_basis: LegalBasis,
    /// The base salaries the award multiples apply to, oldest first.
    pub base_salaries: Vec<BaseSalary>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    scheme: Vec<RawScheme>,
    rules: RawRules,
    task_scoring: RawTaskScoring,
    quota: RawQuota,
    title: Vec<RawTitle>,
    base_salary: Vec<RawBaseSalary>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseSalary {
    valid_from: toml::value::Datetime,
    valid_to: Option<toml::value::Datetime>,
    amount: u64,
    document: String,
    confidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheme {
    regime: String,
    method: String,
    document: String,
    article: Option<String>,
    confidence: String,
    general_max: Option<u32>,
    tasks_max: Option<u32>,
    htxs: Option<u32>,
    htt: Option<u32>,
    ht: Option<u32>,
    htxs_exceeded_pct: Option<u32>,
    ht_shortfall_pct: Option<u32>,
    kht_unmet_pct: Option<u32>,
    discipline_once: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    disqualifying_form: String,
    disqualifier_document: String,
    disqualifier_article: Option<String>,
    disqualifier_confidence: String,
    min_months: u32,
    min_months_document: String,
    min_months_article: Option<String>,
    min_months_confidence: String,
    registration_until_month: u32,
    registration_until_day: u32,
    registration_document: String,
    registration_confidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaskScoring {
    deduction_pct: u32,
    quantity_weight: u32,
    quality_weight: u32,
    timeliness_weight: u32,
    document: String,
    confidence: String,
    weights_confidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuota {
    htxs_share_of_htt_pct: u32,
    htxs_share_if_unit_excellent_pct: u32,
    small_group_below: usize,
    small_group_max_htxs: usize,
    document: String,
    article: Option<String>,
    confidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    key: String,
    name: String,
    subject: String,
    document: String,
    article: Option<String>,
    confidence: String,
    min_months_since_recruitment: Option<u32>,
    requires: Option<String>,
    initiative: Option<String>,
    cap_share_of_ldtt_pct: Option<u32>,
    cap_confidence: Option<String>,
    streak_of: Option<String>,
    streak: Option<u32>,
    more_than_ldtt_share_pct: Option<u32>,
    at_least_ldtt_share_pct: Option<u32>,
    barring_form: Option<String>,
    min_cstdcs: Option<u32>,
    multiple: u32,
    multiple_confidence: String,
}

fn confidence(code: &str) -> Result<Confidence, DomainError> {
    Confidence::parse(code).ok_or_else(|| shipped(format!("unknown confidence {code}")))
}

fn basis(document: &str, article: Option<&str>, tag: &str) -> Result<LegalBasis, DomainError> {
    LegalBasis::new(document, article, confidence(tag)?).map_err(shipped)
}

fn need<T>(value: Option<T>, what: &str, of: &str) -> Result<T, DomainError> {
    value.ok_or_else(|| shipped(format!("{of}: {what} is missing")))
}

fn scheme(r: RawScheme) -> Result<Scheme, DomainError> {
    let of = r.regime.as_str();
    let method = match r.method.as_str() {
        "points" => Method::Points {
            general_max: need(r.general_max, "general_max", of)?,
            tasks_max: need(r.tasks_max, "tasks_max", of)?,
            htxs: need(r.htxs, "htxs", of)?,
            htt: need(r.htt, "htt", of)?,
            ht: need(r.ht, "ht", of)?,
        },
        "criteria" => Method::Criteria {
            htxs_exceeded_pct: need(r.htxs_exceeded_pct, "htxs_exceeded_pct", of)?,
            ht_shortfall_pct: need(r.ht_shortfall_pct, "ht_shortfall_pct", of)?,
            kht_unmet_pct: need(r.kht_unmet_pct, "kht_unmet_pct", of)?,
        },
        other => return Err(shipped(format!("{of}: unknown method {other}"))),
    };
    if let Method::Points { htxs, htt, ht, .. } = method
        && !(htxs > htt && htt > ht)
    {
        return Err(shipped(format!("{of}: thresholds must descend")));
    }
    Ok(Scheme {
        basis: basis(&r.document, r.article.as_deref(), &r.confidence)?,
        regime: r.regime,
        method,
        discipline_once: r.discipline_once.unwrap_or(true),
    })
}

fn form(code: &str) -> Result<Form, DomainError> {
    Form::parse(code).ok_or_else(|| shipped(format!("unknown discipline form {code}")))
}

fn title(r: RawTitle) -> Result<TitleRule, DomainError> {
    let key = TitleKey::parse(&r.key).ok_or_else(|| shipped(format!("unknown title {}", r.key)))?;
    let subject = match r.subject.as_str() {
        "person" => Subject::Person,
        "collective" => Subject::Collective,
        other => return Err(shipped(format!("{}: unknown subject {other}", r.key))),
    };
    let title_of = |code: Option<&String>| -> Result<Option<TitleKey>, DomainError> {
        code.map(|c| TitleKey::parse(c).ok_or_else(|| shipped(format!("unknown title {c}"))))
            .transpose()
    };
    Ok(TitleRule {
        key,
        name: r.name,
        subject,
        basis: basis(&r.document, r.article.as_deref(), &r.confidence)?,
        min_months_since_recruitment: r.min_months_since_recruitment,
        requires: title_of(r.requires.as_ref())?,
        initiative: r
            .initiative
            .as_deref()
            .map(|s| InitiativeScope::parse(s).ok_or_else(|| shipped(format!("unknown scope {s}"))))
            .transpose()?,
        cap_share_of_ldtt_pct: r.cap_share_of_ldtt_pct,
        cap_confidence: r.cap_confidence.as_deref().map(confidence).transpose()?,
        streak_of: title_of(r.streak_of.as_ref())?,
        streak: r.streak,
        more_than_ldtt_share_pct: r.more_than_ldtt_share_pct,
        at_least_ldtt_share_pct: r.at_least_ldtt_share_pct,
        barring_form: r.barring_form.as_deref().map(form).transpose()?,
        min_cstdcs: r.min_cstdcs,
        multiple_hundredths: r.multiple,
        multiple_confidence: confidence(&r.multiple_confidence)?,
    })
}

impl AssessmentRules {
    /// The figures shipped with congvu.
    pub fn national() -> Result<Self, DomainError> {
        let file: RawFile =
            toml::from_str(include_str!("../../data/assessment.toml")).map_err(shipped)?;
        let rules = file.rules;
        let t = file.task_scoring;
        let q = file.quota;
        Ok(Self {
            schemes: file
                .scheme
                .into_iter()
                .map(scheme)
                .collect::<Result<_, _>>()?,
            disqualifying_form: form(&rules.disqualifying_form)?,
            disqualifier_basis: basis(
                &rules.disqualifier_document,
                rules.disqualifier_article.as_deref(),
                &rules.disqualifier_confidence,
            )?,
            min_months: rules.min_months,
            min_months_basis: basis(
                &rules.min_months_document,
                rules.min_months_article.as_deref(),
                &rules.min_months_confidence,
            )?,
            registration_until: (rules.registration_until_month, rules.registration_until_day),
            registration_basis: basis(
                &rules.registration_document,
                None,
                &rules.registration_confidence,
            )?,
            task_scoring: TaskScoring {
                deduction_pct: t.deduction_pct,
                quantity_weight: t.quantity_weight,
                quality_weight: t.quality_weight,
                timeliness_weight: t.timeliness_weight,
                basis: basis(&t.document, None, &t.confidence)?,
                weights_confidence: confidence(&t.weights_confidence)?,
            },
            quota: Quota {
                htxs_share_of_htt_pct: q.htxs_share_of_htt_pct,
                htxs_share_if_unit_excellent_pct: q.htxs_share_if_unit_excellent_pct,
                small_group_below: q.small_group_below,
                small_group_max_htxs: q.small_group_max_htxs,
                basis: basis(&q.document, q.article.as_deref(), &q.confidence)?,
            },
            titles: file
                .title
                .into_iter()
                .map(title)
                .collect::<Result<_, _>>()?,
            base_salaries: file
                .base_salary
                .into_iter()
                .map(|b| {
                    Ok(BaseSalary {
                        valid_from: crate::legal::toml_date(&b.valid_from).map_err(shipped)?,
                        valid_to: b
                            .valid_to
                            .as_ref()
                            .map(crate::legal::toml_date)
                            .transpose()
                            .map_err(shipped)?,
                        amount: b.amount,
                        basis: basis(&b.document, None, &b.confidence)?,
                    })
                })
                .collect::<Result<_, DomainError>>()?,
        })
    }

    /// The scheme of an assessment regime (by its key in `data/regimes.toml`).
    pub fn scheme(&self, regime: &str) -> Option<&Scheme> {
        self.schemes.iter().find(|s| s.regime == regime)
    }

    /// Whether registrations for `year` are taken on `today`: from 1 December of the year before
    /// through the configured last day (brief §5.6).
    pub fn registration_open(&self, year: i32, today: chrono::NaiveDate) -> bool {
        let first = chrono::NaiveDate::from_ymd_opt(year - 1, 12, 1);
        let (month, day) = self.registration_until;
        let last = chrono::NaiveDate::from_ymd_opt(year, month, day);
        matches!((first, last), (Some(f), Some(l)) if f <= today && today <= l)
    }

    /// The rule of a title.
    pub fn title(&self, key: TitleKey) -> Option<&TitleRule> {
        self.titles.iter().find(|t| t.key == key)
    }
}
