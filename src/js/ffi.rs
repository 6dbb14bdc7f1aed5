//! Imports from JavaScript (js/glue.mjs wires them to `host.js`): `raw` as
//! the wasm module sees them, values as slots of the table of values; and
//! above it the same calls on `JsValue`s.

use crate::prelude::*;

use super::value::{Array, JsValue, Promise};

pub mod raw {
    #[link(wasm_import_module = "h")]
    extern "C" {
        // The table of values (js/glue.mjs).
        pub fn clone_value(v: u32) -> u32;
        pub fn drop_value(v: u32);
        pub fn string_from(ptr: *const u8, len: usize) -> u32;
        /// 1 and (ptr, len, capacity) at `out` when `v` is a string, else 0.
        pub fn string_of(v: u32, out: *mut u32) -> u32;
        /// The length of the string `v` in UTF-16 code units.
        pub fn string_length(v: u32) -> u32;
        pub fn number_from(n: f64) -> u32;
        pub fn number_of(v: u32) -> f64;
        pub fn array_new() -> u32;
        pub fn array_push(array: u32, v: u32);
        pub fn array_length(array: u32) -> u32;
        pub fn array_get(array: u32, i: u32) -> u32;
        pub fn object_new() -> u32;
        pub fn object_from_entries(entries: u32, freeze: u32) -> u32;
        pub fn object_set(object: u32, key: u32, value: u32);
        pub fn get(object: u32, key: u32) -> u32;
        /// `f(arg)`; what it returns or throws is dropped.
        pub fn call1(f: u32, arg: u32);
        pub fn error_new(kind: u32, ptr: *const u8, len: usize) -> u32;
        /// What this call of an export throws once it returns.
        pub fn fail(error: u32);
        /// The JavaScript object for a Rust object this module made (see `abi::Class`).
        pub fn wrap(class: u32, ptr: u32) -> u32;
        /// The value the last call that returned `u32::MAX` threw.
        pub fn take_thrown() -> u32;

        // host.js
        #[allow(clippy::too_many_arguments)]
        pub fn make_event(t: u32, s: u32, c: u32, d: u32, m: u32, o: u32, priority: u32) -> u32;
        #[allow(clippy::too_many_arguments)]
        pub fn make_given_event(t: u32, s: u32, c: u32, d: u32, m: u32, o: u32, priority: u32, id: u32, ts: u32)
            -> u32;
        pub fn new_id() -> u32;
        pub fn take_last() -> u32;
        pub fn kind_of(v: u32) -> u32;
        pub fn read_emit_options(object: u32) -> u32;
        pub fn plans_changed();
        pub fn read_emit(event_type: u32, data: u32, options: u32) -> f64;
        pub fn take_field(i: u32) -> u32;
        pub fn copy_record(v: u32) -> u32;
        pub fn copy_array(v: u32) -> u32;
        pub fn non_string_value(record: u32) -> u32;
        pub fn is_frozen(v: u32) -> u32;
        pub fn is_instance(v: u32, class: u32) -> u32;
        pub fn is_well_formed(text: u32) -> u32;
        pub fn read_field(object: u32, key: u32) -> u32;
        pub fn read_failed() -> u32;
        pub fn new_hub() -> u32;
        pub fn weak_ref(v: u32) -> u32;
        pub fn deref(weak: u32) -> u32;
        pub fn hub_set(hub: u32, key: u32, value: u32);
        pub fn hub_delete(hub: u32, key: u32);
        pub fn invoke(handler: u32, event: u32, token: u32) -> u32;
        pub fn accepts(filter: u32, event: u32) -> u32;
        pub fn is_aborted(signal: u32) -> u32;
        /// 0, or `u32::MAX` when it threw.
        pub fn on_abort(signal: u32, handle: u32, id: u32, serial: f64) -> u32;
        pub fn all_settled(list: u32) -> u32;
        pub fn rejected(error: u32) -> u32;
        pub fn deferred() -> u32;
        pub fn start_timer(delay_ms: f64, token: u32) -> u32;
        pub fn stop_timer(timer: u32);
        pub fn monotonic_ms() -> f64;
        pub fn snapshot(v: u32) -> u32;
        pub fn copy(v: u32) -> u32;
        pub fn build_object(keys_and_values: u32, spread: u32) -> u32;
        pub fn error_message(error: u32) -> u32;
        /// The value, or `u32::MAX` when it threw.
        pub fn json_stringify(v: u32) -> u32;
        /// The value, or `u32::MAX` when it threw.
        pub fn json_parse(text: u32) -> u32;
        pub fn to_exponential(x: f64) -> u32;
        pub fn show_number(x: f64) -> u32;
        pub fn type_slot(v: u32) -> i32;
        pub fn remember_type(v: u32, slot: u32);
        pub fn forget_types();
        pub fn set_logger_object(logger: u32);
        pub fn report(message: u32, error: u32);
    }
}

fn value(slot: u32) -> JsValue {
    JsValue::from_slot(slot)
}

/// What a call that may throw returned: its value, or what it threw.
fn caught(slot: u32) -> Result<JsValue, JsValue> {
    if slot == u32::MAX {
        Err(value(unsafe { raw::take_thrown() }))
    } else {
        Ok(value(slot))
    }
}

/// An event with a fresh id, made now; `over` undefined: `metadata` as is.
pub fn make_event(
    t: &JsValue,
    s: &JsValue,
    c: &JsValue,
    d: &JsValue,
    m: &JsValue,
    o: &JsValue,
    priority: u8,
) -> JsValue {
    value(unsafe { raw::make_event(t.slot(), s.slot(), c.slot(), d.slot(), m.slot(), o.slot(), priority as u32) })
}

/// The same with `event_id` and `timestamp` given when not undefined.
#[allow(clippy::too_many_arguments)]
pub fn make_given_event(
    t: &JsValue,
    s: &JsValue,
    c: &JsValue,
    d: &JsValue,
    m: &JsValue,
    o: &JsValue,
    priority: u8,
    id: &JsValue,
    ts: &JsValue,
) -> JsValue {
    let (p, id, ts) = (priority as u32, id.slot(), ts.slot());
    value(unsafe { raw::make_given_event(t.slot(), s.slot(), c.slot(), d.slot(), m.slot(), o.slot(), p, id, ts) })
}

pub fn new_id() -> JsValue {
    value(unsafe { raw::new_id() })
}
pub fn take_last() -> JsValue {
    value(unsafe { raw::take_last() })
}
pub fn kind_of(v: &JsValue) -> u32 {
    unsafe { raw::kind_of(v.slot()) }
}
pub fn read_emit_options(object: &JsValue) -> u32 {
    unsafe { raw::read_emit_options(object.slot()) }
}
/// The core's plans of emits are out of date (see `Host::changed`).
pub fn plans_changed() {
    unsafe { raw::plans_changed() }
}
pub fn read_emit(event_type: &JsValue, data: &JsValue, options: &JsValue) -> f64 {
    unsafe { raw::read_emit(event_type.slot(), data.slot(), options.slot()) }
}
pub fn take_field(i: u32) -> JsValue {
    value(unsafe { raw::take_field(i) })
}
pub fn copy_record(v: &JsValue) -> JsValue {
    value(unsafe { raw::copy_record(v.slot()) })
}
pub fn copy_array(v: &JsValue) -> JsValue {
    value(unsafe { raw::copy_array(v.slot()) })
}
pub fn non_string_value(record: &JsValue) -> JsValue {
    value(unsafe { raw::non_string_value(record.slot()) })
}
pub fn is_frozen(v: &JsValue) -> bool {
    unsafe { raw::is_frozen(v.slot()) != 0 }
}
pub fn is_instance(v: &JsValue, class: &JsValue) -> bool {
    unsafe { raw::is_instance(v.slot(), class.slot()) != 0 }
}
pub fn is_well_formed(text: &JsValue) -> bool {
    unsafe { raw::is_well_formed(text.slot()) != 0 }
}
pub fn read_field(object: &JsValue, key: &JsValue) -> JsValue {
    value(unsafe { raw::read_field(object.slot(), key.slot()) })
}
pub fn read_failed() -> bool {
    unsafe { raw::read_failed() != 0 }
}
pub fn new_hub() -> JsValue {
    value(unsafe { raw::new_hub() })
}
pub fn weak_ref(v: &JsValue) -> JsValue {
    value(unsafe { raw::weak_ref(v.slot()) })
}
pub fn deref(weak: &JsValue) -> JsValue {
    value(unsafe { raw::deref(weak.slot()) })
}
pub fn hub_set(hub: &JsValue, key: &JsValue, v: &JsValue) {
    unsafe { raw::hub_set(hub.slot(), key.slot(), v.slot()) }
}
pub fn hub_delete(hub: &JsValue, key: &JsValue) {
    unsafe { raw::hub_delete(hub.slot(), key.slot()) }
}
pub fn invoke(handler: &JsValue, event: &JsValue, token: u32) -> u32 {
    unsafe { raw::invoke(handler.slot(), event.slot(), token) }
}
pub fn accepts(filter: &JsValue, event: &JsValue) -> u32 {
    unsafe { raw::accepts(filter.slot(), event.slot()) }
}
pub fn is_aborted(signal: &JsValue) -> bool {
    unsafe { raw::is_aborted(signal.slot()) != 0 }
}
pub fn on_abort(signal: &JsValue, handle: u32, id: &str, serial: f64) -> Result<(), JsValue> {
    let id = JsValue::from_str(id);
    caught(unsafe { raw::on_abort(signal.slot(), handle, id.slot(), serial) }).map(drop)
}
pub fn all_settled(list: &Array) -> Promise {
    value(unsafe { raw::all_settled(list.slot()) }).into()
}
pub fn rejected(error: &JsValue) -> Promise {
    value(unsafe { raw::rejected(error.slot()) }).into()
}
pub fn deferred() -> JsValue {
    value(unsafe { raw::deferred() })
}
pub fn start_timer(delay_ms: f64, token: u32) -> JsValue {
    value(unsafe { raw::start_timer(delay_ms, token) })
}
pub fn call1(f: &JsValue, arg: &JsValue) {
    unsafe { raw::call1(f.slot(), arg.slot()) }
}
pub fn stop_timer(timer: &JsValue) {
    unsafe { raw::stop_timer(timer.slot()) }
}
pub fn monotonic_ms() -> f64 {
    unsafe { raw::monotonic_ms() }
}
pub fn snapshot(v: &JsValue) -> JsValue {
    value(unsafe { raw::snapshot(v.slot()) })
}
pub fn copy(v: &JsValue) -> JsValue {
    value(unsafe { raw::copy(v.slot()) })
}
pub fn build_object(keys_and_values: &Array, spread: &JsValue) -> JsValue {
    value(unsafe { raw::build_object(keys_and_values.slot(), spread.slot()) })
}
pub fn error_message(error: &JsValue) -> String {
    value(unsafe { raw::error_message(error.slot()) }).as_string().unwrap_or_default()
}
pub fn json_stringify(v: &JsValue) -> Result<JsValue, JsValue> {
    caught(unsafe { raw::json_stringify(v.slot()) })
}
pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue> {
    caught(unsafe { raw::json_parse(text.slot()) })
}
pub fn to_exponential(x: f64) -> String {
    value(unsafe { raw::to_exponential(x) }).as_string().unwrap_or_default()
}
/// `String(x)`: how messages write a number (see `crate::core::args::show`).
pub fn show_number(x: f64) -> String {
    value(unsafe { raw::show_number(x) }).as_string().unwrap_or_default()
}
pub fn type_slot(v: &JsValue) -> i32 {
    unsafe { raw::type_slot(v.slot()) }
}
pub fn remember_type(v: &JsValue, slot: u32) {
    unsafe { raw::remember_type(v.slot(), slot) }
}
pub fn forget_types() {
    unsafe { raw::forget_types() }
}
pub fn set_logger_object(logger: &JsValue) {
    unsafe { raw::set_logger_object(logger.slot()) }
}
pub fn report(message: &str, error: &JsValue) {
    let message = JsValue::from_str(message);
    unsafe { raw::report(message.slot(), error.slot()) }
}
