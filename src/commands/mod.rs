//! One `cmd_*` function per subcommand; each returns the exit code or an [`Error`].

mod check;
mod generate;
mod line;
mod new;
mod option;
mod package;
mod package_lines;

use crate::cli::*;
use crate::errors::Result;

pub use check::cmd_check;
pub use generate::cmd_generate;
pub use line::cmd_line;
pub use new::cmd_new;
pub use option::cmd_option;
pub use package::cmd_package;

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
    Ok(0)
}
pub fn cmd_templates(args: TemplatesCommand) -> Result<u8> {
    match args {
        TemplatesCommand::Export { dir, force } => {
            let count = crate::render::TemplateTree::builtin().export(&dir, force)?;
            println!("Wrote {count} template files to {}", dir.display());
            Ok(0)
        }
    }
}

pub fn cmd_completions(args: CompletionsArgs) -> Result<u8> {
    use clap::CommandFactory;
    let mut command = Cargo::command();
    clap_complete::generate(args.shell, &mut command, "cargo", &mut std::io::stdout());
    Ok(0)
}
