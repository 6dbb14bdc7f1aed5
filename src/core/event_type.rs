//! Event types: the standard Codomyrmex schema and the rule for custom names.

use super::error::{about, decimal, Error, Name, Result};

/// Longest event type accepted, in characters.
pub const MAX_EVENT_TYPE_LEN: usize = 256;

/// Every standard type of the Codomyrmex schema: (constant name, value).
pub const STANDARD: &[(&str, &str)] = &[
    ("SYSTEM_STARTUP", "system.startup"),
    ("SYSTEM_SHUTDOWN", "system.shutdown"),
    ("SYSTEM_ERROR", "system.error"),
    ("SYSTEM_CONFIG_CHANGE", "system.config_change"),
    ("MODULE_LOAD", "module.load"),
    ("MODULE_UNLOAD", "module.unload"),
    ("MODULE_ERROR", "module.error"),
    ("FUNCTION_CALL_START", "function.call.start"),
    ("FUNCTION_CALL_END", "function.call.end"),
    ("FUNCTION_CALL_ERROR", "function.call.error"),
    ("DATA_PROCESSING_START", "data.processing.start"),
    ("DATA_PROCESSING_END", "data.processing.end"),
    ("DATA_PROCESSING_ERROR", "data.processing.error"),
    ("DATA_VALIDATION_START", "data.validation.start"),
    ("DATA_VALIDATION_END", "data.validation.end"),
    ("DATA_VALIDATION_ERROR", "data.validation.error"),
    ("ANALYSIS_START", "analysis.start"),
    ("ANALYSIS_PROGRESS", "analysis.progress"),
    ("ANALYSIS_END", "analysis.end"),
    ("ANALYSIS_ERROR", "analysis.error"),
    ("BUILD_START", "build.start"),
    ("BUILD_PROGRESS", "build.progress"),
    ("BUILD_END", "build.end"),
    ("BUILD_ERROR", "build.error"),
    ("DEPLOYMENT_START", "deployment.start"),
    ("DEPLOYMENT_PROGRESS", "deployment.progress"),
    ("DEPLOYMENT_END", "deployment.end"),
    ("DEPLOYMENT_ERROR", "deployment.error"),
    ("USER_ACTION", "user.action"),
    ("USER_LOGIN", "user.login"),
    ("USER_LOGOUT", "user.logout"),
    ("SECURITY_VIOLATION", "security.violation"),
    ("SECURITY_AUDIT", "security.audit"),
    ("METRIC_UPDATE", "metric.update"),
    ("ALERT_TRIGGERED", "alert.triggered"),
    ("ALERT_RESOLVED", "alert.resolved"),
    ("CUSTOM", "custom"),
];

pub const SYSTEM_ERROR: &str = "system.error";
pub const METRIC_UPDATE: &str = "metric.update";
pub const ALERT_TRIGGERED: &str = "alert.triggered";
pub const CUSTOM: &str = "custom";

/// Checks that `value` is a valid event type: a non-empty string of at most
/// [`MAX_EVENT_TYPE_LEN`] characters without whitespace. `arg` names the
/// argument in the error.
pub fn validate(arg: &(impl Name + ?Sized), value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::range(about(arg, &[" must not be empty"])));
    }
    if super::args::char_count(value) > MAX_EVENT_TYPE_LEN {
        return Err(Error::range(about(
            arg,
            &[" must be at most ", &decimal(MAX_EVENT_TYPE_LEN as u64), " characters long"],
        )));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(Error::range(about(arg, &[" must not contain whitespace"])));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_names_follow_their_values() {
        for (name, value) in STANDARD {
            assert_eq!(*name, value.to_uppercase().replace('.', "_"));
            validate("eventType", value).unwrap();
        }
        assert_eq!(STANDARD.len(), 37);
    }

    #[test]
    fn rejects_empty_long_and_spaced_types() {
        assert_eq!(validate("eventType", "").unwrap_err().kind, super::super::error::ErrorKind::Range);
        assert!(validate("eventType", &"a".repeat(257)).is_err());
        assert!(validate("eventType", &"é".repeat(256)).is_ok());
        let err = validate("events[2].eventType", "a b").unwrap_err();
        assert!(err.message.starts_with("events[2].eventType"));
        assert!(validate("eventType", "a\tb").is_err());
        assert!(validate("eventType", "user.*.created").is_ok());
    }
}
