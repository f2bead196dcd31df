import { lazy, Suspense, useId, useState } from "react";
import type { Deployment } from "../../api/controlApi";
import { Empty, Loading } from "../../ui/components";
import { LogViewer } from "../logs/LogViewer";
import { currentInstances } from "./deploymentState";

// xterm.js is a chunk of its own, fetched when a terminal can be shown
const ExecTerminal = lazy(() => import("../logs/ExecTerminal"));

/** Pick a replica (current ones first, then ended ones whose output is kept), read its log, open a terminal in it. */
export function LogsTab({ deployment }: { deployment: Deployment }) {
  const selectId = useId();
  const current = currentInstances(deployment);
  const others = deployment.instances.filter((i) => i.desiredState !== "running").sort((a, b) => b.ordinal - a.ordinal);
  const choices = [...current, ...others];
  const [chosen, setChosen] = useState<string | undefined>();
  const instance = choices.find((i) => i.id === chosen) ?? current.find((i) => i.state === "running") ?? choices[0];
  if (!instance) return <Empty>No replicas, so no logs.</Empty>;
  const name = `${deployment.name} #${instance.ordinal}`;
  return (
    <>
      <h2 className="visually-hidden">Logs</h2>
      <div className="field" style={{ maxWidth: "24rem", marginBottom: "0.75rem" }}>
        <label htmlFor={selectId}>Replica</label>
        <select id={selectId} value={instance.id} onChange={(e) => setChosen(e.target.value)}>
          {choices.map((i) => (
            <option key={i.id} value={i.id}>
              #{i.ordinal}: {i.state}
              {i.desiredState !== "running" ? ` (${i.desiredState === "ended" ? "ended" : "stopped"})` : ""}
              {i.node ? ` on ${i.node}` : ""}
            </option>
          ))}
        </select>
      </div>
      <LogViewer key={instance.id} instanceId={instance.id} name={name} initialFollow={instance.state === "running"} />
      <h2>Terminal</h2>
      {instance.state === "running" ? (
        <Suspense fallback={<Loading what="the terminal" />}>
          <ExecTerminal instanceId={instance.id} name={name} />
        </Suspense>
      ) : (
        <p className="muted">A terminal opens only in a running replica; #{instance.ordinal} is {instance.state}.</p>
      )}
    </>
  );
}
