//! Checks of JSON arguments: what JavaScript checks with `typeof`, checked
//! here on `serde_json::Value`. Range rules stay in `core::args`.

use serde_json::Value;

use super::event::Event;
use crate::core::error::{Error, Result};
use crate::core::{args, event_type, wire};

/// A value's JSON type, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Refuses anything but an object (arrays included): event data and
/// metadata, which the wire format carries as JSON objects.
fn is_record(arg: &str, value: &Value) -> Result<()> {
    if value.is_object() {
        Ok(())
    } else {
        Err(Error::type_error(format!("{arg} must be an object (not an array), got {}", kind(value))))
    }
}

/// An object (not an array).
pub fn record(arg: &str, value: Value) -> Result<Value> {
    is_record(arg, &value)?;
    Ok(value)
}

/// An optional object; `Value::Null` counts as absent.
pub fn opt_record(arg: &str, value: Option<Value>) -> Result<Option<Value>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => record(arg, value).map(Some),
    }
}

/// An optional object or array; `Value::Null` counts as absent.
pub fn opt_object(arg: &str, value: Option<Value>) -> Result<Option<Value>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value @ (Value::Object(_) | Value::Array(_))) => Ok(Some(value)),
        Some(other) => Err(Error::type_error(format!("{arg} must be an object, got {}", kind(&other)))),
    }
}

/// A metric value: a number, a string or a boolean.
pub fn metric_value(arg: &str, value: Value) -> Result<Value> {
    match value {
        Value::Number(_) | Value::String(_) | Value::Bool(_) => Ok(value),
        other => Err(Error::type_error(format!("{arg} must be a number, a string or a boolean, got {}", kind(&other)))),
    }
}

/// Metric labels: an object whose values are strings.
pub fn labels(arg: &str, value: Option<Value>) -> Result<Option<Value>> {
    let labels = opt_record(arg, value)?;
    if let Some(Value::Object(fields)) = &labels {
        if let Some((key, value)) = fields.iter().find(|(_, v)| !v.is_string()) {
            return Err(Error::type_error(format!("{arg}.{key} must be a string, got {}", kind(value))));
        }
    }
    Ok(labels)
}

/// Depth of arrays and objects in `value` (a scalar is 0), without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1)];
    while let Some((value, level)) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|item| (item, level + 1))),
            Value::Object(fields) => stack.extend(fields.values().map(|item| (item, level + 1))),
            _ => continue,
        }
        deepest = deepest.max(level);
    }
    deepest
}

/// An event as `publish` and `to_json` take it: every field within the
/// rules an event built by this crate follows (the fields JavaScript's
/// `publish` checks). Errors name the fields `event.*`.
pub fn event(e: &Event) -> Result<()> {
    event_type::validate("event.event_type", &e.event_type)?;
    args::non_empty("event.source", &e.source)?;
    args::timestamp_ms("event.timestamp_ms", e.timestamp_ms)?;
    args::priority("event.priority", f64::from(e.priority))?;
    is_record("event.data", &e.data)?;
    is_record("event.metadata", &e.metadata)
}

/// An event `to_json` may write: one `from_json` will read back, so data and
/// metadata nest no deeper than the wire format allows.
pub fn wire_event(e: &Event) -> Result<()> {
    event(e)?;
    for (key, value) in [("data", &e.data), ("metadata", &e.metadata)] {
        // The event object itself is the first level.
        if depth(value) + 1 > wire::MAX_WIRE_DEPTH {
            return Err(Error::range(format!(
                "event.{key} is nested too deeply: at most {} levels of arrays and objects, the event object included",
                wire::MAX_WIRE_DEPTH
            )));
        }
    }
    Ok(())
}
