//! What a decision carries with it beyond the form (brief §3.7): postponements of the handling, and
//! the knock-on effects on pay, promotion and appointment, as data.

use super::*;

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
        let file: File = toml::from_str(include_str!("../../data/consequences.toml"))
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
