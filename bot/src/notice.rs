//! What a seat change tells people afterwards, kept as data. A change writes
//! its notices in the same transaction (so none is lost or sent for a change
//! that did not happen), but nothing is rendered there: the delivery loop
//! renders each notice when it sends it, in the community's language then.
//! The same views render the immediate replies about offers and requests.

use serde::{Deserialize, Serialize};

use crate::i18n::{Arg, Locale, Msg, Tr};
use crate::reply::{Button, MemberCard, Reply, Span, Tone};
use crate::store::{Offer, RequestState, SeatRequest};

/// An offer as its notices show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferFacts {
    pub id: i64,
    pub space: String,
    /// The space's local date, `YYYY-MM-DD`.
    pub date: String,
    /// `09:00–17:00`; `None` for the whole day.
    pub window: Option<String>,
    pub seats: u32,
    pub left: u32,
    /// Open, over or withdrawn: what a living announcement shows (open
    /// in notices written before announcements lived).
    #[serde(default, skip_serializing_if = "OfferStatus::is_open")]
    pub status: OfferStatus,
}

/// Where an offer stands, as its announcement shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    #[default]
    Open,
    Over,
    Withdrawn,
}

impl OfferStatus {
    fn is_open(&self) -> bool {
        *self == OfferStatus::Open
    }

    /// As the store compares it (see [`OfferFacts::shows`]).
    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Open => "open",
            OfferStatus::Over => "over",
            OfferStatus::Withdrawn => "withdrawn",
        }
    }
}

impl OfferFacts {
    pub fn of(offer: &Offer) -> Self {
        OfferFacts {
            id: offer.id.0,
            space: offer.space_slug.to_string(),
            date: offer.local_date.to_string(),
            window: offer.window.map(|w| w.to_string()),
            seats: offer.seats,
            left: offer.seats_left(),
            status: if offer.withdrawn {
                OfferStatus::Withdrawn
            } else {
                OfferStatus::Open
            },
        }
    }

    /// As the offer stands at `now`: over once it has ended.
    pub fn at(offer: &Offer, now: chrono::DateTime<chrono::Utc>) -> Self {
        let mut facts = OfferFacts::of(offer);
        if facts.status == OfferStatus::Open && offer.ends_at <= now {
            facts.status = OfferStatus::Over;
        }
        facts
    }

    /// What an announcement of these facts shows, as one comparable
    /// value: `3/open`. The store computes the same from an offer's row
    /// (`LIVING_ANNOUNCEMENTS`) to find the announcements to edit; keep both
    /// in step.
    pub fn shows(&self) -> String {
        format!("{}/{}", self.left, self.status.as_str())
    }

    /// What an announcement shows as it is first written: every seat free.
    pub fn shows_at_first(seats: u32) -> String {
        format!("{seats}/open")
    }
}

/// A request as its notices show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFacts {
    pub id: i64,
    /// Its number on the offer, as hosts name it (0 in notices written
    /// before requests had numbers).
    #[serde(default)]
    pub number: u32,
    /// [`RequestState::as_str`].
    pub state: String,
    pub position: Option<u32>,
    pub reason: Option<String>,
}

impl RequestFacts {
    pub fn of(request: &SeatRequest) -> Self {
        RequestFacts {
            id: request.id.0,
            number: request.number,
            state: request.state.as_str().to_string(),
            position: request.position,
            reason: request.reason.clone(),
        }
    }

    fn state(&self) -> Option<RequestState> {
        RequestState::parse(&self.state)
    }
}

/// "Wed 25 Nov, 09:00–17:00" or "wo 25 nov, hele dag".
pub fn when(tr: Tr, offer: &OfferFacts) -> String {
    let day = offer
        .date
        .parse::<chrono::NaiveDate>()
        .map_or_else(|_| offer.date.clone(), |d| tr.date(d));
    let hours = offer.window.clone().unwrap_or_else(|| tr.word(Msg::AllDay).to_string());
    format!("{day}, {hours}")
}

/// The placeholders every offer message has: offer, space, when, left, seats.
pub fn offer_args(tr: Tr, offer: &OfferFacts) -> Vec<(&'static str, Arg)> {
    vec![
        ("offer", Arg::code(format!("#{}", offer.id))),
        ("space", Arg::code(&offer.space)),
        ("when", Arg::text(when(tr, offer))),
        ("left", Arg::count(offer.left)),
        ("seats", Arg::count(offer.seats)),
    ]
}

/// `args` and `more`.
pub fn with(mut args: Vec<(&'static str, Arg)>, more: Vec<(&'static str, Arg)>) -> Vec<(&'static str, Arg)> {
    args.extend(more);
    args
}

/// Where a request stands, in a few words, as its requester reads it.
pub fn standing(tr: Tr, request: &RequestFacts) -> Vec<Span> {
    match request.state() {
        Some(RequestState::Confirmed) => tr.t(Msg::StandingConfirmed, vec![]),
        Some(RequestState::Waitlisted) => tr.t(
            Msg::StandingWaitlisted,
            vec![("position", Arg::count(request.position.unwrap_or(1)))],
        ),
        Some(RequestState::Pending) => tr.t(Msg::StandingPending, vec![]),
        Some(RequestState::Cancelled) => tr.t(Msg::StandingCancelled, vec![]),
        Some(RequestState::Declined) => match &request.reason {
            Some(reason) if !reason.is_empty() => {
                tr.t(Msg::StandingDeclinedBecause, vec![("reason", Arg::text(reason))])
            }
            _ => tr.t(Msg::StandingDeclined, vec![]),
        },
        Some(RequestState::Withdrawn) | None => tr.t(Msg::StandingWithdrawn, vec![]),
    }
}

/// Where a request stands, as its host reads it.
pub fn standing_for_host(tr: Tr, request: &RequestFacts) -> Vec<Span> {
    match request.state() {
        Some(RequestState::Confirmed) => tr.t(Msg::HostStandingConfirmed, vec![]),
        Some(RequestState::Pending) => tr.t(Msg::HostStandingPending, vec![]),
        _ => standing(tr, request),
    }
}

/// How a host names request `number` of offer `offer`: `7 2`.
pub fn request_ref(offer: i64, number: u32) -> String {
    format!("{offer} {number}")
}

/// " — /approve 7 2 or /decline 7 2", for a request waiting for its host.
pub fn approve_hint(tr: Tr, offer: i64, number: u32) -> Vec<Span> {
    let reference = request_ref(offer, number);
    tr.t(
        Msg::ApproveHint,
        vec![
            ("approve", Arg::code(format!("/approve {reference}"))),
            ("decline", Arg::code(format!("/decline {reference}"))),
        ],
    )
}

/// "can help with rust, design", or that they have not said.
pub fn helps_with(tr: Tr, offers: &str) -> Arg {
    if offers.is_empty() {
        Arg::text(tr.word(Msg::NoOffersInProfile))
    } else {
        Arg::Spans(tr.t(Msg::CanHelpWith, vec![("tags", Arg::text(offers))]))
    }
}

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
            Notice::Promoted { offer, .. } => Reply::private().line(tr.t(
                Msg::Promoted,
                with(
                    offer_args(tr, offer),
                    vec![("cancel", Arg::code(format!("/cancel {}", offer.id)))],
                ),
            )),
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

/// What an outbox message holds: a reply rendered already (introductions,
/// summaries and nudges are rendered before their transaction), or a notice
/// rendered when it is sent. Stored as JSON; a plain reply is stored as it
/// always was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Body {
    Notice {
        notice: Box<Notice>,
    },
    /// Not a message: the buttons of the message the platform knows as
    /// `clear_buttons_of` (sent to the same recipient) are taken away, as
    /// what they acted on is settled.
    ClearButtons {
        clear_buttons_of: String,
    },
    /// Not a new message: the message the platform knows as `edit_of`
    /// (sent to the same recipient) is made to read as `edit` now (a
    /// living announcement as seats go).
    Edit {
        edit_of: String,
        edit: Box<Body>,
    },
    /// Notices to a host that ask nothing of them, sent within a minute of
    /// each other: one message (see [`Body::is_host_update`]).
    HostDigest {
        host_digest: Vec<Body>,
    },
    /// Messages held for a member, sent as one when they open their
    /// private chat: each rendered when sent, under one title.
    Digest {
        digest: Vec<Body>,
    },
    Reply(Reply),
}

impl Body {
    /// The message as `platform` takes it (see [`Notice::render_on`]).
    pub fn render_on(&self, locale: Locale, platform: crate::domain::Platform) -> Reply {
        match self {
            Body::Notice { notice } => notice.render_on(Tr(locale), platform),
            Body::Edit { edit, .. } => edit.render_on(locale, platform),
            other => other.render(locale),
        }
    }

    /// A notice to a host that asks nothing of them (a seat taken, a
    /// cancel): those that follow one within the digest window go as one
    /// [`Body::HostDigest`]. A request waiting for the host's decision is
    /// not one: it comes on its own, with its buttons, so that a press acts
    /// on that request alone and settling it clears no other's buttons.
    pub fn is_host_update(&self) -> bool {
        match self {
            Body::Notice { notice } => match &**notice {
                Notice::NewRequest { request, .. } => request.state() != Some(RequestState::Pending),
                Notice::Cancelled { .. } => true,
                _ => false,
            },
            Body::HostDigest { .. } => true,
            _ => false,
        }
    }

    /// Whether it changes a message sent before ([`Body::ClearButtons`],
    /// [`Body::Edit`]) rather than sending one: one request to the platform.
    pub fn changes_sent(&self) -> bool {
        matches!(self, Body::ClearButtons { .. } | Body::Edit { .. })
    }

    /// An announcement's host and note, where this is one.
    pub fn announced(&self) -> Option<(&MemberCard, &String)> {
        match self {
            Body::Notice { notice } => match &**notice {
                Notice::Announcement { host, note, .. } => Some((host, note)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The message to send; for [`Body::ClearButtons`], nothing (an empty reply).
    pub fn render(&self, locale: Locale) -> Reply {
        match self {
            Body::Notice { notice } => notice.render(Tr(locale)),
            Body::ClearButtons { .. } => Reply::to_chat(),
            Body::Edit { edit, .. } => edit.render(locale),
            Body::Digest { digest } => digest_of(digest, locale),
            Body::HostDigest { host_digest } => titled(
                Tr(locale).t(Msg::HostDigest, vec![("n", Arg::count(host_digest.len()))]),
                host_digest,
                locale,
            ),
            Body::Reply(reply) => reply.clone(),
        }
    }
}

/// Held messages as one: a title, then each after a rule, with every
/// button; the newest file among them (a later `/mydata` holds all an
/// earlier one did).
pub fn digest_of(bodies: &[Body], locale: Locale) -> Reply {
    if let [only] = bodies {
        return only.render(locale);
    }
    titled(
        Tr(locale).t(Msg::HeldDigest, vec![("n", Arg::count(bodies.len()))]),
        bodies,
        locale,
    )
}

/// Messages as one private message under `title`.
fn titled(title: Vec<Span>, bodies: &[Body], locale: Locale) -> Reply {
    let mut reply = Reply::private().line(title);
    append_each(&mut reply, bodies, locale);
    reply
}

/// Each message after a rule, with its buttons; the newest file among them.
pub fn append_each(reply: &mut Reply, bodies: &[Body], locale: Locale) {
    for body in bodies {
        let message = body.render(locale);
        reply.push_line(vec![Span::Text("—".into())]);
        reply.blocks.extend(message.blocks);
        reply.buttons.extend(message.buttons);
        if message.attachment.is_some() {
            reply.attachment = message.attachment;
        }
    }
}

impl From<Reply> for Body {
    fn from(reply: Reply) -> Self {
        Body::Reply(reply)
    }
}

impl From<Notice> for Body {
    fn from(notice: Notice) -> Self {
        Body::Notice {
            notice: Box::new(notice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MemberId, Platform};
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
    fn a_stored_reply_reads_back_as_a_reply() {
        let reply = Reply::to_chat().line(vec![Span::Text("hello".into())]);
        let stored = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Body>(&stored).unwrap(), Body::Reply(reply));
    }
}
