//! One `cmd_*` function per subcommand; each returns the exit code or an [`Error`].

mod capability;
mod check;
mod completions;
mod dependency;
mod generate;
mod line;
mod new;
mod option;
mod package;
mod package_lines;

use crate::cli::*;
use crate::errors::{Error, IoContext, Result};

pub use capability::cmd_capability;
pub use completions::cmd_completions;
pub use dependency::cmd_dependency;
pub use generate::cmd_generate;
pub use line::cmd_line;
pub use new::cmd_new;
pub use option::cmd_option;
pub use package::cmd_package;

pub fn cmd_check(mut args: CheckArgs) -> Result<u8> {
    // `-D warnings`, as clippy users type it, means `--deny warnings`.
    if let Some(i) = args.deny_rule.iter().position(|r| r == "warnings") {
        args.deny_rule.remove(i);
        args.deny = Some(DenyLevel::Warnings);
    }
    check::cmd_check(args)
}
pub fn cmd_inspect(args: InspectArgs) -> Result<u8> {
    use crate::inspect::{Format, InspectOptions};
    let format = match args.format {
        InspectFormat::Json => Format::Json,
        InspectFormat::Yaml => Format::Yaml,
        InspectFormat::Markdown => Format::Markdown,
    };
    let inspection = crate::inspect::run(&InspectOptions {
        path: args.path,
        format,
    })?;
    for warning in &inspection.warnings {
        eprintln!("warning: {warning}");
    }
    print!("{}", inspection.text);
    Ok(if inspection.unknown {
        crate::inspect::EXIT_UNKNOWN
    } else {
        0
    })
}

pub fn cmd_templates(args: TemplatesCommand) -> Result<u8> {
    match args {
        TemplatesCommand::Export { dir, force } => {
            if !force
                && dir.exists()
                && std::fs::read_dir(&dir)
                    .with_path("read", &dir)?
                    .next()
                    .is_some()
            {
                return Err(Error::usage(format!(
                    "{} is not empty; use --force to overwrite files of the same name",
                    dir.display()
                )));
            }
            let tree = crate::render::TemplateTree::builtin();
            let files = tree.export_files();
            std::fs::create_dir_all(&dir).with_path("create directory", &dir)?;
            for (rel, bytes) in &files {
                let path = crate::project::fs::confined(&dir, rel)?;
                crate::project::fs::refuse_symlinks(&dir, rel)?;
                crate::project::fs::create_parents(&dir, rel)?;
                crate::project::fs::write_atomic(&path, bytes, false)?;
            }
            crate::ui::status(format_args!(
                "Wrote {} template files to {}",
                files.len(),
                dir.display()
            ));
            Ok(0)
        }
    }
}
