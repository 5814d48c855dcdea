/** Vega specs are written by hand (no Vega-Lite); these turn one into an SVG string and a PNG, with no browser. */

/** Renders a Vega spec headless (no canvas, no DOM): Vega's SVG string renderer. */
export async function renderVegaSvg(spec: object): Promise<string> {
  const vega = await import('vega');
  // Without a canvas Vega guesses 0.8 em per character, so a chart's long title made its SVG hundreds of pixels
  // wider than anything drawn (and shrunk the whole chart in a narrow window). Titles: 0.5 em (measured in Chromium);
  // other text 0.64 em, the width of a digit in DejaVu Sans, so axis titles never sit on wider tick labels. The
  // same function on every call, so concurrent renders agree.
  (vega as unknown as { textMetrics: { width: typeof estimateTextWidth } }).textMetrics.width = estimateTextWidth;
  const view = new vega.View(vega.parse(spec as import('vega').Spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function estimateTextWidth(
  item: { text?: unknown; fontSize?: number; mark?: { role?: string } },
  text?: unknown,
): number {
  const value = text ?? item.text;
  const length = Array.isArray(value)
    ? Math.max(0, ...value.map((line) => String(line).length))
    : value == null
      ? 0
      : String(value).length;
  const em = item.mark?.role === 'title-text' || item.mark?.role === 'title-subtitle' ? 0.5 : 0.64;
  return Math.ceil(em * length * (item.fontSize ?? 11));
}

/** A PNG of an SVG when the optional `sharp` is installed; undefined otherwise (the SVG is the figure). */
export async function rasterizeSvg(svg: string): Promise<Uint8Array | undefined> {
  let sharp: typeof import('sharp') | undefined;
  try {
    sharp = (await import('sharp')).default;
  } catch {
    return undefined;
  }
  return sharp(Buffer.from(svg, 'utf8'), { density: 144 }).flatten({ background: '#ffffff' }).png().toBuffer();
}

/** The shared look: fonts, sizes and the two colours every chart uses for ours and the paper's. */
export const OURS = '#1f77b4';
export const PAPER = '#8c8c8c';
export const ALARM = '#d62728';

export const BASE_SPEC = {
  $schema: 'https://vega.github.io/schema/vega/v5.json',
  padding: 8,
  background: 'white',
  config: {
    axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eeeeee' },
    title: { fontSize: 13, anchor: 'start' },
    legend: { labelFontSize: 11 },
  },
};
