//! Violations of a code of conduct: who, which code item (pinned to the code set version), where
//! the report came from, when the act started, ended and was discovered, its consequence level, and
//! its life: reported → under verification → confirmed | dismissed, every step with a reason.

use chrono::NaiveDate;

use crate::discipline::Consequence;
use crate::error::{Collector, DomainError};
use crate::text;

/// Where a violation report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Inspection,
    CitizenComplaint,
    Supervisor,
    Camera,
    SelfReport,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Self::Inspection,
        Self::CitizenComplaint,
        Self::Supervisor,
        Self::Camera,
        Self::SelfReport,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Inspection => "inspection",
            Self::CitizenComplaint => "citizen_complaint",
            Self::Supervisor => "supervisor",
            Self::Camera => "camera",
            Self::SelfReport => "self_report",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The life of a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Reported,
    UnderVerification,
    Confirmed,
    Dismissed,
}

impl State {
    pub const ALL: [State; 4] = [
        Self::Reported,
        Self::UnderVerification,
        Self::Confirmed,
        Self::Dismissed,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::UnderVerification => "under_verification",
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The states reachable in one step.
    pub const fn next(self) -> &'static [State] {
        match self {
            Self::Reported => &[Self::UnderVerification],
            Self::UnderVerification => &[Self::Confirmed, Self::Dismissed],
            Self::Confirmed | Self::Dismissed => &[],
        }
    }
}

/// Who may read a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Officers who can see the violation.
    Internal,
    /// Only its author.
    Personal,
}

impl Visibility {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Internal => "internal",
            Self::Personal => "personal",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "internal" => Some(Self::Internal),
            "personal" => Some(Self::Personal),
            _ => None,
        }
    }
}

impl Consequence {
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
            .find(|c| c.code() == code)
    }
}

/// A validated new violation (the person, the code set version and the item are checked against
/// stored data by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewViolation {
    pub item_code: String,
    pub source: Source,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub discovered_on: NaiveDate,
    pub place: Option<String>,
    pub consequence: Consequence,
    pub description: String,
}

/// Raw input for [`NewViolation::parse`].
#[derive(Debug, Clone, Default)]
pub struct ViolationInput<'a> {
    pub item_code: &'a str,
    pub source: &'a str,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub discovered_on: Option<NaiveDate>,
    pub place: Option<&'a str>,
    pub consequence: &'a str,
    pub description: &'a str,
}

impl NewViolation {
    pub const DESCRIPTION_MAX: usize = 5000;

    /// Checks every field; dates must be in order and not after `today`.
    pub fn parse(input: &ViolationInput<'_>, today: NaiveDate) -> Result<Self, DomainError> {
        let mut errors = Collector::default();
        let item_code = errors.take(text::code("item_code", input.item_code, 16));
        let source = Source::parse(input.source);
        if source.is_none() {
            errors.push(
                "source",
                "unknown_source",
                "must be one of: inspection, citizen_complaint, supervisor, camera, self_report",
            );
        }
        let consequence = Consequence::parse(input.consequence);
        if consequence.is_none() {
            errors.push(
                "consequence",
                "unknown_consequence",
                "must be one of: less_serious, serious, very_serious",
            );
        }
        let place = errors.take(text::optional("place", input.place, 255));
        let description = errors.take(text::required(
            "description",
            input.description,
            Self::DESCRIPTION_MAX,
        ));
        if input.started_on.is_none() {
            errors.push("started_on", "required", "must be given");
        }
        if input.discovered_on.is_none() {
            errors.push("discovered_on", "required", "must be given");
        }
        if let Some(started) = input.started_on {
            if started > today {
                errors.push("started_on", "in_future", "must not be after today");
            }
            if input.ended_on.is_some_and(|end| end < started) {
                errors.push(
                    "ended_on",
                    "before_started_on",
                    "must not be before started_on",
                );
            }
            if input.discovered_on.is_some_and(|found| found < started) {
                errors.push(
                    "discovered_on",
                    "before_started_on",
                    "must not be before started_on",
                );
            }
        }
        if input.ended_on.is_some_and(|end| end > today) {
            errors.push("ended_on", "in_future", "must not be after today");
        }
        if input.discovered_on.is_some_and(|found| found > today) {
            errors.push("discovered_on", "in_future", "must not be after today");
        }
        errors.finish()?;
        match (
            item_code,
            source,
            consequence,
            place,
            description,
            input.started_on,
            input.discovered_on,
        ) {
            (
                Some(item_code),
                Some(source),
                Some(consequence),
                Some(place),
                Some(description),
                Some(started_on),
                Some(discovered_on),
            ) => Ok(Self {
                item_code,
                source,
                started_on,
                ended_on: input.ended_on,
                discovered_on,
                place,
                consequence,
                description,
            }),
            _ => Err(DomainError::invalid("", "invalid", "invalid violation")),
        }
    }

    /// The date the limitation period counts from: the end of the act when known (brief §3.4).
    pub fn limitation_starts(&self) -> Option<NaiveDate> {
        self.ended_on
    }
}

/// A state change, refused unless it follows the life of a violation.
pub fn transition(from: State, to: State) -> Result<State, DomainError> {
    if from.next().contains(&to) {
        Ok(to)
    } else {
        Err(DomainError::invalid(
            "to",
            "transition_not_allowed",
            format!("a {} violation cannot become {}", from.code(), to.code()),
        ))
    }
}

#[cfg(test)]
mod tests;

/// Evidence file types accepted (documents, photos, camera video, recorded audio); anything else,
/// HTML and scripts above all, is refused so a download can never run in a browser.
pub const EVIDENCE_TYPES: [&str; 8] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "video/mp4",
    "audio/mpeg",
    "audio/mp4",
    "text/plain",
];

/// The media type of an evidence file, if allowed (parameters such as `; charset=` are dropped).
pub fn evidence_type(content_type: &str) -> Option<&'static str> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    EVIDENCE_TYPES.iter().copied().find(|t| *t == essence)
}

/// A file name to store and offer on download: NFC, at most 255 characters, no path or control
/// characters.
pub fn evidence_filename(name: &str) -> Result<String, DomainError> {
    let name = text::required("filename", name, 255)?;
    if name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(DomainError::invalid(
            "filename",
            "invalid_filename",
            "must be a plain file name",
        ));
    }
    Ok(name)
}
