//! The plain-Rust core: every rule of the contract lives here. It knows
//! nothing of JavaScript; a [`host::Host`] supplies payloads, handlers, clocks
//! and randomness, so the same rules serve native Rust and the wasm binding.

pub mod args;
pub mod bus;
pub mod cloudevents;
pub mod emitter;
pub mod error;
pub mod event_type;
pub mod float;
pub mod host;
pub mod id_set;
#[cfg(target_arch = "wasm32")]
pub mod local;
pub mod operation;
pub mod pattern;
pub mod wire;
