//! The OpenAPI document covers every mounted API route (the citizens' HTML pages are not API),
//! and Swagger UI is served from the binary.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};

use crate::each_backend;

#[tokio::test]
async fn every_mounted_route_is_documented_and_swagger_ui_is_served() {
    each_backend!(|app| {
        let spec = app
            .call(Method::GET, "/api/v1/openapi.json", None, None)
            .await;
        assert_eq!(spec.status, StatusCode::OK);
        assert_eq!(spec.body["openapi"], "3.1.0");
        let mut documented = BTreeSet::new();
        for (path, item) in spec.body["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
        let rocket = congvu_api::rocket(app.state.clone());
        let mounted: BTreeSet<String> = rocket
            .routes()
            // The citizens' HTML pages are not API: they are tested in the browser.
            .filter(|r| {
                r.name.is_some()
                    && !r.uri.path().starts_with("/api/docs")
                    && !r.uri.path().starts_with("/citizen")
            })
            .map(|r| {
                let path = r.uri.path().to_string().replace('<', "{").replace('>', "}");
                format!("{} {path}", r.method)
            })
            .collect();
        let undocumented: Vec<_> = mounted.difference(&documented).collect();
        assert!(
            undocumented.is_empty(),
            "undocumented routes: {undocumented:?}"
        );
        let stale: Vec<_> = documented.difference(&mounted).collect();
        assert!(stale.is_empty(), "documented but not mounted: {stale:?}");

        let ui = app
            .http
            .get(format!("{}/api/docs/", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(ui.status(), StatusCode::OK);
        assert!(ui.text().await.unwrap().contains("swagger-ui"));
        let health = app.call(Method::GET, "/readyz", None, None).await;
        assert_eq!(health.status, StatusCode::OK);
    });
}
