/**
 * Error reporting shared by every layer: constructs (`NetworkPolicy "chart/web"`), the models
 * (`NetworkPolicy fe/web (projectcalico.org/v3)`) and the CLI all say where, which field, what was
 * wrong and what would be right, in one format.
 *
 * Internal module: not part of the jsii API.
 */

/**
 * Throws an `Error` whose message is `<where>: <field>: <problem>` (or `<where>: <problem>` when
 * `field` is empty). `where` names the construct or object (anything with a readable `toString()`).
 */
export function fail(where: string | { toString(): string }, field: string, problem: string): never {
  throw new Error(formatProblem(where, field, problem));
}

/** The message `fail` throws. */
export function formatProblem(where: string | { toString(): string }, field: string, problem: string): string {
  const w = String(where);
  return field ? `${w}: ${field}: ${problem}` : `${w}: ${problem}`;
}

/** Joins a field path: `joinField('ingress[0]', 'source')` is `ingress[0].source`. */
export function joinField(parent: string, child: string): string {
  if (!parent) {
    return child;
  }
  if (!child) {
    return parent;
  }
  return child.startsWith('[') ? `${parent}${child}` : `${parent}.${child}`;
}

/** A short, readable rendering of a value for error messages (JSON, at most 80 characters). */
export function describeValue(value: any): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') {
    return String(value);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
