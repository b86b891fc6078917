//! `genesyscloud_flow.substitutions`, applied as the provider applies them, with a map back to the
//! original YAML.
//!
//! The provider (`genesyscloud/util/files/util_files.go`, `S3Uploader.substituteValues`) replaces,
//! for each map entry `k = v`, every occurrence of the exact text `{{k}}` with `v`
//! (`strings.Replace(content, "{{k}}", v, -1)`). So: case-sensitive, no whitespace inside the
//! braces (`{{ k }}` is left alone), and `${k}` is never touched. The provider walks a Go map, whose
//! order is random, and replaces sequentially; a value that itself contains `{{other}}` may or may
//! not be substituted again depending on that order. We substitute in one left-to-right pass and
//! never re-scan inserted values, which equals the provider's result whenever its result is
//! deterministic.
//!
//! A substitution whose value is not known statically (a Terraform unknown) leaves its placeholders
//! "dynamic": the placeholder is replaced by underscores of the same length, which is neutral in any
//! YAML scalar style, and [`Substituted::is_dynamic`] reports the region.

use std::collections::HashMap;
use std::ops::Range;

use crate::source::Span;

/// The value of one entry of `substitutions`, as evaluated from the `.tf` file.
#[derive(Debug, Clone, PartialEq)]
pub struct SubValue {
    /// The string value; `None` when it is unknown statically.
    pub value: Option<String>,
    /// Where the value is written in the `.tf` file (the expression after `k =`).
    pub span: Span,
}

impl SubValue {
    /// A statically known value.
    pub fn known(value: impl Into<String>, span: Span) -> Self {
        SubValue {
            value: Some(value.into()),
            span,
        }
    }

    /// A value that is unknown statically.
    pub fn unknown(span: Span) -> Self {
        SubValue { value: None, span }
    }
}

/// A `{{x}}` placeholder in the YAML that no substitution replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingPlaceholder {
    /// The name between the braces, trimmed.
    pub name: String,
    /// The whole placeholder, braces included, in the original YAML.
    pub range: Range<usize>,
    /// A substitution this was probably meant to use: its key equals the name ignoring case, or
    /// the placeholder has spaces inside the braces (which the provider does not accept).
    pub likely: Option<usize>,
}

/// A `${x}` in the YAML where `x` is a substitution key: the provider does not substitute it, so
/// `{{x}}` was probably meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DollarMistake {
    /// Index of the substitution whose key matches.
    pub sub: usize,
    /// The whole `${x}` in the original YAML.
    pub range: Range<usize>,
}

/// One placeholder that was replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// Index of the substitution.
    pub sub: usize,
    /// The placeholder `{{k}}` in the original YAML.
    pub range: Range<usize>,
}

/// Where a byte of the substituted text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Byte offset in the original YAML (the placeholder's start for a byte inside a value).
    pub offset: usize,
    /// The substitution whose value holds this byte, if any.
    pub sub: Option<usize>,
}

/// A run of the substituted text: copied verbatim, or the value of one placeholder.
#[derive(Debug, Clone, Copy)]
struct Segment {
    new_start: usize,
    new_len: usize,
    orig_start: usize,
    orig_len: usize,
    /// `None` for verbatim text; the substitution index for a replaced placeholder.
    sub: Option<usize>,
    /// The substitution's value is unknown: this run is neutral filler.
    dynamic: bool,
}

/// The YAML after substitution, with everything needed to map positions back.
#[derive(Debug, Clone)]
pub struct Substituted {
    /// The text the provider would upload.
    pub text: String,
    segments: Vec<Segment>,
    orig_len: usize,
    /// Every placeholder replaced, in document order.
    pub uses: Vec<Use>,
    /// `{{x}}` placeholders left in the text.
    pub missing: Vec<MissingPlaceholder>,
    /// Indexes of substitutions the YAML never uses, ascending.
    pub unused: Vec<usize>,
    /// `${x}` written where `{{x}}` was probably meant.
    pub dollar_mistakes: Vec<DollarMistake>,
}

/// Longest name we consider in a `{{...}}` we report as missing: anything longer is not a
/// placeholder someone wrote by hand.
const MAX_PLACEHOLDER_NAME: usize = 128;

/// The substitutions a `substitutions` map that is not known before apply (`substitutions =
/// var.flow_subs`, with no value) may hold, for `text`: one of unknown value for each distinct
/// placeholder written exactly `{{name}}`, which some key of the map may replace, all with the
/// map's `span`. A placeholder written otherwise (`{{ name }}`) gets none: no key the map could
/// hold replaces it, so it stays missing.
pub fn unknown_substitutions(text: &str, span: Span) -> Vec<(String, SubValue)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for m in substitute(text, &[]).missing {
        let exact = text[m.range.clone()].len() == m.name.len() + 4;
        if exact && seen.insert(m.name.clone()) {
            out.push((m.name, SubValue::unknown(span)));
        }
    }
    out
}

/// Apply `subs` to `text` exactly as the provider does (see the module docs).
pub fn substitute(text: &str, subs: &[(String, SubValue)]) -> Substituted {
    // The first entry wins for a duplicated key (Terraform map keys are unique anyway).
    let mut by_key: HashMap<&str, usize> = HashMap::with_capacity(subs.len());
    for (i, (k, _)) in subs.iter().enumerate() {
        by_key.entry(k.as_str()).or_insert(i);
    }

    // The longest key bounds how far a `{{` can be from its `}}`: searching further would make
    // hostile input (`{{{{...` with no closing braces) quadratic.
    let max_key = subs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut segments = Vec::new();
    let mut uses = Vec::new();
    let mut missing = Vec::new();
    let mut dollar_mistakes = Vec::new();
    let mut used = vec![false; subs.len()];

    let mut verbatim_from = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'{' {
            if let Some((sub, end)) = match_placeholder(text, i, max_key, &by_key) {
                push_verbatim(&mut segments, &mut out, text, verbatim_from, i);
                let orig_len = end - i;
                let new_start = out.len();
                let dynamic = match &subs[sub].1.value {
                    Some(v) => {
                        out.push_str(v);
                        false
                    }
                    None => {
                        out.extend(std::iter::repeat_n('_', orig_len));
                        true
                    }
                };
                segments.push(Segment {
                    new_start,
                    new_len: out.len() - new_start,
                    orig_start: i,
                    orig_len,
                    sub: Some(sub),
                    dynamic,
                });
                uses.push(Use { sub, range: i..end });
                used[sub] = true;
                i = end;
                verbatim_from = end;
                continue;
            }
            if let Some(m) = missing_placeholder(text, i, subs) {
                let next = m.range.end;
                missing.push(m);
                // Skip past it: its inner text cannot start another placeholder.
                i = next;
                continue;
            }
        } else if bytes[i] == b'$' && bytes[i + 1] == b'{' {
            if let Some(close) = find_within(bytes, i + 2, b"}", max_key) {
                if let Some(&sub) = by_key.get(&text[i + 2..close]) {
                    dollar_mistakes.push(DollarMistake {
                        sub,
                        range: i..close + 1,
                    });
                }
            }
        }
        i += 1;
    }
    push_verbatim(&mut segments, &mut out, text, verbatim_from, text.len());

    let unused = used
        .iter()
        .enumerate()
        .filter(|(_, u)| !**u)
        .map(|(i, _)| i)
        .collect();
    Substituted {
        text: out,
        segments,
        orig_len: text.len(),
        uses,
        missing,
        unused,
        dollar_mistakes,
    }
}

/// How long [`substitute`] would make `text`, without making it: a thousand placeholders for a
/// value of megabytes are gigabytes. Also the first placeholder (its range in `text`) that
/// takes the text past `limit` bytes, if one does.
pub fn substituted_len(
    text: &str,
    subs: &[(String, SubValue)],
    limit: usize,
) -> (usize, Option<Range<usize>>) {
    let mut by_key: HashMap<&str, usize> = HashMap::with_capacity(subs.len());
    for (i, (k, _)) in subs.iter().enumerate() {
        by_key.entry(k.as_str()).or_insert(i);
    }
    let max_key = subs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let bytes = text.as_bytes();
    let mut len = text.len();
    let mut past = None;
    let mut i = 0;
    // As `substitute` scans: a `{{` that is no placeholder of a substitution holds no other
    // (what it skips past a missing placeholder has no brace), so it moves on by a byte.
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'{' {
            if let Some((sub, end)) = match_placeholder(text, i, max_key, &by_key) {
                let written = subs[sub].1.value.as_ref().map_or(end - i, String::len);
                len = len - (end - i) + written;
                if len > limit && past.is_none() {
                    past = Some(i..end);
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    (len, past)
}

/// The substitution whose `{{key}}` starts at `at`, and where the placeholder ends.
fn match_placeholder(
    text: &str,
    at: usize,
    max_key: usize,
    by_key: &HashMap<&str, usize>,
) -> Option<(usize, usize)> {
    let inner_start = at + 2;
    let close = find_within(text.as_bytes(), inner_start, b"}}", max_key)?;
    by_key
        .get(&text[inner_start..close])
        .map(|&sub| (sub, close + 2))
}

/// The first `pat` at or after `from` that starts at most `max_gap` bytes after `from`.
fn find_within(hay: &[u8], from: usize, pat: &[u8], max_gap: usize) -> Option<usize> {
    let end = hay
        .len()
        .min(from.saturating_add(max_gap).saturating_add(pat.len()));
    let window = hay.get(from..end)?;
    window
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| from + p)
}

/// A `{{name}}` at `at` that looks like a hand-written placeholder (an identifier, possibly with
/// spaces around it) but matches no substitution.
fn missing_placeholder(
    text: &str,
    at: usize,
    subs: &[(String, SubValue)],
) -> Option<MissingPlaceholder> {
    let bytes = text.as_bytes();
    let inner_start = at + 2;
    // Scan only characters a placeholder can hold, so a run of braces or any other text stops
    // the scan at once (hostile input stays linear).
    let inner_len = bytes[inner_start..]
        .iter()
        .take(MAX_PLACEHOLDER_NAME + 1)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ' | b'\t'))
        .count();
    let close = inner_start + inner_len;
    if inner_len > MAX_PLACEHOLDER_NAME || bytes.get(close..close + 2) != Some(b"}}".as_slice()) {
        return None;
    }
    let inner = &text[inner_start..close];
    let name = inner.trim_matches([' ', '\t']);
    let first = name.bytes().next()?;
    if !(first.is_ascii_alphabetic() || first == b'_') || name.contains([' ', '\t']) {
        return None;
    }
    let spaced = name.len() != inner.len();
    let likely = subs
        .iter()
        .position(|(k, _)| k == name && spaced)
        .or_else(|| subs.iter().position(|(k, _)| k.eq_ignore_ascii_case(name)));
    Some(MissingPlaceholder {
        name: name.to_string(),
        range: at..close + 2,
        likely,
    })
}

fn push_verbatim(
    segments: &mut Vec<Segment>,
    out: &mut String,
    text: &str,
    from: usize,
    to: usize,
) {
    if to <= from {
        return;
    }
    segments.push(Segment {
        new_start: out.len(),
        new_len: to - from,
        orig_start: from,
        orig_len: to - from,
        sub: None,
        dynamic: false,
    });
    out.push_str(&text[from..to]);
}

impl Substituted {
    /// Where byte `pos` of the substituted text came from. Positions at or past the end map to
    /// the end of the original.
    pub fn origin(&self, pos: usize) -> Origin {
        match self.segment_at(pos) {
            Some(seg) if seg.sub.is_none() => Origin {
                offset: seg.orig_start + (pos - seg.new_start),
                sub: None,
            },
            Some(seg) => Origin {
                offset: seg.orig_start,
                sub: seg.sub,
            },
            None => Origin {
                offset: self.orig_len,
                sub: None,
            },
        }
    }

    /// Map a range of the substituted text to the original. A range that starts or ends inside a
    /// substituted value grows to cover the whole placeholder. Also returns the first substitution
    /// whose value the range touches (an empty value counts when it sits inside the range).
    pub fn map_range(&self, r: Range<usize>) -> (Range<usize>, Option<usize>) {
        // A placeholder replaced by "" occupies no byte of the new text; one sitting at either
        // end of the range belongs to it (`name: "{{q}}"` with `q = ""` maps to `{{q}}`).
        let empty_at = |pos: usize| {
            self.overlapping(pos..pos)
                .filter(move |s| s.new_len == 0 && s.new_start == pos)
        };
        let start = match empty_at(r.start).next() {
            Some(seg) => seg.orig_start,
            None => self.origin(r.start).offset,
        };
        let end = if let Some(seg) = empty_at(r.end).last() {
            seg.orig_start + seg.orig_len
        } else if r.end > r.start {
            match self.segment_at(r.end - 1) {
                Some(seg) if seg.sub.is_none() => seg.orig_start + (r.end - seg.new_start),
                Some(seg) => seg.orig_start + seg.orig_len,
                None => self.orig_len,
            }
        } else {
            start
        };
        let sub = self.overlapping(r).find_map(|s| s.sub);
        (start..end.max(start), sub)
    }

    /// Where original byte `orig` landed in the substituted text (for a byte inside a replaced
    /// placeholder: the start of its value).
    pub fn to_new(&self, orig: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.orig_start <= orig);
        match idx.checked_sub(1).map(|i| &self.segments[i]) {
            Some(seg) if seg.sub.is_none() => {
                seg.new_start + (orig - seg.orig_start).min(seg.new_len)
            }
            Some(seg) => seg.new_start,
            None => 0,
        }
    }

    /// Whether the range touches a placeholder whose substitution value is unknown.
    pub fn is_dynamic(&self, r: Range<usize>) -> bool {
        self.overlapping(r).any(|s| s.dynamic)
    }

    fn overlapping(&self, r: Range<usize>) -> impl Iterator<Item = &Segment> + '_ {
        let (a, b) = (r.start, r.end);
        // Segments are sorted by `new_start`; start from the first that can overlap.
        let first = self
            .segments
            .partition_point(|s| s.new_start + s.new_len < a);
        self.segments[first..]
            .iter()
            .take_while(move |s| s.new_start <= b)
            .filter(move |s| {
                let (s0, s1) = (s.new_start, s.new_start + s.new_len);
                if s.new_len == 0 {
                    a <= s0 && s0 <= b
                } else {
                    s0 < b.max(a + 1) && a < s1
                }
            })
    }

    fn segment_at(&self, pos: usize) -> Option<&Segment> {
        // Segments tile the text; the last non-empty one starting at or before `pos` is the only
        // candidate (empty ones, from empty values, hold no byte).
        let idx = self.segments.partition_point(|s| s.new_start <= pos);
        let seg = self.segments[..idx].iter().rev().find(|s| s.new_len > 0)?;
        (pos < seg.new_start + seg.new_len).then_some(seg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    /// [`substituted_len`] agrees with what [`substitute`] makes.
    fn same_len(text: &str, subs: &[(String, SubValue)]) -> super::Substituted {
        let r = substitute(text, subs);
        assert_eq!(
            substituted_len(text, subs, usize::MAX),
            (r.text.len(), None),
            "{text}"
        );
        r
    }

    fn sp(a: usize, b: usize) -> Span {
        Span::new(FileId(9), a..b)
    }

    fn subs(pairs: &[(&str, Option<&str>)]) -> Vec<(String, SubValue)> {
        pairs
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let span = sp(i * 10, i * 10 + 5);
                let val = match v {
                    Some(v) => SubValue::known(*v, span),
                    None => SubValue::unknown(span),
                };
                (k.to_string(), val)
            })
            .collect()
    }

    #[test]
    fn replaces_exact_placeholders_only() {
        let s = subs(&[("q", Some("Support")), ("Q", Some("Other"))]);
        let r = same_len("a {{q}} b {{ q }} c ${q} d {{Q}} e {{q}}", &s);
        assert_eq!(r.text, "a Support b {{ q }} c ${q} d Other e Support");
        assert_eq!(r.uses.len(), 3);
        assert!(r.unused.is_empty());
        // `{{ q }}` is not substituted: reported, with `q` as the likely intent.
        assert_eq!(r.missing.len(), 1);
        assert_eq!(r.missing[0].name, "q");
        assert_eq!(r.missing[0].likely, Some(0));
        assert_eq!(r.missing[0].range, 10..17);
        assert_eq!(
            r.dollar_mistakes,
            vec![DollarMistake {
                sub: 0,
                range: 20..24
            }]
        );
    }

    #[test]
    fn reports_unused_and_missing() {
        let s = subs(&[("used", Some("x")), ("never", Some("y"))]);
        let r = same_len("{{used}} {{nope}} {{Used}}", &s);
        assert_eq!(r.unused, vec![1]);
        let names: Vec<_> = r
            .missing
            .iter()
            .map(|m| (m.name.as_str(), m.likely))
            .collect();
        assert_eq!(names, vec![("nope", None), ("Used", Some(0))]);
    }

    #[test]
    fn ignores_braces_that_are_not_placeholders() {
        let r = same_len("x: {{1, 2}} y: {{}} z: {{a b}} w: {a: {b: c}}", &[]);
        assert!(r.missing.is_empty(), "{:?}", r.missing);
        assert_eq!(r.text, "x: {{1, 2}} y: {{}} z: {{a b}} w: {a: {b: c}}");
    }

    #[test]
    fn inserted_values_are_not_rescanned() {
        let s = subs(&[("a", Some("{{b}}")), ("b", Some("B"))]);
        let r = same_len("{{a}} {{b}}", &s);
        assert_eq!(r.text, "{{b}} B");
        assert!(r.missing.is_empty());
    }

    #[test]
    fn placeholder_found_after_extra_brace() {
        let s = subs(&[("a", Some("A"))]);
        assert_eq!(same_len("{{{a}}}", &s).text, "{A}");
    }

    #[test]
    fn maps_positions_back() {
        let s = subs(&[("name", Some("Customer Care"))]);
        let orig = "n: \"{{name}} Q\"\nz: 1";
        let r = same_len(orig, &s);
        assert_eq!(r.text, "n: \"Customer Care Q\"\nz: 1");
        // Verbatim text maps one to one.
        let z = r.text.find('z').unwrap_or(0);
        assert_eq!(
            r.origin(z),
            Origin {
                offset: orig.find('z').unwrap_or(1),
                sub: None
            }
        );
        // Inside the value: the placeholder's start, and which substitution.
        assert_eq!(
            r.origin(8),
            Origin {
                offset: 4,
                sub: Some(0)
            }
        );
        // The whole value maps to the whole placeholder.
        let (range, sub) = r.map_range(4..17);
        assert_eq!(&orig[range], "{{name}}");
        assert_eq!(sub, Some(0));
        // A range covering the value and more text grows to whole placeholders.
        let (range, _) = r.map_range(10..19);
        assert_eq!(&orig[range], "{{name}} Q");
        // A range outside any value has no substitution.
        assert_eq!(r.map_range(0..1), (0..1, None));
        // The end of the text maps to the end of the original.
        assert_eq!(r.origin(r.text.len()).offset, orig.len());
    }

    #[test]
    fn unknown_values_are_dynamic_filler() {
        let s = subs(&[("q", None)]);
        let orig = "name: \"{{q}}\"";
        let r = same_len(orig, &s);
        assert_eq!(r.text, "name: \"_____\"");
        assert!(r.is_dynamic(7..12));
        assert!(!r.is_dynamic(0..4));
        assert_eq!(r.map_range(7..12), (7..12, Some(0)));
    }

    #[test]
    fn empty_value_is_still_attributed() {
        let s = subs(&[("q", Some(""))]);
        let orig = "name: \"{{q}}\"";
        let r = same_len(orig, &s);
        assert_eq!(r.text, "name: \"\"");
        let (range, sub) = r.map_range(7..7);
        assert_eq!((&orig[range], sub), ("{{q}}", Some(0)));
    }

    #[test]
    fn multibyte_text_is_safe() {
        let s = subs(&[("n", Some("é"))]);
        let r = same_len("é {{n}} ü ${n} {{", &s);
        assert_eq!(r.text, "é é ü ${n} {{");
        assert_eq!(r.dollar_mistakes.len(), 1);
        for p in 0..=r.text.len() {
            let _ = r.origin(p);
        }
    }

    #[test]
    fn an_unknown_map_may_replace_every_exact_placeholder_and_no_spaced_one() {
        let text = "name: \"{{flow_name}}\"\nq: \"{{queue}}\"\nagain: \"{{queue}}\"\nspaced: \"{{ code }}\"\n";
        let subs = unknown_substitutions(text, sp(1, 2));
        let names: Vec<&str> = subs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["flow_name", "queue"]);
        assert!(
            subs.iter()
                .all(|(_, v)| v.value.is_none() && v.span == sp(1, 2))
        );
        let r = same_len(text, &subs);
        assert!(r.unused.is_empty());
        let missing: Vec<&str> = r.missing.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(missing, ["code"]);
    }
}
