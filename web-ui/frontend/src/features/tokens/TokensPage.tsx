import { useEffect, useRef, useState, type FormEvent } from "react";
import { data, type Schemas } from "../../api/controlApi";
import { ApiError } from "../../api/problem";
import { useSession } from "../../app/session";
import { ConfirmButton, ErrorAlert, FormError, InputField, Loading, Page } from "../../ui/components";
import { DataTable, type Column } from "../../ui/DataTable";
import { ago, dateTime } from "../../ui/format";
import { useResource } from "../../ui/useResource";
import { errorsByField } from "../usage/fieldErrors";
import "../usage/billing.css";

type Token = Schemas["Token"];
type CreatedToken = Schemas["CreatedToken"];
type Scope = Schemas["Scope"];

/** The scopes in the order they grow, with what each lets a token do (control-api's README). */
export const SCOPES: { scope: Scope; what: string }[] = [
  { scope: "read", what: "see deployments, logs, events, usage and invoices" },
  { scope: "deploy", what: "create, change, stop, start and delete deployments" },
  { scope: "exec", what: "open a shell in a running replica" },
  { scope: "admin", what: "manage API tokens and the spend limit" },
];

const FIELDS = ["name", "scopes", "expiresInDays"] as const;

export default function TokensPage() {
  const { api, me } = useSession();
  const admin = me.scopes.includes("admin");
  const tokens = useResource(() => data(api.GET("/v1/tokens")), [api]);
  const [created, setCreated] = useState<CreatedToken>();
  const forbidden = tokens.error instanceof ApiError && tokens.error.status === 403;

  return (
    <Page title="API tokens">
      <p className="muted">
        An API token lets a script or the CLI call Nanofleet as your tenant (<code>Authorization: Bearer nfk_…</code>). It
        holds only the scopes given to it, never more than yours, and stops working when it expires or is revoked.
      </p>
      {!admin && (
        <p className="alert alert-info">
          Managing API tokens needs the admin scope. You hold: {me.scopes.join(", ") || "no scopes"}.
        </p>
      )}
      {created && (
        <SecretPanel
          token={created}
          onDone={() => {
            setCreated(undefined);
            document.getElementById("tokens-title")?.focus();
          }}
        />
      )}

      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title" tabIndex={-1}>
          Tokens
        </h2>
        {forbidden ? (
          <ErrorAlert error={tokens.error} title="You may not list API tokens (admin scope needed)" />
        ) : (
          <ErrorAlert error={tokens.error} title="Could not load the API tokens" />
        )}
        {!tokens.data && tokens.loading && <Loading what="the API tokens" />}
        {tokens.data && <TokenTable tokens={tokens.data} onRevoked={tokens.reload} />}
      </section>

      {admin && (
        <section aria-labelledby="new-token-title">
          <h2 id="new-token-title">Create a token</h2>
          <CreateTokenForm
            onCreated={(token) => {
              setCreated(token);
              tokens.reload();
            }}
          />
        </section>
      )}
    </Page>
  );
}

function TokenTable({ tokens, onRevoked }: { tokens: Token[]; onRevoked: () => void }) {
  const { api, me } = useSession();
  const now = Date.now();
  const columns: Column<Token>[] = [
    {
      key: "name",
      header: "Name",
      cell: (t) => (
        <>
          {t.name}
          {me.tokenId === t.id && (
            <>
              {" "}
              <span className="badge badge-neutral">this session</span>
            </>
          )}
        </>
      ),
      sortValue: (t) => t.name,
    },
    {
      key: "scopes",
      header: "Scopes",
      cell: (t) => (
        <span className="badges">
          {t.scopes.map((s) => (
            <span key={s} className="badge badge-neutral">
              {s}
            </span>
          ))}
        </span>
      ),
      filterText: (t) => t.scopes.join(" "),
    },
    { key: "createdBy", header: "Created by", cell: (t) => <span className="mono">{t.createdBy}</span>, sortValue: (t) => t.createdBy },
    { key: "created", header: "Created", cell: (t) => <time dateTime={t.createdAt}>{dateTime(t.createdAt)}</time>, sortValue: (t) => t.createdAt },
    {
      key: "expires",
      header: "Expires",
      cell: (t) => (
        <>
          <time dateTime={t.expiresAt}>{dateTime(t.expiresAt)}</time>
          {Date.parse(t.expiresAt) <= now && (
            <>
              {" "}
              <span className="badge badge-bad">expired</span>
            </>
          )}
        </>
      ),
      sortValue: (t) => t.expiresAt,
    },
    {
      key: "lastUsed",
      header: "Last used",
      cell: (t) => (t.lastUsedAt ? <time dateTime={t.lastUsedAt} title={dateTime(t.lastUsedAt)}>{ago(t.lastUsedAt, now)}</time> : "never"),
      sortValue: (t) => t.lastUsedAt ?? "",
    },
  ];
  if (me.scopes.includes("admin")) {
    columns.push({
      key: "revoke",
      header: "Actions",
      cell: (t) => (
        <ConfirmButton
          label={`Revoke ${t.name}`}
          confirmLabel="Revoke token"
          danger
          question={
            <p>
              The next request made with <strong>{t.name}</strong> is refused, so scripts using it stop working. This
              cannot be undone.
            </p>
          }
          onConfirm={async () => {
            await data(api.DELETE("/v1/tokens/{id}", { params: { path: { id: t.id } } }));
            onRevoked();
          }}
        />
      ),
    });
  }
  return (
    <DataTable
      caption="API tokens"
      columns={columns}
      rows={tokens}
      rowKey={(t) => t.id}
      initialSort={{ key: "created", descending: true }}
      empty="No API tokens yet."
    />
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const { api, me } = useSession();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read"]);
  const [days, setDays] = useState("90");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [daysError, setDaysError] = useState<string>();
  const byField = errorsByField(error, FIELDS);

  const toggle = (scope: Scope, on: boolean) =>
    setScopes((current) => SCOPES.map((s) => s.scope).filter((s) => (s === scope ? on : current.includes(s))));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!/^\d+$/.test(days.trim())) {
      setDaysError("a whole number of days from 1 to 365");
      return;
    }
    setDaysError(undefined);
    setBusy(true);
    try {
      const token = await data(api.POST("/v1/tokens", { body: { name: name.trim(), scopes, expiresInDays: Number(days) } }));
      setName("");
      setScopes(["read"]);
      setDays("90");
      onCreated(token);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="new-token-title">
      <ErrorAlert
        error={error}
        title={error instanceof ApiError && error.status === 403 ? "Not allowed (admin scope needed)" : "Not created"}
      />
      <FormError message={byField[""]} />
      <div className="row">
        <InputField
          label="Name"
          hint="What uses it, such as ci-deploy."
          error={byField.name}
          name="name"
          autoComplete="off"
          required
          value={name}
          onChange={setName}
        />
        <InputField
          label="Expires in (days)"
          hint="1 to 365."
          error={daysError ?? byField.expiresInDays}
          name="expiresInDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={365}
          required
          value={days}
          onChange={setDays}
        />
      </div>
      <fieldset aria-describedby={byField.scopes ? "token-scopes-error" : undefined} className={byField.scopes ? "field-invalid" : undefined}>
        <legend>Scopes</legend>
        <div className="scopes">
          {SCOPES.map(({ scope, what }) => {
            const held = me.scopes.includes(scope);
            return (
              <div key={scope} className="scope">
                <label>
                  <input
                    type="checkbox"
                    name="scopes"
                    value={scope}
                    checked={scopes.includes(scope)}
                    disabled={!held}
                    onChange={(e) => toggle(scope, e.target.checked)}
                    aria-describedby={`token-scope-${scope}`}
                  />
                  {scope}
                </label>
                <small id={`token-scope-${scope}`} className="hint">
                  {what}
                  {held ? "" : " (you do not hold it, so a token of yours cannot)"}
                </small>
              </div>
            );
          })}
        </div>
        {byField.scopes && (
          <small id="token-scopes-error" className="field-error">
            {byField.scopes}
          </small>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}

/** The new token's secret, shown this once: control-api keeps only its hash. */
function SecretPanel({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string>();
  useEffect(() => heading.current?.focus(), []);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(token.secret);
      setCopied("Copied to the clipboard.");
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopied("Could not copy automatically: the secret is selected, copy it with Ctrl+C (⌘C on a Mac).");
    }
  };

  return (
    <section className="secret-panel" aria-labelledby="secret-title">
      <h2 id="secret-title" ref={heading} tabIndex={-1}>
        Token {token.name} created
      </h2>
      <p>
        <strong>Copy the secret now: you will not see it again.</strong> Nanofleet keeps only a hash of it; if it is lost,
        revoke the token and create another.
      </p>
      <div className="secret-value">
        <input
          ref={input}
          readOnly
          value={token.secret}
          aria-label={`Secret of ${token.name}`}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <button type="button" className="button primary" onClick={() => void copy()}>
          Copy secret
        </button>
      </div>
      <p role="status">{copied}</p>
      <p className="muted">
        Scopes {token.scopes.join(", ")}; expires {dateTime(token.expiresAt)}.
      </p>
      <button type="button" className="button" onClick={onDone}>
        I have copied the secret
      </button>
    </section>
  );
}
