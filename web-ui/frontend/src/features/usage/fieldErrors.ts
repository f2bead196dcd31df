import { ApiError } from "../../api/problem";

/**
 * The API's field errors of a 400 grouped by the form field that shows them: `alertThresholds[2]` goes to the
 * `alertThresholds` field as "item 3: ...". Errors naming no known field are returned under "" for the form's alert.
 */
export function errorsByField<F extends string>(error: unknown, fields: readonly F[]): Partial<Record<F | "", string>> {
  if (!(error instanceof ApiError)) return {};
  const out: Partial<Record<F | "", string>> = {};
  for (const [path, message] of Object.entries(error.fieldErrors())) {
    const match = /^([^[.]+)(?:\[(\d+)\])?/.exec(path);
    const base = match?.[1] as F | undefined;
    const field: F | "" = base && fields.includes(base) ? base : "";
    const index = match?.[2];
    const text = index !== undefined ? `item ${Number(index) + 1}: ${message}` : field === "" && path ? `${path}: ${message}` : message;
    out[field] = out[field] ? `${out[field]}; ${text}` : text;
  }
  return out;
}

