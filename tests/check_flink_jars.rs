//! Apache's own connector and format jars from Flink's lib/ are correct connectors: checked
//! against their own line they must produce no error-level finding. And the built-in tables the
//! audit falls back on must match the real jars of every provisioned line.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use cargo_flink_connector::check::context::Depth;
use cargo_flink_connector::check::finding::{Levels, Severity};
use cargo_flink_connector::check::target::Target;
use cargo_flink_connector::check::{run, CheckOptions};
use cargo_flink_connector::flink::runtime::{
    builtin_factories, shaded_libraries, RuntimeLib, GROUPING_INTERFACES,
};
use cargo_flink_connector::flink::{FlinkVersion, LINES};
use cargo_flink_connector::inspect::factories::inspect_jar;
use cargo_flink_connector::jar::JarIndex;

/// `jar cf JAR -C DIR <paths…>`: a jar of compiled classes.
fn jar_cf(jar: &std::path::Path, dir: &std::path::Path, paths: &[&str]) {
    let mut cmd = std::process::Command::new("jar");
    cmd.arg("cf").arg(jar);
    for path in paths {
        cmd.args(["-C", &dir.display().to_string(), path]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));
}

fn options(target: &str) -> CheckOptions {
    CheckOptions {
        target: Some(Target::parse(target).unwrap()),
        flink_lib: None,
        matrix: Vec::new(),
        provisioned: true,
        depth: Depth::Deep,
        levels: Levels::default(),
        deny_warnings: false,
        threads: 2,
    }
}

fn apache_jars_pass(version: &str) {
    let Some(lib) = support::flink_lib(version) else {
        return;
    };
    let jars: Vec<PathBuf> = ["flink-connector-files", "flink-json", "flink-csv"]
        .iter()
        .map(|p| support::lib_jar(&lib, p))
        .collect();
    let line = version.rsplit_once('.').unwrap().0;
    let report = run(&jars, &options(&format!("flink-{line}"))).unwrap();
    let errors: Vec<_> = report
        .files
        .iter()
        .flat_map(|f| f.findings.iter().map(move |x| (&f.path, x)))
        .filter(|(_, f)| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report.files.len(), 3);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn apache_connector_and_format_jars_of_1_20_have_no_errors() {
    apache_jars_pass("1.20.5");
}

#[test]
fn apache_connector_and_format_jars_of_2_2_have_no_errors() {
    apache_jars_pass("2.2.1");
}

#[test]
fn a_1_20_connector_jar_checked_against_2_2_is_flagged() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    if support::flink_lib("2.2.1").is_none() {
        return;
    }
    let jar = support::lib_jar(&lib, "flink-connector-files");
    let report = run(&[jar], &options("flink-2.2")).unwrap();
    let rules: BTreeSet<&str> = report.files[0]
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect();
    assert!(
        rules.contains("removed-flink-api")
            || rules.contains("missing-flink-member")
            || rules.contains("missing-flink-class"),
        "{rules:?}"
    );
    assert_eq!(report.exit_code(), 1);
}

/// Every provisioned line: the built-in factory table lists exactly the runtime's connector and
/// format factories (by identifier, discovery interface and class), and the shaded-library
/// table matches org/apache/flink/shaded/ of its jars.
#[test]
fn builtin_tables_match_every_provisioned_line() {
    let root = support::cache_dir().join("flink");
    let mut checked = 0;
    for line in LINES {
        for patch in line.patches.iter().rev() {
            let version = FlinkVersion::parse(&format!("{}.{patch}", line.line)).unwrap();
            let lib = root.join(version.to_string()).join("lib");
            if !lib.is_dir() {
                continue;
            }
            let runtime = RuntimeLib::open(&lib).unwrap();
            let mut actual = BTreeSet::new();
            for (name, _, _) in &runtime.jars {
                for f in inspect_jar(&JarIndex::open(&lib.join(name)).unwrap(), Some(&runtime)) {
                    for interface in &f.interfaces {
                        actual.insert((
                            f.identifier.clone().unwrap_or_default(),
                            interface.replace('.', "/"),
                            f.class.replace('.', "/"),
                        ));
                    }
                }
            }
            for b in builtin_factories(line) {
                assert!(
                    actual.contains(&(b.identifier.clone(), b.interface.clone(), b.class.clone())),
                    "{version}: {b:?} not in the jars"
                );
            }
            let builtin: BTreeSet<_> = builtin_factories(line)
                .into_iter()
                .map(|b| (b.identifier, b.interface, b.class))
                .collect();
            let connectors_and_formats: Vec<_> = actual
                .iter()
                .filter(|(_, interface, _)| {
                    interface.contains("TableSourceFactory")
                        || interface.contains("TableSinkFactory")
                        || interface.contains("SerializationFormatFactory")
                        || interface.contains("/Bulk")
                })
                .filter(|(id, _, _)| id != "legacy-csv")
                .filter(|t| !builtin.contains(*t))
                .collect();
            assert!(
                connectors_and_formats.is_empty(),
                "{version}: missing from the built-in table: {connectors_and_formats:?}"
            );
            let mut table = shaded_libraries(line);
            table.sort();
            assert_eq!(
                runtime
                    .shaded_libraries()
                    .into_iter()
                    .filter(|l| l != "io" && l != "com")
                    .collect::<Vec<_>>(),
                table,
                "{version}"
            );
            assert!(GROUPING_INTERFACES.iter().all(|g| runtime.has_class(g)
                || g.contains("FormatFactory")
                || g.ends_with("DynamicTableFactory")));
            checked += 1;
            break;
        }
    }
    support::require("at least one provisioned Flink line", checked > 0);
}

/// A jar compiled against 1.18 whose only use of a 1.18 method is its own forwarder of that
/// method (Paimon's FlinkGenericCatalog: `listProcedures(db) { return inner.listProcedures(db); }`)
/// runs on 1.17 — Flink 1.17 never calls the forwarder, and the JVM resolves the reference only
/// when it runs: a warning. Calling the same method from any other method is an error.
#[test]
fn a_later_method_used_only_by_its_own_forwarder_is_a_warning_elsewhere_an_error() {
    if !support::require_command("javac") || !support::require_command("jar") {
        return;
    }
    let (Some(lib_1_18), Some(_)) = (support::flink_lib("1.18.1"), support::flink_lib("1.17.2"))
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let body = |class: &str, method: &str| {
        format!(
            "package com.example.fwd;\n\
             import java.util.List;\n\
             import org.apache.flink.table.catalog.Catalog;\n\
             public abstract class {class} implements Catalog {{\n\
             \x20   private final Catalog inner;\n\
             \x20   protected {class}(Catalog inner) {{ this.inner = inner; }}\n\
             {method}\n\
             }}\n"
        )
    };
    let forwarder = "    @Override public List<String> listProcedures(String db) throws org.apache.flink.table.catalog.exceptions.DatabaseNotExistException { return inner.listProcedures(db); }";
    let eager = "    public int procedures(String db) throws Exception { return inner.listProcedures(db).size(); }";
    let mut jars = Vec::new();
    for (class, method) in [("ForwardingCatalog", forwarder), ("EagerCatalog", eager)] {
        let src = tmp.path().join(format!("{class}.java"));
        std::fs::write(&src, body(class, method)).unwrap();
        let classes = tmp.path().join(class);
        support::javac_sources(&[src], &support::lib_classpath(&lib_1_18, &[]), 8, &classes)
            .unwrap();
        let jar = tmp.path().join(format!("{class}.jar"));
        jar_cf(&jar, &classes, &["."]);
        jars.push(jar);
    }
    let report = run(&jars, &options("flink-1.17")).unwrap();
    let member = |file: usize| -> Vec<(Severity, String)> {
        report.files[file]
            .findings
            .iter()
            .filter(|f| f.rule == "missing-flink-member")
            .map(|f| (f.severity, f.message.clone()))
            .collect()
    };
    let forwarded = member(0);
    assert_eq!(forwarded.len(), 1, "{forwarded:?}");
    assert_eq!(forwarded[0].0, Severity::Warning, "{forwarded:?}");
    assert!(
        forwarded[0].1.contains("Catalog.listProcedures")
            && forwarded[0].1.contains("only from its own listProcedures"),
        "{forwarded:?}"
    );
    let eager = member(1);
    assert_eq!(eager.len(), 1, "{eager:?}");
    assert_eq!(eager[0].0, Severity::Error, "{eager:?}");
    assert!(!eager[0].1.contains("only from its own"), "{eager:?}");
}

/// Issue 22: a bundled Flink class is judged by the copy Flink really loads
/// (docs/classloading.md). Fluss 0.8 for 2.1 bundles `Sink` with the members of 2.1's own: a
/// warning whichever loads. Paimon 1.3.1 for 1.20 bundles `RowData`/`ArrayData` with 2.1's
/// `getVariant`: Flink's copies load (parent-first under ADD JAR; flink-table-api-java-uber
/// precedes paimon-… on the lib/ class path) and Paimon calls `getVariant` only from its own
/// `getVariant` methods: a warning. The same bundled `RowData` with a class calling `getVariant`
/// from another method, or in a jar whose name sorts before the uber jar, stays an error.
#[test]
fn bundled_flink_classes_are_judged_by_the_copy_that_loads() {
    if !support::require_command("mvn") || !support::require_command("javac") {
        return;
    }
    let (Some(lib_1_20), Some(_)) = (support::flink_lib("1.20.5"), support::flink_lib("2.1.3"))
    else {
        return;
    };
    let fluss =
        support::corpus::fetch("org.apache.fluss:fluss-flink-2.1:0.8.0-incubating").unwrap();
    let paimon = support::corpus::fetch("org.apache.paimon:paimon-flink-1.20:1.3.1").unwrap();
    let bundled = |jar: &PathBuf, target: &str, provisioned: bool| -> Vec<(Severity, String)> {
        let mut o = options(target);
        o.provisioned = provisioned;
        run(std::slice::from_ref(jar), &o).unwrap().files[0]
            .findings
            .iter()
            .filter(|f| f.rule == "bundled-flink-runtime")
            .map(|f| (f.severity, f.message.clone()))
            .collect()
    };
    for provisioned in [true, false] {
        let sink = bundled(&fluss, "flink-2.1", provisioned);
        assert_eq!(sink.len(), 1, "{sink:?}");
        assert_eq!(sink[0].0, Severity::Warning, "{sink:?}");
        assert!(
            sink[0].1.contains("sink2/Sink.class")
                && sink[0].1.contains("same super types and members"),
            "{sink:?}"
        );
        let data = bundled(&paimon, "flink-1.20", provisioned);
        assert!(
            data.iter().all(|(s, _)| *s == Severity::Warning),
            "{data:?}"
        );
        assert!(
            data.iter()
                .any(|(_, m)| m.contains("RowData.class") && m.contains("never load")),
            "{data:?}"
        );
    }
    // Paimon's own RowData copy, with a class of ours calling getVariant from `read`.
    let tmp = tempfile::tempdir().unwrap();
    let classes = tmp.path().join("classes");
    let out = std::process::Command::new("unzip")
        .args(["-q", "-o"])
        .arg(&paimon)
        .args(["org/apache/flink/table/data/RowData.class", "-d"])
        .arg(&classes)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));
    let src = tmp.path().join("Reader.java");
    std::fs::write(
        &src,
        "package com.example.variant;\n\
         public class Reader {\n\
         \x20   public Object read(org.apache.flink.table.data.RowData row) { return row.getVariant(0); }\n\
         }\n",
    )
    .unwrap();
    let classpath = format!(
        "{}:{}",
        paimon.display(),
        support::lib_classpath(&lib_1_20, &[])
    );
    support::javac_sources(&[src], &classpath, 8, &classes).unwrap();
    let mut verdicts = Vec::new();
    for (name, with_caller) in [("zz-variant.jar", true), ("a-variant.jar", false)] {
        let jar = tmp.path().join(name);
        let paths: &[&str] = if with_caller {
            &["org", "com"]
        } else {
            &["org"]
        };
        jar_cf(&jar, &classes, paths);
        verdicts.push(bundled(&jar, "flink-1.20", true));
    }
    // zz-…: Flink's RowData loads, and Reader.read calls the getVariant it lacks.
    // a-…: sorts before flink-table-api-java-uber, so in lib/ the bundled copy wins.
    for verdict in &verdicts {
        assert_eq!(verdict.len(), 1, "{verdicts:?}");
        assert_eq!(verdict[0].0, Severity::Error, "{verdicts:?}");
    }
}

/// Issue 22: a forwarder the target never calls is not always harmless. A ProcessFunction built
/// for 1.19 that initialises its state in `open(OpenContext)` (as Paimon's CopyMetaFilesFunction
/// for 1.17 does) runs on 1.19; on 1.17 one would expect a NullPointerException (1.17 calls
/// `open(Configuration)`), but the real run fails earlier: building the job lists the
/// function's methods, and `OpenContext` does not exist on 1.17 — NoClassDefFoundError. Run here
/// on both lines' real lib/; the audit's message names that failure.
#[test]
fn a_forwarder_whose_signature_the_line_lacks_fails_there_as_the_audit_says() {
    if !support::require_command("javac") || !support::require_command("jar") {
        return;
    }
    let (Some(lib_1_19), Some(lib_1_17)) =
        (support::flink_lib("1.19.3"), support::flink_lib("1.17.2"))
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("OpenInit.java");
    std::fs::write(
        &src,
        "package com.example.open;\n\
         import org.apache.flink.api.common.functions.OpenContext;\n\
         import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;\n\
         import org.apache.flink.streaming.api.functions.ProcessFunction;\n\
         import org.apache.flink.util.Collector;\n\
         public class OpenInit extends ProcessFunction<Integer, Integer> {\n\
         \x20   private StringBuilder prefix;\n\
         \x20   @Override public void open(OpenContext context) throws Exception { super.open(context); prefix = new StringBuilder(\"n\"); }\n\
         \x20   @Override public void processElement(Integer value, Context ctx, Collector<Integer> out) { out.collect(prefix.length() + value); }\n\
         }\n\
         class Main {\n\
         \x20   public static void main(String[] args) throws Exception {\n\
         \x20       StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();\n\
         \x20       env.setParallelism(1);\n\
         \x20       env.fromElements(1, 2).process(new OpenInit()).executeAndCollect().forEachRemaining(v -> {});\n\
         \x20       System.out.println(\"OK\");\n\
         \x20   }\n\
         }\n",
    )
    .unwrap();
    let classes = tmp.path().join("classes");
    support::javac_sources(&[src], &support::lib_classpath(&lib_1_19, &[]), 8, &classes).unwrap();
    let jar = tmp.path().join("open-init.jar");
    jar_cf(&jar, &classes, &["."]);
    let run_on = |lib: &std::path::Path| {
        let _heavy = support::heavy();
        let work = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("java")
            .arg(format!("-Djava.io.tmpdir={}", work.path().display()))
            .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
            .arg(support::lib_classpath(lib, &[&jar]))
            .arg("com.example.open.Main")
            .output()
            .unwrap();
        (support::stdout(&out), support::stderr(&out))
    };
    let (ok, err) = run_on(&lib_1_19);
    assert!(ok.lines().any(|l| l == "OK"), "1.19: {ok}\n{err}");
    let (ok, err) = run_on(&lib_1_17);
    assert!(!ok.lines().any(|l| l == "OK"), "1.17 ran: {ok}");
    // Not NoSuchMethodError, not the NullPointerException the uninitialised field would give:
    // the job is never built, as listing OpenInit's methods needs OpenContext.
    assert!(
        err.contains("NoClassDefFoundError: org/apache/flink/api/common/functions/OpenContext"),
        "1.17: {err}"
    );
    let report = run(std::slice::from_ref(&jar), &options("flink-1.17")).unwrap();
    let member: Vec<_> = report.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "missing-flink-member")
        .collect();
    assert_eq!(member.len(), 1, "{member:#?}");
    assert_eq!(member[0].severity, Severity::Error);
    assert!(
        member[0]
            .message
            .contains("org.apache.flink.streaming.api.functions.ProcessFunction.open(OpenContext)")
            && member[0]
                .message
                .contains("names org.apache.flink.api.common.functions.OpenContext")
            && member[0].message.contains("NoClassDefFoundError"),
        "{}",
        member[0].message
    );
}
