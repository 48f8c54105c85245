//! Access policy: roles granted at a unit cover its sub-units. Decisions are pure functions of the
//! actor and the target unit's path, so every query can be scoped and every rule unit-tested.
//!
//! A unit's path is the chain of unit IDs from the root, `/<root>/<child>/…/<unit>/`; a grant at
//! unit U covers every unit whose path starts with U's path.

use crate::ids::{PersonId, UnitId, UserId};

/// The roles of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    UnitHead,
    HrOfficer,
    EmulationOfficer,
    Inspector,
    /// Cán bộ bộ phận một cửa: receives dossiers and drafts the letters about them.
    OneStopOfficer,
    Staff,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Self::Admin,
        Self::UnitHead,
        Self::HrOfficer,
        Self::EmulationOfficer,
        Self::Inspector,
        Self::OneStopOfficer,
        Self::Staff,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::UnitHead => "unit_head",
            Self::HrOfficer => "hr_officer",
            Self::EmulationOfficer => "emulation_officer",
            Self::Inspector => "inspector",
            Self::OneStopOfficer => "one_stop_officer",
            Self::Staff => "staff",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a unit, its tree and successors.
    ViewUnit,
    /// Create a sub-unit, link successors.
    ManageUnit,
    /// See staff records.
    ViewStaff,
    /// Create staff, change employment.
    ManageStaff,
    /// See code sets in force and their versions.
    ViewCodeSet,
    /// Create or revise a unit's draft code set.
    DraftCodeSet,
    /// Publish or retire a unit's code set.
    PublishCodeSet,
    /// Grant and revoke roles at a unit.
    ManageGrants,
    /// Add a unit's own calendar days.
    ManageCalendar,
    /// See violations, their history and notes; add notes.
    ViewViolation,
    /// Record violations and move them through verification.
    ManageViolation,
    /// See citizens' reports of a unit (never the complainant's identity).
    ViewComplaint,
    /// Classify, route, accept, reject, note and conclude citizens' reports; ask to see an identity.
    HandleComplaint,
    /// Decide on a request to see a complainant's identity (the custodian).
    CustodyIdentity,
    /// See a unit's apology letters.
    ViewLetter,
    /// Draft, revise and submit apology letters; mark them printed.
    DraftLetter,
    /// Sign and issue, return or revoke a letter. Issuing further needs a unit-head grant at the
    /// issuing unit itself (checked by the use case), not above it.
    IssueLetter,
    /// Set a unit's letterhead.
    ManageLetterhead,
    /// See a unit's commitment templates, campaigns, completion and signatures.
    ViewCommitment,
    /// Draft and publish commitment templates; send a campaign's digest to the heads.
    ManageCommitment,
    /// Launch a unit's yearly campaign and move it to a revised template.
    LaunchCommitment,
    /// Record a paper signature with its scan, or withdraw a signature on the signer's behalf.
    RecordSignature,
    /// See a unit's evaluations and annual scores.
    ViewEvaluation,
    /// Record evaluations of a unit's staff.
    RecordEvaluation,
    /// Set a unit's assessment rules (how the annual score aggregates the periods), open and
    /// propose its year-end classification, record the facts it reads (leave, conclusions).
    ManageAssessment,
    /// Register for emulation titles, record recognised initiatives, record and revoke awards.
    ManageEmulation,
    /// Record an inspection or investigation concerning a person, and its end.
    RecordProceeding,
}

impl Action {
    /// The roles that allow the action on a unit they cover.
    pub const fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Self::ViewUnit | Self::ViewCodeSet => &[
                Admin,
                UnitHead,
                HrOfficer,
                EmulationOfficer,
                Inspector,
                OneStopOfficer,
                Staff,
            ],
            Self::ManageUnit | Self::ManageStaff => &[Admin, HrOfficer],
            Self::ViewStaff => &[Admin, UnitHead, HrOfficer, EmulationOfficer, Inspector],
            Self::DraftCodeSet => &[Admin, UnitHead, HrOfficer],
            Self::PublishCodeSet => &[Admin, UnitHead],
            Self::ManageGrants => &[Admin],
            Self::ManageCalendar => &[Admin, UnitHead, HrOfficer],
            Self::ViewViolation => &[Admin, UnitHead, HrOfficer, EmulationOfficer, Inspector],
            Self::ManageViolation => &[Admin, UnitHead, HrOfficer],
            Self::ViewComplaint => &[Admin, UnitHead, Inspector],
            Self::HandleComplaint => &[UnitHead, Inspector],
            Self::CustodyIdentity => &[UnitHead],
            Self::ViewLetter => &[Admin, UnitHead, HrOfficer, OneStopOfficer, Inspector],
            Self::DraftLetter => &[UnitHead, HrOfficer, OneStopOfficer],
            Self::IssueLetter => &[UnitHead],
            Self::ManageLetterhead => &[Admin, UnitHead],
            Self::ViewCommitment => &[Admin, UnitHead, HrOfficer, EmulationOfficer, Inspector],
            Self::ManageCommitment => &[UnitHead, HrOfficer, EmulationOfficer],
            Self::LaunchCommitment => &[UnitHead],
            Self::RecordSignature => &[HrOfficer],
            Self::ViewEvaluation => &[Admin, UnitHead, HrOfficer, EmulationOfficer, Inspector],
            Self::RecordEvaluation => &[UnitHead, HrOfficer, EmulationOfficer],
            Self::ManageAssessment => &[UnitHead, EmulationOfficer],
            Self::ManageEmulation => &[UnitHead, EmulationOfficer],
            Self::RecordProceeding => &[HrOfficer, Inspector],
        }
    }
}

/// A role held at a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub unit: UnitId,
    pub unit_path: String,
}

/// The authenticated caller as the domain sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub username: String,
    /// Created from the command line; sees and manages everything, including national data.
    pub superadmin: bool,
    /// The staff record of the user, if linked (a staff member reads their own record).
    pub person: Option<PersonId>,
    pub grants: Vec<Grant>,
}

/// Which units an actor reaches for an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every unit.
    All,
    /// The units whose path starts with one of these prefixes (possibly none).
    Subtrees(Vec<String>),
}

impl Reach {
    /// Whether a unit with this path is reached.
    pub fn covers(&self, unit_path: &str) -> bool {
        match self {
            Self::All => true,
            Self::Subtrees(prefixes) => prefixes.iter().any(|p| unit_path.starts_with(p.as_str())),
        }
    }
}

impl Actor {
    /// The units this actor may act on for `action`.
    pub fn reach(&self, action: Action) -> Reach {
        if self.superadmin {
            return Reach::All;
        }
        let mut prefixes: Vec<String> = self
            .grants
            .iter()
            .filter(|g| action.roles().contains(&g.role))
            .map(|g| g.unit_path.clone())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        Reach::Subtrees(prefixes)
    }

    /// Whether the actor holds `role` at exactly this unit (not above it).
    pub fn holds_at(&self, role: Role, unit: UnitId) -> bool {
        self.grants.iter().any(|g| g.role == role && g.unit == unit)
    }

    /// Whether the actor may do `action` on the unit with this path.
    pub fn may(&self, action: Action, unit_path: &str) -> bool {
        self.reach(action).covers(unit_path)
    }

    /// Whether the actor holds any grant of an action's roles anywhere (for account-wide lists).
    pub fn holds_any(&self, action: Action) -> bool {
        self.superadmin || self.grants.iter().any(|g| action.roles().contains(&g.role))
    }
}

/// The path of a unit under `parent_path` (or a root when `None`).
pub fn unit_path(parent_path: Option<&str>, unit: UnitId) -> String {
    format!("{}{}/", parent_path.unwrap_or("/"), unit)
}

/// The unit IDs on a path, root first.
pub fn path_units(path: &str) -> Vec<UnitId> {
    path.split('/')
        .filter_map(|s| uuid::Uuid::parse_str(s).ok())
        .map(UnitId::from_uuid)
        .collect()
}

#[cfg(test)]
mod tests;
