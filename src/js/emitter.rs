//! `EventEmitter`, `createEmitter` and `emitEvent` for JavaScript.

use crate::prelude::*;

use super::abi::{self, arg, with, Class, Ret};
use super::args::{self, to_js, type_error, JsResult, Options};
use super::bus::default_bus;
use super::host::{settle_all, JsHost};
use super::value::{Array, JsValue, Promise};
use super::{ffi, registry};
use crate::core::args::{self as rules, AlertLevel, MetricType};
use crate::core::bus::Bus;
use crate::core::emitter::{Emitter, Outcome, Progress};
use crate::core::error::{about, concat, decimal};

/// `eventBus` and the link that keeps the bus's handlers alive live on the
/// JavaScript object (js/api.mjs): a reference held here would be invisible
/// to the garbage collector and keep every cycle through a handler alive.
pub struct EventEmitter {
    core: Emitter<JsHost>,
    handle: u32,
}

impl Class for EventEmitter {
    const ID: u32 = 3;
}

impl Drop for EventEmitter {
    fn drop(&mut self) {
        registry::release(self.handle);
    }
}

/// The bus an emitter publishes on: the one given, or the default bus.
pub fn bus_or_default(arg: &str, v: &JsValue) -> JsResult<Bus<JsHost>> {
    if v.is_undefined() {
        Ok(default_bus().1)
    } else {
        registry::bus(arg, v)
    }
}

const EMIT_NAMES: [&str; 3] = ["eventType", "data", "options"];

/// What an async method returns: a promise of every handler settling, or
/// the refusal as a rejection (it never throws).
pub fn settled(result: JsResult<Vec<JsValue>>) -> Promise {
    match result {
        Ok(pending) => settle_all(pending),
        Err(e) => ffi::rejected(&e),
    }
}

/// The plan of `core`'s emits of `event_type`, for host.js to run until the
/// core reports a change: `[enabled, source, correlationId, defaultMetadata]`,
/// then per subscription reached, in dispatch order, `handler, filter,
/// subscriberId, serial` (handler and filter as WeakRefs).
pub fn plan_of(core: &Emitter<JsHost>, event_type: &JsValue) -> JsResult<Array> {
    let t = args::event_type("eventType", event_type)?;
    let plan = Array::new();
    plan.push(&JsValue::from_bool(core.enabled()));
    plan.push(&core.source().host);
    plan.push(&core.correlation_id().map_or(JsValue::NULL, |id| id.host));
    plan.push(&core.shared_default_metadata());
    for s in core.bus().route(&t.text().text).iter() {
        plan.push(s.handler.weak());
        plan.push(s.filter.as_ref().map_or(&JsValue::UNDEFINED, |f| f.weak()));
        plan.push(&JsValue::from_str(&s.id));
        plan.push(&JsValue::from_f64(s.serial as f64));
    }
    Ok(plan)
}

impl EventEmitter {
    /// An emit whose arguments `readEmit` (host.js) has read already.
    fn emit_read(&self, read: f64, event_type: &JsValue, data: &JsValue) -> JsResult<Vec<JsValue>> {
        let (t, d, o) = args::emit_call_read(EMIT_NAMES, read, event_type, data)?;
        Ok(self.core.emit(&t, d, o))
    }

    fn batch(&self, events: &JsValue) -> JsResult<Vec<JsValue>> {
        // Every item is checked before anything is published.
        let mut checked = Vec::new();
        for (i, item) in args::array("events", events)?.iter().enumerate() {
            let arg = concat(&["events[", &decimal(i as u64), "]"]);
            args::object(&arg, &item)?;
            let options = args::emit_options(&arg, &item)?;
            let item = Options::of(arg, &item);
            let event_type = item.field("eventType", args::event_type)?;
            let data = item.field("data", args::opt_record)?;
            checked.push((event_type, data, options));
        }
        Ok(checked.into_iter().flat_map(|(t, d, o)| self.core.emit(&t, d, o)).collect())
    }

    fn end(&self, correlation_id: &JsValue, operation_name: &JsValue, options: &JsValue) -> JsResult<Vec<JsValue>> {
        let id = args::text("correlationId", correlation_id)?;
        let name = args::name("operationName", operation_name)?;
        let o = Options::new("options", options)?;
        let success = match o.get("success")? {
            v if v.is_undefined() => true,
            v => args::boolean(&o.name("success"), &v)?,
        };
        let result = o.get("result")?;
        let outcome = Outcome {
            success,
            result: (!result.is_undefined()).then_some(result),
            error: o.field("error", args::opt_text)?,
        };
        Ok(self.core.end_operation(&id, &name, outcome))
    }
}

impl EventEmitter {
    pub fn new(source: &JsValue, event_bus: &JsValue) -> JsResult<EventEmitter> {
        let source = args::name("source", source)?;
        let core = Emitter::new(source, bus_or_default("eventBus", event_bus)?);
        let handle = registry::register_emitter(&core);
        Ok(EventEmitter { core, handle })
    }

    pub fn handle(&self) -> u32 {
        self.handle
    }

    pub fn source(&self) -> JsValue {
        self.core.source().host.clone()
    }

    pub fn enabled(&self) -> bool {
        self.core.enabled()
    }

    pub fn set_enabled(&self, enabled: &JsValue) -> JsResult<()> {
        self.core.set_enabled(args::boolean("enabled", enabled)?);
        Ok(())
    }

    pub fn default_correlation_id(&self) -> JsValue {
        self.core.correlation_id().map(|t| t.host).unwrap_or(JsValue::NULL)
    }

    pub fn default_metadata(&self) -> JsValue {
        self.core.default_metadata()
    }

    /// The checked path of `emit` and `emitSync` (js/api.mjs), given what
    /// `readEmit` read of `(eventType, data, options)`.
    pub fn emit_with_read(&self, read: f64, event_type: &JsValue, data: &JsValue) -> JsResult<()> {
        self.emit_read(read, event_type, data).map(drop)
    }

    /// The checked path of `emitAsync` (see [`settled`]).
    pub fn emit_async_with_read(&self, read: f64, event_type: &JsValue, data: &JsValue) -> Promise {
        settled(self.emit_read(read, event_type, data))
    }

    /// The plan of this emitter's emits of `eventType` (see [`plan_of`]).
    pub fn plan(&self, event_type: &JsValue) -> JsResult<Array> {
        plan_of(&self.core, event_type)
    }

    pub fn emit_batch(&self, events: &JsValue) -> JsResult<()> {
        self.batch(events).map(drop)
    }

    /// See [`settled`].
    pub fn emit_batch_async(&self, events: &JsValue) -> Promise {
        settled(self.batch(events))
    }

    pub fn start_operation(&self, operation_name: &JsValue, operation_data: &JsValue) -> JsResult<JsValue> {
        let name = args::name("operationName", operation_name)?;
        let data = args::opt_record("operationData", operation_data)?;
        Ok(self.core.start_operation(&name, data).0.host)
    }

    pub fn update_operation(
        &self,
        correlation_id: &JsValue,
        operation_name: &JsValue,
        options: &JsValue,
    ) -> JsResult<()> {
        let id = args::text("correlationId", correlation_id)?;
        let name = args::name("operationName", operation_name)?;
        let progress = progress_options(&Options::new("options", options)?)?;
        self.core.update_operation(&id, &name, progress);
        Ok(())
    }

    pub fn end_operation(&self, correlation_id: &JsValue, operation_name: &JsValue, options: &JsValue) -> JsResult<()> {
        self.end(correlation_id, operation_name, options).map(drop)
    }

    pub fn emit_error(&self, error_type: &JsValue, error_message: &JsValue, options: &JsValue) -> JsResult<()> {
        let error_type = args::text("errorType", error_type)?;
        let message = args::text("errorMessage", error_message)?;
        let o = Options::new("options", options)?;
        let context = o.field("context", args::opt_object)?;
        let correlation_id = o.field("correlationId", args::nullable_text)?;
        self.core.emit_error(&error_type, &message, context, correlation_id);
        Ok(())
    }

    pub fn emit_metric(&self, metric_name: &JsValue, value: &JsValue, options: &JsValue) -> JsResult<()> {
        let name = args::text("metricName", metric_name)?;
        match args::Kind::of(value) {
            args::Kind::Number => {
                rules::finite("value", value.as_f64().unwrap_or(f64::NAN)).map_err(to_js)?;
            }
            args::Kind::String | args::Kind::Boolean => {}
            k => return Err(args::wrong_type("value", "a number, a string or a boolean", k)),
        }
        let o = Options::new("options", options)?;
        let metric_type = match o.field("metricType", args::opt_text)? {
            Some(t) => MetricType::parse(&o.name("metricType"), &t.text).map_err(to_js)?,
            None => MetricType::Gauge,
        };
        let labels = o.field("labels", args::opt_record_copy)?;
        if let Some(labels) = &labels {
            match ffi::non_string_value(labels).as_string() {
                Some(key) if key.is_empty() => {}
                Some(key) => return Err(type_error(about(&o.name("labels"), &[".", &key, " must be a string"]))),
                None => return Err(args::unreadable(&o.name("labels"))),
            }
        }
        self.core.emit_metric(&name, value.clone(), metric_type, labels);
        Ok(())
    }

    pub fn emit_alert(
        &self,
        alert_name: &JsValue,
        level: &JsValue,
        message: &JsValue,
        options: &JsValue,
    ) -> JsResult<()> {
        let name = args::text("alertName", alert_name)?;
        let level = AlertLevel::parse("level", &args::string("level", level)?).map_err(to_js)?;
        let message = args::text("message", message)?;
        let o = Options::new("options", options)?;
        let present = |v: JsValue| (!v.is_undefined()).then_some(v);
        let threshold = present(o.get("threshold")?);
        let current_value = present(o.get("currentValue")?);
        self.core.emit_alert(&name, level, &message, threshold, current_value);
        Ok(())
    }

    pub fn set_correlation_context(&self, correlation_id: &JsValue) -> JsResult<()> {
        self.core.set_correlation_id(Some(args::text("correlationId", correlation_id)?));
        Ok(())
    }

    pub fn clear_correlation_context(&self) {
        self.core.set_correlation_id(None);
    }

    pub fn set_default_metadata(&self, metadata: &JsValue) -> JsResult<()> {
        let copy = args::opt_record_copy("metadata", metadata)?
            .ok_or_else(|| type_error("metadata must be an object (not an array), got undefined".into()))?;
        self.core.set_default_metadata(&copy);
        Ok(())
    }

    pub fn enable(&self) {
        self.core.set_enabled(true);
    }

    pub fn disable(&self) {
        self.core.set_enabled(false);
    }
}

#[no_mangle]
pub extern "C" fn eventemitter_new(source: u32, event_bus: u32) -> u32 {
    EventEmitter::new(&arg(source), &arg(event_bus)).map(abi::instance).abi()
}

#[no_mangle]
pub extern "C" fn eventemitter_free(ptr: u32) {
    abi::free::<EventEmitter>(ptr)
}

abi::methods! { EventEmitter {
    eventemitter_get___handle() -> u32 = handle;
    eventemitter_get_source() -> u32 = source;
    eventemitter_get_enabled() -> u32 = enabled;
    eventemitter_set_enabled(enabled) -> () = set_enabled;
    eventemitter_get_defaultCorrelationId() -> u32 = default_correlation_id;
    eventemitter_get_defaultMetadata() -> u32 = default_metadata;
    eventemitter___plan(event_type) -> u32 = plan;
    eventemitter_emitBatch(events) -> () = emit_batch;
    eventemitter_emitBatchAsync(events) -> u32 = emit_batch_async;
    eventemitter_startOperation(operation_name, operation_data) -> u32 = start_operation;
    eventemitter_updateOperation(correlation_id, operation_name, options) -> () = update_operation;
    eventemitter_endOperation(correlation_id, operation_name, options) -> () = end_operation;
    eventemitter_emitError(error_type, error_message, options) -> () = emit_error;
    eventemitter_emitMetric(metric_name, value, options) -> () = emit_metric;
    eventemitter_emitAlert(alert_name, level, message, options) -> () = emit_alert;
    eventemitter_setCorrelationContext(correlation_id) -> () = set_correlation_context;
    eventemitter_clearCorrelationContext() -> () = clear_correlation_context;
    eventemitter_setDefaultMetadata(metadata) -> () = set_default_metadata;
    eventemitter_enable() -> () = enable;
    eventemitter_disable() -> () = disable;
}}

// The checked paths of emits take the number readEmit (host.js) packed.
#[no_mangle]
pub extern "C" fn eventemitter___emit(this: u32, read: f64, event_type: u32, data: u32) {
    let (event_type, data) = (arg(event_type), arg(data));
    with(this, |e: &EventEmitter| e.emit_with_read(read, &event_type, &data))
}

#[no_mangle]
pub extern "C" fn eventemitter___emitAsync(this: u32, read: f64, event_type: u32, data: u32) -> u32 {
    let (event_type, data) = (arg(event_type), arg(data));
    with(this, |e: &EventEmitter| e.emit_async_with_read(read, &event_type, &data))
}

/// `{ progress?, status?, data? }` of a progress update.
pub fn progress_options(o: &Options) -> JsResult<Progress<JsHost>> {
    let progress = match o.field("progress", args::opt_number)? {
        Some(p) => Some(rules::finite(&o.name("progress"), p).map_err(to_js)?),
        None => None,
    };
    Ok(Progress { progress, status: o.field("status", args::opt_text)?, data: o.field("data", args::opt_record_copy)? })
}

pub fn emit_event(event_type: &JsValue, source: &JsValue, data: &JsValue, options: &JsValue) -> JsResult<()> {
    let source = args::name("source", source)?;
    let (t, d, o) = args::emit_call(EMIT_NAMES, event_type, data, options)?;
    Emitter::new(source, default_bus().1).emit(&t, d, o);
    Ok(())
}

#[no_mangle]
pub extern "C" fn fn_emitEvent(event_type: u32, source: u32, data: u32, options: u32) {
    emit_event(&arg(event_type), &arg(source), &arg(data), &arg(options)).abi()
}
