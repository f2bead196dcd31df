import { act, screen, waitFor, within } from "@testing-library/react";
import { FakeApi, renderPage } from "../../test/fakeSession";
import QuotasPage, { quotaText } from "./QuotasPage";

const USAGE = {
  tenant: "globex",
  quotas: [
    { isolation: "shared", resource: "cpuMillis", limit: 32000, used: 1500 },
    { isolation: "shared", resource: "memoryMiB", limit: 65536, used: 512 },
    { isolation: "shared", resource: "instances", limit: 100, used: 3 },
    { isolation: "hardware", resource: "cpuMillis", limit: 16000, used: 16000 },
    { isolation: "hardware", resource: "memoryMiB", limit: 32768, used: 40960 },
    { isolation: "hardware", resource: "instances", limit: 0, used: 0 },
  ],
};

function quotasApi(answer: unknown = USAGE) {
  return new FakeApi().on("GET", "/v1/tenants/globex/usage", [200, answer]);
}

describe("quotaText", () => {
  it("reads use against limit in the portal's units", () => {
    expect(quotaText({ resource: "cpuMillis", used: 1500, limit: 32000 })).toBe("1.5 vCPU used of 32 vCPU");
    expect(quotaText({ resource: "memoryMiB", used: 512, limit: 65536 })).toBe("512 MiB used of 64 GiB");
    expect(quotaText({ resource: "instances", used: 3, limit: 100 })).toBe("3 used of 100");
  });
});

describe("QuotasPage", () => {
  it("shows each mode's use against its limit as labelled meters with the figures in words", async () => {
    const { api } = renderPage(<QuotasPage />, { api: quotasApi() });
    const cpu = await screen.findByRole("meter", { name: "Shared kernel CPU" });
    expect(api.calls("GET", "/v1/tenants/globex/usage")).toHaveLength(1);
    expect(cpu).toHaveAttribute("value", "1500");
    expect(cpu).toHaveAttribute("max", "32000");
    expect(cpu).toHaveAccessibleDescription("1.5 vCPU used of 32 vCPU");
    expect(screen.getByRole("meter", { name: "Shared kernel memory" })).toHaveAccessibleDescription("512 MiB used of 64 GiB");
    expect(screen.getByRole("meter", { name: "Shared kernel instances" })).toHaveAccessibleDescription("3 used of 100");
    const vm = screen.getByRole("region", { name: "VM (hardware isolation)" });
    expect(within(vm).getByRole("meter", { name: "VM CPU" })).toHaveAccessibleDescription("16 vCPU used of 16 vCPU");
  });

  it("says when use is over a lowered limit and when a mode allows nothing", async () => {
    renderPage(<QuotasPage />, { api: quotasApi() });
    expect(await screen.findByRole("meter", { name: "VM memory" })).toHaveAccessibleDescription("40 GiB used of 32 GiB over the limit");
    expect(screen.getByRole("meter", { name: "VM instances" })).toHaveAccessibleDescription("0 used of 0 (none allowed)");
  });

  it("shows the spend hold the API reports", async () => {
    const hold = { since: "2026-03-02T10:00:00Z", limit: "25.00", spend: "25.00", currency: "USD", periodEnd: "2026-04-01T00:00:00Z" };
    renderPage(<QuotasPage />, { api: quotasApi({ ...USAGE, spendHold: hold }) });
    const banner = await screen.findByRole("region", { name: "Spending is on hold" });
    expect(banner).toHaveTextContent("Your hard spend limit of $25.00 was reached");
    expect(within(banner).getByRole("link", { name: "Change the spend limit" })).toHaveAttribute("href", "/usage#spend-limit");
  });

  it("shows the API's problem", async () => {
    const api = new FakeApi().on("GET", "/v1/tenants/globex/usage", [404, { type: "urn:nanofleet:problem:not-found", title: "Not Found", status: 404, detail: "no tenant globex" }]);
    renderPage(<QuotasPage />, { api });
    expect(await screen.findByText("no tenant globex")).toBeInTheDocument();
  });

  it("reads the quotas again when a deployment is created or scaled", async () => {
    const { api, events } = renderPage(<QuotasPage />, { api: quotasApi() });
    await screen.findByRole("meter", { name: "VM CPU" });
    await waitFor(() => expect(events.connected()).toBe(true));
    api.on("GET", "/v1/tenants/globex/usage", [200, { ...USAGE, quotas: USAGE.quotas.map((q) => (q.isolation === "shared" && q.resource === "instances" ? { ...q, used: 4 } : q)) }]);
    act(() => events.emit({ type: "deployment.scaled", tenant: "globex" }));
    await waitFor(() => expect(screen.getByRole("meter", { name: "Shared kernel instances" })).toHaveAccessibleDescription("4 used of 100"), { timeout: 3000 });
    expect(api.calls("GET", "/v1/tenants/globex/usage")).toHaveLength(2);
  });
});
