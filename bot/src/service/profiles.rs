//! `/profile`: what a member can help with, looks for, and a line about them.

use super::{Cx, Env, Outcome};
use crate::command::TagsChange;
use crate::domain::Tags;
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::store::ProfileChange;

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
    let nothing = || Arg::text(Msg::ProfileNothing.template(cx.locale));
    let tags = |t: &Tags| {
        if t.is_empty() {
            nothing()
        } else {
            Arg::text(t)
        }
    };
    reply.push_item(cx.t(Msg::ProfileOffers, vec![("tags", tags(&profile.offers))]));
    reply.push_item(cx.t(Msg::ProfileWants, vec![("tags", tags(&profile.wants))]));
    let about = if profile.about.is_empty() {
        nothing()
    } else {
        Arg::text(&profile.about)
    };
    reply.push_item(cx.t(Msg::ProfileAbout, vec![("text", about)]));
    // A linked member: who they are on each platform, and where private messages go.
    let card = cx.store.contact(cx.member).await?.card;
    if card.handles.len() > 1 {
        push_accounts(cx, &mut reply, cx, &card).await?;
    }
    if profile.offers.is_empty() {
        reply.push_line(cx.t(
            Msg::ProfileHint,
            vec![("example", Arg::code("/profile offers rust, pitch decks"))],
        ));
    }
    Ok(reply)
}

pub(crate) async fn push_accounts(
    env: &Env<'_>,
    reply: &mut Reply,
    cx: &Cx<'_>,
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
    reply.push_item(env.t(Msg::ProfileAccounts, vec![("accounts", Arg::text(accounts.join(", ")))]));
    let notify = match env.store.notify_platform(cx.member).await? {
        Some(platform) => platform.display_name().to_string(),
        None => env.text(Msg::NotifyWhereAuto, vec![]),
    };
    reply.push_item(env.t(Msg::ProfileNotifyLine, vec![("where", Arg::text(notify))]));
    Ok(())
}

pub(super) fn tags_of(change: TagsChange) -> Tags {
    match change {
        TagsChange::Set(tags) => tags,
        TagsChange::Clear => Tags::default(),
    }
}
