//! `/here`: who is at a space now, with their notes and what they offer.

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Place, Source};
use crate::commands::checkin::{parse_place, place_name, until_suffix, zone_of};
use crate::commands::space::find_space;
use crate::domain::ArgError;
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::service::{Cx, Outcome};
use crate::store::Presence;

pub(crate) const HERE: CommandSpec = CommandSpec {
    name: "here",
    path: "here",
    summary: "Who is checked in now, with their notes and offers",
    summary_nl: "Wie er nu is, met notities en wat ze aanbieden",
    usage: "/here [<space>]",
    example: "/here cafe-noord",
    access: Access::Member,
    args: &[ArgSpec {
        name: "space",
        kind: ArgKind::SpaceOrRemote,
        description: "one space only",
        description_nl: "alleen één locatie",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_here),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

handlers!(|cx| {
    Action::Here { place } => here(cx, place),
});

fn read_here(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::Here { place: None }),
        [word] => parse_place(word).map(|place| Action::Here { place: Some(place) }),
        _ => Err(ArgError::new(Msg::HereOneSpace)),
    }
}

pub(crate) async fn here(cx: &Cx<'_>, place: Option<Place>) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    // Which places to show: one asked for, or every space and remote.
    let places: Vec<Option<crate::domain::SpaceId>> = match place {
        Some(Place::Space(slug)) => vec![Some(find_space(cx, &spaces, &slug)?.id)],
        Some(Place::Remote) => vec![None],
        None => spaces.iter().map(|s| Some(s.id)).chain([None]).collect(),
    };
    let present = cx.store.present(community.id, cx.now).await?;
    let mut reply = Reply::to_chat();
    for &place in &places {
        let here: Vec<&Presence> = present.iter().filter(|p| p.space == place).collect();
        if here.is_empty() {
            if places.len() == 1 {
                reply.push_line(cx.t(Msg::HereNobody, vec![("place", place_name(cx, &spaces, place))]));
            }
            continue;
        }
        let zone = zone_of(community, &spaces, place);
        reply.push_line(cx.t(Msg::HereTitle, vec![("place", place_name(cx, &spaces, place))]));
        for p in here {
            let note = if p.note.is_empty() {
                Arg::text("")
            } else {
                Arg::Spans(cx.t(Msg::HereNote, vec![("note", Arg::text(&p.note))]))
            };
            let offers = if p.profile.offers.is_empty() {
                Arg::text("")
            } else {
                Arg::Spans(cx.t(Msg::HereOffers, vec![("tags", Arg::text(&p.profile.offers))]))
            };
            reply.push_item(cx.t(
                Msg::HereLine,
                vec![
                    ("who", Arg::Name(p.member.clone())),
                    ("until", until_suffix(cx, p.until, zone)),
                    ("note", note),
                    ("offers", offers),
                ],
            ));
        }
    }
    if reply.blocks.is_empty() {
        reply.push_line(cx.t(Msg::HereNobodyAnywhere, vec![]));
    }
    Ok(reply)
}
