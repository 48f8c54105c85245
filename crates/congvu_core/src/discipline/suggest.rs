//! The suggested form (234/2026 Art. 8–11, Art. 2(3), 2(8)): the merited form per violation, the
//! escalation for a repeat or a new act while a decision is in effect, each reason with its source.

use super::*;

/// The facts about one violation that the form rules read (234/2026 Art. 8–11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViolationFacts {
    pub consequence: Consequence,
    /// The form of an earlier decision for the same kind of violation taking effect within the
    /// repeat window (tái phạm, Art. 2(8)).
    pub repeat_of: Option<Form>,
    /// Remorse, remedy and mitigating factors (Art. 4(4)).
    pub mitigating: bool,
    /// Aggravating factors (Art. 4(3)).
    pub aggravating: bool,
}

/// A suggested form with the reasons that led to it, each with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub form: Form,
    /// Each reason in Vietnamese and English, with its legal basis.
    pub reasons: Vec<(Bilingual, LegalBasis)>,
}

fn art(article: &str) -> LegalBasis {
    LegalBasis {
        document: "Nghị định 234/2026/NĐ-CP".into(),
        article: Some(article.into()),
        confidence: Confidence::Verified,
    }
}

/// The form one violation merits on this ladder, with its reason.
fn merited(ladder: &Ladder, v: &ViolationFacts) -> (Form, Bilingual, LegalBasis) {
    let top = ladder.forms.last().copied().unwrap_or(Form::BuocThoiViec);
    match (v.repeat_of, v.consequence) {
        (Some(previous), _) => {
            let form = ladder.one_above(previous).unwrap_or(top);
            (
                form,
                Bilingual::new(
                    format!(
                        "Tái phạm sau khi đã bị {}: áp dụng hình thức kỷ luật nặng hơn một mức",
                        previous.label_vi()
                    ),
                    format!(
                        "repeat offence after a {}: one level above",
                        previous.label_en()
                    ),
                ),
                art("Điều 9–11 (tái phạm)"),
            )
        }
        (None, Consequence::LessSerious) => (
            Form::KhienTrach,
            Bilingual::new(
                "Vi phạm lần đầu, gây hậu quả ít nghiêm trọng",
                "first violation, less serious consequences",
            ),
            art("Điều 8"),
        ),
        (None, Consequence::Serious) => (
            Form::CanhCao,
            Bilingual::new(
                "Vi phạm lần đầu, gây hậu quả nghiêm trọng",
                "first violation, serious consequences",
            ),
            art("Điều 9"),
        ),
        (None, Consequence::VerySerious)
            if ladder.rank(Form::CachChuc).is_some() && v.mitigating && !v.aggravating =>
        {
            (
                Form::CachChuc,
                Bilingual::new(
                    "Gây hậu quả rất nghiêm trọng, có thái độ tiếp thu, sửa chữa và tình tiết giảm nhẹ (người giữ chức vụ quản lý)",
                    "very serious consequences, with remorse and mitigating factors (a manager)",
                ),
                art("Điều 10"),
            )
        }
        (None, Consequence::VerySerious) => (
            top,
            Bilingual::new("Gây hậu quả rất nghiêm trọng", "very serious consequences"),
            art("Điều 11"),
        ),
    }
}

/// The suggested form for violations considered together, given the form of a decision still in
/// effect (if any). Several violations → the single highest form (Art. 2(2)); a new violation while
/// a decision is in effect → one level above the heavier of the two (Art. 2(3)). The result is
/// always a form on the person's ladder.
pub fn suggest(
    ladder: &Ladder,
    violations: &[ViolationFacts],
    in_effect: Option<Form>,
) -> Option<Suggestion> {
    let mut reasons = Vec::new();
    let mut forms = Vec::new();
    // A form in effect that is not on this ladder (a historic one) counts as its counterpart here.
    let in_effect = in_effect.and_then(|c| ladder.counterpart(c).map(|placed| (c, placed)));
    let escalating = in_effect.is_some();
    for v in violations {
        // While a decision is in effect, the escalation rule of Art. 2(3) already raises the form
        // one level for the new act; counting the same earlier decision again as a repeat
        // (Art. 9–11) would raise it twice. The act is judged on its own, then escalated once.
        let judged = if escalating {
            ViolationFacts {
                repeat_of: None,
                ..*v
            }
        } else {
            *v
        };
        let (form, why, basis) = merited(ladder, &judged);
        let form = if ladder.rank(form).is_some() {
            form
        } else {
            ladder.forms.last().copied()?
        };
        forms.push(form);
        reasons.push((why, basis));
    }
    let mut form = ladder.heaviest(forms.iter().copied())?;
    if forms.len() > 1 {
        reasons.push((
            Bilingual::new(
                format!(
                    "Xem xét cùng lúc {} hành vi vi phạm: áp dụng một hình thức cao nhất",
                    forms.len()
                ),
                format!(
                    "{} violations considered together: the single highest form",
                    forms.len()
                ),
            ),
            art("Điều 2 khoản 2"),
        ));
    }
    if let Some((current, placed)) = in_effect {
        let base = ladder.heaviest([placed, form])?;
        form = ladder.one_above(base)?;
        reasons.push((
            Bilingual::new(
                format!(
                    "Đang trong thời hạn thi hành quyết định kỷ luật {}: áp dụng hình thức kỷ luật nặng hơn một mức so với hình thức nặng hơn trong hai hình thức",
                    current.label_vi()
                ),
                format!(
                    "a {} is still in effect: one level above the heavier form",
                    current.label_en()
                ),
            ),
            art("Điều 2 khoản 3"),
        ));
    }
    Some(Suggestion { form, reasons })
}

/// The last day a decision is in effect: `months` after it takes effect (it then ends by itself
/// when no new violation occurred; §3.8 Art. 2(9)).
pub fn effect_ends(effective_on: NaiveDate, months: u32) -> Option<NaiveDate> {
    calendar::add_months(effective_on, months).and_then(|d| d.pred_opt())
}

/// Whether a violation on `committed_on` is a repeat of a decision effective on `previous_effective`
/// (within the repeat window, §3.3 Art. 2(8)).
pub fn is_repeat(
    previous_effective: NaiveDate,
    committed_on: NaiveDate,
    window_months: u32,
) -> bool {
    committed_on >= previous_effective
        && effect_ends(previous_effective, window_months).is_some_and(|end| committed_on <= end)
}
