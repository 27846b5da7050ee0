//! Today's focus: the words of a check-in note ("pitching to investors,
//! need postgres help"), matched against what others offer.
//!
//! Invariants:
//! - Words are read as tags are (lowercase; spaces, hyphens and
//!   underscores separate words), then stemmed in English and in Dutch: a
//!   focus word meets a tag word when either language's stems agree
//!   ("investors" meets `investor`, "ontwerpen" meets `ontwerp`).
//! - A tag of several words (`machine-learning`) meets the focus only when
//!   all its words stand side by side, in order ("machine learning").
//! - Stop words of either language are left out of the focus, so a tag
//!   never matches on "to", "the", "met" or "de" alone.

use rust_stemmers::{Algorithm, Stemmer};

use crate::domain::{Tag, Tags};

/// One word as both languages stem it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    en: String,
    nl: String,
}

impl Word {
    fn of(word: &str) -> Word {
        Word {
            en: Stemmer::create(Algorithm::English).stem(word).into_owned(),
            nl: Stemmer::create(Algorithm::Dutch).stem(word).into_owned(),
        }
    }

    fn meets(&self, other: &Word) -> bool {
        self.en == other.en || self.nl == other.nl
    }
}

/// Words too common to name a subject, in English and Dutch.
/// Question words count as stop words too: a question (`/ask`) is read as
/// a focus is.
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "any", "anyone", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does",
    "for", "from", "get", "has", "have", "help", "how", "i", "in", "is", "it", "know", "knows", "me", "my", "need",
    "of", "on", "or", "some", "someone", "the", "there", "to", "today", "want", "what", "where", "which", "who", "why",
    "with", "working", "would", "you", "aan", "bij", "de", "een", "en", "er", "het", "hoe", "hulp", "iemand", "ik",
    "in", "is", "je", "kan", "kun", "met", "mijn", "nodig", "of", "om", "op", "te", "van", "vandaag", "voor", "waar",
    "wat", "weet", "welke", "wie", "zoek",
];

/// The words of a text as tags read them, without stop words.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '"'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '+' | '#')))
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// A member's focus today, read from their check-in note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Focus(Vec<Word>);

impl Focus {
    pub fn of(note: &str) -> Focus {
        Focus(words(note).iter().map(|w| Word::of(w)).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The words of `text` that name something (stop words left out), as
    /// typed: what a question could be tagged with.
    pub fn key_words(text: &str) -> Vec<String> {
        let mut seen = Vec::new();
        for word in words(text) {
            if !seen.contains(&word) {
                seen.push(word);
            }
        }
        seen
    }

    /// Whether `tag` names something in the focus (see the module note).
    pub fn names(&self, tag: &Tag) -> bool {
        let tag: Vec<Word> = tag
            .as_str()
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(Word::of)
            .collect();
        !tag.is_empty()
            && self
                .0
                .windows(tag.len())
                .any(|run| run.iter().zip(&tag).all(|(focus, tag)| focus.meets(tag)))
    }

    /// The tags of `offers` the focus names, in their order.
    pub fn met_by(&self, offers: &Tags) -> Vec<Tag> {
        offers.iter().filter(|t| self.names(t)).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn met(focus: &str, offers: &str) -> Vec<String> {
        Focus::of(focus)
            .met_by(&Tags::parse_list(offers).unwrap())
            .iter()
            .map(|t| t.as_str().to_string())
            .collect()
    }

    #[test]
    fn a_focus_meets_the_tags_it_names_in_either_language() {
        for (focus, offers, expected) in [
            (
                "pitching to investors, need postgres help",
                "postgres, design",
                vec!["postgres"],
            ),
            ("pitching to investors", "pitch, investor", vec!["investor", "pitch"]),
            ("need databases", "database", vec!["database"]),
            ("designing the new logo", "design", vec!["design"]),
            (
                "training a machine learning model",
                "machine-learning, ml",
                vec!["machine-learning"],
            ),
            ("machine-learning", "machine learning", vec!["machine-learning"]),
            ("ontwerpen van een logo", "ontwerp", vec!["ontwerp"]),
            ("subsidies aanvragen", "subsidie", vec!["subsidie"]),
            ("Rust!", "rust", vec!["rust"]),
        ] {
            assert_eq!(met(focus, offers), expected, "{focus} / {offers}");
        }
    }

    #[test]
    fn stop_words_and_scattered_words_meet_nothing() {
        for (focus, offers) in [
            ("talk to the team", "to, the"),
            ("een gesprek met de klant", "de, met"),
            ("learning about machines", "machine-learning"),
            ("learning machine", "machine-learning"),
            ("", "rust"),
            ("rust", ""),
        ] {
            let offers = if offers.is_empty() {
                Tags::default()
            } else {
                Tags::parse_list(offers).unwrap()
            };
            assert!(Focus::of(focus).met_by(&offers).is_empty(), "{focus} / {offers}");
        }
        assert!(Focus::of("the to of").is_empty());
    }
}
