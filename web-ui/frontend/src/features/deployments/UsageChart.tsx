import type { ChartConfiguration } from "chart.js";
import { useMemo } from "react";
import { Chart, SERIES_COLOURS } from "../../ui/Chart";
import { dateTime } from "../../ui/format";
import type { InstanceSample } from "./instanceSamples";

const MIB = 1024 * 1024;
const time = (iso: string) => new Date(iso).toISOString().slice(11, 19);
const coresText = (c: number | null) => (c === null ? "–" : c.toFixed(3));
const mibText = (bytes: number) => (bytes / MIB).toFixed(1);

/**
 * CPU (cores) and memory (MiB) of one instance over time as a line chart with two axes, and the same figures as text:
 * the latest and the peak in a sentence, every sample in a table under a disclosure.
 */
export function UsageChart({ samples, label }: { samples: InstanceSample[]; label: string }) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: "line",
      data: {
        labels: samples.map((s) => time(s.sampledAt)),
        datasets: [
          { label: "CPU (cores)", data: samples.map((s) => s.cpuCores), yAxisID: "cpu", borderColor: SERIES_COLOURS[0], backgroundColor: SERIES_COLOURS[0], pointRadius: 0, spanGaps: true },
          { label: "Memory (MiB)", data: samples.map((s) => s.memoryBytes / MIB), yAxisID: "memory", borderColor: SERIES_COLOURS[3], backgroundColor: SERIES_COLOURS[3], pointRadius: 0, borderDash: [6, 3] },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          cpu: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: "CPU (cores)" } },
          memory: { type: "linear", position: "right", beginAtZero: true, title: { display: true, text: "Memory (MiB)" }, grid: { drawOnChartArea: false } },
        },
      },
    }),
    [samples],
  );
  if (samples.length === 0) return <p className="empty">No usage samples yet: the node sends them while the replica runs.</p>;
  const last = samples[samples.length - 1]!;
  const cpuValues = samples.map((s) => s.cpuCores).filter((c): c is number => c !== null);
  const peakCpu = cpuValues.length ? Math.max(...cpuValues) : null;
  const peakMemory = Math.max(...samples.map((s) => s.memoryBytes));
  return (
    <figure className="usage-figure" style={{ margin: 0 }}>
      <Chart config={config} label={label} />
      <figcaption>
        {samples.length} samples from {dateTime(samples[0]!.sampledAt)} to {dateTime(last.sampledAt)}. Latest: {coresText(last.cpuCores)} cores,{" "}
        {mibText(last.memoryBytes)} MiB. Peak: {coresText(peakCpu)} cores, {mibText(peakMemory)} MiB.
      </figcaption>
      <details>
        <summary>The samples as a table</summary>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
          <table>
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">CPU (cores)</th>
                <th scope="col">Memory (MiB)</th>
              </tr>
            </thead>
            <tbody>
              {samples.map((s) => (
                <tr key={s.sampledAt}>
                  <td>{time(s.sampledAt)}</td>
                  <td>{coresText(s.cpuCores)}</td>
                  <td>{mibText(s.memoryBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
