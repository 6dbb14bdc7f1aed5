//! Subscription patterns: Python's `fnmatch.fnmatchcase` on whole event types.
//!
//! `*` matches any run of characters (dots included), `?` one character,
//! `[abc]` / `[a-z]` a set and `[!abc]` its complement. There is no escape
//! character. Matching runs in O(pattern × text) time: every token but `*`
//! consumes exactly one character, so one backtrack point (the last star)
//! is enough.

use crate::prelude::*;

use super::error::{concat, decimal, Error, Result};

/// Longest pattern accepted, in characters.
pub const MAX_PATTERN_LEN: usize = 256;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Char(char),
    /// `?`
    Any,
    /// `*` (consecutive stars are folded into one)
    Star,
    /// `[...]`: inclusive ranges; a single member `c` is stored as `(c, c)`.
    Set {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Token {
    fn accepts(&self, c: char) -> bool {
        match self {
            Token::Char(want) => *want == c,
            Token::Any => true,
            Token::Star => false, // handled by the matcher
            Token::Set { negated, ranges } => ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated,
        }
    }
}

/// A compiled fnmatch pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    tokens: Vec<Token>,
    /// The text every match starts with (up to the first wildcard).
    prefix: String,
    /// Whether `prefix` is the one string the pattern matches (no wildcard).
    literal: bool,
}

impl Pattern {
    /// Compiles `source`. Refuses (RangeError) an empty pattern or one longer
    /// than [`MAX_PATTERN_LEN`] characters; the message leaves the argument
    /// name to the caller ("must not be empty").
    pub fn new(source: &str) -> Result<Pattern> {
        if source.is_empty() {
            return Err(Error::range("must not be empty"));
        }
        if super::args::char_count(source) > MAX_PATTERN_LEN {
            return Err(Error::range(concat(&[
                "must be at most ",
                &decimal(MAX_PATTERN_LEN as u64),
                " characters long",
            ])));
        }
        let tokens = compile(&source.chars().collect::<Vec<_>>());
        // The tokens up to the first that does not stand for exactly one character.
        let mut prefix = String::new();
        let mut literal = true;
        for t in &tokens {
            match t {
                Token::Char(c) => prefix.push(*c),
                Token::Set { negated: false, ranges } if ranges.len() == 1 && ranges[0].0 == ranges[0].1 => {
                    prefix.push(ranges[0].0)
                }
                _ => {
                    literal = false;
                    break;
                }
            }
        }
        Ok(Pattern { source: source.to_owned(), tokens, prefix, literal })
    }

    /// The text every string the pattern matches starts with.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `text` matches (case-sensitive).
    pub fn matches(&self, text: &str) -> bool {
        if self.literal {
            return self.prefix == text;
        }
        let tokens = &self.tokens;
        let (mut p, mut t) = (0, 0); // token index, byte offset in text
                                     // After the last star seen: the token after it, and where in the text
                                     // its match was last tried from.
        let mut restart: Option<(usize, usize)> = None;
        loop {
            let next = text.get(t..).and_then(|rest| rest.chars().next());
            match (tokens.get(p), next) {
                (Some(Token::Star), _) => {
                    p += 1;
                    restart = Some((p, t));
                }
                (Some(tok), Some(c)) if tok.accepts(c) => {
                    p += 1;
                    t += c.len_utf8();
                }
                (None, None) => return true,
                _ => {
                    // Mismatch: let the last star swallow one more character.
                    let Some((rp, rt)) = restart else {
                        return false;
                    };
                    let Some(c) = text.get(rt..).and_then(|rest| rest.chars().next()) else {
                        return false;
                    };
                    let rt = rt + c.len_utf8();
                    restart = Some((rp, rt));
                    p = rp;
                    t = rt;
                }
            }
        }
    }

    /// `Some(text)` when the pattern matches exactly one string (no wildcard),
    /// so a bus can route it with a map lookup.
    pub fn literal(&self) -> Option<&str> {
        self.literal.then_some(&*self.prefix)
    }
}

/// Translates a pattern the way `fnmatch.translate` does.
fn compile(pat: &[char]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < pat.len() {
        let c = pat[i];
        i += 1;
        match c {
            '*' => {
                if tokens.last() != Some(&Token::Star) {
                    tokens.push(Token::Star);
                }
            }
            '?' => tokens.push(Token::Any),
            '[' => match bracket_end(pat, i) {
                Some(j) => {
                    tokens.push(set(&pat[i..j]));
                    i = j + 1;
                }
                None => tokens.push(Token::Char('[')), // unclosed: a literal '['
            },
            _ => tokens.push(Token::Char(c)),
        }
    }
    tokens
}

/// Index of the `]` closing a set whose body starts at `start`: a `]` right
/// after `[` or `[!` is a member, not the end.
fn bracket_end(pat: &[char], start: usize) -> Option<usize> {
    let mut j = start;
    if pat.get(j) == Some(&'!') {
        j += 1;
    }
    if pat.get(j) == Some(&']') {
        j += 1;
    }
    (j..pat.len()).find(|&k| pat[k] == ']')
}

/// Builds a set from its body (between `[` and `]`) the way CPython's
/// `fnmatch.translate` does: split the body into chunks at range hyphens,
/// drop reversed ranges (they match nothing, ends included), and join the
/// chunks with ranges again; any other hyphen is a literal member.
///
/// The chunks are kept in one list, members as `Some` and the range hyphens
/// between chunks as `None`: dropping a reversed range removes its two ends
/// and the hyphen between them.
fn set(body: &[char]) -> Token {
    // A hyphen is a range hyphen unless it comes first (after an optional
    // '!') or right after a range's upper end.
    let mut items: Vec<Option<char>> = Vec::with_capacity(body.len());
    let mut next_range = if body.first() == Some(&'!') { 2 } else { 1 };
    for (h, &c) in body.iter().enumerate() {
        if c == '-' && h >= next_range {
            items.push(None);
            next_range = h + 3;
        } else {
            items.push(Some(c));
        }
    }
    // A trailing hyphen is a literal member.
    if let Some(last @ None) = items.last_mut() {
        *last = Some('-');
    }
    // Last range first, as CPython drops them.
    let mut at = items.len();
    while at > 1 {
        at -= 1;
        if let (Some(Some(lo)), None, Some(Some(hi))) = (items.get(at - 1), items[at], items.get(at + 1)) {
            if lo > hi {
                items.drain(at - 1..at + 2);
                at -= 1;
            }
        }
    }
    // CPython looks for the '!' only now, so one uncovered by a dropped range
    // (as in `[a-Z!x]`) negates the set too.
    let negated = items.first() == Some(&Some('!'));
    // Read `chunk-chunk-chunk` back as a regex character class would.
    let mut ranges: Vec<(char, char)> = Vec::new();
    let mut after_member = false; // may the next hyphen start a range?
    let mut rest = items[negated as usize..].iter();
    while let Some(item) = rest.next() {
        match (item, ranges.last_mut(), rest.as_slice().first()) {
            (Some(c), ..) => {
                ranges.push((*c, *c));
                after_member = true;
            }
            // A range CPython would not have built (lo > hi) matches nothing.
            (None, Some(range), Some(Some(hi))) if after_member => {
                range.1 = *hi;
                rest.next();
                after_member = false;
            }
            (None, ..) => {
                ranges.push(('-', '-'));
                after_member = true;
            }
        }
    }
    Token::Set { negated, ranges }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;

    /// (pattern, text, expected). Every expectation is the result of Python's
    /// `fnmatch.fnmatchcase(text, pattern)` for the same strings.
    const PYTHON_FNMATCHCASE: &[(&str, &str, bool)] = &[
        // literal text, case-sensitive, regex metacharacters are plain
        ("system.startup", "system.startup", true),
        ("system.startup", "system.startupx", false),
        ("system.startup", "system", false),
        ("System.*", "system.startup", false),
        ("a.b", "axb", false),
        ("a+b", "a+b", true),
        ("(x)|y", "(x)|y", true),
        ("a$", "a$", true),
        ("{a,b}", "a", false),
        // *
        ("system.*", "system.startup", true),
        ("system.*", "system.", true),
        ("system.*", "system", false),
        ("*", "", true),
        ("*", "any.thing.at.all", true),
        ("*.error", "module.load.error", true),
        ("user.*.created", "user.a.b.created", true),
        ("a*b*c", "abc", true),
        ("a*b*c", "acb", false),
        ("**", "x", true),
        ("*a", "bab", false),
        ("*a", "ab", false),
        ("a*", "a", true),
        ("*", "a\nb", true),
        // ?
        ("?", "é", true),
        ("?", "😀", true),
        ("??", "😀", false),
        ("?", "", false),
        ("module.?", "module.a", true),
        ("module.?", "module.ab", false),
        ("a?b", "a\nb", true),
        // sets and ranges
        ("[abc]", "b", true),
        ("[abc]", "d", false),
        ("[a-c]x", "bx", true),
        ("[a-c]x", "dx", false),
        ("[à-ü]", "é", true),
        ("[😀-😂]", "😁", true),
        ("[!abc]", "d", true),
        ("[!abc]", "a", false),
        ("[!abc]", "", false),
        ("[!a-c]x", "bx", false),
        // ']' first is a member; '^' is not negation
        ("[]]", "]", true),
        ("[]a]", "a", true),
        ("[!]]", "]", false),
        ("[!]]", "x", true),
        ("[^a]", "^", true),
        ("[^a]", "b", false),
        // hyphens at the edges are members
        ("[a-]", "-", true),
        ("[-a]", "-", true),
        ("[!-a]", "-", false),
        ("[!-a]", "b", true),
        ("[a-c-e]", "-", true),
        ("[a-c-e]", "d", false),
        // reversed ranges match nothing
        ("[z-a]", "m", false),
        ("[z-a]", "z", false),
        ("[z-a]", "a", false),
        ("[z-ax]", "x", true),
        ("[!z-a]", "m", true),
        ("[a--]", "-", false),
        ("[a-Z!x]", "y", true),
        ("[a-Z!x]", "x", false),
        // an unclosed '[' is a literal
        ("[", "[", true),
        ("a[b", "a[b", true),
        ("[!", "[!", true),
        ("[]", "[]", true),
        ("[!]", "[!]", true),
        ("[a-", "[a-", true),
        ("[a-", "a", false),
        // no escape character
        ("\\*", "\\x", true),
        ("\\*", "*", false),
        ("[\\]", "\\", true),
        ("\\?", "\\a", true),
    ];

    /// The bracket parser as first written (chunks as separate lists), kept to
    /// check the compact one against. Builds a set from its body (between `[` and `]`) the way CPython's
    /// `fnmatch.translate` does: split the body into chunks at range hyphens,
    /// drop reversed ranges (they match nothing, ends included), and join the
    /// chunks with ranges again; any other hyphen is a literal member.
    fn reference_set(body: &[char]) -> Token {
        // A hyphen is a range hyphen unless it comes first (after an optional
        // '!') or right after a range's upper end.
        let mut chunks: Vec<Vec<char>> = Vec::new();
        let (mut from, mut k) = (0, if body.first() == Some(&'!') { 2 } else { 1 });
        while let Some(h) = (k..body.len()).find(|&h| body[h] == '-') {
            chunks.push(body[from..h].to_vec());
            from = h + 1;
            k = h + 3;
        }
        let rest = body.get(from..).unwrap_or_default();
        match chunks.last_mut() {
            // A trailing hyphen is a literal member.
            Some(last) if rest.is_empty() => last.push('-'),
            _ => chunks.push(rest.to_vec()),
        }
        for k in (1..chunks.len()).rev() {
            if let (Some(&lo), Some(&hi)) = (chunks[k - 1].last(), chunks[k].first()) {
                if lo > hi {
                    let next = chunks.remove(k);
                    chunks[k - 1].pop();
                    chunks[k - 1].extend_from_slice(next.get(1..).unwrap_or_default());
                }
            }
        }
        // CPython looks for the '!' only now, so one uncovered by a dropped range
        // (as in `[a-Z!x]`) negates the set too.
        let mut negated = false;
        if let Some(first) = chunks.first_mut() {
            if first.first() == Some(&'!') {
                first.remove(0);
                negated = true;
            }
        }
        // Read `chunk-chunk-chunk` back as a regex character class would.
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut after_member = false; // may the next hyphen start a range?
        for (n, chunk) in chunks.iter().enumerate() {
            let mut members = chunk.as_slice();
            if n > 0 {
                match (ranges.last().copied(), members.split_first()) {
                    (Some((lo, _)), Some((&hi, tail))) if after_member => {
                        // A range CPython would not have built (lo > hi) matches nothing.
                        ranges.pop();
                        ranges.push((lo, hi));
                        members = tail;
                        after_member = false;
                    }
                    _ => {
                        ranges.push(('-', '-'));
                        after_member = true;
                    }
                }
            }
            for &c in members {
                ranges.push((c, c));
                after_member = true;
            }
        }
        Token::Set { negated, ranges }
    }

    /// Every body of up to 7 characters drawn from the characters that steer
    /// the parser gives the same set as the reference.
    #[test]
    fn bracket_parser_agrees_with_reference() {
        let alphabet = ['!', '-', ']', 'a', 'b', 'Z'];
        let mut body = Vec::new();
        for len in 0..=7u32 {
            for mut n in 0..alphabet.len().pow(len) {
                body.clear();
                for _ in 0..len {
                    body.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(set(&body), reference_set(&body), "{:?}", body.iter().collect::<String>());
            }
        }
    }

    #[test]
    fn agrees_with_python_fnmatchcase() {
        for &(pattern, text, expected) in PYTHON_FNMATCHCASE {
            let compiled = Pattern::new(pattern).unwrap();
            assert_eq!(compiled.matches(text), expected, "{pattern:?} against {text:?}");
        }
    }

    #[test]
    fn refuses_empty_and_overlong_patterns() {
        let err = Pattern::new("").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Range);
        assert_eq!(err.message, "must not be empty");
        assert!(Pattern::new(&"é".repeat(MAX_PATTERN_LEN)).is_ok());
        let err = Pattern::new(&"a".repeat(MAX_PATTERN_LEN + 1)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Range);
        assert_eq!(err.message, format!("must be at most {MAX_PATTERN_LEN} characters long"));
    }

    #[test]
    fn keeps_its_source() {
        assert_eq!(Pattern::new("user.[!x]*").unwrap().as_str(), "user.[!x]*");
    }

    #[test]
    fn reports_literals_for_fast_routing() {
        let literal = |p: &str| Pattern::new(p).unwrap().literal().map(str::to_owned);
        assert_eq!(literal("system.startup").as_deref(), Some("system.startup"));
        assert_eq!(literal("a[b]c").as_deref(), Some("abc"));
        assert_eq!(literal("a[b").as_deref(), Some("a[b"));
        assert_eq!(literal("a[]]").as_deref(), Some("a]"));
        for wild in ["a*", "a?", "[ab]", "[!a]", "[a-b]", "[z-a]"] {
            assert_eq!(literal(wild), None, "{wild}");
        }
    }

    #[test]
    fn has_no_exponential_backtracking() {
        let text = "a".repeat(10_000);
        let start = std::time::Instant::now();
        assert!(!Pattern::new("a*a*a*a*a*a*b").unwrap().matches(&text));
        assert!(Pattern::new("*a*a*a*a*a*a").unwrap().matches(&text));
        assert!(!Pattern::new(&"*a".repeat(100)).unwrap().matches(&format!("{text}b")));
        // Generous bound: the quadratic worst case is a few milliseconds.
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}
