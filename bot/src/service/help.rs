//! `/start`, `/help` and `/inbox`: what Seatmate is, its commands from the
//! catalogue, and the private messages held for the caller.

use super::{Ctx, Outcome};
use crate::catalogue::{self, Access};
use crate::i18n::{Arg, Msg};
use crate::reply::{Reply, Span};
use crate::suggest::closest;
use crate::Core;

impl Core {
    /// The private messages held for the caller: handed over in a private
    /// chat, or where a reply can be seen by the caller alone (Discord's
    /// ephemeral replies); elsewhere only a pointer to the private chat.
    pub(super) async fn inbox(&self, ctx: &Ctx<'_>) -> Outcome {
        let seen_by_caller_alone = ctx.chat.private || ctx.chat.platform.has_ephemeral_replies();
        if !seen_by_caller_alone {
            let mut reply = Reply::to_caller().line(self.t(Msg::InboxIsPrivate, vec![]));
            reply.buttons.push(crate::reply::Button {
                opens_private_chat: true,
                ..crate::reply::Button::new(Msg::OpenPrivateChat.template(self.locale()), "/start inbox")
            });
            return Ok(reply);
        }
        // In a shared chat, for the caller's eyes only (ephemeral).
        let mut reply = if ctx.chat.private {
            Reply::private()
        } else {
            Reply::to_caller()
        };
        let held = self.store.take_held(ctx.member, ctx.now).await?;
        if held.is_empty() {
            return Ok(reply.line(self.t(Msg::InboxEmpty, vec![])));
        }
        reply.push_line(self.t(Msg::InboxTitle, vec![("n", Arg::count(held.len()))]));
        crate::notice::append_each(&mut reply, &held, self.locale());
        Ok(reply)
    }

    pub(super) async fn start(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut reply = Reply::to_caller().line(self.t(Msg::Welcome, vec![]));
        if ctx.community.is_none() && !ctx.chat.private {
            reply.push_line(self.t(Msg::WelcomeUnbound, super::welcome_unbound_args(ctx.chat.platform)));
        }
        // Alone with the bot and in no community yet: where it lives.
        if ctx.chat.private && ctx.community.is_none() && self.store.member_communities(ctx.member).await?.is_empty() {
            let how = match ctx.chat.platform {
                crate::Platform::Telegram => Msg::StartAloneTelegram,
                crate::Platform::Discord => Msg::StartAloneDiscord,
                crate::Platform::Console => Msg::NotBoundPrivate,
            };
            let bot = self
                .telegram_bot
                .get()
                .map_or("Seatmate".to_string(), |b| format!("@{b}"));
            reply.push_line(self.t(
                how,
                vec![
                    ("bot", Arg::text(bot)),
                    ("example", Arg::code(super::setup_example(ctx.chat.platform))),
                    ("place", self.meeting_place(ctx.chat.platform)),
                ],
            ));
        }
        Ok(reply)
    }

    /// `/help`: in a group where everyone sees the answer (Telegram), the
    /// commands members use there, admin ones only for admins, and a pointer
    /// to the full list in private; elsewhere (a private chat, Discord's
    /// ephemeral answers) every command.
    pub(super) fn help_for(&self, ctx: &Ctx<'_>, topic: Option<&str>) -> Outcome {
        let seen_by_all = !ctx.chat.private && !ctx.chat.platform.has_ephemeral_replies();
        if topic.is_some() || !seen_by_all || ctx.community.is_none() {
            return Ok(self.help(topic, ctx.chat.platform));
        }
        // Admins recorded by the community; asking the platform for every
        // /help would cost a call (chat admins have their own command menu).
        let admin = ctx.recorded_admin;
        let mut reply = Reply::to_caller().line(self.t(Msg::HelpIntro, vec![]));
        let shown = catalogue::leaves().filter(|entry| match entry.access {
            Access::Member => true,
            Access::Host | Access::Admin | Access::ChatAdmin => admin,
            // Start, inbox, links and one's data belong in the private chat.
            Access::Anyone => false,
        });
        for entry in shown {
            reply.push_item(self.t(
                Msg::HelpItem,
                vec![
                    ("usage", Arg::code(super::usage_on(entry, ctx.chat.platform))),
                    ("summary", Arg::text(entry.summary_in(self.locale()))),
                ],
            ));
        }
        reply.push_line(self.t(Msg::HelpMoreInPrivate, vec![]));
        Ok(reply)
    }

    pub(super) fn help(&self, topic: Option<&str>, platform: crate::Platform) -> Reply {
        let Some(topic) = topic else {
            let mut reply = Reply::to_caller().line(self.t(Msg::HelpIntro, vec![]));
            for entry in catalogue::leaves() {
                reply.push_item(self.t(
                    Msg::HelpItem,
                    vec![
                        ("usage", Arg::code(super::usage_on(entry, platform))),
                        ("summary", Arg::text(entry.summary_in(self.locale()))),
                    ],
                ));
            }
            return reply;
        };
        let (name, sub) = match topic.split_once(' ') {
            Some((name, sub)) => (name, Some(sub)),
            None => (topic, None),
        };
        let Some(spec) = catalogue::find(name) else {
            let mut reply = Reply::to_caller().line(self.t(Msg::HelpUnknown, vec![("name", Arg::text(topic))]));
            reply.push_line(match closest(name, catalogue::names()) {
                Some(s) => self.t(Msg::DidYouMean, vec![("suggestion", Arg::code(format!("/help {s}")))]),
                None => self.t(Msg::SeeHelp, vec![]),
            });
            return reply;
        };
        let mut reply = Reply::to_caller().line(vec![
            Span::Strong(format!("/{}", spec.name)),
            Span::Text(format!(" — {}", spec.summary_in(self.locale()))),
        ]);
        // One subcommand when it is named (`/help space add`), else all.
        let entries = match sub.and_then(|sub| catalogue::find_menu(name, Some(sub))) {
            Some(entry) => std::slice::from_ref(entry),
            None => spec.leaves(),
        };
        for entry in entries {
            reply.push_line(self.t(
                Msg::HelpUsage,
                vec![("usage", Arg::code(super::usage_on(entry, platform)))],
            ));
            for arg in entry.args {
                reply.push_item(vec![
                    Span::Code(arg.name.to_string()),
                    Span::Text(format!(": {}", entry.arg_description_in(arg, self.locale()))),
                ]);
            }
            reply.push_line(self.t(
                Msg::HelpExample,
                vec![("example", Arg::code(super::example_on(entry, platform)))],
            ));
            if entry.access == Access::Admin {
                reply.push_line(self.t(Msg::HelpAdminOnly, vec![]));
            }
        }
        reply
    }
}
