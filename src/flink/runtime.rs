//! The runtime a jar is checked against: a real lib/ directory or the embedded per-line class
//! index ([`super::index`]). The per-line tables live in [`super::factories`],
//! [`super::distribution`] and [`super::options`]; they are re-exported here for callers.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub use super::distribution::{line, max_java, shaded_libraries, shaded_library_of, vvr_engine};
pub use super::factories::{
    builtin_factories, BuiltinFactory, CONFIG_OPTION_DESCRIPTOR, FACTORY, FACTORY_INTERFACES,
    FACTORY_SERVICES, GROUPING_INTERFACES, PLATFORM_CONNECTORS,
};
use super::index::{
    is_indexed_class, is_indexed_member, member_stability_of, package_of, LineIndex, Stability,
};
use super::lines::{FlinkLine, FlinkVersion};
pub use super::options::KNOWN_OPTIONS;
use crate::classfile::ClassFile;
use crate::jar::{JarError, LibJar};

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
    /// Core jars first: a class is attributed to the first jar that has it.
    pub jars: Vec<(String, LibJarKind, LibJar)>,
    /// Packages of the `org/apache/flink` classes of a lib/ directory, found on first use (the
    /// embedded index keeps its own).
    packages: OnceLock<HashSet<String>>,
    index: Option<&'static LineIndex>,
    /// lib/ mode: class → its indexed members with their annotations, read once per class.
    member_cache: Mutex<HashMap<String, Option<Arc<[IndexedMember]>>>>,
}

/// A member as the index records it: name, descriptor, own annotation.
type IndexedMember = (String, String, Stability);

impl std::fmt::Debug for RuntimeLib {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeLib")
            .field("dir", &self.dir)
            .field("jars", &self.jars.len())
            .field("embedded", &self.index.is_some())
            .finish()
    }
}

/// A class header: access flags, super class, interfaces.
pub type ClassHeader = (u16, Option<String>, Vec<String>);

/// Super class, interfaces and sorted non-private members (name, descriptor): see
/// [`RuntimeLib::api_of`].
pub type ClassApi = (Option<String>, Vec<String>, Vec<(String, String)>);

/// [`ClassApi`] of a class file (`None` when it does not parse).
pub fn class_api(bytes: &[u8]) -> Option<ClassApi> {
    let class = ClassFile::parse(bytes).ok()?;
    let mut members: Vec<(String, String)> = class
        .fields
        .iter()
        .chain(class.methods.iter())
        .filter(|m| is_indexed_member(m))
        .map(|m| (m.name.to_string(), m.descriptor.to_string()))
        .collect();
    members.sort();
    members.dedup();
    Some((
        class.super_name.as_ref().map(|s| s.to_string()),
        class.interfaces.iter().map(|i| i.to_string()).collect(),
        members,
    ))
}

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
        for path in names {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let jar = LibJar::open(&path)?;
            jars.push((file_name.clone(), lib_jar_kind(&file_name), jar));
        }
        Ok(RuntimeLib {
            dir: dir.to_owned(),
            jars,
            packages: OnceLock::new(),
            index: None,
            member_cache: Mutex::default(),
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
            packages: OnceLock::new(),
            index: Some(index),
            member_cache: Mutex::default(),
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
        self.slot_of(entry_name)
            .map(|i| (self.jars[i].0.as_str(), self.jars[i].1))
    }

    /// The first lib/ jar with the class entry `entry_name` (`a/b/C.class`). A few lookups in
    /// the jars' own name maps: cheaper than merging ~56,000 names into one map per run, which
    /// a small jar's audit never repays.
    fn slot_of(&self, entry_name: &str) -> Option<usize> {
        if !entry_name.ends_with(".class") {
            return None;
        }
        self.jars
            .iter()
            .position(|(_, _, jar)| jar.has_file(entry_name))
    }

    /// The CRC-32 of the runtime's copy of `entry_name` (the embedded index keeps it for the
    /// API packages only).
    pub fn crc_of(&self, entry_name: &str) -> Option<u32> {
        if let Some(index) = self.index {
            return index
                .class(entry_name.strip_suffix(".class").unwrap_or(entry_name))?
                .crc;
        }
        let slot = self.slot_of(entry_name)?;
        self.jars[slot].2.crc32(entry_name)
    }

    pub fn has_class(&self, internal_name: &str) -> bool {
        match self.index {
            Some(index) => index.has_class(internal_name),
            None => self.slot_of(&format!("{internal_name}.class")).is_some(),
        }
    }

    /// Whether the distribution owns the package of `internal_name`: it ships at least one
    /// class of exactly that package. Other packages under org.apache.flink (externalized
    /// connectors, Flink CDC, formats and modules outside lib/) belong to other artifacts, so
    /// the runtime cannot say whether one of their classes is missing.
    pub fn owns_package(&self, internal_name: &str) -> bool {
        let Some(package) = package_of(internal_name) else {
            return false;
        };
        match self.index {
            Some(index) => index.packages.contains(package),
            None => self.lib_packages().contains(package),
        }
    }

    /// Every class entry name of the lib/ jars (`a/b/C.class`).
    fn lib_class_entries(&self) -> impl Iterator<Item = &str> {
        self.jars
            .iter()
            .flat_map(|(_, _, jar)| jar.names().filter(|n| n.ends_with(".class")))
    }

    /// What the index generator records as the line's packages (flink-index.deflate).
    fn lib_packages(&self) -> &HashSet<String> {
        self.packages.get_or_init(|| {
            self.lib_class_entries()
                .filter(|n| is_indexed_class(n))
                .filter_map(package_of)
                .map(str::to_string)
                .collect()
        })
    }

    /// Reads a class file of the runtime by internal name (never from the embedded index,
    /// which keeps headers and members only: see [`RuntimeLib::header`]).
    pub fn class_bytes(&self, internal_name: &str) -> Option<Vec<u8>> {
        let entry = format!("{internal_name}.class");
        let slot = self.slot_of(&entry)?;
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

    /// What code linking against the class can see: super class, interfaces and non-private,
    /// non-synthetic members (sorted), from the index or the lib/ class file alike.
    pub fn api_of(&self, internal_name: &str) -> Option<ClassApi> {
        if let Some(index) = self.index {
            let class = index.class(internal_name)?;
            let mut members = class.members.to_vec();
            members.sort();
            members.dedup();
            return Some((class.super_name.clone(), class.interfaces.clone(), members));
        }
        class_api(&self.class_bytes(internal_name)?)
    }

    /// The class's API annotation, from the index or its class file.
    pub fn stability(&self, internal_name: &str) -> Option<Stability> {
        if let Some(index) = self.index {
            return index.class(internal_name).map(|c| c.stability);
        }
        let bytes = self.class_bytes(internal_name)?;
        let class = ClassFile::parse(&bytes).ok()?;
        Some(super::index::stability_of(&class))
    }

    /// The annotation of the member `name descriptor` declared by `class` (internal name):
    /// `Some(Stability::None)` for a member without one, `None` when the runtime's class does
    /// not declare that member (inherited members are not looked up) or the class is not one of
    /// Flink's own (relocated libraries and third-party jars in lib/ are not indexed). Private
    /// and synthetic members count as absent. The embedded index and a lib/ directory with the
    /// same distribution give the same answers: lib/ reads the class file's member attributes.
    pub fn member_stability(&self, class: &str, name: &str, descriptor: &str) -> Option<Stability> {
        if let Some(index) = self.index {
            return index.class(class)?.member_stability(name, descriptor);
        }
        if !is_indexed_class(class) {
            return None;
        }
        let members = {
            let mut cache = self.member_cache.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .entry(class.to_string())
                .or_insert_with(|| self.read_members(class))
                .clone()?
        };
        members
            .iter()
            .find(|(n, d, _)| n == name && d == descriptor)
            .map(|(_, _, stability)| *stability)
    }

    /// lib/ mode: the class file's indexed members and their annotations.
    fn read_members(&self, class: &str) -> Option<Arc<[IndexedMember]>> {
        let bytes = self.class_bytes(class)?;
        let file = ClassFile::parse(&bytes).ok()?;
        let members: Vec<IndexedMember> = file
            .fields
            .iter()
            .chain(&file.methods)
            .filter(|m| is_indexed_member(m))
            .map(|m| {
                (
                    m.name.to_string(),
                    m.descriptor.to_string(),
                    member_stability_of(&file, m),
                )
            })
            .collect();
        Some(members.into())
    }

    /// Shaded library directories (`guava33`, …) under org/apache/flink/shaded/.
    pub fn shaded_libraries(&self) -> Vec<String> {
        let names: Box<dyn Iterator<Item = &str>> = match self.index {
            Some(index) => Box::new(index.shaded_packages.keys().map(String::as_str)),
            None => Box::new(self.lib_class_entries()),
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

/// Unit tests: the provisioned lib/ of `line`'s newest patch (the one the embedded index is
/// generated from); `None` (a skip) when it is not cached, a failure under CI=true.
#[cfg(test)]
pub(crate) fn provisioned_lib_dir(line: &str) -> Option<PathBuf> {
    let line = super::find_line(line).expect("a known line");
    let version = FlinkVersion {
        line,
        patch: *line.patches.last().expect("a released patch"),
    };
    let dir = RuntimeLib::cached_dir(&version).filter(|d| d.join("../.complete").exists());
    if dir.is_none() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "Flink {version} is not provisioned (run scripts/provision)"
        );
        eprintln!("skipped: Flink {version} is not provisioned");
    }
    dir
}

pub fn cache_root() -> Option<PathBuf> {
    match std::env::var_os("FLINK_CONNECTOR_CACHE") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".cache/cargo-flink-connector")),
    }
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

    fn provisioned(line: &str) -> Option<RuntimeLib> {
        let dir = provisioned_lib_dir(line)?;
        Some(RuntimeLib::open(&dir).expect("the provisioned lib/ opens"))
    }

    /// Member annotations, checked with `javap -v` on the real jars: Configuration (@Public)
    /// has the @Internal toFileWritableMap(); EntropyInjector (@PublicEvolving) the
    /// package-private @VisibleForTesting resolveEntropy; WatermarkStrategy.withWatermarkAlignment
    /// went from @Experimental (1.17) to @PublicEvolving (1.18+).
    #[test]
    fn member_annotations_from_the_index_and_from_lib_agree() {
        const CONFIGURATION: &str = "org/apache/flink/configuration/Configuration";
        const ENTROPY: &str = "org/apache/flink/core/fs/EntropyInjector";
        const WATERMARKS: &str = "org/apache/flink/api/common/eventtime/WatermarkStrategy";
        const ALIGNMENT: &str =
            "(Ljava/lang/String;Ljava/time/Duration;)Lorg/apache/flink/api/common/eventtime/WatermarkStrategy;";
        let cases: &[(&str, &str, &str, &str, Option<Stability>)] = &[
            ("2.2", CONFIGURATION, "toFileWritableMap", "()Ljava/util/Map;", Some(Stability::Internal)),
            ("2.2", CONFIGURATION, "<init>", "()V", Some(Stability::None)),
            ("2.2", CONFIGURATION, "confData", "Ljava/util/HashMap;", Some(Stability::None)),
            // private: never linked from outside, so not part of the runtime's API
            ("2.2", CONFIGURATION, "serialVersionUID", "J", None),
            ("2.2", CONFIGURATION, "toFileWritableMap", "()Ljava/util/List;", None),
            ("2.2", "org/apache/flink/NoSuchClass", "toString", "()Ljava/lang/String;", None),
            (
                "2.2",
                ENTROPY,
                "resolveEntropy",
                "(Lorg/apache/flink/core/fs/Path;Lorg/apache/flink/core/fs/EntropyInjectingFileSystem;Z)Lorg/apache/flink/core/fs/Path;",
                Some(Stability::VisibleForTesting),
            ),
            ("1.17", WATERMARKS, "withWatermarkAlignment", ALIGNMENT, Some(Stability::Experimental)),
            ("1.18", WATERMARKS, "withWatermarkAlignment", ALIGNMENT, Some(Stability::PublicEvolving)),
            ("2.2", WATERMARKS, "withWatermarkAlignment", ALIGNMENT, Some(Stability::PublicEvolving)),
        ];
        for &(line, class, name, descriptor, expected) in cases {
            let embedded = RuntimeLib::embedded(super::super::find_line(line).unwrap()).unwrap();
            assert_eq!(
                embedded.member_stability(class, name, descriptor),
                expected,
                "{line} {class}.{name}{descriptor} (index)"
            );
            if let Some(lib) = provisioned(line) {
                assert_eq!(
                    lib.member_stability(class, name, descriptor),
                    expected,
                    "{line} {class}.{name}{descriptor} (lib/)"
                );
            }
        }
        assert_eq!(
            RuntimeLib::embedded(super::super::find_line("2.2").unwrap())
                .unwrap()
                .stability(ENTROPY),
            Some(Stability::PublicEvolving)
        );
    }

    /// Every member of every class in two API packages of 2.2's flink-dist: the embedded index
    /// and the lib/ class files answer alike.
    #[test]
    fn member_annotations_agree_on_whole_packages() {
        let Some(lib) = provisioned("2.2") else {
            return;
        };
        let embedded = RuntimeLib::embedded(super::super::find_line("2.2").unwrap()).unwrap();
        let mut compared = 0;
        let mut annotated = 0;
        let names: std::collections::BTreeSet<String> = lib
            .lib_class_entries()
            .map(str::to_string)
            .filter(|n| {
                n.starts_with("org/apache/flink/configuration/")
                    || n.starts_with("org/apache/flink/api/common/eventtime/")
            })
            .collect();
        for entry in names {
            let internal = entry.strip_suffix(".class").unwrap();
            let bytes = lib.class_bytes(internal).unwrap();
            let file = ClassFile::parse(&bytes).unwrap();
            for m in file.fields.iter().chain(&file.methods) {
                let from_lib = lib.member_stability(internal, &m.name, &m.descriptor);
                let from_index = embedded.member_stability(internal, &m.name, &m.descriptor);
                assert_eq!(
                    from_lib, from_index,
                    "{internal}.{}{}",
                    m.name, m.descriptor
                );
                compared += 1;
                annotated += usize::from(from_lib.is_some_and(|s| s != Stability::None));
            }
        }
        assert!(
            compared > 1000 && annotated > 20,
            "{compared} members, {annotated} annotated"
        );
    }
}
