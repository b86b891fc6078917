//! The queue x wrap-up code picture a reviewer wants: what each queue assigns, and what automation
//! uses on it. Data only; the job-summary reporter renders it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Model, ObjId, types};

/// Relation of one queue to one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Assigned,
    UsedNotAssigned,
    AssignedAndUsed,
    /// The queue's codes are not known (unmanaged, no state): a used code cannot be judged.
    Unknown,
}

/// Rows (queues), columns (codes), and the known relations.
#[derive(Debug, Default)]
pub struct Matrix {
    pub queues: Vec<String>,
    pub codes: Vec<String>,
    pub cells: HashMap<(usize, usize), Relation>,
}

impl Model {
    /// The queue x code matrix, at most `max` queues and `max` codes (the ones with the most
    /// activity first, then by name), so a summary stays readable on large orgs.
    pub fn queue_code_matrix(&self, max: usize) -> Matrix {
        let mut rel: BTreeMap<(ObjId, ObjId), Relation> = BTreeMap::new();
        let mut unknown_queues = BTreeSet::new();
        for (q, _) in self.of_type(types::QUEUE) {
            match self.assignment(q) {
                Some(a) => {
                    for c in a.codes.iter().filter_map(|r| r.obj()) {
                        rel.insert((q, c), Relation::Assigned);
                    }
                    if !a.complete {
                        unknown_queues.insert(q);
                    }
                }
                None => {
                    unknown_queues.insert(q);
                }
            }
        }
        for u in &self.usages {
            let (Some(c), Some(q)) = (u.code.obj(), u.queue.obj()) else {
                continue;
            };
            if self.obj(q).rtype != types::QUEUE || self.obj(c).rtype != types::WRAPUP_CODE {
                continue;
            }
            let next = match rel.get(&(q, c)) {
                Some(Relation::Assigned) | Some(Relation::AssignedAndUsed) => {
                    Relation::AssignedAndUsed
                }
                // Another queue of its alternatives offers the code: not a use on this one.
                _ if self.offer(u) == Some(super::Offer::Offered) => continue,
                _ if unknown_queues.contains(&q) => Relation::Unknown,
                _ => Relation::UsedNotAssigned,
            };
            rel.insert((q, c), next);
        }
        let mut activity: HashMap<ObjId, usize> = HashMap::new();
        for (q, c) in rel.keys() {
            *activity.entry(*q).or_default() += 1;
            *activity.entry(*c).or_default() += 1;
        }
        let pick = |rtype: &str| -> Vec<ObjId> {
            let mut ids: Vec<ObjId> = self
                .of_type(rtype)
                .map(|(id, _)| id)
                .filter(|id| activity.contains_key(id))
                .collect();
            ids.sort_by(|a, b| {
                activity[b]
                    .cmp(&activity[a])
                    .then_with(|| self.obj(*a).display().cmp(self.obj(*b).display()))
            });
            ids.truncate(max);
            ids.sort_by(|a, b| self.obj(*a).display().cmp(self.obj(*b).display()));
            ids
        };
        let queues = pick(types::QUEUE);
        let codes = pick(types::WRAPUP_CODE);
        let mut m = Matrix {
            queues: queues
                .iter()
                .map(|q| self.obj(*q).display().to_owned())
                .collect(),
            codes: codes
                .iter()
                .map(|c| self.obj(*c).display().to_owned())
                .collect(),
            cells: HashMap::new(),
        };
        for (qi, q) in queues.iter().enumerate() {
            for (ci, c) in codes.iter().enumerate() {
                if let Some(r) = rel.get(&(*q, *c)) {
                    m.cells.insert((qi, ci), *r);
                }
            }
        }
        m
    }
}
