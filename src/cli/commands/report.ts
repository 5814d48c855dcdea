import * as path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { EXPERIMENTS, PRESET_NAMES } from '../../experiment/config/registry';
import { resolveExperiment } from '../../experiment/config/resolve';
import { expandSweep } from '../../experiment/config/sweep';
import { collectFailed, describeFailure } from '../../experiment/store/failed-units';
import { collectFinished } from '../../experiment/store/results';
import { settingLine, writeReports } from '../../experiment/store/write-reports';
import { UserError } from '../../util/errors';
import { csvRows } from '../csv-rows';
import { JSON_OPTION, outputFor, resultsTableText } from '../output';
import { choosePresetFolder } from '../preset-folder';

interface ReportArgs {
  experiment: string;
  preset?: string;
  out: string;
  json: boolean;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <experiment>',
  describe:
    "rebuild an experiment's CSV, markdown table, charts and the folder's index.html from its finished runs, and print the table",
  builder: (y: Argv) =>
    y
      .positional('experiment', {
        type: 'string',
        demandOption: true,
        describe: `${Object.keys(EXPERIMENTS).join(', ')}, or an experiment file`,
      })
      .option('preset', {
        type: 'string',
        describe: `the results folder's preset: ${PRESET_NAMES.join(', ')}, or a preset file's name (default: the one preset folder under --out that holds the experiment)`,
      })
      .option('out', { type: 'string', default: 'results', describe: 'results folder' })
      .option('json', JSON_OPTION) as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const experiment = expandSweep(await resolveExperiment(args.experiment));
    const presetName = choosePresetFolder(args.preset, args.out, experiment.id);
    const finished = collectFinished(args.out, presetName, experiment);
    if (finished.size === 0) {
      throw new UserError(
        'no-results',
        `report: no finished runs of ${experiment.id} under ${path.join(args.out, presetName, experiment.id)}`,
        `run sat-bench run ${experiment.id} --preset ${presetName} --out ${args.out} first`,
      );
    }
    const failed = collectFailed(args.out, presetName, experiment);
    const { csvPath, htmlPath } = await writeReports(path.join(args.out, presetName), experiment, finished, failed);
    const out = outputFor(args.json);
    out.human(`wrote ${csvPath} and its .md beside it`);
    out.human(`report: ${htmlPath}`);
    if (!args.json) {
      out.human(`\n${experiment.title}\n${settingLine(finished)}\n`);
      out.human(resultsTableText(csvPath, experiment.baseline));
      for (const f of [...failed.values()].flat()) out.human(`not finished: ${f.run} ${describeFailure(f)}`);
    }
    out.result({ experiment: experiment.id, preset: presetName, csv: csvPath, html: htmlPath, rows: csvRows(csvPath) });
  },
};
