//! The statements of members, communities, chats, the outbox, the inbox,
//! pairing and the fleet, written once for both backends; seats are in
//! `seat_queries`, seat use in `seat_use_queries`, standing offers in
//! `standing_queries`, accounts in `account_queries`.

/// The caller's identity, member, the chat's community and the membership, in
/// one round trip; every part may be missing (NULL).
pub const ARRIVAL: &str = "
SELECT i.member_id, i.username, i.last_seen_at AS identity_seen_at, m.display_name,
       c.id AS community_id, c.name AS community_name, c.time_zone AS community_zone,
       c.locale AS community_locale,
       ms.is_admin, ms.last_active_at
FROM (SELECT 1 AS one) AS base
LEFT JOIN identities i ON i.platform = $1 AND i.external_id = $2
LEFT JOIN members m ON m.id = i.member_id
LEFT JOIN community_chats cc ON cc.platform = $1 AND cc.chat_id = $3
LEFT JOIN communities c ON c.id = cc.community_id
LEFT JOIN memberships ms ON ms.community_id = c.id AND ms.member_id = i.member_id";

/// The communities a member belongs to, most recently active first (for
/// commands sent in a private chat).
/// The member's communities, the one chosen for private chats first.
pub const MEMBER_COMMUNITIES: &str = "
SELECT c.id, c.name, c.time_zone, c.locale, ms.is_admin, ms.chosen_at IS NOT NULL AS chosen
FROM memberships ms JOIN communities c ON c.id = ms.community_id
WHERE ms.member_id = $1
ORDER BY ms.chosen_at IS NULL, ms.chosen_at DESC, c.name, c.id";
pub const CHOOSE_COMMUNITY: &str = "UPDATE memberships SET chosen_at = $3 WHERE member_id = $1 AND community_id = $2";

pub const INSERT_MEMBER: &str = "INSERT INTO members (display_name, created_at) VALUES ($1, $2) RETURNING id";
pub const INSERT_IDENTITY: &str = "
INSERT INTO identities (platform, external_id, member_id, username, last_seen_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (platform, external_id) DO NOTHING";
pub const DELETE_MEMBER: &str = "DELETE FROM members WHERE id = $1";
pub const FIND_IDENTITY: &str = "SELECT member_id FROM identities WHERE platform = $1 AND external_id = $2";
pub const UPDATE_DISPLAY_NAME: &str = "UPDATE members SET display_name = $2 WHERE id = $1";
pub const UPDATE_IDENTITY: &str =
    "UPDATE identities SET username = $3, last_seen_at = $4 WHERE platform = $1 AND external_id = $2";
pub const TOUCH_MEMBERSHIP: &str = "
INSERT INTO memberships (community_id, member_id, is_admin, joined_at, last_active_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (community_id, member_id) DO UPDATE SET
    last_active_at = excluded.last_active_at,
    is_admin = memberships.is_admin OR excluded.is_admin
RETURNING is_admin";

pub const INSERT_COMMUNITY: &str =
    "INSERT INTO communities (name, time_zone, created_at) VALUES ($1, $2, $3) RETURNING id";
pub const BIND_CHAT: &str =
    "INSERT INTO community_chats (platform, chat_id, community_id, bound_at) VALUES ($1, $2, $3, $4)";

pub const INSERT_SPACE: &str = "
INSERT INTO spaces (community_id, slug, time_zone, capacity, needs_approval, open_profile_required, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id, slug, time_zone, capacity, needs_approval, open_profile_required, release_after_minutes";
pub const SPACES: &str = "
SELECT id, slug, time_zone, capacity, needs_approval, open_profile_required, release_after_minutes
FROM spaces WHERE community_id = $1 ORDER BY slug";
pub const DELETE_SPACE: &str = "DELETE FROM spaces WHERE community_id = $1 AND slug = $2";

/// Card columns: a member with one of their identities per row.
const CARD_COLUMNS: &str = "m.id AS member_id, m.display_name, i.platform, i.external_id AS user_id, i.username";

pub fn member_card() -> String {
    format!("SELECT {CARD_COLUMNS} FROM members m JOIN identities i ON i.member_id = m.id WHERE m.id = $1 ORDER BY i.platform")
}

pub const FIND_MEMBER_BY_USERNAME: &str = "
SELECT i.member_id FROM identities i
JOIN memberships ms ON ms.member_id = i.member_id AND ms.community_id = $1
WHERE i.platform = $2 AND lower(i.username) = lower($3)
ORDER BY i.member_id";
pub const FIND_MEMBER_BY_ID: &str = "
SELECT i.member_id FROM identities i
JOIN memberships ms ON ms.member_id = i.member_id AND ms.community_id = $1
WHERE i.platform = $2 AND i.external_id = $3";

pub const ADD_HOST: &str =
    "INSERT INTO space_hosts (space_id, member_id) VALUES ($1, $2) ON CONFLICT (space_id, member_id) DO NOTHING";
pub const REMOVE_HOST: &str = "DELETE FROM space_hosts WHERE space_id = $1 AND member_id = $2";

pub fn hosts() -> String {
    format!(
        "SELECT h.space_id, {CARD_COLUMNS}
         FROM space_hosts h
         JOIN spaces s ON s.id = h.space_id
         JOIN members m ON m.id = h.member_id
         JOIN identities i ON i.member_id = m.id
         WHERE s.community_id = $1
         ORDER BY s.slug, m.display_name, m.id, i.platform"
    )
}

pub const PROFILE: &str = "SELECT offers, wants, about FROM members WHERE id = $1";
pub const SET_OFFERS: &str = "UPDATE members SET offers = $2 WHERE id = $1 RETURNING offers, wants, about";
pub const SET_WANTS: &str = "UPDATE members SET wants = $2 WHERE id = $1 RETURNING offers, wants, about";
pub const SET_ABOUT: &str = "UPDATE members SET about = $2 WHERE id = $1 RETURNING offers, wants, about";

/// Ends the member's running check-ins on other local dates (a member is at
/// one place at a time).
pub const END_OTHER_CHECKINS: &str = "
UPDATE checkins SET checked_out_at = $4
WHERE community_id = $1 AND member_id = $2 AND local_date <> $3
  AND checked_out_at IS NULL AND ends_at > $4";

/// Today's check-in; a second one that day replaces place and "until", keeps
/// the note unless a new one is given, and counts as an update.
pub const UPSERT_CHECKIN: &str = "
INSERT INTO checkins (community_id, member_id, space_id, local_date, checked_in_at, until_at, ends_at, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (community_id, member_id, local_date) DO UPDATE SET
    space_id = excluded.space_id,
    until_at = excluded.until_at,
    ends_at = excluded.ends_at,
    note = CASE WHEN excluded.note = '' THEN checkins.note ELSE excluded.note END,
    checked_out_at = NULL,
    updates = checkins.updates + 1
RETURNING updates";

pub const CHECK_OUT: &str = "
UPDATE checkins SET checked_out_at = $3
WHERE community_id = $1 AND member_id = $2 AND checked_out_at IS NULL AND ends_at > $3";

pub const LAST_PLACE: &str = "
SELECT space_id FROM checkins WHERE community_id = $1 AND member_id = $2
ORDER BY local_date DESC, checked_in_at DESC
LIMIT 1";

pub fn present() -> String {
    format!(
        "SELECT {CARD_COLUMNS}, m.offers, m.wants, m.about,
                c.space_id, c.note, c.checked_in_at, c.until_at
         FROM checkins c
         JOIN members m ON m.id = c.member_id
         JOIN identities i ON i.member_id = m.id
         WHERE c.community_id = $1 AND c.checked_out_at IS NULL AND c.ends_at > $2
         ORDER BY c.checked_in_at, m.id, i.platform"
    )
}

/// The chats announcements go to: not the paused ones.
pub const COMMUNITY_CHATS: &str = "
SELECT platform, chat_id FROM community_chats
 WHERE community_id = $1 AND paused_at IS NULL
 ORDER BY bound_at, platform, chat_id";

pub const MOVE_CHAT: &str = "UPDATE community_chats SET chat_id = $3 WHERE platform = $1 AND chat_id = $2";
pub const MOVE_OUTBOX_CHAT: &str = "
UPDATE outbox SET recipient_id = $3
 WHERE platform = $1 AND recipient_kind = 'chat' AND recipient_id = $2 AND state = 'pending'";
pub const MOVE_OUTBOX_FALLBACK: &str =
    "UPDATE outbox SET fallback_chat_id = $3 WHERE platform = $1 AND fallback_chat_id = $2 AND state = 'pending'";
/// Pauses a chat; a row only when it was not paused already.
pub const PAUSE_CHAT: &str = "
UPDATE community_chats SET paused_at = $3
 WHERE platform = $1 AND chat_id = $2 AND paused_at IS NULL
RETURNING community_id";
pub const RESUME_CHAT: &str = "
UPDATE community_chats SET paused_at = NULL
 WHERE platform = $1 AND chat_id = $2 AND paused_at IS NOT NULL";
/// Gives up what is still to go to a chat, recording why (`$4`).
pub const DROP_OUTBOX_TO_CHAT: &str = "
UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = $4, sent_at = $3
 WHERE platform = $1 AND recipient_kind = 'chat' AND recipient_id = $2 AND state = 'pending'";
/// Another chat of the community on the platform that is not paused, or none.
pub const REFALL_OUTBOX: &str = "
UPDATE outbox SET fallback_chat_id =
       (SELECT min(cc.chat_id) FROM community_chats cc
         WHERE cc.community_id = outbox.community_id AND cc.platform = outbox.platform
           AND cc.paused_at IS NULL)
 WHERE platform = $1 AND fallback_chat_id = $2 AND state = 'pending'";

pub const IS_HOST: &str = "SELECT count(*) FROM space_hosts WHERE space_id = $1 AND member_id = $2";

/// A member with each identity and their profile.
pub const CONTACT: &str = "
SELECT m.id AS member_id, m.display_name, i.platform, i.external_id AS user_id, i.username,
       m.offers, m.wants, m.about
FROM members m JOIN identities i ON i.member_id = m.id
WHERE m.id = $1
ORDER BY i.platform";

// ----- outbox -----

pub const INSERT_OUTBOX_CHAT: &str = "
INSERT INTO outbox (community_id, platform, recipient_kind, recipient_id, body, next_attempt_at, created_at, subject)
VALUES ($1, $2, 'chat', $3, $4, $5, $5, $6)";

/// A private message to each member `members` selects (a condition on `m.id`),
/// at their identity on the platform they chose (`/profile notify`), else the one they used last, with a chat of the community on that
/// platform to nudge them in. `$1` community, `$3` body, `$4` now, `$5` subject.
macro_rules! insert_outbox_private {
    ($members:literal) => {
        concat!(
            "
INSERT INTO outbox (community_id, platform, recipient_kind, recipient_id, member_id, member_name,
                    member_username, fallback_chat_id, body, next_attempt_at, created_at, subject)
SELECT $1, i.platform, 'member', i.external_id, m.id, m.display_name, i.username,
       (SELECT cc.chat_id FROM community_chats cc
        WHERE cc.community_id = $1 AND cc.platform = i.platform AND cc.paused_at IS NULL
        ORDER BY cc.bound_at LIMIT 1),
       $3, $4, $4, $5
FROM members m JOIN identities i ON i.member_id = m.id
WHERE ",
            $members,
            "
  AND (i.platform, i.external_id) = (
        SELECT i2.platform, i2.external_id FROM identities i2 WHERE i2.member_id = m.id
        ORDER BY CASE WHEN i2.platform = (SELECT m2.notify_platform FROM members m2 WHERE m2.id = i2.member_id)
                      THEN 0 ELSE 1 END,
                 i2.last_seen_at IS NULL, i2.last_seen_at DESC, i2.platform LIMIT 1)
ORDER BY m.id"
        )
    };
}

/// A private message to member `$2`.
pub const INSERT_OUTBOX_MEMBER: &str = insert_outbox_private!("m.id = $2");

/// A private message to each recorded admin of community `$2` (= `$1`).
pub const INSERT_OUTBOX_ADMINS: &str =
    insert_outbox_private!("m.id IN (SELECT member_id FROM memberships WHERE community_id = $2 AND is_admin)");

/// A private message to whoever keeps space `$2`'s offers now: its hosts, or
/// the community's recorded admins when it has none, but member `$6` (who
/// caused it). One statement, so that a seat request costs no extra round trip.
pub const INSERT_OUTBOX_KEEPERS: &str = insert_outbox_private!(
    "m.id <> $6 AND m.id IN (
        SELECT member_id FROM space_hosts WHERE space_id = $2
        UNION
        SELECT member_id FROM memberships
        WHERE community_id = $1 AND is_admin
          AND NOT EXISTS (SELECT 1 FROM space_hosts WHERE space_id = $2))"
);

const CLAIM_RETURNING: &str = "RETURNING id, community_id, platform, recipient_kind, recipient_id, member_id,
           member_name, member_username, fallback_chat_id, body, attempts, claim_token";

/// Due messages, each the first still to go to its recipient: a message waits
/// for the ones before it to the same chat or member, so they arrive in order
/// whatever the number of workers. Held messages wait for their member.
/// Written as "its id is its queue's least", a lookup in `outbox_queue` per
/// row: the same rule as "no earlier one pending" (NOT EXISTS), which
/// PostgreSQL planned as a join over the whole queue on a table filled
/// faster than it was analysed (267 ms a claim with 2,200 waiting, against
/// 16 ms; `cargo bench --bench fleet`).
const CLAIMABLE: &str = "
SELECT o.id FROM outbox o
WHERE o.platform = $1 AND o.state = 'pending' AND o.held_since IS NULL AND o.next_attempt_at <= $2
  AND (o.lease_until IS NULL OR o.lease_until <= $2)
  AND o.id = (
        SELECT min(e.id) FROM outbox e
        WHERE e.platform = o.platform AND e.recipient_kind = o.recipient_kind AND e.recipient_id = o.recipient_id
          AND e.state = 'pending' AND e.held_since IS NULL)
ORDER BY o.id LIMIT $4";

/// SQLite: its write lock already keeps two claimers apart.
pub fn claim_sqlite() -> String {
    format!(
        "UPDATE outbox SET lease_until = $3, attempts = attempts + 1, claim_token = $5
         WHERE id IN ({CLAIMABLE}) {CLAIM_RETURNING}"
    )
}

/// PostgreSQL: rows another worker is claiming are skipped, not waited for.
pub fn claim_postgres() -> String {
    format!(
        "UPDATE outbox SET lease_until = $3, attempts = attempts + 1, claim_token = $5
         WHERE id IN ({CLAIMABLE} FOR UPDATE OF o SKIP LOCKED) {CLAIM_RETURNING}"
    )
}

// Each mark names the claim it ends (its last parameter), never another's: a worker whose
// lease ran out cannot mark the claim of the one that took the row over).
pub const MARK_SENT: &str = "
UPDATE outbox SET state = 'sent', sent_at = $2, platform_message_id = $3, lease_until = NULL
 WHERE id = $1 AND claim_token = $4";
pub const MARK_RETRY: &str =
    "UPDATE outbox SET next_attempt_at = $2, last_error = $3, lease_until = NULL WHERE id = $1 AND claim_token = $4";
/// A claim given back unsent (a rate limit, a shutdown): not an attempt.
pub const MARK_RELEASED: &str = "
UPDATE outbox SET next_attempt_at = $2, lease_until = NULL, attempts = attempts - 1
 WHERE id = $1 AND claim_token = $3";
pub const MARK_DEAD: &str =
    "UPDATE outbox SET state = 'dead', last_error = $2, lease_until = NULL WHERE id = $1 AND claim_token = $3";
pub const MARK_HELD: &str =
    "UPDATE outbox SET held_since = $2, last_error = $3, lease_until = NULL WHERE id = $1 AND claim_token = $4";
/// Claims of earlier runs of an instance (`$1`: what their tokens begin
/// with) that are still out: their process is gone, so they are due now.
pub const TAKE_BACK_CLAIMS: &str = "
UPDATE outbox SET lease_until = NULL, attempts = attempts - 1, next_attempt_at = $2
 WHERE state = 'pending' AND lease_until IS NOT NULL
   AND substr(claim_token, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)";
/// Whether another message of the member on the platform is held already
/// with a nudge in the same chat (then that nudge is out already; a message
/// of another community is nudged in its own chat).
pub const OTHERS_HELD: &str = "
SELECT COUNT(*) FROM outbox o
WHERE o.id <> $1 AND o.state = 'pending' AND o.held_since IS NOT NULL
  AND o.member_id = (SELECT member_id FROM outbox WHERE id = $1)
  AND o.platform = (SELECT platform FROM outbox WHERE id = $1)
  AND o.fallback_chat_id = (SELECT fallback_chat_id FROM outbox WHERE id = $1)";
pub const RELEASE_HELD: &str = "
UPDATE outbox SET held_since = NULL, next_attempt_at = $3
WHERE member_id = $1 AND platform = $2 AND state = 'pending' AND held_since IS NOT NULL";
/// The member's held messages on a platform that ask nothing (no subject),
/// oldest first: gathered into one digest when the member opens the chat.
pub const HELD_TO_GATHER: &str = "
SELECT o.id, o.body FROM outbox o
WHERE o.member_id = $1 AND o.platform = $2 AND o.state = 'pending' AND o.held_since IS NOT NULL
  AND o.subject IS NULL
ORDER BY o.id";
/// The newest migration applied (sqlx's own table).
pub const SCHEMA_VERSION: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";

/// The outbox by state at `$1` (due, claimed, held, dead); sent rows,
/// most of the table until the retention sweep, count for none.
pub const OUTBOX_COUNTS: &str = "
SELECT
  COALESCE(SUM(CASE WHEN state = 'pending' AND held_since IS NULL
                     AND (lease_until IS NULL OR lease_until <= $1) AND next_attempt_at <= $1 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN state = 'pending' AND held_since IS NULL AND lease_until > $1 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN state = 'pending' AND held_since IS NOT NULL THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END), 0)
FROM outbox
WHERE state <> 'sent'";

/// The oldest held message becomes the digest of all of them.
pub const HOLD_DIGEST: &str = "UPDATE outbox SET body = $2 WHERE id = $1";
/// A held message now inside the digest row `$3`: sent with it.
pub const GATHERED_INTO: &str = "
UPDATE outbox SET state = 'sent', sent_at = $2, platform_message_id = $3, held_since = NULL
WHERE id = $1 AND state = 'pending'";
/// Private messages sent to user `$2` on platform `$1` after `$3`, newest
/// first: the loop reads whether a host notice went within the digest window.
pub const SENT_TO_SINCE: &str = "
SELECT sent_at, body FROM outbox
WHERE platform = $1 AND recipient_kind = 'member' AND recipient_id = $2 AND state = 'sent' AND sent_at > $3
ORDER BY id DESC LIMIT 20";
/// What waits behind message `$1` for the same recipient (not held),
/// oldest first.
pub const WAITING_BEHIND: &str = "
SELECT o.id, o.body FROM outbox o JOIN outbox e ON e.id = $1
WHERE o.platform = e.platform AND o.recipient_kind = e.recipient_kind AND o.recipient_id = e.recipient_id
  AND o.community_id = e.community_id AND o.id > e.id AND o.state = 'pending'
  AND o.held_since IS NULL
ORDER BY o.id LIMIT 50";
/// Message `$1`, still claimed under `$3`, becomes the digest `$2`.
pub const CLAIMED_DIGEST: &str = "UPDATE outbox SET body = $2 WHERE id = $1 AND claim_token = $3 AND state = 'pending'";
/// The member's held messages, handed over in a reply (`/inbox`): sent.
pub const TAKE_HELD: &str = "
UPDATE outbox SET state = 'sent', sent_at = $2, platform_message_id = 'inbox', held_since = NULL
WHERE member_id = $1 AND state = 'pending' AND held_since IS NOT NULL
RETURNING id, body";

// ----- settled subjects -----

pub const SETTLE: &str =
    "INSERT INTO settled_subjects (subject, settled_at) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING";
/// What was not sent yet about a settled subject (held messages too) is
/// never sent.
pub const DROP_SETTLED: &str = "
UPDATE outbox SET state = 'settled', held_since = NULL, sent_at = $2 WHERE subject = $1 AND state = 'pending'";

/// Takes the buttons away from messages sent about subject `$1` (`$2` now):
/// a message each to the same recipient, which edits the one sent.
macro_rules! clear_buttons_of {
    ($which:literal) => {
        concat!(
            "
INSERT INTO outbox (community_id, platform, recipient_kind, recipient_id, member_id, member_name,
                    member_username, fallback_chat_id, body, next_attempt_at, created_at)
SELECT community_id, platform, recipient_kind, recipient_id, member_id, member_name,
       member_username, fallback_chat_id,
       '{\"clear_buttons_of\":\"' || platform_message_id || '\"}', $2, $2
FROM outbox
WHERE state = 'sent' AND platform_message_id IS NOT NULL AND platform_message_id <> 'inbox'
  AND ",
            $which,
            "
ORDER BY id"
        )
    };
}
pub const CLEAR_SENT_BUTTONS: &str = clear_buttons_of!("subject = $1");
/// After marking message `$1` sent: if its subject was settled meanwhile,
/// its buttons go at once.
pub const CLEAR_IF_SETTLED: &str = clear_buttons_of!("id = $1 AND subject IN (SELECT subject FROM settled_subjects)");
/// What a sent announcement of offer `f` shows (`o.shows`, or every seat
/// free when it was never edited), and what it should show at `$2`: seats
/// left and open, over or withdrawn. Kept in step with
/// `OfferFacts::shows` and `OfferFacts::shows_at_first`.
macro_rules! announcement_shows {
    () => {
        "COALESCE(o.shows, CAST(f.seats AS TEXT) || '/open')"
    };
}
macro_rules! offer_shows {
    () => {
        "CAST(CASE WHEN f.seats > f.confirmed_count THEN f.seats - f.confirmed_count ELSE 0 END AS TEXT) || '/' ||
       CASE WHEN f.withdrawn_at IS NOT NULL THEN 'withdrawn' WHEN f.ends_at <= $2 THEN 'over' ELSE 'open' END"
    };
}
/// Sent announcements on platform `$1` that no longer show their offer as
/// it stands at `$2`, for offers that ended after `$3`; at most `$4`.
pub const LIVING_ANNOUNCEMENTS: &str = concat!(
    "
SELECT o.id, o.community_id, o.recipient_id, o.platform_message_id, o.body, o.shows, f.id AS offer_id
FROM seat_offers f
JOIN outbox o ON o.subject = 'offer:' || CAST(f.id AS TEXT)
WHERE f.ends_at > $3 AND o.platform = $1 AND o.state = 'sent' AND o.recipient_kind = 'chat'
  AND o.platform_message_id IS NOT NULL AND o.platform_message_id <> 'inbox'
  AND ",
    announcement_shows!(),
    " <> ",
    offer_shows!(),
    "
ORDER BY o.id LIMIT $4"
);
/// Records that announcement `$1` shows `$3` now, if it still showed `$2`
/// (`''`: never edited): one edit per change, whoever finds it.
pub const ANNOUNCEMENT_SHOWS: &str = "UPDATE outbox SET shows = $3 WHERE id = $1 AND COALESCE(shows, '') = $2";
pub const PURGE_SETTLED: &str = "DELETE FROM settled_subjects WHERE settled_at < $1";

// ----- inbox -----

/// Takes an inbound id once: no row when it was taken before.
pub const ACCEPT_INBOUND: &str = "
INSERT INTO inbound (platform, inbound_id, state, payload, received_at, handled_at, chat, seq)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (platform, inbound_id) DO NOTHING";
/// Not while an earlier update of the chat, taken (or started) after `$5`,
/// is waiting, or being handled by another worker: this worker handles a
/// chat's updates one at a time, so one it started is over (its finish may
/// not have been recorded: the database was away).
pub const START_INBOUND: &str = "
UPDATE inbound SET state = 'handling', claimed_by = $3, handled_at = $4
 WHERE platform = $1 AND inbound_id = $2 AND state = 'waiting'
   AND NOT EXISTS (
       SELECT 1 FROM inbound e
        WHERE e.platform = inbound.platform AND e.chat = inbound.chat AND e.seq < inbound.seq
          AND (e.state = 'waiting' OR (e.state = 'handling' AND e.claimed_by <> $3))
          AND COALESCE(e.handled_at, e.received_at) > $5)";
pub const INBOUND_STATE: &str = "SELECT state FROM inbound WHERE platform = $1 AND inbound_id = $2";
pub const FINISH_INBOUND: &str = "
UPDATE inbound SET state = 'done', payload = NULL, handled_at = $3 WHERE platform = $1 AND inbound_id = $2";
pub const WAITING_INBOUND: &str = "
SELECT inbound_id, payload FROM inbound
 WHERE platform = $1 AND state = 'waiting' AND payload IS NOT NULL AND received_at < $2
 ORDER BY id";
/// Started by a worker whose name begins with `$2`, never finished.
pub const ABANDON_INBOUND: &str = "
UPDATE inbound SET state = 'abandoned', payload = NULL, handled_at = $3
 WHERE platform = $1 AND state = 'handling'
   AND substr(claimed_by, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)";
pub const PURGE_INBOUND: &str = "DELETE FROM inbound WHERE received_at < $1";

// ----- pairing -----

pub const COMMUNITIES: &str = "SELECT id, name, time_zone, locale FROM communities ORDER BY id";
pub const COMMUNITY: &str = "SELECT id, name, time_zone, locale FROM communities WHERE id = $1";
pub const SET_LOCALE: &str = "UPDATE communities SET locale = $2 WHERE id = $1";

pub const PAIRING_SETTINGS: &str =
    "SELECT pairing_time, pairing_days, history_weeks, created_at FROM communities WHERE id = $1";
pub const SET_PAIRING_SETTINGS: &str =
    "UPDATE communities SET pairing_time = $2, pairing_days = $3, history_weeks = $4 WHERE id = $1";

pub const PAIRING_PREFS: &str =
    "SELECT pairing_opt_in, pairing_paused_until FROM memberships WHERE community_id = $1 AND member_id = $2";
pub const SET_PAIRING_PREFS: &str = "
UPDATE memberships SET pairing_opt_in = $3, pairing_paused_until = $4 WHERE community_id = $1 AND member_id = $2";

/// Members of community `ms.community_id` as `PoolRow` reads them: each
/// identity, profile, and where they are checked in on date `$2` (with the
/// note, today's focus). The pairing pool and the helpers a question may ask
/// add their own conditions.
macro_rules! pool_select {
    () => {
        "
SELECT m.id AS member_id, m.display_name, i.platform, i.external_id AS user_id, i.username,
       m.offers, m.wants, m.about,
       (SELECT c.space_id FROM checkins c
        WHERE c.community_id = ms.community_id AND c.member_id = m.id AND c.local_date = $2
          AND c.checked_out_at IS NULL
        ORDER BY c.checked_in_at DESC LIMIT 1) AS space_id,
       (SELECT c.note FROM checkins c
        WHERE c.community_id = ms.community_id AND c.member_id = m.id AND c.local_date = $2
          AND c.checked_out_at IS NULL
        ORDER BY c.checked_in_at DESC LIMIT 1) AS focus
FROM memberships ms
JOIN members m ON m.id = ms.member_id
JOIN identities i ON i.member_id = m.id
"
    };
}
pub(crate) use pool_select;

/// Opted in, not paused on the date, active since $3; with each identity and
/// where they are checked in that day.
pub const PAIRING_POOL: &str = concat!(
    pool_select!(),
    "WHERE ms.community_id = $1 AND ms.pairing_opt_in
  AND (ms.pairing_paused_until IS NULL OR ms.pairing_paused_until <= $2)
  AND ms.last_active_at >= $3
ORDER BY m.id, i.platform"
);

pub const PAIR_HISTORY: &str = "
SELECT a.member_id AS a, b.member_id AS b, r.local_date
FROM pairing_rounds r
JOIN pairing_groups a ON a.round_id = r.id
JOIN pairing_groups b ON b.round_id = r.id AND b.group_no = a.group_no AND b.member_id > a.member_id
WHERE r.community_id = $1 AND r.local_date >= $2";

/// No row when the community has a round that day already.
pub const INSERT_ROUND: &str = "
INSERT INTO pairing_rounds (community_id, local_date, seed, triggered_by, created_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (community_id, local_date) DO NOTHING
RETURNING id";

/// A multi-row insert of `rows` group members.
pub fn insert_group_members(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| format!("(${}, ${}, ${})", 3 * r + 1, 3 * r + 2, 3 * r + 3))
        .collect();
    format!(
        "INSERT INTO pairing_groups (round_id, member_id, group_no) VALUES {}",
        values.join(", ")
    )
}

pub const ROUND: &str = "SELECT id, local_date, seed FROM pairing_rounds WHERE community_id = $1 AND local_date = $2";
pub const ROUND_GROUPS: &str =
    "SELECT member_id, group_no FROM pairing_groups WHERE round_id = $1 ORDER BY group_no, member_id";

pub const LATEST_GROUP: &str = "
SELECT r.id, r.local_date, r.seed, g.group_no
FROM pairing_groups g JOIN pairing_rounds r ON r.id = g.round_id
WHERE r.community_id = $1 AND g.member_id = $2 AND r.local_date <= $3
ORDER BY r.local_date DESC
LIMIT 1";
pub const GROUP_MEMBERS: &str =
    "SELECT member_id FROM pairing_groups WHERE round_id = $1 AND group_no = $2 ORDER BY member_id";

pub const MARK_MET: &str =
    "UPDATE pairing_groups SET met_at = $3 WHERE round_id = $1 AND member_id = $2 AND met_at IS NULL";

/// Placements of members who were forgotten count too (`forgotten_*`).
pub const PAIRING_STATS: &str = "
SELECT (SELECT count(*) FROM pairing_rounds WHERE community_id = $1) AS rounds,
       count(g.member_id)
         + (SELECT CAST(COALESCE(sum(forgotten_placed), 0) AS BIGINT) FROM pairing_rounds WHERE community_id = $1)
         AS placed,
       count(g.met_at)
         + (SELECT CAST(COALESCE(sum(forgotten_met), 0) AS BIGINT) FROM pairing_rounds WHERE community_id = $1)
         AS met
FROM pairing_groups g JOIN pairing_rounds r ON r.id = g.round_id
WHERE r.community_id = $1";

/// The key of a button's command, kept once.
pub const BUTTON_KEY: &str = "
INSERT INTO button_commands (command, created_at) VALUES ($1, $2)
ON CONFLICT (command) DO UPDATE SET command = excluded.command
RETURNING id";
pub const BUTTON_COMMAND: &str = "SELECT command FROM button_commands WHERE id = $1";

// ----- registrations -----

pub const REGISTRATION: &str = "SELECT fingerprint FROM registrations WHERE name = $1";
pub const RECORD_REGISTRATION: &str = "
INSERT INTO registrations (name, fingerprint, registered_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, registered_at = excluded.registered_at";

// ----- leases -----

/// Takes or renews a lease: a row when `$2` holds it now. The epoch goes up
/// unless the same holder renews a lease still running at `$3`.
pub const CLAIM_LEASE: &str = "
INSERT INTO leases (role, holder, epoch, expires_at) VALUES ($1, $2, 1, $4)
ON CONFLICT (role) DO UPDATE SET
    holder = excluded.holder,
    epoch = CASE WHEN leases.holder = excluded.holder AND leases.expires_at >= $3
                 THEN leases.epoch ELSE leases.epoch + 1 END,
    expires_at = excluded.expires_at
WHERE leases.holder = excluded.holder OR leases.expires_at < $3
   OR substr(leases.holder, 1, length(CAST($5 AS TEXT))) = CAST($5 AS TEXT)
RETURNING epoch";
pub const RELEASE_LEASE: &str = "UPDATE leases SET expires_at = $3 WHERE role = $1 AND holder = $2";

// ----- send windows (a fleet's shared limits) -----

pub const NEW_SEND_WINDOW: &str = "
INSERT INTO send_windows (platform, scope, span_ms, sent, last_at) VALUES ($1, $2, $3, '', $4)
ON CONFLICT (platform, scope, span_ms) DO NOTHING";
/// Followed by the backend's row lock: the window is read to be written.
pub const SEND_WINDOW: &str =
    "SELECT o.sent FROM send_windows o WHERE o.platform = $1 AND o.scope = $2 AND o.span_ms = $3";
pub const SET_SEND_WINDOW: &str = "
UPDATE send_windows SET sent = $4, last_at = $5 WHERE platform = $1 AND scope = $2 AND span_ms = $3";
pub const FORGET_IDLE_SEND_WINDOWS: &str = "DELETE FROM send_windows WHERE last_at < $1";
