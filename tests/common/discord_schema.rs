//! What the fake Discord checks requests against: the vendored OpenAPI
//! description (`tests/fixtures/discord-openapi.subset.json`), read as JSON
//! Schema as far as the description uses it, and Discord's own rules on top.

use serde_json::Value;

pub fn spec() -> &'static Value {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        serde_json::from_str(include_str!("../fixtures/discord-openapi.subset.json"))
            .expect("the vendored OpenAPI description is JSON")
    })
}

/// Discord's rules the schema leaves out, or states looser.
pub fn discord_rules(template: &str, body: &Value) -> Result<(), String> {
    if let Some(content) = body["content"].as_str().or(body["data"]["content"].as_str()) {
        if content.chars().count() > 2000 {
            return Err(format!(
                "content of {} characters (at most 2000)",
                content.chars().count()
            ));
        }
    }
    if template.ends_with("/commands") {
        for command in body.as_array().into_iter().flatten() {
            check_command(command, "command")?;
        }
    }
    Ok(())
}

fn check_command(command: &Value, at: &str) -> Result<(), String> {
    let name = command["name"].as_str().unwrap_or_default();
    let valid_name = (1..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_name {
        return Err(format!("{at} name '{name}'"));
    }
    let description = command["description"].as_str().unwrap_or_default();
    if !(1..=100).contains(&description.chars().count()) {
        return Err(format!(
            "{at} {name}: description of {} characters",
            description.chars().count()
        ));
    }
    let options = command["options"].as_array().cloned().unwrap_or_default();
    if options.len() > 25 {
        return Err(format!("{at} {name}: {} options", options.len()));
    }
    let required: Vec<bool> = options.iter().map(|o| o["required"] == true).collect();
    if required.windows(2).any(|w| !w[0] && w[1]) {
        return Err(format!("{at} {name}: a required option after an optional one"));
    }
    for option in &options {
        check_command(option, &format!("{at} {name}"))?;
    }
    Ok(())
}

// ----- JSON Schema, as much as the description uses -------------------------

fn resolve(schema: &Value) -> &Value {
    match schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        Some(name) => resolve(&spec()["components"]["schemas"][name]),
        None => schema,
    }
}

/// What Discord accepts that its OpenAPI description leaves out, and that
/// serenity always sends: a command's `nsfw` (age restriction, listed in
/// Discord's documentation), and, on an option, the fields of other option
/// types at their defaults (`autocomplete: false`, `choices: []`,
/// `min_value: null`…). A non-default value where it does not belong is
/// still refused.
fn documented_elsewhere(schema: &Value, key: &str, value: &Value) -> bool {
    let is_command =
        schema["properties"].get("dm_permission").is_some() && schema["properties"].get("handler").is_some();
    let is_option = schema["properties"].get("type").is_some() && schema["properties"].get("description").is_some();
    let default = value == false || value.is_null() || value.as_array().is_some_and(Vec::is_empty);
    (is_command && key == "nsfw" && value.is_boolean()) || (is_option && default)
}

/// An object schema with its `allOf` parts' properties folded in.
fn flatten(schema: &Value) -> Value {
    let mut flat = schema.clone();
    if let Some(all) = schema["allOf"].as_array() {
        flat.as_object_mut().map(|o| o.remove("allOf"));
        for part in all {
            let part = flatten(resolve(part));
            for (key, property) in part["properties"].as_object().into_iter().flatten() {
                flat["properties"][key] = property.clone();
            }
        }
    }
    flat
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// Validates strictly: an object may only hold the properties its schema
/// names (Discord refuses, or ignores, others; either way a bug).
pub fn validate(schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(schema);
    // Discord's "Uploading Files" documentation numbers the files a message
    // uploads 0, 1, … in `attachments[].id`, as integers (serenity does so);
    // the description types every id as a snowflake string.
    if schema["format"] == "snowflake" && value.is_u64() && at.contains(".attachments[") && at.ends_with("].id") {
        return Ok(());
    }
    if let Some(all) = schema["allOf"].as_array() {
        // The parts that describe an object lend their properties to one
        // schema (so that each part's fields count as known); the others
        // (an enum of codes, say) are checked on their own.
        let mut combined = schema.clone();
        combined.as_object_mut().map(|o| o.remove("allOf"));
        for part in all {
            let part = resolve(part);
            if part["properties"].is_object() || part["allOf"].is_array() {
                let flat = flatten(part);
                for (key, property) in flat["properties"].as_object().into_iter().flatten() {
                    combined["properties"][key] = property.clone();
                }
                let required = flat["required"].as_array().cloned().unwrap_or_default();
                match combined["required"].as_array_mut() {
                    Some(list) => list.extend(required),
                    None => combined["required"] = Value::Array(required),
                }
            } else {
                validate(part, value, at)?;
            }
        }
        return validate(&combined, value, at);
    }
    for (keyword, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(choices) = schema[keyword].as_array() {
            let results: Vec<Result<(), String>> = choices.iter().map(|c| validate(c, value, at)).collect();
            let fits = results.iter().filter(|r| r.is_ok()).count();
            if fits == 1 || (fits > 1 && !exactly_one) {
                return Ok(());
            }
            let why = results.into_iter().find_map(Result::err).unwrap_or_default();
            return Err(format!("{at} fits {fits} of its {keyword} choices ({why})"));
        }
    }
    match &schema["type"] {
        Value::String(t) if !type_matches(t, value) => return Err(format!("{at} is not {t}")),
        Value::Array(ts) if !ts.iter().filter_map(Value::as_str).any(|t| type_matches(t, value)) => {
            return Err(format!(
                "{at} is not {}",
                ts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or ")
            ))
        }
        _ => {}
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            return Err(format!("{at} must be {c}"));
        }
    }
    if let Some(options) = schema["enum"].as_array() {
        if !value.is_null() && !options.contains(value) {
            return Err(format!("{at} is not one of {options:?}"));
        }
    }
    if let Some(text) = value.as_str() {
        let len = text.chars().count() as u64;
        if schema["maxLength"].as_u64().is_some_and(|m| len > m)
            || schema["minLength"].as_u64().is_some_and(|m| len < m)
        {
            return Err(format!("{at} has {len} characters"));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema["maximum"].as_f64().is_some_and(|m| n > m) || schema["minimum"].as_f64().is_some_and(|m| n < m) {
            return Err(format!("{at} is {n}, out of range"));
        }
    }
    if let Some(items) = value.as_array() {
        let n = items.len() as u64;
        if schema["maxItems"].as_u64().is_some_and(|m| n > m) || schema["minItems"].as_u64().is_some_and(|m| n < m) {
            return Err(format!("{at} has {n} items"));
        }
        if let Some(item) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                validate(item, v, &format!("{at}[{i}]"))?;
            }
        }
    }
    if let Some(object) = value.as_object() {
        if schema["maxProperties"]
            .as_u64()
            .is_some_and(|m| object.len() as u64 > m)
        {
            return Err(format!("{at} has {} properties", object.len()));
        }
        let properties = schema["properties"].as_object();
        for (key, v) in object {
            if documented_elsewhere(schema, key, v) {
                continue;
            }
            // Discord documents permissions as a string of the bit set; the
            // description says integer. Both are accepted.
            if key == "default_member_permissions" && v.as_str().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
            {
                continue;
            }
            match (properties.and_then(|p| p.get(key)), &schema["additionalProperties"]) {
                (Some(property), _) => validate(property, v, &format!("{at}.{key}"))?,
                (None, Value::Object(_)) => validate(&schema["additionalProperties"], v, &format!("{at}.{key}"))?,
                (None, Value::Bool(true)) => {}
                (None, _) if properties.is_some() => return Err(format!("{at} has no field {key}")),
                (None, _) => {}
            }
        }
        for required in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(required) {
                return Err(format!("{at} is missing {required}"));
            }
        }
    }
    Ok(())
}
