//! The core's [`Host`] for JavaScript: payloads, handlers and events are
//! JavaScript values passed by reference, never copied or serialized.

use crate::prelude::*;

use crate::core::local::Local;
use alloc::rc::Rc;
use core::cell::RefCell;

use super::abi::owned;
use super::args::js_key;
use super::scheduled;
use super::slab::Slab;
use super::value::{error, Array, JsValue, Object, Promise};
use super::{ffi, registry};
use crate::core::bus::Settlement;
use crate::core::error::ErrorKind;
use crate::core::host::{EventId, EventParts, Field, Host, Outcome, Text};

pub enum JsHost {}

/// A handler or filter as the core keeps it: a WeakRef, while its bus's hub
/// (see host.js) holds the function itself until this is dropped.
pub struct Callback {
    weak: JsValue,
    hub: JsValue,
}

impl Callback {
    /// Puts `function` in the hub (a WeakRef to it) and returns the weak handle.
    pub fn hold(hub: &JsValue, function: &JsValue) -> Rc<Callback> {
        let weak = ffi::weak_ref(function);
        ffi::hub_set(hub, &weak, function);
        Rc::new(Callback { weak, hub: hub.clone() })
    }
}

impl Callback {
    /// The WeakRef to the function.
    pub fn weak(&self) -> &JsValue {
        &self.weak
    }
}

impl Drop for Callback {
    /// The subscription is gone: the hub lets go of the function.
    fn drop(&mut self) {
        ffi::hub_delete(&self.hub, &self.weak);
    }
}

/// Settlements of handler promises, by token; `None` while a handler runs
/// (its token is set aside before the call, see `invoke`).
static SETTLEMENTS: Local<RefCell<Slab<Option<Settlement<JsHost>>>>> = Local::new(RefCell::new(Slab::new()));

/// A handler's promise settled (see `invoke` in host.js): `ok`, or failed
/// with `value`, `event` going with it to the dead letter.
#[no_mangle]
pub extern "C" fn cb_settle(token: u32, ok: u32, value: u32, event: u32) {
    let (value, event) = (owned(value), owned(event));
    let settlement = SETTLEMENTS.with(|s| s.borrow_mut().remove(token)).flatten();
    if let Some(settlement) = settlement {
        settlement.settle(if ok != 0 { Ok(()) } else { Err((value, event)) });
    }
}

/// The timer of a delayed emit fired (see `startTimer` in host.js).
#[no_mangle]
pub extern "C" fn cb_fire(token: u32) {
    scheduled::fire(token);
}

/// The AbortSignal of a subscription aborted (see `onAbort` in host.js).
#[no_mangle]
pub extern "C" fn cb_aborted(handle: u32, id: u32, serial: f64) {
    let id = owned(id).as_string().unwrap_or_default();
    if let Some(bus) = registry::find_bus(handle) {
        bus.unsubscribe_serial(&id, serial as u64);
    }
}

impl Host for JsHost {
    type Str = JsValue;
    type Value = JsValue;
    type Handler = Rc<Callback>;
    type Filter = Rc<Callback>;
    type Event = JsValue;
    type Failure = JsValue;
    type Pending = JsValue;

    fn monotonic_s() -> f64 {
        ffi::monotonic_ms() / 1000.0
    }

    fn new_id() -> Text<JsHost> {
        let host = ffi::new_id();
        Text { text: Rc::from(host.as_string().unwrap_or_default()), host }
    }

    fn string(text: &str) -> JsValue {
        JsValue::from_str(text)
    }

    fn fixed(text: &'static str) -> JsValue {
        js_key(text)
    }

    fn new_event(parts: EventParts<'_, Self>) -> JsValue {
        let (undefined, null) = (JsValue::UNDEFINED, JsValue::NULL);
        let correlation_id = parts.correlation_id.map_or(&null, |t| &t.host);
        let over = parts.metadata_over.unwrap_or(&undefined);
        let (event_type, source, data) = (&parts.event_type.host, &parts.source.host, &parts.data);
        match (parts.event_id, parts.timestamp_ms) {
            // Every emit: the host makes the id and reads the clock, with two arguments fewer to cross.
            (EventId::Fresh, None) => {
                ffi::make_event(event_type, source, correlation_id, data, parts.metadata, over, parts.priority)
            }
            (id, timestamp) => ffi::make_given_event(
                event_type,
                source,
                correlation_id,
                data,
                parts.metadata,
                over,
                parts.priority,
                match id {
                    EventId::Fresh => &undefined,
                    EventId::Given(text) => &text.host,
                },
                &timestamp.map_or(JsValue::UNDEFINED, JsValue::from_f64),
            ),
        }
    }

    fn invoke(handler: &Rc<Callback>, event: &JsValue, settlement: impl FnOnce() -> Settlement<Self>) -> Outcome<Self> {
        // The token is taken before the call, as the handler may emit and park
        // settlements of its own; host.js watches a returned promise under it.
        let token = SETTLEMENTS.with(|s| s.borrow_mut().insert(None));
        let outcome = ffi::invoke(&handler.weak, event, token);
        if outcome == 1 {
            let settlement = settlement();
            SETTLEMENTS.with(|s| s.borrow_mut().replace(token, Some(settlement)));
            return Outcome::Pending(ffi::take_last());
        }
        SETTLEMENTS.with(|s| s.borrow_mut().remove(token));
        if outcome == 0 {
            Outcome::Done
        } else {
            Outcome::Failed(ffi::take_last())
        }
    }

    fn accepts(filter: &Rc<Callback>, event: &JsValue) -> Result<bool, JsValue> {
        match ffi::accepts(&filter.weak, event) {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ffi::take_last()),
        }
    }

    fn empty() -> JsValue {
        Object::new().into()
    }

    fn snapshot(value: &JsValue) -> JsValue {
        ffi::snapshot(value)
    }

    fn copy(value: &JsValue) -> JsValue {
        ffi::copy(value)
    }

    fn object(fields: Vec<(&'static str, Field<'_, Self>)>, spread: Option<&JsValue>) -> JsValue {
        let flat = Array::new();
        for (key, value) in fields {
            flat.push(&js_key(key));
            flat.push(&match value {
                Field::Str(s) => js_key(s),
                Field::Text(t) => t.host.clone(),
                Field::Num(n) => JsValue::from_f64(n),
                Field::Bool(b) => JsValue::from_bool(b),
                Field::Null => JsValue::NULL,
                Field::Value(v) => v,
            });
        }
        ffi::build_object(&flat, spread.unwrap_or(&JsValue::UNDEFINED))
    }

    fn refusal(message: &str) -> JsValue {
        error(ErrorKind::Range, message)
    }

    fn report(message: &str, failure: &JsValue) {
        ffi::report(message, failure);
    }

    fn changed() {
        ffi::plans_changed();
    }
}

/// A promise that resolves once every pending handler result has settled (see allSettled in host.js).
pub fn settle_all(pending: Vec<JsValue>) -> Promise {
    ffi::all_settled(&pending.into_iter().collect::<Array>())
}
