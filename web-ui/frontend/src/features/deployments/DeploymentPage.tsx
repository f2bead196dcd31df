import { Link, useParams, useSearchParams } from "react-router";
import { data, type Deployment } from "../../api/controlApi";
import { ApiError } from "../../api/problem";
import { useSession } from "../../app/session";
import { ErrorAlert, IsolationBadge, Loading, Page, StateBadge } from "../../ui/components";
import { ago, cores, dateTime, mebibytes } from "../../ui/format";
import { useReloadOn, useResource } from "../../ui/useResource";
import { DeploymentActions } from "./DeploymentActions";
import { replicaCounts, summarize } from "./deploymentState";
import { EventsTab } from "./EventsTab";
import { InstancesTab } from "./InstancesTab";
import { changesDeployment } from "./liveMatch";
import { LogsTab } from "./LogsTab";
import { RevisionsTab } from "./RevisionsTab";
import { SpendHoldBanner, useSpendHold } from "../../ui/SpendHoldBanner";
import { Tabs } from "./Tabs";
import "./deployments.css";

const TABS = [
  { id: "instances", title: "Instances" },
  { id: "revisions", title: "Revisions" },
  { id: "events", title: "Events" },
  { id: "logs", title: "Logs" },
];

export default function DeploymentPage() {
  const { id = "" } = useParams();
  const { api } = useSession();
  const hold = useSpendHold();
  const deployment = useResource(() => data(api.GET("/v1/deployments/{id}", { params: { path: { id } } })), [api, id]);
  useReloadOn(deployment, changesDeployment(id));
  const d = deployment.data;

  if (!d) {
    const missing = deployment.error instanceof ApiError && deployment.error.status === 404;
    return (
      <Page title={missing ? "No such deployment" : "Deployment"}>
        {missing ? (
          <p>
            There is no deployment with this id in your tenant. <Link to="/deployments">Back to your deployments</Link>
          </p>
        ) : (
          <>
            <ErrorAlert error={deployment.error} title="The deployment could not be loaded" />
            {deployment.loading && <Loading what="the deployment" />}
          </>
        )}
      </Page>
    );
  }
  return (
    <Page title={d.name} actions={<Link to="/deployments">All deployments</Link>}>
      <SpendHoldBanner hold={hold} />
      <ErrorAlert error={deployment.error} title="The deployment could not be reloaded" />
      {d.deletedAt && (
        <p className="alert alert-info">
          This deployment was deleted {ago(d.deletedAt)} ({dateTime(d.deletedAt)}). Its history stays readable.
        </p>
      )}
      <Facts deployment={d} />
      <DeploymentActions deployment={d} onChanged={deployment.reload} />
      <DeploymentTabs deployment={d} onChanged={deployment.reload} />
    </Page>
  );
}

function Facts({ deployment: d }: { deployment: Deployment }) {
  const summary = summarize(d);
  const { running, desired } = replicaCounts(d);
  return (
    <dl className="deployment-facts">
      <div>
        <dt>State</dt>
        <dd>
          <StateBadge state={summary.word} /> {summary.detail && <span className="muted">{summary.detail}</span>}
        </dd>
      </div>
      <div>
        <dt>Image</dt>
        <dd className="mono wrap">{d.image}</dd>
      </div>
      <div>
        <dt>Isolation</dt>
        <dd>
          <IsolationBadge isolation={d.isolation} />
        </dd>
      </div>
      <div>
        <dt>Replicas</dt>
        <dd>
          {running} of {desired} running
        </dd>
      </div>
      <div>
        <dt>Each replica</dt>
        <dd>
          {cores(d.resources.cpuMillis)}, {mebibytes(d.resources.memoryMiB)}
        </dd>
      </div>
      {d.ports.length > 0 && (
        <div>
          <dt>Ports</dt>
          <dd className="mono">{d.ports.map((p) => (p.protocol === "tcp" ? `${p.containerPort}/tcp on edge port ${p.edgePort ?? "none"}` : String(p.containerPort))).join(", ")}</dd>
        </div>
      )}
      <div>
        <dt>Revision</dt>
        <dd>{d.revision}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>
          <time dateTime={d.createdAt} title={dateTime(d.createdAt)}>
            {ago(d.createdAt)}
          </time>
        </dd>
      </div>
    </dl>
  );
}

function DeploymentTabs({ deployment, onChanged }: { deployment: Deployment; onChanged: () => void }) {
  const [params, setParams] = useSearchParams();
  const tab = TABS.some((t) => t.id === params.get("tab")) ? (params.get("tab") as string) : "instances";
  return (
    <Tabs label="Deployment details" tabs={TABS} selected={tab} onSelect={(t) => setParams(t === "instances" ? {} : { tab: t }, { replace: true })}>
      {tab === "instances" && <InstancesTab deployment={deployment} />}
      {tab === "revisions" && <RevisionsTab deployment={deployment} onChanged={onChanged} />}
      {tab === "events" && <EventsTab deployment={deployment} />}
      {tab === "logs" && <LogsTab deployment={deployment} />}
    </Tabs>
  );
}
