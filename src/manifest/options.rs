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
    /// One of a fixed set of values (`values = [...]`), rendered as a Java enum that Flink's
    /// `enumType` validates; see [`EnumValue`].
    Enum,
}

impl OptionType {
    pub const NAMES: &'static str =
        "string, int, long, boolean, double, duration, memory, list, map, enum";

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
            "enum" => Self::Enum,
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
            Self::Enum => "enum",
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
            // The generated enum's name depends on the key: see `OptionDef::java_type`.
            Self::Enum => "Enum",
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
            Self::Enum => "enumType",
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
            // Only an option knows its values: `OptionDef::java_default`.
            Self::Enum => return Err(format!("default '{value}' needs the enum's values")),
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

/// One allowed value of an enum option: the text tables write and the Java constant it maps to.
/// The rule: a letter, then letters, digits, `-` or `_`; the constant is the value in upper case
/// with `-` as `_` (`earliest-offset` → `EARLIEST_OFFSET`). The generated enum's `toString()`
/// returns the value, which is what Flink's `enumType` compares (ignoring case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub constant: String,
}

impl EnumValue {
    pub fn new(value: &str) -> Result<Self, String> {
        let mut chars = value.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(format!(
                "enum value '{value}' must start with a letter and hold only letters, digits, '-' and '_' (it becomes a Java constant: 'earliest-offset' → EARLIEST_OFFSET)"
            ));
        }
        Ok(EnumValue {
            value: value.to_string(),
            constant: value.to_ascii_uppercase().replace('-', "_"),
        })
    }
}

/// Names a nested enum must not take: the Options class uses them unqualified.
const RESERVED_ENUM_NAMES: &[&str] = &[
    "String",
    "Integer",
    "Long",
    "Boolean",
    "Double",
    "Object",
    "Enum",
    "Override",
    "Duration",
    "ConfigOption",
    "ConfigOptions",
    "PublicEvolving",
];

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
    /// The allowed values of an enum option (empty for every other type).
    pub values: Vec<EnumValue>,
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
        Self::with_values(key, ty, &[], default, required, sensitive, description)
    }

    /// [`Self::new`] with the allowed values of an enum option.
    pub fn with_values(
        key: &str,
        ty: &str,
        values: &[String],
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
        let values = enum_values(key, ty, values)?;
        let def = OptionDef {
            key: key.to_string(),
            ty,
            default: None,
            required,
            sensitive,
            description: description.to_string(),
            values,
        };
        if let Some(d) = &default {
            // Before the default is parsed: a parse error would echo the secret.
            if sensitive {
                return Err(format!(
                    "option '{key}' is sensitive, so it cannot have a default: a default would be compiled into the jar and shown in README.md and diffs; let each table set it"
                ));
            }
            def.java_default(d)
                .map_err(|e| format!("option '{key}': {e}"))?;
            if required {
                return Err(format!(
                    "option '{key}' is required, so it cannot have a default"
                ));
            }
        }
        Ok(OptionDef { default, ..def })
    }

    pub fn constant(&self) -> String {
        option_constant(&self.key)
    }

    /// The name of the generated nested enum of an enum option: the key in UpperCamelCase
    /// (`scan.startup-mode` → `ScanStartupMode`), as Flink's own connectors name theirs.
    pub fn enum_class(&self) -> String {
        enum_class(&self.key)
    }

    /// The Java type of the option's value (`ConfigOption<T>`).
    pub fn java_type(&self) -> String {
        match self.ty {
            OptionType::Enum => self.enum_class(),
            ty => ty.java_type().to_string(),
        }
    }

    /// What goes between the parentheses of the type method (`enumType(Mode.class)`).
    pub fn type_args(&self) -> String {
        match self.ty {
            OptionType::Enum => format!("{}.class", self.enum_class()),
            _ => String::new(),
        }
    }

    /// Checks a default and returns it as a Java expression (an enum default must be one of
    /// the values, written as in `values`).
    pub fn java_default(&self, value: &str) -> Result<String, String> {
        if self.ty != OptionType::Enum {
            return self.ty.java_default(value);
        }
        match self.values.iter().find(|v| v.value == value.trim()) {
            Some(v) => Ok(format!("{}.{}", self.enum_class(), v.constant)),
            None => Err(format!(
                "default '{value}' is not one of the values {}",
                self.values
                    .iter()
                    .map(|v| v.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

fn enum_class(key: &str) -> String {
    key.split(['.', '-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Validates the values of an enum option (none for other types).
fn enum_values(key: &str, ty: OptionType, values: &[String]) -> Result<Vec<EnumValue>, String> {
    if ty != OptionType::Enum {
        if !values.is_empty() {
            return Err(format!(
                "option '{key}': only an enum option has values (its type is {})",
                ty.name()
            ));
        }
        return Ok(Vec::new());
    }
    if values.is_empty() {
        return Err(format!(
            "option '{key}': an enum option needs its allowed values (--values a,b,c; `values = [\"a\", \"b\"]` in connector.toml)"
        ));
    }
    let class = enum_class(key);
    if RESERVED_ENUM_NAMES.contains(&class.as_str()) || class.ends_with("Options") {
        return Err(format!(
            "option '{key}': its enum would be named {class}, which the generated Options class already uses; choose another key"
        ));
    }
    let mut out: Vec<EnumValue> = Vec::with_capacity(values.len());
    for v in values {
        let value = EnumValue::new(v.trim()).map_err(|e| format!("option '{key}': {e}"))?;
        if let Some(other) = out.iter().find(|o| o.constant == value.constant) {
            return Err(format!(
                "option '{key}': enum values '{}' and '{}' are the same to Flink (both {}; Flink ignores case)",
                other.value, value.value, value.constant
            ));
        }
        out.push(value);
    }
    Ok(out)
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
    fn enum_values_map_to_java_constants_and_defaults_must_be_values() {
        let values: Vec<String> = ["earliest-offset", "latest", "group_offsets"]
            .map(String::from)
            .to_vec();
        let def = OptionDef::with_values(
            "scan.startup-mode",
            "enum",
            &values,
            Some("latest".into()),
            false,
            false,
            "",
        )
        .unwrap();
        assert_eq!(def.enum_class(), "ScanStartupMode");
        assert_eq!(def.java_type(), "ScanStartupMode");
        assert_eq!(def.type_args(), "ScanStartupMode.class");
        let constants: Vec<&str> = def.values.iter().map(|v| v.constant.as_str()).collect();
        assert_eq!(constants, ["EARLIEST_OFFSET", "LATEST", "GROUP_OFFSETS"]);
        assert_eq!(
            def.java_default("latest").unwrap(),
            "ScanStartupMode.LATEST"
        );
        let err = def.java_default("newest").unwrap_err();
        assert!(
            err.contains("not one of the values earliest-offset, latest"),
            "{err}"
        );
        let refuse = |values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            OptionDef::with_values("mode", "enum", &values, None, false, false, "").unwrap_err()
        };
        assert!(refuse(&[]).contains("needs its allowed values"));
        assert!(refuse(&["1st"]).contains("must start with a letter"));
        assert!(refuse(&["a b"]).contains("only letters, digits"));
        assert!(refuse(&["a-b", "A_B"]).contains("the same to Flink"));
        let values = vec!["a".to_string()];
        assert!(
            OptionDef::with_values("mode", "string", &values, None, false, false, "")
                .unwrap_err()
                .contains("only an enum option has values")
        );
        assert!(
            OptionDef::with_values("duration", "enum", &values, None, false, false, "")
                .unwrap_err()
                .contains("already uses")
        );
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
