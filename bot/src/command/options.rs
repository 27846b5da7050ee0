//! Structured input, as a slash command sends it: the options written in the
//! command language and read by the command's own grammar.

use super::{run_grammar, ParseError, Parsed, Source};
use crate::catalogue::{self, ArgKind};
use crate::domain::{check_text, ArgError};
use crate::i18n::Msg;
use crate::suggest::closest;

/// Builds a command from structured input, as a slash command sends it:
/// the entry's path (`space add`) and its options by name, each value as the
/// user gave it. The options are written in the command language, in the
/// entry's order (keyword arguments after their keyword, flags as their
/// word), and parsed by the same grammar as typed text, so both are
/// validated alike and cannot drift apart; free text (a note, a name, a
/// reason) is handed to the grammar
/// as its value ([`Source::Options`]), so it is never read as arguments and
/// keeps its quotes.
pub fn build(path: &str, options: &[(&str, &str)]) -> Result<Parsed, ParseError> {
    let Some(spec) = catalogue::find_path(path) else {
        let name = path.split_whitespace().next().unwrap_or_default().to_string();
        return Err(ParseError::Unknown {
            suggestion: closest(&name, catalogue::names()),
            name,
        });
    };
    check_text(&options.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(" ")).map_err(ParseError::BadText)?;
    if let Some((unknown, _)) = options
        .iter()
        .find(|(name, _)| !spec.args.iter().any(|a| a.name == *name))
    {
        return Err(ParseError::BadArgs {
            spec,
            error: ArgError::new(Msg::NoSuchOption)
                .with("usage", spec.usage)
                .with("name", unknown),
        });
    }
    let (mut words, mut free) = (Vec::new(), Vec::new());
    for arg in spec.args {
        let Some(value) = options
            .iter()
            .find(|(name, _)| *name == arg.name)
            .map(|(_, v)| v.trim())
        else {
            continue;
        };
        match arg.kind {
            ArgKind::Flag => {
                if matches!(value.to_lowercase().as_str(), "true" | "yes" | "1") {
                    words.push(arg.keyword.unwrap_or(arg.name).to_string());
                }
            }
            // Free text goes to the grammar as the value it is.
            ArgKind::Note | ArgKind::Text => {
                if !value.is_empty() {
                    free.push((arg.name, value));
                }
            }
            ArgKind::Tags | ArgKind::Days | ArgKind::CommandName => {
                if let Some(keyword) = arg.keyword {
                    words.push(keyword.to_string());
                }
                words.push(value.to_string());
            }
            _ if value.contains(char::is_whitespace) => {
                return Err(ParseError::BadArgs {
                    spec,
                    error: ArgError::new(Msg::OneWord).with("value", value).with("name", arg.name),
                });
            }
            _ => {
                if let Some(keyword) = arg.keyword {
                    words.push(keyword.to_string());
                }
                words.push(value.to_string());
            }
        }
    }
    run_grammar(spec, &words.join(" "), Source::Options { free: &free })
}
