//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use codomyrmex_events::{set_logger, Event, EventBus};
use serde_json::Value;

/// Every event `bus` delivers from now on (pattern `*`), in order.
pub fn record(bus: &EventBus) -> Rc<RefCell<Vec<Event>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    bus.subscribe("*", move |event| {
        sink.borrow_mut().push(event.clone());
        Ok(())
    })
    .expect("subscribe *");
    seen
}

/// The keys of an object, in order.
pub fn keys(value: &Value) -> Vec<&str> {
    value.as_object().expect("an object").keys().map(String::as_str).collect()
}

/// Collects what the logger reports on this thread, as `message: failure`.
pub fn capture_log() -> Rc<RefCell<Vec<String>>> {
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = lines.clone();
    set_logger(Some(Box::new(move |message: &str, failure: &str| {
        sink.borrow_mut().push(format!("{message}: {failure}"));
    })));
    lines
}

/// A call log shared between handlers.
pub fn calls() -> Rc<RefCell<Vec<String>>> {
    Rc::new(RefCell::new(Vec::new()))
}
