//! The one error type of the core. Every refusal names the argument at fault;
//! the wasm layer maps `kind` onto the matching JavaScript error class.

use std::fmt;

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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
