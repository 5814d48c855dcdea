/**
 * Errors the user can fix (bad flag, bad config, corrupt data file, divergence).
 * The CLI prints `sat-bench: <message>\n  fix: <fix>` and exits 2; anything else is a bug (exit 70).
 */
export class UserError extends Error {
  readonly code: string;
  readonly fix: string;

  constructor(code: string, message: string, fix: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.fix = fix;
  }
}

/** Levenshtein distance: used to suggest the closest known name. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** "did you mean "silu"? Known: a, b, c." — the fix text for an unknown name. */
export function suggestName(got: string, known: readonly string[]): string {
  const ranked = [...known].sort((a, b) => editDistance(got, a) - editDistance(got, b));
  const close = ranked.length > 0 && editDistance(got, ranked[0]) <= Math.max(2, Math.floor(got.length / 3));
  return `${close ? `did you mean "${ranked[0]}"? ` : ''}Known: ${known.join(', ')}.`;
}

/** Resolves a name in a registry or throws a UserError listing the valid names. */
export function lookup<T>(registry: Record<string, T>, name: string, what: string, where: string): T {
  if (Object.prototype.hasOwnProperty.call(registry, name)) return registry[name];
  throw new UserError(
    `unknown-${what.replace(/\s+/g, '-')}`,
    `${where}: unknown ${what} "${name}"`,
    suggestName(name, Object.keys(registry)),
  );
}
