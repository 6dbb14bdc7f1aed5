//! Every row of the payload table: event type, data (keys in order),
//! metadata and priority of each emitter method.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use std::cell::RefCell;
use std::rc::Rc;

use codomyrmex_events::{
    AlertLevel, AlertOptions, EmitOptions, EndOptions, ErrorKind, ErrorOptions, Event, EventBus, EventEmitter,
    MetricOptions, MetricType, UpdateOptions,
};
use native_support::{keys, record};
use serde_json::{json, Value};

fn setup() -> (EventEmitter, Rc<RefCell<Vec<Event>>>) {
    let bus = EventBus::new();
    let seen = record(&bus);
    (EventEmitter::new("svc", &bus).unwrap(), seen)
}

/// The only event recorded since the last call.
fn take(seen: &Rc<RefCell<Vec<Event>>>) -> Event {
    let mut events = seen.borrow_mut();
    assert_eq!(events.len(), 1, "expected exactly one event, got {events:?}");
    events.pop().unwrap()
}

fn assert_event(e: &Event, event_type: &str, data: Value, metadata: Value, priority: u8) {
    assert_eq!(&*e.event_type, event_type);
    assert_eq!(&*e.source, "svc");
    assert_eq!(e.data, data);
    assert_eq!(keys(&e.data), keys(&data), "data keys in order");
    assert_eq!(e.metadata, metadata);
    assert_eq!(keys(&e.metadata), keys(&metadata), "metadata keys in order");
    assert_eq!(e.priority, priority);
}

#[test]
fn emit_stamps_source_id_time_and_defaults() {
    let (emitter, seen) = setup();
    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as f64;
    emitter.emit("user.created", json!({"id": 7}), EmitOptions::new()).unwrap();
    let e = take(&seen);
    assert_event(&e, "user.created", json!({"id": 7}), json!({}), 0);
    assert_eq!(e.correlation_id, None);
    assert!(e.timestamp_ms >= before && e.timestamp_ms < before + 60_000.0, "{}", e.timestamp_ms);
    let id: Vec<char> = e.event_id.chars().collect();
    assert_eq!((id.len(), id[8], id[13], id[14], id[18], id[23]), (36, '-', '-', '4', '-', '-'));
    assert!(matches!(id[19], '8' | '9' | 'a' | 'b'));
    assert!(e.event_id.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));

    emitter.emit("user.created", Value::Null, EmitOptions::new().priority(2)).unwrap();
    let second = take(&seen);
    assert_event(&second, "user.created", json!({}), json!({}), 2);
    assert_ne!(second.event_id, e.event_id);
}

#[test]
fn start_operation() {
    let (emitter, seen) = setup();
    let id = emitter.start_operation("deploy", Some(json!({"env": "prod"}))).unwrap();
    let e = take(&seen);
    assert_event(
        &e,
        "custom",
        json!({"operation": "deploy", "phase": "start", "operation_data": {"env": "prod"}}),
        json!({"operation_type": "start"}),
        0,
    );
    assert_eq!(e.correlation_id, Some(id.clone()));
    assert_eq!((id.len(), id.as_bytes()[14]), (36, b'4'));

    emitter.start_operation("build", None).unwrap();
    assert_eq!(take(&seen).data, json!({"operation": "build", "phase": "start", "operation_data": {}}));
}

#[test]
fn update_operation() {
    let (emitter, seen) = setup();
    let options = UpdateOptions::new().progress(0.5).status("copying").data(json!({"files": 3, "phase": "mine"}));
    emitter.update_operation("op-1", "deploy", options).unwrap();
    let e = take(&seen);
    // `...data` is spread last: its keys replace the named ones in place.
    assert_event(
        &e,
        "custom",
        json!({"operation": "deploy", "phase": "mine", "correlation_id": "op-1", "progress": 0.5, "status": "copying", "files": 3}),
        json!({"operation_type": "progress"}),
        0,
    );
    assert_eq!(e.correlation_id.as_deref(), Some("op-1"));

    emitter.update_operation("op-1", "deploy", UpdateOptions::new()).unwrap();
    assert_event(
        &take(&seen),
        "custom",
        json!({"operation": "deploy", "phase": "progress", "correlation_id": "op-1"}),
        json!({"operation_type": "progress"}),
        0,
    );
}

#[test]
fn end_operation_success_and_failure() {
    let (emitter, seen) = setup();
    emitter.end_operation("op-1", "deploy", EndOptions::new().result(json!({"ok": true}))).unwrap();
    let e = take(&seen);
    assert_event(
        &e,
        "custom",
        json!({"operation": "deploy", "phase": "end", "success": true, "result": {"ok": true}}),
        json!({"operation_type": "end", "success": true}),
        0,
    );
    assert_eq!(e.correlation_id.as_deref(), Some("op-1"));

    emitter.end_operation("op-2", "deploy", EndOptions::failure("timeout")).unwrap();
    assert_event(
        &take(&seen),
        "custom",
        json!({"operation": "deploy", "phase": "end", "success": false, "error": "timeout"}),
        json!({"operation_type": "end", "success": false}),
        2,
    );

    emitter.end_operation("op-3", "deploy", EndOptions::new()).unwrap();
    assert_event(
        &take(&seen),
        "custom",
        json!({"operation": "deploy", "phase": "end", "success": true}),
        json!({"operation_type": "end", "success": true}),
        0,
    );

    // A null result is a result.
    let options = EndOptions::new().success(false).result(Value::Null).error("x");
    emitter.end_operation("op-4", "deploy", options).unwrap();
    assert_event(
        &take(&seen),
        "custom",
        json!({"operation": "deploy", "phase": "end", "success": false, "result": null, "error": "x"}),
        json!({"operation_type": "end", "success": false}),
        2,
    );
}

#[test]
fn emit_error() {
    let (emitter, seen) = setup();
    emitter.emit_error("ValueError", "bad input", ErrorOptions::new().context(json!({"field": "age"}))).unwrap();
    let e = take(&seen);
    assert_event(
        &e,
        "system.error",
        json!({"error_type": "ValueError", "error_message": "bad input", "context": {"field": "age"}}),
        json!({}),
        2,
    );
    assert_eq!(e.correlation_id, None);

    emitter.emit_error("E", "m", ErrorOptions::new().correlation_id("req-9")).unwrap();
    let e = take(&seen);
    assert_event(&e, "system.error", json!({"error_type": "E", "error_message": "m", "context": {}}), json!({}), 2);
    assert_eq!(e.correlation_id.as_deref(), Some("req-9"));

    let refused = emitter.emit_error("E", "m", ErrorOptions::new().context(json!("text"))).unwrap_err();
    assert_eq!(
        (refused.kind, refused.message.as_str()),
        (ErrorKind::Type, "options.context must be an object, got a string")
    );
    assert!(seen.borrow().is_empty());
}

#[test]
fn emit_metric() {
    let (emitter, seen) = setup();
    let options = MetricOptions::new().metric_type(MetricType::Histogram).labels(json!({"route": "/x"}));
    emitter.emit_metric("latency_ms", 12.5, options).unwrap();
    assert_event(
        &take(&seen),
        "metric.update",
        json!({"metric_name": "latency_ms", "metric_value": 12.5, "metric_type": "histogram", "labels": {"route": "/x"}}),
        json!({}),
        0,
    );

    emitter.emit_metric("up", true, MetricOptions::new()).unwrap();
    assert_event(
        &take(&seen),
        "metric.update",
        json!({"metric_name": "up", "metric_value": true, "metric_type": "gauge", "labels": {}}),
        json!({}),
        0,
    );
    emitter.emit_metric("version", "1.2", MetricOptions::new().metric_type(MetricType::Summary)).unwrap();
    assert_eq!(take(&seen).data["metric_type"], "summary");
    emitter.emit_metric("hits", 3, MetricOptions::new().metric_type(MetricType::Counter)).unwrap();
    let e = take(&seen);
    assert_eq!((&e.data["metric_value"], &e.data["metric_type"]), (&json!(3), &json!("counter")));

    let e = emitter.emit_metric("x", json!([1]), MetricOptions::new()).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Type, "value must be a number, a string or a boolean, got an array")
    );
    let e = emitter.emit_metric("x", 1, MetricOptions::new().labels(json!({"a": "1", "code": 500}))).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Type, "options.labels.code must be a string, got a number"));
    assert!(seen.borrow().is_empty());
}

#[test]
fn emit_alert_with_priority_by_level() {
    let (emitter, seen) = setup();
    let options = AlertOptions::new().threshold(json!(90)).current_value(json!(97.5));
    emitter.emit_alert("cpu", AlertLevel::Warning, "high load", options);
    assert_event(
        &take(&seen),
        "alert.triggered",
        json!({"alert_name": "cpu", "alert_level": "warning", "message": "high load", "threshold": 90, "current_value": 97.5}),
        json!({}),
        1,
    );

    for (level, name, priority) in [
        (AlertLevel::Info, "info", 0),
        (AlertLevel::Warning, "warning", 1),
        (AlertLevel::Error, "error", 2),
        (AlertLevel::Critical, "critical", 2),
    ] {
        emitter.emit_alert("disk", level, "m", AlertOptions::new());
        assert_event(
            &take(&seen),
            "alert.triggered",
            json!({"alert_name": "disk", "alert_level": name, "message": "m", "threshold": null, "current_value": null}),
            json!({}),
            priority,
        );
    }
}
