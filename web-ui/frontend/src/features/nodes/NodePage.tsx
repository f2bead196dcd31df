import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { ApiError } from "../../api/problem";
import { useSession } from "../../app/session";
import { DataTable, type Column } from "../../ui/DataTable";
import { ConfirmButton, Empty, ErrorAlert, IsolationBadge, Loading, Page, StateBadge } from "../../ui/components";
import { ago, bytes, cores, dateTime, mebibytes } from "../../ui/format";
import { useResource } from "../../ui/useResource";
import { actOnNode, loadNode, type FleetInstance, type FleetNode, type NodeAction } from "../fleet/fleetApi";
import { byTenantDeploymentOrdinal, modeName, tenantLabel, tenantsOn } from "../fleet/fleetShape";
import { nodeNamed, useLiveReload, useNow } from "../fleet/useFleet";
import "../fleet/fleet.css";

export default function NodePage() {
  const { name = "" } = useParams();
  const { api } = useSession();
  const detail = useResource(() => loadNode({ api }, name), [api, name]);
  const ids = useMemo(() => new Set(detail.data?.instances.map((i) => i.id)), [detail.data]);
  // live: this node's own events, placements on it, and anything about the instances it runs
  useLiveReload(detail, (e) => nodeNamed(e) === name || (e.instanceId != null && ids.has(e.instanceId)), 300);

  const act = async (action: NodeAction) => {
    await actOnNode({ api }, name, action);
    detail.reload();
  };

  if (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403) && !detail.data) {
    return <Unavailable name={name} error={detail.error} />;
  }
  const node = detail.data?.node;
  return (
    <Page title={`Node ${name}`} actions={node && <Actions node={node} running={detail.data!.instances.length} act={act} />}>
      <p>
        <Link to="/fleet/nodes">All nodes</Link>
      </p>
      <ErrorAlert error={detail.error} title="Could not load the node" />
      {!detail.data ? (
        detail.loading && <Loading what="the node" />
      ) : (
        <>
          <Figures node={detail.data.node} />
          <Kernel node={detail.data.node} />
          <Labels node={detail.data.node} />
          <Instances instances={detail.data.instances} />
          <Tenants instances={detail.data.instances} />
        </>
      )}
    </Page>
  );
}

function Unavailable({ name, error }: { name: string; error: ApiError }) {
  const notFound = error.status === 404;
  return (
    <Page title={notFound ? "Node not found" : "Not allowed"}>
      <div role="alert" className={notFound ? "alert alert-warn" : "alert alert-error"}>
        {notFound ? (
          <>
            There is no node named <strong>{name}</strong>. It may never have registered, or the name is mistyped.
          </>
        ) : (
          <>You may not see this node: {error.problem.detail ?? error.problem.title}</>
        )}
      </div>
      <p>
        <Link to="/fleet/nodes">All nodes</Link>
      </p>
    </Page>
  );
}

function Actions({ node, running, act }: { node: FleetNode; running: number; act: (action: NodeAction) => Promise<void> }) {
  return (
    <>
      {node.scheduling !== "cordoned" && (
        <ConfirmButton
          label="Cordon node"
          confirmLabel="Cordon"
          question={
            <p>
              Cordon <strong>{node.name}</strong>? What runs there keeps running; the scheduler places nothing new on it until it is uncordoned.
            </p>
          }
          onConfirm={() => act("cordon")}
        />
      )}
      {node.scheduling !== "draining" && (
        <ConfirmButton
          label="Drain node"
          confirmLabel="Drain"
          danger
          question={
            <p>
              Drain <strong>{node.name}</strong>? Nothing new goes there and the scheduler moves the {running} replica{running === 1 ? "" : "s"} placed there to
              other nodes; those with nowhere to go wait until room is found.
            </p>
          }
          onConfirm={() => act("drain")}
        />
      )}
      {node.scheduling !== "schedulable" && (
        <ConfirmButton
          label="Uncordon node"
          confirmLabel="Uncordon"
          question={
            <p>
              Make <strong>{node.name}</strong> schedulable again? The scheduler may place new and waiting replicas on it.
            </p>
          }
          onConfirm={() => act("uncordon")}
        />
      )}
    </>
  );
}

function Figures({ node }: { node: FleetNode }) {
  const now = useNow();
  const used = node.used;
  const measured = used && (used.measuredInstances === undefined || used.measuredInstances > 0);
  return (
    <section aria-labelledby="node-figures">
      <h2 id="node-figures">Status and capacity</h2>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={node.state} />
        </dd>
        <dt>Scheduling</dt>
        <dd>
          <span role="status" aria-live="polite">
            <StateBadge state={node.scheduling} />
          </span>
        </dd>
        <dt>Last heartbeat</dt>
        <dd title={dateTime(node.lastHeartbeat)}>{ago(node.lastHeartbeat, now)}</dd>
        <dt>Registered</dt>
        <dd>{dateTime(node.registeredAt) || "unknown"}</dd>
        <dt>Agent version</dt>
        <dd>{node.agentVersion ?? "unknown"}</dd>
        <dt>Runtimes</dt>
        <dd>{node.isolations.map((i) => modeName(i as "hardware" | "shared")).join(", ") || "none"}</dd>
      </dl>
      <div className="cards compact">
        <div className="card">
          <div className="figure">{node.allocated ? cores(node.allocated.cpuMillis) : "–"}</div>
          <div className="label">CPU allocated of {cores(node.allocatable.cpuMillis)}</div>
        </div>
        <div className="card">
          <div className="figure">{node.allocated ? mebibytes(node.allocated.memoryMiB) : "–"}</div>
          <div className="label">memory allocated of {mebibytes(node.allocatable.memoryMiB)}</div>
        </div>
        <div className="card">
          <div className="figure">{measured && used.cpuMillis !== undefined ? cores(used.cpuMillis) : "not measured"}</div>
          <div className="label">CPU in use (last samples)</div>
        </div>
        <div className="card">
          <div className="figure">{measured && used.memoryBytes !== undefined ? bytes(used.memoryBytes) : "not measured"}</div>
          <div className="label">
            memory in use{used?.measuredInstances !== undefined ? ` (${used.measuredInstances} instances measured)` : ""}
          </div>
        </div>
        <div className="card">
          <div className="figure">{node.counts ? `${node.counts.hardware} · ${node.counts.shared}` : "–"}</div>
          <div className="label">VMs · shared-kernel replicas</div>
        </div>
        {node.vmOverheadBytes !== undefined && (
          <div className="card">
            <div className="figure">{bytes(node.vmOverheadBytes)}</div>
            <div className="label">VM overhead: host memory its VMs use beyond what they reserve</div>
          </div>
        )}
      </div>
      {!node.allocated && <p className="muted">The API does not report what is allocated on this node.</p>}
    </section>
  );
}

function Kernel({ node }: { node: FleetNode }) {
  let text: string;
  if (!node.isolations.includes("shared")) text = "This node offers no shared kernel: it runs replicas only in VMs.";
  else if (node.kernelTenant === undefined) text = "The API does not say whose shared-kernel replicas this node runs.";
  else if (node.kernelTenant === null) text = "No shared-kernel tenant: no shared-kernel replica runs here now.";
  else text = `Shared kernel owned by tenant ${node.kernelTenant}: only its replicas may share this node's kernel; other tenants' run here in VMs.`;
  return (
    <section aria-labelledby="node-kernel">
      <h2 id="node-kernel">Kernel</h2>
      <p>{text}</p>
    </section>
  );
}

function Labels({ node }: { node: FleetNode }) {
  const entries = Object.entries(node.labels).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="node-labels">
      <h2 id="node-labels">Labels</h2>
      {entries.length === 0 ? (
        <Empty>No labels.</Empty>
      ) : (
        <dl className="facts">
          {entries.map(([key, value]) => (
            <div key={key} style={{ display: "contents" }}>
              <dt className="mono">{key}</dt>
              <dd className="mono">{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function Instances({ instances }: { instances: FleetInstance[] }) {
  const now = useNow();
  const columns = useMemo<Column<FleetInstance>[]>(
    () => [
      { key: "tenant", header: "Tenant", cell: tenantLabel, sortValue: (i) => i.tenantId },
      { key: "deployment", header: "Deployment", cell: (i) => i.deploymentName, sortValue: (i) => i.deploymentName },
      { key: "ordinal", header: "Replica", cell: (i) => `#${i.ordinal}`, sortValue: (i) => i.ordinal },
      { key: "mode", header: "Isolation", cell: (i) => <IsolationBadge isolation={i.isolation} />, sortValue: (i) => i.isolation ?? "" },
      {
        key: "state",
        header: "State",
        cell: (i) => (
          <>
            <StateBadge state={i.state} /> {i.health && <StateBadge state={i.health} />}
          </>
        ),
        sortValue: (i) => i.state,
      },
      { key: "reason", header: "Reason", cell: (i) => (i.reason ? <span className="reason">{i.reason}</span> : ""), sortValue: (i) => i.reason ?? "" },
      {
        key: "reserved",
        header: "Reserved",
        cell: (i) => `${cores(i.reserved.cpuMillis)}, ${mebibytes(i.reserved.memoryMiB)}`,
        sortValue: (i) => i.reserved.memoryMiB,
      },
      {
        key: "usage",
        header: "Measured",
        cell: (i) =>
          !i.usage ? (
            <span className="muted">not measured</span>
          ) : (
            <span title={`sampled ${dateTime(i.usage.sampledAt)}`}>
              {[i.usage.cpuMillis !== undefined && cores(i.usage.cpuMillis), i.usage.memoryBytes !== undefined && bytes(i.usage.memoryBytes)].filter(Boolean).join(", ")}
            </span>
          ),
        sortValue: (i) => i.usage?.memoryBytes ?? -1,
      },
      { key: "updated", header: "Changed", cell: (i) => <span title={dateTime(i.updatedAt)}>{ago(i.updatedAt, now)}</span>, sortValue: (i) => i.updatedAt ?? "" },
    ],
    [now],
  );
  const sorted = useMemo(() => [...instances].sort(byTenantDeploymentOrdinal), [instances]);
  return (
    <section aria-labelledby="node-instances">
      <h2 id="node-instances">Instances ({instances.length})</h2>
      <DataTable caption="Instances on this node" columns={columns} rows={sorted} rowKey={(i) => i.id} filterLabel="Search instances" empty="Nothing is placed on this node." />
    </section>
  );
}

function Tenants({ instances }: { instances: FleetInstance[] }) {
  const tenants = tenantsOn(instances);
  return (
    <section aria-labelledby="node-tenants">
      <h2 id="node-tenants">Tenants on this node</h2>
      {tenants.length === 0 ? (
        <Empty>No tenant runs anything here.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Tenants on this node</caption>
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">In VMs</th>
              <th scope="col">On the shared kernel</th>
            </tr>
          </thead>
          <tbody>
            {tenants.map((t) => (
              <tr key={t.tenant}>
                <td>{t.name && t.name !== t.tenant ? `${t.name} (${t.tenant})` : t.tenant}</td>
                <td>{t.hardware}</td>
                <td>{t.shared}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
