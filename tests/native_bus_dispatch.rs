//! Dispatch order, filters, subscriber ids and unsubscribing.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use codomyrmex_events::{create_event, ErrorKind, EventBus, EventOptions, SubscribeOptions};
use native_support::calls;
use serde_json::json;

fn publish(bus: &EventBus, event_type: &str, data: serde_json::Value) {
    bus.publish(&create_event(event_type, "test", EventOptions::new().data(data)).unwrap()).unwrap();
}

#[test]
fn higher_priority_first_and_subscription_order_among_equals() {
    let bus = EventBus::new();
    let order = calls();
    for (name, priority) in [("a", 0), ("b", 10), ("c", 5), ("d", 10), ("e", -1), ("f", 0), ("g", 5)] {
        let sink = order.clone();
        bus.subscribe_with(
            "job.*",
            move |_| {
                sink.borrow_mut().push(name.to_string());
                Ok(())
            },
            SubscribeOptions::new().subscriber_id(name).priority(priority),
        )
        .unwrap();
    }
    publish(&bus, "job.done", json!({}));
    assert_eq!(*order.borrow(), ["b", "d", "c", "g", "a", "f", "e"]);

    let listed: Vec<(String, i64)> = bus.stats().subscribers.into_iter().map(|(id, _, p)| (id, p)).collect();
    let expected = [("b", 10), ("d", 10), ("c", 5), ("g", 5), ("a", 0), ("f", 0), ("e", -1)];
    assert_eq!(listed, expected.map(|(id, p)| (id.to_string(), p)));
}

#[test]
fn a_failing_handler_does_not_stop_the_others() {
    native_support::capture_log();
    let bus = EventBus::new();
    let order = calls();
    for (name, fails) in [("first", false), ("broken", true), ("last", false)] {
        let sink = order.clone();
        bus.subscribe_with(
            "*",
            move |_| {
                sink.borrow_mut().push(name.to_string());
                if fails {
                    Err("nope".into())
                } else {
                    Ok(())
                }
            },
            SubscribeOptions::new().subscriber_id(name),
        )
        .unwrap();
    }
    publish(&bus, "x", json!({}));
    assert_eq!(*order.borrow(), ["first", "broken", "last"]);
}

#[test]
fn a_filter_returning_false_skips_the_handler() {
    let bus = EventBus::new();
    let seen = calls();
    let sink = seen.clone();
    bus.subscribe_with(
        "n.*",
        move |e| {
            sink.borrow_mut().push(e.data["n"].to_string());
            Ok(())
        },
        SubscribeOptions::new().filter(|e| e.data["n"].as_i64().is_some_and(|n| n % 2 == 0)),
    )
    .unwrap();
    for n in 0..6 {
        publish(&bus, "n.value", json!({ "n": n }));
    }
    assert_eq!(*seen.borrow(), ["0", "2", "4"]);
    let stats = bus.stats();
    assert_eq!((stats.events_published, stats.events_processed, stats.events_failed), (6, 3, 0));
}

#[test]
fn default_ids_are_subscriber_n_and_unique() {
    let bus = EventBus::new();
    let noop = |_: &codomyrmex_events::Event| Ok(());
    assert_eq!(bus.subscribe("a", noop).unwrap(), "subscriber_1");
    assert_eq!(bus.subscribe("a", noop).unwrap(), "subscriber_2");
    // An explicit id that a default would take next is skipped over.
    bus.subscribe_with("a", noop, SubscribeOptions::new().subscriber_id("subscriber_3")).unwrap();
    assert_eq!(bus.subscribe("a", noop).unwrap(), "subscriber_4");
    let ids: Vec<String> = bus.stats().subscribers.into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids, ["subscriber_1", "subscriber_2", "subscriber_3", "subscriber_4"]);
}

#[test]
fn subscribing_with_an_existing_id_replaces_the_subscription() {
    let bus = EventBus::new();
    let seen = calls();
    let (old, new) = (seen.clone(), seen.clone());
    bus.subscribe_with(
        "a.*",
        move |_| {
            old.borrow_mut().push("old".into());
            Ok(())
        },
        SubscribeOptions::new().subscriber_id("audit"),
    )
    .unwrap();
    let id = bus
        .subscribe_with(
            ["b.*", "c.*"],
            move |_| {
                new.borrow_mut().push("new".into());
                Ok(())
            },
            SubscribeOptions::new().subscriber_id("audit").priority(3),
        )
        .unwrap();
    assert_eq!(id, "audit");
    publish(&bus, "a.x", json!({}));
    publish(&bus, "b.x", json!({}));
    assert_eq!(*seen.borrow(), ["new"]);
    assert_eq!(bus.stats().subscribers, [("audit".to_string(), vec!["b.*".to_string(), "c.*".to_string()], 3)]);

    // A default id can be replaced too.
    let first = bus.subscribe("z", |_| Ok(())).unwrap();
    bus.subscribe_with("y", |_| Ok(()), SubscribeOptions::new().subscriber_id(first.as_str())).unwrap();
    assert_eq!(bus.stats().subscribers.len(), 2);
}

#[test]
fn invalid_ids_and_priorities_are_refused() {
    let bus = EventBus::new();
    let e = bus.subscribe_with("a", |_| Ok(()), SubscribeOptions::new().subscriber_id("")).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "options.subscriber_id must not be empty"));
    let e = bus.subscribe_with("a", |_| Ok(()), SubscribeOptions::new().priority(1 << 53)).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Range, "options.priority must be a safe integer, got 9007199254740992")
    );
    assert!(bus.subscribe_with("a", |_| Ok(()), SubscribeOptions::new().priority(i64::MIN)).is_err());
    assert!(bus.stats().subscribers.is_empty());

    let max = (1i64 << 53) - 1;
    bus.subscribe_with("a", |_| Ok(()), SubscribeOptions::new().priority(max)).unwrap();
    bus.subscribe_with("a", |_| Ok(()), SubscribeOptions::new().priority(-max)).unwrap();
    let priorities: Vec<i64> = bus.stats().subscribers.into_iter().map(|(_, _, p)| p).collect();
    assert_eq!(priorities, [max, -max]);
}

#[test]
fn unsubscribe_removes_once() {
    let bus = EventBus::new();
    let seen = calls();
    let sink = seen.clone();
    let id = bus
        .subscribe("a", move |_| {
            sink.borrow_mut().push("a".into());
            Ok(())
        })
        .unwrap();
    publish(&bus, "a", json!({}));
    assert!(bus.unsubscribe(&id));
    assert!(!bus.unsubscribe(&id));
    assert!(!bus.unsubscribe("never-subscribed"));
    publish(&bus, "a", json!({}));
    assert_eq!(*seen.borrow(), ["a"]);
    assert!(bus.stats().subscribers.is_empty());
}
