//! What the core answers: a platform-neutral `Reply`. Adapters only translate it:
//! spans to their markup, mentions to their mention syntax, buttons to their
//! buttons (each button carries the command text it stands for, so pressing it is
//! the same as typing that command).

use serde::{Deserialize, Serialize};

use crate::domain::{MemberId, Platform};

/// Who should see a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Everyone in the chat the command came from.
    Chat,
    /// Only the caller: a confirmation or a refusal, fine as an ephemeral
    /// reply, or as a reply to their message where the platform has no such
    /// thing (Telegram).
    Caller,
    /// The member alone, in their private chat with the bot; never seen by
    /// anyone else (held, with a content-free nudge, when that chat is closed).
    Private,
}

/// A member as a reply names them; adapters pick the handle for their platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberCard {
    pub id: MemberId,
    pub display_name: String,
    pub handles: Vec<Handle>,
}

impl MemberCard {
    /// The member's identity on `platform`, if they have one there.
    pub fn handle_on(&self, platform: Platform) -> Option<&Handle> {
        self.handles.iter().find(|h| h.platform == platform)
    }

    /// How to name the member in plain text on `platform`: `@username` where they
    /// have one there, otherwise their display name.
    pub fn plain_name(&self, platform: Platform) -> String {
        match self.handle_on(platform).and_then(|h| h.username.as_deref()) {
            Some(username) => format!("@{username}"),
            None => self.display_name.clone(),
        }
    }
}

/// One platform identity of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handle {
    pub platform: Platform,
    pub user_id: String,
    pub username: Option<String>,
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Span {
    Text(String),
    Strong(String),
    /// Something the reader types or copies: a command, a slug, an id.
    Code(String),
    Mention(MemberCard),
    /// A member named without notifying them (people in a list: `/here`,
    /// who to meet): as a mention where the platform shows one that pings
    /// nobody (Discord, with the member left out of `allowed_mentions`),
    /// else by name (Telegram, where an @username notifies).
    Name(MemberCard),
    /// A web address the reader opens (a Telegram deep link): written as
    /// is, where the platform makes it clickable; the core writes only
    /// `https://` addresses of letters, digits and `/?=_.-:`.
    Link(String),
    /// A chat, as its platform names it where it can (a Discord channel
    /// mention); elsewhere its id.
    Chat {
        platform: Platform,
        chat_id: String,
    },
    /// Text that no longer holds (a withdrawn or past offer), struck through.
    Struck(String),
}

/// A line of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Line(Vec<Span>),
    /// An item of a list (rendered with a bullet).
    Item(Vec<Span>),
}

impl Block {
    pub fn spans(&self) -> &[Span] {
        match self {
            Block::Line(spans) | Block::Item(spans) => spans,
        }
    }
}

/// A button under a reply; pressing it runs `command` as if the presser typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub command: String,
    /// Pressing it opens the presser's private chat with the bot and runs
    /// `command` there (a `t.me/<bot>?start=…` link on Telegram).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opens_private_chat: bool,
    /// Shown but not pressable (a full or past offer's "Request a seat"),
    /// where the platform has such buttons (Discord); elsewhere left out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl Button {
    pub fn new(label: impl Into<String>, command: impl Into<String>) -> Self {
        Button {
            label: label.into(),
            command: command.into(),
            opens_private_chat: false,
            disabled: false,
        }
    }

    /// The same button, shown greyed out where the platform can.
    pub fn disabled(self) -> Self {
        Button { disabled: true, ..self }
    }
}

/// A card shown beside a reply's text where the platform has them (a
/// Discord embed): a title, a few labelled facts, a description and a
/// footer. Platforms without cards show the text blocks alone, which say
/// the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub title: String,
    pub description: Vec<Span>,
    pub fields: Vec<CardField>,
    pub footer: Option<String>,
    pub tone: Tone,
}

/// One labelled fact of a [`Card`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardField {
    pub name: String,
    pub value: Vec<Span>,
}

/// What a card's colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tone {
    /// Open: go ahead.
    Open,
    /// Full: a waitlist only.
    Full,
    /// Over or withdrawn: nothing to do.
    Closed,
}

/// A file sent with a reply (`/mydata`'s export, `/report`'s chart): a
/// document on Telegram (an image as a photo), an attachment on Discord, a
/// file the console writes and names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// `seatmate-data.json`: a plain name, no path.
    pub file_name: String,
    pub media_type: String,
    /// The file: text as it is, or binary in base64 (as `encoding` says), so
    /// a reply that waits in the outbox keeps it as JSON.
    pub content: String,
    #[serde(default, skip_serializing_if = "Encoding::is_text")]
    pub encoding: Encoding,
}

/// How an attachment's content is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    #[default]
    Text,
    Base64,
}

impl Encoding {
    fn is_text(&self) -> bool {
        *self == Encoding::Text
    }
}

impl Attachment {
    pub fn text(file_name: impl Into<String>, media_type: &str, content: String) -> Self {
        Attachment {
            file_name: file_name.into(),
            media_type: media_type.into(),
            content,
            encoding: Encoding::Text,
        }
    }

    pub fn binary(file_name: impl Into<String>, media_type: &str, bytes: &[u8]) -> Self {
        use base64::Engine as _;
        Attachment {
            file_name: file_name.into(),
            media_type: media_type.into(),
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
            encoding: Encoding::Base64,
        }
    }

    /// The file's bytes (base64 that does not decode, which only a damaged
    /// row could hold, is sent as the text it is).
    pub fn bytes(&self) -> Vec<u8> {
        use base64::Engine as _;
        match self.encoding {
            Encoding::Text => self.content.clone().into_bytes(),
            Encoding::Base64 => base64::engine::general_purpose::STANDARD
                .decode(&self.content)
                .unwrap_or_else(|_| self.content.clone().into_bytes()),
        }
    }

    /// An image, which platforms show in place (a photo on Telegram).
    pub fn is_image(&self) -> bool {
        self.media_type.starts_with("image/")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub audience: Audience,
    pub blocks: Vec<Block>,
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Box<Attachment>>,
    /// The platform's id of the message this answers, when it is delivered
    /// later in the same chat (an answer that waited for the platform's
    /// limits still quotes the command it answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    /// Where the platform shows cards (Discord's embeds); see [`Card`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Box<Card>>,
}

impl Reply {
    /// Nothing to say: no text, no button, no file (an adapter sends nothing).
    pub fn is_nothing(&self) -> bool {
        self.blocks.is_empty() && self.buttons.is_empty() && self.attachment.is_none() && self.card.is_none()
    }

    pub fn to_chat() -> Self {
        Reply {
            audience: Audience::Chat,
            blocks: Vec::new(),
            buttons: Vec::new(),
            attachment: None,
            in_reply_to: None,
            card: None,
        }
    }

    pub fn private() -> Self {
        Reply {
            audience: Audience::Private,
            ..Reply::to_chat()
        }
    }

    pub fn to_caller() -> Self {
        Reply {
            audience: Audience::Caller,
            ..Reply::to_chat()
        }
    }

    pub fn line(mut self, spans: Vec<Span>) -> Self {
        self.blocks.push(Block::Line(spans));
        self
    }

    pub fn item(mut self, spans: Vec<Span>) -> Self {
        self.blocks.push(Block::Item(spans));
        self
    }

    pub fn push_line(&mut self, spans: Vec<Span>) {
        self.blocks.push(Block::Line(spans));
    }

    pub fn push_item(&mut self, spans: Vec<Span>) {
        self.blocks.push(Block::Item(spans));
    }

    /// The reply as plain text for `platform`: one line per block, list items
    /// bulleted, mentions as `@username` (or the display name), styles dropped.
    /// The console shows this; tests read it.
    pub fn plain_text(&self, platform: Platform) -> String {
        let mut out = String::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if matches!(block, Block::Item(_)) {
                out.push_str("• ");
            }
            out.push_str(&plain_text(block.spans(), platform));
        }
        out
    }
}

/// Spans as plain text for `platform`: styles dropped, mentions as
/// `@username` (or the display name).
pub fn plain_text(spans: &[Span], platform: Platform) -> String {
    spans
        .iter()
        .map(|span| match span {
            Span::Text(t) | Span::Strong(t) | Span::Code(t) | Span::Link(t) | Span::Struck(t) => t.clone(),
            Span::Chat { chat_id, .. } => chat_id.clone(),
            Span::Mention(card) => card.plain_name(platform),
            Span::Name(card) if platform == Platform::Telegram => card.display_name.clone(),
            Span::Name(card) => card.plain_name(platform),
        })
        .collect()
}

/// Where a platform's message-size limit splits a reply: lines (measured as
/// the platform counts, `lens`) go in order into messages of at most `max`,
/// a newline between two lines counting one; a line is never split (one
/// longer than `max` stands alone). The ranges of lines in each message:
/// always at least one, which is empty for no lines.
pub fn pack_lines(lens: &[usize], max: usize) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, &len) in lens.iter().enumerate() {
        if i == start {
            used = len;
        } else if used + 1 + len > max {
            parts.push(start..i);
            (start, used) = (i, len);
        } else {
            used += 1 + len;
        }
    }
    parts.push(start..lens.len());
    parts
}

#[cfg(test)]
mod tests {
    use super::pack_lines;

    #[test]
    // Lists of ranges (a message each), some of one message.
    #[allow(clippy::single_range_in_vec_init)]
    fn lines_pack_into_messages_without_being_split() {
        assert_eq!(pack_lines(&[], 10), [0..0]);
        assert_eq!(pack_lines(&[4, 5], 10), [0..2], "4 + newline + 5 fits");
        assert_eq!(pack_lines(&[4, 6], 10), [0..1, 1..2]);
        assert_eq!(
            pack_lines(&[12, 3, 3, 3], 10),
            [0..1, 1..3, 3..4],
            "a long line stands alone"
        );
    }
}
