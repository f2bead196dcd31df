import { screen, waitFor, within } from "@testing-library/react";
import { BOB, FakeApi, renderPage } from "../../test/fakeSession";
import DeploymentsPage from "./DeploymentsPage";
import { deployment, instance, allowSlowMachines } from "./testing";

allowSlowMachines();

const ROUTE = { path: "/deployments", route: "/deployments" };

describe("the deployments list", () => {
  it("lists every page of deployments with image, isolation, running and desired replicas and a state", async () => {
    const api = new FakeApi();
    const second = deployment({
      id: "7a1b2c3d-0000-4000-8000-000000000002",
      name: "worker",
      isolation: "hardware",
      replicas: 1,
      instances: [instance({ ordinal: 0, isolation: null, node: null, state: "unschedulable", reason: "no node has 2 GiB free for a VM", network: null, usage: null })],
    });
    api.on("GET", "/v1/deployments", (sent) =>
      sent.url.searchParams.get("cursor") === "c2" ? [200, [second]] : [200, [deployment()], { "Nanofleet-Next-Cursor": "c2" }],
    );
    renderPage(<DeploymentsPage />, { api, ...ROUTE });

    const hello = (await screen.findByRole("link", { name: "hello" })).closest("tr")!;
    expect(within(hello).getByText("127.0.0.1:15000/demo/hello:1")).toBeInTheDocument();
    expect(within(hello).getByText("shared kernel")).toBeInTheDocument();
    expect(within(hello).getByText("2 / 2")).toBeInTheDocument();
    expect(within(hello).getByText("running")).toBeInTheDocument();

    const worker = screen.getByRole("link", { name: "worker" }).closest("tr")!;
    expect(within(worker).getByText("VM")).toBeInTheDocument();
    expect(within(worker).getByText("0 / 1")).toBeInTheDocument();
    expect(within(worker).getByText("unschedulable")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "hello" })).toHaveAttribute("href", `/deployments/${deployment().id}`);
    expect(api.sent.filter((s) => s.url.pathname === "/v1/deployments").map((s) => s.url.searchParams.get("cursor"))).toEqual([null, "c2"]);
  });

  it("reloads when an event about the tenant's deployments arrives, without a page reload", async () => {
    let replicasRunning = 0;
    const api = new FakeApi().on("GET", "/v1/deployments", () => [
      200,
      [deployment({ instances: [instance({ ordinal: 0, state: replicasRunning ? "running" : "starting" }), instance({ ordinal: 1, state: "starting" })] })],
    ]);
    const { events } = renderPage(<DeploymentsPage />, { api, ...ROUTE });
    expect(await screen.findByText("0 / 2")).toBeInTheDocument();
    await waitFor(() => expect(events.connected()).toBe(true));

    replicasRunning = 1;
    events.emit({ type: "instance.state-changed", tenant: "globex", deploymentId: deployment().id, data: { state: "running" } });

    expect(await screen.findByText("1 / 2")).toBeInTheDocument();
    expect(api.calls("GET", "/v1/deployments")).toHaveLength(2);
  });

  it("links to the create form and says when there is nothing yet", async () => {
    const api = new FakeApi().on("GET", "/v1/deployments", [200, []]);
    renderPage(<DeploymentsPage />, { api, ...ROUTE });
    expect(screen.getByRole("link", { name: "Create deployment" })).toHaveAttribute("href", "/deployments/new");
    expect(await screen.findByText(/No deployments yet/)).toBeInTheDocument();
  });

  it("shows a banner while the tenant's spending is on hold", async () => {
    const api = new FakeApi().on("GET", "/v1/deployments", [200, []]);
    const me = { ...BOB, spendHold: { since: "2026-12-01T10:00:00Z", limit: "25.00", spend: "25.10", currency: "USD", periodEnd: "2027-01-01T00:00:00Z" } };
    renderPage(<DeploymentsPage />, { api, me, ...ROUTE });
    const banner = await screen.findByRole("region", { name: "Spending is on hold" });
    expect(banner).toHaveTextContent("Your hard spend limit of $25.00 was reached");
    expect(banner).toHaveTextContent("spent this period: $25.10");
    expect(banner).toHaveTextContent("Stopping, scaling down and deleting deployments still work.");
  });

  it("shows the banner when a hold is placed while the list is open", async () => {
    const held = { ...BOB, spendHold: { since: "2026-12-01T10:00:00Z", limit: "10.00", spend: "10.00", currency: "USD", periodEnd: "2027-01-01T00:00:00Z" } };
    const api = new FakeApi().on("GET", "/v1/deployments", [200, []]).on("GET", "/v1/me", [200, held]);
    const { events } = renderPage(<DeploymentsPage />, { api, ...ROUTE });
    await screen.findByText(/No deployments yet/);
    expect(screen.queryByText(/Spending is on hold/)).not.toBeInTheDocument();
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ type: "billing.spend-limit-reached", tenant: "globex" });
    expect(await screen.findByText(/Spending is on hold/)).toBeInTheDocument();
  });

  it("shows the API's problem when the list cannot be loaded", async () => {
    const api = new FakeApi().on("GET", "/v1/deployments", [403, { type: "urn:nanofleet:problem:forbidden", title: "Forbidden", status: 403, detail: "the token lacks the read scope" }]);
    renderPage(<DeploymentsPage />, { api, ...ROUTE });
    expect(await screen.findByRole("alert")).toHaveTextContent("the token lacks the read scope");
  });
});
