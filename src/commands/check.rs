//! `check`: maps the CLI's arguments onto the audit's own options (clap types stay in cli.rs).

use crate::check::context::Depth;
use crate::check::report::Format;
use crate::check::target::Target;
use crate::check::{self, catalog, CheckOptions};
use crate::cli::{CheckArgs, CheckFormat, DenyLevel};
use crate::errors::{Error, Result};

pub fn format_of(format: CheckFormat) -> Format {
    match format {
        CheckFormat::Human => Format::Human,
        CheckFormat::Json => Format::Json,
        CheckFormat::Sarif => Format::Sarif,
        CheckFormat::Junit => Format::Junit,
        CheckFormat::Github => Format::Github,
    }
}

pub fn cmd_check(args: CheckArgs) -> Result<u8> {
    let format = format_of(args.format);
    let mut out = std::io::stdout().lock();
    let written = |r: std::io::Result<()>| r.map_err(|e| Error::io("cannot write", e));
    if args.list_rules {
        written(catalog::list(format, &mut out))?;
        return Ok(0);
    }
    if let Some(id) = &args.explain {
        let rules = catalog::explained(id).ok_or_else(|| check::unknown_rule(id))?;
        written(catalog::explain(&rules, format, &mut out))?;
        return Ok(0);
    }
    if let Some(dir) = &args.flink_lib {
        if !dir.is_dir() {
            return Err(Error::usage(format!(
                "--flink-lib {}: not a directory",
                dir.display()
            )));
        }
        // A FIFO named *.jar in lib/ would block the open; refuse it up front.
        crate::jar::ensure_regular_jars_in(dir)
            .map_err(|e| Error::usage(format!("--flink-lib: {e}")))?;
    }
    let matrix = match args.target.as_deref().and_then(Target::parse_many) {
        Some(targets) => targets?,
        None => Vec::new(),
    };
    let target = match (&args.target, matrix.is_empty()) {
        (Some(text), true) => Some(Target::parse(text)?),
        _ => None,
    };
    let options = CheckOptions {
        target,
        flink_lib: args.flink_lib.clone(),
        matrix,
        provisioned: true,
        depth: if args.layout_only {
            Depth::Layout
        } else {
            Depth::Deep
        },
        levels: check::levels_from(&args.allow, &args.warn, &args.deny_rule)?,
        deny_warnings: args.deny == Some(DenyLevel::Warnings),
        threads: check::default_threads(),
    };
    check::audit(&args.paths, &options, format, &mut out)
}
