//! JavaScript argument checks: the type of each value, turned into the core's
//! types. Whether a value is in range is the core's business.

use crate::prelude::*;

use crate::core::local::Local;
use alloc::borrow::Cow;
use alloc::rc::Rc;
use core::cell::RefCell;

use super::ffi;
use super::host::JsHost;
use super::value::{error, Array, JsValue};
use crate::core::args;
use crate::core::emitter::{EmitOptions, EventType};
use crate::core::error::{about, Error, ErrorKind, Name};
use crate::core::host::Text;

pub type JsResult<T> = Result<T, JsValue>;

/// The JavaScript error for a core refusal.
pub fn to_js(refusal: Error) -> JsValue {
    error(refusal.kind, refusal.message.as_str())
}

pub fn type_error(message: String) -> JsValue {
    error(ErrorKind::Type, &message)
}

/// The TypeError of a value of the wrong type: `{arg} must be {expected}, got {kind}`.
/// Kept out of line: every check shares this one message builder.
#[inline(never)]
pub fn wrong_type(arg: &(impl Name + ?Sized), expected: &str, got: Kind) -> JsValue {
    type_error(about(arg, &[" must be ", expected, ", got ", got.describe()]))
}

/// The JavaScript type of a value, learned in one call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Undefined,
    Null,
    Object,
    Array,
    Function,
    String,
    Number,
    Boolean,
    Other,
}

impl Kind {
    pub fn of(v: &JsValue) -> Kind {
        Kind::from_code(ffi::kind_of(v))
    }

    fn from_code(code: u32) -> Kind {
        match code {
            0 => Kind::Undefined,
            1 => Kind::Null,
            2 => Kind::Object,
            3 => Kind::Array,
            4 => Kind::Function,
            5 => Kind::String,
            6 => Kind::Number,
            7 => Kind::Boolean,
            _ => Kind::Other,
        }
    }

    /// For messages: "got a number".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Undefined => "undefined",
            Kind::Null => "null",
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::Function => "a function",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Other => "a bigint or a symbol",
        }
    }
}

pub fn string(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<String> {
    v.as_string().ok_or_else(|| wrong_type(arg, "a string", Kind::of(v)))
}

/// A string kept in both forms.
pub fn text(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Text<JsHost>> {
    Ok(Text { text: Rc::from(string(arg, v)?), host: v.clone() })
}

/// A string that names something the core compares (an event type, a
/// pattern, a subscriber id): it must survive the trip into Rust unchanged,
/// so an unpaired surrogate is refused.
pub fn identifier(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Text<JsHost>> {
    let t = text(arg, v)?;
    if !ffi::is_well_formed(v) {
        return Err(error(
            ErrorKind::Range,
            &about(arg, &[" must be well-formed UTF-16 (it has an unpaired surrogate)"]),
        ));
    }
    Ok(t)
}

/// A non-empty string.
pub fn name(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Text<JsHost>> {
    let t = text(arg, v)?;
    args::non_empty(arg, &t.text).map_err(to_js)?;
    Ok(t)
}

pub fn opt_text(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<Text<JsHost>>> {
    if v.is_undefined() {
        Ok(None)
    } else {
        text(arg, v).map(Some)
    }
}

/// A string, or null/undefined for none.
pub fn nullable_text(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<Text<JsHost>>> {
    nullable_text_of_kind(arg, v, Kind::of(v))
}

fn nullable_text_of_kind(arg: &(impl Name + ?Sized), v: &JsValue, kind: Kind) -> JsResult<Option<Text<JsHost>>> {
    match kind {
        Kind::Undefined | Kind::Null => Ok(None),
        Kind::String => text(arg, v).map(Some),
        k => Err(wrong_type(arg, "a string or null", k)),
    }
}

pub fn number(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<f64> {
    v.as_f64().ok_or_else(|| wrong_type(arg, "a number", Kind::of(v)))
}

pub fn opt_number(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<f64>> {
    if v.is_undefined() {
        Ok(None)
    } else {
        number(arg, v).map(Some)
    }
}

pub fn boolean(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<bool> {
    v.as_bool().ok_or_else(|| wrong_type(arg, "a boolean", Kind::of(v)))
}

/// Checks that `v` is a non-null object (arrays included, functions not).
pub fn object(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<()> {
    match Kind::of(v) {
        Kind::Object | Kind::Array => Ok(()),
        k => Err(wrong_type(arg, "an object", k)),
    }
}

/// Whether `v` is an object (see `object`), false for undefined.
fn is_opt_object(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<bool> {
    match Kind::of(v) {
        Kind::Undefined => Ok(false),
        Kind::Object | Kind::Array => Ok(true),
        k => Err(wrong_type(arg, "an object", k)),
    }
}

pub fn opt_object(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<JsValue>> {
    Ok(is_opt_object(arg, v)?.then(|| v.clone()))
}

/// A non-null object that is not an array: event data and metadata, which
/// the wire format carries as JSON objects.
pub fn record(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<JsValue> {
    if is_record(arg, Kind::of(v))? {
        Ok(v.clone())
    } else {
        Err(wrong_type(arg, "an object (not an array)", Kind::Undefined))
    }
}

pub fn opt_record(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<JsValue>> {
    Ok(is_record(arg, Kind::of(v))?.then(|| v.clone()))
}

/// What a JavaScript call left behind when it failed: a refusal naming `arg`.
pub fn unreadable(arg: &(impl Name + ?Sized)) -> JsValue {
    let e = ffi::take_last();
    type_error(about(arg, &[" could not be read: ", &ffi::error_message(&e)]))
}

/// A record the host will spread (metadata, progress data), copied here so
/// that a throwing getter or proxy is refused now, naming `arg`.
pub fn opt_record_copy(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<JsValue>> {
    is_record(arg, Kind::of(v))?.then(|| record_copy(arg, v)).transpose()
}

/// A copy of a record already checked (see `opt_record_copy`).
fn record_copy(arg: &(impl Name + ?Sized), record: &JsValue) -> JsResult<JsValue> {
    let copy = ffi::copy_record(record);
    if copy.is_undefined() && ffi::read_failed() {
        return Err(unreadable(arg));
    }
    Ok(copy)
}

/// A copy of an array argument as a plain array.
pub fn array(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Array> {
    match Kind::of(v) {
        Kind::Array => {}
        k => return Err(wrong_type(arg, "an array", k)),
    }
    let copy = ffi::copy_array(v);
    if copy.is_undefined() && ffi::read_failed() {
        return Err(unreadable(arg));
    }
    Ok(copy.unchecked_into())
}

/// Whether a value of kind `kind` is a record (see `record`), false for undefined.
fn is_record(arg: &(impl Name + ?Sized), kind: Kind) -> JsResult<bool> {
    match kind {
        Kind::Undefined => Ok(false),
        Kind::Object => Ok(true),
        k => Err(wrong_type(arg, "an object (not an array)", k)),
    }
}

pub fn function(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<JsValue> {
    if v.is_function() {
        Ok(v.clone())
    } else {
        Err(wrong_type(arg, "a function", Kind::of(v)))
    }
}

pub fn opt_function(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Option<JsValue>> {
    if v.is_undefined() {
        Ok(None)
    } else {
        function(arg, v).map(Some)
    }
}

/// A priority 0..2 (default 0).
pub fn priority(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<u8> {
    match opt_number(arg, v)? {
        Some(p) => args::priority(arg, p).map_err(to_js),
        None => Ok(0),
    }
}

/// An options object: absent, or an object whose fields are read one by one.
pub struct Options<'a> {
    arg: Cow<'a, str>,
    object: Option<&'a JsValue>,
}

/// A field's full name for messages (`options.priority`), written out only
/// when a message needs it: emits read options on every call.
pub struct FieldName<'a, P: Name + ?Sized = str> {
    parent: &'a P,
    key: &'a str,
}

impl<P: Name + ?Sized> Name for FieldName<'_, P> {
    fn push_name(&self, out: &mut String) {
        self.parent.push_name(out);
        out.push('.');
        out.push_str(self.key);
    }
}

impl<'a> Options<'a> {
    pub fn new(arg: &'a str, v: &'a JsValue) -> JsResult<Options<'a>> {
        Ok(Options { arg: Cow::Borrowed(arg), object: is_opt_object(arg, v)?.then_some(v) })
    }

    /// A wrapper around an object already checked.
    pub fn of(arg: String, object: &'a JsValue) -> Options<'a> {
        Options { arg: Cow::Owned(arg), object: Some(object) }
    }

    /// The field's full name for messages: `options.priority`.
    pub fn name<'k>(&'k self, key: &'k str) -> FieldName<'k> {
        FieldName { parent: &*self.arg, key }
    }

    /// The field's value (undefined when absent). A getter that throws is a refusal.
    pub fn get(&self, key: &'static str) -> JsResult<JsValue> {
        let Some(o) = self.object else { return Ok(JsValue::UNDEFINED) };
        let v = ffi::read_field(o, &js_key(key));
        if v.is_undefined() && ffi::read_failed() {
            return Err(unreadable(&self.name(key)));
        }
        Ok(v)
    }

    /// Reads a field and checks it with `check` (a function pointer: one copy
    /// of this per result type, not per check).
    pub fn field<'k, T>(
        &'k self,
        key: &'static str,
        check: fn(&FieldName<'k>, &JsValue) -> JsResult<T>,
    ) -> JsResult<T> {
        let v = self.get(key)?;
        check(&self.name(key), &v)
    }
}

/// Property names as JavaScript strings, made once: a string crossing from
/// wasm costs a UTF-8 decode every time.
static KEYS: Local<RefCell<Vec<(&'static str, JsValue)>>> = Local::new(RefCell::new(Vec::new()));

pub fn js_key(key: &'static str) -> JsValue {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((_, v)) = keys.iter().find(|(k, _)| core::ptr::eq(*k, key)) {
            return v.clone();
        }
        let v = JsValue::from_str(key);
        keys.push((key, v.clone()));
        v
    })
}

const EMIT_OPTION_KEYS: [&str; 3] = ["correlationId", "metadata", "priority"];

/// `{ correlationId?, metadata?, priority? }` read from `object` (an options
/// object, a batch item, or undefined) in one call: emits read them every time.
pub fn emit_options(arg: &(impl Name + ?Sized), object: &JsValue) -> JsResult<EmitOptions<JsHost>> {
    let kind = Kind::of(object);
    let read = if matches!(kind, Kind::Object | Kind::Array) { ffi::read_emit_options(object) } else { 0 };
    emit_options_read(arg, kind, read)
}

/// The options of an emit, from the kind of the options value and what
/// `readEmitOptions` (host.js) read of it.
fn emit_options_read(arg: &(impl Name + ?Sized), kind: Kind, read: u32) -> JsResult<EmitOptions<JsHost>> {
    match kind {
        Kind::Undefined => return Ok(EmitOptions::default()),
        Kind::Object | Kind::Array => {}
        k => return Err(wrong_type(arg, "an object", k)),
    }
    if read >> 12 != 0 {
        let key = EMIT_OPTION_KEYS[((read >> 12) - 1) as usize % 3];
        return Err(unreadable(&FieldName { parent: arg, key }));
    }
    let kind = |i: u32| Kind::from_code((read >> (4 * i)) & 15);
    let field = |i: u32| if kind(i) == Kind::Undefined { JsValue::UNDEFINED } else { ffi::take_field(i) };
    let name = |key: &'static str| FieldName { parent: arg, key };
    Ok(EmitOptions {
        correlation_id: nullable_text_of_kind(&name("correlationId"), &field(0), kind(0))?,
        // readEmitOptions leaves the copy to here (see opt_record_copy).
        metadata: {
            let m = field(1);
            is_record(&name("metadata"), kind(1))?.then(|| record_copy(&name("metadata"), &m)).transpose()?
        },
        priority: match kind(2) {
            Kind::Undefined => 0,
            Kind::Number => {
                let p = field(2).as_f64().unwrap_or(f64::NAN);
                args::priority(&name("priority"), p).map_err(to_js)?
            }
            k => return Err(wrong_type(&name("priority"), "a number", k)),
        },
    })
}

/// The checked arguments of one emit.
pub type EmitCall = (Rc<EventType<JsHost>>, Option<JsValue>, EmitOptions<JsHost>);

/// One emit's `(eventType, data?, options?)`, checked; read in one call.
pub fn emit_call(names: [&str; 3], event_type: &JsValue, data: &JsValue, options: &JsValue) -> JsResult<EmitCall> {
    emit_call_read(names, ffi::read_emit(event_type, data, options), event_type, data)
}

/// The same, from what `readEmit` (host.js) read of the arguments already.
pub fn emit_call_read(names: [&str; 3], read: f64, event_type: &JsValue, data: &JsValue) -> JsResult<EmitCall> {
    let read = read as u64;
    let t = event_type_in(names[0], event_type, (read >> 22) as usize)?;
    let d = is_record(names[1], Kind::from_code(read as u32 & 15))?.then(|| data.clone());
    let o = emit_options_read(names[2], Kind::from_code((read >> 4) as u32 & 15), (read >> 8) as u32 & 0x3fff)?;
    Ok((t, d, o))
}

/// Checked event types; `host.js` maps each value to its slot here.
static TYPES: Local<RefCell<Vec<Rc<EventType<JsHost>>>>> = Local::new(RefCell::new(Vec::new()));

const TYPE_CACHE_LIMIT: usize = 4096;

/// A checked event type. Types seen before are found by value without
/// crossing the string into wasm again.
pub fn event_type(arg: &(impl Name + ?Sized), v: &JsValue) -> JsResult<Rc<EventType<JsHost>>> {
    event_type_in(arg, v, (ffi::type_slot(v) + 1) as usize)
}

/// An event type, given 1 + the slot `typeSlot` found for it (0: none).
fn event_type_in(arg: &(impl Name + ?Sized), v: &JsValue, slot: usize) -> JsResult<Rc<EventType<JsHost>>> {
    if slot > 0 {
        if let Some(t) = TYPES.with(|types| types.borrow().get(slot - 1).cloned()) {
            return Ok(t);
        }
    }
    let checked = Rc::new(EventType::new(arg, identifier(arg, v)?).map_err(to_js)?);
    TYPES.with(|types| {
        let mut types = types.borrow_mut();
        if types.len() >= TYPE_CACHE_LIMIT {
            types.clear();
            ffi::forget_types();
        }
        types.push(checked.clone());
        ffi::remember_type(v, (types.len() - 1) as u32);
    });
    Ok(checked)
}
