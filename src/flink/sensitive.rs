//! The keys whose values Flink masks (`******`) in logs and error messages: a key is sensitive
//! when its lower-cased form contains one of `GlobalConfiguration.SENSITIVE_KEYS`
//! (`GlobalConfiguration.isSensitive`; FactoryUtil's "Table options are: …" uses it too). Read
//! with `javap -c -constants` from `org.apache.flink.configuration.GlobalConfiguration` in each
//! line's real flink-dist jar (tests/manifest_walk.rs checks the table against Flink's own error
//! message).

/// Through 1.18.
const UP_TO_1_18: &[&str] = &[
    "password",
    "secret",
    "fs.azure.account.key",
    "apikey",
    "auth-params",
    "service-key",
    "token",
    "basic-auth",
    "jaas.config",
];
/// 1.19 added `http-headers`.
const FROM_1_19: &[&str] = &[
    "password",
    "secret",
    "fs.azure.account.key",
    "apikey",
    "auth-params",
    "service-key",
    "token",
    "basic-auth",
    "jaas.config",
    "http-headers",
];
/// 2.1 added `api-key`.
const FROM_2_1: &[&str] = &[
    "password",
    "secret",
    "fs.azure.account.key",
    "apikey",
    "api-key",
    "auth-params",
    "service-key",
    "token",
    "basic-auth",
    "jaas.config",
    "http-headers",
];

/// `SENSITIVE_KEYS` of each line, as its distribution ships it.
pub const SENSITIVE_KEYS: &[(&str, &[&str])] = &[
    ("1.17", UP_TO_1_18),
    ("1.18", UP_TO_1_18),
    ("1.19", FROM_1_19),
    ("1.20", FROM_1_19),
    ("2.0", FROM_1_19),
    ("2.1", FROM_2_1),
    ("2.2", FROM_2_1),
    ("2.3", FROM_2_1),
];

/// The patterns of `line` (`1.20`); the newest line's for a line the table does not know.
pub fn patterns(line: &str) -> &'static [&'static str] {
    SENSITIVE_KEYS
        .iter()
        .find(|(l, _)| *l == line)
        .or(SENSITIVE_KEYS.last())
        .map_or(&[], |(_, p)| p)
}

/// Whether Flink `line` masks the value of `key` (GlobalConfiguration.isSensitive).
pub fn is_masked(line: &str, key: &str) -> bool {
    let key = key.to_lowercase();
    patterns(line).iter().any(|p| key.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_follows_each_lines_patterns() {
        assert!(is_masked("1.17", "sentinel.password"));
        assert!(is_masked("1.20", "API.TOKEN"));
        assert!(!is_masked("2.3", "api.credential"));
        assert!(!is_masked("1.18", "auth.http-headers"));
        assert!(is_masked("1.19", "auth.http-headers"));
        assert!(!is_masked("2.0", "service.api-key"));
        assert!(is_masked("2.1", "service.api-key"));
        assert_eq!(SENSITIVE_KEYS.len(), crate::flink::LINES.len());
    }
}
