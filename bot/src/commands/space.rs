//! A community and its spaces and hosts: `/setup`, `/space …`, `/host …`.

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::{parse_count, words};
use crate::command::{Action, Source, SpaceAddArgs, SpaceSetting};
use crate::commands::seats::{must_host, withdraw_space_offers};
use crate::domain::{bounds, ArgError, SpaceSlug, Zone};
use crate::i18n::{Arg, Msg};
use crate::reply::{MemberCard, Reply, Span};
use crate::rules::release;
use crate::service::{Cx, Env, Failure, Outcome};
use crate::store::{NewSpace, Space, StoreError};
use crate::suggest::closest;

/// A command's space, required: `/offer <space> …`, `/space set <space> …`.
pub(crate) const THE_SPACE: ArgSpec = ArgSpec {
    name: "space",
    kind: ArgKind::Space,
    required: true,
    description: "the space",
    description_nl: "de locatie",
    ..ArgSpec::OPTIONAL
};

pub(crate) const SPACE: CommandSpec = CommandSpec {
    name: "space",
    path: "space",
    summary: "Add, list and remove the community's spaces",
    summary_nl: "Locaties van de community toevoegen, tonen en verwijderen",
    usage: "/space add|list|remove …",
    example: "/space add cafe-noord Europe/Amsterdam capacity 12",
    access: Access::Member,
    subcommands: &[
        CommandSpec {
            name: "add",
            path: "space add",
            summary: "Add a space",
            summary_nl: "Voeg een locatie toe",
            usage: "/space add <slug> [<time zone>] [capacity <n>] [approval] [open]",
            example: "/space add cafe-noord Europe/Amsterdam capacity 12 approval",
            access: Access::Admin,
            args: &[
                ArgSpec {
                    name: "slug",
                    kind: ArgKind::NewSpace,
                    required: true,
                    description: "a short name: letters, digits, hyphens",
                    description_nl: "een korte naam: letters, cijfers, streepjes",
                    ..ArgSpec::OPTIONAL
                },
                ArgSpec {
                    name: "zone",
                    kind: ArgKind::Zone,
                    description: "its IANA time zone (default: the community's)",
                    description_nl: "de IANA-tijdzone (standaard: die van de community)",
                    ..ArgSpec::OPTIONAL
                },
                ArgSpec {
                    name: "capacity",
                    kind: ArgKind::Integer,
                    keyword: Some("capacity"),
                    description: "how many seats it has",
                    description_nl: "hoeveel plekken er zijn",
                    range: Some(bounds::CAPACITY),
                    ..ArgSpec::OPTIONAL
                },
                ArgSpec {
                    name: "approval",
                    kind: ArgKind::Flag,
                    keyword: Some("approval"),
                    description: "seat requests wait for a host's approval",
                    description_nl: "aanvragen wachten op goedkeuring van een host",
                    ..ArgSpec::OPTIONAL
                },
                ArgSpec {
                    name: "open",
                    kind: ArgKind::Flag,
                    keyword: Some("open"),
                    description: "requesters must say what they can help with (/profile offers)",
                    description_nl: "aanvragers moeten zeggen waarmee ze kunnen helpen (/profile offers)",
                    ..ArgSpec::OPTIONAL
                },
            ],
            grammar: Some(read_space_add),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "list",
            path: "space list",
            summary: "List the spaces",
            summary_nl: "Toon de locaties",
            usage: "/space list",
            example: "/space list",
            access: Access::Member,
            grammar: Some(read_space_list),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "remove",
            path: "space remove",
            summary: "Remove a space (with its hosts and check-ins)",
            summary_nl: "Verwijder een locatie (met hosts en check-ins)",
            usage: "/space remove <slug>",
            example: "/space remove cafe-noord",
            access: Access::Admin,
            args: &[ArgSpec {
                name: "space",
                kind: ArgKind::Space,
                required: true,
                description: "the space to remove",
                description_nl: "de locatie om te verwijderen",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_space_remove),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "set",
            path: "space set",
            summary: "Change a setting of a space: release_after",
            summary_nl: "Wijzig een instelling van een locatie: release_after",
            usage: "/space set <space> release_after <minutes|off>",
            example: "/space set cafe-noord release_after 90",
            access: Access::Host,
            args: &[
                THE_SPACE,
                ArgSpec {
                    name: "release_after",
                    kind: ArgKind::MinutesOrOff,
                    required: true,
                    keyword: Some("release_after"),
                    description: "minutes (10-240) until a seat nobody checked in for is released, or off",
                    description_nl: "minuten (10-240) tot een plek zonder check-in vrijkomt, of off",
                    ..ArgSpec::OPTIONAL
                },
            ],
            grammar: Some(read_space_set),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
    ],
    ..CommandSpec::GROUP
};

fn read_space_add(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
    let Some((slug, options)) = words.split_first() else {
        return Err(ArgError::new(Msg::WhichNewSpace));
    };
    let mut add = SpaceAddArgs {
        slug: SpaceSlug::parse(slug)?,
        zone: None,
        capacity: None,
        needs_approval: false,
        open_profile_required: false,
    };
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match option.to_lowercase().as_str() {
            // The keywords in English and Dutch.
            "approval" | "goedkeuring" => add.needs_approval = true,
            "open" => add.open_profile_required = true,
            "capacity" | "capaciteit" => {
                let n = options.next().ok_or_else(|| ArgError::new(Msg::CapacityNeedsNumber))?;
                add.capacity = Some(parse_count(n, bounds::CAPACITY, Msg::WhatCapacity)?);
            }
            word if add.zone.is_none() && Zone::looks_like_zone(word) => add.zone = Some(Zone::parse(option)?),
            _ => {
                return Err(ArgError::new(Msg::NotUnderstood)
                    .with("word", option)
                    .hint_msg(Msg::SpaceAddHint))
            }
        }
    }
    Ok(Action::SpaceAdd(add))
}

fn read_space_list(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::SpaceList)
}

fn read_space_remove(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [slug] => Ok(Action::SpaceRemove {
            space: SpaceSlug::parse(slug)?,
        }),
        [] => Err(ArgError::new(Msg::WhichSpaceArg)),
        _ => Err(ArgError::new(Msg::OneSpace)),
    }
}

/// The settings `/space set` knows, as typed.
const SPACE_SETTINGS: &str = "release_after";

/// `<space> release_after <minutes|off>`
fn read_space_set(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
    let Some((slug, rest)) = words.split_first() else {
        return Err(ArgError::new(Msg::WhichSpaceArg));
    };
    let space = SpaceSlug::parse(slug)?;
    let needs_value = || {
        let (min, max) = release::RELEASE_AFTER;
        ArgError::new(Msg::ReleaseAfterNeeds)
            .with("min", min)
            .with("max", max)
            .with("example", format!("/space set {space} release_after 90"))
    };
    match rest {
        [] => Err(ArgError::new(Msg::WhichSpaceSetting)
            .with("space", space.as_str())
            .with("settings", SPACE_SETTINGS)),
        [setting, value @ ..] if setting.eq_ignore_ascii_case("release_after") => match value {
            [off] if off.eq_ignore_ascii_case("off") || off.eq_ignore_ascii_case("uit") => Ok(Action::SpaceSet {
                space,
                setting: SpaceSetting::ReleaseAfter(None),
            }),
            [minutes] => Ok(Action::SpaceSet {
                setting: SpaceSetting::ReleaseAfter(Some(parse_count(
                    minutes,
                    release::RELEASE_AFTER,
                    Msg::WhatReleaseAfter,
                )?)),
                space,
            }),
            _ => Err(needs_value()),
        },
        [setting, ..] => Err(ArgError::new(Msg::UnknownSpaceSetting)
            .with("space", space.as_str())
            .with("word", setting)
            .with("settings", SPACE_SETTINGS)),
    }
}

handlers!(|cx| {
    Action::SpaceAdd(args) => space_add(cx, args),
    Action::SpaceList => space_list(cx),
    Action::SpaceRemove { space } => space_remove(cx, &space),
    Action::SpaceSet { space, setting } => space_set(cx, &space, setting),
});

/// Changes a setting of a space: its hosts or an admin.
pub(crate) async fn space_set(cx: &Cx<'_>, slug: &SpaceSlug, setting: SpaceSetting) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, slug)?;
    must_host(cx, space.id, &space.slug).await?;
    match setting {
        SpaceSetting::ReleaseAfter(minutes) => {
            cx.store
                .set_release_after(community.id, space.id, minutes, cx.now)
                .await?;
            let line = match minutes {
                Some(n) => cx.t(
                    Msg::ReleaseAfterSet,
                    vec![("space", Arg::code(&space.slug)), ("n", Arg::count(n))],
                ),
                None => cx.t(Msg::ReleaseAfterOff, vec![("space", Arg::code(&space.slug))]),
            };
            Ok(Reply::to_chat().line(line))
        }
    }
}

pub(crate) fn space_details(env: &Env<'_>, space: &Space) -> String {
    let mut details = String::new();
    if let Some(n) = space.capacity {
        details.push_str(&env.text(Msg::SpaceCapacity, vec![("n", Arg::count(n))]));
    }
    if space.needs_approval {
        details.push_str(&env.text(Msg::SpaceApproval, vec![]));
    }
    if space.open_profile_required {
        details.push_str(&env.text(Msg::SpaceOpen, vec![]));
    }
    match space.release_after {
        Some(n) => details.push_str(&env.text(Msg::SpaceReleaseAfter, vec![("n", Arg::count(n))])),
        None => details.push_str(&env.text(Msg::SpaceReleaseOff, vec![])),
    }
    details
}

pub(crate) async fn space_add(cx: &Cx<'_>, args: SpaceAddArgs) -> Outcome {
    let community = cx.community()?;
    let new = NewSpace {
        zone: args.zone.unwrap_or(community.zone),
        slug: args.slug,
        capacity: args.capacity,
        needs_approval: args.needs_approval,
        open_profile_required: args.open_profile_required,
    };
    match cx.store.add_space(community.id, &new, cx.now).await {
        Ok(space) => Ok(Reply::to_chat().line(cx.t(
            Msg::SpaceAdded,
            vec![
                ("space", Arg::code(&space.slug)),
                ("zone", Arg::text(space.zone)),
                ("details", Arg::text(space_details(cx, &space))),
            ],
        ))),
        Err(StoreError::Conflict(_)) => {
            Err(cx.refuse(vec![cx.t(Msg::SpaceExists, vec![("space", Arg::code(&new.slug))])]))
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn space_list(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    if spaces.is_empty() {
        return Ok(Reply::to_chat().line(cx.t(
            Msg::NoSpaces,
            vec![
                ("community", Arg::strong(&community.name)),
                (
                    "example",
                    Arg::code(crate::service::wording::space_add_example(cx.chat.platform)),
                ),
            ],
        )));
    }
    let hosts = cx.store.hosts(community.id).await?;
    let mut reply = Reply::to_chat().line(cx.t(Msg::SpacesTitle, vec![("community", Arg::strong(&community.name))]));
    for space in &spaces {
        let mut line = cx.t(
            Msg::SpaceLine,
            vec![
                ("space", Arg::code(&space.slug)),
                ("zone", Arg::text(space.zone)),
                ("details", Arg::text(space_details(cx, space))),
            ],
        );
        let space_hosts: Vec<&MemberCard> = hosts.iter().filter(|(id, _)| *id == space.id).map(|(_, c)| c).collect();
        if !space_hosts.is_empty() {
            line.extend(cx.t(Msg::SpaceHosts, vec![]));
            for (i, host) in space_hosts.into_iter().enumerate() {
                if i > 0 {
                    line.push(Span::Text(", ".into()));
                }
                line.push(Span::Mention(host.clone()));
            }
        }
        reply.push_item(line);
    }
    Ok(reply)
}

pub(crate) async fn space_remove(cx: &Cx<'_>, slug: &SpaceSlug) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, slug)?;
    let told = withdraw_space_offers(cx, community, space.id, cx.now).await?;
    if told > 0 {
        tracing::info!(space = %slug, told, "offers withdrawn with their space");
    }
    match cx.store.remove_space(community.id, slug).await {
        Ok(()) => Ok(Reply::to_chat().line(cx.t(Msg::SpaceRemoved, vec![("space", Arg::code(slug))]))),
        Err(StoreError::NotFound) => {
            let spaces = cx.store.spaces(community.id).await?;
            Err(unknown_space(cx, &spaces, slug.as_str()))
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn space_list_text(spaces: &[Space]) -> String {
    spaces.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", ")
}

/// The space with that slug, or a refusal that suggests the closest one.
pub(crate) fn find_space<'s>(env: &Env<'_>, spaces: &'s [Space], slug: &SpaceSlug) -> Result<&'s Space, Failure> {
    if let Some(space) = spaces.iter().find(|s| &s.slug == slug) {
        return Ok(space);
    }
    Err(unknown_space(env, spaces, slug.as_str()))
}

pub(crate) fn unknown_space(env: &Env<'_>, spaces: &[Space], given: &str) -> Failure {
    let mut lines = vec![env.t(Msg::UnknownSpace, vec![("space", Arg::code(given))])];
    if let Some(s) = closest(given, spaces.iter().map(|s| s.slug.as_str())) {
        lines.push(env.t(Msg::DidYouMean, vec![("suggestion", Arg::code(s))]));
    } else if spaces.is_empty() {
        lines.push(env.t(Msg::NoSpaceToCheckIn, vec![("example", Arg::code("/checkin remote"))]));
    } else {
        lines.push(env.t(Msg::KnownSpaces, vec![("spaces", Arg::text(space_list_text(spaces)))]));
    }
    env.refuse(lines)
}
