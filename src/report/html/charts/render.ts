/** Vega specs are written by hand (no Vega-Lite); these turn one into an SVG string and a PNG, with no browser. */

/** Renders a Vega spec headless (no canvas, no DOM): Vega's SVG string renderer. */
export async function renderVegaSvg(spec: object): Promise<string> {
  const vega = await import('vega');
  const view = new vega.View(vega.parse(spec as import('vega').Spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
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
  config: { axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eeeeee' }, title: { fontSize: 13, anchor: 'start' }, legend: { labelFontSize: 11 } },
};
