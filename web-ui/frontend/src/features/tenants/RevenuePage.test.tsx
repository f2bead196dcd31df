import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { dec, FakeApi, OPS, renderPage } from "../../test/fakeSession";
import { monthRange } from "./revenueApi";
import RevenuePage from "./RevenuePage";

// Chart.js cannot draw in jsdom: the chart's accessible name stands in for it
vi.mock("../../ui/Chart", async (importOriginal) => (await import("../../test/chartStub")).chartStub(importOriginal));

function billing() {
  return new FakeApi()
    .on("GET", "/v1/operator/revenue", (sent) => [
      200,
      {
        from: sent.url.searchParams.get("from"),
        to: sent.url.searchParams.get("to"),
        currency: "USD",
        total: dec("30.0000000000000000015"),
        byIsolation: [
          { isolation: "hardware", amount: dec("20.0000000000000000010") },
          { isolation: "shared", amount: dec("10.0000000000000000005") },
        ],
        byTenant: [
          { tenant: "globex", amount: dec("10.0000000000000000005") },
          { tenant: "acme", amount: dec("20.0000000000000000010") },
        ],
        byDay: [
          { day: "2026-03-02", amount: dec("18") },
          { day: "2026-03-01", amount: dec("12.0000000000000000015") },
        ],
        unbilled: dec("4.125"),
        asOf: "2026-03-10T12:00:00Z",
      },
    ])
    .on("GET", "/v1/operator/top-tenants", [200, { from: "x", to: "y", limit: 10, tenants: [{ tenant: "acme", amount: dec("20.0000000000000000010") }] }]);
}

describe("RevenuePage", () => {
  it("shows the month's revenue by mode, tenant and day, exactly, with usage not yet invoiced and the top tenants", async () => {
    renderPage(<RevenuePage />, { api: billing(), me: OPS });
    expect(await screen.findByText("$30.00")).toBeInTheDocument();
    expect(screen.getByText(/exactly \$30.0000000000000000015/)).toBeInTheDocument();
    expect(screen.getByText("$4.12")).toBeInTheDocument();
    const modes = screen.getByRole("table", { name: "Revenue by isolation mode" });
    expect(within(modes).getByRole("row", { name: /^VM/ })).toHaveTextContent("$20.000000000000000001");
    expect(within(modes).getByRole("row", { name: /^VM/ })).toHaveTextContent("67 %");
    const tenants = within(screen.getByRole("table", { name: "Revenue by tenant" })).getAllByRole("row").slice(1);
    expect(tenants.map((r) => r.firstChild!.textContent)).toEqual(["acme", "globex"]);
    const days = within(screen.getByRole("table", { name: "Revenue by day" })).getAllByRole("row").slice(1);
    expect(days.map((r) => r.firstChild!.textContent)).toEqual(["2026-03-01", "2026-03-02"]);
    expect(screen.getByRole("img", { name: /Revenue by isolation mode/ })).toBeInTheDocument();
    expect(within(screen.getByRole("table", { name: "Top tenants by revenue" })).getByText("$20.000000000000000001")).toBeInTheDocument();
  });

  it("asks for the chosen calendar month", async () => {
    const api = billing();
    renderPage(<RevenuePage />, { api, me: OPS });
    await screen.findByRole("table", { name: "Revenue by tenant" });
    fireEvent.change(screen.getByLabelText("Month"), { target: { value: "2025-12" } });
    await waitFor(() => expect(api.calls("GET", "/v1/operator/revenue").at(-1)!.url.searchParams.get("from")).toBe("2025-12-01T00:00:00Z"));
    expect(api.calls("GET", "/v1/operator/revenue").at(-1)!.url.searchParams.get("to")).toBe("2026-01-01T00:00:00Z");
    expect(api.calls("GET", "/v1/operator/top-tenants").at(-1)!.url.searchParams.get("from")).toBe("2025-12-01T00:00:00Z");
    expect(await screen.findByText(/revenue in December 2025/)).toBeInTheDocument();
  });

  it("reads a month as UTC calendar bounds", () => {
    expect(monthRange("2026-02")).toEqual({ from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z" });
  });

  it("shows the API's problem when the revenue cannot be read", async () => {
    const api = new FakeApi().on("GET", "/v1/operator/revenue", [400, { type: "urn:nanofleet:problem:validation", title: "Bad Request", status: 400, detail: "to must be after from", errors: [{ field: "to", message: "must be after from" }] }]);
    renderPage(<RevenuePage />, { api, me: OPS });
    await waitFor(() => expect(screen.getAllByRole("alert").map((a) => a.textContent)).toContain("Could not load the revenue: to must be after from"));
  });
});
