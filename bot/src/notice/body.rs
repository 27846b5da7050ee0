//! What an outbox message holds (a rendered reply, or a notice rendered when
//! sent), and the digests that gather several into one message.

use serde::{Deserialize, Serialize};

use super::Notice;
use crate::i18n::{Arg, Locale, Msg, Tr};
use crate::reply::{MemberCard, Reply, Span};
use crate::store::RequestState;

/// What an outbox message holds: a reply rendered already (introductions,
/// summaries and nudges are rendered before their transaction), or a notice
/// rendered when it is sent. Stored as JSON; a plain reply is stored as it
/// always was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Body {
    Notice {
        notice: Box<Notice>,
    },
    /// Not a message: the buttons of the message the platform knows as
    /// `clear_buttons_of` (sent to the same recipient) are taken away, as
    /// what they acted on is settled.
    ClearButtons {
        clear_buttons_of: String,
    },
    /// Not a new message: the message the platform knows as `edit_of`
    /// (sent to the same recipient) is made to read as `edit` now (a
    /// living announcement as seats go).
    Edit {
        edit_of: String,
        edit: Box<Body>,
    },
    /// Notices to a host that ask nothing of them, sent within a minute of
    /// each other: one message (see [`Body::is_host_update`]).
    HostDigest {
        host_digest: Vec<Body>,
    },
    /// Messages held for a member, sent as one when they open their
    /// private chat: each rendered when sent, under one title.
    Digest {
        digest: Vec<Body>,
    },
    Reply(Reply),
}

impl Body {
    /// The message as `platform` takes it (see [`Notice::render_on`]).
    pub fn render_on(&self, locale: Locale, platform: crate::domain::Platform) -> Reply {
        match self {
            Body::Notice { notice } => notice.render_on(Tr(locale), platform),
            Body::Edit { edit, .. } => edit.render_on(locale, platform),
            other => other.render(locale),
        }
    }

    /// A notice to a host that asks nothing of them (a seat taken, a
    /// cancel): those that follow one within the digest window go as one
    /// [`Body::HostDigest`]. A request waiting for the host's decision is
    /// not one: it comes on its own, with its buttons, so that a press acts
    /// on that request alone and settling it clears no other's buttons.
    pub fn is_host_update(&self) -> bool {
        match self {
            Body::Notice { notice } => match &**notice {
                Notice::NewRequest { request, .. } => request.state() != Some(RequestState::Pending),
                Notice::Cancelled { .. } => true,
                _ => false,
            },
            Body::HostDigest { .. } => true,
            _ => false,
        }
    }

    /// Whether it changes a message sent before ([`Body::ClearButtons`],
    /// [`Body::Edit`]) rather than sending one: one request to the platform.
    pub fn changes_sent(&self) -> bool {
        matches!(self, Body::ClearButtons { .. } | Body::Edit { .. })
    }

    /// An announcement's host and note, where this is one.
    pub fn announced(&self) -> Option<(&MemberCard, &String)> {
        match self {
            Body::Notice { notice } => match &**notice {
                Notice::Announcement { host, note, .. } => Some((host, note)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The message to send; for [`Body::ClearButtons`], nothing (an empty reply).
    pub fn render(&self, locale: Locale) -> Reply {
        match self {
            Body::Notice { notice } => notice.render(Tr(locale)),
            Body::ClearButtons { .. } => Reply::to_chat(),
            Body::Edit { edit, .. } => edit.render(locale),
            Body::Digest { digest } => digest_of(digest, locale),
            Body::HostDigest { host_digest } => titled(
                Tr(locale).t(Msg::HostDigest, vec![("n", Arg::count(host_digest.len()))]),
                host_digest,
                locale,
            ),
            Body::Reply(reply) => reply.clone(),
        }
    }
}

/// Held messages as one: a title, then each after a rule, with every
/// button; the newest file among them (a later `/mydata` holds all an
/// earlier one did).
pub fn digest_of(bodies: &[Body], locale: Locale) -> Reply {
    if let [only] = bodies {
        return only.render(locale);
    }
    titled(
        Tr(locale).t(Msg::HeldDigest, vec![("n", Arg::count(bodies.len()))]),
        bodies,
        locale,
    )
}

/// Messages as one private message under `title`.
fn titled(title: Vec<Span>, bodies: &[Body], locale: Locale) -> Reply {
    let mut reply = Reply::private().line(title);
    append_each(&mut reply, bodies, locale);
    reply
}

/// Each message after a rule, with its buttons; the newest file among them.
pub fn append_each(reply: &mut Reply, bodies: &[Body], locale: Locale) {
    for body in bodies {
        let message = body.render(locale);
        reply.push_line(vec![Span::Text("—".into())]);
        reply.blocks.extend(message.blocks);
        reply.buttons.extend(message.buttons);
        if message.attachment.is_some() {
            reply.attachment = message.attachment;
        }
    }
}

impl From<Reply> for Body {
    fn from(reply: Reply) -> Self {
        Body::Reply(reply)
    }
}

impl From<Notice> for Body {
    fn from(notice: Notice) -> Self {
        Body::Notice {
            notice: Box::new(notice),
        }
    }
}
