//! The catalogue as Discord application commands: groups become commands
//! with subcommands, arguments typed options (numbers with their bounds,
//! members as USER, flags as BOOLEAN, spaces, zones, commands and languages
//! with autocomplete), required options first, admin-only commands behind
//! Manage Server (the core still checks), and Dutch descriptions.

use seatmate_bot::catalogue::{self, ArgKind, ArgSpec, CommandSpec};
use seatmate_bot::Locale;
use serenity::all::{
    CommandOptionType, CreateCommand, CreateCommandOption, InstallationContext, InteractionContext, Permissions,
};

/// Discord's limit on a command's or an option's description.
pub const MAX_DESCRIPTION: usize = 100;

/// Discord's locale for a core locale, for names and descriptions.
fn discord_locale(locale: Locale) -> Option<&'static str> {
    match locale {
        Locale::En => None,
        Locale::Nl => Some("nl"),
    }
}

/// The Discord locales other than the default (English), with the text
/// for each: what a builder's `description_localized` takes.
fn translations(text_in: impl Fn(Locale) -> &'static str) -> impl Iterator<Item = (&'static str, String)> {
    Locale::ALL
        .into_iter()
        .filter_map(move |locale| discord_locale(locale).map(|code| (code, fit(text_in(locale)))))
}

/// `text` cut to Discord's limit, at a word, with an ellipsis.
fn fit(text: &str) -> String {
    if text.chars().count() <= MAX_DESCRIPTION {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_DESCRIPTION - 1).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

/// The option type an argument kind is offered as.
pub fn option_type(kind: ArgKind) -> CommandOptionType {
    match kind {
        ArgKind::Integer | ArgKind::OfferNumber => CommandOptionType::Integer,
        ArgKind::MemberMention => CommandOptionType::User,
        ArgKind::Flag => CommandOptionType::Boolean,
        _ => CommandOptionType::String,
    }
}

/// Whether Discord asks the bot for choices as the member types.
pub fn autocompletes(kind: ArgKind) -> bool {
    matches!(
        kind,
        ArgKind::Space
            | ArgKind::SpaceOrRemote
            | ArgKind::OfferOrSpace
            | ArgKind::OfferNumber
            | ArgKind::DateOrSpace
            | ArgKind::Zone
            | ArgKind::CommandName
            | ArgKind::Language
            | ArgKind::PlatformName
    )
}

fn option(spec: &CommandSpec, arg: &ArgSpec) -> CreateCommandOption {
    let mut option = CreateCommandOption::new(option_type(arg.kind), arg.name, fit(arg.description))
        .required(arg.required)
        .set_autocomplete(autocompletes(arg.kind));
    if let Some((min, max)) = arg.range {
        option = option.min_int_value(u64::from(min)).max_int_value(u64::from(max));
    }
    for (code, text) in translations(|locale| spec.arg_description_in(arg, locale)) {
        option = option.description_localized(code, text);
    }
    option
}

/// A command's options, the required ones first (Discord's rule).
fn options(spec: &CommandSpec) -> Vec<CreateCommandOption> {
    // What only a button carries is never an option.
    let offered = spec.args.iter().filter(|a| a.kind != ArgKind::ButtonOnly);
    let (required, optional): (Vec<&ArgSpec>, Vec<&ArgSpec>) = offered.partition(|a| a.required);
    required
        .into_iter()
        .chain(optional)
        .map(|arg| option(spec, arg))
        .collect()
}

/// Every command of the catalogue, as Discord registers them.
pub fn application_commands() -> Vec<CreateCommand> {
    catalogue::CATALOGUE.iter().map(application_command).collect()
}

fn application_command(spec: &CommandSpec) -> CreateCommand {
    // Installed to servers only, and used in them or in a DM with the bot:
    // a community lives in a server, never in a DM between other people.
    let mut command = CreateCommand::new(spec.name)
        .description(fit(spec.summary))
        .integration_types(vec![InstallationContext::Guild])
        .contexts(vec![InteractionContext::Guild, InteractionContext::BotDm]);
    for (code, text) in translations(|locale| spec.summary_in(locale)) {
        command = command.description_localized(code, text);
    }
    if spec.subcommands.is_empty() {
        command = command.set_options(options(spec));
    } else {
        let subcommands = spec.subcommands.iter().map(|sub| {
            let mut option = CreateCommandOption::new(CommandOptionType::SubCommand, sub.name, fit(sub.summary));
            for (code, text) in translations(|locale| sub.summary_in(locale)) {
                option = option.description_localized(code, text);
            }
            options(sub)
                .into_iter()
                .fold(option, CreateCommandOption::add_sub_option)
        });
        command = command.set_options(subcommands.collect());
    }
    if spec.admin_only() {
        command = command.default_member_permissions(Permissions::MANAGE_GUILD);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn registered() -> Vec<Value> {
        application_commands()
            .iter()
            .map(|c| serde_json::to_value(c).unwrap())
            .collect()
    }

    fn option_named(command: &Value, name: &str) -> Value {
        let options = command["options"].as_array().unwrap();
        options.iter().find(|o| o["name"] == name).cloned().unwrap()
    }

    fn name_ok(name: &str) -> bool {
        (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    }

    fn check_description(at: &str, value: &Value) {
        let text = value["description"].as_str().unwrap_or_default();
        assert!((1..=MAX_DESCRIPTION).contains(&text.chars().count()), "{at}: '{text}'");
        let nl = value["description_localizations"]["nl"].as_str().unwrap_or_default();
        assert!(
            (1..=MAX_DESCRIPTION).contains(&nl.chars().count()),
            "{at} in Dutch: '{nl}'"
        );
    }

    #[test]
    fn every_catalogue_command_is_registered_within_discords_limits() {
        let commands = registered();
        assert_eq!(commands.len(), catalogue::CATALOGUE.len());
        for command in &commands {
            let name = command["name"].as_str().unwrap();
            assert!(name_ok(name), "{name}");
            check_description(name, command);
            let options = command["options"].as_array().cloned().unwrap_or_default();
            assert!(options.len() <= 25, "{name}");
            for option in &options {
                let at = format!("{name} {}", option["name"]);
                assert!(name_ok(option["name"].as_str().unwrap()), "{at}");
                check_description(&at, option);
                let inner = option["options"].as_array().cloned().unwrap_or_default();
                assert!(inner.len() <= 25, "{at}");
                // Required options come first.
                let required: Vec<bool> = inner.iter().map(|o| o["required"] == true).collect();
                assert!(required.windows(2).all(|w| w[0] || !w[1]), "{at}: {required:?}");
                for sub in &inner {
                    check_description(&format!("{at} {}", sub["name"]), sub);
                }
            }
        }
    }

    #[test]
    fn options_are_typed_and_admin_commands_need_manage_server() {
        let commands = registered();
        let find = |name: &str| commands.iter().find(|c| c["name"] == name).unwrap().clone();
        let offer = find("offer");
        let seats = option_named(&offer, "seats");
        assert_eq!(seats["type"], 4, "INTEGER");
        assert_eq!(
            (seats["min_value"].as_u64(), seats["max_value"].as_u64()),
            (Some(1), Some(500))
        );
        let space = option_named(&offer, "space");
        assert_eq!(
            (space["type"].as_u64(), space["autocomplete"].as_bool()),
            (Some(3), Some(true))
        );
        let host = find("host");
        let add = &host["options"][0];
        assert_eq!(add["type"], 1, "SUB_COMMAND");
        assert_eq!(add["options"][0]["type"], 6, "USER");
        // 1 << 5 is Manage Server.
        assert_eq!(host["default_member_permissions"], "32");
        assert_eq!(find("setup")["default_member_permissions"], "32");
        assert!(find("checkin")["default_member_permissions"].is_null());
        assert_eq!(
            find("checkin")["contexts"],
            serde_json::json!([0, 1]),
            "servers and the bot's DMs"
        );
        assert_eq!(
            find("checkin")["integration_types"],
            serde_json::json!([0]),
            "installed to servers"
        );
        assert!(
            find("space")["default_member_permissions"].is_null(),
            "space list is for members"
        );
        let approval = option_named(&find("space")["options"][0], "approval");
        assert_eq!(approval["type"], 5, "BOOLEAN");
    }
}
