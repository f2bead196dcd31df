import type { TooltipItem } from "chart.js";
import { MODE_COLOURS } from "../../ui/Chart";
import type { UsageRow } from "./billingTypes";
import { readExact } from "../../api/exactJson";
import { usageAnswer, WEB, WORKER } from "./testSupport";
import { byDay, byDeployment, byMode, dayChart, deploymentChart, modeChart, periodText } from "./usageShape";

/** The fixture as the page reads it: through JSON text, exact. */
function rows(): UsageRow[] {
  const text = JSON.stringify(usageAnswer()).replace(/"#dec#([-+0-9.eE]+)#"/g, "$1");
  return readExact<{ rows: never[] }>(text).rows as UsageRow[];
}

function tooltip(config: { options?: unknown }, datasetIndex: number, dataIndex: number, label = "") {
  const callbacks = (config.options as { plugins: { tooltip: { callbacks: { label: (i: TooltipItem<"bar">) => string } } } }).plugins.tooltip
    .callbacks;
  return callbacks.label({ datasetIndex, dataIndex, dataset: { label } } as unknown as TooltipItem<"bar">);
}

describe("usage shaping", () => {
  it("sums each isolation mode exactly, reserved beside used", () => {
    const [hardware, shared] = byMode(rows());
    expect(hardware).toEqual({
      mode: "hardware",
      cost: "0.3",
      reservedVcpuSeconds: "7200",
      reservedGibSeconds: "3601.0",
      usedVcpuSeconds: "2400.50",
      usedGibSeconds: "1800.0000000002",
    });
    expect(shared!.cost).toBe("1.123469289012345678");
  });

  it("gives both modes even when one ran nothing", () => {
    const onlyVm = rows().filter((r) => r.isolation === "hardware");
    expect(byMode(onlyVm).map((m) => [m.mode, m.cost])).toEqual([
      ["hardware", "0.3"],
      ["shared", "0"],
    ]);
  });

  it("groups by deployment, costliest first, with its modes and cost per mode", () => {
    const deployments = byDeployment(rows());
    expect(deployments.map((d) => [d.deploymentId, d.name, d.modes, d.cost])).toEqual([
      [WORKER, "worker", ["shared"], "1.123469289012345678"],
      [WEB, "web", ["hardware"], "0.3"],
    ]);
    expect(deployments[1]!.costByMode).toEqual({ hardware: "0.3", shared: "0" });
  });

  it("names a deployment by its id when billing knows no name", () => {
    const nameless = rows().map((r) => ({ ...r, deploymentName: null }));
    expect(byDeployment(nameless).map((d) => d.name)).toEqual([WORKER, WEB]);
  });

  it("splits each UTC day by mode, oldest first", () => {
    expect(byDay(rows())).toEqual([
      { day: "2026-03-01", costByMode: { hardware: "0.1", shared: "0.0000125" }, cost: "0.1000125" },
      { day: "2026-03-02", costByMode: { hardware: "0.2", shared: "1.123456789012345678" }, cost: "1.323456789012345678" },
    ]);
  });

  it("draws modes in their colours and tells the exact amount in the tooltip", () => {
    const config = modeChart(byMode(rows()), "USD");
    expect(config.data.labels).toEqual(["VM", "Shared kernel"]);
    expect(config.data.datasets[0]!.backgroundColor).toEqual([MODE_COLOURS.hardware, MODE_COLOURS.shared]);
    expect(config.data.datasets[0]!.data).toEqual([0.3, 1.1234692890123457]);
    expect(tooltip(config, 0, 1, "Cost")).toBe("Cost: $1.123469289012345678");
  });

  it("stacks days and deployments by mode", () => {
    const days = dayChart(byDay(rows()), "USD");
    expect(days.data.labels).toEqual(["2026-03-01", "2026-03-02"]);
    expect(days.data.datasets.map((d) => [d.label, d.backgroundColor, d.data])).toEqual([
      ["VM", MODE_COLOURS.hardware, [0.1, 0.2]],
      ["Shared kernel", MODE_COLOURS.shared, [0.0000125, 1.1234567890123457]],
    ]);
    expect(days.options?.scales?.x).toMatchObject({ stacked: true });
    expect(tooltip(days, 1, 1, "Shared kernel")).toBe("Shared kernel: $1.123456789012345678");

    const deployments = deploymentChart(byDeployment(rows()), "USD");
    expect(deployments.options?.indexAxis).toBe("y");
    expect(deployments.data.labels).toEqual(["worker", "web"]);
  });

  it("reads a calendar month as its first and last day, and a short period as instants", () => {
    expect(periodText({ start: "2026-02-01T00:00:00Z", end: "2026-03-01T00:00:00Z" })).toBe("2026-02-01 to 2026-02-28");
    expect(periodText({ start: "2026-02-01T10:02:00Z", end: "2026-02-01T10:04:30Z" })).toBe("2026-02-01 10:02 to 2026-02-01 10:04:30 UTC");
  });
});
