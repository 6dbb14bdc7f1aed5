//! What the core needs from the world it runs in. The wasm binding implements
//! it with JavaScript values (payloads passed through, never serialized); the
//! native Rust API implements it with `serde_json::Value`.

use crate::prelude::*;

use alloc::rc::Rc;

/// A string known to both sides: the core reads `text`, handlers see `host`.
/// Converting between the two is what costs, so it is done once and kept.
pub struct Text<H: Host> {
    pub text: Rc<str>,
    pub host: H::Str,
}

impl<H: Host> Clone for Text<H> {
    fn clone(&self) -> Self {
        Text { text: self.text.clone(), host: self.host.clone() }
    }
}

impl<H: Host> Text<H> {
    /// A text made on the Rust side (ids, messages).
    pub fn new(text: &str) -> Self {
        Text { text: Rc::from(text), host: H::string(text) }
    }

    /// One of the core's own names; hosts may keep these made once.
    pub fn fixed(text: &'static str) -> Self {
        Text { text: Rc::from(text), host: H::fixed(text) }
    }
}

/// The id of an event being built.
pub enum EventId<'a, H: Host> {
    /// A fresh UUID v4, made by the host (see [`Host::new_id`]).
    Fresh,
    /// An id the caller supplied.
    Given(&'a Text<H>),
}

/// Everything an event carries, handed to [`Host::new_event`].
pub struct EventParts<'a, H: Host> {
    pub event_type: &'a Text<H>,
    pub source: &'a Text<H>,
    pub event_id: EventId<'a, H>,
    /// Milliseconds since the Unix epoch; `None`: now, by the host's clock.
    pub timestamp_ms: Option<f64>,
    pub correlation_id: Option<&'a Text<H>>,
    pub data: H::Value,
    /// The event's metadata is `{...metadata, ...metadata_over}`, immutable
    /// (`metadata` itself when there is nothing over it).
    pub metadata: &'a H::Value,
    pub metadata_over: Option<&'a H::Value>,
    pub priority: u8,
}

/// One value of a payload the core builds (operation, error, metric, alert).
pub enum Field<'a, H: Host> {
    Str(&'static str),
    Text(&'a Text<H>),
    Num(f64),
    Bool(bool),
    Null,
    Value(H::Value),
}

/// How a handler call ended.
pub enum Outcome<H: Host> {
    Done,
    Failed(H::Failure),
    /// The handler returned something still running (a promise), now watched:
    /// this pending value settles after the accounting and never fails.
    Pending(H::Pending),
}

/// The environment of the core. Every function is static: a host is a process-wide thing.
pub trait Host: Sized + 'static {
    /// A string as handlers see it.
    type Str: Clone;
    /// An opaque payload: data, metadata, results, contexts, labels.
    type Value: Clone;
    type Handler: Clone;
    type Filter: Clone;
    /// The event object handlers receive.
    type Event: Clone;
    /// What a failing handler threw.
    type Failure;
    /// A handler's unfinished result.
    type Pending;

    /// Seconds on a monotonic clock (durations).
    fn monotonic_s() -> f64;
    /// A fresh UUID v4 (lower case, hyphenated) from a cryptographic source.
    fn new_id() -> Text<Self>;
    fn string(text: &str) -> Self::Str;
    /// A string that is one of the core's own names.
    fn fixed(text: &'static str) -> Self::Str {
        Self::string(text)
    }
    fn new_event(parts: EventParts<'_, Self>) -> Self::Event;
    /// Calls a handler. Should it return something still running, the host
    /// arranges for `settlement()` to settle once that has settled.
    fn invoke(
        handler: &Self::Handler,
        event: &Self::Event,
        settlement: impl FnOnce() -> super::bus::Settlement<Self>,
    ) -> Outcome<Self>;
    /// Runs a filter; `Err` when the filter itself failed.
    fn accepts(filter: &Self::Filter, event: &Self::Event) -> Result<bool, Self::Failure>;
    /// A new empty object.
    fn empty() -> Self::Value;
    /// An immutable shallow copy, safe to share between events.
    fn snapshot(value: &Self::Value) -> Self::Value;
    /// A mutable shallow copy, handed to callers.
    fn copy(value: &Self::Value) -> Self::Value;
    /// An object with these fields in this order, then the own fields of `spread` over them.
    fn object(fields: Vec<(&'static str, Field<'_, Self>)>, spread: Option<&Self::Value>) -> Self::Value;
    /// A failure the core itself records for a handler it refused to run.
    fn refusal(message: &str) -> Self::Failure;
    /// Reports a failure to the host's logger.
    fn report(message: &str, failure: &Self::Failure);
    /// Something an emit depends on changed: a bus's subscriptions, or an
    /// emitter's enabled flag, correlation id or default metadata. A host
    /// that keeps the core's plans of emits (see `Bus::route`) drops them.
    fn changed() {}
}
