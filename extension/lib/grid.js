// Moving between items with the arrow keys, by where they are on screen: Left and Right go to
// the previous and next item, Up and Down to the nearest item in the row above or below, Home
// and End to the first and last.

/** The keys this handles. */
export const GRID_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'];

/**
 * The item to go to from `current` for `key`, among `items` in reading order, where `boxOf(item)`
 * gives `{top, left, bottom, height}`; null when there is none that way.
 */
export function itemTowards(items, current, key, boxOf) {
  const index = items.indexOf(current);
  if (key === 'ArrowLeft') return items[index - 1] ?? null;
  if (key === 'ArrowRight') return items[index + 1] ?? null;
  if (key === 'Home') return items[0] ?? null;
  if (key === 'End') return items.at(-1) ?? null;
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return null;
  const from = boxOf(current);
  const middle = from.top + from.height / 2;
  const below = key === 'ArrowDown';
  let best = null;
  let bestScore = Infinity;
  for (const item of items) {
    const box = boxOf(item);
    const rowGap = below ? box.top - middle : middle - box.bottom;
    if (rowGap <= 0) continue;
    // The nearest row first, then the nearest column in it.
    const score = rowGap * 1e6 + Math.abs(box.left - from.left);
    if (score < bestScore) {
      best = item;
      bestScore = score;
    }
  }
  return best;
}
