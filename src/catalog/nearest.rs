//! "Did you mean": the real operations nearest to a method and path that do not exist.
//!
//! Paths are compared as bags of words, weighted by rarity (a shared `wrapup` says more than a
//! shared `conversations`), with fuzzy word similarity (`wrap-up` ~ `wrapup`, `wrapupcode` ~
//! `wrapupcodes`), a few synonyms seen in real mistakes (`voice` ~ `calls`, `interactions` ~
//! `conversations`), and the words of an operation's permissions as weaker evidence (the participant
//! PATCH sets wrap-up: it requires `conversation:participant:wrapup`). The method, the path length and
//! the leading segments that line up adjust the score; removed and deprecated operations rank lower.
//! Media variants of one operation (`calls`, `emails`, ...) are capped at two in the first five
//! answers so that other kinds of answer are not crowded out.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::paths::{PathQuery, Segment, is_template_param};
use super::{Catalog, Operation};

/// Weight of the method agreeing.
const METHOD_WEIGHT: f64 = 2.0;
/// Per segment of length difference.
const LENGTH_PENALTY: f64 = 0.15;
/// Per candidate path word the query did not match.
const EXTRA_WORD_PENALTY: f64 = 0.1;
/// Per leading segment that lines up (same word, or parameter against parameter).
const ALIGN_BONUS: f64 = 0.3;
/// Permission words count for this fraction of a path word.
const PERMISSION_WORD_WEIGHT: f64 = 0.75;
/// At most this many variants of one operation (differing in one literal segment) lead the list.
const SIBLING_CAP: usize = 2;
/// How many leading answers the variant cap applies to.
const LEAD_WINDOW: usize = 5;

/// Word statistics over the catalog, built once on first use.
#[derive(Debug)]
pub(crate) struct Index {
    ops: Vec<OpWords>,
    /// Every distinct word of every operation (path and permission words), with its idf: a query
    /// word is compared with each once, not once per operation that has it (the catalog has a few
    /// thousand operations but far fewer words; comparing per operation cost about 10 ms a query).
    vocab: Vec<(String, f64)>,
}

#[derive(Debug)]
struct OpWords {
    /// Normalised segments; `None` for a parameter.
    segs: Vec<Option<String>>,
    /// Distinct path words.
    words: Vec<String>,
    /// Entity and action words of the permissions that are not path words.
    perm_words: Vec<String>,
    /// Indexes into `Index::vocab` of `words`, then of `perm_words`.
    word_ids: Vec<u32>,
    perm_ids: Vec<u32>,
}

/// Lowercase, alphanumerics only, a plural `s` dropped, synonyms mapped.
fn normalize(word: &str) -> String {
    let mut w: String = word
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if w.len() > 3 && w.ends_with('s') {
        w.pop();
    }
    match w.as_str() {
        "voice" | "phone" => "call".into(),
        "interaction" => "conversation".into(),
        "sms" => "message".into(),
        _ => w,
    }
}

fn op_words(op: &Operation) -> OpWords {
    let segs: Vec<Option<String>> = op
        .segments()
        .map(|s| (!is_template_param(s)).then(|| normalize(s)))
        .collect();
    let mut words: Vec<String> = segs.iter().flatten().cloned().collect();
    words.sort();
    words.dedup();
    let mut perm_words: Vec<String> = op
        .permissions
        .list
        .iter()
        .flat_map(|p| p.split(':').skip(1))
        .map(normalize)
        .filter(|w| !w.is_empty() && !words.contains(w))
        .collect();
    perm_words.sort();
    perm_words.dedup();
    OpWords {
        segs,
        words,
        perm_words,
        word_ids: Vec::new(),
        perm_ids: Vec::new(),
    }
}

/// The vocabulary ids of `words`, adding the words not seen yet (with their idf) to `vocab`.
fn intern<'o>(
    words: &'o [String],
    ids: &mut FxHashMap<&'o str, u32>,
    vocab: &mut Vec<(String, f64)>,
    idf: impl Fn(&str) -> f64,
) -> Vec<u32> {
    words
        .iter()
        .map(|word| {
            *ids.entry(word).or_insert_with(|| {
                vocab.push((word.clone(), idf(word)));
                (vocab.len() - 1) as u32
            })
        })
        .collect()
}

impl Index {
    fn build(catalog: &Catalog) -> Index {
        // Built on the first unknown endpoint, on the critical path of a run: the words of each
        // operation are independent, and the counting maps borrow them instead of copying each
        // word once per operation that has it (which was half the build).
        let mut ops: Vec<OpWords> = catalog.ops.par_iter().map(op_words).collect();
        let mut df: FxHashMap<&str, u32> = FxHashMap::default();
        let mut templates = 0u32;
        let mut prev: Option<&str> = None;
        for (op, w) in catalog.ops.iter().zip(&ops) {
            if prev == Some(op.path) {
                continue;
            }
            prev = Some(op.path);
            templates += 1;
            for word in &w.words {
                *df.entry(word).or_default() += 1;
            }
        }
        let n = f64::from(templates.max(1));
        // A word no template has (a permission word only) gets the idf of an unseen word.
        let unseen_idf = 1.0 + n.ln();
        let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut vocab: Vec<(String, f64)> = Vec::new();
        let idf = |word: &str| {
            df.get(word)
                .map_or(unseen_idf, |&d| 1.0 + (n / f64::from(d)).ln())
        };
        let word_ids: Vec<(Vec<u32>, Vec<u32>)> = ops
            .iter()
            .map(|w| {
                (
                    intern(&w.words, &mut ids, &mut vocab, idf),
                    intern(&w.perm_words, &mut ids, &mut vocab, idf),
                )
            })
            .collect();
        for (w, (word_ids, perm_ids)) in ops.iter_mut().zip(word_ids) {
            w.word_ids = word_ids;
            w.perm_ids = perm_ids;
        }
        Index { ops, vocab }
    }

    /// For one query word, `similarity(word, v) * idf(v)` for every vocabulary word `v`.
    fn weights(&self, query_word: &str) -> Vec<f64> {
        self.vocab
            .iter()
            .map(|(v, idf)| similarity(query_word, v) * idf)
            .collect()
    }
}

/// Similarity of two normalised words in 0..=1.
fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() >= 4 && b.len() >= 4 && (a.contains(b) || b.contains(a)) {
        return 0.5;
    }
    let s = strsim::normalized_levenshtein(a, b);
    if s >= 0.8 { s } else { 0.0 }
}

fn is_write(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
}

/// `weights[i]` holds [`Index::weights`] of the query's `i`-th literal word.
fn score(
    weights: &[Vec<f64>],
    method: &str,
    query: &[Option<String>],
    op: &Operation,
    w: &OpWords,
) -> Option<f64> {
    let mut words = 0.0;
    let mut matched: Vec<&str> = Vec::new();
    for table in weights {
        let mut best = 0.0;
        let mut best_word = None;
        for (c, &id) in w.words.iter().zip(&w.word_ids) {
            let v = table[id as usize];
            if v > best {
                best = v;
                best_word = Some(c.as_str());
            }
        }
        for &id in &w.perm_ids {
            let v = table[id as usize] * PERMISSION_WORD_WEIGHT;
            if v > best {
                best = v;
                best_word = None;
            }
        }
        words += best;
        matched.extend(best_word);
    }
    if words <= 0.0 {
        return None;
    }
    let mut s = words;
    s += if op.method == method {
        METHOD_WEIGHT
    } else if is_write(method) && is_write(op.method) {
        METHOD_WEIGHT / 3.0
    } else {
        -METHOD_WEIGHT
    };
    s -= LENGTH_PENALTY * query.len().abs_diff(w.segs.len()) as f64;
    s -= EXTRA_WORD_PENALTY
        * w.words
            .iter()
            .filter(|c| !matched.contains(&c.as_str()))
            .count() as f64;
    let aligned = query
        .iter()
        .zip(&w.segs)
        .take_while(|(a, b)| a == b)
        .count();
    s += ALIGN_BONUS * aligned as f64;
    if op.removed_in_sdk259 {
        s -= 3.0;
    }
    if op.deprecated {
        s -= 0.5;
    }
    Some(s)
}

/// Whether two operations are variants of one another: same method, and their paths differ in one
/// literal segment (`calls` vs `emails`) or by one inserted literal segment.
fn siblings(a: (&Operation, &OpWords), b: (&Operation, &OpWords)) -> bool {
    if a.0.method != b.0.method {
        return false;
    }
    let (x, y) = (&a.1.segs, &b.1.segs);
    if x.len() == y.len() {
        let diff: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
        return diff.len() == 1 && x[diff[0]].is_some() && y[diff[0]].is_some();
    }
    let (long, short) = if x.len() > y.len() { (x, y) } else { (y, x) };
    if long.len() != short.len() + 1 {
        return false;
    }
    (0..long.len()).any(|skip| {
        long[skip].is_some()
            && long
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, s)| s)
                .eq(short.iter())
    })
}

/// Normalised query segments; a path not under `/api/v2` is read as relative to it.
fn query_segments(path: &str) -> Vec<Option<String>> {
    let owned;
    let q = match PathQuery::parse(path) {
        Some(q) => q,
        None => {
            owned = format!("/api/v2/{}", path.trim().trim_start_matches('/'));
            PathQuery::parse(&owned).unwrap_or(PathQuery {
                segments: Vec::new(),
            })
        }
    };
    q.segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => Some(normalize(l)),
            Segment::Param => None,
        })
        .collect()
}

impl Catalog {
    pub(super) fn nearest_index(&self) -> &Index {
        self.nearest_index.get_or_init(|| Index::build(self))
    }

    /// Up to `n` real operations nearest to `method` and `path`, best first. Empty when no path word
    /// resembles anything in the catalog.
    pub fn nearest(&self, method: &str, path: &str, n: usize) -> Vec<&Operation> {
        let index = self.nearest_index();
        let method = method.trim().to_ascii_uppercase();
        let query = query_segments(path);
        let weights: Vec<Vec<f64>> = query.iter().flatten().map(|q| index.weights(q)).collect();
        let mut ranked: Vec<(f64, usize)> = self
            .ops
            .iter()
            .zip(&index.ops)
            .enumerate()
            .filter_map(|(i, (op, w))| score(&weights, &method, &query, op, w).map(|s| (s, i)))
            .collect();
        ranked.sort_by(|(sa, a), (sb, b)| {
            let (oa, ob) = (&self.ops[*a], &self.ops[*b]);
            sb.total_cmp(sa)
                .then(oa.path.len().cmp(&ob.path.len()))
                .then(a.cmp(b))
        });
        // The first LEAD_WINDOW answers hold at most SIBLING_CAP variants of one operation; after
        // that, plain rank order (so a long list still shows every variant).
        let lead = n.min(LEAD_WINDOW);
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        for &(_, i) in &ranked {
            if chosen.len() == lead {
                break;
            }
            let me = (&self.ops[i], &index.ops[i]);
            let kin = chosen
                .iter()
                .filter(|&&j| siblings(me, (&self.ops[j], &index.ops[j])))
                .count();
            if kin < SIBLING_CAP {
                chosen.push(i);
            }
        }
        let rest: Vec<usize> = ranked
            .iter()
            .map(|&(_, i)| i)
            .filter(|i| !chosen.contains(i))
            .take(n - chosen.len())
            .collect();
        chosen.extend(rest);
        chosen.into_iter().map(|i| &self.ops[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLS_WRAPUP: &str = "POST /api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup";
    const PARTICIPANT_PATCH: &str =
        "PATCH /api/v2/conversations/{conversationId}/participants/{participantId}";

    fn top(method: &str, path: &str, n: usize) -> Vec<String> {
        Catalog::get()
            .nearest(method, path, n)
            .iter()
            .map(|o| o.key())
            .collect()
    }

    fn assert_has(got: &[String], want: &str) {
        assert!(got.iter().any(|g| g == want), "{want} not in {got:#?}");
    }

    #[test]
    fn wrap_up_on_the_conversation() {
        let got = top("POST", "/api/v2/conversations/{id}/wrap-up", 5);
        assert_eq!(got[0], CALLS_WRAPUP, "{got:#?}");
        assert_has(&got, PARTICIPANT_PATCH);
    }

    #[test]
    fn voice_is_calls() {
        let got = top("POST", "/api/v2/conversations/voice/{id}/wrapup", 5);
        assert_eq!(got[0], CALLS_WRAPUP, "{got:#?}");
        assert!(
            got.iter()
                .any(|g| g.starts_with("PATCH ") && g.ends_with("/participants/{participantId}")),
            "no participant PATCH in {got:#?}"
        );
    }

    #[test]
    fn conversation_wrapupcodes_offers_routing_wrapupcodes() {
        let got = top("GET", "/api/v2/conversations/wrapupcodes", 5);
        assert_has(&got, "GET /api/v2/routing/wrapupcodes");
    }

    #[test]
    fn patch_conversation_offers_participant_patch() {
        let got = top("PATCH", "/api/v2/conversations/{id}", 10);
        assert_has(&got, PARTICIPANT_PATCH);
    }

    #[test]
    fn interactions_are_conversations() {
        for path in [
            "/api/v2/interactions/interactions/{id}",
            "/api/v2/interactions/{id}/actions",
        ] {
            let got = top("PATCH", path, 5);
            assert!(!got.is_empty(), "{path}");
            assert!(
                got[0].starts_with("PATCH /api/v2/conversations/"),
                "{path}: {got:#?}"
            );
        }
    }

    #[test]
    fn typo_in_a_real_path() {
        let got = top("GET", "/api/v2/routing/queue/{id}/wrapupcode", 3);
        assert_eq!(got[0], "GET /api/v2/routing/queues/{queueId}/wrapupcodes");
    }

    #[test]
    fn variants_do_not_crowd_out_other_answers() {
        let got = top("POST", "/api/v2/conversations/{id}/wrap-up", 5);
        let wrapups = got
            .iter()
            .filter(|g| g.starts_with("POST") && g.ends_with("/wrapup"))
            .count();
        assert_eq!(wrapups, SIBLING_CAP, "{got:#?}");
        // Asking for more still yields the other variants.
        let many = top("POST", "/api/v2/conversations/{id}/wrap-up", 30);
        assert!(
            many.iter()
                .filter(|g| g.starts_with("POST") && g.ends_with("/wrapup"))
                .count()
                > 5
        );
    }

    #[test]
    fn nothing_for_gibberish() {
        assert!(top("GET", "/api/v2/qqqqqq/zzzzzzzz", 5).is_empty());
    }
}
