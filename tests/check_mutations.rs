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
    /// The same class from the 1.20.5 uber jar: other bytes, but the same super types and
    /// members as the target's (javap -p: identical).
    legacy_flink_factory: Vec<u8>,
    /// `FunctionDefinitionFactory.class` from the 1.20.5 uber jar: its members differ from
    /// 2.2.1's (a default `createFunctionDefinition(String, CatalogFunction)` 2.x removed, the
    /// three-argument one default there and abstract in 2.x).
    legacy_function_definition_factory: Vec<u8>,
}

const FACTORY_CLASS: &str = "org/apache/flink/table/factories/Factory.class";
const FUNCTION_DEFINITION_FACTORY_CLASS: &str =
    "org/apache/flink/table/factories/FunctionDefinitionFactory.class";

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
            let class_of = |lib: &Path, class: &str| {
                cargo_flink_connector::jar::JarIndex::open(&support::lib_jar(
                    lib,
                    "flink-table-api-java-uber",
                ))
                .unwrap()
                .read_named(class, 1 << 20)
                .unwrap()
                .unwrap()
            };
            let factory_of = |lib: &Path| class_of(lib, FACTORY_CLASS);
            let (flink_factory, legacy_flink_factory) = (factory_of(&lib), factory_of(&legacy_lib));
            let legacy_function_definition_factory =
                class_of(&legacy_lib, FUNCTION_DEFINITION_FACTORY_CLASS);
            assert_ne!(
                flink_factory, legacy_flink_factory,
                "1.20 and 2.2 Factory.class"
            );
            Some(Classes {
                current: support::files_under(&current).into_iter().collect(),
                legacy: support::files_under(&legacy).into_iter().collect(),
                flink_factory,
                legacy_flink_factory,
                legacy_function_definition_factory,
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
        self.check_on("flink-2.2")
    }

    fn check_on(&self, target: &str) -> Report {
        self.check_mode(target, true)
    }

    fn check_mode(&self, target: &str, provisioned: bool) -> Report {
        let dir = tempfile::tempdir().unwrap();
        check_path_mode(&self.write_in(dir.path()), target, provisioned)
    }

    /// Writes the jar into `dir` under its file name.
    fn write_in(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file_name);
        let mut zip = RawZip::new();
        for (name, bytes) in &self.entries {
            zip.add(name, bytes);
        }
        zip.write_to(&path);
        path
    }

    /// Rule, severity and message of every finding on `target`: the same with lib/ and with the
    /// embedded index (a fresh install).
    fn findings_on(&self, target: &str) -> Vec<(&'static str, Severity, String)> {
        let of = |report: Report| -> Vec<(&'static str, Severity, String)> {
            report
                .files
                .into_iter()
                .flat_map(|f| f.findings)
                .map(|f| (f.rule, f.severity, f.message))
                .collect()
        };
        let provisioned = of(self.check_mode(target, true));
        let fresh = of(self.check_mode(target, false));
        assert_eq!(provisioned, fresh, "lib/ and the embedded index differ");
        provisioned
    }

    /// [`Jar::findings_on`] with each grouped finding's occurrences in its place, and how many
    /// findings there were.
    fn occurrences_on(&self, target: &str) -> (Vec<(&'static str, Severity, String)>, usize) {
        let report = self.check_mode(target, true);
        let findings: Vec<_> = report.files.into_iter().flat_map(|f| f.findings).collect();
        let count = findings.len();
        let flat = findings
            .into_iter()
            .flat_map(|f| {
                let (rule, severity) = (f.rule, f.severity);
                if f.occurrences.is_empty() {
                    vec![(rule, severity, f.message)]
                } else {
                    f.occurrences
                        .into_iter()
                        .map(|o| (rule, severity, o.detail))
                        .collect()
                }
            })
            .collect();
        (flat, count)
    }

    /// The rules found on `target`, the same with lib/ and with the embedded index.
    fn rules_on(&self, target: &str) -> Vec<(&'static str, Severity)> {
        let provisioned = rules_of(&self.check_mode(target, true));
        let fresh = rules_of(&self.check_mode(target, false));
        assert_eq!(provisioned, fresh, "lib/ and the embedded index differ");
        provisioned
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
    check_path_on(path, "flink-2.2")
}

fn check_path_on(path: &Path, target: &str) -> Report {
    check_path_mode(path, target, true)
}

/// `provisioned: false` is a fresh install: the embedded class index instead of lib/.
fn check_path_mode(path: &Path, target: &str, provisioned: bool) -> Report {
    let options = CheckOptions {
        target: Some(Target::parse(target).unwrap()),
        flink_lib: None,
        matrix: Vec::new(),
        provisioned,
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
    // No factory at all: an error for a jar with table sources/sinks (its factory is missing),
    // a note for one without (a DataStream connector, a format, a library).
    let factory = "com/example/acme/AcmeTableFactory.class";
    assert_flags_at(
        &Jar::good(c).without(SERVICES).without(factory),
        "no-factory",
        Severity::Error,
    );
    let datastream_only = Jar::good(c)
        .without(SERVICES)
        .without(factory)
        .without("com/example/acme/AcmeSource.class")
        .without("com/example/acme/AcmeSink.class")
        .with_class(c, "com/example/acme/OtherConnectorUser.class");
    assert_flags_at(&datastream_only, "no-factory", Severity::Note);
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
    // Unlisted: an error when its identifier is then undiscoverable; a note when a listed
    // factory registers the same identifier (an old and a new copy of one factory, as in
    // flink-sql-connector-elasticsearch7); nothing when the legacy TableFactory file lists it
    // (1.x falls back to it, as for Iceberg's catalog factory).
    assert_flags_at(
        &Jar::good(c).with_class(c, "com/example/acme/KafkaLookalikeFactory.class"),
        "services-missing-factory",
        Severity::Error,
    );
    assert_flags_at(
        &Jar::good(c)
            .with_class(c, "com/example/acme/AcmeTwoFactory.class")
            .named("x.jar"),
        "services-missing-factory",
        Severity::Note,
    );
    // Its identifier computed (as ES7's new sink factory passes it to a base class): unknown
    // whether a listed factory registers it, so a warning.
    assert_flags_at(
        &Jar::good(c).with_class(c, "com/example/acme/ComputedIdFactory.class"),
        "services-missing-factory",
        Severity::Warning,
    );
    let legacy = Jar::good(c)
        .with_class(c, "com/example/acme/KafkaLookalikeFactory.class")
        .with(
            "META-INF/services/org.apache.flink.table.factories.TableFactory",
            b"com.example.acme.KafkaLookalikeFactory\n",
        );
    let found = legacy.rules_on("flink-1.20");
    assert!(
        !found.iter().any(|(r, _)| *r == "services-missing-factory"),
        "{found:?}"
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
    // Apache Flink ships no 'kafka' factory in lib/: only a managed engine target makes it an error.
    assert_flags_at(&kafka, "identifier-clashes-platform", Severity::Note);
    let on_vvr: Vec<_> = rules_of(&kafka.check_on("vvr-11.1"))
        .into_iter()
        .filter(|(rule, _)| *rule == "identifier-clashes-platform")
        .collect();
    assert_eq!(on_vvr, [("identifier-clashes-platform", Severity::Error)]);
    let computed = Jar::good(c)
        .with_class(c, "com/example/acme/ComputedIdFactory.class")
        .replace(SERVICES, listed("ComputedIdFactory").as_bytes());
    assert_flags(&computed, "factory-identifier-computed");
}

#[test]
fn bundled_flink_classes_and_signature_files() {
    let Some(c) = classes() else { return };
    // A copy with the runtime's super types and members links the same whichever loads: a
    // warning (the identical 2.2.1 copy, and 1.20.5's, whose bytes differ but not its members);
    // one whose members differ breaks where it wins on the class path (lib/): an error.
    for same_api in [&c.flink_factory, &c.legacy_flink_factory] {
        assert_flags_at(
            &Jar::good(c).with(FACTORY_CLASS, same_api),
            "bundled-flink-api",
            Severity::Warning,
        );
    }
    assert_flags_at(
        &Jar::good(c).with(
            FUNCTION_DEFINITION_FACTORY_CLASS,
            &c.legacy_function_definition_factory,
        ),
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
    // Flink's own module of the target line (flink-cep, flink-connector-datagen: lib/ already
    // ships its classes; its manifest says so) does not bundle the runtime: a note.
    let flink_manifest = |version: &str| {
        format!(
            "Manifest-Version: 1.0\r\nImplementation-Title: Flink : Core\r\n\
             Implementation-Version: {version}\r\nImplementation-Vendor-Id: org.apache.flink\r\n\r\n"
        )
    };
    let module = Jar::good(c).with("org/apache/flink/util/Preconditions.class", &bytes);
    let own = module
        .clone()
        .replace("META-INF/MANIFEST.MF", flink_manifest("2.2.1").as_bytes());
    for provisioned in [true, false] {
        let found = rules_of(&own.check_mode("flink-2.2", provisioned));
        assert!(
            found.contains(&("bundled-flink-lib-jar", Severity::Note))
                && !found.iter().any(|(r, _)| *r == "bundled-flink-runtime"),
            "{found:?}"
        );
    }
    assert_flags(&module, "bundled-flink-runtime");
    // The same module of another line (or an externalized connector's own version) bundles.
    assert_flags(
        &module.replace("META-INF/MANIFEST.MF", flink_manifest("1.20.3").as_bytes()),
        "bundled-flink-runtime",
    );
    // flink-shaded-* classes the runtime also ships: a warning, not runtime classes.
    assert_flags_at(
        &Jar::good(c).with(
            "org/apache/flink/shaded/guava33/com/google/common/base/Preconditions.class",
            &bytes,
        ),
        "bundled-flink-shaded",
        Severity::Warning,
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
    // An API only later lines added (WriterInitContext, 1.19+) on 1.17: compiled against a newer
    // Flink, failing only where it runs — a warning; the removed API above stays an error.
    let newer = Jar::good(c)
        .with_class(c, "com/example/acme/NewerApiUser.class")
        .rules_on("flink-1.17");
    assert!(
        newer.contains(&("removed-flink-api", Severity::Warning))
            && !newer.contains(&("removed-flink-api", Severity::Error)),
        "{newer:?}"
    );
    // A class no line has, in a package every line's distribution owns: missing, on lib/ and
    // on the embedded index alike.
    let ghost = Jar::good(c).with_class(c, "com/example/acme/GhostHelperUser.class");
    for target in ["flink-1.17", "flink-2.2"] {
        assert!(
            ghost
                .rules_on(target)
                .contains(&("missing-flink-class", Severity::Error)),
            "{target}"
        );
    }
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
    // Two different copies: an error for a class (which code runs depends on the reader), a
    // warning for a resource such as LICENSE (iceberg-flink-runtime ships two).
    let (_, source) = class(c, "com/example/acme/AcmeSource.class");
    assert_flags_at(
        &Jar::good(c).with("com/example/acme/AcmeSink.class", &source),
        "duplicate-entry",
        Severity::Error,
    );
    assert_flags_at(
        &Jar::good(c)
            .with("LICENSE", b"Apache License 2.0")
            .with("LICENSE", b"MIT License"),
        "duplicate-entry",
        Severity::Warning,
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
    // A class of another artifact's org.apache.flink package (an externalized connector, Flink
    // CDC, a format): the distribution does not own the package, so it cannot be missing from it.
    let other = Jar::good(c).with_class(c, "com/example/acme/OtherConnectorUser.class");
    for target in ["flink-1.17", "flink-2.2"] {
        let found = other.rules_on(target);
        assert!(
            !found.iter().any(|(r, _)| r.starts_with("missing-flink")),
            "{target}: {found:?}"
        );
    }
    // A relocated optional dependency under org/apache/flink/**/shaded/** is not Flink API.
    assert_not_flags(
        &Jar::good(c).with_class(c, "com/example/acme/RelocatedOptionalUser.class"),
        &["missing-flink-class", "missing-flink-member"],
    );
}

/// Upgrade risks (issue 9 item 7), the same on lib/ and on a fresh install. The expected lines
/// were read from the real lib/ jars (unzip -l, javap -v): TaskInfoImpl (@Internal) ships from
/// 1.19 on; Configuration.getBytes is @Internal on 2.x and not annotated on 1.x;
/// DynamicFilteringData.getData is @VisibleForTesting everywhere; Flink relocates Guava as
/// guava30 (1.17), guava31 (1.18–1.20), guava32 (2.0), guava33 (2.1–2.3).
#[test]
fn public_api_rule_reports_internal_and_shaded_flink_api_with_the_lines_that_differ() {
    let Some(c) = classes() else { return };
    // "rule: message" of the upgrade-risk findings (all warnings) on `target`.
    // Grouped findings (internal-flink-api: one per jar) are read occurrence by occurrence.
    let public_api = |jar: &Jar, target: &str| -> Vec<String> {
        let grouped = jar.findings_on(target);
        assert!(
            grouped
                .iter()
                .filter(|(rule, _, _)| *rule == "internal-flink-api")
                .count()
                <= 1,
            "one cause, one finding: {grouped:?}"
        );
        jar.occurrences_on(target)
            .0
            .into_iter()
            .filter(|(rule, _, _)| ["internal-flink-api", "flink-shaded-reference"].contains(rule))
            .inspect(|(_, severity, _)| assert_eq!(*severity, Severity::Warning))
            .map(|(rule, _, message)| format!("{rule}: {message}"))
            .collect()
    };
    let risks = |class: &str, target: &str| {
        public_api(
            &Jar::good(c).with_class(c, &format!("com/example/acme/{class}.class")),
            target,
        )
    };
    let user = "used by com.example.acme.InternalApiUser";
    assert_eq!(
        risks("InternalApiUser", "flink-2.2"),
        [
            format!(
                "internal-flink-api: @Internal class org.apache.flink.api.common.TaskInfoImpl \
                 {user}: absent on 1.17–1.18"
            ),
            format!(
                "internal-flink-api: internal (not annotated) class \
                 org.apache.flink.core.memory.DataOutputSerializer {user}: the same on every line \
                 1.17–2.3"
            ),
        ]
    );
    // Members of public classes annotated out of the API: one finding per member.
    let members = "of a public class, used by com.example.acme.MemberInternalUser";
    assert_eq!(
        risks("MemberInternalUser", "flink-2.2"),
        [
            format!(
                "internal-flink-api: @Internal method \
                 org.apache.flink.configuration.Configuration.getBytes(String, byte[]) \
                 {members}: not annotated on 1.17–1.20"
            ),
            format!(
                "internal-flink-api: @VisibleForTesting method \
                 org.apache.flink.table.connector.source.DynamicFilteringData.getData() \
                 {members}: the same on every line 1.17–2.3"
            ),
        ]
    );
    // Connector packages, org.apache.flink.util and an unannotated class nested in a
    // @PublicEvolving one are allowed, as in Flink's rule; so are @Deprecated classes.
    for allowed in ["AllowedApiUser", "DeprecatedInternalUser"] {
        assert_eq!(risks(allowed, "flink-2.2"), [] as [String; 0], "{allowed}");
    }
    // What later lines made public is no upgrade risk: LookupOptions on 1.17 (javap: no
    // annotation on 1.17.2 and 1.18.1, @PublicEvolving on 1.19.3+).
    assert_eq!(risks("LookupOptionsUser", "flink-1.17"), [] as [String; 0]);
    // A nested class annotated @Internal itself is reported although its outer class is public.
    assert_eq!(
        risks("NestedInternalUser", "flink-1.20"),
        ["internal-flink-api: @Internal class \
          org.apache.flink.table.factories.FactoryUtil$DefaultDynamicTableContext used by \
          com.example.acme.NestedInternalUser: the same on every line 1.17–2.3"]
    );
    // Flink's relocated Guava: a warning naming each line's package where the target ships it,
    // foreign-shaded-library's error (only) where it does not.
    let guava = Jar::good(c).with_class(c, "com/example/acme/ShadedGuavaUser.class");
    assert_eq!(
        public_api(&guava, "flink-2.2"),
        [
            "flink-shaded-reference: org.apache.flink.shaded.guava33 (Flink's internal relocated \
          guava) used by com.example.acme.ShadedGuavaUser: guava30 on 1.17; guava31 on 1.18–1.20; \
          guava32 on 2.0; guava33 on 2.1–2.3"
        ]
    );
    let on_1_20 = guava.findings_on("flink-1.20");
    assert!(
        on_1_20
            .iter()
            .any(|(r, s, _)| *r == "foreign-shaded-library" && *s == Severity::Error)
            && !on_1_20
                .iter()
                .any(|(r, _, _)| *r == "flink-shaded-reference"),
        "{on_1_20:?}"
    );
    // The same through the CLI: a fresh install (an empty cache, so the built-in index) and the
    // provisioned lib/ print the same upgrade risks.
    let risky = Jar::good(c)
        .with_class(c, "com/example/acme/InternalApiUser.class")
        .with_class(c, "com/example/acme/MemberInternalUser.class")
        .with_class(c, "com/example/acme/ShadedGuavaUser.class");
    let dir = tempfile::tempdir().unwrap();
    let path = risky.write_in(dir.path());
    let empty_cache = tempfile::tempdir().unwrap();
    let cli = |cache: Option<&Path>| -> (Vec<String>, String) {
        let mut cmd = support::bin();
        cmd.args(["flink-connector", "check"]).arg(&path).args([
            "--target",
            "flink-2.2",
            "--format",
            "json",
        ]);
        if let Some(cache) = cache {
            cmd.env("FLINK_CONNECTOR_CACHE", cache);
        }
        let out = cmd.output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let file = &json["files"][0];
        let risks = file["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "internal-flink-api" || f["rule"] == "flink-shaded-reference")
            .map(|f| format!("{} {} {}", f["rule"], f["message"], f["occurrences"]))
            .collect();
        (risks, file.to_string())
    };
    let ((fresh, fresh_file), (provisioned, provisioned_file)) =
        (cli(Some(empty_cache.path())), cli(None));
    assert!(
        fresh_file.contains("built-in class index") && !provisioned_file.contains("built-in"),
        "{fresh_file}\n{provisioned_file}"
    );
    // The four internal uses are one finding with four occurrences, beside the Guava one.
    assert_eq!(fresh.len(), 2, "{fresh:#?}");
    assert!(
        fresh[0].contains("4 Flink classes or members outside Flink's public API"),
        "{fresh:#?}"
    );
    assert_eq!(fresh, provisioned);
    // The hidden planner stays planner-internal-reference's error, reported once.
    let planner = Jar::good(c)
        .with_class(c, "com/example/acme/PlannerUser.class")
        .findings_on("flink-2.2");
    assert!(
        planner
            .iter()
            .any(|(r, _, _)| *r == "planner-internal-reference")
            && !planner.iter().any(|(r, _, _)| *r == "internal-flink-api"),
        "{planner:?}"
    );
}
