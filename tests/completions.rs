//! `completions bash|zsh|fish` in the real shells, through each shell's own completion machinery:
//! bash calls the function `complete -p cargo` names with COMP_WORDS set as readline would;
//! fish answers `complete -C LINE` with the script installed under conf.d/; zsh runs in tmux,
//! where Tab is typed and the screen read back. Cargo's own completion (rustup's bash and zsh
//! scripts, fish's cargo.fish) is loaded too and must keep working.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::{require, require_command, stderr, stdout};

/// `completions SHELL`, written to `dir/name`.
fn write_completions(shell: &str, dir: &Path, name: &str) -> PathBuf {
    let out = support::bin()
        .args(["flink-connector", "completions", shell])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &out.stdout).unwrap();
    path
}

fn sysroot() -> PathBuf {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    PathBuf::from(stdout(&out).trim())
}

/// Cases every shell must complete: (command line up to the cursor, candidates it must offer).
/// The candidates are written here from the README and docs/rules.md, not read from the tool.
const CASES: &[(&str, &[&str])] = &[
    ("cargo flink-connector ch", &["check"]),
    (
        "cargo flink-connector check --f",
        &["--flink-lib", "--format"],
    ),
    (
        "cargo flink-connector check --format ",
        &["human", "json", "sarif", "junit", "github"],
    ),
    (
        "cargo flink-connector check --target flink-2.",
        &["flink-2.0", "flink-2.1", "flink-2.2", "flink-2.3"],
    ),
    (
        "cargo flink-connector check --explain services-",
        &["services-file-missing", "services-invalid-line"],
    ),
    (
        "cargo flink-connector option add key --type ",
        &["string", "int", "long", "boolean", "double", "duration"],
    ),
    (
        "cargo flink-connector new x --color ",
        &["auto", "always", "never"],
    ),
    // Cargo's own completion, untouched.
    ("cargo buil", &["build"]),
    ("cargo build --rel", &["--release"]),
];

fn assert_offers(shell: &str, line: &str, offered: &str, wanted: &[&str]) {
    let words: Vec<&str> = offered.split_whitespace().collect();
    for w in wanted {
        assert!(
            words.contains(w),
            "{shell}: `{line}<Tab>` does not offer {w}; it offered:\n{offered}"
        );
    }
}

#[test]
fn bash_completes_every_level_and_keeps_cargos() {
    let bash_completion = Path::new("/usr/share/bash-completion/bash_completion");
    let cargo_script = sysroot().join("etc/bash_completion.d/cargo");
    if !require_command("bash")
        || !require("bash-completion", bash_completion.is_file())
        || !require("rustup's cargo bash completion", cargo_script.is_file())
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let ours = write_completions("bash", tmp.path(), "cargo-flink-connector.bash");
    // What readline does on Tab: split the line into COMP_WORDS and call cargo's -F function.
    let setup = format!(
        r#"source '{}'
source '{}'
source '{}'
comp() {{
    COMP_LINE=$1; COMP_POINT=${{#1}}
    read -ra COMP_WORDS <<< "$1"
    [[ $1 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
    local spec; spec=$(complete -p cargo)
    [[ $spec =~ -F\ ([^ ]+) ]] || {{ echo "no completion function for cargo: $spec"; return 1; }}
    COMPREPLY=()
    "${{BASH_REMATCH[1]}}" cargo "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
    printf '%s\n' "${{COMPREPLY[@]}}"
}}
"#,
        bash_completion.display(),
        cargo_script.display(),
        ours.display()
    );
    let setup_path = tmp.path().join("setup.bash");
    std::fs::write(&setup_path, setup).unwrap();
    for (line, wanted) in CASES {
        let out = Command::new("bash")
            .args(["--norc", "--noprofile", "-c"])
            .arg(format!("source '{}' && comp \"$0\"", setup_path.display()))
            .arg(line)
            .output()
            .unwrap();
        assert!(out.status.success(), "{line}: {}", stderr(&out));
        assert_offers("bash", line, &stdout(&out), wanted);
    }
}

#[test]
fn fish_completes_every_level_and_keeps_cargos() {
    if !require_command("fish") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // Installed as `completions --help` says, in a configuration of its own.
    let config = tmp.path().join("config");
    write_completions(
        "fish",
        &config.join("fish/conf.d"),
        "cargo-flink-connector.fish",
    );
    for (line, wanted) in CASES {
        let out = Command::new("fish")
            .env("XDG_CONFIG_HOME", &config)
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .args(["-c", "complete -C $argv[1]"])
            .arg(line)
            .output()
            .unwrap();
        assert!(out.status.success(), "{line}: {}", stderr(&out));
        // fish prints `candidate<TAB>description`.
        let offered: String = stdout(&out)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        assert_offers("fish", line, &offered, wanted);
    }
    // The subcommand's description is the about text, not a source comment.
    let out = Command::new("fish")
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .args(["-c", "complete -C 'cargo flink-c'"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out).trim(),
        "flink-connector\tScaffold, re-render, build and audit Apache Flink SQL connectors"
    );
}

/// A tmux server on a socket of its own, ended (only it) when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "tmux {args:?}: {}", stderr(&out));
        stdout(&out)
    }

    /// The screen once `done` holds for it (or after 15 s).
    fn screen_when(&self, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.run(&["capture-pane", "-p"]);
            if done(&screen) || start.elapsed() > Duration::from_secs(15) {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

#[test]
fn zsh_completes_every_level_and_keeps_cargos() {
    let cargo_function = sysroot().join("share/zsh/site-functions/_cargo");
    if !require_command("zsh")
        || !require_command("tmux")
        || !require("rustup's cargo zsh completion", cargo_function.is_file())
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let functions = tmp.path().join("functions");
    write_completions("zsh", &functions, "_cargo-flink-connector");
    std::fs::write(
        tmp.path().join(".zshrc"),
        format!(
            "fpath=('{}' '{}' $fpath)\nautoload -U compinit && compinit -u -d '{}'\nPS1='READY%% '\n",
            functions.display(),
            cargo_function.parent().unwrap().display(),
            tmp.path().join("compdump").display()
        ),
    )
    .unwrap();
    let tmux = Tmux {
        socket: format!("cfc-completions-{}", std::process::id()),
    };
    let shell = format!("env ZDOTDIR='{}' zsh -i", tmp.path().display());
    tmux.run(&["new-session", "-d", "-x", "220", "-y", "50", &shell]);
    tmux.screen_when(|s| s.contains("READY%"));
    for (line, wanted) in CASES {
        tmux.run(&["send-keys", "C-u", "clear", "Enter"]);
        tmux.screen_when(|s| s.trim() == "READY%");
        tmux.run(&["send-keys", line, "Tab"]);
        // A single candidate is inserted into the line, several are listed below it.
        // No wanted word is a word of the typed line, so each one on the screen came from zsh.
        let screen = tmux.screen_when(|s| wanted.iter().all(|w| s.contains(w)));
        assert_offers("zsh", line, &screen, wanted);
        tmux.run(&["send-keys", "C-c"]);
    }
}

/// `--help` (which `cargo help flink-connector` prints) starts with the about text; no source
/// comment leaks into it or into any shell's completion descriptions.
#[test]
fn help_and_completions_carry_the_about_text_only() {
    let about = "Scaffold, re-render, build and audit Apache Flink SQL connectors";
    let out = support::bin()
        .args(["flink-connector", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().next(), Some(about));
    for shell in ["bash", "zsh", "fish"] {
        let out = support::bin()
            .args(["flink-connector", "completions", shell])
            .output()
            .unwrap();
        assert!(!stdout(&out).contains("`--version` prints"), "{shell}");
    }
    let out = support::bin()
        .args(["flink-connector", "--version"])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with("cargo-flink-connector "));
}
