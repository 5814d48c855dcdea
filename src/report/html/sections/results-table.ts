import { sanityFlagMeaning } from '../../../eval/sanity';
import { SANITY_DOCS } from '../../../eval/sanity-warnings';
import { baselineForRunId } from '../../sweep-cells';
import { fewerPairs, pairsText as pairsWords } from '../../table';
import { escapeHtml, signed, tag } from '../html-text';
import { pgdName } from '../charts/attack-name';
import { cellNumber, collapseEpoch, seedsOf, type CsvRow, type ExperimentResults } from '../results-folder';

/** Columns this table shows in its own way, or in the setting line and provenance; every other column is listed as is. */
const SHOWN = new Set([
  'run',
  'attacker_backward',
  'optimizer_backward',
  'activation',
  'accuracy',
  'robustness',
  'accuracy_delta',
  'robustness_delta',
  'paper_accuracy',
  'paper_robustness',
  'preset',
  'dataset',
  'model',
  'epsilon',
  'eval_steps',
  'eval_examples',
  'seed',
  'backend',
  'robustness_worst',
  'attack_suite',
  'sanity',
  'seeds',
  'delta_pairs',
  'accuracy_delta_p',
  'robustness_delta_p',
  // In the setting line (step), in the worst-case cell's hover (gap), their own column (AutoAttack), or the run cell (status).
  'eval_step_size_factor',
  'eval_step_size',
  'worst_minus_pgd',
  'robustness_aa',
  'status',
]);
const SPREAD = /^(accuracy|robustness|robustness_worst|robustness_aa)_(std|min|max|ci_low|ci_high)$/;

/** Our value with its uncertainty: "± std" over seeds, or the Wilson interval of one evaluation. */
function oursCell(row: CsvRow, metric: string): string {
  const value = cellNumber(row, metric);
  if (value === undefined) return '—';
  const std = cellNumber(row, `${metric}_std`);
  if (std !== undefined) {
    const hover = `mean ± sample std (n − 1) over ${row.seeds} seeds; min ${row[`${metric}_min`]}, max ${row[`${metric}_max`]}`;
    return tag('span', { title: hover }, `${value.toFixed(2)} <span class="spread">± ${std.toFixed(2)}</span>`);
  }
  const [low, high] = [cellNumber(row, `${metric}_ci_low`), cellNumber(row, `${metric}_ci_high`)];
  if (low === undefined || high === undefined) return value.toFixed(2);
  return tag(
    'span',
    { title: '95 % Wilson interval: evaluation noise of this one trained model' },
    `${value.toFixed(2)} <span class="spread">[${low.toFixed(1)}, ${high.toFixed(1)}]</span>`,
  );
}

/** Our Δ with its p below; with several seeds, how many pairs it was taken over where the seed sets differ. */
function deltaCell(row: CsvRow, metric: string, baselineRow: CsvRow | undefined, baseline: boolean): string {
  if (baseline) return '<span class="muted">baseline</span>';
  const pairs = fewerPairs(row, baselineRow);
  const pairsText =
    pairs === undefined
      ? ''
      : ` ${tag('span', { class: 'spread', title: `mean of the per-seed deltas over the ${pairs} seeds both runs finished (${row.seeds} of this run, ${baselineRow?.seeds ?? 0} of the baseline)` }, pairsWords(pairs))}`;
  const delta = cellNumber(row, `${metric}_delta`);
  if (delta === undefined) return `—${pairsText}`;
  const p = cellNumber(row, `${metric}_delta_p`);
  const test = row.seeds ? 'paired t-test over seeds' : "McNemar's test on the same examples";
  const pText =
    p === undefined ? '' : ` <span class="spread" title="${test}">p ${p < 0.001 ? '< 0.001' : p.toPrecision(2)}</span>`;
  return `${signed(delta)}${pText}${pairsText}`;
}

/** The paper's number with its Δ against the paper's baseline below it (the baseline's own: the number alone). */
function paperCell(row: CsvRow, baselineRow: CsvRow | undefined, metric: string, baseline: boolean): string {
  const [value, base] = [cellNumber(row, `paper_${metric}`), baselineRow && cellNumber(baselineRow, `paper_${metric}`)];
  if (value === undefined) return '—';
  if (baseline || base === undefined) return escapeHtml(row[`paper_${metric}`]);
  return `${escapeHtml(row[`paper_${metric}`])} ${tag('span', { class: 'spread', title: `the paper's Δ against its ${baselineRow!.run}` }, signed(value - base, 1))}`;
}

/** AutoAttack's robust accuracy; its hover says how far below the paper's PGD it is. */
function autoAttackCell(row: CsvRow): string {
  const [aa, pgd] = [cellNumber(row, 'robustness_aa'), cellNumber(row, 'robustness')];
  if (aa === undefined) return '—';
  const cell = oursCell(row, 'robustness_aa');
  return pgd === undefined
    ? cell
    : tag('span', { title: `${(pgd - aa).toFixed(2)} pts below PGD-${row.eval_steps ?? 'k'}` }, cell);
}

/** The worst case over the suite; its hover says how far below the paper's PGD it is. */
function worstCell(row: CsvRow): string {
  const gap = cellNumber(row, 'worst_minus_pgd');
  const cell = oursCell(row, 'robustness_worst');
  return gap === undefined
    ? cell
    : tag(
        'span',
        { title: `${gap.toFixed(2)} pts below PGD-${row.eval_steps ?? 'k'}: what the rest of the suite broke` },
        cell,
      );
}

/**
 * A row's status when it is not `ok`, shown where the run is named: `ok; training cut …` (shorter than the preset)
 * and what stopped a seed's training (`ok; …` when other seeds finished), each its own badge.
 */
function statusBadge(row: CsvRow): string {
  const status = row.status ?? '';
  if (status === '' || status === 'ok') return '';
  const [first, ...rest] = status.split('; ');
  const finished = first === 'ok';
  const cut = (finished ? rest : [first, ...rest]).filter((part) => part.startsWith('training cut'));
  const failures = (finished ? rest : [first, ...rest]).filter((part) => !part.startsWith('training cut'));
  const badges = [
    ...(cut.length > 0 ? [tag('span', { class: 'badge cut', title: status }, 'training cut')] : []),
    ...(failures.length > 0
      ? [tag('span', { class: 'badge failed', title: status }, finished ? 'some seeds failed' : 'failed')]
      : []),
  ];
  return badges.map((badge) => ` ${badge}`).join('');
}

function sanityCell(cell: string | undefined): string {
  if (!cell) return '—';
  if (cell === 'ok') return '<span class="ok">ok</span>';
  return cell
    .split('+')
    .map((name) =>
      tag('abbr', { class: 'warn', title: sanityFlagMeaning(name) ?? `see ${SANITY_DOCS}` }, escapeHtml(name)),
    )
    .join(' + ');
}

/** "collapsed (seed 1, epoch 5)" when a seed's guard saw catastrophic overfitting, or when the row itself says so. */
export function collapseNote(experiment: ExperimentResults, row: CsvRow): string | undefined {
  const seeds = seedsOf(experiment, row.run).flatMap((s) =>
    collapseEpoch(s) !== undefined ? [`seed ${s.seed}, epoch ${collapseEpoch(s)}`] : [],
  );
  if (seeds.length) return `collapsed (${seeds.join('; ')})`;
  return Object.values(row).some((cell) => /collaps/i.test(cell)) ? 'collapsed' : undefined;
}

/** A run id that may break before each `@` of a sweep (`psoftplus-relu@epsilon=0.1`), so long ids wrap. */
const runName = (run: string) => escapeHtml(run).replace(/@/g, '<wbr>@');

/**
 * The experiment's table: per metric ours (its uncertainty on a line below), our Δ against the baseline (p below),
 * and the paper's number (its Δ below) when the experiment has paper numbers; then worst case, AutoAttack where it
 * ran, other columns and sanity. Built to fit an 800 px window: cells wrap instead of widening the page.
 */
export function resultsTable(experiment: ExperimentResults): string {
  const extra = experiment.columns.filter((c) => !SHOWN.has(c) && !SPREAD.test(c));
  const withAutoAttack = experiment.rows.some((row) => cellNumber(row, 'robustness_aa') !== undefined);
  const withPaper = experiment.rows.some(
    (row) => cellNumber(row, 'paper_accuracy') !== undefined || cellNumber(row, 'paper_robustness') !== undefined,
  );
  const perMetric = ['ours', 'Δ', ...(withPaper ? ['paper (Δ)'] : [])];
  const single = (text: string, className?: string) => tag('th', { rowspan: '2', class: className }, escapeHtml(text));
  const group = (text: string) => tag('th', { colspan: String(perMetric.length), class: 'group' }, escapeHtml(text));
  const head = [
    `<tr>${single('run', 'run')}${group('clean accuracy (%)')}${group(`robustness under ${pgdName(experiment.rows)} (%)`)}${single('worst case')}${withAutoAttack ? single('AutoAttack', 'autoattack') : ''}${extra.map((c) => single(c)).join('')}${single('sanity', 'sanity')}</tr>`,
    `<tr>${[...perMetric, ...perMetric].map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`,
  ];
  const body = experiment.rows.map((row) => {
    // Against the baseline at the row's own sweep point (the experiment's baseline without a sweep).
    const baselineId = baselineForRunId(row.run, experiment.baseline);
    const isBaseline = row.run === baselineId;
    const baselineRow = experiment.rows.find((r) => r.run === baselineId);
    const collapsed = collapseNote(experiment, row);
    const runCell = `${runName(row.run)}${collapsed ? ` <span class="badge collapse">${escapeHtml(collapsed)}</span>` : ''}${statusBadge(row)}`;
    const metric = (name: 'accuracy' | 'robustness') => [
      oursCell(row, name),
      deltaCell(row, name, baselineRow, isBaseline),
      ...(withPaper ? [paperCell(row, baselineRow, name, isBaseline)] : []),
    ];
    const cells: Array<[string, string | undefined]> = [
      [runCell, 'run'],
      ...metric('accuracy').map((c): [string, undefined] => [c, undefined]),
      ...metric('robustness').map((c): [string, undefined] => [c, undefined]),
      [worstCell(row), undefined],
      ...(withAutoAttack ? [[autoAttackCell(row), 'autoattack'] as [string, string]] : []),
      ...extra.map((c): [string, undefined] => [escapeHtml(row[c] ?? ''), undefined]),
      [sanityCell(row.sanity), 'sanity'],
    ];
    return tag(
      'tr',
      { 'data-run': row.run, 'data-collapsed': collapsed ? 'true' : undefined },
      cells.map(([c, className]) => tag('td', { class: className }, c)).join(''),
    );
  });
  // A scroll box of its own as the last resort: many unknown columns may still make the table wider than the page, never the page wider.
  return `<div class="table-scroll"><table class="results"><thead>${head.join('')}</thead><tbody>${body.join('')}</tbody></table></div>`;
}

/** Every failed sanity check of the experiment in words: what it checks, then what each (run, seed) measured. */
export function sanityNotes(experiment: ExperimentResults): string {
  const failed = new Map<string, string[]>();
  for (const seed of experiment.seeds) {
    for (const check of seed.metrics?.evaluation?.sanity.checks ?? []) {
      if (!check.passed)
        failed.set(check.name, [...(failed.get(check.name) ?? []), `${seed.run} seed ${seed.seed}: ${check.detail}`]);
    }
  }
  if (failed.size === 0) return '<p class="muted">Every sanity check passed on every evaluated seed.</p>';
  const items = [...failed].map(
    ([name, details]) =>
      `<dt><span class="warn">${escapeHtml(name)}</span>: ${escapeHtml(sanityFlagMeaning(name) ?? `see ${SANITY_DOCS}`)}</dt>` +
      `<dd><ul>${details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul></dd>`,
  );
  return `<details class="sanity" open><summary>Sanity warnings in words (${failed.size} kind${failed.size > 1 ? 's' : ''}; ${escapeHtml(SANITY_DOCS)})</summary><dl>${items.join('')}</dl></details>`;
}
