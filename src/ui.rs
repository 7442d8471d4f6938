//! What the commands print besides their results, as cargo does: status lines and diffs on
//! request (`-q` silences them, `-v` adds detail), warnings always, colour per `--color`,
//! `CARGO_TERM_COLOR` and `NO_COLOR`.

use std::io::IsTerminal;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(ColorWhen::Auto),
            "always" => Some(ColorWhen::Always),
            "never" => Some(ColorWhen::Never),
            _ => None,
        }
    }

    /// The flag if given, else `CARGO_TERM_COLOR`, else auto; auto means colour on a terminal
    /// unless `NO_COLOR` is set to something non-empty.
    pub fn resolve(flag: Option<ColorWhen>) -> bool {
        let env = std::env::var("CARGO_TERM_COLOR").ok();
        let choice = flag
            .or_else(|| env.as_deref().and_then(ColorWhen::parse))
            .unwrap_or(ColorWhen::Auto);
        match choice {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    verbosity: Verbosity,
    color: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Set once by `main`; library callers that never set it get normal, uncoloured output.
pub fn init(verbosity: Verbosity, color: bool) {
    let _ = SETTINGS.set(Settings { verbosity, color });
}

fn settings() -> Settings {
    *SETTINGS.get_or_init(|| Settings {
        verbosity: Verbosity::Normal,
        color: false,
    })
}

pub fn verbosity() -> Verbosity {
    settings().verbosity
}

pub fn color() -> bool {
    settings().color
}

/// A progress or status line on stderr (silenced by `-q`).
pub fn status(message: impl std::fmt::Display) {
    if verbosity() != Verbosity::Quiet {
        eprintln!("{message}");
    }
}

/// Detail only `-v` shows.
pub fn detail(message: impl std::fmt::Display) {
    if verbosity() == Verbosity::Verbose {
        eprintln!("{message}");
    }
}

/// A warning on stderr (never silenced).
pub fn warn(message: impl std::fmt::Display) {
    if color() {
        eprintln!("\x1b[1;33mwarning\x1b[0m: {message}");
    } else {
        eprintln!("warning: {message}");
    }
}

/// A note on stderr (silenced by `-q`).
pub fn note(message: impl std::fmt::Display) {
    status(format_args!("note: {message}"));
}

/// A unified diff on stdout (silenced by `-q`), coloured when colour is on.
pub fn diff(text: &str) {
    if verbosity() == Verbosity::Quiet || text.is_empty() {
        return;
    }
    if !color() {
        print!("{text}");
        return;
    }
    for line in text.split_inclusive('\n') {
        let code = match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => "32",
            Some(b'-') if !line.starts_with("---") => "31",
            Some(b'@') => "36",
            _ => "",
        };
        if code.is_empty() {
            print!("{line}");
        } else {
            let (body, end) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            print!("\x1b[{code}m{body}\x1b[0m{end}");
        }
    }
}
