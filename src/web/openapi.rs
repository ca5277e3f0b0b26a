//! The OpenAPI 3.0 document of `/api/v1/`, built by hand with `serde_json`: the API's shapes
//! are mostly webhook payloads (`serde_json::Value`), which a derive-based generator could
//! not describe without wrapper types, and it would add a proc-macro crate to the build.
//! The integration tests check every list and detail response against these schemas.

use serde_json::{Value, json};

fn s(t: &str) -> Value {
    json!({ "type": t })
}

fn nullable(t: &str) -> Value {
    json!({ "type": t, "nullable": true })
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn q(name: &str, desc: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": desc, "schema": schema })
}

/// An integer id or number (ids are SQLite rowids).
fn int() -> Value {
    json!({ "type": "integer", "format": "int64" })
}

/// A version number: 1 is the first.
fn version_number() -> Value {
    json!({ "type": "integer", "format": "int64", "minimum": 1 })
}

/// Free text or a name; the API refuses an empty value (leave the parameter out instead).
fn text() -> Value {
    json!({ "type": "string", "minLength": 1 })
}

/// A path id; the example (the first row) lets a client try a real one.
fn path_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": int(), "example": 1 })
}

fn enum_of(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

fn page_params() -> Vec<Value> {
    vec![
        q(
            "limit",
            "page size (1–500, default 50)",
            json!({"type": "integer", "minimum": 1, "maximum": 500}),
        ),
        q(
            "cursor",
            "next_cursor of the previous page",
            json!({ "type": "string", "pattern": super::params::CURSOR_PATTERN }),
        ),
    ]
}

fn time_param(name: &str, desc: &str) -> Value {
    q(
        name,
        &format!("{desc}: a day (2026-01-06) or RFC 3339"),
        json!({ "anyOf": [
            { "type": "string", "format": "date" },
            { "type": "string", "format": "date-time" },
        ] }),
    )
}

fn ok(schema: Value) -> Value {
    json!({
        "200": { "description": "OK", "content": { "application/json": { "schema": schema } } },
        "400": { "description": "bad parameter", "content": { "application/json": { "schema": r("Error") } } },
        "404": { "description": "unknown id", "content": { "application/json": { "schema": r("Error") } } },
        "401": { "description": "token required", "content": { "application/json": { "schema": r("Error") } } },
    })
}

fn text_body(ct: &str) -> Value {
    json!({
        "200": { "description": "OK", "content": { ct: { "schema": s("string") } } },
        "400": { "description": "bad parameter", "content": { "application/json": { "schema": r("Error") } } },
        "404": { "description": "unknown id", "content": { "application/json": { "schema": r("Error") } } },
        "401": { "description": "token required", "content": { "application/json": { "schema": r("Error") } } },
    })
}

fn get(summary: &str, params: Vec<Value>, responses: Value) -> Value {
    json!({ "get": { "summary": summary, "parameters": params, "responses": responses } })
}

fn list_of(item: &str) -> Value {
    json!({
        "type": "object",
        "required": ["items", "total", "next_cursor", "next"],
        "properties": {
            "items": { "type": "array", "items": r(item) },
            "total": s("integer"),
            "next_cursor": nullable("string"),
            "next": nullable("string"),
        }
    })
}

fn object(required: &[&str], props: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": props })
}

/// The document served at `/api/v1/openapi.json`.
pub fn document() -> Value {
    use super::api::*;
    // the exports take the filters; the lists page as well
    let fact_filters = vec![
        q("article", "article id", int()),
        q("outlet", "outlet name", text()),
        q("story", "story id", int()),
        q("kind", "claim kind", enum_of(KINDS)),
        q("label", "change label", enum_of(LABELS)),
        time_param("since", "created at or after"),
        time_param("until", "created before"),
    ];
    let paged = |filters: &Vec<Value>| {
        let mut v = filters.clone();
        v.extend(page_params());
        v
    };
    let conflict_filters = vec![
        q("story", "story id", int()),
        q("outlet", "an outlet with a claim in it", text()),
        q("status", "open or resolved", enum_of(&["open", "resolved"])),
        q("outcome", "outcome", enum_of(OUTCOMES)),
        time_param("since", "opened at or after"),
        time_param("until", "opened before"),
    ];
    let mut article_params = vec![
        q("outlet", "outlet name", text()),
        q("source", "source name", text()),
        q(
            "q",
            "text in the headline or URL (case-insensitive, at least 3 characters)",
            json!({ "type": "string", "minLength": super::api::MIN_SEARCH_CHARS }),
        ),
        time_param("changed_since", "last changed at or after"),
    ];
    article_params.extend(page_params());
    let mut event_params = vec![
        q("type", "event type", enum_of(EVENT_TYPES)),
        q("article", "article id", int()),
        q("story", "story id", int()),
        time_param("since", "created at or after"),
        time_param("until", "created before"),
    ];
    event_params.extend(page_params());
    let mut delivery_params = vec![
        q(
            "state",
            "delivery state (failing = not delivered, with an error)",
            enum_of(DELIVERY_STATES),
        ),
        q("target", "notifier name", text()),
    ];
    delivery_params.extend(page_params());
    let id = || vec![path_param("id")];
    let seq = || json!({ "name": "seq", "in": "path", "required": true, "schema": version_number(), "example": 1 });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "factdiff API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read-only JSON over what factdiff stores. Lists are newest first with an opaque cursor; `total` counts the whole traversal and stays put while new rows arrive.",
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }, {}],
        "paths": {
            "/articles": get("Articles", article_params, ok(list_of("Article"))),
            "/articles/{id}": get("One article and its versions", id(), ok(r("ArticleDetail"))),
            "/articles/{id}/versions": get("Versions of an article", id(), ok(list_of("VersionMeta"))),
            "/articles/{id}/versions/{seq}": get("One version with its text", vec![path_param("id"), seq()], ok(r("Version"))),
            "/articles/{id}/versions/{seq}/raw": get("The raw page as fetched, as plain text", vec![path_param("id"), seq()], text_body("text/plain")),
            "/articles/{id}/diff": get("Diff of two versions (default: the last two)", vec![path_param("id"), q("from", "version", version_number()), q("to", "version", version_number())], ok(r("Diff"))),
            "/facts": get("Fact changes", paged(&fact_filters), ok(list_of("FactChange"))),
            "/facts.csv": get("Fact changes as CSV", fact_filters.clone(), text_body("text/csv")),
            "/facts.jsonl": get("Fact changes as JSON lines", fact_filters, text_body("application/jsonl")),
            "/facts/{id}": get("One fact change", id(), ok(r("FactChange"))),
            "/conflicts": get("Conflicts between outlets", paged(&conflict_filters), ok(list_of("Conflict"))),
            "/conflicts.csv": get("Conflicts as CSV (one line per claim)", conflict_filters.clone(), text_body("text/csv")),
            "/conflicts.jsonl": get("Conflicts as JSON lines", conflict_filters, text_body("application/jsonl")),
            "/conflicts/{id}": get("One conflict", id(), ok(r("Conflict"))),
            "/events": get("Events (the webhook payloads)", event_params, ok(list_of("Event"))),
            "/events/{id}": get("One event", vec![json!({"name": "id", "in": "path", "required": true, "schema": s("string")})], ok(r("Event"))),
            "/stories": get("Stories", page_params(), ok(list_of("Story"))),
            "/stories/{id}": get("One story: articles, aligned claims per event, findings", id(), ok(r("StoryDetail"))),
            "/sources": get("Sources and their health", vec![], ok(list_of("Source"))),
            "/deliveries": get("Notification deliveries", delivery_params, ok(list_of("Delivery"))),
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": object(&["error"], json!({ "error": object(&["status", "code", "message"], json!({
                    "status": s("integer"), "code": s("string"), "message": s("string"), "parameter": s("string") })) })),
                "ArticleRef": object(&["id", "url"], json!({ "id": s("integer"), "url": s("string"), "outlet": nullable("string"), "headline": nullable("string") })),
                "Article": object(&["id", "url", "first_seen_at", "version_count"], json!({
                    "id": s("integer"), "url": s("string"), "outlet": nullable("string"), "source": nullable("string"),
                    "headline": nullable("string"), "first_seen_at": s("string"), "last_checked_at": nullable("string"),
                    "last_changed_at": nullable("string"), "removed_at": nullable("string"), "version_count": s("integer"),
                    "next_check_at": nullable("string"), "last_error": nullable("string"), "page_modified": nullable("string") })),
                "ArticleDetail": object(&["article", "versions"], json!({ "article": r("Article"), "story": nullable("integer"),
                    "versions": { "type": "array", "items": r("VersionMeta") } })),
                "VersionMeta": object(&["version", "observed_at", "hash", "words"], json!({
                    "version": s("integer"), "observed_at": s("string"), "hash": s("string"), "headline": nullable("string"),
                    "title": nullable("string"), "significance": nullable("string"), "flagged": nullable("string"), "words": s("integer") })),
                "Version": object(&["version", "observed_at", "paragraphs", "text"], json!({
                    "version": s("integer"), "observed_at": s("string"), "headline": nullable("string"),
                    "byline": { "type": "array", "items": s("string") }, "published": nullable("string"),
                    "paragraphs": { "type": "array", "items": s("string") }, "text": s("string") })),
                "Diff": object(&["article", "from_version", "to_version", "facts", "diff"], json!({
                    "article": r("Article"), "from_version": s("integer"), "to_version": s("integer"),
                    "facts": { "type": "array", "items": s("object") }, "diff": s("object") })),
                "FactChange": object(&["id", "event_id", "index", "created_at", "article", "kind", "slot", "label"], json!({
                    "id": s("integer"), "event_id": s("string"), "index": s("integer"), "created_at": s("string"),
                    "article": r("ArticleRef"), "from_version": nullable("integer"), "to_version": nullable("integer"),
                    "from_observed_at": nullable("string"), "to_observed_at": nullable("string"),
                    "kind": s("string"), "slot": s("string"), "label": s("string"),
                    "before": { "type": "object", "nullable": true }, "after": { "type": "object", "nullable": true },
                    "sentence_before": nullable("string"), "sentence_after": nullable("string") })),
                "Conflict": object(&["id", "status", "story", "event", "slot", "outcome", "severity", "explanation", "claims", "opened_at"], json!({
                    "id": s("integer"), "status": enum_of(&["open", "resolved"]),
                    "story": object(&["id", "outlets"], json!({ "id": s("integer"), "headline": nullable("string"), "outlets": { "type": "array", "items": s("string") } })),
                    "event": s("string"), "slot": s("string"), "outcome": s("string"), "severity": s("number"), "explanation": s("string"),
                    "claims": { "type": "array", "items": s("object") }, "opened_at": s("string"), "updated_at": s("string"),
                    "resolved_at": nullable("string"), "event_id": nullable("string") })),
                "Event": object(&["id", "type", "created_at"], json!({ "id": s("string"), "type": s("string"), "created_at": s("string") })),
                "Story": object(&["id", "outlets", "article_count", "open_conflicts"], json!({
                    "id": s("integer"), "headline": nullable("string"), "outlets": { "type": "array", "items": s("string") },
                    "article_count": s("integer"), "open_conflicts": s("integer"), "first_published": nullable("string"), "last_joined_at": nullable("string") })),
                "StoryDetail": object(&["story", "articles", "events", "findings"], json!({ "story": r("Story"),
                    "articles": { "type": "array", "items": s("object") }, "events": { "type": "array", "items": s("object") },
                    "findings": { "type": "array", "items": s("object") } })),
                "Source": object(&["name", "kind", "consecutive_failures", "failing"], json!({
                    "name": s("string"), "kind": s("string"), "location": nullable("string"), "outlet": nullable("string"),
                    "consecutive_failures": s("integer"), "failing": s("boolean"), "last_error": nullable("string") })),
                "Delivery": object(&["event_id", "event_type", "target", "state", "attempts"], json!({
                    "event_id": s("string"), "event_type": s("string"), "target": s("string"), "state": s("string"),
                    "attempts": s("integer"), "next_attempt_at": s("string"), "last_error": nullable("string"), "delivered_at": nullable("string") })),
            }
        }
    })
}

/// Checks `v` against the subset of JSON Schema this document uses (type, nullable, enum,
/// required, properties, items, $ref); returns the first mismatch with its JSON path.
pub fn check(doc: &Value, schema: &Value, v: &Value, path: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or("");
        return check(doc, &doc["components"]["schemas"][name], v, path);
    }
    if v.is_null() {
        return if schema["nullable"] == true || schema.get("type").is_none() {
            Ok(())
        } else {
            Err(format!("{path}: null where {} is required", schema["type"]))
        };
    }
    let ok = match schema["type"].as_str() {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        _ => true,
    };
    if !ok {
        return Err(format!("{path}: {v} is not of type {}", schema["type"]));
    }
    if let Some(e) = schema["enum"].as_array()
        && !e.contains(v)
    {
        return Err(format!("{path}: {v} is not one of {}", schema["enum"]));
    }
    for r in schema["required"].as_array().into_iter().flatten() {
        let k = r.as_str().unwrap_or("");
        if v.get(k).is_none() {
            return Err(format!("{path}: missing required {k:?}"));
        }
    }
    if let Some(props) = schema["properties"].as_object() {
        for (k, sch) in props {
            if let Some(x) = v.get(k) {
                check(doc, sch, x, &format!("{path}.{k}"))?;
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

/// The schema of a path's 200 JSON response.
pub fn response_schema<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"].get("schema")
}
