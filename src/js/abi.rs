//! How exports take and give values; js/glue.mjs is the other side. An
//! argument is a slot of the table of values the export borrows: JavaScript
//! releases it once the export returns, so what Rust keeps of it (in an
//! object, a result, an event) is a clone. A result is a number, or a slot
//! JavaScript takes the value out of. A failure is handed to `fail` and
//! thrown by JavaScript once the export returns (an exception thrown through
//! wasm would skip Rust's clean-up).

use alloc::boxed::Box;

use crate::prelude::*;

use core::cell::Cell;
use core::mem::ManuallyDrop;
use core::ops::Deref;

use super::ffi::raw;
use super::value::{error, Array, JsValue, Object, Promise};
use crate::core::error::ErrorKind;

/// An argument of the export under way: it derefs to the value, which is
/// JavaScript's to release, so it is never dropped here (nor `Clone`: a clone
/// is of the `JsValue`, one Rust owns).
pub struct Arg(ManuallyDrop<JsValue>);

impl Deref for Arg {
    type Target = JsValue;
    fn deref(&self) -> &JsValue {
        &self.0
    }
}

/// The argument in `slot`, borrowed for the call.
pub fn arg(slot: u32) -> Arg {
    Arg(ManuallyDrop::new(JsValue::from_slot(slot)))
}

/// A value JavaScript hands over with a call (`cb_settle` and its kin): owned
/// from here on, unlike an export's arguments.
pub fn owned(slot: u32) -> JsValue {
    JsValue::from_slot(slot)
}

/// A result as the wasm function returns it.
pub trait Ret {
    type Abi: Default;
    fn abi(self) -> Self::Abi;
}

impl Ret for () {
    type Abi = ();
    fn abi(self) {}
}

impl Ret for JsValue {
    type Abi = u32;
    fn abi(self) -> u32 {
        self.into_slot()
    }
}

impl Ret for String {
    type Abi = u32;
    fn abi(self) -> u32 {
        JsValue::from_str(&self).into_slot()
    }
}

impl Ret for bool {
    type Abi = u32;
    fn abi(self) -> u32 {
        self as u32
    }
}

impl Ret for u32 {
    type Abi = u32;
    fn abi(self) -> u32 {
        self
    }
}

impl Ret for f64 {
    type Abi = f64;
    fn abi(self) -> f64 {
        self
    }
}

macro_rules! ret_as_value {
    ($($t:ty),*) => {$(
        impl Ret for $t {
            type Abi = u32;
            fn abi(self) -> u32 {
                JsValue::from(self).into_slot()
            }
        }
    )*};
}
ret_as_value!(Array, Object, Promise);

impl<T: Ret> Ret for Result<T, JsValue> {
    type Abi = T::Abi;
    fn abi(self) -> T::Abi {
        match self {
            Ok(v) => v.abi(),
            Err(e) => {
                fail(e);
                T::Abi::default()
            }
        }
    }
}

/// Throws `e` from the export under way, once it returns.
pub fn fail(e: JsValue) {
    unsafe { raw::fail(e.into_slot()) }
}

/// A Rust object a JavaScript object stands for, with the number of calls
/// on it under way: it is freed only when none is.
struct Instance<T> {
    busy: Cell<u32>,
    value: T,
}

/// A class of objects JavaScript holds by address; `ID` picks the
/// JavaScript class in js/glue.mjs.
pub trait Class: Sized {
    const ID: u32;
}

/// The address of a new object, for JavaScript to hold.
pub struct Ptr(u32);

impl Ret for Ptr {
    type Abi = u32;
    fn abi(self) -> u32 {
        self.0
    }
}

pub fn instance<T: Class>(value: T) -> Ptr {
    Ptr(Box::into_raw(Box::new(Instance { busy: Cell::new(0), value })) as u32)
}

/// A new JavaScript object for `value`.
pub fn to_js<T: Class>(value: T) -> JsValue {
    JsValue::from_slot(unsafe { raw::wrap(T::ID, instance(value).0) })
}

fn instance_at<'a, T>(ptr: u32) -> Option<&'a Instance<T>> {
    // JavaScript passes only addresses `instance` gave it (js/api.mjs checks
    // each object's own), or 0 for one freed.
    unsafe { (ptr as *const Instance<T>).as_ref() }
}

/// Runs `f` on the object at `ptr`.
pub fn with<T, R: Ret>(ptr: u32, f: impl FnOnce(&T) -> R) -> R::Abi {
    let Some(object) = instance_at::<T>(ptr) else {
        fail(error(ErrorKind::State, "null pointer passed to rust"));
        return R::Abi::default();
    };
    object.busy.set(object.busy.get() + 1);
    let out = f(&object.value).abi();
    object.busy.set(object.busy.get() - 1);
    out
}

/// Frees the object at `ptr`, unless a call on it is under way.
pub fn free<T>(ptr: u32) {
    let Some(object) = instance_at::<T>(ptr) else { return };
    if object.busy.get() > 0 {
        fail(error(
            ErrorKind::State,
            "recursive use of an object detected which would lead to unsafe aliasing in rust",
        ));
        return;
    }
    drop(unsafe { Box::from_raw(ptr as *mut Instance<T>) });
}

/// Memory for JavaScript to write a string argument into (see
/// `JsValue::as_string`); `capacity` is at least 1.
#[no_mangle]
pub extern "C" fn alloc(capacity: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(capacity);
    let ptr = buffer.as_mut_ptr();
    core::mem::forget(buffer);
    ptr
}

/// Exports methods of `$class`: `export(args) -> abi = method;` each makes
/// `#[no_mangle] extern "C" fn export(this: u32, args: u32...) -> abi`, whose
/// arguments are slots borrowed for the call (see `arg`), and which runs
/// `method(&args...)` on the object at `this` (see `with`).
macro_rules! methods {
    ($class:ty { $($export:ident($($a:ident),*) -> $abi:ty = $method:ident;)* }) => {$(
        #[no_mangle]
        pub extern "C" fn $export(this: u32 $(, $a: u32)*) -> $abi {
            $(let $a = $crate::js::abi::arg($a);)*
            $crate::js::abi::with(this, |object: &$class| object.$method($(&$a),*))
        }
    )*};
}
pub(crate) use methods;
