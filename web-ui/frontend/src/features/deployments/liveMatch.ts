import type { EventEntry } from "../../live/eventStream";

/** Event types that change what a deployment or its replicas look like (exec sessions and quota refusals do not). */
const CHANGES = new Set([
  "deployment.created",
  "deployment.scaled",
  "deployment.deleted",
  "deployment.revised",
  "deployment.rollout-progressed",
  "deployment.stopped",
  "deployment.started",
  "instance.placed",
  "instance.unschedulable",
  "instance.state-changed",
  "instance.health-changed",
]);

/** Whether an event changes the tenant's deployments list. */
export function changesDeployments(event: EventEntry): boolean {
  return CHANGES.has(event.type);
}

/** Whether an event changes this deployment or one of its replicas. */
export function changesDeployment(id: string): (event: EventEntry) => boolean {
  return (event) => event.deploymentId === id && CHANGES.has(event.type);
}
