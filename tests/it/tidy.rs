//! Architecture invariants checked as tests: every module opens with a `//!` doc, the domain
//! crate depends on no persistence, HTTP, email or runtime crate, and the use-case library on no
//! HTTP crate.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in [
        "crates/congvu_core/src",
        "crates/congvu_db/src",
        "crates/congvu_api/src",
        "crates/congvu_api/benches",
        "crates/congvu_app/src",
        "crates/congvu_app/benches",
        "crates/congvu_cli/src",
        "crates/congvu_cli/tests",
        "migrations/src",
        "tests/it",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !f.ends_with("tests.rs"))
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap()
                .trim_start()
                .starts_with("//!")
        })
        .map(|f| f.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` doc: {missing:?}"
    );
}

#[test]
fn the_domain_crate_depends_on_no_io_crate() {
    let manifest =
        std::fs::read_to_string(workspace().join("crates/congvu_core/Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap()
        .split("[dev-dependencies]")
        .next()
        .unwrap();
    for banned in [
        "sea-orm", "rocket", "tokio", "lettre", "reqwest", "sqlx", "utoipa", "tracing",
    ] {
        assert!(
            !deps.contains(banned),
            "congvu_core must not depend on {banned}"
        );
    }
    let sources: Vec<PathBuf> = {
        let mut v = Vec::new();
        rust_files(&workspace().join("crates/congvu_core/src"), &mut v);
        v
    };
    for file in sources {
        let text = std::fs::read_to_string(&file).unwrap();
        for banned in [
            "Utc::now",
            "Local::now",
            "std::fs",
            "std::net",
            "now_v7",
            "thread_rng",
            "OsRng",
        ] {
            assert!(
                !text.contains(banned),
                "{} uses {banned}: the domain takes time and ids as parameters",
                file.display()
            );
        }
    }
}

/// The use cases are a library a batch job can use: `cargo tree -p congvu_app` (without the
/// `openapi` feature the HTTP layer turns on) reaches no Rocket, utoipa or HTTP crate, and its
/// sources name none.
#[test]
fn the_use_case_crate_depends_on_no_http_crate() {
    let tree = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "congvu_app",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(workspace())
        .output()
        .unwrap();
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    let tree = String::from_utf8_lossy(&tree.stdout);
    assert!(tree.contains("congvu_db"), "not a dependency tree: {tree}");
    for banned in ["rocket", "utoipa", "hyper ", "axum", "reqwest", "validator"] {
        assert!(
            !tree.lines().any(|l| l.starts_with(banned)),
            "congvu_app reaches {banned}"
        );
    }
    let mut sources = Vec::new();
    rust_files(&workspace().join("crates/congvu_app/src"), &mut sources);
    for file in sources {
        let text = std::fs::read_to_string(&file).unwrap();
        for banned in ["rocket::", "maud::", "html!"] {
            assert!(
                !text.contains(banned),
                "{} uses {banned}: HTTP and pages belong to congvu_api",
                file.display()
            );
        }
    }
}

#[test]
fn the_docs_the_guide_requires_exist() {
    for doc in [
        "README.md",
        "docs/ARCHITECTURE.md",
        "docs/API.md",
        "docs/LEGAL.md",
        "docs/OPERATIONS.md",
        "migrations/README.md",
        ".ci/run",
    ] {
        assert!(workspace().join(doc).is_file(), "{doc} is missing");
    }
}

/// The Rust sources of the library crates (the server's code, not its tests).
fn library_sources(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "crates/congvu_core/src",
        "crates/congvu_db/src",
        "crates/congvu_app/src",
        "crates/congvu_api/src",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    files
}

/// The string literals of `source` that follow `marker` (e.g. `code: "`), up to the closing quote.
fn literals_after<'a>(source: &'a str, marker: &str) -> Vec<&'a str> {
    source
        .match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &source[at + marker.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Every problem `code` the server can answer is listed in docs/API.md (issue 19 found nine that
/// were not). Codes are read from the sources: `code: "…"` in error and reason literals, and the
/// code argument of every `Problem::new(Status::…, "…")`.
#[test]
fn every_error_code_is_in_the_api_document() {
    let root = workspace();
    let api = std::fs::read_to_string(root.join("docs/API.md")).unwrap();
    let files = library_sources(&root);
    let mut codes = std::collections::BTreeSet::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for code in literals_after(&source, "code: \"") {
            codes.insert(code.to_owned());
        }
        for call in source.split("Problem::new(").skip(1) {
            let call = call.trim_start();
            if call.starts_with("Status::")
                && let Some(code) = call.split('"').nth(1)
            {
                codes.insert(code.to_owned());
            }
        }
    }
    // Only machine codes (`case.final`, `rate_limited`): test fixtures also have `code` fields.
    codes.retain(|c| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.')
    });
    assert!(codes.len() > 50, "the scan found too few codes: {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !api.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/API.md: {missing:?}"
    );
}

/// The arguments of each call `name(` in `source`, split at the commas of its own level (string
/// literals and nested brackets kept whole).
fn call_arguments<'a>(source: &'a str, name: &str) -> Vec<Vec<&'a str>> {
    let mut calls = Vec::new();
    for (at, _) in source.match_indices(name) {
        let start = at + name.len();
        let (mut depth, mut in_string, mut escaped) = (1_usize, false, false);
        let (mut args, mut from) = (Vec::new(), start);
        for (i, c) in source[start..].char_indices() {
            let here = start + i;
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        args.push(source[from..here].trim());
                        break;
                    }
                }
                ',' if depth == 1 => {
                    args.push(source[from..here].trim());
                    from = here + 1;
                }
                _ => {}
            }
        }
        calls.push(args);
    }
    calls
}

/// Every field code a 422 can carry in `errors[].code` is listed in docs/API.md's table of field
/// codes (issue 19): the literal code argument of `Error::field`, `FieldError::new` and a
/// collector's `push`, and the codes the DTO checks map to.
#[test]
fn every_field_code_is_in_the_api_document() {
    let root = workspace();
    let api = std::fs::read_to_string(root.join("docs/API.md")).unwrap();
    let table = api
        .split("### Field codes")
        .nth(1)
        .expect("docs/API.md has a '### Field codes' section");
    let table = table.split("\n## ").next().unwrap_or(table);
    let files = library_sources(&root);
    let mut codes = std::collections::BTreeSet::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for name in ["Error::field(", "FieldError::new(", ".push("] {
            for args in call_arguments(&source, name) {
                if let [_, code, _, ..] = args.as_slice()
                    && let Some(code) = code.strip_prefix('"').and_then(|c| c.strip_suffix('"'))
                    && !code.is_empty()
                    && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                {
                    codes.insert(code.to_owned());
                }
            }
        }
        // `static_code`'s arms: what the DTO checks (validator) are answered with.
        for arm in source.split("fn static_code").skip(1).take(1) {
            for code in literals_after(arm.split("\n}").next().unwrap_or(""), "=> \"") {
                codes.insert(code.to_owned());
            }
        }
    }
    assert!(codes.len() > 60, "the scan found too few codes: {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !table.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "field codes missing from docs/API.md's table: {missing:?}"
    );
}
