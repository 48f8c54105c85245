//! Rendering tests: the HTML snapshot, the PDF's extracted text against the letter's own text
//! (pdftotext from poppler-utils, installed by `.ci/setup`), embedded fonts, determinism, and
//! user text that looks like markup.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed step must stop the test"
)]

use std::io::Write;
use std::process::Command;

use chrono::NaiveDate;
use congvu_core::letter::compose::{Document, Issue, compose};
use congvu_core::letter::rules::LetterRules;
use congvu_core::letter::{
    Applicant, Authority, Cause, Channel, Content, Details, DocNumber, Dossier, Letterhead,
    Salutation, Signature,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("bad date"))
}

fn content(reason: &str) -> Content {
    Content {
        applicant: Applicant {
            salutation: Salutation::Ms,
            name: "Trần Thị Ngọc Ánh".into(),
            address: Some("12 Lê Lợi, phường Hiến Nam".into()),
            email: Some("anh@example.vn".into()),
        },
        dossier: Some(Dossier {
            code: "000.00.31.H26-250303-0007".into(),
            procedure: "Cấp bản sao trích lục hộ tịch".into(),
            received_on: d(2025, 3, 3),
            due_on: d(2025, 3, 12),
        }),
        details: Details::Overdue {
            reason: reason.into(),
            new_due_on: d(2025, 3, 19),
        },
        apology: None,
        recipients: vec!["Trung tâm Phục vụ hành chính công tỉnh".into()],
        channel: Channel::Email,
    }
}

fn letter(reason: &str, issued: bool) -> Document {
    let rules = LetterRules::national().unwrap_or_else(|e| panic!("{e}"));
    let form = rules
        .form(Cause::Overdue, d(2025, 3, 10))
        .unwrap_or_else(|| panic!("no form"));
    let head = Letterhead::new(
        Some("Ủy ban nhân dân tỉnh Hưng Yên"),
        "Sở Tư pháp",
        "STP",
        "Hưng Yên",
        "VP",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let number = DocNumber {
        seq: 7,
        symbol: form.symbol.clone(),
        body: head.symbol.clone(),
    };
    let signature = Signature::new(
        Authority::Kt,
        Some("Giám đốc"),
        "Phó Giám đốc",
        "Lê Văn Hùng",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let issue = Issue {
        number: &number,
        on: d(2025, 3, 10),
        signature: &signature,
    };
    compose(&head, form, &content(reason), issued.then_some(issue))
}

const REASON: &str = "cần xác minh thông tin tại Ủy ban nhân dân xã Tân Hưng";

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs a poppler tool on a PDF; `None` (with a notice) when poppler-utils is missing outside CI.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let mut file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    file.write_all(pdf).unwrap_or_else(|e| panic!("{e}"));
    let path = file.path().to_string_lossy().into_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.push(&path);
    if tool == "pdftotext" {
        all.push("-");
    }
    match Command::new(tool).args(&all).output() {
        Ok(out) => {
            assert!(out.status.success(), "{tool} failed: {:?}", out);
            Some(String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{e}")))
        }
        Err(_) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("{tool} not installed (poppler-utils; run .ci/setup): check skipped");
            None
        }
        Err(e) => panic!("{tool} is required under CI=true: {e}"),
    }
}

fn pdf(doc: &Document) -> Vec<u8> {
    congvu_letters::pdf::render(doc, "letter-7").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn pdf_text_is_the_letters_vietnamese_text_exactly() {
    let doc = letter(REASON, true);
    let Some(text) = poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf(&doc)) else {
        return;
    };
    assert_eq!(collapse(&text), collapse(&doc.plain_text()));
    assert!(text.contains("Trần Thị Ngọc Ánh"));
    assert!(text.contains("Độc lập - Tự do - Hạnh phúc"));
}

#[test]
fn a_draft_pdf_says_so_and_has_no_signature() {
    let doc = letter(REASON, false);
    let Some(text) = poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf(&doc)) else {
        return;
    };
    assert_eq!(collapse(&text), collapse(&doc.plain_text()));
    assert!(text.starts_with("DỰ THẢO"));
    assert!(!text.contains("(Đã ký)"));
}

#[test]
fn the_pdf_embeds_liberation_serif() {
    let Some(fonts) = poppler("pdffonts", &[], &pdf(&letter(REASON, true))) else {
        return;
    };
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        assert!(row.contains("LiberationSerif"), "{row}");
        // The "emb" column: every face is embedded (as a subset).
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols.get(cols.len() - 5), Some(&"yes"), "{row}");
    }
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    let doc = letter(REASON, true);
    assert_eq!(pdf(&doc), pdf(&doc));
    assert_eq!(
        congvu_letters::html::render(&doc),
        congvu_letters::html::render(&doc)
    );
}

#[test]
fn text_that_looks_like_markup_is_printed_as_written() {
    let nasty =
        r#"#set page(width: 1cm) $x^2$ [link] \ *bold* _em_ <script>alert(1)</script> @ref // "q""#;
    let doc = letter(nasty, true);
    let html = congvu_letters::html::render(&doc);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Quotes as maud wrote them before the writer replaced it (issue 19).
    assert!(html.contains("// &quot;q&quot;"), "{html}");
    let Some(text) = poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf(&doc)) else {
        return;
    };
    assert_eq!(collapse(&text), collapse(&doc.plain_text()));
}

#[test]
fn html_matches_the_snapshot() {
    insta::assert_snapshot!(congvu_letters::html::render(&letter(REASON, true)));
}

/// Writes the sample letter to `$CONGVU_LETTER_OUT` for eyeballing (`pdftoppm -png`).
#[test]
fn write_sample_when_asked() {
    if let Ok(path) = std::env::var("CONGVU_LETTER_OUT") {
        std::fs::write(path, pdf(&letter(REASON, true))).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Decree 30/2020 App. I: pages are numbered from the second, centred at the top; page 1 has none.
#[test]
fn a_two_page_letter_numbers_its_second_page_only() {
    let long = "cần xác minh thêm thông tin tại các cơ quan liên quan. ".repeat(34);
    let mut doc = letter(&long, true);
    doc.paragraphs.insert(
        2,
        "Chúng tôi thành thật xin lỗi vì sự chậm trễ. ".repeat(40),
    );
    let bytes = pdf(&doc);
    let Some(info) = poppler("pdfinfo", &[], &bytes) else {
        return;
    };
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 2")),
        "{info}"
    );
    let Some(text) = poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &bytes) else {
        return;
    };
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert!(
        !pages[0].lines().any(|l| l.trim() == "1"),
        "no number on page 1"
    );
    assert_eq!(
        pages[1].lines().next().map(str::trim),
        Some("2"),
        "{}",
        pages[1]
    );
    let without_number: String =
        pages[0].to_owned() + pages[1].split_once('\n').map_or("", |(_, rest)| rest);
    assert_eq!(collapse(&without_number), collapse(&doc.plain_text()));
}
