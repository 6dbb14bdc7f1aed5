//! Event objects for JavaScript: `createEvent`, reading an event handed in,
//! the wire format, and the `EventType` / `Priority` constants.

use crate::prelude::*;

use alloc::rc::Rc;

use super::abi::{arg, Ret};
use super::args::{self, js_key, to_js, type_error, JsResult, Kind, Options};
use super::ffi;
use super::host::JsHost;
use super::value::{Array, JsValue, Object};
use crate::core::args as rules;
use crate::core::emitter::{create_event, EventType, NewEvent};
use crate::core::error::{about, concat, Error};
use crate::core::event_type::STANDARD;
use crate::core::host::Text;
use crate::core::wire::{self, Found, WireParts};

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

impl EventFields {
    /// A frozen event with these fields.
    pub fn into_event(self) -> JsResult<JsValue> {
        // The metadata is spread into the new event: copied first, where a trap may throw.
        let metadata = args::opt_record_copy("event.metadata", &self.metadata)?;
        Ok(create_event(NewEvent {
            event_type: self.event_type,
            source: self.source,
            event_id: Some(self.event_id),
            timestamp_ms: Some(self.timestamp_ms),
            correlation_id: self.correlation_id,
            data: Some(self.data),
            metadata,
            priority: self.priority,
        }))
    }
}

/// Reads and checks an event object (any object with the event's fields).
pub fn read_event(arg: &str, v: &JsValue) -> JsResult<EventFields> {
    args::object(arg, v)?;
    let e = Options::of(arg.to_string(), v);
    Ok(EventFields {
        event_type: Rc::unwrap_or_clone(e.field("eventType", args::event_type)?),
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

pub fn create_event_js(event_type: &JsValue, source: &JsValue, options: &JsValue) -> JsResult<JsValue> {
    let event_type = Rc::unwrap_or_clone(args::event_type("eventType", event_type)?);
    let source = args::name("source", source)?;
    let o = Options::new("options", options)?;
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
        metadata: o.field("metadata", args::opt_record_copy)?,
        priority: o.field("priority", args::priority)?,
    }))
}

/// Compact JSON of a value, by `JSON.stringify` (which writes a string that
/// is not well-formed UTF-16 with escapes, so nothing is lost).
fn stringify(arg: &str, v: &JsValue) -> JsResult<String> {
    let text = ffi::json_stringify(v)
        .map_err(|e| type_error(about(arg, &[" cannot be written as JSON: ", &ffi::error_message(&e)])))?;
    text.as_string().ok_or_else(|| type_error(about(arg, &[" cannot be written as JSON"])))
}

pub fn event_to_json(event: &JsValue) -> JsResult<String> {
    let e = read_event("event", event)?;
    let data = stringify("event.data", &e.data)?;
    let metadata = stringify("event.metadata", &e.metadata)?;
    for (arg, text) in [("event.data", &data), ("event.metadata", &metadata)] {
        if !text.starts_with('{') {
            return Err(type_error(about(arg, &[" must be written as a JSON object (check its toJSON)"])));
        }
    }
    let correlation_id = match &e.correlation_id {
        Some(id) => stringify("event.correlationId", &id.host)?,
        None => "null".to_string(),
    };
    Ok(wire::write(&WireParts {
        event_type: &stringify("event.eventType", &e.event_type.text().host)?,
        source: &stringify("event.source", &e.source.host)?,
        event_id: &stringify("event.eventId", &e.event_id.host)?,
        correlation_id: &correlation_id,
        data: &data,
        metadata: &metadata,
        timestamp_exp: &ffi::to_exponential(wire::seconds(e.timestamp_ms)),
        priority: e.priority,
    }))
}

pub fn event_from_json(json: &JsValue) -> JsResult<JsValue> {
    if Kind::of(json) != Kind::String {
        return Err(args::wrong_type("json", "a string", Kind::of(json)));
    }
    // Measured before the text is copied anywhere.
    wire::check_size(json.string_length() as usize).map_err(to_js)?;
    wire::check_depth(&json.as_string().unwrap_or_default()).map_err(to_js)?;
    // JSON.parse defines keys as own properties: a "__proto__" key never
    // reaches a prototype. Strings keep unpaired surrogates.
    let parsed = ffi::json_parse(json)
        .map_err(|e| to_js(Error::syntax(concat(&["json is not valid JSON: ", &ffi::error_message(&e)]))))?;
    match Kind::of(&parsed) {
        Kind::Object => {}
        k => return Err(to_js(wire::not_an_object(k.describe()))),
    }
    let new = wire::read::<JsHost>(|key| {
        let v = ffi::read_field(&parsed, &js_key(key));
        Ok(match Kind::of(&v) {
            Kind::Undefined => Found::Absent,
            Kind::Null => Found::Null,
            Kind::String => Found::Text(Text { text: Rc::from(v.as_string().unwrap_or_default()), host: v }),
            Kind::Number => Found::Number(v.as_f64().unwrap_or(f64::NAN)),
            Kind::Object => Found::Object(v),
            k => Found::Other(k.describe()),
        })
    })
    .map_err(to_js)?;
    Ok(create_event(new))
}

/// `EventType`: constant name → value, frozen.
pub fn event_type_constants() -> JsValue {
    let entries: Array =
        STANDARD.iter().map(|(k, v)| Array::of2(&JsValue::from_str(k), &JsValue::from_str(v))).collect();
    frozen(entries)
}

/// `Priority`: NORMAL 0, HIGH 1, CRITICAL 2, frozen.
pub fn priority_constants() -> JsValue {
    let entries: Array = [("NORMAL", 0), ("HIGH", 1), ("CRITICAL", 2)]
        .iter()
        .map(|(k, v)| Array::of2(&JsValue::from_str(k), &JsValue::from_f64(*v as f64)))
        .collect();
    frozen(entries)
}

fn frozen(entries: Array) -> JsValue {
    Object::from_entries(&entries, true).into()
}

#[no_mangle]
pub extern "C" fn fn_createEvent(event_type: u32, source: u32, options: u32) -> u32 {
    create_event_js(&arg(event_type), &arg(source), &arg(options)).abi()
}

#[no_mangle]
pub extern "C" fn fn_eventToJSON(event: u32) -> u32 {
    event_to_json(&arg(event)).abi()
}

#[no_mangle]
pub extern "C" fn fn_eventFromJSON(json: u32) -> u32 {
    event_from_json(&arg(json)).abi()
}

#[no_mangle]
pub extern "C" fn fn_eventTypeConstants() -> u32 {
    event_type_constants().abi()
}

#[no_mangle]
pub extern "C" fn fn_priorityConstants() -> u32 {
    priority_constants().abi()
}
