//! Text members type: what is refused in it, and the values made of it
//! (tags, notes).

use std::fmt;

use super::{collapse_whitespace, ArgError};
use crate::i18n::Msg;

/// Characters refused in anything a member types: control characters (ESC
/// colour codes, BEL, NUL, DEL, C1) and the bidirectional controls that can
/// make text read differently from what it says. Tabs and line breaks are
/// whitespace, folded into single spaces like any run of spaces.
pub fn is_refused_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Refuses text with a character of [`is_refused_char`], naming it.
pub fn check_text(input: &str) -> Result<(), ArgError> {
    match input.chars().find(|&c| is_refused_char(c)) {
        Some(c) => Err(ArgError::new(Msg::ControlChar)
            .with("code", format!("U+{:04X}", c as u32))
            .hint_msg(Msg::ControlCharHint)),
        None => Ok(()),
    }
}

/// A name a platform gave us (a display name): the refused characters are
/// dropped rather than refused, as the member cannot change it here.
pub fn clean_name(name: &str) -> String {
    let cleaned = collapse_whitespace(&name.chars().filter(|&c| !is_refused_char(c)).collect::<String>());
    if cleaned.is_empty() {
        "?".to_string()
    } else {
        cleaned
    }
}

/// One thing a member can help with or is looking for: `rust`, `ux-research`.
///
/// Normalised so that `Data  Science`, `data science` and `#data-science` are the
/// same tag (`data-science`): lower case, a leading `#` dropped, runs of spaces,
/// underscores and hyphens turned into one hyphen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    pub const MAX_LEN: usize = 40;

    pub fn parse(input: &str) -> Result<Self, ArgError> {
        let lowered = input.trim().trim_start_matches('#').to_lowercase();
        let mut tag = String::with_capacity(lowered.len());
        for c in lowered.chars() {
            if c.is_whitespace() || c == '_' || c == '-' {
                if !tag.is_empty() && !tag.ends_with('-') {
                    tag.push('-');
                }
            } else if c.is_alphanumeric() || matches!(c, '+' | '#' | '.' | '/') {
                tag.push(c);
            } else {
                return Err(ArgError::new(Msg::TagBadChar)
                    .with("tag", input.trim())
                    .with("char", c)
                    .hint_msg(Msg::TagHint));
            }
        }
        let tag = tag.trim_end_matches('-').to_string();
        if tag.is_empty() {
            return Err(ArgError::new(Msg::TagEmpty).hint_msg(Msg::TagHint));
        }
        if tag.chars().count() > Self::MAX_LEN {
            return Err(ArgError::new(Msg::TagLong).with("tag", &tag).with("max", Self::MAX_LEN));
        }
        Ok(Tag(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member's offers or wants: a small, sorted set of distinct tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<Tag>);

impl Tags {
    pub const MAX: usize = 20;

    /// Parses a comma-separated list (`rust, Data Science, #sql`). Duplicates after
    /// normalising are merged.
    pub fn parse_list(input: &str) -> Result<Self, ArgError> {
        let mut tags = Vec::new();
        for part in input.split(',') {
            if part.trim().is_empty() {
                continue;
            }
            tags.push(Tag::parse(part)?);
        }
        if tags.is_empty() {
            return Err(ArgError::new(Msg::NoTags).hint_msg(Msg::NoTagsHint));
        }
        let tags = Self::from_tags(tags);
        if tags.0.len() > Self::MAX {
            return Err(ArgError::new(Msg::TooManyTags)
                .with("n", tags.0.len())
                .with("max", Self::MAX)
                .hint_msg(Msg::TooManyTagsHint));
        }
        Ok(tags)
    }

    pub fn from_tags(mut tags: Vec<Tag>) -> Self {
        tags.sort();
        tags.dedup();
        Tags(tags)
    }

    /// Reads tags as the store keeps them (comma-joined, already normalised);
    /// anything that no longer parses is dropped rather than failing a read.
    pub fn from_stored(stored: &str) -> Self {
        Self::from_tags(stored.split(',').filter_map(|t| Tag::parse(t).ok()).collect())
    }

    /// The form the store keeps: comma-joined. Tags never contain a comma.
    pub fn to_stored(&self) -> String {
        self.0.iter().map(Tag::as_str).collect::<Vec<_>>().join(",")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Tag> {
        self.0.iter()
    }

    pub fn contains(&self, tag: &Tag) -> bool {
        self.0.binary_search(tag).is_ok()
    }

    /// Tags in both sets, in order.
    pub fn intersection(&self, other: &Tags) -> Vec<Tag> {
        self.0.iter().filter(|t| other.contains(t)).cloned().collect()
    }
}

impl fmt::Display for Tags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.iter().map(Tag::as_str).collect::<Vec<_>>().join(", "))
    }
}

/// Free text a member adds: a check-in note, a line about themselves. At most 280
/// characters, whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Note(String);

impl Note {
    pub const MAX_LEN: usize = 280;

    pub fn parse(input: &str) -> Result<Self, ArgError> {
        check_text(input)?;
        let text = collapse_whitespace(input);
        let len = text.chars().count();
        if len > Self::MAX_LEN {
            return Err(ArgError::new(Msg::TextLong)
                .with("len", len)
                .with("max", Self::MAX_LEN)
                .hint_msg(Msg::TextLongHint));
        }
        Ok(Note(text))
    }

    /// Text the store kept; trusted, as it was validated on the way in.
    pub fn from_stored(text: String) -> Self {
        Note(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
