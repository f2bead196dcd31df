import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import type { Schemas } from "../../api/controlApi";
import { ApiError, errorFrom, type FieldError } from "../../api/problem";
import { useSession } from "../../app/session";
import { Field, Page } from "../../ui/components";
import { cores, mebibytes } from "../../ui/format";
import { emptyForm, localErrors, placeErrors, rowId, toRequest, type CheckType, type CreateForm, type Isolation, type RestartMode, type VariableRow } from "./createForm";
import { ProblemFigures, problemIs } from "./problemText";
import { SpendHoldBanner, useSpendHold } from "../../ui/SpendHoldBanner";
import { useTenantTrust, type Trust } from "./tenantTrust";
import "./deployments.css";

type Failure = { title: string; error?: ApiError; unplaced: FieldError[]; text?: string };

export default function CreateDeploymentPage() {
  const { api } = useSession();
  const navigate = useNavigate();
  const hold = useSpendHold();
  const { trust, usage, learn } = useTenantTrust();
  const [form, setForm] = useState<CreateForm>(emptyForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Failure | undefined>();
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const idempotency = useRef<{ body: string; key: string } | undefined>(undefined);

  // focus moves to the summary as it appears (before the browser paints), so a screen reader starts there
  useLayoutEffect(() => {
    if (failure) summary.current?.focus();
  }, [failure]);
  // an untrusted tenant cannot keep "shared" (it may have been picked before the trust was known)
  useEffect(() => {
    if (trust === "untrusted" && form.isolation === "shared") setForm((f) => ({ ...f, isolation: "auto" }));
  }, [trust, form.isolation]);

  const set = <K extends keyof CreateForm>(key: K, value: CreateForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setCheck = (key: keyof CreateForm["check"], value: string) => setForm((f) => ({ ...f, check: { ...f.check, [key]: value } }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = localErrors(form);
    if (Object.keys(local).length) {
      setErrors(local);
      setFailure({ title: "Some fields need a change before this can be sent", unplaced: [] });
      return;
    }
    const { body, places } = toRequest(form);
    const json = JSON.stringify(body);
    // the same body retried (a double click, a network error) is the same request: the API creates it once
    if (idempotency.current?.body !== json) idempotency.current = { body: json, key: idempotencyKey() };
    setBusy(true);
    setErrors({});
    setFailure(undefined);
    try {
      const answer = await api.POST("/v1/deployments", { body, params: { header: { "Idempotency-Key": idempotency.current.key } } });
      if (answer.response.ok && answer.data) {
        navigate(`/deployments/${answer.data.id}`);
        return;
      }
      const error = await errorFrom(answer.response, answer.error);
      const p = error.problem;
      if (error.status === 400 && p.errors?.length) {
        const placed = placeErrors(p.errors, places);
        setErrors(placed.byInput);
        const n = Object.keys(placed.byInput).length;
        setFailure({
          title: "The deployment was not created",
          text: n ? `${n} field${n === 1 ? "" : "s"} below need${n === 1 ? "s" : ""} a change.` : undefined,
          unplaced: placed.unplaced,
        });
      } else if (error.status === 409) {
        setErrors({ name: p.detail ?? p.title });
        setFailure({ title: "The deployment was not created", error, unplaced: [] });
      } else if (error.status === 422 && problemIs(error, "isolation-not-allowed")) {
        setErrors({ isolation: p.detail ?? p.title });
        if (form.isolation === "shared") learn("untrusted");
        setFailure({ title: "This isolation is not allowed for your tenant", error, unplaced: [] });
      } else if (error.status === 422 && problemIs(error, "quota-exceeded")) {
        setFailure({ title: "This would go over your quota", error, unplaced: [] });
      } else if (error.status === 402) {
        setFailure({ title: "Spending is on hold", error, unplaced: [] });
      } else {
        setFailure({ title: "The deployment was not created", error, unplaced: [] });
      }
    } catch (e) {
      setFailure({ title: "The deployment was not created", unplaced: [], text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Create deployment">
      <SpendHoldBanner hold={hold} />
      <form className="form deploy-form" onSubmit={submit} noValidate aria-describedby={failure ? "create-failure" : undefined}>
        {failure && (
          <div ref={summary} id="create-failure" className="alert alert-error error-summary" role="alert" tabIndex={-1}>
            <strong>{failure.title}.</strong>
            {failure.error && <> {failure.error.problem.detail ?? failure.error.problem.title}</>}
            {failure.text && <> {failure.text}</>}
            {failure.error && <ProblemFigures error={failure.error} />}
            {failure.unplaced.length > 0 && (
              <ul>
                {failure.unplaced.map((e) => (
                  <li key={`${e.field}:${e.message}`}>
                    {e.field ? <span className="mono">{e.field}</span> : "The request"}: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        <Field label="Name" hint="Lower-case letters, digits and hyphens (a DNS label), unique among your deployments." error={errors.name}>
          {(ids) => <TextInput ids={ids} value={form.name} onChange={(v) => set("name", v)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field
          label="Image"
          hint={
            <>
              An OCI image reference, e.g. <span className="mono">registry:5000/team/app:1.0</span>. The launcher prints the demo image's
              reference (<span className="mono">NANOFLEET_DEMO_IMAGE</span> in <span className="mono">.fleet/env</span>).
            </>
          }
          error={errors.image}
        >
          {(ids) => <TextInput ids={ids} value={form.image} onChange={(v) => set("image", v)} autoComplete="off" spellCheck={false} className="mono" />}
        </Field>

        <fieldset>
          <legend>Size</legend>
          <div className="row">
            <Field label="Replicas" hint="1 to 50" error={errors.replicas}>
              {(ids) => <NumberInput ids={ids} value={form.replicas} onChange={(v) => set("replicas", v)} min={1} max={50} />}
            </Field>
            <Field label="CPU (millicores)" hint={`Per replica; 1000 is one core (${cores(Number(form.cpuMillis) || 0)}). 50 to 16000.`} error={errors.cpuMillis}>
              {(ids) => <NumberInput ids={ids} value={form.cpuMillis} onChange={(v) => set("cpuMillis", v)} min={50} max={16000} step={50} />}
            </Field>
            <Field label="Memory (MiB)" hint="Per replica; 32 to 65536." error={errors.memoryMiB}>
              {(ids) => <NumberInput ids={ids} value={form.memoryMiB} onChange={(v) => set("memoryMiB", v)} min={32} max={65536} step={32} />}
            </Field>
          </div>
          {usage && <QuotaLine usage={usage} />}
        </fieldset>

        <IsolationChoice value={form.isolation} onChange={(v) => set("isolation", v)} trust={trust} error={errors.isolation} />

        <PortsEditor form={form} setForm={setForm} errors={errors} />
        <VariablesEditor list="env" title="Environment variables" noun="variable" rows={form.env} setRows={(rows) => set("env", rows)} errors={errors} />
        <VariablesEditor
          list="secrets"
          title="Secrets"
          noun="secret"
          hint="Given to the process as environment variables. Stored sealed: after this form only their names are shown, never the values."
          rows={form.secrets}
          setRows={(rows) => set("secrets", rows)}
          errors={errors}
        />

        <fieldset>
          <legend>Command</legend>
          <Field label="Command (optional)" hint="One argument per line, the program first. Leave empty to run the image's entrypoint and cmd." error={errors.command}>
            {(ids) => (
              <textarea id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} rows={3} className="mono" value={form.command} onChange={(e) => set("command", e.target.value)} spellCheck={false} />
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>Restart policy</legend>
          <div className="row">
            <Field label="Restart" hint="What the node does when the process ends by itself." error={errors.restartMode}>
              {(ids) => (
                <select id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} value={form.restartMode} onChange={(e) => set("restartMode", e.target.value as RestartMode)}>
                  <option value="on-failure">On failure</option>
                  <option value="always">Always</option>
                  <option value="never">Never</option>
                </select>
              )}
            </Field>
            <Field label="Max retries" hint={form.restartMode === "never" ? "Not used: it never restarts." : "Restarts in a row before the replica stays exited; 0 to 100."} error={errors.maxRetries}>
              {(ids) => <NumberInput ids={ids} value={form.maxRetries} onChange={(v) => set("maxRetries", v)} min={0} max={100} disabled={form.restartMode === "never"} />}
            </Field>
          </div>
        </fieldset>

        <HealthCheckEditor check={form.check} setCheck={setCheck} errors={errors} />

        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Creating…" : "Create deployment"}
          </button>
          <Link className="button" to="/deployments">
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}

/** A random key for Idempotency-Key (crypto.randomUUID needs a secure context; getRandomValues does not). */
function idempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

type Ids = { id: string; describedBy: string | undefined; invalid: boolean };

function TextInput({ ids, value, onChange, ...rest }: { ids: Ids; value: string; onChange: (v: string) => void; autoComplete?: string; spellCheck?: boolean; className?: string; type?: string }) {
  return <input id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} type="text" value={value} onChange={(e) => onChange(e.target.value)} {...rest} />;
}

function NumberInput({ ids, value, onChange, ...rest }: { ids: Ids; value: string; onChange: (v: string) => void; min?: number; max?: number; step?: number; disabled?: boolean }) {
  return <input id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} type="number" inputMode="numeric" value={value} onChange={(e) => onChange(e.target.value)} {...rest} />;
}

function QuotaLine({ usage }: { usage: Schemas["TenantUsage"] }) {
  const line = (isolation: "hardware" | "shared") => {
    const q = (resource: string) => usage.quotas.find((u) => u.isolation === isolation && u.resource === resource);
    const cpu = q("cpuMillis");
    const memory = q("memoryMiB");
    const instances = q("instances");
    const parts = [
      cpu && `${cores(cpu.used)} of ${cores(cpu.limit)}`,
      memory && `${mebibytes(memory.used)} of ${mebibytes(memory.limit)}`,
      instances && `${instances.used} of ${instances.limit} replicas`,
    ].filter(Boolean);
    return parts.length ? `${isolation === "hardware" ? "VMs" : "shared kernel"}: ${parts.join(", ")}` : undefined;
  };
  const lines = [line("hardware"), line("shared")].filter(Boolean);
  if (!lines.length) return null;
  return <small className="hint">In use of your quotas: {lines.join("; ")}.</small>;
}

const AUTO_MEANS = "auto = hardware (its own VM) for untrusted tenants, shared kernel for trusted tenants.";

function IsolationChoice({ value, onChange, trust, error }: { value: Isolation; onChange: (v: Isolation) => void; trust: Trust | undefined; error: string | undefined }) {
  const autoHint =
    trust === "trusted"
      ? `${AUTO_MEANS} Your tenant is trusted, so auto runs a shared kernel.`
      : trust === "untrusted"
        ? `${AUTO_MEANS} Your tenant is untrusted, so auto runs each replica in its own VM.`
        : `${AUTO_MEANS} The API decides by your tenant's trust when it creates the deployment.`;
  const sharedHint =
    trust === "untrusted"
      ? "Not available: your tenant is untrusted, and untrusted tenants run only in their own VMs (the API refuses shared)."
      : trust === "trusted"
        ? "A container sharing the node's kernel with other replicas: starts fastest, uses the least memory."
        : "A container sharing the node's kernel: for trusted tenants only (the API refuses it for untrusted ones).";
  const options: { value: Isolation; label: string; hint: string; disabled?: boolean }[] = [
    { value: "auto", label: "Auto", hint: autoHint },
    { value: "hardware", label: "Hardware: its own VM", hint: "Each replica runs in its own virtual machine with its own kernel." },
    { value: "shared", label: "Shared kernel", hint: sharedHint, disabled: trust === "untrusted" },
  ];
  return (
    <fieldset aria-describedby={error ? "isolation-error" : undefined} className={error ? "field-invalid" : undefined}>
      <legend>Isolation</legend>
      {options.map((o) => (
        <div key={o.value} className={`radio-option${o.disabled ? " disabled" : ""}`}>
          <input
            type="radio"
            name="isolation"
            id={`isolation-${o.value}`}
            value={o.value}
            checked={value === o.value}
            disabled={o.disabled}
            aria-describedby={`isolation-${o.value}-hint`}
            onChange={() => onChange(o.value)}
          />
          <label htmlFor={`isolation-${o.value}`}>{o.label}</label>
          <small id={`isolation-${o.value}-hint`} className="hint">
            {o.hint}
          </small>
        </div>
      ))}
      {error && (
        <small id="isolation-error" className="field-error">
          {error}
        </small>
      )}
    </fieldset>
  );
}

function PortsEditor({ form, setForm, errors }: { form: CreateForm; setForm: (f: (f: CreateForm) => CreateForm) => void; errors: Record<string, string> }) {
  const update = (id: string, containerPort: string) => setForm((f) => ({ ...f, ports: f.ports.map((p) => (p.id === id ? { ...p, containerPort } : p)) }));
  return (
    <ListFieldset title="Ports" hint="TCP ports the process listens on; each is published on a port of its node." error={errors.ports}>
      {form.ports.map((port, index) => (
        <div className="list-row" key={port.id}>
          <Field label={`Container port ${index + 1}`} error={errors[`ports:${port.id}`]}>
            {(ids) => <NumberInput ids={ids} value={port.containerPort} onChange={(v) => update(port.id, v)} min={1} max={65535} />}
          </Field>
          <button type="button" className="button small" onClick={() => setForm((f) => ({ ...f, ports: f.ports.filter((p) => p.id !== port.id) }))}>
            Remove port {index + 1}
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="button small" onClick={() => setForm((f) => ({ ...f, ports: [...f.ports, { id: rowId(), containerPort: "" }] }))}>
          Add port
        </button>
      </div>
    </ListFieldset>
  );
}

function VariablesEditor({ list, title, noun, hint, rows, setRows, errors }: { list: "env" | "secrets"; title: string; noun: string; hint?: string; rows: VariableRow[]; setRows: (rows: VariableRow[]) => void; errors: Record<string, string> }) {
  const update = (id: string, change: Partial<VariableRow>) => setRows(rows.map((r) => (r.id === id ? { ...r, ...change } : r)));
  const capital = noun.charAt(0).toUpperCase() + noun.slice(1);
  return (
    <ListFieldset title={title} hint={hint} error={errors[list]}>
      {rows.map((row, index) => (
        <div className="list-row" key={row.id}>
          <Field label={`${capital} ${index + 1} name`} error={errors[`${list}:${row.id}`]}>
            {(ids) => <TextInput ids={ids} value={row.name} onChange={(v) => update(row.id, { name: v })} autoComplete="off" spellCheck={false} className="mono" />}
          </Field>
          <Field label={`${capital} ${index + 1} value`}>
            {(ids) =>
              list === "secrets" ? (
                <TextInput ids={ids} type="password" value={row.value} onChange={(v) => update(row.id, { value: v })} autoComplete="new-password" />
              ) : (
                <TextInput ids={ids} value={row.value} onChange={(v) => update(row.id, { value: v })} autoComplete="off" spellCheck={false} className="mono" />
              )
            }
          </Field>
          <button type="button" className="button small" onClick={() => setRows(rows.filter((r) => r.id !== row.id))}>
            Remove {noun} {index + 1}
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="button small" onClick={() => setRows([...rows, { id: rowId(), name: "", value: "" }])}>
          Add {noun}
        </button>
      </div>
    </ListFieldset>
  );
}

function ListFieldset({ title, hint, error, children }: { title: string; hint?: string | undefined; error?: string | undefined; children: ReactNode }) {
  const slug = title.toLowerCase().replace(/\W+/g, "-");
  const described = [hint ? `${slug}-hint` : "", error ? `${slug}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset aria-describedby={described}>
      <legend>{title}</legend>
      {hint && (
        <small id={`${slug}-hint`} className="hint">
          {hint}
        </small>
      )}
      <div className="list-rows">{children}</div>
      {error && (
        <small id={`${slug}-error`} className="field-error">
          {error}
        </small>
      )}
    </fieldset>
  );
}

function HealthCheckEditor({ check, setCheck, errors }: { check: CreateForm["check"]; setCheck: (key: keyof CreateForm["check"], value: string) => void; errors: Record<string, string> }) {
  const number = (key: keyof CreateForm["check"], label: string, hint: string, min: number, max: number) => (
    <Field label={label} hint={hint} error={errors[`check.${key}`]}>
      {(ids) => <NumberInput ids={ids} value={check[key]} onChange={(v) => setCheck(key, v)} min={min} max={max} />}
    </Field>
  );
  return (
    <fieldset>
      <legend>Health check</legend>
      <Field label="Check" hint="How the node checks that a replica serves. A rollout waits for new replicas to be healthy." error={errors["check.type"]}>
        {(ids) => (
          <select id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} value={check.type} onChange={(e) => setCheck("type", e.target.value as CheckType)}>
            <option value="none">None</option>
            <option value="http">HTTP: a GET answered with a good status</option>
            <option value="tcp">TCP: a connection is accepted</option>
            <option value="exec">Command: exits 0 inside the replica</option>
          </select>
        )}
      </Field>
      {(check.type === "http" || check.type === "tcp") && (
        <div className="row">
          {number("port", "Check port", "The container port to check.", 1, 65535)}
          {check.type === "http" && (
            <Field label="Path" hint="Starts with /." error={errors["check.path"]}>
              {(ids) => <TextInput ids={ids} value={check.path} onChange={(v) => setCheck("path", v)} className="mono" spellCheck={false} />}
            </Field>
          )}
        </div>
      )}
      {check.type === "http" && (
        <div className="row">
          {number("statusMin", "Lowest good status", "100 to 599", 100, 599)}
          {number("statusMax", "Highest good status", "100 to 599", 100, 599)}
        </div>
      )}
      {check.type === "exec" && (
        <Field label="Check command" hint="One argument per line, the program first." error={errors["check.command"]}>
          {(ids) => (
            <textarea id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} rows={2} className="mono" value={check.command} onChange={(e) => setCheck("command", e.target.value)} spellCheck={false} />
          )}
        </Field>
      )}
      {check.type !== "none" && (
        <div className="row">
          {number("intervalSeconds", "Interval (seconds)", "1 to 3600", 1, 3600)}
          {number("timeoutSeconds", "Timeout (seconds)", "1 to 600", 1, 600)}
          {number("startPeriodSeconds", "Start period (seconds)", "Failures this soon after a start do not count.", 0, 3600)}
          {number("failureThreshold", "Failures before unhealthy", "1 to 100", 1, 100)}
        </div>
      )}
    </fieldset>
  );
}
