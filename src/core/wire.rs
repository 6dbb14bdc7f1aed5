//! The Codomyrmex wire format: the JSON that Python's `Event.to_json` writes
//! and `Event.from_json` reads, so events cross between the two.
//!
//! One object with the keys `event_type`, `source`, `event_id`, `timestamp`
//! (float seconds), `correlation_id`, `data`, `metadata` and `priority`, in
//! that order, laid out as `json.dumps` does: `", "` and `": "` separators,
//! non-ASCII escaped as `\uXXXX`, floats as Python's `repr`.
//!
//! The JSON parser and serializer are the host's (serde_json natively,
//! `JSON.parse`/`JSON.stringify` in JavaScript, which keep strings that are
//! not well-formed UTF-16 intact). What the keys must hold, the limits and
//! the layout are decided here.

use crate::prelude::*;

use super::args::{digits_value, push_decimal};
use super::emitter::{EventType, NewEvent};
use super::error::{about, concat, decimal, Error, Result};
use super::float;
use super::host::{Host, Text};
use super::{args, event_type};

/// Longest JSON text read, in bytes (UTF-8) or UTF-16 units, whichever the host counts.
pub const MAX_WIRE_BYTES: usize = 1 << 20;
/// Deepest nesting of arrays and objects read; the event object itself is depth 1.
pub const MAX_WIRE_DEPTH: usize = 64;

/// Refuses text longer than [`MAX_WIRE_BYTES`], before anything is parsed.
pub fn check_size(len: usize) -> Result<()> {
    if len > MAX_WIRE_BYTES {
        return Err(Error::range(concat(&[
            "json must be at most ",
            &decimal(MAX_WIRE_BYTES as u64),
            " bytes long, got ",
            &decimal(len as u64),
        ])));
    }
    Ok(())
}

/// Refuses nesting deeper than [`MAX_WIRE_DEPTH`] with a single pass over
/// the text (no recursion), naming the top-level key whose value is too deep.
pub fn check_depth(text: &str) -> Result<()> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut string_start = 0;
    // The last string seen directly inside a top-level object: when a nested
    // value opens there, that string is its key.
    let mut top_object = false;
    let mut key = None;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 && top_object {
                    key = Some(string_start + 1..i);
                }
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    top_object = b == b'{';
                }
                if depth > MAX_WIRE_DEPTH {
                    let name = key
                        .and_then(|span| text.get(span))
                        .map_or("json", |k| k.char_indices().nth(64).and_then(|(end, _)| k.get(..end)).unwrap_or(k));
                    return Err(Error::range(about(
                        name,
                        &[
                            " is nested too deeply: at most ",
                            &decimal(MAX_WIRE_DEPTH as u64),
                            " levels of arrays and objects, the event object included",
                        ],
                    )));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The refusal for JSON text whose top level is not an object.
pub fn not_an_object(found: &str) -> Error {
    Error::type_error(concat(&["json must hold an object, not ", found]))
}

/// What one key of the wire object holds, as the host's reader found it.
pub enum Found<H: Host> {
    Absent,
    Null,
    Text(Text<H>),
    Number(f64),
    /// A JSON object (not an array).
    Object(H::Value),
    /// Anything else, described for messages ("an array", "a boolean").
    Other(&'static str),
}

impl<H: Host> Found<H> {
    fn describe(&self) -> &'static str {
        match self {
            Found::Absent => "missing",
            Found::Null => "null",
            Found::Text(_) => "a string",
            Found::Number(_) => "a number",
            Found::Object(_) => "an object",
            Found::Other(what) => what,
        }
    }

    /// `{key} is missing: it must be {expected}` or `{key} must be {expected}, not {found}`.
    fn wrong(&self, key: &str, expected: &str) -> Error {
        Error::type_error(match self {
            Found::Absent => about(key, &[" is missing: it must be ", expected]),
            found => about(key, &[" must be ", expected, ", not ", found.describe()]),
        })
    }
}

/// Reads an event from the top-level object, one key at a time through
/// `get`. Absent optional keys are left `None` for the schema's defaults (a
/// fresh id, the current time, `{}`); unknown keys are ignored. Refusals
/// name the key.
pub fn read<H: Host>(mut get: impl FnMut(&'static str) -> Result<Found<H>>) -> Result<NewEvent<H>> {
    let event_type = match get("event_type")? {
        Found::Text(t) => {
            event_type::validate("event_type", &t.text)?;
            EventType::new("event_type", t)?
        }
        other => return Err(other.wrong("event_type", "a string")),
    };
    let source = match get("source")? {
        Found::Text(t) => {
            args::non_empty("source", &t.text)?;
            t
        }
        other => return Err(other.wrong("source", "a string")),
    };
    let event_id = match get("event_id")? {
        Found::Absent => None,
        Found::Text(t) => Some(t),
        other => return Err(other.wrong("event_id", "a string")),
    };
    let timestamp_ms = match get("timestamp")? {
        Found::Absent => None,
        // Seconds on the wire; milliseconds kept to the microsecond.
        Found::Number(seconds) => Some(args::timestamp_ms("timestamp", float::round(seconds * 1e6) / 1e3)?),
        other => return Err(other.wrong("timestamp", "a number")),
    };
    let correlation_id = match get("correlation_id")? {
        Found::Absent | Found::Null => None,
        Found::Text(t) => Some(t),
        other => return Err(other.wrong("correlation_id", "a string or null")),
    };
    // Python always writes data and metadata as dicts.
    let mut object = |key: &'static str| match get(key)? {
        Found::Absent => Ok(None),
        Found::Object(v) => Ok(Some(v)),
        other => Err(other.wrong(key, "an object")),
    };
    let data = object("data")?;
    let metadata = object("metadata")?;
    let priority = match get("priority")? {
        Found::Absent => 0,
        // Python may write 1.0 for 1, which the rule accepts.
        Found::Number(p) => args::priority("priority", p)?,
        other => return Err(other.wrong("priority", "an integer")),
    };
    Ok(NewEvent { event_type, source, event_id, timestamp_ms, correlation_id, data, metadata, priority })
}

/// An event's fields already serialized by the host as compact JSON.
pub struct WireParts<'a> {
    /// JSON string literals, quotes included.
    pub event_type: &'a str,
    pub source: &'a str,
    pub event_id: &'a str,
    /// A JSON string literal, or `null`.
    pub correlation_id: &'a str,
    /// Compact JSON objects.
    pub data: &'a str,
    pub metadata: &'a str,
    /// The timestamp in seconds ([`seconds`]) as the host's shortest
    /// round-trip digits in exponent form: `1.700000000123e9` or `1.700000000123e+9`.
    pub timestamp_exp: &'a str,
    pub priority: u8,
}

/// The wire timestamp for `timestamp_ms`: seconds, via whole microseconds so
/// that 1700000000123.456 ms becomes 1700000000.123456.
pub fn seconds(timestamp_ms: f64) -> f64 {
    float::round(timestamp_ms * 1e3) / 1e6
}

/// Writes one event the way Python's `Event.to_json` does.
pub fn write(parts: &WireParts<'_>) -> String {
    let mut out = String::with_capacity(128 + parts.data.len() + parts.metadata.len());
    let key = |out: &mut String, name: &str, value: &str| {
        out.push_str(if out.is_empty() { "{\"" } else { ", \"" });
        out.push_str(name);
        out.push_str("\": ");
        python_layout(value, out);
    };
    key(&mut out, "event_type", parts.event_type);
    key(&mut out, "source", parts.source);
    key(&mut out, "event_id", parts.event_id);
    out.push_str(", \"timestamp\": ");
    python_float(parts.timestamp_exp, &mut out);
    key(&mut out, "correlation_id", parts.correlation_id);
    key(&mut out, "data", parts.data);
    key(&mut out, "metadata", parts.metadata);
    out.push_str(", \"priority\": ");
    out.push(char::from(b'0' + parts.priority.min(9)));
    out.push('}');
    out
}

/// Re-lays compact JSON as `json.dumps` does: `", "` and `": "` between
/// items, every character outside ASCII as `\uXXXX` (lower-case hex,
/// surrogate pairs above U+FFFF), floats as `repr`. Escapes already in the
/// text are kept; integers are kept as written.
pub fn python_layout(compact: &str, out: &mut String) {
    let mut in_string = false;
    let mut escaped = false;
    let mut number = String::new();
    for c in compact.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            if (' '..='~').contains(&c) {
                out.push(c);
            } else {
                for unit in c.encode_utf16(&mut [0u16; 2]) {
                    push_unicode_escape(*unit, out);
                }
            }
            continue;
        }
        if c.is_ascii_digit() || c == '-' || (!number.is_empty() && matches!(c, '.' | 'e' | 'E' | '+')) {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            python_number(&number, out);
            number.clear();
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            ',' => out.push_str(", "),
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    if !number.is_empty() {
        python_number(&number, out);
    }
}

/// A JSON number token: integers as written, floats as Python's `repr`.
fn python_number(token: &str, out: &mut String) {
    if token.contains(['.', 'e', 'E']) {
        python_float(token, out);
    } else {
        out.push_str(token);
    }
}

fn push_unicode_escape(unit: u16, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((unit >> shift) & 15)]));
    }
}

/// Python's `repr(float)` from a number written with the shortest digits
/// that read back to it, in exponent (`1.7e+9`) or decimal (`0.00001`)
/// form: fixed notation from 1e-4 up to 1e16, with `.0` when integral,
/// exponent notation (`1e-05`, `1.5e+16`) beyond. Anything else (`NaN`,
/// `Infinity`) is written as given.
pub fn python_float(number: &str, out: &mut String) {
    let Some((negative, significant, exponent)) = decompose(number) else {
        out.push_str(number);
        return;
    };
    if negative {
        out.push('-');
    }
    if significant.is_empty() {
        out.push_str("0.0");
        return;
    }
    // The value is 0.DIGITS × 10^point.
    let point = exponent + 1;
    let mut digits = significant.iter().filter(|&&b| b != b'.').map(|&b| char::from(b));
    let n = digits.clone().count() as i32;
    let push_zeros = |out: &mut String, count: i32| {
        for _ in 0..count {
            out.push('0');
        }
    };
    if -4 < point && point <= 16 {
        if point <= 0 {
            out.push_str("0.");
            push_zeros(out, -point);
            out.extend(digits);
        } else if point >= n {
            out.extend(digits);
            push_zeros(out, point - n);
            out.push_str(".0");
        } else {
            out.extend(digits.by_ref().take(point as usize));
            out.push('.');
            out.extend(digits);
        }
    } else {
        out.extend(digits.next());
        if n > 1 {
            out.push('.');
            out.extend(digits);
        }
        out.push_str(if exponent < 0 { "e-" } else { "e+" });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push('0');
        }
        push_decimal(out, magnitude.into());
    }
}

/// (sign, significant digits, decimal exponent of the first digit) of a
/// number token. The digits are the token's own bytes from the first
/// non-zero digit to the last, so they may hold its decimal point; they
/// are empty for zero.
fn decompose(number: &str) -> Option<(bool, &[u8], i32)> {
    let (negative, body) = match number.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        body => (false, body),
    };
    let (mantissa, exponent) = match body.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (&body[..at], parse_exponent(&body[at + 1..])?),
        None => (body, 0),
    };
    // Digits, then maybe a point and more digits.
    let whole = mantissa.iter().position(|&b| b == b'.').unwrap_or(mantissa.len());
    if whole == 0 || !mantissa.iter().enumerate().all(|(i, b)| b.is_ascii_digit() || i == whole) {
        return None;
    }
    let mut significant = mantissa;
    let mut leading = 0;
    while let [b @ (b'0' | b'.'), rest @ ..] = significant {
        leading += i32::from(*b == b'0');
        significant = rest;
    }
    while let [rest @ .., b'0' | b'.'] = significant {
        significant = rest;
    }
    let first = exponent + whole as i32 - 1 - leading;
    Some((negative, significant, first))
}

/// An exponent as `str::parse::<i32>` reads it after one optional `+`: an
/// optional sign, then digits, within `i32`.
fn parse_exponent(text: &[u8]) -> Option<i32> {
    let text = text.strip_prefix(b"+").unwrap_or(text);
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let magnitude = digits_value(digits)?;
    i32::try_from(if negative { -magnitude } else { magnitude }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(compact: &str) -> String {
        let mut out = String::new();
        python_layout(compact, &mut out);
        out
    }

    fn float(exp_form: &str) -> String {
        let mut out = String::new();
        python_float(exp_form, &mut out);
        out
    }

    #[test]
    fn floats_print_as_python_repr() {
        // (shortest digits in exponent form, Python's repr of that float)
        let cases = [
            ("0e0", "0.0"),
            ("-0e0", "-0.0"),
            ("1e0", "1.0"),
            ("-1.5e0", "-1.5"),
            ("1e2", "100.0"),
            ("1e-1", "0.1"),
            ("3.0000000000000004e-1", "0.30000000000000004"),
            ("1.2345678e4", "12345.678"),
            ("1.7e9", "1700000000.0"),
            ("1.700000000123e+9", "1700000000.123"),
            ("1.700000000123456e9", "1700000000.123456"),
            ("1e-4", "0.0001"),
            ("1.2e-4", "0.00012"),
            ("1e-5", "1e-05"),
            ("1.5e-7", "1.5e-07"),
            ("5e-324", "5e-324"),
            ("1e15", "1000000000000000.0"),
            ("9.999999999999998e15", "9999999999999998.0"),
            ("1e16", "1e+16"),
            ("1.5e+16", "1.5e+16"),
            ("1e100", "1e+100"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("NaN", "NaN"),
            ("Infinity", "Infinity"),
            // decimal forms, as serializers write them
            ("0.00001", "1e-05"),
            ("3.14", "3.14"),
            ("-0.0", "-0.0"),
            ("2.0", "2.0"),
            ("100.0", "100.0"),
            ("1e100", "1e+100"),
            ("0.0001", "0.0001"),
            ("12345678901234567000.0", "1.2345678901234567e+19"),
        ];
        for (exp_form, repr) in cases {
            assert_eq!(float(exp_form), repr, "{exp_form}");
        }
    }

    /// `python_float` as it was written with `str` splitting, `i32` parsing and a `Vec`.
    fn python_float_before(number: &str, out: &mut String) {
        let Some((negative, digits, exponent)) = decompose_before(number) else {
            out.push_str(number);
            return;
        };
        if negative {
            out.push('-');
        }
        if digits.is_empty() {
            out.push_str("0.0");
            return;
        }
        // The value is 0.DIGITS × 10^point.
        let point = exponent + 1;
        let digits = digits.as_slice();
        let n = digits.len() as i32;
        if -4 < point && point <= 16 {
            if point <= 0 {
                out.push_str("0.");
                crate::core::args::push_ascii(out, &[b'0'].repeat((-point) as usize));
                crate::core::args::push_ascii(out, digits);
            } else if point >= n {
                crate::core::args::push_ascii(out, digits);
                crate::core::args::push_ascii(out, &[b'0'].repeat((point - n) as usize));
                out.push_str(".0");
            } else {
                let (whole, fraction) = digits.split_at(point as usize);
                crate::core::args::push_ascii(out, whole);
                out.push('.');
                crate::core::args::push_ascii(out, fraction);
            }
        } else {
            let (first, rest) = digits.split_at(1);
            crate::core::args::push_ascii(out, first);
            if !rest.is_empty() {
                out.push('.');
                crate::core::args::push_ascii(out, rest);
            }
            out.push_str(if exponent < 0 { "e-" } else { "e+" });
            let magnitude = exponent.unsigned_abs();
            if magnitude < 10 {
                out.push('0');
            }
            push_decimal(out, magnitude.into());
        }
    }

    /// (sign, significant digits without leading or trailing zeros, decimal
    /// exponent of the first digit) of a number token; empty digits for zero.
    fn decompose_before(number: &str) -> Option<(bool, Vec<u8>, i32)> {
        let (negative, body) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number),
        };
        let (mantissa, exponent) = match body.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<i32>().ok()?),
            None => (body, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if whole.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
        let leading = digits.iter().take_while(|b| **b == b'0').count();
        digits.drain(..leading);
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        let first = exponent + whole.len() as i32 - 1 - leading as i32;
        Some((negative, digits, first))
    }

    #[test]
    fn floats_print_as_before() {
        let before = |token: &str| {
            let mut out = String::new();
            python_float_before(token, &mut out);
            out
        };
        let mut count = 0;
        let mut check = |token: &str| {
            assert_eq!(float(token), before(token), "{token}");
            count += 1;
        };
        // Doubles across the whole range, in the forms hosts write them.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if x.is_nan() {
                continue;
            }
            let exp = format!("{x:e}");
            check(&exp);
            check(&exp.replace("e", "e+").replace("e+-", "e-"));
            check(&format!("{x}"));
            check(&format!("{x:E}"));
        }
        for scale in -30..=30 {
            let x = 1.234_567_890_123_4 * 10f64.powi(scale);
            for y in [x, x.round(), -x, 10f64.powi(scale), x.trunc() / 8.0] {
                check(&format!("{y:e}"));
                check(&format!("{y}"));
            }
        }
        // Every token of up to five bytes a serializer never writes, too.
        let alphabet = b"019.-+eE";
        let mut tokens = vec![Vec::new()];
        let mut longest = tokens.clone();
        for _ in 0..5 {
            longest = longest.iter().flat_map(|t| alphabet.iter().map(move |&b| [&t[..], &[b]].concat())).collect();
            tokens.extend_from_slice(&longest);
        }
        for token in &tokens {
            check(std::str::from_utf8(token).unwrap());
        }
        for token in [
            "1e2147483646",
            "1e2147483648",
            "1e-2147483648",
            "1e-2147483649",
            "1e+-5",
            "1e++5",
            "1e+000000000000000000000012",
            "0.000000000000000000000000000000000000000000000000000000000000000001e60",
            "123456789012345678901234567890.123456789012345678901234567890e-3",
            "00012.3400e1",
            "1.",
            "1.e5",
            ".5",
            "-",
            "",
            "-Infinity",
            "1e5x",
            "1x",
            "é",
            "1é",
        ] {
            check(token);
        }
        assert!(count > 100_000, "{count}");
    }

    #[test]
    fn strings_are_escaped_like_ensure_ascii() {
        // The right-hand sides are Python's json.dumps of the same strings.
        let cases = [
            (r#""plain""#, r#""plain""#),
            ("\"é\"", r#""\u00e9""#),
            ("\"中文\"", r#""\u4e2d\u6587""#),
            ("\"😀\"", r#""\ud83d\ude00""#),
            (r#""a\"b\\c/d, e: f""#, r#""a\"b\\c/d, e: f""#),
            (r#""\n\r\t\b\f\u0000\u001f""#, r#""\n\r\t\b\f\u0000\u001f""#),
            ("\"\u{2028}\u{feff}\u{10ffff}\"", r#""\u2028\ufeff\udbff\udfff""#),
            // A lone surrogate arrives escaped (JSON.stringify) and stays so.
            (r#""\ud800""#, r#""\ud800""#),
            ("\"\u{7f}\"", r#""\u007f""#),
        ];
        for (compact, expected) in cases {
            assert_eq!(layout(compact), expected, "{compact}");
        }
    }

    #[test]
    fn values_use_python_separators_and_float_reprs() {
        assert_eq!(
            layout(r#"{"a":[1,2.0,null,true,false,{},[]],"b":{"c":"d"},"":-3}"#),
            r#"{"a": [1, 2.0, null, true, false, {}, []], "b": {"c": "d"}, "": -3}"#
        );
        assert_eq!(
            layout(r#"[0.00001,-1e+21,18446744073709551615,"1e-5",1.5E16]"#),
            r#"[1e-05, -1e+21, 18446744073709551615, "1e-5", 1.5e+16]"#
        );
    }

    #[test]
    fn writes_the_python_layout() {
        let parts = WireParts {
            event_type: r#""system.startup""#,
            source: r#""kernel""#,
            event_id: r#""0b9f1d52-5c1e-4a8e-9a4e-3f1c2d3e4f50""#,
            correlation_id: "null",
            data: r#"{"b":1,"a":"é"}"#,
            metadata: "{}",
            timestamp_exp: "1.700000000123e9",
            priority: 2,
        };
        assert_eq!(
            write(&parts),
            r#"{"event_type": "system.startup", "source": "kernel", "event_id": "0b9f1d52-5c1e-4a8e-9a4e-3f1c2d3e4f50", "timestamp": 1700000000.123, "correlation_id": null, "data": {"b": 1, "a": "\u00e9"}, "metadata": {}, "priority": 2}"#
        );
        assert_eq!(seconds(1_700_000_000_123.456), 1_700_000_000.123456);
    }

    // The native host is built for native tests only.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn wrong_values_are_described() {
        use crate::Native;
        let message = |found: Found<Native>, expected| {
            let err = found.wrong("key", expected);
            assert_eq!(err.kind, crate::core::error::ErrorKind::Type);
            err.message
        };
        assert_eq!(message(Found::Absent, "a string"), "key is missing: it must be a string");
        assert_eq!(message(Found::Null, "a string"), "key must be a string, not null");
        assert_eq!(message(Found::Number(1.0), "an object"), "key must be an object, not a number");
        assert_eq!(message(Found::Object(serde_json::json!({})), "a number"), "key must be a number, not an object");
        assert_eq!(message(Found::Other("an array"), "a string or null"), "key must be a string or null, not an array");
    }

    #[test]
    fn size_is_limited() {
        assert!(check_size(MAX_WIRE_BYTES).is_ok());
        let err = check_size(MAX_WIRE_BYTES + 1).unwrap_err();
        assert!(err.message.starts_with("json"));
    }

    #[test]
    fn depth_is_limited_without_recursing() {
        let with_data = |inner: &str| format!(r#"{{"event_type": "a", "source": "b", "data": {{"k": {inner}}}}}"#);
        // The event object and `data` take two levels.
        let nested = |n: usize| with_data(&format!("{}{}", "[".repeat(n), "]".repeat(n)));
        assert!(check_depth(&nested(MAX_WIRE_DEPTH - 2)).is_ok());
        let err = check_depth(&nested(MAX_WIRE_DEPTH - 1)).unwrap_err();
        assert!(err.message.starts_with("data "), "{}", err.message);
        assert!(check_depth(&"[".repeat(100_000)).unwrap_err().message.starts_with("json "));
        assert!(check_depth(&r#"{"a": "#.repeat(100_000)).unwrap_err().message.starts_with("a "));
        // The message names the key by its first 64 characters, as written.
        let deep = |key: &str| format!(r#"{{"{key}": {}"#, "[".repeat(MAX_WIRE_DEPTH));
        let named = |key: &str| {
            format!("{key} is nested too deeply: at most 64 levels of arrays and objects, the event object included")
        };
        let long = "é\\u00e9😀x".repeat(20);
        let first_64: String = long.chars().take(64).collect();
        assert_eq!(first_64.chars().count(), 64);
        for (key, name) in [("k", "k"), ("", ""), (&long[..], &first_64[..]), (&first_64[..], &first_64[..])] {
            assert_eq!(check_depth(&deep(key)), Err(Error::range(named(name))), "{key}");
        }
        // Brackets inside strings, escaped quotes included, are text.
        let text = format!(r#"{{"event_type": "a", "source": "\"{}"}}"#, "[{".repeat(100));
        assert!(check_depth(&text).is_ok());
    }
}
