//! One person across platforms, and their data in their own hands:
//! `/link`, `/unlink`, `/profile notify`, `/mydata` and `/forgetme`.
//! The merge rules are in [`crate::rules::linking`].

use super::seats::promoted_notice;
use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::codes::{self, Purpose};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::commands::seats::withdraw_offer;
use crate::domain::{ArgError, Platform};
use crate::i18n::{Arg, Msg};
use crate::reply::{Attachment, Button, Reply};
use crate::service::{Cx, Outcome, Via};
use crate::store::{CancelOutcome, Cancellation, CodeOwner, Outgoing};

pub(crate) const LINK: CommandSpec = CommandSpec {
    name: "link",
    path: "link",
    summary: "Join your Telegram and Discord accounts: /link gives a code, /link on the other takes it",
    summary_nl: "Voeg je Telegram- en Discord-account samen: /link geeft een code, /link op het andere neemt hem",
    usage: "/link [<code>]",
    example: "/link ABCD-2345",
    access: Access::Anyone,
    args: &[ArgSpec {
        name: "code",
        kind: ArgKind::Code,
        description: "the code /link gave you on your other account",
        description_nl: "de code die /link je op je andere account gaf",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_link),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const UNLINK: CommandSpec = CommandSpec {
    name: "unlink",
    path: "unlink",
    summary: "Split the account you use here from your other one again",
    summary_nl: "Maak het account dat je hier gebruikt weer los van je andere",
    usage: "/unlink",
    example: "/unlink",
    access: Access::Anyone,
    grammar: Some(read_unlink),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const MYDATA: CommandSpec = CommandSpec {
    name: "mydata",
    path: "mydata",
    summary: "Everything Seatmate keeps about you, as a file sent privately",
    summary_nl: "Alles wat Seatmate over je bewaart, als bestand, privé",
    usage: "/mydata",
    example: "/mydata",
    access: Access::Anyone,
    grammar: Some(read_my_data),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const FORGETME: CommandSpec = CommandSpec {
    name: "forgetme",
    path: "forgetme",
    summary: "Delete everything Seatmate keeps about you (asks you to confirm)",
    summary_nl: "Wis alles wat Seatmate over je bewaart (vraagt eerst bevestiging)",
    usage: "/forgetme",
    example: "/forgetme",
    access: Access::Anyone,
    args: &[ArgSpec {
        name: "confirm",
        kind: ArgKind::ButtonOnly,
        description: "the confirmation only the button in the bot's private message carries",
        description_nl: "de bevestiging die alleen de knop in het privébericht van de bot draagt",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_forget_me),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_link(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::Link(None)),
        [code] => Ok(Action::Link(Some(code.to_string()))),
        more => Err(ArgError::new(Msg::LinkOneCode).with("got", more.join(" "))),
    }
}

fn read_unlink(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Unlink)
}

fn read_my_data(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::MyData)
}

fn read_forget_me(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::ForgetMe { confirmation: None }),
        [word, token] if word.eq_ignore_ascii_case("confirm") => Ok(Action::ForgetMe {
            confirmation: Some(token.to_string()),
        }),
        _ => Err(ArgError::new(Msg::ForgetMeArgs).with("got", args.trim())),
    }
}

handlers!(|cx| {
    Action::Link(code) => link(cx, code.as_deref()),
    Action::Unlink => unlink(cx),
    Action::MyData => my_data(cx),
    Action::ForgetMe { confirmation } => forget_me(cx, confirmation.as_deref()),
});

pub(crate) async fn link(cx: &Cx<'_>, typed: Option<&str>) -> Outcome {
    match typed {
        None => link_code(cx).await,
        Some(typed) => link_with(cx, typed).await,
    }
}

/// A code for the caller's other account, shown to the caller alone.
pub(crate) async fn link_code(cx: &Cx<'_>) -> Outcome {
    let code = codes::new_code();
    let owner = CodeOwner {
        community: None,
        member: Some(cx.member),
    };
    cx.store
        .issue_code(Purpose::Link, &code.hash, owner, cx.now, cx.now + codes::LINK_VALID)
        .await?;
    let mut reply = Reply::private().line(cx.t(
        Msg::LinkCode,
        vec![
            ("code", Arg::code(&code.shown)),
            ("command", Arg::code(format!("/link {}", code.shown))),
        ],
    ));
    if let Some(bot) = cx.telegram_bot.get() {
        let url = format!("https://t.me/{bot}?start=link_{}", code.compact);
        reply.push_line(cx.t(Msg::LinkDeepLink, vec![("url", Arg::Link(url))]));
    }
    Ok(reply)
}

/// Joins the caller's member into the one that asked for the code.
pub(crate) async fn link_with(cx: &Cx<'_>, typed: &str) -> Outcome {
    let refused = || cx.refuse(vec![cx.t(Msg::CodeRefused, vec![("command", Arg::code("/link"))])]);
    let Some(hash) = codes::hash_typed(typed) else {
        return Err(refused());
    };
    // Refusals that are about the accounts, not the code, leave it good.
    let Some(CodeOwner { member: Some(kept), .. }) = cx.store.code_owner(Purpose::Link, &hash, cx.now).await? else {
        return Err(refused());
    };
    if kept == cx.member {
        return Err(cx.refuse(vec![cx.t(Msg::LinkSelf, vec![])]));
    }
    let theirs = cx.store.contact(kept).await?.card;
    let mine = cx.store.contact(cx.member).await?.card;
    if let Some(twice) = mine.handles.iter().find(|h| theirs.handle_on(h.platform).is_some()) {
        return Err(cx.refuse(vec![cx.t(
            Msg::LinkSamePlatform,
            vec![("platform", Arg::text(twice.platform.display_name()))],
        )]));
    }
    // Spent now: of two redemptions at once, one goes on.
    let redeemed = cx.store.redeem_code(Purpose::Link, &hash, cx.now).await?;
    if redeemed.and_then(|owner| owner.member) != Some(kept) {
        return Err(refused());
    }
    let freed = |community, Cancellation { offer, promoted, .. }: &Cancellation| -> Vec<Outgoing> {
        promoted_notice(community, offer, promoted.as_ref().map(|(r, _)| r))
            .into_iter()
            .collect()
    };
    let summary = cx.store.link_members(kept, cx.member, cx.now, &freed).await?;
    tracing::info!(kept = kept.0, merged = cx.member.0, "identities linked");
    let mut platforms: Vec<&str> = theirs
        .handles
        .iter()
        .chain(&mine.handles)
        .map(|h| h.platform.display_name())
        .collect();
    platforms.sort_unstable();
    platforms.dedup();
    let mut reply = Reply::private().line(cx.t(Msg::LinkDone, vec![("platforms", Arg::strong(platforms.join(" + ")))]));
    if summary.requests_merged > 0 {
        reply.push_line(cx.t(
            Msg::LinkMergedRequests,
            vec![("n", Arg::count(summary.requests_merged))],
        ));
    }
    Ok(reply)
}

pub(crate) async fn unlink(cx: &Cx<'_>) -> Outcome {
    match cx.store.unlink_identity(cx.member, cx.chat.platform, cx.now).await? {
        Some(_) => {
            tracing::info!(member = cx.member.0, "identity unlinked");
            Ok(Reply::private().line(cx.t(
                Msg::UnlinkDone,
                vec![("platform", Arg::text(cx.chat.platform.display_name()))],
            )))
        }
        None => Err(cx.refuse(vec![cx.t(Msg::UnlinkNothing, vec![])])),
    }
}

/// Everything kept about the caller, as a JSON file only they see.
pub(crate) async fn my_data(cx: &Cx<'_>) -> Outcome {
    let mut data = cx.store.export_member(cx.member).await?;
    for message in &mut data.messages {
        if let (Some(body), Ok(platform)) = (&message.body, message.platform.parse::<Platform>()) {
            message.text = body.render(cx.locale).plain_text(platform);
        }
    }
    let content = serde_json::to_string_pretty(&data).map_err(|e| crate::store::StoreError::Other(Box::new(e)))?;
    let file_name = format!("seatmate-data-{}.json", cx.now.format("%Y-%m-%d"));
    let mut reply = Reply::private().line(cx.t(Msg::MyDataSent, vec![("file", Arg::code(&file_name))]));
    reply.attachment = Some(Box::new(Attachment::text(file_name, "application/json", content)));
    Ok(reply)
}

/// Asks first, privately, with a button that carries a one-time
/// confirmation bound to the caller and good for a few minutes; only a
/// press of it, by them, in a private context, erases. Then ends what
/// involves others (seats go to the next in line, who is told; open
/// offers are withdrawn, everyone on them told) and deletes the member.
pub(crate) async fn forget_me(cx: &Cx<'_>, confirmation: Option<&str>) -> Outcome {
    let Some(token) = confirmation else {
        let code = codes::new_code();
        let owner = CodeOwner {
            community: None,
            member: Some(cx.member),
        };
        cx.store
            .issue_code(Purpose::Forget, &code.hash, owner, cx.now, cx.now + codes::FORGET_VALID)
            .await?;
        // Privately: in a group it would be one press from a mistake.
        let minutes = codes::FORGET_VALID.num_minutes();
        let mut reply = Reply::private()
            .line(cx.t(Msg::ForgetMeAsk, vec![]))
            .line(cx.t(Msg::ForgetMeButtonValid, vec![("minutes", Arg::count(minutes))]));
        reply.buttons.push(Button::new(
            Msg::ForgetMeButton.template(cx.locale),
            format!("/forgetme confirm {}", code.compact),
        ));
        return Ok(reply);
    };
    let private = cx.chat.private || cx.chat.platform.presses_are_private();
    if cx.via != Via::Button || !private {
        return Err(cx.refuse(vec![cx.t(Msg::ForgetMeByButtonOnly, vec![])]));
    }
    let expired = || cx.refuse(vec![cx.t(Msg::ForgetMeExpired, vec![])]);
    let Some(hash) = codes::hash_typed(token) else {
        return Err(expired());
    };
    // Whose it is, without spending it: a press by someone else leaves
    // the member's confirmation good.
    match cx.store.code_owner(Purpose::Forget, &hash, cx.now).await? {
        None => return Err(expired()),
        Some(owner) if owner.member != Some(cx.member) => {
            return Err(cx.refuse(vec![cx.t(Msg::ForgetMeNotYours, vec![])]))
        }
        Some(_) => {}
    }
    // Two presses at once: one erases, the other finds it spent.
    if cx.store.redeem_code(Purpose::Forget, &hash, cx.now).await?.is_none() {
        return Err(expired());
    }
    for community in cx.store.member_communities(cx.member).await? {
        for (request, offer) in cx.store.member_requests(community.id, cx.member, cx.now).await? {
            if !request.state.is_active() {
                continue;
            }
            // Nobody is told who left: only the next in line, of their seat.
            let notices = |Cancellation { offer, promoted, .. }: &Cancellation| -> Vec<Outgoing> {
                promoted_notice(community.id, offer, promoted.as_ref().map(|(r, _)| r))
                    .into_iter()
                    .collect()
            };
            if let CancelOutcome::Refused { .. } = cx
                .store
                .cancel_request(community.id, request.id, cx.member, cx.now, &notices)
                .await?
            {
                tracing::debug!(offer = offer.id.0, "a request ended meanwhile");
            }
        }
        for offer in cx.store.open_offers(community.id, cx.now).await? {
            if offer.host == cx.member {
                withdraw_offer(cx, &community, offer.id, crate::notice::WhyWithdrawn::Host, cx.now).await?;
            }
        }
    }
    cx.store.forget_member(cx.member).await?;
    tracing::info!("a member was forgotten at their request");
    Ok(Reply::to_caller().line(cx.t(Msg::ForgetMeDone, vec![])))
}
