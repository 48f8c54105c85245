//! A citizen's report as submitted: whom it is about, what happened, the kind if they know it,
//! and their identity or none. Every field is checked at once; the initial kind follows the law:
//! without a usable identity a report is an anonymous tip, never a feedback, complaint or
//! denunciation (Decree 20/2008 Art. 7, Law on Denunciations Art. 25).

use chrono::NaiveDate;

use super::Kind;
use crate::error::{Collector, DomainError};
use crate::text;

/// The raw fields of a submission.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportInput<'a> {
    /// The badge number (staff code) of the official, if known.
    pub staff_code: Option<&'a str>,
    /// The code of the unit, if known.
    pub unit_code: Option<&'a str>,
    /// The official's name or description as the citizen gives it.
    pub about: Option<&'a str>,
    pub description: &'a str,
    pub occurred_on: Option<NaiveDate>,
    pub place: Option<&'a str>,
    pub dossier_code: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub identity: Option<IdentityInput<'a>>,
}

/// The complainant's identity fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdentityInput<'a> {
    pub name: &'a str,
    pub address: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// A checked identity (sealed before storage; never logged).
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity(****)")
    }
}

/// A checked submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub staff_code: Option<String>,
    pub unit_code: Option<String>,
    pub about: Option<String>,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub dossier_code: Option<String>,
    /// What the citizen said it is.
    pub claimed: Option<Kind>,
    /// What it is handled as until an officer classifies it.
    pub kind: Kind,
    pub identity: Option<Identity>,
}

fn identity(c: &mut Collector, input: IdentityInput<'_>) -> Option<Identity> {
    let name = c.take(text::required("identity.name", input.name, 200));
    let address = c.take(text::optional("identity.address", input.address, 500));
    let phone = c.take(text::optional("identity.phone", input.phone, 30));
    if let Some(Some(p)) = &phone
        && !p
            .chars()
            .all(|ch| ch.is_ascii_digit() || " +-.()".contains(ch))
    {
        c.push(
            "identity.phone",
            "invalid",
            "digits, spaces and + - . ( ) only",
        );
    }
    let email = c.take(text::email("identity.email", input.email));
    Some(Identity {
        name: name?,
        address: address?,
        phone: phone?,
        email: email?,
    })
}

impl NewReport {
    /// Checks a submission received on `today` (a report cannot be about the future).
    pub fn parse(input: &ReportInput<'_>, today: NaiveDate) -> Result<Self, DomainError> {
        let mut c = Collector::default();
        let staff_code = c.take(
            input
                .staff_code
                .map(|s| text::code("staff_code", s, 32))
                .transpose(),
        );
        let unit_code = c.take(
            input
                .unit_code
                .map(|s| text::code("unit_code", s, 32))
                .transpose(),
        );
        if input.staff_code.is_none() && input.unit_code.is_none() {
            c.push(
                "unit_code",
                "required",
                "name the office (unit code) or the official's badge number",
            );
        }
        let about = c.take(text::optional("about", input.about, 200));
        let description = c.take(text::required("description", input.description, 5000));
        if input.occurred_on.is_some_and(|d| d > today) {
            c.push("occurred_on", "in_future", "cannot be after today");
        }
        let place = c.take(text::optional("place", input.place, 255));
        let dossier_code = c.take(text::optional("dossier_code", input.dossier_code, 64));
        let claimed = match input.kind {
            None => None,
            Some(code) => match Kind::parse(code) {
                Some(k) if k != Kind::AnonymousTip => Some(k),
                _ => {
                    c.push(
                        "kind",
                        "unknown_kind",
                        "must be feedback, complaint or denunciation",
                    );
                    None
                }
            },
        };
        let identity = input.identity.map(|i| identity(&mut c, i));
        c.finish()?;
        let identity = identity.flatten();
        let kind = match (&identity, claimed) {
            (None, _) => Kind::AnonymousTip,
            (Some(_), Some(k)) => k,
            (Some(_), None) => Kind::Feedback,
        };
        Ok(Self {
            staff_code: staff_code.flatten(),
            unit_code: unit_code.flatten(),
            about: about.flatten(),
            description: description.unwrap_or_default(),
            occurred_on: input.occurred_on,
            place: place.flatten(),
            dossier_code: dossier_code.flatten(),
            claimed,
            kind,
            identity,
        })
    }
}
