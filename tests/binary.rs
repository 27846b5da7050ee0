//! The real `seatmate` binary, as a person runs it: scripts piped into the
//! console, on a fresh SQLite file or PostgreSQL, restarts, settings errors.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SEATMATE: &str = env!("CARGO_BIN_EXE_seatmate");

/// Runs `seatmate ARGS` with `stdin` piped in and the database at `url`.
fn seatmate(args: &[&str], url: &str, stdin: &str, cwd: &Path) -> Output {
    let mut child = Command::new(SEATMATE)
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .env_remove("SEATMATE_CONFIG")
        .env("SEATMATE__DATABASE__URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start seatmate");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Three members with complementary profiles check in at one space.
const THREE_MEMBERS: &str = "\
# Anna sets up the community; Ben and Carla join.
/as anna
/setup Europe/Amsterdam Utrecht Coworkers
/space add cafe-noord capacity 12
/profile offers rust, databases
/profile wants design, pitching
/checkin cafe-noord building the booking API
/as ben
/profile offers design, illustration
/profile wants rust
/checkin cafe-noord logo work
/as carla
/profile offers pitching, funding
/profile wants databases, design
/checkin cafe-noord
";

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
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("cannot open the database (PostgreSQL)"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
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
