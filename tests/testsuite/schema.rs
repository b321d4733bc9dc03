//! `annals check` and the JSON Schema (`annals schema`) agree. Every front matter of
//! `tests/schema/cases.yaml` is written into one copy of the basic fixture and checked by
//! the real binary; the same front matter, converted to JSON the way an editor's YAML
//! tooling does (YAML → JSON value, dates as strings), is validated against the schema the
//! binary prints for that site, by the `jsonschema` crate (draft 2020-12). Where a schema
//! can express the rule the two agree; for the few it cannot (calendar validity such as
//! 2021-02-29, a year of fewer than four digits that YAML reads as a number, `end` before
//! `date`, `related` naming an existing other entry, unique slugs) the schema accepts and
//! `check` rejects — never the other way round. Placeholders
//! are warnings (errors only under `--strict`), so they are not cases here.
//!
//! The JSON forms of the cases and of the site's schema are kept in `tests/schema/`
//! (`ANNALS_BLESS=1` rewrites them) for `tests/schema/ajv.mjs`, which runs the same cases
//! through ajv in strict mode.

use crate::util::Site;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    expect: String,
    #[serde(default)]
    why: Option<String>,
    front_matter: String,
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema/cases.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Compares `tests/schema/<name>` with `actual`, or rewrites it under `ANNALS_BLESS=1`.
fn kept_in_sync(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schema")
        .join(name);
    if std::env::var_os("ANNALS_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        kept == actual,
        "{} is stale (ANNALS_BLESS=1 cargo test schema)",
        path.display()
    );
}

/// The files `annals check --format json` reports an error in.
fn files_with_errors(site: &Site) -> BTreeSet<String> {
    let r = site.annals(&["check", "--format", "json"]);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("each line is JSON"))
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["file"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn check_rejects_whatever_the_schema_rejects() {
    let cases = cases();
    assert!(cases.iter().filter(|c| c.expect != "valid").count() >= 25);
    let site = Site::fixture("basic");
    for c in &cases {
        let text = format!("---\n{}---\nBody.\n", c.front_matter);
        site.write(&format!("content/entries/case-{}.md", c.name), text);
    }
    let rejected_by_check = files_with_errors(&site);
    let schema_text = site.annals(&["schema"]).stdout;
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");

    let mut json_cases = Vec::new();
    let mut wrong = Vec::new();
    for c in &cases {
        let value: serde_json::Value = serde_yaml::from_str(&c.front_matter).unwrap();
        let by_schema = !validator.is_valid(&value);
        let by_check = rejected_by_check.contains(&format!("content/entries/case-{}.md", c.name));
        let expected = match c.expect.as_str() {
            "valid" => (false, false),
            "invalid" => (true, true),
            "check-only" => (false, true),
            other => panic!("{}: unknown expectation `{other}`", c.name),
        };
        if (by_schema, by_check) != expected {
            wrong.push(format!(
                "{} (expected {}{}): schema rejects: {by_schema}, check rejects: {by_check}",
                c.name,
                c.expect,
                c.why
                    .as_deref()
                    .map(|w| format!(", {w}"))
                    .unwrap_or_default()
            ));
        }
        json_cases.push(serde_json::json!({
            "name": c.name,
            "schema_accepts": !expected.0,
            "front_matter": value,
        }));
    }
    assert!(
        wrong.is_empty(),
        "check and the schema disagree:\n{}",
        wrong.join("\n")
    );
    let json = serde_json::to_string_pretty(&json_cases).unwrap() + "\n";
    kept_in_sync("cases.json", &json);
    kept_in_sync("basic-site.schema.json", &schema_text);
}

/// `timeline.json` names its JSON Schema (`$schema`), which the build writes beside it,
/// and the real output validates against it (also without a licence: `license` null).
/// `.ci/run` runs the same check with ajv in strict mode (tests/schema/timeline.mjs).
#[test]
fn timeline_json_validates_against_its_shipped_schema() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let schema: serde_json::Value =
        serde_json::from_str(&site.out("timeline.schema.json")).unwrap();
    let shipped: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src/render/timeline.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(schema, shipped);
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let data: serde_json::Value = serde_json::from_str(&site.out("timeline.json")).unwrap();
    assert_eq!(
        data["$schema"],
        "https://reforms.test/chronicle/timeline.schema.json"
    );
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Without a licence, with a span and an `updated` date.
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    let cfg = &cfg[..cfg.find("license:").unwrap()];
    site.write("site.yaml", cfg);
    let reform = std::fs::read_to_string(site.path("content/entries/reform-2020.md")).unwrap();
    site.write(
        "content/entries/reform-2020.md",
        reform.replace(
            "date: 2020\n",
            "date: 2020\nend: 2021-03\nupdated: 2021-07-01\n",
        ),
    );
    site.build_ok(&[]);
    let data: serde_json::Value = serde_json::from_str(&site.out("timeline.json")).unwrap();
    assert!(data["license"].is_null());
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is not a rubber stamp.
    let mut broken = data.clone();
    broken["entries"][0]["start_day"] = "2020".into();
    assert!(!validator.is_valid(&broken));
    broken = data.clone();
    broken["entries"][0]["surprise"] = true.into();
    assert!(!validator.is_valid(&broken));
}
