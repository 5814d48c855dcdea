import type { Argv, CommandModule } from 'yargs';
import { fetchDataset } from '../../data/fetch';
import { resolveDataDir, userCacheRoot } from '../../data/locate';
import { DATASET_SOURCES, type FetchableDataset } from '../../data/sources';
import { verifyDataset } from '../../data/verify';

interface FetchArgs {
  name: FetchableDataset;
  root?: string;
}

interface VerifyArgs {
  name: FetchableDataset;
  'data-dir'?: string;
}

const fetchCommand: CommandModule<object, FetchArgs> = {
  command: 'fetch <name>',
  describe: 'download a dataset, check its published MD5s and install it in the cache (or --root)',
  builder: (y: Argv) =>
    y.positional('name', { type: 'string', choices: Object.keys(DATASET_SOURCES), demandOption: true }).option('root', {
      type: 'string',
      describe: 'where datasets live (default: $SAT_BENCH_DATA, else ~/.cache/sat-bench)',
    }) as unknown as Argv<FetchArgs>,
  handler: async (args) => {
    const root = args.root ?? process.env.SAT_BENCH_DATA ?? userCacheRoot();
    const dir = await fetchDataset(args.name, { root, log: (line) => console.log(line) });
    console.log(`${args.name} is ready in ${dir}`);
  },
};

const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <name>',
  describe: 'check a dataset on disk (MNIST: published MD5s; CIFAR-10: record structure and labels)',
  builder: (y: Argv) =>
    y
      .positional('name', { type: 'string', choices: Object.keys(DATASET_SOURCES), demandOption: true })
      .option('data-dir', { type: 'string', describe: "the dataset's folder" }) as unknown as Argv<VerifyArgs>,
  handler: async (args) => {
    const report = await verifyDataset(args.name, resolveDataDir(args.name, args['data-dir']));
    for (const line of report.lines) console.log(line);
    for (const warning of report.warnings) console.log(`warning: ${warning}`);
  },
};

export const dataCommand: CommandModule = {
  command: 'data <command>',
  describe: 'fetch or verify a real dataset (mnist, cifar10)',
  builder: (y: Argv) =>
    y.command(fetchCommand).command(verifyCommand).demandCommand(1, 'name a data command: fetch or verify'),
  handler: () => undefined,
};
