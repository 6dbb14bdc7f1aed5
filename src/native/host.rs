//! The core's [`Host`] for native Rust: payloads are `serde_json::Value`,
//! strings `Rc<str>`, handlers and filters Rust closures.

use std::cell::{Cell, RefCell};
use std::convert::Infallible;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Number, Value};

use super::event::Event;
use super::ids::{RandomPool, Uuid};
use crate::core::bus::Settlement;
use crate::core::host::{EventId, EventParts, Field, Host, Outcome, Text};

/// A subscription's handler: `Err(message)` marks the call as failed (the bus
/// counts it, logs it and keeps the event as a dead letter).
pub type Handler = Rc<dyn Fn(&Event) -> Result<(), String>>;

/// A subscription's filter: `false` skips the handler for that event.
pub type Filter = Rc<dyn Fn(&Event) -> bool>;

/// A logger for failures, called as `logger(message, failure)`: see [`set_logger`].
pub type Logger = Box<dyn Fn(&str, &str)>;

/// A logger held so that it can be called with the cell released.
type SharedLogger = Rc<dyn Fn(&str, &str)>;

/// The environment the core runs in natively: JSON payloads, Rust closures,
/// the system clocks and the operating system's randomness.
///
/// Users of [`EventBus`](super::EventBus) and [`EventEmitter`](super::EventEmitter)
/// never name it; it is public so that the generic core
/// (`codomyrmex_events::core`) can be driven directly with native types.
pub enum Native {}

thread_local! {
    static RANDOM: RefCell<RandomPool> = RefCell::new(RandomPool::default());
    /// `None`: silenced. Starts as the stderr logger.
    static LOGGER: RefCell<Option<SharedLogger>> = RefCell::new(Some(Rc::new(log_to_stderr)));
    /// Varies the fallback randomness between refills.
    static FALLBACK_COUNTER: Cell<u64> = const { Cell::new(0) };
}

fn log_to_stderr(message: &str, failure: &str) {
    eprintln!("codomyrmex-events: {message}: {failure}");
}

/// Sets where failures of handlers are reported on this thread, as
/// `logger(message, failure)`. `None` silences them; the default writes one
/// line to stderr.
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use codomyrmex_events::{set_logger, EventBus, EventEmitter, EmitOptions};
///
/// let lines = Rc::new(RefCell::new(Vec::new()));
/// let sink = lines.clone();
/// set_logger(Some(Box::new(move |message: &str, failure: &str| {
///     sink.borrow_mut().push(format!("{message}: {failure}"));
/// })));
///
/// let bus = EventBus::new();
/// bus.subscribe("job.*", |_| Err("disk full".to_string()))?;
/// EventEmitter::new("worker", &bus)?.emit("job.done", serde_json::Value::Null, EmitOptions::new())?;
/// assert_eq!(*lines.borrow(), ["event handler \"subscriber_1\" failed on \"job.done\": disk full"]);
///
/// set_logger(None); // silence
/// # Ok::<(), codomyrmex_events::Error>(())
/// ```
pub fn set_logger(logger: Option<Logger>) {
    let logger: Option<SharedLogger> = logger.map(Rc::from);
    LOGGER.with(|l| *l.borrow_mut() = logger);
}

/// Wall-clock milliseconds since the Unix epoch, in whole microseconds (the
/// wire format's resolution, so events round-trip exactly); 0 for a clock
/// set before the epoch.
fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_micros() as f64 / 1000.0)
}

/// Fills `buf` from the operating system; should that ever fail, from a
/// generator seeded by the clock, so that ids still differ.
fn fill_random(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        fill_fallback(buf);
    }
}

/// splitmix64 over the clock, a per-thread counter and the buffer's address.
fn fill_fallback(buf: &mut [u8]) {
    let count = FALLBACK_COUNTER.with(|c| {
        c.set(c.get().wrapping_add(1));
        c.get()
    });
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut state = nanos ^ count.rotate_left(32) ^ (buf.as_ptr() as u64);
    for chunk in buf.chunks_mut(8) {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
    }
}

/// `{...base, ...over}` (event metadata).
fn merge(base: &Value, over: &Value) -> Value {
    let mut merged = Map::new();
    spread_into(&mut merged, base);
    spread_into(&mut merged, over);
    Value::Object(merged)
}

fn new_uuid() -> Uuid {
    RANDOM.with(|pool| pool.borrow_mut().next_uuid(fill_random))
}

/// A text whose two sides share one allocation.
pub(crate) fn text(s: Rc<str>) -> Text<Native> {
    Text { text: s.clone(), host: s }
}

/// `{...base, ...over}`: the own fields of each object, later ones replacing
/// earlier ones in place. Anything but an object contributes nothing.
fn spread_into(target: &mut Map<String, Value>, source: &Value) {
    if let Value::Object(fields) = source {
        for (key, value) in fields {
            target.insert(key.clone(), value.clone());
        }
    }
}

impl Host for Native {
    type Str = Rc<str>;
    type Value = Value;
    type Handler = Handler;
    type Filter = Filter;
    type Event = Rc<Event>;
    type Failure = String;
    type Pending = Infallible;

    fn monotonic_s() -> f64 {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64()
    }

    fn new_id() -> Text<Native> {
        text(Rc::from(new_uuid().to_string()))
    }

    fn string(text: &str) -> Rc<str> {
        Rc::from(text)
    }

    fn new_event(parts: EventParts<'_, Self>) -> Rc<Event> {
        Rc::new(Event {
            event_type: parts.event_type.host.clone(),
            source: parts.source.host.clone(),
            event_id: match parts.event_id {
                EventId::Fresh => Rc::from(new_uuid().to_string()),
                EventId::Given(id) => id.host.clone(),
            },
            timestamp_ms: parts.timestamp_ms.unwrap_or_else(now_ms),
            correlation_id: parts.correlation_id.map(|id| id.host.clone()),
            data: parts.data,
            metadata: match parts.metadata_over {
                Some(over) => merge(parts.metadata, over),
                None => parts.metadata.clone(),
            },
            priority: parts.priority,
        })
    }

    fn invoke(handler: &Handler, event: &Rc<Event>, _: impl FnOnce() -> Settlement<Self>) -> Outcome<Self> {
        match handler(event) {
            Ok(()) => Outcome::Done,
            Err(failure) => Outcome::Failed(failure),
        }
    }

    fn accepts(filter: &Filter, event: &Rc<Event>) -> Result<bool, String> {
        Ok(filter(event))
    }

    fn empty() -> Value {
        Value::Object(Map::new())
    }

    fn snapshot(value: &Value) -> Value {
        value.clone()
    }

    fn copy(value: &Value) -> Value {
        value.clone()
    }

    fn object(fields: Vec<(&'static str, Field<'_, Self>)>, spread: Option<&Value>) -> Value {
        let mut object = Map::new();
        for (key, field) in fields {
            let value = match field {
                Field::Str(s) => Value::from(s),
                Field::Text(t) => Value::from(&*t.text),
                Field::Num(n) => Number::from_f64(n).map_or(Value::Null, Value::Number),
                Field::Bool(b) => Value::Bool(b),
                Field::Null => Value::Null,
                Field::Value(v) => v,
            };
            object.insert(key.to_owned(), value);
        }
        if let Some(spread) = spread {
            spread_into(&mut object, spread);
        }
        Value::Object(object)
    }

    fn refusal(message: &str) -> String {
        message.to_string()
    }

    fn report(message: &str, failure: &String) {
        // Called without holding the cell, so a logger may log, publish or set_logger itself.
        if let Some(logger) = LOGGER.with(|l| l.borrow().clone()) {
            logger(message, failure);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_and_object_spread_like_javascript() {
        let merged = merge(&json!({"a": 1, "b": 2}), &json!({"b": 3, "c": 4}));
        assert_eq!(serde_json::to_string(&merged).unwrap(), r#"{"a":1,"b":3,"c":4}"#);

        let name: Text<Native> = text(Rc::from("op"));
        let fields = vec![("operation", Field::Text(&name)), ("phase", Field::Str("progress")), ("n", Field::Num(0.5))];
        let object = Native::object(fields, Some(&json!({"phase": "mine", "extra": true})));
        assert_eq!(
            serde_json::to_string(&object).unwrap(),
            r#"{"operation":"op","phase":"mine","n":0.5,"extra":true}"#
        );
    }

    #[test]
    fn the_fallback_randomness_differs_between_refills() {
        let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
        fill_fallback(&mut a);
        fill_fallback(&mut b);
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 64]);
    }

    #[test]
    fn ids_are_distinct_v4_uuids() {
        let ids: std::collections::HashSet<String> = (0..600).map(|_| Native::new_id().text.to_string()).collect();
        assert_eq!(ids.len(), 600);
        assert!(ids.iter().all(|id| id.len() == 36 && id.as_bytes()[14] == b'4'));
    }
}
