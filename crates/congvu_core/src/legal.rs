//! Legal bases, validity intervals and regimes. Every rule carries the document that makes it law
//! and the interval in which it applies; which regime governs a fact is chosen by date from data.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::DomainError;
use crate::staff::Category;

/// How sure we are of a statement of law (the tags of the legal brief).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// Read in a primary text.
    Verified,
    /// Read in a secondary source.
    Secondary,
    /// From recollection, not re-read.
    Recollection,
    /// Not verified; must be checked before relied upon.
    Unverified,
}

impl Confidence {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Verified => "V",
            Self::Secondary => "S",
            Self::Recollection => "R",
            Self::Unverified => "U",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "V" => Some(Self::Verified),
            "S" => Some(Self::Secondary),
            "R" => Some(Self::Recollection),
            "U" => Some(Self::Unverified),
            _ => None,
        }
    }
}

/// A closed-or-open interval of calendar days, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl Validity {
    /// `from` ≤ `to` when `to` is given.
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Result<Self, DomainError> {
        match to {
            Some(to) if to < from => Err(DomainError::invalid(
                "valid_to",
                "before_valid_from",
                "must not be before valid_from",
            )),
            _ => Ok(Self { from, to }),
        }
    }

    pub const fn from(&self) -> NaiveDate {
        self.from
    }

    pub const fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    /// Whether `date` lies inside the interval.
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }

    /// Whether the two intervals share at least one day.
    pub fn overlaps(&self, other: &Validity) -> bool {
        let starts_before_other_ends = other.to.is_none_or(|to| self.from <= to);
        let other_starts_before_self_ends = self.to.is_none_or(|to| other.from <= to);
        starts_before_other_ends && other_starts_before_self_ends
    }
}

/// The document (and article) that makes a rule law, with its confidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalBasis {
    pub document: String,
    pub article: Option<String>,
    pub confidence: Confidence,
}

impl LegalBasis {
    pub fn new(
        document: &str,
        article: Option<&str>,
        confidence: Confidence,
    ) -> Result<Self, DomainError> {
        let document = crate::text::required("legal_basis.document", document, 200)?;
        let article = crate::text::optional("legal_basis.article", article, 200)?;
        Ok(Self {
            document,
            article,
            confidence,
        })
    }

    /// "Decree 61/2018/NĐ-CP, Art. 5(1)(a)".
    pub fn cite(&self) -> String {
        match &self.article {
            Some(article) => format!("{}, {}", self.document, article),
            None => self.document.clone(),
        }
    }
}

/// The area of law a regime governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegimeDomain {
    Discipline,
    Assessment,
    OneStop,
    Complaints,
}

impl RegimeDomain {
    pub const ALL: [RegimeDomain; 4] = [
        Self::Discipline,
        Self::Assessment,
        Self::OneStop,
        Self::Complaints,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Discipline => "discipline",
            Self::Assessment => "assessment",
            Self::OneStop => "one_stop",
            Self::Complaints => "complaints",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A body of rules in force for some categories of staff during an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regime {
    pub key: String,
    pub domain: RegimeDomain,
    pub name: String,
    pub basis: LegalBasis,
    pub validity: Validity,
    /// Empty means every category.
    pub categories: Vec<Category>,
}

/// The regimes shipped with the product (`data/regimes.toml`).
pub fn national_regimes() -> Result<Vec<Regime>, DomainError> {
    #[derive(Deserialize)]
    struct File {
        regime: Vec<Raw>,
    }
    #[derive(Deserialize)]
    struct Raw {
        key: String,
        domain: String,
        name: String,
        document: String,
        article: Option<String>,
        confidence: String,
        valid_from: toml::value::Datetime,
        valid_to: Option<toml::value::Datetime>,
        #[serde(default)]
        categories: Vec<String>,
    }
    const FILE: &str = "data/regimes.toml";
    let bad = |message: String| DomainError::ShippedData {
        file: FILE,
        message,
    };
    let file: File =
        toml::from_str(include_str!("../data/regimes.toml")).map_err(|e| bad(e.to_string()))?;
    file.regime
        .into_iter()
        .map(|raw| {
            let categories = raw
                .categories
                .iter()
                .map(|c| Category::parse(c).ok_or_else(|| bad(format!("unknown category {c}"))))
                .collect::<Result<Vec<_>, _>>()?;
            let domain = RegimeDomain::parse(&raw.domain)
                .ok_or_else(|| bad(format!("unknown domain {}", raw.domain)))?;
            let confidence = Confidence::parse(&raw.confidence)
                .ok_or_else(|| bad(format!("unknown confidence {}", raw.confidence)))?;
            Ok(Regime {
                key: raw.key,
                domain,
                name: raw.name,
                basis: LegalBasis::new(&raw.document, raw.article.as_deref(), confidence)
                    .map_err(|e| bad(e.to_string()))?,
                validity: Validity::new(
                    toml_date(&raw.valid_from).map_err(bad)?,
                    raw.valid_to
                        .as_ref()
                        .map(toml_date)
                        .transpose()
                        .map_err(bad)?,
                )
                .map_err(|e| bad(e.to_string()))?,
                categories,
            })
        })
        .collect()
}

/// What to select regimes by; each absent criterion matches everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegimeQuery {
    pub domain: Option<RegimeDomain>,
    pub category: Option<Category>,
    pub on: Option<NaiveDate>,
}

/// The regimes matching a query: of the domain, applying to the category (or to every category),
/// valid on the date.
pub fn select(regimes: &[Regime], query: RegimeQuery) -> Vec<&Regime> {
    regimes
        .iter()
        .filter(|r| query.domain.is_none_or(|d| r.domain == d))
        .filter(|r| query.on.is_none_or(|d| r.validity.contains(d)))
        .filter(|r| {
            query
                .category
                .is_none_or(|c| r.categories.is_empty() || r.categories.contains(&c))
        })
        .collect()
}

/// The regime of `domain` that governs a person of `category` on `date`, if any.
pub fn regime_in_force(
    regimes: &[Regime],
    domain: RegimeDomain,
    category: Category,
    date: NaiveDate,
) -> Option<&Regime> {
    select(
        regimes,
        RegimeQuery {
            domain: Some(domain),
            category: Some(category),
            on: Some(date),
        },
    )
    .into_iter()
    .next()
}

#[cfg(test)]
mod tests;

/// A TOML date (`2025-07-01`, unquoted) as a calendar date; shipped data uses TOML's native dates.
pub(crate) fn toml_date(value: &toml::value::Datetime) -> Result<NaiveDate, String> {
    let date = match (value.date, value.time) {
        (Some(date), None) => date,
        _ => return Err(format!("{value} is not a plain date")),
    };
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
    .ok_or_else(|| format!("{value} is not a valid date"))
}
