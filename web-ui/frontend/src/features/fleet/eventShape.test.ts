import { describe, expect, it } from "vitest";
import type { EventEntry } from "../../live/eventStream";
import { compareIds, describeEvent, FLEET_ONLY, matchesFilter, mergeNewestFirst } from "./eventShape";

const event = (id: string, type: string, data: Record<string, unknown> = {}, tenant: string | null = null): EventEntry => ({
  id,
  eventId: `e${id}`,
  type,
  time: "2026-03-01T10:00:00Z",
  tenant,
  deploymentId: null,
  instanceId: null,
  actor: null,
  data,
});

describe("the event log's shaping", () => {
  it("orders log ids as numbers, however long", () => {
    expect(compareIds("9", "10")).toBeLessThan(0);
    expect(compareIds("12345678901234567890", "12345678901234567891")).toBeLessThan(0);
    expect(compareIds("42", "42")).toBe(0);
  });

  it("merges the first page and live events newest first, each once", () => {
    const merged = mergeNewestFirst([event("8", "a"), event("9", "b")], [event("10", "c"), event("9", "b")]);
    expect(merged.map((e) => e.id)).toEqual(["10", "9", "8"]);
  });

  it("filters by type and tenant, and by no tenant for the fleet's own events", () => {
    const nodeEvent = event("1", "node.registered");
    const acme = event("2", "deployment.created", {}, "acme");
    expect(matchesFilter(acme, { type: "", tenant: "acme" })).toBe(true);
    expect(matchesFilter(nodeEvent, { type: "", tenant: "acme" })).toBe(false);
    expect(matchesFilter(nodeEvent, { type: "", tenant: FLEET_ONLY })).toBe(true);
    expect(matchesFilter(acme, { type: "node.registered", tenant: "" })).toBe(false);
  });

  it("says what happened in words", () => {
    expect(describeEvent(event("1", "node.scheduling-changed", { nodeName: "local-1", scheduling: "cordoned" }))).toBe("node local-1 is now cordoned");
    expect(describeEvent(event("1", "node.removed", { nodeName: "local-2", reason: "removed by ops" }))).toBe("node local-2 removed from the fleet: removed by ops");
    expect(describeEvent(event("1", "instance.unschedulable", { reason: "0/1 nodes available: 1 cordoned" }))).toBe("unschedulable: 0/1 nodes available: 1 cordoned");
    expect(describeEvent(event("1", "instance.placed", { nodeName: "local-1", isolation: "hardware" }))).toBe("placed on local-1 in a VM");
    expect(describeEvent(event("1", "deployment.scaled", { deploymentId: "x", tenant: "acme", replicas: 3, added: [{}] }))).toBe("replicas: 3, added: 1 items");
  });
});

describe("an instance's report in words", () => {
  it("puts the reason right after the state", () => {
    const e: EventEntry = { id: "1", eventId: "e", type: "instance.state-changed", time: "t", tenant: "acme", deploymentId: null, instanceId: null, actor: null, data: { state: "failed", nodeName: "local-1", reason: "exited with code 1" } };
    expect(describeEvent(e)).toBe("failed on local-1: exited with code 1");
  });
});
