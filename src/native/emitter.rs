//! [`EventEmitter`] and the options of its methods.

use std::fmt;
use std::rc::Rc;

use serde_json::Value;

use super::bus::{default_bus, EventBus};
use super::check;
use super::host::{text, Native};
use super::operation::OperationContext;
use crate::core::args::{self, AlertLevel, MetricType};
use crate::core::emitter::{self, Emitter, EventType, Outcome, Progress};
use crate::core::error::Result;
use crate::core::host::Text;

/// Per-call options of [`EventEmitter::emit`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmitOptions {
    /// Default: the emitter's default correlation id.
    pub correlation_id: Option<String>,
    /// An object merged over the emitter's default metadata (its keys win).
    pub metadata: Option<Value>,
    /// 0 normal, 1 high, 2 critical (default 0).
    pub priority: u8,
}

impl EmitOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`correlation_id`](Self::correlation_id).
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }
    /// Sets [`metadata`](Self::metadata).
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }
    /// Sets [`priority`](Self::priority).
    pub fn priority(mut self, priority: u8) -> Self {
        self.priority = priority;
        self
    }

    pub(crate) fn into_core(self) -> Result<emitter::EmitOptions<Native>> {
        Ok(emitter::EmitOptions {
            correlation_id: self.correlation_id.map(|id| text(Rc::from(id))),
            metadata: check::opt_record("options.metadata", self.metadata)?,
            priority: args::priority("options.priority", f64::from(self.priority))?,
        })
    }
}

/// Options of [`EventEmitter::update_operation`] and [`OperationContext::update`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateOptions {
    /// Any finite number (`progress` in the event's data).
    pub progress: Option<f64>,
    /// `status` in the event's data.
    pub status: Option<String>,
    /// An object whose fields are spread over the event's data.
    pub data: Option<Value>,
}

impl UpdateOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`progress`](Self::progress).
    pub fn progress(mut self, progress: f64) -> Self {
        self.progress = Some(progress);
        self
    }
    /// Sets [`status`](Self::status).
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }
    /// Sets [`data`](Self::data).
    pub fn data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    pub(crate) fn into_core(self) -> Result<Progress<Native>> {
        Ok(Progress {
            progress: match self.progress {
                Some(p) => Some(args::finite("options.progress", p)?),
                None => None,
            },
            status: self.status.map(|s| text(Rc::from(s))),
            data: check::opt_record("options.data", self.data)?,
        })
    }
}

/// Options of [`EventEmitter::end_operation`].
#[derive(Debug, Clone, PartialEq)]
pub struct EndOptions {
    /// Default `true`. A failed operation's end event has priority 2.
    pub success: bool,
    /// Any value (`result` in the event's data).
    pub result: Option<Value>,
    /// `error` in the event's data.
    pub error: Option<String>,
}

impl Default for EndOptions {
    fn default() -> Self {
        EndOptions { success: true, result: None, error: None }
    }
}

impl EndOptions {
    /// A successful end.
    pub fn new() -> Self {
        Self::default()
    }
    /// A failed end with this error message.
    pub fn failure(error: impl Into<String>) -> Self {
        EndOptions { success: false, result: None, error: Some(error.into()) }
    }
    /// Sets [`success`](Self::success).
    pub fn success(mut self, success: bool) -> Self {
        self.success = success;
        self
    }
    /// Sets [`result`](Self::result).
    pub fn result(mut self, result: Value) -> Self {
        self.result = Some(result);
        self
    }
    /// Sets [`error`](Self::error).
    pub fn error(mut self, error: impl Into<String>) -> Self {
        self.error = Some(error.into());
        self
    }
}

/// Options of [`EventEmitter::emit_error`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorOptions {
    /// An object or array (default `{}`).
    pub context: Option<Value>,
    /// Default: the emitter's default correlation id.
    pub correlation_id: Option<String>,
}

impl ErrorOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`context`](Self::context).
    pub fn context(mut self, context: Value) -> Self {
        self.context = Some(context);
        self
    }
    /// Sets [`correlation_id`](Self::correlation_id).
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }
}

/// Options of [`EventEmitter::emit_metric`].
#[derive(Debug, Clone, PartialEq)]
pub struct MetricOptions {
    /// Default [`MetricType::Gauge`].
    pub metric_type: MetricType,
    /// An object of strings (default `{}`).
    pub labels: Option<Value>,
}

impl Default for MetricOptions {
    fn default() -> Self {
        MetricOptions { metric_type: MetricType::Gauge, labels: None }
    }
}

impl MetricOptions {
    /// A gauge without labels.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`metric_type`](Self::metric_type).
    pub fn metric_type(mut self, metric_type: MetricType) -> Self {
        self.metric_type = metric_type;
        self
    }
    /// Sets [`labels`](Self::labels).
    pub fn labels(mut self, labels: Value) -> Self {
        self.labels = Some(labels);
        self
    }
}

/// Options of [`EventEmitter::emit_alert`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertOptions {
    /// Any value (default null).
    pub threshold: Option<Value>,
    /// Any value (default null).
    pub current_value: Option<Value>,
}

impl AlertOptions {
    /// No threshold, no current value.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`threshold`](Self::threshold).
    pub fn threshold(mut self, threshold: Value) -> Self {
        self.threshold = Some(threshold);
        self
    }
    /// Sets [`current_value`](Self::current_value).
    pub fn current_value(mut self, current_value: Value) -> Self {
        self.current_value = Some(current_value);
        self
    }
}

/// Emits events from one source onto a bus, stamping each with a fresh id,
/// the time, a correlation id and metadata.
///
/// Every event carries `correlation_id = options.correlation_id` or else the
/// default correlation id, and `metadata = {...default_metadata,
/// ...options.metadata}`. Emitting never fails because of a handler; the
/// methods fail only on invalid arguments, and then publish nothing.
///
/// Clones are handles to the same emitter. Like the bus, an emitter belongs
/// to the thread that made it.
///
/// | method | `event_type` | data | metadata | priority |
/// |---|---|---|---|---|
/// | [`start_operation`](Self::start_operation) | `custom` | `{operation, phase: "start", operation_data}` | `{operation_type: "start"}` (+ `parent_correlation_id` when nested) | 0 |
/// | [`update_operation`](Self::update_operation) | `custom` | `{operation, phase: "progress", correlation_id, progress?, status?, ...data}` | `{operation_type: "progress"}` | 0 |
/// | [`end_operation`](Self::end_operation) | `custom` | `{operation, phase: "end", success, result?, error?}` | `{operation_type: "end", success}` | 2 if failed, else 0 |
/// | [`emit_error`](Self::emit_error) | `system.error` | `{error_type, error_message, context}` | — | 2 |
/// | [`emit_metric`](Self::emit_metric) | `metric.update` | `{metric_name, metric_value, metric_type, labels}` | — | 0 |
/// | [`emit_alert`](Self::emit_alert) | `alert.triggered` | `{alert_name, alert_level, message, threshold, current_value}` | — | info 0, warning 1, error and critical 2 |
#[derive(Clone)]
pub struct EventEmitter {
    core: Emitter<Native>,
}

impl fmt::Debug for EventEmitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventEmitter")
            .field("source", &self.source())
            .field("enabled", &self.is_enabled())
            .field("default_correlation_id", &self.default_correlation_id())
            .field("default_metadata", &self.default_metadata())
            .finish_non_exhaustive()
    }
}

fn event_type(value: &str) -> Result<EventType<Native>> {
    EventType::new("event_type", text(Rc::from(value)))
}

fn name(arg: &str, value: &str) -> Result<Text<Native>> {
    Ok(text(Rc::from(args::non_empty(arg, value)?)))
}

impl EventEmitter {
    /// An emitter publishing on `bus`. Refuses an empty `source`.
    pub fn new(source: &str, bus: &EventBus) -> Result<Self> {
        let source = name("source", source)?;
        Ok(EventEmitter { core: Emitter::new(source, bus.core().clone()) })
    }

    /// An emitter publishing on this thread's [`default_bus`].
    pub fn with_default_bus(source: &str) -> Result<Self> {
        Self::new(source, &default_bus())
    }

    pub(crate) fn core(&self) -> &Emitter<Native> {
        &self.core
    }

    /// The source every event carries.
    pub fn source(&self) -> &str {
        &self.core.source().text
    }

    /// The bus the emitter publishes on.
    pub fn bus(&self) -> EventBus {
        EventBus::from_core(self.core.bus().clone())
    }

    /// False after [`disable`](Self::disable): no method publishes anything,
    /// but operations are still tracked (ids, the default correlation id).
    pub fn is_enabled(&self) -> bool {
        self.core.enabled()
    }

    /// Enables or disables publishing.
    pub fn set_enabled(&self, enabled: bool) {
        self.core.set_enabled(enabled);
    }

    /// Publishing resumes.
    pub fn enable(&self) {
        self.core.set_enabled(true);
    }

    /// Publishing stops (operation bookkeeping goes on).
    pub fn disable(&self) {
        self.core.set_enabled(false);
    }

    /// The correlation id of events emitted without one: the innermost
    /// operation under way, or the one set by
    /// [`set_correlation_context`](Self::set_correlation_context).
    pub fn default_correlation_id(&self) -> Option<Rc<str>> {
        self.core.correlation_id().map(|id| id.host)
    }

    /// Sets the default correlation id.
    pub fn set_correlation_context(&self, correlation_id: &str) {
        self.core.set_correlation_id(Some(text(Rc::from(correlation_id))));
    }

    /// Clears the default correlation id.
    pub fn clear_correlation_context(&self) {
        self.core.set_correlation_id(None);
    }

    /// A copy of the default metadata.
    pub fn default_metadata(&self) -> Value {
        self.core.default_metadata()
    }

    /// Sets the metadata every event starts from (an object, stored as a copy).
    pub fn set_default_metadata(&self, metadata: &Value) -> Result<()> {
        let metadata = check::record("metadata", metadata.clone())?;
        self.core.set_default_metadata(&metadata);
        Ok(())
    }

    /// Publishes one event. `data` is an object (`Value::Null` for `{}`).
    /// Refuses an invalid event type, data that is not an object, metadata
    /// that is not an object or a priority other than 0, 1 or 2.
    pub fn emit(&self, event_type: &str, data: Value, options: EmitOptions) -> Result<()> {
        let event_type = self::event_type(event_type)?;
        let data = check::opt_record("data", Some(data))?;
        let options = options.into_core()?;
        self.core.emit(&event_type, data, options);
        Ok(())
    }

    /// Starts an operation and returns its new id (a UUID v4), which becomes
    /// the default correlation id until the operation ends. Nested in another
    /// operation, its start event carries `parent_correlation_id` in metadata.
    pub fn start_operation(&self, operation_name: &str, operation_data: Option<Value>) -> Result<Rc<str>> {
        let name = name("operation_name", operation_name)?;
        let data = check::opt_record("operation_data", operation_data)?;
        Ok(self.core.start_operation(&name, data).0.host)
    }

    /// Reports progress of an operation.
    pub fn update_operation(&self, correlation_id: &str, operation_name: &str, options: UpdateOptions) -> Result<()> {
        let name = name("operation_name", operation_name)?;
        let progress = options.into_core()?;
        self.core.update_operation(&text(Rc::from(correlation_id)), &name, progress);
        Ok(())
    }

    /// Ends an operation: its end event, then the enclosing operation's id
    /// (or none) becomes the default correlation id again. Ending an id that
    /// is not under way publishes the end event and changes no default.
    pub fn end_operation(&self, correlation_id: &str, operation_name: &str, options: EndOptions) -> Result<()> {
        let name = name("operation_name", operation_name)?;
        let outcome = Outcome {
            success: options.success,
            result: options.result,
            error: options.error.map(|e| text(Rc::from(e))),
        };
        self.core.end_operation(&text(Rc::from(correlation_id)), &name, outcome);
        Ok(())
    }

    /// A context for one operation: [`OperationContext::run`] (or
    /// [`enter`](OperationContext::enter) and [`exit`](OperationContext::exit))
    /// starts and ends it.
    pub fn operation(&self, operation_name: &str) -> Result<OperationContext> {
        OperationContext::new(self, operation_name, None)
    }

    /// [`operation`](Self::operation) with `operation_data` for its start event.
    pub fn operation_with(&self, operation_name: &str, operation_data: Value) -> Result<OperationContext> {
        OperationContext::new(self, operation_name, Some(operation_data))
    }

    /// Publishes a `system.error` event, priority 2.
    pub fn emit_error(&self, error_type: &str, error_message: &str, options: ErrorOptions) -> Result<()> {
        let context = check::opt_object("options.context", options.context)?;
        self.core.emit_error(
            &text(Rc::from(error_type)),
            &text(Rc::from(error_message)),
            context,
            options.correlation_id.map(|id| text(Rc::from(id))),
        );
        Ok(())
    }

    /// Publishes a `metric.update` event. `value` is a number, a string or a
    /// boolean; labels an object of strings.
    pub fn emit_metric(&self, metric_name: &str, value: impl Into<Value>, options: MetricOptions) -> Result<()> {
        let value = check::metric_value("value", value.into())?;
        let labels = check::labels("options.labels", options.labels)?;
        self.core.emit_metric(&text(Rc::from(metric_name)), value, options.metric_type, labels);
        Ok(())
    }

    /// Publishes an `alert.triggered` event whose priority follows `level`.
    /// Every argument is valid by its type, so nothing is refused.
    pub fn emit_alert(&self, alert_name: &str, level: AlertLevel, message: &str, options: AlertOptions) {
        self.core.emit_alert(
            &text(Rc::from(alert_name)),
            level,
            &text(Rc::from(message)),
            options.threshold,
            options.current_value,
        );
    }
}
