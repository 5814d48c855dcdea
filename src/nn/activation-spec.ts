import { suggestName } from '../util/errors';
import { ACTIVATIONS, type Activation, type ActivationName, type ActivationSettings } from './activations';

/** Activations by name: the built-ins, plus those an experiment file defines (never replacing a built-in). */
export type ActivationRegistry = Readonly<Record<string, Activation>>;

/**
 * How a config names an activation: a plain name (`'psoftplus'`, its default settings) or a name with settings
 * (`{ name: 'psoftplus', sharpness: 5 }`). `N` narrows the names to a registry's, so a misspelt name fails to compile.
 */
export type ActivationSpec<N extends string = string> = N | ({ name: N } & { readonly [setting: string]: number | N });

/** An activation resolved against a registry: its function, complete settings, and the id cells and folders show. */
export interface BoundActivation {
  name: string;
  /** `psoftplus` at default settings, else `psoftplus(sharpness=5)` (only the settings that differ, sorted). */
  id: string;
  settings: ActivationSettings;
  activation: Activation;
}

/** What the nn layer accepts: a built-in name (tests, the built-in plans) or a bound activation. */
export type ActivationRef = ActivationName | BoundActivation;

export function specName(spec: ActivationSpec): string {
  return typeof spec === 'string' ? spec : spec.name;
}

/** The settings a spec writes, without its name. */
function writtenSettings(spec: ActivationSpec): Record<string, unknown> {
  if (typeof spec === 'string') return {};
  const { name: _name, ...settings } = spec;
  return settings;
}

/** Every problem with a spec against a registry, each prefixed with `path`; empty when it binds. */
export function activationProblems(spec: unknown, registry: ActivationRegistry, path: string): string[] {
  const names = Object.keys(registry);
  const name =
    typeof spec === 'string' ? spec : spec && typeof spec === 'object' ? (spec as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') {
    return [
      `${path}: expected an activation name or { name, ...settings }, got ${JSON.stringify(spec)}; known activations: ${names.join(', ')}.`,
    ];
  }
  const activation = Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined;
  if (!activation) return [`${path}: unknown activation "${name}"; ${suggestName(name, names)}`];
  const known = activation.settings ?? {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(writtenSettings(spec as ActivationSpec))) {
    const setting = Object.prototype.hasOwnProperty.call(known, key) ? known[key] : undefined;
    const settingNames = Object.keys(known);
    if (!setting) {
      problems.push(
        `${path}.${key}: ${name} has no setting "${key}"; ${settingNames.length ? `its settings: ${settingNames.join(', ')}` : 'it takes none'}`,
      );
    } else if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (setting.min !== undefined && (setting.exclusiveMin ? value <= setting.min : value < setting.min))
    ) {
      problems.push(
        `${path}.${key}: expected a number ${setting.min !== undefined ? `${setting.exclusiveMin ? '>' : '>='} ${setting.min}` : ''}, got ${JSON.stringify(value)}`.replace(
          / ,/,
          ',',
        ),
      );
    }
  }
  return problems;
}

/** Binds a spec to its registry entry with complete settings; throws (a bug: validation runs first) if it cannot. */
export function bindActivation(spec: ActivationSpec, registry: ActivationRegistry = ACTIVATIONS): BoundActivation {
  const problems = activationProblems(spec, registry, 'activation');
  if (problems.length > 0) throw new Error(problems.join('; '));
  const name = specName(spec);
  const activation = registry[name];
  const written = writtenSettings(spec) as Record<string, number>;
  const settings = Object.fromEntries(
    Object.entries(activation.settings ?? {}).map(([key, s]) => [key, written[key] ?? s.default]),
  );
  return { name, id: formatSpec(normalizeSpec(spec, registry)), settings, activation };
}

/** The spec with settings equal to their defaults left out; a plain name when none differs. */
export function normalizeSpec(spec: ActivationSpec, registry: ActivationRegistry = ACTIVATIONS): ActivationSpec {
  const name = specName(spec);
  const defaults = registry[name]?.settings ?? {};
  const differing = Object.entries(writtenSettings(spec)).filter(([key, value]) => defaults[key]?.default !== value);
  return differing.length === 0 ? name : ({ name, ...Object.fromEntries(differing) } as ActivationSpec);
}

/** `name`, or `name(key=value,...)` with the written settings in code-unit order: how cells, ids and `list` print a spec. */
export function formatSpec(spec: ActivationSpec): string {
  if (typeof spec === 'string') return spec;
  const settings = Object.entries(writtenSettings(spec)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return settings.length === 0
    ? spec.name
    : `${spec.name}(${settings.map(([key, value]) => `${key}=${String(value)}`).join(',')})`;
}

export function toBound(ref: ActivationRef): BoundActivation {
  return typeof ref === 'string' ? bindActivation(ref) : ref;
}
