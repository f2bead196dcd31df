import type { EventEntry } from "../../live/eventStream";
import { readable } from "./readable";

type Data = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** A replica named as people know it: #ordinal when the page knows the instance, else its short id. */
export function replicaName(instanceId: unknown, ordinals: ReadonlyMap<string, number>): string {
  if (typeof instanceId !== "string") return "a replica";
  const ordinal = ordinals.get(instanceId);
  return ordinal !== undefined ? `replica #${ordinal}` : `replica ${instanceId.slice(0, 8)}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** An event of a deployment in one sentence, from its type and payload (as the API's event log spells them). */
export function summarizeEvent(event: EventEntry, ordinals: ReadonlyMap<string, number> = new Map()): string {
  const d: Data = event.data ?? {};
  const replica = replicaName(event.instanceId ?? d.instanceId, ordinals);
  switch (event.type) {
    case "deployment.created": {
      const replicas = Array.isArray(d.replicas) ? d.replicas.length : undefined;
      return `Created with image ${str(d.image) ?? "?"}${replicas !== undefined ? `, ${count(replicas, "replica")}` : ""}${str(d.isolation) ? `, isolation ${d.isolation}` : ""}`;
    }
    case "deployment.scaled": {
      const added = Array.isArray(d.added) ? d.added.length : 0;
      const removed = Array.isArray(d.removed) ? d.removed.length : 0;
      const parts = [added ? `${added} added` : "", removed ? `${removed} removed` : ""].filter(Boolean).join(", ");
      return `Scaled to ${count(num(d.replicas) ?? 0, "replica")}${parts ? ` (${parts})` : ""}`;
    }
    case "deployment.revised": {
      const changed = Array.isArray(d.changed) && d.changed.length ? `: ${d.changed.join(", ")} changed` : "";
      const rollback = num(d.rollbackOf) !== undefined ? ` (rollback to revision ${d.rollbackOf})` : "";
      return `Revision ${num(d.revision) ?? "?"}${rollback}${changed}`;
    }
    case "deployment.rollout-progressed":
      return `Rollout of revision ${num(d.revision) ?? "?"} ${str(d.state) ?? ""}: ${num(d.updated) ?? 0} of ${num(d.desired) ?? 0} updated, ${num(d.ready) ?? 0} ready${str(d.reason) ? ` (${d.reason})` : ""}`;
    case "deployment.stopped":
      return `Stopped (revision ${num(d.revision) ?? "?"})`;
    case "deployment.started":
      return `Started (revision ${num(d.revision) ?? "?"})`;
    case "deployment.deleted":
      return "Deleted";
    case "instance.placed":
      return `${capital(replica)} placed on node ${str(d.nodeName) ?? "?"}${str(d.isolation) ? ` (${d.isolation === "hardware" ? "its own VM" : "shared kernel"})` : ""}`;
    case "instance.unschedulable":
      return `${capital(replica)} cannot be placed: ${str(d.reason) ?? "no reason given"}`;
    case "instance.state-changed": {
      const details = [str(d.reason), num(d.exitCode) !== undefined ? `exit code ${d.exitCode}` : undefined].filter(Boolean).join(", ");
      return `${capital(replica)} is ${str(d.state) ?? "?"}${str(d.nodeName) ? ` on ${d.nodeName}` : ""}${details ? ` (${details})` : ""}`;
    }
    case "instance.health-changed":
      return `${capital(replica)} is ${str(d.health) ?? "?"}${str(d.reason) ? ` (${d.reason})` : ""}`;
    case "instance.exec-started":
      return `Terminal session opened in ${replica}: ${Array.isArray(d.command) ? d.command.join(" ") : "?"}${d.tty ? " (tty)" : ""}`;
    case "instance.exec-ended":
      return `Terminal session in ${replica} ended${num(d.exitCode) !== undefined ? ` with exit code ${d.exitCode}` : ""}${str(d.reason) ? ` (${d.reason})` : ""}`;
    default: {
      const rest = Object.entries(d).filter(([k]) => !["tenant", "deploymentId", "instanceId"].includes(k));
      return rest.map(([k, v]) => `${k}=${readable(v)}`).join(", ");
    }
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
