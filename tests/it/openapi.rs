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

/// One list envelope everywhere (issue 19): no operation answers a bare JSON array; a list is an
/// object whose `items` holds the entries. Error answers are `application/problem+json`, and an
/// operation lists the statuses the conformance check (`conformance.rs`) lets through.
#[test]
fn lists_are_enveloped_and_errors_are_problem_documents() {
    let doc = &*tests::conformance::DOCUMENT;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let resolve = |schema: &serde_json::Value| -> serde_json::Value {
        match schema["$ref"].as_str() {
            Some(r) => schemas[r.trim_start_matches("#/components/schemas/")].clone(),
            None => schema.clone(),
        }
    };
    let mut bare = Vec::new();
    let mut mislabelled = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(content) = response["content"].as_object() else {
                    continue;
                };
                for (media, body) in content {
                    let schema = resolve(&body["schema"]);
                    if schema["type"] == "array" {
                        bare.push(format!("{method} {path} {status}"));
                    }
                    let is_problem = body["schema"]["$ref"]
                        .as_str()
                        .is_some_and(|r| r.ends_with("/Problem"));
                    if is_problem != (media == "application/problem+json") {
                        mislabelled.push(format!("{method} {path} {status} {media}"));
                    }
                }
            }
            let statuses = operation["responses"].as_object().unwrap();
            for always in ["422", "500", "503"] {
                assert!(
                    statuses.contains_key(always),
                    "{method} {path} lacks {always}"
                );
            }
            if path.contains('{') {
                assert!(statuses.contains_key("404"), "{method} {path} lacks 404");
            }
        }
    }
    assert!(bare.is_empty(), "bare arrays: {bare:?}");
    assert!(mislabelled.is_empty(), "media types: {mislabelled:?}");
    let items = &schemas["Items_UnitResponse"];
    assert_eq!(items["required"], serde_json::json!(["items"]), "{items}");
}

/// The conformance check refuses what the document does not allow: a bare array where a list is
/// documented, an undocumented status, an error sent as plain JSON, a missing required field, a
/// malformed date; and it lets a documented answer through.
#[test]
fn the_conformance_check_catches_answers_the_document_does_not_allow() {
    use tests::conformance::conforms;
    let ok = StatusCode::OK;
    let json = "application/json";
    let problem = r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"x","code":"not_found"}"#;
    let unit = r#"{"id":"0190a5a0-0000-7000-8000-000000000001","code":"HY","name":"Hưng Yên","kind":"province","parent_id":null,"valid_from":"2025-07-01","valid_to":null,"created_at":"2026-12-07T01:00:00Z"}"#;
    let page = format!(r#"{{"items":[{unit}],"limit":50,"offset":0}}"#);
    let units = "/api/v1/units?limit=50";
    let one = "/api/v1/units/0190a5a0-0000-7000-8000-000000000001";
    assert_eq!(conforms(&Method::GET, units, ok, json, &page), Ok(()));
    assert!(conforms(&Method::GET, units, ok, json, &format!("[{unit}]")).is_err());
    assert!(conforms(&Method::GET, units, StatusCode::IM_A_TEAPOT, json, problem).is_err());
    assert!(conforms(&Method::GET, one, StatusCode::NOT_FOUND, json, problem).is_err());
    assert_eq!(
        conforms(
            &Method::GET,
            one,
            StatusCode::NOT_FOUND,
            "application/problem+json",
            problem
        ),
        Ok(())
    );
    let nameless = page.replace(r#""name":"Hưng Yên","#, "");
    assert!(
        conforms(&Method::GET, units, ok, json, &nameless).is_err(),
        "{nameless}"
    );
    let bad_date = page.replace("2025-07-01", "01/07/2025");
    assert!(conforms(&Method::GET, units, ok, json, &bad_date).is_err());
    // `/letters/{id}` and `/letters/{file}` match a file's path equally: it conforms to the latter.
    let file = "/api/v1/letters/0190a5a0-0000-7000-8000-000000000001.pdf";
    assert_eq!(
        conforms(&Method::GET, file, ok, "application/pdf", "%PDF-1.7"),
        Ok(())
    );
    assert_eq!(
        conforms(&Method::GET, file, ok, "text/html; charset=utf-8", "<p>"),
        Ok(())
    );
    assert!(conforms(&Method::GET, file, ok, "text/csv", "a,b").is_err());
}

/// A case step is a tagged `oneOf` of the seven procedural steps, each naming its `kind` and the
/// codes its fields take, `documents` optional; file uploads are raw bytes of listed media types,
/// not JSON arrays (issue 19: three request schemas could not be satisfied by any valid body).
#[test]
fn steps_are_a_tagged_one_of_and_uploads_are_bytes() {
    let doc = &*tests::conformance::DOCUMENT;
    let schemas = &doc["components"]["schemas"];
    let body = &schemas["StepBody"];
    let variants = body["oneOf"].as_array().unwrap_or_else(|| panic!("{body}"));
    let mut kinds = Vec::new();
    for v in variants {
        let kind = &v["properties"]["kind"]["enum"];
        assert_eq!(kind.as_array().map(Vec::len), Some(1), "{v}");
        kinds.push(kind[0].as_str().unwrap().to_owned());
        let required: Vec<&str> = v["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        assert!(required.contains(&"kind"), "{v}");
        assert!(
            !required.contains(&"documents"),
            "documents is optional: {v}"
        );
    }
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "conclude_no_violation",
            "form_council",
            "hold_council",
            "hold_review",
            "recommend",
            "skip_review",
            "skip_to_decision"
        ]
    );
    // A recorded step is shown tagged the same way, a decision and an annulment besides.
    let shown = &schemas["StepDetailView"]["oneOf"];
    let mut shown_kinds: Vec<&str> = shown
        .as_array()
        .unwrap_or_else(|| panic!("{}", schemas["StepDetailView"]))
        .iter()
        .filter_map(|v| v["properties"]["kind"]["enum"][0].as_str())
        .collect();
    shown_kinds.sort();
    let mut expected: Vec<&str> = kinds.iter().map(String::as_str).collect();
    expected.extend(["annul", "decide"]);
    expected.sort();
    assert_eq!(shown_kinds, expected);
    assert_eq!(
        schemas["StepResponse"]["properties"]["detail"]["$ref"],
        "#/components/schemas/StepDetailView",
        "a step's detail is typed: {}",
        schemas["StepResponse"]
    );
    assert_eq!(
        schemas["FormCode"]["enum"].as_array().unwrap().len(),
        7,
        "the seven forms are listed: {}",
        schemas["FormCode"]
    );
    for (path, media) in [
        ("/api/v1/cases/{id}/documents", "application/pdf"),
        ("/api/v1/violations/{id}/evidence", "image/jpeg"),
        ("/api/v1/public/complaints/attachments", "text/plain"),
        (
            "/api/v1/commitment-campaigns/{id}/people/{person_id}/paper-signature",
            "image/png",
        ),
    ] {
        let content = &doc["paths"][path]["post"]["requestBody"]["content"];
        let schema = &content[media]["schema"];
        let resolved = match schema["$ref"].as_str() {
            Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
            None => schema,
        };
        assert_eq!(resolved["type"], "string", "{path} {media}: {content}");
        assert!(content.get("application/json").is_none(), "{path}");
    }
}
