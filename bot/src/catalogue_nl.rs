//! The command language's words in Dutch, for usages and examples shown to a
//! community that speaks Dutch. Each command's Dutch summary and argument
//! descriptions live in its own module, beside the English.

/// The words of a usage or an example in Dutch, longest first: the
/// placeholders, and the keywords and days the grammar reads in Dutch too
/// (`tot`, `capaciteit`, `goedkeuring`, `morgen`, `ma,wo,vr`). Words the
/// grammar reads only in English (`remote`, `on`, `pause`) stay.
const WORDS: &[(&str, &str)] = &[
    ("<tags, comma separated>", "<tags, met komma's>"),
    ("<community name…>", "<naam van de community…>"),
    ("<request number>", "<aanvraagnummer>"),
    ("<offer number>", "<aanbodnummer>"),
    ("<question number>", "<vraagnummer>"),
    ("<question…>", "<vraag…>"),
    ("who knows postgres replication?", "wie kent postgres-replicatie?"),
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
