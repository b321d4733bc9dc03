//! Slugs: the identity of an entry or page in URLs (`entries/<slug>/`), and heading ids.
//! A slug matches `^[a-z0-9]+(-[a-z0-9]+)*$`, so it can never leave the output directory.

/// Whether `s` is a valid slug.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Makes a slug from any text, transliterating other scripts to ASCII
/// ("Закон о правах" → "zakon-o-pravakh"). Idempotent; empty when nothing is left.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    collapse(ascii.chars().map(|c| c.to_ascii_lowercase()), |c| {
        c.is_ascii_alphanumeric()
    })
}

/// A slug suggestion for a string that is not a valid slug (used in help messages).
pub fn suggest(text: &str) -> String {
    let s = slugify(text);
    if s.is_empty() { "entry".to_string() } else { s }
}

/// A heading id from heading text: lowercase letters and digits of any script, other runs
/// joined by `-` ("Scope & limits" → "scope-limits", "Закон" → "закон").
pub fn heading_id(text: &str) -> String {
    let id = collapse(
        text.chars().flat_map(char::to_lowercase),
        char::is_alphanumeric,
    );
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn collapse(chars: impl Iterator<Item = char>, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in chars {
        if keep(c) {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity() {
        assert!(is_valid("death-penalty-2003"));
        for bad in ["", "-a", "a-", "a--b", "A", "a/b", "..", "a_b", "é"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn slugify_transliterates_and_is_idempotent() {
        assert_eq!(slugify("Закон о правах"), "zakon-o-pravakh");
        assert_eq!(
            slugify("  The 9 June 2021 Decree! "),
            "the-9-june-2021-decree"
        );
        let s = slugify("Қазақстан — Ombudsman");
        assert!(is_valid(&s), "{s}");
        assert_eq!(slugify(&s), s);
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn slugify_is_idempotent_and_ascii(s in "\\PC{0,60}") {
            let once = slugify(&s);
            prop_assert_eq!(slugify(&once), once.clone());
            prop_assert!(once.is_empty() || is_valid(&once), "{:?} -> {:?}", s, once);
        }

        #[test]
        fn heading_ids_are_never_empty(s in "\\PC{0,40}") {
            let id = heading_id(&s);
            prop_assert!(!id.is_empty());
            prop_assert!(!id.contains(char::is_whitespace));
        }
    }

    #[test]
    fn heading_ids() {
        assert_eq!(heading_id("Scope & limits"), "scope-limits");
        assert_eq!(heading_id("Закон"), "закон");
        assert_eq!(heading_id("!!!"), "section");
    }
}
