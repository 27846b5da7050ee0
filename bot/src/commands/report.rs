//! `/report [week|month] [<space>]`: what a place earned over the last 7 or
//! 30 days (figures folded by `crate::report`), privately to an admin, or
//! to a host for their space.

use chrono::{Datelike, Duration};

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, ReportPeriod, Source};
use crate::domain::{ArgError, SpaceSlug};
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::reply::{Attachment, Reply, Span};
use crate::report::{chart, figures, Day, Figures};
use crate::service::{Cx, Env, Outcome};
use crate::store::{Outgoing, ReportScope, StoreResult, Target};

pub(crate) const REPORT: CommandSpec = CommandSpec {
    name: "report",
    path: "report",
    summary: "What a place earned: seats used, people, meetings, knowledge",
    summary_nl: "Wat een plek opleverde: plekken, mensen, ontmoetingen, kennis",
    usage: "/report [week|month] [<space>]",
    example: "/report week cafe-noord",
    access: Access::Host,
    args: &[
        ArgSpec {
            name: "period",
            kind: ArgKind::Flag,
            keyword: Some("month"),
            description: "the last 30 days instead of 7",
            description_nl: "de laatste 30 dagen in plaats van 7",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "space",
            kind: ArgKind::Space,
            description: "one space (hosts: one of theirs)",
            description_nl: "één locatie (hosts: een van de hunne)",
            ..ArgSpec::OPTIONAL
        },
    ],
    grammar: Some(read_report),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_report(args: &str, _: Source) -> Result<Action, ArgError> {
    let mut period = ReportPeriod::default();
    let mut space = None;
    for word in words(args) {
        match word.to_lowercase().as_str() {
            "week" => period = ReportPeriod::Week,
            "month" | "maand" => period = ReportPeriod::Month,
            _ if space.is_none() => {
                space = Some(SpaceSlug::parse(word).map_err(|_| {
                    ArgError::new(Msg::ReportWhat)
                        .with("word", word)
                        .with("example", REPORT.example)
                })?)
            }
            _ => {
                return Err(ArgError::new(Msg::ReportWhat)
                    .with("word", word)
                    .with("example", REPORT.example))
            }
        }
    }
    Ok(Action::Report { period, space })
}

handlers!(|cx| {
    Action::Report { period, space } => report(cx, period, space),
});

async fn report(cx: &Cx<'_>, period: ReportPeriod, slug: Option<SpaceSlug>) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = match &slug {
        Some(slug) => {
            let space = super::space::find_space(cx, &spaces, slug)?;
            super::seats::must_host(cx, space.id, &space.slug).await?;
            Some(space)
        }
        None if cx.is_admin().await? => None,
        None => {
            let example = match spaces.first() {
                Some(s) => format!("/report week {}", s.slug),
                None => REPORT.example.to_string(),
            };
            return Err(cx.refuse(vec![cx.t(Msg::ReportNameSpace, vec![("example", Arg::code(example))])]));
        }
    };
    let to = localtime::local_date(cx.now, community.zone.0);
    let from = to - Duration::days(period.days() - 1);
    let scope = ReportScope {
        community: community.id,
        space: space.map(|s| s.id),
        from,
        to,
        now: cx.now,
    };
    let figures = figures(&cx.store.report_rows(&scope).await?, from, to);
    let place = match space {
        Some(space) => Arg::code(&space.slug),
        None => Arg::text(&community.name),
    };
    let mut reply = Reply::private().line(cx.t(
        Msg::ReportTitle,
        vec![
            ("place", place),
            ("from", Arg::text(cx.locale.date(from))),
            ("to", Arg::text(cx.locale.date(to))),
        ],
    ));
    for line in figure_lines(cx, &figures) {
        reply.push_line(line);
    }
    reply.push_line(cx.t(
        Msg::ReportFooter,
        vec![("days", Arg::count(cx.settings.checkin_days as usize))],
    ));
    let (title, seats, met) = (
        cx.text(Msg::ReportChartTitle, vec![]),
        cx.text(Msg::ReportChartSeats, vec![]),
        cx.text(Msg::ReportChartMet, vec![]),
    );
    let labels = chart::Labels {
        title: &title,
        seats: &seats,
        met: &met,
        day: &|d: &Day| d.date.format("%d/%m").to_string(),
    };
    // The figures stand without their picture: a chart that cannot be
    // drawn is logged, and the report goes.
    match chart::png(&figures.days, &labels) {
        Ok(png) => {
            let name = format!("seatmate-report-{}.png", to.format("%Y-%m-%d"));
            reply.attachment = Some(Box::new(Attachment::binary(name, "image/png", &png)));
        }
        Err(error) => tracing::error!(%error, "the report's chart"),
    }
    Ok(reply)
}

/// The scheduler's tick: every community whose digest day it is, from its
/// pairing time on, gets the seven days before in every chat, once however
/// many instances tick (a day the bot was down all of is not caught up).
/// Community-wide figures: counts and tags, never a name. How many posted.
pub(crate) async fn post_due_digests(env: &Env<'_>) -> StoreResult<usize> {
    let now = env.clock.now();
    let mut posted = 0;
    // Most ticks find no digest on: one query, and done.
    let days = env.store.digest_days().await?;
    if days.is_empty() {
        return Ok(0);
    }
    for community in env.store.communities().await? {
        let Some(&(_, day)) = days.iter().find(|(id, _)| *id == community.id) else {
            continue;
        };
        let local = now.with_timezone(&community.zone.0);
        if local.weekday() != day {
            continue;
        }
        let time = env.store.pairing_settings(community.id).await?.time;
        let today = local.date_naive();
        if local.time() < time.0 || env.store.digest_posted(community.id, today).await? {
            continue;
        }
        let (from, to) = (today - Duration::days(7), today - Duration::days(1));
        let scope = ReportScope {
            community: community.id,
            space: None,
            from,
            to,
            now,
        };
        let env = env.for_community(&community);
        let figures = figures(&env.store.report_rows(&scope).await?, from, to);
        let mut digest = Reply::to_chat().line(env.t(
            Msg::DigestTitle,
            vec![
                ("community", Arg::text(&community.name)),
                ("from", Arg::text(env.locale.date(from))),
                ("to", Arg::text(env.locale.date(to))),
            ],
        ));
        for line in figure_lines(&env, &figures) {
            digest.push_line(line);
        }
        let messages: Vec<Outgoing> = env
            .store
            .community_chats(community.id)
            .await?
            .iter()
            .map(|chat| Outgoing::new(community.id, Target::chat(chat), digest.clone()))
            .collect();
        if env.store.post_digest(community.id, today, &messages, now).await? {
            tracing::info!(community = %community.id, %today, chats = messages.len(), "weekly digest");
            posted += 1;
        }
    }
    Ok(posted)
}

/// The report's figures, a line each: the same lines as the digest.
pub(crate) fn figure_lines(env: &Env<'_>, f: &Figures) -> Vec<Vec<Span>> {
    let n = |v: u64| Arg::count(v as usize);
    let tags = |list: &[(String, u64)]| {
        Arg::text(
            list.iter()
                .map(|(t, k)| format!("{t} ({k})"))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    let mut lines = vec![
        env.t(
            Msg::ReportSeats,
            vec![
                ("offered", n(f.seats.offered)),
                ("requested", n(f.seats.requested)),
                ("confirmed", n(f.seats.confirmed)),
                ("used", n(f.seats.used)),
                ("released", n(f.seats.released)),
                ("no_shows", n(f.seats.no_shows)),
            ],
        ),
        env.t(
            Msg::ReportPeople,
            vec![("n", n(f.coworkers)), ("first", n(f.first_timers))],
        ),
        env.t(Msg::ReportMeetings, vec![("n", n(f.introductions)), ("met", n(f.met))]),
        env.t(
            Msg::ReportQuestions,
            vec![("asked", n(f.questions_asked)), ("answered", n(f.questions_answered))],
        ),
    ];
    lines.push(if f.knowledge.is_empty() {
        env.t(Msg::ReportNoKnowledge, vec![])
    } else {
        env.t(Msg::ReportKnowledge, vec![("tags", tags(&f.knowledge))])
    });
    if !f.gaps.is_empty() {
        lines.push(env.t(Msg::ReportGaps, vec![("tags", tags(&f.gaps))]));
    }
    lines
}
