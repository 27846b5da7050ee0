//! `multipart/form-data` as the fakes read it: how Telegram's `sendDocument`
//! and Discord's messages with attachments arrive.

use serde_json::Value;

/// The boundary of a `multipart/form-data` request, if it is one.
pub fn boundary(headers: &hyper::HeaderMap) -> Option<String> {
    let content_type = headers.get("content-type")?.to_str().ok()?;
    let boundary = content_type.split("boundary=").nth(1)?;
    Some(boundary.trim_matches('"').to_string())
}

/// A file part of a multipart request.
pub struct FilePart {
    pub field: String,
    pub file_name: String,
    pub content: Vec<u8>,
}

/// Reads a `multipart/form-data` body: its plain fields (JSON where they
/// parse as JSON, else text) and its files.
pub fn read(body: &[u8], boundary: &str) -> Option<(Value, Vec<FilePart>)> {
    let delimiter = format!("--{boundary}");
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    let positions: Vec<usize> = body
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, w)| *w == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    if positions.len() < 2 {
        return None;
    }
    for pair in positions.windows(2) {
        let part = &body[pair[0] + delimiter.len()..pair[1]];
        let part = part.strip_prefix(b"\r\n")?;
        let split = part.windows(4).position(|w| w == b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&part[..split]).to_string();
        let headers = headers
            .split("\r\n")
            .find(|h| h.to_ascii_lowercase().starts_with("content-disposition:"))?
            .to_string();
        let content = part[split + 4..].strip_suffix(b"\r\n")?.to_vec();
        let attribute = |name: &str| {
            headers
                .split(';')
                .find_map(|piece| piece.trim().strip_prefix(&format!("{name}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        let field = attribute("name")?;
        match attribute("filename") {
            Some(file_name) => files.push(FilePart {
                field,
                file_name,
                content,
            }),
            None => {
                let value = String::from_utf8(content).ok()?;
                let value = serde_json::from_str(&value).unwrap_or(Value::String(value));
                fields.insert(field, value);
            }
        }
    }
    Some((Value::Object(fields), files))
}
