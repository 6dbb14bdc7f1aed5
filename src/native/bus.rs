//! [`EventBus`] and the per-thread [`default_bus`].

use std::fmt;
use std::rc::Rc;

use super::check;
use super::event::Event;
use super::host::{Filter, Handler, Native};
use crate::core::args;
use crate::core::bus::{self, Bus, Stats};
use crate::core::error::Result;

/// The patterns of a subscription: one pattern (`&str`, `String`) or several
/// (a slice, an array or a `Vec` of strings).
pub trait Patterns {
    /// The patterns as written.
    fn into_patterns(self) -> Vec<String>;
}

impl Patterns for &str {
    fn into_patterns(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}

impl Patterns for String {
    fn into_patterns(self) -> Vec<String> {
        vec![self]
    }
}

impl Patterns for &String {
    fn into_patterns(self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl<S: AsRef<str>> Patterns for &[S] {
    fn into_patterns(self) -> Vec<String> {
        self.iter().map(|s| s.as_ref().to_owned()).collect()
    }
}

impl<S: AsRef<str>, const N: usize> Patterns for [S; N] {
    fn into_patterns(self) -> Vec<String> {
        self.iter().map(|s| s.as_ref().to_owned()).collect()
    }
}

impl<S: AsRef<str>> Patterns for Vec<S> {
    fn into_patterns(self) -> Vec<String> {
        self.iter().map(|s| s.as_ref().to_owned()).collect()
    }
}

/// Optional settings of [`EventBus::subscribe_with`].
#[derive(Clone, Default)]
pub struct SubscribeOptions {
    /// A non-empty id; subscribing again with an existing id replaces that
    /// subscription. Default: `subscriber_N`, unused on this bus.
    pub subscriber_id: Option<String>,
    /// Called before the handler; `false` skips the handler for that event.
    pub filter: Option<Filter>,
    /// Higher runs first; equal priorities run in subscription order. Any
    /// integer a JavaScript number holds exactly (|p| ≤ 2⁵³ − 1). Default 0.
    pub priority: i64,
}

impl SubscribeOptions {
    /// No options: a default id, no filter, priority 0.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`subscriber_id`](Self::subscriber_id).
    pub fn subscriber_id(mut self, id: impl Into<String>) -> Self {
        self.subscriber_id = Some(id.into());
        self
    }
    /// Sets [`filter`](Self::filter).
    pub fn filter(mut self, filter: impl Fn(&Event) -> bool + 'static) -> Self {
        self.filter = Some(Rc::new(filter));
        self
    }
    /// Sets [`priority`](Self::priority).
    pub fn priority(mut self, priority: i64) -> Self {
        self.priority = priority;
        self
    }
}

impl fmt::Debug for SubscribeOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubscribeOptions")
            .field("subscriber_id", &self.subscriber_id)
            .field("filter", &self.filter.as_ref().map(|_| "Fn(&Event) -> bool"))
            .field("priority", &self.priority)
            .finish()
    }
}

/// An event bus: subscriptions with fnmatch patterns, dispatch by priority,
/// failure isolation, statistics and a bounded dead-letter queue.
///
/// Clones are handles to the same bus. A bus is `Rc`-based: it belongs to
/// the thread that made it (it is neither `Send` nor `Sync`).
///
/// Handlers run synchronously inside [`publish`](Self::publish), highest
/// priority first. A handler that returns `Err` is isolated: the others
/// still run, the failure is counted and logged (see
/// [`set_logger`](super::set_logger)) and the event is kept as a dead letter.
/// Handlers may publish, subscribe and unsubscribe on the same bus, to any
/// depth; a subscription made during a dispatch receives later events, not
/// the one being dispatched.
///
/// ```
/// use codomyrmex_events::{set_logger, EventBus, EventEmitter, EmitOptions, SubscribeOptions};
/// use serde_json::json;
///
/// set_logger(None); // keep the doctest's output quiet
/// let bus = EventBus::with_dead_letter_limit(2)?;
/// bus.subscribe_with("order.*", |_| Err("inventory offline".to_string()),
///                    SubscribeOptions::new().subscriber_id("inventory").priority(10))?;
/// bus.subscribe("order.*", |event| {
///     assert_eq!(event.data["order"], 1);
///     Ok(())
/// })?;
///
/// let shop = EventEmitter::new("shop", &bus)?;
/// shop.emit("order.placed", json!({"order": 1}), EmitOptions::new())?;
///
/// let stats = bus.stats();
/// assert_eq!((stats.events_published, stats.events_processed, stats.events_failed), (1, 1, 1));
/// let dead = bus.dead_letters();
/// assert_eq!((dead.len(), &*dead[0].event_type), (1, "order.placed"));
/// # Ok::<(), codomyrmex_events::Error>(())
/// ```
#[derive(Clone)]
pub struct EventBus {
    core: Bus<Native>,
}

impl fmt::Debug for EventBus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventBus").field("stats", &self.stats()).finish_non_exhaustive()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new()
    }
}

impl EventBus {
    /// A bus keeping at most 1000 dead letters.
    pub fn new() -> Self {
        EventBus { core: Bus::default() }
    }

    /// A bus keeping at most `limit` dead letters (0 keeps none), dropping the
    /// oldest first. `limit` is at most 2²⁴.
    pub fn with_dead_letter_limit(limit: u32) -> Result<Self> {
        Ok(EventBus { core: Bus::with_limit("dead_letter_limit", Some(f64::from(limit)))? })
    }

    pub(crate) fn from_core(core: Bus<Native>) -> Self {
        EventBus { core }
    }

    pub(crate) fn core(&self) -> &Bus<Native> {
        &self.core
    }

    /// Subscribes `handler` to events whose type matches one of `patterns`
    /// (fnmatch on the whole type: `*` any run of characters, dots included,
    /// `?` one character, `[abc]`/`[!abc]` a set) and returns the new
    /// subscriber id (`subscriber_N`).
    ///
    /// ```
    /// use std::cell::RefCell;
    /// use std::rc::Rc;
    /// use codomyrmex_events::{EventBus, EventEmitter, EmitOptions};
    /// use serde_json::json;
    ///
    /// let bus = EventBus::new();
    /// let seen = Rc::new(RefCell::new(Vec::new()));
    /// let log = seen.clone();
    /// let id = bus.subscribe(["user.*", "system.[!e]*"], move |event| {
    ///     log.borrow_mut().push(event.event_type.to_string());
    ///     Ok(())
    /// })?;
    /// assert_eq!(id, "subscriber_1");
    ///
    /// let app = EventEmitter::new("app", &bus)?;
    /// for event_type in ["user.login", "user.profile.updated", "system.error", "system.startup", "users"] {
    ///     app.emit(event_type, json!({}), EmitOptions::new())?;
    /// }
    /// assert_eq!(*seen.borrow(), ["user.login", "user.profile.updated", "system.startup"]);
    /// # Ok::<(), codomyrmex_events::Error>(())
    /// ```
    pub fn subscribe(
        &self,
        patterns: impl Patterns,
        handler: impl Fn(&Event) -> std::result::Result<(), String> + 'static,
    ) -> Result<String> {
        self.subscribe_with(patterns, handler, SubscribeOptions::default())
    }

    /// [`subscribe`](Self::subscribe) with an id, a filter or a priority.
    /// Refuses (and subscribes nothing) no pattern, an empty or overlong
    /// pattern, an empty id or a priority beyond ±(2⁵³ − 1).
    pub fn subscribe_with(
        &self,
        patterns: impl Patterns,
        handler: impl Fn(&Event) -> std::result::Result<(), String> + 'static,
        options: SubscribeOptions,
    ) -> Result<String> {
        let compiled = Bus::<Native>::compile_patterns("patterns", &patterns.into_patterns())?;
        let subscriber_id = match options.subscriber_id {
            Some(id) => Some(args::non_empty("options.subscriber_id", &id)?.to_owned()),
            None => None,
        };
        // The JavaScript rule (a safe integer), checked on the same terms.
        let priority = args::subscription_priority("options.priority", options.priority as f64)?;
        let handler: Handler = Rc::new(handler);
        let id = self.core.subscribe(
            compiled,
            handler,
            bus::SubscribeOptions { subscriber_id, filter: options.filter, priority },
        );
        Ok(id.to_string())
    }

    /// Removes a subscription; `false` when there was none with that id. A
    /// subscription removed during a dispatch is not called for the rest of it.
    pub fn unsubscribe(&self, subscriber_id: &str) -> bool {
        self.core.unsubscribe(subscriber_id)
    }

    /// Runs every matching handler on `event`, now. Refuses an event outside
    /// the schema's rules (type, timestamp, priority, data and metadata
    /// objects); a failing handler is never an error here.
    pub fn publish(&self, event: &Event) -> Result<()> {
        check::event(event)?;
        // The handlers get a shared copy, made only if some subscription
        // matches. Nothing is pending: native handlers finish before they return.
        self.core.publish_with(&event.event_type, || Rc::new(event.clone()));
        Ok(())
    }

    /// Counters and subscribers (in dispatch order).
    pub fn stats(&self) -> Stats {
        self.core.stats()
    }

    /// Zeroes the counters; the dead-letter queue is kept.
    pub fn reset_stats(&self) {
        self.core.reset_stats();
    }

    /// The events some handler failed on, oldest first (a copy of the queue).
    pub fn dead_letters(&self) -> Vec<Rc<Event>> {
        self.core.dead_letters()
    }

    /// Drops every subscription. The bus stays usable.
    pub fn shutdown(&self) {
        self.core.shutdown();
    }

    /// True when both handles are the same bus.
    pub fn same(&self, other: &EventBus) -> bool {
        self.core.same(&other.core)
    }
}

thread_local! {
    static DEFAULT_BUS: EventBus = EventBus::new();
}

/// The default bus of the current thread.
///
/// A bus is `Rc`-based and not `Send`, so "one default bus" means one per
/// thread: each thread that calls this gets its own, made on first use.
///
/// ```
/// use codomyrmex_events::default_bus;
///
/// assert!(default_bus().same(&default_bus()));
/// let other = std::thread::spawn(|| default_bus().stats().events_published);
/// assert_eq!(other.join().unwrap(), 0);
/// ```
pub fn default_bus() -> EventBus {
    DEFAULT_BUS.with(EventBus::clone)
}
