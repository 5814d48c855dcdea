import type { Argv, CommandModule } from 'yargs';
import { UnitsFailed } from '../../experiment/store/failed-units';
import { mergeResults } from '../../experiment/store/merge';
import { terminalProgress } from '../progress';

interface MergeArgs {
  dirs: string[];
  out: string;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs...>',
  describe: "join shard result folders (--shard / --eval-shard) into one, checking nothing is missing or duplicated",
  builder: (y: Argv) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: "each shard's --out folder" })
      .option('out', { type: 'string', demandOption: true, describe: 'the merged results folder' }) as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    const { written, failed } = await mergeResults(args.dirs, args.out, terminalProgress());
    for (const file of written) console.log(`wrote ${file}`);
    if (failed.length > 0) throw new UnitsFailed(failed);
  },
};
