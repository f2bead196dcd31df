/** The revenue page's figures: sorted, shared out and charted from exact amounts. Pure. */
import type { ChartConfiguration } from "chart.js";
import { money } from "../../ui/format";
import { approximate, compare, roundHalfEven } from "../../ui/decimal";

export interface Amount {
  key: string;
  amount: string;
}

/** Largest first, then by key. */
export function largestFirst(rows: Amount[]): Amount[] {
  return [...rows].sort((a, b) => compare(b.amount, a.amount) || a.key.localeCompare(b.key));
}

/** A share of the total in whole percent for reading ("12 %"), "–" when the total is zero. */
export function shareOf(amount: string, total: string): string {
  const whole = approximate(total);
  return whole > 0 ? `${Math.round((approximate(amount) / whole) * 100)} %` : "–";
}

/** For a card: to the cent, half-even. */
export const cents = (amount: string, currency: string) => money(roundHalfEven(amount, 2), currency);

/** A bar chart whose tooltips tell the exact amount (the bar itself is only the nearest double). */
export function barChart(rows: Amount[], label: string, currency: string, colours: string | string[], horizontal = false): ChartConfiguration {
  return {
    type: "bar",
    data: {
      labels: rows.map((r) => r.key),
      datasets: [{ label, data: rows.map((r) => approximate(r.amount)), backgroundColor: colours }],
    },
    options: {
      ...(horizontal ? { indexAxis: "y" as const } : {}),
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => money(rows[item.dataIndex]?.amount, currency) } },
      },
    },
  };
}
