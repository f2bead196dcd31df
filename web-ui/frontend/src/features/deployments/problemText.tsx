import type { ApiError } from "../../api/problem";
import { dateTime, money } from "../../ui/format";

const TYPE = "urn:nanofleet:problem:";

export function problemIs(error: ApiError, slug: string): boolean {
  return error.problem.type === TYPE + slug;
}

/** The figures a 402 spend-limit-reached or a 422 quota-exceeded carries, in a sentence (nothing for other problems). */
export function ProblemFigures({ error }: { error: ApiError }) {
  const p = error.problem;
  if (error.status === 402 && p.limit !== undefined) {
    return (
      <p>
        Limit {money(p.limit, p.currency)}, spent {money(p.spend, p.currency)}
        {p.periodEnd ? ` in the billing period ending ${dateTime(p.periodEnd)}` : ""}. Stopping, scaling down and deleting
        still work.
      </p>
    );
  }
  if (p.quota) {
    const q = p.quota;
    return (
      <p>
        Quota <span className="mono">{q.name}</span>: limit {q.limit}, in use {q.used}, this needs {q.requested}.
      </p>
    );
  }
  return null;
}
