//! Objects by type and name, compared as Genesys compares names: ignoring case.
//!
//! Data sources, flows and OAuth-client settings look objects up by name, state inputs are
//! merged by it, and duplicate names are findings. A map from (type, lowercase name) to a list
//! of ids kept a lowercase copy of every name (most names are longer than a string stores
//! inline), a list per name and a 72-byte entry: 17 MB of the end of a 50 MB run. Here an entry
//! is 8 bytes, its object's first id and where the rest of a shared name's group is; the key is
//! the first object's own type and name, hashed and compared lowercase without copying.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::{ObjId, Object};

/// The index (see the module doc).
#[derive(Debug, Default)]
pub struct NameIndex {
    /// One entry per distinct (type, name): its first object, and [`ALONE`] or the position in
    /// `groups` of all its objects.
    table: hashbrown::HashTable<(ObjId, u32)>,
    /// The objects of each name that more than one object has, in the order they were added.
    groups: Vec<Vec<ObjId>>,
}

/// The entry's object is the only one of its name.
const ALONE: u32 = u32::MAX;

/// The hash of a type and a name, the name lowercase (as `char::to_lowercase` makes it).
pub fn name_hash(rtype: &str, name: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(rtype.as_bytes());
    h.write_u8(0xff); // not UTF-8: the type ends here
    // Nearly every name is ASCII: lowered byte by byte it hashes the same as through
    // `char::to_lowercase`, without the iterator of iterators (which was 1% of a check).
    if name.is_ascii() {
        for b in name.bytes() {
            h.write_u32(u32::from(b.to_ascii_lowercase()));
        }
    } else {
        for c in name.chars().flat_map(char::to_lowercase) {
            h.write_u32(c as u32);
        }
    }
    h.finish()
}

/// True when the names are the same but for case.
fn same_name(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    (a.chars().flat_map(char::to_lowercase)).eq(b.chars().flat_map(char::to_lowercase))
}

/// The object's key: its type and name, if it has one.
fn key(o: &Object) -> Option<(&str, &str)> {
    o.name.as_deref().map(|n| (o.rtype.as_str(), n))
}

/// The hash of an object's key (0 without a name: such objects are never indexed).
fn object_hash(o: &Object) -> u64 {
    key(o).map_or(0, |(t, n)| name_hash(t, n))
}

impl NameIndex {
    /// Room for `additional` more names without growing.
    pub fn reserve(&mut self, additional: usize, objects: &[Object]) {
        (self.table).reserve(additional, |&(id, _)| object_hash(&objects[id.0 as usize]));
    }

    /// Index object `id` under its type and name (nothing when it has no name); `hash` is
    /// [`name_hash`] of them. Adding an object twice adds it once.
    pub fn insert(&mut self, objects: &[Object], id: ObjId, hash: u64) {
        let Some((rtype, name)) = key(&objects[id.0 as usize]) else {
            return;
        };
        let same = |&(first, _): &(ObjId, u32)| {
            key(&objects[first.0 as usize]).is_some_and(|(t, n)| t == rtype && same_name(n, name))
        };
        match self.table.find_mut(hash, same) {
            Some(entry) if entry.0 == id => {}
            Some(entry) if entry.1 == ALONE => {
                entry.1 = self.groups.len() as u32;
                self.groups.push(vec![entry.0, id]);
            }
            Some(entry) => {
                let group = &mut self.groups[entry.1 as usize];
                if !group.contains(&id) {
                    group.push(id);
                }
            }
            None => {
                let rehash = |&(first, _): &(ObjId, u32)| object_hash(&objects[first.0 as usize]);
                self.table.insert_unique(hash, (id, ALONE), rehash);
            }
        }
    }

    /// The objects of type `rtype` named `name` (ignoring case), in the order they were added.
    pub fn get<'a>(&'a self, objects: &[Object], rtype: &str, name: &str) -> &'a [ObjId] {
        let same = |&(first, _): &(ObjId, u32)| {
            key(&objects[first.0 as usize]).is_some_and(|(t, n)| t == rtype && same_name(n, name))
        };
        match self.table.find(name_hash(rtype, name), same) {
            None => &[],
            Some((first, ALONE)) => std::slice::from_ref(first),
            Some((_, group)) => &self.groups[*group as usize],
        }
    }

    /// Every name more than one object has: its objects (of one type), in the order they were
    /// added.
    pub fn shared(&self) -> impl Iterator<Item = &[ObjId]> {
        self.groups.iter().map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smol_str::SmolStr;

    fn object(rtype: &str, name: Option<&str>) -> Object {
        Object {
            rtype: crate::ir::Name::new(rtype),
            address: std::sync::Arc::from(format!("{rtype}.x")),
            name: name.map(SmolStr::new),
            id: None,
            config: None,
            state: Vec::new(),
        }
    }

    #[test]
    fn names_are_found_by_type_ignoring_case_in_the_order_added() {
        let objects = vec![
            object("genesyscloud_routing_wrapupcode", Some("Resolved")),
            object("genesyscloud_routing_queue", Some("Resolved")),
            object("genesyscloud_routing_wrapupcode", Some("RESOLVED")),
            object("genesyscloud_routing_wrapupcode", None),
            object("genesyscloud_routing_wrapupcode", Some("Größe Überprüfung")),
            object("genesyscloud_routing_wrapupcode", Some("resolved")),
        ];
        let mut index = NameIndex::default();
        index.reserve(objects.len(), &objects);
        for (i, o) in objects.iter().enumerate() {
            let hash = key(o).map_or(0, |(t, n)| name_hash(t, n));
            index.insert(&objects, ObjId(i as u32), hash);
        }
        // Again: no object is listed twice.
        index.insert(&objects, ObjId(2), object_hash(&objects[2]));
        index.insert(&objects, ObjId(0), object_hash(&objects[0]));
        let code = "genesyscloud_routing_wrapupcode";
        let ids = |s: &[ObjId]| s.iter().map(|i| i.0).collect::<Vec<_>>();
        assert_eq!(ids(index.get(&objects, code, "resolved")), [0, 2, 5]);
        assert_eq!(ids(index.get(&objects, code, "ReSoLvEd")), [0, 2, 5]);
        assert_eq!(
            ids(index.get(&objects, "genesyscloud_routing_queue", "resolved")),
            [1]
        );
        assert_eq!(
            ids(index.get(&objects, code, "GRÖSSE ÜBERPRÜFUNG")),
            [] as [u32; 0]
        );
        assert_eq!(ids(index.get(&objects, code, "GRÖßE ÜBERPRÜFUNG")), [4]);
        assert_eq!(ids(index.get(&objects, code, "Resolve")), [] as [u32; 0]);
        let shared: Vec<Vec<u32>> = index.shared().map(ids).collect();
        assert_eq!(shared, [vec![0, 2, 5]]);
    }

    /// The same name in any case hashes alike, whatever the script.
    #[test]
    fn equal_names_hash_alike() {
        for (a, b) in [
            ("Resolved", "rESOLVED"),
            ("Größe", "GRÖßE"),
            ("ΟΔΟΣ", "οδοσ"),
            // An ASCII name and one that is not, alike once lowercase (the Kelvin sign).
            ("Kelvin", "\u{212A}elvin"),
        ] {
            assert!(same_name(a, b), "{a} {b}");
            assert_eq!(name_hash("t", a), name_hash("t", b), "{a} {b}");
        }
        assert_ne!(name_hash("ab", "c"), name_hash("a", "bc"));
    }
}
