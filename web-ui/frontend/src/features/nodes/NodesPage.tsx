import { useMemo, useState } from "react";
import { Link } from "react-router";
import { DataTable, type Column } from "../../ui/DataTable";
import { ErrorAlert, Field, Loading, Page, StateBadge } from "../../ui/components";
import { ago, cores, dateTime, mebibytes } from "../../ui/format";
import type { FleetNode } from "../fleet/fleetApi";
import { acceleratorOf, modeName, zoneOf } from "../fleet/fleetShape";
import { useNodes, useNow } from "../fleet/useFleet";
import { applyFilters, filterOptions, NO_FILTER, type NodeFilters } from "./nodeFilters";
import "../fleet/fleet.css";

export default function NodesPage() {
  const nodes = useNodes();
  return (
    <Page title="Nodes">
      <ErrorAlert error={nodes.error} title="Could not load the nodes" />
      {nodes.data ? <NodesTable nodes={nodes.data} /> : nodes.loading && <Loading what="the nodes" />}
    </Page>
  );
}

const runtimes = (n: FleetNode) => n.isolations.map((i) => modeName(i as "hardware" | "shared")).join(", ");
const share = (allocated: number | undefined, whole: number) => (allocated === undefined || whole <= 0 ? -1 : allocated / whole);

function NodesTable({ nodes }: { nodes: FleetNode[] }) {
  const now = useNow();
  const [filters, setFilters] = useState<NodeFilters>(NO_FILTER);
  const options = useMemo(() => filterOptions(nodes), [nodes]);
  const shown = useMemo(() => applyFilters(nodes, filters), [nodes, filters]);
  const hasAccelerator = options.accelerator.length > 0;
  const columns = useMemo<Column<FleetNode>[]>(() => {
    const list: (Column<FleetNode> | false)[] = [
      {
        key: "name",
        header: "Name",
        cell: (n) => <Link to={`/fleet/nodes/${encodeURIComponent(n.name)}`}>{n.name}</Link>,
        sortValue: (n) => n.name,
      },
      { key: "state", header: "State", cell: (n) => <StateBadge state={n.state} />, sortValue: (n) => n.state },
      { key: "scheduling", header: "Scheduling", cell: (n) => <StateBadge state={n.scheduling} />, sortValue: (n) => n.scheduling },
      { key: "zone", header: "Zone", cell: (n) => zoneOf(n) ?? <span className="muted">none</span>, sortValue: (n) => zoneOf(n) ?? "" },
      { key: "runtimes", header: "Runtimes", cell: runtimes, sortValue: runtimes },
      hasAccelerator && { key: "accelerator", header: "Accelerator", cell: (n) => acceleratorOf(n) ?? <span className="muted">none</span>, sortValue: (n) => acceleratorOf(n) ?? "" },
      { key: "agent", header: "Agent version", cell: (n) => n.agentVersion ?? <span className="muted">unknown</span>, sortValue: (n) => n.agentVersion ?? "" },
      {
        key: "heartbeat",
        header: "Last heartbeat",
        cell: (n) => <span title={dateTime(n.lastHeartbeat)}>{ago(n.lastHeartbeat, now)}</span>,
        sortValue: (n) => (n.lastHeartbeat ? Date.parse(n.lastHeartbeat) : 0),
        filterText: (n) => ago(n.lastHeartbeat, now),
      },
      {
        key: "cpu",
        header: "CPU allocated",
        cell: (n) => (n.allocated ? `${cores(n.allocated.cpuMillis)} of ${cores(n.allocatable.cpuMillis)}` : `${cores(n.allocatable.cpuMillis)} allocatable`),
        sortValue: (n) => share(n.allocated?.cpuMillis, n.allocatable.cpuMillis),
        filterText: () => "",
      },
      {
        key: "memory",
        header: "Memory allocated",
        cell: (n) => (n.allocated ? `${mebibytes(n.allocated.memoryMiB)} of ${mebibytes(n.allocatable.memoryMiB)}` : `${mebibytes(n.allocatable.memoryMiB)} allocatable`),
        sortValue: (n) => share(n.allocated?.memoryMiB, n.allocatable.memoryMiB),
        filterText: () => "",
      },
      {
        key: "instances",
        header: "Instances",
        cell: (n) => (n.counts ? `${n.counts.hardware} VM · ${n.counts.shared} shared` : <span className="muted">not reported</span>),
        sortValue: (n) => (n.counts ? n.counts.hardware + n.counts.shared : -1),
        filterText: () => "",
      },
      {
        key: "kernel",
        header: "Shared kernel of",
        cell: (n) => (n.kernelTenant === undefined ? <span className="muted">not reported</span> : (n.kernelTenant ?? <span className="muted">no tenant</span>)),
        sortValue: (n) => n.kernelTenant ?? "",
      },
    ];
    return list.filter((c): c is Column<FleetNode> => c !== false);
  }, [hasAccelerator, now]);

  const select = (label: string, key: keyof NodeFilters, values: string[], name: (v: string) => string = (v) => v) => (
    <Field label={label}>
      {({ id }) => (
        <select id={id} value={filters[key]} onChange={(e) => setFilters({ ...filters, [key]: e.target.value })}>
          <option value="">Any</option>
          {values.map((v) => (
            <option key={v} value={v}>
              {name(v)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <>
      <div className="fleet-filters" role="group" aria-label="Filter nodes">
        {select("State", "state", options.state)}
        {select("Scheduling", "scheduling", options.scheduling)}
        {select("Zone", "zone", options.zone)}
        {select("Runtime", "runtime", options.runtime, (v) => modeName(v as "hardware" | "shared"))}
        {hasAccelerator && select("Accelerator", "accelerator", options.accelerator)}
        {select("Agent version", "agentVersion", options.agentVersion)}
        {Object.values(filters).some(Boolean) && (
          <button type="button" className="button small" onClick={() => setFilters(NO_FILTER)}>
            Clear filters
          </button>
        )}
      </div>
      <DataTable
        caption="Nodes"
        columns={columns}
        rows={shown}
        rowKey={(n) => n.name}
        initialSort={{ key: "name", descending: false }}
        filterLabel="Search nodes"
        empty={nodes.length === 0 ? "No node has registered yet." : "No node matches these filters."}
      />
    </>
  );
}
