//! The wasm-bindgen layer: JavaScript-facing classes and functions that check
//! argument types, translate values and call the core. No rules live here.

mod alloc;
mod args;
mod bus;
mod cloudevents;
mod context;
mod emitter;
mod event;
mod ffi;
mod host;
mod registry;
mod scheduled;
mod slab;

use wasm_bindgen::prelude::*;

pub use args::take_handed_over;
pub use bus::{get_event_bus, EventBus};
pub use context::EventOperationContext;
pub use emitter::{emit_event, EventEmitter};
pub use event::{create_event_js as create_event, event_from_json, event_to_json};
pub use scheduled::{AsyncEventEmitter, ScheduledEmit};

/// Routes failures inside emitters and the bus to `logger` (`null` silences them).
#[wasm_bindgen(js_name = setLogger)]
pub fn set_logger(logger: JsValue) -> Result<(), JsValue> {
    if !(logger.is_null() || logger.is_object()) {
        return Err(args::type_error("logger must be an object with debug/info/warn/error methods, or null".into()));
    }
    ffi::set_logger_object(&logger);
    Ok(())
}

/// In place of std's dlmalloc (about 8 KB of code): the browser downloads less.
#[global_allocator]
static ALLOCATOR: alloc::SizeClassAlloc = alloc::SizeClassAlloc::new();
