import * as cliProgress from 'cli-progress';
import type { Progress } from '../util/progress';

/**
 * Progress for the terminal: a cli-progress bar per phase when stdout is a TTY; otherwise (CI, logs) only the
 * plain lines (one per epoch and per finished run), so logs stay readable.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  if (!stream.isTTY) {
    return { begin: () => undefined, update: () => undefined, end: () => undefined, log: (line) => stream.write(`${line}\n`) };
  }
  let bar: cliProgress.SingleBar | undefined;
  return {
    begin(label, total) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        { format: `${label} [{bar}] {value}/{total} {status} | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true, stream },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { status: '' });
    },
    update(done, status) {
      bar?.update(done, { status: status ?? '' });
    },
    end() {
      bar?.stop();
      bar = undefined;
    },
    log(line) {
      if (bar) bar.stop();
      bar = undefined;
      stream.write(`${line}\n`);
    },
  };
}
