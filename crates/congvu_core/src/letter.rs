//! Apology letters to citizens (legal brief §6.3, §6.4, §6.9): their causes, workflow and signature
//! authority; which form is in force on the issue date and the rules it carries ([`rules`], from
//! `data/letters.toml`); the document number (`N/TYPE-BODY`, Decree 30/2020 Art. 15); and the
//! letter's text composed for rendering ([`compose`]).

pub mod compose;
pub mod rules;

use chrono::NaiveDate;

use crate::error::{Collector, DomainError};
use crate::text;

/// Why the body apologises (brief §11.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The result will not be returned by the due date (Decree 61/2018 Art. 19(9)).
    Overdue,
    /// The result contains an error caused by staff (Art. 21(1)).
    ErrorInResult,
    /// The dossier was lost or damaged (Art. 21(2)).
    LostDossier,
    /// A staff member's conduct (Art. 37(2)(d); prohibited acts of Art. 5).
    StaffConduct,
}

impl Cause {
    pub const ALL: [Cause; 4] = [
        Self::Overdue,
        Self::ErrorInResult,
        Self::LostDossier,
        Self::StaffConduct,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::ErrorInResult => "error_in_result",
            Self::LostDossier => "lost_dossier",
            Self::StaffConduct => "staff_conduct",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether the letter is about a one-stop dossier (and so names it).
    pub const fn needs_dossier(self) -> bool {
        !matches!(self, Self::StaffConduct)
    }
}

/// Where a letter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Draft,
    /// Sent to the unit head for signature.
    Submitted,
    /// Signed, numbered and immutable.
    Issued,
    /// Mailed to the citizen (the SMTP server accepted it).
    Delivered,
    /// Printed for handing over or posting.
    Printed,
    /// Withdrawn (a draft) or revoked (an issued letter, its number never reused).
    Revoked,
}

impl State {
    pub const ALL: [State; 6] = [
        Self::Draft,
        Self::Submitted,
        Self::Issued,
        Self::Delivered,
        Self::Printed,
        Self::Revoked,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Issued => "issued",
            Self::Delivered => "delivered",
            Self::Printed => "printed",
            Self::Revoked => "revoked",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the content may still change.
    pub const fn editable(self) -> bool {
        matches!(self, Self::Draft)
    }

    /// Whether the letter carries a number and a signature.
    pub const fn issued(self) -> bool {
        matches!(self, Self::Issued | Self::Delivered | Self::Printed)
    }
}

/// A workflow step on a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    /// Back from the unit head to the drafter, with a reason.
    Return,
    Issue,
    /// The mail relay handed it to the SMTP server.
    Deliver,
    Print,
    Revoke,
}

impl Step {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Return => "return",
            Self::Issue => "issue",
            Self::Deliver => "deliver",
            Self::Print => "print",
            Self::Revoke => "revoke",
        }
    }

    /// The state after this step, or `None` when the step is not allowed from `from`.
    pub const fn apply(self, from: State) -> Option<State> {
        use State as S;
        match (self, from) {
            (Self::Submit, S::Draft) => Some(S::Submitted),
            (Self::Return, S::Submitted) => Some(S::Draft),
            (Self::Issue, S::Submitted) => Some(S::Issued),
            (Self::Deliver, S::Issued) => Some(S::Delivered),
            (Self::Print, S::Issued | S::Delivered) => Some(S::Printed),
            (Self::Revoke, S::Draft | S::Submitted | S::Issued | S::Delivered | S::Printed) => {
                Some(S::Revoked)
            }
            _ => None,
        }
    }
}

/// How the letter reaches the citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Emailed with the PDF attached, through the outbox.
    Email,
    /// Printed and handed over or posted.
    Paper,
}

impl Channel {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Paper => "paper",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "email" => Some(Self::Email),
            "paper" => Some(Self::Paper),
            _ => None,
        }
    }
}

/// The signer's authority prefix (Decree 30/2020 Art. 13; brief §6.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// The head signs in their own name.
    Own,
    /// "TM.": on behalf of a collective (e.g. TM. ỦY BAN NHÂN DÂN), signed by its head.
    Tm,
    /// "KT.": a deputy signs for the head.
    Kt,
}

impl Authority {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Tm => "tm",
            Self::Kt => "kt",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "own" => Some(Self::Own),
            "tm" => Some(Self::Tm),
            "kt" => Some(Self::Kt),
            _ => None,
        }
    }

    /// The prefix as printed, with its dot.
    pub const fn prefix(self) -> Option<&'static str> {
        match self {
            Self::Own => None,
            Self::Tm => Some("TM."),
            Self::Kt => Some("KT."),
        }
    }
}

/// How the citizen is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Salutation {
    /// "Ông"
    Mr,
    /// "Bà"
    Ms,
    /// "Ông/Bà", when not known.
    Either,
    /// An organisation, addressed by its name alone.
    Organisation,
}

impl Salutation {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Mr => "ong",
            Self::Ms => "ba",
            Self::Either => "ong_ba",
            Self::Organisation => "to_chuc",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "ong" => Some(Self::Mr),
            "ba" => Some(Self::Ms),
            "ong_ba" => Some(Self::Either),
            "to_chuc" => Some(Self::Organisation),
            _ => None,
        }
    }

    /// The word the body uses for the addressee in running text.
    pub const fn pronoun(self) -> &'static str {
        match self {
            Self::Mr => "Ông",
            Self::Ms => "Bà",
            Self::Either => "Ông/Bà",
            Self::Organisation => "Quý cơ quan, tổ chức",
        }
    }
}

/// The citizen the letter is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub salutation: Salutation,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
}

/// The one-stop dossier a letter is about (brief §6.3, §6.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    /// Mã số hồ sơ; its format is the one-stop system's (kept free text, brief §6.5 [U]).
    pub code: String,
    /// The procedure or dossier type.
    pub procedure: String,
    pub received_on: NaiveDate,
    /// The return date on the receipt slip.
    pub due_on: NaiveDate,
}

/// What the letter says beyond the dossier, by cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    Overdue {
        reason: String,
        new_due_on: NaiveDate,
    },
    ErrorInResult {
        error: String,
        remedy: String,
    },
    LostDossier {
        incident: String,
        remedy: String,
    },
    StaffConduct {
        /// The failure apologised for, as the citizen should read it.
        failure: String,
        /// The measures taken, without internal discipline details.
        measures: String,
    },
}

impl Details {
    pub const fn cause(&self) -> Cause {
        match self {
            Self::Overdue { .. } => Cause::Overdue,
            Self::ErrorInResult { .. } => Cause::ErrorInResult,
            Self::LostDossier { .. } => Cause::LostDossier,
            Self::StaffConduct { .. } => Cause::StaffConduct,
        }
    }
}

/// A letter's content: everything an officer drafts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub applicant: Applicant,
    pub dossier: Option<Dossier>,
    pub details: Details,
    /// The apology sentence; the form's standard wording when absent.
    pub apology: Option<String>,
    /// Further "Nơi nhận" entries (the addressee and the archive are always listed).
    pub recipients: Vec<String>,
    pub channel: Channel,
}

/// Longest free text of a letter field, in characters.
pub const MAX_TEXT: usize = 2_000;
/// Longest name, address or dossier field, in characters.
pub const MAX_LINE: usize = 300;
/// Most extra "Nơi nhận" entries.
pub const MAX_RECIPIENTS: usize = 10;

impl Content {
    /// Checks the content as a whole: the dossier is there when the cause needs one, its dates
    /// are in order, an emailed letter has an address. Every problem is reported at once.
    pub fn check(&self) -> Result<(), DomainError> {
        let mut errors = Collector::default();
        let cause = self.details.cause();
        match (&self.dossier, cause.needs_dossier()) {
            (None, true) => errors.push("dossier", "required", "this cause names a dossier"),
            (Some(d), _) if d.due_on < d.received_on => errors.push(
                "dossier.due_on",
                "before_received",
                "must not be before the date received",
            ),
            _ => {}
        }
        if let (Details::Overdue { new_due_on, .. }, Some(d)) = (&self.details, &self.dossier)
            && *new_due_on <= d.due_on
        {
            errors.push(
                "new_due_on",
                "not_after_due",
                "the new return date must be after the original one",
            );
        }
        if self.channel == Channel::Email && self.applicant.email.is_none() {
            errors.push(
                "applicant.email",
                "required",
                "an emailed letter needs the citizen's address",
            );
        }
        if self.recipients.len() > MAX_RECIPIENTS {
            errors.push(
                "recipients",
                "too_many",
                format!("at most {MAX_RECIPIENTS} entries"),
            );
        }
        errors.finish()
    }
}

/// A letter's number: `N/TYPE-BODY`, N from 01 per issuing body per calendar year (Decree 30/2020
/// Art. 15(1); numbers below 10 with a leading zero, brief §6.9 [R]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    pub seq: u32,
    pub symbol: String,
    pub body: String,
}

impl DocNumber {
    /// "05/PXL-STP".
    pub fn render(&self) -> String {
        format!("{:02}/{}-{}", self.seq, self.symbol, self.body)
    }
}

/// The issuing body's letterhead: what the header and number of its letters show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    /// The governing body above (cơ quan chủ quản), e.g. "Ủy ban nhân dân tỉnh Hưng Yên".
    pub parent: Option<String>,
    /// The issuing body, e.g. "Sở Tư pháp".
    pub body: String,
    /// Its abbreviation in numbers, e.g. "STP".
    pub symbol: String,
    /// The place in the date line, e.g. "Hưng Yên".
    pub place: String,
    /// The archive entry of "Nơi nhận" after "Lưu: VT", e.g. "VP".
    pub archive: String,
}

impl Letterhead {
    /// Validates and normalises a letterhead. Body and parent are kept as written ("Sở Tư pháp"),
    /// for running text; the header prints them in capitals (Decree 30/2020 App. I).
    pub fn new(
        parent: Option<&str>,
        body: &str,
        symbol: &str,
        place: &str,
        archive: &str,
    ) -> Result<Self, DomainError> {
        let mut errors = Collector::default();
        let parent = errors
            .take(text::optional("parent", parent, MAX_LINE))
            .flatten();
        let body = errors.take(text::required("body", body, MAX_LINE));
        let symbol = errors.take(symbol_code("symbol", symbol));
        let place = errors.take(text::required("place", place, 100));
        let archive = errors.take(text::required("archive", archive, 50));
        errors.finish()?;
        match (body, symbol, place, archive) {
            (Some(body), Some(symbol), Some(place), Some(archive)) => Ok(Self {
                parent,
                body,
                symbol,
                place,
                archive,
            }),
            _ => Err(DomainError::invalid("", "invalid", "letterhead is invalid")),
        }
    }
}

/// An abbreviation in a number: 1 to 20 upper-case letters or digits (Vietnamese letters such as
/// Đ allowed), optionally joined by '-'.
fn symbol_code(field: &str, input: &str) -> Result<String, DomainError> {
    let value = text::normalize(input).to_uppercase();
    let ok = !value.is_empty()
        && value.chars().count() <= 20
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value.chars().all(|c| c.is_alphanumeric() || c == '-');
    if ok {
        Ok(value)
    } else {
        Err(DomainError::invalid(
            field,
            "invalid_symbol",
            "must be 1 to 20 letters or digits, optionally joined by '-'",
        ))
    }
}

/// Who signs an issued letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub authority: Authority,
    /// For TM: the collective ("ỦY BAN NHÂN DÂN"); for KT: the head's title ("CHỦ TỊCH").
    pub on_behalf_of: Option<String>,
    /// The signer's own title ("PHÓ CHỦ TỊCH").
    pub title: String,
    pub name: String,
}

impl Signature {
    /// Validates a signature block: TM and KT name whom they sign for; Own does not.
    pub fn new(
        authority: Authority,
        on_behalf_of: Option<&str>,
        title: &str,
        name: &str,
    ) -> Result<Self, DomainError> {
        let mut errors = Collector::default();
        let on_behalf_of = errors
            .take(text::optional("on_behalf_of", on_behalf_of, 100))
            .flatten();
        match (authority, &on_behalf_of) {
            (Authority::Own, Some(_)) => errors.push(
                "on_behalf_of",
                "not_allowed",
                "only a TM or KT signature signs on behalf of someone",
            ),
            (Authority::Tm | Authority::Kt, None) => errors.push(
                "on_behalf_of",
                "required",
                "a TM or KT signature names the collective or the head",
            ),
            _ => {}
        }
        let title = errors.take(text::required("title", title, 100));
        let name = errors.take(text::required("name", name, 100));
        errors.finish()?;
        match (title, name) {
            (Some(title), Some(name)) => Ok(Self {
                authority,
                on_behalf_of: on_behalf_of.map(|o| o.to_uppercase()),
                title: title.to_uppercase(),
                name,
            }),
            _ => Err(DomainError::invalid("", "invalid", "signature is invalid")),
        }
    }
}

#[cfg(test)]
mod tests;
