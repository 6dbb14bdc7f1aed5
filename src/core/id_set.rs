//! The set of subscriber ids on a bus: open addressing with linear probing,
//! and removal by shifting the entries after a removed one back (so no
//! tombstones). It does the four things the bus asks of it in less wasm
//! than a general hash set.

use alloc::rc::Rc;

use crate::prelude::*;

use super::bus::{bucket, fnv};

#[derive(Default)]
pub struct IdSet {
    /// (hash, id); a power-of-two count of slots, at most half of them full.
    slots: Vec<Option<(u64, Rc<str>)>>,
    len: usize,
}

impl IdSet {
    /// The slot of the first probe for `hash` (the bus's bucket rule).
    fn home(&self, hash: u64) -> usize {
        bucket(hash, self.slots.len())
    }

    /// Where `id` is (Ok), or the empty slot where it would go (Err).
    fn find(&self, hash: u64, id: &str) -> Result<usize, usize> {
        let mut at = self.home(hash);
        loop {
            match &self.slots[at] {
                None => return Err(at),
                Some((h, found)) if *h == hash && **found == *id => return Ok(at),
                Some(_) => at = (at + 1) & (self.slots.len() - 1),
            }
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        !self.slots.is_empty() && self.find(fnv(id), id).is_ok()
    }

    /// Adds `id`; false when it was there already.
    pub fn insert(&mut self, id: Rc<str>) -> bool {
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(8);
            let old = core::mem::replace(&mut self.slots, vec![None; size]);
            for (h, id) in old.into_iter().flatten() {
                // Ids are unique: each finds an empty slot.
                let (Ok(at) | Err(at)) = self.find(h, &id);
                self.slots[at] = Some((h, id));
            }
        }
        let h = fnv(&id);
        match self.find(h, &id) {
            Ok(_) => false,
            Err(at) => {
                self.slots[at] = Some((h, id));
                self.len += 1;
                true
            }
        }
    }

    /// Removes `id`; false when it was not there.
    pub fn remove(&mut self, id: &str) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let Ok(mut gap) = self.find(fnv(id), id) else { return false };
        self.slots[gap] = None;
        self.len -= 1;
        // Move back each later entry of the run that a probe could no longer
        // reach past the gap: one whose home is not between the gap and it.
        let mask = self.slots.len() - 1;
        let mut at = (gap + 1) & mask;
        while let Some(h) = self.slots[at].as_ref().map(|(h, _)| *h) {
            let home = self.home(h);
            if (at.wrapping_sub(home) & mask) >= (at.wrapping_sub(gap) & mask) {
                self.slots[gap] = self.slots[at].take();
                gap = at;
            }
            at = (at + 1) & mask;
        }
        true
    }

    pub fn clear(&mut self) {
        self.slots.clear();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Random inserts, removals and lookups, against std's HashSet, over few
    /// enough ids that every operation often finds and often misses.
    #[test]
    fn behaves_as_a_hash_set() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..40 {
            let (mut ours, mut std_set) = (IdSet::default(), HashSet::new());
            let ids = 4 + round * 8;
            for _ in 0..4000 {
                let id = format!("subscriber_{}", next() % ids);
                match next() % 4 {
                    0 | 1 => assert_eq!(ours.insert(Rc::from(id.as_str())), std_set.insert(id)),
                    2 => assert_eq!(ours.remove(&id), std_set.remove(&id)),
                    _ => assert_eq!(ours.contains(&id), std_set.contains(&id)),
                }
                assert_eq!(ours.len, std_set.len());
            }
            for id in &std_set {
                assert!(ours.contains(id));
            }
            ours.clear();
            assert!(!ours.contains("subscriber_0") && ours.insert(Rc::from("subscriber_0")));
        }
    }
}
