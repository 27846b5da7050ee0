//! How well two members fit: who can help whom. Used for the check-in
//! suggestions (and, later, the daily pairing weights).

use crate::domain::Tag;
use crate::store::Profile;

/// Why two members should meet, seen from one of them ("me").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fit {
    /// Their offers that meet my wants.
    pub they_help_me: Vec<Tag>,
    /// My offers that meet their wants.
    pub i_help_them: Vec<Tag>,
    /// Tags we share otherwise (both offer it, or both look for it).
    pub shared: Vec<Tag>,
}

impl Fit {
    pub fn between(me: &Profile, them: &Profile) -> Fit {
        let they_help_me = them.offers.intersection(&me.wants);
        let i_help_them = me.offers.intersection(&them.wants);
        let mut shared: Vec<Tag> = me
            .offers
            .intersection(&them.offers)
            .into_iter()
            .chain(me.wants.intersection(&them.wants))
            .filter(|t| !they_help_me.contains(t) && !i_help_them.contains(t))
            .collect();
        shared.sort();
        shared.dedup();
        Fit {
            they_help_me,
            i_help_them,
            shared,
        }
    }

    /// Helping counts three times as much as a shared interest: the point is to
    /// meet someone who can move your work forward.
    pub fn score(&self) -> u32 {
        3 * (self.they_help_me.len() + self.i_help_them.len()) as u32 + self.shared.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Tags;

    fn profile(offers: &str, wants: &str) -> Profile {
        Profile {
            offers: Tags::parse_list(offers).unwrap_or_default(),
            wants: Tags::parse_list(wants).unwrap_or_default(),
            ..Profile::default()
        }
    }

    #[test]
    fn complementary_profiles_outscore_shared_interests() {
        let me = profile("rust", "design, funding");
        let designer = profile("design", "rust");
        let rustacean = profile("rust", "");
        let complement = Fit::between(&me, &designer);
        assert_eq!(complement.they_help_me.len(), 1);
        assert_eq!(complement.i_help_them.len(), 1);
        let same = Fit::between(&me, &rustacean);
        assert_eq!(same.shared.len(), 1);
        assert!(complement.score() > same.score());
        assert_eq!(Fit::between(&me, &profile("", "")).score(), 0);
    }
}
