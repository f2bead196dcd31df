/** The fleet event log's shaping: order, merge, filters and a line of words per event. Pure. */
import type { EventEntry } from "../../live/eventStream";
import { cores, mebibytes } from "../../ui/format";

/** The types the log keeps (control-api's EventType without the periodic node.heartbeat and instance.usage-sampled). */
export const EVENT_TYPES = [
  "deployment.created",
  "deployment.scaled",
  "deployment.deleted",
  "deployment.revised",
  "deployment.rollout-progressed",
  "deployment.stopped",
  "deployment.started",
  "tenant.quota-refused",
  "node.registered",
  "node.scheduling-changed",
  "node.status-changed",
  "node.removed",
  "instance.placed",
  "instance.unschedulable",
  "instance.state-changed",
  "instance.health-changed",
  "instance.exec-started",
  "instance.exec-ended",
  "billing.invoice-finalized",
  "billing.spend-alert",
  "billing.spend-limit-reached",
  "billing.spend-limit-lifted",
];

/** Log ids are strings of digits that grow: compare by length, then text (no float can hold every id). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Both lists as one, each event once (by its log id), newest first. */
export function mergeNewestFirst(...lists: EventEntry[][]): EventEntry[] {
  const byId = new Map<string, EventEntry>();
  for (const list of lists) for (const event of list) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => compareIds(b.id, a.id));
}

/** "" for any; FLEET_ONLY for the events of no tenant (nodes). */
export const FLEET_ONLY = "(fleet)";

export interface EventFilter {
  type: string;
  tenant: string;
}

export function matchesFilter(event: EventEntry, filter: EventFilter): boolean {
  if (filter.type && event.type !== filter.type) return false;
  if (filter.tenant === FLEET_ONLY) return event.tenant == null;
  return !filter.tenant || event.tenant === filter.tenant;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined);

function resources(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const r = value as { cpuMillis?: unknown; memoryMiB?: unknown };
  return typeof r.cpuMillis === "number" && typeof r.memoryMiB === "number" ? `${cores(r.cpuMillis)}, ${mebibytes(r.memoryMiB)}` : undefined;
}

const mode = (value: unknown) => (value === "hardware" ? "in a VM" : value === "shared" ? "on the shared kernel" : undefined);

/** What happened, in words, from the event's payload. */
export function describeEvent(event: EventEntry): string {
  const d = event.data ?? {};
  const node = text(d.nodeName);
  const reason = text(d.reason);
  const join = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join(" ");
  const because = reason ? `: ${reason}` : "";
  switch (event.type) {
    case "node.registered":
      return join(`node ${node ?? "?"} registered`, resources(d.allocatable) && `with ${resources(d.allocatable)}`);
    case "node.status-changed":
      return `node ${node ?? "?"} is ${String(d.status ?? "?").toLowerCase()}${because}`;
    case "node.scheduling-changed":
      return `node ${node ?? "?"} is now ${String(d.scheduling ?? "?").toLowerCase()}`;
    case "node.removed":
      return `node ${node ?? "?"} removed from the fleet${because}`;
    case "instance.placed":
      return join(`placed on ${node ?? "?"}`, mode(d.isolation));
    case "instance.unschedulable":
      return `unschedulable: ${reason ?? "no reason given"}`;
    case "instance.state-changed":
      return join(text(d.state) ?? "changed", node && `on ${node}`) + because;
    case "instance.health-changed":
      return (text(d.health) ?? "health changed") + because;
    default:
      return Object.entries(d)
        .map(([key, value]) => [key, text(value) ?? resources(value) ?? (Array.isArray(value) ? `${value.length} items` : undefined)] as const)
        .filter(([key, value]) => value !== undefined && !/Id$/.test(key) && key !== "tenant")
        .slice(0, 6)
        .map(([key, value]) => `${key}: ${value}`)
        .join(", ");
  }
}

/** What the event is about: a node, or a deployment and replica (ids shortened; the full id is in the title). */
export function subjectOf(event: EventEntry): { text: string; title: string } | undefined {
  const node = text(event.data?.nodeName);
  if (event.type.startsWith("node.") && node) return { text: `node ${node}`, title: node };
  const short = (id: string) => id.slice(0, 8);
  if (event.deploymentId) {
    const name = text(event.data?.name) ?? text(event.data?.deploymentName);
    const instance = event.instanceId ? ` · replica ${short(event.instanceId)}` : "";
    return { text: `${name ?? `deployment ${short(event.deploymentId)}`}${instance}`, title: [event.deploymentId, event.instanceId].filter(Boolean).join(" / ") };
  }
  return undefined;
}
