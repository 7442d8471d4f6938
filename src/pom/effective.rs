//! The effective model of a pom.xml, as far as the audit needs it: the parent chain read
//! (see [`super::resolve`]), properties, dependencies with their managed versions and scopes
//! (imported BOMs included), and build plugins with inherited configuration and
//! `<pluginManagement>` applied. What could not be read is listed in `unresolved`, and the
//! parts that depend on it are `None` rather than guessed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::bounds::{
    INTERPOLATION_MAX_DEPTH, INTERPOLATION_MAX_LEN, INTERPOLATION_MAX_STEPS,
    POM_CHAIN_MAX_ELEMENTS, POM_MAX_ANCESTRY,
};
use crate::errors::{Error, Result};

use super::merge::{inherit_plugins, merge_plugin, plugin_key};
use super::resolve::{Gav, Resolver};
use super::{Element, Pom};

/// Parents deeper than this are treated as a loop.
const MAX_DEPTH: usize = POM_MAX_ANCESTRY;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub group_id: String,
    pub artifact_id: String,
    pub version: Option<String>,
    /// Effective scope (own, else managed, else `compile`); `None` when a parent or BOM that
    /// could manage it was not read.
    pub scope: Option<String>,
    pub optional: bool,
    /// `<exclusions>` as (groupId, artifactId), `*` allowed.
    pub exclusions: Vec<(String, String)>,
    /// Index into [`EffectivePom::files`] of the POM that declares it.
    pub file: usize,
    pub line: usize,
}

impl Dependency {
    pub fn coordinates(&self) -> String {
        format!("{}:{}", self.group_id, self.artifact_id)
    }

    /// Whether the dependency is part of what a fat jar bundles (compile/runtime, not optional).
    /// `None` when its scope is unknown.
    pub fn ships(&self) -> Option<bool> {
        let scope = self.scope.as_deref()?;
        Some(matches!(scope, "compile" | "runtime") && !self.optional)
    }
}

/// A property's value and where it was declared.
#[derive(Debug, Clone)]
pub struct Property {
    pub value: String,
    pub file: usize,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct EffectivePom {
    /// The project's own POM, then each ancestor that was read.
    pub files: Vec<PathBuf>,
    pub gav: Gav,
    pub packaging: String,
    /// `<modules>` of the project's own POM.
    pub modules: Vec<String>,
    pub properties: HashMap<String, Property>,
    pub dependencies: Vec<Dependency>,
    /// `<build><plugins>` after inheritance and `<pluginManagement>`.
    pub plugins: Vec<Element>,
    /// Why parts of the model are unknown (a parent or imported BOM that could not be read).
    pub unresolved: Vec<String>,
    /// True when an ancestor could not be read: inherited plugins and properties are unknown.
    pub parent_unknown: bool,
    /// `<dependencyManagement>` entries after inheritance and imports (not interpolated).
    managed: Vec<Element>,
}

/// What an importing POM takes from a BOM (its managed dependencies, interpolated).
#[derive(Debug, Clone)]
pub struct Imported {
    managed: std::rc::Rc<Vec<Element>>,
    unknown: bool,
    unresolved: Vec<String>,
}

/// One POM of the chain, read and tagged with its index.
struct Link {
    root: Element,
}

fn tag(e: &mut Element, file: usize) {
    e.origin = file;
    for c in &mut e.children {
        tag(c, file);
    }
}

fn own_gav(root: &Element) -> Gav {
    let parent = root.child("parent");
    let field = |name: &str| {
        root.text_of(name)
            .or_else(|| parent.and_then(|p| p.text_of(name)))
            .unwrap_or_default()
            .to_string()
    };
    Gav {
        group_id: field("groupId"),
        artifact_id: root.text_of("artifactId").unwrap_or_default().to_string(),
        version: field("version"),
    }
}

fn parent_gav(root: &Element) -> Option<Gav> {
    let p = root.child("parent")?;
    Some(Gav {
        group_id: p.text_of("groupId").unwrap_or_default().to_string(),
        artifact_id: p.text_of("artifactId").unwrap_or_default().to_string(),
        version: p.text_of("version").unwrap_or_default().to_string(),
    })
}

/// Elements of a tree, itself included (what a chain of POMs costs in memory).
fn element_count(e: &Element) -> usize {
    1 + e.children.iter().map(element_count).sum::<usize>()
}

fn read_pom(path: &Path) -> Result<Element> {
    Ok(Pom::read(path)?.root)
}

/// The `<relativePath>` candidate (default `../pom.xml`; empty: none), when it has `gav`.
fn relative_parent(file: &Path, root: &Element, gav: &Gav) -> Result<Option<PathBuf>> {
    let relative = match root.path("parent/relativePath") {
        Some(e) if e.text.trim().is_empty() => return Ok(None),
        Some(e) => e.text.trim().to_string(),
        None => "../pom.xml".to_string(),
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut candidate = normalize(&dir.join(relative));
    if candidate.is_dir() {
        candidate.push("pom.xml");
    }
    if !candidate.is_file() {
        return Ok(None);
    }
    let parent = read_pom(&candidate)?;
    Ok((own_gav(&parent) == *gav).then_some(candidate))
}

/// `a/b/../c` → `a/c`, without touching the file system (messages name the real file).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Profiles a plain `mvn package` activates: `<activeByDefault>true</activeByDefault>`.
fn apply_default_profiles(root: &mut Element) {
    let profiles: Vec<Element> = root
        .path("profiles")
        .map(|p| {
            p.children_named("profile")
                .filter(|p| {
                    p.path("activation/activeByDefault").map(|a| a.text.trim()) == Some("true")
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    for profile in profiles {
        for section in ["properties", "dependencies", "dependencyManagement"] {
            if let Some(extra) = profile.child(section) {
                let target = child_mut(root, section);
                let merged = super::merge::merge_xml(extra, target);
                *target = merged;
            }
        }
        for list in ["build/plugins", "build/pluginManagement/plugins"] {
            let Some(extra) = profile.path(list) else {
                continue;
            };
            let target = path_mut(root, list);
            target.children = inherit_plugins(&plugins_of(extra), &plugins_of(target), false);
        }
    }
}

fn child_mut<'a>(e: &'a mut Element, name: &str) -> &'a mut Element {
    if let Some(i) = e.children.iter().position(|c| c.name == name) {
        return &mut e.children[i];
    }
    e.children.push(Element {
        name: name.to_string(),
        origin: e.origin,
        ..Element::default()
    });
    e.children.last_mut().expect("pushed")
}

fn path_mut<'a>(e: &'a mut Element, path: &str) -> &'a mut Element {
    path.split('/').fold(e, |e, part| child_mut(e, part))
}

fn plugins_of(list: &Element) -> Vec<Element> {
    list.children_named("plugin").cloned().collect()
}

fn dependency_key(e: &Element) -> String {
    format!(
        "{}:{}:{}:{}",
        e.text_of("groupId").unwrap_or_default(),
        e.text_of("artifactId").unwrap_or_default(),
        e.text_of("type").unwrap_or("jar"),
        e.text_of("classifier").unwrap_or_default()
    )
}

/// The child's list, then the parent's entries the child does not redeclare.
fn inherit_list(child: Option<&Element>, parent: &[Element]) -> Vec<Element> {
    let mut out: Vec<Element> = child
        .map(|c| c.children_named("dependency").cloned().collect())
        .unwrap_or_default();
    let keys: HashSet<String> = out.iter().map(dependency_key).collect();
    out.extend(
        parent
            .iter()
            .filter(|p| !keys.contains(&dependency_key(p)))
            .cloned(),
    );
    out
}

/// `${name}` replaced from `properties`, recursively as Maven does; unknown ones stay as
/// written. Bounded in length, substitutions and depth ([`crate::bounds`]): past a bound the
/// text stays as written, so its `${…}` reads as unresolved (unknown), never as a value.
pub fn interpolate(text: &str, properties: &HashMap<String, Property>) -> String {
    let text = text.trim();
    if !text.contains("${") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut steps = 0;
    match expand(text, properties, 0, &mut steps, &mut out) {
        Ok(()) => out,
        Err(()) => text.to_string(),
    }
}

/// Appends `text` with its `${…}` expanded to `out`; `Err` when a bound is passed.
fn expand(
    text: &str,
    properties: &HashMap<String, Property>,
    depth: usize,
    steps: &mut usize,
    out: &mut String,
) -> std::result::Result<(), ()> {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            return Ok(());
        };
        let name = &rest[start + 2..start + len];
        let whole = &rest[start..=start + len];
        match properties.get(name) {
            Some(p) if depth < INTERPOLATION_MAX_DEPTH => {
                *steps += 1;
                if *steps > INTERPOLATION_MAX_STEPS {
                    return Err(());
                }
                expand(p.value.trim(), properties, depth + 1, steps, out)?;
            }
            // A reference too deep is a cycle (Maven rejects it): unresolved.
            Some(_) => return Err(()),
            None => out.push_str(whole),
        }
        if out.len() > INTERPOLATION_MAX_LEN {
            return Err(());
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    if out.len() > INTERPOLATION_MAX_LEN {
        return Err(());
    }
    Ok(())
}

impl EffectivePom {
    /// Reads `path` and its ancestors. Unreadable or invalid XML and parent loops are errors
    /// (exit 2); a parent that cannot be found leaves the model partly unknown.
    pub fn load(path: &Path, resolver: &mut Resolver) -> Result<EffectivePom> {
        Self::load_at(path, resolver, 0)
    }

    fn load_at(path: &Path, resolver: &mut Resolver, depth: usize) -> Result<EffectivePom> {
        let mut files = vec![path.to_path_buf()];
        let mut links = vec![Link {
            root: read_pom(path)?,
        }];
        let mut unresolved = Vec::new();
        let mut parent_unknown = false;
        let mut seen = vec![own_gav(&links[0].root)];
        let mut elements = element_count(&links[0].root);
        while let Some(gav) = parent_gav(&links.last().expect("one").root) {
            let current = files.last().expect("one").clone();
            if seen.contains(&gav) || seen.len() > MAX_DEPTH {
                let mut chain: Vec<String> = seen.iter().map(Gav::to_string).collect();
                chain.push(gav.to_string());
                return Err(Error::usage(format!(
                    "{}: parent loop: {}",
                    path.display(),
                    chain.join(" → ")
                )));
            }
            let found = match relative_parent(&current, &links.last().expect("one").root, &gav)? {
                Some(p) => Ok(p),
                None => resolver.resolve(&gav),
            };
            match found {
                Ok(file) => {
                    let root = read_pom(&file)?;
                    elements += element_count(&root);
                    if elements > POM_CHAIN_MAX_ELEMENTS {
                        unresolved.push(format!(
                            "parent {gav} could not be read: with it this chain of POMs holds more than {POM_CHAIN_MAX_ELEMENTS} elements"
                        ));
                        parent_unknown = true;
                        break;
                    }
                    links.push(Link { root });
                    files.push(file);
                    seen.push(gav);
                }
                Err(reason) => {
                    unresolved.push(format!("parent {gav} could not be read: {reason}"));
                    parent_unknown = true;
                    break;
                }
            }
        }
        for (i, link) in links.iter_mut().enumerate() {
            tag(&mut link.root, i);
            apply_default_profiles(&mut link.root);
        }

        // Inheritance, from the top ancestor down: the child dominates.
        let mut properties: HashMap<String, Property> = HashMap::new();
        let mut dependencies: Vec<Element> = Vec::new();
        let mut managed: Vec<Element> = Vec::new();
        let mut plugins: Vec<Element> = Vec::new();
        let mut management: Vec<Element> = Vec::new();
        for (i, link) in links.iter().enumerate().rev() {
            let root = &link.root;
            for p in root.child("properties").iter().flat_map(|p| &p.children) {
                properties.insert(
                    p.name.clone(),
                    Property {
                        value: p.text.trim().to_string(),
                        file: i,
                        line: p.line,
                    },
                );
            }
            dependencies = inherit_list(root.child("dependencies"), &dependencies);
            managed = inherit_list(root.path("dependencyManagement/dependencies"), &managed);
            let inheriting = i + 1 < links.len();
            plugins = inherit_plugins(
                &root
                    .path("build/plugins")
                    .map(plugins_of)
                    .unwrap_or_default(),
                &plugins,
                inheriting,
            );
            management = inherit_plugins(
                &root
                    .path("build/pluginManagement/plugins")
                    .map(plugins_of)
                    .unwrap_or_default(),
                &management,
                inheriting,
            );
        }
        let root = &links[0].root;
        let gav = own_gav(root);
        let packaging = root.text_of("packaging").unwrap_or("jar").to_string();
        let mut model = |name: &str, value: &str| {
            for prefix in ["project.", "pom."] {
                properties.insert(
                    format!("{prefix}{name}"),
                    Property {
                        value: value.to_string(),
                        file: 0,
                        line: 1,
                    },
                );
            }
        };
        model("groupId", &gav.group_id);
        model("artifactId", &gav.artifact_id);
        model("version", &gav.version);
        model("packaging", &packaging);
        if let Some(parent) = parent_gav(root) {
            model("parent.groupId", &parent.group_id);
            model("parent.artifactId", &parent.artifact_id);
            model("parent.version", &parent.version);
        }
        let basedir = path
            .parent()
            .unwrap_or(Path::new("."))
            .display()
            .to_string();
        model("basedir", &basedir);
        properties.insert(
            "basedir".into(),
            Property {
                value: basedir,
                file: 0,
                line: 1,
            },
        );

        // Imported BOMs add the managed entries the model does not have itself.
        let mut bom_unknown = false;
        let imports: Vec<Element> = managed
            .iter()
            .filter(|d| d.text_of("scope") == Some("import"))
            .cloned()
            .collect();
        for import in imports {
            let field = |n: &str| interpolate(import.text_of(n).unwrap_or_default(), &properties);
            let bom = Gav {
                group_id: field("groupId"),
                artifact_id: field("artifactId"),
                version: field("version"),
            };
            let loaded = if depth >= MAX_DEPTH {
                Err(format!("imports nested deeper than {MAX_DEPTH}"))
            } else {
                resolver.resolve(&bom).and_then(|file| {
                    // BOMs are imported by many POMs of a run: each is modelled once.
                    if let Some(known) = resolver.imported.get(&file) {
                        return known.clone();
                    }
                    let model = Self::load_at(&file, resolver, depth + 1)
                        .map(|m| Imported {
                            managed: std::rc::Rc::new(m.managed_elements()),
                            unknown: m.parent_unknown,
                            unresolved: m.unresolved,
                        })
                        .map_err(|e| e.to_string());
                    resolver.imported.insert(file, model.clone());
                    model
                })
            };
            match loaded {
                Ok(imported) => {
                    let own: HashSet<String> = managed.iter().map(dependency_key).collect();
                    managed.extend(
                        imported
                            .managed
                            .iter()
                            .filter(|e| !own.contains(&dependency_key(e)))
                            .cloned(),
                    );
                    if imported.unknown {
                        bom_unknown = true;
                        unresolved.extend(imported.unresolved);
                    }
                }
                Err(reason) => {
                    bom_unknown = true;
                    unresolved.push(format!("imported BOM {bom} could not be read: {reason}"));
                }
            }
        }

        let managed_by_key: HashMap<String, &Element> = managed
            .iter()
            .map(|m| (interpolated_key(m, &properties), m))
            .collect();
        let resolved_dependencies = dependencies
            .iter()
            .map(|d| {
                let m = managed_by_key
                    .get(&interpolated_key(d, &properties))
                    .copied();
                let field = |name: &str| {
                    d.text_of(name)
                        .or_else(|| m.and_then(|m| m.text_of(name)))
                        .map(|v| interpolate(v, &properties))
                };
                let scope = field("scope")
                    .or_else(|| (!parent_unknown && !bom_unknown).then(|| "compile".to_string()));
                Dependency {
                    group_id: interpolate(d.text_of("groupId").unwrap_or_default(), &properties),
                    artifact_id: interpolate(
                        d.text_of("artifactId").unwrap_or_default(),
                        &properties,
                    ),
                    version: field("version"),
                    scope,
                    optional: field("optional").is_some_and(|o| o == "true"),
                    exclusions: d
                        .child("exclusions")
                        .or_else(|| m.and_then(|m| m.child("exclusions")))
                        .map(|list| {
                            list.children_named("exclusion")
                                .map(|x| {
                                    let part = |name| {
                                        interpolate(x.text_of(name).unwrap_or("*"), &properties)
                                    };
                                    (part("groupId"), part("artifactId"))
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    file: d.origin,
                    line: d.line,
                }
            })
            .collect();
        let plugins = plugins
            .iter()
            .map(
                |p| match management.iter().find(|m| plugin_key(m) == plugin_key(p)) {
                    Some(m) => merge_plugin(p, m, false),
                    None => p.clone(),
                },
            )
            .collect();
        let modules = root
            .child("modules")
            .map(|m| {
                m.children_named("module")
                    .map(|e| e.text.trim().to_string())
                    .collect()
            })
            .unwrap_or_default();
        Ok(EffectivePom {
            files,
            gav,
            packaging,
            modules,
            properties,
            dependencies: resolved_dependencies,
            plugins,
            unresolved,
            parent_unknown,
            managed,
        })
    }

    /// The `<dependencyManagement>` entries with this model's properties filled in (what an
    /// importing POM takes from a BOM).
    fn managed_elements(&self) -> Vec<Element> {
        self.managed
            .iter()
            .map(|m| {
                let mut m = m.clone();
                for c in &mut m.children {
                    c.text = self.interpolate(&c.text);
                }
                m
            })
            .collect()
    }

    pub fn interpolate(&self, text: &str) -> String {
        interpolate(text, &self.properties)
    }

    /// A property's interpolated value.
    pub fn property(&self, name: &str) -> Option<String> {
        self.properties
            .get(name)
            .map(|p| self.interpolate(&p.value))
    }

    /// The effective `<build><plugins>` entry with this artifactId.
    pub fn plugin(&self, artifact_id: &str) -> Option<&Element> {
        self.plugins
            .iter()
            .find(|p| p.text_of("artifactId") == Some(artifact_id))
    }

    /// `pom.xml:12`, or the ancestor's file name when the element was inherited.
    pub fn location(&self, file: usize, line: usize) -> String {
        let name = self
            .files
            .get(file)
            .and_then(|f| f.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file == 0 {
            format!("{name}:{line}")
        } else {
            // Ancestors are named by where they live: a sibling pom.xml or a repository file.
            let shown = match self.files[file].parent() {
                Some(dir) if name == "pom.xml" => {
                    format!(
                        "{}/{name}",
                        dir.file_name()
                            .map(|d| d.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    )
                }
                _ => name,
            };
            format!("{shown}:{line}")
        }
    }

    /// The project's own pom.xml.
    pub fn path(&self) -> &Path {
        &self.files[0]
    }
}

fn interpolated_key(e: &Element, properties: &HashMap<String, Property>) -> String {
    interpolate(&dependency_key(e), properties)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, &str)]) -> HashMap<String, Property> {
        pairs
            .iter()
            .map(|(k, v)| {
                let value = Property {
                    value: v.to_string(),
                    file: 0,
                    line: 1,
                };
                (k.to_string(), value)
            })
            .collect()
    }

    #[test]
    fn interpolates_nested_and_keeps_unknown_and_unclosed_references() {
        let p = props(&[("a", "${b}-x"), ("b", "1.${c}"), ("c", "20")]);
        assert_eq!(interpolate(" v${a}/${nope}/${b", &p), "v1.20-x/${nope}/${b");
        assert_eq!(interpolate("plain", &p), "plain");
    }

    #[test]
    fn a_cycle_or_an_explosion_stays_as_written() {
        let cycle = props(&[("a", "${b}"), ("b", "${a}")]);
        assert_eq!(interpolate("${a}", &cycle), "${a}");
        // Each level doubles ten times: 10^6 copies of `xxxxxxxxxx` if expanded.
        let mut pairs = vec![("p0".to_string(), "xxxxxxxxxx".to_string())];
        for level in 1..=6 {
            pairs.push((
                format!("p{level}"),
                format!("${{p{}}}", level - 1).repeat(10),
            ));
        }
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let started = std::time::Instant::now();
        assert_eq!(interpolate("${p6}", &props(&refs)), "${p6}");
        assert_eq!(interpolate("${p2}", &props(&refs)), "x".repeat(1000));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
