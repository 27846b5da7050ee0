//! Every malformed or impossible request gets a specific answer, shown to the
//! caller only, and changes nothing in the database.

mod common;

use common::{Harness, TelegramUser};
use seatmate_bot::domain::Platform;
use seatmate_bot::Audience;

const PEOPLE: &[&str] = &["admin", "ann", "bob"];

/// A community with two spaces, a host, profiles and a check-in, so that a
/// refusal has something to leave alone.
async fn populated() -> Harness {
    let h = Harness::sqlite().await;
    populate(&h).await;
    h
}

async fn populate(h: &Harness) {
    h.community("admin", &["cafe-noord capacity 12", "bieb"]).await;
    h.say("ann", "/profile offers rust").await;
    h.say("bob", "/profile wants rust").await;
    h.say("admin", "/host add @ann cafe-noord").await;
    h.say("ann", "/checkin cafe-noord until 17:00 slides").await;
}

/// (who, what they type, a piece of the answer)
const REFUSALS: &[(&str, &str, &str)] = &[
    ("bob", "/chekin", "Did you mean /checkin?"),
    ("bob", "/frobnicate", "Type /help"),
    ("bob", "hello bot", "Commands start with a slash"),
    ("bob", "/help chekin", "Did you mean /help checkin?"),
    ("bob", "/checkin cafe-nord", "There is no space called cafe-nord."),
    ("bob", "/checkin cafe-nord", "Did you mean cafe-noord?"),
    ("bob", "/here cafe-nord", "Did you mean cafe-noord?"),
    ("bob", "/here atlantis", "Spaces: bieb, cafe-noord."),
    ("bob", "/checkin until 25:99", "'25:99' is not a time of day."),
    ("bob", "/checkin cafe-noord until 25:99", "Write it as HH:MM"),
    (
        "bob",
        "/checkin cafe-noord until 9:00",
        "09:00 has already passed at cafe-noord",
    ),
    ("bob", "/checkin cafe-noord until", "'until' needs a time"),
    ("bob", "/profile offers rust!", "tags cannot have"),
    ("bob", "/profile wants", "No tags given"),
    ("bob", "/profile about", "Write a line about yourself"),
    (
        "bob",
        "/space add lab",
        "Only admins of Utrecht Coworkers can use /space add.",
    ),
    ("bob", "/space remove bieb", "Only admins"),
    ("bob", "/host add @bob bieb", "Only admins"),
    ("bob", "/host remove @ann cafe-noord", "Only admins"),
    (
        "admin",
        "/setup Europe/Amsterdam Again",
        "This chat already belongs to Utrecht Coworkers.",
    ),
    (
        "admin",
        "/space add cafe-noord",
        "There is already a space called cafe-noord.",
    ),
    (
        "admin",
        "/space add lab Europe/Amsterdm",
        "Did you mean Europe/Amsterdam?",
    ),
    ("admin", "/space add lab Mars/Olympus", "is not a time zone I know"),
    ("admin", "/space add lab capacity 0", "A capacity of 0 is out of range."),
    ("admin", "/space add Lab_1", "Space names are short slugs"),
    ("admin", "/space add remote", "'remote' is reserved"),
    ("admin", "/space remove atlantis", "There is no space called atlantis."),
    (
        "admin",
        "/host add @nobody cafe-noord",
        "I don't know @nobody in this community yet",
    ),
    // No "did you mean" for people: a near name is someone else.
    (
        "admin",
        "/host add @bobb cafe-noord",
        "I don't know @bobb in this community yet",
    ),
    ("admin", "/host add @bob atlantis", "There is no space called atlantis."),
    (
        "admin",
        "/host remove @bob cafe-noord",
        "@bob does not host cafe-noord.",
    ),
    ("admin", "/host add @ann cafe-noord", "@ann already hosts cafe-noord."),
];

#[tokio::test]
async fn each_refusal_is_specific_private_and_changes_nothing() {
    let h = populated().await;
    let long_note = format!("/checkin cafe-noord {}", "x".repeat(281));
    let long_about = format!("/profile about {}", "y".repeat(300));
    let mut cases: Vec<(&str, &str, &str)> = REFUSALS.to_vec();
    cases.push(("bob", &long_note, "the most is 280"));
    cases.push(("bob", &long_about, "That text is 300 characters; the most is 280."));
    for (who, line, expected) in cases {
        let before = h.snapshot(PEOPLE).await;
        let reply = h.say(who, line).await;
        let text = seatmate_console::render(&reply, who);
        assert!(
            text.contains(expected),
            "{who}: {line}\nexpected: {expected}\ngot: {text}"
        );
        assert_eq!(
            reply.audience,
            Audience::Caller,
            "{line}: a refusal is for the caller only"
        );
        assert_eq!(h.snapshot(PEOPLE).await, before, "{line} changed data");
    }
}

#[tokio::test]
async fn an_unknown_member_is_never_guessed_as_another_person() {
    let h = populated().await;
    let text = h.text("admin", "/host add @bobb cafe-noord").await;
    assert!(!text.contains("Did you mean"), "{text}");
    assert!(!text.contains("@bob "), "{text}");
}

#[tokio::test]
async fn bad_arguments_are_answered_with_usage_and_example() {
    let h = populated().await;
    let text = h.text("admin", "/space add lab capacity lots").await;
    assert_eq!(
        text,
        "seatmate (only admin): 'lots' is not a number.\n    \
         The capacity is a whole number from 1 to 10000.\n    \
         Usage: /space add <slug> [<time zone>] [capacity <n>] [approval] [open] — e.g. /space add cafe-noord Europe/Amsterdam capacity 12 approval\n"
    );
}

#[tokio::test]
async fn a_chat_that_is_not_set_up_refuses_community_commands() {
    let h = Harness::sqlite().await;
    for line in [
        "/checkin",
        "/checkout",
        "/here",
        "/space list",
        "/space add lab",
        "/host add @a lab",
        "/profile",
    ] {
        let text = h.text("ann", line).await;
        assert!(
            text.contains("This chat is not set up as a community yet. An admin can run /setup Europe/Amsterdam Utrecht Coworkers."),
            "{line}: {text}"
        );
    }
    assert_eq!(h.snapshot(PEOPLE).await, "community: None\n");
    // Help and start work anywhere.
    assert!(h.text("ann", "/help").await.contains("/checkin [<space>|remote]"));
    assert!(h
        .text("ann", "/start")
        .await
        .contains("An admin starts a community with /setup"));
}

/// Telegram is asked who administers a chat only when an access rule needs
/// it, and its answer is remembered for a minute.
#[tokio::test]
async fn chat_admins_are_asked_only_when_a_rule_needs_it() {
    let h = Harness::sqlite().await;
    use common::{TG_ADMIN as BOSS, TG_MEMBER as BEA};
    let group = "-100";
    h.telegram(&BOSS, group, "/setup Utrecht").await;
    let asked = h.telegram_admins.asked();
    for line in [
        "/profile offers rust",
        "/checkin remote",
        "/here",
        "/seats",
        "/help",
        "/space list",
    ] {
        h.telegram(&BEA, group, line).await;
    }
    assert_eq!(h.telegram_admins.asked(), asked, "no access rule needed it");
    let reply = h.telegram(&BEA, group, "/space add lab").await;
    assert!(reply.plain_text(Platform::Telegram).contains("Only admins of Utrecht"));
    assert_eq!(h.telegram_admins.asked(), asked + 1);
    h.telegram(&BEA, group, "/space add lab").await;
    assert_eq!(h.telegram_admins.asked(), asked + 1, "remembered");
    // Made an admin in Telegram, she is one once the minute is over.
    h.clock.advance(chrono::Duration::seconds(61));
    let reply = h
        .telegram(&TelegramUser { admin: true, ..BEA }, group, "/space add lab")
        .await;
    assert!(
        reply.plain_text(Platform::Telegram).contains("Added space lab"),
        "{reply:?}"
    );
    // In her private chat, the community's group answers for her.
    let reply = h
        .telegram(&TelegramUser { admin: true, ..BEA }, "2", "/space add hub")
        .await;
    assert!(
        reply.plain_text(Platform::Telegram).contains("Added space hub"),
        "{reply:?}"
    );
}

/// On platforms that say who administers a chat, only those may set it up.
#[tokio::test]
async fn only_chat_admins_set_up_platform_chats() {
    let h = Harness::sqlite().await;
    const ANN: TelegramUser = TelegramUser {
        id: "42",
        name: "Ann",
        username: None,
        admin: false,
    };
    const ANN_AS_ADMIN: TelegramUser = TelegramUser { admin: true, ..ANN };
    let say = |admin: bool, chat: &'static str, text: &'static str| {
        h.telegram(if admin { &ANN_AS_ADMIN } else { &ANN }, chat, text)
    };
    let (group, private) = ("-100123", "42");
    let reply = say(false, group, "/setup Utrecht").await;
    assert_eq!(
        reply.plain_text(Platform::Telegram),
        "Only admins of this chat can set it up."
    );
    let reply = say(true, private, "/setup Utrecht").await;
    assert!(reply.plain_text(Platform::Telegram).contains("not here in private"));
    // Telegram's answer is remembered for a minute; Ann is made an admin.
    h.clock.advance(chrono::Duration::seconds(61));
    let reply = say(true, group, "/setup Utrecht").await;
    assert!(reply
        .plain_text(Platform::Telegram)
        .contains("Welcome to Seatmate, Utrecht! Time zone: UTC."));
    // A chat admin is a community admin without being recorded as one.
    let reply = say(true, group, "/space add lab").await;
    assert!(reply.plain_text(Platform::Telegram).contains("Added space lab"));
    // Ann has one community, so her private chat with the bot works too.
    let reply = say(false, private, "/space list").await;
    assert!(reply.plain_text(Platform::Telegram).contains("Spaces of Utrecht"));
    // Without a username, a mention falls back to the display name.
    let reply = say(false, group, "/checkin").await;
    assert!(reply
        .plain_text(Platform::Telegram)
        .starts_with("✅ Ann checked in at lab."));
}

#[tokio::test]
async fn hostile_input_never_panics() {
    let h = populated().await;
    let nasty = [
        "/",
        "/@",
        "/ checkin",
        "/checkin \u{0}",
        "/setup \u{202e}evil",
        "/space add ü",
        "/host add <@> x",
        "/host add <@!> cafe-noord",
        "/here 🙂",
        "/checkin 🙂 until 🙂",
        "/checkin remote until 99",
        "/profile offers ,,,,",
        "/profile offers #",
        "/space add x capacity 99999999999999999999999",
        "/checkin until -1:00",
        "/help \u{0}",
    ];
    for line in nasty {
        let reply = h.say("bob", line).await;
        assert!(!reply.blocks.is_empty(), "{line:?} got an empty reply");
    }
    let long = "/checkin ".to_string() + &"word ".repeat(10_000);
    assert!(h.text("bob", &long).await.contains("the most is 280"));
}

#[tokio::test]
async fn admin_commands_work_for_the_admin() {
    let h = populated().await;
    let list = h.text("ann", "/space list").await;
    assert_eq!(
        list,
        "seatmate: Spaces of Utrecht Coworkers:\n    \
         • bieb — Europe/Amsterdam, no-show release after 60 min\n    \
         • cafe-noord — Europe/Amsterdam, 12 seats, no-show release after 60 min; hosts: @ann\n"
    );
    assert_eq!(
        h.text("admin", "/host remove @ann cafe-noord").await,
        "seatmate: @ann no longer hosts cafe-noord.\n"
    );
    assert_eq!(
        h.text("admin", "/space remove bieb").await,
        "seatmate: Removed space bieb.\n"
    );
    let added = h.text("admin", "/space add lab America/New_York approval").await;
    assert_eq!(
        added,
        "seatmate: Added space lab (America/New_York, seat requests need a host's approval, no-show release after 60 min).\n"
    );
    // A space's release rule: its hosts and admins set it, nobody else.
    assert_eq!(
        h.text("bob", "/space set lab release_after off").await,
        "seatmate (only bob): Only hosts of lab (or admins) can do that.\n"
    );
    assert!(h
        .text("admin", "/space set lab release_after 30")
        .await
        .contains("At lab, a confirmed seat nobody checks in for is released 30 minutes after its offer starts"));
    assert!(h
        .text("admin", "/space list")
        .await
        .contains("lab — America/New_York, seat requests need a host's approval, no-show release after 30 min"));
    h.say("admin", "/space set lab release_after off").await;
    assert!(h
        .text("admin", "/space list")
        .await
        .contains("lab — America/New_York, seat requests need a host's approval, no no-show release"));
    assert!(!h.text("admin", "/space list").await.contains("bieb"));
}

#[tokio::test]
async fn profiles_are_normalised_and_cleared_with_none() {
    let h = populated().await;
    let text = h
        .text("bob", "/profile offers  UX Research, #Rust,rust , data_science")
        .await;
    assert!(
        text.contains("Can help with: data-science, rust, ux-research"),
        "{text}"
    );
    let text = h.text("bob", "/profile about   Building   maps  ").await;
    assert!(text.contains("About: Building maps"), "{text}");
    let text = h.text("bob", "/profile offers none").await;
    assert!(text.contains("Can help with: (nothing yet)"), "{text}");
    assert!(text.contains("Set it with /profile offers rust, pitch decks"), "{text}");
}
