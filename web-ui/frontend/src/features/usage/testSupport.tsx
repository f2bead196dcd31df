// Test support for the billing pages: answers shaped like tenant-billing's OpenAPI document, with exact decimals.
import { dec, FakeApi } from "../../test/fakeSession";

export const PERIOD = { start: "2026-03-01T00:00:00Z", end: "2026-04-01T00:00:00Z" };

export const WEB = "6f1c1f0e-8a51-4f55-9c2e-1d1b7a0c0001";
export const WORKER = "6f1c1f0e-8a51-4f55-9c2e-1d1b7a0c0002";

/** Two deployments, one per mode, over two days: costs chosen so floating point would show (0.1 + 0.2). */
export function usageAnswer() {
  const row = (deploymentId: string, deploymentName: string, isolation: "hardware" | "shared", day: string, cost: string) => ({
    deploymentId,
    deploymentName,
    isolation,
    day,
    reservedVcpuSeconds: dec("3600"),
    reservedGibSeconds: dec("1800.5"),
    usedVcpuSeconds: dec("1200.25"),
    usedGibSeconds: dec("900.0000000001"),
    cost: dec(cost),
  });
  return {
    tenant: "globex",
    period: PERIOD,
    asOf: "2026-03-02T12:00:00Z",
    currency: "USD",
    cost: dec("1.423469289012345678"),
    freeGrantCredit: dec("0"),
    rows: [
      row(WEB, "web", "hardware", "2026-03-01", "0.1"),
      row(WEB, "web", "hardware", "2026-03-02", "0.2"),
      row(WORKER, "worker", "shared", "2026-03-01", "0.0000125"),
      row(WORKER, "worker", "shared", "2026-03-02", "1.123456789012345678"),
    ],
  };
}

export function forecastAnswer() {
  return {
    tenant: "globex",
    period: PERIOD,
    asOf: "2026-03-02T12:00:00Z",
    currency: "USD",
    soFar: dec("1.423469289012345678"),
    perHour: dec("0.055"),
    projected: dec("39.123469289012345678"),
    amountDueProjected: dec("39.12"),
  };
}

export const INVOICE_ID = "0d9a3e39-3c6c-4f0b-9d59-2f1f5d6b7e11";

export function invoiceSummaries() {
  return [
    {
      id: INVOICE_ID,
      number: 1,
      displayNumber: "NF-globex-00001",
      period: { start: "2026-02-01T00:00:00Z", end: "2026-03-01T00:00:00Z" },
      currency: "USD",
      total: dec("12.3456789"),
      amountDue: dec("12.35"),
      finalizedAt: "2026-03-01T01:00:00Z",
      links: { self: `/v1/invoices/${INVOICE_ID}`, csv: `/v1/invoices/${INVOICE_ID}.csv`, pdf: `/v1/invoices/${INVOICE_ID}.pdf` },
    },
  ];
}

export function invoiceAnswer() {
  const [summary] = invoiceSummaries();
  return {
    ...summary!,
    tenant: "globex",
    lines: [
      {
        kind: "usage",
        deploymentId: WEB,
        deploymentName: "web",
        isolation: "hardware",
        resource: "vcpu",
        unit: "vCPU-s",
        priceVersion: "launch",
        from: "2026-02-01T00:00:00Z",
        to: "2026-03-01T00:00:00Z",
        quantity: dec("914496.2"),
        unitPrice: dec("0.0000135"),
        amount: dec("12.3456987"),
      },
      {
        kind: "adjustment",
        deploymentId: WEB,
        deploymentName: "web",
        isolation: "hardware",
        resource: "memory",
        unit: "GiB-s",
        priceVersion: "launch",
        from: "2026-01-01T00:00:00Z",
        to: "2026-02-01T00:00:00Z",
        quantity: dec("-10.4210526316"),
        unitPrice: dec("0.0000019"),
        amount: dec("-0.0000198"),
      },
    ],
  };
}

export function spendLimitAnswer(overrides: Record<string, unknown> = {}) {
  return {
    limit: { amount: dec("50.00"), currency: "USD", alertThresholds: [75, 90, 100], hard: true, updatedAt: "2026-03-01T09:00:00Z" },
    period: PERIOD,
    spend: dec("40.5"),
    alertsSent: [75],
    heldSince: null,
    ...overrides,
  };
}

/** A FakeApi answering every billing read of the usage page. */
export function billingApi(): FakeApi {
  return new FakeApi()
    .on("GET", "/v1/usage", [200, usageAnswer()])
    .on("GET", "/v1/usage/forecast", [200, forecastAnswer()])
    .on("GET", "/v1/invoices", [200, invoiceSummaries()])
    .on("GET", `/v1/invoices/${INVOICE_ID}`, [200, invoiceAnswer()])
    .on("GET", "/v1/spend-limit", [200, spendLimitAnswer()]);
}
