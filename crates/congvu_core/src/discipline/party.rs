//! A Party decision about the same act (234/2026 Art. 2(6)) and when a decision's effect ends
//! (Art. 2(9)).

use super::*;

/// A Party discipline form (kỷ luật đảng), which the administrative form must match (§3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyForm {
    KhienTrach,
    CanhCao,
    CachChuc,
    /// Khai trừ (expulsion), the highest Party form.
    KhaiTru,
}

impl PartyForm {
    pub const ALL: [PartyForm; 4] = [
        Self::KhienTrach,
        Self::CanhCao,
        Self::CachChuc,
        Self::KhaiTru,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::KhienTrach => "khien_trach",
            Self::CanhCao => "canh_cao",
            Self::CachChuc => "cach_chuc",
            Self::KhaiTru => "khai_tru",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// A Party discipline decision about the same act, and the day it was announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyDecision {
    pub form: PartyForm,
    pub announced_on: NaiveDate,
}

/// The administrative form commensurate with a Party form on the person's ladder (234/2026
/// Art. 2(6)): the highest Party form → the highest form of the ladder; Party cách chức for someone
/// with no management post → cảnh cáo; otherwise the form of the same name. `None` when the ladder
/// has no such form.
pub fn party_equivalent(ladder: &Ladder, party: PartyForm) -> Option<(Form, Bilingual)> {
    let (form, vi, en) = match party {
        PartyForm::KhaiTru => (
            *ladder.forms.last()?,
            "Đảng viên bị khai trừ: áp dụng hình thức kỷ luật hành chính cao nhất",
            "expelled from the Party (khai trừ): the highest administrative form",
        ),
        PartyForm::CachChuc if !ladder.leader => (
            Form::CanhCao,
            "Bị cách chức trong Đảng nhưng không giữ chức vụ quản lý: cảnh cáo",
            "Party dismissal for someone who holds no management post: a warning",
        ),
        PartyForm::CachChuc => (
            Form::CachChuc,
            "Bị cách chức trong Đảng: cách chức",
            "Party dismissal from post: dismissal from post",
        ),
        PartyForm::CanhCao => (
            Form::CanhCao,
            "Bị cảnh cáo trong Đảng: cảnh cáo",
            "Party warning: a warning",
        ),
        PartyForm::KhienTrach => (
            Form::KhienTrach,
            "Bị khiển trách trong Đảng: khiển trách",
            "Party reprimand: a reprimand",
        ),
    };
    ladder.rank(form).map(|_| (form, Bilingual::new(vi, en)))
}

/// How the effect of a decision ends (§3.8 Art. 2(9)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectEnd {
    /// No new violation in the period: it ends by itself after this last day, without a document.
    Expires(NaiveDate),
    /// A later decision took effect; this was the last day of the earlier one.
    Superseded(NaiveDate),
    /// A new violation was committed during the period: the effect lasts until the decision on it
    /// takes effect.
    Pending,
}

impl EffectEnd {
    /// Whether a decision effective on `effective_on` that ends this way is in effect on `day`.
    pub fn covers(self, effective_on: NaiveDate, day: NaiveDate) -> bool {
        day >= effective_on
            && match self {
                Self::Expires(last) | Self::Superseded(last) => day <= last,
                Self::Pending => true,
            }
    }
}

/// How a decision effective on `effective_on` ends, given the dates of the person's later acts and
/// the effective date of the next decision about them, if any. `None` past the calendar's range.
pub fn effect_end(
    effective_on: NaiveDate,
    months: u32,
    later_acts: &[NaiveDate],
    next_decision: Option<NaiveDate>,
) -> Option<EffectEnd> {
    let nominal = effect_ends(effective_on, months)?;
    let new_act = later_acts
        .iter()
        .any(|a| *a >= effective_on && *a <= nominal);
    match next_decision.filter(|n| *n > effective_on) {
        Some(next) if next <= nominal || new_act => Some(EffectEnd::Superseded(next.pred_opt()?)),
        _ if new_act => Some(EffectEnd::Pending),
        _ => Some(EffectEnd::Expires(nominal)),
    }
}
