import { useEffect, useState } from "react";
import { useSession } from "../../app/session";
import type { EventEntry } from "../../live/eventStream";
import { useReloadOn, useResource, type Resource } from "../../ui/useResource";
import { loadInstances, loadNodes, type FleetNode, type InstanceList, type InstanceQuery } from "./fleetApi";

/** Events that change a node's figures: the node's own, and anything that places, moves, starts or ends a replica. */
export function changesFleet(event: EventEntry): boolean {
  return event.type.startsWith("node.") || event.type.startsWith("instance.") || event.type.startsWith("deployment.");
}

/** The node an event names, when it names one (node events and placements carry nodeName). */
export function nodeNamed(event: EventEntry): string | undefined {
  const name = event.data?.nodeName ?? event.data?.node;
  return typeof name === "string" ? name : undefined;
}

/**
 * The scheduler's decisions (instance.placed, instance.unschedulable) reach the event log and the instance rows through
 * two consumers of the same topic, so the log may deliver one a moment before GET shows it.
 */
export function isPlacementDecision(event: EventEntry): boolean {
  return event.type === "instance.placed" || event.type === "instance.unschedulable";
}

/** A fleet view's reload: at most once per `settleMs`, and once more after a placement decision (see above). */
export function useLiveReload(resource: Resource<unknown>, matches: (event: EventEntry) => boolean, settleMs = 1000): void {
  useReloadOn(resource, matches, settleMs, PLACEMENT_CONFIRM);
}

const PLACEMENT_CONFIRM = { when: isPlacementDecision, afterMs: 2500 };

/** Every node, kept live: reloaded (at most once a second) when nodes or replicas change. */
export function useNodes(): Resource<FleetNode[]> {
  const { api } = useSession();
  const nodes = useResource(() => loadNodes({ api }), [api]);
  useLiveReload(nodes, changesFleet);
  return nodes;
}

/** Instances across the fleet (GET /v1/instances), kept live like the nodes. */
export function useInstances(query: InstanceQuery = {}): Resource<InstanceList> {
  const { api } = useSession();
  const key = JSON.stringify(query);
  const instances = useResource(() => loadInstances({ api }, JSON.parse(key) as InstanceQuery), [api, key]);
  useLiveReload(instances, changesFleet);
  return instances;
}

/** The current time, renewed every `everyMs`, so "5 min ago" stays true on a page left open (a clock, not a request). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
