//! A community that speaks Dutch: `/settings language nl` switches its
//! replies, help, announcements and dates, on both backends.

mod common;

use common::Harness;

async fn a_community_switches_to_dutch(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    let refused = h.text("ann", "/settings language nl").await;
    assert!(refused.contains("Only admins of Utrecht Coworkers"), "{refused}");
    let reply = h.text("admin", "/settings language nl").await;
    assert!(
        reply.starts_with("seatmate: Opgeslagen."),
        "the answer is Dutch already: {reply}"
    );
    assert!(reply.contains("Taal: nl"), "{reply}");

    let help = h.text("ann", "/help").await;
    assert!(
        help.contains("Commando's (typ /help <commando> voor één ervan):"),
        "{help}"
    );
    assert!(
        help.contains("/checkin [<locatie>|remote] [tot <UU:MM>] [<notitie…>] — Check in voor vandaag"),
        "{help}"
    );
    let one = h.text("ann", "/help offer").await;
    assert!(one.contains("Voorbeeld: /offer cafe-noord 4 morgen 9-17"), "{one}");
    assert!(one.contains("hoeveel plekken, 1 tot 500"), "{one}");

    let checkin = h.text("ann", "/checkin").await;
    assert!(checkin.contains("@ann is ingecheckt bij cafe-noord."), "{checkin}");
    let bad = h.text("admin", "/offer cafe-noord 0").await;
    assert!(bad.contains("0 plekken kan ik niet aanbieden."), "{bad}");
    assert!(
        bad.contains("Bied 1 tot 500 plekken aan.") && bad.contains("Gebruik: /offer"),
        "{bad}"
    );
    let bad = h.text("admin", "/offer cafe-noord 2 01/12/2026").await;
    assert!(
        bad.contains("Schrijf datums als jaar-maand-dag, zoals 2026-12-01"),
        "{bad}"
    );
    let typo = h.text("ann", "/chekin").await;
    assert!(
        typo.contains("/chekin ken ik niet.") && typo.contains("Bedoel je /checkin?"),
        "{typo}"
    );

    let posted = h.text("admin", "/offer cafe-noord 1 tomorrow").await;
    assert!(
        posted.contains("1 plek bij cafe-noord op wo 25 nov, hele dag"),
        "{posted}"
    );
    let announced = h.delivered().await;
    assert!(
        announced.contains("biedt 1 vrije plek aan bij cafe-noord op wo 25 nov"),
        "{announced}"
    );
    assert!(announced.contains("[Plek aanvragen: /request 1]"), "{announced}");

    // Dutch words and the phrasings hosts use.
    let posted = h
        .text("admin", "/offer 2 plekken bij cafe-noord donderdag middag")
        .await;
    assert!(
        posted.contains("2 plekken bij cafe-noord op do 26 nov, 13:00–17:00"),
        "{posted}"
    );
    // A weekday whose hours are over today (Tuesday, 10:00 here) is next week's.
    let posted = h.text("admin", "/offer cafe-noord 1 dinsdag 8-9").await;
    assert!(posted.contains("op di 1 dec, 08:00–09:00"), "{posted}");
    let space = h.text("admin", "/space add loft capaciteit 6 goedkeuring").await;
    assert!(
        space.contains("Locatie loft toegevoegd (Europe/Amsterdam, 6 plekken"),
        "{space}"
    );
    let until = h.text("ann", "/checkin cafe-noord tot 17:00").await;
    assert!(until.contains("tot 17:00"), "{until}");
    let settings = h.text("admin", "/settings pairing_days ma-vr").await;
    assert!(
        settings.contains("op `ma-vr`") || settings.contains("op ma-vr"),
        "no English days: {settings}"
    );
    h.delivered().await;

    // And back.
    let reply = h.text("admin", "/settings language en").await;
    assert!(reply.starts_with("seatmate: Saved."), "{reply}");
    assert!(h.text("ann", "/checkout").await.contains("checked out"));
}

async fn a_language_seatmate_does_not_speak_is_refused(h: Harness) {
    h.community("admin", &[]).await;
    let reply = h.text("admin", "/settings language klingon").await;
    assert!(
        reply.contains("'klingon' is not a language Seatmate speaks yet."),
        "{reply}"
    );
    assert!(h.text("admin", "/settings").await.contains("Language: en"));
}

on_both_backends!(
    a_community_switches_to_dutch,
    a_language_seatmate_does_not_speak_is_refused
);
