//! Telegram updates as the core's inputs: what a message, a button press or
//! a change of the bot's membership means, with no decision taken here.

use seatmate_bot::{Caller, ChatKey, Inbound, Locale, Platform};
use teloxide::types::{
    CallbackQuery, Chat, ChatMemberUpdated, MaybeInaccessibleMessage, Message, MessageEntityKind, MessageId, Update,
    UpdateKind, User,
};

/// What an update asks of the bot.
#[derive(Debug)]
pub enum Event {
    /// A member wrote in a chat; replies answer `message`.
    Message {
        inbound: Inbound,
        message: MessageId,
    },
    /// A member pressed a button under `message`; `inbound.text` is the
    /// button's data, which the core reads back into its command.
    Press {
        inbound: Inbound,
        query_id: String,
        message: Option<MessageId>,
    },
    /// The press's button stood for a command that is gone (see
    /// `seatmate_bot::service::ButtonKeys`).
    ExpiredPress {
        query_id: String,
    },
    Added {
        chat: ChatKey,
        by: Caller,
    },
    Removed {
        chat: ChatKey,
    },
    Moved {
        from: String,
        to: String,
    },
    /// Nothing for the bot: another bot's command, a service message, an
    /// update kind it does not ask for.
    Ignore,
}

pub fn chat_key(chat: &Chat) -> ChatKey {
    ChatKey {
        platform: Platform::Telegram,
        chat_id: chat.id.0.to_string(),
        private: chat.is_private(),
    }
}

pub fn caller(user: &User) -> Caller {
    Caller {
        user_id: user.id.0.to_string(),
        display_name: user.full_name(),
        username: user.username.clone(),
    }
}

/// The group's anonymous admins as one caller: the group's own id (a
/// negative number, never a person's) and its title.
fn group_as_caller(chat: &Chat) -> Caller {
    Caller {
        user_id: chat.id.0.to_string(),
        display_name: chat.title().unwrap_or("the group's admins").to_string(),
        username: None,
    }
}

/// Reads one update. `bot_username` is the bot's own, to tell commands for
/// it from commands for other bots in the same group.
pub fn event(update: Update, bot_username: &str) -> Event {
    match update.kind {
        UpdateKind::Message(message) => from_message(&message, bot_username),
        UpdateKind::CallbackQuery(query) => from_press(query),
        UpdateKind::MyChatMember(change) => from_membership(&change),
        _ => Event::Ignore,
    }
}

fn from_message(message: &Message, bot_username: &str) -> Event {
    if let Some(to) = message.migrate_to_chat_id() {
        return Event::Moved {
            from: message.chat.id.0.to_string(),
            to: to.0.to_string(),
        };
    }
    let (Some(user), Some(text)) = (message.from.as_ref(), message.text()) else {
        return Event::Ignore;
    };
    // An admin who "remains anonymous" writes as the group itself (Telegram
    // sets `sender_chat` to the group, and `from` to its placeholder bot).
    let anonymous_admin = message
        .sender_chat
        .as_ref()
        .is_some_and(|sender| sender.id == message.chat.id);
    // A forwarded message (or one posted through another bot) was written by
    // someone else: running it as the person who passed it on would act in
    // their name on another's words. Such a message is not a command.
    if (user.is_bot && !anonymous_admin)
        || message.forward_origin().is_some()
        || message.is_automatic_forward()
        || message.via_bot.is_some()
    {
        return Event::Ignore;
    }
    let Some(text) = addressed_text(text, bot_username) else {
        return Event::Ignore;
    };
    let (text, mentioned) = with_text_mentions(message, &text);
    let author = if anonymous_admin {
        group_as_caller(&message.chat)
    } else {
        caller(user)
    };
    let mut inbound = Inbound::new(chat_key(&message.chat), author, text);
    inbound.anonymous_admin = anonymous_admin;
    inbound.message = Some(message.id.0.to_string());
    inbound.chat_title = message.chat.title().map(str::to_string);
    if !anonymous_admin {
        inbound.client_locale = user.language_code.as_deref().and_then(Locale::from_client);
    }
    inbound.mentioned = mentioned;
    inbound.replying_to = message
        .reply_to_message()
        .and_then(|replied| replied.from.as_ref())
        .filter(|author| !author.is_bot && author.id != user.id)
        .map(caller);
    Event::Message {
        inbound,
        message: message.id,
    }
}

/// The text as the core reads it: `/checkin@SeatmateBot …` becomes
/// `/checkin …`; a command for another bot (`/checkin@OtherBot`) is `None`.
pub fn addressed_text(text: &str, bot_username: &str) -> Option<String> {
    let Some(command) = text.strip_prefix('/') else {
        return Some(text.to_string());
    };
    let (head, rest) = command.split_at(command.find(char::is_whitespace).unwrap_or(command.len()));
    match head.split_once('@') {
        None => Some(text.to_string()),
        Some((name, to)) if to.eq_ignore_ascii_case(bot_username) => Some(format!("/{name}{rest}")),
        Some(_) => None,
    }
}

/// Text mentions (members without a username, picked from Telegram's
/// list) are written `<@id>` in the command language, and their people are
/// handed to the core. `text` is the message text after [`addressed_text`],
/// which only ever shortens its first word.
fn with_text_mentions(message: &Message, text: &str) -> (String, Vec<Caller>) {
    let original = message.text().unwrap_or_default();
    let shift = original.len() - text.len();
    let mut mentions: Vec<(std::ops::Range<usize>, &User)> = message
        .parse_entities()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|entity| match entity.kind() {
            MessageEntityKind::TextMention { user } if entity.start() >= shift => {
                Some((entity.start() - shift..entity.end() - shift, user))
            }
            _ => None,
        })
        .collect();
    mentions.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut text = text.to_string();
    let mut people = Vec::new();
    for (range, user) in mentions {
        if text.get(range.clone()).is_some() {
            text.replace_range(range, &format!("<@{}>", user.id.0));
            people.push(caller(user));
        }
    }
    people.reverse();
    (text, people)
}

fn from_press(query: CallbackQuery) -> Event {
    let query_id = query.id.0.clone();
    let Some(data) = query.data.clone() else {
        return Event::ExpiredPress { query_id };
    };
    let (chat, message) = match &query.message {
        Some(MaybeInaccessibleMessage::Regular(message)) => (chat_key(&message.chat), Some(message.id)),
        Some(MaybeInaccessibleMessage::Inaccessible(message)) => (chat_key(&message.chat), None),
        // A button under an inline message: run in the presser's private chat.
        None => (
            ChatKey {
                platform: Platform::Telegram,
                chat_id: query.from.id.0.to_string(),
                private: true,
            },
            None,
        ),
    };
    let mut inbound = Inbound::new(chat, caller(&query.from), data);
    inbound.client_locale = query.from.language_code.as_deref().and_then(Locale::from_client);
    Event::Press {
        inbound,
        query_id,
        message,
    }
}

fn from_membership(change: &ChatMemberUpdated) -> Event {
    if change.chat.is_private() {
        // A member started or blocked the bot: their private chat opens with
        // their first message, and a refusal is learnt when sending.
        return Event::Ignore;
    }
    let chat = chat_key(&change.chat);
    let (was, is) = (change.old_chat_member.is_present(), change.new_chat_member.is_present());
    match (was, is) {
        (false, true) => Event::Added {
            chat,
            by: caller(&change.from),
        },
        (true, false) => Event::Removed { chat },
        _ => Event::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::AllowedUpdate;

    fn update(json: &str) -> Update {
        serde_json::from_str(json).expect("an update as Telegram writes it")
    }

    /// What polling and the webhook ask Telegram for is exactly what
    /// [`event`] reads: each asked-for kind means something, and a kind
    /// not asked for (an edit) is ignored.
    #[test]
    fn the_update_kinds_asked_for_are_the_kinds_read() {
        let chat = r#"{"id": -100, "type": "supergroup", "title": "G"}"#;
        let ann = r#"{"id": 11, "is_bot": false, "first_name": "Ann"}"#;
        let bot = r#"{"id": 999, "is_bot": true, "first_name": "Seatmate", "username": "SeatmateBot"}"#;
        let message = format!(
            r#"{{"message_id": 5, "date": 0, "chat": {chat}, "from": {ann}, "text": "/help",
            "entities": [{{"type": "bot_command", "offset": 0, "length": 5}}]}}"#
        );
        let samples = [
            (
                AllowedUpdate::Message,
                format!(r#"{{"update_id": 1, "message": {message}}}"#),
            ),
            (
                AllowedUpdate::CallbackQuery,
                format!(
                    r#"{{"update_id": 2, "callback_query": {{"id": "q", "from": {ann}, "chat_instance": "1",
                    "data": "/help", "message": {message}}}}}"#
                ),
            ),
            (
                AllowedUpdate::MyChatMember,
                format!(
                    r#"{{"update_id": 3, "my_chat_member": {{"chat": {chat}, "from": {ann}, "date": 0,
                    "old_chat_member": {{"status": "left", "user": {bot}}},
                    "new_chat_member": {{"status": "member", "user": {bot}}}}}}}"#
                ),
            ),
        ];
        let asked: Vec<AllowedUpdate> = samples.iter().map(|(kind, _)| *kind).collect();
        assert_eq!(asked, crate::webhook::ALLOWED_UPDATES.to_vec());
        for (kind, json) in &samples {
            let read = event(update(json), "SeatmateBot");
            assert!(
                !matches!(read, Event::Ignore),
                "{kind:?} is asked for but means nothing: {read:?}"
            );
        }
        let edited = format!(r#"{{"update_id": 4, "edited_message": {message}}}"#);
        assert!(matches!(event(update(&edited), "SeatmateBot"), Event::Ignore));
    }

    #[test]
    fn a_text_mention_after_an_emoji_becomes_the_members_id() {
        // Telegram counts offsets in UTF-16 units: "🪑" is two of them.
        let json = r#"{"update_id": 1, "message": {"message_id": 5, "date": 0,
            "chat": {"id": -100, "type": "supergroup", "title": "G"},
            "from": {"id": 1, "is_bot": false, "first_name": "Ann", "username": "ann"},
            "text": "/host@SeatmateBot add 🪑 Bea Bakker loft",
            "entities": [{"type": "bot_command", "offset": 0, "length": 17},
                         {"type": "text_mention", "offset": 25, "length": 10,
                          "user": {"id": 42, "is_bot": false, "first_name": "Bea", "last_name": "Bakker"}}],
            "reply_to_message": {"message_id": 4, "date": 0,
                "chat": {"id": -100, "type": "supergroup", "title": "G"},
                "from": {"id": 7, "is_bot": false, "first_name": "Cas"}, "text": "hi"}}}"#;
        let Event::Message { inbound, message } = event(update(json), "SeatmateBot") else {
            panic!("a message");
        };
        assert_eq!(message, MessageId(5));
        assert_eq!(inbound.text, "/host add 🪑 <@42> loft");
        assert_eq!(inbound.mentioned.len(), 1);
        assert_eq!(inbound.mentioned[0].display_name, "Bea Bakker");
        assert_eq!(inbound.replying_to.as_ref().map(|c| c.user_id.as_str()), Some("7"));
        assert!(!inbound.chat.private);
    }

    #[test]
    fn the_bot_joining_or_leaving_a_group_is_an_event_and_a_private_chat_is_not() {
        let membership = |chat: &str, old: &str, new: &str| {
            update(&format!(
                r#"{{"update_id": 2, "my_chat_member": {{"chat": {chat}, "date": 0,
                "from": {{"id": 1, "is_bot": false, "first_name": "Ann"}},
                "old_chat_member": {{"status": "{old}", "user": {{"id": 9, "is_bot": true, "first_name": "S"}}}},
                "new_chat_member": {{"status": "{new}", "user": {{"id": 9, "is_bot": true, "first_name": "S"}}}}}}}}"#
            ))
        };
        let group = r#"{"id": -100, "type": "group", "title": "G"}"#;
        let private = r#"{"id": 1, "type": "private", "first_name": "Ann"}"#;
        assert!(matches!(
            event(membership(group, "left", "member"), "S"),
            Event::Added { .. }
        ));
        assert!(matches!(
            event(membership(group, "member", "left"), "S"),
            Event::Removed { .. }
        ));
        assert!(matches!(
            event(membership(private, "member", "left"), "S"),
            Event::Ignore
        ));
    }

    #[test]
    fn forwarded_and_bot_relayed_commands_are_not_commands() {
        let base = r#""message_id": 5, "date": 0,
            "chat": {"id": -100, "type": "supergroup", "title": "G"},
            "from": {"id": 1, "is_bot": false, "first_name": "Ann"},
            "text": "/forgetme", "entities": [{"type": "bot_command", "offset": 0, "length": 9}]"#;
        let plain = update(&format!(r#"{{"update_id": 1, "message": {{{base}}}}}"#));
        assert!(matches!(event(plain, "SeatmateBot"), Event::Message { .. }));
        for extra in [
            r#""forward_origin": {"type": "user", "date": 0, "sender_user": {"id": 2, "is_bot": false, "first_name": "Bea"}}"#,
            r#""forward_origin": {"type": "hidden_user", "date": 0, "sender_user_name": "Bea"}"#,
            r#""via_bot": {"id": 3, "is_bot": true, "first_name": "Other", "username": "OtherBot"}"#,
        ] {
            let relayed = update(&format!(r#"{{"update_id": 1, "message": {{{base}, {extra}}}}}"#));
            assert!(matches!(event(relayed, "SeatmateBot"), Event::Ignore), "{extra}");
        }
    }

    #[test]
    fn commands_for_this_bot_lose_its_name_and_others_are_ignored() {
        assert_eq!(
            addressed_text("/checkin@SeatmateBot cafe", "SeatmateBot").as_deref(),
            Some("/checkin cafe")
        );
        assert_eq!(
            addressed_text("/checkin@seatmatebot", "SeatmateBot").as_deref(),
            Some("/checkin")
        );
        assert_eq!(addressed_text("/checkin@OtherBot cafe", "SeatmateBot"), None);
        assert_eq!(
            addressed_text("/checkin cafe@home", "SeatmateBot").as_deref(),
            Some("/checkin cafe@home")
        );
        assert_eq!(addressed_text("hello @x", "SeatmateBot").as_deref(), Some("hello @x"));
    }
}
