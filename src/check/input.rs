//! What `check PATH…` reads: a jar, a POM file (`pom.xml` or `*.pom`), or a project directory
//! (pom.xml, connector.toml if present, the jars Maven built under target/, and — when no jar
//! is built — its sources). A directory whose pom.xml lists `<modules>` is expanded into its
//! modules as well (an aggregator builds no jar itself).

use std::path::{Path, PathBuf};

use crate::errors::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub dir: PathBuf,
    pub pom: Option<PathBuf>,
    pub connector_toml: Option<PathBuf>,
    pub jars: Vec<PathBuf>,
    /// Given as a directory (its sources are audited when no jar is built).
    pub is_dir: bool,
}

fn jars_in(dir: &Path) -> Result<Vec<PathBuf>> {
    crate::jar::connector_jars_in(dir)
        .map_err(|e| Error::io(format!("cannot list {}", dir.display()), e))
}

use crate::bounds::POM_MAX_MODULE_DEPTH as MAX_MODULE_DEPTH;

/// One project per PATH (a jar PATH is a project of that jar alone), then the modules of
/// aggregator POMs, each once.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Project>> {
    let mut out: Vec<Project> = Vec::new();
    for path in paths {
        let project = expand_one(path)?;
        let mut seen: Vec<PathBuf> = out.iter().map(|p| canonical(&p.dir)).collect();
        add_with_modules(project, &mut out, &mut seen, 0)?;
    }
    Ok(out)
}

fn canonical(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

fn add_with_modules(
    project: Project,
    out: &mut Vec<Project>,
    seen: &mut Vec<PathBuf>,
    depth: usize,
) -> Result<()> {
    let modules = match (&project.pom, project.is_dir) {
        (Some(pom), true) => modules_of(pom),
        _ => Vec::new(),
    };
    seen.push(canonical(&project.dir));
    let dir = project.dir.clone();
    out.push(project);
    if depth >= MAX_MODULE_DEPTH {
        return Ok(());
    }
    for module in modules {
        let path = dir.join(&module);
        let module_dir = if path.is_file() {
            path.parent().unwrap_or(&dir).to_path_buf()
        } else {
            path
        };
        if seen.contains(&canonical(&module_dir)) || !module_dir.join("pom.xml").is_file() {
            continue;
        }
        add_with_modules(expand_one(&module_dir)?, out, seen, depth + 1)?;
    }
    Ok(())
}

/// `<modules>` of a POM (a broken POM yields none here: reading it later reports why).
fn modules_of(pom: &Path) -> Vec<String> {
    let Ok(pom) = crate::pom::Pom::read(pom) else {
        return Vec::new();
    };
    pom.root
        .child("modules")
        .map(|m| {
            m.children_named("module")
                .map(|e| e.text.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn is_pom_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "pom.xml") || path.extension().is_some_and(|e| e == "pom")
}

fn expand_one(path: &Path) -> Result<Project> {
    // A FIFO or device would block or never end; a directory named *.jar is a mistake.
    if path.exists() && (path.extension().is_some_and(|e| e == "jar") || !path.is_dir()) {
        crate::jar::ensure_regular_file(path).map_err(|e| Error::usage(e.to_string()))?;
    }
    if path.is_file() {
        let is_pom = is_pom_file(path);
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        return Ok(if is_pom {
            Project {
                pom: Some(path.to_owned()),
                connector_toml: None,
                jars: Vec::new(),
                is_dir: false,
                dir,
            }
        } else {
            Project {
                pom: None,
                connector_toml: None,
                jars: vec![path.to_owned()],
                is_dir: false,
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
        is_dir: true,
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
