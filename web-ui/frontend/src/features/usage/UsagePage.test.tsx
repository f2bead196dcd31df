import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { BOB, problem, renderPage } from "../../test/fakeSession";
import UsagePage from "./UsagePage";
import { billingApi, INVOICE_ID, spendLimitAnswer } from "./testSupport";

vi.mock("../../ui/Chart", async (importOriginal) => (await import("../../test/chartStub")).chartStub(importOriginal));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function section(name: string) {
  return screen.getByRole("heading", { name, level: 2 }).closest("section")!;
}

function rowOf(table: HTMLElement, firstCell: string) {
  return within(table).getAllByRole("row").find((r) => within(r).queryAllByRole("cell")[0]?.textContent === firstCell || r.querySelector("th[scope=row]")?.textContent === firstCell)!;
}

describe("UsagePage", () => {
  it("shows the period's spend, forecast and end as the API gives them", async () => {
    renderPage(<UsagePage />, { api: billingApi() });
    const cards = section("This period");
    const card = (title: string) => within(cards).getByRole("heading", { name: title, level: 3 }).closest(".card") as HTMLElement;
    expect(await within(card("Spent so far")).findByText("$1.423469289012345678")).toBeInTheDocument();
    expect(within(card("Forecast for the period")).getByText("$39.12")).toBeInTheDocument();
    expect(within(cards).getByText(/at the current rate of \$0.055 an hour \(exactly \$39.123469289012345678\)/)).toBeInTheDocument();
    expect(within(card("Period ends")).getByText("2026-04-01 00:00:00 UTC")).toBeInTheDocument();
    expect(within(card("Reserved usage")).getByText("before the free grant")).toBeInTheDocument();
    expect(within(cards).getByText("this period: 2026-03-01 to 2026-03-31")).toBeInTheDocument();
  });

  it("splits the cost by isolation mode exactly, reserved beside measured, with the API's total", async () => {
    renderPage(<UsagePage />, { api: billingApi() });
    const modes = await screen.findByRole("table", { name: "Usage by isolation mode this period" });
    const vm = within(modes).getByText("VM").closest("tr")!;
    // 0.1 + 0.2 in floating point would read $0.30000000000000004
    expect(within(vm).getByText("$0.30")).toBeInTheDocument();
    expect(within(vm).getAllByText("7,200.0")).toHaveLength(1);
    expect(within(vm).getByText("2,400.5")).toBeInTheDocument();
    const shared = within(modes).getByText("shared kernel").closest("tr")!;
    expect(within(shared).getByText("$1.123469289012345678")).toBeInTheDocument();
    const total = within(modes).getByText("All").closest("tr")!;
    expect(within(total).getByText("$1.423469289012345678")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Cost this period by isolation mode: VM \$0.30, Shared kernel \$1.123469289012345678/ })).toBeInTheDocument();
  });

  it("lists the cost by deployment and by UTC day, with charts named for screen readers", async () => {
    renderPage(<UsagePage />, { api: billingApi() });
    const deployments = await screen.findByRole("table", { name: "Usage by deployment this period" });
    expect(within(deployments).getByRole("link", { name: "web" })).toHaveAttribute("href", expect.stringMatching(/^\/deployments\/6f1c1f0e-.*0001$/));
    expect(within(rowOf(deployments, "worker")).getByText("$1.123469289012345678")).toBeInTheDocument();
    const days = screen.getByRole("table", { name: "Cost per UTC day this period" });
    const march2 = rowOf(days, "2026-03-02");
    expect(within(march2).getByText("$0.20")).toBeInTheDocument();
    expect(within(march2).getByText("$1.323456789012345678")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Cost per UTC day this period, stacked by isolation mode/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Cost this period by deployment/ })).toBeInTheDocument();
  });

  it("says so when nothing ran this period", async () => {
    const api = billingApi().on("GET", "/v1/usage", [200, { tenant: "globex", period: { start: "2026-03-01T00:00:00Z", end: "2026-04-01T00:00:00Z" }, asOf: "2026-03-01T00:05:00Z", currency: "USD", cost: 0, freeGrantCredit: 0, rows: [] }]);
    renderPage(<UsagePage />, { api });
    expect(await screen.findByText(/No usage yet this period/)).toBeInTheDocument();
    expect(screen.queryByRole("table", { name: "Usage by deployment this period" })).not.toBeInTheDocument();
  });

  it("shows the API's problem when usage cannot be read", async () => {
    const api = billingApi().on("GET", "/v1/usage", [403, problem(403, "forbidden", "the API token lacks the scope read", { title: "Forbidden" })]);
    renderPage(<UsagePage />, { api });
    expect(await screen.findByText("the API token lacks the scope read")).toBeInTheDocument();
  });

  it("reads usage again a few seconds after instance state changes, once for a burst, and never polls", async () => {
    const { api, events } = renderPage(<UsagePage />, { api: billingApi() });
    await screen.findByRole("table", { name: "Usage by deployment this period" });
    await waitFor(() => expect(events.connected()).toBe(true));
    vi.useFakeTimers();
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(api.calls("GET", "/v1/usage")).toHaveLength(1);
    events.emit({ type: "instance.state-changed", tenant: "globex" });
    events.emit({ type: "instance.state-changed", tenant: "globex" });
    events.emit({ type: "deployment.renamed", tenant: "globex" });
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(api.calls("GET", "/v1/usage")).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(5000));
    vi.useRealTimers();
    await waitFor(() => expect(api.calls("GET", "/v1/usage")).toHaveLength(2));
    expect(api.calls("GET", "/v1/usage/forecast")).toHaveLength(2);
    expect(api.calls("GET", "/v1/spend-limit")).toHaveLength(2);
  });
});

describe("UsagePage invoices", () => {
  it("lists invoices with their period, total and amount due", async () => {
    renderPage(<UsagePage />, { api: billingApi() });
    const table = await screen.findByRole("table", { name: "Invoices" });
    const row = within(table).getByRole("link", { name: "NF-globex-00001" }).closest("tr")!;
    expect(within(row).getByText("2026-02-01 to 2026-02-28")).toBeInTheDocument();
    expect(within(row).getByText("$12.3456789")).toBeInTheDocument();
    expect(within(row).getByText("$12.35")).toBeInTheDocument();
  });

  it("opens an invoice to show its lines, exact", async () => {
    const { api } = renderPage(<UsagePage />, { api: billingApi(), path: "/usage" });
    await userEvent.click(await screen.findByRole("link", { name: "NF-globex-00001" }));
    const heading = await screen.findByRole("heading", { name: "Invoice NF-globex-00001" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(api.calls("GET", `/v1/invoices/${INVOICE_ID}`)).toHaveLength(1);
    const lines = screen.getByRole("table", { name: "Lines of invoice NF-globex-00001" });
    expect(within(lines).getByText("914,496.2 vCPU-s")).toBeInTheDocument();
    expect(within(lines).getByText("$0.0000135")).toBeInTheDocument();
    expect(within(lines).getByText("$12.3456987")).toBeInTheDocument();
    expect(within(lines).getByText("−$0.0000198")).toBeInTheDocument();
    expect(within(lines).getByText("2026-01-01 to 2026-01-31")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Close invoice" }));
    expect(screen.queryByRole("heading", { name: /Invoice NF-/ })).not.toBeInTheDocument();
  });

  it("says when an invoice does not exist", async () => {
    const api = billingApi().on("GET", /^\/v1\/invoices\/[^/]+$/, [404, problem(404, "not-found", "no invoice 42 in this tenant", { title: "Not Found" })]);
    api.on("GET", "/v1/invoices", [200, []]);
    renderPage(<UsagePage />, { api, path: "/usage?invoice=42" });
    expect(await screen.findByText("no invoice 42 in this tenant")).toBeInTheDocument();
    expect(screen.getByText(/No invoices yet/)).toBeInTheDocument();
  });

  it("downloads the PDF with the bearer token and saves it under billing's file name", async () => {
    const fetches: { url: string; auth: string | null }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      fetches.push({ url, auth: new Headers(init.headers).get("Authorization") });
      return new Response("%PDF-1.7", {
        status: 200,
        headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="NF-globex-00001.pdf"' },
      });
    });
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return "blob:invoice";
    });
    URL.revokeObjectURL = vi.fn();
    const saved: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ href: this.href, download: this.download });
    });
    renderPage(<UsagePage />, { api: billingApi() });
    await userEvent.click(await screen.findByRole("button", { name: "Download NF-globex-00001 as PDF" }));
    await waitFor(() => expect(saved).toEqual([{ href: "blob:invoice", download: "NF-globex-00001.pdf" }]));
    expect(fetches).toEqual([{ url: `http://billing.test/v1/invoices/${INVOICE_ID}.pdf`, auth: "Bearer test-token" }]);
    expect(created[0]!.type).toBe("application/pdf");
  });

  it("downloads the CSV under the invoice's number when no file name is given, and shows a refusal", async () => {
    const answers = [
      new Response("kind,amount\r\n", { status: 200, headers: { "Content-Type": "text/csv" } }),
      new Response(JSON.stringify(problem(404, "not-found", "no such invoice in this tenant", { title: "Not Found" })), {
        status: 404,
        headers: { "Content-Type": "application/problem+json" },
      }),
    ];
    const urls: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      urls.push(url);
      return answers.shift()!;
    });
    URL.createObjectURL = vi.fn(() => "blob:csv");
    URL.revokeObjectURL = vi.fn();
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    renderPage(<UsagePage />, { api: billingApi() });
    const csv = await screen.findByRole("button", { name: "Download NF-globex-00001 as CSV" });
    await userEvent.click(csv);
    await waitFor(() => expect(names).toEqual(["NF-globex-00001.csv"]));
    expect(urls).toEqual([`http://billing.test/v1/invoices/${INVOICE_ID}.csv`]);
    await userEvent.click(csv);
    expect(await screen.findByText("no such invoice in this tenant")).toBeInTheDocument();
    expect(names).toHaveLength(1);
  });
});

describe("UsagePage spend limit", () => {
  it("shows the limit, the spend against it and which alerts this period's spend crossed", async () => {
    renderPage(<UsagePage />, { api: billingApi() });
    const limit = await screen.findByRole("region", { name: "Spend limit" });
    expect(await within(limit).findByText("$40.50 of $50.00 (81.0 %)")).toBeInTheDocument();
    expect(within(limit).getByRole("meter", { name: "Spent this period" })).toHaveAttribute("value", "81");
    expect(within(limit).getByText("hard: stops deployments when reached")).toBeInTheDocument();
    const thresholds = within(limit).getByRole("list", { name: "Alert thresholds" });
    expect(within(thresholds).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "75 % crossed, alert sent",
      "90 % not reached",
      "100 % not reached",
    ]);
    expect(within(limit).getByLabelText("Limit per period (USD)")).toHaveValue("50.00");
  });

  it("sets the limit with the API's body and reads the status again", async () => {
    const api = billingApi().on("PUT", "/v1/spend-limit", [200, spendLimitAnswer()]);
    renderPage(<UsagePage />, { api });
    const amount = await screen.findByLabelText("Limit per period (USD)");
    await userEvent.clear(amount);
    await userEvent.type(amount, "25.50");
    const thresholds = screen.getByLabelText("Alert thresholds (%)");
    await userEvent.clear(thresholds);
    await userEvent.type(thresholds, "50, 90");
    await userEvent.click(screen.getByRole("checkbox", { name: "Hard limit: stop my deployments when it is reached" }));
    await userEvent.click(screen.getByRole("button", { name: "Save spend limit" }));
    expect(await screen.findByText("Spend limit saved.")).toBeInTheDocument();
    expect(api.calls("PUT", "/v1/spend-limit").map((s) => s.body)).toEqual([{ amount: "25.50", alertThresholds: [50, 90], hard: false }]);
    await waitFor(() => expect(api.calls("GET", "/v1/spend-limit")).toHaveLength(2));
  });

  it("shows the API's field errors next to their fields", async () => {
    const api = billingApi().on("PUT", "/v1/spend-limit", [
      400,
      problem(400, "validation", "2 fields are invalid", {
        title: "Bad Request",
        errors: [
          { field: "amount", message: "at most 2 decimals" },
          { field: "alertThresholds[1]", message: "must be more than the one before" },
        ],
      }),
    ]);
    renderPage(<UsagePage />, { api });
    const amount = await screen.findByLabelText("Limit per period (USD)");
    await userEvent.clear(amount);
    await userEvent.type(amount, "12.345");
    await userEvent.click(screen.getByRole("button", { name: "Save spend limit" }));
    expect(await screen.findByText("2 fields are invalid")).toBeInTheDocument();
    expect(amount).toHaveAccessibleDescription(expect.stringContaining("at most 2 decimals"));
    expect(amount).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Alert thresholds (%)")).toHaveAccessibleDescription(expect.stringContaining("item 2: must be more than the one before"));
  });

  it("refuses thresholds that are not whole percentages without asking the API", async () => {
    const api = billingApi();
    renderPage(<UsagePage />, { api });
    const thresholds = await screen.findByLabelText("Alert thresholds (%)");
    await userEvent.clear(thresholds);
    await userEvent.type(thresholds, "75, ninety");
    await userEvent.click(screen.getByRole("button", { name: "Save spend limit" }));
    expect(thresholds).toHaveAccessibleDescription(expect.stringContaining("whole percentages"));
    expect(api.calls("PUT", "/v1/spend-limit")).toHaveLength(0);
  });

  it("removes the limit only after asking", async () => {
    const api = billingApi().on("DELETE", "/v1/spend-limit", [200, spendLimitAnswer({ limit: null, alertsSent: [] })]);
    renderPage(<UsagePage />, { api });
    await userEvent.click(await screen.findByRole("button", { name: "Remove spend limit" }));
    const dialog = screen.getByRole("dialog", { name: "Remove spend limit" });
    expect(api.calls("DELETE", "/v1/spend-limit")).toHaveLength(0);
    api.on("GET", "/v1/spend-limit", [200, spendLimitAnswer({ limit: null, alertsSent: [] })]);
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove the limit" }));
    expect(await screen.findByText("Spend limit removed.")).toBeInTheDocument();
    expect(api.calls("DELETE", "/v1/spend-limit")).toHaveLength(1);
    expect(await screen.findByText(/No spend limit is set/)).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Set a spend limit" })).toBeInTheDocument();
  });

  it("keeps the form from someone without the admin scope", async () => {
    renderPage(<UsagePage />, { api: billingApi(), me: { ...BOB, kind: "token", scopes: ["read"] } });
    expect(await screen.findByText(/needs the admin scope/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save spend limit" })).not.toBeInTheDocument();
  });

  it("explains a spend hold: deployments stopped, spending refused until the limit is raised or the period ends", async () => {
    const hold = { since: "2026-03-02T10:00:00Z", limit: "50.00", spend: "50.01", currency: "USD", periodEnd: "2026-04-01T00:00:00Z" };
    const api = billingApi().on("GET", "/v1/spend-limit", [200, spendLimitAnswer({ heldSince: "2026-03-02T10:00:00Z", alertsSent: [75, 90, 100] })]);
    renderPage(<UsagePage />, { api, me: { ...BOB, spendHold: hold } });
    const banner = await screen.findByRole("region", { name: "Spending is on hold" });
    expect(banner).toHaveTextContent("Your hard spend limit of $50.00 was reached on 2026-03-02 10:00:00 UTC");
    expect(banner).toHaveTextContent("Your running deployments were stopped");
    expect(banner).toHaveTextContent("refused until you raise or remove the limit, or the period ends on 2026-04-01 00:00:00 UTC");
  });

  it("drops the hold banner once billing says the hold is lifted", async () => {
    const hold = { since: "2026-03-02T10:00:00Z", limit: "50.00", spend: "50.01", currency: "USD", periodEnd: "2026-04-01T00:00:00Z" };
    renderPage(<UsagePage />, { api: billingApi(), me: { ...BOB, spendHold: hold } });
    expect(screen.getByRole("region", { name: "Spending is on hold" })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("region", { name: "Spending is on hold" })).not.toBeInTheDocument());
  });
});

describe("UsagePage links", () => {
  it("takes the hold banner's link to the spend limit section", async () => {
    renderPage(<UsagePage />, { api: billingApi(), path: "/usage#spend-limit" });
    await waitFor(() => expect(screen.getByRole("heading", { name: "Spend limit", level: 2 })).toHaveFocus());
  });
});

describe("UsagePage without a forecast", () => {
  it("shows the forecast's problem and still the usage", async () => {
    const api = billingApi().on("GET", "/v1/usage/forecast", [503, problem(503, "identity-unavailable", "control-api cannot check the API token now", { title: "Service Unavailable" })]);
    renderPage(<UsagePage />, { api });
    expect(await screen.findByText("control-api cannot check the API token now")).toBeInTheDocument();
    const spent = screen.getByRole("heading", { name: "Spent so far", level: 3 }).closest(".card") as HTMLElement;
    expect(within(spent).getByText("not available")).toBeInTheDocument();
    expect(await screen.findByRole("table", { name: "Usage by isolation mode this period" })).toBeInTheDocument();
  });
});
