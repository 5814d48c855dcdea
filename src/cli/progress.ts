import * as cliProgress from 'cli-progress';
import type { Progress } from '../util/progress';

/** Without a TTY, a long phase prints a timestamped line at least this often (batches permitting): logs show life. */
export const HEARTBEAT_SECONDS = 30;

/**
 * Progress for the terminal, on stderr (stdout is for results: `--json` documents, `wrote ...` lines): a
 * cli-progress bar per phase on a TTY; otherwise (CI, Slurm logs) the plain lines (one per epoch and per finished
 * run), plus a timestamped heartbeat during long phases.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  return stream.isTTY ? barProgress(stream) : logProgress(stream, now);
}

function logProgress(stream: NodeJS.WritableStream, now: () => number): Progress {
  let phase = { label: '', total: 0 };
  let lastLine = now();
  const write = (line: string) => {
    stream.write(`${line}\n`);
    lastLine = now();
  };
  return {
    // The heartbeat counts from the last line printed, not from the phase's start: many short phases (eval's
    // attacks, one after another) must not keep it quiet.
    begin(label, total) {
      phase = { label, total };
    },
    update(done, status) {
      if (now() - lastLine < HEARTBEAT_SECONDS * 1000) return;
      write(`${new Date(now()).toISOString()} ${phase.label} ${done}/${phase.total}${status ? ` ${status}` : ''}`);
    },
    end: () => undefined,
    log: write,
  };
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: cliProgress.SingleBar | undefined;
  return {
    begin(label, total) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} {status} | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          stream,
        },
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
