//! Issuing a letter: the signature checked, the number taken, the document rendered as HTML and PDF, stored and queued for mail in one transaction.

use super::*;

pub(super) fn signature(input: &Signing) -> Result<Signature> {
    Ok(Signature::new(
        input.authority,
        input.on_behalf_of.as_deref(),
        &input.title,
        &input.name,
    )?)
}

/// The letterhead of a unit, required to issue or preview.
pub(super) async fn letterhead_of(
    db: &impl congvu_db::Connection,
    unit: UnitId,
) -> Result<Letterhead> {
    congvu_db::letter::letterhead(db, unit)
        .await?
        .ok_or_else(|| Error::Conflict {
            code: "letter.no_letterhead",
            detail: "the unit has no letterhead yet: PUT /units/{id}/letterhead first".into(),
        })
}

/// What issuing needs, read before the transaction so that the single writer is held only for
/// the number, the rules' count and the writes.
pub(super) struct Prepared {
    letter: LetterRecord,
    input: LetterDraft,
    parsed: Content,
    head: Letterhead,
    calendar: WorkCalendar,
}

pub(super) async fn prepare(state: &AppState, actor: &Actor, id: Uuid) -> Result<Prepared> {
    let letter = congvu_db::letter::find(state.db.reader(), &reach(actor), id).await?;
    if !actor.holds_at(Role::UnitHead, letter.unit) {
        return Err(Error::Forbidden(
            "only a unit head of the issuing unit signs and issues its letters",
        ));
    }
    let input = stored_content(&letter)?;
    let parsed = content(&state.letter_rules, &input)?;
    let head = letterhead_of(state.db.reader(), letter.unit).await?;
    let unit = congvu_db::unit::find(
        state.db.reader(),
        &actor.reach(Action::ViewUnit),
        letter.unit,
    )
    .await?;
    let calendar = crate::service::units::calendar_for(state, &unit).await?;
    Ok(Prepared {
        letter,
        input,
        parsed,
        head,
        calendar,
    })
}

/// Signs and issues a submitted letter. The letter is rendered first with the number expected;
/// then one transaction locks the body (serialising its issues whatever the year), takes the next
/// number of the year, counts the dossier's standing letters, checks the form's rules on the issue
/// date, stores the PDF and HTML (rendered again only if the number moved), appends the audit event
/// and queues the email. A refusal or a failure rolls all of it back, number included.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::LetterId,
    input: Signing,
) -> Result<LetterView> {
    let id = id.as_uuid();
    let signature = signature(&input)?;
    let p = prepare(state, actor, id).await?;
    let now = state.clock.now();
    let issued_on = vietnam_date(now);
    let form = form_on(state, p.letter.cause, issued_on)?;
    let expected = congvu_db::letter::last_number(
        state.db.reader(),
        p.letter.unit,
        chrono::Datelike::year(&issued_on),
    )
    .await?
        + 1;
    let pre = render(&p, form, expected, issued_on, &signature, id).await?;
    let txn = state.db.begin().await?;
    let current = congvu_db::letter::find_for_update(&txn, &reach(actor), id).await?;
    if current.state != State::Submitted || current.content != p.letter.content {
        return Err(Error::Conflict {
            code: "letter.step_not_allowed",
            detail: format!("a {} letter cannot be issued", current.state.code()),
        });
    }
    let year = chrono::Datelike::year(&issued_on);
    // Lock order everywhere: the letter, its body's letterhead, the year's counter, the mail.
    congvu_db::letter::lock_body(&txn, current.unit).await?;
    let seq = congvu_db::letter::next_number(&txn, current.unit, year).await?;
    let earlier = match &p.parsed.dossier {
        Some(d) if current.cause == Cause::Overdue => {
            congvu_db::letter::reappointments(&txn, current.unit, &d.code, id).await?
        }
        _ => 0,
    };
    let warnings = rules::check_issue(
        &IssueFacts {
            form,
            issued_on,
            dossier: p.parsed.dossier.as_ref(),
            earlier_reappointments: earlier,
            authority: signature.authority,
        },
        &p.calendar,
    )?;
    // Rendered before the transaction with the number expected; again, inside it, only when
    // another issue took that number meanwhile.
    let Rendered {
        number,
        doc,
        html,
        pdf,
        ..
    } = match pre {
        r if r.seq == seq => r,
        _ => render(&p, form, seq, issued_on, &signature, id).await?,
    };
    let sha = hex::encode(Sha256::digest(&pdf));
    let stored_signature = LetterSignature::from(&input);
    let stored_warnings: Vec<LetterWarning> = warnings.iter().map(stored_warning).collect();
    let row = IssueRow {
        form_key: &form.key,
        year,
        seq,
        number: &number,
        issued_on,
        issued_by: actor.user.as_uuid(),
        signature: &stored_signature,
        warnings: &stored_warnings,
        pdf: &pdf,
        pdf_sha256: &sha,
        html: &html,
    };
    congvu_db::letter::issue(&txn, id, &row, now).await?;
    if p.parsed.channel == Channel::Email
        && let Some(email) = &p.parsed.applicant.email
    {
        let (subject, body) = cover(&doc, &p.head, p.input.mail_language.unwrap_or_default());
        queue_mail(state, &txn, id, email, subject, body).await?;
    }
    #[derive(Serialize)]
    struct Change<'a> {
        number: &'a str,
        form_key: &'a str,
        issued_on: NaiveDate,
        authority: &'a str,
        pdf_sha256: &'a str,
        warnings: Vec<&'a str>,
    }
    let change = Change {
        number: row.number,
        form_key: &form.key,
        issued_on,
        authority: signature.authority.code(),
        pdf_sha256: &sha,
        warnings: warnings.iter().map(|w| w.code).collect(),
    };
    record(
        &txn,
        who(actor),
        "letter.issue",
        ("letter", id.to_string()),
        "signed and issued",
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into()).await
}

/// A letter laid out with its number.
pub(super) struct Rendered {
    seq: u32,
    /// "05/PXL-STP".
    number: String,
    doc: Document,
    html: String,
    pdf: Vec<u8>,
}

/// Composes and renders the issued letter with number `seq`.
pub(super) async fn render(
    p: &Prepared,
    form: &Form,
    seq: u32,
    on: NaiveDate,
    signature: &Signature,
    id: Uuid,
) -> Result<Rendered> {
    let number = DocNumber {
        seq,
        symbol: form.symbol.clone(),
        body: p.head.symbol.clone(),
    };
    let doc = compose::compose(
        &p.head,
        form,
        &p.parsed,
        Some(Issue {
            number: &number,
            on,
            signature,
        }),
    );
    let html = congvu_letters::html::render(&doc);
    let pdf = render_pdf(doc.clone(), id).await?;
    Ok(Rendered {
        seq,
        number: number.render(),
        doc,
        html,
        pdf,
    })
}

/// Renders off the async threads (typesetting is CPU work).
pub(super) async fn render_pdf(doc: Document, id: Uuid) -> Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || congvu_letters::pdf::render(&doc, &id.to_string()))
        .await
        .map_err(|e| Error::Internal(format!("renderer: {e}")))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// The subject and covering text of a letter's email, in Vietnamese or English; the letter itself
/// is the attached PDF.
pub(super) fn cover(doc: &Document, head: &Letterhead, language: MailLanguage) -> (String, String) {
    let title = doc
        .title
        .clone()
        .or_else(|| doc.summary.clone())
        .unwrap_or_default();
    let number = doc.number.trim_start_matches("Số: ");
    let greeting = doc.addressee.first().cloned().unwrap_or_default();
    let body = &head.body;
    if language == MailLanguage::En {
        (
            format!("Letter No. {number} from {body}"),
            format!(
                "{greeting}\n\n{body} sends you its letter No. {number} ({title}), attached as a \
                 PDF file. The letter itself is in Vietnamese.\n\n\
                 This message was sent automatically; please do not reply to it.\n"
            ),
        )
    } else {
        (
            format!("{title} - Số {number}"),
            format!(
                "{greeting}\n\n{body} gửi văn bản số {number} ({title}), đính kèm dưới dạng tệp \
                 PDF.\n\nThư này được gửi tự động, xin vui lòng không trả lời thư này.\n"
            ),
        )
    }
}

/// Queues a letter's email in the issuing transaction; the relay attaches the stored PDF.
pub(super) async fn queue_mail(
    state: &AppState,
    txn: &congvu_db::Transaction,
    letter: Uuid,
    email: &str,
    subject: String,
    body: String,
) -> Result<()> {
    let id = Uuid::now_v7();
    outbox::enqueue(
        txn,
        &Message {
            id,
            recipient_sealed: state.secrets.seal(email.as_bytes(), id.as_bytes())?,
            subject,
            body,
            attempts: 0,
            letter_id: Some(letter),
        },
        state.clock.now(),
    )
    .await?;
    Ok(())
}
