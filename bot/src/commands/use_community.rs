//! `/use`: which community a member's private chats act for, and the
//! question that comes before it when they belong to several.

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::{Action, Source};
use crate::domain::{ArgError, CommunityName};
use crate::i18n::{Arg, Msg};
use crate::reply::{Button, Reply};
use crate::service::{Cx, Failure, Outcome};
use crate::store::Community;

pub(crate) const USE: CommandSpec = CommandSpec {
    name: "use",
    path: "use",
    summary: "Choose the community your private messages to me act for",
    summary_nl: "Kies voor welke community je privéberichten aan mij werken",
    usage: "/use <community name…>",
    example: "/use Utrecht Coworkers",
    access: Access::Anyone,
    args: &[ArgSpec {
        name: "community",
        kind: ArgKind::Text,
        required: true,
        description: "the community's name",
        description_nl: "de naam van de community",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_use_community),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_use_community(args: &str, source: Source) -> Result<Action, ArgError> {
    CommunityName::parse(source.free("community").unwrap_or(args)).map(Action::Use)
}

handlers!(|cx| {
    Action::Use(name) => use_community(cx, &name),
});

/// In a private chat of a member of several communities who has not
/// chosen one: which? (with a button for each).
pub(crate) async fn ask_which_community(cx: &Cx<'_>) -> Result<(), Failure> {
    if cx.community.is_some() || !cx.chat.private {
        return Ok(());
    }
    let communities = cx.store.member_communities(cx.member).await?;
    if communities.len() < 2 {
        return Ok(());
    }
    let example = format!("/use {}", communities[0].name);
    let mut reply = Reply::to_caller().line(cx.t(
        Msg::ChooseCommunity,
        vec![("communities", names(&communities)), ("example", Arg::code(example))],
    ));
    for community in &communities {
        reply
            .buttons
            .push(Button::new(community.name.clone(), format!("/use {}", community.name)));
    }
    Err(Failure::User(reply))
}

/// `/use <community>`: the caller's private chats act for it from now on.
pub(crate) async fn use_community(cx: &Cx<'_>, name: &CommunityName) -> Outcome {
    if !cx.chat.private {
        let command = Arg::code(format!("/use {}", name.as_str()));
        return Err(cx.refuse(vec![cx.t(Msg::UseInPrivate, vec![("command", command)])]));
    }
    let communities = cx.store.member_communities(cx.member).await?;
    let Some(chosen) = communities.iter().find(|c| c.name.eq_ignore_ascii_case(name.as_str())) else {
        return Err(cx.refuse(vec![cx.t(
            Msg::UseUnknown,
            vec![
                ("name", Arg::strong(name.as_str())),
                ("communities", names(&communities)),
            ],
        )]));
    };
    cx.store.choose_community(cx.member, chosen.id, cx.now).await?;
    Ok(Reply::to_caller().line(cx.t(Msg::UseDone, vec![("community", Arg::strong(&chosen.name))])))
}

fn names(communities: &[Community]) -> Arg {
    let names: Vec<String> = communities.iter().map(|c| c.name.clone()).collect();
    Arg::text(names.join(", "))
}
