//! Codes of conduct as versioned data: code sets (4 xin, 4 luôn, 5 không, Decision 129/2007, …)
//! with items, each with its legal basis and default severity. A unit adopts the national sets and
//! may publish its own version: draft → published → retired. Published versions are immutable and
//! carry a content hash; records made under an item pin that version.

use chrono::NaiveDate;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Collector, DomainError};
use crate::ids::UnitId;
use crate::legal::{Confidence, LegalBasis, Validity};
use crate::text;

/// The consequence level a breach warrants by default (legal brief §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Ít nghiêm trọng.
    LessSerious,
    /// Nghiêm trọng.
    Serious,
    /// Rất nghiêm trọng.
    VerySerious,
}

impl Severity {
    pub const fn code(self) -> &'static str {
        match self {
            Self::LessSerious => "less_serious",
            Self::Serious => "serious",
            Self::VerySerious => "very_serious",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::LessSerious, Self::Serious, Self::VerySerious]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Where a code set applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Shipped with the product; applies everywhere unless a unit publishes its own version.
    National,
    /// A unit's own version; applies to the unit and its sub-units.
    Unit(UnitId),
}

/// The life of a code set version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Published,
    Retired,
}

impl Status {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Retired => "retired",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Draft, Self::Published, Self::Retired]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// One rule of a code set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeItem {
    pub code: String,
    pub group: String,
    pub text_vi: String,
    pub text_en: Option<String>,
    pub basis: LegalBasis,
    pub default_severity: Severity,
}

/// The content of one code set version (everything the content hash covers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSetContent {
    pub key: String,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub normative: bool,
    pub basis: LegalBasis,
    pub validity: Validity,
    pub items: Vec<CodeItem>,
}

/// A stored code set version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSet {
    pub scope: Scope,
    pub version: u32,
    pub status: Status,
    pub content: CodeSetContent,
    pub content_hash: Option<String>,
}

/// Raw item input (from the API or shipped data).
#[derive(Debug, Clone, Default)]
pub struct ItemInput<'a> {
    pub code: &'a str,
    pub group: &'a str,
    pub text_vi: &'a str,
    pub text_en: Option<&'a str>,
    pub document: &'a str,
    pub article: Option<&'a str>,
    pub confidence: Option<&'a str>,
    pub default_severity: &'a str,
}

/// Raw content input.
#[derive(Debug, Clone, Default)]
pub struct ContentInput<'a> {
    pub key: &'a str,
    pub title_vi: &'a str,
    pub title_en: Option<&'a str>,
    pub normative: bool,
    pub document: &'a str,
    pub article: Option<&'a str>,
    pub confidence: Option<&'a str>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub items: Vec<ItemInput<'a>>,
}

impl CodeSetContent {
    pub const KEY_MAX: usize = 40;
    pub const TITLE_MAX: usize = 255;
    pub const ITEM_TEXT_MAX: usize = 2000;
    pub const ITEMS_MAX: usize = 500;

    /// Validates every field of a code set and of each item, reporting all problems at once.
    pub fn parse(input: &ContentInput<'_>) -> Result<Self, DomainError> {
        let mut errors = Collector::default();
        let key = errors
            .take(text::code("key", input.key, Self::KEY_MAX))
            .map(|k| k.to_lowercase());
        let title_vi = errors.take(text::required("title_vi", input.title_vi, Self::TITLE_MAX));
        let title_en = errors.take(text::optional("title_en", input.title_en, Self::TITLE_MAX));
        let basis = errors.take(parse_basis(
            "",
            input.document,
            input.article,
            input.confidence,
        ));
        let validity = match input.valid_from {
            Some(from) => errors.take(Validity::new(from, input.valid_to)),
            None => {
                errors.push("valid_from", "required", "must be given");
                None
            }
        };
        if input.items.is_empty() {
            errors.push("items", "required", "a code set needs at least one item");
        }
        if input.items.len() > Self::ITEMS_MAX {
            errors.push(
                "items",
                "too_many",
                format!("at most {} items", Self::ITEMS_MAX),
            );
        }
        let mut items = Vec::with_capacity(input.items.len());
        let mut seen = std::collections::HashSet::new();
        for (i, item) in input.items.iter().enumerate() {
            let raw_code = text::normalize(item.code).to_uppercase();
            if !raw_code.is_empty() && !seen.insert(raw_code) {
                errors.push(
                    &format!("items[{i}].code"),
                    "duplicate",
                    "item codes must be unique within a set",
                );
            }
            if let Some(parsed) = parse_item(i, item, &mut errors) {
                items.push(parsed);
            }
        }
        errors.finish()?;
        match (key, title_vi, title_en, basis, validity) {
            (Some(key), Some(title_vi), title_en, Some(basis), Some(validity)) => Ok(Self {
                key,
                title_vi,
                title_en: title_en.flatten(),
                normative: input.normative,
                basis,
                validity,
                items,
            }),
            _ => Err(DomainError::invalid("", "invalid", "invalid code set")),
        }
    }

    /// SHA-256 over an unambiguous, length-prefixed encoding of the content (hex).
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        };
        field("congvu.codeset.v1");
        field(&self.key);
        field(&self.title_vi);
        field(self.title_en.as_deref().unwrap_or(""));
        field(if self.normative {
            "normative"
        } else {
            "non-normative"
        });
        basis_fields(&self.basis, &mut field);
        field(&self.validity.from().to_string());
        field(
            &self
                .validity
                .to()
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        for item in &self.items {
            field(&item.code);
            field(&item.group);
            field(&item.text_vi);
            field(item.text_en.as_deref().unwrap_or(""));
            basis_fields(&item.basis, &mut field);
            field(item.default_severity.code());
        }
        hex::encode(h.finalize())
    }
}

fn basis_fields(basis: &LegalBasis, field: &mut impl FnMut(&str)) {
    field(&basis.document);
    field(basis.article.as_deref().unwrap_or(""));
    field(basis.confidence.code());
}

fn parse_basis(
    prefix: &str,
    document: &str,
    article: Option<&str>,
    confidence: Option<&str>,
) -> Result<LegalBasis, DomainError> {
    let confidence = match confidence {
        None => Confidence::Unverified,
        Some(code) => Confidence::parse(code).ok_or_else(|| {
            DomainError::invalid(
                &format!("{prefix}confidence"),
                "unknown_confidence",
                "must be one of V, S, R, U",
            )
        })?,
    };
    LegalBasis::new(document, article, confidence).map_err(|e| match e {
        DomainError::Invalid(fields) => DomainError::Invalid(
            fields
                .into_iter()
                .map(|mut f| {
                    f.field = format!("{prefix}{}", f.field.trim_start_matches("legal_basis."));
                    f
                })
                .collect(),
        ),
        other => other,
    })
}

fn parse_item(i: usize, item: &ItemInput<'_>, errors: &mut Collector) -> Option<CodeItem> {
    let prefix = format!("items[{i}].");
    let code = errors.take(text::code(&format!("{prefix}code"), item.code, 16));
    let group = errors.take(text::required(&format!("{prefix}group"), item.group, 100));
    let text_vi = errors.take(text::required(
        &format!("{prefix}text_vi"),
        item.text_vi,
        CodeSetContent::ITEM_TEXT_MAX,
    ));
    let text_en = errors.take(text::optional(
        &format!("{prefix}text_en"),
        item.text_en,
        CodeSetContent::ITEM_TEXT_MAX,
    ));
    let basis = errors.take(parse_basis(
        &prefix,
        item.document,
        item.article,
        item.confidence,
    ));
    let severity = Severity::parse(item.default_severity);
    if severity.is_none() {
        errors.push(
            &format!("{prefix}default_severity"),
            "unknown_severity",
            "must be one of less_serious, serious, very_serious",
        );
    }
    Some(CodeItem {
        code: code?,
        group: group?,
        text_vi: text_vi?,
        text_en: text_en?,
        basis: basis?,
        default_severity: severity?,
    })
}

impl CodeSet {
    /// A new draft.
    pub fn draft(scope: Scope, version: u32, content: CodeSetContent) -> Self {
        Self {
            scope,
            version,
            status: Status::Draft,
            content,
            content_hash: None,
        }
    }

    /// Replaces a draft's content; published and retired versions are immutable.
    pub fn revise(&mut self, content: CodeSetContent) -> Result<(), DomainError> {
        match self.status {
            Status::Draft => {
                self.content = content;
                Ok(())
            }
            other => Err(DomainError::CodeSetImmutable {
                state: other.code(),
            }),
        }
    }

    /// Publishes a draft, fixing its content hash.
    pub fn publish(&mut self) -> Result<(), DomainError> {
        match self.status {
            Status::Draft => {
                self.status = Status::Published;
                self.content_hash = Some(self.content.hash());
                Ok(())
            }
            other => Err(DomainError::CodeSetTransition {
                from: other.code(),
                action: "published",
            }),
        }
    }

    /// Retires a published version.
    pub fn retire(&mut self) -> Result<(), DomainError> {
        match self.status {
            Status::Published => {
                self.status = Status::Retired;
                Ok(())
            }
            other => Err(DomainError::CodeSetTransition {
                from: other.code(),
                action: "retired",
            }),
        }
    }

    /// Whether a stored published version still matches its hash (an edited row does not).
    pub fn hash_matches(&self) -> bool {
        self.content_hash.as_deref() == Some(self.content.hash().as_str())
    }
}

/// The sets in force for a unit on `date`: for each key, the published version valid on that date
/// from the nearest scope — the unit itself, then its ancestors (nearest first), then national.
/// `ancestry` lists the unit first, then its parent, up to the root.
pub fn in_force<'a>(sets: &'a [CodeSet], ancestry: &[UnitId], date: NaiveDate) -> Vec<&'a CodeSet> {
    let rank = |scope: &Scope| match scope {
        Scope::Unit(unit) => ancestry.iter().position(|a| a == unit),
        Scope::National => Some(ancestry.len()),
    };
    let mut best: Vec<(&CodeSet, usize)> = Vec::new();
    for set in sets {
        if set.status != Status::Published || !set.content.validity.contains(date) {
            continue;
        }
        let Some(r) = rank(&set.scope) else { continue };
        match best
            .iter_mut()
            .find(|(s, _)| s.content.key == set.content.key)
        {
            Some(slot) if r < slot.1 || (r == slot.1 && set.version > slot.0.version) => {
                *slot = (set, r)
            }
            Some(_) => {}
            None => best.push((set, r)),
        }
    }
    let mut result: Vec<&CodeSet> = best.into_iter().map(|(s, _)| s).collect();
    result.sort_by(|a, b| a.content.key.cmp(&b.content.key));
    result
}

/// The national code sets shipped in `data/codesets/`, each published as version 1.
pub fn national_sets() -> Result<Vec<CodeSet>, DomainError> {
    const FILES: [(&str, &str); 7] = [
        (
            "data/codesets/4xin.toml",
            include_str!("../data/codesets/4xin.toml"),
        ),
        (
            "data/codesets/4luon.toml",
            include_str!("../data/codesets/4luon.toml"),
        ),
        (
            "data/codesets/5khong.toml",
            include_str!("../data/codesets/5khong.toml"),
        ),
        (
            "data/codesets/qd129_2007.toml",
            include_str!("../data/codesets/qd129_2007.toml"),
        ),
        (
            "data/codesets/ct26_2016.toml",
            include_str!("../data/codesets/ct26_2016.toml"),
        ),
        (
            "data/codesets/nd61_2018_art5.toml",
            include_str!("../data/codesets/nd61_2018_art5.toml"),
        ),
        (
            "data/codesets/working_time.toml",
            include_str!("../data/codesets/working_time.toml"),
        ),
    ];
    FILES
        .iter()
        .map(|(file, source)| parse_shipped(file, source))
        .collect()
}

fn parse_shipped(file: &'static str, source: &str) -> Result<CodeSet, DomainError> {
    #[derive(Deserialize)]
    struct Raw {
        key: String,
        version: u32,
        title_vi: String,
        title_en: Option<String>,
        normative: bool,
        document: String,
        article: Option<String>,
        confidence: String,
        valid_from: toml::value::Datetime,
        valid_to: Option<toml::value::Datetime>,
        item: Vec<RawItem>,
    }
    #[derive(Deserialize)]
    struct RawItem {
        code: String,
        group: String,
        text_vi: String,
        text_en: Option<String>,
        document: String,
        article: Option<String>,
        confidence: String,
        default_severity: String,
    }
    let bad = |message: String| DomainError::ShippedData { file, message };
    let raw: Raw = toml::from_str(source).map_err(|e| bad(e.to_string()))?;
    let valid_from = crate::legal::toml_date(&raw.valid_from).map_err(bad)?;
    let valid_to = raw
        .valid_to
        .as_ref()
        .map(crate::legal::toml_date)
        .transpose()
        .map_err(bad)?;
    let input = ContentInput {
        key: &raw.key,
        title_vi: &raw.title_vi,
        title_en: raw.title_en.as_deref(),
        normative: raw.normative,
        document: &raw.document,
        article: raw.article.as_deref(),
        confidence: Some(&raw.confidence),
        valid_from: Some(valid_from),
        valid_to,
        items: raw
            .item
            .iter()
            .map(|i| ItemInput {
                code: &i.code,
                group: &i.group,
                text_vi: &i.text_vi,
                text_en: i.text_en.as_deref(),
                document: &i.document,
                article: i.article.as_deref(),
                confidence: Some(&i.confidence),
                default_severity: &i.default_severity,
            })
            .collect(),
    };
    let content = CodeSetContent::parse(&input).map_err(|e| bad(format!("{e:?}")))?;
    let mut set = CodeSet::draft(Scope::National, raw.version, content);
    set.publish()?;
    Ok(set)
}

#[cfg(test)]
mod tests;
