/** Pure shaping of the fleet's figures for the views: sums, groups, blocks and words. Tested directly. */
import type { FleetInstance, FleetNode, Mode, Resources } from "./fleetApi";

export const MODES: Mode[] = ["hardware", "shared"];
export const MIB = 1024 * 1024;

export function modeName(mode: Mode | null | undefined): string {
  return mode === "hardware" ? "VM" : mode === "shared" ? "shared kernel" : "not placed";
}

/** The value of the first label whose key is `name` or ends in `/name` (zone, topology.example/zone). */
export function labelNamed(node: FleetNode, name: string): string | undefined {
  const key = Object.keys(node.labels).find((k) => k === name || k.endsWith(`/${name}`));
  return key === undefined ? undefined : node.labels[key];
}

export const zoneOf = (node: FleetNode): string | undefined => labelNamed(node, "zone");

/** The accelerator a node advertises: a label named accelerator, or one whose key mentions accel (hardware-accel). */
export function acceleratorOf(node: FleetNode): string | undefined {
  const key = Object.keys(node.labels).find((k) => /accel/i.test(k));
  return key === undefined ? undefined : node.labels[key];
}

export interface StateCounts {
  total: number;
  ready: number;
  notReady: number;
  lost: number;
  schedulable: number;
  cordoned: number;
  draining: number;
}

export function stateCounts(nodes: FleetNode[]): StateCounts {
  const count = (test: (n: FleetNode) => boolean) => nodes.filter(test).length;
  return {
    total: nodes.length,
    ready: count((n) => n.state === "ready"),
    notReady: count((n) => n.state === "not-ready"),
    lost: count((n) => n.state === "lost"),
    schedulable: count((n) => n.scheduling === "schedulable"),
    cordoned: count((n) => n.scheduling === "cordoned"),
    draining: count((n) => n.scheduling === "draining"),
  };
}

export interface CapacityTotals {
  /** nodes counted: those not lost (a lost node's capacity is gone until it returns) */
  nodes: number;
  capacity: Resources;
  /** undefined when no node says what is allocated there */
  allocated?: Resources;
  usedCpuMillis?: number;
  usedMemoryBytes?: number;
  measuredInstances?: number;
}

const add = (a: Resources, b: Resources): Resources => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryMiB: a.memoryMiB + b.memoryMiB });
const ZERO: Resources = { cpuMillis: 0, memoryMiB: 0 };

/** Capacity, allocated and measured use summed over the nodes that are not lost. */
export function capacityTotals(nodes: FleetNode[]): CapacityTotals {
  const counted = nodes.filter((n) => n.state !== "lost");
  const totals: CapacityTotals = { nodes: counted.length, capacity: counted.reduce((s, n) => add(s, n.allocatable), ZERO) };
  const withAllocated = counted.filter((n) => n.allocated);
  if (withAllocated.length > 0) totals.allocated = withAllocated.reduce((s, n) => add(s, n.allocated!), ZERO);
  const cpu = counted.map((n) => n.used?.cpuMillis).filter((v): v is number => v !== undefined);
  const memory = counted.map((n) => n.used?.memoryBytes).filter((v): v is number => v !== undefined);
  const measuredCounts = counted.map((n) => n.used?.measuredInstances).filter((v): v is number => v !== undefined);
  const measured = measuredCounts.reduce((s, v) => s + v, 0);
  // a sum of zeros from nodes that measured nothing is "not measured", not "0 used"
  const anything = measuredCounts.length === 0 || measured > 0;
  if (cpu.length > 0 && anything) totals.usedCpuMillis = cpu.reduce((s, v) => s + v, 0);
  if (memory.length > 0 && anything) totals.usedMemoryBytes = memory.reduce((s, v) => s + v, 0);
  if (measuredCounts.length > 0) totals.measuredInstances = measured;
  return totals;
}

/** part of whole in percent, 0 when whole is not positive. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

export interface ModeDensity {
  mode: Mode;
  instances: number;
  reserved: Resources;
  /** the measured memory of the instances of this mode that sent a sample (a VM's whole resident memory) */
  measuredBytes: number;
  measuredInstances: number;
  /** the reserved memory of the measured ones, to compare with measuredBytes */
  measuredReservedMiB: number;
}

/** Instances and what they reserve and use per isolation mode, from the placed instances. */
export function densityByMode(instances: FleetInstance[]): ModeDensity[] {
  return MODES.map((mode) => {
    const mine = instances.filter((i) => i.node && i.isolation === mode);
    const measured = mine.filter((i) => i.usage?.memoryBytes !== undefined);
    return {
      mode,
      instances: mine.length,
      reserved: mine.reduce((s, i) => add(s, i.reserved), ZERO),
      measuredBytes: measured.reduce((s, i) => s + (i.usage!.memoryBytes ?? 0), 0),
      measuredInstances: measured.length,
      measuredReservedMiB: measured.reduce((s, i) => s + i.reserved.memoryMiB, 0),
    };
  });
}

/** Instances per mode as the nodes count them (exact even when the instance list was cut short). */
export function countsByMode(nodes: FleetNode[]): Record<Mode, number> | undefined {
  const counted = nodes.filter((n) => n.counts);
  if (counted.length === 0) return undefined;
  return {
    hardware: counted.reduce((s, n) => s + n.counts!.hardware, 0),
    shared: counted.reduce((s, n) => s + n.counts!.shared, 0),
  };
}

/** The VMs' memory beyond what they reserved, summed over the nodes that report it; undefined when none does. */
export function vmOverheadBytes(nodes: FleetNode[]): number | undefined {
  const reported = nodes.map((n) => n.vmOverheadBytes).filter((v): v is number => v !== undefined);
  return reported.length === 0 ? undefined : reported.reduce((s, v) => s + v, 0);
}

/** What is left on a node (allocatable minus allocated, never below 0); undefined without allocated. */
export function freeOf(node: FleetNode): Resources | undefined {
  if (!node.allocated) return undefined;
  return {
    cpuMillis: Math.max(0, node.allocatable.cpuMillis - node.allocated.cpuMillis),
    memoryMiB: Math.max(0, node.allocatable.memoryMiB - node.allocated.memoryMiB),
  };
}

/** Whether the scheduler may place new replicas there. */
export const takesWork = (node: FleetNode): boolean => node.state === "ready" && node.scheduling === "schedulable";

export interface NodeGroup {
  /** the label's value, or undefined for the nodes without the label */
  value: string | undefined;
  title: string;
  nodes: FleetNode[];
  capacity: Resources;
  /** free capacity on the group's ready, schedulable nodes; undefined when the API gives no allocation */
  free?: Resources;
  takingWork: number;
}

/** Nodes grouped by the value of a label (sorted, nodes without it last); one group of all for no label. */
export function groupNodes(nodes: FleetNode[], labelKey: string | undefined): NodeGroup[] {
  const byValue = new Map<string | undefined, FleetNode[]>();
  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const value = labelKey ? node.labels[labelKey] : undefined;
    byValue.set(value, [...(byValue.get(value) ?? []), node]);
  }
  const values = [...byValue.keys()].sort((a, b) => (a === undefined ? 1 : b === undefined ? -1 : a.localeCompare(b)));
  return values.map((value) => {
    const members = byValue.get(value)!;
    const taking = members.filter(takesWork);
    const group: NodeGroup = {
      value,
      title: !labelKey ? "All nodes" : value === undefined ? `No ${labelKey} label` : `${labelKey}: ${value}`,
      nodes: members,
      capacity: members.filter((n) => n.state !== "lost").reduce((s, n) => add(s, n.allocatable), ZERO),
      takingWork: taking.length,
    };
    if (members.every((n) => n.allocated)) group.free = taking.reduce((s, n) => add(s, freeOf(n)!), ZERO);
    return group;
  });
}

/** Every label key any node carries, sorted, zone first. */
export function labelKeys(nodes: FleetNode[]): string[] {
  const keys = [...new Set(nodes.flatMap((n) => Object.keys(n.labels)))].sort();
  const zone = keys.find((k) => k === "zone" || k.endsWith("/zone"));
  return zone ? [zone, ...keys.filter((k) => k !== zone)] : keys;
}

export type SizeBy = "memory" | "cpu";

export function tenantLabel(instance: FleetInstance): string {
  return instance.tenantName && instance.tenantName !== instance.tenantId ? `${instance.tenantName} (${instance.tenantId})` : instance.tenantId;
}

/** What a block says in words: "tenant/deployment #ordinal, mode, state". */
export function blockLabel(instance: FleetInstance): string {
  return `${instance.tenantId}/${instance.deploymentName} #${instance.ordinal}, ${modeName(instance.isolation)}, ${instance.state}`;
}

export interface Block {
  instance: FleetInstance;
  /** its share of the node's allocatable CPU or memory, in percent */
  percent: number;
  label: string;
}

/** A node's instances as blocks sized by their share of its capacity, ordered by tenant, deployment and ordinal. */
export function blocksOf(node: FleetNode, instances: FleetInstance[], sizeBy: SizeBy): Block[] {
  const whole = sizeBy === "memory" ? node.allocatable.memoryMiB : node.allocatable.cpuMillis;
  return instances
    .filter((i) => i.node === node.name)
    .sort(byTenantDeploymentOrdinal)
    .map((instance) => ({
      instance,
      percent: percent(sizeBy === "memory" ? instance.reserved.memoryMiB : instance.reserved.cpuMillis, whole),
      label: blockLabel(instance),
    }));
}

export function byTenantDeploymentOrdinal(a: FleetInstance, b: FleetInstance): number {
  return a.tenantId.localeCompare(b.tenantId) || a.deploymentName.localeCompare(b.deploymentName) || a.ordinal - b.ordinal;
}

/** The instances per node name, for drawing many nodes without scanning the list for each. */
export function instancesByNode(instances: FleetInstance[]): Map<string, FleetInstance[]> {
  const byNode = new Map<string, FleetInstance[]>();
  for (const instance of instances) {
    if (!instance.node) continue;
    const list = byNode.get(instance.node);
    if (list) list.push(instance);
    else byNode.set(instance.node, [instance]);
  }
  return byNode;
}

/** Tenants on a node, with how many instances of each mode each runs there. */
export function tenantsOn(instances: FleetInstance[]): { tenant: string; name?: string; hardware: number; shared: number }[] {
  const byTenant = new Map<string, { tenant: string; name?: string; hardware: number; shared: number }>();
  for (const i of instances) {
    const row = byTenant.get(i.tenantId) ?? { tenant: i.tenantId, ...(i.tenantName ? { name: i.tenantName } : {}), hardware: 0, shared: 0 };
    if (i.isolation) row[i.isolation]++;
    byTenant.set(i.tenantId, row);
  }
  return [...byTenant.values()].sort((a, b) => a.tenant.localeCompare(b.tenant));
}
