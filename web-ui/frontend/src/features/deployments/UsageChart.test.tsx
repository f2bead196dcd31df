import { render, screen, within } from "@testing-library/react";
import type { ChartConfiguration } from "chart.js";
import { loadInstanceSamples, type InstanceSample } from "./instanceSamples";
import { UsageChart } from "./UsageChart";

// Chart.js needs a real canvas; the wrapper is replaced by one that shows what it was given
vi.mock("../../ui/Chart", () => ({
  SERIES_COLOURS: ["#000", "#111", "#222", "#333"],
  Chart: ({ config, label }: { config: ChartConfiguration; label: string }) => (
    <div role="img" aria-label={label}>
      {config.data.datasets.map((d) => `${d.label}: ${d.data.join(" ")}`).join(" | ")}
    </div>
  ),
}));

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
  afterEach(() => vi.unstubAllGlobals());

  it("asks tenant-billing with the bearer token and reads the samples", async () => {
    const calls: Request[] = [];
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(new Request(input, init));
      return new Response(JSON.stringify({ instanceId: "i-1", more: false, samples: [{ sampledAt: "2026-12-01T10:00:10Z", cpuNanos: 5, memoryBytes: 7, cpuCores: 0.5 }] }), { status: 200 });
    });
    const samples = await loadInstanceSamples("http://billing.test/", async () => "tok", "i-1", { since: "2026-12-01T09:00:00Z", limit: 10 });
    expect(samples).toEqual([{ sampledAt: "2026-12-01T10:00:10Z", cpuNanos: 5, memoryBytes: 7, cpuCores: 0.5 }]);
    expect(calls[0]?.url).toBe("http://billing.test/v1/usage/instances/i-1/samples?limit=10&since=2026-12-01T09%3A00%3A00Z");
    expect(calls[0]?.headers.get("Authorization")).toBe("Bearer tok");
  });

  it("treats a 404 as no samples and throws the problem of any other failure", async () => {
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 404 }));
    await expect(loadInstanceSamples("http://billing.test", async () => "tok", "i-1")).resolves.toEqual([]);
    vi.stubGlobal("fetch", async () => new Response(JSON.stringify({ type: "urn:x", title: "Bad", status: 400, detail: "limit must be 1..5000" }), { status: 400 }));
    await expect(loadInstanceSamples("http://billing.test", async () => "tok", "i-1")).rejects.toThrow("limit must be 1..5000");
  });
});
