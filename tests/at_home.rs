//! Nothing silent, and at home on each platform: the real `seatmate` binary
//! against the fakes of Telegram and Discord (every request checked against
//! the vendored API descriptions), as members and admins find it.

// Each fake brings the shared waiting helper along: loaded twice here.
#![allow(clippy::duplicate_mod)]

mod common;
#[path = "common/discord_bot.rs"]
mod discord_bot;
#[path = "common/fake_discord.rs"]
mod fake_discord;
#[path = "common/fake_telegram.rs"]
mod fake_telegram;
#[path = "common/telegram_bot.rs"]
mod telegram_bot;

use serde_json::{json, Value};

/// A value Discord would accept for a registered option: the least number,
/// a member, a flag, or a word that fits options of its name.
fn sample_value(option: &Value) -> Value {
    match option["type"].as_u64() {
        Some(4) => json!(option["min_value"].as_i64().unwrap_or(1)),
        Some(5) => json!(true),
        Some(6) => json!(discord_bot::BEA.to_string()),
        _ => json!(match option["name"].as_str().unwrap_or_default() {
            "space" | "offer" => "cafe-noord",
            "slug" => "loft",
            "date" => "tomorrow",
            "zone" => "Europe/Amsterdam",
            "language" => "nl",
            "platform" => "discord",
            "command" => "checkin",
            "code" => "ABCD-2345",
            "tags" => "rust",
            _ => "something",
        }),
    }
}

/// The required options of a registered command (or subcommand), filled.
fn required_options(options: &Value) -> Value {
    let filled: Vec<Value> = options
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["required"] == true)
        .map(|o| json!({"name": o["name"], "type": o["type"], "value": sample_value(o)}))
        .collect();
    json!(filled)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_and_subcommand_discord_registers_is_understood() {
    use discord_bot::*;
    let bot = Bot::start().await;
    bot.community().await;
    let commands = bot.fake.state().commands.clone();
    let mut asked = 0;
    let mut unknown = Vec::new();
    let mut foreign = Vec::new();
    for command in &commands {
        let name = command["name"].as_str().unwrap();
        let options = command["options"].as_array().cloned().unwrap_or_default();
        let subcommands: Vec<&Value> = options.iter().filter(|o| o["type"] == 1).collect();
        let calls: Vec<(String, Value)> = if subcommands.is_empty() {
            vec![(name.to_string(), required_options(&command["options"]))]
        } else {
            subcommands
                .iter()
                .map(|sub| {
                    let inner = required_options(&sub["options"]);
                    (
                        format!("{name} {}", sub["name"].as_str().unwrap()),
                        json!([{"name": sub["name"], "type": 1, "options": inner}]),
                    )
                })
                .collect()
        };
        for (shown, options) in calls {
            let answer = bot.slash(&ann(), fake_discord::MANAGE_SERVER, name, options).await;
            asked += 1;
            if answer.content.contains("I don't know /") || answer.content.is_empty() {
                unknown.push(format!("/{shown}: {}", answer.content));
            }
            // Every answer reads as Discord speaks.
            for word in TELEGRAM_WORDS {
                if answer.content.contains(word) {
                    foreign.push(format!("/{shown}: '{word}' in {}", answer.content));
                }
            }
            if let Some(form) = text_syntax(&answer.content) {
                foreign.push(format!("/{shown}: text syntax '{form}' in {}", answer.content));
            }
        }
    }
    assert!(asked > 40, "{asked} forms asked");
    assert_eq!(
        unknown,
        Vec::<String>::new(),
        "forms the menu offers but the bot does not take"
    );
    assert_eq!(
        foreign,
        Vec::<String>::new(),
        "Telegram's words or text syntax on Discord"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_telegram_lists_is_understood() {
    use telegram_bot::*;
    let bot = Bot::start().await;
    bot.fake.start_private_chat(ANN);
    bot.community().await;
    let menus = bot.fake.state().commands.clone();
    let names: std::collections::BTreeSet<String> = menus
        .iter()
        .flat_map(|menu| menu["commands"].as_array().cloned().unwrap_or_default())
        .map(|c| c["command"].as_str().unwrap().to_string())
        .collect();
    assert!(names.len() > 20, "{names:?}");
    let mut unknown = Vec::new();
    let mut foreign = Vec::new();
    for name in &names {
        // Some answers go privately (`/forgetme`'s button): any new message.
        let before = bot.fake.sent().len();
        // In the private chat: a group takes 20 messages a minute.
        bot.say(ANN, &ann(), &format!("/{name}")).await;
        bot.fake
            .wait_for(&format!("an answer to /{name}"), PATIENCE, |s| s.sent.len() > before)
            .await;
        for answer in &bot.fake.sent()[before..] {
            if answer.text.contains("I don't know /") {
                unknown.push(format!("/{name}: {}", answer.text));
            }
            for word in DISCORD_WORDS {
                if answer.text.contains(word) {
                    foreign.push(format!("/{name}: '{word}' in {}", answer.text));
                }
            }
        }
    }
    assert_eq!(
        unknown,
        Vec::<String>::new(),
        "commands the menu offers but the bot does not take"
    );
    assert_eq!(foreign, Vec::<String>::new(), "Discord's words on Telegram");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_channel_the_bot_cannot_post_in_is_named_at_setup_and_paused_when_it_happens() {
    use discord_bot::*;
    use fake_discord::FakeDiscord;
    let bot = Bot::start().await;

    // Set up where the bot may not post: refused, naming what is missing.
    bot.fake.forbid_posting(CHANNEL);
    let setup = bot.setup().await;
    assert!(setup.content.contains("missing **Send Messages**"), "{}", setup.content);
    assert!(setup.ephemeral, "a refusal is for the admin");
    let checkin = bot.slash(&bea(), "0", "checkin", json!([])).await;
    assert!(
        checkin.content.contains("not set up"),
        "no community was made: {}",
        checkin.content
    );

    // Allowed to post: set up. Then the permission is taken away.
    bot.fake.state().no_send_clear();
    bot.community().await;
    bot.fake.forbid_posting(CHANNEL);
    let posted = bot.offer_on(2, "tomorrow").await;
    assert!(posted.content.contains("Announcing it in 1 chat"), "{}", posted.content);
    // The refused announcement pauses the channel and tells the admin privately.
    let told = bot
        .wait_posted(
            FakeDiscord::dm_channel(ANN),
            "I can no longer post in a chat of **Guild Coworkers**",
        )
        .await;
    assert!(told.content.contains("permission"), "{}", told.content);
    // Later offers know it: no chat takes them now.
    let again = bot.offer_on(1, "friday").await;
    assert!(
        again
            .content
            .contains("No chat of the community takes announcements now"),
        "{}",
        again.content
    );

    // The bot is added back with its permission: the channel resumes, as a
    // Telegram group does when the bot is added again.
    bot.fake.state().no_send_clear();
    bot.fake.add_to_server();
    bot.wait_posted(CHANNEL, "announcements of **Guild Coworkers** go to this chat again")
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_server_the_bot_joins_is_greeted_in_a_channel_it_may_post_in() {
    use discord_bot::*;
    let bot = Bot::start().await;
    // The first channel is closed to the bot; the second is open.
    bot.fake.forbid_posting(CHANNEL);
    bot.fake.add_channel(301, "lobby");
    bot.fake.add_to_server();
    let greeting = bot.wait_posted(301, "This chat is not set up yet").await;
    assert!(
        greeting.content.contains("Seatmate helps this community"),
        "{}",
        greeting.content
    );
    // The connection's own GUILD_CREATE (joined long ago) greeted nobody.
    let greetings = bot
        .fake
        .posted()
        .iter()
        .filter(|p| p.content.contains("not set up yet"))
        .count();
    assert_eq!(greetings, 1);
    bot.stop().await;
}

/// `text` written in the group by an admin who remains anonymous: from
/// Telegram's placeholder bot, as the group itself.
fn as_anonymous_admin(text: &str) -> Value {
    let placeholder =
        json!({"id": 1_087_968_824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"});
    let mut message = fake_telegram::message(telegram_bot::GROUP, &placeholder, text);
    message["sender_chat"] = fake_telegram::chat(telegram_bot::GROUP);
    message
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_telegram_admins_run_admin_commands_and_hear_why_others_need_a_person() {
    use telegram_bot::*;
    let bot = Bot::start().await;
    let id = bot.send(as_anonymous_admin("/setup Europe/Amsterdam Anon Club")).await;
    let setup = bot.answer_to(id).await;
    assert!(setup.text.contains("Welcome to Seatmate, Anon Club!"), "{}", setup.text);
    let id = bot.send(as_anonymous_admin("/space add loft capacity 6")).await;
    assert!(bot.answer_to(id).await.text.contains("Added space loft"));
    let id = bot.send(as_anonymous_admin("/checkin loft")).await;
    let refused = bot.answer_to(id).await;
    assert!(
        refused
            .text
            .contains("/checkin needs to know who you are. Turn off Remain anonymous"),
        "{}",
        refused.text
    );
    // A member still gets the space the anonymous admin added.
    let checkin = bot.ask(GROUP, &bea(), "/checkin loft").await;
    assert!(checkin.text.contains("checked in at loft"), "{}", checkin.text);
    // Another bot's messages stay ignored: only the group's own admins count.
    let other_bot = json!({"id": 4242, "is_bot": true, "first_name": "Other"});
    bot.say(GROUP, &other_bot, "/space add other").await;
    let spaces = bot.ask(GROUP, &bea(), "/space list").await;
    assert!(!spaces.text.contains("other"), "{}", spaces.text);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_private_messages_keep_their_files_and_come_as_one_digest_on_any_private_message() {
    use telegram_bot::*;
    let bot = Bot::start().await;
    bot.community().await;
    // Cas has not pressed Start: private messages are held, with one nudge.
    let refused_to_cas = |s: &fake_telegram::State| s.refused.iter().filter(|r| r.chat_id == CAS).count();
    bot.say(GROUP, &cas(), "/mydata").await;
    bot.wait_sent(GROUP, "I have a private message for you").await;
    // Held once the delivery loop was refused as the answer was.
    let per_export = refused_to_cas(&bot.fake.state());
    bot.ask(GROUP, &cas(), "/profile offers espresso").await;
    bot.say(GROUP, &cas(), "/mydata").await;
    bot.fake
        .wait_for("the second export held", PATIENCE, |s| {
            refused_to_cas(s) >= 2 * per_export
        })
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        bot.sent_to(GROUP, "I have a private message for you").len(),
        1,
        "one nudge a chat"
    );

    // Any message in the private chat opens it: both come as one digest,
    // with the newest export as a document.
    bot.fake.start_private_chat(CAS);
    bot.say(CAS, &cas(), "hello").await;
    let digest = bot.wait_sent(CAS, "2 messages waited here").await;
    assert_eq!(
        digest.text.matches("Everything Seatmate keeps about you").count(),
        2,
        "{}",
        digest.text
    );
    bot.fake
        .wait_for("a document for Cas", PATIENCE, |s| {
            s.documents.iter().any(|d| d.chat_id == CAS)
        })
        .await;
    let documents = bot.fake.documents();
    assert_eq!(documents.len(), 1);
    let data: Value = serde_json::from_slice(&documents[0].content).unwrap();
    assert_eq!(data["offers"], json!(["espresso"]), "the newest export");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_held_before_start_arrives_as_a_file_through_start_inbox() {
    use telegram_bot::*;
    let bot = Bot::start().await;
    bot.community().await;
    bot.say(GROUP, &cas(), "/mydata").await;
    bot.wait_sent(GROUP, "I have a private message for you").await;
    bot.fake.start_private_chat(CAS);
    bot.say(CAS, &cas(), "/start inbox").await;
    bot.wait_sent(CAS, "Everything Seatmate keeps about you").await;
    bot.fake
        .wait_for("the export as a document", PATIENCE, |s| {
            s.documents.iter().any(|d| d.chat_id == CAS)
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_channel_of_a_discord_server_is_offered_to_join_its_community_never_a_second_one() {
    use discord_bot::*;
    use fake_discord::{command, press, MANAGE_SERVER, NO_PERMISSIONS};
    const LOBBY: u64 = 301;
    let bot = Bot::start().await;
    bot.community().await;

    // A member in another channel hears whose server this is, with a button.
    let hint = bot
        .interact(command(LOBBY, &bea(), NO_PERMISSIONS, "checkin", json!([])))
        .await;
    assert!(
        hint.content
            .contains("This channel is not part of **Guild Coworkers** yet"),
        "{}",
        hint.content
    );
    let (label, custom_id) = hint.buttons[0].clone();
    assert_eq!(label, "Add this channel to Guild Coworkers");
    // /setup there does not start a second community.
    let setup = bot
        .interact(command(
            LOBBY,
            &ann(),
            MANAGE_SERVER,
            "setup",
            json!([string("name", "Lobby Club")]),
        ))
        .await;
    assert!(
        setup.content.contains("not part of **Guild Coworkers** yet"),
        "{}",
        setup.content
    );
    // The button is for admins.
    let refused = bot.interact(press(LOBBY, &bea(), &custom_id)).await;
    assert!(
        refused.content.contains("Only admins of this chat"),
        "{}",
        refused.content
    );
    let mut by_admin = press(LOBBY, &ann(), &custom_id);
    by_admin["member"]["permissions"] = json!(MANAGE_SERVER);
    let joined = bot.interact(by_admin).await;
    assert!(joined.content.contains("Guild Coworkers"), "{}", joined.content);
    assert!(!joined.ephemeral, "the channel sees it joined");
    let checkin = bot
        .interact(command(LOBBY, &bea(), NO_PERMISSIONS, "checkin", json!([])))
        .await;
    assert!(checkin.content.contains("checked in"), "{}", checkin.content);
    // One community, two channels.
    let chats = bot.slash(&ann(), MANAGE_SERVER, "chats", json!([])).await;
    assert!(
        chats.content.contains("301") && chats.content.contains("300"),
        "{}",
        chats.content
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn community_names_are_unique_ignoring_case() {
    use telegram_bot::*;
    let bot = Bot::start().await;
    bot.community().await;
    bot.fake.make_admin(SUPERGROUP, BEA);
    let second = bot.ask(SUPERGROUP, &bea(), "/setup Europe/Amsterdam COWORKERS").await;
    assert!(
        second.text.contains("There is already a community called COWORKERS"),
        "{}",
        second.text
    );
    let other = bot
        .ask(SUPERGROUP, &bea(), "/setup Europe/Amsterdam Coworkers Noord")
        .await;
    assert!(
        other.text.contains("Welcome to Seatmate, Coworkers Noord!"),
        "{}",
        other.text
    );
    bot.stop().await;
}

/// `who` runs `name` in their DM with the bot.
fn in_dm(who: &Value, name: &str, options: Value) -> Value {
    let mut dm = fake_discord::command(0, who, "0", name, options);
    let user: u64 = who["id"].as_str().unwrap().parse().unwrap();
    let object = dm.as_object_mut().unwrap();
    object.remove("guild_id");
    object.remove("member");
    object.insert("user".into(), who.clone());
    object.insert(
        "channel_id".into(),
        json!(fake_discord::FakeDiscord::dm_channel(user).to_string()),
    );
    dm
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_admin_commands_in_a_dm_point_to_the_channel_where_permissions_are_known() {
    use discord_bot::*;
    use fake_discord::MANAGE_SERVER;
    let bot = Bot::start().await;
    bot.community().await;
    // Dan manages the server: in the channel, Discord says so.
    let added = bot
        .slash(
            &dan(),
            MANAGE_SERVER,
            "space",
            sub("add", json!([string("slug", "loft")])),
        )
        .await;
    assert!(added.content.contains("Added space `loft`"), "{}", added.content);
    // In his DM Discord says nothing of it: no stale answer, a pointer.
    let in_private = bot
        .interact(in_dm(&dan(), "space", sub("add", json!([string("slug", "attic")]))))
        .await;
    assert!(
        in_private.content.contains("in a channel of **Guild Coworkers**"),
        "{}",
        in_private.content
    );
    let spaces = bot.slash(&bea(), "0", "space", sub("list", json!([]))).await;
    assert!(!spaces.content.contains("attic"), "{}", spaces.content);
    bot.stop().await;
}

/// The bot against a fake that lists `guild` and `global` commands from an
/// earlier run, in the guild scope when `in_guild`.
async fn discord_with_earlier_commands(in_guild: bool) -> discord_bot::Bot {
    use fake_discord::{FakeDiscord, GUILD_ID, TOKEN};
    let fake = FakeDiscord::start(0.0, 1).await;
    let old = json!([{"name": "checkin", "description": "old", "type": 1}]);
    {
        let mut state = fake.state();
        state.guild_commands = old.as_array().unwrap().clone();
        state.global_commands = old.as_array().unwrap().clone();
    }
    let guild = GUILD_ID.to_string();
    let mut settings = vec![
        ("SEATMATE__DISCORD__TOKEN", TOKEN),
        ("SEATMATE__DISCORD__API_URL", fake.url.as_str()),
    ];
    if in_guild {
        settings.push(("SEATMATE__DISCORD__GUILD_ID", guild.as_str()));
    }
    let service = common::Service::start(&settings);
    let bot = discord_bot::Bot {
        fake,
        service,
        endpoint: None,
    };
    bot.fake
        .wait_for("the commands in one scope", discord_bot::PATIENCE, |s| {
            s.commands.len() > 1 && (s.guild_commands.is_empty() || s.global_commands.is_empty())
        })
        .await;
    bot
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_commands_are_listed_once_after_switching_between_server_and_global() {
    for in_guild in [true, false] {
        let bot = discord_with_earlier_commands(in_guild).await;
        let (guild, global, listed) = {
            let state = bot.fake.state();
            (
                state.guild_commands.len(),
                state.global_commands.len(),
                state.commands.clone(),
            )
        };
        let expected = seatmate_bot::catalogue::CATALOGUE.len();
        if in_guild {
            assert_eq!((guild, global), (expected, 0));
        } else {
            assert_eq!((guild, global), (0, expected));
        }
        let names: std::collections::BTreeSet<&str> = listed.iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), listed.len(), "each command listed once");
        bot.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_from_a_user_installed_context_is_refused_cleanly() {
    use discord_bot::*;
    let bot = Bot::start().await;
    bot.community().await;
    let mut elsewhere = fake_discord::command(CHANNEL, &bea(), "0", "checkin", json!([]));
    elsewhere["context"] = json!(2);
    let refused = bot.interact(elsewhere).await;
    assert!(refused.ephemeral);
    assert!(
        refused.content.contains("I only work in servers that added me"),
        "{}",
        refused.content
    );
    let here = bot.slash(&bea(), "0", "here", json!([])).await;
    assert!(
        !here.content.contains(&format!("<@{BEA}>")),
        "nobody checked in: {}",
        here.content
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_small_things_answers_retried_unknown_autocomplete_forged_buttons_and_help_for_a_subcommand() {
    use discord_bot::*;
    use fake_discord::{press, typing};
    let bot = Bot::start().await;
    bot.community().await;
    // Discord fails the first two answers with 502: tried again in time
    // (Bot::stop checks every answer came within 3 s, once).
    bot.fake.state().failing_callbacks = 2;
    let here = bot.slash(&bea(), "0", "here", json!([])).await;
    assert!(!here.content.is_empty());
    // Typing in an option of a command the bot does not know: an empty list.
    bot.fake.interact(typing(
        CHANNEL,
        &bea(),
        "oldcommand",
        json!([{"name": "space", "type": 3, "value": "ca", "focused": true}]),
    ));
    bot.fake
        .wait_for("an empty autocomplete", PATIENCE, |s| {
            s.autocompletes.iter().any(Vec::is_empty)
        })
        .await;
    // A button that was never ours says it is stale.
    let forged = bot.interact(press(CHANNEL, &bea(), "hello")).await;
    assert!(forged.content.contains("This button is stale"), "{}", forged.content);
    // Help for one subcommand, as the option writes it.
    let help = bot
        .slash(&bea(), "0", "help", json!([string("command", "space add")]))
        .await;
    assert!(help.content.contains("/space add slug:…"), "{}", help.content);
    assert!(
        !help.content.contains("/space remove"),
        "only the one asked: {}",
        help.content
    );
    // Discord's `until` option says what it takes.
    let commands = bot.fake.state().commands.clone();
    let checkin = commands.iter().find(|c| c["name"] == "checkin").unwrap();
    let until = checkin["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "until")
        .unwrap();
    assert!(
        !until["description"].as_str().unwrap().contains("write: until"),
        "{until}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_groups_get_short_help_one_message_per_offer_and_a_lone_start_says_where_i_live() {
    use telegram_bot::*;
    let bot = Bot::start().await;
    // Alone with the bot, in no community: how to bring it into a group.
    bot.fake.start_private_chat(DAN);
    let alone = bot.ask(DAN, &dan(), "/start").await;
    assert!(alone.text.contains("add me there"), "{}", alone.text);
    assert!(
        alone.text.contains("/setup Europe/Amsterdam Utrecht Coworkers"),
        "{}",
        alone.text
    );

    bot.community().await;
    // In the group, help is the members' commands and a pointer to private.
    let help = bot.ask(GROUP, &bea(), "/help").await;
    assert!(help.text.contains("/checkin"), "{}", help.text);
    for private in ["/forgetme", "/mydata", "/link", "/space add", "/pairnow"] {
        assert!(
            !help.text.contains(private),
            "{private} in the group's help: {}",
            help.text
        );
    }
    assert!(help.text.contains("in a private chat with me"), "{}", help.text);
    let admin_help = bot.ask(GROUP, &ann(), "/help").await;
    assert!(admin_help.text.contains("/space add"), "{}", admin_help.text);
    bot.fake.start_private_chat(BEA);
    let full = bot.ask(BEA, &bea(), "/help").await;
    assert!(
        full.text.contains("/forgetme"),
        "the whole list in private: {}",
        full.text
    );

    // One message per /offer: the announcement, answering the command.
    let posted = bot.ask(GROUP, &ann(), "/offer cafe-noord 2 tomorrow quiet room").await;
    assert!(
        posted.text.contains("offers 2 free seats") && posted.text.contains("quiet room"),
        "{}",
        posted.text
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        bot.sent_to(GROUP, "Posted offer").is_empty(),
        "no separate confirmation"
    );
    assert_eq!(bot.sent_to(GROUP, "quiet room").len(), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_offer_numbers_are_chosen_by_their_description() {
    use discord_bot::*;
    use fake_discord::typing;
    let bot = Bot::start().await;
    bot.community().await;
    bot.offer_on(2, "tomorrow").await;
    let fake = &bot.fake;
    let choices = |who: Value, name: &str, options: Value| {
        let before = fake.state().autocompletes.len();
        fake.interact(typing(CHANNEL, &who, name, options));
        async move {
            fake.wait_for("choices", PATIENCE, |s| s.autocompletes.len() > before)
                .await;
            let listed = fake.state().autocompletes[before].clone();
            listed
        }
    };
    let focused = |name: &str, value: Value| json!([{"name": name, "type": 4, "value": value, "focused": true}]);
    // To request: the open offers by description, then the spaces.
    let to_request = choices(
        bea(),
        "request",
        json!([{"name": "offer", "type": 3, "value": "", "focused": true}]),
    )
    .await;
    assert!(
        to_request[0].starts_with("#1 cafe-noord, ") && to_request[0].ends_with("2 left"),
        "{to_request:?}"
    );
    assert!(to_request.contains(&"cafe-noord".to_string()), "{to_request:?}");
    // To withdraw: only what the caller keeps (Ann is the admin; Bea nothing).
    let ann_withdraws = choices(ann(), "withdraw", focused("offer", json!(""))).await;
    assert_eq!(ann_withdraws.len(), 1, "{ann_withdraws:?}");
    assert!(choices(bea(), "withdraw", focused("offer", json!(""))).await.is_empty());
    // To cancel: the caller's own requests, with where they stand.
    bot.slash(&bea(), "0", "request", json!([string("offer", "1")])).await;
    let to_cancel = choices(
        bea(),
        "cancel",
        json!([{"name": "offer", "type": 3, "value": "", "focused": true}]),
    )
    .await;
    assert_eq!(to_cancel.len(), 1, "{to_cancel:?}");
    assert!(to_cancel[0].ends_with("your seat"), "{to_cancel:?}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chats_are_listed_by_their_titles() {
    use telegram_bot::*;
    let bot = Bot::start().await;
    bot.community().await;
    let chats = bot.ask(GROUP, &ann(), "/chats").await;
    assert!(
        chats.text.contains("Coworkers on Telegram (this chat)"),
        "{}",
        chats.text
    );
    assert!(!chats.text.contains(&GROUP.to_string()), "no ids: {}", chats.text);
    bot.stop().await;
}

/// Words of one platform that must not reach members of the other.
const TELEGRAM_WORDS: [&str; 4] = ["group chat", "private chat", "Open private chat", "press Start"];
const DISCORD_WORDS: [&str; 5] = ["channel", "server", "ephemeral", " DM", "Manage Server"];

/// Text syntax where Discord takes options: a placeholder or the
/// positional forms the text grammar reads.
fn text_syntax(content: &str) -> Option<&'static str> {
    [
        "<space>",
        "<n>",
        "<offer number>",
        "/setup Europe/Amsterdam",
        "/space add cafe-noord",
        "/offer cafe-noord",
    ]
    .into_iter()
    .find(|form| content.contains(form))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_texts_speak_discord_and_telegram_texts_speak_telegram() {
    use discord_bot::*;
    use fake_discord::MANAGE_SERVER;
    let bot = Bot::start().await;
    // Before set-up, a member, a mistake, help, an admin's first steps.
    let mut said = vec![
        bot.slash(&bea(), "0", "checkin", json!([])).await,
        bot.interact(in_dm(&bea(), "setup", json!([string("name", "Somewhere")])))
            .await,
        bot.interact(in_dm(&bea(), "checkin", json!([]))).await,
    ];
    bot.community().await;
    said.push(
        bot.slash(&bea(), "0", "help", json!([string("command", "offer")]))
            .await,
    );
    said.push(
        bot.slash(
            &ann(),
            MANAGE_SERVER,
            "offer",
            json!([
                string("space", "cafe-noord"),
                integer("seats", 2),
                string("date", "10/12")
            ]),
        )
        .await,
    );
    said.push(bot.slash(&ann(), MANAGE_SERVER, "space", sub("list", json!([]))).await);
    said.push(
        bot.slash(&bea(), "0", "use", json!([string("community", "Guild Coworkers")]))
            .await,
    );
    bot.offer_on(2, "tomorrow").await;
    let mut announced = bot.wait_posted(CHANNEL, "offers 2 free seats").await;
    // What the embed says is read as the rest of the message.
    announced.content = format!("{}\n{}", announced.content, announced.embeds[0]);
    assert!(announced.content.contains("/request offer:1"), "{}", announced.content);
    said.push(announced);
    for posted in &said {
        let content = &posted.content;
        assert!(!content.is_empty());
        for word in TELEGRAM_WORDS {
            assert!(!content.contains(word), "'{word}' on Discord: {content}");
        }
        assert_eq!(text_syntax(content), None, "text syntax on Discord: {content}");
    }
    let usage = &said[4].content;
    assert!(usage.contains("/offer space:… seats:…"), "{usage}");
    assert!(
        usage.contains("/offer space:cafe-noord seats:2 date:tomorrow"),
        "{usage}"
    );
    bot.stop().await;

    // And the reverse: Telegram hears no Discord words or option forms.
    use telegram_bot::{Bot as TelegramBot, ANN as TG_ANN, GROUP};
    let bot = TelegramBot::start().await;
    let tg_ann = telegram_bot::ann();
    let mut heard = vec![bot.ask(GROUP, &tg_ann, "/checkin").await.text];
    bot.community().await;
    heard.push(bot.ask(GROUP, &tg_ann, "/help offer").await.text);
    heard.push(bot.ask(GROUP, &tg_ann, "/offer cafe-noord 2 10/12").await.text);
    bot.fake.start_private_chat(TG_ANN);
    heard.push(bot.ask(TG_ANN, &tg_ann, "/setup Somewhere").await.text);
    for text in &heard {
        for word in DISCORD_WORDS {
            assert!(!text.contains(word), "'{word}' on Telegram: {text}");
        }
        assert!(
            !text.contains(":…") && !text.contains("space:cafe-noord"),
            "an option form on Telegram: {text}"
        );
    }
    bot.stop().await;
}

/// The announcement `message` in the fake Telegram, once its text contains
/// `needle`.
async fn telegram_announcement_once(bot: &telegram_bot::Bot, message: i64, needle: &str) -> fake_telegram::Sent {
    bot.fake
        .wait_for(
            &format!("the announcement to read '{needle}'"),
            telegram_bot::PATIENCE,
            |s| {
                s.sent
                    .iter()
                    .any(|m| m.message_id == message && m.text.contains(needle))
            },
        )
        .await;
    bot.fake.sent().into_iter().find(|m| m.message_id == message).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_announcements_live_seats_left_then_full_then_struck_when_withdrawn() {
    use fake_telegram::{message, message_update, user};
    use telegram_bot::*;
    let bot = Bot::start().await;
    bot.community().await;
    let announced = bot.ask(GROUP, &ann(), "/offer cafe-noord 4 tomorrow").await;
    assert!(announced.text.contains("offers 4 free seats"), "{}", announced.text);
    let id = announced.message_id;
    let edits_of = |bot: &Bot| {
        bot.fake
            .state()
            .text_edits
            .iter()
            .filter(|(chat, message, _)| (*chat, *message) == (GROUP, id))
            .count()
    };

    bot.ask(GROUP, &bea(), "/request 1").await;
    let three_left = telegram_announcement_once(&bot, id, "3 of 4 seats left.").await;
    assert_eq!(three_left.buttons.len(), 1, "still a button to press");
    assert!(
        three_left.text.contains("Want one? Type /request 1."),
        "{}",
        three_left.text
    );

    // Three more ask at once: the edits are batched, not one per seat.
    let before = edits_of(&bot);
    for who in [cas(), dan(), user(15, "Eve", Some("eve"))] {
        bot.fake.push(message_update(message(GROUP, &who, "/request 1")));
    }
    let full = telegram_announcement_once(&bot, id, "Full.").await;
    assert!(
        full.text.contains("Full. /request 1 puts you on the waitlist."),
        "{}",
        full.text
    );
    assert!(
        full.buttons.is_empty(),
        "Telegram has no greyed-out button: {:?}",
        full.buttons
    );
    assert!(
        edits_of(&bot) - before < 3,
        "three seats taken within a moment are fewer than three edits"
    );

    bot.ask(GROUP, &ann(), "/withdraw 1").await;
    let struck = telegram_announcement_once(&bot, id, "Withdrawn: these seats are no longer offered.").await;
    assert!(struck.html.starts_with("<s>🪑 </s>"), "{}", struck.html);
    assert!(struck.buttons.is_empty());
    assert_eq!(
        bot.sent_to(GROUP, "offers 4 free seats").len(),
        1,
        "edited in place, never posted again"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_announcements_are_living_embeds_whose_button_greys_out_when_full() {
    use discord_bot::*;
    use fake_discord::MANAGE_SERVER;
    let bot = Bot::start().await;
    bot.community().await;
    bot.offer_on(1, "tomorrow").await;
    let announced = bot.wait_posted(CHANNEL, "offers 1 free seat").await;
    let field = |posted: &fake_discord::Posted, name: &str| {
        posted.embeds[0]["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["name"] == name)
            .map(|f| f["value"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert_eq!(announced.embeds.len(), 1, "{:?}", announced.embeds);
    assert_eq!(announced.embeds[0]["title"], "cafe-noord");
    assert_eq!(field(&announced, "Seats left"), "1 of 1");
    assert_eq!(field(&announced, "Host"), "<@11>");
    assert!(announced.embeds[0]["footer"]["text"]
        .as_str()
        .is_some_and(|f| f.contains("/request offer:1")));
    assert_eq!(announced.buttons.len(), 1);
    assert!(announced.disabled.is_empty());
    let id = announced.message_id;
    let once = |done: fn(&fake_discord::Posted) -> bool| {
        let fake = &bot.fake;
        async move {
            fake.wait_for("the announcement to change", PATIENCE, |s| {
                s.posted.iter().any(|p| p.message_id == id && done(p))
            })
            .await;
            fake.posted().into_iter().find(|p| p.message_id == id).unwrap()
        }
    };

    bot.slash(&bea(), "0", "request", json!([integer("offer", 1)])).await;
    let full = once(|p| !p.disabled.is_empty()).await;
    assert_eq!(full.disabled, ["Full"], "greyed out, still there");
    assert_eq!(field(&full, "Seats left"), "Full (waitlist open)");
    assert_ne!(full.embeds[0]["color"], announced.embeds[0]["color"]);

    bot.slash(&ann(), MANAGE_SERVER, "withdraw", json!([integer("offer", 1)]))
        .await;
    let struck = once(|p| p.content.contains("~~")).await;
    assert!(
        struck.content.starts_with("~~🪑 ~~<@11>~~ offers"),
        "{}",
        struck.content
    );
    assert_eq!(field(&struck, "Seats left"), "Withdrawn");
    assert!(struck.buttons.is_empty());
    assert!(struck.embeds[0]["footer"].is_null(), "nothing left to type");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_hears_of_the_first_request_at_once_and_of_those_that_follow_within_the_window_as_one_message() {
    use fake_telegram::{message, message_update, user};
    use telegram_bot::*;
    let bot = Bot::start().await;
    bot.fake.start_private_chat(ANN);
    bot.community().await;
    bot.ask(GROUP, &ann(), "/offer cafe-noord 4 tomorrow").await;
    bot.ask(GROUP, &bea(), "/request 1").await;
    let first = bot.wait_sent(ANN, "asked for a seat").await;
    assert_eq!(first.text.matches("asked for a seat").count(), 1, "{}", first.text);

    // Three more within the window (2 s in tests, a minute by default).
    for who in [cas(), dan(), user(15, "Eve", Some("eve"))] {
        bot.fake.push(message_update(message(GROUP, &who, "/request 1")));
    }
    let digest = bot.wait_sent(ANN, "3 updates on your offers").await;
    assert_eq!(digest.text.matches("asked for a seat").count(), 3, "{}", digest.text);
    for name in ["@cas", "@dan", "@eve"] {
        assert!(digest.text.contains(name), "{name}: {}", digest.text);
    }
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let to_ann: Vec<_> = bot.fake.sent().into_iter().filter(|m| m.chat_id == ANN).collect();
    assert_eq!(to_ann.len(), 2, "one message, then one digest: {to_ann:#?}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_for_one_member_is_in_their_apps_language_unless_the_community_keeps_everyone_in_its_own() {
    use discord_bot::*;
    use fake_discord::{command, MANAGE_SERVER};
    let bot = Bot::start().await;
    bot.community().await;
    let dutch = bot
        .slash(
            &ann(),
            MANAGE_SERVER,
            "settings",
            sub("language", json!([string("language", "nl")])),
        )
        .await;
    assert!(dutch.content.contains("Taal\\: `nl`;"), "{}", dutch.content);
    // Bea's app speaks English (the fake's interactions say en-US).
    let mine = bot.slash(&bea(), "0", "myseats", json!([])).await;
    assert!(mine.ephemeral);
    assert!(
        mine.content.starts_with("You have no upcoming seats."),
        "{}",
        mine.content
    );
    let mistake = bot
        .slash(&bea(), "0", "pairing", sub("pause", json!([integer("days", 400)])))
        .await;
    assert!(
        mistake.ephemeral && !mistake.content.contains("dagen"),
        "{}",
        mistake.content
    );
    // What the channel reads stays in the community's language.
    let here = bot.slash(&bea(), "0", "here", json!([])).await;
    assert!(!here.ephemeral);
    assert!(here.content.contains("niemand"), "{}", here.content);
    // Dan's app speaks Dutch.
    let mut asked = command(CHANNEL, &dan(), "0", "myseats", json!([]));
    asked["locale"] = json!("nl");
    let in_dutch = bot.interact(asked).await.content;
    assert!(in_dutch.starts_with("Je hebt geen komende plekken."), "{in_dutch}");

    // The community keeps everyone in Dutch.
    let for_all = bot
        .slash(
            &ann(),
            MANAGE_SERVER,
            "settings",
            sub(
                "language",
                json!([
                    string("language", "nl"),
                    json!({"name": "all", "type": 5, "value": true})
                ]),
            ),
        )
        .await;
    assert!(
        for_all.content.contains("Taal\\: `nl`, voor iedereen"),
        "{}",
        for_all.content
    );
    let mine = bot.slash(&bea(), "0", "myseats", json!([])).await;
    assert!(
        mine.content.starts_with("Je hebt geen komende plekken."),
        "{}",
        mine.content
    );
    bot.stop().await;

    // On Telegram a reply in the group is seen by all: the community's
    // language; in the private chat, the member's.
    use telegram_bot::{Bot as TelegramBot, BEA as TG_BEA, GROUP};
    let bot = TelegramBot::start().await;
    bot.community().await;
    bot.ask(GROUP, &telegram_bot::ann(), "/settings language nl").await;
    let in_group = bot.ask(GROUP, &telegram_bot::bea(), "/myseats").await;
    assert!(
        in_group.text.starts_with("Je hebt geen komende plekken."),
        "{}",
        in_group.text
    );
    bot.fake.start_private_chat(TG_BEA);
    let alone = bot.ask(TG_BEA, &telegram_bot::bea(), "/myseats").await;
    assert!(alone.text.starts_with("You have no upcoming seats."), "{}", alone.text);
    bot.stop().await;
}
