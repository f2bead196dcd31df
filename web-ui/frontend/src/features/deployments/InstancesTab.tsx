import { lazy, Suspense, useEffect, useId, useMemo, useState } from "react";
import type { Deployment, Instance } from "../../api/controlApi";
import { useSession } from "../../app/session";
import { DataTable, type Column } from "../../ui/DataTable";
import { Empty, ErrorAlert, IsolationBadge, Loading, StateBadge } from "../../ui/components";
import { ago, bytes, cores, dateTime } from "../../ui/format";
import { useResource } from "../../ui/useResource";
import { currentInstances, waitingReasons } from "./deploymentState";
import { loadInstanceSamples } from "./instanceSamples";

// Chart.js is fetched only when there are samples to draw
const UsageChart = lazy(() => import("./UsageChart").then((m) => ({ default: m.UsageChart })));

function cpuTime(nanos: number): string {
  const seconds = nanos / 1e9;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function columns(revision: number): Column<Instance>[] {
  return [
    {
      key: "ordinal",
      header: "Replica",
      cell: (i) => (
        <>
          #{i.ordinal}
          {i.revision !== revision && <span className="muted"> (revision {i.revision})</span>}
        </>
      ),
      sortValue: (i) => i.ordinal,
    },
    { key: "node", header: "Node", cell: (i) => i.node ?? <span className="muted">not placed</span>, sortValue: (i) => i.node ?? "" },
    { key: "isolation", header: "Isolation", cell: (i) => <IsolationBadge isolation={i.isolation} />, sortValue: (i) => i.isolation ?? "" },
    {
      key: "state",
      header: "State",
      cell: (i) => (
        <span className="state-cell">
          <StateBadge state={i.state} />
          {i.health && <StateBadge state={i.health} />}
          {i.desiredState !== "running" && i.state !== i.desiredState && <span className="muted">desired {i.desiredState}</span>}
        </span>
      ),
      sortValue: (i) => i.state,
    },
    {
      key: "reason",
      header: "Reason",
      cell: (i) => (
        <span className="wrap">
          {i.reason}
          {i.exitCode !== null && <> (exit code {i.exitCode})</>}
          {i.healthReason && <span className="muted"> health: {i.healthReason}</span>}
        </span>
      ),
      filterText: (i) => `${i.reason ?? ""} ${i.healthReason ?? ""}`,
    },
    { key: "restarts", header: "Restarts", cell: (i) => i.restarts, sortValue: (i) => i.restarts },
    {
      key: "network",
      header: "Address and ports",
      cell: (i) =>
        i.network?.address || i.network?.ports?.length ? (
          <span className="mono wrap network">
            {i.network.address && <span>{i.network.address}</span>}
            {i.network.ports?.map((p) => (
              <span key={`${p.containerPort}-${p.hostPort}`}>
                {p.containerPort} → node port {p.hostPort}
              </span>
            ))}
          </span>
        ) : (
          <span className="muted">none</span>
        ),
      filterText: (i) => i.network?.address ?? "",
    },
    {
      key: "usage",
      header: "Memory / CPU now",
      cell: (i) =>
        i.usage ? (
          <span title={`sampled ${dateTime(i.usage.sampledAt)}`}>
            {bytes(i.usage.memoryBytes)} / {i.usage.cpuMillis != null ? cores(i.usage.cpuMillis) : `${cpuTime(i.usage.cpuNanos)} CPU time`}
          </span>
        ) : (
          <span className="muted">no sample</span>
        ),
      sortValue: (i) => i.usage?.memoryBytes ?? -1,
    },
    {
      key: "updated",
      header: "Updated",
      cell: (i) => (i.updatedAt ? <time dateTime={i.updatedAt} title={dateTime(i.updatedAt)}>{ago(i.updatedAt)}</time> : <span className="muted">never</span>),
      sortValue: (i) => i.updatedAt ?? "",
    },
  ];
}

/** The deployment's replicas: where each runs and how, why a waiting one waits, and each one's usage over time. */
export function InstancesTab({ deployment }: { deployment: Deployment }) {
  const [showEnded, setShowEnded] = useState(false);
  const current = currentInstances(deployment);
  const shown = showEnded ? [...deployment.instances].sort((a, b) => a.ordinal - b.ordinal) : current;
  const waiting = waitingReasons(deployment);
  const cols = useMemo(() => columns(deployment.revision), [deployment.revision]);
  const ended = deployment.instances.length - current.length;
  return (
    <>
      <h2 className="visually-hidden">Instances</h2>
      {waiting.length > 0 && (
        <div className="alert alert-warn waiting">
          <strong>Why {waiting.length === 1 ? "a replica waits" : `${waiting.length} replicas wait`}:</strong>
          <ul>
            {waiting.map((w) => (
              <li key={w.ordinal}>
                Replica #{w.ordinal} is {w.state}: <span className="reason">{w.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <label className="check">
        <input type="checkbox" checked={showEnded} onChange={(e) => setShowEnded(e.target.checked)} /> Show ended and scaled-away replicas ({ended})
      </label>
      <DataTable
        caption={`Replicas of ${deployment.name}`}
        columns={cols}
        rows={shown}
        rowKey={(i) => i.id}
        initialSort={{ key: "ordinal", descending: false }}
        empty={deployment.stoppedAt ? "No replica runs: the deployment is stopped." : "No replicas."}
      />
      <UsagePanel deployment={deployment} instances={shown} />
    </>
  );
}

function UsagePanel({ deployment, instances }: { deployment: Deployment; instances: Instance[] }) {
  const { billing } = useSession();
  const selectId = useId();
  const [chosen, setChosen] = useState<string | undefined>();
  const instance = instances.find((i) => i.id === chosen) ?? instances.find((i) => i.state === "running") ?? instances[0];
  // a new sample on the instance (seen when the deployment reloads on an event) is a reason to read the series again
  const sampledAt = instance?.usage?.sampledAt;
  const samples = useResource(
    () => (instance ? loadInstanceSamples(billing, instance.id, { since: new Date(Date.now() - 3_600_000).toISOString() }) : Promise.resolve([])),
    [billing, instance?.id, sampledAt],
  );
  useEffect(() => {
    if (chosen && !instances.some((i) => i.id === chosen)) setChosen(undefined);
  }, [chosen, instances]);
  return (
    <section className="usage-panel" aria-labelledby={`${selectId}-heading`}>
      <h2 id={`${selectId}-heading`}>CPU and memory over the last hour</h2>
      {instances.length === 0 ? (
        <Empty>No replica to show.</Empty>
      ) : (
        <>
          <div className="usage-controls">
            <div className="field">
              <label htmlFor={selectId}>Replica for the chart</label>
              <select id={selectId} value={instance?.id} onChange={(e) => setChosen(e.target.value)}>
                {instances.map((i) => (
                  <option key={i.id} value={i.id}>
                    #{i.ordinal} ({i.state})
                  </option>
                ))}
              </select>
            </div>
            <button type="button" className="button small" onClick={samples.reload} disabled={samples.loading}>
              Refresh usage
            </button>
          </div>
          <ErrorAlert error={samples.error} title="The usage could not be loaded" />
          {samples.data === undefined ? (
            samples.loading && <Loading what="usage samples" />
          ) : samples.data.length === 0 ? (
            <p className="empty">No usage samples yet: the node sends them while the replica runs.</p>
          ) : (
            <Suspense fallback={<Loading what="the chart" />}>
              <UsageChart samples={samples.data} label={`CPU in cores and memory in MiB of replica #${instance?.ordinal} of ${deployment.name} over the last hour`} />
            </Suspense>
          )}
        </>
      )}
    </section>
  );
}
