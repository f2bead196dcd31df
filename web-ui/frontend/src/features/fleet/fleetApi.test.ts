import { describe, expect, it } from "vitest";
import { toFleetInstance, toFleetNode, toNodeDetail } from "./fleetApi";

describe("reading control-api's fleet answers", () => {
  it("reads a node with its load fields", () => {
    const node = toFleetNode({
      name: "local-1",
      allocatable: { cpuMillis: 4000, memoryMiB: 8192 },
      isolations: ["hardware", "shared"],
      labels: { zone: "a" },
      state: "ready",
      scheduling: "cordoned",
      allocated: { cpuMillis: 1500, memoryMiB: 2048 },
      used: { cpuMillis: 120, memoryBytes: 1048576, measuredInstances: 2 },
      instances: { hardware: 1, shared: 2 },
      kernelTenant: "acme",
      vmOverheadBytes: 52428800,
    });
    expect(node).toMatchObject({
      name: "local-1",
      scheduling: "cordoned",
      allocated: { cpuMillis: 1500, memoryMiB: 2048 },
      used: { cpuMillis: 120, memoryBytes: 1048576, measuredInstances: 2 },
      counts: { hardware: 1, shared: 2 },
      kernelTenant: "acme",
      vmOverheadBytes: 52428800,
    });
  });

  it("leaves out the load fields a node does not carry, so the views say not reported rather than 0", () => {
    const node = toFleetNode({ name: "old", allocatable: { cpuMillis: 1000, memoryMiB: 1024 }, isolations: [], labels: {}, state: "ready", scheduling: "schedulable" });
    expect(node.allocated).toBeUndefined();
    expect(node.used).toBeUndefined();
    expect(node.counts).toBeUndefined();
    expect(node.kernelTenant).toBeUndefined();
    expect(toFleetNode({ ...node, kernelTenant: null }).kernelTenant).toBeNull();
  });

  it("reads an instance whether tenant and deployment are ids with names beside them or objects", () => {
    const flat = toFleetInstance({ id: "i1", tenant: "acme", tenantName: "Acme", deploymentId: "d1", deploymentName: "web", ordinal: 2, node: "n", isolation: "hardware", state: "running", reserved: { cpuMillis: 250, memoryMiB: 256 }, usage: { sampledAt: "2026-03-01T00:00:00Z", cpuNanos: 5, memoryBytes: 7, cpuMillis: 3 }, updatedAt: "t" });
    const nested = toFleetInstance({ id: "i1", tenant: { id: "acme", name: "Acme" }, deployment: { id: "d1", name: "web" }, ordinal: 2, node: "n", isolation: "hardware", state: "running", resources: { cpuMillis: 250, memoryMiB: 256 }, usage: { sampledAt: "2026-03-01T00:00:00Z", cpuNanos: 5, memoryBytes: 7, cpuMillis: 3 }, updatedAt: "t" });
    expect(nested).toEqual(flat);
    expect(flat).toMatchObject({ tenantId: "acme", tenantName: "Acme", deploymentName: "web", reserved: { cpuMillis: 250, memoryMiB: 256 }, usage: { memoryBytes: 7, cpuMillis: 3 } });
  });

  it("reads a node's detail as {node, instances} or as the node with its instances beside", () => {
    const wireNode = { name: "n", allocatable: { cpuMillis: 1, memoryMiB: 1 }, isolations: [], labels: {}, state: "ready", scheduling: "schedulable" };
    const item = { id: "i", tenant: "t", deploymentName: "d", ordinal: 0, state: "pending", reserved: { cpuMillis: 1, memoryMiB: 1 }, usage: null };
    const nested = toNodeDetail({ node: { ...wireNode, instances: { hardware: 0, shared: 1 } }, instances: [item] });
    const flat = toNodeDetail({ ...wireNode, instances: [item] });
    expect(nested.node.counts).toEqual({ hardware: 0, shared: 1 });
    expect(flat.node.counts).toBeUndefined();
    expect(flat.instances).toEqual(nested.instances);
    expect(flat.instances[0]).toMatchObject({ tenantId: "t", node: null, isolation: null, usage: null });
  });
});
