//! Message templates per locale. Every text the core shows is a [`Msg`] key with
//! a template per locale; placeholders (`{space}`) are filled with spans, so a
//! mention stays a mention whatever the language. A new locale adds one column to
//! the table below and the compiler points at every message it still lacks.

use std::fmt::Display;

use crate::domain::ArgError;
use crate::reply::{MemberCard, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
}

/// Which form a noun takes after a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralForm {
    One,
    Other,
}

impl Locale {
    /// The plural rule of the language (CLDR's one/other for English and Dutch).
    pub fn plural(self, n: u64) -> PluralForm {
        match self {
            Locale::En if n == 1 => PluralForm::One,
            Locale::En => PluralForm::Other,
        }
    }

    pub fn parse(code: &str) -> Result<Self, ArgError> {
        match code.trim().to_lowercase().as_str() {
            "en" | "en-gb" | "en-us" => Ok(Locale::En),
            other => Err(ArgError::new(format!("'{other}' is not a language Seatmate speaks yet.")).hint("Use en.")),
        }
    }
}

macro_rules! messages {
    ($($key:ident => $en:literal,)*) => {
        /// Every message the core can show.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// Every message, for tests that check them all.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            pub fn template(self, locale: Locale) -> &'static str {
                match locale {
                    Locale::En => match self { $(Msg::$key => $en,)* },
                }
            }
        }
    };
}

messages! {
    Welcome => "Seatmate helps this community share free seats and meet each other. Say what you can help with (/profile offers …), check in when you are at a space (/checkin), and see who else is here (/here).",
    WelcomeUnbound => "This chat is not set up yet. An admin starts a community with {example}.",
    HelpIntro => "Commands (type /help <command> for one):",
    HelpItem => "{usage} — {summary}",
    HelpUsage => "Usage: {usage}",
    HelpExample => "Example: {example}",
    HelpAdminOnly => "Only admins of the community can use this.",
    HelpUnknown => "There is no /{name} command.",
    UnknownCommand => "I don't know /{name}.",
    DidYouMean => "Did you mean {suggestion}?",
    SeeHelp => "Type /help to see what I can do.",
    NotACommand => "Commands start with a slash, e.g. /help.",
    BadArgsUsage => "Usage: {usage} — e.g. {example}",
    NotBound => "This chat is not set up as a community yet. An admin can run {example}.",
    NotBoundPrivate => "Which community? Send this command in your community's group chat.",
    NotAdmin => "Only admins of {community} can use {command}.",
    AdminCheckFailed => "I could not ask the platform whether you administer this chat. Please try again in a moment.",
    NotChatAdmin => "Only admins of this chat can set it up.",
    SetupInPrivate => "Run /setup in the group chat you want the community in, not in a private chat.",
    AlreadyBound => "This chat already belongs to {community}.",
    SetupDone => "Welcome to Seatmate, {community}! Time zone: {zone}. Next: add a space with {example}.",
    SetupAdmin => "{who} is the community's first admin.",
    SpaceAdded => "Added space {space} ({zone}{details}).",
    SpaceCapacity => ", {n} {n:seat|seats}",
    SpaceApproval => ", seat requests need a host's approval",
    SpaceOpen => ", requesters must share what they can help with",
    SpaceExists => "There is already a space called {space}.",
    SpaceRemoved => "Removed space {space}.",
    SpacesTitle => "Spaces of {community}:",
    SpaceLine => "{space} — {zone}{details}",
    SpaceHosts => "; hosts: ",
    NoSpaces => "{community} has no spaces yet. An admin adds one with {example}.",
    UnknownSpace => "There is no space called {space}.",
    KnownSpaces => "Spaces: {spaces}.",
    WhichSpace => "Where are you? This community has several spaces: {spaces}.",
    WhichSpaceExample => "For example: {example}",
    NoteInQuotes => "If '{word}' starts your note, put the note in quotes: {example}",
    NoSpaceToCheckIn => "This community has no spaces yet, so you can only check in remotely: {example}.",
    UnknownMember => "I don't know {who} in this community yet: they need to send me a command here first (for example /profile).",
    SeveralMembers => "{who} could mean several members:",
    SeveralMembersHint => "Write their username exactly as it is written (capitals count), or mention them.",
    HostAdded => "{who} now hosts {space}.",
    HostAlready => "{who} already hosts {space}.",
    HostRemoved => "{who} no longer hosts {space}.",
    HostNotHost => "{who} does not host {space}.",
    ProfileTitle => "Your profile:",
    ProfileOffers => "Can help with: {tags}",
    ProfileWants => "Looking for: {tags}",
    ProfileAbout => "About: {text}",
    ProfileNothing => "(nothing yet)",
    ProfileHint => "Set it with {example}: people who can help each other get introduced.",
    ProfileSaved => "Saved.",
    CheckedIn => "✅ {who} checked in at {place}{until}.",
    CheckedInAgain => "✅ {who} updated today's check-in: {place}{until}.",
    UntilSuffix => " until {time}",
    PlaceRemote => "remote",
    UntilPassed => "{time} has already passed at {place} (it is {now} there).",
    UntilPassedHint => "Give a later time, e.g. /checkin until {example}.",
    MeetTitle => "Say hello to:",
    MeetLine => "{who} — {reasons}",
    QuietToday => "It is quiet at {place} today: you are the first. I'll point people your way.",
    ReasonTheyHelp => "can help you with {tags}",
    ReasonYouHelp => "you can help with {tags}",
    ReasonShared => "you have {tags} in common",
    ReasonNone => "also here today",
    ReasonNewFace => "someone new to meet",
    ReasonSeparator => "; ",
    CheckedOut => "👋 {who} checked out. See you next time!",
    NotCheckedIn => "You are not checked in right now.",
    HereTitle => "Here now at {place}:",
    HereLine => "{who}{until}{note}{offers}",
    HereNote => " — {note}",
    HereOffers => " (can help with {tags})",
    HereNobody => "Nobody is checked in at {place} right now.",
    HereNobodyAnywhere => "Nobody is checked in right now. Be the first: /checkin",
    AllDay => "all day",
    Announcement => "🪑 {host} offers {seats} free {seats:seat|seats} at {space} on {when} (offer {offer}).",
    AnnouncementHow => "Want one? Type {command}.",
    RequestButton => "Request a seat",
    OfferPosted => "Posted offer {offer}: {seats} {seats:seat|seats} at {space} on {when}. Announced in {chats} {chats:chat|chats}.",
    OfferOverlaps => "There is already offer {offer} at {space} on {when}, which overlaps.",
    OfferOverlapsHint => "Change its window, or withdraw it first with /withdraw {offer}.",
    OverCapacity => "{space} has {capacity} {capacity:seat|seats}, so an offer there can have at most {capacity}, not {seats}.",
    NotHost => "Only hosts of {space} (or admins) can do that.",
    DateInPast => "{date} is in the past (today is {today} there).",
    DateTooFar => "{date} is more than {days} {days:day|days} ahead; the last day you can offer now is {last}.",
    OfferExample => "Hosts offer seats like this: /offer cafe-noord 4 tomorrow 9-17 quiet room",
    WindowOver => "That window is already over today (it is {now} there).",
    OpenOffersTitle => "Open seats{scope}:",
    NoOpenOffers => "No open seat offers{scope} right now.",
    OfferLine => "{offer} {space} — {when}: {left} of {seats} {seats:seat|seats} left",
    MoreOffers => "…and {n} more.",
    RequestHint => "Ask for one with {example}.",
    NoSuchOffer => "There is no offer {offer} in this community.",
    NoSuchRequest => "There is no request {request} in this community.",
    SeeSeats => "/seats shows the open offers.",
    SeeMySeats => "/myseats shows your requests.",
    NoOfferAt => "There is no open offer at {space}{on}.",
    SeveralOffers => "{space} has several offers then: {choices}. Pick one by number, e.g. {example}.",
    OfferEnded => "Offer {offer} at {space} ({when}) is over.",
    OfferWithdrawn => "Offer {offer} at {space} ({when}) was withdrawn.",
    OpenProfileRequired => "{space} shares its seats with people who share what they can help with, and your profile does not say yet.",
    OpenProfileHint => "Add it with {example}, then ask again.",
    RequestConfirmed => "✅ You have a seat at {space} on {when} (request {request}). {cancel} gives it back.",
    RequestWaitlisted => "⏳ Offer {offer} is full: you are number {position} on the waitlist (request {request}). I'll tell you when a seat frees up.",
    RequestPending => "📨 Asked the host of {space} for a seat on {when} (request {request}); I'll tell you when they decide.",
    AlreadyRequested => "You already asked for offer {offer} at {space} on {when} (request {request}): {standing}.",
    HostNewRequest => "🙋 {who} asked for a seat at {space} on {when} (offer {offer}): {standing}; {left} of {seats} left.",
    RequesterOffers => "{who} {offers}.",
    CanHelpWith => "can help with {tags}",
    NoOffersInProfile => "has not said yet what they can help with",
    ApproveHint => " — {approve} or {decline}",
    ApproveButton => "Approve",
    DeclineButton => "Decline",
    StandingConfirmed => "you have a seat",
    StandingWaitlisted => "number {position} on the waitlist",
    StandingPending => "waiting for the host's approval",
    StandingCancelled => "cancelled",
    StandingDeclined => "declined",
    StandingDeclinedBecause => "declined ({reason})",
    StandingWithdrawn => "the offer was withdrawn",
    HostStandingConfirmed => "has a seat",
    HostStandingPending => "waiting for your approval",
    NothingToCancel => "You have no seat or waitlist place at {space} to cancel.",
    SeveralRequests => "You have several requests there: {choices}. Cancel one by number, e.g. {example}.",
    NotYourRequest => "Request {request} is not yours.",
    CannotCancel => "Request {request} cannot be cancelled: {standing}.",
    Cancelled => "Cancelled request {request}: your place at {space} on {when} is free again.",
    HostCancelled => "{who} cancelled at {space} on {when} (offer {offer}): {left} of {seats} left.",
    HostPromoted => "{who} moved up from the waitlist and has the seat.",
    Promoted => "🎉 A seat freed up: you now have a seat at {space} on {when} (request {request}). {cancel} gives it back.",
    MySeatsTitle => "Your seats:",
    MySeatLine => "{request} {space} — {when}: {standing}",
    NoSeatsYet => "You have no upcoming seats.",
    NoHostOffers => "You have no open offers.",
    NoRequestsYet => "no requests yet",
    HostRequestLine => "{who} ({request}): {standing}; {offers}",
    WithdrawnNotice => "😕 Offer {offer} at {space} on {when} was withdrawn by its host, so your request ends. /seats shows other offers.",
    OfferWithdrawnDone => "Withdrew offer {offer} at {space} on {when}; told {n} {n:person|people}.",
    NotPending => "Request {request} is not waiting for approval: {standing}.",
    ApprovedNotice => "✅ Your request {request} was approved: you have a seat at {space} on {when}.",
    ApprovedWaitlistNotice => "Your request {request} for {space} on {when} was approved, but the offer is full: you are number {position} on the waitlist.",
    DeclinedNotice => "Your request {request} for {space} on {when} was {standing}.",
    DecisionDone => "Request {request} of {who} at {space} on {when}: {standing}.",
    PairingStatusIn => "You are in the daily introductions. Next round: {when}.",
    PairingStatusOut => "You are not in the daily introductions; join with /pairing on.",
    PairingStatusPaused => "Your introductions are paused until {date}; /pairing on resumes them now.",
    PairingOn => "You're in! Next round: {when}.",
    PairingOff => "You're out of the daily introductions. /pairing on brings you back.",
    PairingPaused => "Paused until {date}: you're back in the round that day. /pairing on resumes now.",
    PairingProfileHint => "Tip: say what you can help with ({example}) so your matches fit.",
    MatchIntro => "🤝 Your introduction today:",
    MatchLine => "{who} — {reasons}{where}",
    MatchWhere => " (at {space} today)",
    MatchHow => "Say hello, and tell me with /met once you have met.",
    NobodyElse => "Nobody else is in today's round, so there is no introduction for you today.",
    RoundSummary => "🤝 Today's introductions are out: {groups}, {people} {people:person|people}. /match shows yours.",
    GroupsPairs => "{pairs} {pairs:pair|pairs}",
    GroupsWithTrio => "{pairs} {pairs:pair|pairs} and a group of three",
    NoRoundYet => "Today's round has not run; the next is {when}.",
    NotInRound => "You are not in today's round.",
    MetNoted => "Noted: glad you met {who}!",
    MetAlready => "Already noted that you met {who}.",
    MetNothing => "You have no introduction to report yet. /match shows today's.",
    SettingsTitle => "Settings of {community}:",
    SettingsPairing => "Pairing at {time} ({zone}) on {days}; pairs are not repeated within {weeks} {weeks:week|weeks}",
    SettingsNext => "Next round: {when}",
    SettingsStats => "Rounds so far: {rounds}; introductions reported as met: {met} of {placed}",
    SettingsSaved => "Saved.",
    PairNowDone => "Paired {people} {people:person|people} today: {groups}. Everyone has been told.",
    PairNowAlready => "Today's round already ran. /match shows yours.",
    PairNowOnlyOne => "Only one member is in today's round, and an introduction takes two. The day stays open: run /pairnow again once someone else joins with /pairing on.",
    PairNowNobody => "Nobody is in today's round yet: members join with /pairing on.",
    InboxIsPrivate => "Your inbox is private: open a private chat with me and type /inbox there.",
    InboxEmpty => "Nothing is waiting for you.",
    InboxTitle => "{n} {n:message|messages} I could not deliver to you before:",
    PrivateNudge => "{who}, I have a private message for you. Open a private chat with me to read it.",
    OpenPrivateChat => "Open private chat",
    InternalError => "Sorry, something went wrong on my side (reference {reference}). Please try again in a moment.",
}

/// A value for a placeholder.
pub enum Arg {
    /// A number that nouns agree with: `{n} {n:seat|seats}`.
    Count(u64),
    Text(String),
    Strong(String),
    Code(String),
    Member(MemberCard),
    Spans(Vec<Span>),
}

impl Arg {
    pub fn count(n: impl TryInto<u64>) -> Arg {
        Arg::Count(n.try_into().unwrap_or(u64::MAX))
    }

    pub fn text(value: impl Display) -> Arg {
        Arg::Text(value.to_string())
    }
    pub fn strong(value: impl Display) -> Arg {
        Arg::Strong(value.to_string())
    }
    pub fn code(value: impl Display) -> Arg {
        Arg::Code(value.to_string())
    }
}

/// Renders `msg` in `locale` with `args` filling its `{placeholders}`. A
/// placeholder `{name:one|other}` is the form of a noun for the count `name`,
/// chosen by the locale's plural rule.
pub fn spans(locale: Locale, msg: Msg, args: Vec<(&str, Arg)>) -> Vec<Span> {
    let mut args: Vec<(&str, Option<Arg>)> = args.into_iter().map(|(k, v)| (k, Some(v))).collect();
    let mut out = Vec::new();
    let mut rest = msg.template(locale);
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        push_text(&mut out, &rest[..open]);
        let placeholder = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some((name, forms)) = placeholder.split_once(':') {
            let count = args.iter().find_map(|(k, v)| match v {
                Some(Arg::Count(n)) if *k == name => Some(*n),
                _ => None,
            });
            let (one, other) = forms.split_once('|').unwrap_or((forms, forms));
            let form = match count.map(|n| locale.plural(n)) {
                Some(PluralForm::One) => one,
                Some(PluralForm::Other) => other,
                None => {
                    tracing::warn!(?msg, placeholder = name, "plural form without a count");
                    other
                }
            };
            push_text(&mut out, form);
            continue;
        }
        let name = placeholder;
        let value = args.iter_mut().find(|(k, _)| *k == name).and_then(|(_, v)| match v {
            // A count may be shown and agreed with more than once.
            Some(Arg::Count(n)) => Some(Arg::Count(*n)),
            other => other.take(),
        });
        match value {
            Some(Arg::Count(n)) => push_text(&mut out, &n.to_string()),
            Some(Arg::Text(t)) => push_text(&mut out, &t),
            Some(Arg::Strong(t)) => out.push(Span::Strong(t)),
            Some(Arg::Code(t)) => out.push(Span::Code(t)),
            Some(Arg::Member(card)) => out.push(Span::Mention(card)),
            Some(Arg::Spans(spans)) => spans.into_iter().for_each(|s| match s {
                Span::Text(t) => push_text(&mut out, &t),
                other => out.push(other),
            }),
            None => {
                tracing::warn!(?msg, placeholder = name, "template placeholder without a value");
                push_text(&mut out, &format!("{{{name}}}"));
            }
        }
    }
    push_text(&mut out, rest);
    out
}

fn push_text(out: &mut Vec<Span>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Span::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Span::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_spans_and_text_merges() {
        let got = spans(
            Locale::En,
            Msg::SpaceAdded,
            vec![
                ("space", Arg::code("cafe-noord")),
                ("zone", Arg::text("UTC")),
                ("details", Arg::text(", 12 seats")),
            ],
        );
        assert_eq!(
            got,
            vec![
                Span::Text("Added space ".into()),
                Span::Code("cafe-noord".into()),
                Span::Text(" (UTC, 12 seats).".into())
            ]
        );
    }

    /// Spans as the reader sees them, without styles.
    fn plain(spans: Vec<Span>) -> String {
        spans
            .into_iter()
            .map(|s| match s {
                Span::Text(t) | Span::Strong(t) | Span::Code(t) => t,
                Span::Mention(card) => card.display_name,
            })
            .collect()
    }

    /// The placeholders of a template, without plural forms.
    fn placeholders(template: &str) -> Vec<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(p, _)| p.split(':').next().unwrap_or(p)))
            .collect()
    }

    #[test]
    fn every_template_agrees_with_counts_of_0_1_and_2() {
        const SINGULARS: &[&str] = &[
            "seat", "person", "pair", "chat", "day", "week", "member", "request", "offer",
        ];
        const PLURALS: &[&str] = &[
            "seats",
            "people",
            "pairs",
            "chats",
            "days",
            "weeks",
            "members",
            "requests",
            "rounds",
            "spaces",
            "groups",
            "introductions",
            "times",
        ];
        for &msg in Msg::ALL {
            for n in [0u64, 1, 2] {
                // Every placeholder a count, so any noun after any of them shows.
                let args = placeholders(msg.template(Locale::En))
                    .into_iter()
                    .map(|name| (name, Arg::Count(n)))
                    .collect();
                let text = plain(spans(Locale::En, msg, args));
                assert!(!text.contains("(s)"), "{msg:?}: {text}");
                // A count directly followed by a noun: "1 seats", not "1: people".
                let words: Vec<&str> = text.split_whitespace().collect();
                for pair in words.windows(2) {
                    let (count, noun) = (pair[0], pair[1].trim_end_matches(|c: char| !c.is_alphanumeric()));
                    if count != n.to_string() {
                        continue;
                    }
                    if n == 1 {
                        assert!(!PLURALS.contains(&noun), "{msg:?} with 1: '{count} {noun}' in: {text}");
                    } else {
                        assert!(
                            !SINGULARS.contains(&noun),
                            "{msg:?} with {n}: '{count} {noun}' in: {text}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn plural_forms_follow_the_count() {
        let render = |n: u64| {
            plain(spans(
                Locale::En,
                Msg::OfferWithdrawnDone,
                vec![
                    ("offer", Arg::code("#1")),
                    ("space", Arg::code("loft")),
                    ("when", Arg::text("today")),
                    ("n", Arg::count(n)),
                ],
            ))
        };
        assert!(render(1).ends_with("told 1 person."), "{}", render(1));
        assert!(render(3).ends_with("told 3 people."), "{}", render(3));
    }
}
