import { useCallback, useMemo, useState } from "react";
import { data, type Schemas } from "../../api/controlApi";
import { describeError } from "../../api/problem";
import { useSession } from "../../app/session";
import { DataTable, type Column } from "../../ui/DataTable";
import { ErrorAlert, Loading, Page } from "../../ui/components";
import { dateTime, money } from "../../ui/format";
import { useReloadOn, useResource } from "../../ui/useResource";
import { approximate } from "../../ui/decimal";
import { loadRevenue, monthOf, monthRange } from "./revenueApi";
import { quotaLines, usageRatio, type QuotaLine } from "./tenantShape";
import "../fleet/fleet.css";

type Tenant = Schemas["Tenant"];
type TenantUsage = Schemas["TenantUsage"];

/** Quota use is loaded at once for this many tenants (a few requests at a time); the others on demand. */
export const USAGE_AT_ONCE = 50;
const IN_FLIGHT = 4;

/** Runs `work` over the items with at most `limit` running at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

type UsageState = TenantUsage | { error: unknown };

export default function TenantsPage() {
  const { api, billing } = useSession();
  const tenants = useResource(async () => (await data(api.GET("/v1/tenants"))).sort((a, b) => a.id.localeCompare(b.id)), [api]);
  // spend holds come and go with billing's events
  useReloadOn(tenants, (e) => e.type === "billing.spend-limit-reached" || e.type === "billing.spend-limit-lifted", 1000);
  const month = monthOf(Date.now());
  const revenue = useResource(() => loadRevenue(billing, monthRange(month)), [billing, month]);

  const firstIds = useMemo(() => (tenants.data ?? []).slice(0, USAGE_AT_ONCE).map((t) => t.id), [tenants.data]);
  const usageOfFirst = useResource(async () => {
    const found = new Map<string, UsageState>();
    await eachLimited(firstIds, IN_FLIGHT, async (id) => {
      try {
        found.set(id, await data(api.GET("/v1/tenants/{id}/usage", { params: { path: { id } } })));
      } catch (error) {
        found.set(id, { error });
      }
    });
    return found;
  }, [api, firstIds.join(",")]);
  const [onDemand, setOnDemand] = useState<Map<string, UsageState | "loading">>(new Map());
  const loadUsage = useCallback(
    async (id: string) => {
      setOnDemand((m) => new Map(m).set(id, "loading"));
      let state: UsageState;
      try {
        state = await data(api.GET("/v1/tenants/{id}/usage", { params: { path: { id } } }));
      } catch (error) {
        state = { error };
      }
      setOnDemand((m) => new Map(m).set(id, state));
    },
    [api],
  );

  const revenueByTenant = useMemo(() => new Map(revenue.data?.byTenant.map((r) => [r.tenant, r.amount])), [revenue.data]);
  const currency = revenue.data?.currency;

  const columns = useMemo<Column<Tenant>[]>(() => {
    const usageOf = (id: string) => usageOfFirst.data?.get(id) ?? onDemand.get(id);
    const quotaCell = (t: Tenant, mode: "hardware" | "shared") => {
      const usage = usageOf(t.id);
      if (usage === "loading" || (usage === undefined && usageOfFirst.loading && firstIds.includes(t.id))) return <span className="muted">loading…</span>;
      if (usage === undefined)
        // one button per tenant (in the first quota column) loads both modes
        return mode === "hardware" ? (
          <button type="button" className="button small" onClick={() => void loadUsage(t.id)}>
            Load quota use of {t.id}
          </button>
        ) : (
          <span className="muted">not loaded</span>
        );
      if ("error" in usage) return <span className="field-error">{describeError(usage.error)}</span>;
      return <Quota lines={quotaLines(usage.quotas, mode)} />;
    };
    const ratio = (t: Tenant, mode: "hardware" | "shared") => {
      const usage = usageOf(t.id);
      return usage && usage !== "loading" && !("error" in usage) ? usageRatio(usage.quotas, mode) : -1;
    };
    return [
      {
        key: "tenant",
        header: "Tenant",
        cell: (t) => (
          <>
            {t.name} <span className="muted mono">{t.id}</span>
          </>
        ),
        sortValue: (t) => t.id,
        filterText: (t) => `${t.id} ${t.name}`,
      },
      {
        key: "trust",
        header: "Trust",
        cell: (t) => (
          <>
            <span className={`badge ${t.trust === "trusted" ? "badge-shared" : "badge-vm"}`}>{t.trust}</span>
            {t.pendingTrust && <span className="muted"> → {t.pendingTrust} when its last shared-kernel replica stops</span>}
          </>
        ),
        sortValue: (t) => t.trust,
      },
      { key: "state", header: "State", cell: (t) => <span className={`badge ${t.state === "active" ? "badge-ok" : "badge-bad"}`}>{t.state}</span>, sortValue: (t) => t.state },
      {
        key: "hold",
        header: "Spend hold",
        cell: (t) =>
          t.spendHold ? (
            <span className="badge badge-bad" title={`since ${dateTime(t.spendHold.since)}, until ${dateTime(t.spendHold.periodEnd)}`}>
              held: {money(t.spendHold.spend, t.spendHold.currency)} of {money(t.spendHold.limit, t.spendHold.currency)}
            </span>
          ) : (
            <span className="muted">none</span>
          ),
        sortValue: (t) => (t.spendHold ? 1 : 0),
        filterText: (t) => (t.spendHold ? "held" : ""),
      },
      { key: "vm", header: "VM quota use", cell: (t) => quotaCell(t, "hardware"), sortValue: (t) => ratio(t, "hardware"), filterText: () => "" },
      { key: "shared", header: "Shared-kernel quota use", cell: (t) => quotaCell(t, "shared"), sortValue: (t) => ratio(t, "shared"), filterText: () => "" },
      {
        key: "revenue",
        header: "Revenue this month",
        cell: (t) => {
          if (revenue.error) return <span className="muted">unavailable</span>;
          if (!revenue.data) return <span className="muted">loading…</span>;
          const amount = revenueByTenant.get(t.id);
          return <span className="mono">{money(amount ?? "0", currency)}</span>;
        },
        sortValue: (t) => approximate(revenueByTenant.get(t.id) ?? "0"),
        filterText: () => "",
      },
    ];
  }, [usageOfFirst.data, usageOfFirst.loading, onDemand, firstIds, loadUsage, revenue.data, revenue.error, revenueByTenant, currency]);

  return (
    <Page title="Tenants">
      <ErrorAlert error={tenants.error} title="Could not load the tenants" />
      <ErrorAlert error={revenue.error} title="Could not load this month's revenue" />
      {!tenants.data ? (
        tenants.loading && <Loading what="the tenants" />
      ) : (
        <>
          {tenants.data.length > USAGE_AT_ONCE && (
            <p className="muted">Quota use is shown for the first {USAGE_AT_ONCE} tenants; load the others' from their rows.</p>
          )}
          <DataTable
            caption="Tenants"
            columns={columns}
            rows={tenants.data}
            rowKey={(t) => t.id}
            initialSort={{ key: "tenant", descending: false }}
            filterLabel="Search tenants"
            empty="No tenant yet."
          />
        </>
      )}
    </Page>
  );
}

function Quota({ lines }: { lines: QuotaLine[] }) {
  if (lines.length === 0) return <span className="muted">no quota</span>;
  return (
    <ul className="quota-lines">
      {lines.map((l) => (
        <li key={l.resource}>
          {l.text}
          <span className="meter" aria-hidden="true">
            <span className="meter-allocated" style={{ width: `${Math.min(100, l.percent)}%` }} />
          </span>
        </li>
      ))}
    </ul>
  );
}
