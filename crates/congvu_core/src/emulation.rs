//! Emulation titles (brief §5, §11.5): who may be proposed for which title in a year and why
//! not, each answer with its reasons and sources — registration, the year's classification,
//! months since recruitment, recognised initiatives, streaks of lower titles, blockers (an open
//! discipline case, inspection, investigation, or a complaint or denunciation being resolved
//! against the person); collective titles from their members' results; the CSTĐCS cap; and award
//! amounts as multiples of the base salary in force on the decision date.

use chrono::{Datelike, NaiveDate};

use crate::assessment::{AssessmentRules, Level, severity};
use crate::discipline::Form;
use crate::legal::{Confidence, LegalBasis};
use crate::text::Bilingual;

/// The titles congvu reasons about (ordered as they build on each other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TitleKey {
    /// Lao động tiên tiến.
    Ldtt,
    /// Chiến sĩ thi đua cơ sở.
    Cstdcs,
    /// Chiến sĩ thi đua cấp bộ, ngành, tỉnh.
    CstdTinh,
    /// Chiến sĩ thi đua toàn quốc.
    CstdToanQuoc,
    /// Tập thể lao động tiên tiến.
    TtLdtt,
    /// Tập thể lao động xuất sắc.
    TtLdxs,
}

impl TitleKey {
    pub const ALL: [TitleKey; 6] = [
        Self::Ldtt,
        Self::Cstdcs,
        Self::CstdTinh,
        Self::CstdToanQuoc,
        Self::TtLdtt,
        Self::TtLdxs,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Ldtt => "ldtt",
            Self::Cstdcs => "cstdcs",
            Self::CstdTinh => "cstd_tinh",
            Self::CstdToanQuoc => "cstd_toan_quoc",
            Self::TtLdtt => "tt_ldtt",
            Self::TtLdxs => "tt_ldxs",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The title's name in Vietnamese (Luật Thi đua, khen thưởng 2022 Điều 23–27).
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Ldtt => "Lao động tiên tiến",
            Self::Cstdcs => "Chiến sĩ thi đua cơ sở",
            Self::CstdTinh => "Chiến sĩ thi đua cấp tỉnh",
            Self::CstdToanQuoc => "Chiến sĩ thi đua toàn quốc",
            Self::TtLdtt => "Tập thể lao động tiên tiến",
            Self::TtLdxs => "Tập thể lao động xuất sắc",
        }
    }

    /// The title's name in English.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Ldtt => "Advanced Worker",
            Self::Cstdcs => "Grassroots Emulation Fighter",
            Self::CstdTinh => "Provincial Emulation Fighter",
            Self::CstdToanQuoc => "National Emulation Fighter",
            Self::TtLdtt => "Advanced Collective",
            Self::TtLdxs => "Excellent Collective",
        }
    }
}

/// Who a title is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Person,
    Collective,
}

/// The level at which an initiative's effect was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InitiativeScope {
    Unit,
    Province,
    National,
}

impl InitiativeScope {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Unit => "unit",
            Self::Province => "province",
            Self::National => "national",
        }
    }

    /// The level of recognition, in Vietnamese.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Unit => "cấp cơ sở",
            Self::Province => "cấp tỉnh",
            Self::National => "cấp toàn quốc",
        }
    }

    /// The level of recognition, in English.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Unit => "unit",
            Self::Province => "provincial",
            Self::National => "national",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Unit, Self::Province, Self::National]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A title's rule, from `data/assessment.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleRule {
    pub key: TitleKey,
    pub name: String,
    pub subject: Subject,
    pub basis: LegalBasis,
    pub min_months_since_recruitment: Option<u32>,
    pub requires: Option<TitleKey>,
    pub initiative: Option<InitiativeScope>,
    pub cap_share_of_ldtt_pct: Option<u32>,
    pub cap_confidence: Option<Confidence>,
    pub streak_of: Option<TitleKey>,
    pub streak: Option<u32>,
    pub more_than_ldtt_share_pct: Option<u32>,
    pub at_least_ldtt_share_pct: Option<u32>,
    pub barring_form: Option<Form>,
    pub min_cstdcs: Option<u32>,
    /// The award in hundredths of the base salary (0: unknown).
    pub multiple_hundredths: u32,
    pub multiple_confidence: Confidence,
}

/// A recognised initiative (sáng kiến) or applied scientific topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Initiative {
    pub year: i32,
    pub scope: InitiativeScope,
}

/// What an officer records as running against a person: an inspection (thanh tra, kiểm tra)
/// or an investigation (điều tra); each blocks proposals while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProceedingKind {
    Inspection,
    Investigation,
}

impl ProceedingKind {
    pub const ALL: [ProceedingKind; 2] = [Self::Inspection, Self::Investigation];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Inspection => "inspection",
            Self::Investigation => "investigation",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What it blocks as.
    pub const fn blocker(self) -> Blocker {
        match self {
            Self::Inspection => Blocker::Inspection,
            Self::Investigation => Blocker::Investigation,
        }
    }
}

/// What stops any proposal while it lasts (Decree 98/2023 Art. 4(2)–(3), brief §5.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    DisciplineCase,
    Inspection,
    Investigation,
    ComplaintOrDenunciation,
}

impl Blocker {
    pub const fn code(self) -> &'static str {
        match self {
            Self::DisciplineCase => "open_discipline_case",
            Self::Inspection => "inspection",
            Self::Investigation => "investigation",
            Self::ComplaintOrDenunciation => "complaint_being_resolved",
        }
    }

    /// What is in progress, in Vietnamese.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::DisciplineCase => "xem xét xử lý kỷ luật",
            Self::Inspection => "bị thanh tra, kiểm tra",
            Self::Investigation => "bị điều tra",
            Self::ComplaintOrDenunciation => "có khiếu nại, tố cáo chưa được giải quyết xong",
        }
    }

    /// What is in progress, in English.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::DisciplineCase => "a discipline case",
            Self::Inspection => "an inspection",
            Self::Investigation => "an investigation",
            Self::ComplaintOrDenunciation => "a complaint or denunciation being resolved",
        }
    }
}

/// A person's history as eligibility reads it.
#[derive(Debug, Clone, Default)]
pub struct PersonHistory<'a> {
    /// The titles the person registered for at the start of the year.
    pub registered: &'a [TitleKey],
    /// The year's final classification.
    pub level: Option<Level>,
    pub recruited_on: Option<NaiveDate>,
    /// Titles awarded in earlier years and not revoked: (year, title).
    pub awards: &'a [(i32, TitleKey)],
    pub initiatives: &'a [Initiative],
    pub blockers: &'a [Blocker],
}

/// A collective's year as eligibility reads it.
#[derive(Debug, Clone, Default)]
pub struct CollectiveYear<'a> {
    pub registered: &'a [TitleKey],
    /// The collective's own rating.
    pub level: Option<Level>,
    pub members: u32,
    /// Members who completed their tasks (HT or better).
    pub members_completed: u32,
    pub members_ldtt: u32,
    pub members_cstdcs: u32,
    /// The heaviest discipline a member received in the year.
    pub heaviest_member_discipline: Option<Form>,
    pub blockers: &'a [Blocker],
}

/// One reason of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    pub code: &'static str,
    /// Whether this condition is met.
    pub met: bool,
    /// The condition as an officer reads it, in Vietnamese.
    pub message: String,
    /// The same in English.
    pub message_en: String,
    pub basis: String,
}

/// Whether a subject may be proposed for a title in a year, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub title: TitleKey,
    pub eligible: bool,
    pub reasons: Vec<Why>,
}

struct Check<'r> {
    rule: &'r TitleRule,
    reasons: Vec<Why>,
}

impl<'r> Check<'r> {
    fn new(rule: &'r TitleRule) -> Self {
        Self {
            rule,
            reasons: Vec::new(),
        }
    }

    fn add(&mut self, code: &'static str, met: bool, message: Bilingual) {
        self.add_with(code, met, message, &self.rule.basis.clone());
    }

    fn add_with(&mut self, code: &'static str, met: bool, message: Bilingual, basis: &LegalBasis) {
        self.reasons.push(Why {
            code,
            met,
            message: message.vi,
            message_en: message.en,
            basis: format!("{} [{}]", basis.cite(), basis.confidence.code()),
        });
    }

    fn answer(self) -> Answer {
        Answer {
            title: self.rule.key,
            eligible: self.reasons.iter().all(|r| r.met),
            reasons: self.reasons,
        }
    }
}

fn registration(c: &mut Check<'_>, registered: &[TitleKey]) {
    let key = c.rule.key;
    c.add(
        "registered",
        registered.contains(&key),
        Bilingual::new(
            format!("Đã đăng ký danh hiệu {} từ đầu năm", key.label_vi()),
            format!("registered for {} at the start of the year", key.label_en()),
        ),
    );
}

fn blockers(c: &mut Check<'_>, blockers: &[Blocker]) {
    let blocking = LegalBasis {
        document: "Nghị định 98/2023/NĐ-CP".into(),
        article: Some("Điều 4 khoản 2, 3".into()),
        confidence: Confidence::Secondary,
    };
    for b in blockers {
        c.add_with(
            b.code(),
            false,
            Bilingual::new(
                format!("Đang {}: chưa xét khen thưởng", b.label_vi()),
                format!("{} in progress: no award is considered yet", b.label_en()),
            ),
            &blocking,
        );
    }
}

/// Whole months from `from` to the last day of `year`.
fn months_to_year_end(from: NaiveDate, year: i32) -> u32 {
    let end_month = year * 12 + 12;
    let start = from.year() * 12 + i32::try_from(from.month()).unwrap_or(12);
    // Counting the month of recruitment only when it starts on its first day.
    let full = end_month - start + i32::from(from.day() == 1);
    u32::try_from(full.max(0)).unwrap_or(0)
}

/// Consecutive years, ending with `year`, in which the person held `title` (the current year
/// counted when `this_year` says so, the earlier ones from the awards).
fn streak(awards: &[(i32, TitleKey)], title: TitleKey, year: i32, this_year: bool) -> u32 {
    if !this_year {
        return 0;
    }
    let mut n = 1;
    let mut y = year - 1;
    while awards.contains(&(y, title)) {
        n += 1;
        y -= 1;
    }
    n
}

impl AssessmentRules {
    /// Whether a person may be proposed for `title` in `year`.
    pub fn eligible(&self, title: TitleKey, year: i32, h: &PersonHistory<'_>) -> Option<Answer> {
        let rule = self.title(title)?;
        if rule.subject != Subject::Person {
            return None;
        }
        let mut c = Check::new(rule);
        registration(&mut c, h.registered);
        blockers(&mut c, h.blockers);
        match title {
            TitleKey::Ldtt => self.ldtt_conditions(&mut c, year, h),
            TitleKey::Cstdcs | TitleKey::CstdTinh | TitleKey::CstdToanQuoc => {
                self.higher_conditions(&mut c, year, h)
            }
            TitleKey::TtLdtt | TitleKey::TtLdxs => return None,
        }
        Some(c.answer())
    }

    fn ldtt_conditions(&self, c: &mut Check<'_>, year: i32, h: &PersonHistory<'_>) {
        let well = h.level.is_some_and(Level::well_completed);
        c.add(
            "classification",
            well,
            match h.level {
                Some(l) => Bilingual::new(
                    format!(
                        "Năm {year} được xếp loại {} (cần từ hoàn thành tốt nhiệm vụ trở lên)",
                        l.label_vi()
                    ),
                    format!(
                        "rated {} in {year} (“completed well” or better needed)",
                        l.label_en()
                    ),
                ),
                None => Bilingual::new(
                    format!(
                        "Năm {year} chưa được xếp loại (cần từ hoàn thành tốt nhiệm vụ trở lên)"
                    ),
                    format!("not rated in {year} (“completed well” or better needed)"),
                ),
            },
        );
        if let Some(min) = c.rule.min_months_since_recruitment {
            let months = h.recruited_on.map(|d| months_to_year_end(d, year));
            c.add(
                "recruited_six_months",
                months.is_some_and(|m| m >= min),
                match months {
                    Some(m) => Bilingual::new(
                        format!(
                            "Tính đến cuối năm {year}, đã công tác {m} tháng kể từ khi được tuyển dụng (cần ít nhất {min} tháng)"
                        ),
                        format!(
                            "{m} months since recruitment by the end of {year} (at least {min})"
                        ),
                    ),
                    None => Bilingual::new(
                        "Chưa có ngày tuyển dụng",
                        "the recruitment date is not known",
                    ),
                },
            );
        }
    }

    /// CSTĐCS, CSTĐ tỉnh, CSTĐ toàn quốc: the title below (this year, or a streak of it), and an
    /// initiative recognised at the matching level.
    fn higher_conditions(&self, c: &mut Check<'_>, year: i32, h: &PersonHistory<'_>) {
        if let Some(required) = c.rule.requires {
            let below = self.eligible_without_registration(required, year, h);
            c.add(
                "requires_title",
                below,
                Bilingual::new(
                    format!(
                        "Đủ điều kiện đạt danh hiệu {} năm {year}",
                        required.label_vi()
                    ),
                    format!("eligible for {} in {year}", required.label_en()),
                ),
            );
        }
        if let (Some(of), Some(n)) = (c.rule.streak_of, c.rule.streak) {
            let this_year = self.eligible_without_registration(of, year, h);
            let run = streak(h.awards, of, year, this_year);
            c.add(
                "streak",
                run >= n,
                Bilingual::new(
                    format!(
                        "{run} năm liên tục đạt danh hiệu {} tính đến năm {year} (cần {n})",
                        of.label_vi()
                    ),
                    format!(
                        "{run} consecutive years of {} ending in {year} ({n} needed)",
                        of.label_en()
                    ),
                ),
            );
        }
        if let Some(scope) = c.rule.initiative {
            let first = year - i32::try_from(c.rule.streak.unwrap_or(1)).unwrap_or(1) + 1;
            let found = h
                .initiatives
                .iter()
                .any(|i| i.scope >= scope && (first..=year).contains(&i.year));
            c.add(
                "initiative",
                found,
                Bilingual::new(
                    format!("Có sáng kiến được công nhận {} trở lên", scope.label_vi()),
                    format!(
                        "an initiative recognised at {} level or higher",
                        scope.label_en()
                    ),
                ),
            );
        }
    }

    /// Whether the person meets a lower title's conditions this year, whether or not they
    /// registered for it (a streak counts the title held, the registration is the higher one's).
    fn eligible_without_registration(
        &self,
        title: TitleKey,
        year: i32,
        h: &PersonHistory<'_>,
    ) -> bool {
        if h.awards.contains(&(year, title)) {
            return true;
        }
        let registered = [title];
        let as_if = PersonHistory {
            registered: &registered,
            ..h.clone()
        };
        self.eligible(title, year, &as_if)
            .is_some_and(|a| a.eligible)
    }

    /// Whether a collective may be proposed for `title` in its year.
    pub fn collective_eligible(&self, title: TitleKey, y: &CollectiveYear<'_>) -> Option<Answer> {
        let rule = self.title(title)?;
        if rule.subject != Subject::Collective {
            return None;
        }
        let mut c = Check::new(rule);
        registration(&mut c, y.registered);
        blockers(&mut c, y.blockers);
        let share = |n: u32| (n * 100).checked_div(y.members).unwrap_or(0);
        let ldtt_pct = share(y.members_ldtt);
        let exact = |n: u32, pct: u32| u64::from(n) * 100 > u64::from(pct) * u64::from(y.members);
        if let Some(pct) = rule.more_than_ldtt_share_pct {
            c.add(
                "ldtt_share",
                exact(y.members_ldtt, pct),
                Bilingual::new(
                    format!("{ldtt_pct}% thành viên đạt Lao động tiên tiến (cần trên {pct}%)"),
                    format!(
                        "{ldtt_pct}% of members are Advanced Workers (more than {pct}% needed)"
                    ),
                ),
            );
        }
        if let Some(pct) = rule.at_least_ldtt_share_pct {
            let met = u64::from(y.members_ldtt) * 100 >= u64::from(pct) * u64::from(y.members)
                && y.members > 0;
            c.add(
                "ldtt_share",
                met,
                Bilingual::new(
                    format!("{ldtt_pct}% thành viên đạt Lao động tiên tiến (cần ít nhất {pct}%)"),
                    format!("{ldtt_pct}% of members are Advanced Workers (at least {pct}% needed)"),
                ),
            );
            c.add(
                "all_completed",
                y.members > 0 && y.members_completed == y.members,
                Bilingual::new(
                    format!(
                        "{} trên {} thành viên hoàn thành nhiệm vụ",
                        y.members_completed, y.members
                    ),
                    format!(
                        "{} of {} members completed their tasks",
                        y.members_completed, y.members
                    ),
                ),
            );
            c.add(
                "collective_excellent",
                y.level == Some(Level::Htxs),
                Bilingual::new(
                    "Tập thể hoàn thành xuất sắc nhiệm vụ",
                    "the collective completed its tasks excellently",
                ),
            );
        }
        if let Some(form) = rule.barring_form {
            let barred = y
                .heaviest_member_discipline
                .is_some_and(|f| severity(f) >= severity(form));
            c.add(
                "no_member_disciplined",
                !barred,
                Bilingual::new(
                    format!(
                        "Không có thành viên bị kỷ luật từ hình thức {} trở lên",
                        form.label_vi()
                    ),
                    format!(
                        "no member disciplined with a {} or heavier",
                        form.label_en()
                    ),
                ),
            );
        }
        if let Some(n) = rule.min_cstdcs {
            c.add(
                "member_cstdcs",
                y.members_cstdcs >= n,
                Bilingual::new(
                    format!(
                        "{} thành viên đạt Chiến sĩ thi đua cơ sở (cần ít nhất {n})",
                        y.members_cstdcs
                    ),
                    format!(
                        "{} member(s) are Grassroots Emulation Fighters (at least {n})",
                        y.members_cstdcs
                    ),
                ),
            );
        }
        Some(c.answer())
    }

    /// How many CSTĐCS a group with `ldtt` holders may propose (the share is data, [U]).
    pub fn cstdcs_cap(&self, ldtt: u32) -> Option<u32> {
        let pct = self.title(TitleKey::Cstdcs)?.cap_share_of_ldtt_pct?;
        Some(ldtt * pct / 100)
    }
}

/// The base salary from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseSalary {
    pub valid_from: NaiveDate,
    /// The last day it is known to hold (none: still in force when the data was written).
    pub valid_to: Option<NaiveDate>,
    /// Đồng per month.
    pub amount: u64,
    pub basis: LegalBasis,
}

/// The award in đồng: the title's multiple of the base salary in force on the decision date
/// (Decree 98/2023 Art. 54); none when the multiple or the base salary of that day is not known.
pub fn award_amount(
    rule: &TitleRule,
    salaries: &[BaseSalary],
    decided_on: NaiveDate,
) -> Option<u64> {
    let base = salaries
        .iter()
        .filter(|s| s.valid_from <= decided_on && s.valid_to.is_none_or(|to| decided_on <= to))
        .max_by_key(|s| s.valid_from)?;
    (rule.multiple_hundredths > 0).then(|| base.amount * u64::from(rule.multiple_hundredths) / 100)
}
