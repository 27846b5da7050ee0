//! Message templates per locale. Every text the core shows is a [`Msg`] key with
//! a template per locale; placeholders (`{space}`) are filled with spans, so a
//! mention stays a mention whatever the language. A new locale adds one column to
//! the table in `messages.rs` and the compiler points at every message it
//! still lacks.

use std::fmt::Display;

use crate::domain::ArgError;
use crate::reply::{MemberCard, Span};

mod messages;

pub use messages::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    /// Dutch: the home of Seats2meet.
    Nl,
}

/// Which form a noun takes after a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralForm {
    One,
    Other,
}

impl Locale {
    /// The plural rule of the language (CLDR's one/other for English and Dutch).
    pub fn plural(self, n: u64) -> PluralForm {
        match self {
            Locale::En | Locale::Nl if n == 1 => PluralForm::One,
            Locale::En | Locale::Nl => PluralForm::Other,
        }
    }

    pub fn parse(code: &str) -> Result<Self, ArgError> {
        match code.trim().to_lowercase().as_str() {
            "en" | "en-gb" | "en-us" | "english" => Ok(Locale::En),
            "nl" | "nl-nl" | "nl-be" | "dutch" | "nederlands" => Ok(Locale::Nl),
            other => Err(ArgError::new(Msg::NotALanguage)
                .with("code", other)
                .hint_msg(Msg::LanguageHint)),
        }
    }

    pub const ALL: [Locale; 2] = [Locale::En, Locale::Nl];

    /// The language a member's app says it speaks (Discord's `locale`,
    /// `en-US`; Telegram's `language_code`, `nl`), where it is one of ours.
    pub fn from_client(code: &str) -> Option<Locale> {
        let language = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Locale::En),
            "nl" => Some(Locale::Nl),
            _ => None,
        }
    }

    /// The code people type and platforms use (`en`, `nl`).
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Nl => "nl",
        }
    }

    /// A date as people read it: "Wed 25 Nov", "wo 25 nov".
    pub fn date(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const NL_DAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
        const EN_MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const NL_MONTHS: [&str; 12] = [
            "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
        ];
        let (days, months) = match self {
            Locale::En => (EN_DAYS, EN_MONTHS),
            Locale::Nl => (NL_DAYS, NL_MONTHS),
        };
        let day = days[date.weekday().num_days_from_monday() as usize];
        let month = months[date.month0() as usize];
        format!("{day} {} {month}", date.day())
    }
}

/// A renderer bound to a locale: what handlers and notices render with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Locale);

impl Tr {
    pub fn locale(self) -> Locale {
        self.0
    }

    /// `msg` with its placeholders filled, as spans.
    pub fn t(self, msg: Msg, args: Vec<(&str, Arg)>) -> Vec<Span> {
        spans(self.0, msg, args)
    }

    /// A message without placeholders, as a word or phrase.
    pub fn word(self, msg: Msg) -> &'static str {
        msg.template(self.0)
    }

    /// `msg` rendered to plain text.
    pub fn text(self, msg: Msg, args: Vec<(&str, Arg)>) -> String {
        crate::reply::plain_text(&self.t(msg, args), crate::domain::Platform::Console)
    }

    pub fn date(self, date: chrono::NaiveDate) -> String {
        self.0.date(date)
    }
}

/// A message with its values, rendered once the locale is known (an
/// argument error is made where no locale is at hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub msg: Msg,
    pub args: Vec<(&'static str, TextArg)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextArg {
    /// As typed or as a number; digits are a count nouns agree with.
    Plain(String),
    /// Another message, in the same locale (`capacity`, `capaciteit`).
    Msg(Msg),
}

impl Text {
    pub fn new(msg: Msg) -> Self {
        Text { msg, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl Display) -> Self {
        self.args.push((name, TextArg::Plain(value.to_string())));
        self
    }

    pub fn with_msg(mut self, name: &'static str, msg: Msg) -> Self {
        self.args.push((name, TextArg::Msg(msg)));
        self
    }

    pub fn spans(&self, locale: Locale) -> Vec<Span> {
        let args = self
            .args
            .iter()
            .map(|(name, value)| {
                let arg = match value {
                    TextArg::Plain(text) => match text.parse::<u64>() {
                        Ok(n) => Arg::Count(n),
                        Err(_) => Arg::text(text),
                    },
                    TextArg::Msg(msg) => Arg::text(msg.template(locale)),
                };
                (*name, arg)
            })
            .collect();
        spans(locale, self.msg, args)
    }

    /// The text without styles.
    pub fn render(&self, locale: Locale) -> String {
        crate::reply::plain_text(&self.spans(locale), crate::domain::Platform::Console)
    }

    /// Whether the English text contains `needle` (for tests and logs).
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

/// In English, as logs and tests read it.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Locale::En))
    }
}

/// A value for a placeholder.
pub enum Arg {
    /// A number that nouns agree with: `{n} {n:seat|seats}`.
    Count(u64),
    Text(String),
    Strong(String),
    Code(String),
    Member(MemberCard),
    /// A member named, not notified (see [`Span::Name`]).
    Name(MemberCard),
    Spans(Vec<Span>),
    /// A web address (see [`Span::Link`]).
    Link(String),
    /// A chat (see [`Span::Chat`]).
    Chat(crate::domain::Platform, String),
}

impl Arg {
    pub fn count(n: impl TryInto<u64>) -> Arg {
        Arg::Count(n.try_into().unwrap_or(u64::MAX))
    }

    pub fn text(value: impl Display) -> Arg {
        Arg::Text(value.to_string())
    }
    pub fn strong(value: impl Display) -> Arg {
        Arg::Strong(value.to_string())
    }
    pub fn code(value: impl Display) -> Arg {
        Arg::Code(value.to_string())
    }
}

/// Renders `msg` in `locale` with `args` filling its `{placeholders}`. A
/// placeholder `{name:one|other}` is the form of a noun for the count `name`,
/// chosen by the locale's plural rule.
pub fn spans(locale: Locale, msg: Msg, args: Vec<(&str, Arg)>) -> Vec<Span> {
    let mut args: Vec<(&str, Option<Arg>)> = args.into_iter().map(|(k, v)| (k, Some(v))).collect();
    let mut out = Vec::new();
    let mut rest = msg.template(locale);
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        push_text(&mut out, &rest[..open]);
        let placeholder = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some((name, forms)) = placeholder.split_once(':') {
            let count = args.iter().find_map(|(k, v)| match v {
                Some(Arg::Count(n)) if *k == name => Some(*n),
                _ => None,
            });
            let (one, other) = forms.split_once('|').unwrap_or((forms, forms));
            let form = match count.map(|n| locale.plural(n)) {
                Some(PluralForm::One) => one,
                Some(PluralForm::Other) => other,
                None => {
                    tracing::warn!(?msg, placeholder = name, "plural form without a count");
                    other
                }
            };
            push_text(&mut out, form);
            continue;
        }
        let name = placeholder;
        let value = args.iter_mut().find(|(k, _)| *k == name).and_then(|(_, v)| match v {
            // A count may be shown and agreed with more than once.
            Some(Arg::Count(n)) => Some(Arg::Count(*n)),
            other => other.take(),
        });
        match value {
            Some(Arg::Count(n)) => push_text(&mut out, &n.to_string()),
            Some(Arg::Text(t)) => push_text(&mut out, &t),
            Some(Arg::Strong(t)) => out.push(Span::Strong(t)),
            Some(Arg::Code(t)) => out.push(Span::Code(t)),
            Some(Arg::Member(card)) => out.push(Span::Mention(card)),
            Some(Arg::Name(card)) => out.push(Span::Name(card)),
            Some(Arg::Link(url)) => out.push(Span::Link(url)),
            Some(Arg::Chat(platform, chat_id)) => out.push(Span::Chat { platform, chat_id }),
            Some(Arg::Spans(spans)) => spans.into_iter().for_each(|s| match s {
                Span::Text(t) => push_text(&mut out, &t),
                other => out.push(other),
            }),
            None => {
                tracing::warn!(?msg, placeholder = name, "template placeholder without a value");
                push_text(&mut out, &format!("{{{name}}}"));
            }
        }
    }
    push_text(&mut out, rest);
    out
}

fn push_text(out: &mut Vec<Span>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Span::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Span::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests;
