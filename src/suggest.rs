//! "Did you mean ...?": the closest name by edit distance, if close enough to be a likely typo.
//!
//! Two forms. [`did_you_mean`] scans a candidate list once, for one-off questions over small sets
//! (variables of a module, rule names). [`Suggester`] indexes a candidate set once for many
//! questions: large configurations have tens of thousands of resources of one type, and asking
//! each of hundreds of broken references to scan all of them was quadratic (most of the run time
//! of a 50 MB check before this index existed).

use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;

/// The closest candidate by edit distance, if close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let q = Query::new(wanted);
    let mut best = Best::default();
    for c in candidates {
        let lower = c.to_lowercase();
        q.offer(&lower, &histogram(&lower), c, &mut best);
    }
    best.found.map(|(_, c)| c)
}

/// [`Suggester`]s built on first use, by key, shared by the threads that report findings.
pub struct SuggesterCache<K>(Mutex<FxHashMap<K, Arc<Suggester>>>);

impl<K> Default for SuggesterCache<K> {
    fn default() -> Self {
        SuggesterCache(Mutex::default())
    }
}

impl<K> std::fmt::Debug for SuggesterCache<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SuggesterCache")
    }
}

impl<K: Hash + Eq> SuggesterCache<K> {
    /// The closest of the candidates of `key` to `wanted`; `candidates` is called only when the
    /// index for `key` does not exist yet.
    pub fn suggest<'a, I>(
        &self,
        key: K,
        candidates: impl FnOnce() -> I,
        wanted: &str,
    ) -> Option<String>
    where
        I: IntoIterator<Item = &'a str>,
    {
        let lock = || self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = lock().get(&key).cloned();
        let index = match cached {
            Some(s) => s,
            // Built outside the lock: two threads may both build it; the first one is kept.
            None => {
                let built = Arc::new(Suggester::new(candidates()));
                lock().entry(key).or_insert(built).clone()
            }
        };
        index.suggest(wanted).map(str::to_owned)
    }
}

/// Up to this many candidates, a [`Suggester`] compares with every one, exactly as
/// [`did_you_mean`] does.
const SCAN_ALL: usize = 2048;

/// How many leading (or trailing) characters a candidate must share with the wanted name to be
/// considered when the set is larger than [`SCAN_ALL`]. A typo rarely touches both ends of a
/// name, so searching the names that share the start and those that share the end finds it, at
/// the cost of a binary search each instead of a scan of the whole set.
const ANCHOR: usize = 3;

/// A candidate set indexed for many "did you mean" questions.
#[derive(Debug)]
pub struct Suggester {
    /// Sorted by lowercase name (then original), so that names sharing a prefix are adjacent.
    entries: Vec<Entry>,
    /// Indices into `entries`, sorted by the reversed lowercase name: names sharing a suffix.
    by_suffix: Vec<(String, u32)>,
}

#[derive(Debug)]
struct Entry {
    name: String,
    lower: String,
    hist: [u8; 64],
}

impl Suggester {
    pub fn new<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut entries: Vec<Entry> = candidates
            .into_iter()
            .map(|c| {
                let lower = c.to_lowercase();
                Entry {
                    hist: histogram(&lower),
                    name: c.to_owned(),
                    lower,
                }
            })
            .collect();
        entries.sort_by(|a, b| a.lower.cmp(&b.lower).then_with(|| a.name.cmp(&b.name)));
        entries.dedup_by(|a, b| a.name == b.name);
        let by_suffix = if entries.len() > SCAN_ALL {
            let mut v: Vec<(String, u32)> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.lower.chars().rev().collect(), i as u32))
                .collect();
            v.sort();
            v
        } else {
            Vec::new()
        };
        Suggester { entries, by_suffix }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The closest name to `wanted`, as [`did_you_mean`] would answer over the same set (for sets
    /// larger than [`SCAN_ALL`], among names sharing the first or the last few characters).
    pub fn suggest(&self, wanted: &str) -> Option<&str> {
        let q = Query::new(wanted);
        if self.entries.len() <= SCAN_ALL {
            return q.best(self.entries.iter());
        }
        let prefix: String = q.lower.chars().take(ANCHOR).collect();
        let lo = self
            .entries
            .partition_point(|e| e.lower.as_str() < prefix.as_str());
        let hi = lo + self.entries[lo..].partition_point(|e| e.lower.starts_with(prefix.as_str()));
        let suffix: String = q.lower.chars().rev().take(ANCHOR).collect();
        let slo = self
            .by_suffix
            .partition_point(|(r, _)| r.as_str() < suffix.as_str());
        let shi =
            slo + self.by_suffix[slo..].partition_point(|(r, _)| r.starts_with(suffix.as_str()));
        let near = self.entries[lo..hi].iter().chain(
            self.by_suffix[slo..shi]
                .iter()
                .map(|(_, i)| &self.entries[*i as usize]),
        );
        q.best(near)
    }
}

/// The wanted name, prepared once per question.
struct Query {
    lower: String,
    hist: [u8; 64],
}

impl Query {
    fn new(wanted: &str) -> Self {
        let lower = wanted.to_lowercase();
        Query {
            hist: histogram(&lower),
            lower,
        }
    }

    /// The closest of `entries` (ties: the first name in byte order).
    fn best<'e>(&self, entries: impl Iterator<Item = &'e Entry>) -> Option<&'e str> {
        let mut best = Best::default();
        for e in entries {
            self.offer(&e.lower, &e.hist, &e.name, &mut best);
        }
        best.found.map(|(_, n)| n)
    }

    /// Compares with one (lowercase) candidate and keeps it in `best` if it is the closest likely
    /// typo so far: neither equal nor further than a third of the longer name (at least 2).
    /// Once a candidate is found, the others need only be compared up to its distance: the bound
    /// shrinks, and the cheap tests below reject nearly every candidate of a large set.
    fn offer<'n>(&self, cand: &str, cand_hist: &[u8; 64], name: &'n str, best: &mut Best<'n>) {
        let w = &self.lower;
        let mut limit = (cand.len().max(w.len()) / 3).max(2);
        if let Some((d, _)) = best.found {
            limit = limit.min(d);
        }
        // Two cheap lower bounds on the edit distance reject hopeless candidates before computing
        // it. Each edit changes the length by at most one, and the character histogram by at most
        // two (L1).
        if cand.len().abs_diff(w.len()) > limit {
            return;
        }
        let l1: usize = self
            .hist
            .iter()
            .zip(cand_hist.iter())
            .map(|(a, b)| a.abs_diff(*b) as usize)
            .sum();
        if l1.div_ceil(2) > limit {
            return;
        }
        let Some(d) = bounded_levenshtein(w, cand, limit, &mut best.row) else {
            return;
        };
        let better = match best.found {
            None => true,
            Some((bd, bn)) => d < bd || (d == bd && name < bn),
        };
        if d > 0 && better {
            best.found = Some((d, name));
        }
    }
}

/// The closest candidate so far, and the edit-distance row reused between comparisons.
#[derive(Default)]
struct Best<'n> {
    found: Option<(usize, &'n str)>,
    row: Vec<usize>,
}

/// The Levenshtein distance of `a` and `b` (in characters), or `None` once it is certain to
/// exceed `limit`: a row of the table whose every cell is over the limit ends the computation.
/// strsim computes the whole table, and most candidates of a large set are rejected in a few
/// rows.
pub(crate) fn bounded_levenshtein(
    a: &str,
    b: &str,
    limit: usize,
    row: &mut Vec<usize>,
) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        bounded(a.as_bytes(), b.as_bytes(), limit, row)
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        bounded(&a, &b, limit, row)
    }
}

fn bounded<T: PartialEq>(a: &[T], b: &[T], limit: usize, row: &mut Vec<usize>) -> Option<usize> {
    row.clear();
    row.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        // `diag` is the cell above-left of the one being computed, `row[j]` the one above.
        let mut diag = row[0];
        row[0] = i + 1;
        let mut row_min = row[0];
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            let cell = if ca == cb {
                diag
            } else {
                1 + diag.min(above).min(row[j])
            };
            diag = above;
            row[j + 1] = cell;
            row_min = row_min.min(cell);
        }
        if row_min > limit {
            return None;
        }
    }
    let d = row[b.len()];
    (d <= limit).then_some(d)
}

/// Character counts in 64 buckets (saturating): the L1 distance of two histograms, halved, is a
/// lower bound of the edit distance (collisions only make it smaller, so it stays a lower bound).
fn histogram(s: &str) -> [u8; 64] {
    let mut h = [0u8; 64];
    for c in s.chars() {
        let b = &mut h[(c as u32 % 64) as usize];
        *b = b.saturating_add(1);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_and_ignores_strangers() {
        let names = ["Resolved", "Escalated", "No Answer", "Callback Requested"];
        assert_eq!(did_you_mean("Resolvd", names), Some("Resolved"));
        assert_eq!(did_you_mean("escalatd", names), Some("Escalated"));
        assert_eq!(
            did_you_mean("Resolved", names),
            None,
            "an exact match is not a typo"
        );
        assert_eq!(did_you_mean("Billing", names), None);
    }

    #[test]
    fn small_sets_answer_exactly_as_a_scan() {
        let names = [
            "Resolved",
            "Escalated",
            "No Answer",
            "Callback Requested",
            "resolve",
        ];
        let s = Suggester::new(names);
        for w in [
            "Resolvd", "escalatd", "Resolved", "Billing", "No answr", "resolv", "",
        ] {
            assert_eq!(s.suggest(w), did_you_mean(w, names), "{w}");
        }
    }

    proptest::proptest! {
        /// The bounded distance is strsim's whenever that is within the limit, and `None`
        /// otherwise, for ASCII and other characters alike.
        #[test]
        fn bounded_levenshtein_agrees_with_strsim(
            a in "[abé_1]{0,12}",
            b in "[abé_1]{0,12}",
            limit in 0usize..8,
        ) {
            let full = strsim::levenshtein(&a, &b);
            let want = (full <= limit).then_some(full);
            proptest::prop_assert_eq!(bounded_levenshtein(&a, &b, limit, &mut Vec::new()), want);
        }
    }

    /// Many names like a generated org: `t0001_resolved` ... The index must find typos at either
    /// end of the name, agree with a full scan on them, and never suggest the name itself.
    #[test]
    fn large_sets_find_typos_at_either_end() {
        let names: Vec<String> = (0..5000)
            .flat_map(|t| {
                ["resolved", "escalated", "no_answer"]
                    .iter()
                    .map(move |c| format!("t{t:04}_{c}"))
            })
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let s = Suggester::new(refs.iter().copied());
        assert_eq!(s.len(), 15000);
        for (typo, want) in [
            ("t1321_resolvd", "t1321_resolved"),    // end
            ("t1321_rsolved", "t1321_resolved"),    // middle
            ("x1321_escalated", "t1321_escalated"), // start
            ("t4999_no_answr", "t4999_no_answer"),
        ] {
            assert_eq!(s.suggest(typo), Some(want), "{typo}");
            assert_eq!(did_you_mean(typo, refs.iter().copied()), Some(want));
        }
        assert_ne!(
            s.suggest("t1321_resolved"),
            Some("t1321_resolved"),
            "a name is never its own typo"
        );
        assert_eq!(s.suggest("completely different"), None);
    }
}
