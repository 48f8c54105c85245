//! Yearly commitments (brief §9.1, §11.8): a versioned template of items, each with an optional
//! legal basis or the code-of-conduct item it restates; a campaign's audience by employment; a
//! person's standing from their signing events against the template version in force; and the
//! completion roll-up through the unit tree. The pure part: storage is `congvu_db::commitment`,
//! the use cases `congvu_api::service::{commitments, signatures, completion}`.

pub mod audience;
pub mod rollup;
pub mod signing;

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};

use crate::error::{Collector, DomainError};
use crate::legal::LegalBasis;
use crate::text;

/// Most items in one template.
pub const MAX_ITEMS: usize = 60;
/// Longest item text, in characters.
pub const MAX_ITEM_TEXT: usize = 1_000;

/// Media types a scanned paper signature may have.
pub const SCAN_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// The accepted media type a `Content-Type` names, parameters ignored.
pub fn scan_type(content_type: &str) -> Option<&'static str> {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    SCAN_TYPES
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(essence))
}

/// Checks a campaign's dates: launched in its year or the December before it, due on or after
/// the launch and within the year (brief §9.1: commitments are signed at the start of the year,
/// often at the start-of-year conference).
pub fn check_campaign(
    year: i32,
    launched_on: NaiveDate,
    due_on: NaiveDate,
) -> Result<(), DomainError> {
    let mut errors = Collector::default();
    let launch_year = launched_on.year();
    let december_before = year == launch_year + 1 && launched_on.month() == 12;
    if year != launch_year && !december_before {
        errors.push(
            "year",
            "out_of_range",
            "a campaign is launched in its year or in the December before it",
        );
    }
    if due_on < launched_on {
        errors.push(
            "due_on",
            "before_launch",
            "the due date is on or after the launch",
        );
    }
    if due_on.year() != year {
        errors.push(
            "due_on",
            "out_of_year",
            "the due date falls in the campaign's year",
        );
    }
    errors.finish()
}

/// Where an item comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Restates an item of a code of conduct (set key and item code, e.g. `5khong` / `KHONG-1`).
    CodeItem { set_key: String, item_code: String },
    /// Written for this template.
    Free,
}

/// One thing the signer commits to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Stable within the template's versions ("CK-01"), so a breach can cite it.
    pub code: String,
    pub text: String,
    pub source: Source,
    pub basis: Option<LegalBasis>,
}

/// A template's content: what is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateContent {
    pub year: i32,
    pub title: String,
    pub items: Vec<Item>,
}

/// What a caller gives for one item.
#[derive(Debug, Clone, Copy)]
pub struct ItemInput<'a> {
    pub code: &'a str,
    pub text: &'a str,
    pub set_key: Option<&'a str>,
    pub item_code: Option<&'a str>,
    pub basis: Option<&'a LegalBasis>,
}

impl TemplateContent {
    /// Validates a template: a year congvu can reason about, a title, 1 to [`MAX_ITEMS`] items
    /// with unique codes and texts of at most [`MAX_ITEM_TEXT`] characters; every problem at once.
    pub fn parse(year: i32, title: &str, items: &[ItemInput<'_>]) -> Result<Self, DomainError> {
        let mut errors = Collector::default();
        if !(2000..=2100).contains(&year) {
            errors.push("year", "out_of_range", "must be between 2000 and 2100");
        }
        let title = errors.take(text::required("title", title, 300));
        if items.is_empty() || items.len() > MAX_ITEMS {
            errors.push("items", "count", format!("1 to {MAX_ITEMS} items"));
        }
        let mut parsed = Vec::with_capacity(items.len());
        let mut codes = Vec::with_capacity(items.len());
        for (i, input) in items.iter().enumerate() {
            let code = text::normalize(input.code);
            if !code.is_empty() && codes.contains(&code) {
                errors.push(&format!("items[{i}].code"), "duplicate", "codes are unique");
            }
            codes.push(code);
            parsed.extend(item(&mut errors, i, input));
        }
        errors.finish()?;
        Ok(Self {
            year,
            title: title.unwrap_or_default(),
            items: parsed,
        })
    }

    /// SHA-256 over an unambiguous, length-prefixed encoding of the content (hex): what a
    /// signature acknowledges.
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        };
        field("congvu.commitment.v1");
        field(&self.year.to_string());
        field(&self.title);
        for item in &self.items {
            field(&item.code);
            field(&item.text);
            match &item.source {
                Source::CodeItem { set_key, item_code } => {
                    field("code_item");
                    field(set_key);
                    field(item_code);
                }
                Source::Free => field("free"),
            }
            match &item.basis {
                Some(b) => {
                    field(&b.document);
                    field(b.article.as_deref().unwrap_or(""));
                    field(b.confidence.code());
                }
                None => field(""),
            }
        }
        hex::encode(h.finalize())
    }
}

fn item(errors: &mut Collector, i: usize, input: &ItemInput<'_>) -> Option<Item> {
    let code = errors.take(text::required(&format!("items[{i}].code"), input.code, 20));
    let body = errors.take(text::required(
        &format!("items[{i}].text"),
        input.text,
        MAX_ITEM_TEXT,
    ));
    let source = match (input.set_key, input.item_code) {
        (Some(set_key), Some(item_code)) => Source::CodeItem {
            set_key: set_key.to_owned(),
            item_code: item_code.to_owned(),
        },
        (None, None) => Source::Free,
        _ => {
            errors.push(
                &format!("items[{i}].item_code"),
                "incomplete",
                "a code-of-conduct item names both its set key and its item code",
            );
            return None;
        }
    };
    Some(Item {
        code: code?,
        text: body?,
        source,
        basis: input.basis.cloned(),
    })
}

#[cfg(test)]
mod tests;
