//! The JavaScript binding: exports that check argument types, translate
//! values and call the core, over a plain wasm ABI (`abi`, `value`, `ffi`;
//! js/glue.mjs is the JavaScript side). No rules live here.

mod abi;
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
mod value;

pub(crate) use ffi::show_number;

/// In place of std's dlmalloc (about 8 KB of code): the browser downloads less.
#[global_allocator]
static ALLOCATOR: alloc::SizeClassAlloc = alloc::SizeClassAlloc::new();

/// `setLogger(logger)`: routes failures inside emitters and the bus to
/// `logger` (`null` silences them).
#[no_mangle]
pub extern "C" fn fn_setLogger(logger: u32) {
    let logger = abi::arg(logger);
    let set = if logger.is_null() || logger.is_object() {
        ffi::set_logger_object(&logger);
        Ok(())
    } else {
        Err(args::type_error("logger must be an object with debug/info/warn/error methods, or null".into()))
    };
    abi::Ret::abi(set)
}

/// A panic is a bug (no input may cause one): trap, as std's abort would,
/// without std's message formatting.
#[cfg(not(test))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
