//! `toCloudEvent` / `fromCloudEvent`: CloudEvents 1.0 structured mode.

use super::abi::{arg, Ret};
use super::args::{self, js_key, to_js, JsResult, Options};
use super::event::read_event;
use super::value::{JsValue, Object};
use crate::core::cloudevents as ce;
use crate::core::emitter::{create_event, NewEvent};
use crate::core::error::{about, name_of};

fn set(target: &Object, key: &'static str, value: &JsValue) {
    // The binding's own attribute names: a plain set is safe.
    target.set(&js_key(key), value);
}

pub fn to_cloud_event(event: &JsValue) -> JsResult<Object> {
    let e = read_event("event", event)?;
    let out = Object::new();
    set(&out, "specversion", &js_key(ce::SPEC_VERSION));
    set(&out, "id", &e.event_id.host);
    let source = ce::source_uri(&e.source.text);
    // Unchanged sources keep their exact JavaScript string.
    set(&out, "source", &if *source == *e.source.text { e.source.host.clone() } else { JsValue::from_str(&source) });
    set(&out, "type", &e.event_type.text().host);
    set(&out, "time", &JsValue::from_str(&ce::format_time(e.timestamp_ms)));
    set(&out, "datacontenttype", &js_key(ce::DATA_CONTENT_TYPE));
    set(&out, "data", &e.data);
    if let Some(id) = &e.correlation_id {
        set(&out, ce::CORRELATION_EXTENSION, &id.host);
    }
    set(&out, ce::PRIORITY_EXTENSION, &JsValue::from_f64(f64::from(e.priority)));
    Ok(out)
}

pub fn from_cloud_event(cloud_event: &JsValue) -> JsResult<JsValue> {
    args::object("cloudEvent", cloud_event)?;
    let c = Options::of("cloudEvent".into(), cloud_event);
    let version = c.field("specversion", args::string)?;
    ce::check_spec_version(&name_of(&c.name("specversion")), &version).map_err(to_js)?;
    // Optional attributes set to null count as absent (the JSON event format allows it).
    if let Some(content_type) = c.field("datacontenttype", args::nullable_text)? {
        ce::check_content_type(&name_of(&c.name("datacontenttype")), &content_type.text).map_err(to_js)?;
    }
    let timestamp_ms = match c.field("time", args::nullable_text)? {
        Some(time) => Some(ce::parse_time(&name_of(&c.name("time")), &time.text).map_err(to_js)?),
        None => None,
    };
    let priority = match c.get("priority")? {
        v if v.is_undefined() || v.is_null() => 0,
        v => {
            let arg = name_of(&c.name("priority"));
            match (v.as_f64(), v.as_string()) {
                (Some(n), _) => ce::priority_from_number(&arg, n),
                (_, Some(s)) => ce::priority_from_string(&arg, &s),
                _ => return Err(args::type_error(about(&arg, &[" must be an integer or its string form"]))),
            }
            .map_err(to_js)?
        }
    };
    Ok(create_event(NewEvent {
        event_type: alloc::rc::Rc::unwrap_or_clone(c.field("type", args::event_type)?),
        source: c.field("source", args::name)?,
        event_id: Some(c.field("id", args::name)?),
        timestamp_ms,
        correlation_id: c.field(ce::CORRELATION_EXTENSION, args::nullable_text)?,
        data: c.field("data", args::opt_record)?,
        metadata: None,
        priority,
    }))
}

#[no_mangle]
pub extern "C" fn fn_toCloudEvent(event: u32) -> u32 {
    to_cloud_event(&arg(event)).abi()
}

#[no_mangle]
pub extern "C" fn fn_fromCloudEvent(cloud_event: u32) -> u32 {
    from_cloud_event(&arg(cloud_event)).abi()
}
