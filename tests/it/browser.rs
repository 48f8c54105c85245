//! The citizens' pages in a real browser: headless Chromium driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`, installed by `.ci/setup`). It files a report through the
//! form, reads the receipt from the page, and finds the report on the status page. Skipped with a
//! message where the browser is absent, except under `CI=true`, where it must run.

use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    http: reqwest::Client,
    base: String,
    session: String,
}

impl Driver {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res: Value = req.send().await.unwrap().json().await.unwrap();
        res["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_owned()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn text(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{e}/text"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

fn browser() -> Option<(&'static str, &'static str)> {
    let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let chromium = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    Some((driver, chromium))
}

/// Starts chromedriver and a headless Chromium session; `None` (with a message) where the browser
/// is absent, which fails under `CI=true`.
async fn start() -> Option<(std::process::Child, Driver)> {
    let Some((driver_bin, chromium)) = browser() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI needs chromium and chromium-driver (.ci/setup installs them)"
        );
        eprintln!(
            "SKIPPED: chromium or chromium-driver is not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    };
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new(driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..100 {
        if http.get(format!("{base}/status")).send().await.is_ok() {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "chromedriver did not start");
    let session: Value = http
        .post(format!("{base}/session"))
        .json(&json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}}}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = session["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {session}"))
        .to_owned();
    let d = Driver {
        http,
        base,
        session: id,
    };
    // A click that submits a form returns before the next page is there: element lookups wait for
    // it (WebDriver's implicit wait) instead of failing at once on a loaded machine.
    d.call(
        reqwest::Method::POST,
        "/timeouts",
        Some(json!({"implicit": 10_000, "pageLoad": 30_000})),
    )
    .await;
    Some((child, d))
}

/// Ends the browser session and the driver.
async fn stop(mut child: std::process::Child, d: Driver) {
    d.call(reqwest::Method::DELETE, "", None).await;
    let _ = child.kill();
    let _ = child.wait();
}

/// Swagger UI under its Content-Security-Policy (scripts and styles from the server only, no
/// inline script, no other origin): the page still renders the document's title, so the bundle
/// ran and fetched `/api/v1/openapi.json` (issue 19).
#[tokio::test]
async fn the_api_docs_render_under_their_content_security_policy() {
    let Some((child, d)) = start().await else {
        return;
    };
    let app = tests::TestApp::spawn(&tests::Backend::Sqlite)
        .await
        .unwrap();
    let page = reqwest::get(format!("{}/api/docs/", app.base))
        .await
        .unwrap();
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    d.go(&format!("{}/api/docs/", app.base)).await;
    let title = d.text(".swagger-ui .info .title").await;
    assert!(title.contains("congvu"), "Swagger UI rendered: {title:?}");
    stop(child, d).await;
    app.finish().await.unwrap();
}

#[tokio::test]
async fn a_citizen_files_a_report_in_a_browser_and_finds_it_with_the_receipt() {
    let Some((child, d)) = start().await else {
        return;
    };
    let app = tests::TestApp::spawn(&tests::Backend::Sqlite)
        .await
        .unwrap();
    let root = app.root().await;
    app.unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
        .await;

    d.go(&format!("{}/citizen/report", app.base)).await;
    d.type_into("#unit_code", "HY").await;
    d.type_into(
        "#description",
        "Cán bộ bộ phận một cửa quát mắng, yêu cầu quay lại lần thứ ba",
    )
    .await;
    d.click("button[type=submit]").await;
    let receipt = d.text("#receipt").await;
    assert_eq!(receipt.len(), 19, "receipt shown: {receipt:?}");

    d.go(&format!("{}/citizen/status?lang=en", app.base)).await;
    d.type_into("#receipt", &receipt).await;
    d.click("button[type=submit]").await;
    assert_eq!(d.text("#state").await, "received");

    stop(child, d).await;
    app.finish().await.unwrap();
}
