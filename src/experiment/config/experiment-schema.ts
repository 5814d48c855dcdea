import { z } from 'zod';
import { activationProblems, type ActivationRegistry } from '../../nn/activation-spec';
import { ACTIVATIONS, type Activation } from '../../nn/activations';
import { suggestName } from '../../util/errors';
import { nonEmptyList, notA, show, type Same } from './schema-parts';
import type { ExperimentConfig, ExperimentRun } from './types';

// The one description of an experiment: the built-ins (configs/table1.ts, fig3.ts) and experiment files are
// checked against it. Activation names depend on the experiment's own `activations`, so they are a refinement of the
// whole experiment; each derivative is checked numerically afterwards (check-experiment.ts).

const ID = /^[a-z0-9][a-z0-9-]*$/;
const ACTIVATION_NAME = /^[a-z][a-z0-9-]*$/;

const id = (why: string) =>
  z
    .string()
    .regex(ID, { error: (issue) => `ids are lowercase letters, digits and '-'${why}, got ${show(issue.input)}` });

const fn = (what: string) =>
  z.custom<Activation['value']>((v) => typeof v === 'function', {
    error: (issue) => `expected a function of (x: tf.Tensor, settings), ${what}, got ${show(issue.input)}`,
  });

/** The name an experiment gives its own activation: new, and fit for a cell or a folder. */
const activationName = z
  .string()
  .refine((name) => !Object.prototype.hasOwnProperty.call(ACTIVATIONS, name), {
    error: (issue) => `"${String(issue.input)}" is a built-in activation; give yours another name`,
  })
  .regex(ACTIVATION_NAME, {
    error: (issue) => `names are lowercase letters, digits and '-', starting with a letter, got ${show(issue.input)}`,
  });

const activationDefinitionSchema = z.strictObject(
  {
    description: z.string(),
    settings: z
      .record(
        z.string(),
        z.strictObject(
          {
            default: z.number(),
            description: z.string(),
            min: z.number().optional(),
            exclusiveMin: z.boolean().optional(),
          },
          { error: notA('{ default, description }') },
        ),
        { error: notA('{ name: { default, description } }') },
      )
      .readonly()
      .optional(),
    parameter: z.strictObject({ name: z.string(), init: z.number() }).optional(),
    value: fn('the activation'),
    derivative: fn('its elementwise derivative'),
  },
  {
    error: notA('{ description, value(x, settings), derivative(x, settings) }'),
  },
);

/** A name, or a name with settings; which names and settings exist is the registry's (a refinement below). */
const activationSpecSchema = z.union(
  [z.string(), z.looseObject({ name: z.string() }).catchall(z.union([z.number(), z.string()]))],
  {
    error: (issue) =>
      `expected an activation name or { name, ...settings }, got ${show(issue.input)}; known activations: ${Object.keys(ACTIVATIONS).join(', ')}.`,
  },
);

const runSchema = z.strictObject(
  {
    id: id(''),
    label: z.string(),
    forward: activationSpecSchema,
    backward: z.strictObject({ attack: activationSpecSchema, train: activationSpecSchema }),
    paper: z.strictObject({ accuracy: z.number(), robustness: z.number() }).optional(),
  },
  { error: notA('{ id, label, forward, backward: { attack, train } }') },
);

const sweepSchema = z
  .record(z.string(), nonEmptyList(z.json(), 'a non-empty array of values').readonly(), {
    error: notA("{ 'dot.path': [values...] }"),
  })
  .readonly();

type Context = z.RefinementCtx<unknown>;

/** activationProblems' lines (`<path>[.setting]: text`) as issues at the spec's path. */
function addActivationProblems(ctx: Context, spec: unknown, registry: ActivationRegistry, path: PropertyKey[]): void {
  for (const problem of activationProblems(spec, registry, '')) {
    const [, setting, message] = /^(?:\.([^:]+))?: ([\s\S]*)$/.exec(problem) ?? [undefined, undefined, problem];
    ctx.addIssue({ code: 'custom', path: setting ? [...path, setting] : path, message, input: spec });
  }
}

/** Run ids are distinct and name the baseline; runs name known activations with known settings. */
function checkAcrossFields(experiment: z.infer<typeof experimentShape>, ctx: Context): void {
  const ids = experiment.runs.map((run) => run.id);
  ids.forEach((runId, i) => {
    if (ids.indexOf(runId) < i)
      ctx.addIssue({ code: 'custom', path: ['runs', i, 'id'], message: `"${runId}" appears twice` });
  });
  if (ids.length > 0 && !ids.includes(experiment.baseline))
    ctx.addIssue({
      code: 'custom',
      path: ['baseline'],
      message: `"${experiment.baseline}" is not one of the run ids; ${suggestName(experiment.baseline, ids)}`,
    });
  const registry: ActivationRegistry = { ...ACTIVATIONS, ...(experiment.activations as ActivationRegistry) };
  experiment.runs.forEach((run, i) => {
    addActivationProblems(ctx, run.forward, registry, ['runs', i, 'forward']);
    addActivationProblems(ctx, run.backward.attack, registry, ['runs', i, 'backward', 'attack']);
    addActivationProblems(ctx, run.backward.train, registry, ['runs', i, 'backward', 'train']);
  });
}

const experimentShape = z.strictObject(
  {
    id: id(' (they name the results folder)'),
    title: z.string(),
    layout: z.enum(['backward-pair', 'activation']),
    baseline: z.string(),
    runs: nonEmptyList(runSchema, 'a non-empty array of runs'),
    activations: z.record(activationName, activationDefinitionSchema).readonly().optional(),
    sweep: sweepSchema.optional(),
  },
  { error: notA('an experiment object (export default defineExperiment({...}))') },
);

export const experimentSchema = experimentShape.superRefine(checkAcrossFields);

/**
 * Each way round assignable, with the run's `sweepPoint` left out: sweep expansion writes it, a config never does.
 * Activation specs are checked as names here and against the registry by the refinement, so they are compared as
 * the loaded form (`ExperimentConfig<string>`).
 */
type Written = Omit<ExperimentConfig, 'runs'> & { runs: Array<Omit<ExperimentRun, 'sweepPoint'>> };
export const EXPERIMENT_SCHEMA_MATCHES_TYPE: Same<z.infer<typeof experimentSchema>, Written> = true;
