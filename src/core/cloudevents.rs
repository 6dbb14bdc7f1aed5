//! CloudEvents 1.0 in structured JSON mode: which attribute carries which
//! field of an event, and the RFC 3339 times they use.

use crate::prelude::*;

use super::args::{digits_value, push_decimal};
use super::error::{about, Error, Result};
use super::float;

pub const SPEC_VERSION: &str = "1.0";
pub const DATA_CONTENT_TYPE: &str = "application/json";
/// Extension attribute carrying the correlation id (omitted when there is none).
pub const CORRELATION_EXTENSION: &str = "correlationid";
/// Extension attribute carrying the priority, as a CloudEvents Integer.
pub const PRIORITY_EXTENSION: &str = "priority";

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) to days since 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Milliseconds since the epoch as RFC 3339 UTC, with milliseconds:
/// `2023-11-14T22:13:20.123Z`. Sub-millisecond parts are dropped.
pub fn format_time(timestamp_ms: f64) -> String {
    let ms = float::floor(timestamp_ms) as i64;
    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, milli) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
    let mut out = String::with_capacity(24);
    // As `{year:04}` would: the sign counts toward the width.
    if year < 0 {
        out.push('-');
        push_padded(&mut out, year.unsigned_abs(), 3);
    } else {
        push_padded(&mut out, year as u64, 4);
    }
    out.push('-');
    push_padded(&mut out, month.into(), 2);
    out.push('-');
    push_padded(&mut out, day.into(), 2);
    out.push('T');
    push_padded(&mut out, h as u64, 2);
    out.push(':');
    push_padded(&mut out, m as u64, 2);
    out.push(':');
    push_padded(&mut out, s as u64, 2);
    out.push('.');
    push_padded(&mut out, milli as u64, 3);
    out.push('Z');
    out
}

/// `n` in decimal, with leading zeros up to `width` digits.
fn push_padded(out: &mut String, n: u64, width: u32) {
    for digits in 1..width {
        if n < 10u64.pow(digits) {
            out.push('0');
        }
    }
    push_decimal(out, n);
}

/// Parses an RFC 3339 date-time (`T` or `t` or a space between date and
/// time, fractional seconds of any length, `Z` or a ±hh:mm offset) to
/// milliseconds since the epoch. `arg` names the attribute in errors.
pub fn parse_time(arg: &str, text: &str) -> Result<f64> {
    rfc3339_ms(text.as_bytes()).ok_or_else(|| must_be(arg, "an RFC 3339 date-time", text))
}

/// The refusal `{arg} must be {rule}, got "{value}"`, a `RangeError`.
fn must_be(arg: &str, rule: &str, value: &str) -> Error {
    Error::range(about(arg, &[" must be ", rule, ", got \"", value, "\""]))
}

fn rfc3339_ms(b: &[u8]) -> Option<f64> {
    // `YYYY-MM-DDTHH:MM:SS`, where `9` stands for a digit and each other
    // byte of the shape ends a field.
    const SHAPE: &[u8; 19] = b"9999-99-99T99:99:99";
    let mut fields = [0i64; 6];
    let mut field = 0;
    for (&c, &shape) in b.get(..19)?.iter().zip(SHAPE) {
        if shape == b'9' {
            fields[field] = fields[field] * 10 + digits_value(&[c])?;
        } else if c == shape || (shape == b'T' && matches!(c, b't' | b' ')) {
            field += 1;
        } else {
            return None;
        }
    }
    let [year, month, day, hour, minute, second] = fields;
    let mut rest = &b[19..];
    let mut fraction_ms = 0.0;
    if let [b'.', after @ ..] = rest {
        let len = after.iter().take_while(|d| d.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        // Whole nanoseconds at most, by integer arithmetic (no float parsing in wasm).
        let kept = len.min(9);
        let nanos = digits_value(&after[..kept])? * 10i64.pow(9 - kept as u32);
        fraction_ms = nanos as f64 / 1e6;
        rest = &after[len..];
    }
    let offset_minutes = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
            let minutes = digits_value(&[*h0, *h1])? * 60 + digits_value(&[*m0, *m1])?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month as u32, day as u32);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_minutes * 60;
    Some(seconds as f64 * 1000.0 + fraction_ms)
}

/// `source` as a CloudEvents source, which must be a URI-reference: every
/// character outside RFC 3986's unreserved, sub-delims, ":", "@", "/", "?"
/// and the first "#" is percent-encoded (UTF-8), and so is a "%" that starts
/// no escape and a ":" that would otherwise end an invalid scheme. A source that already is a
/// URI-reference of that shape (`/sensors/1`, `urn:x:y`, `orders`) is unchanged.
pub fn source_uri(source: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = source.as_bytes();
    // A ":" in the first segment is a scheme delimiter only after a valid scheme.
    let first_colon = bytes.iter().position(|&b| b == b':' || b == b'/').filter(|&i| bytes[i] == b':');
    let scheme_ok = first_colon.is_some_and(|i| match &bytes[..i] {
        [first, rest @ ..] => {
            first.is_ascii_alphabetic()
                && rest.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        }
        [] => false,
    });
    // The first "#" starts the fragment; any later one is text.
    let fragment = bytes.iter().position(|&b| b == b'#');
    let mut out = String::with_capacity(source.len());
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/?".contains(&b)
            || (b == b'#' && fragment == Some(i))
            || (b == b':' && (scheme_ok || first_colon != Some(i)))
            || (b == b'%' && bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// The priority extension: a CloudEvents Integer, which transports may
/// carry as a number or as its canonical string.
pub fn priority_from_number(arg: &str, value: f64) -> Result<u8> {
    super::args::priority(arg, value)
}

pub fn priority_from_string(arg: &str, value: &str) -> Result<u8> {
    match value {
        "0" => Ok(0),
        "1" => Ok(1),
        "2" => Ok(2),
        _ => Err(must_be(arg, "an integer from 0 to 2", value)),
    }
}

/// The spec version must be exactly "1.0".
pub fn check_spec_version(arg: &str, value: &str) -> Result<()> {
    if value == SPEC_VERSION {
        Ok(())
    } else {
        Err(must_be(arg, "\"1.0\"", value))
    }
}

/// Data must be JSON to become an event's data: `application/json` or a
/// `+json` type, in any case, before any `;` parameters. Only the optional
/// whitespace of RFC 9110 (space and tab) may surround it.
pub fn check_content_type(arg: &str, value: &str) -> Result<()> {
    let bytes = value.as_bytes();
    let mut media = &bytes[..bytes.iter().position(|&b| b == b';').unwrap_or(bytes.len())];
    while let [b' ' | b'\t', rest @ ..] = media {
        media = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = media {
        media = rest;
    }
    let suffix = media.len().checked_sub(5).map_or(&[][..], |at| &media[at..]);
    if media.eq_ignore_ascii_case(DATA_CONTENT_TYPE.as_bytes()) || suffix.eq_ignore_ascii_case(b"+json") {
        Ok(())
    } else {
        Err(must_be(arg, "a JSON media type", value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_milliseconds() {
        assert_eq!(format_time(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_time(1_700_000_000_123.0), "2023-11-14T22:13:20.123Z");
        assert_eq!(format_time(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_time(1_700_000_000_123.9), "2023-11-14T22:13:20.123Z");
    }

    #[test]
    fn formats_as_zero_padded_format_did() {
        let with_format = |timestamp_ms: f64| {
            let ms = float::floor(timestamp_ms) as i64;
            let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
            let (year, month, day) = civil_from_days(days);
            let (h, m, s, milli) =
                (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
            format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
        };
        let mut ms = 1.0;
        while ms < 1e19 {
            for t in [ms, -ms, ms * 7.3 + 0.5, -ms * 3.1] {
                assert_eq!(format_time(t), with_format(t), "{t}");
            }
            ms *= 1.37;
        }
        for t in [0.0, -0.0, 253_402_300_799_999.0, -62_135_596_800_000.0, -62_198_755_200_000.0, f64::NAN] {
            assert_eq!(format_time(t), with_format(t), "{t}");
        }
        assert_eq!(format_time(-62_198_755_200_000.0), "-001-01-01T00:00:00.000Z");
        assert_eq!(format_time(253_402_300_800_000.0), "10000-01-01T00:00:00.000Z");
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        for ms in [0.0, 1_700_000_000_123.0, 951_782_400_000.0, 4_102_444_799_999.0] {
            assert_eq!(parse_time("time", &format_time(ms)).unwrap(), ms);
        }
        assert_eq!(parse_time("time", "2023-11-14T23:13:20+01:00").unwrap(), 1_700_000_000_000.0);
        assert_eq!(parse_time("time", "2023-11-14t22:13:20.5z").unwrap(), 1_700_000_000_500.0);
        assert_eq!(parse_time("time", "2023-11-14T22:13:20.123456Z").unwrap(), 1_700_000_000_123.456);
    }

    #[test]
    fn refuses_malformed_times() {
        for bad in [
            "",
            "2023-11-14",
            "2023-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20.Z",
            "2023-11-14T22:13:20+0100",
            "yesterday",
        ] {
            let err = parse_time("time", bad).unwrap_err();
            assert_eq!(err.kind, crate::core::error::ErrorKind::Range);
            assert_eq!(err.message, format!("time must be an RFC 3339 date-time, got \"{bad}\""));
        }
    }

    /// `parse_time` as it was written with `str` slicing and closures.
    fn parse_time_before(arg: &str, text: &str) -> Result<f64> {
        let bad = || Error::range(format!("{arg} must be an RFC 3339 date-time, got \"{text}\""));
        let b = text.as_bytes();
        let digits = |from: usize, len: usize| -> Result<i64> {
            let part = b.get(from..from + len).ok_or_else(bad)?;
            if !part.iter().all(u8::is_ascii_digit) {
                return Err(bad());
            }
            Ok(part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
        };
        let sep = |at: usize, allowed: &[u8]| b.get(at).filter(|c| allowed.contains(c)).map(|_| ()).ok_or_else(bad);
        let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
        sep(4, b"-")?;
        sep(7, b"-")?;
        sep(10, b"Tt ")?;
        let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
        sep(13, b":")?;
        sep(16, b":")?;
        let mut at = 19;
        let mut fraction_ms = 0.0;
        if b.get(at) == Some(&b'.') {
            let start = at + 1;
            at = start;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return Err(bad());
            }
            // Whole nanoseconds at most, by integer arithmetic (no float parsing in wasm).
            let fraction = b.get(start..at.min(start + 9)).unwrap_or_default();
            let nanos =
                fraction.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) * 10u64.pow(9 - fraction.len() as u32);
            fraction_ms = nanos as f64 / 1e6;
        }
        let offset_minutes = match b.get(at) {
            Some(b'Z' | b'z') if at + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) if at + 6 == b.len() => {
                sep(at + 3, b":")?;
                let minutes = digits(at + 1, 2)? * 60 + digits(at + 4, 2)?;
                if *sign == b'+' {
                    minutes
                } else {
                    -minutes
                }
            }
            _ => return Err(bad()),
        };
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
            return Err(bad());
        }
        let days = days_from_civil(year, month as u32, day as u32);
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_minutes * 60;
        Ok(seconds as f64 * 1000.0 + fraction_ms)
    }

    #[test]
    fn parses_every_variant_as_before() {
        let seeds = [
            "2023-11-14T22:13:20.123Z",
            "2024-02-29t00:00:60.1234567891+23:59",
            "1999-12-31 23:59:59-00:30",
            "0000-01-01T00:00:00.000000000z",
            "9999-12-31T23:59:59.999999999Z",
        ];
        let replacements =
            [b'0', b'1', b'2', b'3', b'6', b'9', b'-', b':', b'.', b'T', b't', b' ', b'Z', b'z', b'+', b'x', 0xC3];
        let mut count = 0;
        let mut check = |bytes: &[u8]| {
            let Ok(text) = core::str::from_utf8(bytes) else { return };
            assert_eq!(parse_time("time", text), parse_time_before("time", text), "{text:?}");
            count += 1;
        };
        for seed in seeds {
            let seed = seed.as_bytes();
            for len in 0..=seed.len() {
                check(&seed[..len]);
                check(&[&seed[..len], b"Z"].concat());
                check(&[&seed[..len], b"+01:00"].concat());
            }
            for at in 0..seed.len() {
                for &r in &replacements {
                    let mut v = seed.to_vec();
                    v[at] = r;
                    check(&v);
                    v.insert(at, r);
                    check(&v);
                    v.remove(at);
                    v.remove(at);
                    check(&v);
                }
            }
        }
        assert!(count > 3000, "{count}");
    }

    #[test]
    fn sources_become_uri_references() {
        for unchanged in
            ["auth", "/sensors/tn-1234567/alerts", "urn:uuid:6e8b", "https://github.com/cloudevents", "a%20b"]
        {
            assert_eq!(source_uri(unchanged), unchanged);
        }
        assert_eq!(source_uri("my service"), "my%20service");
        assert_eq!(source_uri("café"), "caf%C3%A9");
        assert_eq!(source_uri("100%"), "100%25");
        assert_eq!(source_uri("1:x"), "1%3Ax");
        assert_eq!(source_uri("a/b:c"), "a/b:c");
        assert_eq!(source_uri("q?x#y[z]#"), "q?x#y%5Bz%5D%23");
        assert_eq!(source_uri("https://example.com/svc?x=1"), "https://example.com/svc?x=1");
    }

    /// `source_uri` as it was written with `str::find`.
    fn source_uri_before(source: &str) -> String {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let bytes = source.as_bytes();
        // A ":" in the first segment is a scheme delimiter only after a valid scheme.
        let first_colon = source.find([':', '/']).filter(|&i| bytes[i] == b':');
        let scheme_ok = first_colon.is_some_and(|i| {
            i > 0
                && bytes[0].is_ascii_alphabetic()
                && bytes[1..i].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        });
        // The first "#" starts the fragment; any later one is text.
        let fragment = source.find('#');
        let mut out = String::with_capacity(source.len());
        for (i, &b) in bytes.iter().enumerate() {
            let keep = b.is_ascii_alphanumeric()
                || b"-._~!$&'()*+,;=@/?".contains(&b)
                || (b == b'#' && fragment == Some(i))
                || (b == b':' && (scheme_ok || first_colon != Some(i)))
                || (b == b'%' && bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
            if keep {
                out.push(char::from(b));
            } else {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        out
    }

    #[test]
    fn sources_encode_as_before() {
        let alphabet = ["a", "Z", "1", ":", "/", "#", "%", "+", ".", " ", "?", "é", "[", "f"];
        // Every string of up to four of those.
        let mut sources = vec![String::new()];
        let mut longest = sources.clone();
        for _ in 0..4 {
            longest = longest.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            sources.extend_from_slice(&longest);
        }
        for source in &sources {
            assert_eq!(source_uri(source), source_uri_before(source), "{source:?}");
        }
    }

    #[test]
    fn attribute_rules() {
        assert!(check_spec_version("specversion", "1.0").is_ok());
        assert!(check_spec_version("specversion", "0.3").is_err());
        assert!(check_content_type("datacontenttype", "application/json; charset=utf-8").is_ok());
        assert!(check_content_type("datacontenttype", "application/cloudevents+json").is_ok());
        assert!(check_content_type("datacontenttype", "text/plain").is_err());
    }

    #[test]
    fn content_types_allow_only_optional_whitespace() {
        // RFC 9110's optional whitespace is space and tab; nothing else is trimmed.
        for accepted in [
            "application/json",
            "APPLICATION/Json",
            " application/json\t",
            "\t application/json ; charset=utf-8",
            "application/vnd.api+JSON;x=y",
            "+json",
        ] {
            assert_eq!(check_content_type("datacontenttype", accepted), Ok(()), "{accepted:?}");
        }
        for refused in [
            "",
            " ",
            "json",
            "application/json5",
            "application /json",
            "\napplication/json",
            "application/json\r\n",
            "\u{b}application/json",
            "\u{a0}application/json",
            "application/json\u{3000}",
            "text/plain; x=+json",
        ] {
            let err = check_content_type("datacontenttype", refused).unwrap_err();
            assert_eq!(err.kind, crate::core::error::ErrorKind::Range);
            assert_eq!(err.message, format!("datacontenttype must be a JSON media type, got \"{refused}\""));
        }
        assert_eq!(priority_from_string("priority", "2"), Ok(2));
        assert!(priority_from_string("priority", "3").is_err());
        assert_eq!(priority_from_number("priority", 1.0), Ok(1));
        let message = |result: Result<()>| result.unwrap_err().message;
        assert_eq!(message(check_spec_version("ce.specversion", "0.3")), r#"ce.specversion must be "1.0", got "0.3""#);
        assert_eq!(
            message(check_content_type("ce.datacontenttype", "text/plain")),
            r#"ce.datacontenttype must be a JSON media type, got "text/plain""#
        );
        assert_eq!(
            priority_from_string("ce.priority", "high").unwrap_err(),
            Error::range(r#"ce.priority must be an integer from 0 to 2, got "high""#)
        );
    }
}
