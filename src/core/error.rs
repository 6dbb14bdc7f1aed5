//! The one error type of the core. Every refusal names the argument at fault;
//! the wasm layer maps `kind` onto the matching JavaScript error class.

use crate::prelude::*;

use core::fmt;

/// Which JavaScript error class a refusal becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A value of the wrong type (`TypeError`).
    Type,
    /// A value of the right type but out of range (`RangeError`).
    Range,
    /// Text that is not valid JSON (`SyntaxError`).
    Syntax,
    /// A call that is not allowed in the object's current state (`Error`).
    State,
}

/// A refused call: what kind of refusal, and a message naming the argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    pub fn type_error(message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Type, message: message.into() }
    }
    pub fn range(message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Range, message: message.into() }
    }
    pub fn syntax(message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Syntax, message: message.into() }
    }
    pub fn state(message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::State, message: message.into() }
    }
}

/// What names an argument in a message: a string, or a field name the
/// binding writes out only when a message needs it (`options.priority`).
pub trait Name {
    fn push_name(&self, out: &mut String);
}

impl Name for str {
    fn push_name(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Name for String {
    fn push_name(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// `arg`'s name followed by `rest`. Messages are pushed together from
/// pieces, not written with `format!`: the formatting machinery it brings
/// weighs about 5 KB of the gzipped wasm.
pub fn about(arg: &(impl Name + ?Sized), rest: &[&str]) -> String {
    let mut out = String::new();
    arg.push_name(&mut out);
    for part in rest {
        out.push_str(part);
    }
    out
}

/// `arg`'s name as a string.
pub fn name_of(arg: &(impl Name + ?Sized)) -> String {
    about(arg, &[])
}

/// `parts` pushed together (see [`about`]).
pub fn concat(parts: &[&str]) -> String {
    about("", parts)
}

/// `n` in decimal, for messages.
pub fn decimal(n: impl Into<u64>) -> String {
    let mut out = String::new();
    super::args::push_decimal(&mut out, n.into());
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;
