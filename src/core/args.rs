//! Range rules for scalar arguments, shared by every entry point. The binding
//! checks JavaScript types; whether a value of the right type is acceptable is
//! decided here.

use crate::prelude::*;

use super::error::{about, decimal, Error, Name, Result};
use super::float;

/// A number as JavaScript's `String(n)` writes it (ECMAScript's
/// Number::toString), for messages: `Infinity`, `1e+21`, `0.1`. The wasm
/// build asks JavaScript itself (see src/js/ffi.rs), so this is native only.
#[cfg(target_arch = "wasm32")]
pub fn show(value: f64) -> String {
    crate::js::show_number(value)
}

/// See above. Rust's shortest round-trip digits are ECMAScript's (the
/// fewest that read back as `value`, the closest of those); what is left is
/// where the point goes and when to write an exponent.
#[cfg(not(target_arch = "wasm32"))]
pub fn show(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    if value.is_infinite() {
        return format!("{sign}Infinity");
    }
    if value == 0.0 {
        return "0".into();
    }
    // value = 0.digits × 10^n, as ECMAScript's n and k (digits.len()) say.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let mut digits = mantissa.replace('.', "");
    // Halfway between two shortest candidates, Rust takes the upper one and
    // ECMAScript the even one: value's exact digits are then the lower one
    // followed by a 5 (800 places hold every double exactly).
    let exact = format!("{:.800e}", value.abs());
    let exact = exact.split_once('e').map_or("", |(m, _)| m).replace('.', "");
    let (lower, rest) = exact.as_bytes().split_at(digits.len());
    if rest.first() == Some(&b'5') && rest[1..].iter().all(|&d| d == b'0') && lower[lower.len() - 1] % 2 == 0 {
        digits = String::from_utf8_lossy(lower).into_owned();
    }
    let (k, n) = (digits.len() as i32, exponent.parse::<i32>().unwrap_or(0) + 1);
    let body = if k <= n && n <= 21 {
        digits + &"0".repeat((n - k) as usize)
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat(-n as usize))
    } else {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        format!("{first}{point}{rest}e{}{}", if n > 0 { "+" } else { "-" }, (n - 1).abs())
    };
    format!("{sign}{body}")
}

/// Appends `n` in decimal. Written out here, and numbers kept as ASCII bytes
/// rather than sliced as `str`, so that the wasm build carries neither
/// integer formatting nor the panic messages of string slicing. A `u64`, as
/// 128-bit division weighs about 0.4 KB of wasm.
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    push_ascii(out, &buf[at..]);
}

/// The value of a run of ASCII digits (0 for none): `None` if a byte is not
/// a digit or the value would come near `i64::MAX`. The reverse of [`push_decimal`].
pub fn digits_value(digits: &[u8]) -> Option<i64> {
    let mut n = 0i64;
    for &d in digits {
        if !d.is_ascii_digit() || n >= i64::MAX / 10 {
            return None;
        }
        n = n * 10 + i64::from(d - b'0');
    }
    Some(n)
}

/// The number of characters (code points) of `text`: its bytes that do not
/// continue a UTF-8 sequence. Smaller in wasm than `chars().count()`.
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|b| b & 0xc0 != 0x80).count()
}

/// Appends ASCII bytes (digits, signs, points).
pub fn push_ascii(out: &mut String, bytes: &[u8]) {
    out.extend(bytes.iter().map(|&b| char::from(b)));
}

/// Largest integer a JavaScript number represents exactly.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// An event priority: an integer 0 (normal), 1 (high) or 2 (critical).
pub fn priority(arg: &(impl Name + ?Sized), value: f64) -> Result<u8> {
    if float::fract(value) == 0.0 && (0.0..=2.0).contains(&value) {
        Ok(value as u8)
    } else {
        Err(Error::range(about(arg, &[" must be an integer from 0 to 2, got ", &show(value)])))
    }
}

/// A subscription priority: any safe integer (higher runs first).
pub fn subscription_priority(arg: &(impl Name + ?Sized), value: f64) -> Result<i64> {
    if float::fract(value) == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
        Ok(value as i64)
    } else {
        Err(Error::range(about(arg, &[" must be a safe integer, got ", &show(value)])))
    }
}

/// A count or limit: an integer from 0 to `max`.
pub fn count(arg: &(impl Name + ?Sized), value: f64, max: u32) -> Result<u32> {
    if float::fract(value) == 0.0 && (0.0..=max as f64).contains(&value) {
        Ok(value as u32)
    } else {
        Err(Error::range(about(arg, &[" must be an integer from 0 to ", &decimal(max), ", got ", &show(value)])))
    }
}

/// A delay in milliseconds: a finite number ≥ 0.
pub fn delay_ms(arg: &(impl Name + ?Sized), value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::range(about(arg, &[" must be a finite number >= 0, got ", &show(value)])))
    }
}

/// The last millisecond of year 9999: RFC 3339 times and Python's datetime
/// stop there, so a timestamp past it could not travel.
pub const MAX_TIMESTAMP_MS: f64 = 253_402_300_799_999.0;

/// A timestamp in milliseconds since the epoch: from 0 to [`MAX_TIMESTAMP_MS`].
pub fn timestamp_ms(arg: &(impl Name + ?Sized), value: f64) -> Result<f64> {
    if (0.0..=MAX_TIMESTAMP_MS).contains(&value) {
        Ok(value)
    } else {
        Err(Error::range(about(
            arg,
            &[
                " must be a number of milliseconds from 0 to ",
                &show(MAX_TIMESTAMP_MS),
                " (the end of year 9999), got ",
                &show(value),
            ],
        )))
    }
}

/// Any finite number (a progress, a metric value).
pub fn finite(arg: &(impl Name + ?Sized), value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::range(about(arg, &[" must be a finite number, got ", &show(value)])))
    }
}

/// A name that must not be empty (sources, operation names, ids).
pub fn non_empty<'a>(arg: &(impl Name + ?Sized), value: &'a str) -> Result<&'a str> {
    if value.is_empty() {
        Err(Error::range(about(arg, &[" must not be empty"])))
    } else {
        Ok(value)
    }
}

/// The kind of a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricType {
    Gauge,
    Counter,
    Histogram,
    Summary,
}

impl MetricType {
    pub fn parse(arg: &(impl Name + ?Sized), value: &str) -> Result<MetricType> {
        Ok(match value {
            "gauge" => MetricType::Gauge,
            "counter" => MetricType::Counter,
            "histogram" => MetricType::Histogram,
            "summary" => MetricType::Summary,
            _ => {
                return Err(Error::range(about(
                    arg,
                    &[" must be \"gauge\", \"counter\", \"histogram\" or \"summary\", got \"", value, "\""],
                )))
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::Gauge => "gauge",
            MetricType::Counter => "counter",
            MetricType::Histogram => "histogram",
            MetricType::Summary => "summary",
        }
    }
}

/// The level of an alert, which sets the event's priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertLevel {
    Info,
    Warning,
    Error,
    Critical,
}

impl AlertLevel {
    pub fn parse(arg: &(impl Name + ?Sized), value: &str) -> Result<AlertLevel> {
        Ok(match value {
            "info" => AlertLevel::Info,
            "warning" => AlertLevel::Warning,
            "error" => AlertLevel::Error,
            "critical" => AlertLevel::Critical,
            _ => {
                return Err(Error::range(about(
                    arg,
                    &[" must be \"info\", \"warning\", \"error\" or \"critical\", got \"", value, "\""],
                )))
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AlertLevel::Info => "info",
            AlertLevel::Warning => "warning",
            AlertLevel::Error => "error",
            AlertLevel::Critical => "critical",
        }
    }

    /// info 0, warning 1, error and critical 2.
    pub fn priority(self) -> u8 {
        match self {
            AlertLevel::Info => 0,
            AlertLevel::Warning => 1,
            AlertLevel::Error | AlertLevel::Critical => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_character_counts_without_fmt() {
        for n in [0u64, 7, 10, 1_000_000, u64::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
        for text in ["", "a.b", "é", "日本語", "𝄞x", "a\u{0}b"] {
            assert_eq!(char_count(text), text.chars().count(), "{text:?}");
        }
    }

    #[test]
    fn digit_runs_read_back_what_push_decimal_writes() {
        for n in [0i64, 7, 10, 2_147_483_648, i64::MAX / 10 - 1] {
            let mut text = String::new();
            push_decimal(&mut text, n as u64);
            assert_eq!(digits_value(text.as_bytes()), Some(n));
        }
        assert_eq!(digits_value(b""), Some(0));
        assert_eq!(digits_value(b"0007"), Some(7));
        for bad in [&b"1a"[..], b"-1", b"+1", b" 1", b"1.5", b"9223372036854775807", b"99999999999999999999999"] {
            assert_eq!(digits_value(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn priorities_are_integers_0_to_2() {
        assert_eq!(priority("priority", 2.0), Ok(2));
        for bad in [f64::NAN, 1.5, 3.0, -1.0, f64::INFINITY] {
            let err = priority("options.priority", bad).unwrap_err();
            assert!(err.message.starts_with("options.priority"));
        }
        assert_eq!(priority("p", -0.0), Ok(0));
    }

    #[test]
    fn numbers_in_messages_read_as_javascript_writes_them() {
        assert!(delay_ms("delayMs", f64::INFINITY).unwrap_err().message.ends_with("got Infinity"));
        assert!(finite("value", f64::NEG_INFINITY).unwrap_err().message.ends_with("got -Infinity"));
        assert!(priority("priority", f64::NAN).unwrap_err().message.ends_with("got NaN"));
        assert!(priority("priority", 1.5).unwrap_err().message.ends_with("got 1.5"));
        // What String(n) gives in JavaScript.
        let cases = [
            (-0.25, "-0.25"),
            (3.0, "3"),
            (-0.0, "0"),
            (1e300, "1e+300"),
            (1.4192427353473577e-88, "1.4192427353473577e-88"),
            (0.000123, "0.000123"),
            (-0.000123456789, "-0.000123456789"),
            (123456.789, "123456.789"),
            (123456.5, "123456.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (2.5e-7, "2.5e-7"),
            (123e-20, "1.23e-18"),
            (5e-324, "5e-324"),
            (2.5e20, "250000000000000000000"),
            (1e21, "1e+21"),
            (2.5e21, "2.5e+21"),
            (9007199254740993.0, "9007199254740992"),
            (18446744073709551616.0, "18446744073709552000"),
            (1e15 + 0.5, "1000000000000000.5"),
            (f64::MAX, "1.7976931348623157e+308"),
            // Exactly 184745046789855.625 and -96513297427723.125: halfway
            // between two shortest forms, the even one.
            (184745046789855.62, "184745046789855.62"),
            (-96513297427723.12, "-96513297427723.12"),
        ];
        for (value, text) in cases {
            assert_eq!(show(value), text, "{value}");
        }
    }

    #[test]
    fn delays_are_finite_and_not_negative() {
        assert_eq!(delay_ms("delayMs", 0.0), Ok(0.0));
        assert!(delay_ms("delayMs", -1.0).is_err());
        assert!(delay_ms("delayMs", f64::NAN).is_err());
        assert!(delay_ms("delayMs", f64::INFINITY).is_err());
    }

    #[test]
    fn alert_levels_map_to_priorities() {
        let p = |l| AlertLevel::parse("level", l).unwrap().priority();
        assert_eq!((p("info"), p("warning"), p("error"), p("critical")), (0, 1, 2, 2));
        assert!(AlertLevel::parse("level", "fatal").is_err());
        assert!(MetricType::parse("metricType", "rate").is_err());
        assert_eq!(MetricType::parse("m", "summary").unwrap().as_str(), "summary");
    }

    #[test]
    fn counts_and_subscription_priorities() {
        assert_eq!(count("deadLetterLimit", 0.0, 10), Ok(0));
        assert!(count("deadLetterLimit", 11.0, 10).is_err());
        assert!(count("deadLetterLimit", 0.5, 10).is_err());
        assert_eq!(subscription_priority("priority", -5.0), Ok(-5));
        assert!(subscription_priority("priority", 1e300).is_err());
    }
}
