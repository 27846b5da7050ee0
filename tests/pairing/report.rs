//! What a place earns, through the core and the console: a week of offers,
//! check-ins, a no-show, a round and questions, counted on both backends.

use super::common::Harness;

/// Mon 16 – Sun 22 Nov 2026 in Amsterdam: hanna hosts cafe-noord; ann and
/// bob get its two seats on Tuesday, cat waits; ann comes, bob does not and
/// his seat goes to cat, who comes; dan works at the loft. Ann and cat are
/// introduced and meet; ann asks two questions, cat answers one.
async fn a_week_at_cafe_noord(h: &Harness) {
    h.set_time("2026-11-16T08:00:00Z");
    h.community("admin", &["cafe-noord", "loft"]).await;
    for (who, offers, wants) in [
        ("hanna", "coffee", ""),
        ("ann", "postgres", "funding"),
        ("bob", "postgres, design", "illustration"),
        ("cat", "rust", ""),
        ("dan", "", ""),
    ] {
        if !offers.is_empty() {
            h.say(who, &format!("/profile offers {offers}")).await;
        }
        if !wants.is_empty() {
            h.say(who, &format!("/profile wants {wants}")).await;
        }
    }
    h.say("admin", "/host add @hanna cafe-noord").await;
    assert!(h
        .text("hanna", "/offer cafe-noord 2 tomorrow 9-17")
        .await
        .contains("Posted offer #1"));
    for who in ["ann", "bob", "cat"] {
        h.say(who, "/request 1").await;
    }
    h.set_time("2026-11-17T08:30:00Z");
    h.say("ann", "/checkin cafe-noord").await;
    h.say("dan", "/checkin loft").await;
    h.set_time("2026-11-17T09:00:30Z");
    let released = h.bot.scheduler().release_no_shows().await.unwrap();
    assert_eq!(
        released.iter().map(|r| r.released.len()).sum::<usize>(),
        1,
        "bob's seat"
    );
    h.set_time("2026-11-17T09:10:00Z");
    assert!(h.text("cat", "/checkin cafe-noord").await.contains("is yours"));
    for who in ["ann", "cat"] {
        h.say(who, "/pairing on").await;
    }
    assert!(h.text("admin", "/pairnow").await.contains("1 pair"));
    assert!(h.text("ann", "/met").await.contains("@cat"));
    assert!(h
        .text("ann", "/ask who knows rust macros?")
        .await
        .contains("(question #1)"));
    assert!(h.text("cat", "/canhelp 1").await.contains("Thank you!"));
    assert!(h.text("ann", "/ask rust lifetimes").await.contains("(question #2)"));
    h.delivered().await;
    h.set_time("2026-11-22T20:00:00Z");
}

pub(super) async fn a_report_counts_the_week_from_what_is_kept(h: Harness) {
    a_week_at_cafe_noord(&h).await;
    let mut reply = h.say("admin", "/report").await;
    let chart = reply.attachment.take().expect("the chart");
    assert_eq!(
        (chart.file_name.as_str(), chart.media_type.as_str()),
        ("seatmate-report-2026-11-22.png", "image/png")
    );
    let png = chart.bytes();
    let info = png::Decoder::new(png.as_slice()).read_info().unwrap().info().clone();
    assert_eq!(
        (info.width, info.height),
        (800, 400),
        "the chart decodes at its stated size"
    );
    assert_eq!(
        seatmate_console::render(&reply, "admin"),
        "seatmate (private to admin): 📊 Report for Utrecht Coworkers, Mon 16 Nov – Sun 22 Nov\n    \
         🪑 Seats: 2 offered, 3 requested, 3 confirmed, 2 used (checked in), 1 released, 1 no-shows\n    \
         👋 People: 3 coworkers, 3 of them for the first time\n    \
         🤝 Introductions in the community: 1 made, 1 confirmed met\n    \
         ❓ Questions in the community: 2 asked, 1 answered\n    \
         🧠 Knowledge present: postgres (1), rust (1)\n    \
         🕳 Gaps: funding (1) (wanted, offered by nobody who came)\n    \
         Counted from what Seatmate keeps: check-ins older than 90 days are not in it; members who used /forgetme count as numbers, without their tags.\n"
    );
    let space = h.text("hanna", "/report week cafe-noord").await;
    assert!(
        space.contains("📊 Report for cafe-noord, Mon 16 Nov – Sun 22 Nov"),
        "{space}"
    );
    assert!(
        space.contains("👋 People: 2 coworkers, 2 of them for the first time"),
        "{space}"
    );
    let loft = h.text("admin", "/report loft").await;
    assert!(loft.contains("🪑 Seats: 0 offered, 0 requested"), "{loft}");
    assert!(
        loft.contains("👋 People: 1 coworker, 1 of them for the first time"),
        "{loft}"
    );
    assert!(
        loft.contains("🧠 Nobody who came has said yet what they can help with."),
        "{loft}"
    );

    // A week later, the month still holds it; the week does not.
    h.set_time("2026-11-29T20:00:00Z");
    assert!(h
        .text("admin", "/report week")
        .await
        .contains("🪑 Seats: 0 offered, 0 requested, 0 confirmed"));
    let month = h.text("admin", "/report month").await;
    assert!(month.contains("Sat 31 Oct – Sun 29 Nov"), "{month}");
    assert!(month.contains("🪑 Seats: 2 offered, 3 requested"), "{month}");
    assert!(month.contains("3 coworkers, 3 of them for the first time"), "{month}");

    // Who may see what, and words it does not know.
    for (who, line, says) in [
        (
            "hanna",
            "/report",
            "A report of the whole community is for admins. Name a space you host: /report week cafe-noord.",
        ),
        (
            "ann",
            "/report cafe-noord",
            "Only hosts of cafe-noord (or admins) can do that.",
        ),
        (
            "admin",
            "/report week cafe-noord loft",
            "'loft' is neither week, month nor a space.",
        ),
        ("admin", "/report kitchen", "kitchen"),
    ] {
        let got = h.text(who, line).await;
        assert!(got.contains(says), "{line}: {got}");
        assert!(!got.contains("📊"), "{line}: {got}");
    }

    // Ann (who came, asked and met) and hanna (who hosted the offer) use
    // /forgetme: the month's numbers stay, counted without them; ann's tags
    // leave the knowledge and the gaps.
    let before = h.text("admin", "/report month").await;
    for who in ["ann", "hanna"] {
        let asked = h.say(who, "/forgetme").await;
        let confirm = asked.buttons[0].command.clone();
        let done = h.bot.handle_press(&seatmate_console::request(who, &confirm)).await;
        let done = seatmate_console::render(&done, who);
        assert!(done.contains("keeps nothing about you"), "{done}");
    }
    h.delivered().await;
    let after = h.text("admin", "/report month").await;
    let line = |report: &str, start: &str| {
        report
            .lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_default()
            .to_string()
    };
    for figure in ["🪑", "👋", "🤝", "❓"] {
        assert_eq!(line(&after, figure), line(&before, figure), "{after}");
    }
    assert!(
        after.contains("🪑 Seats: 2 offered, 3 requested, 3 confirmed, 2 used (checked in), 1 released, 1 no-shows"),
        "{after}"
    );
    assert!(after.contains("🧠 Knowledge present: rust (1)"), "{after}");
    assert!(!after.contains("postgres") && !after.contains("funding"), "{after}");
    let space = h.text("admin", "/report month cafe-noord").await;
    assert!(
        space.contains("👋 People: 2 coworkers, 2 of them for the first time"),
        "{space}"
    );
}

/// The weekly digest: posted once on its day from the pairing time, in the
/// community's chats, with counts and tags and never a member's name.
pub(super) async fn the_weekly_digest_is_posted_once_on_its_day_without_names(h: Harness) {
    a_week_at_cafe_noord(&h).await;
    for (who, line, says) in [
        ("ann", "/settings digest mon", "admin"),
        (
            "admin",
            "/settings digest mon-fri",
            "Say one day of the week, or off, like /settings digest mon.",
        ),
        ("admin", "/settings digest someday", "Say one day of the week, or off"),
    ] {
        let got = h.text(who, line).await;
        assert!(got.contains(says), "{line}: {got}");
    }
    assert!(h
        .text("admin", "/settings")
        .await
        .contains("Weekly digest: off (/settings digest mon posts one every week)"));
    let set = h.text("admin", "/settings digest mon").await;
    assert!(
        set.contains("Weekly digest: mon at the pairing time, in every chat (/settings digest off changes it)"),
        "{set}"
    );
    let tick = |at: &'static str| {
        let h = &h;
        async move {
            h.set_time(at);
            h.bot.scheduler().post_digests().await.unwrap()
        }
    };
    assert_eq!(tick("2026-11-23T07:59:00Z").await, 0, "08:59 in Amsterdam");
    h.set_time("2026-11-23T08:00:30Z");
    let other = h.another_process().await;
    let (mine, theirs) = (h.bot.scheduler(), other.scheduler());
    let (one, two) = tokio::join!(mine.post_digests(), theirs.post_digests());
    assert_eq!(one.unwrap() + two.unwrap(), 1, "two instances, one digest");
    let digest = h.delivered().await;
    assert_eq!(
        digest,
        "seatmate (announcement): 📬 The week in Utrecht Coworkers, Mon 16 Nov – Sun 22 Nov\n    \
         🪑 Seats: 2 offered, 3 requested, 3 confirmed, 2 used (checked in), 1 released, 1 no-shows\n    \
         👋 People: 3 coworkers, 3 of them for the first time\n    \
         🤝 Introductions in the community: 1 made, 1 confirmed met\n    \
         ❓ Questions in the community: 2 asked, 1 answered\n    \
         🧠 Knowledge present: postgres (1), rust (1)\n    \
         🕳 Gaps: funding (1) (wanted, offered by nobody who came)\n"
    );
    let words: Vec<&str> = digest.split(|c: char| !c.is_alphanumeric()).collect();
    for name in ["ann", "bob", "cat", "hanna", "dan", "admin", "macros"] {
        assert!(!words.contains(&name), "{name} in {digest}");
    }
    assert!(!digest.contains('@'), "{digest}");
    assert_eq!(tick("2026-11-23T16:00:00Z").await, 0, "once a day");
    assert_eq!(tick("2026-11-24T08:00:30Z").await, 0, "not on Tuesday");
    assert_eq!(tick("2026-11-30T08:00:30Z").await, 1, "the next Monday");
    assert!(h.delivered().await.contains("Mon 23 Nov – Sun 29 Nov"));
    h.say("admin", "/settings digest off").await;
    assert_eq!(tick("2026-12-07T08:00:30Z").await, 0, "off");
}
