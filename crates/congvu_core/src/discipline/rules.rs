//! The discipline rules as shipped data (`data/discipline.toml`): regimes' limitation and handling
//! periods, ladders of forms per category, abolished forms, step limits, read and checked once.

use super::*;

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

/// A procedural rule a refusal names (its article read from `data/discipline.toml`, by regime).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Procedure {
    /// A violation is disciplined only once.
    OnceOnly,
    /// A decision takes effect no earlier than its day.
    EffectiveDate,
    /// The unit competent to decide.
    CompetentUnit,
    /// The council's composition.
    Council,
    /// The self-criticism at the review meeting.
    SelfCriticism,
    /// The convocation's notice.
    Convocation,
    /// The council's secret ballot.
    Ballots,
    /// The handling time limit extended once.
    Extension,
}

/// Where a regime writes its procedural rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationRule {
    pub regimes: Vec<String>,
    pub document: String,
    pub confidence: Confidence,
    /// The article of each rule, where it was read.
    pub articles: Vec<(Procedure, String)>,
}

impl CitationRule {
    /// The decree and article of `rule`, or the decree alone where the article was not read.
    pub fn cite(&self, rule: Procedure) -> String {
        match self.articles.iter().find(|(p, _)| *p == rule) {
            Some((_, article)) => format!("{}, {article}", self.document),
            None => format!("{}, điều khoản chưa đối chiếu", self.document),
        }
    }
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
    /// Where each regime writes the procedural rules refusals name.
    pub citations: Vec<CitationRule>,
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

pub(super) fn basis(
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
            citations: Vec<RawCitations>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawCitations {
            regimes: Vec<String>,
            document: String,
            confidence: String,
            once_only: Option<String>,
            effective_date: Option<String>,
            competent_unit: Option<String>,
            council: Option<String>,
            self_criticism: Option<String>,
            convocation: Option<String>,
            ballots: Option<String>,
            extension: Option<String>,
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
        let file: File = toml::from_str(include_str!("../../data/discipline.toml"))
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
        let citations = file
            .citations
            .into_iter()
            .map(|c| {
                let confidence = Confidence::parse(&c.confidence)
                    .ok_or_else(|| shipped(format!("unknown confidence {}", c.confidence)))?;
                let articles = [
                    (Procedure::OnceOnly, c.once_only),
                    (Procedure::EffectiveDate, c.effective_date),
                    (Procedure::CompetentUnit, c.competent_unit),
                    (Procedure::Council, c.council),
                    (Procedure::SelfCriticism, c.self_criticism),
                    (Procedure::Convocation, c.convocation),
                    (Procedure::Ballots, c.ballots),
                    (Procedure::Extension, c.extension),
                ]
                .into_iter()
                .filter_map(|(p, a)| a.map(|a| (p, a)))
                .collect();
                Ok(CitationRule {
                    regimes: c.regimes,
                    document: c.document,
                    confidence,
                    articles,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Self {
            ladders,
            limitations,
            handling,
            abolished,
            citations,
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

    /// Where `regime` writes its procedural rules (every discipline regime has a row: tested).
    pub fn citations_for(&self, regime: &str) -> Option<&CitationRule> {
        self.citations
            .iter()
            .find(|c| c.regimes.iter().any(|r| r == regime))
    }

    /// Where `regime` writes `rule`, as a refusal names it: the decree and article, or the
    /// decree alone where its articles were not read (data tagged [U]).
    pub fn cite(&self, regime: &str, rule: Procedure) -> String {
        self.citations_or_unknown(regime).cite(rule)
    }

    /// The regime's citations, or a row that names the regime alone (tagged [U]) when the data
    /// holds none, so a case of a regime added without citations still reads.
    pub fn citations_or_unknown(&self, regime: &str) -> CitationRule {
        self.citations_for(regime)
            .cloned()
            .unwrap_or_else(|| CitationRule {
                regimes: vec![regime.to_owned()],
                document: format!("chế độ kỷ luật {regime}"),
                confidence: Confidence::Unverified,
                articles: Vec::new(),
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
