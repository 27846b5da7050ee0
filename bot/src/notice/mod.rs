//! What a seat change tells people afterwards, kept as data. A change writes
//! its notices in the same transaction (so none is lost or sent for a change
//! that did not happen), but nothing is rendered there: the delivery loop
//! renders each notice when it sends it, in the community's language then.
//! The same views render the immediate replies about offers and requests.

use serde::{Deserialize, Serialize};

use crate::i18n::{Arg, Msg, Tr};
use crate::reply::{Button, MemberCard, Reply, Span, Tone};
use crate::store::RequestState;

mod body;
mod facts;
pub use body::*;
pub use facts::*;

/// What a change tells people, as data (see the module's note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A new offer, in every chat of the community.
    Announcement {
        offer: OfferFacts,
        host: MemberCard,
        note: String,
        /// In the chat the host posted from, where it is the answer: the
        /// platform's id of the host's command, which it replies to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answers: Option<String>,
    },
    /// To the space's keepers: someone asked for a seat.
    NewRequest {
        offer: OfferFacts,
        request: RequestFacts,
        requester: MemberCard,
        /// What the requester can help with (comma-joined tags).
        requester_offers: String,
    },
    /// To the space's keepers: someone gave their seat back.
    Cancelled {
        offer: OfferFacts,
        request: RequestFacts,
        who: MemberCard,
        promoted: Option<MemberCard>,
    },
    /// To the member who moved up from the waitlist.
    Promoted { offer: OfferFacts, request: RequestFacts },
    /// To a holder whose seat went to the next in line: nobody claimed it.
    Released { offer: OfferFacts, request: RequestFacts },
    /// In every chat of the community: seats freed on the offer's day with
    /// nobody waiting (several merged into one line).
    FreedSeats { offer: OfferFacts, seats: u32 },
    /// To a standing offer's host: a day skipped, a one-off offer overlaps it.
    StandingSkipped {
        standing: i64,
        space: String,
        /// `YYYY-MM-DD`.
        date: String,
        existing: i64,
    },
    /// To a member: their standing request asked for a seat on a new offer.
    StandingAsked { offer: OfferFacts, request: RequestFacts },
    /// To a holder: their seat is tomorrow, or not yet claimed.
    Reminder {
        offer: OfferFacts,
        request: RequestFacts,
        which: crate::rules::reminders::Reminder,
    },
    /// To the requester: the host approved or declined.
    Decided { offer: OfferFacts, request: RequestFacts },
    /// To everyone on a withdrawn offer.
    Withdrawn {
        offer: OfferFacts,
        #[serde(default, skip_serializing_if = "WhyWithdrawn::is_host")]
        why: WhyWithdrawn,
    },
}

/// Who ended an offer early: its host, or an admin who removed its space.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhyWithdrawn {
    #[default]
    Host,
    SpaceRemoved,
}

impl WhyWithdrawn {
    fn is_host(&self) -> bool {
        *self == WhyWithdrawn::Host
    }
}

impl Notice {
    /// As the text grammar reads commands (Telegram, the console).
    pub fn render(&self, tr: Tr) -> Reply {
        self.render_on(tr, crate::domain::Platform::Console)
    }

    /// As `platform` takes it: where commands are typed as options
    /// (Discord), an announcement's "type this" names the option.
    pub fn render_on(&self, tr: Tr, platform: crate::domain::Platform) -> Reply {
        match self {
            Notice::Announcement {
                offer,
                host,
                note,
                answers,
            } => announcement(tr, platform, offer, host, note, answers.clone()),
            Notice::NewRequest {
                offer,
                request,
                requester,
                requester_offers,
            } => {
                let mut reply = Reply::private().line(tr.t(
                    Msg::HostNewRequest,
                    with(
                        offer_args(tr, offer),
                        vec![
                            ("who", Arg::Member(requester.clone())),
                            ("standing", Arg::Spans(standing_for_host(tr, request))),
                        ],
                    ),
                ));
                reply.push_line(tr.t(
                    Msg::RequesterOffers,
                    vec![
                        ("who", Arg::Member(requester.clone())),
                        ("offers", helps_with(tr, requester_offers)),
                    ],
                ));
                if request.state() == Some(RequestState::Pending) {
                    let reference = request_ref(offer.id, request.number);
                    reply.push_line(approve_hint(tr, offer.id, request.number));
                    reply.buttons.push(Button::new(
                        tr.word(Msg::ApproveButton),
                        format!("/approve {reference}"),
                    ));
                    reply.buttons.push(Button::new(
                        tr.word(Msg::DeclineButton),
                        format!("/decline {reference}"),
                    ));
                }
                reply
            }
            Notice::Cancelled {
                offer,
                request,
                who,
                promoted,
            } => {
                let mut reply = Reply::private().line(tr.t(
                    Msg::HostCancelled,
                    with(
                        offer_args(tr, offer),
                        vec![
                            ("who", Arg::Member(who.clone())),
                            ("standing", Arg::Spans(standing(tr, request))),
                        ],
                    ),
                ));
                if let Some(promoted) = promoted {
                    reply.push_line(tr.t(Msg::HostPromoted, vec![("who", Arg::Member(promoted.clone()))]));
                }
                reply
            }
            Notice::Promoted { offer, request } => {
                let mut reply = Reply::private().line(tr.t(
                    Msg::Promoted,
                    with(
                        offer_args(tr, offer),
                        vec![("cancel", Arg::code(format!("/cancel {}", offer.id)))],
                    ),
                ));
                if let Some(ClaimFacts::By { time }) = &request.claim {
                    reply.push_line(tr.t(
                        Msg::PromotedClaimBy,
                        vec![("space", Arg::code(&offer.space)), ("time", Arg::text(time))],
                    ));
                }
                reply
            }
            Notice::FreedSeats { offer, seats } => {
                let mut reply = Reply::to_chat().line(tr.t(
                    Msg::FreedSeatsLine,
                    with(offer_args(tr, offer), vec![("n", Arg::count(*seats))]),
                ));
                reply.buttons.push(Button::new(
                    tr.word(Msg::RequestButton),
                    format!("/request {}", offer.id),
                ));
                reply
            }
            Notice::StandingSkipped {
                standing,
                space,
                date,
                existing,
            } => {
                let day = date
                    .parse::<chrono::NaiveDate>()
                    .map_or_else(|_| date.clone(), |d| tr.date(d));
                Reply::private().line(tr.t(
                    Msg::StandingSkippedNotice,
                    vec![
                        ("standing", Arg::code(format!("#{standing}"))),
                        ("space", Arg::code(space)),
                        ("date", Arg::text(day)),
                        ("offer", Arg::code(format!("#{existing}"))),
                    ],
                ))
            }
            Notice::StandingAsked { offer, request } => Reply::private().line(tr.t(
                Msg::StandingAskedNotice,
                with(
                    offer_args(tr, offer),
                    vec![
                        ("standing", Arg::Spans(standing(tr, request))),
                        ("cancel", Arg::code(format!("/cancel {}", offer.id))),
                    ],
                ),
            )),
            Notice::Reminder { offer, request, which } => reminder(tr, offer, request, *which),
            Notice::Released { offer, request } => {
                let time = match &request.claim {
                    Some(ClaimFacts::Released { time }) => time.clone(),
                    _ => String::new(),
                };
                let again = format!("/request {}", offer.id);
                let mut reply = Reply::private().line(tr.t(
                    Msg::ReleasedNotice,
                    with(
                        offer_args(tr, offer),
                        vec![("time", Arg::text(time)), ("request", Arg::code(&again))],
                    ),
                ));
                reply.buttons.push(Button::new(tr.word(Msg::RequestAgainButton), again));
                reply
            }
            Notice::Decided { offer, request } => {
                let msg = match request.state() {
                    Some(RequestState::Confirmed) => Msg::ApprovedNotice,
                    Some(RequestState::Waitlisted) => Msg::ApprovedWaitlistNotice,
                    _ => Msg::DeclinedNotice,
                };
                Reply::private().line(tr.t(
                    msg,
                    with(
                        offer_args(tr, offer),
                        vec![
                            ("position", Arg::count(request.position.unwrap_or(1))),
                            ("standing", Arg::Spans(standing(tr, request))),
                        ],
                    ),
                ))
            }
            Notice::Withdrawn { offer, why } => {
                let msg = match why {
                    WhyWithdrawn::Host => Msg::WithdrawnNotice,
                    WhyWithdrawn::SpaceRemoved => Msg::WithdrawnSpaceRemovedNotice,
                };
                Reply::private().line(tr.t(msg, offer_args(tr, offer)))
            }
        }
    }
}

/// A reminder of a seat, with what its holder can answer: coming, here
/// (a check-in at its space), or giving it back.
fn reminder(tr: Tr, offer: &OfferFacts, request: &RequestFacts, kind: crate::rules::reminders::Reminder) -> Reply {
    use crate::rules::reminders::Reminder;
    let by = match &request.claim {
        Some(ClaimFacts::By { time }) => Some(time.clone()),
        _ => None,
    };
    let msg = match (kind, &by) {
        (Reminder::Eve, Some(_)) => Msg::ReminderEve,
        (Reminder::Eve, None) => Msg::ReminderEveNoRelease,
        (Reminder::Late, _) => Msg::ReminderLate,
    };
    let mut reply = Reply::private().line(tr.t(
        msg,
        with(offer_args(tr, offer), vec![("time", Arg::text(by.unwrap_or_default()))]),
    ));
    for (label, command) in [
        (Msg::ComingButton, "/coming"),
        (Msg::ArrivedButton, "/imhere"),
        (Msg::GiveBackButton, "/cancel"),
    ] {
        reply
            .buttons
            .push(Button::new(tr.word(label), format!("{command} {}", offer.id)));
    }
    reply
}

/// An offer's announcement, as it stands: a living message, edited as
/// seats go ([`OfferFacts::shows`] says when), struck when it no longer
/// holds. Where the platform has cards (Discord), the facts go in one and
/// the text is the headline alone.
fn announcement(
    tr: Tr,
    platform: crate::domain::Platform,
    offer: &OfferFacts,
    host: &MemberCard,
    note: &str,
    answers: Option<String>,
) -> Reply {
    let mut headline = tr.t(
        Msg::Announcement,
        with(offer_args(tr, offer), vec![("host", Arg::Member(host.clone()))]),
    );
    if offer.status != OfferStatus::Open {
        headline = struck(headline);
    }
    let command = format!("/request {}", offer.id);
    let typed = if platform.has_typed_options() {
        format!("/request offer:{}", offer.id)
    } else {
        command.clone()
    };
    let typed_arg = || vec![("command", Arg::code(typed.clone()))];
    // How it stands (a line of text, or the card's field), and its button.
    let changed = offer.left < offer.seats || offer.status != OfferStatus::Open;
    let (standing, status_field, button) = match (offer.status, offer.left) {
        (OfferStatus::Withdrawn, _) => (
            Some(tr.t(Msg::AnnouncementWithdrawn, vec![])),
            tr.t(Msg::CardWithdrawn, vec![]),
            None,
        ),
        (OfferStatus::Over, _) => (
            Some(tr.t(Msg::AnnouncementOver, vec![])),
            tr.t(Msg::CardOver, vec![]),
            Some(Button::new(tr.word(Msg::OverButton), command.clone()).disabled()),
        ),
        (OfferStatus::Open, 0) => (
            Some(tr.t(Msg::AnnouncementFull, typed_arg())),
            tr.t(Msg::CardFull, vec![]),
            Some(Button::new(tr.word(Msg::FullButton), command.clone()).disabled()),
        ),
        (OfferStatus::Open, left) => (
            changed.then(|| tr.t(Msg::AnnouncementLeft, offer_args(tr, offer))),
            tr.t(
                Msg::CardLeftOf,
                vec![("left", Arg::count(left)), ("seats", Arg::count(offer.seats))],
            ),
            Some(Button::new(tr.word(Msg::RequestButton), command.clone())),
        ),
    };
    let mut reply = Reply::to_chat().line(headline);
    if platform.has_cards() {
        let field = |name: Msg, value: Vec<Span>| crate::reply::CardField {
            name: tr.word(name).to_string(),
            value,
        };
        let tone = match (offer.status, offer.left) {
            (OfferStatus::Open, 0) => Tone::Full,
            (OfferStatus::Open, _) => Tone::Open,
            _ => Tone::Closed,
        };
        reply.card = Some(Box::new(crate::reply::Card {
            title: offer.space.clone(),
            description: if note.is_empty() {
                Vec::new()
            } else {
                vec![Span::Text(note.to_string())]
            },
            fields: vec![
                field(Msg::CardWhen, vec![Span::Text(when(tr, offer))]),
                field(Msg::CardSeatsLeft, status_field),
                field(Msg::CardHost, vec![Span::Name(host.clone())]),
            ],
            footer: (tone != Tone::Closed)
                .then(|| tr.text(Msg::AnnouncementTyped, vec![("command", Arg::text(&typed))])),
            tone,
        }));
    } else {
        if !note.is_empty() {
            reply.push_line(vec![Span::Text(note.to_string())]);
        }
        if let Some(standing) = standing {
            reply.push_line(standing);
        }
        if offer.status == OfferStatus::Open && offer.left > 0 {
            reply.push_line(tr.t(Msg::AnnouncementHow, typed_arg()));
        }
    }
    reply.buttons.extend(button);
    reply.in_reply_to = answers;
    reply
}

/// The spans struck through where they are text (a code span stays as it
/// is: Telegram strikes no code).
fn struck(spans: Vec<Span>) -> Vec<Span> {
    spans
        .into_iter()
        .map(|span| match span {
            Span::Text(t) | Span::Strong(t) => Span::Struck(t),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MemberId, Platform};
    use crate::i18n::Locale;
    use crate::reply::Handle;

    fn offer() -> OfferFacts {
        OfferFacts {
            id: 3,
            space: "cafe-noord".into(),
            date: "2026-11-25".into(),
            window: Some("09:00–17:00".into()),
            seats: 2,
            left: 1,
            status: OfferStatus::Open,
        }
    }

    fn ann() -> MemberCard {
        MemberCard {
            id: MemberId(1),
            display_name: "Ann".into(),
            handles: vec![Handle {
                platform: Platform::Console,
                user_id: "ann".into(),
                username: Some("ann".into()),
            }],
        }
    }

    fn pending(id: i64) -> RequestFacts {
        RequestFacts {
            id,
            number: 2,
            state: "pending".into(),
            position: None,
            reason: None,
            claim: None,
        }
    }

    #[test]
    fn a_notice_survives_the_outbox_and_renders_in_each_language() {
        let notice = Notice::NewRequest {
            offer: offer(),
            request: pending(7),
            requester: ann(),
            requester_offers: "rust".into(),
        };
        let stored = serde_json::to_string(&Body::from(notice)).unwrap();
        let body: Body = serde_json::from_str(&stored).unwrap();
        let english = body.render(Locale::En);
        assert_eq!(english.audience, crate::Audience::Private);
        assert_eq!(
            english.plain_text(Platform::Console),
            "🙋 @ann asked for a seat at cafe-noord on Wed 25 Nov, 09:00–17:00 (offer #3): waiting for your approval; 1 of 2 left.\n\
             @ann can help with rust.\n \u{2014} /approve 3 2 or /decline 3 2"
        );
        assert_eq!(english.buttons.len(), 2);
        let dutch = body.render(Locale::Nl).plain_text(Platform::Console);
        assert!(
            dutch.starts_with("🙋 @ann vraagt een plek bij cafe-noord op wo 25 nov"),
            "{dutch}"
        );
    }

    #[test]
    fn a_reminder_survives_the_outbox_with_its_buttons_in_each_language() {
        let request = RequestFacts {
            state: "confirmed".into(),
            claim: Some(ClaimFacts::By { time: "10:00".into() }),
            ..pending(7)
        };
        let notice = Notice::Reminder {
            offer: offer(),
            request,
            which: crate::rules::reminders::Reminder::Late,
        };
        let stored = serde_json::to_string(&Body::from(notice)).unwrap();
        let body: Body = serde_json::from_str(&stored).unwrap();
        let english = body.render(Locale::En);
        assert_eq!(english.audience, crate::Audience::Private);
        assert_eq!(
            english.plain_text(Platform::Console),
            "⏰ Your seat at cafe-noord, Wed 25 Nov, 09:00–17:00 (offer #3) is not claimed yet: check in by 10:00, or it goes to the next in line."
        );
        let labels: Vec<(&str, &str)> = english
            .buttons
            .iter()
            .map(|b| (b.label.as_str(), b.command.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("I'm coming", "/coming 3"),
                ("I'm here", "/imhere 3"),
                ("Give my seat back", "/cancel 3")
            ]
        );
        let dutch = body.render(Locale::Nl);
        assert!(
            dutch
                .plain_text(Platform::Console)
                .starts_with("⏰ Je plek bij cafe-noord, wo 25 nov, 09:00–17:00 (aanbod #3) is nog niet geclaimd: check in vóór 10:00"),
            "{}",
            dutch.plain_text(Platform::Console)
        );
        let dutch_labels: Vec<&str> = dutch.buttons.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(dutch_labels, ["Ik kom", "Ik ben er", "Geef mijn plek terug"]);
    }

    #[test]
    fn a_stored_reply_reads_back_as_a_reply() {
        let reply = Reply::to_chat().line(vec![Span::Text("hello".into())]);
        let stored = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Body>(&stored).unwrap(), Body::Reply(reply));
    }
}
