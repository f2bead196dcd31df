import { useMemo, type ReactNode } from "react";
import { Link } from "react-router";
import { Chart } from "../../ui/Chart";
import { Empty, ErrorAlert, IsolationBadge, Loading } from "../../ui/components";
import { DataTable, type Column } from "../../ui/DataTable";
import { dateTime, money } from "../../ui/format";
import type { Resource } from "../../ui/useResource";
import { MODE_NAMES, type Forecast, type Usage } from "./billingTypes";
import { approximate, grouped, isZero, round, sum } from "../../ui/decimal";
import {
  byDay,
  byDeployment,
  byMode,
  CHART_DEPLOYMENTS,
  dayChart,
  deploymentChart,
  modeChart,
  periodText,
  type DayTotals,
  type DeploymentTotals,
  type Totals,
} from "./usageShape";

/** A quantity for reading: rounded to a tenth, thousands grouped (costs are never rounded). */
export function quantity(value: string): string {
  return grouped(round(value, 1));
}

/** The headline figures: spent so far, the forecast and when the period ends. */
export function PeriodCards({ usage, forecast }: { usage: Resource<Usage>; forecast: Resource<Forecast> }) {
  const f = forecast.data;
  const u = usage.data;
  const currency = f?.currency ?? u?.currency;
  const period = f?.period ?? u?.period;
  return (
    <>
      <ErrorAlert error={forecast.error} title="Could not load the forecast" />
      <div className="cards period-cards">
        <Card label="Spent so far" pending={!f && forecast.loading}>
          {f && (
            <>
              <p className="figure">{money(f.soFar, currency)}</p>
              <p className="label">after the free grant, as of {dateTime(f.asOf)}</p>
            </>
          )}
        </Card>
        <Card label="Forecast for the period" pending={!f && forecast.loading}>
          {f && (
            <>
              <p className="figure">{money(f.amountDueProjected, currency)}</p>
              <p className="label">
                at the current rate of {money(f.perHour, currency)} an hour (exactly {money(f.projected, currency)})
              </p>
            </>
          )}
        </Card>
        <Card label="Period ends" pending={!period && (forecast.loading || usage.loading)}>
          {period && (
            <>
              <p className="figure figure-date">{dateTime(period.end)}</p>
              <p className="label">this period: {periodText(period)}</p>
            </>
          )}
        </Card>
        <Card label="Reserved usage" pending={!u && usage.loading}>
          {u && (
            <>
              <p className="figure">{money(u.cost, u.currency)}</p>
              <p className="label">
                before the free grant
                {!isZero(u.freeGrantCredit) && <>, of which the free grant covers {money(u.freeGrantCredit, u.currency)}</>}
              </p>
            </>
          )}
        </Card>
      </div>
    </>
  );
}

/** A headline figure; while it loads a placeholder of the same height, so nothing jumps when it arrives. */
function Card({ label, pending, children }: { label: string; pending: boolean; children: ReactNode }) {
  const empty = !children || (Array.isArray(children) && children.every((c) => !c));
  return (
    <div className="card">
      <h3 className="label card-title">{label}</h3>
      {pending ? (
        <p className="figure muted">
          <span aria-hidden="true">…</span>
          <span className="visually-hidden">loading</span>
        </p>
      ) : empty ? (
        <p className="figure muted">not available</p>
      ) : (
        children
      )}
    </div>
  );
}

const QUANTITY_HEADERS: [keyof Totals, string][] = [
  ["reservedVcpuSeconds", "vCPU-s reserved (billed)"],
  ["usedVcpuSeconds", "vCPU-s used (measured)"],
  ["reservedGibSeconds", "GiB-s reserved (billed)"],
  ["usedGibSeconds", "GiB-s used (measured)"],
];

function quantityColumns<T extends Totals>(): Column<T>[] {
  return QUANTITY_HEADERS.map(([key, header]) => ({
    key,
    header,
    cell: (row: T) => <span className="num">{quantity(row[key])}</span>,
    sortValue: (row: T) => approximate(row[key]),
  }));
}

/** The period's usage split by isolation mode, by deployment and by UTC day: charts with the same figures as tables. */
export function UsageBreakdown({ usage }: { usage: Resource<Usage> }) {
  const u = usage.data;
  const shaped = useMemo(() => {
    if (!u) return undefined;
    const modes = byMode(u.rows);
    const deployments = byDeployment(u.rows);
    const days = byDay(u.rows);
    return {
      modes,
      deployments,
      days,
      modeChart: modeChart(modes, u.currency),
      deploymentChart: deploymentChart(deployments, u.currency),
      dayChart: dayChart(days, u.currency),
    };
  }, [u]);

  if (!u || !shaped) {
    return (
      <>
        <ErrorAlert error={usage.error} title="Could not load this period's usage" />
        {usage.loading && <Loading what="this period's usage" />}
      </>
    );
  }
  const currency = u.currency;
  const deploymentColumns: Column<DeploymentTotals>[] = [
    {
      key: "name",
      header: "Deployment",
      cell: (d) => <Link to={`/deployments/${d.deploymentId}`}>{d.name}</Link>,
      sortValue: (d) => d.name,
    },
    {
      key: "modes",
      header: "Isolation",
      cell: (d) => (
        <span className="badges">
          {d.modes.map((m) => (
            <IsolationBadge key={m} isolation={m} />
          ))}
        </span>
      ),
      filterText: (d) => d.modes.map((m) => MODE_NAMES[m]).join(" "),
    },
    ...quantityColumns<DeploymentTotals>(),
    { key: "cost", header: "Cost", cell: (d) => <span className="num">{money(d.cost, currency)}</span>, sortValue: (d) => approximate(d.cost) },
  ];
  const dayColumns: Column<DayTotals>[] = [
    { key: "day", header: "Day (UTC)", cell: (d) => d.day, sortValue: (d) => d.day },
    ...(["hardware", "shared"] as const).map((mode) => ({
      key: mode,
      header: MODE_NAMES[mode],
      cell: (d: DayTotals) => <span className="num">{money(d.costByMode[mode], currency)}</span>,
      sortValue: (d: DayTotals) => approximate(d.costByMode[mode]),
    })),
    { key: "cost", header: "Total", cell: (d) => <span className="num">{money(d.cost, currency)}</span>, sortValue: (d) => approximate(d.cost) },
  ];

  return (
    <>
      <ErrorAlert error={usage.error} title="Could not refresh this period's usage" />
      <p className="muted">
        Billed is what your replicas <em>reserved</em> (requested vCPU and memory for each second they ran); what they
        measurably <em>used</em> is shown beside it and not billed. Quantities are rounded to a tenth; costs are exact.
        As of {dateTime(u.asOf)}.
      </p>
      {u.rows.length === 0 ? (
        <Empty>No usage yet this period: nothing has run since {dateTime(u.period.start)}.</Empty>
      ) : (
        <>
          <section aria-labelledby="by-mode" className="billing-section">
            <h2 id="by-mode">By isolation mode</h2>
            <div className="billing-grid">
              <Chart config={shaped.modeChart} label={`Cost this period by isolation mode: ${shaped.modes.map((m) => `${MODE_NAMES[m.mode]} ${money(m.cost, currency)}`).join(", ")}`} />
              <ModeTable usage={u} />
            </div>
          </section>

          <section aria-labelledby="by-deployment" className="billing-section">
            <h2 id="by-deployment">By deployment</h2>
            <div className="bars-chart" style={{ ["--bars" as string]: Math.min(shaped.deployments.length, CHART_DEPLOYMENTS) }}>
              <Chart
                config={shaped.deploymentChart}
                label={`Cost this period by deployment, split by isolation mode${shaped.deployments.length > CHART_DEPLOYMENTS ? ` (the ${CHART_DEPLOYMENTS} costliest)` : ""}; the table below has the figures`}
              />
            </div>
            <DataTable
              caption="Usage by deployment this period"
              columns={deploymentColumns}
              rows={shaped.deployments}
              rowKey={(d) => d.deploymentId}
              initialSort={{ key: "cost", descending: true }}
              filterLabel="Filter deployments"
            />
          </section>

          <section aria-labelledby="by-day" className="billing-section">
            <h2 id="by-day">By UTC day</h2>
            <Chart config={shaped.dayChart} label="Cost per UTC day this period, stacked by isolation mode; the table below has the figures" />
            <DataTable caption="Cost per UTC day this period" columns={dayColumns} rows={shaped.days} rowKey={(d) => d.day} initialSort={{ key: "day", descending: true }} />
          </section>
        </>
      )}
    </>
  );
}

/** Reserved beside measured per mode, with the API's own total cost. */
function ModeTable({ usage }: { usage: Usage }) {
  const modes = byMode(usage.rows);
  const all = (key: keyof Totals) => sum(modes.map((m) => m[key]));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Usage by isolation mode this period">
      <table className="stack">
        <caption className="visually-hidden">Usage by isolation mode this period</caption>
        <thead>
          <tr>
            <th scope="col">Isolation</th>
            {QUANTITY_HEADERS.map(([key, header]) => (
              <th key={key} scope="col">
                {header}
              </th>
            ))}
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {modes.map((m) => (
            <tr key={m.mode}>
              <th scope="row" data-label="Isolation">
                <IsolationBadge isolation={m.mode} />
              </th>
              {QUANTITY_HEADERS.map(([key, header]) => (
                <td key={key} data-label={header} className="num">
                  {quantity(m[key])}
                </td>
              ))}
              <td data-label="Cost" className="num">
                {money(m.cost, usage.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" data-label="Isolation">
              All
            </th>
            {QUANTITY_HEADERS.map(([key, header]) => (
              <td key={key} data-label={header} className="num">
                {quantity(all(key))}
              </td>
            ))}
            <td data-label="Cost" className="num">
              <strong>{money(usage.cost, usage.currency)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
