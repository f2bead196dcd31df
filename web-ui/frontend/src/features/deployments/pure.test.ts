import type { EventEntry } from "../../live/eventStream";
import { emptyForm, inputFor, localErrors, placeErrors, toRequest, type CreateForm } from "./createForm";
import { replicaCounts, summarize, waitingReasons } from "./deploymentState";
import { summarizeEvent } from "./eventSummary";
import { changesDeployment, changesDeployments } from "./liveMatch";
import { diffLines, readable } from "./readable";
import { deployment, instance } from "./testing";

const event = (type: string, data: Record<string, unknown> = {}, extra: Partial<EventEntry> = {}): EventEntry => ({
  id: "1",
  eventId: "e",
  type,
  time: "2026-12-01T10:00:00Z",
  tenant: "globex",
  deploymentId: "d1",
  instanceId: null,
  actor: null,
  data,
  ...extra,
});

describe("which live events reload a view", () => {
  it("reloads the list for deployment and replica changes but not for exec sessions or quota refusals", () => {
    expect(changesDeployments(event("instance.state-changed"))).toBe(true);
    expect(changesDeployments(event("deployment.scaled"))).toBe(true);
    expect(changesDeployments(event("deployment.rollout-progressed"))).toBe(true);
    expect(changesDeployments(event("instance.exec-started"))).toBe(false);
    expect(changesDeployments(event("tenant.quota-refused"))).toBe(false);
  });

  it("reloads one deployment only for its own events", () => {
    expect(changesDeployment("d1")(event("instance.placed"))).toBe(true);
    expect(changesDeployment("d2")(event("instance.placed"))).toBe(false);
  });
});

describe("a deployment's state in a word", () => {
  it("counts running replicas against the desired count, ignoring scaled-away ones", () => {
    const d = deployment({ instances: [instance({ ordinal: 0 }), instance({ ordinal: 1, state: "starting" }), instance({ ordinal: 2, desiredState: "stopped", state: "running" })] });
    expect(replicaCounts(d)).toEqual({ running: 1, desired: 2 });
    expect(summarize(d)).toEqual({ word: "starting", detail: "1 of 2 running" });
  });

  it("names stopped, deleted, rolling out and unschedulable deployments", () => {
    expect(summarize(deployment({ deletedAt: "2026-12-01T11:00:00Z" })).word).toBe("deleted");
    expect(summarize(deployment({ stoppedAt: "2026-12-01T11:00:00Z", instances: [instance({ desiredState: "stopped", state: "stopped" })] }))).toEqual({ word: "stopped" });
    expect(summarize(deployment({ rollout: { revision: 2, state: "progressing", desired: 2, updated: 1, ready: 1, startedAt: "2026-12-01T10:00:00Z" } }))).toEqual({
      word: "rolling out",
      detail: "revision 2: 1 of 2 updated, 1 ready",
    });
    const waiting = deployment({ instances: [instance({ ordinal: 0 }), instance({ ordinal: 1, state: "unschedulable", reason: "no node has room" })] });
    expect(summarize(waiting)).toEqual({ word: "unschedulable", detail: "1 of 2 replicas cannot be placed" });
    expect(waitingReasons(waiting)).toEqual([{ ordinal: 1, state: "unschedulable", reason: "no node has room" }]);
  });
});

describe("values in words", () => {
  it("reads nested values as key=value lists", () => {
    expect(readable({ cpuMillis: 250, memoryMiB: 64 })).toBe("{cpuMillis=250, memoryMiB=64}");
    expect(readable([8080, 9090])).toBe("[8080, 9090]");
    expect(readable(null)).toBe("(none)");
  });

  it("diffs maps key by key", () => {
    expect(diffLines("env", { A: "1", B: "2" }, { A: "1", B: "3", C: "4" })).toEqual([
      { field: "env.B", from: "2", to: "3", kind: "changed" },
      { field: "env.C", from: "(none)", to: "4", kind: "added" },
    ]);
    expect(diffLines("image", "a:1", "a:2")).toEqual([{ field: "image", from: "a:1", to: "a:2", kind: "changed" }]);
  });

  it("summarizes events with replica numbers the page knows", () => {
    const ordinals = new Map([["i-1", 3]]);
    expect(summarizeEvent(event("instance.unschedulable", { reason: "no node has room" }, { instanceId: "i-1" }), ordinals)).toBe("Replica #3 cannot be placed: no node has room");
    expect(summarizeEvent(event("instance.state-changed", { state: "exited", nodeName: "local-1", exitCode: 1 }, { instanceId: "i-1" }), ordinals)).toBe(
      "Replica #3 is exited on local-1 (exit code 1)",
    );
    expect(summarizeEvent(event("deployment.scaled", { replicas: 3, added: [{}], removed: [] }))).toBe("Scaled to 3 replicas (1 added)");
    expect(summarizeEvent(event("deployment.revised", { revision: 3, changed: ["image"], rollbackOf: 1 }))).toBe("Revision 3 (rollback to revision 1): image changed");
    expect(summarizeEvent(event("something.new", { a: 1, tenant: "globex" }))).toBe("a=1");
  });
});

describe("the create form's body and errors", () => {
  const filled = (): CreateForm => ({
    ...emptyForm(),
    name: "web",
    image: "registry:5000/web:1",
    ports: [
      { id: "p1", containerPort: "" },
      { id: "p2", containerPort: "8080" },
    ],
    env: [{ id: "e1", name: "MODE", value: "demo" }],
    secrets: [{ id: "s1", name: "TOKEN", value: "s3cret" }],
  });

  it("leaves out empty rows and remembers where each list item came from", () => {
    const { body, places } = toRequest(filled());
    expect(body.ports).toEqual([{ containerPort: 8080, protocol: "http" }]);
    expect(body.env).toEqual({ MODE: "demo" });
    expect(body.secrets).toEqual({ TOKEN: "s3cret" });
    expect(inputFor("ports[0].containerPort", places)).toBe("ports:p2");
    expect(inputFor("env.MODE", places)).toBe("env:e1");
    expect(inputFor("secrets.TOKEN", places)).toBe("secrets:s1");
    expect(inputFor("resources.cpuMillis", places)).toBe("cpuMillis");
    expect(inputFor("rolloutPolicy.maxSurge", places)).toBeUndefined();
  });

  it("places command argument errors at the command with the argument named", () => {
    const { places } = toRequest(filled());
    expect(placeErrors([{ field: "command[1]", message: "must be at most 4096 characters" }, { field: "", message: "a JSON object is required" }], places)).toEqual({
      byInput: { command: "command[1]: must be at most 4096 characters" },
      unplaced: [{ field: "", message: "a JSON object is required" }],
    });
  });

  it("finds a variable named twice before sending", () => {
    const form = { ...filled(), env: [{ id: "a", name: "X", value: "1" }, { id: "b", name: "X", value: "2" }] };
    expect(localErrors(form)).toEqual({ "env:b": "X is given twice" });
  });
});
