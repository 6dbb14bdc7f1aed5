//! Handlers may publish, subscribe and unsubscribe on the bus that is
//! calling them, to any depth; the bus holds no borrow while a handler runs.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use codomyrmex_events::{create_event, Event, EventBus, EventEmitter, EventOptions, SubscribeOptions};
use native_support::calls;
use serde_json::json;

fn publish(bus: &EventBus, event_type: &str, level: u64) {
    bus.publish(&create_event(event_type, "test", EventOptions::new().data(json!({ "level": level }))).unwrap())
        .unwrap();
}

#[test]
fn a_handler_publishes_subscribes_and_unsubscribes_100_levels_deep() {
    let bus = EventBus::new();
    let deepest = Rc::new(Cell::new(0));
    let handle = bus.clone();
    let seen = deepest.clone();
    bus.subscribe_with(
        "nest",
        move |e| {
            let level = e.data["level"].as_u64().unwrap();
            seen.set(seen.get().max(level));
            handle
                .subscribe_with("never", |_| Ok(()), SubscribeOptions::new().subscriber_id(format!("tmp_{level}")))
                .map_err(|e| e.to_string())?;
            if level > 1 && !handle.unsubscribe(&format!("tmp_{}", level - 1)) {
                return Err(format!("tmp_{} was not subscribed", level - 1));
            }
            if level < 100 {
                publish(&handle, "nest", level + 1);
            }
            Ok(())
        },
        SubscribeOptions::new().subscriber_id("nest"),
    )
    .unwrap();

    publish(&bus, "nest", 1);
    assert_eq!(deepest.get(), 100);
    let stats = bus.stats();
    assert_eq!((stats.events_published, stats.events_processed, stats.events_failed), (100, 100, 0));
    let ids: Vec<String> = stats.subscribers.into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids, ["nest", "tmp_100"]);
}

#[test]
fn a_subscription_made_during_dispatch_gets_later_events_only() {
    let bus = EventBus::new();
    let order = calls();
    let (handle, sink) = (bus.clone(), order.clone());
    bus.subscribe_with(
        "x",
        move |e| {
            sink.borrow_mut().push(format!("first {}", e.data["level"]));
            let late = sink.clone();
            // Higher priority than the running handler, and replaced on each event.
            handle
                .subscribe_with(
                    "x",
                    move |e| {
                        late.borrow_mut().push(format!("late {}", e.data["level"]));
                        Ok(())
                    },
                    SubscribeOptions::new().subscriber_id("late").priority(100),
                )
                .map_err(|e| e.to_string())?;
            Ok(())
        },
        SubscribeOptions::new().subscriber_id("first"),
    )
    .unwrap();

    publish(&bus, "x", 1);
    assert_eq!(*order.borrow(), ["first 1"]);
    publish(&bus, "x", 2);
    // The subscription made during event 1 ran first (priority 100); the
    // replacement made during event 2 does not receive event 2 again.
    assert_eq!(*order.borrow(), ["first 1", "late 2", "first 2"]);
}

#[test]
fn a_subscription_removed_during_dispatch_is_not_called_for_the_rest_of_it() {
    let bus = EventBus::new();
    let order = calls();
    let (handle, sink) = (bus.clone(), order.clone());
    bus.subscribe_with(
        "x",
        move |_| {
            sink.borrow_mut().push("remover".into());
            handle.unsubscribe("victim");
            Ok(())
        },
        SubscribeOptions::new().priority(1),
    )
    .unwrap();
    let sink = order.clone();
    bus.subscribe_with(
        "x",
        move |_| {
            sink.borrow_mut().push("victim".into());
            Ok(())
        },
        SubscribeOptions::new().subscriber_id("victim"),
    )
    .unwrap();

    publish(&bus, "x", 1);
    assert_eq!(*order.borrow(), ["remover"]);
    assert_eq!(bus.stats().events_processed, 1);
}

#[test]
fn a_subscription_replaced_during_dispatch_is_not_called_for_the_rest_of_it() {
    let bus = EventBus::new();
    let order = calls();
    let (handle, sink) = (bus.clone(), order.clone());
    bus.subscribe_with(
        "x",
        move |e| {
            sink.borrow_mut().push("replacer".into());
            if e.data["level"] != 1 {
                return Ok(());
            }
            let new = sink.clone();
            handle
                .subscribe_with(
                    "x",
                    move |_| {
                        new.borrow_mut().push("new".into());
                        Ok(())
                    },
                    SubscribeOptions::new().subscriber_id("target"),
                )
                .map_err(|e| e.to_string())?;
            Ok(())
        },
        SubscribeOptions::new().priority(1),
    )
    .unwrap();
    let sink = order.clone();
    bus.subscribe_with(
        "x",
        move |_| {
            sink.borrow_mut().push("old".into());
            Ok(())
        },
        SubscribeOptions::new().subscriber_id("target"),
    )
    .unwrap();

    publish(&bus, "x", 1);
    assert_eq!(*order.borrow(), ["replacer"]);
    publish(&bus, "x", 2);
    assert_eq!(*order.borrow(), ["replacer", "replacer", "new"]);
}

#[test]
fn shutdown_during_dispatch_stops_the_remaining_handlers() {
    let bus = EventBus::new();
    let order = calls();
    let (handle, sink) = (bus.clone(), order.clone());
    bus.subscribe_with(
        "x",
        move |_| {
            sink.borrow_mut().push("stopper".into());
            handle.shutdown();
            Ok(())
        },
        SubscribeOptions::new().priority(1),
    )
    .unwrap();
    let sink = order.clone();
    bus.subscribe("x", move |_| {
        sink.borrow_mut().push("later".into());
        Ok(())
    })
    .unwrap();
    publish(&bus, "x", 1);
    assert_eq!(*order.borrow(), ["stopper"]);
}

#[test]
fn a_panicking_handler_leaves_the_bus_usable() {
    let bus = EventBus::new();
    bus.subscribe_with("boom", |_| panic!("handler panicked"), SubscribeOptions::new().subscriber_id("bomb")).unwrap();
    let unwound = catch_unwind(AssertUnwindSafe(|| publish(&bus, "boom", 1)));
    assert!(unwound.is_err());

    // No borrow was left behind: every operation still works.
    assert!(bus.unsubscribe("bomb"));
    let seen = native_support::record(&bus);
    publish(&bus, "boom", 2);
    assert_eq!(seen.borrow().len(), 1);
    assert_eq!(bus.stats().events_published, 2);
}

#[test]
fn runaway_recursion_stops_at_the_dispatch_depth_limit() {
    use codomyrmex_events::core::bus::MAX_DISPATCH_DEPTH;
    let bus = EventBus::new();
    let emitter = EventEmitter::new("loop", &bus).unwrap();
    let inner = emitter.clone();
    let calls = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let seen = calls.clone();
    bus.subscribe("loop", move |_e: &Event| {
        seen.set(seen.get() + 1);
        inner.emit("loop", serde_json::json!({}), Default::default()).map_err(|e| e.to_string())
    })
    .unwrap();
    emitter.emit("loop", serde_json::json!({}), Default::default()).unwrap();
    assert_eq!(calls.get(), MAX_DISPATCH_DEPTH);
    let stats = bus.stats();
    assert_eq!(stats.events_failed, 1, "the one level past the limit is refused");
    assert_eq!(stats.dead_letter_count, 1);
    // The bus is fine afterwards.
    emitter.emit("other", serde_json::json!({}), Default::default()).unwrap();
    assert_eq!(bus.stats().events_published, u64::from(MAX_DISPATCH_DEPTH) + 2);
}
