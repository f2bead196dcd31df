import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { data, type Deployment } from "../../api/controlApi";
import { ApiError, errorFrom } from "../../api/problem";
import { useSession } from "../../app/session";
import { ConfirmButton, ErrorAlert } from "../../ui/components";
import { ProblemFigures } from "./problemText";

/** Scale, stop or start, restart and delete; each answer's problem is shown where the action is. */
export function DeploymentActions({ deployment, onChanged }: { deployment: Deployment; onChanged: () => void }) {
  const { api } = useSession();
  const navigate = useNavigate();
  const ids = useId();
  const id = deployment.id;
  const [replicas, setReplicas] = useState(String(deployment.replicas));
  const [scaleError, setScaleError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const stopped = Boolean(deployment.stoppedAt);
  const path = { params: { path: { id } } };

  // the count changed elsewhere (another tab, the CLI, this form): show it; the first render already does
  const shownCount = useRef(deployment.replicas);
  useEffect(() => {
    if (shownCount.current === deployment.replicas) return;
    shownCount.current = deployment.replicas;
    setReplicas(String(deployment.replicas));
  }, [deployment.replicas]);

  /** A confirmed action: its dialog shows a refusal, so only success is reported here. */
  const confirmed = (what: string, call: () => Promise<unknown>) => async () => {
    await call();
    setFailure(undefined);
    setDone(what);
    onChanged();
  };

  const start = async () => {
    setBusy(true);
    setFailure(undefined);
    setDone(undefined);
    try {
      await data(api.POST("/v1/deployments/{id}/start", path));
      setDone("Starting.");
      onChanged();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  const scale = async (event: FormEvent) => {
    event.preventDefault();
    const count = replicas.trim() === "" ? undefined : Number(replicas);
    setBusy(true);
    setFailure(undefined);
    setScaleError(undefined);
    setDone(undefined);
    try {
      const answer = await api.PATCH("/v1/deployments/{id}", { ...path, body: count === undefined ? {} : { replicas: count } });
      if (!answer.response.ok) {
        const error = await errorFrom(answer.response, answer.error);
        const field = error.fieldErrors().replicas;
        if (field) setScaleError(field);
        else setFailure(error);
        return;
      }
      setDone(`Scaling to ${count} ${count === 1 ? "replica" : "replicas"}.`);
      onChanged();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  if (deployment.deletedAt) return null;
  return (
    <>
      <div className="action-bar">
        <form className="scale-form" onSubmit={scale} noValidate>
          <div className={scaleError ? "field field-invalid" : "field"}>
            <label htmlFor={`${ids}-replicas`}>Replicas</label>
            <input
              id={`${ids}-replicas`}
              type="number"
              inputMode="numeric"
              min={1}
              max={50}
              value={replicas}
              onChange={(e) => setReplicas(e.target.value)}
              aria-invalid={scaleError ? true : undefined}
              aria-describedby={scaleError ? `${ids}-replicas-error` : undefined}
            />
          </div>
          <button type="submit" className="button" disabled={busy}>
            Scale
          </button>
        </form>
        {stopped ? (
          <button type="button" className="button primary" disabled={busy} onClick={() => void start()}>
            Start
          </button>
        ) : (
          <>
            <ConfirmButton
              label="Stop"
              confirmLabel="Stop deployment"
              question={
                <p>
                  Stop <strong>{deployment.name}</strong>? Every replica stops (TERM, then KILL after the grace period). Its spec, revisions and logs stay,
                  nothing is billed for compute while it is stopped, and Start brings the same revision back.
                </p>
              }
              onConfirm={confirmed("Stopping.", () => data(api.POST("/v1/deployments/{id}/stop", path)))}
            />
            <ConfirmButton
              label="Restart"
              confirmLabel="Restart deployment"
              question={<p>Restart <strong>{deployment.name}</strong>? A new revision with the same spec rolls out, replacing the replicas one step at a time.</p>}
              onConfirm={confirmed("Restarting.", () => data(api.POST("/v1/deployments/{id}/restart", path)))}
            />
          </>
        )}
        <ConfirmButton
          label="Delete"
          confirmLabel="Delete deployment"
          danger
          question={
            <p>
              Delete <strong>{deployment.name}</strong>? Its replicas stop and the name becomes free. The output of its replicas stays readable for a while, then goes.
            </p>
          }
          onConfirm={async () => {
            await data(api.DELETE("/v1/deployments/{id}", path));
            navigate("/deployments");
          }}
        />
      </div>
      {scaleError && (
        <p id={`${ids}-replicas-error`} className="field-error">
          Replicas {scaleError}
        </p>
      )}
      {failure instanceof ApiError ? (
        <div role="alert" className="alert alert-error">
          <strong>Not done:</strong> {failure.problem.detail ?? failure.problem.title}
          <ProblemFigures error={failure} />
        </div>
      ) : (
        <ErrorAlert error={failure} title="Not done" />
      )}
      <p role="status" className="muted">
        {done}
      </p>
    </>
  );
}
