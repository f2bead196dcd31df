import type { BillingApi, BillingSchemas } from "../../api/billingApi";
import { data } from "../../api/controlApi";
import { errorFrom } from "../../api/problem";
import type { Forecast, Invoice, InvoiceSummary, SpendLimitStatus, Usage } from "./billingTypes";
import { readExact } from "../../api/exactJson";

// Every billing answer is read as text and parsed by readExact, so its decimals stay exact.

export async function loadUsage(billing: BillingApi): Promise<Usage> {
  return readExact<BillingSchemas["Usage"]>(await data(billing.GET("/v1/usage", { parseAs: "text" })));
}

export async function loadForecast(billing: BillingApi): Promise<Forecast> {
  return readExact<BillingSchemas["Forecast"]>(await data(billing.GET("/v1/usage/forecast", { parseAs: "text" })));
}

export async function loadInvoices(billing: BillingApi): Promise<InvoiceSummary[]> {
  return readExact<BillingSchemas["InvoiceSummary"][]>(await data(billing.GET("/v1/invoices", { parseAs: "text" })));
}

export async function loadInvoice(billing: BillingApi, id: string): Promise<Invoice> {
  return readExact<BillingSchemas["Invoice"]>(
    await data(billing.GET("/v1/invoices/{id}", { params: { path: { id } }, parseAs: "text" })),
  );
}

export async function loadSpendLimit(billing: BillingApi): Promise<SpendLimitStatus> {
  return readExact<BillingSchemas["SpendLimitStatus"]>(await data(billing.GET("/v1/spend-limit", { parseAs: "text" })));
}

export interface SpendLimitForm {
  /** as typed: the API reads a string holding a number exactly (API.md), so no float is involved */
  amount: string;
  /** absent: the API's default (75, 90, 100) */
  alertThresholds?: number[];
  hard: boolean;
}

export async function setSpendLimit(billing: BillingApi, form: SpendLimitForm): Promise<SpendLimitStatus> {
  // The OpenAPI document types amount as a number; API.md: "a JSON number or a string holding one".
  const body = { ...form, amount: form.amount.trim() as unknown as number };
  return readExact<BillingSchemas["SpendLimitStatus"]>(await data(billing.PUT("/v1/spend-limit", { body, parseAs: "text" })));
}

export async function removeSpendLimit(billing: BillingApi): Promise<SpendLimitStatus> {
  return readExact<BillingSchemas["SpendLimitStatus"]>(await data(billing.DELETE("/v1/spend-limit", { parseAs: "text" })));
}

/** The file name a Content-Disposition header gives (filename* in UTF-8 first, then filename), else the fallback. */
export function fileNameFrom(contentDisposition: string | null, fallback: string): string {
  if (contentDisposition) {
    const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(contentDisposition);
    if (extended?.[1]) {
      try {
        return decodeURIComponent(extended[1].trim());
      } catch {
        // a malformed escape: fall through to the plain name
      }
    }
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentDisposition);
    const name = plain?.[1]?.replace(/\\(.)/g, "$1") ?? plain?.[2];
    if (name) return name.replace(/[/\\]/g, "_");
  }
  return fallback;
}

export type InvoiceFormat = "pdf" | "csv";

/**
 * Downloads an invoice's PDF or CSV: the files need the bearer token, so a plain link cannot fetch them. The answer is
 * saved through a Blob URL under the name billing gives it (Content-Disposition), else the invoice's number.
 */
export async function downloadInvoice(
  billingUrl: string,
  token: () => Promise<string>,
  invoice: { id: string; displayNumber: string },
  format: InvoiceFormat,
): Promise<void> {
  const response = await fetch(`${billingUrl}/v1/invoices/${encodeURIComponent(invoice.id)}.${format}`, {
    headers: {
      Authorization: `Bearer ${await token()}`,
      Accept: format === "pdf" ? "application/pdf, application/problem+json" : "text/csv, application/problem+json",
    },
  });
  if (!response.ok) throw await errorFrom(response);
  const blob = await response.blob();
  const name = fileNameFrom(response.headers.get("Content-Disposition"), `${invoice.displayNumber}.${format}`);
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // let the browser start the download before the URL goes
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
