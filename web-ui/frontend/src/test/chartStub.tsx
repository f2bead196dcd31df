import type { ChartConfiguration } from "chart.js";

type ChartModule = typeof import("../ui/Chart");

/**
 * Chart.js needs a real canvas, which jsdom lacks: this keeps the Chart module's other exports (colours) and draws a
 * chart as an element with its accessible name, and with `showData` the datasets it was given as text. Use as
 * `vi.mock("../../ui/Chart", async (importOriginal) => (await import("../../test/chartStub")).chartStub(importOriginal))`.
 */
export async function chartStub(importOriginal: () => Promise<unknown>, { showData = false } = {}): Promise<ChartModule> {
  const original = (await importOriginal()) as ChartModule;
  return {
    ...original,
    Chart: ({ config, label }: { config: ChartConfiguration; label: string }) => (
      <div role="img" aria-label={label}>
        {showData ? config.data.datasets.map((d) => `${d.label}: ${d.data.join(" ")}`).join(" | ") : null}
      </div>
    ),
  };
}
