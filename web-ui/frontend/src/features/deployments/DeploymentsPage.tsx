import { Link } from "react-router";
import type { Deployment } from "../../api/controlApi";
import { useSession } from "../../app/session";
import { DataTable, type Column } from "../../ui/DataTable";
import { ErrorAlert, IsolationBadge, Loading, Page, StateBadge } from "../../ui/components";
import { ago, dateTime } from "../../ui/format";
import { useReloadOn, useResource } from "../../ui/useResource";
import { replicaCounts, summarize } from "./deploymentState";
import { changesDeployments } from "./liveMatch";
import { allPages } from "./paging";
import { SpendHoldBanner, useSpendHold } from "../../ui/SpendHoldBanner";
import "./deployments.css";

const COLUMNS: Column<Deployment>[] = [
  {
    key: "name",
    header: "Name",
    cell: (d) => <Link to={`/deployments/${d.id}`}>{d.name}</Link>,
    sortValue: (d) => d.name,
  },
  { key: "image", header: "Image", cell: (d) => <span className="mono wrap">{d.image}</span>, sortValue: (d) => d.image },
  { key: "isolation", header: "Isolation", cell: (d) => <IsolationBadge isolation={d.isolation} />, sortValue: (d) => d.isolation },
  {
    key: "replicas",
    header: "Running / desired",
    cell: (d) => {
      const { running, desired } = replicaCounts(d);
      return (
        <span>
          {running} / {desired}
        </span>
      );
    },
    sortValue: (d) => replicaCounts(d).desired,
  },
  {
    key: "state",
    header: "State",
    cell: (d) => {
      const summary = summarize(d);
      return (
        <span className="state-cell">
          <StateBadge state={summary.word} />
          {summary.detail && <span className="muted"> {summary.detail}</span>}
        </span>
      );
    },
    sortValue: (d) => summarize(d).word,
  },
  {
    key: "created",
    header: "Created",
    cell: (d) => <time dateTime={d.createdAt} title={dateTime(d.createdAt)}>{ago(d.createdAt)}</time>,
    sortValue: (d) => d.createdAt,
  },
];

export default function DeploymentsPage() {
  const { api } = useSession();
  const hold = useSpendHold();
  const deployments = useResource(
    () => allPages((cursor) => api.GET("/v1/deployments", { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } })),
    [api],
  );
  useReloadOn(deployments, changesDeployments);
  return (
    <Page
      title="Deployments"
      actions={
        <Link className="button primary" to="/deployments/new">
          Create deployment
        </Link>
      }
    >
      <SpendHoldBanner hold={hold} />
      <ErrorAlert error={deployments.error} title="The deployments could not be loaded" />
      {deployments.data === undefined ? (
        deployments.loading && <Loading what="your deployments" />
      ) : (
        <DataTable
          caption="Your deployments"
          columns={COLUMNS}
          rows={deployments.data}
          rowKey={(d) => d.id}
          initialSort={{ key: "created", descending: true }}
          filterLabel="Filter deployments"
          empty={
            deployments.data.length === 0 ? (
              <>
                No deployments yet. <Link to="/deployments/new">Create your first deployment</Link>.
              </>
            ) : (
              "No deployment matches the filter."
            )
          }
        />
      )}
    </Page>
  );
}
