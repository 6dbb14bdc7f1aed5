//! Scenarios of the JavaScript binding, shared by `wasm_node.rs` (Node.js) and
//! `wasm_browser.rs` (headless Chromium): each of those test binaries sets
//! where it runs and includes this module, so both run the same tests.
//!
//! Handlers are JavaScript functions made from Rust closures. Objects moved
//! into JavaScript (a bus handed to an emitter) are then used through their
//! JavaScript methods, as a JavaScript caller would.

use codomyrmex_events::js::{
    create_event, set_logger, AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext,
};
use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const UNDEFINED: JsValue = JsValue::UNDEFINED;

// ---- helpers ---------------------------------------------------------------

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).expect("readable property")
}

fn num(target: &JsValue, key: &str) -> f64 {
    get(target, key).as_f64().unwrap_or_else(|| panic!("{key} is not a number"))
}

fn text(target: &JsValue, key: &str) -> String {
    get(target, key).as_string().unwrap_or_else(|| panic!("{key} is not a string"))
}

/// Calls a JavaScript method by name.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).dyn_into().expect("a method");
    f.apply(target, &args.iter().collect::<Array>())
}

/// `bus.getStats()[key]`.
fn stat(bus: &JsValue, key: &str) -> f64 {
    num(&call(bus, "getStats", &[]).unwrap(), key)
}

/// A JavaScript object from a JSON literal.
fn obj(json: &str) -> JsValue {
    JSON::parse(json).expect("valid JSON")
}

fn json(value: &JsValue) -> String {
    JSON::stringify(value).expect("serialisable").into()
}

/// A handler that records every event it receives.
fn recorder() -> (Array, JsValue) {
    let seen = Array::new();
    let into = seen.clone();
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        into.push(&event);
    });
    (seen, handler.into_js_value())
}

/// A handler that throws an `Error` with `message`.
fn throwing(message: &'static str) -> JsValue {
    Closure::<dyn FnMut(JsValue) -> Result<(), JsValue>>::new(move |_event: JsValue| {
        Err(js_sys::Error::new(message).into())
    })
    .into_js_value()
}

/// A handler that returns a promise rejected with an `Error` with `message`.
fn rejecting(message: &'static str) -> JsValue {
    Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_event: JsValue| Promise::reject(&js_sys::Error::new(message)))
        .into_js_value()
}

/// Routes the binding's failure reports to a recorder; returns the `[message, error]` pairs.
fn recording_logger() -> Array {
    let calls = Array::new();
    let into = calls.clone();
    let error = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |message: JsValue, error: JsValue| {
        into.push(&Array::of2(&message, &error));
    });
    let logger = Object::new();
    Reflect::set(&logger, &"error".into(), &error.into_js_value()).unwrap();
    set_logger(logger.into()).unwrap();
    calls
}

fn restore_logger() {
    set_logger(get(&js_sys::global(), "console")).unwrap();
}

/// Resolves after `ms` milliseconds on the host's timer.
async fn sleep(ms: i32) {
    let timer = Promise::new(&mut |resolve, _reject| {
        let set_timeout: Function = get(&js_sys::global(), "setTimeout").unchecked_into();
        set_timeout.call2(&UNDEFINED, &resolve, &ms.into()).unwrap();
    });
    JsFuture::from(timer).await.unwrap();
}

/// The promise an async method handed over (see `hand_over` in the binding).
fn handed_over(returned: u32) -> JsValue {
    assert_eq!(returned, 0);
    codomyrmex_events::js::take_handed_over()
}

fn is_uuid_v4(id: &str) -> bool {
    js_sys::RegExp::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", "").test(id)
}

// ---- emit ------------------------------------------------------------------

#[wasm_bindgen_test]
fn emit_delivers_a_frozen_event_to_glob_subscribers() {
    let bus = EventBus::new(UNDEFINED).unwrap();
    let (users, on_user) = recorder();
    let (orders, on_order) = recorder();
    bus.subscribe("user.*".into(), on_user, UNDEFINED).unwrap();
    bus.subscribe("order.*".into(), on_order, UNDEFINED).unwrap();
    let emitter = EventEmitter::new("src".into(), bus.into()).unwrap();
    emitter.set_default_metadata(obj(r#"{"a":1,"b":1}"#)).unwrap();

    let data = obj(r#"{"id":7}"#);
    let before = js_sys::Date::now();
    emitter.emit("user.created".into(), data.clone(), obj(r#"{"metadata":{"b":2,"c":3},"priority":1}"#)).unwrap();
    let after = js_sys::Date::now();

    assert_eq!(users.length(), 1);
    assert_eq!(orders.length(), 0);
    let event = users.get(0);
    assert!(Object::is_frozen(event.unchecked_ref::<Object>()), "the event is frozen");
    assert_eq!(text(&event, "eventType"), "user.created");
    assert_eq!(text(&event, "source"), "src");
    assert!(Object::is(&get(&event, "data"), &data), "data is the caller's object, not a copy");
    assert_eq!(json(&get(&event, "metadata")), r#"{"a":1,"b":2,"c":3}"#);
    assert_eq!(num(&event, "priority"), 1.0);
    assert!(get(&event, "correlationId").is_null());
    let id = text(&event, "eventId");
    assert!(is_uuid_v4(&id), "eventId {id:?} is not a UUID v4");
    let timestamp = num(&event, "timestamp");
    assert!(before <= timestamp && timestamp <= after, "timestamp {timestamp} not in [{before}, {after}]");
}

#[wasm_bindgen_test]
fn a_throwing_handler_is_isolated() {
    let bus = EventBus::new(UNDEFINED).unwrap();
    let (seen, handler) = recorder();
    // The throwing handler runs first (higher priority); the recorder still runs after it.
    bus.subscribe("job.*".into(), throwing("boom"), obj(r#"{"priority":10}"#)).unwrap();
    bus.subscribe("job.*".into(), handler, UNDEFINED).unwrap();
    let bus: JsValue = bus.into();
    let emitter = EventEmitter::new("src".into(), bus.clone()).unwrap();

    let logged = recording_logger();
    let result = emitter.emit("job.run".into(), UNDEFINED, UNDEFINED);
    restore_logger();

    assert!(result.is_ok(), "emit must not throw because of a handler");
    assert_eq!(seen.length(), 1, "the other handler still ran");
    assert_eq!(stat(&bus, "eventsPublished"), 1.0);
    assert_eq!(stat(&bus, "eventsProcessed"), 1.0);
    assert_eq!(stat(&bus, "eventsFailed"), 1.0);
    assert_eq!(stat(&bus, "deadLetterCount"), 1.0);
    let dead: Array = get(&bus, "deadLetterQueue").dyn_into().unwrap();
    assert_eq!(dead.length(), 1);
    assert!(Object::is(&dead.get(0), &seen.get(0)), "the failed event is in the dead-letter queue");
    assert_eq!(logged.length(), 1, "the failure is logged once");
    assert_eq!(text(&Array::from(&logged.get(0)).get(1), "message"), "boom");
}

// ---- operations ------------------------------------------------------------

#[wasm_bindgen_test]
fn operations_nest_and_restore_the_correlation_id() {
    let bus = EventBus::new(UNDEFINED).unwrap();
    let (seen, handler) = recorder();
    bus.subscribe("*".into(), handler, UNDEFINED).unwrap();
    let emitter = EventEmitter::new("ops".into(), bus.into()).unwrap();

    let outer = emitter.start_operation("outer".into(), UNDEFINED).unwrap();
    let outer_id = outer.as_string().unwrap();
    assert!(is_uuid_v4(&outer_id));
    assert_eq!(emitter.default_correlation_id().unwrap(), outer);
    let start = seen.get(0);
    assert_eq!(text(&start, "eventType"), "custom");
    assert_eq!(get(&start, "correlationId"), outer);
    assert_eq!(text(&get(&start, "data"), "operation"), "outer");
    assert_eq!(text(&get(&start, "data"), "phase"), "start");
    assert_eq!(json(&get(&get(&start, "data"), "operation_data")), "{}");
    assert_eq!(json(&get(&start, "metadata")), r#"{"operation_type":"start"}"#);

    let inner = emitter.start_operation("inner".into(), obj(r#"{"step":1}"#)).unwrap();
    assert_ne!(inner, outer);
    assert_eq!(emitter.default_correlation_id().unwrap(), inner);
    let nested_start = seen.get(1);
    assert_eq!(get(&nested_start, "correlationId"), inner);
    assert_eq!(get(&get(&nested_start, "metadata"), "parent_correlation_id"), outer);
    assert_eq!(json(&get(&get(&nested_start, "data"), "operation_data")), r#"{"step":1}"#);

    emitter.end_operation(inner.clone(), "inner".into(), obj(r#"{"success":false,"error":"bad input"}"#)).unwrap();
    let end = seen.get(2);
    assert_eq!(num(&end, "priority"), 2.0);
    assert_eq!(get(&end, "correlationId"), inner);
    assert_eq!(text(&get(&end, "data"), "phase"), "end");
    assert_eq!(get(&get(&end, "data"), "success"), JsValue::FALSE);
    assert_eq!(text(&get(&end, "data"), "error"), "bad input");
    assert_eq!(get(&get(&end, "metadata"), "success"), JsValue::FALSE);
    assert_eq!(emitter.default_correlation_id().unwrap(), outer, "the outer id is the default again");

    emitter.end_operation(outer, "outer".into(), UNDEFINED).unwrap();
    assert_eq!(num(&seen.get(3), "priority"), 0.0);
    assert_eq!(get(&get(&seen.get(3), "data"), "success"), JsValue::TRUE);
    assert!(emitter.default_correlation_id().unwrap().is_null());
    assert_eq!(seen.length(), 4);
}

#[wasm_bindgen_test]
fn an_operation_context_exited_with_an_error_ends_in_failure() {
    let bus = EventBus::new(UNDEFINED).unwrap();
    let (seen, handler) = recorder();
    bus.subscribe("custom".into(), handler, UNDEFINED).unwrap();
    let emitter: JsValue = EventEmitter::new("ops".into(), bus.into()).unwrap().into();

    let context = EventOperationContext::new(emitter.clone(), "load".into(), UNDEFINED).unwrap();
    assert!(context.correlation_id().unwrap().is_null(), "no id before enter");
    context.enter().unwrap();
    let id = context.correlation_id().unwrap();
    assert!(is_uuid_v4(&id.as_string().unwrap()));
    assert_eq!(get(&emitter, "defaultCorrelationId"), id);

    context.exit(js_sys::Error::new("disk full").into()).unwrap();
    assert_eq!(seen.length(), 2);
    let end = seen.get(1);
    let data = get(&end, "data");
    assert_eq!(get(&end, "correlationId"), id);
    assert_eq!(num(&end, "priority"), 2.0);
    assert_eq!(text(&data, "phase"), "end");
    assert_eq!(get(&data, "success"), JsValue::FALSE);
    assert_eq!(text(&data, "error"), "disk full");
    let duration = num(&get(&data, "result"), "duration");
    assert!((0.0..60.0).contains(&duration), "duration {duration} is not in seconds");
    assert!(get(&emitter, "defaultCorrelationId").is_null());

    context.exit(UNDEFINED).unwrap();
    assert_eq!(seen.length(), 2, "a second exit is ignored");
}

// ---- async -----------------------------------------------------------------

#[wasm_bindgen_test]
async fn emit_later_fires_after_the_delay_and_cancel_stops_it() {
    let bus = EventBus::new(UNDEFINED).unwrap();
    let (seen, handler) = recorder();
    bus.subscribe("later.*".into(), handler, UNDEFINED).unwrap();
    let bus: JsValue = bus.into();
    let emitter = AsyncEventEmitter::new("timer".into(), bus.clone()).unwrap();

    let fired = emitter.emit_later("later.fired".into(), obj(r#"{"n":1}"#), 10.into()).unwrap();
    assert_eq!(seen.length(), 0, "nothing before the timer fires");
    assert_eq!(JsFuture::from(Promise::from(fired.done().unwrap())).await.unwrap(), JsValue::TRUE);
    assert_eq!(seen.length(), 1);
    assert_eq!(text(&seen.get(0), "eventType"), "later.fired");
    assert_eq!(text(&seen.get(0), "source"), "timer");
    assert_eq!(num(&get(&seen.get(0), "data"), "n"), 1.0);
    assert!(!fired.cancel(), "too late to cancel");

    let cancelled = emitter.emit_later("later.cancelled".into(), UNDEFINED, 10.into()).unwrap();
    assert!(cancelled.cancel());
    assert!(!cancelled.cancel(), "cancel works once");
    assert_eq!(JsFuture::from(Promise::from(cancelled.done().unwrap())).await.unwrap(), JsValue::FALSE);
    sleep(30).await;
    assert_eq!(seen.length(), 1, "a cancelled emit publishes nothing");
    assert_eq!(stat(&bus, "eventsPublished"), 1.0);
}

#[wasm_bindgen_test]
async fn a_rejected_handler_promise_is_counted_once_settled() {
    let bus = EventBus::new(UNDEFINED).unwrap();
    let (seen, handler) = recorder();
    bus.subscribe("task.*".into(), rejecting("async boom"), UNDEFINED).unwrap();
    bus.subscribe("task.*".into(), handler, UNDEFINED).unwrap();
    let logged = recording_logger();

    let event = create_event("task.a".into(), "src".into(), UNDEFINED).unwrap();
    let published = JsFuture::from(Promise::from(handed_over(bus.publish_async(event)))).await;
    let bus: JsValue = bus.into();
    assert_eq!(published, Ok(UNDEFINED), "publishAsync resolves despite the failure");
    assert_eq!(seen.length(), 1);
    assert_eq!(stat(&bus, "eventsFailed"), 1.0);
    assert_eq!(stat(&bus, "deadLetterCount"), 1.0);

    let emitter = EventEmitter::new("src".into(), bus.clone()).unwrap();
    let emitted =
        JsFuture::from(Promise::from(handed_over(emitter.emit_async("task.b".into(), UNDEFINED, UNDEFINED)))).await;
    restore_logger();
    assert_eq!(emitted, Ok(UNDEFINED), "emitAsync resolves despite the failure");
    assert_eq!(seen.length(), 2);
    assert_eq!(stat(&bus, "eventsFailed"), 2.0);
    assert_eq!(stat(&bus, "eventsProcessed"), 2.0);
    assert_eq!(logged.length(), 2);
}

// ---- invalid input ---------------------------------------------------------

fn message(error: &JsValue) -> String {
    text(error, "message")
}

#[wasm_bindgen_test]
fn invalid_arguments_throw_and_publish_nothing() {
    let bus = EventBus::new(UNDEFINED).unwrap();
    let (seen, handler) = recorder();
    bus.subscribe("*".into(), handler, UNDEFINED).unwrap();
    let bus: JsValue = bus.into();
    let emitter = EventEmitter::new("src".into(), bus.clone()).unwrap();

    let error = emitter.emit(42.into(), UNDEFINED, UNDEFINED).unwrap_err();
    assert!(error.is_instance_of::<js_sys::TypeError>(), "not a TypeError: {error:?}");
    assert!(message(&error).contains("eventType"), "message {:?} does not name eventType", message(&error));

    let error = emitter.emit("ok.type".into(), UNDEFINED, obj(r#"{"priority":3}"#)).unwrap_err();
    assert!(error.is_instance_of::<js_sys::RangeError>(), "not a RangeError: {error:?}");
    assert!(message(&error).contains("priority"), "message {:?} does not name priority", message(&error));

    let later = AsyncEventEmitter::new("src".into(), bus.clone()).unwrap();
    let error = later.emit_later(42.into(), UNDEFINED, UNDEFINED).err().expect("refused");
    assert!(error.is_instance_of::<js_sys::TypeError>());
    assert!(message(&error).contains("eventType"));

    assert_eq!(seen.length(), 0);
    assert_eq!(stat(&bus, "eventsPublished"), 0.0);

    emitter.emit("ok.type".into(), UNDEFINED, UNDEFINED).unwrap();
    assert_eq!(seen.length(), 1, "the emitter stays usable");
}

// ---- the allocator -----------------------------------------------------------

/// The binding's global allocator (src/js/alloc.rs) serves this test binary
/// too: blocks keep their alignment and contents through reuse and growth.
#[wasm_bindgen_test]
fn the_allocator_keeps_alignment_and_contents() {
    #[repr(align(64))]
    struct Wide([u8; 64]);

    let mut kept: Vec<Vec<u8>> = Vec::new();
    for round in 0..3u8 {
        for size in [1usize, 7, 8, 9, 31, 64, 100, 4096, 70_000, 300_000] {
            let block = vec![round ^ size as u8; size];
            kept.push(block);
        }
        // A wider alignment than the blocks' 8 bytes, also after blocks were freed.
        let wide: Vec<Box<Wide>> = (0..20).map(|i| Box::new(Wide([i; 64]))).collect();
        for (i, w) in wide.iter().enumerate() {
            assert_eq!(&**w as *const Wide as usize % 64, 0);
            assert!(w.0.iter().all(|&b| b == i as u8));
        }
        let wide_u128: Vec<u128> = (0..100).collect();
        assert_eq!(wide_u128.as_ptr() as usize % std::mem::align_of::<u128>(), 0);
        // Growth in place and by moving keeps what was written.
        let mut grown = Vec::new();
        for i in 0..100_000u32 {
            grown.push(i);
        }
        assert!(grown.iter().enumerate().all(|(i, &v)| v == i as u32));
        // Free every other block, so the next round reuses them.
        let mut i = 0;
        kept.retain(|_| {
            i += 1;
            i % 2 == 0
        });
    }
    for block in &kept {
        let first = block[0];
        assert!(block.iter().all(|&b| b == first), "a live block was overwritten");
    }
}
