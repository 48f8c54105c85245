//! Citizens' feedback, complaints and denunciations about staff conduct (legal brief §7): the kinds
//! and their legal clocks, from data (`data/complaints.toml`): what falls due, counted from receipt
//! or acceptance, in working days on the unit's calendar or in calendar days, by the rules in force
//! on the day of receipt. Receipt codes are in [`receipt`].

pub mod intake;
pub mod receipt;

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::calendar::WorkCalendar;
use crate::error::DomainError;
use crate::legal::{Confidence, LegalBasis};

/// What a citizen's report is, once classified (§7, §11.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Phản ánh, kiến nghị (Decree 20/2008): identity required.
    Feedback,
    /// Khiếu nại (Law on Complaints).
    Complaint,
    /// Tố cáo (Law on Denunciations): identity required, protected.
    Denunciation,
    /// No usable identity: not a denunciation; may be verified internally when it names a person
    /// with evidence (Law on Denunciations Art. 25).
    AnonymousTip,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Self::Feedback,
        Self::Complaint,
        Self::Denunciation,
        Self::AnonymousTip,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Feedback => "feedback",
            Self::Complaint => "complaint",
            Self::Denunciation => "denunciation",
            Self::AnonymousTip => "anonymous_tip",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the law requires the sender's identity for this kind (an anonymous report is
    /// handled as an anonymous tip instead).
    pub const fn needs_identity(self) -> bool {
        matches!(self, Self::Feedback | Self::Complaint | Self::Denunciation)
    }
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for triage at its unit (also after a forward).
    Received,
    /// Accepted for handling (thụ lý); the resolution clock runs.
    Accepted,
    /// Not accepted, with a reason the citizen reads.
    Rejected,
    /// Handled, with an outcome and a conclusion the citizen reads.
    Concluded,
}

impl State {
    pub const ALL: [State; 4] = [
        Self::Received,
        Self::Accepted,
        Self::Rejected,
        Self::Concluded,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Concluded => "concluded",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The states reachable in one step.
    pub const fn next(self) -> &'static [State] {
        match self {
            Self::Received => &[Self::Accepted, Self::Rejected],
            Self::Accepted => &[Self::Concluded],
            Self::Rejected | Self::Concluded => &[],
        }
    }
}

/// What the handling found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Substantiated,
    PartlySubstantiated,
    Unsubstantiated,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Self::Substantiated,
        Self::PartlySubstantiated,
        Self::Unsubstantiated,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Substantiated => "substantiated",
            Self::PartlySubstantiated => "partly_substantiated",
            Self::Unsubstantiated => "unsubstantiated",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// Who reads a timeline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// The citizen (with the receipt) and the officers.
    Citizen,
    /// The officers who see the report.
    Internal,
    /// Its author only.
    Personal,
}

impl Tier {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Internal => "internal",
            Self::Personal => "personal",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Citizen, Self::Internal, Self::Personal]
            .into_iter()
            .find(|t| t.code() == code)
    }
}

/// A legal clock of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Forward to the competent body (feedback; a denunciation outside competence).
    Forward,
    /// Accept (thụ lý) or refuse a complaint.
    Acceptance,
    /// Register, classify and check a denunciation.
    InitialHandling,
    /// Resolve after acceptance.
    Resolution,
}

impl Clock {
    pub const ALL: [Clock; 4] = [
        Self::Forward,
        Self::Acceptance,
        Self::InitialHandling,
        Self::Resolution,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Acceptance => "acceptance",
            Self::InitialHandling => "initial_handling",
            Self::Resolution => "resolution",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The circumstances that change a clock's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Standard,
    /// A complex complaint (recorded in writing with its reason).
    Complex,
    /// A remote area.
    Remote,
    RemoteComplex,
    /// A denunciation that needs verification at several places.
    SeveralPlaces,
}

impl Variant {
    pub const ALL: [Variant; 5] = [
        Self::Standard,
        Self::Complex,
        Self::Remote,
        Self::RemoteComplex,
        Self::SeveralPlaces,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Complex => "complex",
            Self::Remote => "remote",
            Self::RemoteComplex => "remote_complex",
            Self::SeveralPlaces => "several_places",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// The event a clock counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Received,
    Accepted,
}

/// How a clock's days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayUnit {
    /// Working days on the unit's calendar.
    Working,
    /// Calendar days.
    Calendar,
}

/// One clock rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockRule {
    pub kind: Kind,
    pub clock: Clock,
    pub from: Event,
    /// `None`: every variant.
    pub variant: Option<Variant>,
    pub days: u32,
    pub unit: DayUnit,
    /// How sure the day unit is (the Laws say "ngày"; brief §7.2).
    pub unit_confidence: Confidence,
    /// The receipt dates the rule applies to.
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub basis: LegalBasis,
}

/// Extensions of a resolution clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRule {
    pub kind: Kind,
    pub days: u32,
    pub max_extensions: u32,
    pub basis: LegalBasis,
}

/// All clock rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRules {
    pub rules: Vec<ClockRule>,
    pub extensions: Vec<ExtensionRule>,
}

/// A deadline of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub clock: Clock,
    pub due_on: NaiveDate,
    pub rule: ClockRule,
}

const FILE: &str = "data/complaints.toml";

fn shipped(message: impl Into<String>) -> DomainError {
    DomainError::ShippedData {
        file: FILE,
        message: message.into(),
    }
}

#[derive(Deserialize)]
struct RawFile {
    rule: Vec<RawRule>,
    extension: Vec<RawExtension>,
}

#[derive(Deserialize)]
struct RawRule {
    kind: String,
    clock: String,
    from: String,
    variant: Option<String>,
    days: u32,
    unit: String,
    unit_confidence: Option<String>,
    valid_from: Option<toml::value::Datetime>,
    valid_to: Option<toml::value::Datetime>,
    document: String,
    article: Option<String>,
    confidence: String,
}

#[derive(Deserialize)]
struct RawExtension {
    kind: String,
    days: u32,
    max_extensions: u32,
    unit: String,
    document: String,
    article: Option<String>,
    confidence: String,
}

fn confidence(code: &str) -> Result<Confidence, DomainError> {
    Confidence::parse(code).ok_or_else(|| shipped(format!("unknown confidence {code}")))
}

fn kind(code: &str) -> Result<Kind, DomainError> {
    Kind::parse(code).ok_or_else(|| shipped(format!("unknown kind {code}")))
}

fn date(value: Option<&toml::value::Datetime>) -> Result<Option<NaiveDate>, DomainError> {
    value
        .map(|v| crate::legal::toml_date(v).map_err(shipped))
        .transpose()
}

fn basis(document: &str, article: Option<&str>, level: &str) -> Result<LegalBasis, DomainError> {
    LegalBasis::new(document, article, confidence(level)?).map_err(|e| shipped(e.to_string()))
}

fn rule(raw: RawRule) -> Result<ClockRule, DomainError> {
    Ok(ClockRule {
        kind: kind(&raw.kind)?,
        clock: Clock::parse(&raw.clock)
            .ok_or_else(|| shipped(format!("unknown clock {}", raw.clock)))?,
        from: match raw.from.as_str() {
            "received" => Event::Received,
            "accepted" => Event::Accepted,
            other => return Err(shipped(format!("unknown event {other}"))),
        },
        variant: raw
            .variant
            .as_deref()
            .map(|v| Variant::parse(v).ok_or_else(|| shipped(format!("unknown variant {v}"))))
            .transpose()?,
        days: raw.days,
        unit: match raw.unit.as_str() {
            "working" => DayUnit::Working,
            "calendar" => DayUnit::Calendar,
            other => return Err(shipped(format!("unknown day unit {other}"))),
        },
        unit_confidence: match raw.unit_confidence.as_deref() {
            Some(c) => confidence(c)?,
            None => confidence(&raw.confidence)?,
        },
        valid_from: date(raw.valid_from.as_ref())?,
        valid_to: date(raw.valid_to.as_ref())?,
        basis: basis(&raw.document, raw.article.as_deref(), &raw.confidence)?,
    })
}

impl ComplaintRules {
    /// The rules shipped with congvu.
    pub fn national() -> Result<Self, DomainError> {
        let file: RawFile = toml::from_str(include_str!("../data/complaints.toml"))
            .map_err(|e| shipped(e.to_string()))?;
        let rules = file
            .rule
            .into_iter()
            .map(rule)
            .collect::<Result<Vec<_>, _>>()?;
        let extensions = file
            .extension
            .into_iter()
            .map(|e| {
                if e.unit != "calendar" {
                    return Err(shipped("only calendar-day extensions are supported"));
                }
                Ok(ExtensionRule {
                    kind: kind(&e.kind)?,
                    days: e.days,
                    max_extensions: e.max_extensions,
                    basis: basis(&e.document, e.article.as_deref(), &e.confidence)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Self { rules, extensions })
    }

    /// The rule of a clock for a report of `kind` received on `received_on`.
    pub fn rule(
        &self,
        kind: Kind,
        clock: Clock,
        variant: Variant,
        received_on: NaiveDate,
    ) -> Option<&ClockRule> {
        self.rules.iter().find(|r| {
            r.kind == kind
                && r.clock == clock
                && r.variant.is_none_or(|v| v == variant)
                && r.valid_from.is_none_or(|f| received_on >= f)
                && r.valid_to.is_none_or(|t| received_on <= t)
        })
    }

    /// The extension rule of a kind.
    pub fn extension(&self, kind: Kind) -> Option<&ExtensionRule> {
        self.extensions.iter().find(|e| e.kind == kind)
    }
}

/// The last day of `days` counted from `from` in the rule's unit.
fn count(
    unit: DayUnit,
    from: NaiveDate,
    days: u32,
    calendar: &WorkCalendar,
) -> Result<NaiveDate, DomainError> {
    match unit {
        DayUnit::Working => calendar.add_working_days(from, days),
        DayUnit::Calendar => Ok(from + Duration::days(i64::from(days))),
    }
}

/// Why an extension is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionRefusal {
    /// The kind has no extensions.
    NotExtendable,
    /// Already extended the most times the law allows.
    Exhausted { max: u32, basis: LegalBasis },
}

/// Whether one more extension is allowed after `done` (Law on Denunciations Art. 30).
pub fn may_extend(rules: &ComplaintRules, kind: Kind, done: u32) -> Result<(), ExtensionRefusal> {
    let rule = rules
        .extension(kind)
        .ok_or(ExtensionRefusal::NotExtendable)?;
    if done >= rule.max_extensions {
        Err(ExtensionRefusal::Exhausted {
            max: rule.max_extensions,
            basis: rule.basis.clone(),
        })
    } else {
        Ok(())
    }
}

/// What a report is and what happened to it, as its clocks read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportFacts {
    pub kind: Kind,
    pub variant: Variant,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// Resolution extensions decided so far.
    pub extensions: u32,
}

/// The deadlines of a report: the receipt-counted clocks always, the acceptance-counted ones once
/// it is accepted (with the extensions decided). An anonymous tip has none.
pub fn deadlines(
    rules: &ComplaintRules,
    facts: ReportFacts,
    calendar: &WorkCalendar,
) -> Result<Vec<Due>, DomainError> {
    let mut out = Vec::new();
    for clock in Clock::ALL {
        let Some(rule) = rules.rule(facts.kind, clock, facts.variant, facts.received_on) else {
            continue;
        };
        let start = match rule.from {
            Event::Received => facts.received_on,
            Event::Accepted => match facts.accepted_on {
                Some(day) => day,
                None => continue,
            },
        };
        let mut due_on = count(rule.unit, start, rule.days, calendar)?;
        if clock == Clock::Resolution
            && let Some(ext) = rules.extension(facts.kind)
        {
            let granted = facts.extensions.min(ext.max_extensions);
            due_on += Duration::days(i64::from(ext.days) * i64::from(granted));
        }
        out.push(Due {
            clock,
            due_on,
            rule: rule.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
