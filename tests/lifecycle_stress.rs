//! Interruptions: kill -9 at random moments, a full disk (RLIMIT_FSIZE, as `ulimit -f` sets it, with
//! SIGXFSZ both fatal and ignored) and concurrent writers, against `option` and `generate` on one
//! evolving project and against `new`. After every interruption each file must be either its old
//! or its new version (never partial), and after the next command the project must be exactly the
//! old or the new state, with `generate --check` clean (no spurious hand edits or conflicts).
//!
//! `STRESS_KILLS` (default 110), `STRESS_FULL_DISK` (30), `STRESS_NEW_KILLS` (20) and
//! `STRESS_SEED` tune it; the counts of real interruptions are printed. Kills at exact points:
//! the in-process failpoint at each durable operation, `STRESS_FAILPOINTS` (20, or `all`).

#![cfg(unix)]

mod support;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use support::{stderr, stdout, Rng};

type Snapshot = BTreeMap<String, Vec<u8>>;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seed() -> u64 {
    support::env_seed("STRESS_SEED")
}

/// The project's files, but the lock file (no content) and the tool's transient journal.
fn snapshot(dir: &Path) -> Snapshot {
    support::files_under(dir)
        .into_iter()
        .filter(|(p, _)| !is_transient(p))
        .collect()
}

fn is_transient(path: &str) -> bool {
    path == ".flink-connector/lock" || path.starts_with(".flink-connector/journal")
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

fn bin_path() -> &'static str {
    env!("CARGO_BIN_EXE_cargo-flink-connector")
}

fn tool(dir: &Path, args: &[String]) -> Command {
    let mut cmd = Command::new(bin_path());
    cmd.current_dir(dir)
        .arg("flink-connector")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let out = support::bin().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} in {}: {}{}",
        dir.display(),
        stdout(&out),
        stderr(&out)
    );
    stderr(&out)
}

/// Each file of `now` is its version in `old` or in `new`; files only the journal holds are
/// transient. Returns a description of the first violation.
fn each_file_old_or_new(now: &Snapshot, old: &Snapshot, new: &Snapshot) -> Result<(), String> {
    for (path, bytes) in now {
        let ok = old.get(path) == Some(bytes) || new.get(path) == Some(bytes);
        if !ok {
            return Err(format!(
                "{path} is neither its old nor its new version ({} bytes; old {:?}, new {:?})",
                bytes.len(),
                old.get(path).map(Vec::len),
                new.get(path).map(Vec::len)
            ));
        }
    }
    Ok(())
}

fn differing(a: &Snapshot, b: &Snapshot) -> Vec<String> {
    let mut out: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    out.dedup();
    out
}

/// One operation on the project, chosen at random; some need a manifest edit first (made before
/// the old state is taken).
fn pick_op(rng: &mut Rng, project: &Path, added: &mut Vec<String>, i: usize) -> Vec<String> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match rng.below(5) {
        0 | 1 => {
            let key = format!("extra{i}.count");
            added.push(key.clone());
            s(&[
                "option",
                "add",
                &key,
                "--type",
                "int",
                "--default",
                &i.to_string(),
                "--description",
                &format!("Extra option number {i}."),
            ])
        }
        2 => s(&[
            "option",
            "set",
            "namespace",
            "--description",
            &format!("Namespace, revision {i}."),
        ]),
        3 if !added.is_empty() => {
            let key = added.remove(rng.below(added.len() as u64) as usize);
            s(&["option", "remove", &key])
        }
        _ => {
            // Move the project to the other Flink line: most managed files change.
            let manifest = project.join("connector.toml");
            let text = std::fs::read_to_string(&manifest).unwrap();
            let text = if text.contains("version = \"2.2.1\"") {
                text.replace("version = \"2.2.1\"", "version = \"1.20.5\"")
            } else {
                text.replace("version = \"1.20.5\"", "version = \"2.2.1\"")
            };
            std::fs::write(&manifest, text).unwrap();
            s(&["generate"])
        }
    }
}

/// When to kill a command that takes `took` uninterrupted: half the time anywhere in its run, half
/// the time near its end, where it writes (rendering takes most of the run).
fn kill_time(rng: &mut Rng, took: Duration) -> Duration {
    let micros = took.as_micros() as u64;
    if rng.below(2) == 0 {
        Duration::from_micros(rng.below(micros))
    } else {
        Duration::from_micros(micros * 3 / 5 + rng.below(micros * 7 / 20))
    }
}

struct Outcome {
    status: ExitStatus,
    interrupted: bool,
}

fn killed_at(dir: &Path, args: &[String], after: Duration) -> Outcome {
    let mut child = tool(dir, args).spawn().unwrap();
    std::thread::sleep(after);
    let done = child.try_wait().unwrap().is_some();
    if !done {
        let _ = child.kill();
    }
    let out = child.wait_with_output().unwrap();
    Outcome {
        interrupted: out.status.signal() == Some(9),
        status: out.status,
    }
}

fn with_file_size_limit(dir: &Path, args: &[String], kib: u64, ignore_sigxfsz: bool) -> Outcome {
    let trap = if ignore_sigxfsz { "trap '' XFSZ; " } else { "" };
    let script = format!("{trap}ulimit -f {kib}; exec \"$0\" flink-connector \"$@\"");
    let out = Command::new("bash")
        .current_dir(dir)
        .arg("-c")
        .arg(script)
        .arg(bin_path())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    if out.status.success() || out.status.code() == Some(2) {
        // A clean failure must be one line naming what could not be written.
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("error: ") && !err.contains("panicked"),
                "full disk: {err}"
            );
        }
    }
    Outcome {
        interrupted: !out.status.success(),
        status: out.status,
    }
}

#[test]
fn interrupted_commands_leave_the_old_or_the_new_state() {
    let seed = seed();
    eprintln!("STRESS_SEED={seed}");
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    run_ok(tmp.path(), &["new", "acme"]);
    let project = tmp.path().join("flink-connector-acme");
    let kills = env_count("STRESS_KILLS", 110);
    let full_disk = env_count("STRESS_FULL_DISK", 30);
    let mut added = Vec::new();
    let (mut killed, mut limited, mut rolled_forward, mut rolled_back) = (0, 0, 0, 0);
    for i in 0..kills + full_disk {
        let args = pick_op(&mut rng, &project, &mut added, i);
        let old = snapshot(&project);
        // The new state: the same command, uninterrupted, on a copy.
        let reference = tmp.path().join(format!("ref{i}"));
        copy_dir(&project, &reference);
        let started = Instant::now();
        let out = tool(&reference, &args).output().unwrap();
        let took = started.elapsed();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let new = snapshot(&reference);
        std::fs::remove_dir_all(&reference).unwrap();

        let outcome = if i < kills {
            killed_at(&project, &args, kill_time(&mut rng, took))
        } else {
            // Below the size of the manifest, README and Options class, so most runs hit it.
            let kib = 1 + rng.below(6);
            with_file_size_limit(&project, &args, kib, rng.below(2) == 0)
        };
        if outcome.interrupted {
            if i < kills {
                killed += 1;
            } else {
                limited += 1;
            }
        }
        let after = snapshot(&project);
        each_file_old_or_new(&after, &old, &new).unwrap_or_else(|e| {
            panic!(
                "iteration {i} {args:?} ({:?}), seed {seed}: {e}",
                outcome.status
            )
        });

        // The next command finishes or discards the interrupted one; the project is then
        // exactly the old or the new state (a `generate` run changes nothing further, since both
        // are consistent, except after a manifest edit made outside the tool).
        run_ok(&project, &["generate"]);
        let recovered = snapshot(&project);
        if recovered == new {
            rolled_forward += 1;
        } else if recovered == old {
            rolled_back += 1;
            // The command did not happen: redo it, so the next iteration starts from `new`.
            run_ok(
                &project,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
        } else if args[0] == "generate" {
            panic!(
                "iteration {i} {args:?}, seed {seed}: after recovery the project differs from the new state in {:?}",
                differing(&recovered, &new)
            );
        } else {
            panic!(
                "iteration {i} {args:?}, seed {seed}: after recovery the project is neither state: differs from old in {:?}, from new in {:?}",
                differing(&recovered, &old),
                differing(&recovered, &new)
            );
        }
        assert_eq!(
            snapshot(&project),
            new,
            "iteration {i}: redo reached the new state"
        );
        let out = support::bin()
            .current_dir(&project)
            .args(["generate", "--check"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "iteration {i}, seed {seed}: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("hand edits"),
            "iteration {i}, seed {seed}: the tool's own output taken for hand edits: {}",
            stderr(&out)
        );
        let leftovers: Vec<String> = support::files_under(&project)
            .into_keys()
            .filter(|p| p.contains(".cfc-tmp-") || p.starts_with(".flink-connector/journal"))
            .collect();
        assert!(leftovers.is_empty(), "iteration {i}: {leftovers:?}");
    }
    eprintln!(
        "{} commands: {killed} killed (SIGKILL) mid-run, {limited} stopped by the file-size limit; \
         afterwards {rolled_forward} in the new state, {rolled_back} in the old one; 0 lost or corrupted files",
        kills + full_disk
    );
    assert!(
        killed + limited >= (kills + full_disk) / 2,
        "too few real interruptions ({killed} kills, {limited} full disk): timings too coarse"
    );
}

#[test]
fn a_killed_new_leaves_no_half_project_and_its_staging_is_cleaned_up() {
    let seed = seed() ^ 0x5eed;
    let mut rng = Rng(seed | 1);
    let tmp = tempfile::tempdir().unwrap();
    run_ok(tmp.path(), &["new", "acme", "--dir", "reference"]);
    let reference = snapshot(&tmp.path().join("reference"));
    let started = Instant::now();
    run_ok(tmp.path(), &["new", "acme", "--dir", "timing"]);
    let took = started.elapsed();
    let rounds = env_count("STRESS_NEW_KILLS", 20);
    let mut killed = 0;
    for i in 0..rounds {
        let dir = format!("p{i}");
        let args: Vec<String> = ["new", "acme", "--dir", &dir]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let target = tmp.path().join(&dir);
        // Odd rounds write into an existing empty directory (a transaction in place), even ones
        // into a new directory (staged next to it, renamed into place).
        let in_place = i % 2 == 1;
        if in_place {
            std::fs::create_dir(&target).unwrap();
        }
        if killed_at(tmp.path(), &args, kill_time(&mut rng, took)).interrupted {
            killed += 1;
        }
        if !in_place {
            if target.exists() {
                assert_eq!(
                    snapshot(&target),
                    reference,
                    "round {i}, seed {seed}: a project appears only complete"
                );
            }
            continue;
        }
        let now = snapshot(&target);
        each_file_old_or_new(&now, &Snapshot::new(), &reference)
            .unwrap_or_else(|e| panic!("round {i}, seed {seed}: {e}"));
        // The next command completes or redoes it.
        if target.join("connector.toml").exists() {
            run_ok(&target, &["generate"]);
        } else {
            run_ok(tmp.path(), &["new", "acme", "--dir", &dir]);
        }
        assert_eq!(
            snapshot(&target),
            reference,
            "round {i}, seed {seed}: after the next command"
        );
    }
    // The next `new` removes the staging the killed ones left (or names a fresh one).
    let stderr = run_ok(tmp.path(), &["new", "acme", "--dir", "last"]);
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".flink-connector-staging-"))
        .collect();
    for name in &left {
        assert!(
            stderr.contains(name.as_str()),
            "{name} neither removed nor named: {stderr}"
        );
    }
    eprintln!(
        "{rounds} `new` runs, {killed} killed mid-run; {} staging dirs left and named",
        left.len()
    );
}

#[test]
fn concurrent_option_edits_are_all_kept() {
    let tmp = tempfile::tempdir().unwrap();
    run_ok(tmp.path(), &["new", "acme"]);
    let project: PathBuf = tmp.path().join("flink-connector-acme");
    let writers = 6;
    for round in 0..4 {
        let children: Vec<_> = (0..writers)
            .map(|j| {
                let key = format!("c{round}.w{j}");
                let args: Vec<String> = ["option", "add", &key, "--type", "int"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                tool(&project, &args).spawn().unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let manifest = std::fs::read_to_string(project.join("connector.toml")).unwrap();
        for j in 0..writers {
            assert!(
                manifest.contains(&format!("key = \"c{round}.w{j}\"")),
                "round {round}: option c{round}.w{j} lost:\n{manifest}"
            );
        }
        let out = support::bin()
            .current_dir(&project)
            .args(["generate", "--check"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(!stderr(&out).contains("hand edits"), "{}", stderr(&out));
        let options = std::fs::read_to_string(
            project.join("src/main/java/org/example/flink/connector/acme/AcmeOptions.java"),
        )
        .unwrap();
        assert!(!options.contains("<<<<<<<"));
    }
}

/// The first commands of the failpoint test: arguments, and a hand edit of connector.toml made
/// before (so `generate` has something to do).
const FIRST: [(&[&str], bool); 5] = [
    (&["option", "add", "first", "--type", "string"], false),
    (
        &["option", "set", "sink.max-retries", "--default", "5"],
        false,
    ),
    (&["option", "remove", "extra"], false),
    (&["line", "add", "2.2"], false),
    (&["generate"], true),
];
/// The random next commands.
const NEXT: [&[&str]; 4] = [
    &["generate"],
    &["option", "add", "zz", "--type", "int"],
    &["line", "add", "2.3"],
    &["option", "set", "namespace", "--default", "other"],
];

/// Runs `args` in `dir` with the failpoint at durable operation `n` (0: none); whether it aborted.
fn aborted_at(dir: &Path, args: &[&str], n: u64) -> bool {
    let out = support::bin()
        .current_dir(dir)
        .env("FLINK_CONNECTOR_FAILPOINT", n.to_string())
        .arg("flink-connector")
        .args(args)
        .output()
        .unwrap();
    if out.status.signal() == Some(9) {
        return true;
    }
    assert!(out.status.success(), "{args:?} at {n}: {}", stderr(&out));
    false
}

/// How many durable operations a command makes, given whether it aborts at the n-th: aborting
/// is monotone in n, so bisect.
fn durable_operations(aborts_at: impl Fn(u64) -> bool) -> u64 {
    let (mut lo, mut hi) = (0u64, 4096u64); // aborts at lo (0: trivially), not at hi
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if aborts_at(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// A fresh copy of `base` at `to`, with FIRST[first]'s hand edit.
fn prepared(base: &Path, to: &Path, first: usize) -> PathBuf {
    let _ = std::fs::remove_dir_all(to);
    copy_dir(base, to);
    if FIRST[first].1 {
        let manifest = to.join("connector.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(
            &manifest,
            text.replace("skeleton:", "hand-edited skeleton:"),
        )
        .unwrap();
    }
    to.to_path_buf()
}

/// Each command is aborted (in-process failpoint, `FLINK_CONNECTOR_FAILPOINT`) at a durable
/// operation — a write, fsync, rename or removal — and a random next command runs: the project
/// must end exactly as if the killed command had run to completion (its journal was committed)
/// or not at all (it was not), followed by the next command. Every failpoint of every command
/// with `STRESS_FAILPOINTS=all`; else that many (default 20) random ones. `STRESS_SEED` as above.
#[test]
fn a_command_aborted_at_any_durable_operation_never_loses_committed_state() {
    let seed = seed() ^ 0xfa11;
    eprintln!("STRESS_SEED={}", seed ^ 0xfa11);
    let mut rng = Rng(seed | 1);
    let tmp = tempfile::tempdir().unwrap();
    run_ok(tmp.path(), &["new", "acme", "--dir", "base"]);
    let base = tmp.path().join("base");
    run_ok(
        &base,
        &["option", "add", "extra", "--type", "long", "--default", "7"],
    );
    let work = tmp.path().join("work");
    let totals: Vec<u64> = (0..FIRST.len())
        .map(|c| durable_operations(|n| aborted_at(&prepared(&base, &work, c), FIRST[c].0, n)))
        .collect();
    let full = std::env::var("STRESS_FAILPOINTS").is_ok_and(|v| v == "all");
    let cases: Vec<(usize, u64)> = if full {
        (0..FIRST.len())
            .flat_map(|c| (1..=totals[c]).map(move |n| (c, n)))
            .collect()
    } else {
        (0..env_count("STRESS_FAILPOINTS", 20))
            .map(|_| {
                let c = rng.below(FIRST.len() as u64) as usize;
                (c, 1 + rng.below(totals[c]))
            })
            .collect()
    };
    let mut references: BTreeMap<(usize, bool, usize), Snapshot> = BTreeMap::new();
    let (mut committed_count, mut uncommitted) = (0, 0);
    for (c, n) in cases.iter().copied() {
        let next = rng.below(NEXT.len() as u64) as usize;
        let dir = prepared(&base, &work, c);
        let old = snapshot(&dir);
        assert!(
            aborted_at(&dir, FIRST[c].0, n),
            "{:?} at {n} of {}",
            FIRST[c].0,
            totals[c]
        );
        let new_state = references
            .entry((c, true, usize::MAX))
            .or_insert_with(|| {
                let r = prepared(&base, &tmp.path().join("ref"), c);
                assert!(!aborted_at(&r, FIRST[c].0, 0));
                snapshot(&r)
            })
            .clone();
        let now = snapshot(&dir);
        let committed = if dir.join(".flink-connector/journal").is_dir() || now == new_state {
            true
        } else if now == old {
            false
        } else {
            panic!(
                "seed {seed}: {:?} aborted at {n}: neither the old nor the new state, no journal: {:?}",
                FIRST[c].0,
                differing(&now, &old)
            );
        };
        if committed {
            committed_count += 1;
        } else {
            uncommitted += 1;
        }
        assert!(!aborted_at(&dir, NEXT[next], 0));
        let expected = references.entry((c, committed, next)).or_insert_with(|| {
            let r = prepared(&base, &tmp.path().join("ref"), c);
            if committed {
                assert!(!aborted_at(&r, FIRST[c].0, 0));
            }
            assert!(!aborted_at(&r, NEXT[next], 0));
            snapshot(&r)
        });
        assert!(
            snapshot(&dir) == *expected,
            "seed {seed}: {:?} aborted at {n} (committed: {committed}), then {:?}: differs in {:?}",
            FIRST[c].0,
            NEXT[next],
            differing(&snapshot(&dir), expected)
        );
    }
    eprintln!(
        "{} aborted commands (durable operations per command: {totals:?}): {committed_count} after their commit point, {uncommitted} before; each followed by a random command, no committed state lost",
        cases.len()
    );
}

/// What runs after an aborted `new`: `new` again, or a project command in its directory.
const NEW_NEXT: [&[&str]; 3] = [
    &["new", "acme", "--dir", "p"],
    &["generate"],
    &["option", "add", "zz", "--type", "int"],
];

/// Runs `args` in `dir` (no failpoint); the output.
fn run_plain(dir: &Path, args: &[&str]) -> std::process::Output {
    support::bin()
        .current_dir(dir)
        .arg("flink-connector")
        .args(args)
        .output()
        .unwrap()
}

/// A refusal: exit 2 and one clear error line (no panic, no backtrace) that names `why`.
fn assert_refused(out: &std::process::Output, why: &str, context: &str) {
    let err = stderr(out);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert!(
        out.status.code() == Some(2) && errors.len() == 1 && errors[0].contains(why),
        "{context}: expected one error naming {why:?}, got {:?}: {err}",
        out.status
    );
    assert!(!err.contains("panicked"), "{context}: {err}");
}

/// `new` aborted (in-process failpoint) at each of its durable operations, both ways it writes:
/// into a missing directory (built in a hidden sibling staging directory, renamed into place)
/// and into an existing empty one (one journal transaction in place). Right after the abort the
/// directory holds nothing of the project or all of it (in place: each file absent or complete).
/// Then a random next command: `new` again, which builds the project (removing the abandoned
/// staging copy, or finishing the journal the killed `new` committed) or, when the project is
/// already there, refuses with one line naming `generate`; or `generate`/`option add` in the
/// directory, which finish a committed `new` whose manifest is written or, without a
/// connector.toml, refuse with one line saying what to run (and `new` then builds it). The end state is
/// exactly the uninterrupted project (plus the option), and no staging copy or journal is left
/// behind. Every failpoint with `STRESS_FAILPOINTS=all`; else that many (default 20) random ones.
#[test]
fn new_aborted_at_any_durable_operation_leaves_nothing_or_the_project() {
    let seed = seed() ^ 0x0e77;
    eprintln!("STRESS_SEED={}", seed ^ 0x0e77);
    let mut rng = Rng(seed | 1);
    let tmp = tempfile::tempdir().unwrap();
    let new_args = NEW_NEXT[0];
    run_ok(tmp.path(), &["new", "acme", "--dir", "reference"]);
    let reference_dir = tmp.path().join("reference");
    let reference = snapshot(&reference_dir);
    copy_dir(&reference_dir, &tmp.path().join("with-zz"));
    run_ok(&tmp.path().join("with-zz"), NEW_NEXT[2]);
    let with_zz = snapshot(&tmp.path().join("with-zz"));
    // A fresh parent directory for one run; `in_place`: `p` exists, empty.
    let fresh = |in_place: bool| {
        let parent = tmp.path().join("work");
        let _ = std::fs::remove_dir_all(&parent);
        std::fs::create_dir(&parent).unwrap();
        if in_place {
            std::fs::create_dir(parent.join("p")).unwrap();
        }
        parent
    };
    let totals: Vec<u64> = [false, true]
        .iter()
        .map(|&in_place| durable_operations(|n| aborted_at(&fresh(in_place), new_args, n)))
        .collect();
    let full = std::env::var("STRESS_FAILPOINTS").is_ok_and(|v| v == "all");
    let cases: Vec<(bool, u64)> = if full {
        [false, true]
            .iter()
            .flat_map(|&m| (1..=totals[m as usize]).map(move |n| (m, n)))
            .collect()
    } else {
        (0..env_count("STRESS_FAILPOINTS", 20))
            .map(|_| {
                let m = rng.below(2) == 1;
                (m, 1 + rng.below(totals[m as usize]))
            })
            .collect()
    };
    let (mut complete, mut pending, mut nothing) = (0, 0, 0);
    for (in_place, n) in cases.iter().copied() {
        let context = format!("seed {seed}: `new` (in place: {in_place}) aborted at {n}");
        let parent = fresh(in_place);
        let project = parent.join("p");
        assert!(aborted_at(&parent, new_args, n), "{context}");
        // Nothing lost, nothing half-there (but the staging marker, when `new` was killed right
        // after renaming its staging directory into place: the next command removes it).
        let mut now = if project.exists() {
            snapshot(&project)
        } else {
            Snapshot::new()
        };
        now.remove(".flink-connector/staging");
        if in_place {
            each_file_old_or_new(&now, &Snapshot::new(), &reference)
                .unwrap_or_else(|e| panic!("{context}: {e}"));
        } else {
            assert!(
                now.is_empty() || now == reference,
                "{context}: a partial project: {:?}",
                differing(&now, &reference)
            );
        }
        let has_manifest = project.join("connector.toml").exists();
        match (has_manifest, now == reference) {
            (true, true) => complete += 1,
            (true, false) => pending += 1,
            (false, _) => nothing += 1,
        }
        let next = rng.below(NEW_NEXT.len() as u64) as usize;
        let next_context = format!("{context}, then {:?}", NEW_NEXT[next]);
        let expected = if next == 2 { &with_zz } else { &reference };
        if next == 0 {
            let out = run_plain(&parent, NEW_NEXT[0]);
            if has_manifest {
                // The project is there (its journal perhaps not yet replayed): `new` never
                // writes into a project and says what to run instead, which finishes it.
                assert_refused(&out, "generate", &next_context);
                assert!(!aborted_at(&project, &["generate"], 0), "{next_context}");
            } else {
                assert!(out.status.success(), "{next_context}: {}", stderr(&out));
            }
        } else if has_manifest {
            assert!(!aborted_at(&project, NEW_NEXT[next], 0), "{next_context}");
        } else {
            // No manifest yet: a project command cannot start, and says what to run (when the
            // killed `new` had committed, `new` again finishes its journal).
            if project.is_dir() {
                let out = run_plain(&project, NEW_NEXT[next]);
                let committed = project.join(".flink-connector/journal").is_dir();
                let why = if committed {
                    "run the same `cargo flink-connector new` again"
                } else {
                    "connector.toml"
                };
                assert_refused(&out, why, &next_context);
            }
            run_ok(&parent, new_args);
            if next == 2 {
                run_ok(&project, NEW_NEXT[2]);
            }
        }
        assert!(
            snapshot(&project) == *expected,
            "{next_context}: differs from the uninterrupted run in {:?}",
            differing(&snapshot(&project), expected)
        );
        // No hidden staging copy beside the project, no journal (or its temporary) inside it.
        let beside: Vec<String> = std::fs::read_dir(&parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(beside, ["p"], "{next_context}");
        let state: Vec<String> = std::fs::read_dir(project.join(".flink-connector"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("journal") || n == "staging")
            .collect();
        assert!(state.is_empty(), "{next_context}: left {state:?}");
    }
    eprintln!(
        "{} aborted `new` runs (durable operations: {} staged, {} in place): {complete} left the whole project, {pending} a committed journal, {nothing} no project; each followed by a random command, the project always ended complete with nothing left behind",
        cases.len(),
        totals[0],
        totals[1]
    );
}
