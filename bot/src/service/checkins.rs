//! Check-ins: `/checkin`, `/checkout`, `/here`, and whom to meet.

use chrono::{DateTime, Utc};

use super::{Ctx, Failure, Outcome};
use crate::command::{CheckinDetails, CheckinInput, Place};
use crate::domain::{ArgError, SpaceSlug, Zone};
use crate::fit::Fit;
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::reply::{Reply, Span};
use crate::rules;
use crate::store::{CheckinOutcome, Community, NewCheckin, Presence, Space};
use crate::Core;

impl Core {
    /// Decides the place of a check-in: the word typed if it names a space, else
    /// the only space, else where the member checked in last.
    pub(super) async fn checkin_place(
        &self,
        ctx: &Ctx<'_>,
        spaces: &[Space],
        input: CheckinInput,
    ) -> Result<(Option<Place>, CheckinDetails), Failure> {
        let bad = |e| Failure::User(self.bad_args(ctx.spec, e, ctx.chat.platform));
        let (place, details) = match input {
            CheckinInput::Decided { place, details } => (place, details),
            CheckinInput::Ambiguous {
                word,
                as_place,
                as_note,
            } => {
                let slug = SpaceSlug::parse(&word).ok();
                if let Some(space) = slug.and_then(|slug| spaces.iter().find(|s| s.slug == slug)) {
                    (Some(Place::Space(space.slug.clone())), as_place.map_err(bad)?)
                } else if let Some(near) = rules::near_miss(&word, spaces) {
                    let mut lines = vec![
                        self.t(Msg::UnknownSpace, vec![("space", Arg::code(&word))]),
                        self.t(Msg::DidYouMean, vec![("suggestion", Arg::code(near))]),
                    ];
                    let note = note_for_example(&word, &as_note);
                    lines.push(self.t(
                        Msg::NoteInQuotes,
                        vec![
                            ("word", Arg::text(&word)),
                            ("example", Arg::code(format!("/checkin \"{note}\""))),
                        ],
                    ));
                    return Err(self.refuse(lines));
                } else {
                    (None, as_note.map_err(bad)?)
                }
            }
        };
        if place.is_some() {
            return Ok((place, details));
        }
        if let [only] = spaces {
            return Ok((Some(Place::Space(only.slug.clone())), details));
        }
        let community = self.community(ctx)?;
        match self.store.last_place(community.id, ctx.member).await? {
            Some(Some(id)) => {
                if let Some(space) = spaces.iter().find(|s| s.id == id) {
                    return Ok((Some(Place::Space(space.slug.clone())), details));
                }
            }
            Some(None) => return Ok((Some(Place::Remote), details)),
            None => {}
        }
        if spaces.is_empty() {
            return Err(self.refuse(vec![
                self.t(Msg::NoSpaceToCheckIn, vec![("example", Arg::code("/checkin remote"))])
            ]));
        }
        Err(self.refuse(vec![
            self.t(
                Msg::WhichSpace,
                vec![("spaces", Arg::text(self.space_list_text(spaces)))],
            ),
            self.t(
                Msg::WhichSpaceExample,
                vec![("example", Arg::code(format!("/checkin {}", spaces[0].slug)))],
            ),
        ]))
    }

    pub(super) async fn checkin(&self, ctx: &Ctx<'_>, input: CheckinInput) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        let (place, details) = self.checkin_place(ctx, &spaces, input).await?;
        let space = match &place {
            Some(Place::Space(slug)) => Some(self.find_space(&spaces, slug)?.id),
            _ => None,
        };
        let zone = self.zone_of(community, &spaces, space);
        let today = localtime::local_date(ctx.now, zone.0);
        let end_of_day = localtime::end_of_day(today, zone.0);
        let until = match details.until {
            Some(time) => {
                let at = localtime::resolve(today, time.0, zone.0);
                if at <= ctx.now {
                    let later = localtime::local_time(ctx.now + chrono::Duration::hours(1), zone.0);
                    return Err(self.refuse(vec![
                        self.t(
                            Msg::UntilPassed,
                            vec![
                                ("time", Arg::text(time)),
                                ("place", self.place_name(&spaces, space)),
                                ("now", Arg::text(localtime::local_time(ctx.now, zone.0).format("%H:%M"))),
                            ],
                        ),
                        self.t(
                            Msg::UntilPassedHint,
                            vec![("example", Arg::text(later.format("%H:00")))],
                        ),
                    ]));
                }
                Some(at.min(end_of_day))
            }
            None => None,
        };
        let outcome = self
            .store
            .check_in(&NewCheckin {
                community: community.id,
                member: ctx.member,
                space,
                local_date: today,
                now: ctx.now,
                until,
                ends_at: until.unwrap_or(end_of_day),
                note: details.note,
            })
            .await?;
        let msg = match outcome {
            CheckinOutcome::New => Msg::CheckedIn,
            CheckinOutcome::Updated => Msg::CheckedInAgain,
        };
        let mut reply = Reply::to_chat().line(self.t(
            msg,
            vec![
                ("who", Arg::Name(ctx.card())),
                ("place", self.place_name(&spaces, space)),
                ("until", self.until_suffix(until, zone)),
            ],
        ));
        let present = self.store.present(community.id, ctx.now).await?;
        let me = present
            .iter()
            .find(|p| p.member.id == ctx.member)
            .map(|p| p.profile.clone());
        let me = match me {
            Some(profile) => profile,
            None => self.store.profile(ctx.member).await?,
        };
        let others = rules::suggestions(&me, ctx.member, space, &present);
        if others.is_empty() {
            reply.push_line(self.t(Msg::QuietToday, vec![("place", self.place_name(&spaces, space))]));
        } else {
            reply.push_line(self.t(Msg::MeetTitle, vec![]));
            for (fit, other) in others {
                reply.push_item(self.t(
                    Msg::MeetLine,
                    vec![
                        ("who", Arg::Name(other.member.clone())),
                        ("reasons", Arg::Spans(self.reasons(&fit, Msg::ReasonNone))),
                    ],
                ));
            }
        }
        Ok(reply)
    }

    /// Why two people should talk; `none` when no tag of theirs meets.
    pub(super) fn reasons(&self, fit: &Fit, none: Msg) -> Vec<Span> {
        let join =
            |tags: &[crate::domain::Tag]| Arg::text(tags.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "));
        let mut parts = Vec::new();
        if !fit.they_help_me.is_empty() {
            parts.push(self.t(Msg::ReasonTheyHelp, vec![("tags", join(&fit.they_help_me))]));
        }
        if !fit.i_help_them.is_empty() {
            parts.push(self.t(Msg::ReasonYouHelp, vec![("tags", join(&fit.i_help_them))]));
        }
        if !fit.shared.is_empty() {
            parts.push(self.t(Msg::ReasonShared, vec![("tags", join(&fit.shared))]));
        }
        if parts.is_empty() {
            return self.t(none, vec![]);
        }
        let separator = self.t(Msg::ReasonSeparator, vec![]);
        let mut out = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                out.extend(separator.clone());
            }
            out.extend(part);
        }
        out
    }

    pub(super) async fn checkout(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        if self.store.check_out(community.id, ctx.member, ctx.now).await? {
            Ok(Reply::to_chat().line(self.t(Msg::CheckedOut, vec![("who", Arg::Name(ctx.card()))])))
        } else {
            Err(self.refuse(vec![self.t(Msg::NotCheckedIn, vec![])]))
        }
    }

    pub(super) async fn here(&self, ctx: &Ctx<'_>, place: Option<Place>) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        // Which places to show: one asked for, or every space and remote.
        let places: Vec<Option<crate::domain::SpaceId>> = match place {
            Some(Place::Space(slug)) => vec![Some(self.find_space(&spaces, &slug)?.id)],
            Some(Place::Remote) => vec![None],
            None => spaces.iter().map(|s| Some(s.id)).chain([None]).collect(),
        };
        let present = self.store.present(community.id, ctx.now).await?;
        let mut reply = Reply::to_chat();
        for &place in &places {
            let here: Vec<&Presence> = present.iter().filter(|p| p.space == place).collect();
            if here.is_empty() {
                if places.len() == 1 {
                    reply.push_line(self.t(Msg::HereNobody, vec![("place", self.place_name(&spaces, place))]));
                }
                continue;
            }
            let zone = self.zone_of(community, &spaces, place);
            reply.push_line(self.t(Msg::HereTitle, vec![("place", self.place_name(&spaces, place))]));
            for p in here {
                let note = if p.note.is_empty() {
                    Arg::text("")
                } else {
                    Arg::Spans(self.t(Msg::HereNote, vec![("note", Arg::text(&p.note))]))
                };
                let offers = if p.profile.offers.is_empty() {
                    Arg::text("")
                } else {
                    Arg::Spans(self.t(Msg::HereOffers, vec![("tags", Arg::text(&p.profile.offers))]))
                };
                reply.push_item(self.t(
                    Msg::HereLine,
                    vec![
                        ("who", Arg::Name(p.member.clone())),
                        ("until", self.until_suffix(p.until, zone)),
                        ("note", note),
                        ("offers", offers),
                    ],
                ));
            }
        }
        if reply.blocks.is_empty() {
            reply.push_line(self.t(Msg::HereNobodyAnywhere, vec![]));
        }
        Ok(reply)
    }

    pub(super) fn place_name(&self, spaces: &[Space], space: Option<crate::domain::SpaceId>) -> Arg {
        match space.and_then(|id| spaces.iter().find(|s| s.id == id)) {
            Some(s) => Arg::code(&s.slug),
            None => Arg::text(Msg::PlaceRemote.template(self.locale())),
        }
    }

    pub(super) fn zone_of(
        &self,
        community: &Community,
        spaces: &[Space],
        space: Option<crate::domain::SpaceId>,
    ) -> Zone {
        space
            .and_then(|id| spaces.iter().find(|s| s.id == id))
            .map_or(community.zone, |s| s.zone)
    }

    pub(super) fn until_suffix(&self, until: Option<DateTime<Utc>>, zone: Zone) -> Arg {
        match until {
            Some(at) => Arg::Spans(self.t(
                Msg::UntilSuffix,
                vec![("time", Arg::text(localtime::local_time(at, zone.0).format("%H:%M")))],
            )),
            None => Arg::text(""),
        }
    }
}

/// The note a refused check-in would have had, for the "put it in quotes" example.
fn note_for_example(word: &str, as_note: &Result<CheckinDetails, ArgError>) -> String {
    match as_note {
        Ok(details) if !details.note.is_empty() => details.note.as_str().replace('"', "'"),
        _ => word.to_string(),
    }
}
