//! The statements of one-time codes, chat bindings, linking, export and
//! erasure (see `queries` for the rest); written once for both backends.

// ----- the arrival cache -----

pub const CACHE_GENERATION: &str = "SELECT generation FROM cache_generation WHERE id = 1";
/// In the transaction of a change to what arrivals carry (see `arrivals`).
pub const BUMP_CACHE_GENERATION: &str = "UPDATE cache_generation SET generation = generation + 1 WHERE id = 1";

// ----- codes -----

/// A member's codes of one purpose (`$2`): a new one replaces them.
pub const DROP_MEMBER_PURPOSE_CODES: &str = "DELETE FROM one_time_codes WHERE member_id = $1 AND purpose = $2";
pub const ISSUE_CODE: &str = "
INSERT INTO one_time_codes (code_hash, purpose, community_id, member_id, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)";
pub const CODE_OWNER: &str = "
SELECT community_id, member_id FROM one_time_codes WHERE code_hash = $1 AND purpose = $2 AND expires_at > $3";
/// Deleting is redeeming: of two at once, one gets the row.
pub const REDEEM_CODE: &str = "
DELETE FROM one_time_codes WHERE code_hash = $1 AND purpose = $2 AND expires_at > $3
RETURNING community_id, member_id";

// ----- chats -----

pub const BIND_CHAT_IF_FREE: &str = "
INSERT INTO community_chats (platform, chat_id, community_id, bound_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (platform, chat_id) DO NOTHING";
pub const CHAT_COMMUNITY: &str = "SELECT community_id FROM community_chats WHERE platform = $1 AND chat_id = $2";
pub const NOTE_CHAT: &str = "
UPDATE community_chats SET server_id = COALESCE($3, server_id), title = COALESCE($4, title)
 WHERE platform = $1 AND chat_id = $2";
pub const CHATS_WITHOUT_SERVER: &str =
    "SELECT chat_id FROM community_chats WHERE platform = $1 AND server_id IS NULL ORDER BY chat_id";
pub const SERVER_COMMUNITY: &str = "
SELECT community_id FROM community_chats WHERE platform = $1 AND server_id = $2 ORDER BY bound_at LIMIT 1";
/// Locks the community for a change to its chats (a no-op write, on both backends).
pub const LOCK_COMMUNITY: &str = "UPDATE communities SET name = name WHERE id = $1";
pub const OTHER_LIVE_CHATS: &str = "
SELECT count(*) FROM community_chats
 WHERE community_id = $1 AND paused_at IS NULL AND NOT (platform = $2 AND chat_id = $3)";
pub const UNBIND_CHAT: &str = "DELETE FROM community_chats WHERE platform = $1 AND chat_id = $2";
pub const BOUND_CHATS: &str = "
SELECT platform, chat_id, bound_at, paused_at IS NOT NULL, title FROM community_chats
 WHERE community_id = $1 ORDER BY bound_at, platform, chat_id";

// ----- linking -----

pub const WRITE_PROFILE: &str = "
UPDATE members SET offers = $2, wants = $3, about = $4,
       notify_platform = COALESCE(notify_platform, (SELECT o.notify_platform FROM members o WHERE o.id = $5))
 WHERE id = $1";
pub const MOVE_IDENTITIES: &str = "UPDATE identities SET member_id = $1 WHERE member_id = $2";
pub const MOVE_MEMBERSHIPS: &str = "
UPDATE memberships SET member_id = $1
 WHERE member_id = $2 AND community_id NOT IN (SELECT community_id FROM memberships WHERE member_id = $1)";
/// Where both belong: admin or in the pairing if either was, joined when the first did.
pub const MERGE_MEMBERSHIPS: &str = "
UPDATE memberships SET
    is_admin = (is_admin OR (SELECT o.is_admin FROM memberships o
                              WHERE o.member_id = $2 AND o.community_id = memberships.community_id)),
    pairing_opt_in = (pairing_opt_in OR (SELECT o.pairing_opt_in FROM memberships o
                                          WHERE o.member_id = $2 AND o.community_id = memberships.community_id)),
    joined_at = (SELECT CASE WHEN o.joined_at < memberships.joined_at THEN o.joined_at ELSE memberships.joined_at END
                   FROM memberships o WHERE o.member_id = $2 AND o.community_id = memberships.community_id)
 WHERE member_id = $1 AND community_id IN (SELECT community_id FROM memberships WHERE member_id = $2)";
pub const DROP_MEMBERSHIPS: &str = "DELETE FROM memberships WHERE member_id = $1";
pub const COPY_HOSTS: &str = "
INSERT INTO space_hosts (space_id, member_id) SELECT space_id, $1 FROM space_hosts WHERE member_id = $2
ON CONFLICT DO NOTHING";
pub const DROP_HOSTS: &str = "DELETE FROM space_hosts WHERE member_id = $1";
pub const MOVE_OFFERS: &str = "UPDATE seat_offers SET host_member_id = $1 WHERE host_member_id = $2";
pub const MOVE_STANDING_OFFERS: &str = "UPDATE standing_offers SET host_member_id = $1 WHERE host_member_id = $2";
/// Of two standing requests at one space, the kept member's stays.
pub const DROP_SHARED_STANDING_REQUESTS: &str = "
DELETE FROM standing_requests WHERE member_id = $2 AND ended_at IS NULL
   AND space_id IN (SELECT space_id FROM standing_requests WHERE member_id = $1 AND ended_at IS NULL)";
pub const MOVE_STANDING_REQUESTS: &str = "UPDATE standing_requests SET member_id = $1 WHERE member_id = $2";
pub const MOVE_QUESTIONS_ASKED: &str = "UPDATE questions SET asker_member_id = $1 WHERE asker_member_id = $2";
pub const MOVE_QUESTIONS_HELPED: &str = "UPDATE questions SET helper_member_id = $1 WHERE helper_member_id = $2";
/// A question that asked both accounts keeps the kept one's answer.
pub const DROP_SHARED_QUESTION_ASKS: &str = "
DELETE FROM question_asks WHERE member_id = $2
   AND question_id IN (SELECT question_id FROM question_asks WHERE member_id = $1)";
pub const MOVE_QUESTION_ASKS: &str = "UPDATE question_asks SET member_id = $1 WHERE member_id = $2";
/// Questions stay on only if both accounts took them.
pub const MERGE_TAKES_QUESTIONS: &str = "
UPDATE members SET asks = (asks AND (SELECT m.asks FROM members m WHERE m.id = $2)) WHERE id = $1";
/// Reminders stay on only if both accounts had them on.
pub const MERGE_SEAT_REMINDERS: &str = "
UPDATE members SET seat_reminders = (seat_reminders AND (SELECT m.seat_reminders FROM members m WHERE m.id = $2))
 WHERE id = $1";
/// Requests of both for the same offer: kept's id, state, queue; merged's; the offer and community.
pub const SHARED_REQUESTS: &str = "
SELECT k.id, k.state, k.queue_no, m.id, m.state, m.queue_no, k.offer_id, k.community_id
  FROM seat_requests k JOIN seat_requests m ON m.offer_id = k.offer_id
 WHERE k.member_id = $1 AND m.member_id = $2
 ORDER BY k.offer_id";
pub const DELETE_REQUEST: &str = "DELETE FROM seat_requests WHERE id = $1";
pub const MOVE_REQUESTS: &str = "UPDATE seat_requests SET member_id = $1 WHERE member_id = $2";
/// Of two check-ins on one day in one community, the later stays.
pub const DROP_EARLIER_MERGED_CHECKINS: &str = "
DELETE FROM checkins WHERE member_id = $2 AND EXISTS (
    SELECT 1 FROM checkins k WHERE k.member_id = $1 AND k.community_id = checkins.community_id
       AND k.local_date = checkins.local_date AND k.checked_in_at >= checkins.checked_in_at)";
pub const DROP_EARLIER_KEPT_CHECKINS: &str = "
DELETE FROM checkins WHERE member_id = $1 AND EXISTS (
    SELECT 1 FROM checkins m WHERE m.member_id = $2 AND m.community_id = checkins.community_id
       AND m.local_date = checkins.local_date)";
pub const MOVE_CHECKINS: &str = "UPDATE checkins SET member_id = $1 WHERE member_id = $2";
pub const DROP_SHARED_ROUNDS: &str = "
DELETE FROM pairing_groups WHERE member_id = $2
   AND round_id IN (SELECT round_id FROM pairing_groups WHERE member_id = $1)";
pub const MOVE_GROUPS: &str = "UPDATE pairing_groups SET member_id = $1 WHERE member_id = $2";
pub const MOVE_OUTBOX: &str = "UPDATE outbox SET member_id = $1 WHERE member_id = $2";
pub const DROP_MEMBER_CODES: &str = "DELETE FROM one_time_codes WHERE member_id = $1";

// ----- unlinking -----

pub const IDENTITY_COUNT: &str = "SELECT count(*) FROM identities WHERE member_id = $1";
pub const HAS_IDENTITY_ON: &str = "SELECT count(*) FROM identities WHERE member_id = $1 AND platform = $2";
pub const COPY_MEMBER: &str = "
INSERT INTO members (display_name, offers, wants, about, created_at)
SELECT display_name, offers, wants, about, $2 FROM members WHERE id = $1
RETURNING id";
pub const MOVE_IDENTITY_ON: &str = "UPDATE identities SET member_id = $3 WHERE member_id = $1 AND platform = $2";
pub const COPY_MEMBERSHIPS: &str = "
INSERT INTO memberships (community_id, member_id, is_admin, joined_at, last_active_at, pairing_opt_in)
SELECT community_id, $2, FALSE, joined_at, last_active_at, pairing_opt_in FROM memberships WHERE member_id = $1";
pub const MOVE_OUTBOX_ON: &str = "
UPDATE outbox SET member_id = $3 WHERE member_id = $1 AND platform = $2 AND recipient_kind = 'member'";
pub const FORGET_NOTIFY_ON: &str = "UPDATE members SET notify_platform = NULL WHERE id = $1 AND notify_platform = $2";

pub const SET_NOTIFY: &str = "UPDATE members SET notify_platform = $2 WHERE id = $1";
pub const NOTIFY: &str = "SELECT notify_platform FROM members WHERE id = $1";

// ----- export -----

pub const EXPORT_MEMBER: &str =
    "SELECT display_name, offers, wants, about, notify_platform, created_at, seat_reminders, asks FROM members WHERE id = $1";
pub const EXPORT_QUESTIONS: &str = "
SELECT q.id, c.name, q.text, q.created_at, q.answered_at, q.closed_at
  FROM questions q JOIN communities c ON c.id = q.community_id
 WHERE q.asker_member_id = $1 ORDER BY q.id";
pub const EXPORT_QUESTIONS_RECEIVED: &str = "
SELECT q.id, c.name, a.asked_at, a.answer
  FROM question_asks a JOIN questions q ON q.id = a.question_id JOIN communities c ON c.id = q.community_id
 WHERE a.member_id = $1 ORDER BY q.id";
pub const EXPORT_STANDING_OFFERS: &str = "
SELECT c.name, s.slug, so.days, so.created_at, so.ended_at
  FROM standing_offers so JOIN spaces s ON s.id = so.space_id JOIN communities c ON c.id = so.community_id
 WHERE so.host_member_id = $1 ORDER BY so.id";
pub const EXPORT_STANDING_REQUESTS: &str = "
SELECT c.name, s.slug, sr.days, sr.created_at, sr.ended_at
  FROM standing_requests sr JOIN spaces s ON s.id = sr.space_id JOIN communities c ON c.id = sr.community_id
 WHERE sr.member_id = $1 ORDER BY sr.id";
pub const EXPORT_IDENTITIES: &str = "
SELECT platform, external_id, username, last_seen_at FROM identities WHERE member_id = $1 ORDER BY platform";
pub const EXPORT_MEMBERSHIPS: &str = "
SELECT c.name, ms.is_admin, ms.joined_at, ms.last_active_at, ms.pairing_opt_in, ms.pairing_paused_until
  FROM memberships ms JOIN communities c ON c.id = ms.community_id
 WHERE ms.member_id = $1 ORDER BY c.name";
pub const EXPORT_HOSTS: &str = "
SELECT c.name, s.slug FROM space_hosts h JOIN spaces s ON s.id = h.space_id JOIN communities c ON c.id = s.community_id
 WHERE h.member_id = $1 ORDER BY c.name, s.slug";
pub const EXPORT_CHECKINS: &str = "
SELECT c.name, s.slug, ch.local_date, ch.checked_in_at, ch.until_at, ch.checked_out_at, ch.note
  FROM checkins ch JOIN communities c ON c.id = ch.community_id LEFT JOIN spaces s ON s.id = ch.space_id
 WHERE ch.member_id = $1 ORDER BY ch.local_date, ch.checked_in_at";
pub const EXPORT_OFFERS: &str = "
SELECT o.id, c.name, s.slug, o.local_date, o.seats, o.note, o.withdrawn_at
  FROM seat_offers o JOIN spaces s ON s.id = o.space_id JOIN communities c ON c.id = o.community_id
 WHERE o.host_member_id = $1 ORDER BY o.id";
pub const EXPORT_REQUESTS: &str = "
SELECT r.id, r.offer_id, c.name, s.slug, o.local_date, r.state, r.requested_at, r.decided_at, r.reason
  FROM seat_requests r JOIN seat_offers o ON o.id = r.offer_id JOIN spaces s ON s.id = o.space_id
  JOIN communities c ON c.id = r.community_id
 WHERE r.member_id = $1 ORDER BY r.id";
pub const EXPORT_PAIRINGS: &str = "
SELECT r.id, c.name, r.local_date, g.group_no, g.met_at
  FROM pairing_groups g JOIN pairing_rounds r ON r.id = g.round_id JOIN communities c ON c.id = r.community_id
 WHERE g.member_id = $1 ORDER BY r.local_date, r.id";
pub const EXPORT_GROUP_OTHERS: &str = "
SELECT m.display_name FROM pairing_groups g JOIN members m ON m.id = g.member_id
 WHERE g.round_id = $1 AND g.group_no = $2 AND g.member_id <> $3 ORDER BY m.display_name";
pub const EXPORT_MESSAGES: &str = "
SELECT platform, state, held_since IS NOT NULL, created_at, sent_at, body FROM outbox
 WHERE member_id = $1 ORDER BY id";

// ----- erasure and retention -----

/// The stats keep the member's placements (and meetings) as numbers.
pub const COUNT_FORGOTTEN_PLACEMENTS: &str = "
UPDATE pairing_rounds SET
    forgotten_placed = forgotten_placed + 1,
    forgotten_met = forgotten_met + (SELECT CASE WHEN g.met_at IS NULL THEN 0 ELSE 1 END FROM pairing_groups g
                                      WHERE g.round_id = pairing_rounds.id AND g.member_id = $1)
 WHERE id IN (SELECT round_id FROM pairing_groups WHERE member_id = $1)";
pub const DROP_GROUPS: &str = "DELETE FROM pairing_groups WHERE member_id = $1";
/// A number for the erased member's visits, so that they count as one
/// coworker in reports (see the migration `forgotten_as_numbers`).
pub const NEW_FORGOTTEN_PERSON: &str = "INSERT INTO forgotten_people DEFAULT VALUES RETURNING id";
/// Their check-ins as numbers: where and when, under that number (`$2`).
pub const KEEP_VISITS: &str = "
INSERT INTO forgotten_visits (community_id, space_id, local_date, person)
SELECT community_id, space_id, local_date, $2 FROM checkins WHERE member_id = $1";
/// Their requests, and those on the offers they hosted (which go with the
/// offers), as numbers.
pub const KEEP_REQUESTS: &str = "
INSERT INTO forgotten_requests (community_id, space_id, local_date, ends_at, state, claimed)
SELECT o.community_id, o.space_id, o.local_date, o.ends_at, r.state, r.claimed_at IS NOT NULL
  FROM seat_requests r JOIN seat_offers o ON o.id = r.offer_id
 WHERE r.member_id = $1 OR o.host_member_id = $1";
/// Their places in rounds: the introduction and whether it was met.
pub const KEEP_PLACEMENTS: &str = "
INSERT INTO forgotten_placements (round_id, group_no, met)
SELECT round_id, group_no, met_at IS NOT NULL FROM pairing_groups WHERE member_id = $1";
/// The seats they offered (and did not withdraw), as numbers.
pub const KEEP_OFFERS: &str = "
INSERT INTO forgotten_offers (community_id, space_id, local_date, seats)
SELECT community_id, space_id, local_date, seats FROM seat_offers
 WHERE host_member_id = $1 AND withdrawn_at IS NULL";
pub const DROP_OUTBOX_TO: &str = "DELETE FROM outbox WHERE member_id = $1";
/// Messages that name the member (a body holds their identity as
/// `"user_id":"…"`): sent ones are history about them; ones still to go
/// speak of requests and offers that no longer exist.
pub const DROP_NAMING: &str = "DELETE FROM outbox WHERE body LIKE $1 ESCAPE '\\'";
pub const MEMBER_IDENTITIES: &str = "SELECT external_id FROM identities WHERE member_id = $1";
pub const DROP_CHECKINS: &str = "DELETE FROM checkins WHERE member_id = $1";
/// Their questions stay as numbers (counted in reports), without their words.
pub const BLANK_QUESTIONS: &str = "UPDATE questions SET text = '' WHERE asker_member_id = $1";
pub const DROP_REQUESTS: &str = "DELETE FROM seat_requests WHERE member_id = $1";
pub const DROP_OFFERS: &str = "DELETE FROM seat_offers WHERE host_member_id = $1";
pub const DROP_IDENTITIES: &str = "DELETE FROM identities WHERE member_id = $1";

pub const PURGE_CHECKINS: &str = "DELETE FROM checkins WHERE local_date < $1";
/// Erased members' visits go when check-ins would have.
pub const PURGE_FORGOTTEN_VISITS: &str = "DELETE FROM forgotten_visits WHERE local_date < $1";
/// Questions past the window keep only their numbers, as check-ins do not
/// outlive it either.
pub const PURGE_QUESTION_TEXT: &str = "UPDATE questions SET text = '' WHERE local_date < $1 AND text <> ''";
pub const PURGE_CODES: &str = "DELETE FROM one_time_codes WHERE expires_at <= $1";
/// Delivered (or given up) messages past the window: a record of what was
/// sent is kept no longer than the check-ins it may speak of.
pub const PURGE_DELIVERED: &str = "DELETE FROM outbox WHERE state <> 'pending' AND COALESCE(sent_at, created_at) < $1";
