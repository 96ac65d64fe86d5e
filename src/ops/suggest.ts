/** "Did you mean" suggestions for mistyped use case and dag names. */

/** Up to `max` candidates within an edit distance of about a third of the input's length, closest first. */
export function closestNames(input: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.ceil(input.length / 3));
  return candidates
    .map((c) => ({ c, d: Math.min(distance(input, c), c.includes(input) || input.includes(c) ? 1 : Infinity) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, max)
    .map((x) => x.c);
}

/** `, did you mean "a" or "b"?` — empty when there is nothing close. */
export function didYouMean(names: readonly string[]): string {
  if (names.length === 0) return '';
  const quoted = names.map((n) => `"${n}"`);
  const last = quoted.pop();
  return `; did you mean ${quoted.length ? `${quoted.join(', ')} or ${last}` : last}?`;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, sub));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
