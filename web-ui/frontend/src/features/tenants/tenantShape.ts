/** A tenant's quota use in words and shares. Pure. */
import type { Schemas } from "../../api/controlApi";
import { cores, mebibytes } from "../../ui/format";

type QuotaUse = Schemas["QuotaUse"];

export interface QuotaLine {
  resource: QuotaUse["resource"];
  text: string;
  /** used as a percentage of the limit */
  percent: number;
}

const ORDER: QuotaUse["resource"][] = ["cpuMillis", "memoryMiB", "instances"];

function amount(resource: QuotaUse["resource"], value: number): string {
  return resource === "cpuMillis" ? cores(value) : resource === "memoryMiB" ? mebibytes(value) : String(value);
}

/** One line per resource of one isolation mode: "CPU 1.5 vCPU of 4 vCPU". */
export function quotaLines(quotas: QuotaUse[], mode: QuotaUse["isolation"]): QuotaLine[] {
  return quotas
    .filter((q) => q.isolation === mode)
    .sort((a, b) => ORDER.indexOf(a.resource) - ORDER.indexOf(b.resource))
    .map((q) => ({
      resource: q.resource,
      text: `${q.resource === "cpuMillis" ? "CPU" : q.resource === "memoryMiB" ? "memory" : "instances"} ${amount(q.resource, q.used)} of ${amount(q.resource, q.limit)}`,
      percent: q.limit > 0 ? (q.used / q.limit) * 100 : q.used > 0 ? 100 : 0,
    }));
}

/** The fullest resource of a mode, as a share of its limit (to sort tenants by how close they are to a quota). */
export function usageRatio(quotas: QuotaUse[], mode: QuotaUse["isolation"]): number {
  return Math.max(0, ...quotaLines(quotas, mode).map((l) => l.percent));
}
