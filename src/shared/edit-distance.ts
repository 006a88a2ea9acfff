// How far apart two names are, for "did you mean" hints: Damerau-Levenshtein in its optimal string
// alignment form, so a swap of two neighbours (`ehco` for `echo`) costs one edit, as people type it.

/** The edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function toEditDistance(a: string, b: string): number {
  // Three rows suffice: a swap looks two rows back.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
