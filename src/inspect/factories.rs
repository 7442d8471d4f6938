//! Reads each factory of a jar from bytecode: identifier, factory interfaces, and the options
//! `requiredOptions()` / `optionalOptions()` return, resolving `ConfigOption` constants through
//! class initialisers (the jar's, Flink's, or the built-in table).

use std::collections::HashSet;

use serde::Serialize;

use super::classpath::{Answer, ClassPath};
use super::eval::{self, Value};
use crate::classfile::bytecode::{instructions, op};
use crate::classfile::ClassFile;
use crate::flink::runtime::{CONFIG_OPTION_DESCRIPTOR, FACTORY_SERVICES, GROUPING_INTERFACES};
use crate::jar::services::{binary_to_internal, internal_to_binary, parse_services};

/// Shown wherever a value exists only at run time.
pub const UNKNOWN: &str = "unknown (computed)";
/// How deep `requiredOptions()` may delegate to helper methods before we stop following.
const MAX_CALL_DEPTH: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactoryInfo {
    /// Binary class name (`com.example.RedisDynamicTableFactory`).
    pub class: String,
    /// `None` when `factoryIdentifier()` computes its result.
    pub identifier: Option<String>,
    /// Discovery interfaces (binary names), e.g. `org.apache.flink.table.factories.DynamicTableSourceFactory`.
    pub interfaces: Vec<String>,
    pub required_options: Vec<OptionInfo>,
    pub optional_options: Vec<OptionInfo>,
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
    /// `None` when the key is computed at run time.
    pub key: Option<String>,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// `None`: no default. `Some(None)`: a default exists but is computed.
    pub default: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the constant is declared, `Owner.FIELD`.
    pub field: String,
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

/// The provider classes the jar's Factory services file lists, in order (invalid lines skipped).
pub fn listed_factories(cp: &ClassPath) -> Vec<String> {
    let Some(Ok(bytes)) = cp.jar().read_named(FACTORY_SERVICES, 1 << 20) else {
        return Vec::new();
    };
    let Ok(lines) = parse_services(&bytes) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    lines
        .into_iter()
        .filter_map(|l| l.class.ok())
        .filter(|c| seen.insert(c.clone()))
        .collect()
}

/// Every listed factory that is in the jar and readable.
pub fn read_factories(cp: &mut ClassPath) -> Vec<FactoryInfo> {
    let jar = cp.jar();
    listed_factories(cp)
        .into_iter()
        .map(|class| binary_to_internal(&class))
        .filter(|internal| jar.contains(&format!("{internal}.class")))
        .filter_map(|internal| read_factory(cp, &internal))
        .collect()
}

pub fn read_factory(cp: &mut ClassPath, internal: &str) -> Option<FactoryInfo> {
    cp.class_bytes(internal)?;
    let identifier = identifier(cp, internal);
    let interfaces = cp
        .factory_interfaces(internal)
        .into_iter()
        .filter(|i| !GROUPING_INTERFACES.contains(&i.as_str()))
        .map(|i| internal_to_binary(&i))
        .collect();
    let required_options = options(cp, internal, "requiredOptions");
    let optional_options = options(cp, internal, "optionalOptions");
    let source_kinds = source_kinds(cp, internal);
    Some(FactoryInfo {
        class: internal_to_binary(internal),
        identifier,
        interfaces,
        required_options,
        optional_options,
        source_kinds,
    })
}

fn identifier(cp: &mut ClassPath, class: &str) -> Option<String> {
    let (owner, bytes) = cp.find_method(class, "factoryIdentifier", "()Ljava/lang/String;")?;
    let parsed = ClassFile::parse(&bytes).ok()?;
    debug_assert_eq!(parsed.name, owner);
    let method = parsed.method("factoryIdentifier", "()Ljava/lang/String;")?;
    let outcome = eval::evaluate(&parsed, method, cp);
    let mut values = outcome.returned.iter();
    let first = match values.next()? {
        Value::Str(s) => s.clone(),
        _ => return None,
    };
    values
        .all(|v| *v == Value::Str(first.clone()))
        .then_some(first)
}

/// The `ConfigOption` constants a `Set<ConfigOption<?>> name()` method reads, directly or through
/// helper methods of classes in the jar, resolved to keys, types and defaults.
fn options(cp: &mut ClassPath, class: &str, method: &str) -> Vec<OptionInfo> {
    let mut fields = Vec::new();
    let mut visited = HashSet::new();
    collect_option_fields(
        cp,
        class,
        method,
        "()Ljava/util/Set;",
        0,
        &mut visited,
        &mut fields,
    );
    let mut seen_keys = HashSet::new();
    fields
        .into_iter()
        .map(|(owner, name)| option_info(cp, &owner, &name))
        .filter(|o| o.key.is_none() || seen_keys.insert(o.key.clone()))
        .collect()
}

fn collect_option_fields(
    cp: &mut ClassPath,
    class: &str,
    method: &str,
    descriptor: &str,
    depth: usize,
    visited: &mut HashSet<(String, String, String)>,
    out: &mut Vec<(String, String)>,
) {
    if !visited.insert((
        class.to_string(),
        method.to_string(),
        descriptor.to_string(),
    )) {
        return;
    }
    let Some((_, bytes)) = cp.find_method(class, method, descriptor) else {
        return;
    };
    let Ok(parsed) = ClassFile::parse(&bytes) else {
        return;
    };
    let Some(code) = parsed
        .method(method, descriptor)
        .and_then(|m| parsed.code(m).ok().flatten())
    else {
        return;
    };
    for insn in instructions(code.bytecode).map_while(Result::ok) {
        let Ok(member) = parsed.pool.member_ref(insn.pool_index()) else {
            continue;
        };
        match insn.opcode {
            op::GETSTATIC if member.descriptor == CONFIG_OPTION_DESCRIPTOR => {
                let field = (member.owner.to_string(), member.name.to_string());
                if !out.contains(&field) {
                    out.push(field);
                }
            }
            op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE
                if depth < MAX_CALL_DEPTH
                    && member.name != "<init>"
                    && cp.jar().contains(&format!("{}.class", member.owner)) =>
            {
                collect_option_fields(
                    cp,
                    &member.owner,
                    &member.name,
                    &member.descriptor,
                    depth + 1,
                    visited,
                    out,
                );
            }
            _ => {}
        }
    }
}

fn option_info(cp: &mut ClassPath, owner: &str, name: &str) -> OptionInfo {
    let field = format!(
        "{}.{name}",
        internal_to_binary(owner)
            .rsplit('.')
            .next()
            .unwrap_or(owner)
    );
    match eval::Statics::static_field(cp, owner, name, CONFIG_OPTION_DESCRIPTOR) {
        Value::Option(spec) if spec.is_complete() => OptionInfo {
            key: spec.key,
            ty: spec.ty,
            default: spec.default.and_then(|d| d.map(|v| v.display())),
            description: spec.description,
            field,
        },
        _ => OptionInfo {
            key: None,
            ty: None,
            default: Some(None),
            description: None,
            field,
        },
    }
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

/// Reads the factories of `jar` for `inspect` (the runtime, if given, resolves Flink's constants).
pub fn inspect_jar(
    jar: &crate::jar::JarIndex,
    runtime: Option<&crate::flink::runtime::RuntimeLib>,
) -> Vec<FactoryInfo> {
    let mut cp = ClassPath::new(jar, runtime);
    read_factories(&mut cp)
}
