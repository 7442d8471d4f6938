//! A Maven pom.xml, read with quick-xml into a small element tree ([`Pom`]), and its effective
//! model ([`EffectivePom`]): parents resolved, inheritance and management applied.

pub mod contributed;
pub mod effective;
pub mod merge;
pub mod resolve;

pub use effective::{Dependency, EffectivePom};
pub use resolve::{Gav, ResolveOptions, Resolver};

use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::bounds::{POM_MAX_BYTES, POM_MAX_ELEMENTS, POM_MAX_NESTING};
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
    /// Which file of an effective model it came from (0: the project's own POM).
    pub origin: usize,
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
    // Positions only grow while reading: count newlines incrementally (large BOMs made a
    // count from the start of the file per element quadratic).
    let counted = std::cell::Cell::new((0usize, 1usize));
    let line_at = |pos: u64| {
        let pos = (pos as usize).min(text.len());
        let (from, line) = counted.get();
        let (from, line) = if pos < from { (0, 1) } else { (from, line) };
        let line = line
            + text.as_bytes()[from..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        counted.set((pos, line));
        line
    };
    let mut stack: Vec<Element> = vec![Element::default()];
    // Each element costs a tree node: their number bounds the memory a POM can take.
    let mut elements = 0usize;
    let mut count = || {
        elements += 1;
        if elements > POM_MAX_ELEMENTS {
            Err(format!("more than {POM_MAX_ELEMENTS} elements"))
        } else {
            Ok(())
        }
    };
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("line {}: {e}", line_at(reader.error_position())))?;
        match event {
            Event::Start(start) => {
                count()?;
                if stack.len() > POM_MAX_NESTING {
                    return Err(format!("elements nested deeper than {POM_MAX_NESTING}"));
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
                count()?;
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

/// One pom.xml as written (no inheritance): see [`EffectivePom`] for what Maven builds from it.
#[derive(Debug, Clone)]
pub struct Pom {
    pub path: PathBuf,
    pub root: Element,
}

impl Pom {
    /// Reads at most [`POM_MAX_BYTES`]: a larger file is refused before it is read whole.
    pub fn read(path: &Path) -> Result<Pom> {
        use std::io::Read;
        let cannot = |e| Error::io(format!("cannot read {}", path.display()), e);
        // A FIFO would block the open: only regular files are read.
        let kind = std::fs::metadata(path).map_err(cannot)?.file_type();
        if let Some(kind) = crate::jar::irregular_kind(&kind) {
            return Err(Error::usage(format!(
                "{} is {kind}, not a pom.xml",
                path.display()
            )));
        }
        let file = std::fs::File::open(path).map_err(cannot)?;
        let mut bytes = Vec::new();
        file.take(POM_MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() as u64 > POM_MAX_BYTES {
            return Err(Error::usage(format!(
                "{}: larger than {} MiB, the limit for a pom.xml",
                path.display(),
                POM_MAX_BYTES >> 20
            )));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::usage(format!("{}: not a readable pom.xml: {e}", path.display()))
        })?;
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
        Ok(Pom {
            path: path.to_owned(),
            root,
        })
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
    fn malformed_xml_is_a_usage_error() {
        for bad in ["<project><a></project>", "", "<notproject/>", "<project>"] {
            let err = Pom::parse(Path::new("pom.xml"), bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }
}
