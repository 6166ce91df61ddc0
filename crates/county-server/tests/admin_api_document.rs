//! What the server describes and serves besides the API's answers: the OpenAPI document (it
//! parses, is OpenAPI 3.1, lists exactly the routes the router serves, each of which is
//! answered by its handler, and the dashboard's real answers match the schemas it describes),
//! and the dashboard's page at `/` and its routes.

mod admin;
mod common;

use admin::*;
use county_server::http::API_ROUTES;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Where `value` differs from `schema` (resolving `$ref`s in `document`): a type that does not
/// match, a required field missing, or a field the schema does not describe.
fn mismatches(document: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = &document["components"]["schemas"][name];
        assert!(!target.is_null(), "{reference} is not in the document");
        return mismatches(document, target, value, at);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(choices) = schema.get(key).and_then(Value::as_array) {
            let all: Vec<Vec<String>> = choices
                .iter()
                .map(|choice| mismatches(document, choice, value, at))
                .collect();
            return if all.iter().any(Vec::is_empty) {
                Vec::new()
            } else {
                all.into_iter().flatten().collect()
            };
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let type_fits = types.is_empty()
        || types.contains(&actual)
        || (actual == "integer" && types.contains(&"number"));
    if !type_fits {
        return vec![format!("{at}: {actual} where the schema says {types:?}")];
    }
    let mut found = Vec::new();
    match value {
        Value::Object(fields) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, field) in fields {
                    match properties.get(name) {
                        Some(field_schema) => found.extend(mismatches(
                            document,
                            field_schema,
                            field,
                            &format!("{at}.{name}"),
                        )),
                        None => found.push(format!("{at}.{name}: not described")),
                    }
                }
                for required in schema["required"].as_array().into_iter().flatten() {
                    let name = required.as_str().unwrap_or_default();
                    if !fields.contains_key(name) {
                        found.push(format!("{at}.{name}: required but missing"));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    found.extend(mismatches(
                        document,
                        item_schema,
                        item,
                        &format!("{at}[{index}]"),
                    ));
                }
            }
        }
        _ => {}
    }
    found
}

fn ok_schema<'a>(document: &'a Value, method: &str, path: &str) -> &'a Value {
    let schema = &document["paths"][path][method]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert!(
        !schema.is_null(),
        "{method} {path} describes no 200 JSON body"
    );
    schema
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_describes_the_real_answers() {
    let server = AdminServer::start().await;
    let answer = server
        .client
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let document: Value = answer.json().await.unwrap();
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|version| version.starts_with("3.1")),
        "{}",
        document["openapi"]
    );
    let described: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|key| {
                    ["get", "post", "put", "patch", "delete", "head"].contains(&key.as_str())
                })
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = API_ROUTES
        .iter()
        .map(|(method, path)| (method.to_string(), path.to_string()))
        .collect();
    assert_eq!(
        described, served,
        "the document lists exactly the served routes"
    );

    // Each listed route is taken by its handler (which refuses a stranger), not the fallback.
    for (method, path) in API_ROUTES {
        let concrete = path
            .replace("{id}", "0190f0a5-0000-7000-8000-000000000001")
            .replace("{sha256}", &"a".repeat(64))
            .replace("{variant}", "thumbnail");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let answer = server
            .request(method.clone(), &concrete, None)
            .send()
            .await
            .unwrap();
        assert!(
            ![StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&answer.status()),
            "{method} {concrete}: {}",
            answer.status()
        );
    }

    // The real answers match what the document says they are.
    let first = server.device_sync_ok(1, Some("铁网被冲毁约30米"), "").await;
    assert_eq!(first.acknowledged_through, 1);
    let admin = server.log_in(ADMIN).await;
    let page = server.get_json("/api/v1/admin/entries", &admin).await;
    let entry_id = page["entries"][0]["id"].as_str().unwrap().to_string();
    let review_path = format!("/api/v1/admin/entries/{entry_id}/review");
    let summary: Value = server
        .change(&review_path, &admin, Some(json!({"decision": "approved"})))
        .await
        .json()
        .await
        .unwrap();
    // The one entry's year: what Statistics and the report open on.
    let latest_year: i32 = page["entries"][0]["local_day"].as_str().unwrap()[..4]
        .parse()
        .unwrap();
    let config = server.get_json("/api/v1/admin/config", &admin).await;
    assert_eq!(
        config,
        json!({"map_tile_url": null, "server_url": server.base,
               "latest_entry_year": latest_year})
    );
    let answers = [
        ("/api/v1/admin/session", "/api/v1/admin/session".to_string()),
        (
            "/api/v1/admin/overview",
            "/api/v1/admin/overview".to_string(),
        ),
        ("/api/v1/admin/entries", "/api/v1/admin/entries".to_string()),
        (
            "/api/v1/admin/entries/{id}",
            format!("/api/v1/admin/entries/{entry_id}"),
        ),
        (
            "/api/v1/admin/statistics",
            "/api/v1/admin/statistics?year=2024".to_string(),
        ),
        (
            "/api/v1/admin/reports/annual",
            "/api/v1/admin/reports/annual?year=2024".to_string(),
        ),
        ("/api/v1/admin/posts", "/api/v1/admin/posts".to_string()),
        ("/api/v1/admin/config", "/api/v1/admin/config".to_string()),
        ("/api/v1/admin/audit", "/api/v1/admin/audit".to_string()),
    ];
    for (described_path, real_path) in answers {
        let value = server.get_json(&real_path, &admin).await;
        let problems = mismatches(
            &document,
            ok_schema(&document, "get", described_path),
            &value,
            "$",
        );
        assert!(problems.is_empty(), "GET {real_path}: {problems:#?}");
    }
    let problems = mismatches(
        &document,
        ok_schema(&document, "post", "/api/v1/admin/entries/{id}/review"),
        &summary,
        "$",
    );
    assert!(problems.is_empty(), "POST {review_path}: {problems:#?}");
    let created_post = server
        .change(
            "/api/v1/admin/posts",
            &admin,
            Some(json!({"name": "木央联防所"})),
        )
        .await;
    assert_eq!(created_post.status(), StatusCode::CREATED);
    let enrolment_path = format!("/api/v1/admin/posts/{}/enrolment-codes", server.post.id);
    let enrolment = server.change(&enrolment_path, &admin, None).await;
    assert_eq!(enrolment.status(), StatusCode::CREATED);
    let revoke_path = format!("/api/v1/admin/devices/{}/revoke", server.device.device_id);
    let revoked = server.change(&revoke_path, &admin, None).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let bulk_review = server
        .change(
            "/api/v1/admin/reviews",
            &admin,
            Some(json!({"entry_ids": [entry_id], "decision": "returned", "comment": "位置不准确"})),
        )
        .await;
    assert_eq!(bulk_review.status(), StatusCode::OK);
    let changes = [
        (
            "/api/v1/admin/posts",
            "201",
            created_post.json::<Value>().await.unwrap(),
        ),
        (
            "/api/v1/admin/posts/{id}/enrolment-codes",
            "201",
            enrolment.json().await.unwrap(),
        ),
        (
            "/api/v1/admin/devices/{id}/revoke",
            "200",
            revoked.json().await.unwrap(),
        ),
        (
            "/api/v1/admin/reviews",
            "200",
            bulk_review.json().await.unwrap(),
        ),
    ];
    for (described_path, status, value) in changes {
        let schema = &document["paths"][described_path]["post"]["responses"][status]["content"]
            ["application/json"]["schema"];
        assert!(
            !schema.is_null(),
            "POST {described_path} describes no {status} body"
        );
        let problems = mismatches(&document, schema, &value, "$");
        assert!(problems.is_empty(), "POST {described_path}: {problems:#?}");
    }
    // The checker itself notices a field the schema does not describe.
    let mut extra = summary.clone();
    extra["surprise"] = json!(1);
    assert!(!mismatches(
        &document,
        ok_schema(&document, "post", "/api/v1/admin/entries/{id}/review"),
        &extra,
        "$"
    )
    .is_empty());
    server.stop().await;
}

#[tokio::test]
async fn the_dashboard_page_is_served_at_its_routes_and_unknown_api_paths_stay_json() {
    let server = AdminServer::start().await;
    let mut pages = Vec::new();
    for path in [
        "/",
        "/reports/annual?year=2024",
        "/entries/0190f0a5-0000-7000-8000-000000000001",
        "/login",
    ] {
        let answer = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        assert!(
            answer.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert_eq!(answer.headers()["cache-control"], "no-cache", "{path}");
        let html = answer.text().await.unwrap();
        assert!(
            html.to_lowercase().starts_with("<!doctype html"),
            "{path}: {html}"
        );
        pages.push(html);
    }
    assert!(
        pages.windows(2).all(|pair| pair[0] == pair[1]),
        "one page for every route"
    );

    for path in [
        "/api/v1/nothing",
        "/api/v2/admin/overview",
        "/assets/nothing-00000000.js",
    ] {
        let answer = server.client.get(server.url(path)).send().await.unwrap();
        expect_error(answer, StatusCode::NOT_FOUND).await;
    }
    server.stop().await;
}
