//! F1/F2: the Factory services file — present at the right path, parseable the way
//! ServiceLoader parses it, every listed class loadable as a Factory, every factory listed.

use std::collections::{HashMap, HashSet};

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::classfile::{ClassFile, ACC_ABSTRACT, ACC_INTERFACE, ACC_PUBLIC};
use crate::flink::runtime::{FACTORY, FACTORY_SERVICES};
use crate::inspect::classpath::Answer;
use crate::jar::services::{binary_to_internal, internal_to_binary};

pub static SERVICES_FILE_MISSING: Rule = Rule {
    id: "services-file-missing",
    family: "F1",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "No META-INF/services/org.apache.flink.table.factories.Factory: Flink finds no factory in the jar",
    why: "Flink's FactoryUtil finds table factories only through ServiceLoader over META-INF/services/org.apache.flink.table.factories.Factory. Without the file no factory is found: \"Could not find any factory for identifier\".",
    hint: "add the services file listing each factory class, and use ServicesResourceTransformer in maven-shade-plugin so shading merges instead of overwriting it",
};
pub static SERVICES_FILE_MISPLACED: Rule = Rule {
    id: "services-file-misplaced",
    family: "F1",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "A factory services file at a path ServiceLoader never reads",
    why: "ServiceLoader reads exactly META-INF/services/<interface name> at the jar root, and Flink asks only for org.apache.flink.table.factories.Factory. A file under another path or named after a sub-interface is never read. (The legacy org.apache.flink.table.factories.TableFactory file is a separate SPI and is not misplaced.)",
    hint: "move it to src/main/resources/META-INF/services/org.apache.flink.table.factories.Factory (the file is always named after Factory, not a sub-interface)",
};
pub static SERVICES_INVALID_LINE: Rule = Rule {
    id: "services-invalid-line",
    family: "F1",
    severity: Severity::Error,
    needs_class_files: false,
    summary:
        "A services file line ServiceLoader rejects: ServiceConfigurationError for every factory",
    why: "ServiceLoader validates every line of the file; one invalid class name throws ServiceConfigurationError while Flink iterates all factories, which breaks discovery for every connector in the session.",
    hint: "one fully-qualified class name per line, UTF-8, comments after #",
};
pub static SERVICES_MISSING_FACTORY: Rule = Rule {
    id: "services-missing-factory",
    family: "F1",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "A concrete factory class is not listed in the services file: \"Could not find any factory for identifier\" (a warning or note when its identifier is registered anyway, unknown, a relocated dependency's or an internal format's)",
    why: "A concrete factory that is not listed is invisible to ServiceLoader, so its identifier is unknown at run time although the class is in the jar.",
    hint: "add the class to META-INF/services/org.apache.flink.table.factories.Factory (ServicesResourceTransformer keeps every dependency's entries)",
};
pub static NO_FACTORY: Rule = Rule {
    id: "no-factory",
    family: "F1",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "The jar implements table sources or sinks but contains no table factory: CREATE TABLE cannot use it (a note for jars without table connector classes: DataStream connectors, formats, libraries)",
    why: "A SQL connector is registered only through its factories: a jar with DynamicTableSource/DynamicTableSink implementations and no factory cannot be used from CREATE TABLE, and consoles that parse uploads for factories reject it. A jar without such classes (a DataStream-only connector, a format, a library) is not a SQL connector, so only a note says it registers no identifier.",
    hint: "implement DynamicTableSourceFactory/DynamicTableSinkFactory and register it in the services file",
};
pub static PROVIDER_NOT_FOUND: Rule = Rule {
    id: "services-provider-not-found",
    family: "F2",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "The services file lists a class the jar does not contain: \"Provider … not found\"",
    why: "ServiceLoader loads each listed name with the jar's class loader; a missing class throws ServiceConfigurationError (\"Provider … not found\") while Flink iterates all factories.",
    hint: "fix the class name (after relocation, too) or remove the line",
};
pub static PROVIDER_NOT_FACTORY: Rule = Rule {
    id: "services-provider-not-factory",
    family: "F2",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "A listed class does not implement org.apache.flink.table.factories.Factory: \"not a subtype\"",
    why: "ServiceLoader checks each provider against the requested interface; a class that is not a Factory (or implements a bundled copy of Factory from another class loader) throws \"not a subtype\".",
    hint: "list only classes implementing a Factory interface; check that Flink's Factory classes are not bundled or relocated",
};
pub static PROVIDER_NOT_INSTANTIABLE: Rule = Rule {
    id: "services-provider-not-instantiable",
    family: "F2",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "A listed class is abstract, not public, or has no public no-argument constructor: \"could not be instantiated\"",
    why: "ServiceLoader instantiates providers with their public no-argument constructor; an abstract or non-public class, or one without that constructor, throws \"could not be instantiated\".",
    hint: "list the concrete factory class and give it a public no-argument constructor",
};

/// What Flink 2.2 does when ServiceLoader throws while iterating the Factory services (proved in
/// tests/audit_proof.rs): FactoryUtil fails the whole discovery, not only this jar's factories.
pub const BREAKS_ALL_DISCOVERY: &str = "ServiceLoader's failure breaks factory discovery for the \
     whole session: every table fails, built-ins like datagen included";

/// The services file of the legacy `TableFactory` SPI, which 1.x's TableFactoryService reads.
const LEGACY_TABLE_FACTORY: &str = "org.apache.flink.table.factories.TableFactory";

pub const RULES: &[&Rule] = &[
    &SERVICES_FILE_MISSING,
    &SERVICES_FILE_MISPLACED,
    &SERVICES_INVALID_LINE,
    &SERVICES_MISSING_FACTORY,
    &NO_FACTORY,
    &PROVIDER_NOT_FOUND,
    &PROVIDER_NOT_FACTORY,
    &PROVIDER_NOT_INSTANTIABLE,
];

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let misplaced = misplaced_files(ctx, out);
    let factories = factory_classes(ctx);
    match &ctx.services {
        None => {
            if misplaced {
                // The misplaced file is the cause; "missing" would repeat it.
            } else if factories.as_ref().is_some_and(|f| f.is_empty()) {
                no_factory(
                    ctx,
                    out,
                    ctx.file_name.clone(),
                    format!(
                        "{} contains no class implementing {}",
                        ctx.file_name,
                        internal_to_binary(FACTORY)
                    ),
                );
            } else {
                let found = factories
                    .as_ref()
                    .map(|f| format!("; factory classes in the jar: {}", examples(f, 5)))
                    .unwrap_or_default();
                out.add(
                    &SERVICES_FILE_MISSING,
                    FACTORY_SERVICES,
                    format!("{FACTORY_SERVICES} is missing{found}"),
                );
            }
        }
        Some(Err(reason)) => {
            out.add(
                &SERVICES_INVALID_LINE,
                FACTORY_SERVICES,
                format!("{FACTORY_SERVICES} {reason}"),
            );
        }
        Some(Ok(lines)) => {
            for line in lines {
                if let Err(reason) = &line.class {
                    out.add(
                        &SERVICES_INVALID_LINE,
                        format!("{FACTORY_SERVICES}:{}", line.line),
                        format!("line {}: {reason}", line.line),
                    );
                }
            }
            if lines.iter().all(|l| l.class.is_err())
                && factories.as_ref().is_some_and(|f| f.is_empty())
            {
                no_factory(
                    ctx,
                    out,
                    FACTORY_SERVICES.to_string(),
                    format!(
                        "{FACTORY_SERVICES} lists no usable class and the jar contains no factory"
                    ),
                );
            }
            check_providers(ctx, out);
            if let Some(factories) = &factories {
                let listed: HashSet<&str> = ctx.listed_classes().into_iter().collect();
                let legacy = legacy_listed(ctx);
                for class in factories.iter().filter(|c| !listed.contains(c.as_str())) {
                    if legacy.contains(class) {
                        continue; // registered through the legacy TableFactory SPI
                    }
                    let (severity, why) = unlisted(ctx, class);
                    out.add_at(
                        &SERVICES_MISSING_FACTORY,
                        severity,
                        format!("{}.class", binary_to_internal(class)),
                        format!("factory class {class} is not listed in {FACTORY_SERVICES}{why}"),
                    );
                }
            }
        }
    }
}

/// Classes listed in the legacy `TableFactory` services file, which 1.x's TableFactoryService
/// reads (FactoryUtil falls back to it for catalogs, e.g. Iceberg's FlinkCatalogFactory).
fn legacy_listed(ctx: &JarContext) -> HashSet<String> {
    if ctx.target.version.line.major() != 1 {
        return HashSet::new();
    }
    let name = format!("META-INF/services/{LEGACY_TABLE_FACTORY}");
    let Some(Ok(bytes)) = ctx.jar.read_named(&name, crate::bounds::SERVICES_FILE_MAX) else {
        return HashSet::new();
    };
    match crate::jar::services::parse_services(&bytes) {
        Ok(lines) => lines.into_iter().filter_map(|l| l.class.ok()).collect(),
        Err(_) => HashSet::new(),
    }
}

/// How bad an unlisted factory is, and why. An error when its identifier is simply not
/// discoverable ("Could not find any factory"); a note when a listed factory already registers
/// the same identifier for the same interface (an older or newer copy of one factory) or when it
/// is a relocated copy of a dependency's factory (under a `shaded` package; the dependency's own
/// jar registers it); a warning for a format factory in a connector that registers no format
/// (a format the connector builds itself, e.g. Hive's ORC writer).
fn unlisted(ctx: &JarContext, class: &str) -> (Severity, String) {
    let internal = binary_to_internal(class);
    if internal.split('/').any(|segment| segment == "shaded") {
        return (
            Severity::Note,
            "; it is a relocated copy of a dependency's factory (a shaded package), which that dependency's own jar registers".to_string(),
        );
    }
    // A catalog whose getFactory() returns it: tables of that catalog are created with it
    // (Fluss's FlinkTableFactory, the same on every release), only a bare `'connector'` misses it.
    if let Some(catalog) = catalog_providing(ctx, &internal) {
        return (
            Severity::Note,
            format!(
                "; the catalog {} returns it from getFactory(), so the catalog's tables use it (only CREATE TABLE with its 'connector' outside that catalog cannot find it)",
                internal_to_binary(&catalog)
            ),
        );
    }
    let info = {
        let mut classpath = ctx.classpath.borrow_mut();
        crate::inspect::factories::read_factory(&mut classpath, &internal)
    };
    let Some(info) = info else {
        return (Severity::Error, String::new());
    };
    if let Some(id) = &info.identifier {
        let same = ctx.factories.iter().find(|f| {
            f.identifier.as_ref() == Some(id)
                && f.interfaces.iter().any(|i| info.interfaces.contains(i))
        });
        if let Some(same) = same {
            return (
                Severity::Note,
                format!(
                    "; the listed {} registers the same identifier '{id}'",
                    same.class
                ),
            );
        }
    }
    let is_format = |interfaces: &[String]| {
        !interfaces.is_empty() && interfaces.iter().all(|i| i.ends_with("FormatFactory"))
    };
    if is_format(&info.interfaces) && !ctx.factories.iter().any(|f| is_format(&f.interfaces)) {
        return (
            Severity::Warning,
            "; a format factory in a jar that registers no format: discoverable only if listed (fine when the connector builds the format itself)".to_string(),
        );
    }
    match info.identifier {
        Some(id) => (
            Severity::Error,
            format!("; '{id}' cannot be discovered (\"Could not find any factory for identifier\")"),
        ),
        // Its identifier is computed (e.g. passed to a base class): whether a listed factory
        // already registers it is unknown, so no error is built on it.
        None => (
            Severity::Warning,
            "; its identifier is computed, so whether a listed factory already registers it is unknown".to_string(),
        ),
    }
}

/// The Flink catalog types a catalog implementation names (its interface or base class).
const CATALOG_TYPES: &[&str] = &[
    "org/apache/flink/table/catalog/Catalog",
    "org/apache/flink/table/catalog/AbstractCatalog",
];

/// A catalog class of the jar whose `getFactory()` names `factory` (`new`, a static call or
/// field): `Catalog#getFactory` is how Flink creates that catalog's tables.
fn catalog_providing(ctx: &JarContext, factory: &str) -> Option<String> {
    let classes = ctx.classes.as_ref()?;
    classes
        .iter()
        .filter(|c| {
            c.foreign_refs
                .iter()
                .any(|r| CATALOG_TYPES.contains(&r.as_str()))
        })
        .find(|c| {
            let Some(bytes) = super::class_bytes(ctx, &c.name) else {
                return false;
            };
            let Ok(parsed) = crate::classfile::ClassFile::parse(&bytes) else {
                return false;
            };
            let (refs, _) = super::load_path::load_path_refs(&parsed, &["getFactory"]);
            let named = refs.iter().skip(1 + parsed.interfaces.len());
            named.into_iter().any(|r| r == factory)
        })
        .map(|c| c.name.clone())
}

/// The table connector interfaces whose implementations only a factory makes usable in SQL.
const TABLE_CONNECTOR_API: &[&str] = &[
    "org/apache/flink/table/connector/source/DynamicTableSource",
    "org/apache/flink/table/connector/source/ScanTableSource",
    "org/apache/flink/table/connector/source/LookupTableSource",
    "org/apache/flink/table/connector/sink/DynamicTableSink",
];

/// No factory: an error when the jar implements table sources/sinks (a SQL connector whose
/// factory is missing), a note otherwise (DataStream connectors, formats and libraries register
/// no identifier by design).
fn no_factory(ctx: &JarContext, out: &mut Findings, location: String, message: String) {
    // Concrete classes of the jar's own: abstract bases and bundled copies of Flink's classes
    // (flink-connector-base's AsyncDynamicTableSink in a SQL uber jar) are not its connector.
    let table_classes: Vec<&str> = ctx
        .base_classes()
        .filter(|c| c.access & (ACC_ABSTRACT | ACC_INTERFACE) == 0)
        .filter(|c| !ctx.runtime.is_some_and(|r| r.has_class(&c.name)))
        .filter(|c| {
            c.interfaces
                .iter()
                .chain(&c.super_name)
                .any(|i| TABLE_CONNECTOR_API.contains(&i.as_str()))
        })
        .map(|c| c.name.as_str())
        .collect();
    if table_classes.is_empty() {
        out.add_at(
            &NO_FACTORY,
            Severity::Note,
            location,
            format!("{message}; it has no table source or sink either, so it is not a SQL connector (usable from the DataStream API or as a library)"),
        );
    } else {
        let classes: Vec<String> = table_classes
            .iter()
            .map(|c| internal_to_binary(c))
            .collect();
        out.add(
            &NO_FACTORY,
            location,
            format!(
                "{message}, yet it implements table sources/sinks ({}) that CREATE TABLE can only reach through a factory",
                examples(&classes, 3)
            ),
        );
    }
}

/// Files that look meant for Factory discovery but sit where ServiceLoader never looks.
fn misplaced_files(ctx: &JarContext, out: &mut Findings) -> bool {
    let mut found = false;
    for entry in ctx.jar.entries().iter().filter(|e| !e.is_dir) {
        let name = entry.name.as_str();
        let file = name.rsplit('/').next().unwrap_or(name);
        let dir = &name[..name.len() - file.len()];
        let factory_file = file == "org.apache.flink.table.factories.Factory";
        // TableFactory is the separate legacy SPI (TableFactoryService on 1.x), not a
        // misnamed Factory file.
        let sub_interface = dir == "META-INF/services/"
            && file.starts_with("org.apache.flink.table.factories.")
            && file.ends_with("Factory")
            && !factory_file
            && file != LEGACY_TABLE_FACTORY;
        if (factory_file && name != FACTORY_SERVICES) || sub_interface {
            found = true;
            let why = if sub_interface {
                format!("{name} is named after a Factory sub-interface; Flink only reads {FACTORY_SERVICES}")
            } else {
                format!("{name} is not at {FACTORY_SERVICES}; ServiceLoader ignores it")
            };
            out.add(&SERVICES_FILE_MISPLACED, name, why);
        }
    }
    found
}

/// Checks each listed class the way ServiceLoader would load and instantiate it.
fn check_providers(ctx: &JarContext, out: &mut Findings) {
    let mut classpath = ctx.classpath.borrow_mut();
    for class in ctx.listed_classes() {
        let internal = binary_to_internal(class);
        let entry = format!("{internal}.class");
        let in_jar = ctx.jar.contains(&entry);
        let in_runtime = ctx.runtime.is_some_and(|r| r.has_class(&internal));
        if !in_jar {
            if in_runtime {
                out.add_at(
                    &PROVIDER_NOT_FOUND,
                    Severity::Warning,
                    FACTORY_SERVICES,
                    format!("{class} is listed but provided by the Flink runtime, not by this jar"),
                );
            } else {
                out.add(
                    &PROVIDER_NOT_FOUND,
                    FACTORY_SERVICES,
                    format!(
                        "{class} is listed but the jar has no {entry} (\"Provider {class} not \
                         found\"); {BREAKS_ALL_DISCOVERY}"
                    ),
                );
            }
            continue;
        }
        let Some((bytes, _)) = classpath.class_bytes(&internal) else {
            continue;
        };
        let Ok(parsed) = ClassFile::parse(&bytes) else {
            continue;
        };
        let mut problems = Vec::new();
        if parsed.access & (ACC_ABSTRACT | ACC_INTERFACE) != 0 {
            problems.push(if parsed.is_interface() {
                "is an interface"
            } else {
                "is abstract"
            });
        }
        if parsed.access & ACC_PUBLIC == 0 {
            problems.push("is not public");
        }
        if !parsed.has_public_no_arg_constructor() {
            problems.push("has no public no-argument constructor");
        }
        if !problems.is_empty() {
            out.add(
                &PROVIDER_NOT_INSTANTIABLE,
                entry.clone(),
                format!(
                    "{class} {} (\"Provider {class} could not be instantiated\"); \
                     {BREAKS_ALL_DISCOVERY}",
                    problems.join(" and ")
                ),
            );
        }
        match classpath.is_subtype_of(&internal, FACTORY) {
            Answer::Yes => {}
            Answer::No => {
                out.add(
                    &PROVIDER_NOT_FACTORY,
                    entry,
                    format!("{class} does not implement {}", internal_to_binary(FACTORY)),
                );
            }
            Answer::Unknown => {
                let missing = unreadable_ancestors(&mut classpath, &internal);
                out.add_at(&PROVIDER_NOT_FACTORY, Severity::Warning, entry, format!(
                    "cannot tell whether {class} implements Factory: {} found in neither the jar nor the runtime (NoClassDefFoundError makes Flink skip it)",
                    examples(&missing, 3)
                ));
            }
        }
    }
}

fn unreadable_ancestors(
    classpath: &mut crate::inspect::classpath::ClassPath,
    class: &str,
) -> Vec<String> {
    let (ancestors, _) = classpath.ancestors(class);
    ancestors
        .into_iter()
        .filter(|a| !a.starts_with("java/") && !a.starts_with("javax/"))
        .filter(|a| classpath.header(a).is_none())
        .map(|a| internal_to_binary(&a))
        .collect()
}

/// Concrete public classes with a public no-arg constructor that implement Factory (binary
/// names), or `None` when class files were not read (layout mode).
fn factory_classes(ctx: &JarContext) -> Option<Vec<String>> {
    let classes = ctx.classes.as_ref()?;
    let by_name: HashMap<&str, (&Option<String>, &Vec<String>)> = ctx
        .base_classes()
        .map(|c| (c.name.as_str(), (&c.super_name, &c.interfaces)))
        .collect();
    let mut memo: HashMap<String, bool> = HashMap::new();
    let mut classpath = ctx.classpath.borrow_mut();
    let mut reaches = |start: &str| -> bool {
        // Iterative walk: the jar's own classes from the facts, anything else via the class path.
        let mut stack = vec![start.to_string()];
        let mut seen = HashSet::new();
        while let Some(name) = stack.pop() {
            if name == FACTORY || memo.get(&name) == Some(&true) {
                return true;
            }
            if !seen.insert(name.clone()) || name.starts_with("java/") {
                continue;
            }
            match by_name.get(name.as_str()) {
                Some((super_name, interfaces)) => {
                    stack.extend(super_name.iter().cloned());
                    stack.extend(interfaces.iter().cloned());
                }
                None => {
                    let yes = *memo
                        .entry(name.clone())
                        .or_insert_with(|| classpath.is_subtype_of(&name, FACTORY) == Answer::Yes);
                    if yes {
                        return true;
                    }
                }
            }
        }
        false
    };
    let mut found: Vec<String> = classes
        .iter()
        .filter(|c| c.release_dir().is_none())
        .filter(|c| {
            c.access & ACC_PUBLIC != 0
                && c.access & (ACC_ABSTRACT | ACC_INTERFACE) == 0
                && c.public_no_arg_ctor
        })
        .filter(|c| reaches(&c.name))
        .map(|c| internal_to_binary(&c.name))
        .collect();
    found.sort();
    Some(found)
}
