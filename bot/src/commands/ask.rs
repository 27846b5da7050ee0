//! Ask the room: `/ask <question…>` sends a question privately to a few
//! members who offer what it names (`rules::asks` chooses them), each with
//! "I can help" and "Not now" (`/canhelp`, `/notnow`); `/asks` lists the
//! caller's open questions and `/ask close <n>` closes one.
//!
//! Invariants:
//! - The first "I can help" wins, under the question's lock: the two are
//!   introduced privately, each with the other's mention and offers, the
//!   others still undecided hear that someone helped, and every button
//!   sent about the question is taken away.
//! - Nobody is asked twice for one question; a member asks at most
//!   `rules::asks::QUESTIONS_PER_DAY` a day (counted under their lock).
//! - The asker learns how many were asked, never who they were or who
//!   said "not now"; when everyone asked said "not now", the asker is told
//!   that none of them can help now.
//! - Messages to the people asked are in the community's language.

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::domain::{bounds, parse_id, ArgError, MemberId, Note};
use crate::focus::Focus;
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice::helps_with;
use crate::reply::{Button, Reply, Span};
use crate::rules::asks::{helpers, QUESTIONS_PER_DAY};
use crate::service::{Cx, Env, Failure, Outcome};
use crate::store::{
    Answer, Answered, Asked, Closing, Community, MemberContact, NewQuestion, Outgoing, Question, QuestionAnswer,
    Subject, Target,
};

pub(crate) const ASK: CommandSpec = CommandSpec {
    name: "ask",
    path: "ask",
    summary: "Ask the members who can help with a question (or close one)",
    summary_nl: "Vraag de leden die kunnen helpen (of sluit een vraag)",
    usage: "/ask <question…>, or /ask close <question number>",
    example: "/ask who knows postgres replication?",
    access: Access::Member,
    args: &[ArgSpec {
        name: "question",
        kind: ArgKind::Text,
        required: true,
        description: "your question, in a sentence",
        description_nl: "je vraag, in een zin",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_ask),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const ASKS: CommandSpec = CommandSpec {
    name: "asks",
    path: "asks",
    summary: "Your open questions",
    summary_nl: "Je open vragen",
    usage: "/asks",
    example: "/asks",
    access: Access::Member,
    grammar: Some(read_asks),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

const QUESTION_NUMBER: ArgSpec = ArgSpec {
    name: "question",
    kind: ArgKind::Integer,
    required: true,
    description: "the question's number",
    description_nl: "het nummer van de vraag",
    range: Some(bounds::NUMBER),
    ..ArgSpec::OPTIONAL
};

pub(crate) const CANHELP: CommandSpec = CommandSpec {
    name: "canhelp",
    path: "canhelp",
    summary: "Say you can help with a question you were asked",
    summary_nl: "Zeg dat je kunt helpen met een vraag die je kreeg",
    usage: "/canhelp <question number>",
    example: "/canhelp 3",
    access: Access::Member,
    args: &[QUESTION_NUMBER],
    grammar: Some(read_can_help),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const NOTNOW: CommandSpec = CommandSpec {
    name: "notnow",
    path: "notnow",
    summary: "Pass on a question you were asked",
    summary_nl: "Sla een vraag die je kreeg over",
    usage: "/notnow <question number>",
    example: "/notnow 3",
    access: Access::Member,
    args: &[QUESTION_NUMBER],
    grammar: Some(read_not_now),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

/// A question, or `close <n>` typed as one. From a slash command's option
/// it is always a question (closing is `/asks`'s button there).
fn read_ask(args: &str, source: Source) -> Result<Action, ArgError> {
    let text = source.free("question").unwrap_or(args);
    if matches!(source, Source::Text) {
        if let ["close" | "sluit", rest @ ..] = words(text).as_slice() {
            return question_number(rest).map(|question| Action::AskClose { question });
        }
    }
    if text.trim().is_empty() {
        return Err(ArgError::new(Msg::AskMissing).with("example", ASK.example));
    }
    Note::parse(text).map(Action::Ask)
}

fn question_number(words: &[&str]) -> Result<i64, ArgError> {
    match words {
        [word] => parse_id(word).ok_or_else(|| {
            ArgError::new(Msg::NotQuestionNumber)
                .with("word", *word)
                .with("example", "/ask close 3")
        }),
        _ => Err(ArgError::new(Msg::AskWhichQuestion).with("example", "/ask close 3")),
    }
}

fn read_asks(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Asks)
}

fn read_can_help(args: &str, _: Source) -> Result<Action, ArgError> {
    question_number(&words(args)).map(|question| Action::CanHelp { question })
}

fn read_not_now(args: &str, _: Source) -> Result<Action, ArgError> {
    question_number(&words(args)).map(|question| Action::NotNow { question })
}

handlers!(|cx| {
    Action::Ask(text) => ask(cx, text),
    Action::AskClose { question } => close(cx, question),
    Action::Asks => open_questions(cx),
    Action::CanHelp { question } => answer(cx, question, Answer::Help),
    Action::NotNow { question } => answer(cx, question, Answer::NotNow),
});

fn private_to(community: &Community, member: MemberId, reply: Reply) -> Outgoing {
    Outgoing::new(community.id, Target::Member(member), reply)
}

async fn ask(cx: &Cx<'_>, text: Note) -> Outcome {
    let community = cx.community()?;
    let today = localtime::local_date(cx.now, community.zone.0);
    let candidates = cx.store.ask_candidates(community.id, cx.member, today).await?;
    let here = cx
        .store
        .present(community.id, cx.now)
        .await?
        .into_iter()
        .find(|p| p.member.id == cx.member)
        .and_then(|p| p.space);
    let question = Focus::of(text.as_str());
    let chosen = helpers(&question, here, &candidates);
    if chosen.is_empty() {
        let words = Focus::key_words(text.as_str());
        let tags = if words.is_empty() {
            "postgres".to_string()
        } else {
            words.into_iter().take(3).collect::<Vec<_>>().join(", ")
        };
        return Ok(Reply::to_caller().line(cx.t(
            Msg::AskNobody,
            vec![("example", Arg::code(format!("/profile wants {tags}")))],
        )));
    }
    let mut named: Vec<String> = Vec::new();
    for tag in chosen.iter().flat_map(|h| &h.named) {
        if !named.iter().any(|t| t == tag.as_str()) {
            named.push(tag.as_str().to_string());
        }
    }
    let asker = cx.store.contact(cx.member).await?.card;
    let env = cx.for_community(community);
    let messages = |id: i64| -> Vec<Outgoing> {
        chosen
            .iter()
            .map(|h| {
                let tags: Vec<&str> = h.named.iter().map(|t| t.as_str()).collect();
                let mut reply = Reply::private()
                    .line(env.t(
                        Msg::QuestionToHelper,
                        vec![
                            ("who", Arg::Member(asker.clone())),
                            ("id", Arg::text(id)),
                            ("text", Arg::text(text.as_str())),
                        ],
                    ))
                    .line(env.t(Msg::QuestionWhyYou, vec![("tags", Arg::text(tags.join(", ")))]));
                reply.buttons.push(Button::new(
                    env.text(Msg::CanHelpButton, vec![]),
                    format!("/canhelp {id}"),
                ));
                reply.buttons.push(Button::new(
                    env.text(Msg::NotNowButton, vec![]),
                    format!("/notnow {id}"),
                ));
                private_to(community, h.entry.contact.card.id, reply).about(Subject::Question(id))
            })
            .collect()
    };
    let new = NewQuestion {
        community: community.id,
        asker: cx.member,
        text: text.clone(),
        local_date: today,
        now: cx.now,
        asked: chosen.iter().map(|h| h.entry.contact.card.id).collect(),
    };
    match cx.store.ask_question(&new, QUESTIONS_PER_DAY, &messages).await? {
        Asked::Asked(id) => Ok(Reply::to_caller().line(cx.t(
            Msg::AskSent,
            vec![
                ("n", Arg::count(chosen.len())),
                ("tags", Arg::text(named.join(", "))),
                ("id", Arg::text(id)),
            ],
        ))),
        Asked::TooMany => Err(cx.refuse(vec![
            cx.t(Msg::AskTooMany, vec![("max", Arg::count(QUESTIONS_PER_DAY as usize))])
        ])),
    }
}

/// A question the caller was asked, or the refusal that says they were not.
async fn asked_question(cx: &Cx<'_>, community: &Community, id: i64) -> Result<Question, Failure> {
    match cx.store.question(community.id, id).await? {
        Some(q) if q.answer_of(cx.member).is_some() => Ok(q),
        _ => Err(cx.refuse(vec![cx.t(Msg::NotAskedQuestion, vec![("id", Arg::text(id))])])),
    }
}

/// "@bea can help with postgres, rust." (or has not said yet).
fn offers_line(env: &Env<'_>, who: &MemberContact) -> Vec<Span> {
    env.t(
        Msg::RequesterOffers,
        vec![
            ("who", Arg::Member(who.card.clone())),
            ("offers", helps_with(env.tr(), &who.profile.offers.to_string())),
        ],
    )
}

/// What the store writes if this answer decides the question: for "I can
/// help", the helper introduced to the asker and the undecided told; for
/// "not now" (when it is the last), the asker told none can help now. A
/// forgotten asker is told nothing.
fn news_of(
    cx: &Cx<'_>,
    community: &Community,
    question: &Question,
    answer: Answer,
    me: &MemberContact,
    asker: Option<&MemberContact>,
) -> Vec<Outgoing> {
    let (Some(asker), Some(asker_id)) = (asker, question.asker) else {
        return Vec::new();
    };
    let env = cx.for_community(community);
    let id = question.id;
    match answer {
        Answer::Help => {
            let found = Reply::private()
                .line(env.t(
                    Msg::HelperFound,
                    vec![
                        ("who", Arg::Member(me.card.clone())),
                        ("id", Arg::text(id)),
                        ("text", Arg::text(&question.text)),
                    ],
                ))
                .line(offers_line(&env, me));
            let taken = Reply::private().line(env.t(
                Msg::QuestionTakenByOther,
                vec![("id", Arg::text(id)), ("who", Arg::Member(asker.card.clone()))],
            ));
            let undecided = question
                .asked
                .iter()
                .filter(|(other, said)| *other != cx.member && said.is_none());
            std::iter::once(private_to(community, asker_id, found))
                .chain(undecided.map(|(other, _)| private_to(community, *other, taken.clone())))
                .collect()
        }
        Answer::NotNow => {
            let passed = Reply::private().line(env.t(
                Msg::AllPassed,
                vec![
                    ("n", Arg::count(question.asked.len())),
                    ("id", Arg::text(id)),
                    ("close", Arg::code(format!("/ask close {id}"))),
                ],
            ));
            vec![private_to(community, asker_id, passed)]
        }
    }
}

async fn answer(cx: &Cx<'_>, id: i64, answer: Answer) -> Outcome {
    let community = cx.community()?;
    let question = asked_question(cx, community, id).await?;
    let me = cx.store.contact(cx.member).await?;
    let asker = match question.asker {
        Some(asker) => Some(cx.store.contact(asker).await?),
        None => None,
    };
    let news = news_of(cx, community, &question, answer, &me, asker.as_ref());
    let (if_helped, if_all_passed): (&[Outgoing], &[Outgoing]) = match answer {
        Answer::Help => (&news, &[]),
        Answer::NotNow => (&[], &news),
    };
    let answered = cx
        .store
        .answer_question(
            &QuestionAnswer {
                community: community.id,
                question: id,
                member: cx.member,
                answer,
                now: cx.now,
            },
            if_helped,
            if_all_passed,
        )
        .await?;
    let id_arg = || ("id", Arg::text(id));
    let reply = match answered {
        Answered::Helped => {
            let who = asker
                .as_ref()
                .map_or_else(|| Arg::text("?"), |a| Arg::Member(a.card.clone()));
            let mut reply = Reply::private().line(cx.t(
                Msg::HelpingThanks,
                vec![("who", who), id_arg(), ("text", Arg::text(&question.text))],
            ));
            if let Some(asker) = &asker {
                reply.push_line(offers_line(cx, asker));
            }
            reply
        }
        Answered::HelpedBefore { by } if by == cx.member => {
            Reply::to_caller().line(cx.t(Msg::AlreadyHelping, vec![id_arg()]))
        }
        Answered::HelpedBefore { .. } => Reply::to_caller().line(cx.t(Msg::SomeoneHelpedFirst, vec![id_arg()])),
        Answered::Passed => Reply::to_caller().line(cx.t(Msg::NotNowNoted, vec![])),
        Answered::Closed => Reply::to_caller().line(cx.t(Msg::QuestionWasClosed, vec![id_arg()])),
        Answered::NotAsked => return Err(cx.refuse(vec![cx.t(Msg::NotAskedQuestion, vec![id_arg()])])),
    };
    Ok(reply)
}

async fn close(cx: &Cx<'_>, id: i64) -> Outcome {
    let community = cx.community()?;
    let id_arg = ("id", Arg::text(id));
    let line = match cx.store.close_question(community.id, cx.member, id, cx.now).await? {
        Closing::Closed => cx.t(Msg::QuestionClosed, vec![id_arg]),
        Closing::AlreadyClosed => cx.t(Msg::QuestionClosedBefore, vec![id_arg]),
        Closing::Helped { by } => {
            let helper = cx.store.contact(by).await?.card;
            cx.t(Msg::QuestionHelpedBefore, vec![id_arg, ("who", Arg::Member(helper))])
        }
        Closing::NotFound => return Err(cx.refuse(vec![cx.t(Msg::NoSuchQuestion, vec![id_arg])])),
    };
    Ok(Reply::to_caller().line(line))
}

async fn open_questions(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let open = cx.store.open_questions(community.id, cx.member).await?;
    if open.is_empty() {
        return Ok(Reply::to_caller().line(cx.t(Msg::AsksNone, vec![("example", Arg::code(ASK.example))])));
    }
    let mut reply = Reply::to_caller().line(cx.t(Msg::AsksTitle, vec![]));
    for q in &open {
        let local = q.created_at.with_timezone(&community.zone.0);
        let when = format!("{} {}", cx.locale.date(local.date_naive()), local.format("%H:%M"));
        reply.push_item(cx.t(
            Msg::AsksItem,
            vec![
                ("id", Arg::text(q.id)),
                ("when", Arg::text(when)),
                ("text", Arg::text(&q.text)),
                ("n", Arg::count(q.asked.len())),
            ],
        ));
        reply.buttons.push(Button::new(
            cx.text(Msg::CloseQuestionButton, vec![("id", Arg::text(q.id))]),
            format!("/ask close {}", q.id),
        ));
    }
    Ok(reply)
}
