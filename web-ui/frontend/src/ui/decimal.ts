/**
 * Exact decimal arithmetic on the strings tenant-billing sends (amounts, quantities, prices), in BigInt units of the
 * larger scale: 0.1 + 0.2 is 0.3 here, never 0.30000000000000004. Only what the pages need: sums, comparison, rounding
 * for display and an approximate number for charts and meters (pictures, never text).
 */

interface Parsed {
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function parse(value: string): Parsed {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new Error(`not a decimal: ${JSON.stringify(value)}`);
  const [, sign = "", whole = "0", fraction = "", exponent = "0"] = match;
  let digits = whole + fraction;
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits += "0".repeat(-scale);
    scale = 0;
  }
  const units = BigInt(digits);
  return { units: sign === "-" ? -units : units, scale };
}

function rescale(value: Parsed, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function format({ units, scale }: Parsed): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${fraction}` : ""}`;
}

/** Whether the text is a decimal this module reads. */
export function isDecimal(value: unknown): value is string {
  return typeof value === "string" && DECIMAL.test(value.trim());
}

/** The exact sum, at the largest scale of its terms (as BigDecimal adds); "0" for none. */
export function sum(values: readonly string[]): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return format({ units: parsed.reduce((total, p) => total + rescale(p, scale), 0n), scale });
}

export function add(a: string, b: string): string {
  return sum([a, b]);
}

/** -1, 0 or 1 as a is less than, equal to or more than b. */
export function compare(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function isZero(value: string): boolean {
  return parse(value).units === 0n;
}

export function isNegative(value: string): boolean {
  return parse(value).units < 0n;
}

function rounded(value: string, places: number, halfEven: boolean): string {
  const p = parse(value);
  if (p.scale <= places) return format({ units: rescale(p, places), scale: places });
  const divisor = 10n ** BigInt(p.scale - places);
  const magnitude = p.units < 0n ? -p.units : p.units;
  let quotient = magnitude / divisor;
  const twice = (magnitude % divisor) * 2n;
  if (twice > divisor || (twice === divisor && (!halfEven || quotient % 2n === 1n))) quotient += 1n;
  return format({ units: p.units < 0n ? -quotient : quotient, scale: places });
}

/** Rounded half away from zero to `places` decimals, for reading (quantities); money keeps its exact digits. */
export function round(value: string, places: number): string {
  return rounded(value, places, false);
}

/** Rounded half-even to `places` decimals (to cents by default), as tenant-billing rounds amounts due: money. */
export function roundHalfEven(value: string, places = 2): string {
  return rounded(value, places, true);
}

/** "1234567.5" as "1,234,567.5": thousands grouped, the digits untouched. */
export function grouped(value: string): string {
  const [whole = "0", fraction] = value.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace(/^-/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${digits}${fraction !== undefined ? `.${fraction}` : ""}`;
}

/** The nearest double: only for what Chart.js draws and what a meter fills, never for a figure shown as text. */
export function approximate(value: string): number {
  return Number(format(parse(value)));
}

/** part as a percentage of whole, for a meter or a bar's width (0 when whole is not positive). */
export function percent(part: string, whole: string): number {
  const w = parse(whole);
  if (w.units <= 0n) return 0;
  const p = parse(part);
  const scale = Math.max(p.scale, w.scale);
  // ten thousandths of a percent are plenty for a picture
  return Number((rescale(p, scale) * 1_000_000n) / rescale(w, scale)) / 10_000;
}
