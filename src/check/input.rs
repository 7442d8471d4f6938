//! What `check PATH…` reads: a jar, or a project directory (pom.xml, connector.toml if present,
//! and the jars Maven built under target/).

use std::path::{Path, PathBuf};

use crate::errors::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub dir: PathBuf,
    pub pom: Option<PathBuf>,
    pub connector_toml: Option<PathBuf>,
    pub jars: Vec<PathBuf>,
}

/// Build by-products that are not the connector: the pre-shade jar and attached artifacts.
fn is_connector_jar(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with(".jar")
        && !name.starts_with("original-")
        && ![
            "-sources.jar",
            "-javadoc.jar",
            "-tests.jar",
            "-test-sources.jar",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

fn jars_in(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut jars: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("cannot list {}", dir.display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_connector_jar(p))
        .collect();
    jars.sort();
    Ok(jars)
}

/// One project per PATH; a jar PATH is a project of that jar alone.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Project>> {
    paths.iter().map(|path| expand_one(path)).collect()
}

fn expand_one(path: &Path) -> Result<Project> {
    if path.is_file() {
        let is_pom = path.file_name().is_some_and(|n| n == "pom.xml");
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        return Ok(if is_pom {
            Project {
                pom: Some(path.to_owned()),
                connector_toml: None,
                jars: Vec::new(),
                dir,
            }
        } else {
            Project {
                pom: None,
                connector_toml: None,
                jars: vec![path.to_owned()],
                dir,
            }
        });
    }
    if !path.is_dir() {
        return Err(Error::usage(format!(
            "{}: no such file or directory",
            path.display()
        )));
    }
    let existing = |name: &str| Some(path.join(name)).filter(|p| p.is_file());
    let pom = existing("pom.xml");
    let connector_toml = existing("connector.toml");
    let mut jars = jars_in(&path.join("target"))?;
    // A multi-line project builds one jar per line under target/flink-<line>/.
    for dir in crate::multiline::line_build_dirs(path) {
        jars.extend(jars_in(&dir)?);
    }
    if pom.is_none() && connector_toml.is_none() && jars.is_empty() {
        jars = jars_in(path)?;
    }
    if pom.is_none() && connector_toml.is_none() && jars.is_empty() {
        return Err(Error::usage(format!(
            "{}: found no pom.xml, connector.toml or jar to check",
            path.display()
        )));
    }
    Ok(Project {
        dir: path.to_owned(),
        pom,
        connector_toml,
        jars,
    })
}

/// `[flink] version = "…"` from connector.toml, read loosely (the manifest itself is validated
/// by `generate`).
pub fn flink_version_in_toml(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc: toml_edit::DocumentMut = text.parse().ok()?;
    doc.get("flink")?
        .get("version")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_directory_means_pom_toml_and_built_jars() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(expand(&[root.to_path_buf()]).is_err());
        std::fs::write(root.join("pom.xml"), "<project/>").unwrap();
        std::fs::write(
            root.join("connector.toml"),
            "[flink]\nversion = \"2.2.1\"\n",
        )
        .unwrap();
        std::fs::create_dir(root.join("target")).unwrap();
        for name in [
            "c-1.0.jar",
            "original-c-1.0.jar",
            "c-1.0-sources.jar",
            "notes.txt",
        ] {
            std::fs::write(root.join("target").join(name), "").unwrap();
        }
        let project = expand(&[root.to_path_buf()]).unwrap().remove(0);
        assert_eq!(project.jars, vec![root.join("target/c-1.0.jar")]);
        assert!(project.pom.is_some() && project.connector_toml.is_some());
        assert_eq!(
            flink_version_in_toml(&root.join("connector.toml")).as_deref(),
            Some("2.2.1")
        );
        assert!(expand(&[root.join("missing")])
            .unwrap_err()
            .to_string()
            .contains("no such file"));
    }
}
