//! Domain values that validate when they are made: a value that exists is valid.
//!
//! Every parse error is an [`ArgError`], which says what was wrong and carries an
//! example of the right form, so the reply to bad input is always specific.

use std::fmt;

use chrono_tz::Tz;

use crate::i18n::{Msg, Text};
use crate::suggest::closest;

mod counts;
mod days;
mod platform;
mod text;
mod when;

pub use counts::*;
pub use days::*;
pub use platform::*;
pub use text::*;
pub use when::*;

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

pub(crate) fn collapse_whitespace(input: &str) -> String {
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
