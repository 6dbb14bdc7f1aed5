//! Subscription patterns follow Python's `fnmatch.fnmatchcase` on the whole
//! event type, through the native API.

#![cfg(not(target_arch = "wasm32"))]

mod native_support;

use codomyrmex_events::core::pattern::Pattern;
use codomyrmex_events::{create_event, ErrorKind, EventBus, EventOptions, Patterns, SubscribeOptions};
use native_support::calls;

/// The types among `types` a subscription to `patterns` receives.
fn received(patterns: impl Patterns, types: &[&str]) -> Vec<String> {
    let bus = EventBus::new();
    let seen = calls();
    let sink = seen.clone();
    bus.subscribe(patterns, move |e| {
        sink.borrow_mut().push(e.event_type.to_string());
        Ok(())
    })
    .unwrap();
    for t in types {
        bus.publish(&create_event(t, "test", EventOptions::new()).unwrap()).unwrap();
    }
    let out = seen.borrow().clone();
    out
}

#[test]
fn star_matches_any_run_including_dots() {
    let types = ["user.login", "user.profile.updated", "user.", "user", "users.login", "xuser.login"];
    assert_eq!(received("user.*", &types), ["user.login", "user.profile.updated", "user."]);
    assert_eq!(received("*", &types), types);
    assert_eq!(received("*.login", &types), ["user.login", "users.login", "xuser.login"]);
    assert_eq!(received("u*d", &types), ["user.profile.updated"]);
}

#[test]
fn question_mark_matches_exactly_one_character() {
    let types = ["user.a", "user.ab", "user.", "user.é", "user..", "usera.b"];
    assert_eq!(received("user.?", &types), ["user.a", "user.é", "user.."]);
    assert_eq!(received("user??b", &types), ["user.ab", "usera.b"]);
}

#[test]
fn sets_ranges_and_negated_sets() {
    let types = ["system.startup", "system.error", "system.shutdown", "system.config_change", "system.", "a.x", "d.x"];
    assert_eq!(received("system.[!e]*", &types), ["system.startup", "system.shutdown", "system.config_change"]);
    assert_eq!(received("system.[se]*", &types), ["system.startup", "system.error", "system.shutdown"]);
    assert_eq!(received("[a-c].x", &types), ["a.x"]);
    assert_eq!(received("[!a-c].x", &types), ["d.x"]);
    // `!` elsewhere in a set is a member; `]` first in a set is a member.
    assert_eq!(received("[a!].x", &["!.x", "a.x", "b.x"]), ["!.x", "a.x"]);
    assert_eq!(received("[]a].x", &["].x", "a.x", "b.x"]), ["].x", "a.x"]);
    // An unclosed `[` is a literal.
    assert_eq!(received("[a.x", &["[a.x", "a.x"]), ["[a.x"]);
}

#[test]
fn matching_is_whole_string_and_case_sensitive() {
    let types = ["system.startup", "System.startup", "system.startup.late", "my.system.startup"];
    assert_eq!(received("system.startup", &types), ["system.startup"]);
    assert_eq!(received("System.*", &types), ["System.startup"]);
    // Regex metacharacters are plain characters.
    assert_eq!(received("a+b", &["a+b", "aab"]), ["a+b"]);
    assert_eq!(received("(x)|y", &["(x)|y", "x", "y"]), ["(x)|y"]);
}

#[test]
fn several_patterns_call_the_handler_once_per_event() {
    let types = ["user.login", "system.error", "metric.update"];
    assert_eq!(received(["user.*", "*.login", "system.*"], &types), ["user.login", "system.error"]);
    assert_eq!(received(vec!["metric.update".to_string()], &types), ["metric.update"]);
    let slice: &[&str] = &["*.error", "*.update"];
    assert_eq!(received(slice, &types), ["system.error", "metric.update"]);
}

#[test]
fn invalid_patterns_are_refused_and_nothing_is_subscribed() {
    let bus = EventBus::new();
    let refused = |patterns: Vec<String>| bus.subscribe(patterns, |_| Ok(())).unwrap_err();

    let e = refused(vec![]);
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "patterns must name at least one pattern"));
    let e = refused(vec![String::new()]);
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "patterns must not be empty"));
    let e = refused(vec!["a.*".into(), String::new()]);
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "patterns[1] must not be empty"));
    let e = refused(vec!["x".repeat(257)]);
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Range, "patterns must be at most 256 characters long"));

    assert!(bus.stats().subscribers.is_empty());
    // 256 characters is the limit, not beyond it.
    assert_eq!(bus.subscribe("é".repeat(256), |_| Ok(())).unwrap(), "subscriber_1");
}

/// Routes are worked out from an index of the patterns' literal prefixes. For
/// many patterns of every shape, subscribed, replaced and removed between
/// publications, the subscriptions reached and their order are those of
/// matching every pattern in turn.
#[test]
fn routes_reach_what_a_scan_of_every_pattern_reaches() {
    // xorshift: the same cases on every run.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let pieces = ["a", "b", ".", "ab", "é", "*", "?", "[ab]", "[!a]", "[a]"];
    let bus = EventBus::new();
    let seen = calls();
    // (id, patterns, priority) in subscription order.
    let mut subscribed: Vec<(String, Vec<String>, i64)> = Vec::new();
    for round in 0..400 {
        let id = format!("s{}", next(150));
        if next(8) == 0 {
            assert_eq!(bus.unsubscribe(&id), subscribed.iter().any(|(s, _, _)| *s == id));
            subscribed.retain(|(s, _, _)| *s != id);
        } else {
            let patterns: Vec<String> =
                (0..1 + next(2)).map(|_| (0..1 + next(4)).map(|_| pieces[next(pieces.len())]).collect()).collect();
            let priority = next(3) as i64 - 1;
            let (sink, name) = (seen.clone(), id.clone());
            let options = SubscribeOptions::new().subscriber_id(&id).priority(priority);
            let handler = move |_: &_| {
                sink.borrow_mut().push(name.clone());
                Ok(())
            };
            bus.subscribe_with(patterns.as_slice(), handler, options).unwrap();
            subscribed.retain(|(s, _, _)| *s != id);
            subscribed.push((id, patterns, priority));
        }
        if round % 20 != 19 {
            continue;
        }
        let mut in_order = subscribed.clone();
        in_order.sort_by_key(|(_, _, priority)| -priority); // stable: subscription order among equals
        for _ in 0..100 {
            let event_type: String = (0..1 + next(5)).map(|_| ["a", "b", ".", "é", "ab"][next(5)]).collect();
            seen.borrow_mut().clear();
            bus.publish(&create_event(&event_type, "test", EventOptions::new()).unwrap()).unwrap();
            let matches = |p: &String| Pattern::new(p).unwrap().matches(&event_type);
            let expected: Vec<String> =
                in_order.iter().filter(|(_, ps, _)| ps.iter().any(matches)).map(|(id, _, _)| id.clone()).collect();
            assert_eq!(*seen.borrow(), expected, "{event_type}");
        }
    }
}
