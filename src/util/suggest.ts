/**
 * "Did you mean …" for a name that is not known: the known names within a small edit distance
 * (a typo, a swapped pair of letters, a missing character), closest first, or that the name
 * begins. Commander does this for commands; this does it for worktrees and the other names a user
 * types.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** "did you mean a or b? " for the names of `known` close to `name`; "" when none is. */
export function didYouMean(name: string, known: readonly string[]): string {
  const close = suggestions(name, known);
  return close.length > 0 ? `did you mean ${close.join(' or ')}? ` : '';
}

/** The names of `known` close to `name`, best first (at most three). */
export function suggestions(name: string, known: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(name.length * 0.4));
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(known)) {
    if (candidate === name) continue;
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit) scored.push({ candidate, score: distance });
    else if (name.length >= 2 && candidate.startsWith(name))
      scored.push({ candidate, score: limit + 1 });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, 3).map((s) => s.candidate);
}
