//! An operation context starts its operation once and ends it once, with
//! its duration in seconds and success or failure.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use codomyrmex_events::{EmitOptions, ErrorKind, Event, EventBus, EventEmitter, UpdateOptions};
use native_support::record;
use serde_json::{json, Value};

fn setup() -> (EventEmitter, Rc<RefCell<Vec<Event>>>) {
    let bus = EventBus::new();
    let seen = record(&bus);
    (EventEmitter::new("svc", &bus).unwrap(), seen)
}

fn phases(seen: &Rc<RefCell<Vec<Event>>>) -> Vec<String> {
    seen.borrow().iter().map(|e| e.data["phase"].as_str().unwrap_or("-").to_string()).collect()
}

#[test]
fn enter_then_exit_publishes_start_and_end_with_the_same_id() {
    let (emitter, seen) = setup();
    let op = emitter.operation_with("import", json!({"file": "a.csv"})).unwrap();
    assert_eq!((op.name(), op.correlation_id()), ("import", None));
    op.enter().unwrap();
    let id = op.correlation_id().unwrap();
    assert_eq!(emitter.default_correlation_id(), Some(id.clone()));
    op.exit(None).unwrap();
    assert_eq!(emitter.default_correlation_id(), None);

    let events = seen.borrow();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].data, json!({"operation": "import", "phase": "start", "operation_data": {"file": "a.csv"}}));
    let end = &events[1];
    assert_eq!((end.correlation_id.clone(), end.priority), (Some(id), 0));
    assert_eq!(end.data["success"], true);
    assert_eq!(native_support::keys(&end.data), ["operation", "phase", "success", "result"]);
    assert_eq!(native_support::keys(&end.data["result"]), ["duration"]);
    assert_eq!(end.metadata, json!({"operation_type": "end", "success": true}));
}

#[test]
fn duration_is_in_seconds_and_never_negative() {
    let (emitter, seen) = setup();
    let op = emitter.operation("wait").unwrap();
    op.enter().unwrap();
    std::thread::sleep(Duration::from_millis(30));
    op.exit(None).unwrap();
    let duration = seen.borrow()[1].data["result"]["duration"].as_f64().unwrap();
    assert!((0.03..5.0).contains(&duration), "duration {duration}");

    let quick = emitter.operation("quick").unwrap();
    quick.enter().unwrap();
    quick.exit(None).unwrap();
    let duration = seen.borrow()[3].data["result"]["duration"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&duration), "duration {duration}");
}

#[test]
fn exit_with_an_error_ends_as_a_failure() {
    let (emitter, seen) = setup();
    let op = emitter.operation("upload").unwrap();
    op.enter().unwrap();
    op.exit(Some("disk full")).unwrap();
    let events = seen.borrow();
    let end = &events[1];
    assert_eq!(end.priority, 2);
    assert_eq!((&end.data["success"], &end.data["error"]), (&json!(false), &json!("disk full")));
    assert_eq!(native_support::keys(&end.data), ["operation", "phase", "success", "result", "error"]);
    assert!(end.data["result"]["duration"].as_f64().unwrap() >= 0.0);
    assert_eq!(end.metadata, json!({"operation_type": "end", "success": false}));
}

#[test]
fn a_second_enter_is_a_state_error() {
    let (emitter, seen) = setup();
    let op = emitter.operation("job").unwrap();
    op.enter().unwrap();
    let e = op.enter().unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::State, "operation \"job\" was already entered"));
    op.exit(None).unwrap();
    let e = op.enter().unwrap_err();
    assert_eq!(e.kind, ErrorKind::State);
    assert_eq!(phases(&seen), ["start", "end"]);
}

#[test]
fn exit_before_enter_is_a_state_error() {
    let (emitter, seen) = setup();
    let op = emitter.operation("job").unwrap();
    let e = op.exit(None).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::State, "operation \"job\" was exited before it was entered"));
    let e = op.update(UpdateOptions::new()).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::State, "operation \"job\" has not been entered"));
    let e = op.emit("x", Value::Null, EmitOptions::new()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::State);
    assert!(seen.borrow().is_empty());
    // Still usable afterwards.
    op.enter().unwrap();
    op.exit(None).unwrap();
    assert_eq!(phases(&seen), ["start", "end"]);
}

#[test]
fn a_second_exit_is_ignored() {
    let (emitter, seen) = setup();
    let op = emitter.operation("job").unwrap();
    op.enter().unwrap();
    op.exit(Some("first")).unwrap();
    op.exit(None).unwrap();
    op.exit(Some("third")).unwrap();
    assert_eq!(phases(&seen), ["start", "end"]);
    assert_eq!(seen.borrow()[1].data["error"], "first");
}

#[test]
fn update_and_emit_carry_the_operations_id() {
    let (emitter, seen) = setup();
    let op = emitter.operation("sync").unwrap();
    op.enter().unwrap().update(UpdateOptions::new().progress(25.0).status("half")).unwrap();
    let id = op.correlation_id().unwrap();
    emitter.set_correlation_context("elsewhere");
    op.emit("sync.item", json!({"n": 1}), EmitOptions::new()).unwrap();
    op.emit("sync.item", json!({"n": 2}), EmitOptions::new().correlation_id("explicit")).unwrap();
    op.exit(None).unwrap();

    let events = seen.borrow();
    assert_eq!(
        events[1].data,
        json!({"operation": "sync", "phase": "progress", "correlation_id": &*id, "progress": 25.0, "status": "half"})
    );
    let ids: Vec<Option<&str>> = events.iter().map(|e| e.correlation_id.as_deref()).collect();
    assert_eq!(ids, [Some(&*id), Some(&*id), Some(&*id), Some("explicit"), Some(&*id)]);
}

#[test]
fn run_ends_with_success_and_returns_the_closures_value() {
    let (emitter, seen) = setup();
    let op = emitter.operation("sum").unwrap();
    let result = op.run(|ctx| -> Result<u32, String> {
        assert_eq!(emitter.default_correlation_id(), ctx.correlation_id());
        Ok(42)
    });
    assert_eq!(result, Ok(Ok(42)));
    assert_eq!(phases(&seen), ["start", "end"]);
    assert_eq!(seen.borrow()[1].data["success"], true);
    assert_eq!(emitter.default_correlation_id(), None);
}

#[test]
fn run_ends_with_failure_and_returns_the_closures_error() {
    let (emitter, seen) = setup();
    let op = emitter.operation("write").unwrap();
    let result = op.run(|_| -> Result<(), std::io::Error> { Err(std::io::Error::other("no space left")) });
    let error = result.unwrap().unwrap_err();
    assert_eq!(error.to_string(), "no space left");
    let end = seen.borrow()[1].clone();
    assert_eq!((end.priority, &end.data["success"], &end.data["error"]), (2, &json!(false), &json!("no space left")));
}

#[test]
fn run_on_an_entered_context_is_refused_without_calling_the_closure() {
    let (emitter, seen) = setup();
    let op = emitter.operation("job").unwrap();
    op.enter().unwrap();
    let result = op.run(|_| -> Result<(), String> { panic!("must not run") });
    assert_eq!(result.unwrap_err().kind, ErrorKind::State);
    op.exit(None).unwrap();
    assert_eq!(phases(&seen), ["start", "end"]);
}

#[test]
fn dropping_an_entered_context_ends_it_as_a_failure() {
    let (emitter, seen) = setup();
    let outer = emitter.start_operation("outer", None).unwrap();
    {
        let op = emitter.operation("early-return").unwrap();
        op.enter().unwrap();
    }
    assert_eq!(emitter.default_correlation_id(), Some(outer));
    let end = seen.borrow()[2].clone();
    assert_eq!(
        (&end.data["phase"], &end.data["error"], end.priority),
        (&json!("end"), &json!("operation dropped before exit"), 2)
    );

    // Not entered, or already exited: dropping publishes nothing.
    drop(emitter.operation("never").unwrap());
    let done = emitter.operation("done").unwrap();
    done.enter().unwrap();
    done.exit(None).unwrap();
    drop(done);
    assert_eq!(phases(&seen), ["start", "start", "end", "start", "end"]);
}
