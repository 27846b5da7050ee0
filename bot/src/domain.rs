//! Domain values that validate when they are made: a value that exists is valid.
//!
//! Every parse error is an [`ArgError`], which says what was wrong and carries an
//! example of the right form, so the reply to bad input is always specific.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveTime;
use chrono_tz::Tz;

use crate::i18n::{Msg, Text};
use crate::suggest::closest;

/// Why an argument was refused: what was wrong, and what would have worked.
/// Its texts are messages rendered in the community's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    /// What was wrong, in a sentence, naming the offending input.
    pub problem: Text,
    /// The right form of the value, or a suggestion ("did you mean …").
    pub hint: Option<Text>,
    /// A whole command that would work, shown instead of the catalogue's
    /// example when it fits the mistake better (one example per answer).
    pub example: Option<String>,
}

impl ArgError {
    pub fn new(problem: Msg) -> Self {
        Self {
            problem: Text::new(problem),
            hint: None,
            example: None,
        }
    }

    /// A value for the problem's placeholder `name`.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.problem = self.problem.with(name, value);
        self
    }

    pub fn with_msg(mut self, name: &'static str, msg: Msg) -> Self {
        self.problem = self.problem.with_msg(name, msg);
        self
    }

    pub fn hint(mut self, hint: Text) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn hint_msg(self, hint: Msg) -> Self {
        self.hint(Text::new(hint))
    }

    pub fn example(mut self, example: impl Into<String>) -> Self {
        self.example = Some(example.into());
        self
    }
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem)?;
        if let Some(hint) = &self.hint {
            write!(f, " {hint}")?;
        }
        if let Some(example) = &self.example {
            write!(f, " For example: {example}")?;
        }
        Ok(())
    }
}

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

/// What a word that is not understood as a date or a time looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenLike {
    Date,
    Time,
}

/// Whether a word looks like a date or a time (`01/12/2026`, `5pm`, `17:00`,
/// `december`, `3rd`), so that it is never quietly taken as part of a note.
/// Bare numbers are not: "2 desks" is a note.
pub fn looks_like_when(word: &str) -> Option<WhenLike> {
    let w = word
        .trim_matches(|c: char| matches!(c, ',' | ';' | '!' | '?' | '(' | ')'))
        .trim_end_matches('.')
        .to_lowercase();
    let has_digit = w.bytes().any(|b| b.is_ascii_digit());
    if DateArg::parse(&w).is_some() || matches!(w.as_str(), "tonight" | "yesterday") {
        return Some(WhenLike::Date);
    }
    const MONTHS: &[&str] = &[
        "jan",
        "january",
        "feb",
        "february",
        "march",
        "apr",
        "april",
        "june",
        "jun",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
    ];
    if MONTHS.contains(&w.as_str()) {
        return Some(WhenLike::Date);
    }
    if matches!(w.as_str(), "noon" | "midnight") {
        return Some(WhenLike::Time);
    }
    if !has_digit {
        return None;
    }
    let digits_then = |suffixes: &[&str]| {
        suffixes.iter().any(|suffix| {
            w.strip_suffix(suffix).is_some_and(|head| {
                !head.is_empty() && head.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
            })
        })
    };
    if w.contains(':') || digits_then(&["am", "pm", "h", "u", "uur"]) {
        return Some(WhenLike::Time);
    }
    if digits_then(&["st", "nd", "rd", "th"]) {
        return Some(WhenLike::Date);
    }
    if w.contains('-') && TimeWindow::parse(&w).is_some() {
        return Some(WhenLike::Time);
    }
    // A window of hours written some other way: `9am-5pm`, `9h-17h`.
    if let Some((from, to)) = w.split_once('-') {
        if [from, to]
            .iter()
            .any(|half| looks_like_when(half) == Some(WhenLike::Time))
        {
            return Some(WhenLike::Time);
        }
    }
    let separated_digits = w.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'/' | b'.' | b'-'));
    (separated_digits && w.contains(['/', '.', '-'])).then_some(WhenLike::Date)
}

impl std::error::Error for ArgError {}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A community's database id.
    CommunityId
);
id_type!(
    /// A member's (a person's) database id, the same on every platform.
    MemberId
);
id_type!(
    /// A space's database id.
    SpaceId
);
id_type!(
    /// A seat offer's id, shown to people as `#12`.
    OfferId
);
id_type!(
    /// A seat request's id, shown to people as `#12`.
    RequestId
);

/// A chat platform. The console is one too: it is how the bot is tried locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Console,
    Telegram,
    Discord,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Console, Platform::Telegram, Platform::Discord];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
        }
    }
}

impl FromStr for Platform {
    type Err = ArgError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ArgError::new(Msg::UnknownPlatform).with("name", s))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A time zone from the IANA database (`Europe/Amsterdam`, `America/New_York`, `UTC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub Tz);

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// Parses an IANA zone name, ignoring case; an unknown one gets the closest real name.
    pub fn parse(input: &str) -> Result<Self, ArgError> {
        if let Ok(tz) = Tz::from_str_insensitive(input.trim()) {
            return Ok(Zone(tz));
        }
        let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
        let hint = match closest(input, names) {
            Some(name) => Text::new(Msg::DidYouMean).with("suggestion", name),
            None => Text::new(Msg::ZoneHint),
        };
        Err(ArgError::new(Msg::NotAZone).with("input", input).hint(hint))
    }

    /// Whether a word is meant as a zone rather than as ordinary text: only an
    /// Area/Location name (`Europe/Amsterdam`, with its slash) or `UTC`. The
    /// database's old one-word aliases (`Portugal`, `Japan`, `Zulu`) are words
    /// of a name, never taken as a zone.
    pub fn looks_like_zone(word: &str) -> bool {
        word.contains('/') || word.eq_ignore_ascii_case("UTC")
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A space's short name, unique in its community: `cafe-noord`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpaceSlug(String);

impl SpaceSlug {
    pub const MAX_LEN: usize = 32;
    pub const EXAMPLE: &'static str = "cafe-noord";

    /// Lower-cases the input; then 2–32 letters, digits and single hyphens, starting
    /// with a letter. `remote` is reserved for remote check-ins.
    pub fn parse(input: &str) -> Result<Self, ArgError> {
        let slug = input.trim().to_lowercase();
        let shape_hint = || {
            ArgError::new(Msg::NotASpaceName)
                .with("input", input)
                .hint(Text::new(Msg::SpaceNameHint).with("example", Self::EXAMPLE))
        };
        let len = slug.chars().count();
        if !(2..=Self::MAX_LEN).contains(&len)
            || !slug.starts_with(|c: char| c.is_ascii_lowercase())
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || slug.ends_with('-')
            || slug.contains("--")
        {
            return Err(shape_hint());
        }
        if slug == "remote" {
            return Err(
                ArgError::new(Msg::RemoteReserved).hint(Text::new(Msg::PickAnotherName).with("example", Self::EXAMPLE))
            );
        }
        Ok(SpaceSlug(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SpaceSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A community's display name: `Utrecht Coworkers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityName(String);

impl CommunityName {
    pub const MAX_LEN: usize = 80;

    pub fn parse(input: &str) -> Result<Self, ArgError> {
        check_text(input)?;
        let name = collapse_whitespace(input);
        let len = name.chars().count();
        if len < 2 {
            return Err(ArgError::new(Msg::CommunityNameShort).example("/setup Europe/Amsterdam Utrecht Coworkers"));
        }
        if len > Self::MAX_LEN {
            return Err(ArgError::new(Msg::CommunityNameLong)
                .with("len", len)
                .with("max", Self::MAX_LEN));
        }
        Ok(CommunityName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
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

/// A wall-clock time of day written `HH:MM` (24 hours), or just `HH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    pub fn parse(input: &str) -> Result<Self, ArgError> {
        let bad = || {
            ArgError::new(Msg::NotATime)
                .with("input", input)
                .hint_msg(Msg::TimeHint)
        };
        let (h, m) = match input.split_once(':') {
            Some((h, m)) => (h, m),
            None => (input, "00"),
        };
        let digits = |s: &str, max_len: usize| {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let (Some(hour), Some(minute)) = (digits(h, 2), digits(m, 2)) else {
            return Err(bad());
        };
        if m.len() != 2 {
            return Err(bad());
        }
        NaiveTime::from_hms_opt(hour, minute, 0).map(ClockTime).ok_or_else(bad)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

/// How the text grammar names a member: `@alice` (a username) or a platform
/// mention that carries the user id (Discord's `<@123>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberHandle {
    Username(String),
    PlatformId(String),
}

impl MemberHandle {
    pub fn parse(input: &str) -> Result<Self, ArgError> {
        let input = input.trim();
        if let Some(id) = input
            .strip_prefix("<@")
            .and_then(|rest| rest.strip_suffix('>'))
            .map(|id| id.trim_start_matches('!'))
        {
            if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(MemberHandle::PlatformId(id.to_string()));
            }
        }
        let name = input.strip_prefix('@').unwrap_or(input);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(ArgError::new(Msg::NotAMember)
                .with("input", input)
                .hint_msg(Msg::MemberHint));
        }
        Ok(MemberHandle::Username(name.to_string()))
    }
}

impl fmt::Display for MemberHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberHandle::Username(name) => write!(f, "@{name}"),
            MemberHandle::PlatformId(id) => write!(f, "<@{id}>"),
        }
    }
}

fn collapse_whitespace(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_normalise_case_spaces_and_hashes() {
        let tags = Tags::parse_list(" Data  Science, #rust,RUST , ux_research,").unwrap();
        assert_eq!(tags.to_string(), "data-science, rust, ux-research");
        assert_eq!(Tags::from_stored(&tags.to_stored()), tags);
    }

    #[test]
    fn tags_refuse_empty_and_odd_characters() {
        assert!(Tags::parse_list(" , ").is_err());
        assert!(Tag::parse("rust!").unwrap_err().problem.contains("'!'"));
        assert!(Tags::parse_list(&(0..21).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",")).is_err());
    }

    #[test]
    fn slugs_are_lowercased_and_checked() {
        assert_eq!(SpaceSlug::parse("Cafe-Noord").unwrap().as_str(), "cafe-noord");
        for bad in [
            "a",
            "cafe noord",
            "-x",
            "x-",
            "a--b",
            "9lives",
            "café",
            "remote",
            &"x".repeat(33),
        ] {
            assert!(SpaceSlug::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn clock_times_parse_only_real_times() {
        assert_eq!(ClockTime::parse("9").unwrap().to_string(), "09:00");
        assert_eq!(ClockTime::parse("17:30").unwrap().to_string(), "17:30");
        for bad in ["25:99", "24:00", "12:5", "12:60", "noon", "", "1:2:3", "-1", "+9"] {
            let err = ClockTime::parse(bad).unwrap_err();
            assert!(err.hint.unwrap().contains("HH:MM"), "{bad}");
        }
    }

    #[test]
    fn zones_parse_case_insensitively_and_suggest() {
        assert_eq!(Zone::parse("europe/amsterdam").unwrap().name(), "Europe/Amsterdam");
        let err = Zone::parse("Europe/Amsterdm").unwrap_err();
        assert_eq!(err.hint.unwrap().to_string(), "Did you mean Europe/Amsterdam?");
    }

    #[test]
    fn member_handles() {
        assert_eq!(
            MemberHandle::parse("@alice").unwrap(),
            MemberHandle::Username("alice".into())
        );
        assert_eq!(
            MemberHandle::parse("<@!42>").unwrap(),
            MemberHandle::PlatformId("42".into())
        );
        assert!(MemberHandle::parse("@").is_err());
        assert!(MemberHandle::parse("a b").is_err());
    }

    #[test]
    fn platform_names_lose_control_characters_rather_than_being_refused() {
        assert_eq!(clean_name("Eve\u{202e}lyn\u{1b}[31m"), "Evelyn[31m");
        assert_eq!(clean_name("  Bea\r\nB. "), "Bea B.");
        assert_eq!(clean_name("\u{7}"), "?");
    }

    #[test]
    fn words_that_look_like_dates_or_times() {
        for word in [
            "01/12/2026",
            "1.12.",
            "5pm",
            "17:00",
            "9h-17h",
            "december",
            "3rd",
            "tomorrow",
            "noon",
        ] {
            assert!(looks_like_when(word).is_some(), "{word}");
        }
        for word in ["2", "desks", "v2.0", "cafe-noord", "may", "room", "2nd-floor-ish"] {
            assert!(looks_like_when(word).is_none(), "{word}");
        }
    }

    #[test]
    fn notes_are_limited_to_280_characters() {
        assert!(Note::parse(&"é".repeat(280)).is_ok());
        assert!(Note::parse(&"é".repeat(281)).unwrap_err().problem.contains("281"));
    }
}

/// A day as typed: `today`, `tomorrow`, a weekday (its next occurrence, today
/// included) or `YYYY-MM-DD`. Which date it is depends on the space's zone, so
/// it is resolved by [`DateArg::resolve`] with the local today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArg {
    /// Never valid for an offer, but understood, so the answer can say why.
    Yesterday,
    Today,
    Tomorrow,
    Weekday(chrono::Weekday),
    On(chrono::NaiveDate),
}

impl DateArg {
    /// Parses a date word; `None` when the word is not a date at all (so the
    /// caller can try it as something else).
    pub fn parse(input: &str) -> Option<Result<Self, ArgError>> {
        let word = input.trim().to_lowercase();
        let weekday = |w: &str| -> Option<chrono::Weekday> {
            use chrono::Weekday::*;
            Some(match w {
                "mon" | "monday" => Mon,
                "tue" | "tues" | "tuesday" => Tue,
                "wed" | "wednesday" => Wed,
                "thu" | "thur" | "thurs" | "thursday" => Thu,
                "fri" | "friday" => Fri,
                "sat" | "saturday" => Sat,
                "sun" | "sunday" => Sun,
                _ => return None,
            })
        };
        match word.as_str() {
            "today" => return Some(Ok(DateArg::Today)),
            "tomorrow" => return Some(Ok(DateArg::Tomorrow)),
            "yesterday" => return Some(Ok(DateArg::Yesterday)),
            _ => {}
        }
        if let Some(day) = weekday(&word) {
            return Some(Ok(DateArg::Weekday(day)));
        }
        let looks_like_date =
            word.len() >= 8 && word.chars().all(|c| c.is_ascii_digit() || c == '-') && word.contains('-');
        if !looks_like_date {
            return None;
        }
        Some(
            chrono::NaiveDate::parse_from_str(&word, "%Y-%m-%d")
                .map(DateArg::On)
                .map_err(|_| {
                    ArgError::new(Msg::NotADate)
                        .with("input", input)
                        .hint_msg(Msg::DateHint)
                }),
        )
    }

    /// The calendar date meant, given the local `today`.
    pub fn resolve(self, today: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::Datelike;
        match self {
            DateArg::Yesterday => today.pred_opt().unwrap_or(today),
            DateArg::Today => today,
            DateArg::Tomorrow => today.succ_opt().unwrap_or(today),
            DateArg::Weekday(day) => {
                let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
                today + chrono::Duration::days(i64::from(ahead))
            }
            DateArg::On(date) => date,
        }
    }
}

/// A time window within a day, `9-17` or `09:00-17:30`; it ends after it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl TimeWindow {
    /// Parses `A-B`; `None` when the word has no `-` between two time-like
    /// parts (so it may be the start of a note).
    pub fn parse(input: &str) -> Option<Result<Self, ArgError>> {
        let (a, b) = input.split_once('-')?;
        let timeish = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == ':');
        if !timeish(a) || !timeish(b) {
            return None;
        }
        Some((|| {
            let start = ClockTime::parse(a).map_err(|e| e.hint_msg(Msg::WindowHint))?;
            let end = ClockTime::parse(b).map_err(|e| e.hint_msg(Msg::WindowHint))?;
            if end <= start {
                return Err(ArgError::new(Msg::WindowBackwards)
                    .with("input", input)
                    .hint_msg(Msg::WindowBackwardsHint));
            }
            Ok(TimeWindow { start, end })
        })())
    }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

/// How many seats an offer has: 1 to 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeatCount(u32);

impl SeatCount {
    pub const MAX: u32 = 500;

    pub fn new(n: i64) -> Result<Self, ArgError> {
        if (1..=i64::from(Self::MAX)).contains(&n) {
            Ok(SeatCount(n as u32))
        } else {
            Err(ArgError::new(Msg::SeatsOutOfRange)
                .with("n", n)
                .hint(Text::new(Msg::SeatsRangeHint).with("max", Self::MAX)))
        }
    }

    pub fn parse(input: &str) -> Result<Self, ArgError> {
        match input.trim().parse::<i64>() {
            Ok(n) => Self::new(n),
            Err(_) => Err(ArgError::new(Msg::NotSeats)
                .with("input", input)
                .hint(Text::new(Msg::NotSeatsHint).with("max", Self::MAX))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// An offer or request id as typed: `12` or `#12`.
pub fn parse_id(input: &str) -> Option<i64> {
    let digits = input.trim().trim_start_matches('#');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod seat_value_tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_resolve_against_the_local_today() {
        let tuesday = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let on = |w: &str| DateArg::parse(w).unwrap().unwrap().resolve(tuesday).to_string();
        assert_eq!(on("today"), "2026-11-24");
        assert_eq!(on("Tomorrow"), "2026-11-25");
        assert_eq!(on("tuesday"), "2026-11-24", "a weekday includes today");
        assert_eq!(on("mon"), "2026-11-30");
        assert_eq!(on("2026-12-01"), "2026-12-01");
        assert!(DateArg::parse("2026-02-30").unwrap().is_err());
        assert!(DateArg::parse("quiet").is_none());
    }

    #[test]
    fn windows_must_end_after_they_start() {
        let w = TimeWindow::parse("9-17").unwrap().unwrap();
        assert_eq!(w.to_string(), "09:00–17:00");
        assert_eq!(
            TimeWindow::parse("09:00-17:30").unwrap().unwrap().end.to_string(),
            "17:30"
        );
        assert!(TimeWindow::parse("17-9")
            .unwrap()
            .unwrap_err()
            .problem
            .contains("ends before it starts"));
        assert!(TimeWindow::parse("9-25").unwrap().is_err());
        assert!(TimeWindow::parse("cafe-noord").is_none());
    }

    #[test]
    fn seat_counts_are_1_to_500() {
        assert!(SeatCount::parse("0").is_err());
        assert!(SeatCount::parse("501").is_err());
        assert!(SeatCount::parse("-3").is_err());
        assert_eq!(SeatCount::parse("500").unwrap().get(), 500);
        assert!(SeatCount::parse("four").unwrap_err().problem.contains("'four'"));
        assert_eq!(parse_id("#12"), Some(12));
        assert_eq!(parse_id("cafe"), None);
    }
}

/// The weekdays a community pairs on: `mon-fri`, `mon,wed,fri`, `daily`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairingDays(u8);

impl PairingDays {
    pub const WEEKDAYS: PairingDays = PairingDays(0b0011111);
    pub const DAILY: PairingDays = PairingDays(0b1111111);

    fn day(word: &str) -> Option<chrono::Weekday> {
        use chrono::Weekday::*;
        Some(match word {
            "mon" | "monday" => Mon,
            "tue" | "tuesday" => Tue,
            "wed" | "wednesday" => Wed,
            "thu" | "thursday" => Thu,
            "fri" | "friday" => Fri,
            "sat" | "saturday" => Sat,
            "sun" | "sunday" => Sun,
            _ => return None,
        })
    }

    pub fn parse(input: &str) -> Result<Self, ArgError> {
        let text = input.trim().to_lowercase();
        let bad = |what: &str| ArgError::new(Msg::NotADay).with("input", what).hint_msg(Msg::DaysHint);
        if text == "daily" || text == "every day" {
            return Ok(Self::DAILY);
        }
        if text == "weekdays" {
            return Ok(Self::WEEKDAYS);
        }
        let mut bits = 0u8;
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('-') {
                Some((from, to)) => {
                    let (from, to) = (
                        Self::day(from.trim()).ok_or_else(|| bad(from))?,
                        Self::day(to.trim()).ok_or_else(|| bad(to))?,
                    );
                    let mut d = from;
                    loop {
                        bits |= 1 << d.num_days_from_monday();
                        if d == to {
                            break;
                        }
                        d = d.succ();
                    }
                }
                None => bits |= 1 << Self::day(part).ok_or_else(|| bad(part))?.num_days_from_monday(),
            }
        }
        if bits == 0 {
            return Err(ArgError::new(Msg::NoDays).hint_msg(Msg::DaysHint));
        }
        Ok(PairingDays(bits))
    }

    pub fn contains(self, day: chrono::Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }
}

impl fmt::Display for PairingDays {
    /// The shortest form: `daily`, a range (`mon-fri`) or a list (`mon,wed,fri`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        if *self == Self::DAILY {
            return f.write_str("daily");
        }
        let days: Vec<usize> = (0..7).filter(|d| self.0 & (1 << d) != 0).collect();
        let contiguous = days.windows(2).all(|w| w[1] == w[0] + 1);
        if days.len() >= 3 && contiguous {
            return write!(f, "{}-{}", NAMES[days[0]], NAMES[days[days.len() - 1]]);
        }
        f.write_str(&days.iter().map(|&d| NAMES[d]).collect::<Vec<_>>().join(","))
    }
}

/// When and how a community pairs its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairingSettings {
    /// Local time of the daily round, in the community's zone.
    pub time: ClockTime,
    pub days: PairingDays,
    /// Pairs who met within this many weeks are not paired again while any
    /// other choice exists.
    pub history_weeks: u32,
}

impl Default for PairingSettings {
    fn default() -> Self {
        PairingSettings {
            time: ClockTime(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()),
            days: PairingDays::WEEKDAYS,
            history_weeks: 8,
        }
    }
}

#[cfg(test)]
mod pairing_value_tests {
    use super::*;

    #[test]
    fn pairing_days_parse_and_print_in_their_shortest_form() {
        for (input, shown) in [
            ("mon-fri", "mon-fri"),
            ("Mon,Wed,Fri", "mon,wed,fri"),
            ("daily", "daily"),
            ("sat,sun", "sat,sun"),
            ("fri-mon", "mon,fri,sat,sun"),
            ("tue-thu", "tue-thu"),
        ] {
            assert_eq!(PairingDays::parse(input).unwrap().to_string(), shown, "{input}");
        }
        assert!(PairingDays::parse("funday").unwrap_err().problem.contains("'funday'"));
        assert!(PairingDays::parse(",").is_err());
        assert!(
            PairingDays::WEEKDAYS.contains(chrono::Weekday::Fri)
                && !PairingDays::WEEKDAYS.contains(chrono::Weekday::Sat)
        );
    }
}
