//! Daily "meet someone new": opting in, the community's schedule, today's
//! match, and running a round (on schedule, on `/pairnow`, or to catch up).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::{parse_count, words};
use crate::command::{Action, PairingChange, Source};
use crate::domain::{bounds, ArgError, PairingSettings};
use crate::focus::Focus;
use crate::i18n::{Arg, Msg};
use crate::reply::{Reply, Span};
use crate::service::rounds::{groups_text, match_reply, run_round, Introduced, Partner, RoundOutcome};
use crate::service::{Cx, Env, Outcome};
use crate::store::{Community, Presence, RoundTrigger, StoreResult};
use crate::{localtime, schedule};

pub(crate) const PAIRING: CommandSpec = CommandSpec {
    name: "pairing",
    path: "pairing",
    summary: "Daily introductions: opt in, out, or pause",
    summary_nl: "Dagelijkse kennismakingen: meedoen, stoppen of pauzeren",
    usage: "/pairing on|off|pause <days>|status",
    example: "/pairing on",
    access: Access::Member,
    subcommands: &[
        CommandSpec {
            name: "status",
            path: "pairing",
            summary: "Your pairing state and the next round",
            summary_nl: "Dagelijkse kennismakingen: meedoen, stoppen of pauzeren",
            usage: "/pairing",
            example: "/pairing",
            access: Access::Member,
            grammar: Some(read_pairing_status),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "on",
            path: "pairing on",
            summary: "Join the daily introductions",
            summary_nl: "Doe mee aan de dagelijkse kennismakingen",
            usage: "/pairing on",
            example: "/pairing on",
            access: Access::Member,
            grammar: Some(read_pairing_on),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "off",
            path: "pairing off",
            summary: "Leave the daily introductions",
            summary_nl: "Stop met de dagelijkse kennismakingen",
            usage: "/pairing off",
            example: "/pairing off",
            access: Access::Member,
            grammar: Some(read_pairing_off),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "pause",
            path: "pairing pause",
            summary: "Skip the introductions for a while",
            summary_nl: "Sla de kennismakingen een tijdje over",
            usage: "/pairing pause <days>",
            example: "/pairing pause 14",
            access: Access::Member,
            args: &[ArgSpec {
                name: "days",
                kind: ArgKind::Integer,
                required: true,
                description: "how many days, 1 to 90",
                description_nl: "hoeveel dagen, 1 tot 90",
                range: Some(bounds::PAUSE_DAYS),
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_pairing_pause),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
    ],
    ..CommandSpec::GROUP
};

pub(crate) const MATCH: CommandSpec = CommandSpec {
    name: "match",
    path: "match",
    summary: "Whom you meet today, why, and how to reach them",
    summary_nl: "Wie je vandaag ontmoet, waarom, en hoe je diegene bereikt",
    usage: "/match",
    example: "/match",
    access: Access::Member,
    grammar: Some(read_match_today),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const MET: CommandSpec = CommandSpec {
    name: "met",
    path: "met",
    summary: "Tell me you met today's match",
    summary_nl: "Laat weten dat je je kennismaking van vandaag hebt ontmoet",
    usage: "/met",
    example: "/met",
    access: Access::Member,
    grammar: Some(read_met),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const PAIRNOW: CommandSpec = CommandSpec {
    name: "pairnow",
    path: "pairnow",
    summary: "Run today's round now, if it has not run",
    summary_nl: "Houd de ronde van vandaag nu, als die nog niet geweest is",
    usage: "/pairnow",
    example: "/pairnow",
    access: Access::Admin,
    grammar: Some(read_pair_now),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_pairing_status(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Pairing(PairingChange::Status))
}

fn read_pairing_on(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Pairing(PairingChange::On))
}

fn read_pairing_off(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Pairing(PairingChange::Off))
}

fn read_pairing_pause(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [days] => {
            parse_count(days, bounds::PAUSE_DAYS, Msg::WhatPauseDays).map(|d| Action::Pairing(PairingChange::Pause(d)))
        }
        _ => Err(ArgError::new(Msg::HowManyDays)),
    }
}

fn read_match_today(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Match)
}

fn read_met(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Met)
}

fn read_pair_now(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::PairNow)
}

handlers!(|cx| {
    Action::Pairing(change) => pairing(cx, change),
    Action::Match => my_match(cx),
    Action::Met => met(cx),
    Action::PairNow => pair_now(cx),
});

pub(crate) fn when_text(env: &Env<'_>, at: DateTime<Utc>, community: &Community) -> String {
    let local = at.with_timezone(&community.zone.0);
    format!(
        "{} {} ({})",
        env.locale.date(local.date_naive()),
        local.format("%H:%M"),
        community.zone
    )
}

pub(crate) async fn next_round_text(
    env: &Env<'_>,
    community: &Community,
    settings: &PairingSettings,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let today = localtime::local_date(now, community.zone.0);
    let ran = env.store.round(community.id, today).await?.is_some();
    Ok(when_text(
        env,
        schedule::next_round(settings, community.zone, now, ran),
        community,
    ))
}

pub(crate) async fn pairing(cx: &Cx<'_>, change: PairingChange) -> Outcome {
    let community = cx.community()?;
    let settings = cx.store.pairing_settings(community.id).await?;
    let mut prefs = cx.store.pairing_prefs(community.id, cx.member).await?;
    let today = localtime::local_date(cx.now, community.zone.0);
    let next = next_round_text(cx, community, &settings, cx.now).await?;
    let date_arg = |d: NaiveDate| Arg::text(cx.locale.date(d));
    let line = match change {
        PairingChange::Status => match prefs {
            p if !p.opted_in => cx.t(Msg::PairingStatusOut, vec![]),
            p if p.is_paused_on(today) => cx.t(
                Msg::PairingStatusPaused,
                vec![("date", date_arg(p.paused_until.unwrap_or(today)))],
            ),
            _ => cx.t(Msg::PairingStatusIn, vec![("when", Arg::text(&next))]),
        },
        PairingChange::On => {
            prefs.opted_in = true;
            prefs.paused_until = None;
            cx.store.set_pairing_prefs(community.id, cx.member, &prefs).await?;
            cx.t(Msg::PairingOn, vec![("when", Arg::text(&next))])
        }
        PairingChange::Off => {
            prefs.opted_in = false;
            prefs.paused_until = None;
            cx.store.set_pairing_prefs(community.id, cx.member, &prefs).await?;
            cx.t(Msg::PairingOff, vec![])
        }
        PairingChange::Pause(days) => {
            let until = today + Duration::days(i64::from(days));
            prefs.opted_in = true;
            prefs.paused_until = Some(until);
            cx.store.set_pairing_prefs(community.id, cx.member, &prefs).await?;
            cx.t(Msg::PairingPaused, vec![("date", date_arg(until))])
        }
    };
    let mut reply = Reply::to_caller().line(line);
    if prefs.opted_in && cx.store.profile(cx.member).await?.offers.is_empty() {
        reply.push_line(cx.t(
            Msg::PairingProfileHint,
            vec![("example", Arg::code("/profile offers rust, pitch decks"))],
        ));
    }
    Ok(reply)
}

pub(crate) async fn my_match(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let today = localtime::local_date(cx.now, community.zone.0);
    let Some(round) = cx.store.round(community.id, today).await? else {
        let settings = cx.store.pairing_settings(community.id).await?;
        let next = next_round_text(cx, community, &settings, cx.now).await?;
        return Ok(Reply::to_caller().line(cx.t(Msg::NoRoundYet, vec![("when", Arg::text(next))])));
    };
    let Some(group) = round.groups.iter().find(|g| g.contains(&cx.member)) else {
        let settings = cx.store.pairing_settings(community.id).await?;
        let next = next_round_text(cx, community, &settings, cx.now).await?;
        let mut reply = Reply::to_caller().line(cx.t(Msg::NotInRound, vec![("when", Arg::text(next))]));
        if !cx.store.pairing_prefs(community.id, cx.member).await?.opted_in {
            reply.push_line(cx.t(Msg::PairingStatusOut, vec![]));
        }
        return Ok(reply);
    };
    let present: Vec<Presence> = cx.store.present(community.id, cx.now).await?;
    let spaces = cx.store.spaces(community.id).await?;
    let me = cx.store.profile(cx.member).await?;
    // Today's focus as kept with each one's check-in now.
    let focus_of = |member| {
        present
            .iter()
            .find(|p| p.member.id == member)
            .map_or_else(Focus::default, |p| Focus::of(p.note.as_str()))
    };
    let mut partners = Vec::new();
    for &other in group.iter().filter(|&&m| m != cx.member) {
        let contact = cx.store.contact(other).await?;
        let space = present.iter().find(|p| p.member.id == other).and_then(|p| p.space);
        partners.push(Partner {
            card: contact.card,
            profile: contact.profile,
            space,
            focus: focus_of(other),
        });
    }
    let my_focus = focus_of(cx.member);
    let me = Introduced {
        profile: &me,
        focus: &my_focus,
    };
    Ok(match_reply(cx, me, &partners, &spaces))
}

pub(crate) async fn met(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let today = localtime::local_date(cx.now, community.zone.0);
    let Some((round, group)) = cx.store.latest_group(community.id, cx.member, today).await? else {
        return Err(cx.refuse(vec![cx.t(Msg::MetNothing, vec![])]));
    };
    let mut who = Vec::new();
    for &other in group.iter().filter(|&&m| m != cx.member) {
        who.push(cx.store.contact(other).await?.card);
    }
    if who.is_empty() {
        return Err(cx.refuse(vec![cx.t(Msg::MetNothing, vec![])]));
    }
    let names = Arg::Spans(join_mentions(who));
    let news = cx.store.mark_met(round.id, cx.member, cx.now).await?;
    let msg = if news { Msg::MetNoted } else { Msg::MetAlready };
    Ok(Reply::to_caller().line(cx.t(msg, vec![("who", names)])))
}

pub(crate) async fn pair_now(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let today = localtime::local_date(cx.now, community.zone.0);
    let reply = match run_round(cx, community, today, RoundTrigger::PairNow).await? {
        RoundOutcome::Ran { people, pairs, trios } => Reply::to_chat().line(cx.t(
            Msg::PairNowDone,
            vec![
                ("people", Arg::count(people)),
                ("groups", Arg::text(groups_text(cx, pairs, trios))),
            ],
        )),
        RoundOutcome::AlreadyRan => {
            let settings = cx.store.pairing_settings(community.id).await?;
            let next = next_round_text(cx, community, &settings, cx.now).await?;
            Reply::to_caller().line(cx.t(Msg::PairNowAlready, vec![("when", Arg::text(next))]))
        }
        RoundOutcome::TooFew { people: 0 } => Reply::to_caller().line(cx.t(Msg::PairNowNobody, vec![])),
        RoundOutcome::TooFew { .. } => Reply::to_caller().line(cx.t(Msg::PairNowOnlyOne, vec![])),
    };
    Ok(reply)
}

/// "@a", "@a and @b".
fn join_mentions(cards: Vec<crate::reply::MemberCard>) -> Vec<Span> {
    let n = cards.len();
    let mut out = Vec::new();
    for (i, card) in cards.into_iter().enumerate() {
        if i > 0 {
            out.push(Span::Text(if i + 1 == n { " and ".into() } else { ", ".into() }));
        }
        out.push(Span::Mention(card));
    }
    out
}
