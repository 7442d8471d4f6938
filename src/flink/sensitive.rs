//! The keys whose values Flink masks (`******`) in logs and error messages: a key is sensitive
//! when its lower-cased form contains one of `GlobalConfiguration.SENSITIVE_KEYS`
//! (`GlobalConfiguration.isSensitive`; FactoryUtil's "Table options are: …" uses it too). Read
//! with `javap -c -constants` from `org.apache.flink.configuration.GlobalConfiguration` in each
//! line's real flink-dist jar (tests/manifest_walk.rs checks the table against Flink's own error
//! message).

/// Each pattern of `SENSITIVE_KEYS` and the first line whose distribution has it (1.17: every
/// line the tool supports). Per line: 1.17–1.18 the first nine, 1.19–2.0 with `http-headers`,
/// 2.1–2.3 with `api-key` too.
pub const SENSITIVE_KEYS: &[(&str, &str)] = &[
    ("password", "1.17"),
    ("secret", "1.17"),
    ("fs.azure.account.key", "1.17"),
    ("apikey", "1.17"),
    ("api-key", "2.1"),
    ("auth-params", "1.17"),
    ("service-key", "1.17"),
    ("token", "1.17"),
    ("basic-auth", "1.17"),
    ("jaas.config", "1.17"),
    ("http-headers", "1.19"),
];

/// The patterns of Flink `line` (`1.20`); a line the tool does not know gets the newest set.
pub fn patterns(line: &str) -> Vec<&'static str> {
    let newest = super::LINES.last().map_or("", |l| l.line);
    SENSITIVE_KEYS
        .iter()
        .filter(|(_, since)| {
            super::find_line(line).is_none_or(|l| super::line_in(l, since, newest))
        })
        .map(|(p, _)| *p)
        .collect()
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
        assert_eq!(patterns("1.18").len(), 9);
        assert_eq!(patterns("2.0").len(), 10);
        assert_eq!(patterns("2.3").len(), 11);
    }
}
