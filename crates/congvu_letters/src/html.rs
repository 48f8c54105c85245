//! HTML for preview and printing: one self-contained page (no scripts, no external files) laid
//! out as the PDF is, with print CSS for A4 and the Decree 30/2020 margins. Every value from the
//! letter passes through [`Page::text`], which escapes it, so a letter's text cannot become markup.

use congvu_core::letter::compose::{DRAFT_MARK, Document, MOTTO, NATIONAL_TITLE, RECIPIENTS};

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
    let mut page = Page::default();
    page.raw("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>");
    page.text(title(doc));
    page.raw("</title><style>");
    page.raw(STYLE);
    page.raw("</style></head><body>");
    if doc.draft {
        page.para("draft", DRAFT_MARK);
    }
    header(&mut page, doc);
    if let Some(t) = &doc.title {
        page.para("title", t);
    }
    page.raw("<div class=\"to\">");
    doc.addressee.iter().for_each(|line| page.para("", line));
    page.raw("</div><div class=\"text\">");
    doc.paragraphs.iter().for_each(|p| page.para("", p));
    page.raw("</div>");
    footer(&mut page, doc);
    page.raw("</body></html>");
    page.0
}

/// The page's `<title>`: the letter's title, else its summary, else its number.
fn title(doc: &Document) -> &str {
    doc.title
        .as_deref()
        .or(doc.summary.as_deref())
        .unwrap_or(&doc.number)
}

fn header(page: &mut Page, doc: &Document) {
    page.raw("<div class=\"head\"><div>");
    if let Some(parent) = &doc.parent {
        page.para("caps", parent);
    }
    page.para("caps b", &doc.body);
    page.raw("<div class=\"rule\"></div></div><div>");
    page.para("caps b", NATIONAL_TITLE);
    page.para("b", MOTTO);
    page.raw("<div class=\"rule wide\"></div></div><div>");
    page.para("", &doc.number);
    if let Some(s) = &doc.summary {
        page.para("", s);
    }
    page.raw("</div><div>");
    page.para("i", &doc.place_date);
    page.raw("</div></div>");
}

fn footer(page: &mut Page, doc: &Document) {
    page.raw("<div class=\"foot\"><div class=\"recipients\">");
    page.para("h", RECIPIENTS);
    doc.recipients.iter().for_each(|r| page.para("e", r));
    page.raw("</div><div class=\"sign\">");
    if let Some(s) = &doc.signature {
        s.lines.iter().for_each(|line| page.para("b", line));
        if let Some(mark) = &s.mark {
            page.para("i mark", mark);
        }
        page.para("b", &s.name);
    }
    page.raw("</div></div>");
}

/// The page being written: markup of our own goes in raw, the letter's values escaped.
#[derive(Default)]
struct Page(String);

impl Page {
    /// Markup written by this module (never a value from the letter).
    fn raw(&mut self, markup: &str) {
        self.0.push_str(markup);
    }

    /// A value from the letter, escaped as maud escaped it (`&`, `<`, `>` and `"`), so the
    /// letters rendered before and after the change are the same bytes.
    fn text(&mut self, value: &str) {
        html_escape::encode_double_quoted_attribute_to_string(value, &mut self.0);
    }

    /// A paragraph holding one escaped value; `class` is one of this module's class names.
    fn para(&mut self, class: &str, value: &str) {
        if class.is_empty() {
            self.raw("<p>");
        } else {
            self.raw("<p class=\"");
            self.raw(class);
            self.raw("\">");
        }
        self.text(value);
        self.raw("</p>");
    }
}
