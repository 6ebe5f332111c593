/**
 * "Did you mean" suggestions for mistyped names: the CLI's commands, the models' endpoints and
 * objects.
 *
 * Internal module: not part of the jsii API.
 */

/**
 * The candidate closest to `text` when it is close enough to be what was meant: at most two
 * edits away (case ignored), or a candidate that starts with `text` (of at least two
 * characters). Ties keep the candidates' order. Undefined when nothing is close.
 */
export function closestName(text: string, candidates: readonly string[]): string | undefined {
  const wanted = text.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const candidate = name.toLowerCase();
    const distance = wanted.length >= 2 && candidate.startsWith(wanted) ? 0 : editDistance(wanted, candidate);
    if (distance <= Math.min(2, candidate.length - 1) && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidates closest to `name`: those containing it or contained in it first, then by edit
 * distance; at most `max`.
 */
export function closestNames(name: string, candidates: readonly string[], max = 5): string[] {
  const lower = name.toLowerCase();
  const scored = candidates.map((c) => {
    const cl = c.toLowerCase();
    const related = lower.length > 0 && (cl.includes(lower) || lower.includes(cl.split('/').pop() ?? cl));
    return { c, score: (related ? 0 : 1000) + editDistance(lower, cl) };
  });
  scored.sort((x, y) => x.score - y.score || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  return scored.slice(0, max).map((s) => s.c);
}
