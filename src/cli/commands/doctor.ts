import type { CommandModule } from 'yargs';
import { formatDoctor, runDoctor } from '../../engine/doctor';

export const doctorCommand: CommandModule = {
  command: 'doctor',
  describe: 'show each backend (tensorflow-gpu/cpu, webgpu, wasm, cpu, onnxruntime kernels): whether it loads, and why not',
  handler: async () => {
    console.log(formatDoctor(await runDoctor()));
  },
};
