import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { EventEntry } from "../../live/eventStream";
import { FakeApi, OPS, renderPage } from "../../test/fakeSession";
import FleetEventsPage from "./FleetEventsPage";

const entry = (id: number, type: string, data: Record<string, unknown>, tenant: string | null = null): EventEntry => ({
  id: String(id),
  eventId: `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`,
  type,
  time: new Date(Date.now() - (100 - id) * 1000).toISOString(),
  tenant,
  deploymentId: tenant ? "11111111-1111-4111-8111-111111111111" : null,
  instanceId: null,
  actor: tenant ? "user:bob" : null,
  data,
});

/** Two pages, oldest first, the first naming the next by its cursor header, as control-api pages. */
function eventLog() {
  return new FakeApi()
    .on("GET", "/v1/tenants", [200, [{ id: "acme", name: "Acme", trust: "trusted", state: "active", quotas: { shared: {}, hardware: {} }, createdAt: "2026-01-01T00:00:00Z" }]])
    .on("GET", "/v1/events", (sent) =>
      sent.url.searchParams.get("cursor") === "page-2"
        ? [200, [entry(12, "instance.unschedulable", { reason: "0/1 nodes available: 1 cordoned" }, "acme")]]
        : [200, [entry(10, "node.registered", { nodeName: "local-1" }), entry(11, "node.scheduling-changed", { nodeName: "local-1", scheduling: "cordoned" })], { "Nanofleet-Next-Cursor": "page-2" }],
    );
}

const rows = () => within(screen.getByRole("table", { name: "Fleet events, newest first" })).getAllByRole("row").slice(1);

describe("FleetEventsPage", () => {
  it("loads the window's events page by page and shows them newest first, in words", async () => {
    const api = eventLog();
    renderPage(<FleetEventsPage />, { api, me: OPS });
    await screen.findByText("unschedulable: 0/1 nodes available: 1 cordoned");
    expect(rows().map((r) => within(r).getAllByRole("cell")[1]!.textContent)).toEqual(["instance.unschedulable", "node.scheduling-changed", "node.registered"]);
    expect(screen.getByText("node local-1 is now cordoned")).toBeInTheDocument();
    const calls = api.calls("GET", "/v1/events");
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url.searchParams.get("since")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(calls[1]!.url.searchParams.get("cursor")).toBe("page-2");
  });

  it("puts new events from the shared stream at the top", async () => {
    const { events } = renderPage(<FleetEventsPage />, { api: eventLog(), me: OPS });
    await screen.findByText("node local-1 is now cordoned");
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ id: "100", type: "instance.placed", tenant: "acme", data: { nodeName: "local-1", isolation: "shared" } });
    await screen.findByText("placed on local-1 on the shared kernel");
    expect(within(rows()[0]!).getByText("instance.placed")).toBeInTheDocument();
  });

  it("filters by type and tenant: asks the API for them and narrows what is shown", async () => {
    const user = userEvent.setup();
    const api = eventLog();
    const { events } = renderPage(<FleetEventsPage />, { api, me: OPS });
    await screen.findByText("node local-1 is now cordoned");
    await user.selectOptions(screen.getByLabelText("Tenant"), "acme");
    await waitFor(() => expect(api.calls("GET", "/v1/events").at(-1)!.url.searchParams.get("tenant")).toBe("acme"));
    // the fake answers the same pages whatever the filter: the page narrows them itself too
    await waitFor(() => expect(rows()).toHaveLength(1));
    await user.selectOptions(screen.getByLabelText("Event type"), "node.registered");
    await waitFor(() => expect(api.calls("GET", "/v1/events").at(-1)!.url.searchParams.get("type")).toBe("node.registered"));
    expect(await screen.findByText("No event in this window matches these filters.")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Tenant"), "(fleet)");
    await waitFor(() => expect(rows()).toHaveLength(1));
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ id: "100", type: "deployment.created", tenant: "acme", data: { name: "web" } });
    events.emit({ id: "101", type: "node.registered", data: { nodeName: "local-9" } });
    await screen.findByText("node local-9 registered");
    expect(rows()).toHaveLength(2);
  });

  it("shows the API's problem when the events cannot be read", async () => {
    const api = new FakeApi().on("GET", "/v1/events", [400, { type: "urn:nanofleet:problem:validation", title: "Bad Request", status: 400, detail: "since is not a time", errors: [{ field: "since", message: "not a time" }] }]);
    renderPage(<FleetEventsPage />, { api, me: OPS });
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the events: since is not a time");
  });
});
