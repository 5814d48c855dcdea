import type { z } from 'zod';
import { suggestName, UserError } from '../../util/errors';
import { show } from './schema-parts';

type Issue = z.core.$ZodRawIssue;

const WORDS: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  function: 'a function',
};

/** The keys an object schema knows, in the order it declares them (the order `Known:` lists them). */
const knownKeys = (issue: Issue): string[] => Object.keys((issue.inst as { shape?: object } | undefined)?.shape ?? {});

/**
 * The house text of an issue no schema gave its own message: what was expected, what came. Passed to every parse,
 * so the library's own English never reaches the user. An unknown-keys issue holds one line per key (split by
 * formatIssues), each with the closest known key.
 */
export function houseMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = WORDS[issue.expected] ?? issue.expected;
      return issue.input === undefined
        ? `missing (expected ${expected})`
        : `expected ${expected}, got ${show(issue.input)}`;
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => `unknown key; ${suggestName(key, knownKeys(issue))}`).join('\n');
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => show(v)).join(', ')}, got ${show(issue.input)}`;
    case 'invalid_key':
      return issue.issues.map((inner) => inner.message).join('; ');
    case 'too_small': {
      const unit = issue.origin === 'array' ? (issue.minimum === 1 ? ' entry' : ' entries') : '';
      return `expected at least ${String(issue.minimum)}${unit}, got ${show(issue.input)}`;
    }
    default:
      return undefined;
  }
}

/** `runs[0].backward.attack`: a dot-path with array indices in brackets, as configs are written. */
export function dotPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}

/** One line per problem, `<dot.path>: <what is wrong>, got <value>`; an unknown-keys issue gives one line per key. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n');
      return issue.keys.map((key, i) => `${dotPath([...issue.path, key])}: ${lines[i]}`);
    }
    return [issue.path.length > 0 ? `${dotPath(issue.path)}: ${issue.message}` : issue.message];
  });
}

/** Every problem in one UserError, prefixed by `where` (the file, or `preset smoke with --set`). */
export function invalidConfig(where: string, problems: readonly string[], fix: string): UserError {
  return new UserError(
    'invalid-config',
    `${where}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`,
    fix,
  );
}

/** Checks a value against a schema; every problem by dot-path, empty when it conforms. The value is not rewritten. */
export function schemaProblems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value, { error: houseMessage });
  return result.success ? [] : formatIssues(result.error.issues);
}
