//! Private stays private: the content-free nudge in the community chat for a
//! private message the platform refused.

use crate::i18n::{spans, Arg, Locale, Msg};
use crate::reply::{Button, Handle, MemberCard, Reply};
use crate::store::{Envelope, Outgoing, Recipient, Target};

/// What the community chat is told when a private message cannot be
/// delivered: that there is one, whom it is for, and how to open the private
/// chat. Nothing of the message itself.
pub fn nudge(envelope: &Envelope, locale: Locale) -> Option<Outgoing> {
    let (Recipient::Member(user_id), Some(chat), Some(member)) =
        (&envelope.recipient, &envelope.fallback_chat, envelope.member)
    else {
        return None;
    };
    let card = MemberCard {
        id: member,
        display_name: envelope.member_name.clone().unwrap_or_else(|| user_id.clone()),
        handles: vec![Handle {
            platform: envelope.platform,
            user_id: user_id.clone(),
            username: envelope.member_username.clone(),
        }],
    };
    // Discord has no link that opens a DM: the button shows the inbox to
    // its presser alone (an ephemeral reply) where Telegram's opens the chat.
    let (text, button) = if envelope.platform.has_ephemeral_replies() {
        (
            Msg::PrivateNudgeInbox,
            Button::new(Msg::ShowInbox.template(locale), "/inbox"),
        )
    } else {
        (
            Msg::PrivateNudge,
            Button {
                opens_private_chat: true,
                ..Button::new(Msg::OpenPrivateChat.template(locale), "/start inbox")
            },
        )
    };
    let mut reply = Reply::to_chat().line(spans(locale, text, vec![("who", Arg::Member(card))]));
    reply.buttons.push(button);
    let target = Target::Chat {
        platform: envelope.platform,
        chat_id: chat.clone(),
    };
    Some(Outgoing::new(envelope.community, target, reply))
}
