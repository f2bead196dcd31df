import { render, screen, within } from "@testing-library/react";
import { billingApi } from "../../api/billingApi";
import { FakeApi } from "../../test/fakeSession";
import { loadInstanceSamples, type InstanceSample } from "./instanceSamples";
import { UsageChart } from "./UsageChart";

// Chart.js needs a real canvas; the wrapper is replaced by one that shows what it was given
vi.mock("../../ui/Chart", async (importOriginal) => (await import("../../test/chartStub")).chartStub(importOriginal, { showData: true }));

const MIB = 1024 * 1024;
const SAMPLES: InstanceSample[] = [
  { sampledAt: "2026-12-01T10:00:00Z", cpuNanos: 1_000_000_000, memoryBytes: 10 * MIB, cpuCores: null },
  { sampledAt: "2026-12-01T10:00:10Z", cpuNanos: 3_500_000_000, memoryBytes: 12 * MIB, cpuCores: 0.25 },
];

describe("the usage chart", () => {
  it("draws CPU in cores and memory in MiB, and gives the same figures as text and a table", () => {
    render(<UsageChart samples={SAMPLES} label="CPU and memory of replica #0" />);
    expect(screen.getByRole("img", { name: "CPU and memory of replica #0" })).toHaveTextContent("CPU (cores): 0.25 | Memory (MiB): 10 12");
    expect(screen.getByText(/Latest: 0.250 cores, 12.0 MiB. Peak: 0.250 cores, 12.0 MiB./)).toBeInTheDocument();
    const rows = within(screen.getByRole("table", { hidden: true })).getAllByRole("row", { hidden: true });
    expect(rows.map((r) => r.textContent)).toEqual(["Time (UTC)CPU (cores)Memory (MiB)", "10:00:00–10.0", "10:00:100.25012.0"]);
  });

  it("says when there are no samples", () => {
    render(<UsageChart samples={[]} label="x" />);
    expect(screen.getByText(/No usage samples yet/)).toBeInTheDocument();
  });
});

describe("the samples loader", () => {
  it("asks tenant-billing with the bearer token and reads the samples", async () => {
    const api = new FakeApi().on("GET", "/v1/usage/instances/i-1/samples", [200, { instanceId: "i-1", more: false, samples: [{ sampledAt: "2026-12-01T10:00:10Z", cpuNanos: 5, memoryBytes: 7, cpuCores: 0.5 }] }]);
    const samples = await loadInstanceSamples(billingApi("http://billing.test", async () => "tok", api.fetch), "i-1", { since: "2026-12-01T09:00:00Z", limit: 10 });
    expect(samples).toEqual([{ sampledAt: "2026-12-01T10:00:10Z", cpuNanos: 5, memoryBytes: 7, cpuCores: 0.5 }]);
    const [sent] = api.calls("GET", "/v1/usage/instances/i-1/samples");
    expect(sent?.url.searchParams.get("since")).toBe("2026-12-01T09:00:00Z");
    expect(sent?.url.searchParams.get("limit")).toBe("10");
  });

  it("treats a 404 as no samples and throws the problem of any other failure", async () => {
    const billing = (api: FakeApi) => billingApi("http://billing.test", async () => "tok", api.fetch);
    await expect(loadInstanceSamples(billing(new FakeApi()), "i-1")).resolves.toEqual([]);
    const refusing = new FakeApi().on("GET", "/v1/usage/instances/i-1/samples", [400, { type: "urn:x", title: "Bad", status: 400, detail: "limit must be 1..5000" }]);
    await expect(loadInstanceSamples(billing(refusing), "i-1")).rejects.toThrow("limit must be 1..5000");
  });
});
