//! Discipline rules (legal brief §3): which forms a person may receive under the regime in force,
//! the limitation and handling clocks computed from dated facts and pauses, and the suggested form
//! with its reasons. The figures are data (`data/discipline.toml`); the logic is here.

pub mod case;
pub mod particulars;
pub mod view;

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::calendar;
use crate::error::DomainError;
use crate::legal::{Confidence, LegalBasis};
use crate::staff::Category;
use crate::text::Bilingual;

/// A disciplinary form (hình thức kỷ luật).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Khiển trách (reprimand).
    KhienTrach,
    /// Cảnh cáo (warning).
    CanhCao,
    /// Hạ bậc lương (salary-step demotion), civil servants before 1/7/2025.
    HaBacLuong,
    /// Giáng chức (demotion in post), civil-servant leaders before 1/7/2025.
    GiangChuc,
    /// Cách chức (dismissal from post).
    CachChuc,
    /// Bãi nhiệm (removal from elected office), cadres.
    BaiNhiem,
    /// Buộc thôi việc (forced resignation).
    BuocThoiViec,
}

impl Form {
    pub const ALL: [Form; 7] = [
        Self::KhienTrach,
        Self::CanhCao,
        Self::HaBacLuong,
        Self::GiangChuc,
        Self::CachChuc,
        Self::BaiNhiem,
        Self::BuocThoiViec,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::KhienTrach => "khien_trach",
            Self::CanhCao => "canh_cao",
            Self::HaBacLuong => "ha_bac_luong",
            Self::GiangChuc => "giang_chuc",
            Self::CachChuc => "cach_chuc",
            Self::BaiNhiem => "bai_nhiem",
            Self::BuocThoiViec => "buoc_thoi_viec",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The form's name in Vietnamese, as decisions write it.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::KhienTrach => "khiển trách",
            Self::CanhCao => "cảnh cáo",
            Self::HaBacLuong => "hạ bậc lương",
            Self::GiangChuc => "giáng chức",
            Self::CachChuc => "cách chức",
            Self::BaiNhiem => "bãi nhiệm",
            Self::BuocThoiViec => "buộc thôi việc",
        }
    }

    /// The form's name in English.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::KhienTrach => "reprimand",
            Self::CanhCao => "warning",
            Self::HaBacLuong => "salary-step demotion",
            Self::GiangChuc => "demotion in post",
            Self::CachChuc => "dismissal from post",
            Self::BaiNhiem => "removal from office",
            Self::BuocThoiViec => "forced resignation",
        }
    }
}

/// The consequence level of a violation (234/2026 Art. 6(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Consequence {
    LessSerious,
    Serious,
    VerySerious,
}

/// The forms open to one kind of person under one regime, mildest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    pub regimes: Vec<String>,
    pub categories: Vec<Category>,
    pub leader: bool,
    pub forms: Vec<Form>,
    pub basis: LegalBasis,
}

impl Ladder {
    /// The position of a form on this ladder (0 = mildest).
    pub fn rank(&self, form: Form) -> Option<usize> {
        self.forms.iter().position(|f| *f == form)
    }

    /// The form one level above `form`, or the heaviest form when already at the top.
    pub fn one_above(&self, form: Form) -> Option<Form> {
        let rank = self.rank(form)?;
        self.forms.get(rank + 1).or(self.forms.last()).copied()
    }

    /// A form of another ladder (a historic one) placed on this one: the heaviest form of this
    /// ladder that is not heavier than it in the order of `Form::ALL` (hạ bậc lương → cảnh cáo).
    pub fn counterpart(&self, form: Form) -> Option<Form> {
        if self.rank(form).is_some() {
            return Some(form);
        }
        let weight = |f: Form| Form::ALL.iter().position(|a| *a == f);
        let limit = weight(form)?;
        self.forms
            .iter()
            .copied()
            .rfind(|f| weight(*f).is_some_and(|w| w <= limit))
    }

    /// The heaviest of several forms on this ladder.
    pub fn heaviest(&self, forms: impl IntoIterator<Item = Form>) -> Option<Form> {
        forms
            .into_iter()
            .filter_map(|f| self.rank(f).map(|r| (r, f)))
            .max_by_key(|(r, _)| *r)
            .map(|(_, f)| f)
    }
}

mod clock;
mod consequences;
mod party;
mod rules;
mod suggest;

pub use clock::*;
use clock::{pushed_end, state};
pub use consequences::*;
pub use party::*;
use rules::basis;
pub use rules::*;
pub use suggest::*;

/// The regime a new case is decided under (legal brief §3.1; Decree 234/2026 Art. 24(1)): the one
/// in force when the case opens for the person's category; the regime in force on the day of the
/// act instead only when a competent person has recorded that it is more favourable (`old_is_more_favourable`
/// carries that decision's reason). A case keeps its regime once opened.
pub fn case_regime<'a>(
    regimes: &'a [crate::legal::Regime],
    category: Category,
    act_on: NaiveDate,
    opened_on: NaiveDate,
    old_is_more_favourable: Option<&str>,
) -> Option<(&'a crate::legal::Regime, String)> {
    use crate::legal::{RegimeDomain, regime_in_force};
    let current = regime_in_force(regimes, RegimeDomain::Discipline, category, opened_on)?;
    match (
        old_is_more_favourable,
        regime_in_force(regimes, RegimeDomain::Discipline, category, act_on),
    ) {
        (Some(why), Some(old)) if old.key != current.key => Some((
            old,
            format!("the rule in force on the day of the act is more favourable: {why}"),
        )),
        _ => Some((
            current,
            "the rule in force when the case was opened".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests;
