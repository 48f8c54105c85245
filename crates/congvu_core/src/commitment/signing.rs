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
    /// Every standing, in the order the roll-up lists them.
    pub const ALL: [Standing; 5] = [
        Self::Pending,
        Self::Overdue,
        Self::Signed,
        Self::CounterSigned,
        Self::ClosedOut,
    ];

    /// The standing a code names.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still expected to sign.
    pub const fn is_outstanding(self) -> bool {
        matches!(self, Self::Pending | Self::Overdue)
    }

    /// The stable code of the API.
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

/// A signature that stands: the day it was given and whether on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    pub on: NaiveDate,
    pub paper: bool,
}

/// What a person's events add up to for the template version asked for now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// The signature of the current version, unless withdrawn since.
    pub signed: Option<Signature>,
    /// The counter-signature of that signature.
    pub counter_signed_on: Option<NaiveDate>,
}

/// Folds a person's events, in recording order, against the hash of the version asked for now:
/// a later signature replaces an earlier one, a withdrawal undoes both signature and
/// counter-signature, and a counter-signature counts only over a standing signature of the same
/// version.
pub fn progress(events: &[Event], current_hash: &str) -> Progress {
    let mut p = Progress::default();
    for event in events {
        match event {
            Event::Signed {
                on,
                template_hash,
                paper,
            } => {
                p.signed = (template_hash == current_hash).then_some(Signature {
                    on: *on,
                    paper: *paper,
                });
                p.counter_signed_on = None;
            }
            Event::CounterSigned { on, template_hash } => {
                if p.signed.is_some() && template_hash == current_hash {
                    p.counter_signed_on = Some(*on);
                }
            }
            Event::Withdrawn { .. } => p = Progress::default(),
        }
    }
    p
}

/// Which signature stood on `day`: events in recording order, only those dated on or before
/// `day` counted (a withdrawal or a new version later does not undo what stood then); answers the
/// index of the standing `Signed` event, whatever version it acknowledged.
pub fn signature_on(events: &[Event], day: NaiveDate) -> Option<usize> {
    let mut standing = None;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Signed { on, .. } if *on <= day => standing = Some(i),
            Event::Withdrawn { on } if *on <= day => standing = None,
            _ => {}
        }
    }
    standing
}

/// A member's own due date: the campaign's, or for someone who joined after the launch,
/// `joiner_days` after joining if that is later (a joiner is never overdue on their first day).
pub fn due_for(
    membership: Membership,
    launch: NaiveDate,
    due: NaiveDate,
    joiner_days: u32,
) -> NaiveDate {
    match membership {
        Membership::Member { since } if since > launch => {
            let own = since
                .checked_add_days(chrono::Days::new(u64::from(joiner_days)))
                .unwrap_or(since);
            own.max(due)
        }
        _ => due,
    }
}

/// The standing of a person on `today`, given their membership, their progress and the due date.
pub fn standing_of(
    membership: Membership,
    progress: &Progress,
    due: NaiveDate,
    today: NaiveDate,
) -> Standing {
    match membership {
        Membership::Left { .. } | Membership::Outside => Standing::ClosedOut,
        Membership::Member { .. } => match (progress.signed, progress.counter_signed_on) {
            (Some(_), Some(_)) => Standing::CounterSigned,
            (Some(_), None) => Standing::Signed,
            _ if today > due => Standing::Overdue,
            _ => Standing::Pending,
        },
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
    standing_of(membership, &progress(events, current_hash), due, today)
}
