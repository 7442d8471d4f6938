//! How each Flink line loads classes, read from the real distributions (docs/classloading.md has
//! the sources and a per-line table): the class path `bin/config.sh` builds from lib/, and the
//! user class loader that `-j`, `ADD JAR` and job jars get. The audit asks it which copy of a
//! class a jar bundles really loads.

use super::line_in;
use super::lines::FlinkLine;

/// What a line's scripts and `CoreOptions` defaults say about class loading.
#[derive(Debug)]
pub struct ClassLoading {
    /// First and last line (`major.minor`) these facts hold for.
    pub first: &'static str,
    pub last: &'static str,
    /// `classloader.parent-first-patterns.default` (CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS):
    /// binary-name prefixes the user class loader always asks the parent (lib/) for first.
    pub parent_first: &'static [&'static str],
    /// `classloader.resolve-order` default: the user class loader looks in the user's jars before
    /// the parent for every other class.
    pub child_first: bool,
    /// `constructFlinkClassPath`: lib/*.jar in byte order (`find … | sort -z`), except
    /// flink-dist*.jar, which is appended last.
    pub dist_last: bool,
}

/// The same on every line from 1.17 to 2.3 (checked on each line's flink-dist and bin/config.sh).
const PARENT_FIRST: &[&str] = &[
    "java.",
    "scala.",
    "org.apache.flink.",
    "com.esotericsoftware.kryo",
    "org.apache.hadoop.",
    "javax.annotation.",
    "org.xml",
    "javax.xml",
    "org.apache.xerces",
    "org.w3c",
    "org.rocksdb.",
    "org.slf4j",
    "org.apache.log4j",
    "org.apache.logging",
    "org.apache.commons.logging",
    "ch.qos.logback",
];

/// Class-name prefixes (internal form) outside `org/apache/flink/` that some line's lib/ or the
/// JDK provides, so a jar may leave them out. Read from every line's lib/ jars (`unzip -Z1`,
/// classes grouped by their first three package levels, 1.17.2–2.3.0): kryo, chill, javassist,
/// lz4, commons, log4j, janino, objenesis, RocksDB/ForSt, slf4j, snappy, Scala, …; the union
/// over lines, so a line that lacks one is never blamed for it. Hadoop is the deployment's
/// (`HADOOP_CLASSPATH`, as Flink's docs require for Hadoop-based connectors), not a jar's.
pub const PROVIDED_OUTSIDE_FLINK: &[&str] = &[
    // The JDK
    "java/",
    "javax/",
    "jdk/",
    "sun/",
    "com/sun/",
    "org/w3c/",
    "org/xml/",
    "org/ietf/",
    "org/omg/",
    "org/jcp/",
    // lib/ on some line
    "com/esotericsoftware/",
    "com/twitter/chill/",
    "javassist/",
    "net/jpountz/",
    "one/profiler/",
    "org/apache/commons/",
    "org/apache/log4j/",
    "org/apache/logging/",
    "org/codehaus/commons/",
    "org/codehaus/janino/",
    "org/forstdb/",
    "org/objenesis/",
    "org/roaringbitmap/",
    "org/rocksdb/",
    "org/slf4j/",
    "org/snakeyaml/engine/",
    "org/xerial/snappy/",
    "scala/",
    // The deployment's
    "org/apache/hadoop/",
];

/// One row per range of lines with the same class loading.
const CLASS_LOADING: &[ClassLoading] = &[ClassLoading {
    first: "1.17",
    last: "2.3",
    parent_first: PARENT_FIRST,
    child_first: true,
    dist_last: true,
}];

/// The class loading of `line` (the newest row when a future line is not listed yet).
pub fn class_loading(line: &FlinkLine) -> &'static ClassLoading {
    CLASS_LOADING
        .iter()
        .find(|c| line_in(line, c.first, c.last))
        .unwrap_or(&CLASS_LOADING[CLASS_LOADING.len() - 1])
}

/// Where a jar is deployed: which copy of a class it shares with the runtime loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deployment {
    /// `-j`, `ADD JAR`, a job jar: Flink's user class loader, child of the lib/ class path.
    UserJar,
    /// Copied into lib/: one flat class path, first jar wins.
    Lib,
}

impl ClassLoading {
    /// Whether the user class loader asks lib/ first for `internal_name` (`a/b/C`).
    pub fn is_parent_first(&self, internal_name: &str) -> bool {
        let binary = internal_name.replace('/', ".");
        !self.child_first || self.parent_first.iter().any(|p| binary.starts_with(p))
    }

    /// Whether the runtime's copy of `internal_name`, from lib/ jar `runtime_jar`, loads rather
    /// than the one bundled in `jar_file` (the audited jar's file name) deployed as `deployment`.
    pub fn runtime_copy_wins(
        &self,
        internal_name: &str,
        runtime_jar: &str,
        jar_file: &str,
        deployment: Deployment,
    ) -> bool {
        match deployment {
            Deployment::UserJar => self.is_parent_first(internal_name),
            Deployment::Lib => self.class_path_key(runtime_jar) < self.class_path_key(jar_file),
        }
    }

    /// A lib/ jar's place in the class path: flink-dist last, the rest in byte order.
    fn class_path_key<'a>(&self, file_name: &'a str) -> (bool, &'a [u8]) {
        (
            self.dist_last && file_name.starts_with("flink-dist"),
            file_name.as_bytes(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::LINES;

    #[test]
    fn every_line_has_its_class_loading() {
        for line in LINES {
            assert!(line_in(
                line,
                class_loading(line).first,
                class_loading(line).last
            ));
        }
    }

    #[test]
    fn flink_dist_comes_last_and_the_rest_in_byte_order() {
        let c = class_loading(&LINES[0]);
        let lib = Deployment::Lib;
        let data = "org/apache/flink/table/data/RowData";
        // Paimon in lib/ sorts after the table uber jar: Flink's RowData loads.
        assert!(c.runtime_copy_wins(
            data,
            "flink-table-api-java-uber-1.20.5.jar",
            "paimon-flink-1.20-1.3.1.jar",
            lib
        ));
        // flink-dist is appended after every other lib/ jar: the bundled Sink loads.
        let sink = "org/apache/flink/api/connector/sink2/Sink";
        assert!(!c.runtime_copy_wins(sink, "flink-dist-2.1.3.jar", "fluss-flink-2.1.jar", lib));
        // A jar named to sort first wins over the uber jar.
        assert!(!c.runtime_copy_wins(data, "flink-table-api-java-uber-1.20.5.jar", "a.jar", lib));
        // Under ADD JAR org.apache.flink. is parent-first; a bundled library is child-first.
        assert!(c.runtime_copy_wins(sink, "flink-dist-2.1.3.jar", "a.jar", Deployment::UserJar));
        assert!(!c.is_parent_first("com/google/common/base/Preconditions"));
        assert!(c.is_parent_first("org/apache/hadoop/conf/Configuration"));
    }
}
