// Bisection over items sorted by a number: how many lie below a bound.

/** How many of `length` items, in ascending order of `keyAt`, have a key below `bound`. */
export function countBelow(length: number, keyAt: (index: number) => number, bound: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (keyAt(mid) < bound) low = mid + 1;
    else high = mid;
  }
  return low;
}
