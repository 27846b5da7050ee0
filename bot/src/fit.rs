//! How well two members fit: who can help whom. Used for the check-in
//! suggestions (and, later, the daily pairing weights).

use crate::domain::Tag;
use crate::focus::Focus;
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
    /// Their offers that my focus today names.
    pub help_my_focus: Vec<Tag>,
    /// My offers that their focus today names.
    pub help_their_focus: Vec<Tag>,
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
            ..Fit::default()
        }
    }

    /// As [`Fit::between`], with today's focus of each: an offer the other's
    /// focus names is a reason of its own (and then not also a want met or
    /// a shared tag).
    pub fn with_focus(me: &Profile, my_focus: &Focus, them: &Profile, their_focus: &Focus) -> Fit {
        let mut fit = Fit::between(me, them);
        fit.help_my_focus = my_focus.met_by(&them.offers);
        fit.help_their_focus = their_focus.met_by(&me.offers);
        let (mine, theirs) = (fit.help_my_focus.clone(), fit.help_their_focus.clone());
        fit.they_help_me.retain(|t| !mine.contains(t));
        fit.i_help_them.retain(|t| !theirs.contains(t));
        fit.shared.retain(|t| !mine.contains(t) && !theirs.contains(t));
        fit
    }

    /// Whether either one's focus today meets the other's offers.
    pub fn meets_a_focus(&self) -> bool {
        !self.help_my_focus.is_empty() || !self.help_their_focus.is_empty()
    }

    /// Helping counts three times as much as a shared interest: the point is to
    /// meet someone who can move your work forward. Helping with today's
    /// focus counts as much as helping with a want.
    pub fn score(&self) -> u32 {
        let helping =
            self.they_help_me.len() + self.i_help_them.len() + self.help_my_focus.len() + self.help_their_focus.len();
        3 * helping as u32 + self.shared.len() as u32
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
