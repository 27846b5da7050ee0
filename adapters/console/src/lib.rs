//! The console adapter: one group chat in the terminal, for trying Seatmate
//! locally and for scripted end-to-end tests.
//!
//! Each input line is a message from the current user. `/as NAME` (console
//! only) switches user; `/press COMMAND` (console only) presses a button
//! shown as `[Label: COMMAND]`, which is not the same as typing it (a
//! confirmation counts only as a press); lines starting with `#` are
//! comments; `/quit` ends an interactive session. The bot's replies are printed to the output; replies
//! meant only for the caller are marked `(only you)`. Logs never go here: they
//! go to stderr.

use std::sync::Mutex;

use async_trait::async_trait;
use seatmate_bot::delivery::{Courier, Deliverer, Delivery};
use seatmate_bot::domain::Platform;
use seatmate_bot::store::Recipient;
use seatmate_bot::{Attachment, Audience, Caller, ChatKey, Core, Inbound, Reply};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

/// The console's one chat.
pub const CHAT_ID: &str = "console";

/// Who speaks first, and how the session looks.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    pub user: String,
    /// Show a prompt before each line (a person at a terminal).
    pub prompt: bool,
    /// Repeat each input line in the output (a script), so the transcript
    /// reads as a conversation.
    pub echo: bool,
}

/// Checks a console user name: what `--as` and `/as` accept.
pub fn valid_user_name(name: &str) -> Result<&str, String> {
    let name = name.trim().trim_start_matches('@');
    if name.is_empty()
        || name.chars().count() > 32
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(format!(
            "'{name}' is not a console user name: use letters, digits, '_', '-' or '.', at most 32 (e.g. /as alice)"
        ));
    }
    Ok(name)
}

pub fn chat() -> ChatKey {
    ChatKey {
        platform: Platform::Console,
        chat_id: CHAT_ID.into(),
        private: false,
    }
}

/// A line typed in the console by `user`, as the core receives it.
pub fn request(user: &str, text: &str) -> Inbound {
    let caller = Caller {
        user_id: user.to_string(),
        display_name: user.to_string(),
        username: Some(user.to_string()),
    };
    Inbound::new(chat(), caller, text)
}

/// Renders a reply the way the console shows it: `seatmate:` or
/// `seatmate (only alice):`, then the reply's lines, indented, then its buttons.
pub fn render(reply: &Reply, caller: &str) -> String {
    let head = match reply.audience {
        Audience::Chat => "seatmate: ".to_string(),
        Audience::Caller => format!("seatmate (only {caller}): "),
        Audience::Private => format!("seatmate (private to {caller}): "),
    };
    render_with_head(&head, reply)
}

/// Renders a delivered outbox message: an announcement to the chat, or a
/// private notice to one member.
pub fn render_delivered(to: &Recipient, message: &Reply) -> String {
    let head = match to {
        Recipient::Chat(_) => "seatmate (announcement): ".to_string(),
        Recipient::Member(name) => format!("seatmate (private to {name}): "),
    };
    render_with_head(&head, message)
}

fn render_with_head(head: &str, reply: &Reply) -> String {
    let indent = " ".repeat(4);
    let mut out = String::new();
    for (i, line) in reply.plain_text(Platform::Console).lines().enumerate() {
        out.push_str(if i == 0 { head } else { &indent });
        out.push_str(line);
        out.push('\n');
    }
    for button in &reply.buttons {
        if button.disabled {
            out.push_str(&format!("{indent}[{}]\n", button.label));
        } else {
            out.push_str(&format!("{indent}[{}: {}]\n", button.label, button.command));
        }
    }
    if let Some(file) = &reply.attachment {
        out.push_str(&format!("{indent}[file: {}]\n", save_attachment(file).display()));
    }
    out
}

/// Where the console puts a file a reply carries (`/mydata`'s export): the
/// system's temporary directory, readable by its owner alone; the console
/// prints the path. A file that cannot be written is shown in place instead,
/// so nothing is lost.
fn save_attachment(file: &Attachment) -> std::path::PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // The name is the core's, but keep it a plain name whatever it says.
    let name: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = std::env::temp_dir().join(format!("seatmate-{stamp}-{name}"));
    match write_private(&path, &file.bytes()) {
        Ok(()) => path,
        Err(error) => {
            tracing::error!(%error, path = %path.display(), "could not write the file");
            std::path::PathBuf::from(format!("(not written: {error})\n{}", file.content))
        }
    }
}

fn write_private(path: &std::path::Path, content: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(content)
}

/// The console as a delivery target: what the delivery loop sends is kept here
/// until the chat loop prints it (between two input lines, so a transcript is
/// always in the same order).
#[derive(Debug, Default)]
pub struct ConsoleCourier {
    delivered: Mutex<Vec<String>>,
}

impl ConsoleCourier {
    /// What was delivered since the last call, rendered.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.delivered.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[async_trait]
impl Courier for ConsoleCourier {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn send(&self, to: &Recipient, message: &Reply) -> Delivery {
        let mut delivered = self.delivered.lock().unwrap_or_else(|e| e.into_inner());
        delivered.push(render_delivered(to, message));
        Delivery::Sent {
            message_id: Some(delivered.len().to_string()),
        }
    }

    async fn edit(&self, to: &Recipient, message_id: &str, message: &Reply) -> Delivery {
        let mut delivered = self.delivered.lock().unwrap_or_else(|e| e.into_inner());
        let head = match to {
            Recipient::Chat(_) => format!("seatmate (announcement {message_id}, edited): "),
            Recipient::Member(name) => format!("seatmate (to {name}, message {message_id} edited): "),
        };
        delivered.push(render_with_head(&head, message));
        Delivery::Sent { message_id: None }
    }
}

/// The outbox side of the console: the loop that delivers, and the courier it
/// delivers to.
pub struct ConsoleDelivery<'a> {
    pub deliverer: &'a Deliverer,
    pub courier: &'a ConsoleCourier,
}

impl ConsoleDelivery<'_> {
    /// Delivers what is due to the console and returns it rendered.
    pub async fn deliver(&self) -> Vec<String> {
        if let Err(error) = self.deliverer.drain(Platform::Console).await {
            // Left in the outbox: the next pass delivers it.
            tracing::error!(%error, "console delivery failed");
        }
        self.courier.take()
    }
}

/// How often the console looks for due deliveries while it waits for input
/// (a scheduled round's introductions, a notice written by another process).
pub const DELIVERY_TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs the chat until the input ends (or `/quit`).
///
/// A line that is not valid UTF-8 is refused and the session goes on. While
/// it waits for a line, the console delivers what is due every
/// [`DELIVERY_TICK`]; a script's lines come without waiting, so its
/// transcript does not depend on the clock.
pub async fn run<R, W>(
    bot: &Core,
    delivery: Option<&ConsoleDelivery<'_>>,
    mut input: R,
    output: &mut W,
    options: ConsoleOptions,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut user = options.user.clone();
    // Kept across reads: a read interrupted by a delivery tick resumes here.
    let mut buffer = Vec::new();
    let mut tick = tokio::time::interval(DELIVERY_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if options.prompt {
            output.write_all(format!("{user}> ").as_bytes()).await?;
            output.flush().await?;
        }
        let read = loop {
            tokio::select! {
                read = input.read_until(b'\n', &mut buffer) => break read?,
                _ = tick.tick(), if delivery.is_some() => {
                    let delivered = match delivery {
                        Some(delivery) => delivery.deliver().await,
                        None => Vec::new(),
                    };
                    if delivered.is_empty() {
                        continue;
                    }
                    if options.prompt {
                        output.write_all(b"\n").await?;
                    }
                    for message in delivered {
                        output.write_all(message.as_bytes()).await?;
                    }
                    if options.prompt {
                        output.write_all(format!("{user}> ").as_bytes()).await?;
                    }
                    output.flush().await?;
                }
            }
        };
        if read == 0 && buffer.is_empty() {
            break;
        }
        let bytes = std::mem::take(&mut buffer);
        let Ok(line) = String::from_utf8(bytes) else {
            output
                .write_all(b"console: that line is not valid UTF-8 text, so it was skipped.\n")
                .await?;
            continue;
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if options.echo {
            output.write_all(format!("{user}> {line}\n").as_bytes()).await?;
        }
        if matches!(line, "/quit" | "/exit") {
            break;
        }
        if let Some(name) = line
            .strip_prefix("/as")
            .filter(|rest| rest.is_empty() || rest.starts_with(' '))
        {
            match valid_user_name(name) {
                Ok(name) => user = name.to_string(),
                Err(problem) => output.write_all(format!("console: {problem}\n").as_bytes()).await?,
            }
            continue;
        }
        let reply = match line.strip_prefix("/press").filter(|rest| rest.starts_with(' ')) {
            Some(button) => bot.handle_press(&request(&user, button.trim())).await,
            None => bot.handle_text(&request(&user, line)).await,
        };
        output.write_all(render(&reply, &user).as_bytes()).await?;
        if let Some(delivery) = delivery {
            for delivered in delivery.deliver().await {
                output.write_all(delivered.as_bytes()).await?;
            }
        }
        output.flush().await?;
    }
    output.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use seatmate_bot::{Button, Span};

    #[test]
    fn private_replies_are_marked_and_lines_indented() {
        let reply = Reply::to_caller()
            .line(vec![Span::Text("one".into())])
            .item(vec![Span::Code("two".into())]);
        assert_eq!(render(&reply, "bob"), "seatmate (only bob): one\n    • two\n");
        let mut reply = Reply::to_chat().line(vec![Span::Text("offer".into())]);
        reply.buttons.push(Button::new("Request a seat", "/request 7"));
        assert_eq!(
            render(&reply, "bob"),
            "seatmate: offer\n    [Request a seat: /request 7]\n"
        );
    }

    #[test]
    fn a_file_is_written_for_its_owner_and_its_path_shown() {
        let mut reply = Reply::private().line(vec![Span::Text("your data".into())]);
        reply.attachment = Some(Box::new(Attachment::text(
            "seatmate-data-2026-11-24.json",
            "application/json",
            "{\"display_name\":\"bob\"}".into(),
        )));
        let shown = render(&reply, "bob");
        let path = shown
            .lines()
            .find_map(|l| l.trim().strip_prefix("[file: ")?.strip_suffix(']'))
            .unwrap_or_else(|| panic!("{shown}"));
        assert!(path.ends_with("seatmate-data-2026-11-24.json"), "{path}");
        assert_eq!(std::fs::read_to_string(path).unwrap(), "{\"display_name\":\"bob\"}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only its owner reads it");
        }
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn user_names_are_checked() {
        assert_eq!(valid_user_name(" @alice "), Ok("alice"));
        assert!(valid_user_name("").is_err());
        assert!(valid_user_name("a b").is_err());
    }
}
