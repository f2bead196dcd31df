import { Link } from "react-router";
import { StateBadge } from "../../ui/components";
import { ago, dateTime } from "../../ui/format";
import type { FleetNode } from "./fleetApi";
import { useNow } from "./useFleet";

/** Why a node takes no new replicas, in words. */
export function whyNot(node: FleetNode): string {
  if (node.state === "lost") return "lost: no heartbeat; its replicas were placed elsewhere or wait";
  if (node.state === "not-ready") return "not ready: no heartbeat within the grace period";
  if (node.scheduling === "cordoned") return "cordoned by an operator";
  if (node.scheduling === "draining") return "draining: what runs there moves elsewhere";
  return node.state;
}

/**
 * Nodes by name, each linked to its page, with its state and last heartbeat; with `scheduling`, also its scheduling
 * and why it takes no new replicas. Stacks into cards on narrow screens.
 */
export function NodeStatusTable({ nodes, caption, scheduling = false }: { nodes: FleetNode[]; caption: string; scheduling?: boolean }) {
  const now = useNow();
  return (
    <table className="stack">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">State</th>
          {scheduling && <th scope="col">Scheduling</th>}
          {scheduling && <th scope="col">Why</th>}
          <th scope="col">Last heartbeat</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => (
          <tr key={n.name}>
            <td data-label="Node">
              <Link to={`/fleet/nodes/${encodeURIComponent(n.name)}`}>{n.name}</Link>
            </td>
            <td data-label="State">
              <StateBadge state={n.state} />
            </td>
            {scheduling && (
              <td data-label="Scheduling">
                <StateBadge state={n.scheduling} />
              </td>
            )}
            {scheduling && <td data-label="Why">{whyNot(n)}</td>}
            <td data-label="Last heartbeat" title={dateTime(n.lastHeartbeat)}>
              {ago(n.lastHeartbeat, now)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
