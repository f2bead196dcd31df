import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { OPS, renderPage } from "../../test/fakeSession";
import { fleetApi, instance, node } from "./testSupport";
import TopologyPage from "./TopologyPage";

function fleet() {
  return fleetApi()
    .on("GET", "/v1/nodes", [
      200,
      [
        node("local-1", { allocated: { cpuMillis: 1500, memoryMiB: 1536 }, kernelTenant: "acme" }),
        node("local-2", { allocated: { cpuMillis: 0, memoryMiB: 0 }, scheduling: "cordoned" }),
        node("far-1", { labels: { zone: "b" }, allocated: { cpuMillis: 1000, memoryMiB: 4096 } }),
      ],
    ])
    .on("GET", "/v1/instances", [
      200,
      [
        instance({ tenant: "acme", deploymentName: "web", ordinal: 0, node: "local-1", isolation: "shared", reserved: { cpuMillis: 500, memoryMiB: 512 } }),
        instance({ tenant: "globex", deploymentName: "api", ordinal: 3, node: "local-1", isolation: "hardware", state: "starting", reserved: { cpuMillis: 1000, memoryMiB: 1024 } }),
        instance({ tenant: "globex", deploymentName: "db", ordinal: 0, node: "far-1", isolation: "hardware", reserved: { cpuMillis: 1000, memoryMiB: 4096 } }),
        instance({ tenant: "acme", deploymentName: "web", ordinal: 1, node: null, isolation: null, state: "unschedulable", reason: "0/3 nodes" }),
      ],
    ]);
}

const nodeBox = (name: string) => screen.getByRole("region", { name: `Node ${name}` });

describe("TopologyPage", () => {
  it("places each instance in its node's box, named in words and sized by its share of the node's memory", async () => {
    renderPage(<TopologyPage />, { api: fleet(), me: OPS });
    await screen.findByText("acme/web #0, shared kernel, running");
    const local = nodeBox("local-1");
    const blocks = within(within(local).getByRole("list", { name: "Instances on local-1" })).getAllByRole("listitem");
    expect(blocks.map((b) => b.textContent)).toEqual(["acme/web #0, shared kernel, running", "globex/api #3, VM, starting"]);
    expect(blocks.map((b) => b.getAttribute("title"))).toEqual(["acme/web #0, shared kernel, running", "globex/api #3, VM, starting"]);
    expect(blocks.map((b) => b.style.width)).toEqual(["6.25%", "12.5%"]);
    expect(local).toHaveTextContent("1.5 GiB of 8 GiB reserved (19 %)");
    expect(local).toHaveTextContent("kernel: acme");
    expect(within(nodeBox("far-1")).getByText("globex/db #0, VM, running")).toBeInTheDocument();
    expect(within(nodeBox("local-2")).getByText("No replica placed.")).toBeInTheDocument();
    expect(within(nodeBox("local-2")).getByText("cordoned")).toBeInTheDocument();
    expect(screen.getByText(/1 replica waits for a node/)).toBeInTheDocument();
  });

  it("groups the boxes by zone with each zone's free capacity on the nodes that take work", async () => {
    renderPage(<TopologyPage />, { api: fleet(), me: OPS });
    const zoneA = (await screen.findByRole("heading", { level: 2, name: "zone: a" })).closest("section")!;
    expect(within(zoneA).getByText(/2 nodes, 1 taking new replicas/)).toHaveTextContent("free on those: 2.5 vCPU and 6.5 GiB of 8 vCPU and 16 GiB in all");
    expect(within(zoneA).getByRole("region", { name: "Node local-1" })).toBeInTheDocument();
    const zoneB = screen.getByRole("heading", { level: 2, name: "zone: b" }).closest("section")!;
    expect(within(zoneB).getByRole("region", { name: "Node far-1" })).toBeInTheDocument();
    await userEvent.setup().selectOptions(screen.getByLabelText("Group by"), "");
    expect(screen.getByRole("heading", { level: 2, name: "All nodes" })).toBeInTheDocument();
  });

  it("sizes by CPU and colours by mode on request, with a legend in words", async () => {
    const user = userEvent.setup();
    renderPage(<TopologyPage />, { api: fleet(), me: OPS });
    await screen.findByText("acme/web #0, shared kernel, running");
    expect(within(screen.getByRole("list", { name: "Colours: tenants" })).getByText("globex")).toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "Reserved CPU" }));
    const blocks = within(screen.getByRole("list", { name: "Instances on local-1" })).getAllByRole("listitem");
    expect(blocks.map((b) => b.style.width)).toEqual(["12.5%", "25%"]);
    await user.click(screen.getByRole("radio", { name: "Isolation mode" }));
    const legend = screen.getByRole("list", { name: "Colours: isolation modes" });
    expect(within(legend).getByText("VM")).toBeInTheDocument();
    expect(within(legend).getByText("shared kernel")).toBeInTheDocument();
  });

  it("follows placements live", async () => {
    const api = fleet();
    const { events } = renderPage(<TopologyPage />, { api, me: OPS });
    await screen.findByText("acme/web #0, shared kernel, running");
    api.on("GET", "/v1/instances", [200, [instance({ tenant: "acme", deploymentName: "web", ordinal: 1, node: "local-2", isolation: "shared" })]]);
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ type: "instance.placed", tenant: "acme", data: { nodeName: "local-2", isolation: "shared" } });
    expect(await within(nodeBox("local-2")).findByText("acme/web #1, shared kernel, running", {}, { timeout: 3000 })).toBeInTheDocument();
  });
});
