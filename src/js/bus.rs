//! `EventBus` and `getEventBus` for JavaScript.

use crate::prelude::*;

use crate::core::local::Local;
use core::cell::RefCell;

use super::abi::{self, arg, instance, with};
use super::args::{self, to_js, JsResult, Options};
use super::emitter::settled;
use super::event::read_event;
use super::host::{Callback, JsHost};
use super::value::{get, Array, JsValue, Object, Promise};
use super::{ffi, registry};
use crate::core::args as rules;
use crate::core::bus::{Bus, SubscribeOptions};
use crate::core::error::{about, concat, decimal, Name};

pub struct EventBus {
    core: Bus<JsHost>,
    handle: u32,
    /// A WeakRef to this bus's hub (see host.js).
    hub: JsValue,
    /// The hub itself, until the JavaScript object takes it (`__takeHub`):
    /// a bus made without the JS entry keeps its handlers alive from here.
    owned_hub: RefCell<Option<JsValue>>,
}

impl abi::Class for EventBus {
    const ID: u32 = 0;
}

impl Drop for EventBus {
    fn drop(&mut self) {
        registry::release(self.handle);
    }
}

/// The default bus, once made: its JavaScript object and its core.
type DefaultBus = Option<(JsValue, Bus<JsHost>)>;
static DEFAULT_BUS: Local<RefCell<DefaultBus>> = Local::new(RefCell::new(None));

/// The process-wide default bus: its JavaScript object and its core.
pub fn default_bus() -> (JsValue, Bus<JsHost>) {
    if let Some(found) = DEFAULT_BUS.with(|d| d.borrow().clone()) {
        return found;
    }
    let bus = EventBus::wrap(Bus::default());
    let core = bus.core.clone();
    let js = abi::to_js(bus);
    DEFAULT_BUS.with(|d| *d.borrow_mut() = Some((js.clone(), core.clone())));
    (js, core)
}

impl EventBus {
    fn wrap(core: Bus<JsHost>) -> EventBus {
        let handle = registry::register_bus(&core);
        let hub = ffi::new_hub();
        EventBus { core, handle, hub: ffi::weak_ref(&hub), owned_hub: RefCell::new(Some(hub)) }
    }
}

fn js_set(target: &Object, key: &str, value: &JsValue) {
    // Keys here are the binding's own names, so a plain set is safe.
    target.set(&JsValue::from_str(key), value);
}

fn patterns(v: &JsValue) -> JsResult<Vec<String>> {
    if args::Kind::of(v) == args::Kind::String {
        return Ok(vec![String::from(&*args::identifier("patterns", v)?.text)]);
    }
    if args::Kind::of(v) != args::Kind::Array {
        return Err(args::type_error("patterns must be a string or an array of strings".into()));
    }
    args::array("patterns", v)?
        .iter()
        .enumerate()
        .map(|(i, p)| Ok(String::from(&*args::identifier(&concat(&["patterns[", &decimal(i as u64), "]"]), &p)?.text)))
        .collect()
}

impl EventBus {
    /// Publishes an event handed in from JavaScript. Events the library made
    /// are frozen and go out as they are; a look-alike object is checked and
    /// published as a frozen event with the same fields.
    fn publish_checked(&self, event: &JsValue) -> JsResult<Vec<JsValue>> {
        let fields = read_event("event", event)?;
        let event_type = fields.event_type.text().text.clone();
        let event = if ffi::is_frozen(event) { event.clone() } else { fields.into_event()? };
        Ok(self.core.publish(&event_type, &event))
    }
}

/// An `AbortSignal` (anything with `aborted` and `addEventListener`), or undefined.
fn abort_signal(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<JsValue>> {
    if v.is_undefined() {
        return Ok(None);
    }
    let listener = if v.is_object() { get(v, &args::js_key("addEventListener")) } else { JsValue::UNDEFINED };
    if !listener.is_function() {
        return Err(args::type_error(about(arg, &[" must be an AbortSignal"])));
    }
    Ok(Some(v.clone()))
}

impl EventBus {
    pub fn new(options: &JsValue) -> JsResult<EventBus> {
        let options = Options::new("options", options)?;
        let limit = options.field("deadLetterLimit", args::opt_number)?;
        let core = Bus::with_limit(&options.name("deadLetterLimit"), limit).map_err(to_js)?;
        Ok(EventBus::wrap(core))
    }

    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// Hands the hub to the JavaScript object, which from then on is what
    /// keeps the handlers alive (see host.js).
    pub fn take_hub(&self) -> JsValue {
        self.owned_hub.borrow_mut().take().unwrap_or_else(|| ffi::deref(&self.hub))
    }

    pub fn subscribe(&self, patterns: &JsValue, handler: &JsValue, options: &JsValue) -> JsResult<String> {
        let sources = self::patterns(patterns)?;
        let compiled = Bus::<JsHost>::compile_patterns("patterns", &sources).map_err(to_js)?;
        let handler = Callback::hold(&self.hub, &args::function("handler", handler)?);
        let options = Options::new("options", options)?;
        let subscriber_id = match options.field("subscriberId", |arg, v| {
            if v.is_undefined() {
                Ok(None)
            } else {
                args::identifier(arg, v).map(Some)
            }
        })? {
            Some(id) => Some(rules::non_empty(&options.name("subscriberId"), &id.text).map_err(to_js)?.to_string()),
            None => None,
        };
        let filter = options.field("filter", args::opt_function)?.map(|f| Callback::hold(&self.hub, &f));
        let priority = match options.field("priority", args::opt_number)? {
            Some(p) => rules::subscription_priority(&options.name("priority"), p).map_err(to_js)?,
            None => 0,
        };
        let signal = options.field("signal", abort_signal)?;
        // An aborted signal subscribes nothing (and replaces nothing).
        if let Some(signal) = &signal {
            if ffi::is_aborted(signal) {
                return Ok(subscriber_id.unwrap_or_else(|| String::from(&*self.core.unused_default_id())));
            }
        }
        let id = self.core.subscribe(compiled, handler, SubscribeOptions { subscriber_id, filter, priority });
        if let Some(signal) = signal {
            let serial = self.core.serial_of(&id).unwrap_or(0);
            if ffi::on_abort(&signal, self.handle, &id, serial as f64).is_err() {
                self.core.unsubscribe_serial(&id, serial);
            }
        }
        Ok(String::from(&*id))
    }

    pub fn unsubscribe(&self, subscriber_id: &JsValue) -> JsResult<bool> {
        Ok(self.core.unsubscribe(&args::string("subscriberId", subscriber_id)?))
    }

    pub fn publish(&self, event: &JsValue) -> JsResult<()> {
        self.publish_checked(event).map(drop)
    }

    /// See `emitter::settled`.
    pub fn publish_async(&self, event: &JsValue) -> Promise {
        settled(self.publish_checked(event))
    }

    pub fn get_stats(&self) -> Object {
        let stats = self.core.stats();
        let out = Object::new();
        js_set(&out, "eventsPublished", &(stats.events_published as f64).into());
        js_set(&out, "eventsProcessed", &(stats.events_processed as f64).into());
        js_set(&out, "eventsFailed", &(stats.events_failed as f64).into());
        js_set(&out, "deadLetterCount", &(stats.dead_letter_count as f64).into());
        let entries = Array::new();
        for (id, patterns, priority) in stats.subscribers {
            let info = Object::new();
            let list: Array = patterns.iter().map(|p| JsValue::from_str(p)).collect();
            js_set(&info, "eventPatterns", &list);
            js_set(&info, "priority", &(priority as f64).into());
            entries.push(&Array::of2(&JsValue::from_str(&id), &info));
        }
        // fromEntries defines properties, so an id like "__proto__" stays a plain key.
        let subscribers = Object::from_entries(&entries, false);
        js_set(&out, "subscribers", &subscribers);
        out
    }

    pub fn reset_stats(&self) {
        self.core.reset_stats();
    }

    pub fn dead_letter_queue(&self) -> Array {
        self.core.dead_letters().into_iter().collect()
    }

    pub fn shutdown(&self) {
        self.core.shutdown();
    }

    /// Adds what host.js counted of the emits it ran (js/api.mjs calls this
    /// before the counters are read).
    pub fn count(&self, published: f64, processed: f64) {
        self.core.add_counts(published as u64, processed as u64);
    }
}

#[no_mangle]
pub extern "C" fn eventbus_new(options: u32) -> u32 {
    abi::Ret::abi(EventBus::new(&arg(options)).map(instance))
}

#[no_mangle]
pub extern "C" fn eventbus_free(ptr: u32) {
    abi::free::<EventBus>(ptr);
}

abi::methods! { EventBus {
    eventbus_get___handle() -> u32 = handle;
    eventbus___takeHub() -> u32 = take_hub;
    eventbus_subscribe(patterns, handler, options) -> u32 = subscribe;
    eventbus_unsubscribe(subscriber_id) -> u32 = unsubscribe;
    eventbus_publish(event) -> () = publish;
    eventbus_publishAsync(event) -> u32 = publish_async;
    eventbus_getStats() -> u32 = get_stats;
    eventbus_resetStats() -> () = reset_stats;
    eventbus_get_deadLetterQueue() -> u32 = dead_letter_queue;
    eventbus_shutdown() -> () = shutdown;
}}

#[no_mangle]
pub extern "C" fn eventbus___count(this: u32, published: f64, processed: f64) {
    with(this, |bus: &EventBus| bus.count(published, processed))
}

/// A handler failure in an emit host.js ran, recorded as the core records
/// its own. Nothing happens once the bus is gone.
#[no_mangle]
pub extern "C" fn fn___recordFailure(bus_handle: u32, subscriber_id: u32, event_type: u32, event: u32, failure: u32) {
    let subscriber_id = arg(subscriber_id).as_string().unwrap_or_default();
    let event_type = arg(event_type).as_string().unwrap_or_default();
    let (event, failure) = (arg(event), arg(failure));
    if let Some(bus) = registry::find_bus(bus_handle) {
        bus.record_failure(&subscriber_id, &event_type, &event, &failure);
    }
}

/// Whether the subscription with `serial` is still on the bus: host.js asks
/// when something changed while it ran an emit.
#[no_mangle]
pub extern "C" fn fn___isActive(bus_handle: u32, serial: f64) -> u32 {
    abi::Ret::abi(registry::find_bus(bus_handle).is_some_and(|bus| bus.is_active(serial as u64)))
}

/// Where the core counts dispatches under way (see `bus::dispatch_depth_address`).
#[no_mangle]
pub extern "C" fn fn___dispatchDepthAddress() -> u32 {
    crate::core::bus::dispatch_depth_address() as u32
}

/// `getEventBus()`: the process-wide default bus.
#[no_mangle]
pub extern "C" fn fn_getEventBus() -> u32 {
    default_bus().0.into_slot()
}

/// Makes `bus` (made by the JS entry) the process-wide default bus.
#[no_mangle]
pub extern "C" fn fn_setDefaultBus(bus: u32) {
    let bus = arg(bus);
    let set = registry::bus("bus", &bus).map(|core| DEFAULT_BUS.with(|d| *d.borrow_mut() = Some((bus.clone(), core))));
    abi::Ret::abi(set)
}
