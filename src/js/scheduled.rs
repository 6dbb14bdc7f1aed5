//! `AsyncEventEmitter` and the handle of a delayed emit, on the host's `setTimeout`.

use crate::core::local::Local;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use super::abi::{self, arg, with, Class, Ret};
use super::args::{self, to_js, JsResult};
use super::emitter::{bus_or_default, plan_of, settled};
use super::ffi;
use super::host::JsHost;
use super::slab::Slab;
use super::value::{get, Array, JsValue, Promise};
use crate::core::args as rules;
use crate::core::emitter::{EmitOptions, Emitter, EventType, DEFAULT_ASYNC_SOURCE};
use crate::core::host::Text;

struct Pending {
    emitter: Emitter<JsHost>,
    event_type: Rc<EventType<JsHost>>,
    data: Option<JsValue>,
    /// Set while the timer is armed; cleared when it fires or is cancelled.
    token: Cell<Option<u32>>,
    timer: RefCell<JsValue>,
    done: JsValue,
    resolve: JsValue,
}

static ARMED: Local<RefCell<Slab<Rc<Pending>>>> = Local::new(RefCell::new(Slab::new()));

/// Called by the timer: publishes the event and resolves `done` with true.
pub fn fire(token: u32) {
    let Some(pending) = ARMED.with(|a| a.borrow_mut().remove(token)) else { return };
    pending.token.set(None);
    pending.emitter.emit(&pending.event_type, pending.data.clone(), EmitOptions::default());
    ffi::call1(&pending.resolve, &JsValue::TRUE);
}

pub struct ScheduledEmit {
    pending: Rc<Pending>,
}

impl Class for ScheduledEmit {
    const ID: u32 = 2;
}

impl ScheduledEmit {
    /// Stops the emit; true if it had not fired (nor been cancelled) yet.
    pub fn cancel(&self) -> bool {
        let Some(token) = self.pending.token.take() else { return false };
        ARMED.with(|a| a.borrow_mut().remove(token));
        ffi::stop_timer(&self.pending.timer.borrow());
        ffi::call1(&self.pending.resolve, &JsValue::FALSE);
        true
    }

    /// Resolves true once emitted, false if cancelled.
    pub fn done(&self) -> JsValue {
        self.pending.done.clone()
    }
}

#[no_mangle]
pub extern "C" fn scheduledemit_free(ptr: u32) {
    abi::free::<ScheduledEmit>(ptr)
}

abi::methods! { ScheduledEmit {
    scheduledemit_cancel() -> u32 = cancel;
    scheduledemit_get_done() -> u32 = done;
}}

/// `eventBus` lives on the JavaScript object, as for `EventEmitter`.
pub struct AsyncEventEmitter {
    core: Emitter<JsHost>,
}

impl Class for AsyncEventEmitter {
    const ID: u32 = 4;
}

impl AsyncEventEmitter {
    pub fn new(source: &JsValue, bus: &JsValue) -> JsResult<AsyncEventEmitter> {
        let source =
            if source.is_undefined() { Text::fixed(DEFAULT_ASYNC_SOURCE) } else { args::name("source", source)? };
        Ok(AsyncEventEmitter { core: Emitter::new(source, bus_or_default("bus", bus)?) })
    }

    pub fn source(&self) -> JsValue {
        self.core.source().host.clone()
    }

    /// Publishes now; resolves once every handler has settled (see
    /// `emitter::settled`). The checked path: js/api.mjs runs emits without a
    /// priority from the plan.
    pub fn emit(&self, event_type: &JsValue, data: &JsValue, priority: &JsValue) -> Promise {
        settled((|| {
            let t = args::event_type("eventType", event_type)?;
            let d = args::opt_record("data", data)?;
            let priority = args::priority("priority", priority)?;
            Ok(self.core.emit(&t, d, EmitOptions { priority, ..EmitOptions::default() }))
        })())
    }

    /// The plan of this emitter's emits of `eventType` (see `emitter::plan_of`).
    pub fn plan(&self, event_type: &JsValue) -> JsResult<Array> {
        plan_of(&self.core, event_type)
    }

    /// Publishes after `delayMs` milliseconds (default 0) on the host's timer.
    pub fn emit_later(&self, event_type: &JsValue, data: &JsValue, delay_ms: &JsValue) -> JsResult<ScheduledEmit> {
        let event_type = args::event_type("eventType", event_type)?;
        let data = args::opt_record("data", data)?;
        let delay = match args::opt_number("delayMs", delay_ms)? {
            Some(d) => rules::delay_ms("delayMs", d).map_err(to_js)?,
            None => 0.0,
        };
        let deferred = ffi::deferred();
        let field = |k: &str| get(&deferred, &JsValue::from_str(k));
        let pending = Rc::new(Pending {
            emitter: self.core.clone(),
            event_type,
            data,
            token: Cell::new(None),
            timer: RefCell::new(JsValue::UNDEFINED),
            done: field("promise"),
            resolve: field("resolve"),
        });
        let token = ARMED.with(|a| a.borrow_mut().insert(pending.clone()));
        pending.token.set(Some(token));
        *pending.timer.borrow_mut() = ffi::start_timer(delay, token);
        Ok(ScheduledEmit { pending })
    }
}

#[no_mangle]
pub extern "C" fn asynceventemitter_new(source: u32, bus: u32) -> u32 {
    AsyncEventEmitter::new(&arg(source), &arg(bus)).map(abi::instance).abi()
}

#[no_mangle]
pub extern "C" fn asynceventemitter_free(ptr: u32) {
    abi::free::<AsyncEventEmitter>(ptr)
}

abi::methods! { AsyncEventEmitter {
    asynceventemitter_get_source() -> u32 = source;
    asynceventemitter_emit(event_type, data, priority) -> u32 = emit;
    asynceventemitter___plan(event_type) -> u32 = plan;
}}

#[no_mangle]
pub extern "C" fn asynceventemitter_emitLater(this: u32, event_type: u32, data: u32, delay_ms: u32) -> u32 {
    let (event_type, data, delay_ms) = (arg(event_type), arg(data), arg(delay_ms));
    with(this, |e: &AsyncEventEmitter| e.emit_later(&event_type, &data, &delay_ms).map(abi::instance))
}
