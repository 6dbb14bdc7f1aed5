//! `EventOperationContext` for JavaScript. `run` and `[Symbol.dispose]` are
//! added in `js/api.mjs`, where the context object itself is at hand.

use wasm_bindgen::prelude::*;

use super::args::{self, emit_call, to_js, JsResult, Options, Returned};
use super::emitter::progress_options;
use super::host::JsHost;
use super::{ffi, registry};
use crate::core::host::Text;
use crate::core::operation::OperationContext;

#[wasm_bindgen]
pub struct EventOperationContext {
    core: OperationContext<JsHost>,
}

#[wasm_bindgen]
impl EventOperationContext {
    #[wasm_bindgen(constructor)]
    pub fn new(emitter: JsValue, operation_name: JsValue, operation_data: JsValue) -> JsResult<EventOperationContext> {
        let emitter = registry::emitter("emitter", &emitter)?;
        let name = args::name("operationName", &operation_name)?;
        let data = args::opt_record("operationData", &operation_data)?;
        Ok(EventOperationContext { core: OperationContext::new(emitter, name, data) })
    }

    /// A stand-in for a context released when its operation ended (see
    /// `js/api.mjs`): what an ended context does, it does.
    #[wasm_bindgen(js_name = __ended, skip_typescript)]
    pub fn ended(
        emitter: JsValue,
        operation_name: JsValue,
        correlation_id: JsValue,
    ) -> JsResult<EventOperationContext> {
        let emitter = registry::emitter("emitter", &emitter)?;
        let name = args::name("operationName", &operation_name)?;
        let id = args::name("correlationId", &correlation_id)?;
        Ok(EventOperationContext { core: OperationContext::ended(emitter, name, id) })
    }

    #[wasm_bindgen(getter = correlationId)]
    pub fn correlation_id(&self) -> Returned {
        Ok(self.core.correlation_id().map(|t| t.host).unwrap_or(JsValue::NULL))
    }

    #[wasm_bindgen(getter = operationName)]
    pub fn operation_name(&self) -> Returned {
        Ok(self.core.name().host.clone())
    }

    /// Starts the operation (`js/api.mjs` makes it return the context).
    #[wasm_bindgen(js_name = __enter, skip_typescript)]
    pub fn enter(&self) -> JsResult<()> {
        self.core.enter().map(drop).map_err(to_js)
    }

    /// Ends the operation: success for undefined or null, else failure with the error's message.
    pub fn exit(&self, error: JsValue) -> JsResult<()> {
        let error =
            if error.is_undefined() || error.is_null() { None } else { Some(Text::new(&ffi::error_message(&error))) };
        self.core.exit(error).map(drop).map_err(to_js)
    }

    /// Ends an entered operation that has not ended yet, successfully; otherwise does nothing.
    #[wasm_bindgen(js_name = __dispose, skip_typescript)]
    pub fn dispose(&self) {
        if self.core.correlation_id().is_some() && !self.core.is_exited() {
            let _ = self.core.exit(None);
        }
    }

    pub fn update(&self, options: JsValue) -> JsResult<()> {
        let progress = progress_options(&Options::new("options", &options)?)?;
        self.core.update(progress).map(drop).map_err(to_js)
    }

    pub fn emit(&self, event_type: JsValue, data: JsValue, options: JsValue) -> JsResult<()> {
        let (t, d, o) = emit_call(["eventType", "data", "options"], &event_type, data, &options)?;
        self.core.emit(&t, d, o).map(drop).map_err(to_js)
    }
}
