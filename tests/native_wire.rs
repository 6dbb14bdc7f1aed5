//! Events cross the Codomyrmex wire format through the native API: written
//! as Python writes them, read back unchanged, malformed input refused.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use std::fs;
use std::path::Path;

use codomyrmex_events::{create_event, EmitOptions, ErrorKind, Event, EventBus, EventEmitter, EventOptions};
use native_support::record;
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire").join(name)).unwrap()
}

#[test]
fn an_event_is_written_in_pythons_layout_and_read_back_equal() {
    let event = create_event(
        "user.created",
        "café-service",
        EventOptions::new()
            .data(json!({"name": "Zoë 😀", "tags": ["a", "b"], "score": 0.5, "n": 3, "none": null}))
            .metadata(json!({"trace": {"span": "s1"}}))
            .correlation_id("req-1")
            .event_id("5b1e0c8a-3f0e-4a57-9d1c-2f8b6a0e4c11")
            .timestamp_ms(1_700_000_000_123.456)
            .priority(2),
    )
    .unwrap();
    let json = event.to_json().unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"event_type": "user.created", "source": "caf\u00e9-service", "#,
            r#""event_id": "5b1e0c8a-3f0e-4a57-9d1c-2f8b6a0e4c11", "timestamp": 1700000000.123456, "#,
            r#""correlation_id": "req-1", "#,
            r#""data": {"name": "Zo\u00eb \ud83d\ude00", "tags": ["a", "b"], "score": 0.5, "n": 3, "none": null}, "#,
            r#""metadata": {"trace": {"span": "s1"}}, "priority": 2}"#
        )
    );
    assert_eq!(Event::from_json(&json).unwrap(), event);
}

#[test]
fn emitted_events_round_trip_exactly() {
    let bus = EventBus::new();
    let seen = record(&bus);
    let emitter = EventEmitter::new("svc", &bus).unwrap();
    emitter.set_correlation_context("ctx");
    let id = emitter.start_operation("op", Some(json!({"k": [1, 2.5, "x"]}))).unwrap();
    emitter.emit("data.processing.end", json!({"rows": 10}), EmitOptions::new().priority(1)).unwrap();
    emitter.end_operation(&id, "op", codomyrmex_events::EndOptions::failure("bad")).unwrap();
    for event in seen.borrow().iter() {
        let back = Event::from_json(&event.to_json().unwrap()).unwrap();
        assert_eq!(&back, event);
    }
    assert_eq!(seen.borrow().len(), 3);
}

#[test]
fn python_fixtures_read_and_write_back_byte_for_byte() {
    for name in ["plain.json", "unicode.json", "correlated.json", "nested.json", "critical.json", "proto-keys.json"] {
        let text = fixture(name);
        let event = Event::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(event.to_json().unwrap(), text, "{name}");
    }
    let plain = Event::from_json(&fixture("plain.json")).unwrap();
    assert_eq!(
        (
            &*plain.event_type,
            &*plain.source,
            &*plain.event_id,
            plain.timestamp_ms,
            plain.correlation_id.clone(),
            plain.priority
        ),
        ("system.startup", "kernel", "0b9f1d52-5c1e-4a8e-9a4e-3f1c2d3e4f50", 1_700_000_000_000.0, None, 0)
    );
    assert_eq!(plain.data, json!({"version": "1.2.3", "pid": 4242}));
}

#[test]
fn missing_optional_keys_get_fresh_values() {
    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as f64;
    let event = Event::from_json(r#"{"event_type": "custom", "source": "s"}"#).unwrap();
    assert_eq!((event.data.clone(), event.metadata.clone(), event.priority), (json!({}), json!({}), 0));
    assert_eq!((event.event_id.len(), event.event_id.as_bytes()[14]), (36, b'4'));
    assert!(event.timestamp_ms >= before && event.timestamp_ms < before + 60_000.0);
    let again = Event::from_json(r#"{"event_type": "custom", "source": "s", "data": {}}"#).unwrap();
    assert_ne!(again.event_id, event.event_id);
}

#[test]
fn malformed_input_is_refused_naming_the_key() {
    let refused = |text: &str| {
        let e = Event::from_json(text).unwrap_err();
        (e.kind, e.message)
    };
    let (kind, message) = refused(r#"{"event_type": "x""#);
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(message.starts_with("json is not valid JSON"), "{message}");
    assert_eq!(refused("[1]"), (ErrorKind::Type, "json must hold an object, not an array".into()));
    assert_eq!(refused(r#"{"event_type": "x"}"#), (ErrorKind::Type, "source is missing: it must be a string".into()));
    assert_eq!(
        refused(r#"{"event_type": "x", "source": "s", "priority": 5}"#),
        (ErrorKind::Range, "priority must be an integer from 0 to 2, got 5".into())
    );
    assert_eq!(
        refused(r#"{"event_type": "x", "source": "s", "metadata": null}"#),
        (ErrorKind::Type, "metadata must be an object, not null".into())
    );
    assert_eq!(refused(r#"{"event_type": "x", "source": ""}"#), (ErrorKind::Range, "source must not be empty".into()));
    assert_eq!(
        refused(r#"{"event_type": "x", "source": "s", "data": [1]}"#),
        (ErrorKind::Type, "data must be an object, not an array".into())
    );
    assert_eq!(
        refused(r#"{"event_type": "a b", "source": "s"}"#),
        (ErrorKind::Range, "event_type must not contain whitespace".into())
    );
}

/// `{"d": {"d": ... {}}}`: `levels` nested objects.
fn nested(levels: usize) -> Value {
    (1..levels).fold(json!({}), |inner, _| json!({ "d": inner }))
}

#[test]
fn to_json_writes_only_what_from_json_reads_back() {
    let deepest = create_event("x", "s", EventOptions::new().data(nested(63))).unwrap();
    let json = deepest.to_json().unwrap();
    assert_eq!(Event::from_json(&json).unwrap(), deepest);

    let too_deep = Event { data: nested(64), ..deepest.clone() };
    let e = too_deep.to_json().unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            ErrorKind::Range,
            "event.data is nested too deeply: at most 64 levels of arrays and objects, the event object included"
        )
    );
    let e = Event { priority: 3, ..deepest.clone() }.to_json().unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Range, "event.priority must be an integer from 0 to 2, got 3")
    );
    let e = Event { metadata: json!("m"), ..deepest.clone() }.to_json().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Type);
    let e = Event { event_type: "".into(), ..deepest }.to_json().unwrap_err();
    assert_eq!(e.message, "event.event_type must not be empty");
}

#[test]
fn create_event_checks_its_options() {
    let refused = |options: EventOptions| {
        let e = create_event("x", "s", options).unwrap_err();
        (e.kind, e.message)
    };
    assert_eq!(
        refused(EventOptions::new().event_id("")),
        (ErrorKind::Range, "options.event_id must not be empty".into())
    );
    assert_eq!(
        refused(EventOptions::new().timestamp_ms(-1.0)),
        (ErrorKind::Range, "options.timestamp_ms must be a number of milliseconds from 0 to 253402300799999 (the end of year 9999), got -1".into())
    );
    assert_eq!(
        refused(EventOptions::new().data(json!([]))),
        (ErrorKind::Type, "options.data must be an object (not an array), got an array".into())
    );
    assert_eq!(
        refused(EventOptions::new().metadata(json!(true))),
        (ErrorKind::Type, "options.metadata must be an object (not an array), got a boolean".into())
    );
    let e = create_event("", "s", EventOptions::new()).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "event_type must not be empty"));
    let e = create_event("x", "", EventOptions::new()).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "source must not be empty"));

    let event = create_event("x", "s", EventOptions::new().metadata(Value::Null)).unwrap();
    assert_eq!((event.metadata, event.correlation_id, event.priority), (json!({}), None, 0));
}
