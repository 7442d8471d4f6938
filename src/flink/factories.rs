//! Table factories as Flink defines them: the SPI names, the factory interface hierarchy, the
//! factories each line's runtime registers itself, and the connector names platforms preinstall.

use super::line_in;
use super::lines::FlinkLine;

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
