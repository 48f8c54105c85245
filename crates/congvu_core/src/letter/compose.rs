//! A letter's text, composed from its content, its form and its issue into the components of a
//! Decree 30/2020 document (Art. 8(2), brief §6.9): national title and motto, issuing body,
//! number, place and date, title or summary, "Kính gửi", body, signature block, "Nơi nhận". The
//! renderers lay these out; [`Document::plain_text`] is the same text in reading order, which a
//! rendered PDF must give back.

use chrono::{Datelike, NaiveDate};

use super::rules::Form;
use super::{Applicant, Content, Details, DocNumber, Dossier, Letterhead, Signature};

/// Quốc hiệu (Decree 30/2020 App. I).
pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Tiêu ngữ (Decree 30/2020 App. I).
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// The heading of the recipients list.
pub const RECIPIENTS: &str = "Nơi nhận:";
/// Shown above a draft's header.
pub const DRAFT_MARK: &str = "DỰ THẢO";
/// Stands for the handwritten signature on the copy a citizen receives by email.
pub const SIGNED_MARK: &str = "(Đã ký)";

/// The signature block as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureBlock {
    /// The authority line ("KT. CHỦ TỊCH") when there is one, then the signer's title.
    pub lines: Vec<String>,
    /// [`SIGNED_MARK`] on an issued letter.
    pub mark: Option<String>,
    pub name: String,
}

/// A letter ready to lay out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub draft: bool,
    /// The governing body, upper case.
    pub parent: Option<String>,
    /// The issuing body, upper case.
    pub body: String,
    /// "Số: 05/PXL-STP".
    pub number: String,
    /// "Hưng Yên, ngày 05 tháng 3 năm 2025".
    pub place_date: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// "Kính gửi: Ông Nguyễn Văn An", then the address line when known.
    pub addressee: Vec<String>,
    pub paragraphs: Vec<String>,
    /// Entries under "Nơi nhận:".
    pub recipients: Vec<String>,
    /// Absent on a draft.
    pub signature: Option<SignatureBlock>,
}

impl Document {
    /// The document's text in reading order (header left then right, title, addressee, body,
    /// recipients, signature), one component per line.
    pub fn plain_text(&self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        if self.draft {
            lines.push(DRAFT_MARK);
        }
        lines.extend(self.parent.as_deref());
        lines.push(&self.body);
        lines.push(NATIONAL_TITLE);
        lines.push(MOTTO);
        lines.push(&self.number);
        lines.extend(self.summary.as_deref());
        lines.push(&self.place_date);
        lines.extend(self.title.as_deref());
        lines.extend(self.addressee.iter().map(String::as_str));
        lines.extend(self.paragraphs.iter().map(String::as_str));
        lines.push(RECIPIENTS);
        lines.extend(self.recipients.iter().map(String::as_str));
        if let Some(sig) = &self.signature {
            lines.extend(sig.lines.iter().map(String::as_str));
            lines.extend(sig.mark.as_deref());
            lines.push(&sig.name);
        }
        lines.join("\n")
    }
}

/// The number and signature of an issued letter.
#[derive(Debug, Clone, Copy)]
pub struct Issue<'a> {
    pub number: &'a DocNumber,
    pub on: NaiveDate,
    pub signature: &'a Signature,
}

/// Composes the letter; a draft (no `issue`) has a blank number and date and no signature.
pub fn compose(
    head: &Letterhead,
    form: &Form,
    content: &Content,
    issue: Option<Issue<'_>>,
) -> Document {
    let body_name = head.body.clone();
    let number = match issue {
        Some(i) => format!("Số: {}", i.number.render()),
        None => format!("Số:      /{}-{}", form.symbol, head.symbol),
    };
    let place_date = match issue {
        Some(i) => date_line(&head.place, i.on),
        None => format!("{}, ngày      tháng      năm", head.place),
    };
    Document {
        draft: issue.is_none(),
        parent: head.parent.as_ref().map(|p| p.to_uppercase()),
        body: body_name.to_uppercase(),
        number,
        place_date,
        title: form.title.clone(),
        summary: form.summary.clone(),
        addressee: addressee(&content.applicant),
        paragraphs: paragraphs(&body_name, form, content),
        recipients: recipients(head, content),
        signature: issue.map(|i| signature_block(i.signature)),
    }
}

/// The place and date line: "Hà Nội, ngày 05 tháng 3 năm 2020"; days below 10 and the months
/// January and February take a leading zero (Decree 30/2020 App. I, brief §6.9 [R]).
pub fn date_line(place: &str, date: NaiveDate) -> String {
    let month = date.month();
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        date.day(),
        date.year()
    )
}

/// A date in running text: "05/3/2025".
fn short_date(date: NaiveDate) -> String {
    format!("{:02}/{}/{}", date.day(), date.month(), date.year())
}

fn addressee(applicant: &Applicant) -> Vec<String> {
    let name = match applicant.salutation {
        super::Salutation::Organisation => applicant.name.clone(),
        s => format!("{} {}", s.pronoun(), applicant.name),
    };
    let mut lines = vec![format!("Kính gửi: {name}")];
    if let Some(address) = &applicant.address {
        lines.push(format!("Địa chỉ: {address}"));
    }
    lines
}

/// Ends a sentence with a full stop unless it already ends with punctuation.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', '…', ';', ':']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

fn dossier_line(body: &str, pronoun: &str, name: &str, d: &Dossier) -> String {
    format!(
        "Ngày {}, {body} đã tiếp nhận hồ sơ của {pronoun} {name}, mã số hồ sơ {}, thủ tục: {}. \
         Ngày hẹn trả kết quả theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả là ngày {}.",
        short_date(d.received_on),
        d.code,
        d.procedure,
        short_date(d.due_on)
    )
}

fn paragraphs(body: &str, form: &Form, content: &Content) -> Vec<String> {
    let p = content.applicant.salutation.pronoun();
    let name = &content.applicant.name;
    let mut out = Vec::new();
    if let Some(d) = &content.dossier {
        out.push(dossier_line(body, p, name, d));
    }
    let standard = match &content.details {
        Details::Overdue { reason, new_due_on } => {
            out.push(format!(
                "Đến nay, hồ sơ của {p} chưa được giải quyết xong đúng hẹn. Lý do: {}",
                sentence(reason)
            ));
            out.push(if !form.asks_extension {
                format!(
                    "{body} hẹn lại ngày trả kết quả là ngày {}.",
                    short_date(*new_due_on)
                )
            } else {
                format!(
                    "{body} đề nghị {p} đồng ý gia hạn thời gian giải quyết hồ sơ đến ngày {}.",
                    short_date(*new_due_on)
                )
            });
            format!("{body} thành thật xin lỗi {p} vì sự chậm trễ này và mong {p} thông cảm.")
        }
        Details::ErrorInResult { error, remedy } => {
            out.push(format!(
                "Kết quả giải quyết hồ sơ trả cho {p} có sai sót: {}",
                sentence(error)
            ));
            out.push(format!("Biện pháp khắc phục: {}", sentence(remedy)));
            format!("{body} thành thật xin lỗi {p} về sai sót này.")
        }
        Details::LostDossier { incident, remedy } => {
            out.push(format!(
                "Hồ sơ của {p} đã bị mất hoặc hư hỏng trong quá trình giải quyết: {}",
                sentence(incident)
            ));
            out.push(format!("Biện pháp khắc phục: {}", sentence(remedy)));
            format!("{body} thành thật xin lỗi {p} về sự việc này.")
        }
        Details::StaffConduct { failure, measures } => {
            out.push(format!(
                "{body} đã xem xét sự việc liên quan đến {p} {name}: {}",
                sentence(failure)
            ));
            out.push(format!(
                "Các biện pháp đã thực hiện: {}",
                sentence(measures)
            ));
            format!(
                "{body} thành thật xin lỗi {p} và cam kết chấn chỉnh tinh thần, thái độ phục vụ \
                 của cán bộ, công chức."
            )
        }
    };
    out.push(content.apology.as_deref().map(sentence).unwrap_or(standard));
    out.push(format!("Trân trọng cảm ơn {p}./."));
    out
}

fn recipients(head: &Letterhead, content: &Content) -> Vec<String> {
    let mut out = vec!["- Như trên;".to_owned()];
    out.extend(content.recipients.iter().map(|r| format!("- {r};")));
    out.push(format!("- Lưu: VT, {}.", head.archive));
    out
}

fn signature_block(sig: &Signature) -> SignatureBlock {
    let mut lines = Vec::new();
    if let (Some(prefix), Some(whom)) = (sig.authority.prefix(), &sig.on_behalf_of) {
        lines.push(format!("{prefix} {whom}"));
    }
    lines.push(sig.title.clone());
    SignatureBlock {
        lines,
        mark: Some(SIGNED_MARK.to_owned()),
        name: sig.name.clone(),
    }
}
