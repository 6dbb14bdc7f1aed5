//! Event objects for JavaScript: `createEvent`, reading an event handed in,
//! the wire format, and the `EventType` / `Priority` constants.

use std::rc::Rc;

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::args::{self, to_js, type_error, JsResult, Options};
use super::ffi;
use super::host::JsHost;
use crate::core::emitter::{create_event, EventType, NewEvent};
use crate::core::event_type::STANDARD;
use crate::core::host::Text;
use crate::core::{args as rules, wire};

/// The fields of an event object, checked.
pub struct EventFields {
    pub event_type: EventType<JsHost>,
    pub source: Text<JsHost>,
    pub event_id: Text<JsHost>,
    pub timestamp_ms: f64,
    pub correlation_id: Option<Text<JsHost>>,
    pub data: JsValue,
    pub metadata: JsValue,
    pub priority: u8,
}

/// Reads and checks an event object (any object with the event's fields).
pub fn read_event(arg: &str, v: &JsValue) -> JsResult<EventFields> {
    args::object(arg, v)?;
    let e = Options::of(arg.to_string(), v.clone());
    Ok(EventFields {
        event_type: e.field("eventType", args::event_type)?,
        source: e.field("source", args::name)?,
        event_id: e.field("eventId", args::text)?,
        timestamp_ms: {
            let t = e.field("timestamp", args::number)?;
            rules::timestamp_ms(&e.name("timestamp"), t).map_err(to_js)?
        },
        correlation_id: e.field("correlationId", args::nullable_text)?,
        data: e.field("data", args::record)?,
        metadata: e.field("metadata", args::record)?,
        priority: {
            let p = e.field("priority", args::number)?;
            rules::priority(&e.name("priority"), p).map_err(to_js)?
        },
    })
}

#[wasm_bindgen(js_name = createEvent)]
pub fn create_event_js(event_type: JsValue, source: JsValue, options: JsValue) -> JsResult<JsValue> {
    let event_type = args::event_type("eventType", &event_type)?;
    let source = args::name("source", &source)?;
    let o = Options::new("options", &options)?;
    let event_id = match o.field("eventId", args::opt_text)? {
        Some(id) => {
            rules::non_empty(&o.name("eventId"), &id.text).map_err(to_js)?;
            Some(id)
        }
        None => None,
    };
    let timestamp_ms = match o.field("timestamp", args::opt_number)? {
        Some(t) => Some(rules::timestamp_ms(&o.name("timestamp"), t).map_err(to_js)?),
        None => None,
    };
    Ok(create_event(NewEvent {
        event_type,
        source,
        event_id,
        timestamp_ms,
        correlation_id: o.field("correlationId", args::nullable_text)?,
        data: o.field("data", args::opt_record)?,
        metadata: o.field("metadata", args::opt_record)?,
        priority: o.field("priority", args::priority)?,
    }))
}

/// JSON text of a JavaScript value, as `serde_json` reads it.
fn to_json_value(arg: &str, v: &JsValue) -> JsResult<serde_json::Value> {
    let text = ffi::json_stringify(v)
        .map_err(|e| type_error(format!("{arg} cannot be written as JSON: {}", ffi::error_message(&e))))?
        .as_string()
        .ok_or_else(|| type_error(format!("{arg} cannot be written as JSON")))?;
    serde_json::from_str(&text).map_err(|e| type_error(format!("{arg} cannot be written as JSON: {e}")))
}

/// A JavaScript value from JSON. JSON.parse defines keys as own properties,
/// so a `__proto__` key never reaches a prototype.
fn from_json_value(v: &serde_json::Value) -> JsResult<JsValue> {
    js_sys::JSON::parse(&v.to_string())
}

#[wasm_bindgen(js_name = eventToJSON)]
pub fn event_to_json(event: JsValue) -> JsResult<String> {
    let e = read_event("event", &event)?;
    let data = to_json_value("event.data", &e.data)?;
    let metadata = to_json_value("event.metadata", &e.metadata)?;
    Ok(wire::write(
        &e.event_type.text().text,
        &e.source.text,
        &e.event_id.text,
        e.timestamp_ms,
        e.correlation_id.as_ref().map(|c| &*c.text),
        &data,
        &metadata,
        e.priority,
    ))
}

#[wasm_bindgen(js_name = eventFromJSON)]
pub fn event_from_json(json: JsValue) -> JsResult<JsValue> {
    let text = args::string("json", &json)?;
    let w = wire::parse(&text).map_err(to_js)?;
    let text_of = |s: &str| Text::<JsHost> { text: Rc::from(s), host: JsValue::from_str(s) };
    let event_type = EventType::new("event_type", text_of(&w.event_type)).map_err(to_js)?;
    Ok(create_event(NewEvent {
        event_type,
        source: text_of(&w.source),
        event_id: w.event_id.as_deref().map(text_of),
        timestamp_ms: w.timestamp_ms,
        correlation_id: w.correlation_id.as_deref().map(text_of),
        data: Some(from_json_value(&w.data)?),
        metadata: Some(from_json_value(&w.metadata)?),
        priority: w.priority,
    }))
}

/// `EventType`: constant name → value, frozen.
#[wasm_bindgen(js_name = eventTypeConstants, skip_typescript)]
pub fn event_type_constants() -> JsValue {
    let entries: js_sys::Array =
        STANDARD.iter().map(|(k, v)| js_sys::Array::of2(&JsValue::from_str(k), &JsValue::from_str(v))).collect();
    frozen(entries)
}

/// `Priority`: NORMAL 0, HIGH 1, CRITICAL 2, frozen.
#[wasm_bindgen(js_name = priorityConstants, skip_typescript)]
pub fn priority_constants() -> JsValue {
    let entries: js_sys::Array = [("NORMAL", 0), ("HIGH", 1), ("CRITICAL", 2)]
        .iter()
        .map(|(k, v)| js_sys::Array::of2(&JsValue::from_str(k), &JsValue::from_f64(*v as f64)))
        .collect();
    frozen(entries)
}

fn frozen(entries: js_sys::Array) -> JsValue {
    let o = Object::from_entries(&entries).unwrap_or_else(|_| Object::new());
    Object::freeze(&o).into()
}

