import { signedNumber } from '../signed-number';

/** Text into HTML: the only way strings from CSVs and JSON reach the page. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tag with escaped attributes and already-built inner HTML. */
export function tag(name: string, attributes: Record<string, string | undefined>, inner = ''): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(v!)}"`)
    .join('');
  return `<${name}${attrs}>${inner}</${name}>`;
}

/** A number with a sign, as deltas are written ("+1.20", "−0.40" with a true minus, "0.00"). */
export function signed(value: number, digits = 2): string {
  return signedNumber(value, digits, { minus: '−' });
}

/** A safe file-name part for a run id such as `psoftplus(alpha=5)`. */
export const fileSafe = (id: string) => id.replace(/[^A-Za-z0-9._-]+/g, '_');
