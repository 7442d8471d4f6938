//! pom.xml rules, on the effective model (parents, dependencyManagement, pluginManagement
//! applied; see `crate::pom`): Flink dependencies provided, the planner kept out of what ships,
//! the fat jar (shade or assembly `jar-with-dependencies`) merging service files, dropping
//! signatures and relocating what it bundles, and `flink.version` on the target's line.
//! Nothing is concluded from a parent that could not be read: those parts are "unknown" notes.

use crate::check::finding::{examples, FindingExt, Findings, Rule, Severity};
use crate::check::target::{version_from_text, Target};
use crate::pom::{contributed, Dependency, EffectivePom, Element, Resolver};

use super::scala::{foreign_scala_suffix, SUFFIX_MISMATCH};

pub static FLINK_NOT_PROVIDED: Rule = Rule {
    id: "pom-flink-not-provided",
    family: "F6",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "A Flink runtime dependency is not in provided/test scope: the fat jar bundles it (error), or consumers inherit it (warning)",
    why: "Flink's own classes in the connector jar conflict with the runtime's copies (LinkageError, ClassCastException, NoSuchMethodError; see bundled-flink-runtime); a thin jar that does not bundle them still hands them to every consumer in compile scope.",
    hint: "add <scope>provided</scope> (managed platforms reject runtime-layer jars)",
};
pub static CONNECTOR_BASE_BUNDLED: Rule = Rule {
    id: "pom-connector-base-bundled",
    family: "F6",
    severity: Severity::Note,
    needs_class_files: false,
    summary:
        "flink-connector-base in compile scope: fine for a SQL uber jar, otherwise make it provided",
    why: "flink-connector-base ships in flink-dist; bundling it is the convention only for flink-sql-connector-* uber jars.",
    hint: "use <scope>provided</scope> unless this is a flink-sql-connector-* uber jar",
};
pub static PLANNER_DEPENDENCY: Rule = Rule {
    id: "pom-planner-dependency",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "flink-table-planner (not the loader) outside test scope: bundled it clashes with the runtime's planner (error); provided, the code may compile against planner internals Flink hides at run time (note)",
    why: "Since 1.15 Flink loads the planner through flink-table-planner-loader in its own class loader; the planner's classes are not on the job's class path. A bundled planner is a second planner next to the runtime's; a provided one is only a compile-time dependency, harmless unless code uses its internals.",
    hint: "depend on flink-table-planner-loader (provided) or keep flink-table-planner_2.12 in test scope",
};
pub static VERSION_MISMATCH: Rule = Rule {
    id: "pom-flink-version-mismatch",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "flink.version differs from the target runtime's: another major line or a managed engine's version (error), another minor line or patch (warning)",
    why: "Flink keeps @Public APIs stable within a major version only; code compiled against another major line uses APIs the runtime lacks, and managed engines require flink.version to equal the engine's.",
    hint: "set flink.version to the runtime's version (managed platforms require them to be equal)",
};
pub static VERSION_UNSUPPORTED: Rule = Rule {
    id: "pom-flink-version-unsupported",
    family: "F11",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "flink.version names a Flink line this audit has no knowledge of; line-specific checks were not run for it",
    why: "The audit's per-line knowledge (APIs, class versions, shaded libraries) covers 1.17 … 2.3; for other lines it cannot say what runs.",
    hint: "build against a supported line (1.17 … 2.3), or pass --target for the runtime you deploy to",
};
pub static SHADE_MISSING: Rule = Rule {
    id: "pom-shade-plugin-missing",
    family: "F1",
    severity: Severity::Warning,
    needs_class_files: false,
    summary:
        "Compile-scope dependencies but no fat jar (shade or assembly plugin): they are not in the connector jar",
    why: "Without a fat jar (shade, or assembly jar-with-dependencies), compile-scope dependencies are not in the jar Flink loads: ClassNotFoundException at run time.",
    hint: "add maven-shade-plugin with ServicesResourceTransformer and relocations",
};
pub static SHADE_NO_SERVICES_TRANSFORMER: Rule = Rule {
    id: "pom-shade-no-services-transformer",
    family: "F1",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "maven-shade-plugin bundles dependencies without ServicesResourceTransformer: the project's own META-INF/services file of each name wins, the bundled dependencies' service entries are dropped",
    why: "Without ServicesResourceTransformer maven-shade-plugin keeps the first META-INF/services file of each name, the project's own (built here with shade 3.5.1 and flink-json: only the project's factory remained, tests/check_pom.rs), and drops the bundled dependencies' ones, so their SPI implementations (bundled formats' factories, JDBC drivers …) never register.",
    hint: "add <transformer implementation=\"org.apache.maven.plugins.shade.resource.ServicesResourceTransformer\"/>",
};
pub static SHADE_NO_SIGNATURE_FILTER: Rule = Rule {
    id: "pom-shade-no-signature-filter",
    family: "F9",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "maven-shade-plugin does not exclude META-INF/*.SF, *.DSA, *.RSA: signed dependencies break the jar",
    why: "Shading a signed dependency copies its signature files; they no longer match the shaded jar (see signature-file).",
    hint: "add a <filter> for *:* excluding META-INF/*.SF, META-INF/*.DSA, META-INF/*.RSA",
};
pub static NOT_RELOCATED: Rule = Rule {
    id: "pom-dependency-not-relocated",
    family: "F8",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "A bundled dependency's packages are not covered by a shade <relocation>",
    why: "Unrelocated bundled packages clash with other copies on the class path (see unrelocated-library).",
    hint: "add <relocation><pattern>the.package</pattern><shadedPattern>your.package.shaded.the.package</shadedPattern></relocation>",
};
pub static ASSEMBLY_FAT_JAR: Rule = Rule {
    id: "pom-assembly-fat-jar",
    family: "F1",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "maven-assembly-plugin's jar-with-dependencies unpacks every compile/runtime dependency as is: one META-INF/services file per name survives, and not the project's; nothing relocated; signature files kept (error when a bundled Flink format or connector brings its own Factory file)",
    why: "The predefined jar-with-dependencies descriptor has no metaInf-services handler. Built here with maven-assembly-plugin 3.7.1, a project bundling flink-json got flink-json's Factory services file and lost its own, so Flink finds none of the connector's factories (tests/check_pom.rs builds it). Packages are not relocated, and META-INF/*.SF of signed dependencies are copied (SecurityException on load).",
    hint: "build the connector jar with maven-shade-plugin (ServicesResourceTransformer, signature excludes, relocations), or a custom assembly descriptor with the metaInf-services handler",
};

pub const RULES: &[&Rule] = &[
    &FLINK_NOT_PROVIDED,
    &CONNECTOR_BASE_BUNDLED,
    &PLANNER_DEPENDENCY,
    &VERSION_MISMATCH,
    &VERSION_UNSUPPORTED,
    &SHADE_MISSING,
    &SHADE_NO_SERVICES_TRANSFORMER,
    &SHADE_NO_SIGNATURE_FILTER,
    &NOT_RELOCATED,
    &ASSEMBLY_FAT_JAR,
];

/// Flink formats and connectors, which register their own factories in
/// META-INF/services/org.apache.flink.table.factories.Factory.
fn carries_factory_services(dep: &Dependency) -> bool {
    const FORMATS: &[&str] = &[
        "flink-json",
        "flink-csv",
        "flink-avro",
        "flink-parquet",
        "flink-orc",
        "flink-protobuf",
        "flink-avro-confluent-registry",
        "flink-connector-datagen",
    ];
    dep.group_id == "org.apache.flink"
        && (FORMATS.contains(&dep.artifact_id.as_str())
            || dep.artifact_id.starts_with("flink-sql-")
            || (dep.artifact_id.starts_with("flink-connector-")
                && dep.artifact_id != "flink-connector-base"))
}

/// Flink's relocated third-party libraries (flink-shaded-guava, -jackson, …); not
/// flink-shaded-force-shading, an empty marker that only makes the shade plugin run.
fn is_flink_shaded_library(artifact: &str) -> bool {
    artifact.starts_with("flink-shaded-") && artifact != "flink-shaded-force-shading"
}

/// Artifacts of the Flink runtime (flink-dist, the table uber jar, lib/) or its shaded libraries.
fn is_runtime_artifact(artifact: &str) -> bool {
    const EXACT: &[&str] = &[
        "flink-core",
        "flink-java",
        "flink-streaming-java",
        "flink-clients",
        "flink-runtime",
        "flink-annotations",
        "flink-metrics-core",
        "flink-table-common",
        "flink-table-api-java",
        "flink-table-api-java-bridge",
        "flink-table-api-bridge-base",
        "flink-table-runtime",
        "flink-table-planner-loader",
        "flink-cep",
        "flink-dist",
        "flink-connector-files",
        "flink-json",
        "flink-csv",
        "flink-rpc-core",
        "flink-core-api",
        "flink-datastream-api",
        "flink-table-api-java-uber",
    ];
    EXACT.contains(&artifact)
        || artifact.starts_with("flink-streaming-scala")
        || artifact.starts_with("flink-table-api-scala")
        || artifact.starts_with("flink-scala")
}

/// The Flink version a POM declares: `flink.version`, else the version of a Flink runtime
/// dependency.
pub enum Declared {
    /// A supported line: the target it means and where it was read ("pom.xml flink.version = 1.20.1").
    Line(Target, String),
    /// A version outside the supported lines (e.g. 1.12.7): never replaced by an assumption.
    Unsupported { text: String, source: String },
}

struct DeclaredAt {
    text: String,
    file: usize,
    line: usize,
    what: &'static str,
}

fn declared_at(pom: &EffectivePom) -> Option<DeclaredAt> {
    if let Some(p) = pom.properties.get("flink.version") {
        return Some(DeclaredAt {
            text: pom.interpolate(&p.value),
            file: p.file,
            line: p.line,
            what: "flink.version",
        });
    }
    // flink-shaded-* are not in the list: their versions are flink-shaded's (17.0), not Flink's.
    pom.dependencies
        .iter()
        .find(|d| d.group_id == "org.apache.flink" && is_runtime_artifact(&d.artifact_id))
        .and_then(|d| {
            Some(DeclaredAt {
                text: d.version.clone()?,
                file: d.file,
                line: d.line,
                what: "the Flink dependency version",
            })
        })
}

pub fn declared(pom: &EffectivePom) -> Option<Declared> {
    let at = declared_at(pom)?;
    let location = pom.location(at.file, at.line);
    let file = location
        .rsplit_once(':')
        .map_or(location.as_str(), |(f, _)| f);
    let source = format!("{file} {} = {}", at.what, at.text);
    if at.text.contains("${") {
        return None;
    }
    Some(match version_from_text(&at.text) {
        Some((version, exact)) => Declared::Line(Target::for_version(version, exact, None), source),
        None => Declared::Unsupported {
            text: at.text,
            source,
        },
    })
}

/// `major.minor` of a version text, for comparing lines the tool does not know.
fn line_of(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split(|c: char| !c.is_ascii_digit());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// How the project's jar is built: which dependencies end up in it, and how.
struct Packaging<'p> {
    /// Effective configurations (execution over plugin) of active shade executions.
    shade: Vec<Element>,
    /// The plugin element of an active assembly `jar-with-dependencies`.
    assembly: Option<&'p Element>,
}

fn active_executions(plugin: &Element, goal: &str) -> Vec<Element> {
    let plugin_config = plugin.child("configuration");
    plugin
        .child("executions")
        .into_iter()
        .flat_map(|e| e.children_named("execution"))
        .filter(|e| {
            e.child("goals")
                .is_some_and(|g| g.children_named("goal").any(|g| g.text.trim() == goal))
                && e.text_of("phase") != Some("none")
        })
        .map(|e| match (e.child("configuration"), plugin_config) {
            (Some(own), Some(shared)) => crate::pom::merge::merge_xml(own, shared),
            (Some(own), None) => own.clone(),
            (None, Some(shared)) => shared.clone(),
            (None, None) => Element::default(),
        })
        .collect()
}

fn packaging(pom: &EffectivePom) -> Packaging<'_> {
    let shade = pom
        .plugin("maven-shade-plugin")
        .map(|p| active_executions(p, "shade"))
        .unwrap_or_default();
    let assembly = pom.plugin("maven-assembly-plugin").filter(|p| {
        let refs = |config: &Element| {
            config
                .descendants()
                .iter()
                .any(|d| d.name == "descriptorRef" && d.text.trim() == "jar-with-dependencies")
        };
        let executions = active_executions(p, "single");
        !executions.is_empty() && executions.iter().any(refs)
    });
    Packaging { shade, assembly }
}

/// `*`/`?` wildcards within one segment, as shade's artifact selectors use them.
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

/// Whether a shade execution's `<artifactSet>` takes `dep` into the jar.
fn shade_includes(config: &Element, pom: &EffectivePom, dep: &Dependency) -> bool {
    shade_includes_artifact(config, pom, &dep.group_id, &dep.artifact_id)
}

/// Whether the shade plugin's artifactSet takes the artifact `group_id:artifact_id`.
fn shade_includes_artifact(
    config: &Element,
    pom: &EffectivePom,
    group_id: &str,
    artifact_id: &str,
) -> bool {
    let matches = |pattern: &str| {
        let pattern = pom.interpolate(pattern);
        let mut parts = pattern.split(':');
        let g = parts.next().unwrap_or("*");
        let a = parts.next().unwrap_or("*");
        glob(g, group_id) && glob(a, artifact_id)
    };
    let set = config.child("artifactSet");
    let list = |kind: &str| -> Vec<String> {
        set.and_then(|s| s.child(kind))
            .map(|l| {
                l.children
                    .iter()
                    .map(|i| i.text.trim().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let includes = list("includes");
    (includes.is_empty() || includes.iter().any(|p| matches(p)))
        && !list("excludes").iter().any(|p| matches(p))
}

/// Whether `needle` is in the text or an attribute of `e` or below (shade transformers are
/// usually written `<transformer implementation="…"/>`).
fn text_contains(e: &Element, needle: &str) -> bool {
    e.descendants()
        .iter()
        .any(|d| d.text.contains(needle) || d.attributes.iter().any(|(_, v)| v.contains(needle)))
}

/// The dependencies the built jar contains (direct ones; shade's artifactSet applied), or
/// `None` when that is unknown (an unread parent or a dependency of unknown scope).
pub fn bundled_dependencies(pom: &EffectivePom) -> Option<Vec<&Dependency>> {
    if pom.parent_unknown || pom.dependencies.iter().any(|d| d.scope.is_none()) {
        return None;
    }
    let packaging = packaging(pom);
    Some(
        pom.dependencies
            .iter()
            .filter(|d| {
                d.ships() == Some(true)
                    && (packaging.assembly.is_some()
                        || packaging.shade.iter().any(|c| shade_includes(c, pom, d)))
            })
            .collect(),
    )
}

/// Checks the effective POM; returns notes on what was assumed or could not be checked.
pub fn check(
    pom: &EffectivePom,
    target: Option<&Target>,
    resolver: &mut Resolver,
    out: &mut Findings,
) -> Vec<String> {
    let mut notes: Vec<String> = pom.unresolved.clone();
    if pom.packaging == "pom" {
        let modules = if pom.modules.is_empty() {
            String::new()
        } else {
            format!(" (modules: {})", examples(&pom.modules, 6))
        };
        notes.push(format!(
            "packaging pom: this POM builds no jar{modules}; its plugins and dependencies are checked in the modules that inherit them"
        ));
        check_version(pom, target, out, &mut notes);
        return notes;
    }
    let packaging = packaging(pom);
    // Which dependencies the built jar contains: `None` when the packaging is unknown.
    let fat = !packaging.shade.is_empty() || packaging.assembly.is_some();
    let bundled = |d: &Dependency| -> Option<bool> {
        if pom.parent_unknown {
            return None;
        }
        Some(
            d.ships()?
                && (packaging.assembly.is_some()
                    || packaging.shade.iter().any(|c| shade_includes(c, pom, d))),
        )
    };
    let unknown_scopes: Vec<String> = pom
        .dependencies
        .iter()
        .filter(|d| d.scope.is_none())
        .map(Dependency::coordinates)
        .collect();
    if !unknown_scopes.is_empty() {
        notes.push(format!(
            "scope unknown (not declared here, and the POM that may manage it was not read): {}",
            examples(&unknown_scopes, 4)
        ));
    }
    for dep in &pom.dependencies {
        let at = pom.location(dep.file, dep.line);
        let coordinates = dep.coordinates();
        let scope = dep.scope.as_deref().unwrap_or("unknown");
        if let (Some(suffix), Some(true)) = (foreign_scala_suffix(&dep.artifact_id), dep.ships()) {
            out.add(
                &SUFFIX_MISMATCH,
                at.clone(),
                format!(
                    "{coordinates} ({scope} scope, so it ships) is built for Scala {}; Flink uses 2.12",
                    &suffix[1..]
                ),
            )
            .with_line(dep.line);
        }
        if dep.group_id != "org.apache.flink" {
            continue;
        }
        let in_jar = bundled(dep);
        let shipped_severity = match in_jar {
            Some(true) => Severity::Error,
            _ => Severity::Warning,
        };
        let consequence = match in_jar {
            Some(true) => "the connector jar bundles it",
            Some(false) => {
                "not bundled into this jar, but every consumer inherits it in that scope"
            }
            None => "whether the jar bundles it is unknown (the parent was not read)",
        };
        if dep.artifact_id.starts_with("flink-table-planner_") {
            match dep.scope.as_deref() {
                Some("test") | None => {}
                Some("provided") | Some("system") => {
                    out.add_at(
                        &PLANNER_DEPENDENCY,
                        Severity::Note,
                        at,
                        format!("{coordinates} has scope provided: it is not on the class path at run time (Flink hides the planner behind flink-table-planner-loader), so code that uses its classes fails with NoClassDefFoundError; the jar audit's planner-internal-reference shows whether any class does"),
                    )
                    .with_line(dep.line);
                }
                Some(_) if dep.ships() == Some(true) => {
                    out.add_at(
                        &PLANNER_DEPENDENCY,
                        shipped_severity,
                        at,
                        format!("{coordinates} has scope {scope}: {consequence}, next to the runtime's own planner"),
                    )
                    .with_line(dep.line);
                }
                Some(_) => {}
            }
        } else if dep.artifact_id == "flink-connector-base" && dep.ships() == Some(true) {
            out.add(
                &CONNECTOR_BASE_BUNDLED,
                at,
                format!("{coordinates} has scope {scope}"),
            )
            .with_line(dep.line);
        } else if is_flink_shaded_library(&dep.artifact_id) && in_jar == Some(true) {
            // Flink loads org.apache.flink.* parent-first: the runtime's copy of the same
            // shaded library wins, and a version the runtime lacks loads from the jar. Flink CDC
            // bundles flink-shaded-guava this way on purpose.
            out.add_at(
                &FLINK_NOT_PROVIDED,
                Severity::Note,
                at,
                format!("{coordinates} has scope {scope}: the jar bundles Flink's shaded library; harmless (org.apache.flink.* loads parent-first, and a version the runtime lacks loads from the jar), only larger"),
            )
            .with_line(dep.line);
        } else if is_runtime_artifact(&dep.artifact_id) && dep.ships() == Some(true) {
            out.add_at(
                &FLINK_NOT_PROVIDED,
                shipped_severity,
                at,
                format!("{coordinates} has scope {scope}: {consequence}"),
            )
            .with_line(dep.line);
        }
    }
    check_version(pom, target, out, &mut notes);
    if pom.parent_unknown {
        notes.push("the shade/assembly configuration may be inherited from the unread parent: fat-jar rules not run".into());
        return notes;
    }
    let shipped: Vec<&Dependency> = pom
        .dependencies
        .iter()
        .filter(|d| d.ships() == Some(true) && d.group_id != "org.apache.flink")
        .collect();
    if !fat && !shipped.is_empty() {
        let names: Vec<String> = shipped.iter().map(|d| d.coordinates()).collect();
        let why = if pom.plugin("maven-shade-plugin").is_some() {
            "maven-shade-plugin is declared but no execution runs its shade goal (it has no default binding)"
        } else {
            "no maven-shade-plugin (or assembly jar-with-dependencies)"
        };
        out.add(
            &SHADE_MISSING,
            pom.location(shipped[0].file, shipped[0].line),
            format!(
                "{why}, so the jar lacks the compile dependencies {}",
                examples(&names, 3)
            ),
        )
        .with_line(shipped[0].line);
    }
    if let Some(assembly) = packaging.assembly {
        let all: Vec<&Dependency> = pom
            .dependencies
            .iter()
            .filter(|d| d.ships() == Some(true))
            .collect();
        let carriers: Vec<String> = all
            .iter()
            .filter(|d| carries_factory_services(d))
            .map(|d| d.coordinates())
            .collect();
        let names: Vec<String> = all.iter().map(|d| d.coordinates()).collect();
        if !carriers.is_empty() {
            out.add_at(
                &ASSEMBLY_FAT_JAR,
                Severity::Error,
                pom.location(assembly.origin, assembly.line),
                format!(
                    "jar-with-dependencies bundles {}, whose own META-INF/services/org.apache.flink.table.factories.Factory replaces the project's: Flink finds none of this connector's factories",
                    examples(&carriers, 3)
                ),
            )
            .with_line(assembly.line);
        } else if !names.is_empty() {
            out.add(
                &ASSEMBLY_FAT_JAR,
                pom.location(assembly.origin, assembly.line),
                format!(
                    "jar-with-dependencies unpacks {} into the jar without merging META-INF/services (a dependency's file of the same name replaces the project's), relocating packages or dropping signature files",
                    examples(&names, 3)
                ),
            )
            .with_line(assembly.line);
        }
    }
    let shade_plugin = pom.plugin("maven-shade-plugin");
    for config in &packaging.shade {
        let (file, line) = shade_plugin.map_or((0, 1), |p| (p.origin, p.line));
        let at = pom.location(file, line);
        // Flink artifacts count for services and signatures (pom-flink-not-provided says
        // whether they belong in the jar at all), not for relocation.
        let bundled_all: Vec<&Dependency> = pom
            .dependencies
            .iter()
            .filter(|d| d.ships() == Some(true) && shade_includes(config, pom, d))
            .collect();
        if bundled_all.is_empty() {
            continue;
        }
        let bundled: Vec<&Dependency> = bundled_all
            .iter()
            .copied()
            .filter(|d| d.group_id != "org.apache.flink")
            .collect();
        let names: Vec<String> = bundled_all.iter().map(|d| d.coordinates()).collect();
        if !text_contains(config, "ServicesResourceTransformer") {
            out.add(
                &SHADE_NO_SERVICES_TRANSFORMER,
                at.clone(),
                format!(
                    "maven-shade-plugin bundles {} but has no ServicesResourceTransformer",
                    examples(&names, 3)
                ),
            )
            .with_line(line);
        }
        if !text_contains(config, "*.SF") {
            out.add(
                &SHADE_NO_SIGNATURE_FILTER,
                at,
                "maven-shade-plugin has no filter excluding META-INF/*.SF",
            )
            .with_line(line);
        }
        let patterns: Vec<String> = config
            .descendants()
            .into_iter()
            .filter(|e| e.name == "relocation")
            .filter_map(|r| r.text_of("pattern").map(|p| pom.interpolate(p)))
            .collect();
        for dep in bundled {
            let included = |g: &str, a: &str| {
                g != "org.apache.flink" && shade_includes_artifact(config, pom, g, a)
            };
            let bundle = contributed::bundle(dep, &pom.dependencies, &included, resolver);
            notes.extend(bundle.unknown.iter().map(|why| {
                format!(
                    "{}: relocation of {} not judged for {why}",
                    pom.location(dep.file, dep.line),
                    dep.coordinates()
                )
            }));
            let mut uncovered: Vec<String> = Vec::new();
            for artifact in &bundle.artifacts {
                let packages: Vec<&String> = artifact
                    .packages
                    .iter()
                    .filter(|p| !contributed::relocated(p, &patterns))
                    .collect();
                if packages.is_empty() {
                    continue;
                }
                let from = match &artifact.via {
                    None => String::new(),
                    Some(_) => format!(
                        " (from {}:{}, which it brings)",
                        artifact.gav.group_id, artifact.gav.artifact_id
                    ),
                };
                uncovered.push(format!("{}{from}", examples(&packages, 3)));
            }
            if !uncovered.is_empty() {
                out.add(
                    &NOT_RELOCATED,
                    pom.location(dep.file, dep.line),
                    format!(
                        "{} is bundled but no <relocation> covers {}",
                        dep.coordinates(),
                        uncovered.join("; ")
                    ),
                )
                .with_line(dep.line);
            }
        }
    }
    notes
}

fn check_version(
    pom: &EffectivePom,
    target: Option<&Target>,
    out: &mut Findings,
    notes: &mut Vec<String>,
) {
    let Some(at) = declared_at(pom) else {
        if pom.parent_unknown {
            notes.push(
                "flink.version unknown: not set here, and the parent that may set it was not read"
                    .into(),
            );
        }
        return;
    };
    if at.text.contains("${") {
        notes.push(format!(
            "{} {} has an unresolved property: version not compared",
            pom.location(at.file, at.line),
            at.text
        ));
        return;
    }
    let location = pom.location(at.file, at.line);
    let known = version_from_text(&at.text);
    // With a target the line checks ran (against the target); only the mismatch is news.
    if known.is_none() && target.is_none() {
        let supported = crate::flink::LINES
            .iter()
            .map(|l| l.line)
            .collect::<Vec<_>>()
            .join(", ");
        out.add(
            &VERSION_UNSUPPORTED,
            location.clone(),
            format!(
                "{} {} is an unsupported line (supported: {supported}): line-specific checks were not run for it",
                at.what, at.text
            ),
        )
        .with_line(at.line);
    }
    let Some(target) = target else {
        return;
    };
    let (line_differs, patch_differs) = match known {
        Some((version, exact)) => (
            version.line.line != target.version.line.line,
            exact && target.exact_patch && version.patch != target.version.patch,
        ),
        None => (
            line_of(&at.text) != line_of(target.version.line.line),
            false,
        ),
    };
    let major_differs = line_of(&at.text).map(|(major, _)| major)
        != line_of(target.version.line.line).map(|(major, _)| major);
    if line_differs || patch_differs {
        // Flink keeps @Public APIs stable across the minor lines of a major version, so another
        // minor line is a risk the jar audit settles (it checks the API the classes use); another
        // major line breaks, and managed engines require the exact version.
        let severity = if major_differs || (line_differs && target.engine.is_some()) {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.add_at(
            &VERSION_MISMATCH,
            severity,
            location,
            format!(
                "{} is {}{} but the target is {target}",
                at.what,
                at.text,
                if known.is_none() {
                    " (not a supported line)"
                } else {
                    ""
                }
            ),
        )
        .with_line(at.line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_within_a_segment() {
        assert!(glob("org.apache.kafka", "org.apache.kafka"));
        assert!(glob("flink-connector-*", "flink-connector-kafka"));
        assert!(glob("*", "x"));
        assert!(glob("org.apache.*", "org.apache.x") && !glob("org.apache.*", "org.example.x"));
        assert!(!glob("a?c", "abbc"));
    }

    #[test]
    fn lines_of_unknown_versions_compare_numerically() {
        assert_eq!(line_of("1.12.7"), Some((1, 12)));
        assert_eq!(line_of("2.2"), Some((2, 2)));
        assert_ne!(line_of("1.12.7"), line_of("1.20"));
    }
}
