import type { Deployment, Instance } from "../../api/controlApi";

/** The replicas the deployment wants now: desired running (scaled-away, deleted and ended ones are history). */
export function currentInstances(deployment: Deployment): Instance[] {
  return deployment.instances.filter((i) => i.desiredState === "running").sort((a, b) => a.ordinal - b.ordinal);
}

/** Replicas running against the count wanted (0 wanted while stopped or deleted). */
export function replicaCounts(deployment: Deployment): { running: number; desired: number } {
  const desired = deployment.deletedAt || deployment.stoppedAt ? 0 : deployment.replicas;
  const running = deployment.instances.filter((i) => i.desiredState === "running" && i.state === "running").length;
  return { running, desired };
}

export interface StateSummary {
  /** One word for a badge (the portal's state words: running, pending, unschedulable, failed, stopped ...). */
  word: string;
  /** What the word leaves out, in a sentence. */
  detail?: string;
}

/**
 * What a deployment is doing, in a word and a sentence, from what the API gives: deleted or stopped, its rollout, and
 * its current replicas' states and health. The API has no single state field for a deployment, so this is the summary.
 */
export function summarize(deployment: Deployment): StateSummary {
  if (deployment.deletedAt) return { word: "deleted" };
  const current = currentInstances(deployment);
  if (deployment.stoppedAt) {
    const stillUp = deployment.instances.filter((i) => i.desiredState === "stopped" && ["running", "stopping", "starting"].includes(i.state)).length;
    return stillUp > 0 ? { word: "stopping", detail: `${stillUp} replica${stillUp === 1 ? "" : "s"} still stopping` } : { word: "stopped" };
  }
  const { running, desired } = replicaCounts(deployment);
  const rollout = deployment.rollout;
  if (rollout?.state === "progressing") {
    return { word: "rolling out", detail: `revision ${rollout.revision}: ${rollout.updated} of ${rollout.desired} updated, ${rollout.ready} ready` };
  }
  if (rollout?.state === "failed") {
    return { word: "failed", detail: `the rollout of revision ${rollout.revision} failed${rollout.reason ? `: ${rollout.reason}` : ""}` };
  }
  const count = (state: Instance["state"]) => current.filter((i) => i.state === state).length;
  const unschedulable = count("unschedulable");
  if (unschedulable > 0) return { word: "unschedulable", detail: `${unschedulable} of ${desired} replicas cannot be placed` };
  const failed = count("failed") + count("exited");
  if (failed > 0) return { word: "failed", detail: `${failed} of ${desired} replicas ended` };
  const unhealthy = current.filter((i) => i.health === "unhealthy").length;
  if (unhealthy > 0) return { word: "unhealthy", detail: `${unhealthy} of ${desired} replicas fail their health check` };
  if (desired > 0 && running >= desired) return { word: "running" };
  const waiting = count("pending") + count("scheduled");
  if (running === 0 && waiting === current.length && current.length > 0) return { word: "pending", detail: `${running} of ${desired} running` };
  return { word: "starting", detail: `${running} of ${desired} running` };
}

/** The replicas that wait (pending or unschedulable) with the scheduler's words for why. */
export function waitingReasons(deployment: Deployment): { ordinal: number; state: string; reason: string }[] {
  return currentInstances(deployment)
    .filter((i) => (i.state === "unschedulable" || i.state === "pending") && i.reason)
    .map((i) => ({ ordinal: i.ordinal, state: i.state, reason: i.reason ?? "" }));
}
