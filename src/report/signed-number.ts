/**
 * A delta as text, the one way every table writes it: `digits` decimals, '+' on a gain, a minus on a loss, and no
 * sign on zero or on anything that rounds to it ("0.00", never "+0.00" or "-0.00": a sign on zero claims a direction
 * the number does not show). `plus: ''` gives the CSV's form; `minus: '−'` the page's true minus.
 */
export function signedNumber(value: number, digits: number, options: { plus?: string; minus?: string } = {}): string {
  if (!Number.isFinite(value)) return String(value);
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value > 0 ? (options.plus ?? '+') : (options.minus ?? '-')}${text}`;
}
