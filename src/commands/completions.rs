//! `cargo flink-connector completions SHELL`: completions that extend cargo's own.
//!
//! Completion scripts generated for `cargo` would replace cargo's (rustup's) completion. Instead
//! the tool's completion is generated for its own binary, `cargo-flink-connector`, and hooked into
//! cargo's per shell: bash wraps cargo's completion function (delegating everything but
//! `cargo flink-connector …`), zsh defines `_cargo-flink-connector`, which cargo's `_cargo` calls
//! for the external subcommand, and fish adds `complete -c cargo …` lines, which fish merges with
//! cargo's. PowerShell and elvish get the completion of `cargo-flink-connector` itself.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cargo, CompletionsArgs};
use crate::errors::Result;

const BIN: &str = "cargo-flink-connector";
/// The name bash's completion functions are generated for (`_cargo_flink_connector`).
const BASH_NAME: &str = "cargo_flink_connector";

/// Keeps cargo's bash completion and adds ours for `cargo flink-connector …`.
const BASH_HOOK: &str = r#"
# cargo flink-connector: extend cargo's completion instead of replacing it.
__cargo_flink_connector_complete() {
    if [[ ${COMP_WORDS[1]-} == flink-connector ]]; then
        local COMP_WORDS=(cargo-flink-connector "${COMP_WORDS[@]:2}")
        local COMP_CWORD=$((COMP_CWORD - 1))
        _cargo_flink_connector cargo-flink-connector "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        return
    fi
    if [[ -n ${__cargo_flink_connector_cargo-} ]]; then
        "$__cargo_flink_connector_cargo" "$@"
    fi
}
if ! complete -p cargo >/dev/null 2>&1 && declare -F _completion_loader >/dev/null 2>&1; then
    _completion_loader cargo
fi
if [[ $(complete -p cargo 2>/dev/null) =~ -F\ ([^ ]+) ]] && [[ ${BASH_REMATCH[1]} != __cargo_flink_connector_complete ]]; then
    __cargo_flink_connector_cargo=${BASH_REMATCH[1]}
fi
complete -F __cargo_flink_connector_complete -o bashdefault -o default cargo
complete -F _cargo_flink_connector -o bashdefault -o default cargo-flink-connector
"#;

/// Whether the command line is `cargo flink-connector …`.
const FISH_HOOK: &str = "# cargo flink-connector: added to cargo's own completion.
function __fish_cargo_flink_connector_called
    set -l cmd (commandline -opc)
    test \"$cmd[2]\" = flink-connector
end
";

pub fn cmd_completions(args: CompletionsArgs) -> Result<u8> {
    let mut out = std::io::stdout();
    match args.shell {
        Shell::Fish => {
            // clap_complete's fish script stops two levels below its root, so one generated for
            // `cargo` could not complete `cargo flink-connector option add --type`: generate it for
            // our own binary and attach its lines to `cargo` (which fish merges with cargo's own;
            // install under conf.d/, as completions/cargo.fish would shadow fish's cargo completion).
            let mut own = Vec::new();
            clap_complete::generate(Shell::Fish, &mut own_command(BIN), BIN, &mut own);
            print!("{}", fish_for_cargo(&String::from_utf8_lossy(&own)));
        }
        Shell::Bash => {
            // clap_complete names the bash case labels of a hyphenated binary differently from
            // the words it matches them against (`cargo__subcmd__flink…` vs `cargo__flink…`), so
            // every level below the first completed nothing: generate for a hyphen-free name.
            clap_complete::generate(
                Shell::Bash,
                &mut own_command(BASH_NAME),
                BASH_NAME,
                &mut out,
            );
            print!("{BASH_HOOK}");
        }
        shell => clap_complete::generate(shell, &mut own_command(BIN), BIN, &mut out),
    }
    Ok(0)
}

/// Our fish script, moved from `cargo-flink-connector ARGS` onto `cargo flink-connector ARGS`:
/// each line applies only after `cargo flink-connector`, and the generated functions that find
/// the subcommand skip both words.
fn fish_for_cargo(own: &str) -> String {
    let about = Cargo::command()
        .find_subcommand("flink-connector")
        .and_then(|c| c.get_about().map(|a| a.to_string()))
        .unwrap_or_default()
        .replace('\'', "\\'");
    let lines = own
        .replace("set -e cmd[1]\n", "set -e cmd[1..2]\n")
        .replace(
            &format!("complete -c {BIN} -n \""),
            "complete -c cargo -n \"__fish_cargo_flink_connector_called; and ",
        );
    format!(
        "{FISH_HOOK}complete -c cargo -n __fish_use_subcommand -f -a flink-connector -d '{about}'\n{lines}"
    )
}

/// The `flink-connector` subcommand as a command of its own, named `name`.
fn own_command(name: &'static str) -> clap::Command {
    Cargo::command()
        .find_subcommand("flink-connector")
        .expect("the flink-connector subcommand")
        .clone()
        .name(name)
        .bin_name(name)
}
