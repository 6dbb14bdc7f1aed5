//! Statistics, the bounded dead-letter queue, failure logging, shutdown and
//! the events `publish` refuses.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use std::rc::Rc;

use codomyrmex_events::{create_event, ErrorKind, Event, EventBus, EventOptions, SubscribeOptions};
use native_support::capture_log;
use serde_json::json;

fn event(event_type: &str, n: u32) -> Event {
    create_event(event_type, "test", EventOptions::new().data(json!({ "n": n }))).unwrap()
}

fn ns(events: &[Rc<Event>]) -> Vec<u64> {
    events.iter().map(|e| e.data["n"].as_u64().unwrap()).collect()
}

fn counters(bus: &EventBus) -> (u64, u64, u64, usize) {
    let s = bus.stats();
    (s.events_published, s.events_processed, s.events_failed, s.dead_letter_count)
}

#[test]
fn counters_follow_publishes_handler_calls_and_failures() {
    let log = capture_log();
    let bus = EventBus::new();
    bus.publish(&event("nobody.listens", 0)).unwrap();
    assert_eq!(counters(&bus), (1, 0, 0, 0));

    bus.subscribe_with("job.*", |_| Ok(()), SubscribeOptions::new().subscriber_id("ok")).unwrap();
    bus.subscribe_with("job.*", |_| Err("boom".into()), SubscribeOptions::new().subscriber_id("bad")).unwrap();
    bus.subscribe_with("job.*", |_| Ok(()), SubscribeOptions::new().filter(|_| false)).unwrap();
    bus.publish(&event("job.done", 1)).unwrap();
    assert_eq!(counters(&bus), (2, 1, 1, 1));
    assert_eq!(*log.borrow(), ["event handler \"bad\" failed on \"job.done\": boom"]);

    let dead = bus.dead_letters();
    assert_eq!((dead.len(), &*dead[0].event_type, ns(&dead)), (1, "job.done", vec![1]));
    assert_eq!(
        bus.stats().subscribers,
        [
            ("ok".to_string(), vec!["job.*".to_string()], 0),
            ("bad".to_string(), vec!["job.*".to_string()], 0),
            ("subscriber_1".to_string(), vec!["job.*".to_string()], 0),
        ]
    );
}

#[test]
fn each_failing_handler_leaves_its_own_dead_letter() {
    capture_log();
    let bus = EventBus::new();
    bus.subscribe("*", |_| Err("one".into())).unwrap();
    bus.subscribe("*", |_| Err("two".into())).unwrap();
    bus.publish(&event("x", 7)).unwrap();
    assert_eq!(counters(&bus), (1, 0, 2, 2));
    assert_eq!(ns(&bus.dead_letters()), [7, 7]);
}

#[test]
fn reset_stats_zeroes_counters_and_keeps_dead_letters() {
    capture_log();
    let bus = EventBus::new();
    bus.subscribe("*", |_| Err("no".into())).unwrap();
    bus.publish(&event("x", 1)).unwrap();
    bus.publish(&event("x", 2)).unwrap();
    assert_eq!(counters(&bus), (2, 0, 2, 2));
    bus.reset_stats();
    assert_eq!(counters(&bus), (0, 0, 0, 2));
    assert_eq!(ns(&bus.dead_letters()), [1, 2]);
    assert_eq!(bus.stats().subscribers.len(), 1);
}

#[test]
fn the_dead_letter_queue_is_bounded_and_drops_the_oldest() {
    let log = capture_log();
    let bus = EventBus::with_dead_letter_limit(3).unwrap();
    bus.subscribe("*", |_| Err("no".into())).unwrap();
    for n in 1..=5 {
        bus.publish(&event("x", n)).unwrap();
    }
    assert_eq!(ns(&bus.dead_letters()), [3, 4, 5]);
    assert_eq!(counters(&bus), (5, 0, 5, 3));
    assert_eq!(log.borrow().len(), 5);

    // The copy handed out is not the queue.
    drop(bus.dead_letters());
    assert_eq!(bus.dead_letters().len(), 3);
}

#[test]
fn a_zero_limit_keeps_no_dead_letters_but_counts_failures() {
    capture_log();
    let bus = EventBus::with_dead_letter_limit(0).unwrap();
    bus.subscribe("*", |_| Err("no".into())).unwrap();
    bus.publish(&event("x", 1)).unwrap();
    assert_eq!(counters(&bus), (1, 0, 1, 0));
}

#[test]
fn the_default_limit_is_1000() {
    set_silent();
    let bus = EventBus::new();
    bus.subscribe("*", |_| Err("no".into())).unwrap();
    for n in 0..1001 {
        bus.publish(&event("x", n)).unwrap();
    }
    let dead = bus.dead_letters();
    assert_eq!((dead.len(), ns(&dead)[0], ns(&dead)[999]), (1000, 1, 1000));
}

fn set_silent() {
    codomyrmex_events::set_logger(None);
}

#[test]
fn dead_letter_limits_beyond_2_pow_24_are_refused() {
    let e = EventBus::with_dead_letter_limit((1 << 24) + 1).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Range, "dead_letter_limit must be an integer from 0 to 16777216, got 16777217")
    );
    assert!(EventBus::with_dead_letter_limit(1 << 24).is_ok());
}

#[test]
fn shutdown_drops_subscriptions_and_the_bus_stays_usable() {
    capture_log();
    let bus = EventBus::new();
    let seen = native_support::calls();
    let sink = seen.clone();
    bus.subscribe("*", move |e| {
        sink.borrow_mut().push(format!("before {}", e.data["n"]));
        Ok(())
    })
    .unwrap();
    bus.subscribe("*", |_| Err("no".into())).unwrap();
    bus.publish(&event("x", 1)).unwrap();
    bus.shutdown();
    assert!(bus.stats().subscribers.is_empty());
    bus.publish(&event("x", 2)).unwrap();
    // Counters and dead letters survive a shutdown.
    assert_eq!(counters(&bus), (2, 1, 1, 1));

    let sink = seen.clone();
    let id = bus
        .subscribe("*", move |e| {
            sink.borrow_mut().push(format!("after {}", e.data["n"]));
            Ok(())
        })
        .unwrap();
    // Ids are never handed out twice on one bus.
    assert_eq!(id, "subscriber_3");
    bus.publish(&event("x", 3)).unwrap();
    assert_eq!(*seen.borrow(), ["before 1", "after 3"]);
}

#[test]
fn publish_refuses_events_outside_the_rules_and_counts_nothing() {
    let bus = EventBus::new();
    let seen = native_support::record(&bus);
    let good = event("x", 1);
    let refused = |e: Event| bus.publish(&e).unwrap_err();

    let e = refused(Event { event_type: "a b".into(), ..good.clone() });
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "event.event_type must not contain whitespace"));
    let e = refused(Event { event_type: "".into(), ..good.clone() });
    assert_eq!(e.message, "event.event_type must not be empty");
    let e = refused(Event { source: "".into(), ..good.clone() });
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "event.source must not be empty"));
    let e = refused(Event { priority: 3, ..good.clone() });
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Range, "event.priority must be an integer from 0 to 2, got 3")
    );
    let e = refused(Event { timestamp_ms: f64::NAN, ..good.clone() });
    assert_eq!(
        e.message,
        "event.timestamp_ms must be a number of milliseconds from 0 to 253402300799999 (the end of year 9999), got NaN"
    );
    let e = refused(Event { timestamp_ms: -1.0, ..good.clone() });
    assert_eq!(e.kind, ErrorKind::Range);
    let e = refused(Event { data: json!([1]), ..good.clone() });
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Type, "event.data must be an object (not an array), got an array")
    );
    let e = refused(Event { metadata: json!(null), ..good.clone() });
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Type, "event.metadata must be an object (not an array), got null")
    );

    assert_eq!(counters(&bus), (0, 0, 0, 0));
    bus.publish(&good).unwrap();
    assert_eq!(*seen.borrow(), [good]);
}
