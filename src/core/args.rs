//! Range rules for scalar arguments, shared by every entry point. The binding
//! checks JavaScript types; whether a value of the right type is acceptable is
//! decided here.

use super::error::{about, decimal, Error, Name, Result};

/// A number as JavaScript writes it, for messages (`Infinity`, not `inf`).
/// Whole numbers print exactly; other values with up to 6 significant digits,
/// worked out with integer arithmetic so that the wasm build carries no float
/// formatting code for the sake of error messages.
pub fn show(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return (if value > 0.0 { "Infinity" } else { "-Infinity" }).into();
    }
    let mut out = String::from(if value < 0.0 { "-" } else { "" });
    let magnitude = value.abs();
    // Like JavaScript, whole numbers below 1e21 in full.
    if magnitude.fract() == 0.0 && magnitude < 1e21 {
        push_decimal(&mut out, magnitude as u128);
        return out;
    }
    // magnitude = digits × 10^(exponent - 5), digits having 6 figures.
    let mut exponent = magnitude.log10().floor() as i32;
    let mut digits = (magnitude / 10f64.powi(exponent - 5)).round() as u64;
    if digits >= 1_000_000 {
        digits /= 10;
        exponent += 1;
    }
    while digits % 10 == 0 {
        digits /= 10;
    }
    let mut text = String::new();
    push_decimal(&mut text, digits.into());
    let text = text.as_bytes();
    if (-5..15).contains(&exponent) {
        // Fixed notation: place the point `exponent + 1` figures in.
        let point = exponent + 1;
        if point <= 0 {
            out.push_str("0.");
            push_ascii(&mut out, &[b'0'].repeat((-point) as usize));
            push_ascii(&mut out, text);
        } else if point as usize >= text.len() {
            push_ascii(&mut out, text);
            push_ascii(&mut out, &[b'0'].repeat(point as usize - text.len()));
        } else {
            let (whole, fraction) = text.split_at(point as usize);
            push_ascii(&mut out, whole);
            out.push('.');
            push_ascii(&mut out, fraction);
        }
    } else {
        let (first, rest) = text.split_at(1);
        push_ascii(&mut out, first);
        if !rest.is_empty() {
            out.push('.');
            push_ascii(&mut out, rest);
        }
        out.push_str(if exponent < 0 { "e-" } else { "e+" });
        push_decimal(&mut out, exponent.unsigned_abs().into());
    }
    out
}

/// Appends `n` in decimal. Written out here, and numbers kept as ASCII bytes
/// rather than sliced as `str`, so that the wasm build carries neither
/// integer formatting nor the panic messages of string slicing.
pub fn push_decimal(out: &mut String, mut n: u128) {
    let mut buf = [0u8; 39];
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
    if value.fract() == 0.0 && (0.0..=2.0).contains(&value) {
        Ok(value as u8)
    } else {
        Err(Error::range(about(arg, &[" must be an integer from 0 to 2, got ", &show(value)])))
    }
}

/// A subscription priority: any safe integer (higher runs first).
pub fn subscription_priority(arg: &(impl Name + ?Sized), value: f64) -> Result<i64> {
    if value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
        Ok(value as i64)
    } else {
        Err(Error::range(about(arg, &[" must be a safe integer, got ", &show(value)])))
    }
}

/// A count or limit: an integer from 0 to `max`.
pub fn count(arg: &(impl Name + ?Sized), value: f64, max: u32) -> Result<u32> {
    if value.fract() == 0.0 && (0.0..=max as f64).contains(&value) {
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
        for n in [0u128, 7, 10, 1_000_000, u64::MAX as u128, u128::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
        for text in ["", "a.b", "é", "日本語", "𝄞x", "a\u{0}b"] {
            assert_eq!(char_count(text), text.chars().count(), "{text:?}");
        }
        assert_eq!(show(1e21), "1e+21");
        assert_eq!(show(-0.000123456789), "-0.000123457");
        assert_eq!(show(123456.5), "123457");
        assert_eq!(show(2.5e-7), "2.5e-7");
    }

    #[test]
    fn digit_runs_read_back_what_push_decimal_writes() {
        for n in [0i64, 7, 10, 2_147_483_648, i64::MAX / 10 - 1] {
            let mut text = String::new();
            push_decimal(&mut text, n as u128);
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
        let cases = [
            (-0.25, "-0.25"),
            (3.0, "3"),
            (1e300, "1e+300"),
            (1.4192427353473577e-88, "1.41924e-88"),
            (0.000123, "0.000123"),
            (123456.789, "123457"),
            (2.5e20, "250000000000000000000"),
            (2.5e21, "2.5e+21"),
            (9007199254740993.0, "9007199254740992"),
            (0.1 + 0.2, "0.3"),
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
