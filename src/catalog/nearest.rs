//! "Did you mean": the real operations nearest to a method and path that do not exist.
//!
//! Paths are compared as bags of words, weighted by rarity (a shared `wrapup` says more than a
//! shared `conversations`), with fuzzy word similarity (`wrap-up` ~ `wrapup`, `wrapupcode` ~
//! `wrapupcodes`), a few synonyms seen in real mistakes (`voice` ~ `calls`, `interactions` ~
//! `conversations`), and the words of an operation's permissions as weaker evidence (the participant
//! PATCH sets wrap-up: it requires `conversation:participant:wrapup`). The method, the path length and
//! the leading segments that line up adjust the score; removed and deprecated operations rank lower.
//! A path that a real one continues, ending as the query does (`PATCH /conversations/{id}` for
//! `.../{conversationId}/participants/{participantId}`), is a path written short and bears no
//! length penalty.
//! Media variants of one operation (`calls`, `emails`, ...) are capped at two in the first five
//! answers so that other kinds of answer are not crowded out.

use super::paths::{PathQuery, Segment};
use super::tables::{NONE, normalize};
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
/// The most segments a candidate may add to the query and still count as continuing it (a word
/// and a parameter: `participants/{participantId}`).
const MAX_EXTENSION: usize = 2;
/// At most this many variants of one operation (differing in one literal segment) lead the list.
const SIBLING_CAP: usize = 2;
/// How many leading answers the variant cap applies to.
const LEAD_WINDOW: usize = 5;
/// The most query segments compared: the rest of a longer path is left out. The longest
/// operation has 11 segments after `/api/v2`, so a path past this is near nothing by its tail,
/// and each segment is compared with the whole vocabulary and then with every operation: a data
/// action's URL of 8,000 segments (70 KB) held `check` for 14 s and `cxlint api` with 60,000
/// for 80 s (debug builds), growing with the path.
const MAX_QUERY_SEGMENTS: usize = 32;

/// Word statistics over the catalog (derived by `build.rs`, see `tables.rs`), read on first use.
#[derive(Debug)]
pub(crate) struct Index {
    /// Per operation, in catalog order.
    pub(super) ops: Vec<OpWords>,
    /// Every distinct normalised word of every operation (path and permission words), sorted,
    /// with its idf: a query word is compared with each once, not once per operation that has it
    /// (the catalog has a few thousand operations but far fewer words).
    pub(super) vocab: Vec<(&'static str, f64)>,
}

/// One operation's words, as indexes into [`Index::vocab`].
#[derive(Debug)]
pub(super) struct OpWords {
    /// Normalised segments; [`NONE`] for a parameter.
    pub(super) segs: &'static [u32],
    /// Distinct path words, in word order.
    pub(super) word_ids: &'static [u32],
    /// Entity and action words of the permissions that are not path words.
    pub(super) perm_ids: &'static [u32],
}

/// A query segment that is a word no operation has: equal to no operation segment.
const UNKNOWN_WORD: u32 = NONE - 1;

impl Index {
    /// For one query word, `similarity(word, v) * idf(v)` for every vocabulary word `v`.
    fn weights(&self, query_word: &str) -> Vec<f64> {
        let mut row = Vec::new();
        self.vocab
            .iter()
            .map(|(v, idf)| similarity(query_word, v, &mut row) * idf)
            .collect()
    }

    /// A query segment as a vocabulary id ([`NONE`] for a parameter).
    fn seg_id(&self, seg: &Option<String>) -> u32 {
        match seg {
            None => NONE,
            Some(w) => self
                .vocab
                .binary_search_by(|(v, _)| (*v).cmp(w.as_str()))
                .map_or(UNKNOWN_WORD, |i| i as u32),
        }
    }
}

/// Similarity of two normalised words in 0..=1: 1 when equal, 0.5 when one contains the other,
/// else their normalised Levenshtein similarity when it is at least 0.8, else 0. `row` is the
/// edit-distance table's row, reused between calls.
fn similarity(a: &str, b: &str, row: &mut Vec<usize>) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() >= 4 && b.len() >= 4 && (a.contains(b) || b.contains(a)) {
        return 0.5;
    }
    // A query word is compared with every word of the catalog, and almost all are far from it:
    // the distance is computed only as far as it can still reach 0.8. Past `limit` the similarity
    // `1 - d / longest` is below 0.8 by at least `1 / longest`, whatever the rounding.
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb);
    let limit = longest / 5 + 1;
    if la.abs_diff(lb) > limit {
        return 0.0;
    }
    let Some(d) = crate::suggest::bounded_levenshtein(a, b, limit, row) else {
        return 0.0;
    };
    // strsim's `normalized_levenshtein`, to the bit.
    let s = 1.0 - d as f64 / longest as f64;
    if s >= 0.8 { s } else { 0.0 }
}

fn is_write(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
}

/// `weights[i]` holds [`Index::weights`] of the query's `i`-th literal word.
/// `query` holds the query's segments as vocabulary ids (see [`Index::seg_id`]).
/// The score, and whether the candidate continues the query (see [`extends`]).
fn score(
    weights: &[Vec<f64>],
    method: &str,
    query: &[u32],
    op: &Operation,
    w: &OpWords,
) -> Option<(f64, bool)> {
    let mut words = 0.0;
    let mut matched: Vec<u32> = Vec::new();
    for table in weights {
        let mut best = 0.0;
        let mut best_word = None;
        for &id in w.word_ids {
            let v = table[id as usize];
            if v > best {
                best = v;
                best_word = Some(id);
            }
        }
        for &id in w.perm_ids {
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
    let aligned = query.iter().zip(w.segs).take_while(|(a, b)| a == b).count();
    let extension = extends(query, w.segs, aligned);
    if !extension {
        s -= LENGTH_PENALTY * query.len().abs_diff(w.segs.len()) as f64;
    }
    s -= EXTRA_WORD_PENALTY * w.word_ids.iter().filter(|c| !matched.contains(c)).count() as f64;
    s += ALIGN_BONUS * aligned as f64;
    if op.removed_in_sdk259 {
        s -= 3.0;
    }
    if op.deprecated {
        s -= 0.5;
    }
    Some((s, extension))
}

/// Whether `candidate` continues the whole of `query` (every query segment lines up, `aligned` of
/// them) by at most [`MAX_EXTENSION`] segments and ends as it does, in a parameter or in a word.
/// Such a candidate addresses the same kind of thing one level below what the query named:
/// `PATCH /conversations/{id}` written for `PATCH /conversations/{conversationId}/participants/{participantId}`,
/// which is how a wrap-up is set. A path written too short is a common mistake, so these
/// candidates bear no length penalty; a candidate that ends otherwise (`.../recordingstate`, a
/// property of the object rather than an object) still does.
fn extends(query: &[u32], candidate: &[u32], aligned: usize) -> bool {
    let ends_in_param = |segs: &[u32]| segs.last() == Some(&NONE);
    !query.is_empty()
        && aligned == query.len()
        && candidate.len() > query.len()
        && candidate.len() <= query.len() + MAX_EXTENSION
        && ends_in_param(query) == ends_in_param(candidate)
}

/// Whether two operations are variants of one another: same method, and their paths differ in one
/// literal segment (`calls` vs `emails`) or by one inserted literal segment.
fn siblings(a: (&Operation, &OpWords), b: (&Operation, &OpWords)) -> bool {
    if a.0.method != b.0.method {
        return false;
    }
    let (x, y) = (a.1.segs, b.1.segs);
    if x.len() == y.len() {
        let diff: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
        return diff.len() == 1 && x[diff[0]] != NONE && y[diff[0]] != NONE;
    }
    let (long, short) = if x.len() > y.len() { (x, y) } else { (y, x) };
    if long.len() != short.len() + 1 {
        return false;
    }
    (0..long.len()).any(|skip| {
        long[skip] != NONE
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
    // The words are compared lowercased: `/API/V2/Routing/Queues` is near `/api/v2/routing/queues`.
    let q = match PathQuery::parse_any_case(path) {
        Some(q) => q,
        None => {
            owned = format!("/api/v2/{}", path.trim().trim_start_matches('/'));
            PathQuery::parse(&owned).unwrap_or(PathQuery {
                segments: Vec::new(),
                prefix: "",
            })
        }
    };
    q.segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => Some(normalize(l)),
            Segment::Param(_) => None,
        })
        .collect()
}

impl Catalog {
    pub(super) fn nearest_index(&self) -> &Index {
        self.nearest_index
            .get_or_init(|| super::decode::nearest_index(self.lazy_sections, self.ops.len()))
    }

    /// How many operations have a path under `template` (`{template}/...`).
    fn operations_below(&self, template: &str) -> usize {
        // The operations are sorted by path, so those under one prefix are adjacent.
        let prefix = format!("{template}/");
        let start = self.ops.partition_point(|op| op.path < prefix.as_str());
        self.ops[start..]
            .iter()
            .take_while(|op| op.path.starts_with(&prefix))
            .count()
    }

    /// Up to `n` real operations nearest to `method` and `path`, best first. Empty when no path word
    /// resembles anything in the catalog.
    pub fn nearest(&self, method: &str, path: &str, n: usize) -> Vec<&Operation> {
        let index = self.nearest_index();
        let method = method.trim().to_ascii_uppercase();
        let mut segments = query_segments(path);
        segments.truncate(MAX_QUERY_SEGMENTS);
        let weights: Vec<Vec<f64>> = segments
            .iter()
            .flatten()
            .map(|q| index.weights(q))
            .collect();
        let query: Vec<u32> = segments.iter().map(|s| index.seg_id(s)).collect();
        // Of continuations of the query that score alike, the one with more operations below it
        // comes first: it heads a part of the API (a conversation's participants), where the
        // other is more likely a leaf (its suggestions). Counted for continuations only (few),
        // and once each, so that the order is a plain key order; any other candidate counts 0.
        let mut ranked: Vec<(f64, usize, usize)> = self
            .ops
            .iter()
            .zip(&index.ops)
            .enumerate()
            .filter_map(|(i, (op, w))| {
                let (s, extension) = score(&weights, &method, &query, op, w)?;
                let below = if extension {
                    self.operations_below(op.path)
                } else {
                    0
                };
                Some((s, below, i))
            })
            .collect();
        ranked.sort_by(|(sa, ba, a), (sb, bb, b)| {
            let (oa, ob) = (&self.ops[*a], &self.ops[*b]);
            sb.total_cmp(sa)
                .then(bb.cmp(ba))
                .then(oa.path.len().cmp(&ob.path.len()))
                .then(a.cmp(b))
        });
        // The first LEAD_WINDOW answers hold at most SIBLING_CAP variants of one operation; after
        // that, plain rank order (so a long list still shows every variant).
        let lead = n.min(LEAD_WINDOW);
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        for &(_, _, i) in &ranked {
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
            .map(|&(_, _, i)| i)
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

    /// The bounded similarity is the plain one, for every word of the catalog against query
    /// words near and far from them (typos, inserted and dropped letters, other lengths).
    #[test]
    fn similarity_is_the_plain_formula() {
        let plain = |a: &str, b: &str| {
            if a == b {
                return 1.0;
            }
            if a.len() >= 4 && b.len() >= 4 && (a.contains(b) || b.contains(a)) {
                return 0.5;
            }
            let s = strsim::normalized_levenshtein(a, b);
            if s >= 0.8 { s } else { 0.0 }
        };
        let index = Catalog::get().nearest_index();
        let mut row = Vec::new();
        let mut near = 0;
        for (i, (word, _)) in index.vocab.iter().enumerate().step_by(11) {
            let mut typo = word.to_string();
            typo.insert(typo.len() / 2, 'x');
            let queries = [
                typo,
                word[1..].to_owned(),
                format!("{word}s"),
                "wrapup".to_owned(),
                "conversaton".to_owned(),
                "é".repeat(i % 9),
            ];
            for q in &queries {
                for (v, _) in &index.vocab {
                    let (got, want) = (similarity(q, v, &mut row), plain(q, v));
                    assert_eq!(got.to_bits(), want.to_bits(), "{q} ~ {v}");
                    near += usize::from((0.8..1.0).contains(&got));
                }
            }
        }
        assert!(
            near > 100,
            "only {near} fuzzy matches: the test compares too little"
        );
    }

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

    /// The forum's `PATCH /api/v2/conversations/{id}`, without the body that would point to the
    /// participant: the path is the participant PATCH's written short, which was not among the
    /// first seven, behind properties of the conversation and PATCHes one segment from the query.
    #[test]
    fn a_path_written_short_offers_what_continues_it() {
        let got = top("PATCH", "/api/v2/conversations/{id}", 5);
        assert_eq!(got[0], PARTICIPANT_PATCH, "{got:#?}");
        // `check`'s api-method-not-allowed names the first as the nearest PATCH.
        let op = crate::catalog::intended_operation("PATCH", "/api/v2/conversations/{id}", None);
        assert_eq!(op.map(Operation::key).as_deref(), Some(PARTICIPANT_PATCH));
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
