//! One line that says why `mvn package` failed, read from Maven's `[ERROR]` lines: the artifact
//! that could not be resolved and the likely cause (offline, a mirror that lacks it, a proxy), the
//! first compile error, or the failing tests' totals.

/// The cause of a failed build, from its `[ERROR]` lines (escape codes already stripped).
pub fn diagnose(errors: &[String]) -> String {
    let texts: Vec<&str> = errors
        .iter()
        .map(|l| l.trim_start_matches("[ERROR]").trim())
        .collect();
    if let Some(cause) = texts.iter().find_map(|t| resolution_failure(t)) {
        return cause;
    }
    if let Some(compile) = texts.iter().find(|t| is_compile_error(t)) {
        return format!("compilation failed: {}", short_path(compile));
    }
    // Surefire 3.6 names only its goal in the failure line; older ones say "There are test failures".
    if texts.iter().any(|t| {
        t.contains("There are test failures")
            || (t.contains("maven-surefire-plugin") && t.contains(":test ("))
    }) {
        let totals = texts
            .iter()
            .rev()
            .find(|t| t.starts_with("Tests run:") && !t.contains(" in "));
        return match totals {
            Some(totals) => format!("tests failed ({totals})"),
            None => "tests failed".to_string(),
        };
    }
    texts
        .iter()
        .find(|t| !t.is_empty())
        .map(|t| t.trim_end_matches("-> [Help 1]").trim().to_string())
        .unwrap_or_else(|| "no [ERROR] line in Maven's output".to_string())
}

/// An artifact (plugin or dependency) that could not be resolved, and why.
fn resolution_failure(text: &str) -> Option<String> {
    // -o and not in the local repository.
    if let Some(rest) = after(text, " in offline mode and the artifact ") {
        let artifact = coordinates(rest.split(" has not been downloaded").next()?);
        return Some(format!(
            "{artifact} is not in the local repository and Maven runs offline (-o/--offline): \
             build once with the network"
        ));
    }
    // "Could not transfer artifact G:A:EXT:V from/to ID (URL): REASON"
    if let Some(rest) = after(text, "Could not transfer artifact ") {
        let (artifact, rest) = rest.split_once(" from/to ")?;
        let repository = repository(rest);
        let reason = rest
            .rsplit(": ")
            .next()
            .unwrap_or(rest)
            .trim_end_matches("-> [Help 1]")
            .trim();
        return Some(format!(
            "cannot download {} from {repository}: {reason} — {}",
            coordinates(artifact),
            transfer_cause(rest)
        ));
    }
    // "Could not find artifact G:A:EXT:V in ID (URL)": the repository answered, without it.
    if let Some(rest) = after(text, "Could not find artifact ") {
        let (artifact, rest) = rest.split_once(" in ")?;
        return Some(format!(
            "{} is not in {}: a mirror that lacks it, or a version never published to Maven Central",
            coordinates(artifact),
            repository(rest)
        ));
    }
    // "G:A:EXT:V was not found in URL during a previous attempt. This failure was cached …"
    if let Some(idx) = text.find(" was not found in ") {
        let artifact = text[..idx].rsplit(": ").next()?.trim();
        let url = text[idx + " was not found in ".len()..]
            .split_whitespace()
            .next()?;
        return Some(format!(
            "{} is not in {url} (a miss cached in the local repository): a mirror that lacks it, \
             or a version never published; after fixing, retry with -U",
            coordinates(artifact)
        ));
    }
    None
}

/// The likely cause behind a failed transfer, from Maven's reason text.
fn transfer_cause(reason: &str) -> &'static str {
    let r = reason.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| r.contains(n));
    if any(&["status code: 407", "proxy authentication"]) {
        "the proxy wants credentials (<proxies> in ~/.m2/settings.xml)"
    } else if any(&[
        "status code: 401",
        "status code: 403",
        "unauthorized",
        "forbidden",
    ]) {
        "the repository refused access (a mirror's <server> credentials in ~/.m2/settings.xml?)"
    } else if any(&["pkix", "certificate", "ssl", "handshake"]) {
        "TLS failed: a proxy that intercepts TLS needs its certificate in the JDK's trust store"
    } else if any(&[
        "connection refused",
        "timed out",
        "unknownhost",
        "unknown host",
        "name or service not known",
        "temporary failure in name resolution",
        "no route to host",
        "network is unreachable",
        "connection reset",
    ]) {
        "the repository cannot be reached: this machine is offline, or a mirror or proxy in \
         ~/.m2/settings.xml is unreachable"
    } else {
        "the repository (or a mirror or proxy in ~/.m2/settings.xml) failed"
    }
}

fn after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    text.find(marker).map(|i| &text[i + marker.len()..])
}

/// "ID (URL)…" → "ID (URL)".
fn repository(text: &str) -> String {
    match text.find(')') {
        Some(end) if text.contains(" (") => text[..=end].trim().to_string(),
        _ => text.split_whitespace().next().unwrap_or(text).to_string(),
    }
}

/// Maven's "G:A:EXT:V" (or "G:A:EXT:CLASSIFIER:V") as "G:A:V" ("G:A:CLASSIFIER:V").
fn coordinates(artifact: &str) -> String {
    let parts: Vec<&str> = artifact.trim().split(':').collect();
    match parts.as_slice() {
        [g, a, _ext, v] => format!("{g}:{a}:{v}"),
        [g, a, _ext, classifier, v] => format!("{g}:{a}:{classifier}:{v}"),
        _ => artifact.trim().to_string(),
    }
}

/// javac's "PATH/File.java:[line,col] message" as reported by the compiler plugin.
fn is_compile_error(text: &str) -> bool {
    text.contains(".java:[")
}

/// "/abs/…/src/main/java/…/X.java:[1,1] msg" → "src/main/java/…/X.java:[1,1] msg".
fn short_path(text: &str) -> String {
    match text.find("src/") {
        Some(i) if text[..i].starts_with('/') => text[i..].to_string(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::diagnose;

    fn one(line: &str) -> String {
        diagnose(&[line.to_string(), "[ERROR] ".to_string()])
    }

    // The [ERROR] lines below are Maven 3.8.7's own, captured from real runs on 2026-11-29: a mirror
    // on a closed loopback port, a file:// mirror without the artifact, -o with an empty local
    // repository, and a Flink patch Central does not serve.
    #[test]
    fn an_unreachable_mirror_names_the_artifact_and_the_network() {
        let got = one("[ERROR] Plugin org.apache.maven.plugins:maven-resources-plugin:3.4.0 or one of its dependencies could not be resolved: Failed to read artifact descriptor for org.apache.maven.plugins:maven-resources-plugin:jar:3.4.0: Could not transfer artifact org.apache.maven.plugins:maven-resources-plugin:pom:3.4.0 from/to unreachable (http://127.0.0.1:1/maven2): transfer failed for http://127.0.0.1:1/maven2/org/apache/maven/plugins/maven-resources-plugin/3.4.0/maven-resources-plugin-3.4.0.pom: Connect to 127.0.0.1:1 [/127.0.0.1] failed: Connection refused -> [Help 1]");
        assert_eq!(
            got,
            "cannot download org.apache.maven.plugins:maven-resources-plugin:3.4.0 from \
             unreachable (http://127.0.0.1:1/maven2): Connection refused — the repository cannot \
             be reached: this machine is offline, or a mirror or proxy in ~/.m2/settings.xml is \
             unreachable"
        );
    }

    #[test]
    fn a_mirror_without_the_artifact_says_so() {
        let got = one("[ERROR] Plugin org.apache.maven.plugins:maven-resources-plugin:3.4.0 or one of its dependencies could not be resolved: Could not find artifact org.apache.maven.plugins:maven-resources-plugin:jar:3.4.0 in lacking (file:///tmp/mv/fail/emptyrepo) -> [Help 1]");
        assert_eq!(
            got,
            "org.apache.maven.plugins:maven-resources-plugin:3.4.0 is not in lacking \
             (file:///tmp/mv/fail/emptyrepo): a mirror that lacks it, or a version never \
             published to Maven Central"
        );
    }

    #[test]
    fn offline_without_the_artifact_says_build_once_online() {
        let got = one("[ERROR] Plugin org.apache.maven.plugins:maven-resources-plugin:3.4.0 or one of its dependencies could not be resolved: Cannot access central (https://repo.maven.apache.org/maven2) in offline mode and the artifact org.apache.maven.plugins:maven-resources-plugin:jar:3.4.0 has not been downloaded from it before. -> [Help 1]");
        assert!(
            got.starts_with(
                "org.apache.maven.plugins:maven-resources-plugin:3.4.0 is not in the local \
                 repository and Maven runs offline"
            ),
            "{got}"
        );
    }

    #[test]
    fn a_cached_miss_names_the_first_artifact() {
        let got = one("[ERROR] Failed to execute goal on project flink-connector-acme: Could not resolve dependencies for project org.example:flink-connector-acme:jar:0.1.0-SNAPSHOT: The following artifacts could not be resolved: org.apache.flink:flink-table-api-java-bridge:jar:1.20.5, org.apache.flink:flink-table-planner-loader:jar:1.20.5, org.apache.flink:flink-table-runtime:jar:1.20.5: org.apache.flink:flink-table-api-java-bridge:jar:1.20.5 was not found in https://repo.maven.apache.org/maven2 during a previous attempt. This failure was cached in the local repository and resolution is not reattempted until the update interval of central has elapsed or updates are forced -> [Help 1]");
        assert!(
            got.starts_with(
                "org.apache.flink:flink-table-api-java-bridge:1.20.5 is not in \
                 https://repo.maven.apache.org/maven2 (a miss cached"
            ),
            "{got}"
        );
    }

    #[test]
    fn proxies_and_tls_get_their_own_cause() {
        let proxy = one("[ERROR] Could not transfer artifact g:a:pom:1 from/to central (https://r): status code: 407, reason phrase: Proxy Authentication Required (407)");
        assert!(proxy.contains("the proxy wants credentials"), "{proxy}");
        let tls = one("[ERROR] Could not transfer artifact g:a:pom:1 from/to central (https://r): transfer failed for https://r/g/a/1/a-1.pom: PKIX path building failed: unable to find valid certification path");
        assert!(tls.contains("TLS failed"), "{tls}");
    }

    #[test]
    fn compile_errors_and_test_failures_are_named() {
        let compile = diagnose(&[
            "[ERROR] COMPILATION ERROR : ".to_string(),
            "[ERROR] /tmp/x/project/src/main/java/org/example/A.java:[1,1] class, interface, enum, or record expected".to_string(),
        ]);
        assert_eq!(
            compile,
            "compilation failed: src/main/java/org/example/A.java:[1,1] class, interface, enum, or record expected"
        );
        let tests = diagnose(&[
            "[ERROR] Tests run: 11, Failures: 1, Errors: 0, Skipped: 0".to_string(),
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.6.0:test (default-test) on project x: There are test failures.".to_string(),
        ]);
        assert_eq!(
            tests,
            "tests failed (Tests run: 11, Failures: 1, Errors: 0, Skipped: 0)"
        );
        let surefire_3_6 = diagnose(&[
            "[ERROR] Tests run: 11, Failures: 3, Errors: 0, Skipped: 0".to_string(),
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.6.1:test (default-test) on project flink-connector-acme: ".to_string(),
            "[ERROR] ".to_string(),
            "[ERROR] See /tmp/x/target/surefire-reports for the individual test results.".to_string(),
        ]);
        assert_eq!(
            surefire_3_6,
            "tests failed (Tests run: 11, Failures: 3, Errors: 0, Skipped: 0)"
        );
    }
}
