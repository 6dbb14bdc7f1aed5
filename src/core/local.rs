//! Per-thread statics without std: the wasm build (no_std) has one thread, so
//! a plain static stands in for `thread_local!`, with the same `with`.

/// A static used as a thread-local on a target that runs one thread.
pub struct Local<T>(T);

// SAFETY: only built for wasm32 without the atomics feature (see below),
// where nothing runs on a second thread.
unsafe impl<T> Sync for Local<T> {}

#[cfg(target_feature = "atomics")]
compile_error!("Local assumes one thread: the wasm build does not support wasm threads");

impl<T> Local<T> {
    pub const fn new(value: T) -> Local<T> {
        Local(value)
    }

    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.0)
    }
}
