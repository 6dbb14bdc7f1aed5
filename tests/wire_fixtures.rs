//! The files in tests/fixtures/wire are the bytes Python's `Event.to_json`
//! writes (see the README there). Valid events must read, and write back
//! byte for byte; `input-*` files are read only; `invalid-*` files must be
//! refused with the right kind of error, naming the key at fault.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use codomyrmex_events::{ErrorKind, Event};

/// (file name, contents) of every fixture, sorted by name.
fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).expect("fixture text"))
        })
        .collect();
    files.sort();
    files
}

fn fixture(name: &str) -> Event {
    let (_, text) = fixtures().into_iter().find(|(n, _)| n == name).expect(name);
    Event::from_json(&text).expect(name)
}

#[test]
fn valid_fixtures_round_trip_byte_for_byte() {
    let mut count = 0;
    for (name, text) in fixtures() {
        if name.starts_with("invalid-") || name.starts_with("input-") {
            continue;
        }
        let event = Event::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = event.to_json().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(written, text, "{name}: Python layout");
        assert_eq!(Event::from_json(&written).expect(&name), event, "{name}: read back");
        count += 1;
    }
    assert!(count >= 6, "only {count} valid fixtures");
}

#[test]
fn fixtures_read_as_python_wrote_them() {
    let plain = fixture("plain.json");
    assert_eq!(&*plain.event_type, "system.startup");
    assert_eq!(plain.timestamp_ms, 1700000000000.0);
    assert_eq!((plain.correlation_id, plain.priority), (None, 0));

    let unicode = fixture("unicode.json");
    assert_eq!(&*unicode.source, "café-service");
    assert_eq!(unicode.data["mixed"], "é中😀");
    assert_eq!(unicode.data["ключ"], "значение");
    assert_eq!(unicode.metadata["lang"], "中文");

    let correlated = fixture("correlated.json");
    assert_eq!(correlated.correlation_id.as_deref(), Some("5b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e"));
    assert_eq!((correlated.priority, correlated.timestamp_ms), (1, 1700000002123.0));

    let critical = fixture("critical.json");
    assert_eq!((critical.priority, critical.timestamp_ms), (2, 1700000004123.456));

    let nested = fixture("nested.json");
    assert_eq!(nested.data["deep"]["a"]["b"]["c"]["d"]["e"]["f"][0][0][0][0], "bottom");
    assert_eq!(nested.timestamp_ms, 1700000003000.001);

    let proto = fixture("proto-keys.json");
    assert_eq!(proto.data["__proto__"]["polluted"], true);
    assert_eq!(proto.data["constructor"]["prototype"]["polluted"], true);
    assert!(proto.metadata["__proto__"].is_null());
    assert_eq!(proto.metadata["constructor"], "meta");
}

#[test]
fn a_minimal_event_gets_the_schema_defaults() {
    let event = fixture("input-minimal.json");
    assert_eq!((&*event.event_type, &*event.source), ("custom", "minimal"));
    assert_eq!(event.event_id.len(), 36, "a fresh UUID");
    assert_eq!(event.event_id.as_bytes()[14], b'4');
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as f64;
    assert!((now_ms - event.timestamp_ms).abs() < 60_000.0, "the current time");
    assert_eq!(event.correlation_id, None);
    assert_eq!(event.data, serde_json::json!({}));
    assert_eq!(event.metadata, serde_json::json!({}));
    assert_eq!(event.priority, 0);
}

#[test]
fn invalid_fixtures_are_refused_naming_the_key() {
    // file → (kind of error, what the message starts with)
    let expected = [
        ("invalid-array-top-level.json", ErrorKind::Type, "json"),
        ("invalid-data-type.json", ErrorKind::Type, "data"),
        ("invalid-event-type-whitespace.json", ErrorKind::Range, "event_type"),
        ("invalid-missing-event-type.json", ErrorKind::Type, "event_type"),
        ("invalid-missing-source.json", ErrorKind::Type, "source"),
        ("invalid-not-json.json", ErrorKind::Syntax, "json"),
        ("invalid-priority-range.json", ErrorKind::Range, "priority"),
        ("invalid-priority-type.json", ErrorKind::Type, "priority"),
        ("invalid-timestamp-negative.json", ErrorKind::Range, "timestamp"),
        ("invalid-too-deep.json", ErrorKind::Range, "data"),
    ];
    let invalid: Vec<_> = fixtures().into_iter().filter(|(n, _)| n.starts_with("invalid-")).collect();
    let names: Vec<&str> = invalid.iter().map(|(n, _)| n.as_str()).collect();
    let listed: Vec<&str> = expected.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(names, listed, "every invalid fixture has an expectation");
    for ((name, text), (_, kind, key)) in invalid.iter().zip(expected) {
        let err = Event::from_json(text).expect_err(name);
        assert_eq!(err.kind, kind, "{name}: {}", err.message);
        assert!(err.message.starts_with(&format!("{key} ")), "{name}: {}", err.message);
    }
}
