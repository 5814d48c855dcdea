import * as path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { KillSwitch } from '../../experiment/kill-point';
import { EXPERIMENTS, PRESET_NAMES, type ExperimentName } from '../../experiment/registry';
import { collectFailed, describeFailure } from '../../experiment/failed-units';
import { collectFinished } from '../../experiment/results';
import { reportRows, settingLine, writeReports } from '../../experiment/write-reports';
import { formatTable, REPORT_COLUMNS, reportCells } from '../../report/table';
import { UserError } from '../../util/errors';

interface ReportArgs {
  experiment: ExperimentName;
  preset: string;
  out: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <experiment>',
  describe: "rebuild an experiment's CSV, markdown table, charts and the folder's index.html from its finished runs, and print the table",
  builder: (y: Argv) =>
    y
      .positional('experiment', { type: 'string', choices: Object.keys(EXPERIMENTS), demandOption: true })
      .option('preset', { type: 'string', choices: PRESET_NAMES, default: 'quick' })
      .option('out', { type: 'string', default: 'results', describe: 'results folder' }) as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const experiment = EXPERIMENTS[args.experiment];
    const finished = collectFinished(args.out, args.preset, experiment);
    if (finished.size === 0) {
      throw new UserError('no-results', `report: no finished runs of ${experiment.id} under ${path.join(args.out, args.preset, experiment.id)}`, `run sat-bench run ${experiment.id} --preset ${args.preset} --out ${args.out} first`);
    }
    const failed = collectFailed(args.out, args.preset, experiment);
    const { csvPath, htmlPath } = await writeReports(path.join(args.out, args.preset), experiment, finished, KillSwitch.fromEnv(), failed);
    console.log(`${experiment.title}\n${settingLine(finished)}\n`);
    console.log(formatTable(REPORT_COLUMNS, reportRows(experiment, finished).map(reportCells)));
    for (const f of [...failed.values()].flat()) console.log(`not finished: ${f.run} ${describeFailure(f)}`);
    console.log(`\nwrote ${csvPath} and its .md / .svg beside it`);
    console.log(`report: ${htmlPath}`);
  },
};
