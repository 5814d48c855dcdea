// Its own module so that the launcher (launch.ts), which must not load the CLI, uses the same codes.
import { INTERRUPT_EXIT_CODES } from '../experiment/orchestration/interrupt';

/**
 * Exit codes: 0 ok, 1 `compare` found a difference, 2 user error, 3 `run` finished but some units stopped for good
 * (collapsed, NaN loss: recorded, named on stderr), 70 internal error (a bug), 130/143 interrupted.
 */
export const EXIT = {
  ok: 0,
  different: 1,
  usage: 2,
  unitsFailed: 3,
  internal: 70,
  sigint: INTERRUPT_EXIT_CODES.SIGINT,
  sigterm: INTERRUPT_EXIT_CODES.SIGTERM,
} as const;
