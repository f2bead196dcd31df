import { describe, expect, it } from "vitest";
import { toFleetInstance, toFleetNode } from "./fleetApi";
import { blocksOf, capacityTotals, densityByMode, groupNodes, labelKeys, stateCounts } from "./fleetShape";
import { instance, node } from "./testSupport";

const nodes = [
  toFleetNode(node("a-1", { allocated: { cpuMillis: 1000, memoryMiB: 2048 }, used: { cpuMillis: 300, memoryBytes: 1024 ** 3, measuredInstances: 2 } })),
  toFleetNode(node("a-2", { scheduling: "cordoned", allocated: { cpuMillis: 500, memoryMiB: 512 } })),
  toFleetNode(node("b-1", { labels: { zone: "b" }, state: "lost", allocated: { cpuMillis: 4000, memoryMiB: 8192 } })),
  toFleetNode(node("x-1", { labels: {}, state: "not-ready" })),
];

describe("fleet figures", () => {
  it("counts nodes by state and scheduling", () => {
    expect(stateCounts(nodes)).toEqual({ total: 4, ready: 2, notReady: 1, lost: 1, schedulable: 3, cordoned: 1, draining: 0 });
  });

  it("sums capacity, allocation and measured use over the nodes that are not lost", () => {
    const totals = capacityTotals(nodes);
    expect(totals.nodes).toBe(3);
    expect(totals.capacity).toEqual({ cpuMillis: 12000, memoryMiB: 24576 });
    expect(totals.allocated).toEqual({ cpuMillis: 1500, memoryMiB: 2560 });
    expect(totals.usedCpuMillis).toBe(300);
    expect(totals.usedMemoryBytes).toBe(1024 ** 3);
    expect(totals.measuredInstances).toBe(2);
  });

  it("calls measured use unknown when no instance was measured, not zero", () => {
    const idle = capacityTotals([toFleetNode(node("n"))]);
    expect(idle.usedCpuMillis).toBeUndefined();
    expect(idle.usedMemoryBytes).toBeUndefined();
    expect(idle.measuredInstances).toBe(0);
  });

  it("splits instances and their memory by isolation mode, measured beside reserved", () => {
    const list = [
      instance({ isolation: "hardware", reserved: { cpuMillis: 1000, memoryMiB: 1024 }, usage: { sampledAt: "t", cpuNanos: 1, memoryBytes: 1200 * 1024 * 1024 } }),
      instance({ isolation: "hardware", reserved: { cpuMillis: 500, memoryMiB: 512 } }),
      instance({ isolation: "shared", reserved: { cpuMillis: 250, memoryMiB: 256 } }),
      instance({ node: null, isolation: null, state: "pending" }),
    ].map(toFleetInstance);
    const [vm, shared] = densityByMode(list);
    expect(vm).toEqual({ mode: "hardware", instances: 2, reserved: { cpuMillis: 1500, memoryMiB: 1536 }, measuredBytes: 1200 * 1024 * 1024, measuredInstances: 1, measuredReservedMiB: 1024 });
    expect(shared).toMatchObject({ mode: "shared", instances: 1, measuredInstances: 0 });
  });

  it("groups nodes by a label with the free capacity of those that take work, nodes without it last", () => {
    const groups = groupNodes(nodes, "zone");
    expect(groups.map((g) => g.title)).toEqual(["zone: a", "zone: b", "No zone label"]);
    // a-2 is cordoned: its free room does not count
    expect(groups[0]).toMatchObject({ takingWork: 1, free: { cpuMillis: 3000, memoryMiB: 6144 }, capacity: { cpuMillis: 8000, memoryMiB: 16384 } });
    expect(groups[1]).toMatchObject({ takingWork: 0, capacity: { cpuMillis: 0, memoryMiB: 0 } });
    expect(groupNodes(nodes, undefined).map((g) => g.title)).toEqual(["All nodes"]);
    expect(labelKeys([toFleetNode(node("n", { labels: { arch: "x86", zone: "a" } }))])).toEqual(["zone", "arch"]);
  });

  it("sizes a node's blocks by their share of its memory or CPU and names each in words", () => {
    const n = toFleetNode(node("local-1"));
    const list = [
      instance({ tenant: "globex", deploymentName: "api", ordinal: 1, isolation: "hardware", reserved: { cpuMillis: 2000, memoryMiB: 1024 } }),
      instance({ tenant: "acme", ordinal: 0, reserved: { cpuMillis: 1000, memoryMiB: 4096 } }),
      instance({ node: "elsewhere" }),
    ].map(toFleetInstance);
    const byMemory = blocksOf(n, list, "memory");
    expect(byMemory.map((b) => [b.label, b.percent])).toEqual([
      ["acme/web #0, shared kernel, running", 50],
      ["globex/api #1, VM, running", 12.5],
    ]);
    expect(blocksOf(n, list, "cpu").map((b) => b.percent)).toEqual([25, 50]);
  });
});
