//! "Did you mean …": the closest known name to a mistyped one.

/// The candidate closest to `input` (ignoring case), if any is close enough to be
/// a plausible typo or abbreviation; ties go to the earlier candidate.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.trim().to_lowercase();
    if input.is_empty() {
        return None;
    }
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        let lowered = candidate.to_lowercase();
        let mut score = strsim::normalized_damerau_levenshtein(&input, &lowered);
        // A typed prefix ("cafe" for "cafe-noord") is as good as a near miss.
        if input.chars().count() >= 3 && lowered.starts_with(&input) {
            score = score.max(0.75);
        }
        if score >= 0.6 && best.is_none_or(|(_, s)| score > s) {
            best = Some((candidate, score));
        }
    }
    best.map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_prefixes_but_not_strangers() {
        let slugs = ["cafe-noord", "library", "de-hallen"];
        assert_eq!(closest("cafe-nord", slugs), Some("cafe-noord"));
        assert_eq!(closest("Libary", slugs), Some("library"));
        assert_eq!(closest("cafe", slugs), Some("cafe-noord"));
        assert_eq!(closest("zzz", slugs), None);
        assert_eq!(closest("", slugs), None);
    }
}
