import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { OPS, renderPage } from "../../test/fakeSession";
import { fleetApi, instance, node } from "../fleet/testSupport";
import NodePage from "./NodePage";


const route = { me: OPS, path: "/fleet/nodes/local-1", route: "/fleet/nodes/:name" };

/** A control-api whose node local-1 changes its scheduling as the actions ask. */
function platform() {
  let scheduling = "schedulable";
  const api = fleetApi();
  const current = () =>
    node("local-1", {
      scheduling,
      labels: { zone: "a", "nanofleet.dev/hardware-accel": "tcg" },
      allocated: { cpuMillis: 1500, memoryMiB: 1536 },
      used: { cpuMillis: 250, memoryBytes: 900 * 1024 * 1024, measuredInstances: 1 },
      instances: { hardware: 1, shared: 1 },
      kernelTenant: "acme",
      vmOverheadBytes: 64 * 1024 * 1024,
    });
  api.on("GET", "/v1/nodes/local-1", () => [
    200,
    {
      node: current(),
      instances: [
        instance({ tenant: "acme", tenantName: "Acme", deploymentName: "web", ordinal: 0, isolation: "shared", reason: null }),
        instance({
          tenant: "globex",
          tenantName: "Globex",
          deploymentName: "api",
          ordinal: 2,
          isolation: "hardware",
          state: "failed",
          reason: "exited with code 1",
          reserved: { cpuMillis: 1000, memoryMiB: 1024 },
          usage: { sampledAt: "2026-03-01T10:00:00Z", cpuNanos: 1, memoryBytes: 1100 * 1024 * 1024, cpuMillis: 250 },
        }),
      ],
    },
  ]);
  for (const [action, after] of [["cordon", "cordoned"], ["uncordon", "schedulable"], ["drain", "draining"]] as const) {
    api.on("POST", `/v1/nodes/local-1/${action}`, () => {
      scheduling = after;
      return [200, current()];
    });
  }
  return { api, setScheduling: (s: string) => (scheduling = s) };
}

describe("NodePage", () => {
  it("shows the node's figures, labels, whose kernel it runs, its instances and tenants", async () => {
    renderPage(<NodePage />, { api: platform().api, ...route });
    expect(await screen.findByRole("heading", { level: 1, name: "Node local-1" })).toBeInTheDocument();
    expect(await screen.findByText("CPU allocated of 4 vCPU")).toBeInTheDocument();
    expect(screen.getByText("1.5 vCPU")).toBeInTheDocument();
    expect(screen.getByText("64 MiB")).toBeInTheDocument();
    expect(screen.getByText(/Shared kernel owned by tenant acme/)).toBeInTheDocument();
    expect(screen.getByText("nanofleet.dev/hardware-accel")).toBeInTheDocument();
    const instances = screen.getByRole("table", { name: "Instances on this node" });
    const failed = within(instances).getByText("exited with code 1").closest("tr")!;
    expect(within(failed).getByText("Globex (globex)")).toBeInTheDocument();
    expect(within(failed).getByText("VM")).toBeInTheDocument();
    expect(within(failed).getByText("0.25 vCPU, 1.1 GiB")).toBeInTheDocument();
    const tenants = screen.getByRole("table", { name: "Tenants on this node" });
    expect(within(tenants).getAllByRole("row")).toHaveLength(3);
  });

  it("asks before cordoning, posts the cordon and shows the new scheduling, then follows a change made elsewhere live", async () => {
    const user = userEvent.setup();
    const { api, setScheduling } = platform();
    const { events } = renderPage(<NodePage />, { api, ...route });
    await user.click(await screen.findByRole("button", { name: "Cordon node" }));
    const dialog = screen.getByRole("dialog", { name: "Cordon node" });
    expect(dialog).toHaveTextContent("What runs there keeps running");
    expect(api.calls("POST", "/v1/nodes/local-1/cordon")).toHaveLength(0);
    await user.click(within(dialog).getByRole("button", { name: "Cordon" }));
    await waitFor(() => expect(api.calls("POST", "/v1/nodes/local-1/cordon")).toHaveLength(1));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("cordoned"));
    expect(screen.queryByRole("button", { name: "Cordon node" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Uncordon node" })).toBeInTheDocument();

    // another operator uncordons it: the event arrives on the shared stream and the page follows
    setScheduling("schedulable");
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ type: "node.scheduling-changed", data: { nodeName: "local-1", scheduling: "schedulable" } });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("schedulable"));
    expect(screen.getByRole("button", { name: "Cordon node" })).toBeInTheDocument();
  });

  it("cancelling the confirmation sends nothing", async () => {
    const user = userEvent.setup();
    const { api } = platform();
    renderPage(<NodePage />, { api, ...route });
    await user.click(await screen.findByRole("button", { name: "Drain node" }));
    await user.click(within(screen.getByRole("dialog", { name: "Drain node" })).getByRole("button", { name: "Cancel" }));
    expect(api.calls("POST", "/v1/nodes/local-1/drain")).toHaveLength(0);
  });

  it("shows the API's problem in the dialog when an action is refused", async () => {
    const user = userEvent.setup();
    const { api } = platform();
    api.on("POST", "/v1/nodes/local-1/drain", [404, { type: "urn:nanofleet:problem:not-found", title: "Not Found", status: 404, detail: "no node local-1" }]);
    renderPage(<NodePage />, { api, ...route });
    await user.click(await screen.findByRole("button", { name: "Drain node" }));
    const dialog = screen.getByRole("dialog", { name: "Drain node" });
    await user.click(within(dialog).getByRole("button", { name: "Drain" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Not done: no node local-1");
  });

  it("says so clearly when there is no such node", async () => {
    const api = fleetApi();
    renderPage(<NodePage />, { api, me: OPS, path: "/fleet/nodes/ghost", route: "/fleet/nodes/:name" });
    expect(await screen.findByRole("heading", { level: 1, name: "Node not found" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("There is no node named ghost");
    expect(screen.getByRole("link", { name: "All nodes" })).toHaveAttribute("href", "/fleet/nodes");
  });

  it("says so clearly when the caller may not see nodes", async () => {
    const api = fleetApi().on("GET", "/v1/nodes/local-1", [403, { type: "urn:nanofleet:problem:forbidden", title: "Forbidden", status: 403, detail: "operators only" }]);
    renderPage(<NodePage />, { api, ...route });
    expect(await screen.findByRole("heading", { level: 1, name: "Not allowed" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("You may not see this node: operators only");
  });
});
