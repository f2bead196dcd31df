import type { ChartConfiguration } from "chart.js";
import { useMemo } from "react";
import { Link } from "react-router";
import { Chart } from "../../ui/Chart";
import { Empty, ErrorAlert, Loading, Page } from "../../ui/components";
import { bytes, cores, mebibytes, money } from "../../ui/format";
import { MODE_COLOUR } from "./colours";
import { NodeStatusTable } from "./NodeStatusTable";
import type { FleetNode } from "./fleetApi";
import {
  capacityTotals,
  countsByMode,
  densityByMode,
  MIB,
  modeName,
  percent,
  stateCounts,
  vmOverheadBytes,
  type CapacityTotals,
  type ModeDensity,
} from "./fleetShape";
import { useInstances, useNodes } from "./useFleet";
import { loadPrices, overheadCostPerHour } from "./overheadCost";
import { useSession } from "../../app/session";
import { useResource } from "../../ui/useResource";
import "./fleet.css";

const WAITING = ["pending", "unschedulable"];

export default function FleetPage() {
  const nodes = useNodes();
  const instances = useInstances();
  const waiting = useInstances({ states: WAITING });
  return (
    <Page title="Fleet">
      <ErrorAlert error={nodes.error} title="Could not load the nodes" />
      {!nodes.data ? (
        nodes.loading && <Loading what="the fleet" />
      ) : (
        <>
          <NodeCards nodes={nodes.data} waiting={waiting.data?.items.length} waitingTruncated={waiting.data?.truncated ?? false} />
          <ErrorAlert error={waiting.error} title="Could not load the waiting replicas" />
          <CapacitySection totals={capacityTotals(nodes.data)} />
          <ErrorAlert error={instances.error} title="Could not load the instances" />
          <DensitySection nodes={nodes.data} density={instances.data && densityByMode(instances.data.items)} truncated={instances.data?.truncated ?? false} />
          <AttentionSection nodes={nodes.data} />
        </>
      )}
    </Page>
  );
}

function NodeCards({ nodes, waiting, waitingTruncated }: { nodes: FleetNode[]; waiting: number | undefined; waitingTruncated: boolean }) {
  const counts = stateCounts(nodes);
  const card = (label: string, value: number, tone?: "bad" | "warn") => (
    <div className={`card${tone && value > 0 ? ` card-${tone}` : ""}`}>
      <div className="figure">{value}</div>
      <div className="label">{label}</div>
    </div>
  );
  return (
    <section aria-labelledby="fleet-nodes">
      <h2 id="fleet-nodes">Nodes</h2>
      <div className="cards compact">
        <div className="card">
          <div className="figure">{counts.total}</div>
          <div className="label">
            nodes · <Link to="/fleet/nodes">All nodes</Link>
          </div>
        </div>
        {card("ready", counts.ready)}
        {card("not ready (no heartbeat within the grace period)", counts.notReady, "warn")}
        {card("lost (their replicas placed elsewhere)", counts.lost, "bad")}
        {card("cordoned (keep what runs, take nothing new)", counts.cordoned, "warn")}
        {card("draining (what runs moves elsewhere)", counts.draining, "warn")}
        <div className={`card${waiting ? " card-warn" : ""}`}>
          <div className="figure">{waiting === undefined ? "…" : `${waiting}${waitingTruncated ? "+" : ""}`}</div>
          <div className="label">
            replicas waiting for a node · <Link to="/fleet/pending">Pending replicas</Link>
          </div>
        </div>
      </div>
    </section>
  );
}

function CapacitySection({ totals }: { totals: CapacityTotals }) {
  const { capacity, allocated } = totals;
  const usedMemoryMiB = totals.usedMemoryBytes === undefined ? undefined : totals.usedMemoryBytes / MIB;
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: "bar",
      data: {
        labels: ["CPU", "Memory"],
        // a figure the API does not give is left out (null), never drawn as 0
        datasets: [
          { label: "Allocated, % of capacity", data: [allocated ? percent(allocated.cpuMillis, capacity.cpuMillis) : null, allocated ? percent(allocated.memoryMiB, capacity.memoryMiB) : null], backgroundColor: "#0550ae" },
          {
            label: "Measured use, % of capacity",
            data: [totals.usedCpuMillis === undefined ? null : percent(totals.usedCpuMillis, capacity.cpuMillis), usedMemoryMiB === undefined ? null : percent(usedMemoryMiB, capacity.memoryMiB)],
            backgroundColor: "#0a5a6e",
          },
        ],
      },
      options: { indexAxis: "y", scales: { x: { min: 0, max: 100, title: { display: true, text: "% of capacity" } } }, plugins: { legend: { position: "bottom" } } },
    }),
    [allocated, capacity, totals.usedCpuMillis, usedMemoryMiB],
  );
  const share = (part: number | undefined, whole: number) => (part === undefined ? "" : ` (${percent(part, whole).toFixed(0)} %)`);
  const notMeasured = <span className="muted">not measured</span>;
  const notReported = <span className="muted">not reported</span>;
  return (
    <section aria-labelledby="fleet-capacity">
      <h2 id="fleet-capacity">Capacity, allocated and measured use</h2>
      <p className="muted">
        Over the {totals.nodes} node{totals.nodes === 1 ? "" : "s"} that are not lost. Allocated is what placed replicas reserve; measured is what their
        nodes last sampled{totals.measuredInstances !== undefined ? ` (${totals.measuredInstances} instances measured)` : ""}.
      </p>
      <div className="fleet-split">
        <Chart config={config} label="Allocated and measured CPU and memory as a percentage of the fleet's capacity; the figures are in the table beside it" />
        <table className="stack">
          <caption className="visually-hidden">Capacity, allocated and measured use</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Capacity</th>
              <th scope="col">Allocated</th>
              <th scope="col">Measured use</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">CPU</th>
              <td data-label="Capacity">{cores(capacity.cpuMillis)}</td>
              <td data-label="Allocated">{allocated ? `${cores(allocated.cpuMillis)}${share(allocated.cpuMillis, capacity.cpuMillis)}` : notReported}</td>
              <td data-label="Measured use">{totals.usedCpuMillis === undefined ? notMeasured : `${cores(totals.usedCpuMillis)}${share(totals.usedCpuMillis, capacity.cpuMillis)}`}</td>
            </tr>
            <tr>
              <th scope="row">Memory</th>
              <td data-label="Capacity">{mebibytes(capacity.memoryMiB)}</td>
              <td data-label="Allocated">{allocated ? `${mebibytes(allocated.memoryMiB)}${share(allocated.memoryMiB, capacity.memoryMiB)}` : notReported}</td>
              <td data-label="Measured use">{totals.usedMemoryBytes === undefined ? notMeasured : `${bytes(totals.usedMemoryBytes)}${share(usedMemoryMiB, capacity.memoryMiB)}`}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function DensitySection({ nodes, density, truncated }: { nodes: FleetNode[]; density: ModeDensity[] | undefined; truncated: boolean }) {
  const counts = countsByMode(nodes);
  const overhead = vmOverheadBytes(nodes);
  const config = useMemo<ChartConfiguration | undefined>(
    () =>
      density && {
        type: "bar",
        data: {
          labels: density.map((d) => modeName(d.mode)),
          datasets: [
            { label: "Reserved memory (GiB)", data: density.map((d) => d.reserved.memoryMiB / 1024), backgroundColor: density.map((d) => MODE_COLOUR[d.mode]) },
            { label: "Measured memory (GiB)", data: density.map((d) => d.measuredBytes / (1024 * MIB)), backgroundColor: "#8c959f" },
          ],
        },
        options: { scales: { y: { beginAtZero: true, title: { display: true, text: "GiB" } } }, plugins: { legend: { position: "bottom" } } },
      },
    [density],
  );
  const vm = density?.find((d) => d.mode === "hardware");
  return (
    <section aria-labelledby="fleet-density">
      <h2 id="fleet-density">Density by isolation mode</h2>
      <p className="muted">
        How many replicas run in their own VM and how many share a node's kernel (one tenant per kernel), and what each mode reserves and uses.
      </p>
      {!density ? (
        <Loading what="the instances" />
      ) : (
        <>
          <table className="stack">
            <caption className="visually-hidden">Instances and resources by isolation mode</caption>
            <thead>
              <tr>
                <th scope="col">Mode</th>
                <th scope="col">Instances</th>
                <th scope="col">Reserved CPU</th>
                <th scope="col">Reserved memory</th>
                <th scope="col">Memory per instance</th>
                <th scope="col">Measured memory</th>
              </tr>
            </thead>
            <tbody>
              {density.map((d) => (
                <tr key={d.mode}>
                  <th scope="row">{modeName(d.mode)}</th>
                  <td data-label="Instances">{counts ? counts[d.mode] : d.instances}</td>
                  <td data-label="Reserved CPU">{cores(d.reserved.cpuMillis)}</td>
                  <td data-label="Reserved memory">{mebibytes(d.reserved.memoryMiB)}</td>
                  <td data-label="Memory per instance">{d.instances > 0 ? mebibytes(Math.round(d.reserved.memoryMiB / d.instances)) : "–"}</td>
                  <td data-label="Measured memory">
                    {d.measuredInstances === 0 ? (
                      <span className="muted">not measured</span>
                    ) : (
                      `${bytes(d.measuredBytes)} of ${mebibytes(d.measuredReservedMiB)} reserved (${d.measuredInstances} measured)`
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {truncated && (
            <p className="alert alert-warn">
              More instances exist than one answer holds: the reserved and measured figures cover the first {density.reduce((s, d) => s + d.instances, 0)} placed.
            </p>
          )}
          <div className="fleet-split">
            {config && <Chart config={config} label="Reserved and measured memory of VMs and of shared-kernel replicas, in GiB; the figures are in the table above" />}
            <div>
              <h3>VM overhead</h3>
              {overhead === undefined ? (
                <p className="muted">The nodes do not report their VMs' overhead.</p>
              ) : (
                <p>
                  VMs use <strong>{bytes(overhead)}</strong> of host memory beyond what they reserve
                  {vm && vm.measuredInstances > 0
                    ? `, over ${vm.measuredInstances} measured VM${vm.measuredInstances === 1 ? "" : "s"} (${bytes(Math.round(overhead / vm.measuredInstances))} each on average)`
                    : ""}
                  .
                </p>
              )}
              {overhead !== undefined && <OverheadCost overheadBytes={overhead} />}
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function AttentionSection({ nodes }: { nodes: FleetNode[] }) {
  const troubled = nodes.filter((n) => n.state === "lost" || n.state === "not-ready").sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="fleet-attention">
      <h2 id="fleet-attention">Lost and not-ready nodes</h2>
      {troubled.length === 0 ? (
        <Empty>Every node is ready.</Empty>
      ) : (
        <NodeStatusTable nodes={troubled} caption="Lost and not-ready nodes" />
      )}
    </section>
  );
}

/** The overhead priced at the hardware-isolated memory price in effect (tenant-billing's price list). */
function OverheadCost({ overheadBytes }: { overheadBytes: number }) {
  const { billing } = useSession();
  const prices = useResource(() => loadPrices(billing), [billing]);
  if (prices.error) return <ErrorAlert error={prices.error} title="The price list could not be read" />;
  if (!prices.data) return null;
  const { current, currency } = prices.data;
  const perHour = overheadCostPerHour(current.rates.hardware.perGibHour, overheadBytes);
  return (
    <p>
      At the VM memory price ({money(current.rates.hardware.perGibHour, currency)} per GiB-hour, price list {current.id}) that is{" "}
      <strong>{money(perHour, currency)} per hour</strong>, about {money(overheadCostPerHour(current.rates.hardware.perGibHour, overheadBytes * 24 * 30), currency)} over 30 days:
      memory the fleet gives VMs that no tenant reserved.
    </p>
  );
}
