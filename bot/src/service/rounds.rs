//! A community's daily round: who is in the pool, whom they meet (the
//! matching itself is `crate::pairing`), and the introductions it writes,
//! once however many processes try. The scheduler runs due rounds; `/pairnow`
//! runs today's.

use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

use super::wording::reasons;
use crate::domain::{MemberId, SpaceId};
use crate::fit::Fit;
use crate::focus::Focus;
use crate::i18n::{Arg, Msg};
use crate::pairing::{self, History, PoolMember};
use crate::reply::{Reply, Span};
use crate::schedule;
use crate::service::Env;
use crate::store::{
    Community, CreateRound, NewRound, Outgoing, PoolEntry, Profile, RoundTrigger, Space, StoreResult, Target,
};

/// Members count for the pool if they used the community this recently.
pub const ACTIVE_DAYS: i64 = 30;

/// Pairs from this far back still count as met before (no "new face" bonus).
pub const EVER_DAYS: i64 = 365;

/// What running a round did (`people` is 0 for a scheduled round that found
/// nobody in the pool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundOutcome {
    Ran {
        people: usize,
        pairs: usize,
        trios: usize,
    },
    AlreadyRan,
    /// `/pairnow` found fewer than two people in the pool: no round is
    /// written, so one can still run today.
    TooFew {
        people: usize,
    },
}

/// The seed of a community's round on a date: the same every time, so a round
/// can be recomputed and checked (it is stored with the round too).
pub fn round_seed(community: i64, date: NaiveDate) -> u64 {
    use chrono::Datelike;
    (community as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (date.num_days_from_ce() as u64).wrapping_mul(0x1000_0000_01B3)
}

pub(crate) fn groups_text(env: &Env<'_>, pairs: usize, trios: usize) -> String {
    let key = if trios > 0 {
        Msg::GroupsWithTrio
    } else {
        Msg::GroupsPairs
    };
    env.text(key, vec![("pairs", Arg::count(pairs))])
}

/// Someone a member is introduced to: who, what they offer and look for,
/// where they are today and their focus there.
pub(crate) struct Partner {
    pub card: crate::reply::MemberCard,
    pub profile: Profile,
    pub space: Option<SpaceId>,
    pub focus: Focus,
}

/// A member as an introduction reads them: their profile and today's focus.
pub(crate) struct Introduced<'a> {
    pub profile: &'a Profile,
    pub focus: &'a Focus,
}

/// Why `me` should meet each of `partners`, and where they are today.
pub(crate) fn match_lines(env: &Env<'_>, me: Introduced<'_>, partners: &[Partner], spaces: &[Space]) -> Vec<Vec<Span>> {
    partners
        .iter()
        .map(
            |Partner {
                 card,
                 profile,
                 space,
                 focus,
             }| {
                let place = match space.and_then(|id| spaces.iter().find(|s| s.id == id)) {
                    Some(s) => Arg::Spans(env.t(Msg::MatchWhere, vec![("space", Arg::code(&s.slug))])),
                    None => Arg::text(""),
                };
                env.t(
                    Msg::MatchLine,
                    vec![
                        ("who", Arg::Member(card.clone())),
                        (
                            "reasons",
                            Arg::Spans(reasons(
                                env,
                                &Fit::with_focus(me.profile, me.focus, profile, focus),
                                Msg::ReasonNewFace,
                            )),
                        ),
                        ("where", place),
                    ],
                )
            },
        )
        .collect()
}

pub(crate) fn match_reply(env: &Env<'_>, me: Introduced<'_>, partners: &[Partner], spaces: &[Space]) -> Reply {
    if partners.is_empty() {
        return Reply::to_caller().line(env.t(Msg::NobodyElse, vec![]));
    }
    let mut reply = Reply::to_caller().line(env.t(Msg::MatchIntro, vec![]));
    for line in match_lines(env, me, partners, spaces) {
        reply.push_item(line);
    }
    reply.line(env.t(Msg::MatchHow, vec![]))
}

/// Runs the community's round of `date` unless it ran: pairs the pool,
/// and writes the round, every member's introduction and the summary for
/// the community's chats in one transaction.
pub(crate) async fn run_round(
    env: &Env<'_>,
    community: &Community,
    date: NaiveDate,
    trigger: RoundTrigger,
) -> StoreResult<RoundOutcome> {
    let started = std::time::Instant::now();
    let outcome = pair_and_introduce(env, community, date, trigger).await;
    if let Ok(RoundOutcome::Ran { .. }) = outcome {
        metrics::histogram!("seatmate_pairing_round_seconds").record(started.elapsed().as_secs_f64());
    }
    outcome
}

/// The round itself: the pool, the pairs, the introductions, written once.
async fn pair_and_introduce(
    env: &Env<'_>,
    community: &Community,
    date: NaiveDate,
    trigger: RoundTrigger,
) -> StoreResult<RoundOutcome> {
    if env.store.round(community.id, date).await?.is_some() {
        return Ok(RoundOutcome::AlreadyRan);
    }
    let now = env.clock.now();
    let settings = env.store.pairing_settings(community.id).await?;
    let pool = env
        .store
        .pairing_pool(community.id, date, now - Duration::days(ACTIVE_DAYS))
        .await?;
    // A scheduled round with fewer than two in it still marks the day as
    // done, so someone who opts in later is in the next round rather than
    // alone in a late one; `/pairnow` then leaves the day open.
    if pool.len() < 2 && trigger == RoundTrigger::PairNow {
        return Ok(RoundOutcome::TooFew { people: pool.len() });
    }
    let index: HashMap<MemberId, u32> = pool
        .iter()
        .enumerate()
        .map(|(i, e)| (e.contact.card.id, i as u32))
        .collect();
    let mut history = History::default();
    let recent_since = date - Duration::weeks(i64::from(settings.history_weeks));
    for past in env
        .store
        .pair_history(community.id, date - Duration::days(EVER_DAYS))
        .await?
    {
        if let (Some(&a), Some(&b)) = (index.get(&past.a), index.get(&past.b)) {
            history.add(a, b, past.date >= recent_since);
        }
    }
    let members = intern(&pool);
    let seed = round_seed(community.id.0, date);
    let groups = pairing::pair(&members, &history, seed, pairing::Options::default());

    let spaces = env.store.spaces(community.id).await?;
    let mut messages = Vec::with_capacity(pool.len() + 1);
    for group in &groups {
        for &m in group {
            let me = &pool[m as usize];
            let partners: Vec<Partner> = group
                .iter()
                .filter(|&&o| o != m)
                .map(|&o| {
                    let p = &pool[o as usize];
                    Partner {
                        card: p.contact.card.clone(),
                        profile: p.contact.profile.clone(),
                        space: p.space,
                        focus: Focus::of(p.focus.as_str()),
                    }
                })
                .collect();
            let my_focus = Focus::of(me.focus.as_str());
            let introduced = Introduced {
                profile: &me.contact.profile,
                focus: &my_focus,
            };
            messages.push(Outgoing {
                community: community.id,
                target: Target::Member(me.contact.card.id),
                body: Reply {
                    audience: crate::Audience::Private,
                    ..match_reply(env, introduced, &partners, &spaces)
                }
                .into(),
                subject: None,
            });
        }
    }
    let pairs = groups.iter().filter(|g| g.len() == 2).count();
    let trios = groups.iter().filter(|g| g.len() == 3).count();
    let summary = Reply::to_chat().line(env.t(
        Msg::RoundSummary,
        vec![
            ("groups", Arg::text(groups_text(env, pairs, trios))),
            ("people", Arg::count(pool.len())),
        ],
    ));
    // The chats hear of a round only when somebody was introduced.
    let chats = if pairs + trios == 0 {
        Vec::new()
    } else {
        env.store.community_chats(community.id).await?
    };
    for chat in chats {
        messages.push(Outgoing {
            community: community.id,
            target: Target::chat(&chat),
            body: summary.clone().into(),
            subject: None,
        });
    }
    let round = NewRound {
        community: community.id,
        local_date: date,
        seed,
        trigger,
        groups: groups
            .iter()
            .map(|g| g.iter().map(|&i| pool[i as usize].contact.card.id).collect())
            .collect(),
        now,
    };
    Ok(match env.store.create_round(&round, &messages).await? {
        CreateRound::Created(id) => {
            tracing::info!(community = %community.id, %date, round = id, seed, people = pool.len(), "pairing round");
            RoundOutcome::Ran {
                people: pool.len(),
                pairs,
                trios,
            }
        }
        CreateRound::AlreadyRan => RoundOutcome::AlreadyRan,
    })
}

/// Runs every round that is due and has not run (the scheduler's tick; at
/// start-up it is the catch-up for rounds missed while the bot was down).
pub(crate) async fn run_due_rounds(env: &Env<'_>) -> StoreResult<Vec<(Community, RoundOutcome)>> {
    let now = env.clock.now();
    let mut done = Vec::new();
    for community in env.store.communities().await? {
        let settings = env.store.pairing_settings(community.id).await?;
        let Some(date) = schedule::due_date(&settings, community.zone, now) else {
            continue;
        };
        if env.store.round(community.id, date).await?.is_some() {
            continue;
        }
        let outcome = run_round(&env.for_community(&community), &community, date, RoundTrigger::Schedule).await?;
        done.push((community, outcome));
    }
    Ok(done)
}

/// The pool as the matcher takes it: tags and spaces as small dense integers.
/// The pool as the matching reads it: tags and places as numbers. Today's
/// focus of whoever checked in before the round counts as wants for the
/// day: the offers in the pool it names.
fn intern(pool: &[PoolEntry]) -> Vec<PoolMember> {
    let mut tags: HashMap<String, u32> = HashMap::new();
    let mut spaces: HashMap<SpaceId, u32> = HashMap::new();
    let offered: std::collections::BTreeSet<&crate::domain::Tag> =
        pool.iter().flat_map(|e| e.contact.profile.offers.iter()).collect();
    let mut id = |t: &crate::domain::Tag| {
        let next = tags.len() as u32;
        *tags.entry(t.as_str().to_string()).or_insert(next)
    };
    pool.iter()
        .map(|e| {
            let mut offers: Vec<u32> = e.contact.profile.offers.iter().map(&mut id).collect();
            let mut wants: Vec<u32> = e.contact.profile.wants.iter().map(&mut id).collect();
            if !e.focus.is_empty() {
                let focus = crate::focus::Focus::of(e.focus.as_str());
                let named = offered.iter().filter(|t| focus.names(t));
                wants.extend(named.map(|t| id(t)));
            }
            offers.sort_unstable();
            wants.sort_unstable();
            wants.dedup();
            PoolMember {
                offers,
                wants,
                space: e.space.map(|s| {
                    let next = spaces.len() as u32;
                    *spaces.entry(s).or_insert(next)
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, offers: &str, focus: &str) -> PoolEntry {
        PoolEntry::sample(id, offers, None, focus)
    }

    #[test]
    fn todays_focus_counts_as_wants_for_the_offers_in_the_pool_it_names() {
        let pool = [
            entry(1, "postgres, design", ""),
            entry(2, "funding", "migrating our postgres database"),
            entry(3, "", "pitching to investors for funding"),
        ];
        let members = intern(&pool);
        // Tags are numbered as met, each profile's in order: design 0,
        // postgres 1, funding 2.
        assert_eq!(members[1].wants, [1], "the first's postgres");
        assert_eq!(members[2].wants, [2], "funding, offered by the second");
        assert!(members[0].wants.is_empty(), "no focus, no wants");
        let groups = pairing::pair(&members, &History::default(), 7, pairing::Options::default());
        assert_eq!(groups.len(), 1, "three make one trio: {groups:?}");
    }
}
