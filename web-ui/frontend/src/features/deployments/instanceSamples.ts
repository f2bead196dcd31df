import type { BillingApi, BillingSchemas } from "../../api/billingApi";
import { errorFrom } from "../../api/problem";

export type InstanceSample = BillingSchemas["InstanceSample"];

/**
 * One instance's CPU and memory over time from tenant-billing, oldest first (at most `limit` since `since`). A 404 (an
 * instance billing has not heard of yet) is no samples rather than an error.
 */
export async function loadInstanceSamples(
  billing: BillingApi,
  instanceId: string,
  { since, limit = 720 }: { since?: string; limit?: number } = {},
): Promise<InstanceSample[]> {
  const { data, error, response } = await billing.GET("/v1/usage/instances/{id}/samples", {
    params: { path: { id: instanceId }, query: { limit, ...(since ? { since } : {}) } },
  });
  if (response.status === 404) return [];
  if (!response.ok || !data) throw await errorFrom(response, error);
  return data.samples;
}
