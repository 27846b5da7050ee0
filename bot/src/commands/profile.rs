//! `/profile`: what a member can help with, looks for, and a line about them.

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Source, TagsChange};
use crate::domain::{ArgError, Note, Tags};
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::service::{Cx, Env, Outcome};
use crate::store::ProfileChange;

pub(crate) const PROFILE: CommandSpec = CommandSpec {
    name: "profile",
    path: "profile",
    summary: "Show or set what you can help with and what you look for",
    summary_nl: "Je profiel: waarmee je kunt helpen en wat je zoekt",
    usage: "/profile [offers|wants|about …]",
    example: "/profile offers rust, pitch decks",
    access: Access::Member,
    subcommands: &[
        CommandSpec {
            name: "show",
            path: "profile",
            summary: "Show your profile",
            summary_nl: "Je profiel: waarmee je kunt helpen en wat je zoekt",
            usage: "/profile",
            example: "/profile",
            access: Access::Member,
            grammar: Some(read_profile_show),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "offers",
            path: "profile offers",
            summary: "What you can help others with (tags; 'none' clears)",
            summary_nl: "Waarmee je anderen kunt helpen (tags; 'none' wist)",
            usage: "/profile offers <tags, comma separated>",
            example: "/profile offers rust, pitch decks",
            access: Access::Member,
            args: &[ArgSpec {
                name: "tags",
                kind: ArgKind::Tags,
                required: true,
                description: "what you can help with",
                description_nl: "waarmee je kunt helpen",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_profile_offers),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "wants",
            path: "profile wants",
            summary: "What you are looking for (tags; 'none' clears)",
            summary_nl: "Wat je zoekt (tags; 'none' wist)",
            usage: "/profile wants <tags, comma separated>",
            example: "/profile wants ux research, funding",
            access: Access::Member,
            args: &[ArgSpec {
                name: "tags",
                kind: ArgKind::Tags,
                required: true,
                description: "what you look for",
                description_nl: "wat je zoekt",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_profile_wants),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "about",
            path: "profile about",
            summary: "A line about you (at most 280 characters; 'none' clears)",
            summary_nl: "Een regel over jezelf (hoogstens 280 tekens; 'none' wist)",
            usage: "/profile about <text>",
            example: "/profile about Building a bike-sharing app for Utrecht",
            access: Access::Member,
            args: &[ArgSpec {
                name: "text",
                kind: ArgKind::Text,
                required: true,
                description: "a line about you",
                description_nl: "een regel over jezelf",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_profile_about),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "notify",
            path: "profile notify",
            summary: "Where your private messages go: telegram, discord, or auto (where you spoke last)",
            summary_nl: "Waar je privéberichten heen gaan: telegram, discord, of auto (waar je het laatst sprak)",
            usage: "/profile notify <telegram|discord|auto>",
            example: "/profile notify telegram",
            access: Access::Member,
            args: &[ArgSpec {
                name: "platform",
                kind: ArgKind::PlatformName,
                required: true,
                description: "telegram, discord, or auto",
                description_nl: "telegram, discord of auto",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_profile_notify),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "reminders",
            path: "profile reminders",
            summary: "Reminders of your seats: on (the default) or off",
            summary_nl: "Herinneringen voor je plekken: on (standaard) of off",
            usage: "/profile reminders <on|off>",
            example: "/profile reminders off",
            access: Access::Member,
            args: &[ArgSpec {
                name: "reminders",
                kind: ArgKind::OnOff,
                required: true,
                description: "on or off",
                description_nl: "on of off",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_profile_reminders),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "asks",
            path: "profile asks",
            summary: "Questions from /ask about what you offer: on (the default) or off",
            summary_nl: "Vragen via /ask over wat je aanbiedt: on (standaard) of off",
            usage: "/profile asks <on|off>",
            example: "/profile asks off",
            access: Access::Member,
            args: &[ArgSpec {
                name: "asks",
                kind: ArgKind::OnOff,
                required: true,
                description: "on or off",
                description_nl: "on of off",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_profile_asks),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
    ],
    ..CommandSpec::GROUP
};

fn read_profile_show(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::ProfileShow)
}

fn tags_change(args: &str) -> Result<TagsChange, ArgError> {
    if args.trim().eq_ignore_ascii_case("none") {
        return Ok(TagsChange::Clear);
    }
    Tags::parse_list(args).map(TagsChange::Set)
}

fn read_profile_offers(args: &str, _: Source) -> Result<Action, ArgError> {
    tags_change(args).map(Action::ProfileOffers)
}

fn read_profile_wants(args: &str, _: Source) -> Result<Action, ArgError> {
    tags_change(args).map(Action::ProfileWants)
}

fn read_profile_about(args: &str, source: Source) -> Result<Action, ArgError> {
    let args = source.free("text").unwrap_or(args);
    if args.trim().is_empty() {
        return Err(ArgError::new(Msg::AboutMissing));
    }
    if args.trim().eq_ignore_ascii_case("none") {
        return Ok(Action::ProfileAbout(Note::default()));
    }
    Note::parse(args).map(Action::ProfileAbout)
}

fn read_profile_notify(args: &str, _: Source) -> Result<Action, ArgError> {
    use crate::domain::Platform;
    match words(args).as_slice() {
        [word] => match word.to_lowercase().as_str() {
            "auto" => Ok(Action::ProfileNotify(None)),
            "telegram" => Ok(Action::ProfileNotify(Some(Platform::Telegram))),
            "discord" => Ok(Action::ProfileNotify(Some(Platform::Discord))),
            _ => Err(ArgError::new(Msg::NotifyWhere).with("got", *word)),
        },
        [] => Err(ArgError::new(Msg::NotifyWhere).with("got", "")),
        more => Err(ArgError::new(Msg::NotifyWhere).with("got", more.join(" "))),
    }
}

/// `on` or `off` (`aan`, `uit`), or the error that gives `example`.
fn on_off(args: &str, example: &str) -> Result<bool, ArgError> {
    match words(args).as_slice() {
        [word] if ["on", "aan"].iter().any(|w| word.eq_ignore_ascii_case(w)) => Ok(true),
        [word] if ["off", "uit"].iter().any(|w| word.eq_ignore_ascii_case(w)) => Ok(false),
        _ => Err(ArgError::new(Msg::RemindersWhich).with("example", example)),
    }
}

fn read_profile_reminders(args: &str, _: Source) -> Result<Action, ArgError> {
    on_off(args, "/profile reminders off").map(Action::ProfileReminders)
}

fn read_profile_asks(args: &str, _: Source) -> Result<Action, ArgError> {
    on_off(args, "/profile asks off").map(Action::ProfileAsks)
}

handlers!(|cx| {
    Action::ProfileShow => profile_show(cx, None),
    Action::ProfileOffers(change) => profile_show(cx, Some(ProfileChange::Offers(tags_of(change)))),
    Action::ProfileWants(change) => profile_show(cx, Some(ProfileChange::Wants(tags_of(change)))),
    Action::ProfileAbout(note) => profile_show(cx, Some(ProfileChange::About(note))),
    Action::ProfileNotify(platform) => notify(cx, platform),
    Action::ProfileReminders(on) => reminders(cx, on),
    Action::ProfileAsks(on) => asks(cx, on),
});

pub(crate) async fn asks(cx: &Cx<'_>, on: bool) -> Outcome {
    cx.store.set_takes_questions(cx.member, on).await?;
    let msg = if on { Msg::AsksOn } else { Msg::AsksOff };
    Ok(Reply::to_caller().line(cx.t(msg, vec![])))
}

pub(crate) async fn reminders(cx: &Cx<'_>, on: bool) -> Outcome {
    cx.store.set_seat_reminders(cx.member, on).await?;
    let msg = if on { Msg::RemindersOn } else { Msg::RemindersOff };
    Ok(Reply::to_caller().line(cx.t(msg, vec![])))
}

pub(crate) async fn profile_show(cx: &Cx<'_>, change: Option<ProfileChange>) -> Outcome {
    let (profile, saved) = match change {
        Some(change) => (cx.store.update_profile(cx.member, &change).await?, true),
        None => (cx.store.profile(cx.member).await?, false),
    };
    let mut reply = Reply::to_caller();
    if saved {
        reply.push_line(cx.t(Msg::ProfileSaved, vec![]));
    }
    reply.push_line(cx.t(Msg::ProfileTitle, vec![]));
    push_profile(cx, &mut reply, &profile);
    // A linked member: who they are on each platform, and where private messages go.
    // Said only when turned off, as the linked accounts are only when there
    // are several: the profile shows what differs from the usual.
    if !cx.store.seat_reminders(cx.member).await? {
        reply.push_item(cx.t(Msg::ProfileRemindersOff, vec![]));
    }
    if !cx.store.takes_questions(cx.member).await? {
        reply.push_item(cx.t(Msg::ProfileAsksOff, vec![]));
    }
    let card = cx.store.contact(cx.member).await?.card;
    if card.handles.len() > 1 {
        push_accounts(cx, &mut reply, &card).await?;
    }
    if profile.offers.is_empty() {
        reply.push_line(cx.t(
            Msg::ProfileHint,
            vec![("example", Arg::code("/profile offers rust, pitch decks"))],
        ));
    }
    Ok(reply)
}

/// A profile's three lines: what they help with, look for, and say.
pub(crate) fn push_profile(env: &Env<'_>, reply: &mut Reply, profile: &crate::store::Profile) {
    let nothing = || Arg::text(Msg::ProfileNothing.template(env.locale));
    let tags = |t: &Tags| {
        if t.is_empty() {
            nothing()
        } else {
            Arg::text(t)
        }
    };
    reply.push_item(env.t(Msg::ProfileOffers, vec![("tags", tags(&profile.offers))]));
    reply.push_item(env.t(Msg::ProfileWants, vec![("tags", tags(&profile.wants))]));
    let about = if profile.about.is_empty() {
        nothing()
    } else {
        Arg::text(&profile.about)
    };
    reply.push_item(env.t(Msg::ProfileAbout, vec![("text", about)]));
}

/// A linked member's accounts, and where their private messages go.
async fn push_accounts(
    cx: &Cx<'_>,
    reply: &mut Reply,
    card: &crate::reply::MemberCard,
) -> Result<(), crate::store::StoreError> {
    let accounts: Vec<String> = card
        .handles
        .iter()
        .map(|h| {
            let name = card.plain_name(h.platform);
            format!("{} {name}", h.platform.display_name())
        })
        .collect();
    reply.push_item(cx.t(Msg::ProfileAccounts, vec![("accounts", Arg::text(accounts.join(", ")))]));
    let notify = match cx.store.notify_platform(cx.member).await? {
        Some(platform) => platform.display_name().to_string(),
        None => cx.text(Msg::NotifyWhereAuto, vec![]),
    };
    reply.push_item(cx.t(Msg::ProfileNotifyLine, vec![("where", Arg::text(notify))]));
    Ok(())
}

pub(super) fn tags_of(change: TagsChange) -> Tags {
    match change {
        TagsChange::Set(tags) => tags,
        TagsChange::Clear => Tags::default(),
    }
}

pub(crate) async fn notify(cx: &Cx<'_>, platform: Option<crate::Platform>) -> Outcome {
    if let Some(platform) = platform {
        let card = cx.store.contact(cx.member).await?.card;
        if card.handle_on(platform).is_none() {
            return Err(cx.refuse(vec![cx.t(
                Msg::NotifyNoAccount,
                vec![("platform", Arg::text(platform.display_name()))],
            )]));
        }
    }
    cx.store.set_notify_platform(cx.member, platform).await?;
    Ok(Reply::to_caller().line(match platform {
        Some(p) => cx.t(Msg::NotifySaved, vec![("platform", Arg::strong(p.display_name()))]),
        None => cx.t(Msg::NotifyAuto, vec![]),
    }))
}
