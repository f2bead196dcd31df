import { errorFrom } from "../../api/problem";

/**
 * tenant-billing's `GET /v1/usage/instances/{id}/samples`: one instance's CPU and memory over time, oldest first. Not in
 * the generated tenant-billing types yet, so it is called with fetch here, in this one file, to be switched to the typed
 * `billing` client once the document has it.
 */
export interface InstanceSample {
  sampledAt: string;
  /** CPU time since the process (or VM) started: cumulative */
  cpuNanos: number;
  memoryBytes: number;
  /** CPU used since the sample before, in cores; null for the first sample and after a restart */
  cpuCores: number | null;
}

function toSample(raw: unknown): InstanceSample | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.sampledAt !== "string") return undefined;
  // cpuCores is a decimal; it may arrive as a JSON number or a string
  const cores = r.cpuCores === null || r.cpuCores === undefined ? null : Number(r.cpuCores);
  return { sampledAt: r.sampledAt, cpuNanos: Number(r.cpuNanos), memoryBytes: Number(r.memoryBytes), cpuCores: cores !== null && Number.isFinite(cores) ? cores : null };
}

/** The instance's samples since `since` (at most `limit`); a 404 (no such instance for billing, no samples) is none. */
export async function loadInstanceSamples(
  billingUrl: string,
  token: () => Promise<string>,
  instanceId: string,
  { since, limit = 720, signal }: { since?: string; limit?: number; signal?: AbortSignal } = {},
): Promise<InstanceSample[]> {
  const query = new URLSearchParams({ limit: String(limit), ...(since ? { since } : {}) });
  const response = await fetch(`${billingUrl.replace(/\/+$/, "")}/v1/usage/instances/${encodeURIComponent(instanceId)}/samples?${query}`, {
    headers: { Authorization: `Bearer ${await token()}`, Accept: "application/json" },
    ...(signal ? { signal } : {}),
  });
  if (response.status === 404) return [];
  if (!response.ok) throw await errorFrom(response);
  const body: unknown = await response.json();
  // the answer is {samples: [...], more, ...}; a bare array is read too
  const list = Array.isArray(body) ? body : typeof body === "object" && body !== null && Array.isArray((body as { samples?: unknown }).samples) ? (body as { samples: unknown[] }).samples : [];
  return list.map(toSample).filter((s): s is InstanceSample => s !== undefined);
}
