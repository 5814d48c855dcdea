import { escapeHtml } from '../html-text';
import type { ExperimentResults, SeedRecord } from '../results-folder';

const seconds = (s: number | undefined) =>
  s === undefined || !Number.isFinite(s) ? '—' : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
const shortCommit = (commit: string | null | undefined) =>
  commit ? commit.replace(/^([0-9a-f]{10})[0-9a-f]*/, '$1') : 'not in git';

/** The values every seed shares, said once; those that differ are left to the per-seed table. */
function commonLine(seeds: readonly SeedRecord[]): string {
  const one = (values: Array<string | undefined>) => {
    const set = [...new Set(values.filter((v): v is string => v !== undefined))];
    return set.length === 1 ? set[0] : set.length === 0 ? '—' : `${set.length} different (see below)`;
  };
  const m = seeds.map((s) => s.manifest);
  const parts = [
    ['preset', one(m.map((x) => x?.preset))],
    ['backend', one(m.map((x) => x?.backend))],
    ['commit', one(m.map((x) => (x ? shortCommit(x.gitCommit) : undefined)))],
    ['sat-bench', one(m.map((x) => x?.versions?.satBench))],
    ['tfjs', one(m.map((x) => x?.versions?.tfjs))],
    ['node', one(m.map((x) => x?.versions?.node))],
  ];
  // A unit copied from a twin (copy-twin.ts) cost nothing here: its source's time is counted where the source is.
  const ran = seeds.filter((x) => !x.manifest?.copiedFrom);
  const train = ran.reduce((s, x) => s + (x.manifest?.phases?.train ?? 0), 0);
  const evaluation = ran.reduce((s, x) => s + (x.manifest?.phases?.eval ?? 0), 0);
  const copied = seeds.length - ran.length;
  parts.push([
    'wall time',
    `${seconds(train)} training + ${seconds(evaluation)} evaluation over ${ran.length} (run, seed) units${copied > 0 ? `, ${copied} more copied from finished twins` : ''}`,
  ]);
  return `<p class="provenance-common">${parts.map(([k, v]) => `<b>${k}</b> ${escapeHtml(v)}`).join(' · ')}</p>`;
}

/** Per (run, seed): config hash, backend, commit, times and speed, from its manifest and metrics. */
export function provenanceSection(experiment: ExperimentResults): string {
  if (experiment.seeds.length === 0) return '<p class="muted">No run folders: provenance unknown.</p>';
  const head = [
    'run',
    'seed',
    'config hash',
    'backend',
    'commit',
    'started',
    'ended',
    'sessions',
    'train',
    'eval',
    'train images/s',
    'state',
  ];
  const rows = experiment.seeds.map((s) => {
    const m = s.manifest;
    const cells = [
      s.run,
      String(s.seed),
      m?.configHash ?? s.metrics?.configHash ?? '—',
      m?.backend ?? s.metrics?.backend ?? '—',
      m ? shortCommit(m.gitCommit) : '—',
      m?.startedAt?.replace('T', ' ').replace(/\.\d+Z$/, 'Z') ?? '—',
      m?.endedAt?.replace('T', ' ').replace(/\.\d+Z$/, 'Z') ?? '—',
      String(m?.sessions ?? '—'),
      seconds(m?.phases?.train ?? s.metrics?.trainSeconds),
      seconds(m?.phases?.eval ?? s.metrics?.evalSeconds),
      (m?.trainImagesPerSecond ?? s.metrics?.trainImagesPerSecond)?.toFixed(1) ?? '—',
      s.metrics ? (m?.copiedFrom ? `copied from ${m.copiedFrom}` : 'finished') : 'unfinished',
    ];
    return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `${commonLine(experiment.seeds)}<details><summary>Per (run, seed)</summary><table class="provenance"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}
