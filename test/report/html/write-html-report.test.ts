import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readResultsFolder } from '../../../src/experiment/store/results-folder';
import { writeHtmlReport } from '../../../src/report/html/write-html-report';
import { KNOWN, writeExtendedFixtureFolder, writeFixtureFolder } from './fixture-folder';

const CHROMIUM = process.env.SAT_BENCH_CHROMIUM ?? '/usr/bin/chromium';
// Offline and quiet: no sandbox (containers), no GPU, nothing fetched in the background.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Skips with the reason where Chromium is missing, except in CI, where the report must be checked. */
function chromiumMissing(t: { skip(message: string): void }): boolean {
  if (fs.existsSync(CHROMIUM)) return false;
  const reason = `${CHROMIUM} not found (apt-get install chromium, or set SAT_BENCH_CHROMIUM)`;
  if (process.env.CI === 'true') assert.fail(`CI: ${reason}`);
  t.skip(reason);
  return true;
}

test('the report of several seeds and a collapsed run opens offline in Chromium with every chart drawn and the collapse marked', async (t) => {
  if (chromiumMissing(t)) return;
  const presetDir = writeFixtureFolder();
  const { htmlPath, chartFiles } = await writeHtmlReport(readResultsFolder(presetDir, KNOWN, ['table1', 'fig3']));
  assert.ok(
    chartFiles.some((f) => f.endsWith('.png')),
    'every chart also exported as PNG',
  );
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`network request: ${r.url()}`));
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    // Table 1 and Figure 3: Δ, scatter, the training curves of both runs.
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.getAttribute('data-chart'),
          marks: svg?.querySelectorAll('.role-mark *').length ?? 0,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    assert.deepEqual(
      charts.map((c) => c.id),
      ['table1-delta', 'table1-scatter', 'table1-curves', 'fig3-delta', 'fig3-scatter', 'fig3-curves'],
    );
    for (const c of charts) assert.ok(c.marks > 5 && c.width > 100 && c.height > 50, `${c.id}: ${JSON.stringify(c)}`);
    // The collapse: the table row, the chart's frame, and a red dashed rule at epoch 3 in each panel.
    assert.deepEqual(await page.$$eval('tr[data-collapsed] td.run', (cells) => cells.map((c) => c.textContent)), [
      'psoftplus-relu collapsed (seed 1, epoch 3)',
    ]);
    const collapsed = await page.$$eval('figure[data-collapsed="true"]', (figures) =>
      figures.map((f) => ({
        id: f.getAttribute('data-chart'),
        rules: f.querySelectorAll('.role-mark[class*="collapse-marker"] line').length,
        label: f.querySelector('.collapse-label text')?.textContent,
      })),
    );
    assert.deepEqual(collapsed, [{ id: 'table1-curves', rules: 3, label: 'collapse: psoftplus-relu seed 1' }]);
    assert.equal(
      await page.$$eval('figure[data-chart="fig3-curves"] .role-mark[class*="collapse-marker"] line', (l) => l.length),
      0,
    );
    const shot = await page.screenshot({ fullPage: true });
    const sharp = (await import('sharp')).default;
    const stats = await sharp(shot).stats();
    assert.ok(
      stats.channels.some((c) => c.max - c.min > 100),
      'the screenshot is not one flat colour',
    );
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

/** Every file under `dir`, relative paths. */
const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile());

test('a report that fails between writing its temporary files and renaming them leaves no .tmp file behind', async () => {
  const presetDir = writeFixtureFolder();
  // A folder where index.html goes: its temp copy is written, then the rename onto the folder fails (EISDIR).
  fs.mkdirSync(path.join(presetDir, 'index.html'));
  const folder = readResultsFolder(presetDir, KNOWN, ['table1', 'fig3']);
  await assert.rejects(writeHtmlReport(folder), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
  assert.deepEqual(
    filesUnder(presetDir).filter((f) => /\.tmp$/.test(f)),
    [],
  );
});

/** A box of what a reader sees, measured in the page. */
interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

// One report of the extended fixture and one browser, shared by the tests below (each opens its own page).
let opened: Promise<{ htmlPath: string; browser: import('playwright-core').Browser }> | undefined;
function openExtendedReport() {
  opened ??= (async () => {
    const { htmlPath } = await writeHtmlReport(
      readResultsFolder(writeExtendedFixtureFolder(), KNOWN, ['table1', 'fig3', 'own']),
    );
    const { chromium } = await import('playwright-core');
    return { htmlPath, browser: await chromium.launch({ executablePath: CHROMIUM, args: ARGS }) };
  })();
  return opened;
}
after(async () => {
  if (opened) await (await opened).browser.close();
});

/** The extended report at `width` px, with helpers that measure it. */
async function reportAt(width: number) {
  const { htmlPath, browser } = await openExtendedReport();
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  const boxes = (selector: string): Promise<Box[]> =>
    page.$$eval(selector, (nodes) =>
      nodes.map((n) => {
        const r = n.getBoundingClientRect();
        return { text: n.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
  const svgText = (chart: string) => page.$eval(`figure[data-chart="${chart}"] svg`, (svg) => svg.textContent ?? '');
  return { page, boxes, svgText };
}

test('every run on the Figure 3 scatter is drawn apart and named, and no label covers another', async (t) => {
  if (chromiumMissing(t)) return;
  const { page, boxes } = await reportAt(1280);
  // smoothrelu and elu have the same numbers: one spot in the data, two points and two labels on the page.
  const labels = await boxes('figure[data-chart="fig3-scatter"] .role-mark[class*="ours-labels"] text');
  assert.deepEqual(labels.map((l) => l.text).sort(), ['elu', 'relu', 'silu', 'smoothrelu']);
  for (const [i, a] of labels.entries())
    for (const b of labels.slice(i + 1)) assert.ok(!overlap(a, b), `labels ${a.text} and ${b.text} overlap`);
  const points = await boxes('figure[data-chart="fig3-scatter"] .role-mark[class*="ours-points"] path');
  assert.equal(points.length, 4);
  for (const [i, a] of points.entries())
    for (const b of points.slice(i + 1))
      assert.ok(
        Math.hypot(a.left - b.left, a.top - b.top) >= 6,
        `two points drawn on one spot: ${JSON.stringify([a, b])}`,
      );
  await page.close();
});

test('an experiment without paper numbers gets no paper panel and no paper legend entry; Figure 3 keeps both', async (t) => {
  if (chromiumMissing(t)) return;
  const { page, svgText } = await reportAt(1280);
  assert.doesNotMatch(await svgText('own-scatter'), /paper/);
  assert.doesNotMatch(await svgText('own-delta'), /paper/);
  assert.match(await svgText('fig3-scatter'), /paper \(diamonds/);
  assert.match(await svgText('fig3-delta'), /paper \(ImageNet\)/);
  await page.close();
});

test('tick labels on every axis of every chart stand at least 6 px apart and read as plain numbers', async (t) => {
  if (chromiumMissing(t)) return;
  const { page } = await reportAt(1280);
  // The own experiment's Δ accuracy spans about a point: ticks every 0.1 would run together.
  const axes = await page.$$eval('figure.chart .role-axis', (groups) =>
    groups.map((g) => ({
      chart: g.closest('figure')?.getAttribute('data-chart'),
      labels: [...g.querySelectorAll('.role-axis-label text')]
        .filter((n) => n.getAttribute('opacity') !== '0')
        .map((n) => {
          const r = n.getBoundingClientRect();
          return { text: n.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
    })),
  );
  assert.ok(axes.length > 10, `${axes.length} axes`);
  for (const axis of axes) {
    for (const label of axis.labels)
      assert.doesNotMatch(label.text, /\de[+-]\d/, `${axis.chart}: a tick in exponent notation`);
    const horizontal = axis.labels.length > 1 && Math.abs(axis.labels[0].top - axis.labels[1].top) < 1;
    const sorted = [...axis.labels].sort((a, b) => (horizontal ? a.left - b.left : a.top - b.top));
    for (let i = 1; i < sorted.length; i++) {
      const gap = horizontal ? sorted[i].left - sorted[i - 1].right : sorted[i].top - sorted[i - 1].bottom;
      assert.ok(
        gap >= 6,
        `${axis.chart}: tick labels ${sorted[i - 1].text} and ${sorted[i].text} are ${gap.toFixed(1)} px apart`,
      );
    }
  }
  await page.close();
});

test('axis titles name the attack as it ran, with its steps', async (t) => {
  if (chromiumMissing(t)) return;
  const { page } = await reportAt(1280);
  // The fixture evaluated with PGD-5 (eval_steps 5); the paper's panel says its own PGD-200.
  const titles = await page.$$eval(
    'figure[data-chart="fig3-scatter"] .role-axis-title text, figure[data-chart="fig3-delta"] .role-axis-title text',
    (n) => n.map((x) => x.textContent),
  );
  assert.ok(titles.includes('robustness under PGD-5 (%)'), titles.join(' | '));
  assert.ok(titles.includes('robustness under PGD-200 (%)'), titles.join(' | '));
  assert.ok(titles.includes('Δ robustness under PGD-5 (points)'), titles.join(' | '));
  assert.ok(!titles.some((x) => /PGD \(/.test(x ?? '')), titles.join(' | '));
  await page.close();
});

test('training curves are one chart per experiment, with a line per run in each metric panel', async (t) => {
  if (chromiumMissing(t)) return;
  const { page } = await reportAt(1280);
  const curves = await page.$$eval('figure[data-chart*="-curves"]', (f) => f.map((x) => x.getAttribute('data-chart')));
  assert.deepEqual(curves, ['table1-curves', 'fig3-curves', 'own-curves']);
  // Figure 3: four runs of one seed each, in the loss, adversarial accuracy and held-out panels: 12 lines.
  const lines = await page.$$eval(
    'figure[data-chart="fig3-curves"] .role-mark[class*="run-line"] path',
    (p) => p.length,
  );
  assert.equal(lines, 12);
  const legend = await page.$$eval('figure[data-chart="fig3-curves"] .role-legend-label text', (t) =>
    t.map((x) => x.textContent),
  );
  assert.deepEqual(legend, ['relu', 'smoothrelu', 'elu', 'silu']); // config order
  await page.close();
});

test('at 800 px the results tables fit the page, with the worst case and sanity columns in view', async (t) => {
  if (chromiumMissing(t)) return;
  const { page } = await reportAt(800);
  const tables = await page.$$eval('table.results', (list) =>
    list.map((table) => {
      const box = table.parentElement!;
      const heads = [...table.querySelectorAll('th')].map((th) => ({
        text: th.textContent,
        right: th.getBoundingClientRect().right,
      }));
      return { scroll: box.scrollWidth - box.clientWidth, heads };
    }),
  );
  assert.equal(tables.length, 3);
  for (const table of tables) {
    assert.equal(table.scroll, 0, `the table scrolls by ${table.scroll} px`);
    for (const name of ['worst case', 'sanity']) {
      const head = table.heads.find((h) => h.text?.startsWith(name));
      assert.ok(head && head.right <= 800, `${name}: ${JSON.stringify(head)}`);
    }
  }
  await page.close();
});

test('AutoAttack robust accuracy is shown in the table and on the scatter where the CSV has it', async (t) => {
  if (chromiumMissing(t)) return;
  const { page, svgText } = await reportAt(1280);
  // On the scatter: a ring per run at its AutoAttack robust accuracy, named in the panel title; none without the column.
  const rings = await page.$$eval(
    'figure[data-chart="own-scatter"] .role-mark[class*="ours-autoattack"] path',
    (p) => p.length,
  );
  assert.equal(rings, 2);
  assert.match(await svgText('own-scatter'), /AutoAttack/);
  assert.doesNotMatch(await svgText('fig3-scatter'), /AutoAttack/);
  // In the table: own has relu 30, 31, 32 % under AutoAttack (mean 31.00), silu 36, 37, 38 % (mean 37.00).
  const cells = await page.$$eval('section[data-experiment="own"] table.results tr[data-run] td.autoattack', (c) =>
    c.map((x) => x.textContent),
  );
  assert.deepEqual(
    cells.map((c) => c?.slice(0, 5)),
    ['31.00', '37.00'],
  );
  await page.close();
});
