/** Values of the API (revision diffs, event payloads) in words a person reads: nested values as key=value lists. */

export function readable(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  if (typeof value === "string") return value === "" ? '""' : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.map(readable).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    return entries.length === 0 ? "{}" : `{${entries.map(([k, v]) => `${k}=${readable(v)}`).join(", ")}}`;
  }
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface DiffLine {
  field: string;
  from: string;
  to: string;
  kind: "changed" | "added" | "removed";
}

/**
 * One revision change as lines of `field: from -> to`: nested objects (env, resources, health check) are compared
 * key by key, so `env` reads `env.FOO: (none) -> bar` instead of two whole maps.
 */
export function diffLines(field: string, from: unknown, to: unknown): DiffLine[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key) => (JSON.stringify(from[key]) === JSON.stringify(to[key]) ? [] : diffLines(`${field}.${key}`, from[key], to[key])));
  }
  if (isPlainObject(to) && (from === undefined || from === null)) {
    return Object.keys(to).sort().flatMap((key) => diffLines(`${field}.${key}`, undefined, to[key]));
  }
  if (isPlainObject(from) && (to === undefined || to === null)) {
    return Object.keys(from).sort().flatMap((key) => diffLines(`${field}.${key}`, from[key], undefined));
  }
  const absent = (v: unknown) => v === undefined || v === null;
  const kind = absent(from) ? "added" : absent(to) ? "removed" : "changed";
  return [{ field, from: readable(from), to: readable(to), kind }];
}
