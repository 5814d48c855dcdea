import type { ReportRow } from './table';

/** A Vega spec (hand-written, no Vega-Lite): robustness on x, accuracy on y; ours in colour, the paper's in grey. */
export function scatterSpec(title: string, rows: readonly ReportRow[]): object {
  const points = rows.flatMap((row) => [
    { source: 'ours', label: row.id, robustness: row.robustness, accuracy: row.accuracy },
    ...(row.paper ? [{ source: 'paper', label: row.id, robustness: row.paper.robustness, accuracy: row.paper.accuracy }] : []),
  ]);
  const symbols = (name: string, source: string, fill: string) => ({
    name,
    type: 'symbol',
    from: { data: source },
    encode: { enter: { x: { scale: 'x', field: 'robustness' }, y: { scale: 'y', field: 'accuracy' }, size: { value: 60 }, fill: { value: fill } } },
  });
  const labels = (name: string, source: string, fill: string) => ({
    name,
    type: 'text',
    from: { data: source },
    encode: { enter: { x: { scale: 'x', field: 'robustness', offset: 6 }, y: { scale: 'y', field: 'accuracy', offset: -6 }, text: { field: 'label' }, fontSize: { value: 10 }, fill: { value: fill } } },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width: 480,
    height: 360,
    padding: 10,
    title: { text: title, fontSize: 13 },
    data: [
      { name: 'points', values: points },
      { name: 'ours', source: 'points', transform: [{ type: 'filter', expr: "datum.source === 'ours'" }] },
      { name: 'paper', source: 'points', transform: [{ type: 'filter', expr: "datum.source === 'paper'" }] },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: { data: 'points', field: 'robustness' }, range: 'width', nice: true, zero: false, padding: 20 },
      { name: 'y', type: 'linear', domain: { data: 'points', field: 'accuracy' }, range: 'height', nice: true, zero: false, padding: 20 },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'robustness under PGD (%)' },
      { orient: 'left', scale: 'y', title: 'clean accuracy (%)' },
    ],
    marks: [symbols('paper-points', 'paper', '#b0b0b0'), labels('paper-labels', 'paper', '#909090'), symbols('our-points', 'ours', '#1f77b4'), labels('our-labels', 'ours', '#1f77b4')],
  };
}

/** Renders the scatter headless (no canvas, no browser): Vega's SVG string renderer. */
export async function renderScatterSvg(title: string, rows: readonly ReportRow[]): Promise<string> {
  const vega = await import('vega');
  const view = new vega.View(vega.parse(scatterSpec(title, rows) as import('vega').Spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A PNG of the SVG when the optional `sharp` is installed; undefined otherwise (the SVG is the figure). */
export async function rasterizeSvg(svg: string): Promise<Uint8Array | undefined> {
  let sharp: typeof import('sharp') | undefined;
  try {
    sharp = (await import('sharp')).default;
  } catch {
    return undefined;
  }
  return sharp(Buffer.from(svg, 'utf8'), { density: 144 }).png().toBuffer();
}
