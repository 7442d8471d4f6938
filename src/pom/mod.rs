//! A Maven pom.xml, read with quick-xml into a small element tree, and the parts the audit
//! asks about: properties (interpolated), dependencies with their effective scope, and the
//! shade plugin's configuration.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::errors::{Error, Result};

/// An XML element: name (without namespace prefix), text, children, 1-based line.
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: String,
    pub text: String,
    /// Attribute values by local name (`<transformer implementation="…"/>`), raw.
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub line: usize,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// `a/b/c` below this element.
    pub fn path(&self, path: &str) -> Option<&Element> {
        path.split('/').try_fold(self, |e, part| e.child(part))
    }

    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// Every element below this one (depth-first), itself excluded.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

pub fn parse_xml(text: &str) -> std::result::Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let line_at = |pos: u64| {
        text.as_bytes()[..(pos as usize).min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("line {}: {e}", line_at(reader.error_position())))?;
        match event {
            Event::Start(start) => {
                if stack.len() > 256 {
                    return Err("elements nested too deeply".into());
                }
                let name = start.local_name().as_ref().to_string();
                stack.push(Element {
                    name,
                    attributes: attributes_of(&start),
                    line: line_at(position),
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let name = start.local_name().as_ref().to_string();
                stack.last_mut().expect("root").children.push(Element {
                    name,
                    attributes: attributes_of(&start),
                    line: line_at(position),
                    ..Element::default()
                });
            }
            Event::End(_) => {
                let done = stack.pop().ok_or("unbalanced end tag")?;
                stack
                    .last_mut()
                    .ok_or("unbalanced end tag")?
                    .children
                    .push(done);
            }
            Event::Text(text) => stack
                .last_mut()
                .expect("root")
                .text
                .push_str(&text.xml10_content()),
            Event::CData(data) => stack
                .last_mut()
                .expect("root")
                .text
                .push_str(&data.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => other
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| other.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap_or_default(),
                };
                stack.last_mut().expect("root").text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("unclosed element at end of file".into());
    }
    let mut root = stack.pop().expect("root");
    root.children
        .pop()
        .filter(|_| root.children.is_empty())
        .ok_or_else(|| "no single root element".to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub group_id: String,
    pub artifact_id: String,
    pub version: Option<String>,
    /// Effective scope (own, else from dependencyManagement, else `compile`).
    pub scope: String,
    pub optional: bool,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Pom {
    pub path: PathBuf,
    pub root: Element,
    pub properties: HashMap<String, String>,
}

impl Pom {
    pub fn read(path: &Path) -> Result<Pom> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        Pom::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Pom> {
        let root = parse_xml(text).map_err(|e| {
            Error::usage(format!("{}: not a readable pom.xml: {e}", path.display()))
        })?;
        if root.name != "project" {
            return Err(Error::usage(format!(
                "{}: the root element is <{}>, not <project>",
                path.display(),
                root.name
            )));
        }
        let mut properties: HashMap<String, String> = root
            .child("properties")
            .map(|p| {
                p.children
                    .iter()
                    .map(|c| (c.name.clone(), c.text.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        for (key, path) in [
            ("project.version", "version"),
            ("project.groupId", "groupId"),
            ("project.artifactId", "artifactId"),
        ] {
            if let Some(value) = root
                .text_of(path)
                .or_else(|| root.path("parent").and_then(|p| p.text_of(path)))
            {
                properties
                    .entry(key.to_string())
                    .or_insert_with(|| value.to_string());
            }
        }
        Ok(Pom {
            path: path.to_owned(),
            root,
            properties,
        })
    }

    /// Replaces `${name}` with the pom's properties, repeatedly (bounded); unknown ones stay.
    pub fn interpolate(&self, text: &str) -> String {
        let mut out = text.trim().to_string();
        for _ in 0..8 {
            let Some(start) = out.find("${") else { break };
            let Some(len) = out[start..].find('}') else {
                break;
            };
            let name = &out[start + 2..start + len];
            let Some(value) = self.properties.get(name) else {
                break;
            };
            out = format!("{}{}{}", &out[..start], value, &out[start + len + 1..]);
        }
        out
    }

    pub fn property(&self, name: &str) -> Option<String> {
        self.properties.get(name).map(|v| self.interpolate(v))
    }

    fn dependency(&self, e: &Element, managed: &[Dependency]) -> Dependency {
        let field = |name: &str| e.text_of(name).map(|v| self.interpolate(v));
        let group_id = field("groupId").unwrap_or_default();
        let artifact_id = field("artifactId").unwrap_or_default();
        let managed_scope = managed
            .iter()
            .find(|m| m.group_id == group_id && m.artifact_id == artifact_id)
            .map(|m| m.scope.clone());
        Dependency {
            version: field("version"),
            scope: field("scope")
                .or(managed_scope)
                .unwrap_or_else(|| "compile".into()),
            optional: field("optional").is_some_and(|o| o == "true"),
            line: e.line,
            group_id,
            artifact_id,
        }
    }

    fn dependencies_in(&self, list: Option<&Element>, managed: &[Dependency]) -> Vec<Dependency> {
        list.map(|l| {
            l.children_named("dependency")
                .map(|d| self.dependency(d, managed))
                .collect()
        })
        .unwrap_or_default()
    }

    /// `<dependencies>` of the project, with scopes completed from `<dependencyManagement>`.
    pub fn dependencies(&self) -> Vec<Dependency> {
        let managed =
            self.dependencies_in(self.root.path("dependencyManagement/dependencies"), &[]);
        self.dependencies_in(self.root.child("dependencies"), &managed)
    }

    /// `<build><plugins><plugin>` with this artifactId (pluginManagement does not count: it
    /// configures without enabling).
    pub fn plugin(&self, artifact_id: &str) -> Option<&Element> {
        self.root
            .path("build/plugins")?
            .children_named("plugin")
            .find(|p| p.text_of("artifactId") == Some(artifact_id))
    }
}

fn attributes_of(start: &quick_xml::events::BytesStart) -> Vec<(String, String)> {
    start
        .attributes()
        .flatten()
        .map(|a| (a.key.local_name().as_ref().to_string(), a.value.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const POM: &str = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>org.example</groupId><artifactId>c</artifactId><version>1.0</version>
  <properties><flink.version>2.2.1</flink.version><fv>${flink.version}</fv></properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-core</artifactId><scope>provided</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-core</artifactId><version>${fv}</version></dependency>
    <dependency><groupId>a&amp;b</groupId><artifactId>x</artifactId><scope>test</scope></dependency>
    <dependency><groupId>g</groupId><artifactId>y</artifactId></dependency>
  </dependencies>
</project>"#;

    #[test]
    fn keeps_attributes_of_start_and_empty_elements() {
        let pom = Pom::parse(
            Path::new("pom.xml"),
            r#"<project><t implementation="a.ServicesResourceTransformer"/><u k="v">x</u></project>"#,
        )
        .unwrap();
        let root = &pom.root;
        assert_eq!(
            root.children[0].attributes,
            [(
                "implementation".to_string(),
                "a.ServicesResourceTransformer".to_string()
            )]
        );
        assert_eq!(
            root.children[1].attributes,
            [("k".to_string(), "v".to_string())]
        );
    }

    #[test]
    fn reads_dependencies_with_effective_scope_and_properties() {
        let pom = Pom::parse(Path::new("pom.xml"), POM).unwrap();
        let deps = pom.dependencies();
        assert_eq!(deps.len(), 3);
        assert_eq!(
            (deps[0].scope.as_str(), deps[0].version.as_deref()),
            ("provided", Some("2.2.1"))
        );
        assert_eq!(
            (deps[1].group_id.as_str(), deps[1].scope.as_str()),
            ("a&b", "test")
        );
        assert_eq!(deps[2].scope, "compile");
        assert_eq!(deps[0].line, 9);
        assert_eq!(pom.property("fv").as_deref(), Some("2.2.1"));
    }

    #[test]
    fn malformed_xml_is_a_usage_error() {
        for bad in ["<project><a></project>", "", "<notproject/>", "<project>"] {
            let err = Pom::parse(Path::new("pom.xml"), bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }
}
