//! The event bus: subscriptions with fnmatch patterns, priority-ordered
//! dispatch, failure isolation, statistics and a bounded dead-letter queue.
//!
//! Re-entrancy: no borrow is held while a handler or filter runs, so handlers
//! may publish, subscribe and unsubscribe on the same bus to any depth.

use crate::prelude::*;

use alloc::collections::VecDeque;
use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};

use super::args;
use super::error::{about, concat, decimal, Error, Name, Result};
use super::host::{Host, Outcome};
use super::id_set::IdSet;
use super::pattern::Pattern;

/// Dead letters kept when no limit is given.
pub const DEFAULT_DEAD_LETTER_LIMIT: u32 = 1000;
/// Upper bound accepted for `deadLetterLimit`.
pub const MAX_DEAD_LETTER_LIMIT: u32 = 1 << 24;
/// Dispatches nested inside handlers (a handler that publishes, whose handler
/// publishes, ...) before the bus stops calling handlers. Far below any
/// host's stack limit, so runaway recursion ends here, cleanly, instead of
/// in a stack overflow that would unwind through the bus mid-update.
pub const MAX_DISPATCH_DEPTH: u32 = 256;
/// Distinct event types whose routes are cached before the cache starts over.
const ROUTE_CACHE_LIMIT: usize = 4096;

/// One subscription.
pub struct Subscription<H: Host> {
    pub id: Rc<str>,
    pub patterns: Vec<Pattern>,
    pub handler: H::Handler,
    pub filter: Option<H::Filter>,
    pub priority: i64,
    /// Unique per bus: tells a subscription from a later one with the same id.
    pub serial: u64,
    /// Cleared on unsubscribe, so a dispatch in progress skips it.
    active: Cell<bool>,
}

impl<H: Host> Subscription<H> {
    fn matches(&self, event_type: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(event_type))
    }
}

/// What a caller may set when subscribing.
pub struct SubscribeOptions<H: Host> {
    pub subscriber_id: Option<String>,
    pub filter: Option<H::Filter>,
    pub priority: i64,
}

impl<H: Host> Default for SubscribeOptions<H> {
    fn default() -> Self {
        SubscribeOptions { subscriber_id: None, filter: None, priority: 0 }
    }
}

/// Counters and subscribers, as `getStats()` reports them.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub events_published: u64,
    pub events_processed: u64,
    pub events_failed: u64,
    pub dead_letter_count: usize,
    /// (id, patterns, priority), in dispatch order.
    pub subscribers: Vec<(String, Vec<String>, i64)>,
}

/// The subscriptions an event type reaches, in dispatch order.
pub type Route<H> = Rc<[Rc<Subscription<H>>]>;

#[cfg(not(target_arch = "wasm32"))]
std::thread_local! {
    /// Dispatches under way on this thread, across every bus.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}
/// Dispatches under way, across every bus.
#[cfg(target_arch = "wasm32")]
static DEPTH: super::local::Local<Cell<u32>> = super::local::Local::new(Cell::new(0));

/// Where the count of dispatches under way lives in memory, for a host that
/// runs a dispatch itself (the JavaScript host's emits): it counts its own
/// there, so that the depth limit sees every level.
pub fn dispatch_depth_address() -> usize {
    DEPTH.with(|d| d as *const Cell<u32> as usize)
}

/// Counts one level of dispatch for as long as it lives.
struct DepthGuard;

impl DepthGuard {
    /// None when the limit is reached.
    fn enter() -> Option<DepthGuard> {
        DEPTH.with(|d| {
            let depth = d.get();
            (depth < MAX_DISPATCH_DEPTH).then(|| {
                d.set(depth + 1);
                DepthGuard
            })
        })
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Routes by event type, and the last one looked up.
struct Routes<H: Host> {
    by_type: RouteCache<H>,
    last: Option<(Rc<str>, Route<H>)>,
    /// Built on the first miss after the subscriptions changed.
    by_prefix: Option<PrefixIndex>,
}

/// FNV-1a over bytes, one step at a time: the hashes of every prefix of an
/// event type come out of one pass over it.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
fn fnv_step(h: u64, byte: u8) -> u64 {
    (h ^ byte as u64).wrapping_mul(0x100_0000_01b3)
}

/// FNV-1a of a whole text.
pub(super) fn fnv(text: &str) -> u64 {
    text.bytes().fold(FNV_OFFSET, fnv_step)
}

/// The bucket of `hash` among `buckets` (a power of two) in the chained
/// tables below and in `IdSet`; none fits an empty table.
pub(super) fn bucket(hash: u64, buckets: usize) -> usize {
    (hash ^ hash >> 32) as usize & buckets.wrapping_sub(1)
}

/// Where in the subscription list the subscriptions are whose patterns
/// start with each literal text: a route is worked out from those whose
/// prefix starts the event type, not from every subscription.
///
/// A chained hash table keyed by the hash of each prefix alone: a colliding
/// entry only makes its subscription a candidate, and every candidate is
/// matched against the event type anyway.
#[derive(Default)]
struct PrefixIndex {
    /// Per bucket, 1 + the entry it starts with (0: none).
    heads: Vec<u32>,
    /// (hash of a prefix, position of its subscription, 1 + the next entry in its bucket)
    entries: Vec<(u64, u32, u32)>,
}

impl PrefixIndex {
    fn new<H: Host>(subscriptions: &[Rc<Subscription<H>>]) -> PrefixIndex {
        let count: usize = subscriptions.iter().map(|s| s.patterns.len()).sum();
        let mut index =
            PrefixIndex { heads: vec![0; (2 * count).next_power_of_two()], entries: Vec::with_capacity(count) };
        for (at, s) in subscriptions.iter().enumerate() {
            for p in &s.patterns {
                let hash = fnv(p.prefix());
                let b = bucket(hash, index.heads.len());
                index.entries.push((hash, at as u32, index.heads[b]));
                index.heads[b] = index.entries.len() as u32;
            }
        }
        index
    }
}

/// The subscriptions matching `event_type`, in dispatch order.
fn matching<H: Host>(subscriptions: &[Rc<Subscription<H>>], index: &PrefixIndex, event_type: &str) -> Route<H> {
    // One bit per subscription: kept in list order, each once, with no sort.
    let mut found = vec![0u64; subscriptions.len().div_ceil(64)];
    let bytes = event_type.as_bytes();
    let mut hash = FNV_OFFSET;
    for end in 0..=bytes.len() {
        // Prefixes end where a character does (patterns' prefixes are text).
        if event_type.is_char_boundary(end) {
            let mut next = index.heads[bucket(hash, index.heads.len())];
            while let Some(&(h, at, after)) = index.entries.get((next as usize).wrapping_sub(1)) {
                let at = at as usize;
                if h == hash && subscriptions.get(at).is_some_and(|s| s.matches(event_type)) {
                    found[at / 64] |= 1 << (at % 64);
                }
                next = after;
            }
        }
        if let Some(&b) = bytes.get(end) {
            hash = fnv_step(hash, b);
        }
    }
    // Set bits only: a miss costs the candidates, not the whole list.
    let mut route = Vec::new();
    for (word_at, &word) in found.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            route.push(subscriptions[word_at * 64 + bits.trailing_zeros() as usize].clone());
            bits &= bits - 1;
        }
    }
    route.into()
}

impl<H: Host> Default for Routes<H> {
    fn default() -> Self {
        Routes { by_type: RouteCache { heads: Vec::new(), entries: Vec::new() }, last: None, by_prefix: None }
    }
}

/// Routes by event type: a chained hash table, like the prefix index, that
/// is only ever added to or cleared, so it needs no removal (and none of a
/// general map's code).
struct RouteCache<H: Host> {
    /// Per bucket, 1 + the entry it starts with (0: none); at least twice as
    /// many buckets as entries.
    heads: Vec<u32>,
    /// (hash of the event type, the event type, its route, 1 + the next entry in its bucket)
    entries: Vec<(u64, Rc<str>, Route<H>, u32)>,
}

impl<H: Host> RouteCache<H> {
    fn get(&self, hash: u64, event_type: &str) -> Option<&Route<H>> {
        let mut next = *self.heads.get(bucket(hash, self.heads.len()))?;
        while let Some((h, t, route, after)) = self.entries.get((next as usize).wrapping_sub(1)) {
            if *h == hash && **t == *event_type {
                return Some(route);
            }
            next = *after;
        }
        None
    }

    /// Adds the route of an event type not in the cache.
    fn insert(&mut self, hash: u64, event_type: Rc<str>, route: Route<H>) {
        self.entries.push((hash, event_type, route, 0));
        if self.entries.len() * 2 > self.heads.len() {
            let buckets = (self.heads.len() * 2).max(16);
            self.heads.clear();
            self.heads.resize(buckets, 0);
            for at in 0..self.entries.len() {
                self.link(at);
            }
        } else {
            self.link(self.entries.len() - 1);
        }
    }

    fn link(&mut self, at: usize) {
        let b = bucket(self.entries[at].0, self.heads.len());
        self.entries[at].3 = self.heads[b];
        self.heads[b] = at as u32 + 1;
    }

    fn clear(&mut self) {
        self.heads.clear();
        self.entries.clear();
    }
}

impl<H: Host> Routes<H> {
    fn clear(&mut self) {
        self.by_type.clear();
        self.last = None;
        self.by_prefix = None;
    }
}

struct State<H: Host> {
    /// Sorted by priority, highest first; equal priorities in subscription order.
    subscriptions: Vec<Rc<Subscription<H>>>,
    routes: Routes<H>,
    /// The ids in `subscriptions`: subscribing stays cheap on a large bus.
    ids: IdSet,
    next_default_id: u64,
    next_serial: u64,
    dead_letters: VecDeque<H::Event>,
}

struct Shared<H: Host> {
    state: RefCell<State<H>>,
    dead_letter_limit: usize,
    published: Cell<u64>,
    processed: Cell<u64>,
    failed: Cell<u64>,
}

/// A handle to a bus; clones share it.
pub struct Bus<H: Host> {
    shared: Rc<Shared<H>>,
}

impl<H: Host> Clone for Bus<H> {
    fn clone(&self) -> Self {
        Bus { shared: self.shared.clone() }
    }
}

impl<H: Host> Default for Bus<H> {
    fn default() -> Self {
        Bus::new(DEFAULT_DEAD_LETTER_LIMIT)
    }
}

/// The bookkeeping owed for a handler that returned something unfinished.
/// The host keeps the event beside it (it has it at hand anyway).
pub struct Settlement<H: Host> {
    bus: Weak<Shared<H>>,
    subscriber_id: Rc<str>,
    event_type: Rc<str>,
}

impl<H: Host> Settlement<H> {
    /// Records how the handler's result settled; `Err` carries the failure
    /// and the event the handler was called with (for the dead letter).
    pub fn settle(self, result: core::result::Result<(), (H::Failure, H::Event)>) {
        if let Some(shared) = self.bus.upgrade() {
            let bus = Bus { shared };
            match result {
                Ok(()) => bus.shared.processed.set(bus.shared.processed.get() + 1),
                Err((failure, event)) => bus.record_failure(&self.subscriber_id, &self.event_type, &event, &failure),
            }
        }
    }
}

impl<H: Host> Bus<H> {
    pub fn new(dead_letter_limit: u32) -> Self {
        Bus {
            shared: Rc::new(Shared {
                state: RefCell::new(State {
                    subscriptions: Vec::new(),
                    routes: Routes::default(),
                    ids: IdSet::default(),
                    next_default_id: 0,
                    next_serial: 0,
                    dead_letters: VecDeque::new(),
                }),
                dead_letter_limit: dead_letter_limit as usize,
                published: Cell::new(0),
                processed: Cell::new(0),
                failed: Cell::new(0),
            }),
        }
    }

    /// A bus from a `deadLetterLimit` option given as a number.
    pub fn with_limit(arg: &(impl Name + ?Sized), limit: Option<f64>) -> Result<Self> {
        let limit = match limit {
            Some(v) => args::count(arg, v, MAX_DEAD_LETTER_LIMIT)?,
            None => DEFAULT_DEAD_LETTER_LIMIT,
        };
        Ok(Bus::new(limit))
    }

    /// True when both handles share one bus.
    pub fn same(&self, other: &Bus<H>) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }

    /// Compiles patterns named by `arg` (`arg` or `arg[i]` in errors).
    pub fn compile_patterns(arg: &str, sources: &[String]) -> Result<Vec<Pattern>> {
        if sources.is_empty() {
            return Err(Error::range(about(arg, &[" must name at least one pattern"])));
        }
        // A plain loop: smaller in the wasm build than collecting into a `Result`.
        let mut compiled = Vec::with_capacity(sources.len());
        for (i, s) in sources.iter().enumerate() {
            match Pattern::new(s) {
                Ok(p) => compiled.push(p),
                Err(e) => {
                    let message = if sources.len() == 1 {
                        about(arg, &[" ", &e.message])
                    } else {
                        about(arg, &["[", &decimal(i as u64), "] ", &e.message])
                    };
                    return Err(Error { kind: e.kind, message });
                }
            }
        }
        Ok(compiled)
    }

    /// Adds a subscription and returns its id. An existing id is replaced.
    pub fn subscribe(&self, patterns: Vec<Pattern>, handler: H::Handler, options: SubscribeOptions<H>) -> Rc<str> {
        let id: Rc<str> = match options.subscriber_id {
            Some(id) => Rc::from(id),
            None => self.unused_default_id(),
        };
        let mut state = self.shared.state.borrow_mut();
        if !state.ids.insert(id.clone()) {
            remove_where(&mut state.subscriptions, |s| s.id == id);
        }
        state.next_serial += 1;
        let subscription = Rc::new(Subscription {
            id: id.clone(),
            patterns,
            handler,
            filter: options.filter,
            priority: options.priority,
            serial: state.next_serial,
            active: Cell::new(true),
        });
        // After every subscription of higher or equal priority: stable among equals.
        let at = state.subscriptions.partition_point(|s| s.priority >= subscription.priority);
        state.subscriptions.insert(at, subscription);
        state.routes.clear();
        H::changed();
        id
    }

    /// The next default id (`subscriber_N`) not in use, as `subscribe` assigns it.
    pub fn unused_default_id(&self) -> Rc<str> {
        let mut state = self.shared.state.borrow_mut();
        loop {
            state.next_default_id += 1;
            let candidate: Rc<str> = Rc::from(concat(&["subscriber_", &decimal(state.next_default_id)]));
            if !state.ids.contains(&candidate) {
                return candidate;
            }
        }
    }

    /// Removes a subscription; false when there was none with that id.
    pub fn unsubscribe(&self, subscriber_id: &str) -> bool {
        let mut state = self.shared.state.borrow_mut();
        if !state.ids.remove(subscriber_id) {
            return false;
        }
        remove_where(&mut state.subscriptions, |s| &*s.id == subscriber_id);
        state.routes.clear();
        H::changed();
        true
    }

    /// The serial of the subscription now under `subscriber_id`.
    pub fn serial_of(&self, subscriber_id: &str) -> Option<u64> {
        let state = self.shared.state.borrow();
        state.subscriptions.iter().find(|s| &*s.id == subscriber_id).map(|s| s.serial)
    }

    /// Removes the subscription under `subscriber_id` only if it is still the
    /// one with `serial` (not a later replacement).
    pub fn unsubscribe_serial(&self, subscriber_id: &str, serial: u64) -> bool {
        let mut state = self.shared.state.borrow_mut();
        let removed = remove_where(&mut state.subscriptions, |s| &*s.id == subscriber_id && s.serial == serial);
        if removed {
            state.ids.remove(subscriber_id);
            state.routes.clear();
            H::changed();
        }
        removed
    }

    /// Drops every subscription. The bus stays usable.
    pub fn shutdown(&self) {
        let mut state = self.shared.state.borrow_mut();
        for s in state.subscriptions.drain(..) {
            s.active.set(false);
        }
        state.ids.clear();
        state.routes.clear();
        H::changed();
    }

    /// True while the subscription with `serial` is still on the bus.
    pub fn is_active(&self, serial: u64) -> bool {
        self.shared.state.borrow().subscriptions.iter().any(|s| s.serial == serial)
    }

    /// The subscriptions matching `event_type`, in dispatch order (cached until subscriptions change).
    pub fn route(&self, event_type: &Rc<str>) -> Route<H> {
        let mut state = self.shared.state.borrow_mut();
        let State { subscriptions, routes, .. } = &mut *state;
        // Emitters pass the same Rc for the same checked type: no hashing then.
        if let Some((last_type, route)) = &routes.last {
            if Rc::ptr_eq(last_type, event_type) {
                return route.clone();
            }
        }
        let hash = fnv(event_type);
        let route = match routes.by_type.get(hash, event_type) {
            Some(route) => route.clone(),
            None => {
                let index = routes.by_prefix.get_or_insert_with(|| PrefixIndex::new(subscriptions));
                let route = matching(subscriptions, index, event_type);
                if routes.by_type.entries.len() >= ROUTE_CACHE_LIMIT {
                    routes.by_type.clear();
                }
                routes.by_type.insert(hash, event_type.clone(), route.clone());
                route
            }
        };
        routes.last = Some((event_type.clone(), route.clone()));
        route
    }

    /// Publishes an event of type `event_type`, built by `make` only if some
    /// subscription matches. Handlers run now, in order; failures are isolated.
    /// Returns the pending results of handlers still running (each settles
    /// after its accounting and never fails).
    pub fn publish_with(&self, event_type: &Rc<str>, make: impl FnOnce() -> H::Event) -> Vec<H::Pending> {
        self.shared.published.set(self.shared.published.get() + 1);
        let route = self.route(event_type);
        let mut pending = Vec::new();
        if route.is_empty() {
            return pending;
        }
        let event = make();
        let Some(_depth) = DepthGuard::enter() else {
            let refusal = H::refusal(&concat(&[
                "event dispatch nested more than ",
                &decimal(MAX_DISPATCH_DEPTH),
                " levels deep; handlers not called",
            ]));
            for subscription in route.iter().filter(|s| s.active.get()) {
                self.record_failure(&subscription.id, event_type, &event, &refusal);
            }
            return pending;
        };
        for subscription in route.iter() {
            if !subscription.active.get() {
                continue;
            }
            if let Some(filter) = &subscription.filter {
                match H::accepts(filter, &event) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(failure) => {
                        self.record_failure(&subscription.id, event_type, &event, &failure);
                        continue;
                    }
                }
            }
            let settlement = || Settlement {
                bus: Rc::downgrade(&self.shared),
                subscriber_id: subscription.id.clone(),
                event_type: event_type.clone(),
            };
            match H::invoke(&subscription.handler, &event, settlement) {
                Outcome::Done => self.shared.processed.set(self.shared.processed.get() + 1),
                Outcome::Failed(failure) => self.record_failure(&subscription.id, event_type, &event, &failure),
                Outcome::Pending(p) => pending.push(p),
            }
        }
        pending
    }

    /// Publishes an already built event.
    pub fn publish(&self, event_type: &Rc<str>, event: &H::Event) -> Vec<H::Pending> {
        self.publish_with(event_type, || event.clone())
    }

    /// Counts a handler's failure, reports it and keeps the event as a dead letter.
    pub fn record_failure(&self, subscriber_id: &str, event_type: &str, event: &H::Event, failure: &H::Failure) {
        let shared = &self.shared;
        shared.failed.set(shared.failed.get() + 1);
        H::report(&concat(&["event handler \"", subscriber_id, "\" failed on \"", event_type, "\""]), failure);
        if shared.dead_letter_limit == 0 {
            return;
        }
        let mut state = shared.state.borrow_mut();
        if state.dead_letters.len() >= shared.dead_letter_limit {
            state.dead_letters.pop_front();
        }
        state.dead_letters.push_back(event.clone());
    }

    pub fn stats(&self) -> Stats {
        let state = self.shared.state.borrow();
        Stats {
            events_published: self.shared.published.get(),
            events_processed: self.shared.processed.get(),
            events_failed: self.shared.failed.get(),
            dead_letter_count: state.dead_letters.len(),
            subscribers: state
                .subscriptions
                .iter()
                .map(|s| {
                    (String::from(&*s.id), s.patterns.iter().map(|p| p.as_str().to_string()).collect(), s.priority)
                })
                .collect(),
        }
    }

    /// Adds publications and processed handler calls a host counted itself.
    pub fn add_counts(&self, published: u64, processed: u64) {
        self.shared.published.set(self.shared.published.get() + published);
        self.shared.processed.set(self.shared.processed.get() + processed);
    }

    /// Zeroes the counters; the dead-letter queue is kept.
    pub fn reset_stats(&self) {
        self.shared.published.set(0);
        self.shared.processed.set(0);
        self.shared.failed.set(0);
    }

    /// The dead letters, oldest first.
    pub fn dead_letters(&self) -> Vec<H::Event> {
        self.shared.state.borrow().dead_letters.iter().cloned().collect()
    }
}

/// Removes (and deactivates) the first subscription matching `pred`.
fn remove_where<H: Host>(list: &mut Vec<Rc<Subscription<H>>>, pred: impl Fn(&Subscription<H>) -> bool) -> bool {
    match list.iter().position(|s| pred(s)) {
        Some(i) => {
            list.remove(i).active.set(false);
            true
        }
        None => false,
    }
}
