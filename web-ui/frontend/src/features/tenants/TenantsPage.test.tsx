import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { dec, FakeApi, OPS, renderPage } from "../../test/fakeSession";
import TenantsPage, { USAGE_AT_ONCE } from "./TenantsPage";

const tenant = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  trust: "untrusted",
  state: "active",
  quotas: { shared: {}, hardware: { cpuMillis: 4000, memoryMiB: 8192, instances: 10 } },
  createdAt: "2026-01-01T00:00:00Z",
  ...extra,
});

const usage = (id: string) => ({
  tenant: id,
  quotas: [
    { isolation: "hardware", resource: "cpuMillis", limit: 4000, used: 1500 },
    { isolation: "hardware", resource: "memoryMiB", limit: 8192, used: 2048 },
    { isolation: "hardware", resource: "instances", limit: 10, used: 3 },
    { isolation: "shared", resource: "instances", limit: 0, used: 0 },
  ],
});

function platform(tenants: ReturnType<typeof tenant>[]) {
  return new FakeApi()
    .on("GET", "/v1/tenants", [200, tenants])
    .on("GET", /^\/v1\/tenants\/[^/]+\/usage$/, (sent) => [200, usage(sent.url.pathname.split("/")[3]!)])
    .on("GET", "/v1/operator/revenue", [
      200,
      { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z", currency: "USD", total: dec("12.345678901234567891"), byIsolation: [], byTenant: [{ tenant: "acme", amount: dec("12.345678901234567891") }], byDay: [], unbilled: dec("0"), asOf: "2026-03-10T00:00:00Z" },
    ]);
}

describe("TenantsPage", () => {
  it("shows each tenant's trust, state, spend hold, quota use and revenue this month, exactly", async () => {
    const api = platform([
      tenant("acme", { trust: "trusted", pendingTrust: "untrusted" }),
      tenant("globex", { state: "suspended", spendHold: { since: "2026-03-05T00:00:00Z", limit: "25.00", spend: "25.10", currency: "USD", periodEnd: "2026-04-01T00:00:00Z" } }),
    ]);
    renderPage(<TenantsPage />, { api, me: OPS });
    const acme = (await screen.findByText("Acme")).closest("tr")!;
    expect(within(acme).getByText("trusted")).toBeInTheDocument();
    expect(within(acme).getByText(/→ untrusted when its last shared-kernel replica stops/)).toBeInTheDocument();
    expect(await within(acme).findByText("CPU 1.5 vCPU of 4 vCPU")).toBeInTheDocument();
    expect(within(acme).getByText("memory 2 GiB of 8 GiB")).toBeInTheDocument();
    expect(within(acme).getByText("instances 3 of 10")).toBeInTheDocument();
    expect(await within(acme).findByText("$12.345678901234567891")).toBeInTheDocument();
    const globex = screen.getByText("Globex").closest("tr")!;
    expect(within(globex).getByText("suspended")).toBeInTheDocument();
    expect(within(globex).getByText("held: $25.10 of $25.00")).toBeInTheDocument();
    expect(within(globex).getByText("$0.00")).toBeInTheDocument();
    const month = api.calls("GET", "/v1/operator/revenue")[0]!.url.searchParams;
    expect(month.get("from")).toMatch(/^\d{4}-\d\d-01T00:00:00Z$/);
    expect(api.calls("GET", "/v1/operator/revenue")).toHaveLength(1);
  });

  it("asks for at most a bounded number of usages at once, and the others on demand", async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: USAGE_AT_ONCE + 2 }, (_, i) => tenant(`t${String(i).padStart(3, "0")}`));
    const api = platform(many);
    renderPage(<TenantsPage />, { api, me: OPS });
    const last = `t${String(USAGE_AT_ONCE + 1).padStart(3, "0")}`;
    const button = await screen.findByRole("button", { name: `Load quota use of ${last}` }, { timeout: 3000 });
    expect(api.sent.filter((s) => s.url.pathname.endsWith("/usage"))).toHaveLength(USAGE_AT_ONCE);
    const row = button.closest("tr")!;
    await user.click(button);
    expect(await within(row).findByText("CPU 1.5 vCPU of 4 vCPU")).toBeInTheDocument();
    expect(api.calls("GET", `/v1/tenants/${last}/usage`)).toHaveLength(1);
  });

  it("shows the API's problem when the tenants cannot be listed", async () => {
    const api = new FakeApi().on("GET", "/v1/tenants", [403, { type: "urn:nanofleet:problem:forbidden", title: "Forbidden", status: 403, detail: "operators only" }]);
    renderPage(<TenantsPage />, { api, me: OPS });
    await waitFor(() => expect(screen.getAllByRole("alert").map((a) => a.textContent)).toContain("Could not load the tenants: operators only"));
  });
});
