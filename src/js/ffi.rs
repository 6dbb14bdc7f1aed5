//! Imports from `host.js`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/host.js")]
extern "C" {
    /// An event with a fresh id, made now; `over` undefined: `metadata` as is.
    #[wasm_bindgen(js_name = makeEvent)]
    pub fn make_event(
        event_type: &JsValue,
        source: &JsValue,
        correlation_id: &JsValue,
        data: &JsValue,
        metadata: &JsValue,
        over: &JsValue,
        priority: u8,
    ) -> JsValue;
    /// The same with `event_id` and `timestamp` given when not undefined.
    #[wasm_bindgen(js_name = makeGivenEvent)]
    #[allow(clippy::too_many_arguments)]
    pub fn make_given_event(
        event_type: &JsValue,
        source: &JsValue,
        correlation_id: &JsValue,
        data: &JsValue,
        metadata: &JsValue,
        over: &JsValue,
        priority: u8,
        event_id: &JsValue,
        timestamp: &JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = newId)]
    pub fn new_id() -> JsValue;
    #[wasm_bindgen(js_name = takeLast)]
    pub fn take_last() -> JsValue;
    #[wasm_bindgen(js_name = kindOf)]
    pub fn kind_of(value: &JsValue) -> u32;
    #[wasm_bindgen(js_name = readEmitOptions)]
    pub fn read_emit_options(object: &JsValue) -> u32;
    /// The core's plans of emits are out of date (see `Host::changed`).
    #[wasm_bindgen(js_name = plansChanged)]
    pub fn plans_changed();
    #[wasm_bindgen(js_name = readEmit)]
    pub fn read_emit(event_type: &JsValue, data: &JsValue, options: &JsValue) -> f64;
    #[wasm_bindgen(js_name = takeField)]
    pub fn take_field(i: u32) -> JsValue;
    #[wasm_bindgen(js_name = copyRecord)]
    pub fn copy_record(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = copyArray)]
    pub fn copy_array(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = nonStringValue)]
    pub fn non_string_value(record: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isFrozen)]
    pub fn is_frozen(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = isInstance)]
    pub fn is_instance(value: &JsValue, class: &JsValue) -> bool;
    #[wasm_bindgen(js_name = isWellFormed)]
    pub fn is_well_formed(text: &JsValue) -> bool;
    #[wasm_bindgen(js_name = readField)]
    pub fn read_field(object: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = readFailed)]
    pub fn read_failed() -> bool;
    #[wasm_bindgen(js_name = newHub)]
    pub fn new_hub() -> JsValue;
    #[wasm_bindgen(js_name = weakRef)]
    pub fn weak_ref(value: &JsValue) -> JsValue;
    pub fn deref(weak: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = hubSet)]
    pub fn hub_set(hub: &JsValue, key: &JsValue, value: &JsValue);
    #[wasm_bindgen(js_name = hubDelete)]
    pub fn hub_delete(hub: &JsValue, key: &JsValue);
    pub fn invoke(handler: &JsValue, event: &JsValue, token: u32) -> u32;
    pub fn accepts(filter: &JsValue, event: &JsValue) -> u32;
    #[wasm_bindgen(js_name = installCallbacks)]
    pub fn install_callbacks(on_settle: &JsValue, on_fire: &JsValue, on_aborted: &JsValue);
    #[wasm_bindgen(js_name = isAborted)]
    pub fn is_aborted(signal: &JsValue) -> bool;
    #[wasm_bindgen(js_name = onAbort, catch)]
    pub fn on_abort(signal: &JsValue, handle: u32, id: &str, serial: f64) -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = allSettled)]
    pub fn all_settled(list: &js_sys::Array) -> js_sys::Promise;
    pub fn rejected(error: &JsValue) -> js_sys::Promise;
    pub fn deferred() -> JsValue;
    #[wasm_bindgen(js_name = startTimer)]
    pub fn start_timer(delay_ms: f64, token: u32) -> JsValue;
    #[wasm_bindgen(js_name = stopTimer)]
    pub fn stop_timer(timer: &JsValue);
    #[wasm_bindgen(js_name = monotonicMs)]
    pub fn monotonic_ms() -> f64;
    pub fn snapshot(value: &JsValue) -> JsValue;
    pub fn copy(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = buildObject)]
    pub fn build_object(keys_and_values: &js_sys::Array, spread: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = errorMessage)]
    pub fn error_message(error: &JsValue) -> String;
    #[wasm_bindgen(js_name = jsonStringify, catch)]
    pub fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = jsonParse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = toExponential)]
    pub fn to_exponential(x: f64) -> String;
    #[wasm_bindgen(js_name = typeSlot)]
    pub fn type_slot(value: &JsValue) -> i32;
    #[wasm_bindgen(js_name = rememberType)]
    pub fn remember_type(value: &JsValue, slot: u32);
    #[wasm_bindgen(js_name = forgetTypes)]
    pub fn forget_types();
    #[wasm_bindgen(js_name = setLoggerObject)]
    pub fn set_logger_object(logger: &JsValue);
    pub fn report(message: &str, error: &JsValue);
}
