//! Command-line types only: parsing lives here, behaviour lives in the `cmd_*` functions.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Cargo runs `cargo-flink-connector flink-connector ARGS…`; this wrapper makes `--help` and
/// usage lines read `cargo flink-connector …`.
#[derive(Debug, Parser)]
#[command(bin_name = "cargo", styles = clap::builder::Styles::styled())]
pub enum Cargo {
    // Not a doc comment: clap would make it the about text of `--help` and of the completions.
    // `display_name`: `--version` prints `cargo-flink-connector 0.x`, as other cargo plugins do.
    #[command(display_name = "cargo-flink-connector")]
    FlinkConnector(Cli),
}

/// Scaffold, re-render, build and audit Apache Flink SQL connectors.
#[derive(Debug, Args)]
#[command(version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// No status lines, diffs or progress (errors, warnings and results are still printed)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Coloring [default: $CARGO_TERM_COLOR, else auto; NO_COLOR turns auto off]
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new connector project (a Maven project rendered from connector.toml)
    New(NewArgs),
    /// Re-render the project in the current directory from its connector.toml
    Generate(GenerateArgs),
    /// Add, remove or change an option in connector.toml, then re-render
    #[command(subcommand)]
    Option(OptionCommand),
    /// Audit connector JARs and projects for packaging mistakes that fail at run time
    Check(CheckArgs),
    /// Read factories, identifiers and options from a connector JAR's bytecode
    Inspect(InspectArgs),
    /// Build the project with Maven, then audit the JAR and write its metadata (every Flink line
    /// of a multi-line project, with one summary table)
    Package(PackageArgs),
    /// Add or remove a Flink line of the project (connector.toml `[flink] lines`), then re-render
    #[command(subcommand)]
    Line(LineCommand),
    /// Add or remove a capability (scan, lookup, sink), then re-render
    #[command(subcommand)]
    Capability(CapabilityCommand),
    /// Add or remove a bundled (relocated) or test-scope Maven dependency, then re-render
    #[command(subcommand)]
    Dependency(DependencyCommand),
    /// Work with the template sets
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Print shell completions that extend cargo's own
    ///
    /// bash: `cargo flink-connector completions bash > ~/.local/share/bash-completion/completions/cargo-flink-connector`
    /// and `source` it from ~/.bashrc after cargo's completion; zsh: write `_cargo-flink-connector`
    /// into a directory of $fpath (cargo's `_cargo` calls it for `cargo flink-connector`); fish:
    /// `> ~/.config/fish/conf.d/cargo-flink-connector.fish` (conf.d: fish then keeps its own cargo
    /// completion).
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Connector name, e.g. `redis`; becomes the factory identifier and the Java class prefix
    pub name: String,
    /// Factory identifier (`'connector' = 'ID'`) if not NAME, e.g. to avoid one a platform preinstalls
    #[arg(long, value_name = "ID")]
    pub identifier: Option<String>,
    /// Flink line (`2.2`) or full version (`2.2.1`) to build against [default: newest 1.20.x];
    /// several (`1.17,1.20,2.2`) make a project that builds one jar per line
    #[arg(long, value_name = "VERSION[,…]", hide_possible_values = true, value_parser = Suggest(flink_lines))]
    pub flink: Option<String>,
    /// Directory to create [default: ./flink-connector-NAME]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Maven groupId [default: org.example]
    #[arg(long, value_name = "G")]
    pub group_id: Option<String>,
    /// Java package [default: GROUP_ID.flink.connector.NAME]
    #[arg(long, value_name = "P")]
    pub package: Option<String>,
    /// Comma-separated subset of scan,lookup,sink [default: all three]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub capabilities: Option<Vec<String>>,
    /// Built-in or team preset [default: the preset named NAME if there is one, else `blank`]
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Team template directory, overlaid file by file over the built-in templates
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write into a non-empty directory, keeping its files (never replaces any, nor a project)
    #[arg(long)]
    pub force: bool,
    /// Print the files that would be written, the Flink version and Java release; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Create the project even if the preset's own code would not compile against it
    #[arg(long)]
    pub allow_broken: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Write nothing; exit 1 with a diff when `generate` would change a file (kept hand edits are
    /// reported, not failed)
    #[arg(long, conflicts_with = "force")]
    pub check: bool,
    /// With --check: also fail on managed files that keep hand edits
    #[arg(long, requires = "check")]
    pub strict: bool,
    /// Overwrite hand edits in managed files instead of merging them
    #[arg(long)]
    pub force: bool,
    /// Team template directory (overrides `templates` in connector.toml)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Project directory [default: the current directory or the nearest parent with connector.toml]
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// Apply a change that leaves the project's own code behind (the places to change are listed)
    #[arg(long)]
    pub allow_broken: bool,
}

#[derive(Debug, Subcommand)]
pub enum OptionCommand {
    /// Add an option
    Add(OptionSpec),
    /// Remove an option
    Remove {
        /// Option key, e.g. `sink.batch-size`
        key: String,
        /// Project directory [default: the current directory or the nearest parent with connector.toml]
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// Apply a change that leaves the project's own code behind (the places to change are listed)
        #[arg(long)]
        allow_broken: bool,
    },
    /// Change fields of an existing option
    Set(OptionSpec),
}

#[derive(Debug, Args)]
pub struct OptionSpec {
    /// Option key, e.g. `sink.batch-size`
    pub key: String,
    /// string, int, long, boolean, double, duration, memory (`64 mb`), list (`a;b`), map or enum
    #[arg(long = "type", value_name = "TYPE", hide_possible_values = true, value_parser = Suggest(option_types))]
    pub type_: Option<String>,
    /// An enum option's allowed values, e.g. `earliest-offset,latest` (a Java enum constant each)
    #[arg(long, value_delimiter = ',', num_args = 1.., value_name = "V,V…")]
    pub values: Option<Vec<String>>,
    /// Default value, in Flink's syntax for the type (`30 s` for durations)
    #[arg(long)]
    pub default: Option<String>,
    /// The option must be set in every table definition (`--required false` to undo)
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub required: Option<bool>,
    /// Never log or echo the value: passwords, tokens (`--sensitive false` to undo)
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub sensitive: Option<bool>,
    /// One-line description (Javadoc, Flink's option description, README)
    #[arg(long)]
    pub description: Option<String>,
    /// Project directory [default: the current directory or the nearest parent with connector.toml]
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// Apply a change that leaves the project's own code behind (the places to change are listed)
    #[arg(long)]
    pub allow_broken: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Connector JARs, POM files or project directories (pom.xml, connector.toml, target/*.jar,
    /// and the sources when no jar is built) [default: the current directory]
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Runtime to check against: a line 1.17 … 2.3 (`2.2`, `flink-2.2`, with a patch `2.2.1`),
    /// vvr-8.0, vvr-11.1 …; a range of lines (1.17..2.3) or `all` prints a compatibility matrix
    #[arg(long, value_name = "T", hide_possible_values = true, value_parser = Suggest(targets))]
    pub target: Option<String>,
    /// Flink lib/ directory of the runtime, for member-level API checks
    #[arg(long, value_name = "DIR")]
    pub flink_lib: Option<PathBuf>,
    /// Report format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// `--deny warnings` makes warnings fail the check
    #[arg(long, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// Allow (silence) a rule
    #[arg(short = 'A', long = "allow", value_name = "RULE", hide_possible_values = true, value_parser = Suggest(rule_ids))]
    pub allow: Vec<String>,
    /// Make a rule a warning
    #[arg(short = 'W', long = "warn", value_name = "RULE", hide_possible_values = true, value_parser = Suggest(rule_ids))]
    pub warn: Vec<String>,
    /// Make a rule an error
    #[arg(short = 'D', long = "deny-rule", value_name = "RULE", hide_possible_values = true, value_parser = Suggest(rule_ids))]
    pub deny_rule: Vec<String>,
    /// Read only the central directory, manifest, services file and factory classes (fast on
    /// huge jars); rules that need every class file are skipped and the report says so
    #[arg(long)]
    pub layout_only: bool,
    /// List every rule (id, family, default severity, summary) and exit
    #[arg(long, conflicts_with = "explain")]
    pub list_rules: bool,
    /// Explain a rule (or every rule of a family, e.g. F8): what it finds, why it matters, how
    /// to fix it
    #[arg(long, value_name = "RULE", hide_possible_values = true, value_parser = Suggest(rule_ids))]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    Warnings,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Connector JAR, or a project directory (the jars Maven built under its target/)
    pub path: PathBuf,
    /// json: the stable shape for tools; yaml: Ververica's connector-meta.yaml; markdown: for READMEs
    #[arg(long, value_enum, default_value_t = InspectFormat::Json)]
    pub format: InspectFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Json,
    Yaml,
    Markdown,
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Pass -o to Maven
    #[arg(long)]
    pub offline: bool,
    /// Build only these Flink lines of a multi-line project (`--line 2.2`, `--line 1.17,2.2`)
    #[arg(long, value_name = "LINE", value_delimiter = ',', hide_possible_values = true, value_parser = Suggest(flink_lines))]
    pub line: Vec<String>,
    /// Project directory [default: the current directory or the nearest parent with connector.toml]
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// Arguments passed through to Maven
    #[arg(last = true)]
    pub maven_args: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum LineCommand {
    /// Build the project for one more Flink line (`2.3`, or a release such as `2.2.0`)
    Add {
        /// The Flink line to add (`2.3`), or a released version (`2.2.0`)
        #[arg(hide_possible_values = true, value_parser = Suggest(flink_lines))]
        line: String,
        /// Project directory (default: the current directory)
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// Apply a change that leaves the project's own code behind (the places to change are listed)
        #[arg(long)]
        allow_broken: bool,
    },
    /// Stop building a Flink line (not the primary: change `[flink] version` for that)
    Remove {
        /// The Flink line to stop building (`1.17`)
        #[arg(hide_possible_values = true, value_parser = Suggest(flink_lines))]
        line: String,
        /// Project directory (default: the current directory)
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// Apply a change that leaves the project's own code behind (the places to change are listed)
        #[arg(long)]
        allow_broken: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in templates to DIR, as a starting point for a team template set
    Export {
        /// Directory to write (with the templates README)
        dir: PathBuf,
        /// Write into a non-empty directory, replacing files of the same name
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to print completions for (they extend cargo's own completion; see --help)
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Accepts any text (the command validates it, with its own message) and offers the values of
/// its list to shell completion (help does not list them: `hide_possible_values`).
#[derive(Clone, Copy)]
struct Suggest(fn() -> &'static [&'static str]);

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0().iter().map(|v| PossibleValue::new(*v))))
    }
}

/// Built once per process: completion values must be `'static`.
fn once(
    cell: &'static OnceLock<Vec<&'static str>>,
    list: impl FnOnce() -> Vec<&'static str>,
) -> &'static [&'static str] {
    cell.get_or_init(list)
}

fn flink_lines() -> &'static [&'static str] {
    static CELL: OnceLock<Vec<&'static str>> = OnceLock::new();
    once(&CELL, || {
        crate::flink::LINES.iter().map(|l| l.line).collect()
    })
}

/// Every line as `flink-L`, every VVR engine, and `all`.
fn targets() -> &'static [&'static str] {
    static CELL: OnceLock<Vec<&'static str>> = OnceLock::new();
    once(&CELL, || {
        let lines = crate::flink::LINES
            .iter()
            .map(|l| format!("flink-{}", l.line));
        let vvr = crate::flink::distribution::VVR_ENGINES
            .iter()
            .map(|(engine, ..)| format!("vvr-{engine}"));
        lines
            .chain(vvr)
            .map(|t| &*Box::leak(t.into_boxed_str()))
            .chain(["all"])
            .collect()
    })
}

fn rule_ids() -> &'static [&'static str] {
    static CELL: OnceLock<Vec<&'static str>> = OnceLock::new();
    once(&CELL, || crate::check::rules::all().map(|r| r.id).collect())
}

fn option_types() -> &'static [&'static str] {
    static CELL: OnceLock<Vec<&'static str>> = OnceLock::new();
    once(&CELL, || {
        crate::manifest::OptionType::NAMES.split(", ").collect()
    })
}

// ---- manifest commands: capability, dependency (issue 18) ----

#[derive(Debug, Subcommand)]
pub enum CapabilityCommand {
    /// Add a capability; the owned client gets marked stubs for the methods it needs
    Add(CapabilityArgs),
    /// Remove a capability (not the last one)
    Remove(CapabilityArgs),
}

#[derive(Debug, Args)]
pub struct CapabilityArgs {
    /// scan, lookup or sink
    pub capability: String,
    /// Project directory [default: the current directory or the nearest parent with connector.toml]
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// Apply a change that leaves the project's own code behind (the places to change are listed)
    #[arg(long)]
    pub allow_broken: bool,
}

#[derive(Debug, Subcommand)]
pub enum DependencyCommand {
    /// Add a dependency: bundled into the jar (relocated) or, with --test, test scope only
    Add {
        /// Maven coordinates GROUP:ARTIFACT:VERSION, e.g. `org.apache.commons:commons-pool2:2.12.0`
        coordinates: String,
        /// Java package to relocate under `<package>.shaded.` (repeatable) [default: none]
        #[arg(long, value_name = "PACKAGE", conflicts_with = "test")]
        relocate: Vec<String>,
        /// Test scope (e.g. `org.assertj:assertj-core:3.27.3`): on the test class path, not in the jar
        #[arg(long)]
        test: bool,
        /// Project directory [default: the current directory or the nearest parent with connector.toml]
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// Apply a change that leaves the project's own code behind (the places to change are listed)
        #[arg(long)]
        allow_broken: bool,
    },
    /// Remove a dependency by GROUP:ARTIFACT
    Remove {
        /// GROUP:ARTIFACT (a version is ignored)
        coordinates: String,
        /// Project directory [default: the current directory or the nearest parent with connector.toml]
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// Apply a change that leaves the project's own code behind (the places to change are listed)
        #[arg(long)]
        allow_broken: bool,
    },
}
