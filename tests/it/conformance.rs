//! The conformance check (issue 19): every answer the end-to-end suite receives from an API path
//! is checked against the OpenAPI document the server publishes. The status must be documented for
//! the operation, the media type must be the documented one, and a JSON body must satisfy the
//! documented schema (JSON Schema 2020-12, with formats such as `uuid`, `date` and `date-time`
//! checked). A mismatch fails the test that made the call.
//!
//! Paths outside `/api/v1/` (the citizens' pages, Swagger UI, health) and paths the document does
//! not know (a test probing an unknown route) are not checked here: the route inventory test in
//! `openapi.rs` keeps the document and the mounted routes equal.
//!
//! With `CONGVU_CONFORMANCE_REPORT=<file>` set, mismatches are appended to that file instead of
//! failing, to survey a large change at once.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, LazyLock, Mutex};

use reqwest::{Method, StatusCode};
use serde_json::{Map, Value};
use utoipa::OpenApi as _;

/// The document, as served, parsed once.
pub static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    // A document that does not serialise would let every answer through: fail loudly instead.
    serde_json::to_value(congvu_api::openapi::ApiDoc::openapi())
        .unwrap_or_else(|e| panic!("the OpenAPI document does not serialise: {e}"))
});

/// Compiled validators by (operation path, method, status, media type).
type Compiled = HashMap<String, Arc<jsonschema::Validator>>;
static VALIDATORS: LazyLock<Mutex<Compiled>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Checks one answer; panics (or reports) on a mismatch.
pub fn check(method: &Method, path: &str, status: StatusCode, content_type: &str, body: &str) {
    if let Err(problem) = conforms(method, path, status, content_type, body) {
        let line = format!("{method} {path} -> {}: {problem}", status.as_u16());
        match std::env::var_os("CONGVU_CONFORMANCE_REPORT") {
            Some(file) => {
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(file)
                {
                    let _ = writeln!(f, "{line}");
                }
            }
            None => panic!("the answer does not conform to the OpenAPI document: {line}"),
        }
    }
}

/// Whether the answer matches the document; the reason when it does not (`Ok` for paths the
/// document does not cover).
pub fn conforms(
    method: &Method,
    path: &str,
    status: StatusCode,
    content_type: &str,
    body: &str,
) -> Result<(), String> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    if !path.starts_with("/api/v1/") {
        return Ok(());
    }
    // Paths that match equally well (`/letters/{id}` and `/letters/{file}`): the answer conforms
    // when it conforms to one of them.
    let candidates = operation_paths(path);
    let mut first_error = None;
    for (template, item) in &candidates {
        match conforms_to(method, template, item, status, content_type, body) {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Whether the answer matches one documented path's operation.
fn conforms_to(
    method: &Method,
    template: &str,
    item: &Map<String, Value>,
    status: StatusCode,
    content_type: &str,
    body: &str,
) -> Result<(), String> {
    let Some(operation) = item.get(&method.as_str().to_ascii_lowercase()) else {
        // 405 is not part of any operation's contract; Rocket answers 404 for it anyway.
        return Ok(());
    };
    let responses = &operation["responses"];
    let code = status.as_u16().to_string();
    let Some(response) = responses.get(&code).or_else(|| responses.get("default")) else {
        return Err(format!("status {code} is not documented for {template}"));
    };
    let media = content_type.split(';').next().unwrap_or("").trim();
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return if body.is_empty() {
            Ok(())
        } else {
            Err(format!("a body ({media}) where the document says none"))
        };
    };
    let Some(documented) = content.get(media) else {
        let known: Vec<&String> = content.keys().collect();
        return Err(format!("media type {media:?}, documented {known:?}"));
    };
    if !media.ends_with("json") {
        return Ok(());
    }
    let Some(schema) = documented.get("schema") else {
        return Ok(());
    };
    let instance: Value =
        serde_json::from_str(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let key = format!("{method} {template} {code} {media}");
    let validator = validator(&key, schema)?;
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .take(3)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// The document's path items for a concrete path that match it best: literal segments beat
/// parameters.
fn operation_paths(path: &str) -> Vec<(&'static str, &'static Map<String, Value>)> {
    let Some(paths) = DOCUMENT["paths"].as_object() else {
        return Vec::new();
    };
    let segments: Vec<&str> = path.split('/').collect();
    let matching: Vec<(usize, &'static str, &'static Map<String, Value>)> = paths
        .iter()
        .filter_map(|(template, item)| {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (part, segment) in parts.iter().zip(&segments) {
                if part.starts_with('{') && part.ends_with('}') {
                    if segment.is_empty() {
                        return None;
                    }
                } else if part == segment {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, template.as_str(), item.as_object()?))
        })
        .collect();
    let best = matching.iter().map(|(literal, _, _)| *literal).max();
    matching
        .into_iter()
        .filter(|(literal, _, _)| Some(*literal) == best)
        .map(|(_, template, item)| (template, item))
        .collect()
}

/// The validator of one response schema, compiled once. The schema is set beside the document's
/// `components`, so that its `#/components/schemas/...` references resolve.
fn validator(key: &str, schema: &Value) -> Result<Arc<jsonschema::Validator>, String> {
    let mut cache = VALIDATORS.lock().map_err(|_| "poisoned".to_owned())?;
    if let Some(v) = cache.get(key) {
        return Ok(v.clone());
    }
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": DOCUMENT["components"].clone(),
    });
    let compiled = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("the document's schema does not compile: {e}"))?;
    let compiled = Arc::new(compiled);
    cache.insert(key.to_owned(), compiled.clone());
    Ok(compiled)
}
