import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { dec, OPS, problem, renderPage } from "../../test/fakeSession";
import FleetPage from "./FleetPage";
import { fleetApi, instance, node } from "./testSupport";

// Chart.js cannot draw in jsdom: the chart's accessible name stands in for it
vi.mock("../../ui/Chart", async (importOriginal) => (await import("../../test/chartStub")).chartStub(importOriginal));

const MIB = 1024 * 1024;

function fleet() {
  return fleetApi()
    .on("GET", "/v1/nodes", [
      200,
      [
        node("local-1", {
          allocated: { cpuMillis: 1500, memoryMiB: 1536 },
          used: { cpuMillis: 400, memoryBytes: 1600 * MIB, measuredInstances: 2 },
          instances: { hardware: 1, shared: 1 },
          kernelTenant: "acme",
          vmOverheadBytes: 100 * MIB,
        }),
        node("local-2", { scheduling: "draining" }),
        node("gone-1", { state: "lost", lastHeartbeat: "2026-03-01T08:00:00Z" }),
        node("slow-1", { state: "not-ready" }),
      ],
    ])
    .on("GET", "/v1/instances", (sent) =>
      sent.url.searchParams.get("state") === "pending,unschedulable"
        ? [200, [instance({ node: null, isolation: null, state: "unschedulable", reason: "no room" })]]
        : [
            200,
            [
              instance({ isolation: "hardware", reserved: { cpuMillis: 1000, memoryMiB: 1024 }, usage: { sampledAt: "2026-03-01T10:00:00Z", cpuNanos: 1, memoryBytes: 1124 * MIB } }),
              instance({ isolation: "shared", reserved: { cpuMillis: 500, memoryMiB: 512 } }),
            ],
          ],
    );
}

describe("FleetPage", () => {
  it("counts the nodes by state and scheduling and links the waiting replicas", async () => {
    renderPage(<FleetPage />, { api: fleet(), me: OPS });
    const cards = (await screen.findByRole("heading", { level: 2, name: "Nodes" })).closest("section")!;
    const figure = (label: RegExp) => within(cards).getByText(label).closest(".card")!.querySelector(".figure")!.textContent;
    expect(figure(/^ready$/)).toBe("2");
    expect(figure(/^lost/)).toBe("1");
    expect(figure(/^not ready/)).toBe("1");
    expect(figure(/^draining/)).toBe("1");
    await waitFor(() => expect(figure(/replicas waiting for a node/)).toBe("1"));
    expect(within(cards).getByRole("link", { name: "Pending replicas" })).toHaveAttribute("href", "/fleet/pending");
  });

  it("shows capacity beside allocated and measured use, as a chart and as figures", async () => {
    renderPage(<FleetPage />, { api: fleet(), me: OPS });
    const table = await screen.findByRole("table", { name: "Capacity, allocated and measured use" });
    const cpu = within(table).getByRole("row", { name: /^CPU/ });
    // three nodes are not lost: 12 vCPU and 24 GiB
    expect(cpu).toHaveTextContent("12 vCPU1.5 vCPU (13 %)0.4 vCPU (3 %)");
    expect(within(table).getByRole("row", { name: /^Memory/ })).toHaveTextContent("24 GiB1.5 GiB (6 %)1.6 GiB (7 %)");
    expect(screen.getByRole("img", { name: /Allocated and measured CPU and memory/ })).toBeInTheDocument();
  });

  it("splits instances and memory by isolation mode and tells the VMs' overhead", async () => {
    renderPage(<FleetPage />, { api: fleet(), me: OPS });
    const table = await screen.findByRole("table", { name: "Instances and resources by isolation mode" });
    expect(within(table).getByRole("row", { name: /^VM/ })).toHaveTextContent("VM11 vCPU1 GiB1 GiB1.1 GiB of 1 GiB reserved (1 measured)");
    expect(within(table).getByRole("row", { name: /^shared kernel/ })).toHaveTextContent("not measured");
    expect(screen.getByText(/VMs use/)).toHaveTextContent("VMs use 100 MiB of host memory beyond what they reserve, over 1 measured VM (100 MiB each on average).");
  });

  it("prices the VMs' overhead with tenant-billing's price list, exactly", async () => {
    const api = fleet().on("GET", "/v1/prices", [
      200,
      {
        currency: "USD",
        billingPeriod: "calendar-month",
        asOf: "2026-12-01T12:00:00Z",
        current: { id: "launch", effectiveFrom: "2026-01-01T00:00:00Z", rates: { hardware: { perVcpuSecond: dec("0.0000135"), perGibSecond: dec("0.0000019"), perVcpuHour: dec("0.0486000"), perGibHour: dec("0.0068400") }, shared: { perVcpuSecond: dec("0.0000112"), perGibSecond: dec("0.0000013"), perVcpuHour: dec("0.0403200"), perGibHour: dec("0.0046800") } } },
        next: null,
        freeGrant: null,
      },
    ]);
    renderPage(<FleetPage />, { api, me: OPS });
    // 100 MiB at $0.00684 per GiB-hour
    expect(await screen.findByText(/per GiB-hour/)).toHaveTextContent("At the VM memory price ($0.00684 per GiB-hour, price list launch) that is $0.0006 per hour");
  });

  it("says so when the price list cannot be read", async () => {
    renderPage(<FleetPage />, { api: fleet().on("GET", "/v1/prices", [503, problem(503, "identity-unavailable", "try again")]), me: OPS });
    expect(await screen.findByRole("alert")).toHaveTextContent("The price list could not be read");
  });

  it("lists the lost and not-ready nodes", async () => {
    renderPage(<FleetPage />, { api: fleet(), me: OPS });
    const table = await screen.findByRole("table", { name: "Lost and not-ready nodes" });
    expect(within(table).getAllByRole("link").map((a) => a.textContent)).toEqual(["gone-1", "slow-1"]);
  });

  it("reloads when a node changes, live", async () => {
    const api = fleet();
    const { events } = renderPage(<FleetPage />, { api, me: OPS });
    await screen.findByRole("table", { name: "Lost and not-ready nodes" });
    api.on("GET", "/v1/nodes", [200, [node("local-1")]]);
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ type: "node.status-changed", data: { nodeName: "gone-1", status: "ready" } });
    expect(await screen.findByText("Every node is ready.", {}, { timeout: 3000 })).toBeInTheDocument();
  });

  it("shows the API's problem when the nodes cannot be listed", async () => {
    const api = fleetApi().on("GET", "/v1/nodes", [403, { type: "urn:nanofleet:problem:forbidden", title: "Forbidden", status: 403, detail: "operators only" }]);
    renderPage(<FleetPage />, { api, me: OPS });
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the nodes: operators only");
  });
});
