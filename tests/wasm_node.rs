//! The binding's scenarios (see `wasm_common`) in Node.js, as an ES module:
//! `wasm-pack test --node`. The ES-module output is the one that loads the
//! binding's local JS snippet (`src/js/host.js`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_node_experimental);

mod wasm_common;
