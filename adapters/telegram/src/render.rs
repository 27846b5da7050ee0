//! A core [`Reply`] as Telegram messages: HTML with every piece of member
//! text escaped, split at line boundaries to fit Telegram's 4,096 characters,
//! and its buttons as an inline keyboard.

use seatmate_bot::reply::{pack_lines, Block, Button, Span};
use seatmate_bot::service::ButtonKeys;
use seatmate_bot::{Platform, Reply};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::utils::html::escape;

/// Telegram's limit on a message's text, in UTF-16 code units after the
/// markup is parsed.
pub const MAX_TEXT: usize = 4096;
/// Telegram's limit on a button's `callback_data`, in bytes.
pub const MAX_CALLBACK_DATA: usize = 64;

/// One Telegram message: HTML text, and the keyboard of the last part.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub html: String,
    pub keyboard: Option<InlineKeyboardMarkup>,
}

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

fn span_html(span: &Span) -> (String, usize) {
    match span {
        Span::Text(t) => (escape(t), units(t)),
        Span::Strong(t) => (format!("<b>{}</b>", escape(t)), units(t)),
        Span::Struck(t) => (format!("<s>{}</s>", escape(t)), units(t)),
        Span::Code(t) => (format!("<code>{}</code>", escape(t)), units(t)),
        // Telegram makes an address in the text clickable itself.
        Span::Link(url) => (escape(url), units(url)),
        // Telegram has no mention of a chat: its id, to copy.
        Span::Chat { chat_id, .. } => (format!("<code>{}</code>", escape(chat_id)), units(chat_id)),
        // Named, not notified: no @username, no profile link.
        Span::Name(card) => (escape(&card.display_name), units(&card.display_name)),
        Span::Mention(card) => match card.handle_on(Platform::Telegram) {
            Some(handle) if handle.username.is_some() => {
                let name = card.plain_name(Platform::Telegram);
                (escape(&name), units(&name))
            }
            // No username: a link that opens their profile.
            Some(handle) if handle.user_id.bytes().all(|b| b.is_ascii_digit()) => (
                format!(
                    "<a href=\"tg://user?id={}\">{}</a>",
                    handle.user_id,
                    escape(&card.display_name)
                ),
                units(&card.display_name),
            ),
            _ => (escape(&card.display_name), units(&card.display_name)),
        },
    }
}

/// A block as HTML lines, each within the limit: a block longer than a
/// whole message (it never is, in practice) is cut into plain pieces.
fn block_lines(block: &Block) -> Vec<(String, usize)> {
    let bullet = if matches!(block, Block::Item(_)) { "• " } else { "" };
    let (mut html, mut len) = (bullet.to_string(), units(bullet));
    for span in block.spans() {
        let (h, l) = span_html(span);
        html.push_str(&h);
        len += l;
    }
    if len <= MAX_TEXT {
        return vec![(html, len)];
    }
    let plain = format!(
        "{bullet}{}",
        seatmate_bot::reply::plain_text(block.spans(), Platform::Telegram)
    );
    let mut pieces = Vec::new();
    let (mut piece, mut piece_len) = (String::new(), 0);
    for c in plain.chars() {
        if piece_len + c.len_utf16() > MAX_TEXT {
            pieces.push((escape(&piece), piece_len));
            piece.clear();
            piece_len = 0;
        }
        piece.push(c);
        piece_len += c.len_utf16();
    }
    pieces.push((escape(&piece), piece_len));
    pieces
}

/// The reply as messages, split at line boundaries; the buttons go under
/// the last one. An empty reply is one line saying so (Telegram refuses
/// empty text; the core never sends one).
pub fn render(reply: &Reply, keyboard: Option<InlineKeyboardMarkup>) -> Vec<Part> {
    let lines: Vec<(String, usize)> = reply.blocks.iter().flat_map(block_lines).collect();
    let lens: Vec<usize> = lines.iter().map(|(_, len)| *len).collect();
    let ranges = pack_lines(&lens, MAX_TEXT);
    let last = ranges.len() - 1;
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, range)| {
            let html = lines[range]
                .iter()
                .map(|(h, _)| h.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            Part {
                html: if html.trim().is_empty() { "…".into() } else { html },
                keyboard: if i == last { keyboard.clone() } else { None },
            }
        })
        .collect()
}

/// The reply's buttons as an inline keyboard, one button a row: a button
/// that opens the private chat is a `t.me` deep link to the bot; a command
/// too long for `callback_data` is kept by the core under a short key. A
/// button whose command could not be kept is left out (the reply's text
/// says what to type).
pub async fn keyboard(keys: &ButtonKeys, buttons: &[Button], bot_username: &str) -> Option<InlineKeyboardMarkup> {
    let mut rows = Vec::new();
    // Telegram has no greyed-out button: one that cannot be pressed goes.
    for button in buttons.iter().filter(|b| !b.disabled) {
        let link = button
            .opens_private_chat
            .then(|| deep_link(bot_username, &button.command))
            .flatten();
        let key = match link {
            Some(url) => InlineKeyboardButton::url(button.label.clone(), url),
            None => match keys.data(&button.command, MAX_CALLBACK_DATA).await {
                Ok(data) => InlineKeyboardButton::callback(button.label.clone(), data),
                Err(error) => {
                    tracing::error!(%error, "a button's command could not be kept; left out");
                    continue;
                }
            },
        };
        rows.push(vec![key]);
    }
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// `https://t.me/<bot>?start=<payload>` for a `/start <payload>` command
/// (Telegram sends `/start <payload>` when the member presses Start).
fn deep_link(bot_username: &str, command: &str) -> Option<url::Url> {
    let payload = command.strip_prefix("/start").map(str::trim).unwrap_or_default();
    let valid = payload.len() <= 64
        && payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let url = if payload.is_empty() || !valid {
        format!("https://t.me/{bot_username}")
    } else {
        format!("https://t.me/{bot_username}?start={payload}")
    };
    url.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use seatmate_bot::domain::MemberId;
    use seatmate_bot::reply::{Handle, MemberCard};

    fn card(username: Option<&str>) -> MemberCard {
        MemberCard {
            id: MemberId(1),
            display_name: "Bea <3 & co".into(),
            handles: vec![Handle {
                platform: Platform::Telegram,
                user_id: "42".into(),
                username: username.map(Into::into),
            }],
        }
    }

    #[test]
    fn member_text_is_escaped_and_styles_are_tags() {
        let reply = Reply::to_chat()
            .line(vec![
                Span::Strong("<x> & co".into()),
                Span::Text(" at ".into()),
                Span::Code("a<b".into()),
            ])
            .item(vec![
                Span::Mention(card(None)),
                Span::Text(" and ".into()),
                Span::Mention(card(Some("bea"))),
            ]);
        let parts = render(&reply, None);
        assert_eq!(
            parts[0].html,
            "<b>&lt;x&gt; &amp; co</b> at <code>a&lt;b</code>\n\
             • <a href=\"tg://user?id=42\">Bea &lt;3 &amp; co</a> and @bea"
        );
    }

    #[test]
    fn a_linked_member_is_named_by_their_telegram_handle_and_one_without_by_name() {
        let discord = Handle {
            platform: Platform::Discord,
            user_id: "990000000000000031".into(),
            username: Some("ana_on_discord".into()),
        };
        let mut linked = card(Some("anaquill"));
        linked.handles.insert(0, discord.clone());
        let discord_only = MemberCard {
            handles: vec![discord],
            ..card(None)
        };
        let reply = Reply::to_chat().line(vec![
            Span::Mention(linked),
            Span::Text(", ".into()),
            Span::Mention(discord_only),
        ]);
        assert_eq!(render(&reply, None)[0].html, "@anaquill, Bea &lt;3 &amp; co");
    }

    #[test]
    fn long_replies_split_at_line_boundaries_with_buttons_under_the_last() {
        let mut reply = Reply::to_chat();
        for i in 0..300 {
            reply.push_item(vec![Span::Text(format!("line {i:03} {}", "x".repeat(20)))]);
        }
        let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Request", "/request 1")]]);
        let parts = render(&reply, Some(keyboard));
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(units(&part.html) <= MAX_TEXT);
            assert!(part.html.starts_with("• line"));
        }
        assert!(parts[..parts.len() - 1].iter().all(|p| p.keyboard.is_none()));
        assert!(parts.last().unwrap().keyboard.is_some());
        let lines: usize = parts.iter().map(|p| p.html.lines().count()).sum();
        assert_eq!(lines, 300);
    }

    #[test]
    fn a_private_chat_button_is_a_deep_link() {
        let url = deep_link("SeatmateBot", "/start inbox").unwrap();
        assert_eq!(url.as_str(), "https://t.me/SeatmateBot?start=inbox");
        let plain = deep_link("SeatmateBot", "/start what ever").unwrap();
        assert_eq!(plain.as_str(), "https://t.me/SeatmateBot");
    }
}
