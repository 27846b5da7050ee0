//! One-time codes: `/invite` (bind another chat to a community) and `/link`
//! (join two identities into one member). A code is shown once and kept
//! only as its SHA-256, so a copy of the database cannot redeem it; the
//! store deletes it as it redeems it, so it works once.
//!
//! Codes are 8 symbols from an alphabet without look-alikes (no 0/O, 1/I/L,
//! U), shown as `ABCD-2345`: about 6.6 × 10¹¹ codes, readable aloud and
//! typed without mistakes. Case, spaces and the hyphen do not matter when
//! typed, and a mistyped code is refused like an unknown one.

use chrono::TimeDelta;
use rand::Rng;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH: usize = 8;

/// How long an invitation to bind another chat stays valid.
pub const INVITE_VALID: TimeDelta = TimeDelta::hours(48);
/// How long a code to link identities stays valid.
pub const LINK_VALID: TimeDelta = TimeDelta::minutes(10);

/// How long the button that confirms `/forgetme` works.
pub const FORGET_VALID: TimeDelta = TimeDelta::minutes(5);

/// What a code is for: redeeming one kind never redeems the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Link,
    /// The confirmation `/forgetme`'s button carries: never shown as text,
    /// redeemed only by a press of that button by the member who asked.
    Forget,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Invite => "invite",
            Purpose::Link => "link",
            Purpose::Forget => "forget",
        }
    }
}

/// The SHA-256 of a code in its canonical form, as hex: what the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodeHash(String);

impl CodeHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new code: what the member is shown, and what is kept.
#[derive(Debug, Clone)]
pub struct NewCode {
    /// `ABCD-2345`.
    pub shown: String,
    /// `ABCD2345`: the form for a link (`start=link_ABCD2345`).
    pub compact: String,
    pub hash: CodeHash,
}

pub fn new_code() -> NewCode {
    let mut rng = rand::thread_rng();
    let compact: String = (0..LENGTH)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    NewCode {
        shown: format!("{}-{}", &compact[..4], &compact[4..]),
        hash: hash_canonical(&compact),
        compact,
    }
}

/// The hash of a typed code, or `None` when it cannot be one (wrong length
/// or a symbol codes never have).
pub fn hash_typed(typed: &str) -> Option<CodeHash> {
    let canonical: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '_'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (canonical.len() == LENGTH && canonical.bytes().all(|b| ALPHABET.contains(&b))).then(|| hash_canonical(&canonical))
}

/// Whether a word has the shape of a code (for telling a code from a name).
pub fn looks_like_code(word: &str) -> bool {
    hash_typed(word).is_some()
}

fn hash_canonical(canonical: &str) -> CodeHash {
    CodeHash(sha256_hex(canonical.as_bytes()))
}

/// SHA-256 of `bytes` in lower-case hex: what is kept of a secret or a
/// code, never the thing itself.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_code_hashes_as_typed_in_any_case_with_or_without_the_hyphen() {
        let code = new_code();
        assert_eq!(code.shown.len(), 9);
        assert_eq!(hash_typed(&code.shown), Some(code.hash.clone()));
        assert_eq!(hash_typed(&code.shown.to_lowercase()), Some(code.hash.clone()));
        assert_eq!(hash_typed(&code.compact), Some(code.hash.clone()));
        assert_ne!(code.hash.as_str(), code.compact, "the hash is not the code");
        assert_eq!(code.hash.as_str().len(), 64);
    }

    #[test]
    fn words_that_cannot_be_codes_have_no_hash() {
        for word in ["", "ABCD-234", "ABCD-23456", "ABCD-2340", "OOOO-1111", "héllo-wor"] {
            assert_eq!(hash_typed(word), None, "{word}");
        }
    }

    #[test]
    fn codes_differ() {
        let codes: std::collections::HashSet<String> = (0..1000).map(|_| new_code().compact).collect();
        assert_eq!(codes.len(), 1000);
    }
}
