import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/tenant-billing";
import { bearer, type TokenSource } from "./controlApi";

export type BillingApi = Client<paths>;
export type BillingSchemas = components["schemas"];

/** tenant-billing (usage, invoices, spend limits, revenue), typed from its OpenAPI document. */
export function billingApi(baseUrl: string, token: TokenSource, fetcher?: typeof fetch): BillingApi {
  const client = createClient<paths>({ baseUrl, ...(fetcher ? { fetch: fetcher } : {}) });
  client.use(bearer(token));
  return client;
}
