//! Codomyrmex events: an event bus with fnmatch subscriptions, emitters with
//! correlation tracking and operation lifecycles, and the Codomyrmex wire
//! format, for Rust and — through WebAssembly — JavaScript.
//!
//! [`core`] holds every rule and is generic over a [`core::host::Host`];
//! the `js` module (wasm32 only) binds it to JavaScript.

pub mod core;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

/// The JavaScript binding (wasm32 only); JavaScript users see it as the npm package.
#[cfg(target_arch = "wasm32")]
mod js;
