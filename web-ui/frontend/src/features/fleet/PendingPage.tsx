import { useMemo } from "react";
import { DataTable, type Column } from "../../ui/DataTable";
import { Empty, ErrorAlert, Loading, Page, StateBadge } from "../../ui/components";
import { ago, cores, dateTime, mebibytes } from "../../ui/format";
import type { FleetInstance, FleetNode } from "./fleetApi";
import { byTenantDeploymentOrdinal, tenantLabel } from "./fleetShape";
import { NodeStatusTable } from "./NodeStatusTable";
import { useInstances, useNodes, useNow } from "./useFleet";
import "./fleet.css";

const WAITING = ["pending", "unschedulable"];

export default function PendingPage() {
  const waiting = useInstances({ states: WAITING });
  const nodes = useNodes();
  return (
    <Page title="Pending replicas">
      <p className="muted">Replicas the scheduler has not placed, with its reason for each: what it would take to place them.</p>
      <ErrorAlert error={waiting.error} title="Could not load the waiting replicas" />
      {!waiting.data ? waiting.loading && <Loading what="the waiting replicas" /> : <WaitingTable list={waiting.data.items} truncated={waiting.data.truncated} />}
      <ErrorAlert error={nodes.error} title="Could not load the nodes" />
      {nodes.data && <NodesTakingNothing nodes={nodes.data} />}
    </Page>
  );
}

function WaitingTable({ list, truncated }: { list: FleetInstance[]; truncated: boolean }) {
  const now = useNow();
  const rows = useMemo(() => [...list].sort(byTenantDeploymentOrdinal), [list]);
  const columns = useMemo<Column<FleetInstance>[]>(
    () => [
      { key: "tenant", header: "Tenant", cell: tenantLabel, sortValue: (i) => i.tenantId },
      { key: "deployment", header: "Deployment", cell: (i) => i.deploymentName, sortValue: (i) => i.deploymentName },
      { key: "ordinal", header: "Replica", cell: (i) => `#${i.ordinal}`, sortValue: (i) => i.ordinal },
      { key: "state", header: "State", cell: (i) => <StateBadge state={i.state} />, sortValue: (i) => i.state },
      {
        key: "reason",
        header: "Why it waits",
        cell: (i) => (i.reason ? <span className="reason">{i.reason}</span> : <span className="muted">no reason given yet</span>),
        sortValue: (i) => i.reason ?? "",
      },
      { key: "asks", header: "Asks for", cell: (i) => `${cores(i.reserved.cpuMillis)}, ${mebibytes(i.reserved.memoryMiB)}`, sortValue: (i) => i.reserved.memoryMiB },
      {
        key: "since",
        header: "Since",
        cell: (i) => <span title={dateTime(i.updatedAt)}>{ago(i.updatedAt, now)}</span>,
        sortValue: (i) => i.updatedAt ?? "",
        filterText: () => "",
      },
    ],
    [now],
  );
  return (
    <section aria-labelledby="pending-replicas">
      <h2 id="pending-replicas">Waiting replicas ({list.length}{truncated ? "+" : ""})</h2>
      {truncated && <p className="alert alert-warn">More replicas wait than one answer holds: the first {list.length} are shown.</p>}
      <DataTable
        caption="Replicas waiting for a node"
        columns={columns}
        rows={rows}
        rowKey={(i) => i.id}
        filterLabel="Search waiting replicas"
        empty="No replica is waiting: every one is placed."
      />
    </section>
  );
}

function NodesTakingNothing({ nodes }: { nodes: FleetNode[] }) {
  const off = nodes.filter((n) => n.state !== "ready" || n.scheduling !== "schedulable").sort((a, b) => a.name.localeCompare(b.name));
  const lost = off.filter((n) => n.state === "lost").length;
  return (
    <section aria-labelledby="pending-nodes">
      <h2 id="pending-nodes">Nodes taking no new replicas</h2>
      <p className="muted">
        {nodes.length - off.length} of {nodes.length} node{nodes.length === 1 ? "" : "s"} take new replicas{lost > 0 ? `; ${lost} lost` : ""}.
      </p>
      {off.length === 0 ? (
        <Empty>Every node is ready and schedulable.</Empty>
      ) : (
        <NodeStatusTable nodes={off} caption="Nodes taking no new replicas" scheduling />
      )}
    </section>
  );
}
