/** tenant-billing's operator endpoints, read with exact decimals. */
import type { BillingApi, BillingSchemas } from "../../api/billingApi";
import { data } from "../../api/controlApi";
import { readExact, type Exact } from "../../api/exactJson";

export type Revenue = Exact<BillingSchemas["Revenue"]>;
export type TopTenants = Exact<BillingSchemas["TopTenants"]>;

export interface Range {
  from: string;
  to: string;
}

/** "2026-03" in UTC for the given time. */
export function monthOf(time: number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/** A calendar month in UTC as the half-open range [first day, first day of the next month). */
export function monthRange(month: string): Range {
  const [year, number] = month.split("-").map(Number) as [number, number];
  const from = new Date(Date.UTC(year, number - 1, 1));
  const to = new Date(Date.UTC(year, number, 1));
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
  return { from: iso(from), to: iso(to) };
}

/** GET /v1/operator/revenue?from=&to=. */
export async function loadRevenue(billing: BillingApi, range: Range): Promise<Revenue> {
  const text = await data(billing.GET("/v1/operator/revenue", { params: { query: range }, parseAs: "text" }));
  return readExact<BillingSchemas["Revenue"]>(text);
}

/** GET /v1/operator/top-tenants?from=&to=&limit=. */
export async function loadTopTenants(billing: BillingApi, range: Range, limit = 10): Promise<TopTenants> {
  const text = await data(billing.GET("/v1/operator/top-tenants", { params: { query: { ...range, limit } }, parseAs: "text" }));
  return readExact<BillingSchemas["TopTenants"]>(text);
}
