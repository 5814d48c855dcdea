import type { Argv, CommandModule } from 'yargs';
import { formatDoctor, runDoctor } from '../../engine/doctor';
import { JSON_OPTION, outputFor } from '../output';

export const doctorCommand: CommandModule<object, { json: boolean }> = {
  command: 'doctor',
  describe:
    'show each backend (tensorflow-gpu/cpu, webgpu, wasm, cpu, onnxruntime kernels): whether it loads, and why not',
  builder: (y: Argv) => y.option('json', JSON_OPTION) as unknown as Argv<{ json: boolean }>,
  handler: async (args) => {
    const out = outputFor(args.json);
    const report = await runDoctor();
    out.human(formatDoctor(report));
    out.result(report);
  },
};
