import { data, type Deployment, type Schemas } from "../../api/controlApi";
import { useSession } from "../../app/session";
import { ConfirmButton, ErrorAlert, Loading, StateBadge } from "../../ui/components";
import { ago, cores, dateTime, mebibytes } from "../../ui/format";
import { useReloadOn, useResource } from "../../ui/useResource";
import { diffLines } from "./readable";

type Revision = Schemas["Revision"];

const CAUSES: Record<Revision["cause"], string> = {
  create: "created",
  update: "updated",
  rollback: "rolled back",
  "auto-rollback": "rolled back by the platform",
  restart: "restarted",
};

function actorName(actor: string | undefined): string {
  if (!actor) return "the platform";
  return actor.replace(/^user:/, "");
}

/** The deployment's revisions, newest first: why each was made, by whom, what changed, and a rollback to any older one. */
export function RevisionsTab({ deployment, onChanged }: { deployment: Deployment; onChanged: () => void }) {
  const { api } = useSession();
  const id = deployment.id;
  const revisions = useResource(() => data(api.GET("/v1/deployments/{id}/revisions", { params: { path: { id } } })), [api, id]);
  useReloadOn(revisions, (e) => e.deploymentId === id && (e.type === "deployment.revised" || e.type === "deployment.rollout-progressed"));
  const rollback = async (revision: number) => {
    await data(api.POST("/v1/deployments/{id}/rollback", { params: { path: { id } }, body: { revision } }));
    revisions.reload();
    onChanged();
  };
  return (
    <>
      <h2 className="visually-hidden">Revisions</h2>
      <ErrorAlert error={revisions.error} title="The revisions could not be loaded" />
      {revisions.data === undefined ? (
        revisions.loading && <Loading what="the revisions" />
      ) : (
        <ol className="revisions" aria-label="Revisions, newest first">
          {revisions.data.map((r) => (
            <li key={r.revision} className={r.current ? "revision current" : "revision"} aria-current={r.current ? "true" : undefined}>
              <h3>
                Revision {r.revision}
                {r.current && <StateBadge state="current" />}
                {r.current && deployment.rollout?.revision === r.revision && <StateBadge state={deployment.rollout.state === "progressing" ? "starting" : deployment.rollout.state} />}
              </h3>
              <p>
                {CAUSES[r.cause]}
                {r.rollbackOf !== undefined && <> to revision {r.rollbackOf}</>} by {actorName(r.actor)},{" "}
                <time dateTime={r.createdAt} title={dateTime(r.createdAt)}>
                  {ago(r.createdAt)}
                </time>
                {r.changed.length > 0 && (
                  <>
                    {" "}
                    · changed: <span className="mono">{r.changed.join(", ")}</span>
                  </>
                )}
              </p>
              {r.diff.length > 0 && (
                <ul className="diff" aria-label={`Changes in revision ${r.revision}`}>
                  {r.diff.flatMap((change) =>
                    diffLines(change.field, change.from, change.to).map((line) => (
                      <li key={line.field}>
                        {line.field}: {line.from} <span className="arrow" aria-hidden="true">→</span>
                        <span className="visually-hidden"> to </span> {line.to}
                      </li>
                    )),
                  )}
                </ul>
              )}
              <p className="muted">
                Runs <span className="mono">{r.spec.image}</span>, {r.spec.isolation === "hardware" ? "its own VM" : "shared kernel"}, {cores(r.spec.resources.cpuMillis)} and{" "}
                {mebibytes(r.spec.resources.memoryMiB)} per replica
              </p>
              {!r.current && !deployment.deletedAt && (
                <ConfirmButton
                  label={`Roll back to revision ${r.revision}`}
                  question={
                    <p>
                      A new revision with revision {r.revision}'s spec (image <span className="mono">{r.spec.image}</span>) rolls out, replacing the replicas one step at a time.
                    </p>
                  }
                  confirmLabel="Roll back"
                  onConfirm={() => rollback(r.revision)}
                />
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
