//! One `cmd_*` function per subcommand; each returns the exit code or an [`Error`].

use crate::cli::*;
use crate::errors::{Error, Result};

pub fn cmd_new(_args: NewArgs) -> Result<u8> {
    Err(Error::usage("`new` is not implemented yet"))
}
pub fn cmd_generate(_args: GenerateArgs) -> Result<u8> {
    Err(Error::usage("`generate` is not implemented yet"))
}
pub fn cmd_option(_args: OptionCommand) -> Result<u8> {
    Err(Error::usage("`option` is not implemented yet"))
}
pub fn cmd_check(args: CheckArgs) -> Result<u8> {
    crate::check::cmd_check(args)
}
pub fn cmd_inspect(args: InspectArgs) -> Result<u8> {
    crate::inspect::cmd_inspect(args)
}
pub fn cmd_package(_args: PackageArgs) -> Result<u8> {
    Err(Error::usage("`package` is not implemented yet"))
}
pub fn cmd_templates(_args: TemplatesCommand) -> Result<u8> {
    Err(Error::usage("`templates` is not implemented yet"))
}

pub fn cmd_completions(args: CompletionsArgs) -> Result<u8> {
    use clap::CommandFactory;
    let mut command = Cargo::command();
    clap_complete::generate(args.shell, &mut command, "cargo", &mut std::io::stdout());
    Ok(0)
}
