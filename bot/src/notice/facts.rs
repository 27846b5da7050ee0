//! An offer and a request as notices show them, and the views (when, how
//! many left, where a request stands) that render them in every notice and
//! in the immediate replies alike.

use serde::{Deserialize, Serialize};

use crate::i18n::{Arg, Msg, Tr};
use crate::reply::Span;
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
    pub(crate) fn is_open(&self) -> bool {
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
    /// A seat's claim, where the facts were taken with their offer
    /// ([`RequestFacts::on`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<ClaimFacts>,
}

/// Where a seat stands with its claim (see `rules::release`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "claim", rename_all = "snake_case")]
pub enum ClaimFacts {
    /// Its holder checked in (or said "I'm here").
    Claimed,
    /// Released unless claimed by `time` (the space's `HH:MM`).
    By { time: String },
    /// Released at `time`: nobody had claimed it.
    Released { time: String },
}

impl RequestFacts {
    pub fn of(request: &SeatRequest) -> Self {
        RequestFacts {
            id: request.id.0,
            number: request.number,
            state: request.state.as_str().to_string(),
            position: request.position,
            reason: request.reason.clone(),
            claim: None,
        }
    }

    /// With where its seat stands with its claim on `offer`.
    pub fn on(request: &SeatRequest, offer: &Offer) -> Self {
        let local = |at: chrono::DateTime<chrono::Utc>| {
            crate::localtime::local_time(at, offer.zone.0)
                .format("%H:%M")
                .to_string()
        };
        let claim = match request.state {
            RequestState::Confirmed if request.claimed_at.is_some() => Some(ClaimFacts::Claimed),
            RequestState::Confirmed => {
                crate::rules::release::claim_deadline(offer, request).map(|at| ClaimFacts::By { time: local(at) })
            }
            RequestState::Released => Some(ClaimFacts::Released {
                time: local(request.decided_at.unwrap_or(request.requested_at)),
            }),
            _ => None,
        };
        RequestFacts {
            claim,
            ..RequestFacts::of(request)
        }
    }

    pub(crate) fn state(&self) -> Option<RequestState> {
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
    match (request.state(), &request.claim) {
        (_, Some(ClaimFacts::Released { time })) => tr.t(Msg::StandingReleased, vec![("time", Arg::text(time))]),
        (Some(RequestState::Confirmed), Some(ClaimFacts::Claimed)) => tr.t(Msg::StandingClaimed, vec![]),
        (Some(RequestState::Confirmed), Some(ClaimFacts::By { time })) => {
            tr.t(Msg::StandingToClaim, vec![("time", Arg::text(time))])
        }
        _ => standing_of_state(tr, request),
    }
}

fn standing_of_state(tr: Tr, request: &RequestFacts) -> Vec<Span> {
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
        Some(RequestState::Released) => tr.t(Msg::StandingReleasedEarlier, vec![]),
    }
}

/// Where a request stands, as its host reads it.
pub fn standing_for_host(tr: Tr, request: &RequestFacts) -> Vec<Span> {
    match (request.state(), &request.claim) {
        (Some(RequestState::Confirmed), Some(ClaimFacts::Claimed)) => tr.t(Msg::HostStandingClaimed, vec![]),
        (Some(RequestState::Confirmed), Some(ClaimFacts::By { time })) => {
            tr.t(Msg::HostStandingToClaim, vec![("time", Arg::text(time))])
        }
        (Some(RequestState::Confirmed), _) => tr.t(Msg::HostStandingConfirmed, vec![]),
        (Some(RequestState::Pending), _) => tr.t(Msg::HostStandingPending, vec![]),
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
