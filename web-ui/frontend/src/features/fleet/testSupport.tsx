// Test support for the operator views: answers shaped as control-api's node, instance and event JSON, the native
// dialog jsdom lacks, and decimals written as tenant-billing writes them.
import { FakeApi } from "../../test/fakeSession";

/** jsdom has no showModal: enough of the native dialog for ConfirmButton. */
export function installDialog(): void {
  const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal?: () => void };
  proto.showModal = function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  proto.close = function (this: HTMLDialogElement) {
    this.removeAttribute("open");
  };
}

/** A FakeApi for the fleet views. */
export function fleetApi(): FakeApi {
  return new FakeApi();
}

const DECIMAL_MARK = /"#dec#([-+0-9.eE]+)#"/g;

/** A decimal as tenant-billing writes it: a bare JSON number with every digit, which JSON.stringify cannot write. */
export function dec(value: string): number {
  return `#dec#${value}#` as unknown as number;
}

/** Makes api's answers carry dec() values as bare JSON numbers, digit for digit. */
export function withExactNumbers(api: FakeApi): FakeApi {
  const plain = api.fetch;
  const exact: typeof fetch = async (input, init) => {
    const response = await plain(input, init);
    if (response.status === 204) return response;
    const text = (await response.text()).replace(DECIMAL_MARK, "$1");
    return new Response(text, { status: response.status, headers: response.headers });
  };
  Object.defineProperty(api, "fetch", { value: exact });
  return api;
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
