//! Connector options as declared in connector.toml: their types, defaults, and the Java they become.

use serde::Deserialize;

use super::names::{is_option_key, option_constant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionType {
    String,
    Int,
    Long,
    Boolean,
    Double,
    Duration,
    /// Flink's MemorySize: `64 mb`.
    Memory,
    /// A list of strings: `a;b;c`.
    List,
    /// A map of strings: `k1:v1,k2:v2` (no default: Java 8 has no map literal).
    Map,
}

impl OptionType {
    pub const NAMES: &'static str =
        "string, int, long, boolean, double, duration, memory, list, map";

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "int" => Self::Int,
            "long" => Self::Long,
            "boolean" => Self::Boolean,
            "double" => Self::Double,
            "duration" => Self::Duration,
            "memory" => Self::Memory,
            "list" => Self::List,
            "map" => Self::Map,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::Long => "long",
            Self::Boolean => "boolean",
            Self::Double => "double",
            Self::Duration => "duration",
            Self::Memory => "memory",
            Self::List => "list",
            Self::Map => "map",
        }
    }

    pub fn java_type(self) -> &'static str {
        match self {
            Self::String => "String",
            Self::Int => "Integer",
            Self::Long => "Long",
            Self::Boolean => "Boolean",
            Self::Double => "Double",
            Self::Duration => "Duration",
            // Qualified: the Options class imports only what every manifest needs.
            Self::Memory => "org.apache.flink.configuration.MemorySize",
            Self::List => "java.util.List<String>",
            Self::Map => "java.util.Map<String, String>",
        }
    }

    /// The `ConfigOptions.key(..)` builder method.
    pub fn type_method(self) -> &'static str {
        match self {
            Self::String => "stringType",
            Self::Int => "intType",
            Self::Long => "longType",
            Self::Boolean => "booleanType",
            Self::Double => "doubleType",
            Self::Duration => "durationType",
            Self::Memory => "memoryType",
            Self::List => "stringType().asList",
            Self::Map => "mapType",
        }
    }

    /// The builder method that sets a default (`defaultValues(…)` for a list).
    pub fn default_method(self) -> &'static str {
        match self {
            Self::List => "defaultValues",
            _ => "defaultValue",
        }
    }

    /// Checks a default written in the manifest and returns it as a Java expression.
    pub fn java_default(self, value: &str) -> Result<String, String> {
        let expected = |what: &str| format!("default '{value}' is not {what}");
        Ok(match self {
            Self::String => crate::escape::java_string(value),
            Self::Int => value
                .trim()
                .parse::<i32>()
                .map_err(|_| expected("an int"))?
                .to_string(),
            Self::Long => format!(
                "{}L",
                value
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| expected("a long"))?
            ),
            Self::Boolean => match value.trim() {
                "true" | "false" => value.trim().to_string(),
                _ => return Err(expected("true or false")),
            },
            Self::Double => {
                let v: f64 = value.trim().parse().map_err(|_| expected("a number"))?;
                if !v.is_finite() {
                    return Err(expected("a finite number"));
                }
                format!("{v:?}")
            }
            Self::Duration => {
                let millis = parse_duration_millis(value).ok_or_else(|| {
                    expected("a duration (a number and a unit: ms, s, min, h, d — e.g. '30 s')")
                })?;
                format!("Duration.ofMillis({millis}L)")
            }
            Self::Memory => {
                if !is_memory_size(value) {
                    return Err(expected(
                        "a memory size (a number and a unit: b, kb, mb, gb, tb — e.g. '64 mb')",
                    ));
                }
                format!(
                    "org.apache.flink.configuration.MemorySize.parse({})",
                    crate::escape::java_string(value.trim())
                )
            }
            // Flink's list syntax: `;` between items.
            Self::List => value
                .split(';')
                .map(|item| crate::escape::java_string(item.trim()))
                .collect::<Vec<_>>()
                .join(", "),
            Self::Map => {
                return Err(format!(
                    "default '{value}': a map option cannot have a default; let each table set it"
                ))
            }
        })
    }
}

/// Flink's duration syntax (TimeUtils.parseDuration), restricted to whole milliseconds:
/// `500 ms`, `30s`, `1 min`, `2 h`, `1 d`; a bare number means milliseconds.
pub fn parse_duration_millis(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let factor = match unit.trim() {
        "" | "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1,
        "s" | "sec" | "secs" | "second" | "seconds" => 1_000,
        "min" | "m" | "minute" | "minutes" => 60_000,
        "h" | "hour" | "hours" => 3_600_000,
        "d" | "day" | "days" => 86_400_000,
        _ => return None,
    };
    // Rendered as `Duration.ofMillis(<n>L)`: a Java long.
    number
        .checked_mul(factor)
        .filter(|&ms| ms <= i64::MAX as u64)
}

/// Flink's MemorySize syntax (MemorySize.parse): a whole number and an optional unit.
fn is_memory_size(text: &str) -> bool {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    number.parse::<u64>().is_ok()
        && matches!(
            unit.trim().to_lowercase().as_str(),
            "" | "b"
                | "bytes"
                | "k"
                | "kb"
                | "kibibytes"
                | "m"
                | "mb"
                | "mebibytes"
                | "g"
                | "gb"
                | "gibibytes"
                | "t"
                | "tb"
                | "tebibytes"
        )
}

/// A default as TOML lets users write it: `default = 6379`, `default = true`, `default = "30 s"`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl DefaultValue {
    pub fn as_text(&self) -> String {
        match self {
            DefaultValue::Bool(b) => b.to_string(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Float(f) => format!("{f:?}"),
            DefaultValue::Text(s) => s.clone(),
        }
    }
}

/// A validated option.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionDef {
    pub key: String,
    pub ty: OptionType,
    /// The default in the manifest's text form, if any.
    pub default: Option<String>,
    pub required: bool,
    pub sensitive: bool,
    pub description: String,
}

impl OptionDef {
    /// Validates one option; errors are messages to be located by the caller.
    pub fn new(
        key: &str,
        ty: &str,
        default: Option<String>,
        required: bool,
        sensitive: bool,
        description: &str,
    ) -> Result<Self, String> {
        if !is_option_key(key) {
            return Err(format!(
                "option key '{key}' does not follow Flink's conventions: lower case, '.' between levels, '-' between words (e.g. 'sink.buffer-flush.max-rows')"
            ));
        }
        if let Some(owner) = flink_owned_option(key) {
            return Err(format!(
                "option '{key}' is Flink's own ({owner}); the factory adds it for you"
            ));
        }
        let ty = OptionType::parse(ty).ok_or_else(|| {
            format!(
                "option '{key}': unknown type '{ty}' (expected one of {})",
                OptionType::NAMES
            )
        })?;
        if let Some(d) = &default {
            // Before the default is parsed: a parse error would echo the secret.
            if sensitive {
                return Err(format!(
                    "option '{key}' is sensitive, so it cannot have a default: a default would be compiled into the jar and shown in README.md and diffs; let each table set it"
                ));
            }
            ty.java_default(d)
                .map_err(|e| format!("option '{key}': {e}"))?;
            if required {
                return Err(format!(
                    "option '{key}' is required, so it cannot have a default"
                ));
            }
        }
        Ok(OptionDef {
            key: key.to_string(),
            ty,
            default,
            required,
            sensitive,
            description: description.to_string(),
        })
    }

    pub fn constant(&self) -> String {
        option_constant(&self.key)
    }
}

/// Keys that Flink itself defines for every connector; the generated factory declares them.
pub fn flink_owned_option(key: &str) -> Option<&'static str> {
    match key {
        "connector" => Some("FactoryUtil.CONNECTOR"),
        "property-version" => Some("FactoryUtil.PROPERTY_VERSION"),
        "sink.parallelism" => Some("FactoryUtil.SINK_PARALLELISM"),
        "scan.parallelism" => Some("FactoryUtil.SOURCE_PARALLELISM"),
        "lookup.cache" | "lookup.max-retries" => Some("LookupOptions"),
        k if k.starts_with("lookup.partial-cache.") || k.starts_with("lookup.full-cache.") => {
            Some("LookupOptions")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_become_java_expressions() {
        assert_eq!(
            OptionType::String.java_default("a\"b\\").unwrap(),
            r#""a\"b\\""#
        );
        assert_eq!(OptionType::Int.java_default("6379").unwrap(), "6379");
        assert_eq!(OptionType::Long.java_default("7").unwrap(), "7L");
        assert_eq!(OptionType::Double.java_default("1").unwrap(), "1.0");
        assert_eq!(
            OptionType::Duration.java_default("2 s").unwrap(),
            "Duration.ofMillis(2000L)"
        );
        assert_eq!(
            OptionType::Duration.java_default("60").unwrap(),
            "Duration.ofMillis(60L)"
        );
        assert!(OptionType::Int.java_default("9999999999").is_err());
        assert!(OptionType::Boolean.java_default("yes").is_err());
        assert!(OptionType::Duration.java_default("1 fortnight").is_err());
        assert!(OptionType::Double.java_default("NaN").is_err());
        assert_eq!(
            OptionType::Memory.java_default("64 mb").unwrap(),
            r#"org.apache.flink.configuration.MemorySize.parse("64 mb")"#
        );
        assert!(OptionType::Memory.java_default("64 parsecs").is_err());
        assert_eq!(
            OptionType::List.java_default("a; b").unwrap(),
            r#""a", "b""#
        );
        assert!(OptionType::Map.java_default("k:v").is_err());
    }

    #[test]
    fn a_sensitive_option_cannot_have_a_default_and_the_error_does_not_echo_it() {
        for ty in ["string", "int"] {
            let err =
                OptionDef::new("password", ty, Some("s3cret".into()), false, true, "").unwrap_err();
            assert!(
                err.contains("sensitive, so it cannot have a default"),
                "{err}"
            );
            assert!(!err.contains("s3cret"), "{err}");
        }
        OptionDef::new("password", "string", None, false, true, "").unwrap();
    }

    #[test]
    fn invalid_option_definitions_are_refused() {
        assert!(
            OptionDef::new("sink.parallelism", "int", None, false, false, "")
                .unwrap_err()
                .contains("Flink's own")
        );
        assert!(OptionDef::new("Host", "string", None, false, false, "")
            .unwrap_err()
            .contains("conventions"));
        assert!(OptionDef::new("host", "str", None, false, false, "")
            .unwrap_err()
            .contains("unknown type"));
        assert!(
            OptionDef::new("host", "string", Some("x".into()), true, false, "")
                .unwrap_err()
                .contains("required")
        );
        assert!(
            OptionDef::new("port", "int", Some("x".into()), false, false, "")
                .unwrap_err()
                .contains("not an int")
        );
    }
}
