//! `cargo flink-connector`: scaffold, re-render, build and audit Apache Flink SQL connectors.
//!
//! Two pipelines share one table of per-Flink-line knowledge ([`flink`]):
//! render (manifest → templates → files) and audit (jar/pom → rules → reports).

pub mod bounds;
pub mod build;
pub mod check;
pub mod classfile;
pub mod cli;
pub mod errors;
pub mod escape;
pub mod flink;
pub mod fuzzing;
pub mod inspect;
pub mod jar;
pub mod manifest;
pub mod multiline;
pub mod pom;
pub mod project;
pub mod render;
pub mod settings;
pub mod ui;

mod commands;

use std::process::ExitCode;

use cli::{Cli, Command};

/// Runs one command and turns its outcome into the process exit code (errors print one line).
pub fn run(cli: Cli) -> ExitCode {
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => ui::Verbosity::Quiet,
        (_, true) => ui::Verbosity::Verbose,
        _ => ui::Verbosity::Normal,
    };
    let color = cli.color.map(|c| match c {
        cli::ColorArg::Auto => ui::ColorWhen::Auto,
        cli::ColorArg::Always => ui::ColorWhen::Always,
        cli::ColorArg::Never => ui::ColorWhen::Never,
    });
    ui::init(verbosity, ui::ColorWhen::resolve(color));
    let outcome = match cli.command {
        Command::New(args) => commands::cmd_new(args),
        Command::Generate(args) => commands::cmd_generate(args),
        Command::Option(args) => commands::cmd_option(args),
        Command::Check(args) => commands::cmd_check(args),
        Command::Inspect(args) => commands::cmd_inspect(args),
        Command::Package(args) => commands::cmd_package(args),
        Command::Line(args) => commands::cmd_line(args),
        Command::Capability(args) => commands::cmd_capability(args),
        Command::Dependency(args) => commands::cmd_dependency(args),
        Command::Templates(args) => commands::cmd_templates(args),
        Command::Completions(args) => commands::cmd_completions(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if ui::color() {
                eprintln!("\x1b[1;31merror\x1b[0m: {err}");
            } else {
                eprintln!("error: {err}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}
