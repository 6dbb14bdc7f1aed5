//! Events as native Rust values: building them, and the Codomyrmex wire format.

use std::rc::Rc;

use serde_json::Value;

use super::check;
use super::host::{text, Native};
use crate::core::args;
use crate::core::emitter::{self, EventType, NewEvent};
use crate::core::error::{Error, Result};
use crate::core::wire::{self, Found, WireParts};

/// One event, as handlers receive it.
///
/// Events built by this crate (by an [`EventEmitter`](super::EventEmitter),
/// [`create_event`] or [`Event::from_json`]) follow the schema's rules; one
/// built by hand is checked when it is published or written.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// A standard type (`"system.startup"`) or any custom name: non-empty, at
    /// most 256 characters, no whitespace.
    pub event_type: Rc<str>,
    /// Who emitted it (non-empty).
    pub source: Rc<str>,
    /// A UUID v4, lower-case and hyphenated, unless given.
    pub event_id: Rc<str>,
    /// Milliseconds since the Unix epoch (the wire format carries seconds).
    pub timestamp_ms: f64,
    /// The operation or conversation the event belongs to.
    pub correlation_id: Option<Rc<str>>,
    /// The payload: a JSON object.
    pub data: Value,
    /// Context about the payload: a JSON object.
    pub metadata: Value,
    /// 0 normal, 1 high, 2 critical.
    pub priority: u8,
}

impl Event {
    /// Writes the event in the Codomyrmex wire format, byte for byte as
    /// Python's `Event.to_json` does (timestamp in seconds).
    ///
    /// Refuses an event [`Event::from_json`] would not read back: an invalid
    /// type, timestamp or priority, data or metadata that are not objects or
    /// nest too deeply.
    ///
    /// ```
    /// use codomyrmex_events::{create_event, Event, EventOptions};
    /// use serde_json::json;
    ///
    /// let event = create_event("user.created", "accounts", EventOptions::new()
    ///     .data(json!({"id": 7, "name": "Zoë"}))
    ///     .correlation_id("req-1")
    ///     .event_id("5b1e0c8a-3f0e-4a57-9d1c-2f8b6a0e4c11")
    ///     .timestamp_ms(1_700_000_000_123.456)
    ///     .priority(1))?;
    ///
    /// let json = event.to_json()?;
    /// assert_eq!(json, concat!(
    ///     r#"{"event_type": "user.created", "source": "accounts", "#,
    ///     r#""event_id": "5b1e0c8a-3f0e-4a57-9d1c-2f8b6a0e4c11", "timestamp": 1700000000.123456, "#,
    ///     r#""correlation_id": "req-1", "data": {"id": 7, "name": "Zo\u00eb"}, "metadata": {}, "priority": 1}"#));
    ///
    /// assert_eq!(Event::from_json(&json)?, event);
    /// # Ok::<(), codomyrmex_events::Error>(())
    /// ```
    pub fn to_json(&self) -> Result<String> {
        check::wire_event(self)?;
        let literal = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let correlation_id = self.correlation_id.as_deref().map_or_else(|| "null".to_string(), literal);
        Ok(wire::write(&WireParts {
            event_type: &literal(&self.event_type),
            source: &literal(&self.source),
            event_id: &literal(&self.event_id),
            correlation_id: &correlation_id,
            data: &serde_json::to_string(&self.data).unwrap_or_default(),
            metadata: &serde_json::to_string(&self.metadata).unwrap_or_default(),
            timestamp_exp: &shortest_exp(wire::seconds(self.timestamp_ms)),
            priority: self.priority,
        }))
    }

    /// Reads an event in the Codomyrmex wire format. A missing `event_id` or
    /// `timestamp` gets a fresh id or the current time; missing `data` and
    /// `metadata` become `{}`.
    ///
    /// Refuses text that is not JSON ([`ErrorKind::Syntax`](crate::ErrorKind::Syntax)),
    /// keys of the wrong type ([`ErrorKind::Type`](crate::ErrorKind::Type)) and
    /// values out of range ([`ErrorKind::Range`](crate::ErrorKind::Range)), naming the key.
    ///
    /// ```
    /// use codomyrmex_events::{Event, ErrorKind};
    ///
    /// let event = Event::from_json(r#"{"event_type": "system.startup", "source": "boot"}"#)?;
    /// assert_eq!((&*event.event_type, &*event.source, event.priority), ("system.startup", "boot", 0));
    ///
    /// let refused = Event::from_json(r#"{"event_type": "a b", "source": "x"}"#).unwrap_err();
    /// assert_eq!(refused.kind, ErrorKind::Range);
    /// assert!(refused.message.starts_with("event_type"));
    /// # Ok::<(), codomyrmex_events::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Event> {
        wire::check_size(json.len())?;
        // Before serde_json, whose own recursion limit (128) is not ours.
        wire::check_depth(json)?;
        let value: Value =
            serde_json::from_str(json).map_err(|e| Error::syntax(format!("json is not valid JSON: {e}")))?;
        let Value::Object(mut map) = value else {
            return Err(wire::not_an_object(check::kind(&value)));
        };
        let new = wire::read::<Native>(|key| {
            Ok(match map.remove(key) {
                None => Found::Absent,
                Some(Value::Null) => Found::Null,
                Some(Value::String(s)) => Found::Text(text(Rc::from(s))),
                Some(Value::Number(n)) => Found::Number(n.as_f64().unwrap_or(f64::NAN)),
                Some(v @ Value::Object(_)) => Found::Object(v),
                Some(other) => Found::Other(check::kind(&other)),
            })
        })?;
        Ok(unwrap(emitter::create_event(new)))
    }
}

/// The shortest digits that read back as `x`, in exponent form, breaking an
/// exact tie towards the even digit as Python (and JavaScript) do: Rust's
/// `{:e}` finds the shortest length but rounds ties up, while `{:.N$e}`
/// rounds exactly, half to even, and is taken whenever it still reads back.
fn shortest_exp(x: f64) -> String {
    if !x.is_finite() {
        return (if x.is_nan() {
            "NaN"
        } else if x > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        })
        .to_string();
    }
    let shortest = format!("{x:e}");
    let precision = shortest.split_once('e').map_or(0, |(m, _)| m.trim_start_matches('-').len().saturating_sub(2));
    let even = format!("{x:.precision$e}");
    if even.parse::<f64>() == Ok(x) {
        even
    } else {
        shortest
    }
}

/// The event inside an `Rc` just made (a copy, should it ever be shared).
fn unwrap(event: Rc<Event>) -> Event {
    Rc::try_unwrap(event).unwrap_or_else(|shared| (*shared).clone())
}

/// Optional fields of [`create_event`]; absent ones get the schema's defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventOptions {
    /// The payload, an object (default `{}`; `Value::Null` counts as absent).
    pub data: Option<Value>,
    /// An object (default `{}`; `Value::Null` counts as absent).
    pub metadata: Option<Value>,
    /// Default: none.
    pub correlation_id: Option<String>,
    /// 0, 1 or 2 (default 0).
    pub priority: u8,
    /// A non-empty id (default: a fresh UUID v4).
    pub event_id: Option<String>,
    /// Milliseconds since the epoch, finite and ≥ 0 (default: now).
    pub timestamp_ms: Option<f64>,
}

impl EventOptions {
    /// No options: every field at its default.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`data`](Self::data).
    pub fn data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }
    /// Sets [`metadata`](Self::metadata).
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }
    /// Sets [`correlation_id`](Self::correlation_id).
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }
    /// Sets [`priority`](Self::priority).
    pub fn priority(mut self, priority: u8) -> Self {
        self.priority = priority;
        self
    }
    /// Sets [`event_id`](Self::event_id).
    pub fn event_id(mut self, id: impl Into<String>) -> Self {
        self.event_id = Some(id.into());
        self
    }
    /// Sets [`timestamp_ms`](Self::timestamp_ms).
    pub fn timestamp_ms(mut self, timestamp_ms: f64) -> Self {
        self.timestamp_ms = Some(timestamp_ms);
        self
    }
}

/// Builds an event outside any emitter: a fresh id and the current time
/// unless given, `{}` data and metadata, no correlation id, priority 0.
/// Refuses an invalid event type, an empty source and options out of range.
///
/// ```
/// use codomyrmex_events::{create_event, EventOptions, ErrorKind};
/// use serde_json::json;
///
/// let event = create_event("build.start", "ci", EventOptions::new().data(json!({"job": 12})))?;
/// assert_eq!(event.data, json!({"job": 12}));
/// assert_eq!(event.event_id.len(), 36);
///
/// let refused = create_event("build.start", "ci", EventOptions::new().priority(3)).unwrap_err();
/// assert_eq!((refused.kind, refused.message.as_str()),
///            (ErrorKind::Range, "options.priority must be an integer from 0 to 2, got 3"));
/// # Ok::<(), codomyrmex_events::Error>(())
/// ```
pub fn create_event(event_type: &str, source: &str, options: EventOptions) -> Result<Event> {
    let event_type = EventType::<Native>::new("event_type", text(Rc::from(event_type)))?;
    let source = text(Rc::from(args::non_empty("source", source)?));
    let event_id = match options.event_id {
        Some(id) => Some(text(Rc::from(args::non_empty("options.event_id", &id)?))),
        None => None,
    };
    let timestamp_ms = match options.timestamp_ms {
        Some(t) => Some(args::timestamp_ms("options.timestamp_ms", t)?),
        None => None,
    };
    let priority = args::priority("options.priority", f64::from(options.priority))?;
    let data = check::opt_record("options.data", options.data)?;
    let metadata = check::opt_record("options.metadata", options.metadata)?;
    Ok(unwrap(emitter::create_event(NewEvent {
        event_type,
        source,
        event_id,
        timestamp_ms,
        correlation_id: options.correlation_id.map(|id| text(Rc::from(id))),
        data,
        metadata,
        priority,
    })))
}

#[cfg(test)]
mod tests {
    use super::shortest_exp;
    use crate::core::wire::python_float;

    #[test]
    fn shortest_digits_break_ties_to_even_as_python() {
        // Each right-hand side is Python's repr of the float.
        for repr in [
            "9047413032370.312",
            "1700000000.123456",
            "0.30000000000000004",
            "1e-05",
            "5e-324",
            "1.7976931348623157e+308",
        ] {
            let mut out = String::new();
            python_float(&shortest_exp(repr.parse().unwrap()), &mut out);
            assert_eq!(out, repr);
        }
    }
}
