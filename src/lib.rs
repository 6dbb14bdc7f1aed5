//! Codomyrmex events: an event bus with fnmatch subscriptions, emitters with
//! correlation tracking and operation lifecycles, and the Codomyrmex wire
//! format, for Rust and — through WebAssembly — JavaScript.
//!
//! [`core`] holds every rule and is generic over a [`core::host::Host`];
//! the `js` module (wasm32 only) binds it to JavaScript.

// The wasm build has no std: its panic handler (src/js) traps, which keeps
// std's message formatting out of the download.
#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]

extern crate alloc;

/// What std's prelude brings and the no_std build imports.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod core;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

/// The JavaScript binding (wasm32 only); JavaScript users see it as the npm package.
#[cfg(target_arch = "wasm32")]
mod js;
