//! Finding the Rust side of a JavaScript `EventBus` or `EventEmitter` passed
//! as an argument: each instance exposes a numeric handle, and the handle is
//! looked up here. A forged or stale handle finds nothing (a `TypeError`),
//! never memory it should not.

use crate::prelude::*;

use crate::core::local::Local;
use core::cell::{Cell, RefCell};

use super::abi::arg;
use super::args::{type_error, JsResult};
use super::ffi;
use super::host::JsHost;
use super::value::{get, JsValue};
use crate::core::bus::Bus;
use crate::core::emitter::Emitter;
use crate::core::error::about;
use crate::core::float;

/// The hidden property every registered instance exposes.
pub const HANDLE_PROPERTY: &str = "__handle";

/// The EventBus and EventEmitter classes, once the JS entry registers them:
/// then only their instances are accepted, never a look-alike object.
static CLASSES: Local<RefCell<Option<(JsValue, JsValue)>>> = Local::new(RefCell::new(None));
static NEXT: Local<Cell<u32>> = Local::new(Cell::new(1));
static BUSES: Local<RefCell<Handles<Bus<JsHost>>>> = Local::new(RefCell::new(Handles(Vec::new())));
static EMITTERS: Local<RefCell<Handles<Emitter<JsHost>>>> = Local::new(RefCell::new(Handles(Vec::new())));

/// Values by handle, sorted by handle for a binary search. Handles are
/// handed out in increasing order, so an insert is nearly always a push; a
/// sorted `Vec` carries much less code into the wasm than a hash map.
struct Handles<T>(Vec<(u32, T)>);

impl<T: Clone> Handles<T> {
    fn at(&self, handle: u32) -> Result<usize, usize> {
        self.0.binary_search_by_key(&handle, |(h, _)| *h)
    }

    fn insert(&mut self, handle: u32, value: T) {
        match self.at(handle) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (handle, value)),
        }
    }

    fn get(&self, handle: u32) -> Option<T> {
        self.at(handle).ok().map(|i| self.0[i].1.clone())
    }

    fn remove(&mut self, handle: u32) {
        if let Ok(i) = self.at(handle) {
            self.0.remove(i);
        }
    }
}

fn next_handle() -> u32 {
    NEXT.with(|n| {
        let h = n.get();
        n.set(h.wrapping_add(1).max(1));
        h
    })
}

pub fn register_bus(bus: &Bus<JsHost>) -> u32 {
    let h = next_handle();
    BUSES.with(|m| m.borrow_mut().insert(h, bus.clone()));
    h
}

pub fn register_emitter(emitter: &Emitter<JsHost>) -> u32 {
    let h = next_handle();
    EMITTERS.with(|m| m.borrow_mut().insert(h, emitter.clone()));
    h
}

pub fn release(handle: u32) {
    BUSES.with(|m| m.borrow_mut().remove(handle));
    EMITTERS.with(|m| m.borrow_mut().remove(handle));
}

/// `registerClasses(EventBus, EventEmitter)`, by the JS entry (see `CLASSES`).
#[no_mangle]
pub extern "C" fn fn_registerClasses(bus: u32, emitter: u32) {
    let (bus, emitter) = (arg(bus), arg(emitter));
    CLASSES.with(|c| *c.borrow_mut() = Some((bus.clone(), emitter.clone())));
}

/// False when the classes are registered and `v` is not an instance of the one `pick`ed.
fn is_instance(v: &JsValue, pick: impl Fn(&(JsValue, JsValue)) -> &JsValue) -> bool {
    CLASSES.with(|c| c.borrow().as_ref().map_or(true, |classes| ffi::is_instance(v, pick(classes))))
}

fn handle_of(v: &JsValue) -> Option<u32> {
    if !v.is_object() {
        return None;
    }
    let h = get(v, &JsValue::from_str(HANDLE_PROPERTY)).as_f64()?;
    (h >= 1.0 && h <= u32::MAX as f64 && float::fract(h) == 0.0).then_some(h as u32)
}

/// The bus registered under `handle`, if its JavaScript object still exists.
pub fn find_bus(handle: u32) -> Option<Bus<JsHost>> {
    BUSES.with(|m| m.borrow().get(handle))
}

pub fn bus(arg: &str, v: &JsValue) -> JsResult<Bus<JsHost>> {
    Some(v)
        .filter(|v| is_instance(v, |c| &c.0))
        .and_then(handle_of)
        .and_then(|h| BUSES.with(|m| m.borrow().get(h)))
        .ok_or_else(|| type_error(about(arg, &[" must be an EventBus"])))
}

pub fn emitter(arg: &str, v: &JsValue) -> JsResult<Emitter<JsHost>> {
    Some(v)
        .filter(|v| is_instance(v, |c| &c.1))
        .and_then(handle_of)
        .and_then(|h| EMITTERS.with(|m| m.borrow().get(h)))
        .ok_or_else(|| type_error(about(arg, &[" must be an EventEmitter"])))
}
