//! What a Flink runtime provides, per line: built-in factories, the shaded libraries it bundles,
//! the JVMs it runs on, classes removed in 2.0, and Flink's own option constants. The audit asks
//! [`RuntimeLib`] (the real `lib/` directory, when present) first and falls back to these
//! built-in tables, which tests compare against the real jars.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::index::{LineIndex, Stability};
use super::lines::{find_line, FlinkLine, FlinkVersion};
use crate::jar::{JarError, JarIndex};

/// The base interface every table factory implements.
pub const FACTORY: &str = "org/apache/flink/table/factories/Factory";
/// The services file Flink's `FactoryUtil` reads.
pub const FACTORY_SERVICES: &str = "META-INF/services/org.apache.flink.table.factories.Factory";
pub const CONFIG_OPTION_DESCRIPTOR: &str = "Lorg/apache/flink/configuration/ConfigOption;";

/// Factory interfaces and their direct super-interfaces, as in Flink 1.17–2.3. Used to resolve a
/// factory's hierarchy when the runtime's jars are not at hand.
pub const FACTORY_INTERFACES: &[(&str, &[&str])] = &[
    (
        "org/apache/flink/table/factories/DynamicTableFactory",
        &[FACTORY],
    ),
    (
        "org/apache/flink/table/factories/DynamicTableSourceFactory",
        &["org/apache/flink/table/factories/DynamicTableFactory"],
    ),
    (
        "org/apache/flink/table/factories/DynamicTableSinkFactory",
        &["org/apache/flink/table/factories/DynamicTableFactory"],
    ),
    ("org/apache/flink/table/factories/FormatFactory", &[FACTORY]),
    (
        "org/apache/flink/table/factories/DecodingFormatFactory",
        &["org/apache/flink/table/factories/FormatFactory"],
    ),
    (
        "org/apache/flink/table/factories/EncodingFormatFactory",
        &["org/apache/flink/table/factories/FormatFactory"],
    ),
    (
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        &["org/apache/flink/table/factories/DecodingFormatFactory"],
    ),
    (
        "org/apache/flink/table/factories/SerializationFormatFactory",
        &["org/apache/flink/table/factories/EncodingFormatFactory"],
    ),
    (
        "org/apache/flink/connector/file/table/factories/BulkReaderFormatFactory",
        &["org/apache/flink/table/factories/DecodingFormatFactory"],
    ),
    (
        "org/apache/flink/connector/file/table/factories/BulkWriterFormatFactory",
        &["org/apache/flink/table/factories/EncodingFormatFactory"],
    ),
    (
        "org/apache/flink/connector/file/table/factories/BulkDecodingFormatFactory",
        &["org/apache/flink/table/factories/DecodingFormatFactory"],
    ),
    (
        "org/apache/flink/table/factories/CatalogFactory",
        &[FACTORY],
    ),
    (
        "org/apache/flink/table/factories/CatalogStoreFactory",
        &[FACTORY],
    ),
    ("org/apache/flink/table/factories/ModuleFactory", &[FACTORY]),
    (
        "org/apache/flink/table/factories/ModelProviderFactory",
        &[FACTORY],
    ),
    (
        "org/apache/flink/table/factories/WorkflowSchedulerFactory",
        &[FACTORY],
    ),
    (
        "org/apache/flink/table/factories/FunctionDefinitionFactory",
        &[],
    ),
    (
        "org/apache/flink/table/delegation/ExecutorFactory",
        &[FACTORY],
    ),
    (
        "org/apache/flink/table/delegation/PlannerFactory",
        &[FACTORY],
    ),
    (
        "org/apache/flink/table/delegation/ParserFactory",
        &[FACTORY],
    ),
    (
        "org/apache/flink/table/delegation/StreamExecutorFactory",
        &["org/apache/flink/table/delegation/ExecutorFactory"],
    ),
    (
        "org/apache/flink/table/factories/ManagedTableFactory",
        &["org/apache/flink/table/factories/DynamicTableFactory"],
    ),
];

/// Interfaces that group factories but are never asked for by identifier: two factories clash
/// only when they share an interface outside this list (`FactoryUtil.discoverFactory`).
pub const GROUPING_INTERFACES: &[&str] = &[
    FACTORY,
    "org/apache/flink/table/factories/DynamicTableFactory",
    "org/apache/flink/table/factories/FormatFactory",
    "org/apache/flink/table/factories/DecodingFormatFactory",
    "org/apache/flink/table/factories/EncodingFormatFactory",
];

/// A factory the runtime itself registers (in `lib/`), by identifier and discovery interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltinFactory {
    pub identifier: String,
    pub interface: String,
    pub class: String,
}

/// `(first line, last line, identifier, interface, class)`; classes are internal names.
const BUILTIN_FACTORIES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "1.17",
        "2.3",
        "datagen",
        "org/apache/flink/table/factories/DynamicTableSourceFactory",
        "org/apache/flink/connector/datagen/table/DataGenTableSourceFactory",
    ),
    (
        "1.17",
        "2.3",
        "blackhole",
        "org/apache/flink/table/factories/DynamicTableSinkFactory",
        "org/apache/flink/connector/blackhole/table/BlackHoleTableSinkFactory",
    ),
    (
        "1.17",
        "2.3",
        "print",
        "org/apache/flink/table/factories/DynamicTableSinkFactory",
        "org/apache/flink/connector/print/table/PrintTableSinkFactory",
    ),
    (
        "1.17",
        "2.3",
        "filesystem",
        "org/apache/flink/table/factories/DynamicTableSourceFactory",
        "org/apache/flink/connector/file/table/FileSystemTableFactory",
    ),
    (
        "1.17",
        "2.3",
        "filesystem",
        "org/apache/flink/table/factories/DynamicTableSinkFactory",
        "org/apache/flink/connector/file/table/FileSystemTableFactory",
    ),
    (
        "1.17",
        "2.3",
        "json",
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        "org/apache/flink/formats/json/JsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "json",
        "org/apache/flink/table/factories/SerializationFormatFactory",
        "org/apache/flink/formats/json/JsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "csv",
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        "org/apache/flink/formats/csv/CsvFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "csv",
        "org/apache/flink/table/factories/SerializationFormatFactory",
        "org/apache/flink/formats/csv/CsvFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "csv",
        "org/apache/flink/connector/file/table/factories/BulkReaderFormatFactory",
        "org/apache/flink/formats/csv/CsvFileFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "csv",
        "org/apache/flink/connector/file/table/factories/BulkWriterFormatFactory",
        "org/apache/flink/formats/csv/CsvFileFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "raw",
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        "org/apache/flink/formats/raw/RawFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "raw",
        "org/apache/flink/table/factories/SerializationFormatFactory",
        "org/apache/flink/formats/raw/RawFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "debezium-json",
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        "org/apache/flink/formats/json/debezium/DebeziumJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "debezium-json",
        "org/apache/flink/table/factories/SerializationFormatFactory",
        "org/apache/flink/formats/json/debezium/DebeziumJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "canal-json",
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        "org/apache/flink/formats/json/canal/CanalJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "canal-json",
        "org/apache/flink/table/factories/SerializationFormatFactory",
        "org/apache/flink/formats/json/canal/CanalJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "maxwell-json",
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        "org/apache/flink/formats/json/maxwell/MaxwellJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "maxwell-json",
        "org/apache/flink/table/factories/SerializationFormatFactory",
        "org/apache/flink/formats/json/maxwell/MaxwellJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "ogg-json",
        "org/apache/flink/table/factories/DeserializationFormatFactory",
        "org/apache/flink/formats/json/ogg/OggJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "ogg-json",
        "org/apache/flink/table/factories/SerializationFormatFactory",
        "org/apache/flink/formats/json/ogg/OggJsonFormatFactory",
    ),
    (
        "1.17",
        "2.3",
        "generic_in_memory",
        "org/apache/flink/table/factories/CatalogFactory",
        "org/apache/flink/table/catalog/GenericInMemoryCatalogFactory",
    ),
    (
        "1.17",
        "2.3",
        "core",
        "org/apache/flink/table/factories/ModuleFactory",
        "org/apache/flink/table/module/CoreModuleFactory",
    ),
];

/// Connectors that managed platforms preinstall (Alibaba VVR, Ververica Platform) or that
/// clusters commonly add to `lib/`; a custom connector reusing the identifier is rejected on
/// upload (one registration per type) or clashes at run time.
pub const PLATFORM_CONNECTORS: &[&str] = &[
    "kafka",
    "upsert-kafka",
    "jdbc",
    "mysql",
    "mysql-cdc",
    "postgres-cdc",
    "elasticsearch-6",
    "elasticsearch-7",
    "hbase-1.4",
    "hbase-2.2",
    "hive",
    "kinesis",
    "firehose",
    "mongodb",
    "hologres",
    "sls",
    "odps",
    "datahub",
    "starrocks",
    "paimon",
    "iceberg",
    "hudi",
    "redis",
    "clickhouse",
    "doris",
];

/// Libraries Flink relocates under `org/apache/flink/shaded/<lib><major>/`, per line.
const SHADED_LIBRARIES: &[(&str, &str, &[&str])] = &[
    (
        "1.17",
        "1.17",
        &[
            "asm9",
            "curator5",
            "guava30",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
    (
        "1.18",
        "1.20",
        &[
            "asm9",
            "curator5",
            "guava31",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
    (
        "2.0",
        "2.0",
        &[
            "asm9",
            "curator5",
            "guava32",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
    (
        "2.1",
        "2.3",
        &[
            "asm9",
            "curator5",
            "guava33",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
];

/// Highest Java release each line supports (Flink's documented JVMs); the line's minimum is
/// `FlinkLine::java_release`.
const MAX_JAVA: &[(&str, u8)] = &[
    ("1.17", 11),
    ("1.18", 17),
    ("1.19", 17),
    ("1.20", 17),
    ("2.0", 21),
    ("2.1", 21),
    ("2.2", 21),
    ("2.3", 21),
];

fn line_in(line: &FlinkLine, first: &str, last: &str) -> bool {
    let key = |l: &str| -> (u32, u32) {
        let mut parts = l.split('.').map(|p| p.parse().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    (key(first)..=key(last)).contains(&key(line.line))
}

pub fn builtin_factories(line: &FlinkLine) -> Vec<BuiltinFactory> {
    BUILTIN_FACTORIES
        .iter()
        .filter(|(first, last, ..)| line_in(line, first, last))
        .map(|(_, _, identifier, interface, class)| BuiltinFactory {
            identifier: identifier.to_string(),
            interface: interface.to_string(),
            class: class.to_string(),
        })
        .collect()
}

pub fn shaded_libraries(line: &FlinkLine) -> Vec<String> {
    SHADED_LIBRARIES
        .iter()
        .filter(|(first, last, _)| line_in(line, first, last))
        .flat_map(|(_, _, libs)| libs.iter().map(|l| l.to_string()))
        .collect()
}

pub fn max_java(line: &FlinkLine) -> u8 {
    MAX_JAVA
        .iter()
        .find(|(l, _)| *l == line.line)
        .map(|(_, j)| *j)
        .unwrap_or(line.java_release)
}

/// Splits `org/apache/flink/shaded/guava31/com/...` into `("guava", "guava31")`.
pub fn shaded_library_of(class: &str) -> Option<(&str, &str)> {
    let rest = class.strip_prefix("org/apache/flink/shaded/")?;
    let dir = rest.split('/').next()?;
    let name = dir.trim_end_matches(|c: char| c.is_ascii_digit());
    (name.len() < dir.len() && !name.is_empty()).then_some((name, dir))
}

/// Flink's own option constants that connectors reuse, as 2.2.1 defines them (keys and types
/// are the same on 1.17–2.3). Consulted when the class itself cannot be read.
pub const KNOWN_OPTIONS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "CONNECTOR",
        "connector",
        "String",
        None,
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "FORMAT",
        "format",
        "String",
        None,
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "PROPERTY_VERSION",
        "property-version",
        "Integer",
        Some("1"),
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "SINK_PARALLELISM",
        "sink.parallelism",
        "Integer",
        None,
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "SOURCE_PARALLELISM",
        "scan.parallelism",
        "Integer",
        None,
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "WATERMARK_EMIT_STRATEGY",
        "scan.watermark.emit.strategy",
        "Enum<WatermarkEmitStrategy>",
        Some("ON_EVENT"),
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "WATERMARK_ALIGNMENT_GROUP",
        "scan.watermark.alignment.group",
        "String",
        None,
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "WATERMARK_ALIGNMENT_MAX_DRIFT",
        "scan.watermark.alignment.max-drift",
        "Duration",
        None,
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "WATERMARK_ALIGNMENT_UPDATE_INTERVAL",
        "scan.watermark.alignment.update-interval",
        "Duration",
        Some("1 s"),
    ),
    (
        "org/apache/flink/table/factories/FactoryUtil",
        "SOURCE_IDLE_TIMEOUT",
        "scan.watermark.idle-timeout",
        "Duration",
        None,
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "CACHE_TYPE",
        "lookup.cache",
        "Enum<LookupCacheType>",
        Some("NONE"),
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "MAX_RETRIES",
        "lookup.max-retries",
        "Integer",
        Some("3"),
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "PARTIAL_CACHE_EXPIRE_AFTER_ACCESS",
        "lookup.partial-cache.expire-after-access",
        "Duration",
        None,
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "PARTIAL_CACHE_EXPIRE_AFTER_WRITE",
        "lookup.partial-cache.expire-after-write",
        "Duration",
        None,
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "PARTIAL_CACHE_CACHE_MISSING_KEY",
        "lookup.partial-cache.cache-missing-key",
        "Boolean",
        Some("true"),
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "PARTIAL_CACHE_MAX_ROWS",
        "lookup.partial-cache.max-rows",
        "Long",
        None,
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "FULL_CACHE_RELOAD_STRATEGY",
        "lookup.full-cache.reload-strategy",
        "Enum<ReloadStrategy>",
        Some("PERIODIC"),
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "FULL_CACHE_PERIODIC_RELOAD_INTERVAL",
        "lookup.full-cache.periodic-reload.interval",
        "Duration",
        None,
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "FULL_CACHE_PERIODIC_RELOAD_SCHEDULE_MODE",
        "lookup.full-cache.periodic-reload.schedule-mode",
        "Enum<ScheduleMode>",
        Some("FIXED_DELAY"),
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "FULL_CACHE_TIMED_RELOAD_ISO_TIME",
        "lookup.full-cache.timed-reload.iso-time",
        "String",
        None,
    ),
    (
        "org/apache/flink/table/connector/source/lookup/LookupOptions",
        "FULL_CACHE_TIMED_RELOAD_INTERVAL_IN_DAYS",
        "lookup.full-cache.timed-reload.interval-in-days",
        "Integer",
        Some("1"),
    ),
];

/// Which part of the runtime a `lib/` jar is: the core (always on the parent class path and
/// parent-first for `org.apache.flink`), or an optional connector/format jar Flink ships in lib/.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibJarKind {
    Core,
    Optional,
    Logging,
}

pub fn lib_jar_kind(file_name: &str) -> LibJarKind {
    const OPTIONAL: &[&str] = &[
        "flink-connector-files",
        "flink-json",
        "flink-csv",
        "flink-sql-",
        "flink-connector-",
    ];
    if file_name.starts_with("log4j")
        || file_name.starts_with("slf4j")
        || file_name.starts_with("logback")
    {
        LibJarKind::Logging
    } else if OPTIONAL.iter().any(|p| file_name.starts_with(p)) {
        LibJarKind::Optional
    } else {
        LibJarKind::Core
    }
}

/// The runtime a jar is checked against: a real `lib/` directory (`--flink-lib` or the
/// provisioned cache), or the embedded per-line index ([`super::index`]) when neither is there.
pub struct RuntimeLib {
    /// The lib/ directory, or a description of the embedded index.
    pub dir: PathBuf,
    pub jars: Vec<(String, LibJarKind, JarIndex)>,
    /// Entry name (`a/b/C.class`) → index into `jars` (the first jar that has it).
    classes: HashMap<String, usize>,
    index: Option<&'static LineIndex>,
}

impl std::fmt::Debug for RuntimeLib {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeLib")
            .field("dir", &self.dir)
            .field("classes", &self.classes.len())
            .field("embedded", &self.index.is_some())
            .finish()
    }
}

/// A class header: access flags, super class, interfaces.
pub type ClassHeader = (u16, Option<String>, Vec<String>);

impl RuntimeLib {
    pub fn open(dir: &Path) -> Result<RuntimeLib, JarError> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|source| JarError::Open {
                path: dir.to_owned(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jar"))
            .collect();
        // Core jars first, so a class both ship (connector-base) is attributed to the core.
        names.sort_by_key(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (lib_jar_kind(&name) != LibJarKind::Core, name)
        });
        let mut jars = Vec::new();
        let mut classes = HashMap::new();
        for path in names {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let index = JarIndex::open(&path)?;
            let slot = jars.len();
            for entry in index.entries().iter().filter(|e| e.is_class()) {
                classes.entry(entry.name.clone()).or_insert(slot);
            }
            jars.push((file_name.clone(), lib_jar_kind(&file_name), index));
        }
        Ok(RuntimeLib {
            dir: dir.to_owned(),
            jars,
            classes,
            index: None,
        })
    }

    /// The embedded index of `line`, when the binary carries one for it.
    pub fn embedded(line: &FlinkLine) -> Option<RuntimeLib> {
        let index = super::index::line(line.line)?;
        Some(RuntimeLib {
            dir: PathBuf::from(format!(
                "the built-in class index of Flink {}",
                index.version
            )),
            jars: Vec::new(),
            classes: HashMap::new(),
            index: Some(index),
        })
    }

    pub fn is_embedded(&self) -> bool {
        self.index.is_some()
    }

    /// "lib/ of DIR" or "the built-in class index of Flink V".
    pub fn describe(&self) -> String {
        match self.index {
            Some(_) => self.dir.display().to_string(),
            None => format!("lib/ of {}", self.dir.display()),
        }
    }

    /// The lib/ directory of `version` in the provisioned cache (`$FLINK_CONNECTOR_CACHE`, default
    /// `~/.cache/cargo-flink-connector`): the exact patch, else any cached patch of the line.
    pub fn cached_dir(version: &FlinkVersion) -> Option<PathBuf> {
        let root = cache_root()?.join("flink");
        let exact = root.join(version.to_string()).join("lib");
        if exact.is_dir() {
            return Some(exact);
        }
        version
            .line
            .patches
            .iter()
            .rev()
            .map(|p| root.join(format!("{}.{p}", version.line.line)).join("lib"))
            .find(|d| d.is_dir())
    }

    /// The jar providing a class entry: its file name (a stem like `flink-dist` for the
    /// embedded index) and kind.
    pub fn jar_of(&self, entry_name: &str) -> Option<(&str, LibJarKind)> {
        if let Some(index) = self.index {
            return index.jar_of(entry_name).map(|(stem, kind)| {
                let kind = match kind {
                    'O' => LibJarKind::Optional,
                    'L' => LibJarKind::Logging,
                    _ => LibJarKind::Core,
                };
                (stem, kind)
            });
        }
        self.classes
            .get(entry_name)
            .map(|&i| (self.jars[i].0.as_str(), self.jars[i].1))
    }

    /// The CRC-32 of the runtime's copy of `entry_name` (the embedded index keeps it for the
    /// API packages only).
    pub fn crc_of(&self, entry_name: &str) -> Option<u32> {
        if let Some(index) = self.index {
            return index
                .class(entry_name.strip_suffix(".class").unwrap_or(entry_name))?
                .crc;
        }
        let &slot = self.classes.get(entry_name)?;
        self.jars[slot].2.entry(entry_name).map(|e| e.crc32)
    }

    pub fn has_class(&self, internal_name: &str) -> bool {
        match self.index {
            Some(index) => index.has_class(internal_name),
            None => self.classes.contains_key(&format!("{internal_name}.class")),
        }
    }

    /// Reads a class file of the runtime by internal name (never from the embedded index,
    /// which keeps headers and members only: see [`RuntimeLib::header`]).
    pub fn class_bytes(&self, internal_name: &str) -> Option<Vec<u8>> {
        let entry = format!("{internal_name}.class");
        let &slot = self.classes.get(&entry)?;
        self.jars[slot]
            .2
            .read_named(&entry, crate::jar::DEFAULT_ENTRY_CAP)?
            .ok()
    }

    /// Access flags, super class and interfaces, from the embedded index (`None` for a lib/
    /// directory: read the class bytes instead).
    pub fn header(&self, internal_name: &str) -> Option<ClassHeader> {
        let class = self.index?.class(internal_name)?;
        Some((
            class.access,
            class.super_name.clone(),
            class.interfaces.clone(),
        ))
    }

    /// Non-private fields and methods as (name, descriptor), from the embedded index.
    pub fn members(&self, internal_name: &str) -> Option<&[(String, String)]> {
        Some(&self.index?.class(internal_name)?.members)
    }

    /// The class's API annotation, from the index or its class file.
    pub fn stability(&self, internal_name: &str) -> Option<Stability> {
        if let Some(index) = self.index {
            return index.class(internal_name).map(|c| c.stability);
        }
        let bytes = self.class_bytes(internal_name)?;
        let class = crate::classfile::ClassFile::parse(&bytes).ok()?;
        Some(super::index::stability_of(&class))
    }

    /// Shaded library directories (`guava33`, …) under org/apache/flink/shaded/.
    pub fn shaded_libraries(&self) -> Vec<String> {
        let names: Box<dyn Iterator<Item = &String>> = match self.index {
            Some(index) => Box::new(index.shaded_packages.keys()),
            None => Box::new(self.classes.keys()),
        };
        let mut libs: Vec<String> = names
            .filter_map(|name| {
                let with_slash = format!("{name}/");
                shaded_library_of(&with_slash).map(|(_, dir)| dir.to_string())
            })
            .collect();
        libs.sort();
        libs.dedup();
        libs
    }
}

pub fn cache_root() -> Option<PathBuf> {
    match std::env::var_os("FLINK_CONNECTOR_CACHE") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".cache/cargo-flink-connector")),
    }
}

/// Alibaba Realtime Compute (VVR) engines: `(prefix, Flink version, default JDK)`.
const VVR_ENGINES: &[(&str, &str, u8)] = &[
    ("8.0", "1.17.2", 8),
    ("11.1", "1.20.1", 11),
    ("11.2", "1.20.2", 11),
    ("11.3", "1.20.2", 11),
    ("11.4", "1.20.2", 11),
    ("11.5", "1.20.2", 11),
    ("11.6", "1.20.2", 11),
    ("11.7", "1.20.2", 11),
];

/// `vvr-11.1` / `vvr-8.0.11-jdk11` → (Flink version, JDK the engine runs, whether the JDK was given).
pub fn vvr_engine(name: &str) -> Option<(FlinkVersion, u8, bool)> {
    let rest = name.strip_prefix("vvr-")?;
    let (version, jdk) = match rest.split_once("-jdk") {
        Some((v, jdk)) => (v, Some(jdk.parse::<u8>().ok()?)),
        None => (rest, None),
    };
    let (_, flink, default_jdk) = VVR_ENGINES.iter().find(|(prefix, ..)| {
        version == *prefix
            || version.strip_prefix(prefix).is_some_and(|r| {
                r.starts_with('.') && r[1..].bytes().all(|b| b.is_ascii_digit()) && r.len() > 1
            })
    })?;
    let flink = FlinkVersion::parse(flink).ok()?;
    Some((flink, jdk.unwrap_or(*default_jdk), jdk.is_some()))
}

pub fn line(line: &str) -> Option<&'static FlinkLine> {
    find_line(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vvr_engines_map_to_flink_versions() {
        let (v, jdk, given) = vvr_engine("vvr-8.0").unwrap();
        assert_eq!((v.to_string(), jdk, given), ("1.17.2".into(), 8, false));
        let (v, jdk, given) = vvr_engine("vvr-11.4.1-jdk17").unwrap();
        assert_eq!((v.to_string(), jdk, given), ("1.20.2".into(), 17, true));
        assert_eq!(vvr_engine("vvr-11.1").unwrap().0.to_string(), "1.20.1");
        assert!(vvr_engine("vvr-9.0").is_none());
        assert!(vvr_engine("vvr-11.10").is_none());
        assert!(vvr_engine("vvr-11.1-jdkX").is_none());
    }

    #[test]
    fn shaded_library_names_split_off_the_version() {
        assert_eq!(
            shaded_library_of("org/apache/flink/shaded/guava31/com/google/X"),
            Some(("guava", "guava31"))
        );
        assert_eq!(shaded_library_of("org/apache/flink/shaded/io/X"), None);
        assert_eq!(shaded_library_of("org/apache/flink/table/X"), None);
    }

    #[test]
    fn tables_cover_every_line() {
        for line in super::super::LINES {
            assert!(!shaded_libraries(line).is_empty(), "{}", line.line);
            assert!(max_java(line) >= line.java_release);
            assert!(builtin_factories(line)
                .iter()
                .any(|f| f.identifier == "datagen"));
        }
    }
}
