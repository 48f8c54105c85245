//! Cross-site request forgery on the citizens' HTML forms (issue 20 §6): a form is accepted only
//! when (1) the browser's `Origin`, if it names one, is this site (the request's `Host`, or the
//! configured `public_url`), and `Sec-Fetch-Site`, if sent, is `same-origin` or `none`; and (2) the form's
//! hidden `csrf` field equals the `congvu_form` cookie the form page set (a double-submit token:
//! the cookie is `SameSite=Strict` and `HttpOnly`, so another site can neither send nor read it).

use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome, Request};

/// The cookie holding the form token.
pub const COOKIE: &str = "congvu_form";

/// The form token of this browser: the cookie's, or a fresh one set now.
pub fn token(cookies: &CookieJar<'_>, secure: bool) -> String {
    if let Some(t) = cookies.get(COOKIE).map(|c| c.value().to_owned())
        && well_formed(&t)
    {
        return t;
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let fresh = hex::encode(bytes);
    cookies.add(
        Cookie::build((COOKIE, fresh.clone()))
            .path("/citizen")
            .same_site(SameSite::Strict)
            .http_only(true)
            .secure(secure),
    );
    fresh
}

fn well_formed(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether the posted `field` is this browser's form token (compared in constant time).
pub fn matches(cookies: &CookieJar<'_>, field: Option<&str>) -> bool {
    let (Some(cookie), Some(field)) = (cookies.get(COOKIE), field) else {
        return false;
    };
    let (a, b) = (cookie.value().as_bytes(), field.as_bytes());
    well_formed(field)
        && a.len() == b.len()
        && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the request comes from this site, as far as the browser says: a guard that never
/// fails, so the page can answer in the citizen's language.
#[derive(Debug, Clone, Copy)]
pub struct FromThisSite(pub bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for FromThisSite {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let headers = req.headers();
        // Fetch metadata: a browser that sends it says where the form came from ("none" is the
        // person's own navigation).
        if let Some(site) = headers.get_one("Sec-Fetch-Site")
            && !matches!(site, "same-origin" | "none")
        {
            return Outcome::Success(Self(false));
        }
        // Our pages send `Referrer-Policy: no-referrer`, under which a browser's own form posts
        // carry `Origin: null`; with no origin, or that one, the metadata and the token decide.
        let Some(origin) = headers.get_one("Origin").filter(|o| *o != "null") else {
            return Outcome::Success(Self(true));
        };
        let host = origin_host(origin);
        let own = headers.get_one("Host").map(str::to_ascii_lowercase);
        let public = req
            .rocket()
            .state::<congvu_app::AppState>()
            .map(|s| origin_host(&s.config.public_url));
        let same = host.is_some() && (host == own || host == public.flatten());
        Outcome::Success(Self(same))
    }
}

/// `host[:port]` of an origin or URL (`https://x.gov.vn:8443/...` → `x.gov.vn:8443`); `None` for
/// `null` and anything without a scheme.
fn origin_host(origin: &str) -> Option<String> {
    let (_, rest) = origin.trim().split_once("://")?;
    let host = rest.split('/').next().unwrap_or("");
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_hosts() {
        assert_eq!(
            origin_host("https://dichvucong.hungyen.gov.vn"),
            Some("dichvucong.hungyen.gov.vn".into())
        );
        assert_eq!(
            origin_host("http://127.0.0.1:8000/citizen"),
            Some("127.0.0.1:8000".into())
        );
        assert_eq!(origin_host("null"), None);
    }
}
