use std::process::ExitCode;

use cargo_flink_connector::cli::Cargo;
use cargo_flink_connector::ui::ColorWhen;
use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`… | head -1`) would panic; a CLI
    // should end quietly like other Unix tools.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Cargo passes the subcommand name first; accept a direct `cargo-flink-connector new …` too.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).map(|a| a != "flink-connector").unwrap_or(true) {
        args.insert(1, "flink-connector".into());
    }
    // clap prints help and usage errors itself: give it the same colour choice as the tool.
    let flag = args
        .iter()
        .zip(args.iter().skip(1).chain(std::iter::once(&"".into())))
        .find_map(|(a, next)| {
            let a = a.to_str()?;
            let value = a
                .strip_prefix("--color=")
                .or((a == "--color").then_some(next.to_str()?))?;
            ColorWhen::parse(value)
        });
    let color = if ColorWhen::resolve(flag) {
        clap::ColorChoice::Always
    } else {
        clap::ColorChoice::Never
    };
    let matches = Cargo::command().color(color).get_matches_from(args);
    let Cargo::FlinkConnector(cli) = Cargo::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cargo_flink_connector::run(cli)
}
