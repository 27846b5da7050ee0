//! What the fake Telegram checks requests against: the vendored Bot API
//! description (`tests/fixtures/telegram-bot-api.subset.json`): methods,
//! fields and their types, and Telegram's rules for texts, HTML, buttons
//! and command menus.

use serde_json::Value;

pub fn spec() -> &'static Value {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let text = include_str!("../fixtures/telegram-bot-api.subset.json");
        serde_json::from_str(text).expect("the vendored Bot API description is JSON")
    })
}

pub fn validate_call(method: &str, params: &Value) -> Result<(), String> {
    let Some(spec) = spec()["methods"].get(method) else {
        return Err(format!("there is no method {method}"));
    };
    let fields = spec["fields"].as_array().cloned().unwrap_or_default();
    validate_fields(&fields, params, method)?;
    match method {
        "sendMessage" => {
            let text = params["text"].as_str().unwrap_or_default();
            let visible = match params["parse_mode"].as_str() {
                Some("HTML") => visible_text(text)?,
                Some(other) => return Err(format!("parse_mode {other} is not used by Seatmate")),
                None => text.to_string(),
            };
            let len = visible.encode_utf16().count();
            if visible.trim().is_empty() || len > 4096 {
                return Err(format!("message text is {len} characters; 1 to 4096 are allowed"));
            }
            for button in params["reply_markup"]["inline_keyboard"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| r.as_array().cloned().unwrap_or_default())
            {
                let data = button["callback_data"].as_str().unwrap_or("x");
                if data.is_empty() || data.len() > 64 {
                    return Err(format!("BUTTON_DATA_INVALID: callback_data of {} bytes", data.len()));
                }
            }
        }
        "answerCallbackQuery" if params["text"].as_str().is_some_and(|t| t.chars().count() > 200) => {
            return Err("answer text over 200 characters".into());
        }
        "setMyCommands" => {
            let commands = params["commands"].as_array().cloned().unwrap_or_default();
            if commands.len() > 100 {
                return Err("more than 100 commands".into());
            }
            for command in commands {
                let name = command["command"].as_str().unwrap_or_default();
                let description = command["description"].as_str().unwrap_or_default();
                let valid = (1..=32).contains(&name.len())
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !valid {
                    return Err(format!("BOT_COMMAND_INVALID: '{name}'"));
                }
                if !(1..=256).contains(&description.chars().count()) {
                    return Err(format!("BOT_COMMAND_DESCRIPTION_INVALID: /{name}"));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn validate_fields(fields: &[Value], object: &Value, at: &str) -> Result<(), String> {
    let Some(object) = object.as_object() else {
        return Err(format!("{at} is not an object"));
    };
    for (key, value) in object {
        let Some(field) = fields.iter().find(|f| f["name"] == key.as_str()) else {
            return Err(format!("{at} has no field {key}"));
        };
        let types: Vec<&str> = field["types"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !types.iter().any(|t| matches_type(t, value)) {
            return Err(format!("{at}.{key} is not {}", types.join(" or ")));
        }
        // "Type of the scope, must be default": a fixed value.
        if let Some(fixed) = field["description"].as_str().and_then(|d| d.split("must be ").nth(1)) {
            let fixed = fixed
                .trim_end_matches('.')
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if value.is_string() && (key == "type" || key == "status") && value != fixed {
                return Err(format!("{at}.{key} must be {fixed}"));
            }
        }
    }
    for field in fields {
        let name = field["name"].as_str().unwrap_or_default();
        if field["required"] == true && !object.contains_key(name) {
            return Err(format!("{at} is missing {name}"));
        }
    }
    Ok(())
}

fn matches_type(name: &str, value: &Value) -> bool {
    if let Some(item) = name.strip_prefix("Array of ") {
        return value
            .as_array()
            .is_some_and(|items| items.iter().all(|v| matches_type(item, v)));
    }
    match name {
        "Integer" => value.is_i64() || value.is_u64(),
        "Float" => value.is_number(),
        "String" => value.is_string(),
        "Boolean" => value.is_boolean(),
        "True" => value == &Value::Bool(true),
        _ => match spec()["types"].get(name) {
            None => false,
            Some(t) => match t["subtypes"].as_array() {
                Some(subtypes) => subtypes
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|s| matches_type(s, value)),
                None => validate_fields(t["fields"].as_array().map_or(&[][..], Vec::as_slice), value, name).is_ok(),
            },
        },
    }
}

/// Telegram's HTML: only its tags, properly nested, and only the four
/// named entities (and numeric ones). Gives the text the member reads.
pub fn visible_text(html: &str) -> Result<String, String> {
    const TAGS: &[&str] = &[
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ];
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or("can't parse entities: unclosed tag")?;
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                if let Some(name) = tag.strip_prefix('/') {
                    if open.pop().as_deref() != Some(name.trim()) {
                        return Err(format!("can't parse entities: unexpected end tag {name}"));
                    }
                } else {
                    let name = tag.split_whitespace().next().unwrap_or_default();
                    if !TAGS.contains(&name) {
                        return Err(format!("can't parse entities: unsupported start tag \"{name}\""));
                    }
                    if name == "a" && !tag.contains("href=\"") {
                        return Err("can't parse entities: a link without href".into());
                    }
                    open.push(name.to_string());
                }
            }
            '&' => {
                let end = rest.find(';').ok_or("can't parse entities: & that is not an entity")?;
                let entity = &rest[1..end];
                let decoded = match entity {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    _ => entity
                        .strip_prefix('#')
                        .and_then(|n| n.parse::<u32>().ok())
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("can't parse entities: unknown entity &{entity};"))?,
                };
                out.push(decoded);
                rest = &rest[end + 1..];
            }
            '>' => return Err("can't parse entities: a bare >".into()),
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(tag) = open.pop() {
        return Err(format!("can't parse entities: {tag} is not closed"));
    }
    Ok(out)
}
