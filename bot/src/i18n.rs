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
    /// Dutch: the home of Seats2meet.
    Nl,
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
            Locale::En | Locale::Nl if n == 1 => PluralForm::One,
            Locale::En | Locale::Nl => PluralForm::Other,
        }
    }

    pub fn parse(code: &str) -> Result<Self, ArgError> {
        match code.trim().to_lowercase().as_str() {
            "en" | "en-gb" | "en-us" | "english" => Ok(Locale::En),
            "nl" | "nl-nl" | "nl-be" | "dutch" | "nederlands" => Ok(Locale::Nl),
            other => Err(ArgError::new(Msg::NotALanguage)
                .with("code", other)
                .hint_msg(Msg::LanguageHint)),
        }
    }

    pub const ALL: [Locale; 2] = [Locale::En, Locale::Nl];

    /// The code people type and platforms use (`en`, `nl`).
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Nl => "nl",
        }
    }

    /// A date as people read it: "Wed 25 Nov", "wo 25 nov".
    pub fn date(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const NL_DAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
        const EN_MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const NL_MONTHS: [&str; 12] = [
            "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
        ];
        let (days, months) = match self {
            Locale::En => (EN_DAYS, EN_MONTHS),
            Locale::Nl => (NL_DAYS, NL_MONTHS),
        };
        let day = days[date.weekday().num_days_from_monday() as usize];
        let month = months[date.month0() as usize];
        format!("{day} {} {month}", date.day())
    }
}

macro_rules! messages {
    ($($key:ident => $en:literal, $nl:literal;)*) => {
        /// Every message the core can show.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// Every message, for tests that check them all.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            pub fn template(self, locale: Locale) -> &'static str {
                match locale {
                    Locale::En => match self { $(Msg::$key => $en,)* },
                    Locale::Nl => match self { $(Msg::$key => $nl,)* },
                }
            }
        }
    };
}

messages! {
    Welcome => "Seatmate helps this community share free seats and meet each other. Say what you can help with (/profile offers …), check in when you are at a space (/checkin), and see who else is here (/here).", "Seatmate helpt deze community vrije plekken te delen en elkaar te ontmoeten. Vertel waarmee je kunt helpen (/profile offers …), check in als je op een plek bent (/checkin) en zie wie er nog meer is (/here).";
    WelcomeUnbound => "This chat is not set up yet. An admin starts a community with {example}.", "Deze chat is nog niet ingesteld. Een beheerder start een community met {example}.";
    HelpIntro => "Commands (type /help <command> for one):", "Commando's (typ /help <commando> voor één ervan):";
    HelpItem => "{usage} — {summary}", "{usage} — {summary}";
    HelpUsage => "Usage: {usage}", "Gebruik: {usage}";
    HelpExample => "Example: {example}", "Voorbeeld: {example}";
    HelpAdminOnly => "Only admins of the community can use this.", "Alleen beheerders van de community kunnen dit gebruiken.";
    HelpUnknown => "There is no /{name} command.", "Er is geen commando /{name}.";
    UnknownCommand => "I don't know /{name}.", "/{name} ken ik niet.";
    DidYouMean => "Did you mean {suggestion}?", "Bedoel je {suggestion}?";
    SeeHelp => "Type /help to see what I can do.", "Typ /help om te zien wat ik kan.";
    NotACommand => "Commands start with a slash, e.g. /help.", "Commando's beginnen met een slash, bijvoorbeeld /help.";
    BadArgsUsage => "Usage: {usage} — e.g. {example}", "Gebruik: {usage} — bijv. {example}";
    NotBound => "This chat is not set up as a community yet. An admin can run {example}.", "Deze chat is nog geen community. Een beheerder kan {example} gebruiken.";
    NotBoundPrivate => "Which community? Send this command in your community's group chat.", "Welke community? Stuur dit commando in de groepschat van je community.";
    NotAdmin => "Only admins of {community} can use {command}.", "Alleen beheerders van {community} kunnen {command} gebruiken.";
    AdminCheckFailed => "I could not ask the platform whether you administer this chat. Please try again in a moment.", "Ik kon het platform niet vragen of je deze chat beheert. Probeer het zo nog eens.";
    NotChatAdmin => "Only admins of this chat can set it up.", "Alleen beheerders van deze chat kunnen hem instellen.";
    SetupInPrivate => "Run /setup in the group chat you want the community in, not in a private chat.", "Gebruik /setup in de groepschat waar de community moet komen, niet in een privéchat.";
    AlreadyBound => "This chat already belongs to {community}.", "Deze chat hoort al bij {community}.";
    SetupDone => "Welcome to Seatmate, {community}! Time zone: {zone}. Next: add a space with {example}.", "Welkom bij Seatmate, {community}! Tijdzone: {zone}. Volgende stap: voeg een plek toe met {example}.";
    SetupAdmin => "{who} is the community's first admin.", "{who} is de eerste beheerder van de community.";
    SpaceAdded => "Added space {space} ({zone}{details}).", "Plek {space} toegevoegd ({zone}{details}).";
    SpaceCapacity => ", {n} {n:seat|seats}", ", {n} {n:plek|plekken}";
    SpaceApproval => ", seat requests need a host's approval", ", aanvragen wachten op goedkeuring van een host";
    SpaceOpen => ", requesters must share what they can help with", ", aanvragers moeten delen waarmee ze kunnen helpen";
    SpaceExists => "There is already a space called {space}.", "Er is al een plek die {space} heet.";
    SpaceRemoved => "Removed space {space}.", "Plek {space} verwijderd.";
    SpacesTitle => "Spaces of {community}:", "Plekken van {community}:";
    SpaceLine => "{space} — {zone}{details}", "{space} — {zone}{details}";
    SpaceHosts => "; hosts: ", "; hosts: ";
    NoSpaces => "{community} has no spaces yet. An admin adds one with {example}.", "{community} heeft nog geen plekken. Een beheerder voegt er een toe met {example}.";
    UnknownSpace => "There is no space called {space}.", "Er is geen plek die {space} heet.";
    KnownSpaces => "Spaces: {spaces}.", "Plekken: {spaces}.";
    WhichSpace => "Where are you? This community has several spaces: {spaces}.", "Waar ben je? Deze community heeft meerdere plekken: {spaces}.";
    WhichSpaceExample => "For example: {example}", "Bijvoorbeeld: {example}";
    NoteInQuotes => "If '{word}' starts your note, put the note in quotes: {example}", "Begint je notitie met '{word}', zet de notitie dan tussen aanhalingstekens: {example}";
    NoSpaceToCheckIn => "This community has no spaces yet, so you can only check in remotely: {example}.", "Deze community heeft nog geen plekken, dus je kunt alleen op afstand inchecken: {example}.";
    UnknownMember => "I don't know {who} in this community yet: they need to send me a command here first (for example /profile).", "Ik ken {who} nog niet in deze community: die moet me hier eerst een commando sturen (bijvoorbeeld /profile).";
    SeveralMembers => "{who} could mean several members:", "{who} kan meerdere leden zijn:";
    SeveralMembersHint => "Write their username exactly as it is written (capitals count), or mention them.", "Schrijf de gebruikersnaam precies zoals hij geschreven wordt (hoofdletters tellen), of noem het lid.";
    HostAdded => "{who} now hosts {space}.", "{who} is nu host van {space}.";
    HostAlready => "{who} already hosts {space}.", "{who} is al host van {space}.";
    HostRemoved => "{who} no longer hosts {space}.", "{who} is geen host meer van {space}.";
    HostNotHost => "{who} does not host {space}.", "{who} is geen host van {space}.";
    ProfileTitle => "Your profile:", "Je profiel:";
    ProfileOffers => "Can help with: {tags}", "Kan helpen met: {tags}";
    ProfileWants => "Looking for: {tags}", "Zoekt: {tags}";
    ProfileAbout => "About: {text}", "Over: {text}";
    ProfileNothing => "(nothing yet)", "(nog niets)";
    ProfileHint => "Set it with {example}: people who can help each other get introduced.", "Vul het in met {example}: mensen die elkaar kunnen helpen worden aan elkaar voorgesteld.";
    ProfileSaved => "Saved.", "Opgeslagen.";
    CheckedIn => "✅ {who} checked in at {place}{until}.", "✅ {who} is ingecheckt bij {place}{until}.";
    CheckedInAgain => "✅ {who} updated today's check-in: {place}{until}.", "✅ {who} heeft de check-in van vandaag bijgewerkt: {place}{until}.";
    UntilSuffix => " until {time}", " tot {time}";
    PlaceRemote => "remote", "op afstand";
    UntilPassed => "{time} has already passed at {place} (it is {now} there).", "{time} is al voorbij bij {place} (het is daar {now}).";
    UntilPassedHint => "Give a later time, e.g. /checkin until {example}.", "Geef een latere tijd, bijv. /checkin until {example}.";
    MeetTitle => "Say hello to:", "Zeg hallo tegen:";
    MeetLine => "{who} — {reasons}", "{who} — {reasons}";
    QuietToday => "It is quiet at {place} today: you are the first. I'll point people your way.", "Het is rustig bij {place} vandaag: je bent de eerste. Ik stuur mensen jouw kant op.";
    ReasonTheyHelp => "can help you with {tags}", "kan je helpen met {tags}";
    ReasonYouHelp => "you can help with {tags}", "jij kunt helpen met {tags}";
    ReasonShared => "you have {tags} in common", "jullie hebben {tags} gemeen";
    ReasonNone => "also here today", "is hier ook vandaag";
    ReasonNewFace => "someone new to meet", "iemand nieuw om te ontmoeten";
    ReasonSeparator => "; ", "; ";
    CheckedOut => "👋 {who} checked out. See you next time!", "👋 {who} is uitgecheckt. Tot de volgende keer!";
    NotCheckedIn => "You are not checked in right now.", "Je bent nu niet ingecheckt.";
    HereTitle => "Here now at {place}:", "Nu bij {place}:";
    HereLine => "{who}{until}{note}{offers}", "{who}{until}{note}{offers}";
    HereNote => " — {note}", " — {note}";
    HereOffers => " (can help with {tags})", " (kan helpen met {tags})";
    HereNobody => "Nobody is checked in at {place} right now.", "Er is nu niemand ingecheckt bij {place}.";
    HereNobodyAnywhere => "Nobody is checked in right now. Be the first: /checkin", "Er is nu niemand ingecheckt. Wees de eerste: /checkin";
    AllDay => "all day", "hele dag";
    Announcement => "🪑 {host} offers {seats} free {seats:seat|seats} at {space} on {when} (offer {offer}).", "🪑 {host} biedt {seats} vrije {seats:plek|plekken} aan bij {space} op {when} (aanbod {offer}).";
    AnnouncementHow => "Want one? Type {command}.", "Wil je er een? Typ {command}.";
    RequestButton => "Request a seat", "Plek aanvragen";
    OfferPosted => "Posted offer {offer}: {seats} {seats:seat|seats} at {space} on {when}. Announced in {chats} {chats:chat|chats}.", "Aanbod {offer} geplaatst: {seats} {seats:plek|plekken} bij {space} op {when}. Aangekondigd in {chats} {chats:chat|chats}.";
    OfferOverlaps => "There is already offer {offer} at {space} on {when}, which overlaps.", "Er is al aanbod {offer} bij {space} op {when}, en dat overlapt.";
    OfferOverlapsHint => "Change its window, or withdraw it first with /withdraw {offer}.", "Pas de tijden aan, of trek het eerst in met /withdraw {offer}.";
    OverCapacity => "{space} has {capacity} {capacity:seat|seats}, so an offer there can have at most {capacity}, not {seats}.", "{space} heeft {capacity} {capacity:plek|plekken}, dus een aanbod daar kan er hoogstens {capacity} hebben, niet {seats}.";
    NotHost => "Only hosts of {space} (or admins) can do that.", "Alleen hosts van {space} (of beheerders) kunnen dat doen.";
    DateInPast => "{date} is in the past (today is {today} there).", "{date} ligt in het verleden (daar is het vandaag {today}).";
    DateTooFar => "{date} is more than {days} {days:day|days} ahead; the last day you can offer now is {last}.", "{date} ligt meer dan {days} {days:dag|dagen} vooruit; de laatste dag die je nu kunt aanbieden is {last}.";
    OfferExample => "Hosts offer seats like this: /offer cafe-noord 4 tomorrow 9-17 quiet room", "Hosts bieden plekken zo aan: /offer cafe-noord 4 tomorrow 9-17 stille ruimte";
    WindowOver => "That window is already over today (it is {now} there).", "Die tijden zijn vandaag al voorbij (het is daar {now}).";
    OpenOffersTitle => "Open seats{scope}:", "Vrije plekken{scope}:";
    NoOpenOffers => "No open seat offers{scope} right now.", "Nu geen vrije plekken{scope}.";
    OfferLine => "{offer} {space} — {when}: {left} of {seats} {seats:seat|seats} left", "{offer} {space} — {when}: {left} van {seats} {seats:plek|plekken} over";
    MoreOffers => "…and {n} more.", "…en nog {n}.";
    RequestHint => "Ask for one with {example}.", "Vraag er een aan met {example}.";
    NoSuchOffer => "There is no offer {offer} in this community.", "Er is geen aanbod {offer} in deze community.";
    NoSuchRequest => "There is no request {request} in this community.", "Er is geen aanvraag {request} in deze community.";
    SeeSeats => "/seats shows the open offers.", "/seats toont het open aanbod.";
    SeeMySeats => "/myseats shows your requests.", "/myseats toont je aanvragen.";
    NoOfferAt => "There is no open offer at {space}{on}.", "Er is geen open aanbod bij {space}{on}.";
    SeveralOffers => "{space} has several offers then: {choices}. Pick one by number, e.g. {example}.", "{space} heeft dan meerdere aanbiedingen: {choices}. Kies er een op nummer, bijv. {example}.";
    OfferEnded => "Offer {offer} at {space} ({when}) is over.", "Aanbod {offer} bij {space} ({when}) is voorbij.";
    OfferWithdrawn => "Offer {offer} at {space} ({when}) was withdrawn.", "Aanbod {offer} bij {space} ({when}) is ingetrokken.";
    OpenProfileRequired => "{space} shares its seats with people who share what they can help with, and your profile does not say yet.", "{space} deelt zijn plekken met mensen die delen waarmee ze kunnen helpen, en je profiel zegt dat nog niet.";
    OpenProfileHint => "Add it with {example}, then ask again.", "Vul het aan met {example} en vraag het dan opnieuw.";
    RequestConfirmed => "✅ You have a seat at {space} on {when} (request {request}). {cancel} gives it back.", "✅ Je hebt een plek bij {space} op {when} (aanvraag {request}). Met {cancel} geef je hem terug.";
    RequestWaitlisted => "⏳ Offer {offer} is full: you are number {position} on the waitlist (request {request}). I'll tell you when a seat frees up.", "⏳ Aanbod {offer} is vol: je bent nummer {position} op de wachtlijst (aanvraag {request}). Ik laat het je weten als er een plek vrijkomt.";
    RequestPending => "📨 Asked the host of {space} for a seat on {when} (request {request}); I'll tell you when they decide.", "📨 De host van {space} is gevraagd om een plek op {when} (aanvraag {request}); ik laat je weten wat die besluit.";
    AlreadyRequested => "You already asked for offer {offer} at {space} on {when} (request {request}): {standing}.", "Je hebt aanbod {offer} bij {space} op {when} al aangevraagd (aanvraag {request}): {standing}.";
    HostNewRequest => "🙋 {who} asked for a seat at {space} on {when} (offer {offer}): {standing}; {left} of {seats} left.", "🙋 {who} vraagt een plek bij {space} op {when} (aanbod {offer}): {standing}; {left} van {seats} over.";
    RequesterOffers => "{who} {offers}.", "{who} {offers}.";
    CanHelpWith => "can help with {tags}", "kan helpen met {tags}";
    NoOffersInProfile => "has not said yet what they can help with", "heeft nog niet gezegd waarmee die kan helpen";
    ApproveHint => " — {approve} or {decline}", " — {approve} of {decline}";
    ApproveButton => "Approve", "Goedkeuren";
    DeclineButton => "Decline", "Afwijzen";
    StandingConfirmed => "you have a seat", "je hebt een plek";
    StandingWaitlisted => "number {position} on the waitlist", "nummer {position} op de wachtlijst";
    StandingPending => "waiting for the host's approval", "wacht op goedkeuring van de host";
    StandingCancelled => "cancelled", "geannuleerd";
    StandingDeclined => "declined", "afgewezen";
    StandingDeclinedBecause => "declined ({reason})", "afgewezen ({reason})";
    StandingWithdrawn => "the offer was withdrawn", "het aanbod is ingetrokken";
    HostStandingConfirmed => "has a seat", "heeft een plek";
    HostStandingPending => "waiting for your approval", "wacht op jouw goedkeuring";
    NothingToCancel => "You have no seat or waitlist place at {space} to cancel.", "Je hebt geen plek of wachtlijstplaats bij {space} om te annuleren.";
    SeveralRequests => "You have several requests there: {choices}. Cancel one by number, e.g. {example}.", "Je hebt daar meerdere aanvragen: {choices}. Annuleer er een op nummer, bijv. {example}.";
    NotYourRequest => "Request {request} is not yours.", "Aanvraag {request} is niet van jou.";
    CannotCancel => "Request {request} cannot be cancelled: {standing}.", "Aanvraag {request} kan niet geannuleerd worden: {standing}.";
    Cancelled => "Cancelled request {request}: your place at {space} on {when} is free again.", "Aanvraag {request} geannuleerd: je plek bij {space} op {when} is weer vrij.";
    HostCancelled => "{who} cancelled at {space} on {when} (offer {offer}): {left} of {seats} left.", "{who} heeft geannuleerd bij {space} op {when} (aanbod {offer}): {left} van {seats} over.";
    HostPromoted => "{who} moved up from the waitlist and has the seat.", "{who} schuift op van de wachtlijst en heeft de plek.";
    Promoted => "🎉 A seat freed up: you now have a seat at {space} on {when} (request {request}). {cancel} gives it back.", "🎉 Er kwam een plek vrij: je hebt nu een plek bij {space} op {when} (aanvraag {request}). Met {cancel} geef je hem terug.";
    MySeatsTitle => "Your seats:", "Je plekken:";
    MySeatLine => "{request} {space} — {when}: {standing}", "{request} {space} — {when}: {standing}";
    NoSeatsYet => "You have no upcoming seats.", "Je hebt geen komende plekken.";
    NoHostOffers => "You have no open offers.", "Je hebt geen open aanbod.";
    NoRequestsYet => "no requests yet", "nog geen aanvragen";
    HostRequestLine => "{who} ({request}): {standing}; {offers}", "{who} ({request}): {standing}; {offers}";
    WithdrawnNotice => "😕 Offer {offer} at {space} on {when} was withdrawn by its host, so your request ends. /seats shows other offers.", "😕 Aanbod {offer} bij {space} op {when} is door de host ingetrokken, dus je aanvraag vervalt. /seats toont ander aanbod.";
    OfferWithdrawnDone => "Withdrew offer {offer} at {space} on {when}; told {n} {n:person|people}.", "Aanbod {offer} bij {space} op {when} ingetrokken; {n} {n:persoon|personen} op de hoogte gebracht.";
    NotPending => "Request {request} is not waiting for approval: {standing}.", "Aanvraag {request} wacht niet op goedkeuring: {standing}.";
    ApprovedNotice => "✅ Your request {request} was approved: you have a seat at {space} on {when}.", "✅ Je aanvraag {request} is goedgekeurd: je hebt een plek bij {space} op {when}.";
    ApprovedWaitlistNotice => "Your request {request} for {space} on {when} was approved, but the offer is full: you are number {position} on the waitlist.", "Je aanvraag {request} voor {space} op {when} is goedgekeurd, maar het aanbod is vol: je bent nummer {position} op de wachtlijst.";
    DeclinedNotice => "Your request {request} for {space} on {when} was {standing}.", "Je aanvraag {request} voor {space} op {when} is {standing}.";
    DecisionDone => "Request {request} of {who} at {space} on {when}: {standing}.", "Aanvraag {request} van {who} bij {space} op {when}: {standing}.";
    PairingStatusIn => "You are in the daily introductions. Next round: {when}.", "Je doet mee aan de dagelijkse kennismakingen. Volgende ronde: {when}.";
    PairingStatusOut => "You are not in the daily introductions; join with /pairing on.", "Je doet niet mee aan de dagelijkse kennismakingen; doe mee met /pairing on.";
    PairingStatusPaused => "Your introductions are paused until {date}; /pairing on resumes them now.", "Je kennismakingen zijn gepauzeerd tot {date}; /pairing on hervat ze nu.";
    PairingOn => "You're in! Next round: {when}.", "Je doet mee! Volgende ronde: {when}.";
    PairingOff => "You're out of the daily introductions. /pairing on brings you back.", "Je doet niet meer mee aan de dagelijkse kennismakingen. Met /pairing on doe je weer mee.";
    PairingPaused => "Paused until {date}: you're back in the round that day. /pairing on resumes now.", "Gepauzeerd tot {date}: die dag doe je weer mee. /pairing on hervat nu.";
    PairingProfileHint => "Tip: say what you can help with ({example}) so your matches fit.", "Tip: vertel waarmee je kunt helpen ({example}), dan passen je kennismakingen beter.";
    MatchIntro => "🤝 Your introduction today:", "🤝 Je kennismaking van vandaag:";
    MatchLine => "{who} — {reasons}{where}", "{who} — {reasons}{where}";
    MatchWhere => " (at {space} today)", " (vandaag bij {space})";
    MatchHow => "Say hello, and tell me with /met once you have met.", "Zeg hallo, en laat het me weten met /met als jullie elkaar gesproken hebben.";
    NobodyElse => "Nobody else is in today's round, so there is no introduction for you today.", "Er doet vandaag niemand anders mee, dus er is vandaag geen kennismaking voor je.";
    RoundSummary => "🤝 Today's introductions are out: {groups}, {people} {people:person|people}. /match shows yours.", "🤝 De kennismakingen van vandaag zijn verstuurd: {groups}, {people} {people:persoon|personen}. /match toont de jouwe.";
    GroupsPairs => "{pairs} {pairs:pair|pairs}", "{pairs} {pairs:duo|duo's}";
    GroupsWithTrio => "{pairs} {pairs:pair|pairs} and a group of three", "{pairs} {pairs:duo|duo's} en een groep van drie";
    NoRoundYet => "Today's round has not run; the next is {when}.", "De ronde van vandaag is nog niet geweest; de volgende is {when}.";
    NotInRound => "You are not in today's round.", "Je zit niet in de ronde van vandaag.";
    MetNoted => "Noted: glad you met {who}!", "Genoteerd: fijn dat je {who} hebt ontmoet!";
    MetAlready => "Already noted that you met {who}.", "Al genoteerd dat je {who} hebt ontmoet.";
    MetNothing => "You have no introduction to report yet. /match shows today's.", "Je hebt nog geen kennismaking om te melden. /match toont die van vandaag.";
    SettingsTitle => "Settings of {community}:", "Instellingen van {community}:";
    SettingsPairing => "Pairing at {time} ({zone}) on {days}; pairs are not repeated within {weeks} {weeks:week|weeks}", "Kennismakingen om {time} ({zone}) op {days}; duo's worden binnen {weeks} {weeks:week|weken} niet herhaald";
    SettingsNext => "Next round: {when}", "Volgende ronde: {when}";
    SettingsLanguage => "Language: {language} (change with /settings language nl or en)", "Taal: {language} (wijzig met /settings language en of nl)";
    ScopeAt => " at {space}", " bij {space}";
    ScopeOn => " on {date}", " op {date}";
    ScopeDay => " ({date})", " ({date})";
    SettingsStats => "Rounds so far: {rounds}; introductions reported as met: {met} of {placed}", "Rondes tot nu toe: {rounds}; kennismakingen gemeld als ontmoet: {met} van {placed}";
    SettingsSaved => "Saved.", "Opgeslagen.";
    PairNowDone => "Paired {people} {people:person|people} today: {groups}. Everyone has been told.", "Vandaag {people} {people:persoon|personen} gekoppeld: {groups}. Iedereen is op de hoogte.";
    PairNowAlready => "Today's round already ran. /match shows yours.", "De ronde van vandaag is al geweest. /match toont de jouwe.";
    PairNowOnlyOne => "Only one member is in today's round, and an introduction takes two. The day stays open: run /pairnow again once someone else joins with /pairing on.", "Er doet vandaag maar één lid mee, en een kennismaking vraagt er twee. De dag blijft open: gebruik /pairnow opnieuw zodra iemand anders meedoet met /pairing on.";
    PairNowNobody => "Nobody is in today's round yet: members join with /pairing on.", "Er doet vandaag nog niemand mee: leden doen mee met /pairing on.";
    InboxIsPrivate => "Your inbox is private: open a private chat with me and type /inbox there.", "Je inbox is privé: open een privéchat met mij en typ daar /inbox.";
    InboxEmpty => "Nothing is waiting for you.", "Er wacht niets op je.";
    InboxTitle => "{n} {n:message|messages} I could not deliver to you before:", "{n} {n:bericht|berichten} die ik je eerder niet kon bezorgen:";
    PrivateNudge => "{who}, I have a private message for you. Open a private chat with me to read it.", "{who}, ik heb een privébericht voor je. Open een privéchat met mij om het te lezen.";
    OpenPrivateChat => "Open private chat", "Privéchat openen";
    // ----- argument errors -----
    ControlChar => "Your message contains an invisible control character ({code}), which I can't show to others.", "Je bericht bevat een onzichtbaar stuurteken ({code}) dat ik niet aan anderen kan tonen.";
    ControlCharHint => "Type the text again without it (pasted text often carries such characters).", "Typ de tekst opnieuw zonder dat teken (geplakte tekst bevat ze vaak).";
    UnknownPlatform => "unknown platform '{name}'", "onbekend platform '{name}'";
    NotAZone => "'{input}' is not a time zone I know.", "'{input}' is geen tijdzone die ik ken.";
    ZoneHint => "Use an IANA name such as Europe/Amsterdam or America/New_York.", "Gebruik een IANA-naam zoals Europe/Amsterdam of America/New_York.";
    NotASpaceName => "'{input}' is not a space name.", "'{input}' is geen naam voor een plek.";
    SpaceNameHint => "Space names are short slugs of letters, digits and hyphens, like {example}.", "Namen van plekken zijn korte woorden van letters, cijfers en streepjes, zoals {example}.";
    RemoteReserved => "'remote' is reserved for remote check-ins.", "'remote' is gereserveerd voor inchecken op afstand.";
    PickAnotherName => "Pick another name, like {example}.", "Kies een andere naam, zoals {example}.";
    CommunityNameShort => "The community needs a name of at least 2 characters.", "De community heeft een naam van minstens 2 tekens nodig.";
    CommunityNameLong => "That community name is {len} characters; the most is {max}.", "Die naam is {len} tekens; het maximum is {max}.";
    TagBadChar => "'{tag}' has a '{char}', which tags cannot have.", "'{tag}' bevat een '{char}', en dat kan niet in een tag.";
    TagHint => "Tags are words or short phrases like rust, ux research, c++.", "Tags zijn woorden of korte zinnetjes zoals rust, ux research, c++.";
    TagEmpty => "A tag cannot be empty.", "Een tag kan niet leeg zijn.";
    TagLong => "The tag '{tag}' is longer than {max} characters.", "De tag '{tag}' is langer dan {max} tekens.";
    NoTags => "No tags given.", "Geen tags opgegeven.";
    NoTagsHint => "List them separated by commas, e.g. rust, ux research, pitching.", "Zet ze achter elkaar met komma's, bijv. rust, ux research, pitching.";
    TooManyTags => "That is {n} tags; the most is {max}.", "Dat zijn {n} tags; het maximum is {max}.";
    TooManyTagsHint => "Keep the ones that matter most.", "Houd de belangrijkste.";
    TextLong => "That text is {len} characters; the most is {max}.", "Die tekst is {len} tekens; het maximum is {max}.";
    TextLongHint => "Shorten it a little.", "Maak hem wat korter.";
    NotATime => "'{input}' is not a time of day.", "'{input}' is geen tijdstip.";
    TimeHint => "Write it as HH:MM on a 24-hour clock, e.g. 17:30.", "Schrijf het als UU:MM op een 24-uursklok, bijv. 17:30.";
    NotAMember => "'{input}' is not a member.", "'{input}' is geen lid.";
    MemberHint => "Name them with @, like @alice.", "Noem ze met @, zoals @alice.";
    NotADate => "'{input}' is not a date.", "'{input}' is geen datum.";
    NotADateUnderstood => "'{input}' is not a date I understand.", "'{input}' is geen datum die ik begrijp.";
    DateHint => "Use today, tomorrow, a weekday such as friday, or a date such as 2026-12-01.", "Gebruik today, tomorrow, een weekdag zoals friday, of een datum zoals 2026-12-01.";
    WindowHint => "Write the window as 9-17 or 09:00-17:30.", "Schrijf de tijden als 9-17 of 09:00-17:30.";
    WindowBackwards => "The window {input} ends before it starts.", "De tijden {input} eindigen voordat ze beginnen.";
    WindowBackwardsHint => "Put the start first, e.g. 9-17.", "Zet het begin eerst, bijv. 9-17.";
    SeatsOutOfRange => "{n} {n:seat|seats} is not something I can offer.", "{n} {n:plek|plekken} kan ik niet aanbieden.";
    SeatsRangeHint => "Offer from 1 to {max} {max:seat|seats}.", "Bied 1 tot {max} {max:plek|plekken} aan.";
    NotSeats => "'{input}' is not a number of seats.", "'{input}' is geen aantal plekken.";
    NotSeatsHint => "Offer from 1 to {max} {max:seat|seats}, e.g. 4.", "Bied 1 tot {max} {max:plek|plekken} aan, bijv. 4.";
    NotADay => "'{input}' is not a day I know.", "'{input}' is geen dag die ik ken.";
    DaysHint => "Use a range like mon-fri, a list like mon,wed,fri, or daily.", "Gebruik een reeks zoals mon-fri, een lijst zoals mon,wed,fri, of daily.";
    NoDays => "Name at least one day.", "Noem minstens één dag.";
    StartArgs => "/start takes no arguments (but inbox), but got '{got}'.", "/start neemt geen argumenten (behalve inbox), maar kreeg '{got}'.";
    TakesNoArgs => "{usage} takes no arguments, but got '{got}'.", "{usage} neemt geen argumenten, maar kreeg '{got}'.";
    WhichNewSpace => "Which space? Give it a short name.", "Welke plek? Geef hem een korte naam.";
    CapacityNeedsNumber => "'capacity' needs a number after it, like capacity 12.", "Na 'capacity' komt een getal, zoals capacity 12.";
    NotUnderstood => "I don't understand '{word}' here.", "'{word}' begrijp ik hier niet.";
    SpaceAddHint => "After the name come, in any order: a time zone, capacity <n>, approval.", "Na de naam komen, in willekeurige volgorde: een tijdzone, capacity <n>, approval.";
    WhichSpaceArg => "Which space?", "Welke plek?";
    OneSpace => "Give one space name.", "Geef één plek.";
    MemberAndSpace => "Name a member and a space.", "Noem een lid en een plek.";
    AboutMissing => "Write a line about yourself after 'about'.", "Schrijf na 'about' een regel over jezelf.";
    HereOneSpace => "/here takes at most one space.", "/here neemt hoogstens één plek.";
    SeatsOneFilter => "/seats takes one date or one space.", "/seats neemt één datum of één plek.";
    WhichRequest => "Which request? Give its number.", "Welke aanvraag? Geef het nummer.";
    WhichOffer => "Which offer? Give its number.", "Welk aanbod? Geef het nummer.";
    HowManyDays => "How many days? Give a number from 1 to 90.", "Hoeveel dagen? Geef een getal van 1 tot 90.";
    SettingValue => "Give a value after the setting's name.", "Geef een waarde na de naam van de instelling.";
    QuoteMissing => "The note's closing quote is missing.", "Het sluitende aanhalingsteken van de notitie ontbreekt.";
    QuoteHint => "Put the whole note between quotes: \"back at 3pm\".", "Zet de hele notitie tussen aanhalingstekens: \"terug om 15:00\".";
    NoteOnce => "Give the note once: all of it between quotes, or all of it unquoted at the end.", "Geef de notitie één keer: helemaal tussen aanhalingstekens, of helemaal zonder aan het eind.";
    UnreadableWhen => "I can't read '{word}' here: it looks like a date or a time, but not one I understand.", "'{word}' kan ik hier niet lezen: het lijkt op een datum of tijd, maar niet een die ik begrijp.";
    WhenInNote => "'{word}' in the note looks like a date or a time, so I won't guess what you meant.", "'{word}' in de notitie lijkt op een datum of tijd, dus ik ga niet gokken wat je bedoelt.";
    OfferWhenHint => "Dates are today, tomorrow, a weekday such as friday, or 2026-12-01; hours are 9-17 or 09:00-17:30. Put them right after the number of seats; a note that mentions a date or a time goes in quotes.", "Datums zijn today, tomorrow, een weekdag zoals friday, of 2026-12-01; tijden zijn 9-17 of 09:00-17:30. Zet ze direct na het aantal plekken; een notitie met een datum of tijd erin gaat tussen aanhalingstekens.";
    CheckinWhenHint => "To say when you leave, write until and the time before the note; a note that mentions a time goes in quotes.", "Wil je zeggen wanneer je weggaat, schrijf dan until en de tijd vóór de notitie; een notitie met een tijd erin gaat tussen aanhalingstekens.";
    OfferNeeds => "Name the space and how many seats.", "Noem de plek en hoeveel plekken.";
    SecondDate => "'{word}' is a second date; an offer is for one day.", "'{word}' is een tweede datum; een aanbod is voor één dag.";
    SecondWindow => "'{word}' is a second window of hours; give one.", "'{word}' is een tweede tijdvak; geef er één.";
    WhichOfferTarget => "Which offer? Give its number, or a space and a date.", "Welk aanbod? Geef het nummer, of een plek en een datum.";
    WhichRequestTarget => "Which request? Give its number, or a space and a date.", "Welke aanvraag? Geef het nummer, of een plek en een datum.";
    TooManyWords => "Too many words: give a number, or a space and a date.", "Te veel woorden: geef een nummer, of een plek en een datum.";
    NotOfferNumber => "'{word}' is not an offer number.", "'{word}' is geen aanbodnummer.";
    NotRequestNumber => "'{word}' is not a request number.", "'{word}' is geen aanvraagnummer.";
    OfferNumbersHint => "/seats shows offer numbers.", "/seats toont aanbodnummers.";
    RequestNumbersHint => "/offers shows the requests of your offers (/myseats your own).", "/offers toont de aanvragen van je aanbod (/myseats je eigen).";
    OneOfferNumber => "Give one offer number.", "Geef één aanbodnummer.";
    OneRequestNumber => "Give one request number.", "Geef één aanvraagnummer.";
    CountOutOfRange => "A {what} of {n} is out of range.", "Een {what} van {n} valt buiten het bereik.";
    CountRangeHint => "The {what} is a whole number from {min} to {max}.", "De {what} is een heel getal van {min} tot {max}.";
    NotANumber => "'{word}' is not a number.", "'{word}' is geen getal.";
    WhatCapacity => "capacity", "capaciteit";
    WhatPauseDays => "pause (in days)", "pauze (in dagen)";
    WhatHistoryWeeks => "history (in weeks)", "geschiedenis (in weken)";
    UntilNeedsTime => "'until' needs a time after it, like until 17:30.", "Na 'until' komt een tijd, zoals until 17:30.";
    NoSuchOption => "{usage} has no option '{name}'.", "{usage} heeft geen optie '{name}'.";
    OneWord => "'{value}' is not a valid {name}: it must be one word.", "'{value}' is geen geldige {name}: het moet één woord zijn.";
    NeedsOneOf => "/{name} needs one of: {names}.", "/{name} heeft een van deze nodig: {names}.";
    HasNo => "/{name} has no '{word}'; it has {names}.", "/{name} heeft geen '{word}'; wel {names}.";
    NotALanguage => "'{code}' is not a language Seatmate speaks yet.", "'{code}' is (nog) geen taal die Seatmate spreekt.";
    LanguageHint => "Use en or nl.", "Gebruik en of nl.";
    InternalError => "Sorry, something went wrong on my side (reference {reference}). Please try again in a moment.", "Sorry, er ging aan mijn kant iets mis (referentie {reference}). Probeer het zo nog eens.";
}

/// A renderer bound to a locale: what handlers and notices render with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Locale);

impl Tr {
    pub fn locale(self) -> Locale {
        self.0
    }

    /// `msg` with its placeholders filled, as spans.
    pub fn t(self, msg: Msg, args: Vec<(&str, Arg)>) -> Vec<Span> {
        spans(self.0, msg, args)
    }

    /// A message without placeholders, as a word or phrase.
    pub fn word(self, msg: Msg) -> &'static str {
        msg.template(self.0)
    }

    /// `msg` rendered to plain text.
    pub fn text(self, msg: Msg, args: Vec<(&str, Arg)>) -> String {
        self.t(msg, args)
            .into_iter()
            .map(|span| match span {
                Span::Text(t) | Span::Strong(t) | Span::Code(t) => t,
                Span::Mention(card) => card.display_name,
            })
            .collect()
    }

    pub fn date(self, date: chrono::NaiveDate) -> String {
        self.0.date(date)
    }
}

/// A message with its values, rendered once the locale is known (an
/// argument error is made where no locale is at hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub msg: Msg,
    pub args: Vec<(&'static str, TextArg)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextArg {
    /// As typed or as a number; digits are a count nouns agree with.
    Plain(String),
    /// Another message, in the same locale (`capacity`, `capaciteit`).
    Msg(Msg),
}

impl Text {
    pub fn new(msg: Msg) -> Self {
        Text { msg, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl Display) -> Self {
        self.args.push((name, TextArg::Plain(value.to_string())));
        self
    }

    pub fn with_msg(mut self, name: &'static str, msg: Msg) -> Self {
        self.args.push((name, TextArg::Msg(msg)));
        self
    }

    pub fn spans(&self, locale: Locale) -> Vec<Span> {
        let args = self
            .args
            .iter()
            .map(|(name, value)| {
                let arg = match value {
                    TextArg::Plain(text) => match text.parse::<u64>() {
                        Ok(n) => Arg::Count(n),
                        Err(_) => Arg::text(text),
                    },
                    TextArg::Msg(msg) => Arg::text(msg.template(locale)),
                };
                (*name, arg)
            })
            .collect();
        spans(locale, self.msg, args)
    }

    /// The text without styles.
    pub fn render(&self, locale: Locale) -> String {
        self.spans(locale)
            .into_iter()
            .map(|span| match span {
                Span::Text(t) | Span::Strong(t) | Span::Code(t) => t,
                Span::Mention(card) => card.display_name,
            })
            .collect()
    }

    /// Whether the English text contains `needle` (for tests and logs).
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

/// In English, as logs and tests read it.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Locale::En))
    }
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
        const EN_SINGULARS: &[&str] = &[
            "seat", "person", "pair", "chat", "day", "week", "member", "request", "offer",
        ];
        const EN_PLURALS: &[&str] = &[
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
        const NL_SINGULARS: &[&str] = &["plek", "persoon", "duo", "dag", "week", "lid", "aanvraag", "bericht"];
        const NL_PLURALS: &[&str] = &[
            "plekken",
            "personen",
            "mensen",
            "duo's",
            "dagen",
            "weken",
            "leden",
            "aanvragen",
            "berichten",
            "rondes",
        ];
        for (locale, singulars, plurals) in [
            (Locale::En, EN_SINGULARS, EN_PLURALS),
            (Locale::Nl, NL_SINGULARS, NL_PLURALS),
        ] {
            for &msg in Msg::ALL {
                for n in [0u64, 1, 2] {
                    // Every placeholder a count, so any noun after any of them shows.
                    let args = placeholders(msg.template(locale))
                        .into_iter()
                        .map(|name| (name, Arg::Count(n)))
                        .collect();
                    let text = plain(spans(locale, msg, args));
                    assert!(!text.contains("(s)") && !text.contains("(en)"), "{msg:?}: {text}");
                    // A count directly followed by a noun: "1 seats", not "1: people".
                    let words: Vec<&str> = text.split_whitespace().collect();
                    for pair in words.windows(2) {
                        let (count, noun) = (
                            pair[0],
                            pair[1].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\''),
                        );
                        if count != n.to_string() {
                            continue;
                        }
                        if n == 1 {
                            assert!(!plurals.contains(&noun), "{msg:?} with 1: '{count} {noun}' in: {text}");
                        } else {
                            assert!(
                                !singulars.contains(&noun),
                                "{msg:?} with {n}: '{count} {noun}' in: {text}"
                            );
                        }
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

    #[test]
    fn every_message_has_every_locale_with_the_same_placeholders() {
        fn names(template: &str) -> Vec<&str> {
            let mut names = placeholders(template);
            names.sort();
            names.dedup();
            names
        }
        for &msg in Msg::ALL {
            let english = names(msg.template(Locale::En));
            for locale in Locale::ALL {
                let template = msg.template(locale);
                assert!(!template.trim().is_empty(), "{msg:?} has no {locale:?} text");
                assert_eq!(
                    names(template),
                    english,
                    "{msg:?} in {locale:?} fills other placeholders"
                );
                assert_eq!(
                    template.matches('{').count(),
                    template.matches('}').count(),
                    "{msg:?} {locale:?}"
                );
            }
            if !matches!(
                msg,
                Msg::HelpItem
                    | Msg::SpaceLine
                    | Msg::MeetLine
                    | Msg::HereLine
                    | Msg::HereNote
                    | Msg::MatchLine
                    | Msg::MySeatLine
                    | Msg::HostRequestLine
                    | Msg::RequesterOffers
                    | Msg::ReasonSeparator
                    | Msg::SpaceHosts
                    | Msg::ApproveHint
                    | Msg::ScopeDay
            ) {
                assert_ne!(
                    msg.template(Locale::Nl),
                    msg.template(Locale::En),
                    "{msg:?} is not translated"
                );
            }
        }
    }

    #[test]
    fn dates_read_in_the_locale() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(Locale::En.date(date), "Wed 25 Nov");
        assert_eq!(Locale::Nl.date(date), "wo 25 nov");
        assert_eq!(Locale::parse("NL"), Ok(Locale::Nl));
    }
}
