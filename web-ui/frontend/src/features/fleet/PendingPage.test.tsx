import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { OPS, renderPage } from "../../test/fakeSession";
import PendingPage from "./PendingPage";
import { fleetApi, instance, node } from "./testSupport";

const REASON = "0/2 nodes available: 1 node cordoned, 1 kernel owned by another tenant (globex)";

function fleet() {
  return fleetApi()
    .on("GET", "/v1/nodes", [200, [node("local-1", { scheduling: "cordoned" }), node("gone-1", { state: "lost" }), node("ok-1")]])
    .on("GET", "/v1/instances", [
      200,
      [
        instance({ tenant: "acme", tenantName: "Acme", deploymentName: "web", ordinal: 4, node: null, isolation: null, state: "unschedulable", reason: REASON }),
        instance({ tenant: "acme", tenantName: "Acme", deploymentName: "web", ordinal: 5, node: null, isolation: null, state: "pending", reason: null }),
      ],
    ]);
}

describe("PendingPage", () => {
  it("asks for the waiting replicas and shows the scheduler's reason for each in full", async () => {
    const api = fleet();
    renderPage(<PendingPage />, { api, me: OPS });
    const table = await screen.findByRole("table", { name: "Replicas waiting for a node" });
    const row = (await within(table).findByText(REASON)).closest("tr")!;
    expect(within(row).getByText("Acme (acme)")).toBeInTheDocument();
    expect(within(row).getByText("#4")).toBeInTheDocument();
    expect(within(row).getByText("unschedulable")).toBeInTheDocument();
    expect(within(row).getByText("1 min ago")).toBeInTheDocument();
    expect(within(table).getByText("no reason given yet")).toBeInTheDocument();
    const asked = api.calls("GET", "/v1/instances")[0]!.url.searchParams;
    expect(asked.get("state")).toBe("pending,unschedulable");
  });

  it("lists the lost, cordoned and draining nodes that take no new replicas", async () => {
    renderPage(<PendingPage />, { api: fleet(), me: OPS });
    const table = await screen.findByRole("table", { name: "Nodes taking no new replicas" });
    expect(within(table).getByRole("link", { name: "gone-1" })).toBeInTheDocument();
    expect(within(table).getByText(/lost: no heartbeat/)).toBeInTheDocument();
    expect(within(table).getByText("cordoned by an operator")).toBeInTheDocument();
    expect(within(table).queryByRole("link", { name: "ok-1" })).not.toBeInTheDocument();
    expect(screen.getByText("1 of 3 nodes take new replicas; 1 lost.")).toBeInTheDocument();
  });

  it("drops a replica once it is placed, live", async () => {
    const api = fleet();
    const { events } = renderPage(<PendingPage />, { api, me: OPS });
    await screen.findByText(REASON);
    api.on("GET", "/v1/instances", [200, []]);
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ type: "instance.placed", tenant: "acme", data: { nodeName: "local-1", isolation: "shared" } });
    expect(await screen.findByText("No replica is waiting: every one is placed.", {}, { timeout: 3000 })).toBeInTheDocument();
  });

  it("looks again shortly after a placement decision the instance list did not show yet", async () => {
    const api = fleet();
    let answers = 0;
    // the log delivers instance.unschedulable before the instance row has it: the first reload still shows nothing
    api.on("GET", "/v1/instances", () => [200, ++answers <= 2 ? [] : [instance({ node: null, isolation: null, state: "unschedulable", reason: "0/1 nodes available: 1 node cordoned" })]]);
    const { events } = renderPage(<PendingPage />, { api, me: OPS });
    await screen.findByText("No replica is waiting: every one is placed.");
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ type: "instance.unschedulable", tenant: "acme", data: { reason: "0/1 nodes available: 1 node cordoned" } });
    expect(await screen.findByText("0/1 nodes available: 1 node cordoned", {}, { timeout: 6000 })).toBeInTheDocument();
    expect(answers).toBe(3);
  }, 10_000);

  it("shows the API's problem when the replicas cannot be listed", async () => {
    const api = fleet().on("GET", "/v1/instances", [403, { type: "urn:nanofleet:problem:forbidden", title: "Forbidden", status: 403, detail: "operators only" }]);
    renderPage(<PendingPage />, { api, me: OPS });
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the waiting replicas: operators only");
  });
});
