import { escapeHtml, tag } from './html-text';
import type { ChartPlan } from './charts/experiment-charts';
import { cellNumber, type ExperimentResults, type ResultsFolder } from './results-folder';
import { provenanceSection } from './sections/provenance';
import { resultsTable, sanityNotes } from './sections/results-table';

/** Inline styles only: the page must open offline, from a file, with nothing fetched. */
const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 32px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; } nav a { margin-right: 14px; } .muted { color: #777; } .setting { color: #444; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; font-variant-numeric: tabular-nums; } th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
th { background: #f6f6f6; font-weight: 600; } td.run, th:first-child { text-align: left; } .spread { color: #777; font-size: 12px; }
tr[data-collapsed] td { background: #fdecea; } .badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600; }
.badge.collapse { background: #d62728; color: white; } .badge.failed { background: #6c757d; color: white; } .badge.cut { background: #b35900; color: white; }
.table-scroll { overflow-x: auto; max-width: 100%; } th.run { text-align: left; }
table.results th, table.results td { white-space: normal; padding: 3px 6px; vertical-align: top; } table.results th { text-align: right; }
table.results th.run, table.results th.sanity, table.results td.sanity { text-align: left; } table.results .spread { display: block; white-space: nowrap; }
table.results th.group { text-align: center; border-bottom: 1px solid #ccc; } table.results td.run { overflow-wrap: break-word; max-width: 15em; } .warn { color: #b35900; text-decoration-style: dotted; } .ok { color: #2b8a3e; }
figure.chart { margin: 12px 0 20px; } figure.chart svg { max-width: 100%; height: auto; } figcaption { color: #555; font-size: 12px; margin-top: 2px; }
figure.chart.collapsed { border-left: 4px solid #d62728; padding-left: 8px; } details { margin: 6px 0; } dt { margin-top: 6px; } dd ul { margin: 2px 0; }
.provenance-common { font-size: 13px; } table.provenance td, table.provenance th { font-size: 12px; }
.note { font-size: 13px; color: #444; max-width: 900px; }
.banner { background: #fff3cd; border-left: 4px solid #b35900; padding: 6px 10px; max-width: 900px; }
`;

/** A banner over an experiment whose runs did not train as long as the preset says (the CSV status names the cut). */
function trainingCutBanner(experiment: ExperimentResults): string {
  const cut = experiment.rows.filter((r) => /training cut/.test(r.status ?? ''));
  if (cut.length === 0) return '';
  const where = [...new Set(cut.map((r) => /training cut ([^;]*)/.exec(r.status)![1]))].join('; ');
  return tag(
    'p',
    { class: 'banner', 'data-banner': 'training-cut' },
    `<b>Training was cut</b> for ${cut.length} of ${experiment.rows.length} runs, ${escapeHtml(where)}: these numbers are not the preset's.`,
  );
}

/** A chart's SVG inline, with its caption and where its PNG lies. */
function figure(plan: ChartPlan, svg: string, pngWritten: boolean): string {
  const files = `${plan.file}.svg${pngWritten ? ` · ${plan.file}.png` : ''}`;
  const badge = plan.collapsed ? ' <span class="badge collapse">collapse</span>' : '';
  return tag(
    'figure',
    {
      class: `chart${plan.collapsed ? ' collapsed' : ''}`,
      'data-chart': plan.id,
      'data-collapsed': plan.collapsed ? 'true' : undefined,
    },
    `${svg}<figcaption>${badge} ${escapeHtml(plan.caption)} <span class="muted">(${escapeHtml(files)})</span></figcaption>`,
  );
}

/** What the bracketed ranges, ± and p mean; the paper's columns are explained only where the table has them. */
function uncertaintyNote(withPaper: boolean): string {
  return `<p class="note">With one seed, the bracketed ranges are 95 % Wilson intervals and Δ's p is McNemar's test: both are
<em>evaluation noise</em> of one trained model on these test examples. With several seeds, ± is the sample standard deviation
(n − 1) over seeds and p is a paired t-test on the per-seed deltas: only that speaks to whether a recipe changes the result.${
    withPaper
      ? `
The paper's columns are its ImageNet numbers (ResNet-50, ε = 4/255, PGD-200), each with its Δ against its baseline below: compare deltas and ordering, not levels.`
      : ''
  }</p>`;
}

function experimentSection(
  experiment: ExperimentResults,
  charts: ReadonlyArray<{ plan: ChartPlan; svg: string; png: boolean }>,
): string {
  const first = experiment.rows[0];
  const epsilon = Number(first?.epsilon);
  const epsilonText = Number.isFinite(epsilon)
    ? `${Number(epsilon.toFixed(4))} (${(255 * epsilon).toFixed(1)}/255)`
    : first?.epsilon;
  const step = first?.eval_step_size_factor ? ` (step ${Number(first.eval_step_size_factor)}ε)` : '';
  const setting = first
    ? `${first.dataset}, ${first.model}, ε = ${epsilonText}, PGD-${first.eval_steps}${step} on ${first.eval_examples} test examples, attack suite ${first.attack_suite ?? '—'}`
    : '';
  const of = (section: ChartPlan['section']) =>
    charts
      .filter((c) => c.plan.section === section)
      .map((c) => figure(c.plan, c.svg, c.png))
      .join('');
  const curves = of('curves');
  const sweeps = of('sweep');
  return [
    tag(
      'section',
      { id: `experiment-${experiment.id}`, 'data-experiment': experiment.id },
      [
        `<h2>${escapeHtml(experiment.title)}</h2>`,
        trainingCutBanner(experiment),
        `<p class="setting">${escapeHtml(setting)}; deltas against <b>${escapeHtml(experiment.baseline)}</b>${experiment.columns.some((c) => c.startsWith('sweep_')) ? ' at the same sweep point' : ''}.</p>`,
        resultsTable(experiment),
        uncertaintyNote(experiment.rows.some((r) => cellNumber(r, 'paper_accuracy') !== undefined)),
        sanityNotes(experiment),
        '<h3>Δ versus the baseline</h3>',
        of('delta') ||
          `<p class="muted">No run besides the baseline (${escapeHtml(experiment.baseline)}) has finished: no delta to show yet.</p>`,
        '<h3>Robustness vs accuracy</h3>',
        of('scatter'),
        sweeps ? `<h3>Sweeps</h3>${sweeps}` : '',
        '<h3>Training curves</h3>',
        curves || '<p class="muted">No train-log.json in any run folder.</p>',
        '<h3>Provenance</h3>',
        provenanceSection(experiment),
      ].join('\n'),
    ),
  ].join('');
}

/** The whole page: one self-contained HTML document (inline CSS and SVG; no script, no external resource). */
export function htmlPage(
  folder: ResultsFolder,
  charts: ReadonlyArray<{ experiment: string; plan: ChartPlan; svg: string; png: boolean }>,
): string {
  const nav = folder.experiments
    .map((e) => `<a href="#experiment-${escapeHtml(e.id)}">${escapeHtml(e.id)}</a>`)
    .join('');
  const sections = folder.experiments.map((e) =>
    experimentSection(
      e,
      charts.filter((c) => c.experiment === e.id),
    ),
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>sat-bench report: ${escapeHtml(folder.preset)}</title><style>${STYLE}</style></head>
<body><h1>sat-bench report: preset <code>${escapeHtml(folder.preset)}</code></h1>
<p class="muted">Smooth Adversarial Training (Xie et al., arXiv 2006.14536), reproduced at this preset's scale. Rebuilt by <code>sat-bench report</code> from the finished runs in this folder.</p>
<nav>${nav}</nav>
${sections.join('\n') || '<p>No experiment results in this folder.</p>'}
</body></html>
`;
}
