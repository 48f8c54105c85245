//! A person's standing in a campaign, folded from their signing events: a signature counts only
//! for the template version it acknowledged (a revision asks everyone to sign again), a withdrawal
//! undoes the signature before it, and nothing is ever edited — a correction is a new event.

use chrono::NaiveDate;

use super::audience::Membership;

/// One signing event, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The person signed the template whose content hash they acknowledged (online, or on paper
    /// recorded by an HR officer with the scanned document).
    Signed {
        on: NaiveDate,
        template_hash: String,
        paper: bool,
    },
    /// The counterparty counter-signed the person's signature of that template version.
    CounterSigned {
        on: NaiveDate,
        template_hash: String,
    },
    /// The signature before it no longer stands (signed in error, wrong person, …).
    Withdrawn { on: NaiveDate },
}

/// Where a person stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Pending,
    /// Pending after the due date.
    Overdue,
    Signed,
    CounterSigned,
    /// Left the campaign's units: no longer expected to sign.
    ClosedOut,
}

impl Standing {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Overdue => "overdue",
            Self::Signed => "signed",
            Self::CounterSigned => "counter_signed",
            Self::ClosedOut => "closed_out",
        }
    }
}

/// The standing of a member on `today`, given their events in recording order, the hash of the
/// template version the campaign now asks for, and their due date.
pub fn standing(
    membership: Membership,
    events: &[Event],
    current_hash: &str,
    due: NaiveDate,
    today: NaiveDate,
) -> Standing {
    match membership {
        Membership::Left { .. } | Membership::Outside => return Standing::ClosedOut,
        Membership::Member { .. } => {}
    }
    let mut signed = false;
    let mut counter_signed = false;
    for event in events {
        match event {
            Event::Signed { template_hash, .. } => {
                signed = template_hash == current_hash;
                counter_signed = false;
            }
            Event::CounterSigned { template_hash, .. } => {
                counter_signed = signed && template_hash == current_hash;
            }
            Event::Withdrawn { .. } => {
                signed = false;
                counter_signed = false;
            }
        }
    }
    match (signed, counter_signed) {
        (true, true) => Standing::CounterSigned,
        (true, false) => Standing::Signed,
        _ if today > due => Standing::Overdue,
        _ => Standing::Pending,
    }
}
