import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { OPS, renderPage } from "../../test/fakeSession";
import { fleetApi, node } from "../fleet/testSupport";
import NodesPage from "./NodesPage";

function nodes() {
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  return fleetApi().on("GET", "/v1/nodes", [
    200,
    [
      node("local-1", { labels: { zone: "a", "nanofleet.dev/hardware-accel": "tcg" }, lastHeartbeat: minutesAgo(0), allocated: { cpuMillis: 1000, memoryMiB: 1024 } }),
      node("b-node", { labels: { zone: "b" }, state: "lost", lastHeartbeat: minutesAgo(30), isolations: ["shared"], agentVersion: "0.2.0" }),
      node("c-node", { labels: {}, scheduling: "cordoned", lastHeartbeat: minutesAgo(3), kernelTenant: "acme" }),
    ],
  ]);
}

const rowNames = () =>
  within(screen.getByRole("table", { name: "Nodes" }))
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell")[0]!.textContent);

describe("NodesPage", () => {
  it("lists every node with a link to its page, sorted by name", async () => {
    renderPage(<NodesPage />, { api: nodes(), me: OPS });
    expect(await screen.findByRole("link", { name: "local-1" })).toHaveAttribute("href", "/fleet/nodes/local-1");
    expect(rowNames()).toEqual(["b-node", "c-node", "local-1"]);
    const local = screen.getByRole("link", { name: "local-1" }).closest("tr")!;
    expect(within(local).getByText("1 vCPU of 4 vCPU")).toBeInTheDocument();
    expect(within(local).getByText("tcg")).toBeInTheDocument();
    expect(within(local).getByText("VM, shared kernel")).toBeInTheDocument();
  });

  it("sorts by last heartbeat, oldest first then newest first", async () => {
    const user = userEvent.setup();
    renderPage(<NodesPage />, { api: nodes(), me: OPS });
    await screen.findByRole("link", { name: "local-1" });
    await user.click(screen.getByRole("button", { name: "Last heartbeat" }));
    expect(rowNames()).toEqual(["b-node", "c-node", "local-1"]);
    expect(screen.getByRole("columnheader", { name: /Last heartbeat/ })).toHaveAttribute("aria-sort", "ascending");
    await user.click(screen.getByRole("button", { name: /Last heartbeat/ }));
    expect(rowNames()).toEqual(["local-1", "c-node", "b-node"]);
  });

  it("filters by state, zone, runtime and scheduling, and clears the filters", async () => {
    const user = userEvent.setup();
    renderPage(<NodesPage />, { api: nodes(), me: OPS });
    await screen.findByRole("link", { name: "local-1" });
    await user.selectOptions(screen.getByLabelText("State"), "lost");
    expect(rowNames()).toEqual(["b-node"]);
    await user.selectOptions(screen.getByLabelText("State"), "");
    await user.selectOptions(screen.getByLabelText("Zone"), "a");
    expect(rowNames()).toEqual(["local-1"]);
    await user.selectOptions(screen.getByLabelText("Runtime"), "shared");
    expect(rowNames()).toEqual(["local-1"]);
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await user.selectOptions(screen.getByLabelText("Scheduling"), "cordoned");
    expect(rowNames()).toEqual(["c-node"]);
    await user.selectOptions(screen.getByLabelText("Scheduling"), "");
    await user.type(screen.getByLabelText("Search nodes"), "0.2.0");
    expect(rowNames()).toEqual(["b-node"]);
  });

  it("shows the API's problem when the nodes cannot be listed", async () => {
    const api = fleetApi().on("GET", "/v1/nodes", [403, { type: "urn:nanofleet:problem:forbidden", title: "Forbidden", status: 403, detail: "operators only" }]);
    renderPage(<NodesPage />, { api, me: OPS });
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the nodes: operators only");
  });
});
