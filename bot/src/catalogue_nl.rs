//! The catalogue in Dutch: what `/help` and the platforms' command menus
//! show for a community that speaks Dutch. Usages and examples stay as they
//! are typed (commands and their keywords are the same in every language).

/// Each entry's summary, by path.
const SUMMARIES: &[(&str, &str)] = &[
    ("start", "Wat Seatmate is en hoe je begint"),
    ("inbox", "Privéberichten die ik je nog niet kon bezorgen"),
    ("help", "De commando's, of hoe je er een gebruikt"),
    (
        "setup",
        "Start een community in deze chat, of koppel hem met een code aan een bestaande",
    ),
    ("use", "Kies voor welke community je privéberichten aan mij werken"),
    ("space", "Locaties van de community toevoegen, tonen en verwijderen"),
    ("space add", "Voeg een locatie toe"),
    ("space list", "Toon de locaties"),
    ("space remove", "Verwijder een locatie (met hosts en check-ins)"),
    ("host", "Maak een lid host van een locatie, of stop daarmee"),
    ("host add", "Maak een lid host van een locatie"),
    ("host remove", "Laat een lid stoppen als host van een locatie"),
    ("profile", "Je profiel: waarmee je kunt helpen en wat je zoekt"),
    ("profile offers", "Waarmee je anderen kunt helpen (tags; 'none' wist)"),
    ("profile wants", "Wat je zoekt (tags; 'none' wist)"),
    (
        "profile about",
        "Een regel over jezelf (hoogstens 280 tekens; 'none' wist)",
    ),
    ("checkin", "Check in voor vandaag en zie wie je kunt ontmoeten"),
    ("checkout", "Beëindig je check-in van vandaag"),
    ("here", "Wie er nu is, met notities en wat ze aanbieden"),
    ("offer", "Bied vrije plekken aan bij een locatie die je host"),
    ("seats", "Open aanbod van vrije plekken, vandaag en de komende dagen"),
    ("request", "Vraag een plek aan (op aanbodnummer, of locatie en datum)"),
    ("cancel", "Geef een plek terug of verlaat de wachtlijst"),
    ("myseats", "Je komende plekken en waar je staat"),
    ("offers", "Je open aanbod: wie een plek heeft en wie wacht"),
    ("withdraw", "Trek aanbod in; iedereen erop hoort het"),
    ("approve", "Keur een aanvraag goed die op jou wacht"),
    ("decline", "Wijs een aanvraag af die op jou wacht"),
    ("pairing", "Dagelijkse kennismakingen: meedoen, stoppen of pauzeren"),
    ("pairing on", "Doe mee aan de dagelijkse kennismakingen"),
    ("pairing off", "Stop met de dagelijkse kennismakingen"),
    ("pairing pause", "Sla de kennismakingen een tijdje over"),
    ("match", "Wie je vandaag ontmoet, waarom, en hoe je diegene bereikt"),
    ("met", "Laat weten dat je je kennismaking van vandaag hebt ontmoet"),
    ("settings", "De instellingen van de community"),
    (
        "settings pairing_time",
        "Wanneer de dagelijkse ronde is, in de tijdzone van de community",
    ),
    ("settings pairing_days", "Op welke dagen er rondes zijn"),
    ("settings history_weeks", "Hoe lang duo's niet herhaald worden"),
    ("settings language", "De taal van antwoorden en hulp: en of nl"),
    ("pairnow", "Houd de ronde van vandaag nu, als die nog niet geweest is"),
    (
        "profile notify",
        "Waar je privéberichten heen gaan: telegram, discord, of auto (waar je het laatst sprak)",
    ),
    (
        "invite",
        "Een eenmalige code om nog een chat (Telegram of Discord) aan deze community te koppelen",
    ),
    ("chats", "De chats van deze community, op elk platform"),
    ("unbind", "Maak deze chat los van de community (nooit de laatste)"),
    (
        "link",
        "Voeg je Telegram- en Discord-account samen: /link geeft een code, /link op het andere neemt hem",
    ),
    ("unlink", "Maak het account dat je hier gebruikt weer los van je andere"),
    ("mydata", "Alles wat Seatmate over je bewaart, als bestand, privé"),
    (
        "forgetme",
        "Wis alles wat Seatmate over je bewaart (vraagt eerst bevestiging)",
    ),
];

/// Each argument's description, by path and name.
const ARGS: &[(&str, &str, &str)] = &[
    ("start", "inbox", "toon de privéberichten die voor je klaarliggen"),
    ("help", "command", "een commando om uit te leggen"),
    (
        "setup",
        "zone",
        "de IANA-tijdzone van de community (standaard: die van de bot)",
    ),
    ("setup", "name", "de naam van de nieuwe community"),
    (
        "setup",
        "join",
        "koppel deze chat aan een bestaande community: de code van /invite daar",
    ),
    ("link", "code", "de code die /link je op je andere account gaf"),
    (
        "forgetme",
        "confirm",
        "de bevestiging die alleen de knop in het privébericht van de bot draagt",
    ),
    ("use", "community", "de naam van de community"),
    ("space add", "slug", "een korte naam: letters, cijfers, streepjes"),
    (
        "space add",
        "zone",
        "de IANA-tijdzone (standaard: die van de community)",
    ),
    ("space add", "capacity", "hoeveel plekken er zijn"),
    ("space add", "approval", "aanvragen wachten op goedkeuring van een host"),
    (
        "space add",
        "open",
        "aanvragers moeten zeggen waarmee ze kunnen helpen (/profile offers)",
    ),
    ("space remove", "space", "de locatie om te verwijderen"),
    ("host add", "member", "wie"),
    ("host add", "space", "welke locatie"),
    ("host remove", "member", "wie"),
    ("host remove", "space", "welke locatie"),
    ("profile offers", "tags", "waarmee je kunt helpen"),
    ("profile wants", "tags", "wat je zoekt"),
    ("profile about", "text", "een regel over jezelf"),
    ("profile notify", "platform", "telegram, discord of auto"),
    (
        "checkin",
        "space",
        "waar (standaard: de enige locatie, of je laatste); een eerste woord dat een locatie noemt",
    ),
    ("checkin", "until", "wanneer je weggaat: een tijd, zoals 17:00"),
    ("checkin", "note", "waar je aan werkt (hoogstens 280 tekens)"),
    ("here", "space", "alleen één locatie"),
    ("offer", "space", "de locatie"),
    ("offer", "seats", "hoeveel plekken, 1 tot 500"),
    (
        "offer",
        "date",
        "vandaag (standaard), morgen, een weekdag of JJJJ-MM-DD; hoogstens 60 dagen vooruit",
    ),
    (
        "offer",
        "window",
        "de tijden, zoals 9-17 of 09:00-17:30 (standaard: de hele dag)",
    ),
    ("offer", "note", "wat coworkers moeten weten (hoogstens 280 tekens)"),
    ("seats", "filter", "een datum of een locatie"),
    ("request", "offer", "het nummer van het aanbod, of de locatie"),
    (
        "request",
        "date",
        "met een locatie: welke dag (standaard: het eerstvolgende aanbod)",
    ),
    ("cancel", "offer", "het nummer van het aanbod, of de locatie"),
    ("cancel", "date", "met een locatie: welke dag"),
    ("withdraw", "offer", "het nummer van het aanbod"),
    ("approve", "offer", "het nummer van het aanbod"),
    (
        "approve",
        "request",
        "het nummer van de aanvraag op dat aanbod (nodig als er meer wachten)",
    ),
    ("decline", "offer", "het nummer van het aanbod"),
    (
        "decline",
        "request",
        "het nummer van de aanvraag op dat aanbod (nodig als er meer wachten)",
    ),
    ("decline", "reason", "waarom, voor de aanvrager"),
    ("pairing pause", "days", "hoeveel dagen, 1 tot 90"),
    ("settings pairing_time", "time", "lokale tijd"),
    ("settings pairing_days", "days", "een reeks, een lijst, of daily"),
    ("settings history_weeks", "weeks", "1 tot 52"),
    ("settings language", "language", "en (English) of nl (Nederlands)"),
    (
        "settings language",
        "all",
        "ook antwoorden voor één lid in deze taal, wat hun app ook zegt",
    ),
];

pub fn summary(path: &str) -> Option<&'static str> {
    SUMMARIES.iter().find(|(p, _)| *p == path).map(|(_, s)| *s)
}

pub fn arg(path: &str, name: &str) -> Option<&'static str> {
    ARGS.iter().find(|(p, n, _)| *p == path && *n == name).map(|(.., d)| *d)
}

/// The words of a usage or an example in Dutch, longest first: the
/// placeholders, and the keywords and days the grammar reads in Dutch too
/// (`tot`, `capaciteit`, `goedkeuring`, `morgen`, `ma,wo,vr`). Words the
/// grammar reads only in English (`remote`, `on`, `pause`) stay.
const WORDS: &[(&str, &str)] = &[
    ("<tags, comma separated>", "<tags, met komma's>"),
    ("<community name…>", "<naam van de community…>"),
    ("<request number>", "<aanvraagnummer>"),
    ("<offer number>", "<aanbodnummer>"),
    ("<HH:MM-HH:MM>", "<UU:MM-UU:MM>"),
    ("<mon-fri|mon,wed,fri|daily>", "<ma-vr|ma,wo,vr|dagelijks>"),
    ("<time zone>", "<tijdzone>"),
    ("<HH:MM>", "<UU:MM>"),
    ("<command>", "<commando>"),
    ("<@member>", "<@lid>"),
    ("<reason…>", "<reden…>"),
    ("<note…>", "<notitie…>"),
    ("<space>", "<locatie>"),
    ("<date>", "<datum>"),
    ("<days>", "<dagen>"),
    ("<text>", "<tekst>"),
    ("<slug>", "<naam>"),
    ("<value>", "<waarde>"),
    ("capacity", "capaciteit"),
    ("approval", "goedkeuring"),
    ("until", "tot"),
    ("tomorrow", "morgen"),
    ("mon,wed,fri", "ma,wo,vr"),
    ("writing the grant proposal", "subsidieaanvraag schrijven"),
    ("quiet room upstairs", "stille ruimte boven"),
    (
        "the room is booked for a workshop",
        "de zaal is geboekt voor een workshop",
    ),
    (
        "Building a bike-sharing app for Utrecht",
        "Bouwt een deelfietsen-app voor Utrecht",
    ),
    (", or ", ", of "),
];

/// A usage or an example in Dutch (see [`WORDS`]).
pub fn words(text: &str) -> String {
    let mut dutch = text.to_string();
    for (en, nl) in WORDS {
        dutch = dutch.replace(en, nl);
    }
    dutch
}
