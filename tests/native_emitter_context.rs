//! What an emitter adds to every event: the default correlation id, merged
//! metadata, operation nesting, the enabled switch, and refused arguments.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use std::cell::RefCell;
use std::rc::Rc;

use codomyrmex_events::{
    default_bus, AlertLevel, AlertOptions, EmitOptions, EndOptions, ErrorKind, ErrorOptions, Event, EventBus,
    EventEmitter, MetricOptions, UpdateOptions,
};
use native_support::{keys, record};
use serde_json::{json, Value};

fn setup() -> (EventBus, EventEmitter, Rc<RefCell<Vec<Event>>>) {
    let bus = EventBus::new();
    let seen = record(&bus);
    let emitter = EventEmitter::new("svc", &bus).unwrap();
    (bus, emitter, seen)
}

fn correlation_ids(seen: &Rc<RefCell<Vec<Event>>>) -> Vec<Option<String>> {
    seen.borrow_mut().drain(..).map(|e| e.correlation_id.map(|c| c.to_string())).collect()
}

#[test]
fn per_call_correlation_id_over_the_default() {
    let (_bus, emitter, seen) = setup();
    assert_eq!(emitter.default_correlation_id(), None);
    emitter.emit("a", Value::Null, EmitOptions::new()).unwrap();
    emitter.set_correlation_context("ctx-1");
    assert_eq!(emitter.default_correlation_id().as_deref(), Some("ctx-1"));
    emitter.emit("a", Value::Null, EmitOptions::new()).unwrap();
    emitter.emit("a", Value::Null, EmitOptions::new().correlation_id("call-2")).unwrap();
    emitter.emit_error("E", "m", ErrorOptions::new()).unwrap();
    emitter.emit_metric("m", 1, MetricOptions::new()).unwrap();
    emitter.emit_alert("a", AlertLevel::Info, "m", AlertOptions::new());
    emitter.clear_correlation_context();
    emitter.emit("a", Value::Null, EmitOptions::new()).unwrap();
    let ctx = Some("ctx-1".to_string());
    assert_eq!(correlation_ids(&seen), [None, ctx.clone(), Some("call-2".into()), ctx.clone(), ctx.clone(), ctx, None]);
}

#[test]
fn per_call_metadata_is_merged_over_the_default() {
    let (_bus, emitter, seen) = setup();
    let mut defaults = json!({"service": "api", "region": "eu", "tier": "gold"});
    emitter.set_default_metadata(&defaults).unwrap();
    // Stored as a copy.
    defaults["service"] = json!("changed");
    assert_eq!(emitter.default_metadata(), json!({"service": "api", "region": "eu", "tier": "gold"}));

    emitter.emit("a", Value::Null, EmitOptions::new().metadata(json!({"region": "us", "trace": "t1"}))).unwrap();
    emitter.emit("a", Value::Null, EmitOptions::new()).unwrap();
    emitter.emit_error("E", "m", ErrorOptions::new()).unwrap();
    let id = emitter.start_operation("op", None).unwrap();
    emitter.end_operation(&id, "op", EndOptions::new()).unwrap();

    let events = seen.borrow();
    let merged = json!({"service": "api", "region": "us", "tier": "gold", "trace": "t1"});
    assert_eq!(events[0].metadata, merged);
    assert_eq!(keys(&events[0].metadata), ["service", "region", "tier", "trace"]);
    let plain = json!({"service": "api", "region": "eu", "tier": "gold"});
    assert_eq!((&events[1].metadata, &events[2].metadata), (&plain, &plain));
    assert_eq!(
        events[3].metadata,
        json!({"service": "api", "region": "eu", "tier": "gold", "operation_type": "start"})
    );
    assert_eq!(keys(&events[3].metadata), ["service", "region", "tier", "operation_type"]);
    assert_eq!(
        events[4].metadata,
        json!({"service": "api", "region": "eu", "tier": "gold", "operation_type": "end", "success": true})
    );

    let e = emitter.set_default_metadata(&json!(["no"])).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Type, "metadata must be an object (not an array), got an array")
    );
    assert_eq!(emitter.default_metadata(), plain);
}

#[test]
fn a_disabled_emitter_publishes_nothing_but_keeps_track_of_operations() {
    let (bus, emitter, seen) = setup();
    emitter.disable();
    assert!(!emitter.is_enabled());

    emitter.emit("a", json!({}), EmitOptions::new()).unwrap();
    emitter.emit_error("E", "m", ErrorOptions::new()).unwrap();
    emitter.emit_metric("m", 1, MetricOptions::new()).unwrap();
    emitter.emit_alert("a", AlertLevel::Critical, "m", AlertOptions::new());
    let outer = emitter.start_operation("outer", None).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(outer.clone()));
    let inner = emitter.start_operation("inner", None).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(inner.clone()));
    emitter.update_operation(&inner, "inner", UpdateOptions::new().progress(1.0)).unwrap();
    emitter.end_operation(&inner, "inner", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(outer.clone()));
    let ran = emitter.operation("ctx").unwrap().run(|ctx| {
        ctx.update(UpdateOptions::new())?;
        ctx.emit("inside", Value::Null, EmitOptions::new())?;
        Ok::<_, codomyrmex_events::Error>(ctx.correlation_id())
    });
    assert!(ran.unwrap().unwrap().is_some());
    assert_eq!(emitter.default_correlation_id(), Some(outer.clone()));
    emitter.end_operation(&outer, "outer", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), None);

    assert!(seen.borrow().is_empty());
    assert_eq!(bus.stats().events_published, 0);

    emitter.set_enabled(true);
    assert!(emitter.is_enabled());
    emitter.emit("a", json!({}), EmitOptions::new()).unwrap();
    assert_eq!(seen.borrow().len(), 1);
}

#[test]
fn nested_operations_restore_the_outer_id_and_name_their_parent() {
    let (_bus, emitter, seen) = setup();
    let outer = emitter.start_operation("outer", None).unwrap();
    let inner = emitter.start_operation("inner", None).unwrap();
    let innermost = emitter.start_operation("innermost", None).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(innermost.clone()));
    emitter.emit("work", Value::Null, EmitOptions::new()).unwrap();
    emitter.end_operation(&innermost, "innermost", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(inner.clone()));
    emitter.end_operation(&inner, "inner", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(outer.clone()));
    emitter.emit("work", Value::Null, EmitOptions::new()).unwrap();
    emitter.end_operation(&outer, "outer", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), None);

    let events = seen.borrow();
    assert_eq!(events[0].metadata, json!({"operation_type": "start"}));
    assert_eq!(events[1].metadata, json!({"operation_type": "start", "parent_correlation_id": &*outer}));
    assert_eq!(events[2].metadata, json!({"operation_type": "start", "parent_correlation_id": &*inner}));
    let ids: Vec<&str> = events.iter().map(|e| e.correlation_id.as_deref().unwrap()).collect();
    assert_eq!(ids, [&*outer, &*inner, &*innermost, &*innermost, &*innermost, &*inner, &*outer, &*outer]);
    assert_eq!(events.len(), 8);
    assert!(outer != inner && inner != innermost && outer != innermost);
}

#[test]
fn ending_an_outer_operation_first_keeps_the_inner_one_current() {
    let (_bus, emitter, _seen) = setup();
    let outer = emitter.start_operation("outer", None).unwrap();
    let inner = emitter.start_operation("inner", None).unwrap();
    emitter.end_operation(&outer, "outer", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(inner.clone()));
    emitter.end_operation(&inner, "inner", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), None);
}

#[test]
fn ending_an_unknown_id_leaves_the_default_unchanged() {
    let (_bus, emitter, seen) = setup();
    let id = emitter.start_operation("op", None).unwrap();
    emitter.end_operation("not-an-operation", "op", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(id.clone()));
    // Its end event is still published, under the id given.
    assert_eq!(seen.borrow()[1].correlation_id.as_deref(), Some("not-an-operation"));

    emitter.end_operation(&id, "op", EndOptions::new()).unwrap();
    emitter.set_correlation_context("ctx");
    emitter.end_operation(&id, "op", EndOptions::new()).unwrap();
    assert_eq!(emitter.default_correlation_id().as_deref(), Some("ctx"));
}

#[test]
fn refused_arguments_publish_nothing_and_leave_the_emitter_usable() {
    let (bus, emitter, seen) = setup();
    let refusal = |result: codomyrmex_events::Result<()>| {
        let e = result.unwrap_err();
        (e.kind, e.message)
    };
    let range = |m: &str| (ErrorKind::Range, m.to_string());
    let type_error = |m: &str| (ErrorKind::Type, m.to_string());

    assert_eq!(refusal(emitter.emit("", Value::Null, EmitOptions::new())), range("event_type must not be empty"));
    assert_eq!(
        refusal(emitter.emit("a b", Value::Null, EmitOptions::new())),
        range("event_type must not contain whitespace")
    );
    assert_eq!(
        refusal(emitter.emit(&"x".repeat(257), Value::Null, EmitOptions::new())),
        range("event_type must be at most 256 characters long")
    );
    assert_eq!(
        refusal(emitter.emit("a", json!([1]), EmitOptions::new())),
        type_error("data must be an object (not an array), got an array")
    );
    assert_eq!(
        refusal(emitter.emit("a", json!(3), EmitOptions::new())),
        type_error("data must be an object (not an array), got a number")
    );
    assert_eq!(
        refusal(emitter.emit("a", json!({}), EmitOptions::new().priority(3))),
        range("options.priority must be an integer from 0 to 2, got 3")
    );
    assert_eq!(
        refusal(emitter.emit("a", json!({}), EmitOptions::new().metadata(json!("m")))),
        type_error("options.metadata must be an object (not an array), got a string")
    );
    assert_eq!(refusal(emitter.start_operation("", None).map(drop)), range("operation_name must not be empty"));
    assert_eq!(
        refusal(emitter.start_operation("op", Some(json!(1))).map(drop)),
        type_error("operation_data must be an object (not an array), got a number")
    );
    assert_eq!(emitter.default_correlation_id(), None);
    assert_eq!(
        refusal(emitter.update_operation("c", "op", UpdateOptions::new().progress(f64::NAN))),
        range("options.progress must be a finite number, got NaN")
    );
    assert_eq!(
        refusal(emitter.update_operation("c", "op", UpdateOptions::new().data(json!([])))),
        type_error("options.data must be an object (not an array), got an array")
    );
    assert_eq!(
        refusal(emitter.update_operation("c", "", UpdateOptions::new())),
        range("operation_name must not be empty")
    );
    assert_eq!(refusal(emitter.end_operation("c", "", EndOptions::new())), range("operation_name must not be empty"));
    assert_eq!(refusal(emitter.operation("").map(drop)), range("operation_name must not be empty"));
    assert_eq!(refusal(EventEmitter::new("", &bus).map(drop)), range("source must not be empty"));

    assert!(seen.borrow().is_empty());
    assert_eq!(bus.stats().events_published, 0);
    emitter.emit("a", Value::Null, EmitOptions::new()).unwrap();
    assert_eq!(seen.borrow().len(), 1);
}

#[test]
fn handler_failures_never_reach_the_emitting_code() {
    native_support::capture_log();
    let (bus, emitter, _seen) = setup();
    bus.subscribe("*", |_| Err("handler failed".into())).unwrap();
    emitter.emit("a", Value::Null, EmitOptions::new()).unwrap();
    let id = emitter.start_operation("op", None).unwrap();
    emitter.end_operation(&id, "op", EndOptions::new()).unwrap();
    assert_eq!(bus.stats().events_failed, 3);
}

#[test]
fn an_emitter_without_a_bus_uses_the_threads_default_bus() {
    let emitter = EventEmitter::with_default_bus("svc").unwrap();
    assert!(emitter.bus().same(&default_bus()));
    assert_eq!(emitter.source(), "svc");
    let seen = record(&default_bus());
    emitter.emit("a", Value::Null, EmitOptions::new()).unwrap();
    assert_eq!(seen.borrow().len(), 1);
    default_bus().shutdown();
}
