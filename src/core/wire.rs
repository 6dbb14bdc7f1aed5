//! The Codomyrmex wire format: the JSON that Python's `Event.to_json` writes
//! and `Event.from_json` reads, so events cross between the two.
//!
//! One object with the keys `event_type`, `source`, `event_id`, `timestamp`
//! (float seconds), `correlation_id`, `data`, `metadata` and `priority`, in
//! that order, laid out as `json.dumps` does: `", "` and `": "` separators,
//! non-ASCII escaped as `\uXXXX`, floats as Python's `repr`.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::error::{Error, Result};
use super::{args, event_type};

/// Longest JSON text `parse` accepts, in bytes.
pub const MAX_WIRE_BYTES: usize = 1 << 20;
/// Deepest nesting of arrays and objects `parse` accepts; the event object
/// itself is depth 1.
pub const MAX_WIRE_DEPTH: usize = 64;

/// A parsed wire event. Absent optional keys are `None`: the caller fills the
/// defaults (a fresh id, the current time).
#[derive(Debug, Clone, PartialEq)]
pub struct WireEvent {
    pub event_type: String,
    pub source: String,
    pub event_id: Option<String>,
    /// Milliseconds since the Unix epoch, to the microsecond.
    pub timestamp_ms: Option<f64>,
    pub correlation_id: Option<String>,
    /// An object; `{}` when absent.
    pub data: Value,
    /// An object; `{}` when absent.
    pub metadata: Value,
    /// 0 when absent.
    pub priority: u8,
}

/// Reads one event. Refuses text that is not JSON (SyntaxError), too long or
/// too deep (RangeError), and keys of the wrong type (TypeError) or out of
/// range (RangeError), naming the key. Unknown keys are ignored.
pub fn parse(text: &str) -> Result<WireEvent> {
    if text.len() > MAX_WIRE_BYTES {
        return Err(Error::range(format!(
            "json must be at most {MAX_WIRE_BYTES} bytes long, got {}",
            text.len()
        )));
    }
    // Before serde_json, whose own recursion limit (128) is not ours.
    check_depth(text)?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::syntax(format!("json is not valid JSON: {e}")))?;
    let Value::Object(mut obj) = value else {
        return Err(Error::type_error(format!(
            "json must hold an object, not {}",
            describe(&value)
        )));
    };

    let event_type = match obj.remove("event_type") {
        Some(Value::String(s)) => s,
        other => return Err(wrong_type("event_type", "a string", other.as_ref())),
    };
    event_type::validate("event_type", &event_type)?;
    let source = match obj.remove("source") {
        Some(Value::String(s)) => s,
        other => return Err(wrong_type("source", "a string", other.as_ref())),
    };
    args::non_empty("source", &source)?;
    let event_id = match obj.remove("event_id") {
        None => None,
        Some(Value::String(s)) => Some(s),
        other => return Err(wrong_type("event_id", "a string", other.as_ref())),
    };
    let timestamp_ms = match obj.remove("timestamp") {
        None => None,
        Some(Value::Number(n)) => Some(timestamp_ms(n.as_f64())?),
        other => return Err(wrong_type("timestamp", "a number", other.as_ref())),
    };
    let correlation_id = match obj.remove("correlation_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        other => {
            return Err(wrong_type(
                "correlation_id",
                "a string or null",
                other.as_ref(),
            ))
        }
    };
    let data = object_or_empty(&mut obj, "data")?;
    let metadata = object_or_empty(&mut obj, "metadata")?;
    let priority = match obj.remove("priority") {
        None => 0,
        Some(Value::Number(n)) => priority(n.as_f64())?,
        other => return Err(wrong_type("priority", "an integer", other.as_ref())),
    };
    Ok(WireEvent {
        event_type,
        source,
        event_id,
        timestamp_ms,
        correlation_id,
        data,
        metadata,
        priority,
    })
}

/// Seconds on the wire to milliseconds, rounded to the microsecond.
fn timestamp_ms(seconds: Option<f64>) -> Result<f64> {
    let ms = (seconds.unwrap_or(f64::NAN) * 1e6).round() / 1e3;
    args::timestamp_ms("timestamp", ms)
}

/// Python may write the priority as a float (`1.0`), which the rule accepts.
fn priority(value: Option<f64>) -> Result<u8> {
    args::priority("priority", value.unwrap_or(f64::NAN))
}

/// `data` and `metadata`: an object, or absent for `{}` (Python always writes a dict).
fn object_or_empty(obj: &mut Map<String, Value>, key: &str) -> Result<Value> {
    match obj.remove(key) {
        None => Ok(Value::Object(Map::new())),
        Some(value @ Value::Object(_)) => Ok(value),
        other => Err(wrong_type(key, "an object", other.as_ref())),
    }
}

fn wrong_type(key: &str, expected: &str, found: Option<&Value>) -> Error {
    match found {
        None => Error::type_error(format!("{key} is missing: it must be {expected}")),
        Some(value) => {
            Error::type_error(format!("{key} must be {expected}, not {}", describe(value)))
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Refuses nesting deeper than [`MAX_WIRE_DEPTH`] with a single pass over
/// the text, naming the top-level key whose value is too deep.
fn check_depth(text: &str) -> Result<()> {
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
                    key = Some(string_start..i + 1);
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
                        .and_then(|raw| serde_json::from_str::<String>(raw).ok())
                        .map(|k| k.chars().take(64).collect::<String>())
                        .unwrap_or_else(|| "json".to_owned());
                    return Err(Error::range(format!(
                        "{name} is nested too deeply: at most {MAX_WIRE_DEPTH} levels of arrays and objects, the event object included"
                    )));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Writes one event the way Python's `Event.to_json` does.
#[allow(clippy::too_many_arguments)] // one argument per wire key
pub fn write(
    event_type: &str,
    source: &str,
    event_id: &str,
    timestamp_ms: f64,
    correlation_id: Option<&str>,
    data: &Value,
    metadata: &Value,
    priority: u8,
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"event_type\": ");
    push_string(&mut out, event_type);
    out.push_str(", \"source\": ");
    push_string(&mut out, source);
    out.push_str(", \"event_id\": ");
    push_string(&mut out, event_id);
    out.push_str(", \"timestamp\": ");
    // Via whole microseconds, so 1700000000123.456 ms prints as 1700000000.123456.
    push_float(&mut out, (timestamp_ms * 1e3).round() / 1e6);
    out.push_str(", \"correlation_id\": ");
    match correlation_id {
        Some(id) => push_string(&mut out, id),
        None => out.push_str("null"),
    }
    out.push_str(", \"data\": ");
    push_value(&mut out, data);
    out.push_str(", \"metadata\": ");
    push_value(&mut out, metadata);
    let _ = write!(out, ", \"priority\": {priority}}}");
    out
}

/// Python's `json.dumps(value)`: `", "` / `": "` separators, ASCII only,
/// floats as `repr`.
pub fn to_python_json(value: &Value) -> String {
    let mut out = String::new();
    push_value(&mut out, value);
    out
}

fn push_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => push_float(out, f),
            _ => {
                let _ = write!(out, "{n}");
            }
        },
        Value::String(s) => push_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_string(out, key);
                out.push_str(": ");
                push_value(out, item);
            }
            out.push('}');
        }
    }
}

/// A JSON string with `ensure_ascii=True`: everything outside printable
/// ASCII as `\uXXXX` (lower-case hex, UTF-16 surrogate pairs above U+FFFF).
fn push_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                for unit in c.encode_utf16(&mut [0u16; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Python's `repr(float)` (and `json.dumps` of a float): the shortest digits
/// that read back to the same value, in fixed notation from 1e-4 up to 1e16
/// (with `.0` when integral), in exponent notation (`1e-05`, `1.5e+16`)
/// beyond.
fn push_float(out: &mut String, x: f64) {
    if !x.is_finite() {
        // json.dumps writes these (allow_nan=True); parse refuses them.
        out.push_str(if x.is_nan() {
            "NaN"
        } else if x > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return;
    }
    let (digits, exponent) = shortest_digits(x.abs());
    // The value is 0.DIGITS × 10^point.
    let point = exponent + 1;
    let n = digits.len() as i32;
    if -4 < point && point <= 16 {
        if point <= 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-point) as usize));
            out.push_str(&digits);
        } else if point >= n {
            out.push_str(&digits);
            out.push_str(&"0".repeat((point - n) as usize));
            out.push_str(".0");
        } else {
            let (whole, fraction) = digits.split_at(point as usize);
            let _ = write!(out, "{whole}.{fraction}");
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            let _ = write!(out, ".{rest}");
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.abs());
    }
}

/// The shortest decimal digits that read back as `x` (> 0) and the decimal
/// exponent of the first: `("15", 3)` for 1500.0. Like Python, a tie
/// between two shortest candidates goes to the even digit.
fn shortest_digits(x: f64) -> (String, i32) {
    // `{:e}` finds the shortest length but rounds ties up; `{:.N$e}` rounds
    // exactly, half to even, and is taken whenever it still reads back as `x`.
    let shortest = format!("{x:e}");
    let precision = shortest
        .split_once('e')
        .map_or(0, |(m, _)| m.len().saturating_sub(2));
    let even = format!("{x:.precision$e}");
    let chosen = if even.parse::<f64>() == Ok(x) {
        even
    } else {
        shortest
    };
    let (mantissa, exponent) = chosen.split_once('e').unwrap_or((&chosen, "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exponent.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn refusal(text: &str) -> Error {
        parse(text).unwrap_err()
    }

    /// An event whose `data` holds `inner` (JSON text).
    fn with_data(inner: &str) -> String {
        format!(r#"{{"event_type": "a", "source": "b", "data": {{"k": {inner}}}}}"#)
    }

    #[test]
    fn floats_print_as_python_repr() {
        // Each string is Python's repr of the float it denotes.
        let reprs = [
            "0.0",
            "-0.0",
            "1.0",
            "-1.5",
            "100.0",
            "0.1",
            "0.30000000000000004",
            "0.3333333333333333",
            "12345.678",
            "1700000000.0",
            "1700000000.123",
            "1700000000.123456",
            "1700000000.5",
            "0.0001",
            "0.00012",
            "0.001",
            "1e-05",
            "1.5e-07",
            "5e-324",
            "1000000000000000.0",
            "9999999999999998.0",
            "1e+16",
            "1.5e+16",
            "1.2345678901234568e+17",
            "1e+22",
            "1e+100",
            "1.7976931348623157e+308",
            "9007199254740992.0",
            "2.5",
            "0.125",
            // an exact tie between two shortest candidates: Python takes the even one
            "9047413032370.312",
        ];
        for repr in reprs {
            let x: f64 = repr.parse().unwrap();
            assert_eq!(to_python_json(&Value::from(x)), repr);
        }
    }

    #[test]
    fn strings_are_escaped_like_ensure_ascii() {
        // Expectations are Python's json.dumps of the same strings.
        let cases = [
            ("plain", r#""plain""#),
            ("é", r#""\u00e9""#),
            ("中文", r#""\u4e2d\u6587""#),
            ("😀", r#""\ud83d\ude00""#),
            ("a\"b\\c/d", r#""a\"b\\c/d""#),
            ("\n\r\t\u{8}\u{c}", r#""\n\r\t\b\f""#),
            ("\u{0}\u{1f}\u{7f}", r#""\u0000\u001f\u007f""#),
            ("\u{2028}\u{feff}", r#""\u2028\ufeff""#),
            ("\u{10ffff}", r#""\udbff\udfff""#),
        ];
        for (text, expected) in cases {
            assert_eq!(to_python_json(&Value::from(text)), expected);
        }
    }

    #[test]
    fn values_use_python_separators() {
        let compact = r#"{"a":[1,2.0,null,true,false,{},[]],"b":{"c":"d"},"":-3}"#;
        assert_eq!(
            to_python_json(&json(compact)),
            r#"{"a": [1, 2.0, null, true, false, {}, []], "b": {"c": "d"}, "": -3}"#
        );
        assert_eq!(
            to_python_json(&json("[18446744073709551615, -9223372036854775808]")),
            "[18446744073709551615, -9223372036854775808]"
        );
    }

    #[test]
    fn writes_the_python_layout() {
        let text = write(
            "system.startup",
            "kernel",
            "0b9f1d52-5c1e-4a8e-9a4e-3f1c2d3e4f50",
            1700000000123.0,
            None,
            &json(r#"{"b":1,"a":"é"}"#),
            &json("{}"),
            2,
        );
        assert_eq!(
            text,
            r#"{"event_type": "system.startup", "source": "kernel", "event_id": "0b9f1d52-5c1e-4a8e-9a4e-3f1c2d3e4f50", "timestamp": 1700000000.123, "correlation_id": null, "data": {"b": 1, "a": "\u00e9"}, "metadata": {}, "priority": 2}"#
        );
        let text = write(
            "a",
            "b",
            "id",
            1700000000000.0,
            Some("c"),
            &json("{}"),
            &json("{}"),
            0,
        );
        assert!(
            text.contains(r#""timestamp": 1700000000.0, "correlation_id": "c""#),
            "{text}"
        );
        let text = write(
            "a",
            "b",
            "id",
            1700000000123.456,
            None,
            &json("{}"),
            &json("{}"),
            0,
        );
        assert!(
            text.contains(r#""timestamp": 1700000000.123456,"#),
            "{text}"
        );
        let text = write("a", "b", "id", f64::NAN, None, &json("{}"), &json("{}"), 0);
        assert!(text.contains(r#""timestamp": NaN,"#), "{text}");
    }

    #[test]
    fn reads_every_key() {
        let event = parse(
            r#"{"event_type": "user.login", "source": "auth", "event_id": "id-1",
                "timestamp": 1700000000.5, "correlation_id": "corr", "data": {"user": "é"},
                "metadata": {"m": [1]}, "priority": 1, "extra": "ignored"}"#,
        )
        .unwrap();
        assert_eq!(
            event,
            WireEvent {
                event_type: "user.login".into(),
                source: "auth".into(),
                event_id: Some("id-1".into()),
                timestamp_ms: Some(1700000000500.0),
                correlation_id: Some("corr".into()),
                data: json(r#"{"user": "é"}"#),
                metadata: json(r#"{"m": [1]}"#),
                priority: 1,
            }
        );
    }

    #[test]
    fn absent_optional_keys_are_left_to_the_caller() {
        let event = parse(r#"{"event_type": "custom", "source": "x"}"#).unwrap();
        assert_eq!(event.event_id, None);
        assert_eq!(event.timestamp_ms, None);
        assert_eq!(event.correlation_id, None);
        assert_eq!(event.data, json("{}"));
        assert_eq!(event.metadata, json("{}"));
        assert_eq!(event.priority, 0);
        let event = parse(r#"{"event_type": "custom", "source": "x", "correlation_id": null}"#).unwrap();
        assert_eq!(event.correlation_id, None);
        for key in ["data", "metadata"] {
            let text = format!(r#"{{"event_type": "custom", "source": "x", "{key}": null}}"#);
            let err = parse(&text).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Type);
            assert!(err.message.starts_with(key), "{}", err.message);
        }
        assert_eq!(parse(r#"{"event_type": "a", "source": ""}"#).unwrap_err().kind, ErrorKind::Range);
    }

    #[test]
    fn timestamps_become_milliseconds_to_the_microsecond() {
        let ms = |ts: &str| {
            parse(&format!(
                r#"{{"event_type": "a", "source": "b", "timestamp": {ts}}}"#
            ))
            .unwrap()
            .timestamp_ms
        };
        assert_eq!(ms("1700000000.123"), Some(1700000000123.0));
        assert_eq!(ms("1700000000.1234567"), Some(1700000000123.457));
        assert_eq!(ms("1700000000"), Some(1700000000000.0));
        assert_eq!(ms("0"), Some(0.0));
    }

    #[test]
    fn priority_accepts_integral_floats_only_in_range() {
        let priority = |p: &str| {
            parse(&format!(
                r#"{{"event_type": "a", "source": "b", "priority": {p}}}"#
            ))
        };
        assert_eq!(priority("2").unwrap().priority, 2);
        assert_eq!(priority("1.0").unwrap().priority, 1);
        for p in ["1.5", "-1", "3", "1e300"] {
            let err = priority(p).unwrap_err();
            assert_eq!(
                (err.kind, err.message.starts_with("priority")),
                (ErrorKind::Range, true),
                "{p}"
            );
        }
        for p in [r#""1""#, "true", "null", "[1]"] {
            let err = priority(p).unwrap_err();
            assert_eq!(
                (err.kind, err.message.starts_with("priority")),
                (ErrorKind::Type, true),
                "{p}"
            );
        }
    }

    #[test]
    fn refusals_name_the_key() {
        let cases = [
            (r#"{"source": "b"}"#, ErrorKind::Type, "event_type"),
            (
                r#"{"event_type": 1, "source": "b"}"#,
                ErrorKind::Type,
                "event_type",
            ),
            (
                r#"{"event_type": "", "source": "b"}"#,
                ErrorKind::Range,
                "event_type",
            ),
            (
                r#"{"event_type": "a b", "source": "b"}"#,
                ErrorKind::Range,
                "event_type",
            ),
            (r#"{"event_type": "a"}"#, ErrorKind::Type, "source"),
            (
                r#"{"event_type": "a", "source": null}"#,
                ErrorKind::Type,
                "source",
            ),
            (
                r#"{"event_type": "a", "source": "b", "event_id": 7}"#,
                ErrorKind::Type,
                "event_id",
            ),
            (
                r#"{"event_type": "a", "source": "b", "timestamp": "now"}"#,
                ErrorKind::Type,
                "timestamp",
            ),
            (
                r#"{"event_type": "a", "source": "b", "timestamp": -1}"#,
                ErrorKind::Range,
                "timestamp",
            ),
            (
                r#"{"event_type": "a", "source": "b", "timestamp": 1e308}"#,
                ErrorKind::Range,
                "timestamp",
            ),
            (
                r#"{"event_type": "a", "source": "b", "correlation_id": 1}"#,
                ErrorKind::Type,
                "correlation_id",
            ),
            (
                r#"{"event_type": "a", "source": "b", "data": []}"#,
                ErrorKind::Type,
                "data",
            ),
            (
                r#"{"event_type": "a", "source": "b", "metadata": "m"}"#,
                ErrorKind::Type,
                "metadata",
            ),
            (r#"[]"#, ErrorKind::Type, "json"),
            (r#""event""#, ErrorKind::Type, "json"),
        ];
        for (text, kind, key) in cases {
            let err = refusal(text);
            assert_eq!(err.kind, kind, "{text}: {}", err.message);
            assert!(err.message.starts_with(key), "{text}: {}", err.message);
        }
        let long = format!(r#"{{"event_type": "{}", "source": "b"}}"#, "a".repeat(257));
        assert_eq!(refusal(&long).kind, ErrorKind::Range);
    }

    #[test]
    fn text_that_is_not_json_is_a_syntax_error() {
        for text in ["", "{", r#"{"event_type": "a",}"#, "NaN", "{\"a\": NaN}"] {
            let err = refusal(text);
            assert_eq!(err.kind, ErrorKind::Syntax, "{text}");
            assert!(
                err.message.starts_with("json") && err.message.contains("line 1 column"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn size_is_limited_before_parsing() {
        let padding = "x".repeat(MAX_WIRE_BYTES);
        let err = refusal(&with_data(&format!("\"{padding}\"")));
        assert_eq!(err.kind, ErrorKind::Range);
        assert!(err.message.starts_with("json"), "{}", err.message);
        // Just under the limit is fine.
        let fits = with_data(&format!(
            "\"{}\"",
            "x".repeat(MAX_WIRE_BYTES - with_data("\"\"").len())
        ));
        assert_eq!(fits.len(), MAX_WIRE_BYTES);
        assert!(parse(&fits).is_ok());
    }

    #[test]
    fn depth_is_limited_without_recursing() {
        // The event object and `data` take two levels.
        let nested = |n: usize| with_data(&format!("{}{}", "[".repeat(n), "]".repeat(n)));
        assert!(parse(&nested(MAX_WIRE_DEPTH - 2)).is_ok());
        let err = refusal(&nested(MAX_WIRE_DEPTH - 1));
        assert_eq!(err.kind, ErrorKind::Range);
        assert!(err.message.starts_with("data "), "{}", err.message);

        let err = refusal(&"[".repeat(100_000));
        assert_eq!(
            (err.kind, err.message.starts_with("json ")),
            (ErrorKind::Range, true)
        );
        let err = refusal(&r#"{"a": "#.repeat(100_000));
        assert_eq!(
            (err.kind, err.message.starts_with("a ")),
            (ErrorKind::Range, true)
        );
        // Brackets inside strings, escaped quotes included, are text.
        let text = format!(
            r#"{{"event_type": "a", "source": "\"{}"}}"#,
            "[{".repeat(100)
        );
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn prototype_keys_are_ordinary_data() {
        let text = r#"{"event_type": "a", "source": "b", "event_id": "i", "timestamp": 1.0, "correlation_id": null, "data": {"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}, "metadata": {"__proto__": null, "constructor": "c"}, "priority": 0}"#;
        let event = parse(text).unwrap();
        assert_eq!(event.data["__proto__"], json(r#"{"polluted": true}"#));
        assert_eq!(event.data["constructor"], json(r#"{"prototype": 1}"#));
        assert_eq!(event.metadata["__proto__"], Value::Null);
        assert_eq!(event.metadata["constructor"], "c");
        let back = write("a", "b", "i", 1000.0, None, &event.data, &event.metadata, 0);
        assert_eq!(back, text);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let event = parse(r#"{"event_type": "a", "source": "b", "source": "c"}"#).unwrap();
        assert_eq!(event.source, "c");
    }
}
