/**
 * Where a scatter's points and their labels go, in pixels, so that every run is seen and named: points that
 * would be drawn on one spot are spread sideways, and each label takes the first nearby place that covers no
 * other label and no point. Vega's text measure is not available headless, so label widths are estimated
 * (11 px sans-serif, a little wide on purpose).
 */

export interface PlacedLabel {
  /** Sideways shift of the point (and its bars) in pixels; 0 unless it shared its spot. */
  dx: number;
  /** The label's anchor in panel pixels, and how the text hangs from it. */
  labelX: number;
  labelY: number;
  align: 'left' | 'right' | 'center';
}

interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const CHAR_WIDTH = 7;
const LINE = 13;
const POINT_RADIUS = 6;
/** Points nearer than this are drawn apart; the spread step between them. */
const SAME_SPOT = 8;
const SPREAD = 11;

const intersects = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Groups of points (indices) nearer than SAME_SPOT to another of the group, each spread evenly around its spot. */
function dodge(points: ReadonlyArray<{ x: number; y: number }>): number[] {
  const dx = points.map(() => 0);
  const group = points.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : root(group[i]));
  points.forEach((a, i) =>
    points.forEach((b, j) => {
      if (j > i && Math.hypot(a.x - b.x, a.y - b.y) < SAME_SPOT) group[root(j)] = root(i);
    }),
  );
  const members = new Map<number, number[]>();
  points.forEach((_, i) => members.set(root(i), [...(members.get(root(i)) ?? []), i]));
  for (const list of members.values())
    list.forEach((i, k) => {
      dx[i] = (k - (list.length - 1) / 2) * SPREAD;
    });
  return dx;
}

/** The label box for text anchored at (x, y) with this alignment; text is vertically centred on y. */
function box(x: number, y: number, align: PlacedLabel['align'], text: string): Rect {
  const width = CHAR_WIDTH * text.length;
  const left = align === 'left' ? x : align === 'right' ? x - width : x - width / 2;
  return { left, right: left + width, top: y - LINE / 2, bottom: y + LINE / 2 };
}

/**
 * Places a label beside each point of a panel `width` × `height` px. `obstacles` are other marks (e.g. AutoAttack
 * rings) labels should not cover. Candidates go right, left, above, below, then right and left a line further up
 * or down at a time; a label with no free place takes its first candidate.
 */
export function placeLabels(
  points: ReadonlyArray<{ x: number; y: number; text: string }>,
  width: number,
  height: number,
  obstacles: ReadonlyArray<{ x: number; y: number }> = [],
): PlacedLabel[] {
  const dx = dodge(points);
  const centres = [...points.map((p, i) => ({ x: p.x + dx[i], y: p.y })), ...obstacles];
  const taken: Rect[] = centres.map((c) => ({
    left: c.x - POINT_RADIUS,
    right: c.x + POINT_RADIUS,
    top: c.y - POINT_RADIUS,
    bottom: c.y + POINT_RADIUS,
  }));
  const order = points.map((_, i) => i).sort((a, b) => points[a].y - points[b].y || points[a].x - points[b].x);
  const placed: PlacedLabel[] = points.map(() => ({ dx: 0, labelX: 0, labelY: 0, align: 'left' }));
  for (const i of order) {
    const { x, y } = { x: points[i].x + dx[i], y: points[i].y };
    const gap = POINT_RADIUS + 3;
    const candidates: Array<[number, number, PlacedLabel['align']]> = [
      [x + gap, y, 'left'],
      [x - gap, y, 'right'],
      [x, y - gap - LINE / 2, 'center'],
      [x, y + gap + LINE / 2, 'center'],
    ];
    for (let k = 1; k <= 4; k++)
      for (const sign of [-1, 1])
        candidates.push([x + gap, y + sign * k * LINE, 'left'], [x - gap, y + sign * k * LINE, 'right']);
    const inside = (r: Rect) => r.left >= 0 && r.right <= width && r.top >= 0 && r.bottom <= height;
    const free =
      candidates.find(([cx, cy, align]) => {
        const r = box(cx, cy, align, points[i].text);
        return inside(r) && !taken.some((t) => intersects(r, t));
      }) ?? candidates[0];
    taken.push(box(free[0], free[1], free[2], points[i].text));
    placed[i] = { dx: dx[i], labelX: free[0], labelY: free[1], align: free[2] };
  }
  return placed;
}
