//! Attribute names, interned.
//!
//! Attributes are the most numerous node of the syntax (about 120,000 at 10 MB of input), and
//! their names come from a small vocabulary: the provider's schema, and the configuration's own
//! variable and local names. Interned, a name is one pointer (8 bytes) instead of a 24-byte
//! `SmolStr`, and an [`crate::ir::Attribute`] 48 bytes instead of 64: about 2 MiB less at 10 MB,
//! at the peak of the run, when the whole syntax is in memory before the model is built.
//!
//! Every distinct name is allocated once and never freed (outside the syntax's own memory, see
//! `crate::syntax_heap::outside`). Each thread looks a name up in a table of its own first, and
//! only takes the shared table's lock for a name it has not seen. Long block names and resource
//! types share these strings too (`crate::value::shared_name`).

use std::cell::RefCell;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::{Mutex, PoisonError};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use smol_str::SmolStr;

/// An interned name: compares, hashes and orders as its text.
#[derive(Clone, Copy)]
pub struct Name(&'static SmolStr);

const _: () = assert!(std::mem::size_of::<Name>() == 8);

static SHARED: Mutex<HashTable<Name>> = Mutex::new(HashTable::new());

thread_local! {
    static LOCAL: RefCell<HashTable<Name>> = const { RefCell::new(HashTable::new()) };
}

fn hash(s: &str) -> u64 {
    FxBuildHasher.hash_one(s)
}

impl Name {
    /// The interned name of `s`.
    pub fn new(s: &str) -> Name {
        let h = hash(s);
        let seen = LOCAL.with(|local| local.borrow().find(h, |n| n.as_str() == s).copied());
        if let Some(name) = seen {
            return name;
        }
        crate::syntax_heap::outside(|| {
            let name = {
                // Nothing panics while the lock is held: a poisoned table is still consistent.
                let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
                match shared.find(h, |n| n.as_str() == s) {
                    Some(name) => *name,
                    None => {
                        let name = Name(Box::leak(Box::new(SmolStr::new(s))));
                        shared.insert_unique(h, name, |n| hash(n.as_str()));
                        name
                    }
                }
            };
            LOCAL.with(|local| {
                (local.borrow_mut()).insert_unique(h, name, |n| hash(n.as_str()));
            });
            name
        })
    }

    pub fn as_str(&self) -> &'static str {
        self.0.as_str()
    }

    /// The name as a `SmolStr` (inline, or sharing the interned allocation).
    pub fn to_smol_str(&self) -> SmolStr {
        self.0.clone()
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        // Interned: one text, one allocation.
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn one_name_per_text() {
        let a = Name::new("wrapup_codes");
        let b = Name::new(&String::from("wrapup_codes"));
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_ne!(a, Name::new("wrapup_code"));
        assert_eq!(a, "wrapup_codes");
        assert_eq!(a.to_string(), "wrapup_codes");
        assert_eq!(a.to_smol_str(), "wrapup_codes");
    }

    /// Names interned on other threads are the same names.
    #[test]
    fn threads_share_names() {
        let long = "a_name_longer_than_twenty_three_bytes";
        let here = Name::new(long);
        let there = std::thread::spawn(move || Name::new(long)).join().unwrap();
        assert_eq!(here, there);
        let theirs = std::thread::spawn(|| Name::new("first_seen_elsewhere"))
            .join()
            .unwrap();
        assert_eq!(Name::new("first_seen_elsewhere"), theirs);
        assert!(Name::new("").is_empty());
    }
}
