//! A letter's documents: the HTML preview of a draft, and the issued HTML and PDF.

use super::*;

/// The preview of a letter not yet issued: today's form, no number, no signature, marked draft.
pub(super) async fn preview(state: &AppState, actor: &Actor, id: Uuid) -> Result<Document> {
    let current = congvu_db::letter::find(state.db.reader(), &reach(actor), id).await?;
    let parsed = content(&state.letter_rules, &stored_content(&current)?)?;
    let head = letterhead_of(state.db.reader(), current.unit).await?;
    let form = form_on(state, current.cause, vietnam_date(state.clock.now()))?;
    Ok(compose::compose(&head, form, &parsed, None))
}

/// The letter as HTML: as issued, or a preview.
pub async fn html(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::LetterId,
) -> Result<String> {
    let id = id.as_uuid();
    let stored = congvu_db::letter::rendered(state.db.reader(), &reach(actor), id).await?;
    if let Some(html) = stored.html {
        return Ok(html);
    }
    Ok(congvu_letters::html::render(
        &preview(state, actor, id).await?,
    ))
}

/// The letter as PDF: the stored bytes of an issued letter, a fresh preview otherwise. Answers
/// the file name too.
pub async fn pdf(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::LetterId,
) -> Result<(String, Vec<u8>)> {
    let id = id.as_uuid();
    let stored = congvu_db::letter::rendered(state.db.reader(), &reach(actor), id).await?;
    if let (Some(number), Some(bytes)) = (stored.number, stored.pdf) {
        return Ok((file_name(&number), bytes));
    }
    let doc = preview(state, actor, id).await?;
    Ok((format!("du-thao-{id}.pdf"), render_pdf(doc, id).await?))
}

/// "07/PXL-STP" → "07-PXL-STP.pdf".
pub fn file_name(number: &str) -> String {
    format!("{}.pdf", number.replace('/', "-"))
}
