//! Range rules for scalar arguments, shared by every entry point. The binding
//! checks JavaScript types; whether a value of the right type is acceptable is
//! decided here.

use super::error::{Error, Result};
use std::fmt::Display;

/// A number as JavaScript writes it, for messages (`Infinity`, not `inf`).
pub fn show(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        (if value > 0.0 { "Infinity" } else { "-Infinity" }).into()
    } else {
        value.to_string()
    }
}

/// Largest integer a JavaScript number represents exactly.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// An event priority: an integer 0 (normal), 1 (high) or 2 (critical).
pub fn priority(arg: &(impl Display + ?Sized), value: f64) -> Result<u8> {
    if value.fract() == 0.0 && (0.0..=2.0).contains(&value) {
        Ok(value as u8)
    } else {
        Err(Error::range(format!("{arg} must be an integer from 0 to 2, got {}", show(value))))
    }
}

/// A subscription priority: any safe integer (higher runs first).
pub fn subscription_priority(arg: &(impl Display + ?Sized), value: f64) -> Result<i64> {
    if value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
        Ok(value as i64)
    } else {
        Err(Error::range(format!("{arg} must be a safe integer, got {}", show(value))))
    }
}

/// A count or limit: an integer from 0 to `max`.
pub fn count(arg: &(impl Display + ?Sized), value: f64, max: u32) -> Result<u32> {
    if value.fract() == 0.0 && (0.0..=max as f64).contains(&value) {
        Ok(value as u32)
    } else {
        Err(Error::range(format!("{arg} must be an integer from 0 to {max}, got {}", show(value))))
    }
}

/// A delay in milliseconds: a finite number ≥ 0.
pub fn delay_ms(arg: &(impl Display + ?Sized), value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::range(format!("{arg} must be a finite number >= 0, got {}", show(value))))
    }
}

/// A timestamp in milliseconds since the epoch: a finite number ≥ 0.
pub fn timestamp_ms(arg: &(impl Display + ?Sized), value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::range(format!("{arg} must be a finite number >= 0, got {}", show(value))))
    }
}

/// Any finite number (a progress, a metric value).
pub fn finite(arg: &(impl Display + ?Sized), value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::range(format!("{arg} must be a finite number, got {}", show(value))))
    }
}

/// A name that must not be empty (sources, operation names, ids).
pub fn non_empty<'a>(arg: &(impl Display + ?Sized), value: &'a str) -> Result<&'a str> {
    if value.is_empty() {
        Err(Error::range(format!("{arg} must not be empty")))
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
    pub fn parse(arg: &(impl Display + ?Sized), value: &str) -> Result<MetricType> {
        Ok(match value {
            "gauge" => MetricType::Gauge,
            "counter" => MetricType::Counter,
            "histogram" => MetricType::Histogram,
            "summary" => MetricType::Summary,
            _ => {
                return Err(Error::range(format!(
                    "{arg} must be \"gauge\", \"counter\", \"histogram\" or \"summary\", got \"{value}\""
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
    pub fn parse(arg: &(impl Display + ?Sized), value: &str) -> Result<AlertLevel> {
        Ok(match value {
            "info" => AlertLevel::Info,
            "warning" => AlertLevel::Warning,
            "error" => AlertLevel::Error,
            "critical" => AlertLevel::Critical,
            _ => {
                return Err(Error::range(format!(
                    "{arg} must be \"info\", \"warning\", \"error\" or \"critical\", got \"{value}\""
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
