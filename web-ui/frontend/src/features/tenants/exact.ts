/**
 * tenant-billing writes amounts as exact JSON numbers (0.0000125, or 20 significant digits). JSON.parse would make
 * them doubles and lose digits, so its answers are read as text here and each number literal kept as the string of
 * its digits; sums and rounding are done on those strings with BigInt, and only charts get an approximate number.
 */

/** A schema with its numbers as the decimal strings they were sent as. */
export type Exact<T> = T extends number ? string : T extends readonly (infer U)[] ? Exact<U>[] : T extends object ? { [K in keyof T]: Exact<T[K]> } : T;

/** JSON text with each number literal outside strings turned into a string literal of the same characters. */
export function quoteNumbers(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      let j = i + 1;
      while (j < text.length && /[-+0-9.eE]/.test(text[j]!)) j++;
      out += `"${text.slice(i, j)}"`;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function readExact<T>(text: string): Exact<T> {
  return JSON.parse(quoteNumbers(text)) as Exact<T>;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

interface Scaled {
  units: bigint;
  scale: number;
}

function parse(value: string): Scaled {
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

function format({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ""}`;
}

const at = (value: Scaled, scale: number) => value.units * 10n ** BigInt(scale - value.scale);

/** The exact sum; "0" for none. */
export function sum(values: readonly string[]): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return format({ units: parsed.reduce((total, p) => total + at(p, scale), 0n), scale });
}

/** -1, 0 or 1 as a is less than, equal to or more than b. */
export function compare(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = at(x, scale) - at(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Rounded half-even to `places` decimals (as amounts due are), for a figure read at a glance. */
export function roundHalfEven(value: string, places = 2): string {
  const p = parse(value);
  if (p.scale <= places) return format({ units: at(p, places), scale: places });
  const divisor = 10n ** BigInt(p.scale - places);
  const magnitude = p.units < 0n ? -p.units : p.units;
  let quotient = magnitude / divisor;
  const twice = (magnitude % divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  return format({ units: p.units < 0n ? -quotient : quotient, scale: places });
}

/** The nearest double: only for what a chart draws, never for a figure shown as text. */
export function approximate(value: string): number {
  return Number(value);
}

export function isDecimal(value: unknown): value is string {
  return typeof value === "string" && DECIMAL.test(value.trim());
}
