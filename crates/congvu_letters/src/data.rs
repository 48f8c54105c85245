//! The letter as the JSON the typesetting template reads through `sys.inputs` (domain types are
//! not serialisable on purpose; this is the one place that decides the shape).

use congvu_core::letter::compose::{DRAFT_MARK, Document, MOTTO, NATIONAL_TITLE, RECIPIENTS};
use serde_json::{Value, json};

/// The document's components under the names `templates/letter.typ` uses.
pub fn to_json(doc: &Document) -> Value {
    let signature = doc.signature.as_ref().map(|s| {
        json!({
            "lines": s.lines,
            "mark": s.mark,
            "name": s.name,
        })
    });
    json!({
        "draft_mark": doc.draft.then_some(DRAFT_MARK),
        "parent": doc.parent,
        "body": doc.body,
        "national_title": NATIONAL_TITLE,
        "motto": MOTTO,
        "number": doc.number,
        "summary": doc.summary,
        "place_date": doc.place_date,
        "title": doc.title,
        "addressee": doc.addressee,
        "paragraphs": doc.paragraphs,
        "recipients_heading": RECIPIENTS,
        "recipients": doc.recipients,
        "signature": signature,
    })
}
