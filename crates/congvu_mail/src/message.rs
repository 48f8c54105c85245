//! A message as congvu sends it: plain text in UTF-8, optional attachments, and a Message-ID
//! derived from the outbox id so that a re-send after a crash carries the same id and a mail
//! client (or the recipient) can tell it is the same message.

use lettre::message::header::ContentType;
use lettre::message::{Attachment as Part, Mailbox, MultiPart, SinglePart};
use uuid::Uuid;

use crate::Error;

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The outbox id; the Message-ID is `<id@congvu>`.
    pub id: Uuid,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub attachments: Vec<Attachment>,
}

impl Outgoing {
    /// The stable Message-ID.
    pub fn message_id(&self) -> String {
        format!("<{}@congvu>", self.id)
    }

    /// The message as lettre sends it.
    pub fn build(&self) -> Result<lettre::Message, Error> {
        let from: Mailbox = self
            .from
            .parse()
            .map_err(|_| Error::Settings("mail_from is not an address".into()))?;
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|_| Error::Permanent("the recipient is not an address".into()))?;
        let builder = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject.clone())
            .message_id(Some(self.message_id()));
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(self.text.clone());
        let built = if self.attachments.is_empty() {
            builder.singlepart(text)
        } else {
            let mut parts = MultiPart::mixed().singlepart(text);
            for a in &self.attachments {
                let kind = ContentType::parse(&a.content_type)
                    .map_err(|_| Error::Permanent("attachment type is invalid".into()))?;
                parts = parts.singlepart(Part::new(a.filename.clone()).body(a.bytes.clone(), kind));
            }
            builder.multipart(parts)
        };
        built.map_err(|e| Error::Permanent(format!("message cannot be built: {e}")))
    }
}

/// `text` with every occurrence of `address` (in any ASCII case) replaced by its masked form.
pub fn redact(text: &str, address: &str) -> String {
    if address.is_empty() {
        return text.to_owned();
    }
    let (hay, needle) = (text.to_ascii_lowercase(), address.to_ascii_lowercase());
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in hay.match_indices(&needle) {
        out.push_str(text.get(rest..at).unwrap_or_default());
        out.push_str(&mask(address));
        rest = at + needle.len();
    }
    out.push_str(text.get(rest..).unwrap_or_default());
    out
}

/// Whether `address` is a single email address lettre can send to.
pub fn valid_address(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}

/// Whether `mailbox` is a sender lettre accepts (`addr` or `Name <addr>`).
pub fn valid_mailbox(mailbox: &str) -> bool {
    mailbox.parse::<Mailbox>().is_ok()
}

/// An address as logs may show it: the first character of the local part and the domain
/// ("h***@example.vn"); anything that is not an address shows as "***".
pub fn mask(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Outgoing {
        Outgoing {
            id: Uuid::nil(),
            from: "congvu@hungyen.gov.vn".into(),
            to: "Trần Thị Ánh <anh@example.vn>".into(),
            subject: "Thư xin lỗi số 07/PXL-STP".into(),
            text: "Kính gửi Bà Trần Thị Ánh".into(),
            attachments: vec![Attachment {
                filename: "07-PXL-STP.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.7 test".to_vec(),
            }],
        }
    }

    #[test]
    fn message_id_is_stable_and_attachment_is_a_pdf_part() {
        let m = sample();
        let raw = String::from_utf8(m.build().unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <00000000-0000-0000-0000-000000000000@congvu>"));
        assert!(raw.contains("multipart/mixed"));
        assert!(raw.contains("Content-Type: application/pdf"));
        assert!(raw.contains("filename=\"07-PXL-STP.pdf\""));
        assert_eq!(m.build().unwrap().formatted().len(), raw.len());
    }

    #[test]
    fn a_bad_recipient_is_permanent_and_a_bad_sender_is_a_settings_error() {
        let mut m = sample();
        m.to = "not an address".into();
        assert!(matches!(m.build(), Err(Error::Permanent(_))));
        let mut m = sample();
        m.from = "nope".into();
        assert!(matches!(m.build(), Err(Error::Settings(_))));
    }

    #[test]
    fn masking_keeps_only_the_first_letter_and_the_domain() {
        assert_eq!(mask("hoa.pham@example.vn"), "h***@example.vn");
        assert_eq!(mask("garbage"), "***");
        assert_eq!(mask("@x"), "***");
    }

    #[test]
    fn redaction_masks_the_address_in_any_case() {
        let reply = "550 5.1.1 <Hoa.Pham@Example.VN>: rejected; hoa.pham@example.vn unknown";
        assert_eq!(
            redact(reply, "hoa.pham@example.vn"),
            "550 5.1.1 <h***@example.vn>: rejected; h***@example.vn unknown"
        );
        assert_eq!(redact("no address here", "a@b.vn"), "no address here");
    }

    #[test]
    fn only_plain_addresses_are_valid() {
        assert!(valid_address("anh@example.vn"));
        assert!(!valid_address("anh@"));
        assert!(!valid_address("Ánh <anh@example.vn>"));
        assert!(!valid_address("a@b.vn, c@d.vn"));
    }
}
