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

/// The document can drive a generated client: a request field the server requires is listed in
/// its schema's `required` and is not nullable (issue 19 found 38 of 67 request schemas listing
/// none).
#[tokio::test]
async fn request_schemas_list_the_fields_the_server_requires() {
    let app = tests::TestApp::spawn(&tests::Backend::Sqlite)
        .await
        .unwrap();
    let doc = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (schema, fields) in [
        (
            "CreateStaffRequest",
            &["staff_code", "full_name", "employment", "reason"][..],
        ),
        (
            "EmploymentRequest",
            &["unit_id", "category", "position", "valid_from"][..],
        ),
        ("ForwardRequest", &["unit_id", "reason"][..]),
        ("IdentityRequestBody", &["reason"][..]),
        ("LetterReasonRequest", &["reason"][..]),
        ("WithdrawRequest", &["reason"][..]),
        ("ReasonRequest", &["reason"][..]),
        ("SubmitRequest", &["description"][..]),
    ] {
        let s = &schemas[schema];
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} lists no required field: {s}"))
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for field in fields {
            assert!(
                required.contains(field),
                "{schema}.{field} not required: {s}"
            );
            let ty = &s["properties"][*field]["type"];
            assert!(
                !ty.as_array().is_some_and(|t| t.iter().any(|t| t == "null")),
                "{schema}.{field} is nullable: {ty}"
            );
        }
    }
    let empty: Vec<&String> = schemas
        .iter()
        .filter(|(name, s)| {
            name.ends_with("Request") && s["properties"].is_object() && s["required"].is_null()
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        empty.is_empty(),
        "request schemas without required fields: {empty:?}"
    );
    app.finish().await.unwrap();
}
