import { memo, useCallback, useId, useMemo, useState } from "react";
import { Link } from "react-router";
import { ErrorAlert, Field, Loading, Page, StateBadge } from "../../ui/components";
import { cores, mebibytes } from "../../ui/format";
import { MODE_COLOUR, tenantColours } from "./colours";
import type { FleetInstance, FleetNode } from "./fleetApi";
import { blocksOf, groupNodes, instancesByNode, labelKeys, MODES, modeName, percent, takesWork, type NodeGroup, type SizeBy } from "./fleetShape";
import { useInstances, useNodes } from "./useFleet";
import "./fleet.css";

type ColourBy = "tenant" | "mode";
const NO_GROUP = "";
const WAITING_STATES = new Set(["pending", "unschedulable", "scheduled", "pulling", "starting", "stopping"]);

export default function TopologyPage() {
  const nodes = useNodes();
  const instances = useInstances();
  const keys = useMemo(() => labelKeys(nodes.data ?? []), [nodes.data]);
  const [groupChoice, setGroupChoice] = useState<string | undefined>(undefined);
  // by zone (per-datacenter capacity) until the operator chooses otherwise; one group when no node has a zone
  const groupBy = groupChoice ?? keys.find((k) => k === "zone" || k.endsWith("/zone")) ?? NO_GROUP;
  const [sizeBy, setSizeBy] = useState<SizeBy>("memory");
  const [colourBy, setColourBy] = useState<ColourBy>("tenant");

  const items = useMemo(() => instances.data?.items ?? [], [instances.data]);
  const byNode = useMemo(() => instancesByNode(items), [items]);
  const colours = useMemo(() => tenantColours(items.filter((i) => i.node).map((i) => i.tenantId)), [items]);
  const groups = useMemo(() => groupNodes(nodes.data ?? [], groupBy || undefined), [nodes.data, groupBy]);
  const waiting = items.filter((i) => !i.node).length;
  const colourOf = useCallback(
    (i: FleetInstance) => (colourBy === "mode" ? (i.isolation ? MODE_COLOUR[i.isolation] : "#8c959f") : (colours.get(i.tenantId) ?? "#8c959f")),
    [colourBy, colours],
  );

  return (
    <Page title="Topology">
      <p className="muted">
        Each box is a node: its width is the node's {sizeBy === "memory" ? "memory" : "CPU"}, each block a replica sized by what it reserves, the hatched rest is
        free. Striped blocks run in their own VM; plain ones share the node's kernel.
      </p>
      <ErrorAlert error={nodes.error} title="Could not load the nodes" />
      <ErrorAlert error={instances.error} title="Could not load the instances" />
      <div className="fleet-filters">
        <Field label="Group by">
          {({ id }) => (
            <select id={id} value={groupBy} onChange={(e) => setGroupChoice(e.target.value)}>
              <option value={NO_GROUP}>Nothing (one group)</option>
              {keys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>Size blocks by</legend>
          <label>
            <input type="radio" name="size-by" checked={sizeBy === "memory"} onChange={() => setSizeBy("memory")} /> Reserved memory
          </label>
          <label>
            <input type="radio" name="size-by" checked={sizeBy === "cpu"} onChange={() => setSizeBy("cpu")} /> Reserved CPU
          </label>
        </fieldset>
        <fieldset>
          <legend>Colour blocks by</legend>
          <label>
            <input type="radio" name="colour-by" checked={colourBy === "tenant"} onChange={() => setColourBy("tenant")} /> Tenant
          </label>
          <label>
            <input type="radio" name="colour-by" checked={colourBy === "mode"} onChange={() => setColourBy("mode")} /> Isolation mode
          </label>
        </fieldset>
      </div>
      <Legend colourBy={colourBy} colours={colours} />
      {instances.data?.truncated && (
        <p className="alert alert-warn">More instances exist than one answer holds ({instances.data.limit}): some nodes show fewer blocks than they run.</p>
      )}
      {waiting > 0 && (
        <p className="alert alert-info">
          {waiting} replica{waiting === 1 ? " waits" : "s wait"} for a node and {waiting === 1 ? "is" : "are"} in no box. <Link to="/fleet/pending">Why replicas wait</Link>
        </p>
      )}
      {!nodes.data ? (
        nodes.loading && <Loading what="the topology" />
      ) : nodes.data.length === 0 ? (
        <p className="empty">No node has registered yet.</p>
      ) : (
        groups.map((group) => <Group key={group.title} group={group} byNode={byNode} sizeBy={sizeBy} colourOf={colourOf} />)
      )}
    </Page>
  );
}

function Legend({ colourBy, colours }: { colourBy: ColourBy; colours: Map<string, string> }) {
  const entries: [string, string, boolean][] =
    colourBy === "mode" ? MODES.map((m) => [modeName(m), MODE_COLOUR[m], m === "hardware"]) : [...colours].map(([tenant, colour]) => [tenant, colour, false]);
  return (
    <ul className="topo-legend" aria-label={colourBy === "mode" ? "Colours: isolation modes" : "Colours: tenants"}>
      {entries.map(([name, colour, striped]) => (
        <li key={name}>
          <span className={`swatch${striped ? " mode-hardware" : ""}`} style={{ backgroundColor: colour }} aria-hidden="true" />
          {name}
        </li>
      ))}
      {colourBy === "tenant" && entries.length === 0 && <li className="muted">No replica is placed.</li>}
      {colourBy === "tenant" && (
        <li>
          <span className="swatch mode-hardware" style={{ backgroundColor: "#8c959f" }} aria-hidden="true" /> striped: in its own VM
        </li>
      )}
      <li>
        <span className="swatch" style={{ background: "repeating-linear-gradient(45deg, #ffffff, #ffffff 3px, #e1e6eb 3px, #e1e6eb 6px)" }} aria-hidden="true" /> free
      </li>
    </ul>
  );
}

function Group({
  group,
  byNode,
  sizeBy,
  colourOf,
}: {
  group: NodeGroup;
  byNode: Map<string, FleetInstance[]>;
  sizeBy: SizeBy;
  colourOf: (i: FleetInstance) => string;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{group.title}</h2>
      <p className="topo-group-summary">
        {group.nodes.length} node{group.nodes.length === 1 ? "" : "s"}, {group.takingWork} taking new replicas ·{" "}
        {group.free ? (
          <>
            free on those: <strong>{cores(group.free.cpuMillis)}</strong> and <strong>{mebibytes(group.free.memoryMiB)}</strong>
          </>
        ) : (
          "free capacity not reported"
        )}{" "}
        of {cores(group.capacity.cpuMillis)} and {mebibytes(group.capacity.memoryMiB)} in all
      </p>
      <div className="topo-grid">
        {group.nodes.map((node) => (
          <NodeBox key={node.name} node={node} instances={byNode.get(node.name)} sizeBy={sizeBy} colourOf={colourOf} />
        ))}
      </div>
    </section>
  );
}

const NodeBox = memo(function NodeBox({
  node,
  instances = [],
  sizeBy,
  colourOf,
}: {
  node: FleetNode;
  instances: FleetInstance[] | undefined;
  sizeBy: SizeBy;
  colourOf: (i: FleetInstance) => string;
}) {
  const blocks = blocksOf(node, instances, sizeBy);
  const headingId = useId();
  const whole = sizeBy === "memory" ? node.allocatable.memoryMiB : node.allocatable.cpuMillis;
  const reserved = blocks.reduce((s, b) => s + (sizeBy === "memory" ? b.instance.reserved.memoryMiB : b.instance.reserved.cpuMillis), 0);
  const format = sizeBy === "memory" ? mebibytes : cores;
  return (
    <section className={`topo-node${takesWork(node) ? "" : " topo-off"}`} aria-labelledby={headingId}>
      <h3>
        <Link id={headingId} to={`/fleet/nodes/${encodeURIComponent(node.name)}`} aria-label={`Node ${node.name}`}>
          {node.name}
        </Link>
        {node.state !== "ready" && <StateBadge state={node.state} />}
        {node.scheduling !== "schedulable" && <StateBadge state={node.scheduling} />}
      </h3>
      <p className="topo-figures">
        {format(reserved)} of {format(whole)} reserved ({percent(reserved, whole).toFixed(0)} %)
        {node.kernelTenant ? ` · kernel: ${node.kernelTenant}` : ""}
      </p>
      <ul className="topo-strip" aria-label={`Instances on ${node.name}`}>
        {blocks.map((b) => (
          <li
            key={b.instance.id}
            className={`mode-${b.instance.isolation ?? "none"}${WAITING_STATES.has(b.instance.state) ? " state-waiting" : ""}`}
            style={{ width: `${Math.min(100, b.percent)}%`, backgroundColor: colourOf(b.instance) }}
            title={b.label}
          >
            <span className="visually-hidden">{b.label}</span>
          </li>
        ))}
      </ul>
      {blocks.length === 0 && <p className="topo-empty">No replica placed.</p>}
    </section>
  );
});
