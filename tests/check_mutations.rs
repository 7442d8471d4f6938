//! Mutation suite: a good connector jar (compiled here with javac against Flink 2.2.1) passes
//! `check` without a single finding; one broken copy per rule family is flagged by that rule.

mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cargo_flink_connector::check::context::Depth;
use cargo_flink_connector::check::finding::{Levels, Severity};
use cargo_flink_connector::check::target::Target;
use cargo_flink_connector::check::{run, CheckOptions, Report};
use support::RawZip;

const SERVICES: &str = "META-INF/services/org.apache.flink.table.factories.Factory";

/// Compiled classes, shared by every test of this binary.
struct Classes {
    /// Against 2.2.1 (release 11), including stubs' users; stubs themselves are not here.
    current: Vec<(String, Vec<u8>)>,
    /// Against 1.20.5 (release 8).
    legacy: Vec<(String, Vec<u8>)>,
    /// `org/apache/flink/table/factories/Factory.class` from the 2.2.1 uber jar.
    flink_factory: Vec<u8>,
    /// The same class from the 1.20.5 uber jar: a copy that differs from the target's.
    legacy_flink_factory: Vec<u8>,
}

fn classes() -> Option<&'static Classes> {
    static CLASSES: OnceLock<Option<Classes>> = OnceLock::new();
    CLASSES
        .get_or_init(|| {
            let lib = support::flink_lib("2.2.1")?;
            let legacy_lib = support::flink_lib("1.20.5")?;
            support::require("javac (JDK 17)", support::has_command("javac")).then_some(())?;
            let java = support::fixture_dir().join("java");
            let work = tempfile::tempdir().unwrap();
            let (stubs, current, legacy) = (
                work.path().join("stubs"),
                work.path().join("current"),
                work.path().join("legacy"),
            );
            let compile = |dir: &str, classpath: String, release: u8, out: &Path| {
                support::javac_sources(
                    &support::java_sources(&java.join(dir)),
                    &classpath,
                    release,
                    out,
                )
                .unwrap_or_else(|e| panic!("{e}"))
            };
            compile("stubs", support::lib_classpath(&lib, &[]), 11, &stubs);
            compile(
                "acme",
                support::lib_classpath(&lib, &[&stubs]),
                11,
                &current,
            );
            compile(
                "legacy",
                support::lib_classpath(&legacy_lib, &[]),
                8,
                &legacy,
            );
            let factory_of = |lib: &Path| {
                cargo_flink_connector::jar::JarIndex::open(&support::lib_jar(
                    lib,
                    "flink-table-api-java-uber",
                ))
                .unwrap()
                .read_named("org/apache/flink/table/factories/Factory.class", 1 << 20)
                .unwrap()
                .unwrap()
            };
            let (flink_factory, legacy_flink_factory) = (factory_of(&lib), factory_of(&legacy_lib));
            assert_ne!(
                flink_factory, legacy_flink_factory,
                "1.20 and 2.2 Factory.class"
            );
            Some(Classes {
                current: support::files_under(&current).into_iter().collect(),
                legacy: support::files_under(&legacy).into_iter().collect(),
                flink_factory,
                legacy_flink_factory,
            })
        })
        .as_ref()
}

/// A jar as an ordered entry list (duplicates allowed).
#[derive(Clone)]
struct Jar {
    file_name: String,
    entries: Vec<(String, Vec<u8>)>,
}

impl Jar {
    fn good(classes: &Classes) -> Jar {
        let mut entries = vec![
            (
                "META-INF/MANIFEST.MF".to_string(),
                b"Manifest-Version: 1.0\r\nCreated-By: audit tests\r\n\r\n".to_vec(),
            ),
            (
                "META-INF/LICENSE".to_string(),
                b"Apache License\nVersion 2.0, January 2004\n".to_vec(),
            ),
            (
                "META-INF/NOTICE".to_string(),
                b"acme connector\nThe Apache Software Foundation\n".to_vec(),
            ),
            (
                SERVICES.to_string(),
                b"# acme\ncom.example.acme.AcmeTableFactory\n".to_vec(),
            ),
        ];
        for name in ["AcmeTableFactory", "AcmeSource", "AcmeSink"] {
            entries.push(class(classes, &format!("com/example/acme/{name}.class")));
        }
        Jar {
            file_name: "flink-connector-acme-1.0.jar".into(),
            entries,
        }
    }

    fn with(mut self, name: &str, bytes: &[u8]) -> Jar {
        self.entries.push((name.to_string(), bytes.to_vec()));
        self
    }

    fn with_class(self, classes: &Classes, name: &str) -> Jar {
        let (entry, bytes) = class(classes, name);
        self.with(&entry, &bytes)
    }

    fn without(mut self, name: &str) -> Jar {
        self.entries.retain(|(n, _)| n != name);
        self
    }

    fn replace(self, name: &str, bytes: &[u8]) -> Jar {
        self.without(name).with(name, bytes)
    }

    fn named(mut self, file_name: &str) -> Jar {
        self.file_name = file_name.to_string();
        self
    }

    fn check(&self) -> Report {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(&self.file_name);
        let mut zip = RawZip::new();
        for (name, bytes) in &self.entries {
            zip.add(name, bytes);
        }
        zip.write_to(&path);
        check_path(&path)
    }
}

fn class(classes: &Classes, name: &str) -> (String, Vec<u8>) {
    classes
        .current
        .iter()
        .chain(&classes.legacy)
        .find(|(n, _)| n == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} was not compiled"))
}

fn check_path(path: &Path) -> Report {
    let options = CheckOptions {
        target: Some(Target::parse("flink-2.2").unwrap()),
        flink_lib: None,
        depth: Depth::Deep,
        levels: Levels::default(),
        deny_warnings: false,
        threads: 2,
    };
    run(&[PathBuf::from(path)], &options).unwrap()
}

fn rules_of(report: &Report) -> Vec<(&'static str, Severity)> {
    report
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .map(|f| (f.rule, f.severity))
        .collect()
}

/// `rule` is reported, and only at `severity`.
fn assert_flags_at(jar: &Jar, rule: &str, severity: Severity) {
    let report = jar.check();
    let found = rules_of(&report);
    let at: Vec<Severity> = found
        .iter()
        .filter(|(r, _)| *r == rule)
        .map(|(_, s)| *s)
        .collect();
    assert!(
        !at.is_empty() && at.iter().all(|s| *s == severity),
        "expected {rule} at {severity:?}, got {found:?}\n{report:#?}"
    );
}

/// None of `rules` is reported.
fn assert_not_flags(jar: &Jar, rules: &[&str]) {
    let report = jar.check();
    let found = rules_of(&report);
    assert!(
        !found.iter().any(|(r, _)| rules.contains(r)),
        "expected none of {rules:?}, got {found:?}\n{report:#?}"
    );
}

fn assert_flags(jar: &Jar, rule: &str) {
    let report = jar.check();
    let found = rules_of(&report);
    assert!(
        found.iter().any(|(r, _)| *r == rule),
        "expected {rule}, got {found:?}\n{report:#?}"
    );
}

#[test]
fn the_good_jar_has_no_finding_at_all() {
    let Some(classes) = classes() else { return };
    let report = Jar::good(classes).check();
    assert_eq!(rules_of(&report), vec![], "{report:#?}");
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn services_file_missing_or_misplaced() {
    let Some(c) = classes() else { return };
    assert_flags(&Jar::good(c).without(SERVICES), "services-file-missing");
    let services = b"com.example.acme.AcmeTableFactory\n";
    assert_flags(
        &Jar::good(c).without(SERVICES).with(
            "services/org.apache.flink.table.factories.Factory",
            services,
        ),
        "services-file-misplaced",
    );
    let sub_interface =
        "META-INF/services/org.apache.flink.table.factories.DynamicTableSourceFactory";
    assert_flags(
        &Jar::good(c).without(SERVICES).with(sub_interface, services),
        "services-file-misplaced",
    );
    assert_flags(
        &Jar::good(c).replace(
            SERVICES,
            b"com.example.acme.AcmeTableFactory\ncom.example.1acme\n",
        ),
        "services-invalid-line",
    );
}

#[test]
fn listed_class_absent_abstract_or_not_a_factory() {
    let Some(c) = classes() else { return };
    let listing =
        |extra: &str| format!("com.example.acme.AcmeTableFactory\n{extra}\n").into_bytes();
    assert_flags(
        &Jar::good(c).replace(SERVICES, &listing("com.example.acme.Missing")),
        "services-provider-not-found",
    );
    let abstract_jar = Jar::good(c)
        .with_class(c, "com/example/acme/AbstractAcmeFactory.class")
        .replace(SERVICES, &listing("com.example.acme.AbstractAcmeFactory"));
    assert_flags(&abstract_jar, "services-provider-not-instantiable");
    // It inherits 'acme' but never registers it: no duplicate with the real factory.
    let found = rules_of(&abstract_jar.check());
    assert!(
        !found
            .iter()
            .any(|(r, _)| *r == "duplicate-factory-identifier"),
        "{found:?}"
    );
    assert_flags(
        &Jar::good(c).replace(SERVICES, &listing("com.example.acme.AcmeSource")),
        "services-provider-not-factory",
    );
    assert_flags(
        &Jar::good(c)
            .with_class(c, "com/example/acme/AcmeTwoFactory.class")
            .named("x.jar"),
        "services-missing-factory",
    );
}

#[test]
fn duplicate_and_builtin_identifiers() {
    let Some(c) = classes() else { return };
    let two = Jar::good(c)
        .with_class(c, "com/example/acme/AcmeTwoFactory.class")
        .replace(
            SERVICES,
            b"com.example.acme.AcmeTableFactory\ncom.example.acme.AcmeTwoFactory\n",
        );
    assert_flags(&two, "duplicate-factory-identifier");
    let datagen = Jar::good(c)
        .with_class(c, "com/example/acme/DatagenLookalikeFactory.class")
        .replace(
            SERVICES,
            b"com.example.acme.AcmeTableFactory\ncom.example.acme.DatagenLookalikeFactory\n",
        );
    assert_flags(&datagen, "identifier-clashes-builtin");
    let listed =
        |class: &str| format!("com.example.acme.AcmeTableFactory\ncom.example.acme.{class}\n");
    let kafka = Jar::good(c)
        .with_class(c, "com/example/acme/KafkaLookalikeFactory.class")
        .replace(SERVICES, listed("KafkaLookalikeFactory").as_bytes());
    assert_flags(&kafka, "identifier-clashes-platform");
    let computed = Jar::good(c)
        .with_class(c, "com/example/acme/ComputedIdFactory.class")
        .replace(SERVICES, listed("ComputedIdFactory").as_bytes());
    assert_flags(&computed, "factory-identifier-computed");
}

#[test]
fn bundled_flink_classes_and_signature_files() {
    let Some(c) = classes() else { return };
    // A copy identical to the runtime's is shadowed by it (parent-first): a warning; one that
    // differs breaks on the class path (lib/): an error.
    let factory = "org/apache/flink/table/factories/Factory.class";
    assert_flags_at(
        &Jar::good(c).with(factory, &c.flink_factory),
        "bundled-flink-api",
        Severity::Warning,
    );
    assert_flags_at(
        &Jar::good(c).with(factory, &c.legacy_flink_factory),
        "bundled-flink-api",
        Severity::Error,
    );
    // Runtime classes outside the API packages, connector-base, and a jar lib/ ships.
    let (_, bytes) = class(c, "com/example/acme/AcmeSink.class");
    assert_flags(
        &Jar::good(c).with("org/apache/flink/util/Preconditions.class", &bytes),
        "bundled-flink-runtime",
    );
    assert_flags_at(
        &Jar::good(c).with(
            "org/apache/flink/connector/base/DeliveryGuarantee.class",
            &bytes,
        ),
        "bundled-connector-base",
        Severity::Note,
    );
    assert_flags(
        &Jar::good(c).with(
            "org/apache/flink/formats/json/JsonFormatFactory.class",
            &bytes,
        ),
        "bundled-flink-lib-jar",
    );
    assert_flags(
        &Jar::good(c)
            .with("META-INF/ACME.SF", b"Signature-Version: 1.0\r\n")
            .with("META-INF/ACME.RSA", &[0x30, 0x82]),
        "signature-file",
    );
}

#[test]
fn class_versions_and_apis_of_another_line() {
    let Some(c) = classes() else { return };
    let (_, mut source) = class(c, "com/example/acme/AcmeSource.class");
    source[6..8].copy_from_slice(&69u16.to_be_bytes());
    assert_flags(
        &Jar::good(c).replace("com/example/acme/AcmeSource.class", &source),
        "class-version-too-new",
    );
    assert_flags(
        &Jar::good(c).with_class(c, "com/example/acme/LegacyWriterUser.class"),
        "removed-flink-api",
    );
    assert_flags(
        &Jar::good(c).with_class(c, "com/example/acme/LegacyOpenUser.class"),
        "missing-flink-member",
    );
    assert_flags(
        &Jar::good(c).with_class(c, "com/example/acme/ForeignShadedUser.class"),
        "foreign-shaded-library",
    );
    assert_flags(
        &Jar::good(c).with_class(c, "com/example/acme/PlannerUser.class"),
        "planner-internal-reference",
    );
}

#[test]
fn relocation_logging_scala_and_class_loader() {
    let Some(c) = classes() else { return };
    let (_, bytes) = class(c, "com/example/acme/AcmeSink.class");
    assert_flags(
        &Jar::good(c).with("com/google/common/base/Preconditions.class", &bytes),
        "unrelocated-library",
    );
    assert_flags(
        &Jar::good(c).with("org/slf4j/impl/StaticLoggerBinder.class", &bytes),
        "bundled-logging-backend",
    );
    assert_flags(
        &Jar::good(c).with("log4j2.xml", b"<Configuration/>"),
        "bundled-logging-config",
    );
    assert_flags(
        &Jar::good(c).named("flink-connector-acme_2.11-1.0.jar"),
        "scala-suffix-mismatch",
    );
    assert_flags(
        &Jar::good(c).with("scala/Option.class", &bytes),
        "bundled-scala-library",
    );
    assert_flags(
        &Jar::good(c).with_class(c, "com/example/acme/Scala211User.class"),
        "scala-2-11-trait",
    );
    assert_flags(
        &Jar::good(c).with_class(c, "com/example/acme/ContextLoaderUser.class"),
        "context-class-loader",
    );
}

#[test]
fn module_info_multi_release_duplicates_and_legal_files() {
    let Some(c) = classes() else { return };
    let (_, bytes) = class(c, "com/example/acme/AcmeSink.class");
    assert_flags(
        &Jar::good(c).with("module-info.class", &bytes),
        "module-info-present",
    );
    assert_flags(
        &Jar::good(c).with(
            "META-INF/versions/11/com/example/acme/AcmeSink.class",
            &bytes,
        ),
        "multi-release-not-declared",
    );
    assert_flags(
        &Jar::good(c).with("META-INF/versions/11/org/example/Orphan.class", &bytes),
        "multi-release-orphan",
    );
    assert_flags(
        &Jar::good(c).with("com/example/acme/AcmeSink.class", &bytes),
        "duplicate-entry",
    );
    assert_flags(
        &Jar::good(c).with("NOTICE", b"copied from a dependency"),
        "license-outside-meta-inf",
    );
    // Nothing fails at run time without them: a note, except for Apache Flink's own artifacts.
    assert_flags_at(
        &Jar::good(c).without("META-INF/NOTICE"),
        "license-notice-missing",
        Severity::Note,
    );
    assert_flags_at(
        &Jar::good(c).without("META-INF/NOTICE").with(
            "META-INF/maven/org.apache.flink/flink-connector-acme/pom.xml",
            b"",
        ),
        "license-notice-missing",
        Severity::Warning,
    );
    let maven = |a: &str| format!("META-INF/maven/org.example/{a}/pom.properties");
    assert_flags(
        &Jar::good(c)
            .with(&maven("acme"), b"")
            .with(&maven("dep"), b""),
        "maven-metadata-leftover",
    );
}

#[test]
fn archive_anomalies_are_findings() {
    let Some(c) = classes() else { return };
    assert_flags(
        &Jar::good(c).with("../evil.class", b"x"),
        "unsafe-entry-name",
    );
    assert_flags(
        &Jar::good(c).with("lib/dependency.jar", b"PK"),
        "nested-archive",
    );
    assert_flags(
        &Jar::good(c).with(
            "com/example/acme/Broken.class",
            &[0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 55, 0],
        ),
        "unreadable-entry",
    );
    // Claiming 3 GB from four stored bytes is what a zip bomb looks like.
    let mut zip = RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n");
    zip.add_entry(support::RawEntry {
        declared_size: Some(3_000_000_000),
        ..support::RawEntry::new("bomb.bin", b"tiny")
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb-1.0.jar");
    zip.write_to(&path);
    assert!(
        rules_of(&check_path(&path))
            .iter()
            .any(|(r, _)| *r == "zip-bomb-suspect"),
        "{:#?}",
        check_path(&path)
    );
}

/// The false errors of issue 9, each from a small reproduction of what shipped jars contain.
#[test]
fn shipped_jar_shapes_that_are_not_errors() {
    let Some(c) = classes() else { return };
    // The legacy TableFactory SPI file (1.x TableFactoryService reads it) is not misplaced.
    assert_not_flags(
        &Jar::good(c).with(
            "META-INF/services/org.apache.flink.table.factories.TableFactory",
            b"com.example.acme.LegacyFactory\n",
        ),
        &["services-file-misplaced"],
    );
    // A lone META-INF/versions/9/module-info.class (e.g. of an unmodified library).
    let (_, module_info) = class(c, "com/example/acme/AcmeSink.class");
    assert_not_flags(
        &Jar::good(c).with("META-INF/versions/9/module-info.class", &module_info),
        &[
            "multi-release-not-declared",
            "module-info-present",
            "multi-release-orphan",
        ],
    );
    // A relocated optional dependency under org/apache/flink/**/shaded/** is not Flink API.
    assert_not_flags(
        &Jar::good(c).with_class(c, "com/example/acme/RelocatedOptionalUser.class"),
        &["missing-flink-class", "missing-flink-member"],
    );
}
