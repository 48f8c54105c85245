//! Citizens' pages, served by the same binary: the report form, the receipt page (shown once) and
//! the status page. Vietnamese by default, English with `?lang=en`; plain HTML forms that work
//! without JavaScript; one stylesheet from this server, nothing from any other host.

use chrono::NaiveDate;
use congvu_core::complaint::intake::{IdentityInput, NewReport, ReportInput};
use maud::{DOCTYPE, Markup, html};
use rocket::form::{Form, FromForm};
use rocket::http::{ContentType, CookieJar, Status};
use rocket::{State as Managed, get, post};

use crate::csrf::{self, FromThisSite};
use crate::error::Error;
use crate::limits::PublicLimits;
use congvu_app::service::complaints::{self, Status as ReportStatus};
use congvu_app::state::AppState;

/// The stylesheet of the citizens' pages (mobile first, system fonts).
const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;line-height:1.5;color:#111}\
h1{font-size:1.4rem}label{display:block;margin-top:.8rem;font-weight:600}\
input,textarea,select{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}\
textarea{min-height:8rem}button{margin-top:1rem;padding:.7rem 1.2rem;font-size:1rem}\
.receipt{font-size:1.8rem;font-family:monospace;letter-spacing:.1rem;padding:1rem;border:2px solid #333;text-align:center}\
.error{color:#a00}nav{margin-bottom:1rem}fieldset{margin-top:1rem}";

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Vi,
    En,
}

impl Lang {
    fn of(code: Option<&str>) -> Self {
        if code == Some("en") {
            Self::En
        } else {
            Self::Vi
        }
    }

    const fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// The text of a key in this language.
    fn t(self, key: &str) -> &'static str {
        let (vi, en) = match key {
            "title" => (
                "Phản ánh về thái độ, hành vi của cán bộ",
                "Report how an official treated you",
            ),
            "intro" => (
                "Bạn có thể gửi phản ánh có hoặc không ghi tên. Người bị phản ánh sẽ không biết bạn là ai.",
                "You may report with or without your name. The official concerned will never learn who you are.",
            ),
            "unit_code" => ("Mã cơ quan, đơn vị", "Office code"),
            "staff_code" => (
                "Số hiệu (thẻ) của cán bộ, nếu biết",
                "The official's badge number, if known",
            ),
            "about" => (
                "Tên hoặc mô tả cán bộ",
                "The official's name or description",
            ),
            "description" => ("Nội dung sự việc", "What happened"),
            "occurred_on" => ("Ngày xảy ra", "Date"),
            "place" => ("Nơi xảy ra", "Place"),
            "dossier_code" => ("Mã hồ sơ (nếu có)", "Dossier code (if any)"),
            "kind" => ("Loại", "Kind"),
            "kind_unknown" => ("Không rõ", "Not sure"),
            "feedback" => ("Phản ánh, kiến nghị", "Feedback"),
            "complaint" => ("Khiếu nại", "Complaint"),
            "denunciation" => ("Tố cáo", "Denunciation"),
            "identity" => (
                "Thông tin của bạn (bỏ trống để gửi ẩn danh)",
                "About you (leave empty to stay anonymous)",
            ),
            "name" => ("Họ và tên", "Full name"),
            "address" => ("Địa chỉ", "Address"),
            "phone" => ("Điện thoại", "Phone"),
            "email" => ("Thư điện tử", "Email"),
            "send" => ("Gửi phản ánh", "Send"),
            "receipt_title" => ("Đã tiếp nhận phản ánh", "Your report was received"),
            "receipt_intro" => (
                "Mã tra cứu của bạn. Hãy chép lại ngay: mã chỉ hiện một lần và không thể cấp lại.",
                "Your receipt code. Write it down now: it is shown only once and cannot be recovered.",
            ),
            "status_title" => ("Tra cứu phản ánh", "Check your report"),
            "receipt" => ("Mã tra cứu", "Receipt code"),
            "check" => ("Tra cứu", "Check"),
            "form_expired" => (
                "Biểu mẫu đã hết hạn hoặc không được gửi từ trang này. Vui lòng kiểm tra và gửi lại.",
                "This form has expired or was not sent from this site. Please check it and send it again.",
            ),
            "not_found" => (
                "Không tìm thấy phản ánh với mã này.",
                "No report with this code.",
            ),
            "state" => ("Trạng thái", "Status"),
            "received_on" => ("Ngày tiếp nhận", "Received on"),
            "deadlines" => ("Thời hạn", "Deadlines"),
            "timeline" => ("Diễn biến", "What happened so far"),
            "to_status" => ("Tra cứu phản ánh đã gửi", "Check a report"),
            "to_form" => ("Gửi phản ánh mới", "Send a new report"),
            "other_lang" => ("English", "Tiếng Việt"),
            "fix" => ("Vui lòng kiểm tra:", "Please check:"),
            _ => ("", ""),
        };
        match self {
            Self::Vi => vi,
            Self::En => en,
        }
    }
}

fn page(lang: Lang, title: &str, body: Markup) -> Markup {
    let other = if lang == Lang::Vi {
        "?lang=en"
    } else {
        "?lang=vi"
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/citizen/site.css";
            }
            body {
                nav {
                    a href={ "/citizen/report?lang=" (lang.code()) } { (lang.t("to_form")) } " · "
                    a href={ "/citizen/status?lang=" (lang.code()) } { (lang.t("to_status")) } " · "
                    a href=(other) { (lang.t("other_lang")) }
                }
                h1 { (title) }
                (body)
            }
        }
    }
}

/// The stylesheet.
#[get("/citizen/site.css")]
pub fn stylesheet() -> (ContentType, &'static str) {
    (ContentType::CSS, CSS)
}

/// The fields of the report form.
#[derive(Debug, Default, FromForm)]
pub struct ReportForm {
    pub lang: Option<String>,
    /// A random token of the form page, sent as the idempotency key: a double click files once.
    pub token: Option<String>,
    /// The browser's form token (`csrf`): must equal its cookie.
    pub csrf: Option<String>,
    pub unit_code: Option<String>,
    pub staff_code: Option<String>,
    pub about: Option<String>,
    pub description: Option<String>,
    pub occurred_on: Option<String>,
    pub place: Option<String>,
    pub dossier_code: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

fn filled(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn form_page(lang: Lang, f: &ReportForm, errors: &[String], csrf: &str) -> Markup {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let token = hex::encode(bytes);
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    page(
        lang,
        lang.t("title"),
        html! {
            p { (lang.t("intro")) }
            @if !errors.is_empty() {
                div.error role="alert" {
                    p { (lang.t("fix")) }
                    ul { @for e in errors { li { (e) } } }
                }
            }
            form method="post" action="/citizen/report" {
                input type="hidden" name="lang" value=(lang.code());
                input type="hidden" name="token" value=(token);
                input type="hidden" name="csrf" value=(csrf);
                label for="unit_code" { (lang.t("unit_code")) }
                input #unit_code name="unit_code" value=(value(&f.unit_code)) autocomplete="off";
                label for="staff_code" { (lang.t("staff_code")) }
                input #staff_code name="staff_code" value=(value(&f.staff_code)) autocomplete="off";
                label for="about" { (lang.t("about")) }
                input #about name="about" value=(value(&f.about));
                label for="description" { (lang.t("description")) }
                textarea #description name="description" required { (value(&f.description)) }
                label for="occurred_on" { (lang.t("occurred_on")) }
                input #occurred_on type="date" name="occurred_on" value=(value(&f.occurred_on));
                label for="place" { (lang.t("place")) }
                input #place name="place" value=(value(&f.place));
                label for="dossier_code" { (lang.t("dossier_code")) }
                input #dossier_code name="dossier_code" value=(value(&f.dossier_code));
                label for="kind" { (lang.t("kind")) }
                select #kind name="kind" {
                    option value="" { (lang.t("kind_unknown")) }
                    @for k in ["feedback", "complaint", "denunciation"] {
                        option value=(k) selected[f.kind.as_deref() == Some(k)] { (lang.t(k)) }
                    }
                }
                fieldset {
                    legend { (lang.t("identity")) }
                    label for="name" { (lang.t("name")) }
                    input #name name="name" value=(value(&f.name)) autocomplete="name";
                    label for="address" { (lang.t("address")) }
                    input #address name="address" value=(value(&f.address));
                    label for="phone" { (lang.t("phone")) }
                    input #phone name="phone" type="tel" value=(value(&f.phone));
                    label for="email" { (lang.t("email")) }
                    input #email name="email" type="email" value=(value(&f.email));
                }
                button type="submit" { (lang.t("send")) }
            }
        },
    )
}

/// The report form.
#[get("/citizen/report?<lang>")]
pub fn report_form(
    state: &Managed<AppState>,
    cookies: &CookieJar<'_>,
    lang: Option<&str>,
) -> Markup {
    let csrf = csrf::token(cookies, secure(state));
    form_page(
        Lang::of(lang),
        &<ReportForm as Default>::default(),
        &[],
        &csrf,
    )
}

/// Whether the form cookie must travel over HTTPS only (the public address is https).
fn secure(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}

/// A page answered with its status (a refused form is 403, with the form again).
type Answer = Result<(Status, Markup), Error>;

fn errors_of(e: &Error) -> Vec<String> {
    match e {
        Error::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect(),
        Error::Domain(congvu_core::DomainError::Invalid(fields)) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect(),
        other => vec![other.problem().detail],
    }
}

/// Files the report and shows the receipt once (or the form again with what to fix).
#[post("/citizen/report", data = "<form>")]
pub async fn report_submit(
    state: &Managed<AppState>,
    limits: &Managed<PublicLimits>,
    client: crate::client::ClientAddr,
    site: FromThisSite,
    cookies: &CookieJar<'_>,
    form: Form<ReportForm>,
) -> Answer {
    let f = form.into_inner();
    let lang = Lang::of(f.lang.as_deref());
    let csrf = csrf::token(cookies, secure(state));
    if !site.0 || !csrf::matches(cookies, f.csrf.as_deref()) {
        // Nothing posted is shown again: a page elsewhere must not get its text filed by a click.
        let empty = <ReportForm as Default>::default();
        let again = form_page(lang, &empty, &[lang.t("form_expired").to_owned()], &csrf);
        return Ok((Status::Forbidden, again));
    }
    let form_page =
        |f: &ReportForm, errors: &[String]| (Status::Ok, form_page(lang, f, errors, &csrf));
    limits.submission(client.0)?;
    let occurred_on = match filled(&f.occurred_on) {
        Some(d) => match d.parse::<NaiveDate>() {
            Ok(day) => Some(day),
            Err(_) => {
                return Ok(form_page(
                    &f,
                    &[format!("{}: YYYY-MM-DD", lang.t("occurred_on"))],
                ));
            }
        },
        None => None,
    };
    let identity = filled(&f.name).map(|name| IdentityInput {
        name,
        address: filled(&f.address),
        phone: filled(&f.phone),
        email: filled(&f.email),
    });
    let input = ReportInput {
        staff_code: filled(&f.staff_code),
        unit_code: filled(&f.unit_code),
        about: filled(&f.about),
        description: f.description.as_deref().unwrap_or(""),
        occurred_on,
        place: filled(&f.place),
        dossier_code: filled(&f.dossier_code),
        kind: filled(&f.kind),
        identity,
    };
    let report = match NewReport::parse(&input, complaints::today(state)) {
        Ok(r) => r,
        Err(e) => return Ok(form_page(&f, &errors_of(&Error::from(e)))),
    };
    let fingerprint = congvu_core::audit::digest_bytes(format!("{f:?}").as_bytes());
    let key = filled(&f.token).map(|t| format!("form:{t}"));
    let idempotency = key.as_deref().map(|k| (k, fingerprint.as_str()));
    match complaints::submit(state, report, idempotency)
        .await
        .map_err(Error::from)
    {
        Ok(s) => Ok((
            Status::Ok,
            page(
                lang,
                lang.t("receipt_title"),
                html! {
                    p { (lang.t("receipt_intro")) }
                    p.receipt #receipt { (s.receipt) }
                    p { (lang.t("received_on")) ": " (s.received_on) }
                    p { a href={ "/citizen/status?lang=" (lang.code()) } { (lang.t("to_status")) } }
                },
            ),
        )),
        Err(e @ (Error::Validation(_) | Error::Domain(_))) => Ok(form_page(&f, &errors_of(&e))),
        Err(e) => Err(e),
    }
}

fn status_form(lang: Lang, message: Option<&str>, csrf: &str) -> Markup {
    html! {
        @if let Some(m) = message { p.error role="alert" { (m) } }
        form method="post" action="/citizen/status" {
            input type="hidden" name="lang" value=(lang.code());
            input type="hidden" name="csrf" value=(csrf);
            label for="receipt" { (lang.t("receipt")) }
            input #receipt name="receipt" inputmode="numeric" autocomplete="off" placeholder="1234-5678-9012-3456";
            button type="submit" { (lang.t("check")) }
        }
    }
}

/// The status page: type the receipt in.
#[get("/citizen/status?<lang>")]
pub fn status_page(
    state: &Managed<AppState>,
    cookies: &CookieJar<'_>,
    lang: Option<&str>,
) -> Markup {
    let lang = Lang::of(lang);
    let csrf = csrf::token(cookies, secure(state));
    page(lang, lang.t("status_title"), status_form(lang, None, &csrf))
}

/// The receipt typed on the status page.
#[derive(Debug, FromForm)]
pub struct StatusForm {
    pub lang: Option<String>,
    pub receipt: Option<String>,
    /// The browser's form token: must equal its cookie.
    pub csrf: Option<String>,
}

fn status_view(lang: Lang, s: &ReportStatus) -> Markup {
    html! {
        dl {
            dt { (lang.t("state")) } dd #state { (s.record.state) }
            dt { (lang.t("received_on")) } dd { (s.record.received_on) }
        }
        @if !s.deadlines.is_empty() {
            h2 { (lang.t("deadlines")) }
            ul { @for d in &s.deadlines { li { (d.clock.code()) ": " (d.due_on) } } }
        }
        h2 { (lang.t("timeline")) }
        ol { @for e in &s.timeline { li { (e.at.format("%Y-%m-%d")) " — " (e.body) } } }
    }
}

/// Shows a report's status for a typed receipt.
#[post("/citizen/status", data = "<form>")]
pub async fn status_submit(
    state: &Managed<AppState>,
    limits: &Managed<PublicLimits>,
    client: crate::client::ClientAddr,
    site: FromThisSite,
    cookies: &CookieJar<'_>,
    form: Form<StatusForm>,
) -> Answer {
    let f = form.into_inner();
    let lang = Lang::of(f.lang.as_deref());
    let csrf = csrf::token(cookies, secure(state));
    let again = |status, message| {
        let form = status_form(lang, Some(lang.t(message)), &csrf);
        Ok((status, page(lang, lang.t("status_title"), form)))
    };
    if !site.0 || !csrf::matches(cookies, f.csrf.as_deref()) {
        return again(Status::Forbidden, "form_expired");
    }
    let typed = f.receipt.unwrap_or_default();
    match super::public::receipt_used(limits, client, complaints::status(state, &typed)).await {
        Ok(s) => Ok((
            Status::Ok,
            page(lang, lang.t("status_title"), status_view(lang, &s)),
        )),
        Err(Error::NotFound) => again(Status::Ok, "not_found"),
        Err(e) => Err(e),
    }
}
