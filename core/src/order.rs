//! Sorting with one sort in the binary.
//!
//! Each call of `slice::sort_by` (or its unstable and keyed kin) is compiled anew for its element
//! type and comparator, and each copy costs the wasm core 5 to 20 KB. Courier's sorts are small
//! (a store's items, a few characters or buckets), so they all go through [`sort_by`], which
//! sorts indices with one comparator type and moves the items into place.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably (equal items keep their order).
pub(crate) fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(items.len(), &|a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|index| slots[index].take()));
}

/// The indices `0..len` in the order `compare` puts them in, ties in index order.
fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..len).collect();
    indices.sort_by(|&a, &b| compare(a, b));
    indices
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn it_sorts_as_the_standard_stable_sort_does(
            pairs in prop::collection::vec((0u8..5, any::<u16>()), 0..60)
        ) {
            let mut ours = pairs.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut standard = pairs;
            standard.sort_by_key(|pair| pair.0);
            prop_assert_eq!(ours, standard);
        }
    }
}
