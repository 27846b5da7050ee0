//! The real binary's console as a person uses it: it leaves at once on Ctrl-C,
//! shows what is delivered while it waits for input, and refuses a line of
//! bad bytes without ending the session.

mod common;

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use seatmate_bot::domain::Platform;
use seatmate_bot::store::{Identity, Outgoing, Target};
use seatmate_bot::{Reply, Span};

/// A console process with its stdin held open and its stdout collected.
struct Console {
    child: Child,
    out: Arc<Mutex<String>>,
}

impl Console {
    fn start(url: &str, dir: &std::path::Path) -> Console {
        let mut child = common::seatmate_command(url, dir)
            .arg("console")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start seatmate");
        let out = Arc::new(Mutex::new(String::new()));
        let mut stdout = child.stdout.take().unwrap();
        let collected = out.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                collected
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        Console { child, out }
    }

    fn type_line(&mut self, line: &[u8]) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(line).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    /// Waits up to `limit` for the output to contain `text`; says how long it took.
    fn wait_for(&self, text: &str, limit: Duration) -> Duration {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.out.lock().unwrap().contains(text) {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no '{text}' within {limit:?}: {}", self.out.lock().unwrap());
    }

    fn output(&self) -> String {
        self.out.lock().unwrap().clone()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits (at most 5 s) for the process to end after a signal.
fn exits_at_once(child: &mut Child) -> std::process::ExitStatus {
    let asked = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(3),
            "still running after the signal"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn deliveries_appear_while_waiting_and_ctrl_c_leaves_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
    let mut console = Console::start(&url, dir.path());
    console.type_line(b"/setup Europe/Amsterdam Utrecht Coworkers");
    console.wait_for("Welcome to Seatmate", Duration::from_secs(10));

    // Another process writes a message for the console's chat while the
    // console waits for input: it shows within about a second.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = seatmate_storage::open(&url, &seatmate_storage::OpenOptions::default())
            .await
            .unwrap();
        let someone = Identity {
            platform: Platform::Console,
            user_id: "elsewhere".into(),
            display_name: "elsewhere".into(),
            username: None,
        };
        let now = chrono::Utc::now();
        let community = store
            .enter(&seatmate_console::chat(), &someone, now)
            .await
            .unwrap()
            .community
            .unwrap();
        let message = Outgoing {
            community: community.id,
            target: Target::Chat {
                platform: Platform::Console,
                chat_id: seatmate_console::CHAT_ID.into(),
            },
            body: Reply::to_chat()
                .line(vec![Span::Text("hello from another process".into())])
                .into(),
            subject: None,
        };
        store.enqueue(&[message], now).await.unwrap();
    });
    let waited = console.wait_for(
        "seatmate (announcement): hello from another process",
        Duration::from_secs(5),
    );
    assert!(waited < Duration::from_secs(3), "took {waited:?}");
    assert_eq!(console.output().matches("hello from another process").count(), 1);

    // Ctrl-C with the console waiting for a line: it leaves at once.
    signal(&console.child, "-INT");
    let status = exits_at_once(&mut console.child);
    assert!(status.success(), "{status:?}");
}

#[test]
fn sigterm_stops_the_bot_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
    let mut console = Console::start(&url, dir.path());
    console.type_line(b"/setup Demo Space");
    console.wait_for("Welcome to Seatmate", Duration::from_secs(10));
    signal(&console.child, "-TERM");
    let status = exits_at_once(&mut console.child);
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_line_that_is_not_utf8_is_refused_and_the_script_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
    let mut child = common::seatmate_command(&url, dir.path())
        .arg("console")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut script = b"/setup Demo Space\n/profile about caf".to_vec();
    script.extend_from_slice(&[0xE9, 0xFF, b'\n']);
    script.extend_from_slice(b"/profile about still here\n");
    child.stdin.take().unwrap().write_all(&script).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains("console: that line is not valid UTF-8 text, so it was skipped."),
        "{out}"
    );
    assert!(
        out.contains("you> /profile about still here\nseatmate (only you): Saved."),
        "{out}"
    );
    assert!(out.contains("About: still here"), "{out}");
}

/// The example scripts' transcripts, byte for byte, at a fixed time: what a
/// member reads stays the same through any reshaping of the core. After a
/// deliberate change of wording, `SEATMATE_BLESS=1 cargo test --test console`
/// writes them anew (then read the diff as a member would).
///
/// One freedom: the messages one line sets off (a round's introductions,
/// each to another member) may leave in any order, as pairing shuffles, so
/// they are compared as a set; every byte of every message still counts.
#[tokio::test]
async fn the_example_scripts_read_exactly_as_their_recorded_transcripts() {
    let root = env!("CARGO_MANIFEST_DIR");
    for name in ["checkins", "seats", "pairing"] {
        let harness = common::Harness::sqlite().await;
        let script = std::fs::read(format!("{root}/examples/{name}.txt")).unwrap();
        let mut out = Vec::new();
        let options = seatmate_console::ConsoleOptions {
            user: "you".into(),
            prompt: false,
            echo: true,
        };
        seatmate::run_console(&harness.bot, &script[..], &mut out, options, None)
            .await
            .unwrap();
        let out = String::from_utf8(out).unwrap();
        let recorded = format!("{root}/tests/fixtures/transcripts/{name}.txt");
        if std::env::var_os("SEATMATE_BLESS").is_some() {
            std::fs::create_dir_all(format!("{root}/tests/fixtures/transcripts")).unwrap();
            std::fs::write(&recorded, &out).unwrap();
        }
        let expected = std::fs::read_to_string(&recorded).unwrap_or_default();
        assert!(
            messages_by_line(&out) == messages_by_line(&expected),
            "examples/{name}.txt no longer reads as {recorded}:\n--- now\n{out}\n--- recorded\n{expected}"
        );
    }
}

/// A transcript as its input lines, each with the messages it set off in a
/// canonical order.
fn messages_by_line(transcript: &str) -> Vec<(String, Vec<String>)> {
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for line in transcript.lines() {
        let is_input =
            line.split_once("> ").is_some_and(|(who, _)| !who.contains(' ')) && !line.starts_with("seatmate");
        if is_input || lines.is_empty() {
            lines.push((line.to_string(), Vec::new()));
        } else if line.starts_with("seatmate") || line.starts_with("console:") {
            lines.last_mut().unwrap().1.push(line.to_string());
        } else if let Some(message) = lines.last_mut().unwrap().1.last_mut() {
            message.push('\n');
            message.push_str(line);
        } else {
            lines.last_mut().unwrap().1.push(line.to_string());
        }
    }
    for (_, messages) in &mut lines {
        messages.sort();
    }
    lines
}
