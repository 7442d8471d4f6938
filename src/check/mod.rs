//! `check PATH…`: the static packaging audit. Each jar is read once ([`context`]), every rule
//! family looks at it ([`rules`]), and the findings go to one of five reporters ([`report`]).

pub mod catalog;
pub mod context;
pub mod finding;
pub mod input;
pub mod report;
pub mod rules;
pub mod target;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::errors::{Error, Result};
use crate::flink::index::lines_with;
use crate::flink::runtime::RuntimeLib;
use crate::flink::{version_from_jar_name, LINES};
use crate::jar::JarIndex;
use crate::pom::{EffectivePom, ResolveOptions, Resolver};

use context::{Depth, JarContext, JarFacts};
use finding::{Finding, Findings, Levels, Severity};
use input::Project;
use target::{version_from_text, Target};

pub struct CheckOptions {
    pub target: Option<Target>,
    pub flink_lib: Option<PathBuf>,
    /// Several targets: check each jar against every one and report a compatibility matrix
    /// (`target` is then ignored for jars).
    pub matrix: Vec<Target>,
    /// Without `flink_lib`, look for the target's lib/ in the provisioned cache before falling
    /// back to the embedded index (false: behave like a fresh install).
    pub provisioned: bool,
    pub depth: Depth,
    pub levels: Levels,
    pub deny_warnings: bool,
    pub threads: usize,
}

#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub target: String,
    pub engine: Option<String>,
    /// What was assumed or not checked (inferred target, missing runtime, layout mode).
    pub notes: Vec<String>,
    pub findings: Vec<Finding>,
    /// With several targets (`--target flink-1.17..flink-2.3`, `all`): one verdict per line.
    pub matrix: Option<Vec<LineVerdict>>,
}

/// Whether a jar runs on one line, and if not, the first reasons (error-level findings).
#[derive(Debug, Clone, Serialize)]
pub struct LineVerdict {
    pub target: String,
    pub runs: bool,
    pub errors: usize,
    pub warnings: usize,
    /// `rule: message` of the first errors.
    pub reasons: Vec<String>,
}

/// How many reasons a failing line lists.
const MATRIX_REASONS: usize = 3;

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub target: String,
    pub files: Vec<FileReport>,
    pub summary: Summary,
    #[serde(skip)]
    pub deny_warnings: bool,
}

impl Report {
    fn new(files: Vec<FileReport>, deny_warnings: bool) -> Report {
        let mut summary = Summary::default();
        for finding in files.iter().flat_map(|f| &f.findings) {
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        let target = files.first().map(|f| f.target.clone()).unwrap_or_default();
        Report {
            target,
            files,
            summary,
            deny_warnings,
        }
    }

    /// Whether a finding of this severity fails the check.
    pub fn fails(&self, severity: Severity) -> bool {
        severity == Severity::Error || (self.deny_warnings && severity == Severity::Warning)
    }

    pub fn exit_code(&self) -> u8 {
        let runs_nowhere = self
            .files
            .iter()
            .any(|f| f.matrix.as_ref().is_some_and(|m| !m.iter().any(|v| v.runs)));
        u8::from(
            self.summary.errors > 0
                || (self.deny_warnings && self.summary.warnings > 0)
                || runs_nowhere,
        )
    }
}

/// Runs the audit and writes the report: the API `check` and `package` share. Returns the
/// exit code (1 when a finding fails the check).
pub fn audit(
    paths: &[PathBuf],
    options: &CheckOptions,
    format: report::Format,
    out: &mut dyn std::io::Write,
) -> Result<u8> {
    let report = run(paths, options)?;
    report::write(&report, format, out).map_err(|e| Error::io("cannot write the report", e))?;
    Ok(report.exit_code())
}

impl CheckOptions {
    /// Deep audit against one target with default levels (what `package` runs).
    pub fn for_target(target: Target) -> CheckOptions {
        CheckOptions {
            target: Some(target),
            flink_lib: None,
            matrix: Vec::new(),
            provisioned: true,
            depth: Depth::Deep,
            levels: Levels::default(),
            deny_warnings: false,
            threads: default_threads(),
        }
    }
}

pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// `-A/-W/-D RULE` overrides; an unknown id is a usage error with the closest known id.
pub fn levels_from(allow: &[String], warn: &[String], deny: &[String]) -> Result<Levels> {
    let mut levels = Levels::default();
    for (ids, level) in [
        (allow, None),
        (warn, Some(Severity::Warning)),
        (deny, Some(Severity::Error)),
    ] {
        for id in ids {
            levels.set(rules::find(id).ok_or_else(|| unknown_rule(id))?.id, level);
        }
    }
    Ok(levels)
}

pub fn unknown_rule(id: &str) -> Error {
    let hint = match rules::closest(id) {
        Some(known) => format!("did you mean '{known}'? "),
        None => String::new(),
    };
    Error::usage(format!(
        "unknown rule '{id}'; {hint}`check --list-rules` lists every rule and its family"
    ))
}

/// Opens each lib/ directory once per run.
#[derive(Default)]
struct Runtimes {
    open: HashMap<PathBuf, Option<RuntimeLib>>,
}

impl Runtimes {
    /// The embedded index of the target's line (a fresh install has no lib/).
    fn embedded(&mut self, target: &Target) -> Option<&RuntimeLib> {
        let key = PathBuf::from(format!("<index {}>", target.version.line.line));
        self.open
            .entry(key)
            .or_insert_with(|| RuntimeLib::embedded(target.version.line))
            .as_ref()
    }

    fn get(&mut self, dir: &Path) -> Option<&RuntimeLib> {
        self.open
            .entry(dir.to_owned())
            .or_insert_with(|| RuntimeLib::open(dir).ok())
            .as_ref()
    }
}

pub fn run(paths: &[PathBuf], options: &CheckOptions) -> Result<Report> {
    let projects = input::expand(paths)?;
    let mut runtimes = Runtimes::default();
    let mut resolver = Resolver::new(ResolveOptions::from_env());
    let mut files = Vec::new();
    for project in &projects {
        let pom = project
            .pom
            .as_deref()
            .map(|p| EffectivePom::load(p, &mut resolver))
            .transpose()?;
        let declared = pom.as_ref().and_then(rules::pom::declared);
        let (usable, unsupported) = match declared {
            Some(rules::pom::Declared::Line(t, source)) => (Some((t, source)), None),
            Some(rules::pom::Declared::Unsupported { text, source }) => {
                (None, Some((text, source)))
            }
            None => (
                declared_in_toml(project).or_else(|| enclosing_project(project, &mut resolver)),
                None,
            ),
        };
        for jar_path in &project.jars {
            let for_line = line_declared(jar_path, usable.as_ref());
            let mut report = if options.matrix.is_empty() {
                check_jar(
                    jar_path,
                    for_line.as_ref().or(usable.as_ref()),
                    None,
                    options,
                    &mut runtimes,
                )?
            } else {
                check_matrix(jar_path, options, &mut runtimes)?
            };
            if let Some((text, source)) = &unsupported {
                report.notes.insert(
                    0,
                    format!("{source}: {text} is not a supported Flink line, so it was not used as the target"),
                );
            }
            files.push(report);
        }
        if let Some(pom) = &pom {
            files.push(check_pom(
                pom,
                &mut resolver,
                usable.as_ref(),
                unsupported.as_ref(),
                options,
            ));
        }
        // An aggregator (packaging pom) has no sources of its own; its modules are projects.
        if pom.as_ref().is_none_or(|p| p.packaging != "pom") {
            files.extend(rules::project::check_sources(
                project,
                pom.as_ref(),
                &options.levels,
            ));
        }
    }
    Ok(Report::new(files, options.deny_warnings))
}

/// A multi-line project's jar is checked against its own line (its `target/flink-<line>/` or
/// `-<line>.jar` name), not the primary version pom.xml declares. (A lone jar's name is read by
/// `infer_target` anyway.)
fn line_declared(jar: &Path, declared: Option<&(Target, String)>) -> Option<(Target, String)> {
    let (declared, _) = declared?;
    let line = crate::multiline::line_of_jar(jar)?;
    if declared.version.line.line == line {
        return None;
    }
    let version = crate::flink::find_line(line)?.latest();
    Some((
        Target::for_version(version, false, None),
        format!("the jar's Flink line {line}"),
    ))
}

/// A jar given alone that Maven built inside a project (`<dir>/target/x.jar`, or a line's
/// `target/flink-<line>/x.jar`) is checked against that project's line, as `check <dir>` is.
fn enclosing_project(project: &Project, resolver: &mut Resolver) -> Option<(Target, String)> {
    if project.is_dir || project.pom.is_some() {
        return None;
    }
    let jar = project.jars.first()?.canonicalize().ok()?;
    let target_dir = jar
        .ancestors()
        .skip(1)
        .take(2)
        .find(|d| d.file_name().is_some_and(|n| n == "target"))?;
    let root = target_dir.parent()?;
    let pom = root.join("pom.xml");
    let from_pom = pom
        .is_file()
        .then(|| EffectivePom::load(&pom, resolver).ok())
        .flatten()
        .and_then(|pom| match rules::pom::declared(&pom)? {
            rules::pom::Declared::Line(target, source) => Some((target, source)),
            rules::pom::Declared::Unsupported { .. } => None,
        });
    let (target, source) = from_pom.or_else(|| {
        declared_in_toml(&Project {
            connector_toml: Some(root.join("connector.toml")),
            ..project.clone()
        })
    })?;
    Some((
        target,
        format!("the project's {source} ({})", root.display()),
    ))
}

/// connector.toml's `[flink] version`, when there is no pom.xml to say it.
fn declared_in_toml(project: &Project) -> Option<(Target, String)> {
    let text = project
        .connector_toml
        .as_deref()
        .and_then(input::flink_version_in_toml)?;
    let (version, exact) = version_from_text(&text)?;
    Some((
        Target::for_version(version, exact, None),
        format!("connector.toml = {text}"),
    ))
}

/// One jar against every target of `options.matrix`: a verdict per line.
fn check_matrix(
    path: &Path,
    options: &CheckOptions,
    runtimes: &mut Runtimes,
) -> Result<FileReport> {
    let mut verdicts = Vec::new();
    let mut notes = Vec::new();
    for target in &options.matrix {
        let report = check_jar(path, None, Some(target), options, runtimes)?;
        let errors: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        notes.extend(
            report
                .notes
                .iter()
                .filter(|n| n.starts_with("runtime classes") || n.starts_with("no lib/"))
                .map(|n| format!("{}: {n}", report.target)),
        );
        verdicts.push(LineVerdict {
            target: report.target.clone(),
            runs: errors.is_empty(),
            errors: errors.len(),
            warnings: report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count(),
            // A grouped finding's reasons are its occurrences: each names the API that fails.
            reasons: errors
                .iter()
                .flat_map(|f| {
                    let details: Vec<&str> = if f.occurrences.is_empty() {
                        vec![&f.message]
                    } else {
                        f.occurrences.iter().map(|o| o.detail.as_str()).collect()
                    };
                    details.into_iter().map(|d| format!("{}: {d}", f.rule))
                })
                .take(MATRIX_REASONS)
                .collect(),
        });
    }
    let label = match (options.matrix.first(), options.matrix.last()) {
        (Some(first), Some(last)) if options.matrix.len() > 1 => {
            format!("{}..{}", first.label(), last.label())
        }
        (Some(only), _) => only.label(),
        _ => String::new(),
    };
    Ok(FileReport {
        path: path.display().to_string(),
        target: label,
        engine: None,
        notes,
        findings: Vec::new(),
        matrix: Some(verdicts),
    })
}

fn check_jar(
    path: &Path,
    declared: Option<&(Target, String)>,
    target: Option<&Target>,
    options: &CheckOptions,
    runtimes: &mut Runtimes,
) -> Result<FileReport> {
    let jar = JarIndex::open(path).map_err(|e| Error::usage(e.to_string()))?;
    let facts = JarFacts::gather(&jar, options.depth, options.threads);
    let mut notes = Vec::new();
    let target = match target.or(options.target.as_ref()) {
        Some(t) => t.clone(),
        None => infer_target(&jar, &facts, declared),
    };
    if let Some(assumed) = &target.assumed {
        notes.push(format!("target {target}: {assumed}"));
    }
    let lib_dir = options.flink_lib.clone().or_else(|| {
        options
            .provisioned
            .then(|| RuntimeLib::cached_dir(&target.version))
            .flatten()
    });
    let runtime = match &lib_dir {
        Some(dir) => runtimes.get(dir),
        None => runtimes.embedded(&target),
    };
    match (&runtime, &lib_dir) {
        (Some(r), _) => notes.push(format!("runtime classes from {}", r.describe())),
        (None, Some(dir)) => notes.push(format!("{} could not be read; built-in tables used", dir.display())),
        (None, None) => notes.push(format!("no lib/ and no built-in class index for {target} (pass --flink-lib DIR for class- and member-level API checks); built-in tables used")),
    }
    if options.depth == Depth::Layout {
        notes.push(format!(
            "layout only: class files not read; not run: {}",
            rules::needing_class_files().join(", ")
        ));
    }
    let ctx = JarContext::new(&jar, facts, target, runtime);
    let mut findings = Findings::new(&options.levels);
    rules::check_jar(&ctx, &mut findings);
    // Overlapping entries and the decompression budget: say what the rules could not read.
    notes.extend(jar.skipped());
    Ok(FileReport {
        path: path.display().to_string(),
        target: ctx.target.label(),
        engine: ctx.target.engine.clone(),
        notes,
        findings: findings.items,
        matrix: None,
    })
}

fn check_pom(
    pom: &EffectivePom,
    resolver: &mut Resolver,
    declared: Option<&(Target, String)>,
    unsupported: Option<&(String, String)>,
    options: &CheckOptions,
) -> FileReport {
    let mut notes = Vec::new();
    let target = match (&options.target, declared, unsupported) {
        (Some(t), _, _) => Some(t.clone()),
        (None, Some((t, source)), _) => {
            notes.push(format!("target {}: from {source}", t.label()));
            Some(t.clone())
        }
        (None, None, Some(_)) => None,
        // flink.version may be in the parent that could not be read: no assumption.
        (None, None, None) if pom.parent_unknown => None,
        (None, None, None) => {
            let t = default_target("no flink.version in pom.xml");
            notes.push(format!(
                "target {}: {}",
                t.label(),
                t.assumed.clone().unwrap_or_default()
            ));
            Some(t)
        }
    };
    let mut findings = Findings::new(&options.levels);
    notes.extend(rules::pom::check(
        pom,
        target.as_ref(),
        resolver,
        &mut findings,
    ));
    FileReport {
        path: pom.path().display().to_string(),
        target: match (&target, unsupported) {
            (Some(t), _) => t.label(),
            (None, Some((text, _))) => format!("flink-{text} (unsupported line)"),
            (None, None) => "unknown".to_string(),
        },
        engine: target.as_ref().and_then(|t| t.engine.clone()),
        notes,
        findings: findings.items,
        matrix: None,
    }
}

fn default_target(why: &str) -> Target {
    let version = crate::flink::FlinkVersion::default_for_new();
    Target::for_version(
        version,
        false,
        Some(format!(
            "{why}; assumed {} (pass --target)",
            version.line.line
        )),
    )
}

/// Without `--target`: the project's declared version, the jar name's, or what the bytecode
/// says (refs to APIs removed in 2.0 → 1.20; Java 11+ classes → the newest 2.x line).
fn infer_target(jar: &JarIndex, facts: &JarFacts, declared: Option<&(Target, String)>) -> Target {
    if let Some((target, source)) = declared {
        let mut t = target.clone();
        t.assumed = Some(format!("from {source}"));
        return t;
    }
    let file_name = jar
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some((version, exact)) = version_from_jar_name(&file_name) {
        return Target::for_version(
            version,
            exact,
            Some(format!("from the jar name {file_name}")),
        );
    }
    let refers_to_removed = facts.classes.iter().flatten().any(|c| {
        c.foreign_refs.iter().any(|r| {
            let lines = lines_with(r);
            !lines.is_empty() && lines.iter().all(|l| l.starts_with("1."))
        })
    });
    let newest = |major: u32| {
        LINES
            .iter()
            .rev()
            .find(|l| l.major() == major)
            .map(|l| l.latest())
    };
    if refers_to_removed {
        if let Some(v) = newest(1) {
            return Target::for_version(
                v,
                false,
                Some(format!(
                    "it refers to Flink classes only 1.x ships; assumed {} (pass --target)",
                    v.line.line
                )),
            );
        }
    }
    if facts.max_base_major(jar).is_some_and(|m| m >= 55) {
        if let Some(v) = newest(2) {
            return Target::for_version(
                v,
                false,
                Some(format!(
                    "its classes need Java 11+; assumed {} (pass --target)",
                    v.line.line
                )),
            );
        }
    }
    default_target("no Flink version in the jar name or project")
}
