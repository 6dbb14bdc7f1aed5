//! Values parked under a small integer token while JavaScript holds the token
//! (a promise being watched, a timer being armed).

use crate::prelude::*;

pub struct Slab<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Slab<T> {
    pub const fn new() -> Self {
        Slab { slots: Vec::new(), free: Vec::new() }
    }

    pub fn insert(&mut self, value: T) -> u32 {
        match self.free.pop() {
            Some(token) => {
                self.slots[token as usize] = Some(value);
                token
            }
            None => {
                self.slots.push(Some(value));
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// Puts `value` under a token that is in use.
    pub fn replace(&mut self, token: u32, value: T) {
        if let Some(slot @ Some(_)) = self.slots.get_mut(token as usize) {
            *slot = Some(value);
        }
    }

    pub fn remove(&mut self, token: u32) -> Option<T> {
        let value = self.slots.get_mut(token as usize)?.take();
        if value.is_some() {
            self.free.push(token);
        }
        value
    }
}
