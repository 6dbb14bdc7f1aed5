//! JavaScript values as Rust sees them: a slot in the table of values the
//! JavaScript side keeps (js/glue.mjs), owned by one `JsValue`. The first
//! four slots are fixed: undefined, null, true and false, so those are
//! known without a call. The few JavaScript types the binding builds
//! (arrays, objects, errors, promises) are thin names over it.

use crate::prelude::*;

use core::ops::Deref;

use super::ffi::raw;
use crate::core::error::ErrorKind;

#[repr(transparent)]
pub struct JsValue(u32);

const UNDEFINED: u32 = 0;
const NULL: u32 = 1;
const TRUE: u32 = 2;
const FALSE: u32 = 3;
/// Slots below this one are never freed.
const FIXED: u32 = 4;

impl JsValue {
    pub const UNDEFINED: JsValue = JsValue(UNDEFINED);
    pub const NULL: JsValue = JsValue(NULL);
    pub const TRUE: JsValue = JsValue(TRUE);
    pub const FALSE: JsValue = JsValue(FALSE);

    /// Takes over a slot JavaScript filled for Rust: an import's result, or a
    /// value a callback hands over (an export's arguments are only borrowed,
    /// see `abi::arg`).
    pub fn from_slot(slot: u32) -> JsValue {
        JsValue(slot)
    }

    /// Hands the slot over to JavaScript, which takes the value out of it.
    pub fn into_slot(self) -> u32 {
        let slot = self.0;
        core::mem::forget(self);
        slot
    }

    pub fn slot(&self) -> u32 {
        self.0
    }

    #[allow(clippy::should_implement_trait)] // infallible, unlike FromStr
    pub fn from_str(text: &str) -> JsValue {
        JsValue(unsafe { raw::string_from(text.as_ptr(), text.len()) })
    }

    pub fn from_f64(n: f64) -> JsValue {
        JsValue(unsafe { raw::number_from(n) })
    }

    pub fn from_bool(b: bool) -> JsValue {
        JsValue(if b { TRUE } else { FALSE })
    }

    pub fn is_undefined(&self) -> bool {
        self.0 == UNDEFINED
    }

    pub fn is_null(&self) -> bool {
        self.0 == NULL
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.0 {
            TRUE => Some(true),
            FALSE => Some(false),
            _ => None,
        }
    }

    fn kind(&self) -> u32 {
        unsafe { raw::kind_of(self.0) }
    }

    /// `typeof v === "object" && v !== null` (arrays included, functions not).
    pub fn is_object(&self) -> bool {
        matches!(self.kind(), 2 | 3)
    }

    pub fn is_function(&self) -> bool {
        self.kind() == 4
    }

    pub fn as_f64(&self) -> Option<f64> {
        (self.kind() == 6).then(|| unsafe { raw::number_of(self.0) })
    }

    /// The string, in UTF-8 (an unpaired surrogate becomes U+FFFD).
    pub fn as_string(&self) -> Option<String> {
        let mut out = [0u32; 3];
        if unsafe { raw::string_of(self.0, out.as_mut_ptr()) } == 0 {
            return None;
        }
        let (ptr, len, capacity) = (out[0] as usize, out[1] as usize, out[2] as usize);
        // JavaScript wrote `len` bytes of UTF-8 into a buffer from `alloc(capacity)`.
        Some(unsafe { String::from_raw_parts(ptr as *mut u8, len, capacity) })
    }

    /// The length of a string, in UTF-16 code units.
    pub fn string_length(&self) -> u32 {
        unsafe { raw::string_length(self.0) }
    }

    pub fn unchecked_into<T: From<JsValue>>(self) -> T {
        T::from(self)
    }
}

impl Clone for JsValue {
    fn clone(&self) -> JsValue {
        if self.0 < FIXED {
            JsValue(self.0)
        } else {
            JsValue(unsafe { raw::clone_value(self.0) })
        }
    }
}

impl Drop for JsValue {
    fn drop(&mut self) {
        if self.0 >= FIXED {
            unsafe { raw::drop_value(self.0) }
        }
    }
}

impl From<f64> for JsValue {
    fn from(n: f64) -> JsValue {
        JsValue::from_f64(n)
    }
}

impl From<bool> for JsValue {
    fn from(b: bool) -> JsValue {
        JsValue::from_bool(b)
    }
}

impl From<&str> for JsValue {
    fn from(s: &str) -> JsValue {
        JsValue::from_str(s)
    }
}

impl From<String> for JsValue {
    fn from(s: String) -> JsValue {
        JsValue::from_str(&s)
    }
}

/// A name for a JavaScript value known to be of one type.
macro_rules! typed {
    ($($name:ident),*) => {$(
        #[derive(Clone)]
        #[repr(transparent)]
        pub struct $name(JsValue);

        impl Deref for $name {
            type Target = JsValue;
            fn deref(&self) -> &JsValue {
                &self.0
            }
        }

        impl From<JsValue> for $name {
            fn from(v: JsValue) -> $name {
                $name(v)
            }
        }

        impl From<$name> for JsValue {
            fn from(v: $name) -> JsValue {
                v.0
            }
        }

        impl AsRef<JsValue> for $name {
            fn as_ref(&self) -> &JsValue {
                &self.0
            }
        }
    )*};
}
typed!(Array, Object, Promise);

impl Array {
    pub fn new() -> Array {
        Array(JsValue(unsafe { raw::array_new() }))
    }

    pub fn push(&self, v: &JsValue) {
        unsafe { raw::array_push(self.0 .0, v.0) }
    }

    pub fn of2(a: &JsValue, b: &JsValue) -> Array {
        let out = Array::new();
        out.push(a);
        out.push(b);
        out
    }

    pub fn length(&self) -> u32 {
        unsafe { raw::array_length(self.0 .0) }
    }

    pub fn get(&self, i: u32) -> JsValue {
        JsValue(unsafe { raw::array_get(self.0 .0, i) })
    }

    pub fn iter(&self) -> impl Iterator<Item = JsValue> + '_ {
        (0..self.length()).map(|i| self.get(i))
    }
}

impl<V: AsRef<JsValue>> FromIterator<V> for Array {
    fn from_iter<I: IntoIterator<Item = V>>(items: I) -> Array {
        let out = Array::new();
        for v in items {
            out.push(v.as_ref());
        }
        out
    }
}

impl AsRef<JsValue> for JsValue {
    fn as_ref(&self) -> &JsValue {
        self
    }
}

impl Object {
    pub fn new() -> Object {
        Object(JsValue(unsafe { raw::object_new() }))
    }

    /// `Object.fromEntries(entries)`, frozen when `freeze`: it defines
    /// properties, so a key like "__proto__" stays a plain key.
    pub fn from_entries(entries: &Array, freeze: bool) -> Object {
        Object(JsValue(unsafe { raw::object_from_entries(entries.0 .0, freeze as u32) }))
    }

    /// `target[key] = value`, for the binding's own keys.
    pub fn set(&self, key: &JsValue, value: &JsValue) {
        unsafe { raw::object_set(self.0 .0, key.0, value.0) }
    }
}

/// `new TypeError(message)` and its kin, as the core's `ErrorKind` names
/// them (js/glue.mjs holds the classes in this order).
pub fn error(kind: ErrorKind, message: &str) -> JsValue {
    let class = match kind {
        ErrorKind::State => 0,
        ErrorKind::Type => 1,
        ErrorKind::Range => 2,
        ErrorKind::Syntax => 3,
    };
    JsValue(unsafe { raw::error_new(class, message.as_ptr(), message.len()) })
}

/// `object[key]`, undefined when it throws.
pub fn get(object: &JsValue, key: &JsValue) -> JsValue {
    JsValue(unsafe { raw::get(object.0, key.0) })
}
