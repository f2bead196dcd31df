/** The nodes table's filters: pure, so what each one keeps is tested directly. */
import type { FleetNode } from "../fleet/fleetApi";
import { acceleratorOf, zoneOf } from "../fleet/fleetShape";

export interface NodeFilters {
  state: string;
  scheduling: string;
  zone: string;
  runtime: string;
  accelerator: string;
  agentVersion: string;
}

/** "" for a filter means any. */
export const NO_FILTER: NodeFilters = { state: "", scheduling: "", zone: "", runtime: "", accelerator: "", agentVersion: "" };

const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

/** The values each filter can take, from the nodes there are. */
export function filterOptions(nodes: FleetNode[]): Record<keyof NodeFilters, string[]> {
  return {
    state: distinct(nodes.map((n) => n.state)),
    scheduling: distinct(nodes.map((n) => n.scheduling)),
    zone: distinct(nodes.map(zoneOf)),
    runtime: distinct(nodes.flatMap((n) => n.isolations)),
    accelerator: distinct(nodes.map(acceleratorOf)),
    agentVersion: distinct(nodes.map((n) => n.agentVersion)),
  };
}

export function applyFilters(nodes: FleetNode[], f: NodeFilters): FleetNode[] {
  return nodes.filter(
    (n) =>
      (!f.state || n.state === f.state) &&
      (!f.scheduling || n.scheduling === f.scheduling) &&
      (!f.zone || zoneOf(n) === f.zone) &&
      (!f.runtime || n.isolations.includes(f.runtime)) &&
      (!f.accelerator || acceleratorOf(n) === f.accelerator) &&
      (!f.agentVersion || n.agentVersion === f.agentVersion),
  );
}
