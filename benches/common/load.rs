//! The delivery benchmarks' load, the same on every platform: a community
//! bound to one chat with its members, and their messages written to the
//! outbox as over a busy morning (a chat message among every fifteen
//! private ones). Each message's text is `message NNNNN`, to count losses
//! and repeats.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityName, Platform};
use seatmate_bot::store::{Identity, Outgoing, Target};
use seatmate_bot::{ChatKey, Reply, Span, Store, Zone};

/// The text of message `i`.
pub fn text(i: usize) -> String {
    format!("message {i:05}")
}

/// Writes the load; how many messages it holds.
pub async fn write(
    store: &Arc<dyn Store>,
    platform: Platform,
    chat_id: &str,
    member_ids: impl Iterator<Item = String>,
    per_member: usize,
    to_chat: usize,
    now: DateTime<Utc>,
) -> usize {
    let chat = ChatKey {
        platform,
        chat_id: chat_id.to_string(),
        private: false,
    };
    let identity = |id: String| Identity {
        platform,
        display_name: format!("member {id}"),
        username: Some(format!("m{id}")),
        user_id: id,
    };
    let mut member_ids = member_ids.peekable();
    let first = member_ids.peek().cloned().expect("members");
    let founder = store.enter(&chat, &identity(first), now).await.unwrap().member;
    let name = CommunityName::parse("Bench").unwrap();
    let community = store
        .create_community(&chat, &name, Zone::UTC, founder, now)
        .await
        .unwrap()
        .id;
    // Entering once the chat is the community's makes each a member of it.
    let mut members = Vec::new();
    for id in member_ids {
        members.push(store.enter(&chat, &identity(id), now).await.unwrap().member);
    }
    let body = |i: usize| Reply::to_chat().line(vec![Span::Text(text(i))]);
    let private = members.len() * per_member;
    let every = (private / to_chat.max(1)).max(1);
    let mut messages = Vec::new();
    for i in 0..private {
        if i % every == 0 && messages.len() - i < to_chat {
            let target = Target::Chat {
                platform,
                chat_id: chat_id.to_string(),
            };
            messages.push(Outgoing::new(community, target, body(messages.len())));
        }
        let member = members[i % members.len()];
        messages.push(Outgoing::new(community, Target::Member(member), body(messages.len())));
    }
    store.enqueue(&messages, now).await.unwrap();
    messages.len()
}

/// The most of `times` inside any window of `span`, wherever it starts.
pub fn busiest(times: &[std::time::Instant], span: std::time::Duration) -> usize {
    let mut times = times.to_vec();
    times.sort();
    let mut start = 0;
    let mut most = 0;
    for end in 0..times.len() {
        while times[end].duration_since(times[start]) >= span {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}
