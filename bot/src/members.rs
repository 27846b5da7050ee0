//! Which member a reference (`@hanna`, a mention) means. A rule of the core,
//! so that every platform resolves references the same way.

use crate::domain::{MemberHandle, Platform};
use crate::reply::MemberCard;

/// What a member reference came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    One(MemberCard),
    Nobody,
    /// Several members fit and none exactly: the caller must say which.
    Several(Vec<MemberCard>),
}

/// Picks the member `handle` means among `candidates` (the store's matches
/// ignoring case). A platform id is exact. A username matches exactly (case
/// included) first; a match that ignores case counts only when it is the only
/// one. Nothing is guessed from who was active last.
pub fn resolve(handle: &MemberHandle, platform: Platform, mut candidates: Vec<MemberCard>) -> Resolved {
    if let MemberHandle::Username(name) = handle {
        let exact = |card: &MemberCard| {
            card.handles
                .iter()
                .any(|h| h.platform == platform && h.username.as_deref() == Some(name.as_str()))
        };
        if candidates.iter().filter(|c| exact(c)).count() == 1 {
            candidates.retain(exact);
        }
    }
    match candidates.len() {
        0 => Resolved::Nobody,
        1 => Resolved::One(candidates.remove(0)),
        _ => Resolved::Several(candidates),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MemberId;
    use crate::reply::Handle;

    fn card(id: i64, username: &str) -> MemberCard {
        MemberCard {
            id: MemberId(id),
            display_name: format!("member {id}"),
            handles: vec![Handle {
                platform: Platform::Telegram,
                user_id: id.to_string(),
                username: Some(username.into()),
            }],
        }
    }

    fn name(n: &str) -> MemberHandle {
        MemberHandle::Username(n.into())
    }

    #[test]
    fn an_exact_username_wins_over_one_that_differs_in_case() {
        let both = || vec![card(1, "hanna"), card(2, "HANNA")];
        assert_eq!(
            resolve(&name("hanna"), Platform::Telegram, both()),
            Resolved::One(card(1, "hanna"))
        );
        assert_eq!(
            resolve(&name("HANNA"), Platform::Telegram, both()),
            Resolved::One(card(2, "HANNA"))
        );
    }

    #[test]
    fn a_case_insensitive_match_counts_only_when_unique() {
        assert_eq!(
            resolve(&name("Bea"), Platform::Telegram, vec![card(3, "bea")]),
            Resolved::One(card(3, "bea"))
        );
        let several = resolve(
            &name("Hanna"),
            Platform::Telegram,
            vec![card(1, "hanna"), card(2, "HANNA")],
        );
        assert!(matches!(several, Resolved::Several(c) if c.len() == 2));
        assert_eq!(resolve(&name("x"), Platform::Telegram, vec![]), Resolved::Nobody);
    }

    #[test]
    fn a_platform_id_is_exact() {
        let id = MemberHandle::PlatformId("7".into());
        assert_eq!(
            resolve(&id, Platform::Telegram, vec![card(7, "g")]),
            Resolved::One(card(7, "g"))
        );
    }
}
