//! What every command's grammar reads with: words, quoted notes, counts.
//! Each command's own grammar (the words after it, to an [`Action`]) lives
//! in its module under `commands/`, beside its catalogue entry; structured
//! input (a slash command's options) is written in this same language by
//! [`super::build`], so both go through the same validation.

use super::Action;
use crate::domain::{looks_like_when, ArgError, Note, WhenLike};
use crate::i18n::{Msg, Text};

/// Where the words came from: typed, or written from a slash command's
/// options (where the first word of `/checkin` is a chosen place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    Text,
    /// From options. `free` holds the free-text options (a note, a name, a
    /// reason) by name, as the member typed them: handed over as values,
    /// never written into the command language, so nothing in them is read
    /// as an argument ("join us" is a name, "2 people too many" a reason)
    /// and their quotes stay quotes.
    Options {
        free: &'a [(&'a str, &'a str)],
    },
}

impl<'a> Source<'a> {
    /// A free-text option's value, when the command came with options.
    pub(crate) fn free(self, name: &str) -> Option<&'a str> {
        match self {
            Source::Options { free } => free.iter().find(|(n, _)| *n == name).map(|(_, v)| *v),
            Source::Text => None,
        }
    }

    /// The note given as an option's value, read as any note is.
    pub(crate) fn note(self) -> Result<Option<Note>, ArgError> {
        self.free("note").map(Note::parse).transpose()
    }
}

/// A command's grammar: the words after it, to an action.
pub type Grammar = fn(&str, Source) -> Result<Action, ArgError>;

pub(crate) fn words(args: &str) -> Vec<&str> {
    args.split_whitespace().collect()
}

/// A piece of a command line: a word, or a text in quotes (a note set apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Word(&'a str),
    Quoted(String),
}

/// Straight quotes, and the curly ones phones type.
pub(crate) const OPEN_QUOTES: [char; 3] = ['"', '\u{201C}', '\u{201E}'];

pub(crate) const CLOSE_QUOTES: [char; 2] = ['"', '\u{201D}'];

pub(crate) fn tokens(args: &str) -> Result<Vec<Token<'_>>, ArgError> {
    let mut out = Vec::new();
    let mut rest = args.trim_start();
    while let Some(first) = rest.chars().next() {
        if OPEN_QUOTES.contains(&first) {
            let body = &rest[first.len_utf8()..];
            let Some(end) = body.find(|c: char| CLOSE_QUOTES.contains(&c) || c == '\u{201C}') else {
                return Err(ArgError::new(Msg::QuoteMissing).hint_msg(Msg::QuoteHint));
            };
            let close_len = body[end..].chars().next().map_or(1, char::len_utf8);
            out.push(Token::Quoted(body[..end].to_string()));
            rest = body[end + close_len..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(Token::Word(&rest[..end]));
            rest = rest[end..].trim_start();
        }
    }
    Ok(out)
}

/// The note of a command that also takes a date or a time: the words after
/// the recognised arguments, or one text in quotes. A word of an unquoted note
/// that looks like a date or a time is refused rather than guessed at, since
/// what a command means may be announced to a whole community.
#[derive(Default)]
pub(crate) struct NoteParts {
    quoted: Option<String>,
    words: Vec<String>,
}

impl NoteParts {
    /// No unquoted note has started: a word may still be an argument (a
    /// quoted note may stand before the arguments).
    pub(crate) fn before_unquoted(&self) -> bool {
        self.words.is_empty()
    }

    pub(crate) fn quote(&mut self, text: &str, example: &str) -> Result<(), ArgError> {
        if self.quoted.is_some() || !self.words.is_empty() {
            return Err(ArgError::new(Msg::NoteOnce).example(example));
        }
        self.quoted = Some(text.to_string());
        Ok(())
    }

    /// Adds a word of an unquoted note, unless it looks like `refused`.
    pub(crate) fn word(&mut self, word: &str, refused: &[WhenLike], hint: Msg, example: &str) -> Result<(), ArgError> {
        if self.quoted.is_some() {
            return Err(ArgError::new(Msg::NoteOnce).example(example));
        }
        if looks_like_when(word).is_some_and(|kind| refused.contains(&kind)) {
            let problem = if self.words.is_empty() {
                Msg::UnreadableWhen
            } else {
                Msg::WhenInNote
            };
            return Err(ArgError::new(problem)
                .with("word", word)
                .hint_msg(hint)
                .example(example));
        }
        self.words.push(word.to_string());
        Ok(())
    }

    pub(crate) fn into_note(self) -> Result<Note, ArgError> {
        Note::parse(&self.quoted.unwrap_or_else(|| self.words.join(" ")))
    }
}

/// A whole number in `min..=max`; `what` names it in the message.
pub fn parse_count(word: &str, (min, max): (u32, u32), what: Msg) -> Result<u32, ArgError> {
    let range_hint = || {
        Text::new(Msg::CountRangeHint)
            .with_msg("what", what)
            .with("min", min)
            .with("max", max)
    };
    match word.parse::<i64>() {
        Ok(n) if (i64::from(min)..=i64::from(max)).contains(&n) => Ok(n as u32),
        Ok(n) => Err(ArgError::new(Msg::CountOutOfRange)
            .with_msg("what", what)
            .with("n", n)
            .hint(range_hint())),
        Err(_) => Err(ArgError::new(Msg::NotANumber).with("word", word).hint(range_hint())),
    }
}
