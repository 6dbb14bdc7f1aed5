//! What `Event::from_json` accepts and refuses, key by key: the wire rules of
//! the core, read through the native serde_json reader.

#![cfg(not(target_arch = "wasm32"))]

use codomyrmex_events::core::wire::{MAX_WIRE_BYTES, MAX_WIRE_DEPTH};
use codomyrmex_events::{Error, ErrorKind, Event};
use serde_json::json;

fn refusal(text: &str) -> Error {
    Event::from_json(text).unwrap_err()
}

fn with(extra: &str) -> String {
    format!(r#"{{"event_type": "a", "source": "b"{extra}}}"#)
}

#[test]
fn reads_every_key_and_ignores_unknown_ones() {
    let event = Event::from_json(
        r#"{"event_type": "user.login", "source": "auth", "event_id": "id-1",
            "timestamp": 1700000000.5, "correlation_id": "corr", "data": {"user": "é"},
            "metadata": {"m": [1]}, "priority": 1, "extra": "ignored"}"#,
    )
    .unwrap();
    assert_eq!((&*event.event_type, &*event.source, &*event.event_id), ("user.login", "auth", "id-1"));
    assert_eq!(event.timestamp_ms, 1_700_000_000_500.0);
    assert_eq!(event.correlation_id.as_deref(), Some("corr"));
    assert_eq!((event.data, event.metadata, event.priority), (json!({"user": "é"}), json!({"m": [1]}), 1));
}

#[test]
fn null_correlation_is_none_but_null_data_or_metadata_is_refused() {
    assert_eq!(Event::from_json(&with(r#", "correlation_id": null"#)).unwrap().correlation_id, None);
    for key in ["data", "metadata"] {
        let err = refusal(&with(&format!(r#", "{key}": null"#)));
        assert_eq!(err.kind, ErrorKind::Type);
        assert!(err.message.starts_with(key), "{}", err.message);
    }
}

#[test]
fn timestamps_become_milliseconds_to_the_microsecond() {
    let ms = |ts: &str| Event::from_json(&with(&format!(r#", "timestamp": {ts}"#))).unwrap().timestamp_ms;
    assert_eq!(ms("1700000000.123"), 1_700_000_000_123.0);
    assert_eq!(ms("1700000000.1234567"), 1_700_000_000_123.457);
    assert_eq!(ms("1700000000"), 1_700_000_000_000.0);
    assert_eq!(ms("0"), 0.0);
}

#[test]
fn priority_accepts_integral_floats_only_in_range() {
    let priority = |p: &str| Event::from_json(&with(&format!(r#", "priority": {p}"#)));
    assert_eq!(priority("2").unwrap().priority, 2);
    assert_eq!(priority("1.0").unwrap().priority, 1);
    for p in ["1.5", "-1", "3", "1e300"] {
        let err = priority(p).unwrap_err();
        assert_eq!((err.kind, err.message.starts_with("priority")), (ErrorKind::Range, true), "{p}");
    }
    for p in [r#""1""#, "true", "null", "[1]"] {
        let err = priority(p).unwrap_err();
        assert_eq!((err.kind, err.message.starts_with("priority")), (ErrorKind::Type, true), "{p}");
    }
}

#[test]
fn refusals_name_the_key() {
    let cases = [
        (r#"{"source": "b"}"#, ErrorKind::Type, "event_type"),
        (r#"{"event_type": 1, "source": "b"}"#, ErrorKind::Type, "event_type"),
        (r#"{"event_type": "", "source": "b"}"#, ErrorKind::Range, "event_type"),
        (r#"{"event_type": "a b", "source": "b"}"#, ErrorKind::Range, "event_type"),
        (r#"{"event_type": "a"}"#, ErrorKind::Type, "source"),
        (r#"{"event_type": "a", "source": ""}"#, ErrorKind::Range, "source"),
        (r#"{"event_type": "a", "source": null}"#, ErrorKind::Type, "source"),
        (r#"{"event_type": "a", "source": "b", "event_id": 7}"#, ErrorKind::Type, "event_id"),
        (r#"{"event_type": "a", "source": "b", "timestamp": "now"}"#, ErrorKind::Type, "timestamp"),
        (r#"{"event_type": "a", "source": "b", "timestamp": -1}"#, ErrorKind::Range, "timestamp"),
        (r#"{"event_type": "a", "source": "b", "timestamp": 1e308}"#, ErrorKind::Range, "timestamp"),
        (r#"{"event_type": "a", "source": "b", "correlation_id": 1}"#, ErrorKind::Type, "correlation_id"),
        (r#"{"event_type": "a", "source": "b", "data": []}"#, ErrorKind::Type, "data"),
        (r#"{"event_type": "a", "source": "b", "metadata": "m"}"#, ErrorKind::Type, "metadata"),
        (r#"[]"#, ErrorKind::Type, "json"),
        (r#""event""#, ErrorKind::Type, "json"),
    ];
    for (text, kind, key) in cases {
        let err = refusal(text);
        assert_eq!(err.kind, kind, "{text}: {}", err.message);
        assert!(err.message.starts_with(key), "{text}: {}", err.message);
    }
    let long = format!(r#"{{"event_type": "{}", "source": "b"}}"#, "a".repeat(257));
    assert_eq!(refusal(&long).kind, ErrorKind::Range);
}

#[test]
fn text_that_is_not_json_is_a_syntax_error() {
    for text in ["", "{", r#"{"event_type": "a",}"#, "NaN", "{\"a\": NaN}"] {
        let err = refusal(text);
        assert_eq!(err.kind, ErrorKind::Syntax, "{text}");
        assert!(err.message.starts_with("json") && err.message.contains("line 1 column"), "{}", err.message);
    }
}

#[test]
fn size_and_depth_are_limited_before_parsing() {
    let data = |inner: &str| with(&format!(r#", "data": {{"k": {inner}}}"#));
    let err = refusal(&data(&format!("\"{}\"", "x".repeat(MAX_WIRE_BYTES))));
    assert_eq!((err.kind, err.message.starts_with("json")), (ErrorKind::Range, true));
    let fits = data(&format!("\"{}\"", "x".repeat(MAX_WIRE_BYTES - data("\"\"").len())));
    assert_eq!(fits.len(), MAX_WIRE_BYTES);
    assert!(Event::from_json(&fits).is_ok());

    let nested = |n: usize| data(&format!("{}{}", "[".repeat(n), "]".repeat(n)));
    assert!(Event::from_json(&nested(MAX_WIRE_DEPTH - 2)).is_ok());
    let err = refusal(&nested(MAX_WIRE_DEPTH - 1));
    assert_eq!((err.kind, err.message.starts_with("data ")), (ErrorKind::Range, true), "{}", err.message);
    assert_eq!(refusal(&"[".repeat(100_000)).kind, ErrorKind::Range);
}

#[test]
fn prototype_keys_are_ordinary_data_and_last_duplicate_wins() {
    let text = r#"{"event_type": "a", "source": "b", "event_id": "i", "timestamp": 1.0, "correlation_id": null, "data": {"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}, "metadata": {"__proto__": null, "constructor": "c"}, "priority": 0}"#;
    let event = Event::from_json(text).unwrap();
    assert_eq!(event.data["__proto__"], json!({"polluted": true}));
    assert_eq!(event.metadata["constructor"], "c");
    assert_eq!(event.to_json().unwrap(), text);
    assert_eq!(&*Event::from_json(r#"{"event_type": "a", "source": "b", "source": "c"}"#).unwrap().source, "c");
}
