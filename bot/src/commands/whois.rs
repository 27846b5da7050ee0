//! `/whois <@member>`: what someone in the community can help with, looks
//! for and says about themselves, so that a coworker knows whom to ask. It
//! shows what members share for introductions anyway, and to the caller only.

use crate::catalogue::{Access, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::commands::host::{find_member, MEMBER};
use crate::commands::profile::push_profile;
use crate::domain::{ArgError, MemberHandle};
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::service::{Cx, Outcome};

pub(crate) const WHOIS: CommandSpec = CommandSpec {
    name: "whois",
    path: "whois",
    summary: "What a member can help with and is looking for",
    summary_nl: "Waarmee een lid kan helpen en wat die zoekt",
    usage: "/whois <@member>",
    example: "/whois @alice",
    access: Access::Member,
    args: &[MEMBER],
    grammar: Some(read_whois),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_whois(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [member] => Ok(Action::Whois {
            member: MemberHandle::parse(member)?,
        }),
        _ => Err(ArgError::new(Msg::WhoisNeedsOne)),
    }
}

handlers!(|cx| {
    Action::Whois { member } => whois(cx, &member),
});

async fn whois(cx: &Cx<'_>, member: &MemberHandle) -> Outcome {
    let card = find_member(cx, member).await?;
    let profile = cx.store.profile(card.id).await?;
    let mut reply = Reply::to_caller().line(cx.t(Msg::WhoisTitle, vec![("who", Arg::Member(card))]));
    push_profile(cx, &mut reply, &profile);
    Ok(reply)
}
