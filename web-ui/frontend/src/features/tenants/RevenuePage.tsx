import { useMemo, useState } from "react";
import { useSession } from "../../app/session";
import { Chart } from "../../ui/Chart";
import { Empty, ErrorAlert, Field, Loading, Page } from "../../ui/components";
import { dateTime, money } from "../../ui/format";
import { useReloadOn, useResource } from "../../ui/useResource";
import { MODE_COLOUR, TENANT_COLOURS } from "../fleet/colours";
import { modeName } from "../fleet/fleetShape";
import { loadRevenue, loadTopTenants, monthOf, monthRange, type Revenue, type TopTenants } from "./revenueApi";
import { barChart, cents, largestFirst, shareOf, type Amount } from "./revenueShape";
import "../fleet/fleet.css";

export default function RevenuePage() {
  const { billing } = useSession();
  const [month, setMonth] = useState(() => monthOf(Date.now()));
  const range = useMemo(() => monthRange(month), [month]);
  const revenue = useResource(() => loadRevenue(billing, range), [billing, range]);
  const top = useResource(() => loadTopTenants(billing, range, 10), [billing, range]);
  // an invoice finalised or a spend limit reached changes what billing reports
  useReloadOn(revenue, (e) => e.type.startsWith("billing."), 2000);

  return (
    <Page title="Revenue">
      <div className="fleet-filters">
        <Field label="Month" hint="calendar month in UTC">
          {({ id, describedBy }) => (
            <input
              id={id}
              type="month"
              value={month}
              aria-describedby={describedBy}
              onChange={(e) => {
                if (/^\d{4}-\d{2}$/.test(e.target.value)) setMonth(e.target.value);
              }}
            />
          )}
        </Field>
      </div>
      <ErrorAlert error={revenue.error} title="Could not load the revenue" />
      {!revenue.data ? revenue.loading && <Loading what="the revenue" /> : <RevenueView revenue={revenue.data} month={month} />}
      <ErrorAlert error={top.error} title="Could not load the top tenants" />
      {top.data && <TopTenantsView top={top.data} currency={revenue.data?.currency} />}
    </Page>
  );
}

function monthName(month: string): string {
  const [year, number] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, number - 1, 1)).toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" });
}

function RevenueView({ revenue, month }: { revenue: Revenue; month: string }) {
  const { currency, total } = revenue;
  const modes = useMemo(() => revenue.byIsolation.map((r) => ({ key: r.isolation, amount: r.amount })), [revenue]);
  const tenants = useMemo(() => largestFirst(revenue.byTenant.map((r) => ({ key: r.tenant, amount: r.amount }))), [revenue]);
  const days = useMemo(() => [...revenue.byDay].sort((a, b) => a.day.localeCompare(b.day)).map((r) => ({ key: r.day, amount: r.amount })), [revenue]);
  const modeChart = useMemo(
    () => barChart(modes.map((m) => ({ ...m, key: modeName(m.key as "hardware" | "shared") })), "Revenue", currency, modes.map((m) => MODE_COLOUR[m.key as "hardware" | "shared"] ?? "#57606a")),
    [modes, currency],
  );
  const tenantChart = useMemo(() => barChart(tenants.slice(0, 20), "Revenue", currency, TENANT_COLOURS[0]!, true), [tenants, currency]);
  const dayChart = useMemo(() => barChart(days, "Revenue", currency, "#0550ae"), [days, currency]);

  return (
    <>
      <div className="cards">
        <div className="card">
          <div className="figure">{cents(total, currency)}</div>
          <div className="label">revenue in {monthName(month)}, exactly {money(total, currency)}</div>
        </div>
        <div className="card">
          <div className="figure">{cents(revenue.unbilled, currency)}</div>
          <div className="label">usage not yet invoiced, exactly {money(revenue.unbilled, currency)}</div>
        </div>
        <div className="card">
          <div className="figure">{revenue.byTenant.length}</div>
          <div className="label">tenants with revenue</div>
        </div>
      </div>
      <p className="muted">
        From {dateTime(revenue.from)} to {dateTime(revenue.to)}, as of {dateTime(revenue.asOf)}: reserved usage as the meter rates it, before free grants.
      </p>

      <section aria-labelledby="revenue-modes">
        <h2 id="revenue-modes">By isolation mode</h2>
        {modes.length === 0 ? (
          <Empty>No revenue in this month.</Empty>
        ) : (
          <div className="fleet-split">
            <Chart config={modeChart} label="Revenue by isolation mode; the amounts are in the table beside it" />
            <AmountTable caption="Revenue by isolation mode" keyHeader="Mode" rows={modes} total={total} currency={currency} name={(k) => modeName(k as "hardware" | "shared")} />
          </div>
        )}
      </section>

      <section aria-labelledby="revenue-tenants">
        <h2 id="revenue-tenants">By tenant</h2>
        {tenants.length === 0 ? (
          <Empty>No tenant had revenue in this month.</Empty>
        ) : (
          <div className="fleet-split">
            <Chart config={tenantChart} label={`Revenue by tenant${tenants.length > 20 ? ", the 20 largest" : ""}; the amounts are in the table beside it`} />
            <AmountTable caption="Revenue by tenant" keyHeader="Tenant" rows={tenants} total={total} currency={currency} />
          </div>
        )}
      </section>

      <section aria-labelledby="revenue-days">
        <h2 id="revenue-days">By day (UTC)</h2>
        {days.length === 0 ? (
          <Empty>No revenue in this month.</Empty>
        ) : (
          <div className="fleet-split">
            <Chart config={dayChart} label="Revenue by day; the amounts are in the table beside it" />
            <AmountTable caption="Revenue by day" keyHeader="Day" rows={days} total={total} currency={currency} />
          </div>
        )}
      </section>
    </>
  );
}

function AmountTable({
  caption,
  keyHeader,
  rows,
  total,
  currency,
  name = (k) => k,
}: {
  caption: string;
  keyHeader: string;
  rows: Amount[];
  total: string;
  currency: string;
  name?: (key: string) => string;
}) {
  return (
    <div>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{keyHeader}</th>
            <th scope="col">Amount</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{name(r.key)}</th>
              <td className="mono amount">{money(r.amount, currency)}</td>
              <td>{shareOf(r.amount, total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TopTenantsView({ top, currency }: { top: TopTenants; currency: string | undefined }) {
  return (
    <section aria-labelledby="revenue-top">
      <h2 id="revenue-top">Top tenants</h2>
      {top.tenants.length === 0 ? (
        <Empty>No tenant had revenue in this month.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Top tenants by revenue</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Tenant</th>
              <th scope="col">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {top.tenants.map((t, i) => (
              <tr key={t.tenant}>
                <td>{i + 1}</td>
                <th scope="row">{t.tenant}</th>
                <td className="mono amount">{currency ? money(t.amount, currency) : t.amount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
