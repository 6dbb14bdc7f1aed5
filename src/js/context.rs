//! `EventOperationContext` for JavaScript. `run` and `[Symbol.dispose]` are
//! added in `js/api.mjs`, where the context object itself is at hand.

use super::abi::{self, arg, Class, Ret};
use super::args::{self, emit_call, to_js, JsResult, Options};
use super::emitter::progress_options;
use super::host::JsHost;
use super::value::JsValue;
use super::{ffi, registry};
use crate::core::host::Text;
use crate::core::operation::OperationContext;

pub struct EventOperationContext {
    core: OperationContext<JsHost>,
}

impl Class for EventOperationContext {
    const ID: u32 = 1;
}

impl EventOperationContext {
    pub fn new(
        emitter: &JsValue,
        operation_name: &JsValue,
        operation_data: &JsValue,
    ) -> JsResult<EventOperationContext> {
        let emitter = registry::emitter("emitter", emitter)?;
        let name = args::name("operationName", operation_name)?;
        let data = args::opt_record("operationData", operation_data)?;
        Ok(EventOperationContext { core: OperationContext::new(emitter, name, data) })
    }

    /// A stand-in for a context released when its operation ended (see
    /// `js/api.mjs`): what an ended context does, it does.
    pub fn ended(
        emitter: &JsValue,
        operation_name: &JsValue,
        correlation_id: &JsValue,
    ) -> JsResult<EventOperationContext> {
        let emitter = registry::emitter("emitter", emitter)?;
        let name = args::name("operationName", operation_name)?;
        let id = args::name("correlationId", correlation_id)?;
        Ok(EventOperationContext { core: OperationContext::ended(emitter, name, id) })
    }

    pub fn correlation_id(&self) -> JsValue {
        self.core.correlation_id().map(|t| t.host).unwrap_or(JsValue::NULL)
    }

    pub fn operation_name(&self) -> JsValue {
        self.core.name().host.clone()
    }

    /// Starts the operation (`js/api.mjs` makes it return the context).
    pub fn enter(&self) -> JsResult<()> {
        self.core.enter().map(drop).map_err(to_js)
    }

    /// Ends the operation: success for undefined or null, else failure with the error's message.
    pub fn exit(&self, error: &JsValue) -> JsResult<()> {
        let error =
            if error.is_undefined() || error.is_null() { None } else { Some(Text::new(&ffi::error_message(error))) };
        self.core.exit(error).map(drop).map_err(to_js)
    }

    /// Ends an entered operation that has not ended yet, successfully; otherwise does nothing.
    pub fn dispose(&self) {
        if self.core.correlation_id().is_some() && !self.core.is_exited() {
            let _ = self.core.exit(None);
        }
    }

    pub fn update(&self, options: &JsValue) -> JsResult<()> {
        let progress = progress_options(&Options::new("options", options)?)?;
        self.core.update(progress).map(drop).map_err(to_js)
    }

    pub fn emit(&self, event_type: &JsValue, data: &JsValue, options: &JsValue) -> JsResult<()> {
        let (t, d, o) = emit_call(["eventType", "data", "options"], event_type, data, options)?;
        self.core.emit(&t, d, o).map(drop).map_err(to_js)
    }
}

#[no_mangle]
pub extern "C" fn eventoperationcontext_new(emitter: u32, operation_name: u32, operation_data: u32) -> u32 {
    EventOperationContext::new(&arg(emitter), &arg(operation_name), &arg(operation_data)).map(abi::instance).abi()
}

#[no_mangle]
pub extern "C" fn eventoperationcontext___ended(emitter: u32, operation_name: u32, correlation_id: u32) -> u32 {
    EventOperationContext::ended(&arg(emitter), &arg(operation_name), &arg(correlation_id)).map(abi::instance).abi()
}

#[no_mangle]
pub extern "C" fn eventoperationcontext_free(ptr: u32) {
    abi::free::<EventOperationContext>(ptr)
}

abi::methods! { EventOperationContext {
    eventoperationcontext_get_correlationId() -> u32 = correlation_id;
    eventoperationcontext_get_operationName() -> u32 = operation_name;
    eventoperationcontext___enter() -> () = enter;
    eventoperationcontext_exit(error) -> () = exit;
    eventoperationcontext___dispose() -> () = dispose;
    eventoperationcontext_update(options) -> () = update;
    eventoperationcontext_emit(event_type, data, options) -> () = emit;
}}
