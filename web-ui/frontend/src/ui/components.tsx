import { useEffect, useId, useRef, useState, type InputHTMLAttributes, type ReactNode } from "react";
import { describeError } from "../api/problem";

/** A page: its heading (and the tab's title) and the actions beside it. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Nanofleet`;
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function ErrorAlert({ error, title = "Something went wrong" }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="alert alert-error">
      <strong>{title}:</strong> {describeError(error)}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

const STATE_TONES: Record<string, string> = {
  running: "ok",
  healthy: "ok",
  ready: "ok",
  schedulable: "ok",
  pending: "wait",
  scheduled: "wait",
  pulling: "wait",
  starting: "wait",
  restarting: "warn",
  stopping: "wait",
  cordoned: "warn",
  draining: "warn",
  "not-ready": "warn",
  unhealthy: "bad",
  unschedulable: "bad",
  failed: "bad",
  lost: "bad",
  exited: "neutral",
  stopped: "neutral",
};

/** A state in words with a colour that repeats them (colour never carries the meaning alone). */
export function StateBadge({ state }: { state: string | null | undefined }) {
  if (!state) return null;
  return <span className={`badge badge-${STATE_TONES[state] ?? "neutral"}`}>{state}</span>;
}

export function IsolationBadge({ isolation }: { isolation: string | null | undefined }) {
  if (!isolation) return <span className="muted">not placed</span>;
  return (
    <span className={`badge badge-${isolation === "hardware" ? "vm" : "shared"}`} title={isolation === "hardware" ? "its own VM" : "a container on the node's kernel"}>
      {isolation === "hardware" ? "VM" : "shared kernel"}
    </span>
  );
}

/**
 * A button that asks before it acts (a native dialog: focus moves into it, Escape cancels), then shows the action's
 * error if it fails.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel = label,
  danger = false,
  onConfirm,
}: {
  label: string;
  question: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={danger ? "button danger" : "button"} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="dialog">
        <h2 id={titleId}>{label}</h2>
        <div>{question}</div>
        <ErrorAlert error={error} title="Not done" />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" className={danger ? "button danger" : "button primary"} disabled={busy} onClick={confirm}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}

/** A labelled form field with its hint and the API's error for it, tied together for screen readers. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

/** A text input in a Field: labelled, its hint and error wired for screen readers, its value a string. */
export function InputField({
  label,
  hint,
  error,
  value,
  onChange,
  ...input
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange" | "aria-describedby" | "aria-invalid">) {
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <input {...input} id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
      )}
    </Field>
  );
}

/** A problem's message that belongs to no one field of a form (its "" field error), announced when it appears. */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" role="alert">
      {message}
    </p>
  );
}
