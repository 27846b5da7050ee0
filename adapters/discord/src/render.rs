//! A core [`Reply`] as Discord messages: Markdown with every piece of member
//! text escaped (so `**`, `@everyone` or a `<@id>` typed by a member shows
//! as typed), mentions as `<@id>` with the exact users a message may ping,
//! content split at line boundaries to fit 2,000 characters, and buttons as
//! components.

use seatmate_bot::reply::{pack_lines, Block, Button, Card, Span, Tone};
use seatmate_bot::service::ButtonKeys;
use seatmate_bot::{Platform, Reply};
use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed, CreateEmbedFooter, UserId,
};

/// Discord's limit on a message's content, in characters.
pub const MAX_CONTENT: usize = 2000;
/// Discord's limit on a component's `custom_id`.
pub const MAX_CUSTOM_ID: usize = 100;
/// Buttons in one action row, and rows in one message.
const PER_ROW: usize = 5;
const MAX_ROWS: usize = 5;

/// One Discord message: its content and the users it may ping.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub content: String,
    pub mentions: Vec<UserId>,
}

impl Part {
    /// Pings exactly the members mentioned: never everyone, here, or a role.
    pub fn allowed_mentions(&self) -> CreateAllowedMentions {
        CreateAllowedMentions::new()
            .everyone(false)
            .all_roles(false)
            .users(self.mentions.iter().copied())
    }
}

/// Member text as Discord shows it literally: Markdown's characters
/// escaped, and `@everyone` / `@here` broken with a zero-width space.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '|' | '>' | '`' | '#' | '[' | ']' | '<' | '-' | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out.replace("@everyone", "@\u{200B}everyone")
        .replace("@here", "@\u{200B}here")
}

/// An `https://` address of characters that mean nothing to Markdown
/// inside angle brackets.
fn is_plain_url(url: &str) -> bool {
    url.starts_with("https://")
        && url
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '?' | '=' | '_' | '.' | '-' | ':' | '&'))
}

/// Inline code that shows `text` as it is, whatever backticks it holds.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {} ``", text.replace("``", "`\u{200B}`"))
    } else {
        format!("`{text}`")
    }
}

fn span(span: &Span, mentions: &mut Vec<UserId>) -> String {
    match span {
        Span::Text(t) => escape(t),
        Span::Strong(t) => format!("**{}**", escape(t)),
        Span::Struck(t) => format!("~~{}~~", escape(t)),
        // As is, so that Discord makes it clickable; in angle brackets, so
        // that it shows no preview. Anything unexpected in it is escaped.
        Span::Link(url) if is_plain_url(url) => format!("<{url}>"),
        Span::Link(url) => escape(url),
        // A channel of this server shows as its name, and opens it.
        Span::Chat {
            platform: Platform::Discord,
            chat_id,
        } if !chat_id.is_empty() && chat_id.bytes().all(|b| b.is_ascii_digit()) => format!("<#{chat_id}>"),
        Span::Chat { chat_id, .. } => code(chat_id),
        Span::Code(t) => code(t),
        // Shown as a mention, but never in `allowed_mentions`: no ping.
        Span::Name(card) => match card
            .handle_on(Platform::Discord)
            .and_then(|h| h.user_id.parse::<u64>().ok())
        {
            Some(id) if id != 0 => format!("<@{id}>"),
            _ => escape(&card.plain_name(Platform::Discord)),
        },
        Span::Mention(card) => match card
            .handle_on(Platform::Discord)
            .and_then(|h| h.user_id.parse::<u64>().ok())
        {
            Some(id) if id != 0 => {
                let id = UserId::new(id);
                if !mentions.contains(&id) {
                    mentions.push(id);
                }
                format!("<@{id}>")
            }
            _ => escape(&card.plain_name(Platform::Discord)),
        },
    }
}

/// The reply as messages, split at line boundaries (a line longer than a
/// whole message, which the core never writes, is cut).
pub fn render(reply: &Reply) -> Vec<Part> {
    let lines: Vec<(String, Vec<UserId>)> = reply
        .blocks
        .iter()
        .map(|block| {
            let mut mentions = Vec::new();
            let bullet = if matches!(block, Block::Item(_)) { "• " } else { "" };
            let mut line = bullet.to_string();
            for s in block.spans() {
                line.push_str(&span(s, &mut mentions));
            }
            if line.chars().count() > MAX_CONTENT {
                line = line.chars().take(MAX_CONTENT - 1).collect::<String>() + "…";
            }
            (line, mentions)
        })
        .collect();
    let lens: Vec<usize> = lines.iter().map(|(line, _)| line.chars().count()).collect();
    pack_lines(&lens, MAX_CONTENT)
        .into_iter()
        .map(|range| {
            let lines = &lines[range];
            let content = lines.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>().join("\n");
            let mut mentions: Vec<UserId> = Vec::new();
            for id in lines.iter().flat_map(|(_, m)| m) {
                if !mentions.contains(id) {
                    mentions.push(*id);
                }
            }
            Part {
                content: if content.trim().is_empty() {
                    "…".into()
                } else {
                    content
                },
                mentions,
            }
        })
        .collect()
}

/// The reply's buttons as action rows (five to a row, at most five rows): a
/// command too long for a `custom_id` is kept by the core under a short
/// key; a button whose command could not be kept is left out.
pub async fn components(keys: &ButtonKeys, buttons: &[Button]) -> Vec<CreateActionRow> {
    let mut made = Vec::new();
    for button in buttons.iter().take(PER_ROW * MAX_ROWS) {
        match keys.data(&button.command, MAX_CUSTOM_ID).await {
            Ok(id) => made.push(
                CreateButton::new(id)
                    .label(button.label.clone())
                    .style(ButtonStyle::Primary)
                    .disabled(button.disabled),
            ),
            Err(error) => tracing::error!(%error, "a button's command could not be kept; left out"),
        }
    }
    made.chunks(PER_ROW)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

/// Discord's limits on an embed's parts, in characters.
const MAX_TITLE: usize = 256;
const MAX_DESCRIPTION: usize = 4096;
const MAX_FIELD_VALUE: usize = 1024;
const MAX_FOOTER: usize = 2048;

fn at_most(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        text
    } else {
        text.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// A reply's card as an embed (the mentions in it ping nobody: Discord
/// never notifies from an embed); none without a card.
pub fn embeds(reply: &Reply) -> Vec<CreateEmbed> {
    reply.card.as_deref().map(embed).into_iter().collect()
}

fn embed(card: &Card) -> CreateEmbed {
    let spans = |spans: &[Span]| spans.iter().map(|s| span(s, &mut Vec::new())).collect::<String>();
    let colour = match card.tone {
        Tone::Open => 0x2E_CC_71,
        Tone::Full => 0xF1_C4_0F,
        Tone::Closed => 0x95_A5_A6,
    };
    let mut embed = CreateEmbed::new()
        .title(at_most(card.title.clone(), MAX_TITLE))
        .colour(colour)
        .fields(card.fields.iter().map(|field| {
            let value = spans(&field.value);
            let value = if value.trim().is_empty() {
                "—".to_string()
            } else {
                value
            };
            (
                at_most(field.name.clone(), MAX_TITLE),
                at_most(value, MAX_FIELD_VALUE),
                true,
            )
        }));
    if !card.description.is_empty() {
        embed = embed.description(at_most(spans(&card.description), MAX_DESCRIPTION));
    }
    if let Some(footer) = &card.footer {
        embed = embed.footer(CreateEmbedFooter::new(at_most(footer.clone(), MAX_FOOTER)));
    }
    embed
}

/// The file a reply carries (`/mydata`), as a Discord attachment.
pub fn attachment(reply: &Reply) -> Option<serenity::all::CreateAttachment> {
    reply
        .attachment
        .as_ref()
        .map(|file| serenity::all::CreateAttachment::bytes(file.bytes(), file.file_name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use seatmate_bot::domain::MemberId;
    use seatmate_bot::reply::{Handle, MemberCard};

    fn card(platform: Platform, user_id: &str) -> MemberCard {
        MemberCard {
            id: MemberId(1),
            display_name: "Bea *the* Builder".into(),
            handles: vec![Handle {
                platform,
                user_id: user_id.into(),
                username: Some("bea_b".into()),
            }],
        }
    }

    #[test]
    fn member_text_shows_as_typed_and_pings_nobody() {
        let reply = Reply::to_chat().line(vec![Span::Text(
            "**free** pizza @everyone @here <@123> > quote ~~x~~ ||spoiler|| `code` # big".into(),
        )]);
        let part = &render(&reply)[0];
        assert_eq!(
            part.content,
            "\\*\\*free\\*\\* pizza @\u{200B}everyone @\u{200B}here \\<@123\\> \\> quote \\~\\~x\\~\\~ \\|\\|spoiler\\|\\| \\`code\\` \\# big"
        );
        assert!(part.mentions.is_empty());
    }

    #[test]
    fn links_stay_clickable_channels_are_mentioned_and_anything_else_is_escaped() {
        let mut mentions = Vec::new();
        let link = Span::Link("https://t.me/SeatmateBot?start=link_ABCD2345".into());
        assert_eq!(
            span(&link, &mut mentions),
            "<https://t.me/SeatmateBot?start=link_ABCD2345>"
        );
        let channel = Span::Chat {
            platform: Platform::Discord,
            chat_id: "300".into(),
        };
        assert_eq!(span(&channel, &mut mentions), "<#300>");
        let group = Span::Chat {
            platform: Platform::Telegram,
            chat_id: "-100".into(),
        };
        assert_eq!(span(&group, &mut mentions), "`-100`");
        let odd = Span::Link("https://x.example/**bold**".into());
        assert_eq!(span(&odd, &mut mentions), "https\\://x.example/\\*\\*bold\\*\\*");
    }

    #[test]
    fn mentions_ping_exactly_the_members_named() {
        let reply = Reply::to_chat()
            .line(vec![
                Span::Mention(card(Platform::Discord, "42")),
                Span::Strong(" hi".into()),
            ])
            .item(vec![
                Span::Mention(card(Platform::Telegram, "7")),
                Span::Code("/checkin".into()),
            ]);
        let part = &render(&reply)[0];
        assert_eq!(part.content, "<@42>** hi**\n• Bea \\*the\\* Builder`/checkin`");
        assert_eq!(part.mentions, [UserId::new(42)]);
        let allowed = serde_json::to_value(part.allowed_mentions()).unwrap();
        assert_eq!(allowed["users"], serde_json::json!(["42"]));
        assert_eq!(allowed["parse"], serde_json::json!([]));
    }

    #[test]
    fn long_replies_split_at_line_boundaries() {
        let mut reply = Reply::to_chat();
        for i in 0..200 {
            reply.push_item(vec![Span::Text(format!("line {i:03} {}", "x".repeat(20)))]);
        }
        let parts = render(&reply);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.content.chars().count() <= MAX_CONTENT));
        assert_eq!(parts.iter().map(|p| p.content.lines().count()).sum::<usize>(), 200);
    }
}
