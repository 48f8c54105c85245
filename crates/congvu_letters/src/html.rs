//! HTML for preview and printing: one self-contained page (no scripts, no external files) laid
//! out as the PDF is, with print CSS for A4 and the Decree 30/2020 margins. maud escapes every
//! value it inserts, so a letter's text cannot become markup.

use congvu_core::letter::compose::{DRAFT_MARK, Document, MOTTO, NATIONAL_TITLE, RECIPIENTS};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = "\
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: 'Liberation Serif', 'Times New Roman', Times, serif; font-size: 13pt; \
line-height: 1.3; max-width: 165mm; margin: 0 auto; color: #000; background: #fff; }
.draft { text-align: center; font-weight: bold; letter-spacing: .2em; }
.head { display: grid; grid-template-columns: 44% 56%; row-gap: 10pt; text-align: center; }
.head p { margin: 0; }
.caps { font-size: 12pt; }
.b { font-weight: bold; }
.i { font-style: italic; }
.rule { width: 35%; margin: 2pt auto 0; border-top: .5pt solid #000; }
.rule.wide { width: 60%; }
.title { text-align: center; font-weight: bold; font-size: 14pt; margin: 14pt 0 8pt; }
.to { text-align: center; font-size: 14pt; margin: 8pt 0; }
.to p { margin: 0; }
.text p { text-align: justify; text-indent: 1cm; margin: 0 0 6pt; }
.foot { display: grid; grid-template-columns: 45% 55%; margin-top: 14pt; }
.foot p { margin: 0; }
.recipients .h { font-size: 12pt; font-weight: bold; font-style: italic; }
.recipients .e { font-size: 11pt; }
.sign { text-align: center; }
.sign .mark { margin: 8pt 0; }
";

/// The letter as a complete HTML page in Vietnamese.
pub fn render(doc: &Document) -> String {
    page(doc).into_string()
}

fn page(doc: &Document) -> Markup {
    let title = doc
        .title
        .as_deref()
        .or(doc.summary.as_deref())
        .unwrap_or(&doc.number);
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                @if doc.draft { p.draft { (DRAFT_MARK) } }
                (header(doc))
                @if let Some(t) = &doc.title { p.title { (t) } }
                div.to { @for line in &doc.addressee { p { (line) } } }
                div.text { @for p in &doc.paragraphs { p { (p) } } }
                (footer(doc))
            }
        }
    }
}

fn header(doc: &Document) -> Markup {
    html! {
        div.head {
            div {
                @if let Some(parent) = &doc.parent { p.caps { (parent) } }
                p.caps.b { (doc.body) }
                div.rule {}
            }
            div {
                p.caps.b { (NATIONAL_TITLE) }
                p.b { (MOTTO) }
                div.rule.wide {}
            }
            div {
                p { (doc.number) }
                @if let Some(s) = &doc.summary { p { (s) } }
            }
            div { p.i { (doc.place_date) } }
        }
    }
}

fn footer(doc: &Document) -> Markup {
    html! {
        div.foot {
            div.recipients {
                p.h { (RECIPIENTS) }
                @for r in &doc.recipients { p.e { (r) } }
            }
            div.sign {
                @if let Some(s) = &doc.signature {
                    @for line in &s.lines { p.b { (line) } }
                    @if let Some(mark) = &s.mark { p.i.mark { (mark) } }
                    p.b { (s.name) }
                }
            }
        }
    }
}
