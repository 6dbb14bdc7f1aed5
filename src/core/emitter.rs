//! The emitter: stamps events with source, id, time, correlation and merged
//! metadata, and carries the operation lifecycle and the error, metric and
//! alert shortcuts with their exact Codomyrmex payloads.

use crate::prelude::*;

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use super::args::{AlertLevel, MetricType};
use super::bus::Bus;
use super::event_type;
use super::host::{EventId, EventParts, Field, Host, Text};

/// Source of an `AsyncEventEmitter` created without one.
pub const DEFAULT_ASYNC_SOURCE: &str = "async_emitter";

/// A validated event type (see [`event_type::validate`]).
pub struct EventType<H: Host>(Text<H>);

impl<H: Host> Clone for EventType<H> {
    fn clone(&self) -> Self {
        EventType(self.0.clone())
    }
}

impl<H: Host> EventType<H> {
    pub fn new(arg: &(impl super::error::Name + ?Sized), text: Text<H>) -> super::error::Result<Self> {
        event_type::validate(arg, &text.text)?;
        Ok(EventType(text))
    }

    /// One of the core's own types, known to be valid.
    fn fixed(name: &'static str) -> Self {
        EventType(Text::fixed(name))
    }

    pub fn text(&self) -> &Text<H> {
        &self.0
    }
}

/// Per-call options of an emit.
pub struct EmitOptions<H: Host> {
    pub correlation_id: Option<Text<H>>,
    pub metadata: Option<H::Value>,
    pub priority: u8,
}

impl<H: Host> Default for EmitOptions<H> {
    fn default() -> Self {
        EmitOptions { correlation_id: None, metadata: None, priority: 0 }
    }
}

/// Options of `update_operation`.
pub struct Progress<H: Host> {
    pub progress: Option<f64>,
    pub status: Option<Text<H>>,
    pub data: Option<H::Value>,
}

/// Options of `end_operation`.
pub struct Outcome<H: Host> {
    pub success: bool,
    pub result: Option<H::Value>,
    pub error: Option<Text<H>>,
}

struct Inner<H: Host> {
    source: Text<H>,
    bus: Bus<H>,
    enabled: Cell<bool>,
    correlation_id: RefCell<Option<Text<H>>>,
    /// Ids of the operations under way, innermost last.
    operations: RefCell<Vec<Text<H>>>,
    /// Shared by every event that adds no metadata of its own.
    default_metadata: RefCell<H::Value>,
}

/// An emitter; clones share it.
pub struct Emitter<H: Host> {
    inner: Rc<Inner<H>>,
}

impl<H: Host> Clone for Emitter<H> {
    fn clone(&self) -> Self {
        Emitter { inner: self.inner.clone() }
    }
}

impl<H: Host> Emitter<H> {
    /// `source` must already be checked with [`super::args::non_empty`].
    pub fn new(source: Text<H>, bus: Bus<H>) -> Self {
        Emitter {
            inner: Rc::new(Inner {
                source,
                bus,
                enabled: Cell::new(true),
                correlation_id: RefCell::new(None),
                operations: RefCell::new(Vec::new()),
                default_metadata: RefCell::new(H::snapshot(&H::empty())),
            }),
        }
    }

    pub fn source(&self) -> &Text<H> {
        &self.inner.source
    }
    pub fn bus(&self) -> &Bus<H> {
        &self.inner.bus
    }
    pub fn enabled(&self) -> bool {
        self.inner.enabled.get()
    }
    pub fn set_enabled(&self, enabled: bool) {
        self.inner.enabled.set(enabled);
        H::changed();
    }
    pub fn correlation_id(&self) -> Option<Text<H>> {
        self.inner.correlation_id.borrow().clone()
    }
    pub fn set_correlation_id(&self, id: Option<Text<H>>) {
        *self.inner.correlation_id.borrow_mut() = id;
        H::changed();
    }
    /// A copy of the default metadata.
    pub fn default_metadata(&self) -> H::Value {
        H::copy(&self.inner.default_metadata.borrow())
    }
    /// Stores a copy: later changes to `metadata` do not reach events.
    pub fn set_default_metadata(&self, metadata: &H::Value) {
        *self.inner.default_metadata.borrow_mut() = H::snapshot(metadata);
        H::changed();
    }
    /// The default metadata itself (immutable), as events without metadata of their own carry it.
    pub fn shared_default_metadata(&self) -> H::Value {
        self.inner.default_metadata.borrow().clone()
    }

    /// Publishes one event. Nothing happens when the emitter is disabled.
    /// Returns the pending results of asynchronous handlers.
    pub fn emit(&self, event_type: &EventType<H>, data: Option<H::Value>, options: EmitOptions<H>) -> Vec<H::Pending> {
        if !self.enabled() {
            return Vec::new();
        }
        let inner = &self.inner;
        let correlation_id = options.correlation_id.or_else(|| self.correlation_id());
        let text = event_type.text();
        inner.bus.publish_with(&text.text, || {
            // Borrowed only while the event is built, before any handler runs.
            let defaults = inner.default_metadata.borrow();
            H::new_event(EventParts {
                event_type: text,
                source: &inner.source,
                event_id: EventId::Fresh,
                timestamp_ms: None,
                correlation_id: correlation_id.as_ref(),
                data: data.unwrap_or_else(H::empty),
                metadata: &defaults,
                metadata_over: options.metadata.as_ref(),
                priority: options.priority,
            })
        })
    }

    /// Emits a `custom` operation event with `{operation_type: phase, ...extra}` metadata.
    fn emit_operation(
        &self,
        phase: &'static str,
        correlation_id: &Text<H>,
        data: H::Value,
        extra: Vec<(&'static str, Field<'_, H>)>,
        priority: u8,
    ) -> Vec<H::Pending> {
        if !self.enabled() {
            return Vec::new();
        }
        let mut metadata = vec![("operation_type", Field::Str(phase))];
        metadata.extend(extra);
        let options = EmitOptions {
            correlation_id: Some(correlation_id.clone()),
            metadata: Some(H::object(metadata, None)),
            priority,
        };
        self.emit(&EventType::fixed(event_type::CUSTOM), Some(data), options)
    }

    /// Starts an operation: a new id becomes the default correlation id until
    /// the operation ends. Returns the id (also when disabled: the bookkeeping
    /// goes on, only the publishing stops).
    pub fn start_operation(&self, name: &Text<H>, operation_data: Option<H::Value>) -> (Text<H>, Vec<H::Pending>) {
        let id = Self::new_operation_id();
        let pending = self.begin_operation(&id, name, operation_data);
        (id, pending)
    }

    /// A fresh operation id.
    pub fn new_operation_id() -> Text<H> {
        H::new_id()
    }

    /// Starts an operation under an id made by [`Self::new_operation_id`], so
    /// that the caller knows it before the start event's handlers run.
    pub fn begin_operation(&self, id: &Text<H>, name: &Text<H>, operation_data: Option<H::Value>) -> Vec<H::Pending> {
        let parent = self.inner.operations.borrow().last().cloned();
        self.inner.operations.borrow_mut().push(id.clone());
        self.set_correlation_id(Some(id.clone()));
        let data = H::object(
            vec![
                ("operation", Field::Text(name)),
                ("phase", Field::Str("start")),
                ("operation_data", Field::Value(operation_data.unwrap_or_else(H::empty))),
            ],
            None,
        );
        let extra = match &parent {
            Some(parent) => vec![("parent_correlation_id", Field::Text(parent))],
            None => Vec::new(),
        };
        self.emit_operation("start", id, data, extra, 0)
    }

    pub fn update_operation(&self, correlation_id: &Text<H>, name: &Text<H>, progress: Progress<H>) -> Vec<H::Pending> {
        let mut fields = vec![
            ("operation", Field::Text(name)),
            ("phase", Field::Str("progress")),
            ("correlation_id", Field::Text(correlation_id)),
        ];
        if let Some(p) = progress.progress {
            fields.push(("progress", Field::Num(p)));
        }
        if let Some(status) = &progress.status {
            fields.push(("status", Field::Text(status)));
        }
        let data = H::object(fields, progress.data.as_ref());
        self.emit_operation("progress", correlation_id, data, Vec::new(), 0)
    }

    /// Ends an operation: publishes its end event (priority 2 on failure),
    /// then forgets its id; the enclosing operation's id becomes the default again.
    pub fn end_operation(&self, correlation_id: &Text<H>, name: &Text<H>, outcome: Outcome<H>) -> Vec<H::Pending> {
        let mut fields = vec![
            ("operation", Field::Text(name)),
            ("phase", Field::Str("end")),
            ("success", Field::Bool(outcome.success)),
        ];
        if let Some(result) = outcome.result {
            fields.push(("result", Field::Value(result)));
        }
        if let Some(error) = &outcome.error {
            fields.push(("error", Field::Text(error)));
        }
        let data = H::object(fields, None);
        let priority = if outcome.success { 0 } else { 2 };
        let pending =
            self.emit_operation("end", correlation_id, data, vec![("success", Field::Bool(outcome.success))], priority);
        let mut operations = self.inner.operations.borrow_mut();
        if let Some(at) = operations.iter().rposition(|id| id.text == correlation_id.text) {
            operations.remove(at);
            let current = operations.last().cloned();
            drop(operations);
            self.set_correlation_id(current);
        }
        pending
    }

    pub fn emit_error(
        &self,
        error_type: &Text<H>,
        message: &Text<H>,
        context: Option<H::Value>,
        correlation_id: Option<Text<H>>,
    ) -> Vec<H::Pending> {
        let data = H::object(
            vec![
                ("error_type", Field::Text(error_type)),
                ("error_message", Field::Text(message)),
                ("context", Field::Value(context.unwrap_or_else(H::empty))),
            ],
            None,
        );
        let options = EmitOptions { correlation_id, metadata: None, priority: 2 };
        self.emit(&EventType::fixed(event_type::SYSTEM_ERROR), Some(data), options)
    }

    pub fn emit_metric(
        &self,
        name: &Text<H>,
        value: H::Value,
        metric_type: MetricType,
        labels: Option<H::Value>,
    ) -> Vec<H::Pending> {
        let data = H::object(
            vec![
                ("metric_name", Field::Text(name)),
                ("metric_value", Field::Value(value)),
                ("metric_type", Field::Str(metric_type.as_str())),
                ("labels", Field::Value(labels.unwrap_or_else(H::empty))),
            ],
            None,
        );
        self.emit(&EventType::fixed(event_type::METRIC_UPDATE), Some(data), EmitOptions::default())
    }

    pub fn emit_alert(
        &self,
        name: &Text<H>,
        level: AlertLevel,
        message: &Text<H>,
        threshold: Option<H::Value>,
        current_value: Option<H::Value>,
    ) -> Vec<H::Pending> {
        let or_null = |v: Option<H::Value>| v.map(Field::Value).unwrap_or(Field::Null);
        let data = H::object(
            vec![
                ("alert_name", Field::Text(name)),
                ("alert_level", Field::Str(level.as_str())),
                ("message", Field::Text(message)),
                ("threshold", or_null(threshold)),
                ("current_value", or_null(current_value)),
            ],
            None,
        );
        let options = EmitOptions { priority: level.priority(), ..EmitOptions::default() };
        self.emit(&EventType::fixed(event_type::ALERT_TRIGGERED), Some(data), options)
    }
}

/// What `createEvent` takes; absent fields get the defaults of the schema.
pub struct NewEvent<H: Host> {
    pub event_type: EventType<H>,
    pub source: Text<H>,
    pub event_id: Option<Text<H>>,
    pub timestamp_ms: Option<f64>,
    pub correlation_id: Option<Text<H>>,
    pub data: Option<H::Value>,
    pub metadata: Option<H::Value>,
    pub priority: u8,
}

/// Builds an event outside any emitter: a fresh id and the current time
/// unless given, `{}` data and metadata, no correlation id.
pub fn create_event<H: Host>(new: NewEvent<H>) -> H::Event {
    H::new_event(EventParts {
        event_type: new.event_type.text(),
        source: &new.source,
        event_id: match &new.event_id {
            Some(id) => EventId::Given(id),
            None => EventId::Fresh,
        },
        timestamp_ms: new.timestamp_ms,
        correlation_id: new.correlation_id.as_ref(),
        data: new.data.unwrap_or_else(H::empty),
        metadata: &H::snapshot(&new.metadata.unwrap_or_else(H::empty)),
        metadata_over: None,
        priority: new.priority,
    })
}
