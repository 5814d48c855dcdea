import { formatShare } from './share-of-peak';

/** What the side-by-side table reads from one `--json` line of `sat-bench bench` or torch_bench.py. */
interface JsonRow {
  workload: string;
  step?: string;
  images_per_s?: number;
  gflops: number;
  share_of_peak?: number;
  backend?: string;
  op?: string;
}

/** The two outputs of one round: `sat-bench bench --json` and `torch_bench.py --json`, as printed. */
export interface Round {
  satBench: string;
  torch: string;
}

/** The JSON objects of an output, one a line; torch_bench.py's `#` comment lines and blank lines are skipped. */
export function parseJsonLines(output: string): JsonRow[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonRow);
}

/** 276, 26.2, 8.41: three significant figures or whole images, as the docs quote them. */
export function formatRate(value: number): string {
  if (value >= 100) return value.toFixed(0);
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** e.g. 'AMD EPYC (family 25 model 17), 2 CPUs, AVX-512', from `lscpu`'s output. */
export function cpuFromLscpu(lscpu: string): string {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(lscpu)?.[1].trim();
  const flags = ` ${field('Flags') ?? ''} `;
  const vector = flags.includes(' avx512f ') ? 'AVX-512' : flags.includes(' avx2 ') ? 'AVX2' : undefined;
  const family = field('CPU family');
  const model = field('Model');
  return [
    `${field('Model name') ?? 'unknown CPU'}${family && model ? ` (family ${family} model ${model})` : ''}`,
    field('CPU\\(s\\)') ? `${field('CPU\\(s\\)')} CPUs` : undefined,
    vector,
  ]
    .filter(Boolean)
    .join(', ');
}

const key = (row: JsonRow) => `${row.workload} ${row.step}`;

/** One cell per round, '—' where that round lacks the row (a run that failed or was filtered). */
function perRound<T>(rounds: T[], cell: (round: T) => string | undefined): string {
  return rounds.map((round) => cell(round) ?? '—').join(' / ');
}

/**
 * The markdown table of R alternating rounds: per workload and step, sat-bench's images/s with its GFLOP/s and share
 * of that round's peak, PyTorch's images/s, and the ratio of the two within each round (rounds are compared only
 * with themselves: on a shared machine the level moves between rounds).
 */
export function sideBySideTable(rounds: readonly Round[]): string {
  const parsed = rounds.map((round) => {
    const sat = parseJsonLines(round.satBench);
    return {
      peaks: sat.filter((r) => r.workload === 'peak'),
      sat: new Map(sat.filter((r) => r.workload !== 'peak').map((r) => [key(r), r])),
      torch: new Map(parseJsonLines(round.torch).map((r) => [key(r), r])),
    };
  });
  const keys = [...new Set(parsed.flatMap((p) => [...p.sat.keys()]))];
  const n = rounds.map((_, i) => `r${i + 1}`).join(' / ');
  const lines = [
    `| workload · step | sat-bench images/s (GFLOP/s, of peak), ${n} | PyTorch images/s, ${n} | ratio, ${n} |`,
    '|---|---|---|---|',
  ];
  for (const k of keys) {
    const backend = parsed.find((p) => p.sat.has(k))?.sat.get(k)?.backend;
    const sat = perRound(parsed, (p) => {
      const r = p.sat.get(k);
      if (r?.images_per_s === undefined) return undefined;
      const share = r.share_of_peak === undefined ? '' : `, ${formatShare(r.share_of_peak)}`;
      return `${formatRate(r.images_per_s)} (${r.gflops.toFixed(1)}${share})`;
    });
    const torch = perRound(parsed, (p) => {
      const r = p.torch.get(k)?.images_per_s;
      return r === undefined ? undefined : formatRate(r);
    });
    const ratio = perRound(parsed, (p) => {
      const ours = p.sat.get(k)?.images_per_s;
      const theirs = p.torch.get(k)?.images_per_s;
      return ours === undefined || !theirs ? undefined : `${(ours / theirs).toFixed(2)}×`;
    });
    lines.push(`| ${k}${backend ? ` (${backend})` : ''} | ${sat} | ${torch} | ${ratio} |`);
  }
  const peaks = parsed.map(
    (p, i) =>
      `r${i + 1} ` +
      (p.peaks.map((peak) => `${peak.gflops.toFixed(1)} GFLOP/s (${peak.op}, ${peak.backend})`).join(', ') || '—'),
  );
  return [...lines, '', `Peak per round: ${peaks.join('; ')}.`].join('\n');
}

export interface SideBySideContext {
  /** cpuFromLscpu's line. */
  cpu: string;
  /** The taskset core list both tools ran on, e.g. '0,1'. */
  cores: string;
  /** When the first round started, ISO 8601. */
  started: string;
}

/** The header (CPU, cores, date, PyTorch's own description line) above the table. */
export function sideBySideReport(rounds: readonly Round[], context: SideBySideContext): string {
  const torchLine = /^# (torch [^\n]*)/m.exec(rounds[0]?.torch ?? '')?.[1];
  return [
    `**${context.cpu}**, cores ${context.cores} (taskset), ${context.started}; ${rounds.length} round(s), ` +
      `each \`sat-bench bench --json\` then torch_bench.py \`--json\`${torchLine ? ` (${torchLine})` : ''}.`,
    '',
    sideBySideTable(rounds),
  ].join('\n');
}
