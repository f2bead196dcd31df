import { useId } from "react";
import { data, type Schemas } from "../../api/controlApi";
import { useSession } from "../../app/session";
import type { EventEntry } from "../../live/eventStream";
import { Empty, ErrorAlert, Loading, Page } from "../../ui/components";
import { cores, mebibytes } from "../../ui/format";
import { useReloadOn, useResource } from "../../ui/useResource";
import { SpendHoldBanner } from "../../ui/SpendHoldBanner";
import "../usage/billing.css";

type QuotaUse = Schemas["QuotaUse"];
type Mode = QuotaUse["isolation"];
type Resource = QuotaUse["resource"];

const MODES: { mode: Mode; title: string; short: string }[] = [
  { mode: "hardware", title: "VM (hardware isolation)", short: "VM" },
  { mode: "shared", title: "Shared kernel", short: "Shared kernel" },
];

const RESOURCES: { resource: Resource; name: string; inLabel: string; amount: (n: number) => string }[] = [
  { resource: "cpuMillis", name: "CPU", inLabel: "CPU", amount: cores },
  { resource: "memoryMiB", name: "Memory", inLabel: "memory", amount: mebibytes },
  { resource: "instances", name: "Instances", inLabel: "instances", amount: (n) => String(n) },
];

/** "1.5 vCPU used of 16 vCPU": a quota's use in words, as its meter shows it. */
export function quotaText(use: Pick<QuotaUse, "resource" | "used" | "limit">): string {
  const amount = RESOURCES.find((r) => r.resource === use.resource)?.amount ?? String;
  return `${amount(use.used)} used of ${amount(use.limit)}`;
}

/** What changes what a tenant holds against its quotas: its deployments coming, going and resizing. */
export function changesQuotaUse(event: EventEntry): boolean {
  return ["deployment.created", "deployment.scaled", "deployment.revised", "deployment.deleted"].includes(event.type);
}

export default function QuotasPage() {
  const { api, me } = useSession();
  const tenant = me.tenant ?? "";
  const usage = useResource(() => data(api.GET("/v1/tenants/{id}/usage", { params: { path: { id: tenant } } })), [api, tenant]);
  useReloadOn(usage, changesQuotaUse, 1000);

  return (
    <Page title="Quotas">
      <p className="muted">
        What your live deployments reserve (replicas × resources, stopped ones included) against your tenant&apos;s quotas,
        per isolation mode. A create or scale-up past a quota is refused; scaling down never is. Operators set the quotas.
      </p>
      <ErrorAlert error={usage.error} title="Could not load your quotas" />
      {!usage.data && usage.loading && <Loading what="your quotas" />}
      {usage.data && (
        <>
          <SpendHoldBanner hold={usage.data.spendHold} linkToLimit />
          {usage.data.quotas.length === 0 ? (
            <Empty>The API reports no quotas for your tenant.</Empty>
          ) : (
            <div className="quota-modes">
              {MODES.map(({ mode, title, short }) => (
                <QuotaMode key={mode} title={title} short={short} uses={usage.data!.quotas.filter((q) => q.isolation === mode)} />
              ))}
            </div>
          )}
        </>
      )}
    </Page>
  );
}

function QuotaMode({ title, short, uses }: { title: string; short: string; uses: QuotaUse[] }) {
  const id = useId();
  if (uses.length === 0) return null;
  return (
    <section className="card quota-mode" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {RESOURCES.map(({ resource, name, inLabel }) => {
        const use = uses.find((u) => u.resource === resource);
        return use ? <QuotaMeter key={resource} label={`${short} ${inLabel}`} name={name} use={use} /> : null;
      })}
    </section>
  );
}

function QuotaMeter({ label, name, use }: { label: string; name: string; use: QuotaUse }) {
  const id = useId();
  const over = use.used > use.limit;
  const max = Math.max(use.limit, 1);
  return (
    <div className="quota-meter">
      <span className="quota-name" aria-hidden="true">
        {name}
      </span>
      <meter
        aria-label={label}
        aria-describedby={`${id}-text`}
        min={0}
        max={max}
        low={max * 0.75}
        high={max * 0.9}
        optimum={0}
        value={Math.min(use.used, max)}
      />
      <span id={`${id}-text`}>
        {quotaText(use)}
        {use.limit === 0 && " (none allowed)"}
        {over && (
          <>
            {" "}
            <span className="badge badge-bad">over the limit</span>
          </>
        )}
      </span>
    </div>
  );
}
