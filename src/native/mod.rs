//! The native Rust API: the core bound to `serde_json::Value` payloads and
//! Rust closures through the [`Native`] host.
//!
//! Everything here only translates arguments and results; every rule (
//! defaults, merge order, operation nesting, dispatch order, dead letters)
//! is the core's, shared with the JavaScript binding.
//!
//! Buses and emitters are `Rc`-based: each belongs to the thread that made
//! it, and [`default_bus`] is one bus per thread.
#![warn(missing_docs)]

mod bus;
mod check;
mod emitter;
mod event;
mod host;
mod ids;
mod operation;

pub use bus::{default_bus, EventBus, Patterns, SubscribeOptions};
pub use emitter::{AlertOptions, EmitOptions, EndOptions, ErrorOptions, EventEmitter, MetricOptions, UpdateOptions};
pub use event::{create_event, Event, EventOptions};
pub use host::{set_logger, Filter, Handler, Logger, Native};
pub use operation::OperationContext;

pub use crate::core::args::{AlertLevel, MetricType};
pub use crate::core::bus::Stats;
pub use crate::core::error::{Error, ErrorKind, Result};
