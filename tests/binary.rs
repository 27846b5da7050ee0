//! The real `seatmate` binary, as a person runs it: scripts piped into the
//! console, on a fresh SQLite file or PostgreSQL, restarts, settings errors.

mod common;
#[path = "binary/deploy.rs"]
mod deploy;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SEATMATE: &str = env!("CARGO_BIN_EXE_seatmate");

/// Runs `seatmate ARGS` with `stdin` piped in and the database at `url`.
fn seatmate(args: &[&str], url: &str, stdin: &str, cwd: &Path) -> Output {
    let mut child = common::seatmate_command(url, cwd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start seatmate");
    // A process that refuses to start may be gone before it reads its input.
    match child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.unwrap(),
    }
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Three members with complementary profiles check in at one space.
const THREE_MEMBERS: &str = include_str!("../examples/checkins.txt");

fn assert_third_checkin_names_both(out: &str) {
    let carla = out
        .split("carla> /checkin cafe-noord\n")
        .nth(1)
        .expect("carla's check-in was echoed");
    assert!(
        carla.starts_with("seatmate: ✅ @carla checked in at cafe-noord.\n    Say hello to:\n"),
        "{out}"
    );
    assert!(
        carla.contains("• @anna — can help you with databases; you can help with pitching; you have design in common"),
        "{out}"
    );
    assert!(carla.contains("• @ben — can help you with design"), "{out}");
}

fn script_then_restart(url: &str, dir: &Path) {
    let first = seatmate(&["console"], url, THREE_MEMBERS, dir);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = stdout(&first);
    assert_third_checkin_names_both(&out);
    assert!(
        !out.contains("INFO") && !out.contains("WARN"),
        "logs stay out of the chat: {out}"
    );

    // A new process on the same database still knows everyone.
    let second = seatmate(&["console", "--as", "ben"], url, "/here\n/profile\n", dir);
    assert!(second.status.success(), "{}", stderr(&second));
    let out = stdout(&second);
    assert!(
        out.contains("• @anna — building the booking API (can help with databases, rust)"),
        "{out}"
    );
    assert!(
        out.contains("• @ben — logo work (can help with design, illustration)"),
        "{out}"
    );
    assert!(out.contains("• Looking for: rust"), "{out}");
}

#[test]
fn console_script_on_sqlite_then_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
    script_then_restart(&url, dir.path());
    assert!(dir.path().join("seatmate.db").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn console_script_on_postgres_then_restart() {
    let Some(base) = seatmate_storage::test_support::postgres_base_url() else {
        return;
    };
    let url = seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    tokio::task::spawn_blocking(move || script_then_restart(&url, dir.path()))
        .await
        .unwrap();
}

#[test]
fn script_file_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("demo.txt");
    std::fs::write(
        &script,
        "# a comment\n\n/as host\n/setup Demo Space\n/as bad name\n/space list\n",
    )
    .unwrap();
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let output = seatmate(&["console", "--script", script.to_str().unwrap()], &url, "", dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(!out.contains("a comment"), "{out}");
    assert!(
        out.contains("host> /setup Demo Space\nseatmate: Welcome to Seatmate, Demo Space! Time zone: UTC."),
        "{out}"
    );
    assert!(out.contains("console: 'bad name' is not a console user name"), "{out}");
    assert!(
        out.contains("host> /space list\nseatmate: Demo Space has no spaces yet."),
        "{out}"
    );
}

#[test]
fn plain_seatmate_says_why_it_runs_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let url = "sqlite://seatmate.db";
    let output = seatmate(&[], url, "/start\n", dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("No Telegram or Discord adapter is configured: running the console on sqlite://seatmate.db"));
    assert!(stdout(&output).contains("you> /start\nseatmate (only you): Seatmate helps this community"));
    assert!(
        dir.path().join("seatmate.db").exists(),
        "created in the working directory"
    );
}

#[test]
fn wrong_settings_stop_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let output = seatmate(&["console"], "mysql://root:hunter2@localhost/x", "", dir.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("database.url: the scheme 'mysql:' is not supported"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");

    let output = Command::new(SEATMATE)
        .arg("migrate")
        .current_dir(dir.path())
        .env("SEATMATE__BOT__DEFAULT_TIME_ZONE", "Mars/Olympus")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("bot.default_time_zone: 'Mars/Olympus' is not a time zone I know."));

    let unreachable = "postgres://seatmate:hunter2@127.0.0.1:1/nowhere";
    let output = seatmate(&["migrate"], unreachable, "", dir.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("database.url: cannot connect to PostgreSQL at 127.0.0.1:1"),
        "{err}"
    );
    assert!(err.contains("Check that the server runs"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn database_urls_that_cannot_work_exit_2_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for (url, expected) in [
        ("postgres://u:hunter2@127.0.0.1:99999/db", "invalid port number"),
        ("postgres://u:hunter2@127.0.0.1/db?sslmode=bogus", "bogus"),
        ("postgres://u:hunter2@127.0.0.1:5432", "names no database"),
        ("sqlite://", "names no file"),
    ] {
        let output = seatmate(&["console"], url, "/help\n", dir.path());
        assert_eq!(output.status.code(), Some(2), "{url}");
        let err = stderr(&output);
        assert!(err.contains("database.url") && err.contains(expected), "{url}: {err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(stdout(&output).is_empty(), "{url}: nothing ran");
    }
    let output = Command::new(SEATMATE)
        .arg("migrate")
        .current_dir(dir.path())
        .env("SEATMATE__LOG__LEVEL", "wanr")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("log.level: 'wanr' is not a log level"));
}

#[test]
fn migrate_creates_the_schema_and_help_lists_commands() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let output = seatmate(&["migrate"], &url, "", dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("is up to date"));
    let help = Command::new(SEATMATE).arg("--help").output().unwrap();
    let text = stdout(&help);
    for word in ["run", "console", "migrate", "--config"] {
        assert!(text.contains(word), "{word} missing from --help: {text}");
    }
}

/// The seats example: the third requester is waitlisted, then gets the seat the
/// first gives back, and is told.
#[test]
fn seats_example_script() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seats.db").display());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/seats.txt");
    let output = seatmate(&["console", "--script", script], &url, "", dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("seatmate (announcement): 🪑 @hanna offers 2 free seats at cafe-noord on"),
        "{out}"
    );
    let cat_asks = out.split("cat> /request cafe-noord tomorrow\n").nth(1).unwrap();
    assert!(
        cat_asks.starts_with("seatmate (only cat): ⏳ Offer #1 is full: you are number 1 on the waitlist"),
        "{out}"
    );
    let ann_cancels = out.split("ann> /cancel cafe-noord tomorrow\n").nth(1).unwrap();
    assert!(
        ann_cancels.contains("seatmate (private to cat): 🎉 A seat freed up: you now have a seat at cafe-noord"),
        "{out}"
    );
    let seats = out.split("cat> /seats\n").nth(1).unwrap();
    assert!(seats.contains("0 of 2 seats left"), "{out}");
}

/// Four processes share one SQLite file and ask for ten seats 200 times at once.
#[test]
fn separate_processes_sharing_one_sqlite_file_never_overbook() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let setup = "/as admin\n/setup Europe/Amsterdam Utrecht\n/space add cafe-noord\n/offer cafe-noord 10 tomorrow\n";
    let output = seatmate(&["console"], &url, setup, dir.path());
    assert!(stdout(&output).contains("Posted offer #1"), "{}", stdout(&output));

    let children: Vec<_> = (0..4)
        .map(|p| {
            let script: String = (0..50).map(|i| format!("/as p{p}m{i:02}\n/request 1\n")).collect();
            let mut child = Command::new(SEATMATE)
                .args(["console"])
                .current_dir(dir.path())
                .env("SEATMATE__DATABASE__URL", &url)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || stdin.write_all(script.as_bytes()).unwrap());
            child
        })
        .collect();
    let mut confirmed = 0;
    let mut positions = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        for line in stdout(&output).lines() {
            if line.contains("✅ You have a seat") {
                confirmed += 1;
            } else if let Some(rest) = line.split("you are number ").nth(1) {
                positions.push(rest.split(' ').next().unwrap().parse::<u32>().unwrap());
            }
        }
    }
    positions.sort();
    assert_eq!(confirmed, 10);
    assert_eq!(
        positions,
        (1..=190).collect::<Vec<_>>(),
        "one waitlist, no gaps, no repeats"
    );

    let check = seatmate(&["console", "--as", "admin"], &url, "/seats\n", dir.path());
    assert!(stdout(&check).contains("0 of 10 seats left"), "{}", stdout(&check));
}

/// The pairing example: six members opt in, `/pairnow` pairs them, each
/// `/match` names the partner and why, a second `/pairnow` says it ran.
#[test]
fn pairing_example_script() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("pairing.db").display());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/pairing.txt");
    let output = seatmate(&["console", "--script", script], &url, "", dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("admin> /pairnow\nseatmate: Paired 6 people today: 3 pairs. Everyone has been told."),
        "{out}"
    );
    assert!(
        out.contains("seatmate (announcement): 🤝 Today's introductions are out: 3 pairs, 6 people."),
        "{out}"
    );
    for (who, partner, reason) in [
        ("ann", "@ben", "can help you with design"),
        ("ben", "@ann", "can help you with rust"),
        ("cat", "@dan", "can help you with databases"),
        ("dan", "@cat", "can help you with funding"),
        ("eve", "@fay", "can help you with pitching"),
        ("fay", "@eve", "can help you with illustration"),
    ] {
        let reply = out
            .split(&format!("{who}> /match\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("{who}: {out}"));
        let line = reply.lines().nth(1).unwrap_or_default();
        assert!(
            line.starts_with(&format!("    • {partner} — {reason}")),
            "{who}: {line}"
        );
    }
    assert!(
        out.contains("(at cafe-noord today)"),
        "where the partner is checked in: {out}"
    );
    assert!(
        out.contains("fay> /met\nseatmate (only fay): Noted: glad you met @eve!"),
        "{out}"
    );
    let second = out.split("admin> /pairnow\n").nth(2).unwrap();
    assert!(
        second.starts_with("seatmate (only admin): Today's round already ran (/match shows yours). Next round:"),
        "{out}"
    );
    assert!(out.contains("introductions reported as met: 1 of 6"), "{out}");
}
