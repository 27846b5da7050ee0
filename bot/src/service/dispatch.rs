//! How a message becomes a command's answer: the people it names and the
//! caller recorded, the language of the answer chosen, the access rules of
//! the command's entry applied, and its module's handler run. Refusals
//! change nothing; faults are logged with a reference the user can quote.

use std::sync::atomic::{AtomicU64, Ordering};

use tracing::instrument;

use super::{metrics, Core, Cx, Env, Failure, Inbound, Outcome, Via};
use crate::catalogue::Access;
use crate::command::{Action, ParseError, Parsed};
use crate::commands::ask_which_community;
use crate::domain::MemberId;
use crate::i18n::{Arg, Locale, Msg};
use crate::reply::Reply;
use crate::store::{Community, StoreError};

pub(super) async fn handle_parsed(
    core: &Core,
    inbound: &Inbound,
    parsed: Result<Parsed, ParseError>,
    via: Via,
) -> Reply {
    let started = inbound.arrived.unwrap_or_else(std::time::Instant::now);
    let kind = match via {
        Via::Typed => "command",
        Via::Button => "button",
    };
    metrics::inbound(inbound.chat.platform, kind);
    let reply = answer_parsed(core, inbound, parsed, via).await;
    metrics::answered(inbound.chat.platform, started);
    reply
}

async fn answer_parsed(core: &Core, inbound: &Inbound, parsed: Result<Parsed, ParseError>, via: Via) -> Reply {
    // Until the community is known, a fault is told in the bot's language.
    let env = Env::of_bot(core);
    if let Err(error) = record_referenced(&env, inbound).await {
        return answer(&env, Err(error.into()));
    }
    let arrival = env.arrive(&inbound.chat, &inbound.caller).await;
    // Any message in the private chat opens it, a mistyped one too: what
    // was held for the member there goes out now (unless `/inbox`
    // hands it over itself).
    if let (Ok(arrival), true) = (&arrival, inbound.chat.private) {
        if !matches!(&parsed, Ok(p) if p.action == Action::Inbox) {
            if let Err(error) = release_held(&env, arrival.member, inbound.chat.platform).await {
                return answer(&env, Err(error.into()));
            }
        }
    }
    match (parsed, arrival) {
        (Ok(parsed), Ok(arrival)) => handle(core, inbound, arrival, parsed, via).await,
        (Ok(_), Err(error)) => answer(&env, Err(error.into())),
        (Err(error), arrival) => {
            // Bad input is answered to the caller (in the language of
            // the chat's community, where everyone sees the answer).
            let community = arrival.ok().and_then(|a| a.community);
            let locale = reply_locale(core, inbound, community.as_ref(), false);
            let path = match &error {
                ParseError::BadArgs { spec, .. } => spec.path,
                _ => "unknown",
            };
            metrics::command(path, "refused");
            env.in_locale(locale).parse_error(error, inbound.chat.platform)
        }
    }
}

/// The member wrote in their private chat on `platform`: what was held
/// for them there goes out now, as one digest.
async fn release_held(env: &Env<'_>, member: MemberId, platform: crate::Platform) -> Result<(), StoreError> {
    let released = env.store.release_held(member, platform, env.clock.now()).await?;
    if released > 0 {
        tracing::info!(released, "held private messages released");
    }
    Ok(())
}

/// Records the people a message refers to as members of its chat.
async fn record_referenced(env: &Env<'_>, inbound: &Inbound) -> Result<(), StoreError> {
    if inbound.chat.private {
        return Ok(());
    }
    for person in inbound.mentioned.iter().chain(&inbound.replying_to) {
        if person.user_id != inbound.caller.user_id {
            env.arrive(&inbound.chat, person).await?;
        }
    }
    Ok(())
}

/// The language of the answer to `inbound`: the caller's own where it
/// is for them alone (a private chat, or a Discord ephemeral reply to a
/// command that does not answer the chat) and their community lets it
/// be; else the community's.
pub(super) fn reply_locale(
    core: &Core,
    inbound: &Inbound,
    community: Option<&Community>,
    answers_the_chat: bool,
) -> Locale {
    let for_them_alone = inbound.chat.private || (inbound.chat.platform.has_ephemeral_replies() && !answers_the_chat);
    match inbound.client_locale {
        Some(own) if for_them_alone && !community.is_some_and(|c| c.locale_for_all) => own,
        _ => Env::of_bot(core).locale_of(community),
    }
}

/// Runs a parsed command. Refusals change nothing; faults are logged with a
/// reference the user can quote.
#[instrument(skip_all, fields(platform = %inbound.chat.platform, chat = %inbound.chat.chat_id, user = %inbound.caller.user_id, command = parsed.spec.path))]
async fn handle(core: &Core, inbound: &Inbound, arrival: crate::store::Arrival, parsed: Parsed, via: Via) -> Reply {
    let locale = reply_locale(
        core,
        inbound,
        arrival.community.as_ref(),
        parsed.action.answers_the_chat(),
    );
    let env = Env::of(core, locale);
    let path = parsed.spec.path;
    let outcome = run(core, env, inbound, arrival, parsed, via).await;
    metrics::command(
        path,
        match &outcome {
            Ok(_) => "ok",
            Err(Failure::User(_)) => "refused",
            Err(Failure::Internal(_)) => "internal_error",
        },
    );
    answer(&env, outcome)
}

async fn run(
    core: &Core,
    env: Env<'_>,
    inbound: &Inbound,
    arrival: crate::store::Arrival,
    Parsed { spec, action: command }: Parsed,
    via: Via,
) -> Outcome {
    let (chat, caller) = (&inbound.chat, &inbound.caller);
    let now = core.clock.now();
    let mut cx = Cx {
        env,
        via,
        spec,
        chat,
        caller,
        inbound,
        server_community: None,
        now,
        member: arrival.member,
        recorded_admin: arrival.is_admin,
        community: arrival.community,
    };
    if let (None, Some(server)) = (&cx.community, &inbound.server) {
        if let Some(id) = core.store.server_community(chat.platform, server).await? {
            cx.server_community = core.store.community(id).await?;
        }
    }
    // The chat's admins acting anonymously are nobody in particular:
    // only what an admin does for the chat can be theirs.
    if inbound.anonymous_admin && !(matches!(spec.access, Access::Admin | Access::ChatAdmin) || spec.path == "help") {
        return Err(env.refuse(vec![env.t(
            Msg::AnonymousNeedsPerson,
            vec![("command", Arg::code(format!("/{}", spec.path)))],
        )]));
    }
    if !matches!(spec.access, Access::Anyone | Access::ChatAdmin) {
        ask_which_community(&cx).await?;
    }
    match spec.access {
        Access::Anyone | Access::ChatAdmin => {}
        // Whether the caller hosts the space concerned is checked by the command.
        Access::Member | Access::Host => {
            cx.community()?;
        }
        Access::Admin => {
            let community = cx.community()?;
            if !cx.is_admin().await? {
                return Err(env.refuse(vec![env.t(
                    Msg::NotAdmin,
                    vec![
                        ("community", Arg::strong(&community.name)),
                        ("command", Arg::code(format!("/{}", spec.path))),
                    ],
                )]));
            }
        }
    }
    match spec.handler {
        Some(handler) if (handler.accepts)(&command) => (handler.run)(&cx, command).await,
        _ => Err(crate::commands::unhandled(command)),
    }
}

/// The reply to a command: its answer, its refusal, or word of a fault
/// (logged with a reference the user can quote).
pub(super) fn answer(env: &Env<'_>, outcome: Outcome) -> Reply {
    match outcome {
        Ok(reply) | Err(Failure::User(reply)) => reply,
        Err(Failure::Internal(StoreError::Unreachable(why))) => {
            tracing::error!(why, "cannot reach the database: a command was not done");
            Reply::to_caller().line(env.t(Msg::DatabaseUnreachable, vec![]))
        }
        Err(Failure::Internal(StoreError::RefusesWrites(why))) => {
            tracing::error!(why, "the database refuses writes: a command was not done");
            Reply::to_caller().line(env.t(Msg::DatabaseRefusesWrites, vec![]))
        }
        Err(Failure::Internal(error)) => {
            let reference = error_reference();
            tracing::error!(%reference, error = %error, "command failed");
            Reply::to_caller().line(env.t(Msg::InternalError, vec![("reference", Arg::code(&reference))]))
        }
    }
}

/// A short reference for a logged fault, unique enough to find it in the logs.
fn error_reference() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("E{:06X}", (nanos ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)) & 0xFF_FFFF)
}
