//! Reads each factory of a jar from bytecode: identifier, factory interfaces, and the options
//! `requiredOptions()` / `optionalOptions()` return, resolving `ConfigOption` constants through
//! class initialisers (the jar's, Flink's, or the built-in table).

use std::collections::HashSet;

use serde::Serialize;

use super::classpath::{Answer, ClassPath};
use super::eval::{self, OptionSpec, Value};
use crate::classfile::bytecode::{instructions, op};
use crate::classfile::ClassFile;
use crate::flink::runtime::{FACTORY_SERVICES, GROUPING_INTERFACES};
use crate::jar::services::{binary_to_internal, internal_to_binary, read_services};

/// Shown wherever a value exists only at run time.
pub const UNKNOWN: &str = "unknown (computed)";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactoryInfo {
    /// Binary class name (`com.example.RedisDynamicTableFactory`).
    pub class: String,
    /// `None` when `factoryIdentifier()` cannot be evaluated exactly (see `notes`).
    pub identifier: Option<String>,
    /// Discovery interfaces (binary names), e.g. `org.apache.flink.table.factories.DynamicTableSourceFactory`.
    pub interfaces: Vec<String>,
    /// Exactly what `requiredOptions()` returns, or `None` when that is not known (see `notes`).
    pub required_options: Option<Vec<OptionInfo>>,
    pub optional_options: Option<Vec<OptionInfo>>,
    /// Why an identifier or option set is unknown.
    pub notes: Vec<String>,
    /// What `createDynamicTableSource` builds: scan and/or lookup; `None` when not readable.
    #[serde(skip)]
    pub source_kinds: Option<SourceKinds>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceKinds {
    pub scan: bool,
    pub lookup: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionInfo {
    pub key: String,
    /// `None` when the type is not known.
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// `None`: no default. `Some(None)`: a default exists but is computed.
    pub default: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the constant is declared, `Owner.FIELD`; `None` for an option built in place.
    pub field: Option<String>,
}

impl FactoryInfo {
    pub fn is_table_source(&self) -> bool {
        self.interfaces
            .iter()
            .any(|i| i.ends_with(".DynamicTableSourceFactory"))
    }
    pub fn is_table_sink(&self) -> bool {
        self.interfaces
            .iter()
            .any(|i| i.ends_with(".DynamicTableSinkFactory"))
    }
}

/// The provider classes the jar's Factory services file lists, in order (invalid lines
/// skipped; none without the file); `Err` says why the file cannot be read.
pub fn listed_factories(cp: &ClassPath) -> Result<Vec<String>, String> {
    let Some(read) = read_services(cp.jar(), FACTORY_SERVICES) else {
        return Ok(Vec::new());
    };
    let lines = read.map_err(|why| format!("{FACTORY_SERVICES} {why}"))?;
    let mut seen = HashSet::new();
    Ok(lines
        .into_iter()
        .filter_map(|l| l.class.ok())
        .filter(|c| seen.insert(c.clone()))
        .collect())
}

/// Every listed factory that is in the jar and readable (none when the services file cannot
/// be read: `check` reports that file itself).
pub fn read_factories(cp: &mut ClassPath) -> Vec<FactoryInfo> {
    read_listed_factories(cp).unwrap_or_default()
}

/// Every listed factory that is in the jar and readable; `Err` (why) when which factories the
/// jar registers is unknown because its services file cannot be read.
pub fn read_listed_factories(cp: &mut ClassPath) -> Result<Vec<FactoryInfo>, String> {
    let jar = cp.jar();
    Ok(listed_factories(cp)?
        .into_iter()
        .map(|class| binary_to_internal(&class))
        .filter(|internal| jar.contains(&format!("{internal}.class")))
        .filter_map(|internal| read_factory(cp, &internal))
        .collect())
}

pub fn read_factory(cp: &mut ClassPath, internal: &str) -> Option<FactoryInfo> {
    cp.class_bytes(internal)?;
    let mut notes = Vec::new();
    let identifier = identifier(cp, internal)
        .map_err(|why| notes.push(format!("identifier unknown: {why}")))
        .ok();
    let interfaces = cp
        .factory_interfaces(internal)
        .into_iter()
        .filter(|i| !GROUPING_INTERFACES.contains(&i.as_str()))
        .map(|i| internal_to_binary(&i))
        .collect();
    let mut options_of = |method: &str, what: &str| {
        options(cp, internal, method)
            .map_err(|why| notes.push(format!("{what} unknown: {why}")))
            .ok()
    };
    let required_options = options_of("requiredOptions", "required options");
    let optional_options = options_of("optionalOptions", "optional options");
    let source_kinds = source_kinds(cp, internal);
    Some(FactoryInfo {
        class: internal_to_binary(internal),
        identifier,
        interfaces,
        required_options,
        optional_options,
        notes,
        source_kinds,
    })
}

/// The code of `class.method`, parsed and evaluated with `this` an instance of `class`.
fn evaluate_method(
    cp: &mut ClassPath,
    class: &str,
    method: &str,
    descriptor: &str,
) -> Result<Value, String> {
    let Some((owner, bytes)) = cp.find_method(class, method, descriptor) else {
        return Err(format!(
            "{method}() has no code in the class or its superclasses"
        ));
    };
    let parsed = ClassFile::parse(&bytes).map_err(|e| format!("{owner}: {e}"))?;
    let Some(code) = parsed.method(method, descriptor) else {
        return Err(format!("{owner}.{method} cannot be read"));
    };
    eval::method_result(&parsed, code, Some(class), cp)
}

fn identifier(cp: &mut ClassPath, class: &str) -> Result<String, String> {
    match evaluate_method(cp, class, "factoryIdentifier", "()Ljava/lang/String;")? {
        Value::Str(s) => Ok(s.to_string()),
        Value::Null => Err("factoryIdentifier() returns null".into()),
        Value::Static { owner, name } => Err(format!(
            "factoryIdentifier() returns static field {}.{name}, which cannot be read or is \
             assigned again outside its class initialiser",
            owner.rsplit('/').next().unwrap_or(&owner)
        )),
        _ => Err("factoryIdentifier() computes its result".into()),
    }
}

/// Exactly the `ConfigOption`s a `Set<ConfigOption<?>> method()` returns, resolved to keys,
/// types and defaults — or why that is not known.
fn options(cp: &mut ClassPath, class: &str, method: &str) -> Result<Vec<OptionInfo>, String> {
    let items = match evaluate_method(cp, class, method, "()Ljava/util/Set;")? {
        Value::Frozen(set) => set.items.clone()?,
        Value::Null => return Err(format!("{method}() returns null")),
        _ => {
            return Err(format!(
                "{method}() returns a value the evaluator cannot follow"
            ))
        }
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::Option(spec) => option_info(&spec),
            _ => Err(format!(
                "{method}() returns a set holding something other than options"
            )),
        })
        .collect()
}

fn option_info(spec: &OptionSpec) -> Result<OptionInfo, String> {
    let Some(key) = spec.key.clone() else {
        return Err(format!(
            "the key of {} is computed",
            spec.field.as_deref().unwrap_or("an option")
        ));
    };
    let default = match &spec.default {
        None => Some(None),
        Some(None) => None,
        Some(Some(value)) => Some(value.display()),
    };
    Ok(OptionInfo {
        key,
        ty: spec.ty.clone().filter(|t| t != "?"),
        default,
        description: spec.description.clone(),
        field: spec.field.clone(),
    })
}

/// Classes `createDynamicTableSource` instantiates, checked for ScanTableSource/LookupTableSource.
fn source_kinds(cp: &mut ClassPath, class: &str) -> Option<SourceKinds> {
    const CREATE: (&str, &str) = (
        "createDynamicTableSource",
        "(Lorg/apache/flink/table/factories/DynamicTableFactory$Context;)Lorg/apache/flink/table/connector/source/DynamicTableSource;",
    );
    let (_, bytes) = cp.find_method(class, CREATE.0, CREATE.1)?;
    let parsed = ClassFile::parse(&bytes).ok()?;
    let code = parsed.code(parsed.method(CREATE.0, CREATE.1)?).ok()??;
    let created: Vec<String> = instructions(code.bytecode)
        .map_while(Result::ok)
        .filter(|i| i.opcode == op::NEW)
        .filter_map(|i| {
            parsed
                .pool
                .class_name(i.pool_index())
                .ok()
                .map(|c| c.into_owned())
        })
        .collect();
    let mut kinds = SourceKinds::default();
    let mut any = false;
    for class in created {
        let scan = cp.is_subtype_of(
            &class,
            "org/apache/flink/table/connector/source/ScanTableSource",
        ) == Answer::Yes;
        let lookup = cp.is_subtype_of(
            &class,
            "org/apache/flink/table/connector/source/LookupTableSource",
        ) == Answer::Yes;
        kinds.scan |= scan;
        kinds.lookup |= lookup;
        any |= scan || lookup;
    }
    any.then_some(kinds)
}

/// Reads the factories of `jar` for `inspect` (the runtime, if given, resolves Flink's
/// constants); `Err` (why) when the services file cannot be read, so the factories are unknown.
pub fn inspect_jar_exact(
    jar: &crate::jar::JarIndex,
    runtime: Option<&crate::flink::runtime::RuntimeLib>,
) -> Result<Vec<FactoryInfo>, String> {
    let mut cp = ClassPath::new(jar, runtime);
    read_listed_factories(&mut cp)
}

/// [`inspect_jar_exact`], with an unreadable services file read as no factories.
pub fn inspect_jar(
    jar: &crate::jar::JarIndex,
    runtime: Option<&crate::flink::runtime::RuntimeLib>,
) -> Vec<FactoryInfo> {
    inspect_jar_exact(jar, runtime).unwrap_or_default()
}
