//! [`OperationContext`]: one operation, started once and ended once.

use std::fmt;
use std::rc::Rc;

use serde_json::Value;

use super::check;
use super::emitter::{EmitOptions, EventEmitter, UpdateOptions};
use super::host::{text, Native};
use crate::core::args;
use crate::core::emitter::EventType;
use crate::core::error::Result;
use crate::core::operation;

/// One operation of an [`EventEmitter`]: [`enter`](Self::enter) starts it,
/// [`exit`](Self::exit) ends it once with its duration in seconds (monotonic
/// clock) and success or failure; [`run`](Self::run) does both around a
/// closure.
///
/// Operations nest: while one runs, its id is the emitter's default
/// correlation id; when it ends, the enclosing operation's id is again.
///
/// ```
/// use std::error::Error;
/// use codomyrmex_events::{EventBus, EventEmitter, EmitOptions};
/// use serde_json::json;
///
/// # fn main() -> Result<(), Box<dyn Error>> {
/// let bus = EventBus::new();
/// let etl = EventEmitter::new("etl", &bus)?;
///
/// let rows = etl.operation("import")?.run(|outer| -> Result<u32, Box<dyn Error>> {
///     let outer_id = outer.correlation_id();
///     assert_eq!(etl.default_correlation_id(), outer_id);
///
///     etl.operation("parse")?.run(|inner| -> Result<(), Box<dyn Error>> {
///         assert_eq!(etl.default_correlation_id(), inner.correlation_id());
///         etl.emit("etl.batch", json!({"rows": 40}), EmitOptions::new())?; // carries the inner id
///         Ok(())
///     })??;
///
///     // The inner operation ended: the outer id is the default again.
///     assert_eq!(etl.default_correlation_id(), outer_id);
///     Ok(40)
/// })??;
/// assert_eq!(rows, 40);
/// assert_eq!(etl.default_correlation_id(), None);
/// # Ok(())
/// # }
/// ```
///
/// A context dropped after `enter` and before `exit` ends its operation as
/// a failure (`"operation dropped before exit"`), so an early return leaves
/// no operation behind; during a panic it publishes nothing.
pub struct OperationContext {
    core: operation::OperationContext<Native>,
}

impl fmt::Debug for OperationContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationContext")
            .field("name", &self.name())
            .field("correlation_id", &self.correlation_id())
            .field("exited", &self.core.is_exited())
            .finish()
    }
}

impl OperationContext {
    /// A context for `operation_name` (non-empty) on `emitter`;
    /// `operation_data`, an object, goes into the start event.
    pub fn new(emitter: &EventEmitter, operation_name: &str, operation_data: Option<Value>) -> Result<Self> {
        let name = text(Rc::from(args::non_empty("operation_name", operation_name)?));
        let data = check::opt_record("operation_data", operation_data)?;
        Ok(OperationContext { core: operation::OperationContext::new(emitter.core().clone(), name, data) })
    }

    /// The operation's name.
    pub fn name(&self) -> &str {
        &self.core.name().text
    }

    /// The operation's id, once entered.
    pub fn correlation_id(&self) -> Option<Rc<str>> {
        self.core.correlation_id().map(|id| id.host)
    }

    /// Starts the operation and the clock. A second `enter` is refused
    /// ([`ErrorKind::State`](crate::ErrorKind::State)).
    pub fn enter(&self) -> Result<&Self> {
        self.core.enter()?;
        Ok(self)
    }

    /// Ends the operation: success when `error` is `None`, else failure with
    /// that message (priority 2); `result` is `{"duration": seconds}`.
    /// Refused before `enter`; a second `exit` does nothing.
    pub fn exit(&self, error: Option<&str>) -> Result<()> {
        self.core.exit(error.map(|e| text(Rc::from(e))))?;
        Ok(())
    }

    /// Enters, runs `f`, and exits with success, or with failure and the
    /// error's `Display` text when `f` returns `Err`. Returns `f`'s result
    /// unchanged; the outer `Err` is this context's own refusal (it was
    /// entered already), and then `f` does not run.
    ///
    /// ```
    /// use codomyrmex_events::{EventBus, EventEmitter};
    ///
    /// let bus = EventBus::new();
    /// let emitter = EventEmitter::new("jobs", &bus)?;
    /// let failed = emitter.operation("upload")?.run(|_| -> Result<(), String> {
    ///     Err("quota exceeded".to_string())
    /// })?;
    /// assert_eq!(failed, Err("quota exceeded".to_string()));
    /// # Ok::<(), codomyrmex_events::Error>(())
    /// ```
    pub fn run<T, E: fmt::Display>(
        &self,
        f: impl FnOnce(&Self) -> std::result::Result<T, E>,
    ) -> Result<std::result::Result<T, E>> {
        self.enter()?;
        let outcome = f(self);
        match &outcome {
            Ok(_) => self.exit(None)?,
            Err(error) => self.exit(Some(&error.to_string()))?,
        }
        Ok(outcome)
    }

    /// Reports progress with this operation's id. Refused before `enter`.
    pub fn update(&self, options: UpdateOptions) -> Result<()> {
        self.core.update(options.into_core()?)?;
        Ok(())
    }

    /// Emits an event carrying this operation's id (unless `options` names
    /// another). Refused before `enter`.
    pub fn emit(&self, event_type: &str, data: Value, options: EmitOptions) -> Result<()> {
        let event_type = EventType::new("event_type", text(Rc::from(event_type)))?;
        let data = check::opt_record("data", Some(data))?;
        self.core.emit(&event_type, data, options.into_core()?)?;
        Ok(())
    }
}

impl Drop for OperationContext {
    fn drop(&mut self) {
        let open = self.core.correlation_id().is_some() && !self.core.is_exited();
        if open && !std::thread::panicking() {
            let _ = self.exit(Some("operation dropped before exit"));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use serde_json::json;

    use super::*;
    use crate::{Event, EventBus};

    /// What a host rebuilds for a context it released when the operation
    /// ended (the wasm binding does): it behaves as the exited original.
    #[test]
    fn an_ended_context_does_what_an_exited_one_does() {
        let bus = EventBus::new();
        let seen = Rc::new(RefCell::new(Vec::<Event>::new()));
        let sink = seen.clone();
        bus.subscribe("*", move |e| {
            sink.borrow_mut().push(e.clone());
            Ok(())
        })
        .unwrap();
        let emitter = EventEmitter::new("svc", &bus).unwrap();
        let ended = OperationContext {
            core: operation::OperationContext::ended(
                emitter.core().clone(),
                text(Rc::from("load")),
                text(Rc::from("id-1")),
            ),
        };
        assert!(ended.core.is_exited());
        assert_eq!((ended.name(), ended.correlation_id().as_deref()), ("load", Some("id-1")));
        ended.exit(None).unwrap();
        assert!(seen.borrow().is_empty(), "a second exit publishes nothing");
        let refused = ended.enter().unwrap_err();
        assert_eq!(refused.to_string(), "operation \"load\" was already entered");

        ended.update(UpdateOptions::new().progress(0.5)).unwrap();
        ended.emit("after", json!({"k": 1}), EmitOptions::new()).unwrap();
        let events = seen.borrow();
        let ids: Vec<_> = events.iter().map(|e| e.correlation_id.as_deref()).collect();
        assert_eq!(ids, [Some("id-1"), Some("id-1")]);
        assert_eq!(events[0].data["phase"], "progress");
        assert_eq!((events[1].event_type.as_ref(), &events[1].data), ("after", &json!({"k": 1})));
    }
}
