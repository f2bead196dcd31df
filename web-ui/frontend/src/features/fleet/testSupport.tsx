// Test support for the operator views: answers shaped as control-api's node, instance and event JSON.
import { FakeApi } from "../../test/fakeSession";

/** A FakeApi for the fleet views. */
export function fleetApi(): FakeApi {
  return new FakeApi();
}

type Json = Record<string, unknown>;

/** A node as GET /v1/nodes lists it, with the load fields. */
export function node(name: string, overrides: Json = {}): Json {
  return {
    name,
    allocatable: { cpuMillis: 4000, memoryMiB: 8192 },
    isolations: ["hardware", "shared"],
    labels: { zone: "a" },
    agentVersion: "0.1.0",
    registeredAt: "2026-03-01T08:00:00Z",
    lastHeartbeat: new Date(Date.now() - 5_000).toISOString(),
    state: "ready",
    scheduling: "schedulable",
    allocated: { cpuMillis: 0, memoryMiB: 0 },
    used: { cpuMillis: 0, memoryBytes: 0, measuredInstances: 0 },
    instances: { hardware: 0, shared: 0 },
    kernelTenant: null,
    vmOverheadBytes: 0,
    ...overrides,
  };
}

let nextId = 1;

/** An instance as GET /v1/instances and GET /v1/nodes/{name} list it. */
export function instance(overrides: Json = {}): Json {
  const n = nextId++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    tenant: "acme",
    tenantName: "Acme",
    deploymentId: "11111111-1111-4111-8111-111111111111",
    deploymentName: "web",
    ordinal: 0,
    node: "local-1",
    isolation: "shared",
    state: "running",
    desiredState: "running",
    health: null,
    reason: null,
    reserved: { cpuMillis: 500, memoryMiB: 512 },
    usage: null,
    updatedAt: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  };
}
