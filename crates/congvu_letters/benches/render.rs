//! PDF and HTML render throughput: `cargo bench -p congvu_letters --bench render`. Prints the
//! median and 95th-percentile render time and renders per second over letters that differ (no
//! typst cache hits between them), single-threaded, for one-page letters and for two-page ones
//! (the longest reason and apology a letter accepts), on whatever machine runs it.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use congvu_core::letter::compose::{Document, Issue, compose};
use congvu_core::letter::rules::LetterRules;
use congvu_core::letter::{
    Applicant, Authority, Cause, Channel, Content, Details, DocNumber, Dossier, Letterhead,
    Salutation, Signature,
};

const RUNS: u32 = 200;

fn letter(i: u32, long: bool) -> anyhow::Result<Document> {
    let on = NaiveDate::from_ymd_opt(2026, 3, 10).ok_or_else(|| anyhow::anyhow!("date"))?;
    let rules = LetterRules::national()?;
    let form = rules
        .form(Cause::Overdue, on)
        .ok_or_else(|| anyhow::anyhow!("no form"))?;
    let head = Letterhead::new(
        Some("Ủy ban nhân dân tỉnh Hưng Yên"),
        "Sở Tư pháp",
        "STP",
        "Hưng Yên",
        "VP",
    )?;
    let content = Content {
        applicant: Applicant {
            salutation: Salutation::Mr,
            name: format!("Nguyễn Văn Số {i}"),
            address: Some(format!("{i} Lê Lợi, phường Hiến Nam")),
            email: None,
        },
        dossier: Some(Dossier {
            code: format!("000.00.31.H26-260303-{i:04}"),
            procedure: "Cấp bản sao trích lục hộ tịch".into(),
            received_on: on - chrono::Days::new(10),
            due_on: on + chrono::Days::new(2),
        }),
        details: Details::Overdue {
            reason: if long {
                format!("{i}: ").to_owned()
                    + &"cần xác minh thêm thông tin tại các cơ quan liên quan. ".repeat(34)
            } else {
                format!("cần xác minh thông tin tại {i} cơ quan liên quan")
            },
            new_due_on: on + chrono::Days::new(9),
        },
        apology: long.then(|| "Chúng tôi thành thật xin lỗi vì sự chậm trễ. ".repeat(40)),
        recipients: vec![],
        channel: Channel::Paper,
    };
    let number = DocNumber {
        seq: i,
        symbol: form.symbol.clone(),
        body: head.symbol.clone(),
    };
    let signature = Signature::new(Authority::Own, None, "Giám đốc", "Lê Văn Hùng")?;
    Ok(compose(
        &head,
        form,
        &content,
        Some(Issue {
            number: &number,
            on,
            signature: &signature,
        }),
    ))
}

/// The `q`-quantile of sorted times.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn measure(
    name: &str,
    long: bool,
    mut render: impl FnMut(&Document) -> anyhow::Result<usize>,
) -> anyhow::Result<()> {
    let letters = (1..=RUNS)
        .map(|i| letter(i, long))
        .collect::<anyhow::Result<Vec<_>>>()?;
    render(&letters[0])?; // warm-up: fonts parsed, template compiled once
    let mut times = Vec::with_capacity(letters.len());
    let mut bytes = 0;
    let start = Instant::now();
    for doc in &letters {
        let t = Instant::now();
        bytes += render(doc)?;
        times.push(t.elapsed());
    }
    let total = start.elapsed();
    times.sort();
    println!(
        "{name}: {RUNS} letters, median {:.3} ms, p95 {:.3} ms, {:.1} renders/s, mean size {} bytes",
        quantile(&times, 0.5).as_secs_f64() * 1e3,
        quantile(&times, 0.95).as_secs_f64() * 1e3,
        f64::from(RUNS) / total.as_secs_f64(),
        bytes / RUNS as usize,
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let pdf = |doc: &Document| Ok(congvu_letters::pdf::render(doc, "bench")?.len());
    measure("pdf, one page", false, pdf)?;
    measure("pdf, two pages", true, pdf)?;
    measure("html, one page", false, |doc| {
        Ok(congvu_letters::html::render(doc).len())
    })?;
    Ok(())
}
