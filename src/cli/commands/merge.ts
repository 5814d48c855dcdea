import * as path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { resolveExperiment } from '../../experiment/config/resolve';
import { expandSweep } from '../../experiment/config/sweep';
import { UnitsFailed } from '../../experiment/store/failed-units';
import { mergeResults } from '../../experiment/store/merge';
import { EXPERIMENTS } from '../../experiment/config/registry';
import type { ExperimentConfig } from '../../experiment/config/types';
import { resultsTableText } from '../output';
import { terminalProgress } from '../progress';

/** The baseline of an experiment by its id: a built-in, or one of the files given with --experiment. */
function baselineOf(id: string, files: readonly ExperimentConfig[]): string | undefined {
  return files.find((f) => f.id === id)?.baseline ?? (EXPERIMENTS as Record<string, ExperimentConfig>)[id]?.baseline;
}

interface MergeArgs {
  dirs: string[];
  out: string;
  experiment?: string[];
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs...>',
  describe: 'join shard result folders (--shard / --eval-shard) into one, checking nothing is missing or duplicated',
  builder: (y: Argv) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: "each shard's --out folder" })
      .option('out', { type: 'string', demandOption: true, describe: 'the merged results folder' })
      .option('experiment', {
        type: 'string',
        array: true,
        describe: 'the experiment file(s) the shards ran, when not built in',
      }) as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    // Swept experiments as the shards ran them: one run per (run, swept value).
    const files = await Promise.all(
      (args.experiment ?? []).map(async (file) => expandSweep(await resolveExperiment(file))),
    );
    const { written, failed } = await mergeResults(args.dirs, args.out, terminalProgress(), files);
    for (const file of written) console.log(`wrote ${file}`);
    for (const file of written.filter((f) => f.endsWith('.csv'))) {
      const baseline = baselineOf(path.basename(file, '.csv'), files);
      if (baseline !== undefined) console.log(`\n${resultsTableText(file, baseline)}`);
    }
    if (failed.length > 0) throw new UnitsFailed(failed);
  },
};
