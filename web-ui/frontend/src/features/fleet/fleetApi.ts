/**
 * The fleet views' API: what control-api says about nodes and the instances placed on them (GET /v1/nodes,
 * GET /v1/nodes/{name}, GET /v1/instances and the node actions, through the generated client), read into this folder's
 * own view types. Every wire name is read in this one file (toFleetNode, toFleetInstance, toNodeDetail), tolerant of
 * fields an older control-api does not send (a node without its load fields shows "not reported", never 0).
 */
import { data } from "../../api/controlApi";
import type { Session } from "../../app/session";

export type Mode = "hardware" | "shared";
export type NodeState = "ready" | "not-ready" | "lost";
export type Scheduling = "schedulable" | "cordoned" | "draining";

/** CPU in thousandths of a core and memory in MiB. */
export interface Resources {
  cpuMillis: number;
  memoryMiB: number;
}

/** What a node last measured of the instances placed there; a field is absent when nothing was measured. */
export interface MeasuredUse {
  cpuMillis?: number;
  memoryBytes?: number;
  /** how many instances have sent a sample (absent when the API does not say) */
  measuredInstances?: number;
}

/** A node with what runs there. The load fields are undefined when the API does not give them. */
export interface FleetNode {
  name: string;
  allocatable: Resources;
  isolations: string[];
  labels: Record<string, string>;
  agentVersion?: string;
  registeredAt?: string;
  lastHeartbeat?: string;
  state: NodeState | string;
  scheduling: Scheduling | string;
  /** reserved by the instances placed there that have not ended */
  allocated?: Resources;
  used?: MeasuredUse;
  /** instances per isolation mode */
  counts?: Record<Mode, number>;
  /** the tenant whose shared-kernel instances run there; null for none; undefined when the API does not say */
  kernelTenant?: string | null;
  /** host memory its VMs use beyond what they reserved (measured ones only) */
  vmOverheadBytes?: number;
}

export interface InstanceUsage {
  sampledAt: string;
  cpuNanos?: number;
  memoryBytes?: number;
  /** CPU over the last sample interval, in thousandths of a core */
  cpuMillis?: number;
}

/** One replica as operators see it across the fleet. */
export interface FleetInstance {
  id: string;
  tenantId: string;
  tenantName?: string;
  deploymentId?: string;
  deploymentName: string;
  ordinal: number;
  node: string | null;
  isolation: Mode | null;
  state: string;
  desiredState?: string;
  health: string | null;
  reason: string | null;
  reserved: Resources;
  usage: InstanceUsage | null;
  updatedAt: string | null;
}

export interface NodeDetail {
  node: FleetNode;
  instances: FleetInstance[];
}

export interface InstanceQuery {
  states?: string[];
  node?: string;
  tenant?: string;
  limit?: number;
}

export interface InstanceList {
  items: FleetInstance[];
  /** the limit asked for; when as many came back, more may exist */
  limit: number;
  truncated: boolean;
}

/** GET /v1/instances answers at most this many (control-api's maximum). */
export const MAX_INSTANCES = 1000;

type Wire = Record<string, unknown>;

const isObject = (value: unknown): value is Wire => typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function resources(value: unknown): Resources | undefined {
  if (!isObject(value)) return undefined;
  const cpuMillis = num(value.cpuMillis);
  const memoryMiB = num(value.memoryMiB);
  return cpuMillis === undefined || memoryMiB === undefined ? undefined : { cpuMillis, memoryMiB };
}

function measured(value: unknown): MeasuredUse | undefined {
  if (!isObject(value)) return undefined;
  const use: MeasuredUse = {};
  const cpu = num(value.cpuMillis);
  const memoryBytes = num(value.memoryBytes) ?? (num(value.memoryMiB) !== undefined ? num(value.memoryMiB)! * 1024 * 1024 : undefined);
  const count = num(value.measuredInstances);
  if (cpu !== undefined) use.cpuMillis = cpu;
  if (memoryBytes !== undefined) use.memoryBytes = memoryBytes;
  if (count !== undefined) use.measuredInstances = count;
  return use;
}

function counts(value: unknown): Record<Mode, number> | undefined {
  if (!isObject(value)) return undefined;
  const hardware = num(value.hardware);
  const shared = num(value.shared);
  return hardware === undefined && shared === undefined ? undefined : { hardware: hardware ?? 0, shared: shared ?? 0 };
}

/**
 * A node from the wire. Names assumed: name, allocatable, isolations, labels, agentVersion, registeredAt, lastHeartbeat,
 * state, scheduling (as generated) and allocated {cpuMillis, memoryMiB}, used {cpuMillis, memoryBytes (or memoryMiB),
 * measuredInstances}, instances {hardware, shared} (or instanceCounts), kernelTenant, vmOverheadBytes.
 */
export function toFleetNode(wire: unknown): FleetNode {
  const w = isObject(wire) ? wire : {};
  const labels = isObject(w.labels) ? Object.fromEntries(Object.entries(w.labels).filter(([, v]) => typeof v === "string")) : {};
  const node: FleetNode = {
    name: str(w.name) ?? "",
    allocatable: resources(w.allocatable) ?? { cpuMillis: 0, memoryMiB: 0 },
    isolations: Array.isArray(w.isolations) ? w.isolations.filter((i): i is string => typeof i === "string") : [],
    labels: labels as Record<string, string>,
    state: str(w.state) ?? "unknown",
    scheduling: str(w.scheduling) ?? "unknown",
  };
  const optional = {
    agentVersion: str(w.agentVersion),
    registeredAt: str(w.registeredAt),
    lastHeartbeat: str(w.lastHeartbeat),
    allocated: resources(w.allocated),
    used: measured(w.used ?? w.usage),
    counts: counts(w.instances) ?? counts(w.instanceCounts),
    vmOverheadBytes: num(w.vmOverheadBytes),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (node as unknown as Wire)[key] = value;
  if ("kernelTenant" in w) node.kernelTenant = str(w.kernelTenant) ?? null;
  return node;
}

/**
 * An instance from the wire. Names assumed: id, tenant (an id string, or {id, name}), tenantId, tenantName,
 * deploymentId + deploymentName (or deployment {id, name}), ordinal, node, isolation, state, desiredState, health,
 * reason, reserved (or resources) {cpuMillis, memoryMiB}, usage {sampledAt, cpuNanos, memoryBytes, cpuMillis} or null,
 * updatedAt.
 */
export function toFleetInstance(wire: unknown): FleetInstance {
  const w = isObject(wire) ? wire : {};
  const tenant = isObject(w.tenant) ? w.tenant : undefined;
  const deployment = isObject(w.deployment) ? w.deployment : undefined;
  const usage = isObject(w.usage) ? w.usage : undefined;
  const isolation = w.isolation === "hardware" || w.isolation === "shared" ? w.isolation : null;
  const instance: FleetInstance = {
    id: str(w.id) ?? "",
    tenantId: str(tenant?.id) ?? str(w.tenantId) ?? str(w.tenant) ?? "",
    deploymentName: str(deployment?.name) ?? str(w.deploymentName) ?? str(deployment?.id) ?? str(w.deploymentId) ?? "",
    ordinal: num(w.ordinal) ?? 0,
    node: str(w.node) ?? str(w.nodeName) ?? null,
    isolation,
    state: str(w.state) ?? "unknown",
    health: str(w.health) ?? null,
    reason: str(w.reason) ?? null,
    reserved: resources(w.reserved) ?? resources(w.resources) ?? { cpuMillis: 0, memoryMiB: 0 },
    usage: usage && str(usage.sampledAt) ? { sampledAt: str(usage.sampledAt)! } : null,
    updatedAt: str(w.updatedAt) ?? null,
  };
  const tenantName = str(tenant?.name) ?? str(w.tenantName);
  if (tenantName) instance.tenantName = tenantName;
  const deploymentId = str(deployment?.id) ?? str(w.deploymentId);
  if (deploymentId) instance.deploymentId = deploymentId;
  const desired = str(w.desiredState);
  if (desired) instance.desiredState = desired;
  if (instance.usage && usage) {
    const cpuNanos = num(usage.cpuNanos);
    const memoryBytes = num(usage.memoryBytes);
    const cpuMillis = num(usage.cpuMillis);
    if (cpuNanos !== undefined) instance.usage.cpuNanos = cpuNanos;
    if (memoryBytes !== undefined) instance.usage.memoryBytes = memoryBytes;
    if (cpuMillis !== undefined) instance.usage.cpuMillis = cpuMillis;
  }
  return instance;
}

/** GET /v1/nodes/{name}: {node, instances} (or the node's fields with an instances array beside them). */
export function toNodeDetail(wire: unknown): NodeDetail {
  const w = isObject(wire) ? wire : {};
  const node = isObject(w.node) ? toFleetNode(w.node) : toFleetNode(w);
  const list = Array.isArray(w.instances) ? w.instances : [];
  return { node, instances: list.map(toFleetInstance) };
}

/** A list answer: an array, or an object holding it under items. */
function listOf(wire: unknown): unknown[] {
  if (Array.isArray(wire)) return wire;
  if (isObject(wire) && Array.isArray(wire.items)) return wire.items;
  return [];
}

/** GET /v1/nodes, with the load fields when the API gives them. */
export async function loadNodes(session: Pick<Session, "api">): Promise<FleetNode[]> {
  const nodes = await data(session.api.GET("/v1/nodes"));
  return (nodes as unknown[]).map(toFleetNode);
}

/** GET /v1/nodes/{name}: the node and every instance placed there that has not ended; a 404 problem for none. */
export async function loadNode(session: Pick<Session, "api">, name: string): Promise<NodeDetail> {
  return toNodeDetail(await data(session.api.GET("/v1/nodes/{name}", { params: { path: { name } } })));
}

/** GET /v1/instances?state=&node=&tenant=&limit= (operators). */
export async function loadInstances(session: Pick<Session, "api">, query: InstanceQuery = {}): Promise<InstanceList> {
  const limit = query.limit ?? MAX_INSTANCES;
  const params = {
    limit,
    ...(query.states?.length ? { state: query.states.join(",") } : {}),
    ...(query.node ? { node: query.node } : {}),
    ...(query.tenant ? { tenant: query.tenant } : {}),
  };
  const items = listOf(await data(session.api.GET("/v1/instances", { params: { query: params } }))).map(toFleetInstance);
  return { items, limit, truncated: items.length >= limit };
}

export type NodeAction = "cordon" | "uncordon" | "drain";

/** POST /v1/nodes/{name}/cordon|uncordon|drain: the node as it is now. */
export async function actOnNode(session: Pick<Session, "api">, name: string, action: NodeAction): Promise<FleetNode> {
  const params = { params: { path: { name } } };
  const answer =
    action === "cordon"
      ? session.api.POST("/v1/nodes/{name}/cordon", params)
      : action === "drain"
        ? session.api.POST("/v1/nodes/{name}/drain", params)
        : session.api.POST("/v1/nodes/{name}/uncordon", params);
  return toFleetNode(await data(answer));
}
