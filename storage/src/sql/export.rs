//! `/mydata`: everything kept about a member, read in one place.

use super::Db;
use crate::account_queries as q;
use crate::Stored as _;
use chrono::{DateTime, NaiveDate, Utc};
use seatmate_bot::domain::Tags;
use seatmate_bot::store::{
    ExportedCheckin, ExportedHost, ExportedIdentity, ExportedMembership, ExportedMessage, ExportedOffer,
    ExportedPairing, ExportedQuestion, ExportedQuestionReceived, ExportedRequest, ExportedStanding, MemberData,
    StoreError, StoreResult,
};
use seatmate_over_backend::over_backend;

#[over_backend]
impl<B> Db<B> {
    pub(super) async fn export(&self, member: i64) -> StoreResult<MemberData> {
        let pool = self.0.pool();
        // Every row of `$sql` about the member, as `$row`.
        macro_rules! rows {
            ($row:ty, $sql:expr) => {
                sqlx::query_as::<B::DB, $row>($sql)
                    .bind(member)
                    .fetch_all(pool)
                    .await
                    .stored()?
                    .into_iter()
            };
        }
        type MemberRow = (
            String,
            String,
            String,
            String,
            Option<String>,
            DateTime<Utc>,
            bool,
            bool,
        );
        let (display_name, offers, wants, about, notify_platform, created_at, seat_reminders, takes_questions) =
            sqlx::query_as::<B::DB, MemberRow>(q::EXPORT_MEMBER)
                .bind(member)
                .fetch_optional(pool)
                .await
                .stored()?
                .ok_or(StoreError::NotFound)?;
        let identities = rows!(
            (String, String, Option<String>, Option<DateTime<Utc>>),
            q::EXPORT_IDENTITIES
        )
        .map(|(platform, user_id, username, last_seen_at)| ExportedIdentity {
            platform,
            user_id,
            username,
            last_seen_at,
        })
        .collect();
        type MembershipRow = (String, bool, DateTime<Utc>, DateTime<Utc>, bool, Option<NaiveDate>);
        let memberships = rows!(MembershipRow, q::EXPORT_MEMBERSHIPS)
            .map(
                |(community, admin, joined_at, last_active_at, pairing_opt_in, pairing_paused_until)| {
                    ExportedMembership {
                        community,
                        admin,
                        joined_at,
                        last_active_at,
                        pairing_opt_in,
                        pairing_paused_until,
                    }
                },
            )
            .collect();
        let hosts = rows!((String, String), q::EXPORT_HOSTS)
            .map(|(community, space)| ExportedHost { community, space })
            .collect();
        type CheckinRow = (
            String,
            Option<String>,
            NaiveDate,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
            String,
        );
        let checkins = rows!(CheckinRow, q::EXPORT_CHECKINS)
            .map(
                |(community, space, date, checked_in_at, until, checked_out_at, note)| ExportedCheckin {
                    community,
                    space,
                    date,
                    checked_in_at,
                    until,
                    checked_out_at,
                    note,
                },
            )
            .collect();
        type OfferRow = (i64, String, String, NaiveDate, i64, String, Option<DateTime<Utc>>);
        let seat_offers = rows!(OfferRow, q::EXPORT_OFFERS)
            .map(
                |(id, community, space, date, seats, note, withdrawn_at)| ExportedOffer {
                    id,
                    community,
                    space,
                    date,
                    seats,
                    note,
                    withdrawn_at,
                },
            )
            .collect();
        type RequestRow = (
            i64,
            i64,
            String,
            String,
            NaiveDate,
            String,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<String>,
        );
        let seat_requests = rows!(RequestRow, q::EXPORT_REQUESTS)
            .map(
                |(id, offer_id, community, space, date, state, requested_at, decided_at, reason)| ExportedRequest {
                    id,
                    offer_id,
                    community,
                    space,
                    date,
                    state,
                    requested_at,
                    decided_at,
                    reason,
                },
            )
            .collect();
        type StandingRow = (String, String, String, DateTime<Utc>, Option<DateTime<Utc>>);
        let standing = |(community, space, days, created_at, ended_at): StandingRow| ExportedStanding {
            community,
            space,
            days,
            created_at,
            ended_at,
        };
        let standing_offers = rows!(StandingRow, q::EXPORT_STANDING_OFFERS).map(standing).collect();
        let standing_requests = rows!(StandingRow, q::EXPORT_STANDING_REQUESTS).map(standing).collect();
        let mut pairings = Vec::new();
        for (round, community, date, group, met_at) in
            rows!((i64, String, NaiveDate, i64, Option<DateTime<Utc>>), q::EXPORT_PAIRINGS)
        {
            let with = sqlx::query_scalar::<B::DB, String>(q::EXPORT_GROUP_OTHERS)
                .bind(round)
                .bind(group)
                .bind(member)
                .fetch_all(pool)
                .await
                .stored()?;
            pairings.push(ExportedPairing {
                community,
                date,
                with,
                met_at,
            });
        }
        type QuestionRow = (
            i64,
            String,
            String,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
        );
        let questions_asked = rows!(QuestionRow, q::EXPORT_QUESTIONS)
            .map(
                |(id, community, text, created_at, answered_at, closed_at)| ExportedQuestion {
                    id,
                    community,
                    text,
                    created_at,
                    answered_at,
                    closed_at,
                },
            )
            .collect();
        let questions_received = rows!(
            (i64, String, DateTime<Utc>, Option<String>),
            q::EXPORT_QUESTIONS_RECEIVED
        )
        .map(|(id, community, asked_at, answer)| ExportedQuestionReceived {
            id,
            community,
            asked_at,
            answer,
        })
        .collect();
        type MessageRow = (String, String, bool, DateTime<Utc>, Option<DateTime<Utc>>, String);
        let messages = rows!(MessageRow, q::EXPORT_MESSAGES)
            .map(|(platform, state, held, created_at, sent_at, body)| ExportedMessage {
                platform,
                state,
                held,
                created_at,
                sent_at,
                text: String::new(),
                // A body this version cannot read is exported without its text.
                body: crate::rows::read_body(&body).ok(),
            })
            .collect();
        Ok(MemberData {
            member_id: member,
            display_name,
            offers: Tags::from_stored(&offers)
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            wants: Tags::from_stored(&wants)
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            about,
            notify_platform,
            seat_reminders,
            takes_questions,
            created_at,
            identities,
            memberships,
            hosts,
            checkins,
            seat_offers,
            seat_requests,
            standing_offers,
            standing_requests,
            pairings,
            questions_asked,
            questions_received,
            messages,
        })
    }
}
