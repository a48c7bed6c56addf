//! A set of person indexes with O(1) insert, remove and uniform pick: who is active, who left.

use crate::common::rng::SandboxRng;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// Person indexes, in an order that depends only on the operations done (deterministic; a
/// snapshot keeps the order, so a restored workforce draws the same people).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<usize>", into = "Vec<usize>")]
pub struct Pool {
    items: Vec<usize>,
    /// Where each person is in `items`, by person index.
    places: Vec<Option<usize>>,
}

impl Pool {
    /// Adds `person` (nothing if present).
    pub fn insert(&mut self, person: usize) {
        if self.places.len() <= person {
            self.places.resize(person + 1, None);
        }
        if self.places[person].is_none() {
            self.places[person] = Some(self.items.len());
            self.items.push(person);
        }
    }

    /// Removes `person` (nothing if absent).
    pub fn remove(&mut self, person: usize) {
        let Some(place) = self.places.get_mut(person).and_then(Option::take) else { return };
        self.items.swap_remove(place);
        if let Some(&moved) = self.items.get(place) {
            self.places[moved] = Some(place);
        }
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// One of them, uniformly.
    pub fn pick(&self, rng: &mut SandboxRng) -> Option<usize> {
        (!self.items.is_empty()).then(|| self.items[rng.random_range(0..self.items.len())])
    }
}

impl From<Vec<usize>> for Pool {
    fn from(items: Vec<usize>) -> Self {
        let mut pool = Pool::default();
        for person in items {
            pool.insert(person);
        }
        pool
    }
}

impl From<Pool> for Vec<usize> {
    fn from(pool: Pool) -> Self {
        pool.items
    }
}

impl Pool {
    /// Whether `person` is in.
    pub fn contains(&self, person: usize) -> bool {
        self.places.get(person).is_some_and(Option::is_some)
    }
}
