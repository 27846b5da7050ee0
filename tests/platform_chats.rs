//! What a chat platform tells the core about chats themselves, on both
//! backends: the bot added to a group or removed from it, a group that got a
//! new id, and which community a private chat acts for.

mod common;

use common::{Harness, TelegramUser, TG_ADMIN as ANN, TG_MEMBER as BEA};
use seatmate_bot::catalogue::ArgKind;
use seatmate_bot::store::{DeliveryRecord, Envelope, Outgoing, Recipient, Target};
use seatmate_bot::{Audience, Caller, ChatEvent, ChatKey, Inbound, Platform, Reply, Span};

fn group(id: &str) -> ChatKey {
    ChatKey {
        platform: Platform::Telegram,
        chat_id: id.into(),
        private: false,
    }
}

fn caller(user: &TelegramUser) -> Caller {
    Caller {
        user_id: user.id.into(),
        display_name: user.name.into(),
        username: user.username.map(Into::into),
    }
}

fn text(reply: &seatmate_bot::Reply) -> String {
    reply.plain_text(Platform::Telegram)
}

/// What waits in the outbox for Telegram, rendered (claimed, so once).
async fn waiting(h: &Harness) -> Vec<(Recipient, String)> {
    let now = h.now();
    let claimed: Vec<Envelope> = h
        .store
        .claim_outbox(
            Platform::Telegram,
            now,
            now + chrono::Duration::seconds(60),
            100,
            "test/claim",
        )
        .await
        .unwrap();
    claimed
        .into_iter()
        .map(|e| {
            let body = e.body.render(seatmate_bot::Locale::En).plain_text(Platform::Telegram);
            (e.recipient, body)
        })
        .collect()
}

async fn a_private_chat_asks_which_community_and_use_chooses(h: Harness) {
    h.telegram(&ANN, "-100", "/setup Utrecht Coworkers").await;
    h.telegram(&ANN, "-200", "/setup Lisbon Nomads").await;
    h.telegram(&ANN, "-100", "/space add loft").await;
    h.telegram(&ANN, "-200", "/space add praia").await;

    // Two communities, none chosen: which? With a button for each.
    let asked = h.telegram(&ANN, "1", "/space list").await;
    let said = text(&asked);
    assert!(
        said.contains("You belong to several communities: Lisbon Nomads, Utrecht Coworkers"),
        "{said}"
    );
    let buttons: Vec<&str> = asked.buttons.iter().map(|b| b.command.as_str()).collect();
    assert_eq!(buttons, ["/use Lisbon Nomads", "/use Utrecht Coworkers"]);

    let bad = text(&h.telegram(&ANN, "1", "/use Porto").await);
    assert!(bad.contains("You are not a member of Porto"), "{bad}");
    let in_group = text(&h.telegram(&ANN, "-100", "/use Lisbon Nomads").await);
    assert!(in_group.contains("Here this chat's community counts"), "{in_group}");

    let chosen = text(&h.telegram(&ANN, "1", "/use utrecht coworkers").await);
    assert!(
        chosen.contains("what you send me privately acts for Utrecht Coworkers"),
        "{chosen}"
    );
    let spaces = text(&h.telegram(&ANN, "1", "/space list").await);
    assert!(spaces.contains("loft") && !spaces.contains("praia"), "{spaces}");
    h.telegram(&ANN, "1", "/use Lisbon Nomads").await;
    let spaces = text(&h.telegram(&ANN, "1", "/space list").await);
    assert!(spaces.contains("praia") && !spaces.contains("loft"), "{spaces}");

    // A member of one community needs no choice.
    h.telegram(&BEA, "-100", "/profile").await;
    let spaces = text(&h.telegram(&BEA, "2", "/space list").await);
    assert!(spaces.contains("loft"), "{spaces}");
}

async fn a_removed_bot_pauses_the_chat_tells_the_admins_and_comes_back(h: Harness) {
    // Added to a new group: how to begin; to a group set up already: nothing.
    let greeting = bot_added(&h, &group("-100"), &caller(&ANN)).await;
    let greeting = text(&greeting.expect("a greeting"));
    assert!(
        greeting.contains("An admin starts a community with /setup"),
        "{greeting}"
    );
    h.telegram(&ANN, "-100", "/setup Utrecht Coworkers").await;
    h.telegram(&ANN, "-100", "/space add loft").await;
    assert_eq!(bot_added(&h, &group("-100"), &caller(&ANN)).await, None);

    h.telegram(&ANN, "-100", "/offer loft 2 tomorrow").await;
    h.bot
        .chat_event(ChatEvent::BotRemoved { chat: &group("-100") })
        .await
        .unwrap();
    h.bot
        .chat_event(ChatEvent::BotRemoved { chat: &group("-100") })
        .await
        .unwrap();
    let told = waiting(&h).await;
    // The announcement is given up; Ann is told privately, once, not in the group.
    assert_eq!(told.len(), 1, "{told:?}");
    let (to, said) = &told[0];
    assert_eq!(to, &Recipient::Member("1".into()));
    assert!(
        said.contains("I can no longer post in a chat of Utrecht Coworkers on Telegram"),
        "{said}"
    );
    // Paused, the chat keeps its community, but offers are not announced there.
    h.telegram(&ANN, "-100", "/offer loft 1 friday").await;
    assert!(waiting(&h)
        .await
        .iter()
        .all(|(to, _)| to != &Recipient::Chat("-100".into())));

    // Added back: it says so, and announcements go there again.
    let back = bot_added(&h, &group("-100"), &caller(&ANN)).await;
    assert!(text(&back.expect("a greeting")).contains("I'm back: announcements of Utrecht Coworkers"));
    h.telegram(&ANN, "-100", "/offer loft 1 saturday").await;
    assert!(waiting(&h)
        .await
        .iter()
        .any(|(to, _)| to == &Recipient::Chat("-100".into())));

    // Paused again, an admin's /setup there brings it back too.
    h.bot
        .chat_event(ChatEvent::BotRemoved { chat: &group("-100") })
        .await
        .unwrap();
    let again = text(&h.telegram(&ANN, "-100", "/setup Utrecht Coworkers").await);
    assert!(again.contains("I'm back"), "{again}");
    let bound = text(&h.telegram(&ANN, "-100", "/setup Utrecht Coworkers").await);
    assert!(bound.contains("already"), "{bound}");
}

async fn a_group_that_moves_keeps_its_community_and_its_waiting_messages(h: Harness) {
    h.telegram(&ANN, "-100", "/setup Utrecht Coworkers").await;
    h.telegram(&ANN, "-100", "/space add loft").await;
    h.telegram(&ANN, "-100", "/offer loft 2 tomorrow").await;
    h.bot
        .chat_event(ChatEvent::ChatMoved {
            platform: Platform::Telegram,
            from: "-100",
            to: "-1009",
        })
        .await
        .unwrap();
    let waiting = waiting(&h).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].0, Recipient::Chat("-1009".into()));
    let spaces = text(&h.telegram(&BEA, "-1009", "/space list").await);
    assert!(spaces.contains("loft"), "{spaces}");
}

async fn spaces_are_suggested_from_what_was_typed(h: Harness) {
    h.telegram(&ANN, "-100", "/setup Utrecht Coworkers").await;
    for slug in ["cafe-noord", "loft", "noord-lab"] {
        h.telegram(&ANN, "-100", &format!("/space add {slug}")).await;
    }
    let (chat, bea) = (group("-100"), caller(&BEA));
    let complete = |kind, typed| seatmate_bot::service::complete::complete(&h.bot, &chat, &bea, kind, typed);
    assert_eq!(complete(ArgKind::Space, "noord").await, ["noord-lab", "cafe-noord"]);
    assert_eq!(complete(ArgKind::SpaceOrRemote, "re").await, ["remote"]);
    assert_eq!(complete(ArgKind::Zone, "Europe/Ams").await, ["Europe/Amsterdam"]);
    assert!(complete(ArgKind::Date, "to").await.is_empty());
    // A chat that is no community's has no spaces to offer.
    assert!(
        seatmate_bot::service::complete::complete(&h.bot, &group("-999"), &caller(&BEA), ArgKind::Space, "")
            .await
            .is_empty()
    );
}

async fn where_replies_can_be_ephemeral_the_inbox_opens_in_the_channel(h: Harness) {
    let channel = ChatKey {
        platform: Platform::Discord,
        chat_id: "c1".into(),
        private: false,
    };
    let dee = Caller {
        user_id: "9".into(),
        display_name: "Dee".into(),
        username: Some("dee".into()),
    };
    let says = |text: &str| Inbound::new(channel.clone(), dee.clone(), text);
    h.bot.handle_text(&says("/setup Guild Coworkers")).await;
    let community = h.store.communities().await.unwrap().remove(0).id;
    let identity = seatmate_bot::store::Identity {
        platform: Platform::Discord,
        user_id: "9".into(),
        display_name: "Dee".into(),
        username: Some("dee".into()),
    };
    let member = h.store.enter(&channel, &identity, h.now()).await.unwrap().member;

    // A DM Discord refused: held.
    let notice = Reply::private().line(vec![Span::Text("your seat at loft is confirmed".into())]);
    h.store
        .enqueue(&[Outgoing::new(community, Target::Member(member), notice)], h.now())
        .await
        .unwrap();
    let now = h.now();
    let claimed = h
        .store
        .claim_outbox(
            Platform::Discord,
            now,
            now + chrono::Duration::seconds(60),
            10,
            "test/claim",
        )
        .await
        .unwrap();
    let held = DeliveryRecord::Held {
        error: "50007".into(),
        nudge: None,
    };
    h.store
        .record_delivery(claimed[0].id, &claimed[0].claim, &held, now)
        .await
        .unwrap();

    // In the channel, /inbox shows it to Dee alone (an ephemeral reply).
    let inbox = h.bot.handle_text(&says("/inbox")).await;
    assert_eq!(inbox.audience, Audience::Caller);
    assert!(
        text(&inbox).contains("your seat at loft is confirmed"),
        "{}",
        text(&inbox)
    );
    let again = text(&h.bot.handle_text(&says("/inbox")).await);
    assert!(!again.contains("your seat"), "handed over once: {again}");
}

async fn slash_command_options_run_through_the_same_grammar_and_name_members_who_never_spoke(h: Harness) {
    let channel = ChatKey {
        platform: Platform::Discord,
        chat_id: "c1".into(),
        private: false,
    };
    let person = |id: &str, name: &str| Caller {
        user_id: id.into(),
        display_name: name.into(),
        username: Some(name.to_lowercase()),
    };
    let dee = Inbound::new(channel.clone(), person("9", "Dee"), "");
    h.bot
        .handle_options(&dee, "setup", &[("name", "Guild Coworkers")])
        .await;
    let added = h
        .bot
        .handle_options(
            &dee,
            "space add",
            &[("slug", "loft"), ("capacity", "12"), ("approval", "true")],
        )
        .await;
    assert!(text(&added).contains("Added space loft"), "{}", text(&added));
    // Eve never wrote anything: picked in a USER option, she is known at once.
    let mut picking = dee.clone();
    picking.mentioned.push(person("12", "Eve"));
    let hosted = h
        .bot
        .handle_options(&picking, "host add", &[("member", "<@12>"), ("space", "loft")])
        .await;
    assert!(text(&hosted).contains("now hosts loft"), "{}", text(&hosted));
    // Bad options are refused as bad text is, changing nothing.
    let bad = h.bot.handle_options(&dee, "space add", &[("slug", "lo ft")]).await;
    assert_eq!(bad.audience, Audience::Caller);
    let unknown = h.bot.handle_options(&dee, "space add", &[("colour", "blue")]).await;
    assert!(text(&unknown).contains("colour"), "{}", text(&unknown));
    let spaces = text(&h.bot.handle_options(&dee, "space list", &[]).await);
    assert!(spaces.contains("loft") && !spaces.contains("lo ft"), "{spaces}");
}

on_both_backends!(
    slash_command_options_run_through_the_same_grammar_and_name_members_who_never_spoke,
    where_replies_can_be_ephemeral_the_inbox_opens_in_the_channel,
    spaces_are_suggested_from_what_was_typed,
    a_private_chat_asks_which_community_and_use_chooses,
    a_removed_bot_pauses_the_chat_tells_the_admins_and_comes_back,
    a_group_that_moves_keeps_its_community_and_its_waiting_messages,
);

/// What the bot says in `chat` when `by` adds it there, if anything.
async fn bot_added(h: &Harness, chat: &ChatKey, by: &Caller) -> Option<Reply> {
    let said = h.bot.chat_event(ChatEvent::BotAdded { chat, by }).await.unwrap();
    assert!(said.iter().all(|(to, _)| to == chat), "said only in the chat: {said:?}");
    said.into_iter().next().map(|(_, reply)| reply)
}
