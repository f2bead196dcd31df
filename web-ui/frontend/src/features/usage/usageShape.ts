import type { ChartConfiguration, TooltipItem } from "chart.js";
import { MODE_COLOURS } from "../../ui/Chart";
import { money } from "../../ui/format";
import { approximate, compare, sum } from "../../ui/decimal";
import { MODE_NAMES, MODES, type Mode, type Period, type UsageRow } from "./billingTypes";

/** Reserved (billed) and used (measured) quantities with their exact cost: one group of usage rows summed. */
export interface Totals {
  cost: string;
  reservedVcpuSeconds: string;
  reservedGibSeconds: string;
  usedVcpuSeconds: string;
  usedGibSeconds: string;
}

function totals(rows: readonly UsageRow[]): Totals {
  return {
    cost: sum(rows.map((r) => r.cost)),
    reservedVcpuSeconds: sum(rows.map((r) => r.reservedVcpuSeconds)),
    reservedGibSeconds: sum(rows.map((r) => r.reservedGibSeconds)),
    usedVcpuSeconds: sum(rows.map((r) => r.usedVcpuSeconds)),
    usedGibSeconds: sum(rows.map((r) => r.usedGibSeconds)),
  };
}

export interface ModeTotals extends Totals {
  mode: Mode;
}

/** This period's usage per isolation mode, both modes always present (a mode not used is zero). */
export function byMode(rows: readonly UsageRow[]): ModeTotals[] {
  return MODES.map((mode) => ({ mode, ...totals(rows.filter((r) => r.isolation === mode)) }));
}

export interface DeploymentTotals extends Totals {
  deploymentId: string;
  /** the name billing knows, else the id (billing may not know a name: deploymentName is optional) */
  name: string;
  modes: Mode[];
  /** cost per mode, for the stacked bar */
  costByMode: Record<Mode, string>;
}

/** This period's usage per deployment, costliest first (ties by name). */
export function byDeployment(rows: readonly UsageRow[]): DeploymentTotals[] {
  const groups = new Map<string, UsageRow[]>();
  for (const row of rows) groups.set(row.deploymentId, [...(groups.get(row.deploymentId) ?? []), row]);
  return [...groups.entries()]
    .map(([deploymentId, group]) => ({
      deploymentId,
      name: group.find((r) => r.deploymentName)?.deploymentName ?? deploymentId,
      modes: MODES.filter((m) => group.some((r) => r.isolation === m)),
      costByMode: costByMode(group),
      ...totals(group),
    }))
    .sort((a, b) => compare(b.cost, a.cost) || a.name.localeCompare(b.name));
}

export interface DayTotals {
  day: string;
  costByMode: Record<Mode, string>;
  cost: string;
}

function costByMode(rows: readonly UsageRow[]): Record<Mode, string> {
  return {
    hardware: sum(rows.filter((r) => r.isolation === "hardware").map((r) => r.cost)),
    shared: sum(rows.filter((r) => r.isolation === "shared").map((r) => r.cost)),
  };
}

/** This period's cost per UTC day and mode, oldest day first; only days with rows (billing sends no empty days). */
export function byDay(rows: readonly UsageRow[]): DayTotals[] {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  return days.map((day) => {
    const group = rows.filter((r) => r.day === day);
    return { day, costByMode: costByMode(group), cost: sum(group.map((r) => r.cost)) };
  });
}

/** Tooltips show the exact amount (the bar's length is only the nearest double). */
function exactTooltip(exact: string[][], currency: string) {
  return {
    callbacks: {
      label: (item: TooltipItem<"bar" | "doughnut">) =>
        `${item.dataset.label ? `${item.dataset.label}: ` : ""}${money(exact[item.datasetIndex]?.[item.dataIndex], currency)}`,
    },
  };
}

/** A doughnut of the period's cost by mode, VM and shared kernel in their colours. */
export function modeChart(modes: readonly ModeTotals[], currency: string): ChartConfiguration<"doughnut"> {
  return {
    type: "doughnut",
    data: {
      labels: modes.map((m) => MODE_NAMES[m.mode]),
      datasets: [
        {
          label: "Cost",
          data: modes.map((m) => approximate(m.cost)),
          backgroundColor: modes.map((m) => MODE_COLOURS[m.mode]),
        },
      ],
    },
    options: {
      plugins: { legend: { position: "bottom" }, tooltip: exactTooltip([modes.map((m) => m.cost)], currency) },
    },
  };
}

function stackedBars(
  labels: string[],
  costs: Record<Mode, string>[],
  currency: string,
  horizontal: boolean,
): ChartConfiguration<"bar"> {
  const exact = MODES.map((mode) => costs.map((c) => c[mode]));
  const valueAxis = { stacked: true, beginAtZero: true, title: { display: true, text: `Cost (${currency})` } };
  return {
    type: "bar",
    data: {
      labels,
      datasets: MODES.map((mode, i) => ({
        label: MODE_NAMES[mode],
        data: exact[i]!.map(approximate),
        backgroundColor: MODE_COLOURS[mode],
      })),
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      scales: horizontal ? { x: valueAxis, y: { stacked: true } } : { x: { stacked: true }, y: valueAxis },
      plugins: { legend: { position: "bottom" }, tooltip: exactTooltip(exact, currency) },
    },
  };
}

/** How many deployments the chart draws (the table lists them all). */
export const CHART_DEPLOYMENTS = 12;

/** Horizontal bars of the costliest deployments, each split by mode. */
export function deploymentChart(deployments: readonly DeploymentTotals[], currency: string): ChartConfiguration<"bar"> {
  const shown = deployments.slice(0, CHART_DEPLOYMENTS);
  return stackedBars(
    shown.map((d) => d.name),
    shown.map((d) => d.costByMode),
    currency,
    true,
  );
}

/** Bars per UTC day, stacked by mode. */
export function dayChart(days: readonly DayTotals[], currency: string): ChartConfiguration<"bar"> {
  return stackedBars(
    days.map((d) => d.day),
    days.map((d) => d.costByMode),
    currency,
    false,
  );
}

const DAY = 86_400_000;

/**
 * A half-open period in words: whole UTC days read as the first and last day ("2026-01-01 to 2026-01-31"); other
 * periods (short demo periods) as their instants.
 */
export function periodText(period: Period): string {
  const start = new Date(period.start);
  const end = new Date(period.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${period.start} to ${period.end}`;
  const wholeDays = start.getTime() % DAY === 0 && end.getTime() % DAY === 0;
  if (wholeDays) {
    const last = new Date(end.getTime() - DAY);
    return `${start.toISOString().slice(0, 10)} to ${last.toISOString().slice(0, 10)}`;
  }
  const instant = (d: Date) => d.toISOString().replace("T", " ").replace(/(:00)?\.\d+Z$/, "").replace(/Z$/, "");
  return `${instant(start)} to ${instant(end)} UTC`;
}
