//! Discord interactions as the core's inputs: who, where, and a slash
//! command's options by name (what `Core::handle_options` builds the command
//! from, through the same grammar as text). No decision is taken here.

use seatmate_bot::catalogue::{self, ArgKind};
use seatmate_bot::{Caller, ChatKey, Platform};
use serenity::all::{
    ChannelId, ChannelType, CommandData, Guild, GuildChannel, GuildId, Member, PartialChannel, PartialMember,
    Permissions, ResolvedOption, ResolvedValue, User, UserId,
};

/// A slash command as the core takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The catalogue path: `checkin`, `space add`, and `profile` for the
    /// menu's `/profile show` (the catalogue keeps a group's bare form
    /// under the group's name).
    pub path: String,
    /// Each option by name, its value as the member gave it; a USER option
    /// written `<@id>`, a BOOLEAN `true` or `false`.
    pub options: Vec<(String, String)>,
    /// The members picked in USER options, to be recorded before the
    /// command runs (so that they resolve even before they speak).
    pub mentioned: Vec<Caller>,
}

impl Call {
    /// The options as `command::build` takes them.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.options.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }
}

/// The chat an interaction belongs to: its channel, or for a thread the
/// channel the thread is in (a thread is part of its channel's community,
/// not a chat of its own).
pub fn chat_of(channel_id: ChannelId, channel: Option<&PartialChannel>, guild: Option<GuildId>) -> ChatKey {
    let parent = channel
        .filter(|c| is_thread(c.kind))
        .and_then(|c| c.parent_id)
        .unwrap_or(channel_id);
    chat_key(parent, guild)
}

fn is_thread(kind: ChannelType) -> bool {
    matches!(
        kind,
        ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
    )
}

pub fn chat_key(channel: ChannelId, guild: Option<GuildId>) -> ChatKey {
    ChatKey {
        platform: Platform::Discord,
        chat_id: channel.get().to_string(),
        private: guild.is_none(),
    }
}

/// The member as the community sees them: their server nickname, else their
/// display name, else their username.
pub fn caller(user: &User, nick: Option<&str>) -> Caller {
    Caller {
        user_id: user.id.get().to_string(),
        display_name: nick.or(user.global_name.as_deref()).unwrap_or(&user.name).to_string(),
        username: Some(user.name.clone()),
    }
}

/// An admin of the server as the interaction tells it (Administrator or
/// Manage Server), with no extra request.
pub fn is_admin(member: Option<&Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.contains(Permissions::ADMINISTRATOR) || p.contains(Permissions::MANAGE_GUILD))
}

/// What the bot needs in a server channel to serve a community there, and
/// each permission's name as Discord's settings show it.
const NEEDED_TO_POST: [(Permissions, &str); 2] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
];
const NEEDED_IN_THREADS: [(Permissions, &str); 2] = [
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES_IN_THREADS, "Send Messages in Threads"),
];

/// What the bot lacks to post in the channel an interaction comes from, as
/// its `app_permissions` say (nothing in a DM, or when Discord sent none).
pub fn bot_lacks(
    app_permissions: Option<Permissions>,
    channel: Option<&PartialChannel>,
    guild: Option<GuildId>,
) -> Vec<String> {
    let (Some(have), Some(_)) = (app_permissions, guild) else {
        return Vec::new();
    };
    if have.contains(Permissions::ADMINISTRATOR) {
        return Vec::new();
    }
    let in_thread = channel.is_some_and(|c| is_thread(c.kind));
    let needed = if in_thread { NEEDED_IN_THREADS } else { NEEDED_TO_POST };
    needed
        .iter()
        .filter(|(permission, _)| !have.contains(*permission))
        .map(|(_, name)| name.to_string())
        .collect()
}

/// The text channels of a server the bot may post in (by its own
/// permissions there: roles and each channel's overwrites), the system
/// channel first, then in the server's order.
pub fn postable_channels(guild: &Guild, bot: UserId) -> Vec<ChatKey> {
    let Some(me) = guild.members.get(&bot) else {
        return Vec::new();
    };
    let mut channels: Vec<&GuildChannel> = guild
        .channels
        .values()
        .filter(|c| matches!(c.kind, ChannelType::Text | ChannelType::News))
        .filter(|c| {
            let have = guild.user_permissions_in(c, me);
            have.view_channel() && have.send_messages()
        })
        .collect();
    channels.sort_by_key(|c| (Some(c.id) != guild.system_channel_id, c.position, c.id));
    channels.into_iter().map(|c| chat_key(c.id, Some(guild.id))).collect()
}

/// A slash command's path and options.
pub fn call(data: &CommandData) -> Call {
    let mut call = Call {
        path: data.name.clone(),
        options: Vec::new(),
        mentioned: Vec::new(),
    };
    read_options(data.options(), &mut call);
    call
}

fn read_options(options: Vec<ResolvedOption<'_>>, call: &mut Call) {
    for option in options {
        let value = match option.value {
            ResolvedValue::SubCommand(inner) | ResolvedValue::SubCommandGroup(inner) => {
                call.path = catalogue::find_menu(&call.path, Some(option.name)).map_or_else(
                    || format!("{} {}", call.path, option.name),
                    |spec| spec.path.to_string(),
                );
                read_options(inner, call);
                continue;
            }
            ResolvedValue::String(text) => text.to_string(),
            ResolvedValue::Integer(n) => n.to_string(),
            ResolvedValue::Number(n) => n.to_string(),
            ResolvedValue::Boolean(b) => b.to_string(),
            ResolvedValue::Autocomplete { value, .. } => value.to_string(),
            ResolvedValue::User(user, member) => {
                call.mentioned
                    .push(caller(user, member.and_then(|m: &PartialMember| m.nick.as_deref())));
                format!("<@{}>", user.id.get())
            }
            // Seatmate's commands take none of these.
            _ => continue,
        };
        call.options.push((option.name.to_string(), value));
    }
}

/// What is being typed in an autocompleted option: the command's path, the
/// option's kind (from the catalogue) and the text so far.
pub fn autocomplete(data: &CommandData) -> Option<(String, ArgKind, String)> {
    let focused = data.autocomplete()?;
    let path = call(data).path;
    let spec = catalogue::find_path(&path)?;
    let arg = spec.args.iter().find(|a| a.name == focused.name)?;
    Some((path, arg.kind, focused.value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use serenity::all::CommandInteraction;

    fn interaction(data: serde_json::Value) -> CommandInteraction {
        serde_json::from_value(json!({
            "id": "1", "application_id": "2", "type": 2, "token": "t", "version": 1,
            "channel_id": "300", "guild_id": "400", "locale": "en-US", "entitlements": [], "attachment_size_limit": 26214400,
            "authorizing_integration_owners": {},
            "member": {"user": {"id": "11", "username": "ann", "global_name": "Ann", "discriminator": "0"},
                       "roles": [], "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false,
                       "nick": "Ann B", "permissions": "32", "flags": 0},
            "user": {"id": "11", "username": "ann", "global_name": "Ann", "discriminator": "0"},
            "data": data,
        }))
        .expect("an interaction as Discord sends it")
    }

    #[test]
    fn a_subcommand_with_a_user_option_becomes_a_path_and_named_options() {
        let command = interaction(json!({
            "id": "5", "name": "host", "type": 1,
            "options": [{"name": "add", "type": 1, "options": [
                {"name": "member", "type": 6, "value": "12"},
                {"name": "space", "type": 3, "value": "cafe-noord"}]}],
            "resolved": {"users": {"12": {"id": "12", "username": "bea", "discriminator": "0"}}}
        }));
        let call = call(&command.data);
        assert_eq!(call.path, "host add");
        assert_eq!(call.pairs(), [("member", "<@12>"), ("space", "cafe-noord")]);
        assert_eq!(call.mentioned[0].user_id, "12");
        assert_eq!(call.mentioned[0].display_name, "bea");
        let member = command.member.as_deref();
        assert!(is_admin(member), "Manage Server");
        assert_eq!(
            caller(&command.user, member.and_then(|m| m.nick.as_deref())).display_name,
            "Ann B"
        );
        assert!(!chat_key(command.channel_id, command.guild_id).private);
    }

    #[test]
    fn a_thread_is_part_of_its_channels_chat() {
        let mut command = interaction(json!({"id": "5", "name": "checkin", "type": 1}));
        let thread: PartialChannel = serde_json::from_value(json!({
            "id": "301", "type": 11, "name": "Friday lunch", "parent_id": "300", "permissions": null
        }))
        .unwrap();
        command.channel = Some(thread);
        let chat = chat_of(ChannelId::new(301), command.channel.as_ref(), command.guild_id);
        assert_eq!(chat.chat_id, "300");
    }

    #[test]
    fn every_registered_command_and_subcommand_reaches_its_catalogue_entry() {
        for spec in catalogue::CATALOGUE.iter() {
            for leaf in spec.leaves() {
                let options = if spec.subcommands.is_empty() {
                    json!([])
                } else {
                    json!([{"name": leaf.name, "type": 1, "options": []}])
                };
                let command = interaction(json!({"id": "5", "name": spec.name, "type": 1, "options": options}));
                let path = call(&command.data).path;
                assert_eq!(
                    catalogue::find_path(&path).map(|s| s.path),
                    Some(leaf.path),
                    "/{} {}",
                    spec.name,
                    leaf.name
                );
            }
        }
    }

    #[test]
    fn what_the_bot_lacks_to_post_is_named_as_discord_names_it() {
        let lacks = |bits: u64| bot_lacks(Some(Permissions::from_bits_truncate(bits)), None, Some(GuildId::new(4)));
        assert_eq!(lacks(1024 | 2048), Vec::<String>::new());
        assert_eq!(lacks(1024), ["Send Messages"]);
        assert_eq!(lacks(0), ["View Channel", "Send Messages"]);
        assert_eq!(lacks(8), Vec::<String>::new(), "Administrator has every permission");
        assert_eq!(
            bot_lacks(Some(Permissions::empty()), None, None),
            Vec::<String>::new(),
            "a DM"
        );
    }

    #[test]
    fn numbers_and_flags_are_written_as_the_command_language_reads_them() {
        let command = interaction(json!({
            "id": "5", "name": "space", "type": 1,
            "options": [{"name": "add", "type": 1, "options": [
                {"name": "slug", "type": 3, "value": "loft"},
                {"name": "capacity", "type": 4, "value": 12},
                {"name": "approval", "type": 5, "value": true}]}]
        }));
        assert_eq!(
            call(&command.data).pairs(),
            [("slug", "loft"), ("capacity", "12"), ("approval", "true")]
        );
    }

    #[test]
    fn an_autocompleted_option_says_its_kind_and_what_was_typed() {
        let command = interaction(json!({
            "id": "5", "name": "checkin", "type": 1,
            "options": [{"name": "space", "type": 3, "value": "caf", "focused": true}]
        }));
        assert_eq!(
            autocomplete(&command.data),
            Some(("checkin".to_string(), ArgKind::SpaceOrRemote, "caf".to_string()))
        );
    }
}

#[cfg(test)]
mod guild_tests {
    use super::*;
    use serde_json::json;

    /// A server as GUILD_CREATE carries it, with @everyone allowed
    /// `everyone` and channel 301 closed to Send Messages.
    pub fn guild(everyone: &str) -> Guild {
        let mut guild = json!({
            "id": "400", "name": "Coworkers", "icon": null, "splash": null, "discovery_splash": null,
            "owner_id": "11", "afk_channel_id": null, "afk_timeout": 300, "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "emojis": [],
            "features": [], "mfa_level": 0, "application_id": null, "system_channel_id": "302",
            "system_channel_flags": 0, "rules_channel_id": null, "vanity_url_code": null, "description": null,
            "banner": null, "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": null,
            "nsfw_level": 0, "premium_progress_bar_enabled": false, "joined_at": "2026-01-01T00:00:00Z",
            "large": false, "member_count": 4, "voice_states": [], "presences": [],
            "threads": [], "stage_instances": [], "stickers": [], "guild_scheduled_events": [],
            "safety_alerts_channel_id": null,
        });
        guild["roles"] = json!([{"id": "400", "name": "@everyone", "color": 0, "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null}, "hoist": false, "icon": null,
                "unicode_emoji": null, "position": 0, "permissions": everyone, "managed": false,
                "mentionable": false, "flags": 0}]);
        guild["members"] = json!([{"user": {"id": "999", "username": "Seatmate", "discriminator": "0", "bot": true},
                "roles": [], "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false, "flags": 0}]);
        guild["channels"] = json!([
                {"id": "300", "type": 0, "guild_id": "400", "name": "a", "position": 0, "permission_overwrites": []},
                {"id": "301", "type": 0, "guild_id": "400", "name": "b", "position": 1,
                 "permission_overwrites": [{"id": "400", "type": 0, "allow": "0", "deny": "2048"}]},
                {"id": "302", "type": 0, "guild_id": "400", "name": "c", "position": 2, "permission_overwrites": []},
                {"id": "303", "type": 2, "guild_id": "400", "name": "voice", "position": 3, "permission_overwrites": []}
        ]);
        serde_json::from_value(guild).expect("a guild as Discord sends it")
    }

    #[test]
    fn the_channels_a_server_lets_the_bot_post_in_come_system_channel_first() {
        let ids = |chats: Vec<ChatKey>| chats.into_iter().map(|c| c.chat_id).collect::<Vec<_>>();
        let bot = UserId::new(999);
        assert_eq!(ids(postable_channels(&guild("3072"), bot)), ["302", "300"]);
        assert_eq!(ids(postable_channels(&guild("1024"), bot)), Vec::<String>::new());
        assert_eq!(
            ids(postable_channels(&guild("3072"), UserId::new(5))),
            Vec::<String>::new()
        );
    }
}
