use std::process::ExitCode;

use cargo_flink_connector::cli::Cargo;
use clap::Parser;

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
    let Cargo::FlinkConnector(cli) = Cargo::parse_from(args);
    cargo_flink_connector::run(cli)
}
