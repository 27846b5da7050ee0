//! Ask the room, through the core and the console: a question reaches the
//! members who offer what it names (nobody who opted out), the first
//! "I can help" wins however the presses race, and the limits hold.

use super::common::Harness;

/// Utrecht Coworkers: ann asks; bob (at cafe-noord with her) and dan offer
/// postgres; cat offers it too but takes no questions; eve offers design.
async fn the_room(h: &Harness) {
    h.community("admin", &["cafe-noord"]).await;
    for (who, offers) in [
        ("ann", "design"),
        ("bob", "postgres"),
        ("cat", "postgres"),
        ("dan", "postgres, replication"),
        ("eve", "design"),
    ] {
        h.say(who, &format!("/profile offers {offers}")).await;
    }
    let off = h.text("cat", "/profile asks off").await;
    assert!(off.contains("No more questions from /ask."), "{off}");
    assert!(h
        .text("cat", "/profile")
        .await
        .contains("Questions from /ask: off (/profile asks on turns them on)"));
    h.say("ann", "/checkin cafe-noord").await;
    h.say("bob", "/checkin cafe-noord").await;
    h.delivered().await;
}

/// What `user` sees after saying `text` to `core` in the console chat.
async fn says(core: &seatmate_bot::Core, user: &str, text: &str) -> String {
    seatmate_console::render(&core.handle_text(&seatmate_console::request(user, text)).await, user)
}

pub(super) async fn a_question_reaches_who_can_help_and_the_first_helper_wins(h: Harness) {
    the_room(&h).await;
    assert_eq!(
        h.text("ann", "/ask who knows postgres replication?").await,
        "seatmate (only ann): ❓ Asked 2 people who can help with postgres, replication (question #1). \
         You hear from me privately when someone can; /asks shows your open questions.\n"
    );
    // Cat opted out, and eve offers nothing it names.
    let sent = h.delivered().await;
    for (who, offers) in [("bob", "postgres"), ("dan", "postgres, replication")] {
        assert!(
            sent.contains(&format!(
                "seatmate (private to {who}): ❓ @ann asks (question #1): “who knows postgres replication?”\n    \
                 I asked you because you offer {offers}. Can you help?\n    \
                 [I can help: /canhelp 1]\n    \
                 [Not now: /notnow 1]\n"
            )),
            "{sent}"
        );
    }
    assert_eq!(sent.matches("seatmate (private to").count(), 2, "{sent}");
    let eve = h.text("eve", "/canhelp 1").await;
    assert!(eve.contains("You were not asked question #1."), "{eve}");
    assert!(h
        .text("cat", "/notnow 1")
        .await
        .contains("You were not asked question #1."));

    // Bob and dan press "I can help" at once, each through their own process.
    let other = h.another_process().await;
    let (bob, dan) = tokio::join!(h.text("bob", "/canhelp 1"), says(&other, "dan", "/canhelp 1"));
    let thanks = "🙌 Thank you! You are helping @ann with question #1, “who knows postgres replication?”.";
    // The loser is told twice: as the answer to their press, and by the
    // winner's note to everyone asked who had not answered yet.
    let (winner, loser, loser_name) = match (bob.contains(thanks), dan.contains(thanks)) {
        (true, false) => ("bob", dan, "dan"),
        (false, true) => ("dan", bob, "bob"),
        both => panic!("exactly one helper wins: {both:?}\n{bob}\n{dan}"),
    };
    assert!(
        loser.contains("Someone else is helping with question #1 already."),
        "{loser}"
    );
    let winner_offers = if winner == "bob" {
        "postgres"
    } else {
        "postgres, replication"
    };
    let told = h.delivered().await;
    assert!(
        told.contains(&format!(
            "seatmate (private to ann): 🙌 @{winner} can help with your question #1, “who knows postgres replication?”. \
             Reach out to them!\n    \
             @{winner} can help with {winner_offers}.\n"
        )),
        "{told}"
    );
    assert!(
        !told.contains(&format!("private to {winner}")),
        "the winner read their introduction as the answer: {told}"
    );
    assert!(!told.contains("to cat") && !told.contains("to eve"), "{told}");
    assert!(
        told.contains(&format!(
            "seatmate (private to {loser_name}): Question #1 from @ann has found a helper."
        )),
        "{told}"
    );
    assert!(
        h.text(winner, "/canhelp 1")
            .await
            .contains("You are helping with question #1 already."),
        "a second press changes nothing"
    );
    assert_eq!(h.delivered().await, "");
    assert_eq!(
        h.text("ann", "/asks").await,
        "seatmate (only ann): You have no open questions. Ask one like this: /ask who knows postgres replication?\n"
    );
    assert!(h
        .text("ann", "/ask close 1")
        .await
        .contains(&format!("Question #1 has its helper already: @{winner}.")));
}

/// "Not now" from everyone tells the asker, without names; three questions
/// a day; closing; and what a wrong word gets.
pub(super) async fn not_now_the_daily_limit_closing_and_bad_input(h: Harness) {
    the_room(&h).await;
    for (line, says) in [
        (
            "/ask",
            "What is your question? For example /ask who knows postgres replication?",
        ),
        ("/ask close", "Which question? Give its number, like /ask close 3"),
        (
            "/ask close x",
            "'x' is not a question number; give one like /ask close 3.",
        ),
        ("/canhelp", "Which question? Give its number, like /ask close 3"),
    ] {
        let got = h.text("ann", line).await;
        assert!(got.contains(says), "{line}: {got}");
    }
    let nobody = h.text("ann", "/ask anyone free for lunch?").await;
    assert!(
        nobody.contains("so I asked no one.") && nobody.contains("/profile wants free, lunch"),
        "{nobody}"
    );
    assert_eq!(h.delivered().await, "", "nobody asked");

    assert!(h.text("ann", "/ask postgres backups").await.contains("(question #1)"));
    h.delivered().await;
    assert_eq!(
        h.text("bob", "/notnow 1").await,
        "seatmate (only bob): Noted: not now. Nobody is told who said so.\n"
    );
    assert_eq!(h.delivered().await, "", "the asker hears nothing of one not now");
    assert!(
        h.text("bob", "/notnow 1").await.contains("Noted"),
        "said twice, still once"
    );
    h.text("dan", "/notnow 1").await;
    assert_eq!(
        h.delivered().await,
        "seatmate (private to ann): None of the 2 people asked can help with question #1 right now. \
         Ask in the chat, or close it with /ask close 1.\n"
    );

    assert!(h.text("ann", "/ask postgres tuning").await.contains("(question #2)"));
    assert!(h.text("ann", "/ask replication lag").await.contains("(question #3)"));
    h.delivered().await;
    let fourth = h.text("ann", "/ask postgres upgrades").await;
    assert!(
        fourth.contains("You asked 3 questions today: that is the most a day"),
        "{fourth}"
    );
    assert_eq!(h.delivered().await, "", "a question over the limit asks nobody");
    let open = h.text("ann", "/asks").await;
    assert!(
        open.starts_with("seatmate (only ann): Your open questions:\n"),
        "{open}"
    );
    for line in [
        "• #1 (Tue 24 Nov 10:00): “postgres backups” — asked 2 people",
        "• #2 (Tue 24 Nov 10:00): “postgres tuning” — asked 2 people",
        "• #3 (Tue 24 Nov 10:00): “replication lag” — asked 1 person",
        "[Close #3: /ask close 3]",
    ] {
        assert!(open.contains(line), "{line}\n{open}");
    }

    assert!(h.text("bob", "/ask close 3").await.contains("You have no question #3."));
    assert!(h
        .text("ann", "/ask close 3")
        .await
        .contains("Closed question #3: nobody can answer it any more."));
    assert!(h
        .text("ann", "/ask close 3")
        .await
        .contains("Question #3 is closed already."));
    assert!(h
        .text("dan", "/canhelp 3")
        .await
        .contains("Question #3 was closed by whoever asked it."));
    assert!(!h.text("ann", "/asks").await.contains("#3"));

    // The next day in Amsterdam, three more.
    h.set_time("2026-11-24T23:30:00Z");
    assert!(h.text("ann", "/ask postgres upgrades").await.contains("(question #4)"));

    // Each one's data holds their side of it.
    let data = |who: &'static str| {
        let h = &h;
        async move {
            let file = h.say(who, "/mydata").await.attachment.expect("the export");
            serde_json::from_slice::<serde_json::Value>(&file.bytes()).unwrap()
        }
    };
    let ann = data("ann").await;
    assert_eq!(ann["questions_asked"].as_array().unwrap().len(), 4);
    assert_eq!(ann["questions_asked"][0]["text"], "postgres backups");
    assert_eq!(ann["takes_questions"], true);
    let bob = data("bob").await;
    assert_eq!(bob["questions_received"][0]["answer"], "not_now");
    assert_eq!(data("cat").await["takes_questions"], false);
}

pub(super) async fn questions_read_in_the_communitys_language(h: Harness) {
    the_room(&h).await;
    h.say("admin", "/settings language nl").await;
    let asked = h.text("ann", "/ask wie kent postgres-replicatie?").await;
    assert!(
        asked.contains("❓ 2 mensen gevraagd die kunnen helpen met postgres (vraag #1)."),
        "{asked}"
    );
    let sent = h.delivered().await;
    assert!(
        sent.contains(
            "seatmate (private to dan): ❓ @ann vraagt (vraag #1): “wie kent postgres-replicatie?”\n    \
             Ik vraag het jou omdat je postgres aanbiedt. Kun je helpen?\n    \
             [Ik kan helpen: /canhelp 1]\n    \
             [Nu niet: /notnow 1]"
        ),
        "{sent}"
    );
    assert!(h
        .text("dan", "/canhelp 1")
        .await
        .contains("🙌 Dank je! Je helpt @ann met vraag #1"));
    let told = h.delivered().await;
    assert!(told.contains("🙌 @dan kan helpen met je vraag #1"), "{told}");
    assert!(
        told.contains("seatmate (private to bob): Vraag #1 van @ann heeft een helper gevonden."),
        "{told}"
    );
}

/// Ann has asked twice today; two processes take a third and a fourth at
/// the same moment: one is asked, one is refused, and nobody is asked twice.
pub(super) async fn the_daily_limit_holds_when_two_processes_take_questions_at_once(h: Harness) {
    the_room(&h).await;
    for question in ["postgres backups", "postgres tuning"] {
        assert!(h.text("ann", &format!("/ask {question}")).await.contains("❓ Asked"));
    }
    h.delivered().await;
    let other = h.another_process().await;
    let (one, two) = tokio::join!(
        h.text("ann", "/ask replication lag"),
        says(&other, "ann", "/ask postgres upgrades")
    );
    let asked = [&one, &two].iter().filter(|r| r.contains("(question #3)")).count();
    let refused = [&one, &two]
        .iter()
        .filter(|r| r.contains("You asked 3 questions today"))
        .count();
    assert_eq!((asked, refused), (1, 1), "{one}\n{two}");
    let sent = h.delivered().await;
    assert!(!sent.contains("question #4"), "{sent}");
    assert_eq!(
        sent.matches("(question #3)").count(),
        sent.matches("seatmate (private to").count(),
        "{sent}"
    );
}
