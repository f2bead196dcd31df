import { useState, type FormEvent } from "react";
import { useSession } from "../../app/session";
import { ConfirmButton, ErrorAlert, FormError, InputField, Loading } from "../../ui/components";
import { dateTime, money } from "../../ui/format";
import type { Resource } from "../../ui/useResource";
import { removeSpendLimit, setSpendLimit } from "./billingCalls";
import type { SpendLimitStatus } from "./billingTypes";
import { percent } from "../../ui/decimal";
import { errorsByField } from "./fieldErrors";

const FIELDS = ["amount", "alertThresholds", "hard"] as const;

/** "75, 90 100" as [75, 90, 100]; undefined for an empty text (the API's default); an error for anything else. */
export function parseThresholds(text: string): number[] | undefined | Error {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return undefined;
  if (parts.some((p) => !/^\d+$/.test(p))) return new Error("whole percentages separated by commas, such as 75, 90, 100");
  return parts.map(Number);
}

export function SpendLimitSection({ status, currency }: { status: Resource<SpendLimitStatus>; currency: string | undefined }) {
  const { me } = useSession();
  const admin = me.scopes.includes("admin");
  // what the last change did; kept here because the form starts afresh when the limit it shows changes
  const [done, setDone] = useState<string>();
  return (
    <section aria-labelledby="spend-limit" className="billing-section">
      <h2 id="spend-limit" tabIndex={-1}>
        Spend limit
      </h2>
      <ErrorAlert error={status.error} title="Could not load the spend limit" />
      {!status.data && status.loading && <Loading what="the spend limit" />}
      {status.data && (
        <>
          <SpendLimitSummary status={status.data} />
          {admin ? (
            <SpendLimitForm
              key={status.data.limit?.updatedAt ?? "none"}
              status={status.data}
              currency={status.data.limit?.currency ?? currency}
              onChanged={(what, removed) => {
                setDone(what);
                status.reload();
                // the form's buttons go with the limit: keep the keyboard in the section
                if (removed) document.getElementById("spend-limit")?.focus();
              }}
              onEdit={() => setDone(undefined)}
            />
          ) : (
            <p className="muted">Setting or removing the spend limit needs the admin scope, which you do not hold.</p>
          )}
          <p role="status" className="muted">
            {done}
          </p>
        </>
      )}
    </section>
  );
}

function SpendLimitSummary({ status }: { status: SpendLimitStatus }) {
  const limit = status.limit;
  const crossed = new Set(status.alertsSent.map(Number));
  const currency = limit?.currency;
  if (!limit) {
    return (
      <div className="spend-summary">
        <p>
          No spend limit is set: nothing stops your deployments or alerts you about spending. Spent this period:{" "}
          <strong>{money(status.spend, currency)}</strong>.
        </p>
        {crossed.size > 0 && <p>Alerts already sent this period at {[...crossed].map((t) => `${t} %`).join(", ")}.</p>}
      </div>
    );
  }
  const used = percent(status.spend, limit.amount);
  return (
    <div className="spend-summary">
      <p>
        <strong>{money(limit.amount, currency)}</strong> a period,{" "}
        {limit.hard ? (
          <span className="badge badge-warn">hard: stops deployments when reached</span>
        ) : (
          <span className="badge badge-neutral">soft: alerts only</span>
        )}
        <span className="muted"> · set {dateTime(limit.updatedAt)}</span>
      </p>
      <div className="meter-row">
        <span id="spend-meter-label">Spent this period</span>
        <meter
          aria-labelledby="spend-meter-label"
          aria-describedby="spend-meter-text"
          min={0}
          max={100}
          low={75}
          high={90}
          optimum={0}
          value={Math.min(used, 100)}
        />
        <span id="spend-meter-text">
          {money(status.spend, currency)} of {money(limit.amount, currency)} ({used.toFixed(1)} %)
        </span>
      </div>
      <h3>Alerts this period</h3>
      <ul className="thresholds" aria-label="Alert thresholds">
        {limit.alertThresholds.map((t) => (
          <li key={t}>
            {t} %{" "}
            {crossed.has(Number(t)) ? (
              <span className="badge badge-warn">crossed, alert sent</span>
            ) : (
              <span className="badge badge-neutral">not reached</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function SpendLimitForm({
  status,
  currency,
  onChanged,
  onEdit,
}: {
  status: SpendLimitStatus;
  currency: string | undefined;
  onChanged: (what: string, removed?: boolean) => void;
  onEdit: () => void;
}) {
  const { billing } = useSession();
  const limit = status.limit;
  const [amount, setAmount] = useState(limit?.amount ?? "");
  const [thresholds, setThresholds] = useState(limit ? limit.alertThresholds.join(", ") : "");
  const [hard, setHard] = useState(limit?.hard ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [localError, setLocalError] = useState<string>();

  const byField = errorsByField(error, FIELDS);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    onEdit();
    setError(undefined);
    const parsed = parseThresholds(thresholds);
    if (parsed instanceof Error) {
      setLocalError(parsed.message);
      return;
    }
    setLocalError(undefined);
    setBusy(true);
    try {
      await setSpendLimit(billing, { amount, hard, ...(parsed ? { alertThresholds: parsed } : {}) });
      onChanged("Spend limit saved.");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    onEdit();
    setError(undefined);
    await removeSpendLimit(billing);
    onChanged("Spend limit removed.", true);
  };

  return (
    <form className="form spend-form" onSubmit={submit} noValidate aria-labelledby="spend-form-title">
      <h3 id="spend-form-title">{limit ? "Change the spend limit" : "Set a spend limit"}</h3>
      <ErrorAlert error={error} title="Not saved" />
      <FormError message={byField[""]} />
      <div className="row">
        <InputField
          label={currency ? `Limit per period (${currency})` : "Limit per period"}
          hint="More than 0, at most 1,000,000, with at most 2 decimals."
          error={byField.amount}
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          required
          value={amount}
          onChange={setAmount}
        />
        <InputField
          label="Alert thresholds (%)"
          hint="Whole percentages of the limit, ascending, at most 10; an alert is sent as each is crossed. Empty for 75, 90, 100."
          error={localError ?? byField.alertThresholds}
          name="alertThresholds"
          autoComplete="off"
          placeholder="75, 90, 100"
          value={thresholds}
          onChange={setThresholds}
        />
      </div>
      <div className={byField.hard ? "field field-invalid" : "field"}>
        <label className="check">
          <input
            type="checkbox"
            name="hard"
            checked={hard}
            onChange={(e) => setHard(e.target.checked)}
            aria-describedby="spend-hard-hint"
          />{" "}
          Hard limit: stop my deployments when it is reached
        </label>
        <small id="spend-hard-hint" className="hint">
          A hard limit stops running deployments and refuses creating, starting or scaling up until it is raised or the
          period ends. Unchecked, reaching the limit only sends alerts.
        </small>
        {byField.hard && <small className="field-error">{byField.hard}</small>}
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Saving…" : "Save spend limit"}
        </button>
        {limit && (
          <ConfirmButton
            label="Remove spend limit"
            confirmLabel="Remove the limit"
            danger
            question={
              <p>
                Without a limit nothing stops your deployments or alerts you about spending. A hold the limit imposed is
                lifted, but stopped deployments stay stopped until you start them.
              </p>
            }
            onConfirm={remove}
          />
        )}
      </div>
    </form>
  );
}
