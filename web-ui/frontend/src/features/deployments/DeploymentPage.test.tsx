import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FakeApi, problem, renderPage } from "../../test/fakeSession";
import DeploymentPage from "./DeploymentPage";
import { deployment, DEPLOYMENT_ID, instance, allowSlowMachines } from "./testing";

allowSlowMachines();

vi.mock("../../ui/Chart", async (importOriginal) => (await import("../../test/chartStub")).chartStub(importOriginal));
vi.mock("../logs/ExecTerminal", () => ({ default: ({ name }: { name: string }) => <p>terminal for {name}</p> }));

const PATH = `/v1/deployments/${DEPLOYMENT_ID}`;
const ROUTE = { path: `/deployments/${DEPLOYMENT_ID}`, route: "/deployments/:id" };


/** The value of a fact in the page's header. */
function fact(name: string): HTMLElement {
  return screen.getByText(name, { selector: "dt" }).nextElementSibling as HTMLElement;
}

function withDeployment(d = deployment()): FakeApi {
  return new FakeApi().on("GET", PATH, [200, d]);
}

describe("a deployment's page", () => {
  it("shows the name, image, isolation and state, and each replica with where and how it runs", async () => {
    renderPage(<DeploymentPage />, { api: withDeployment(), ...ROUTE });
    expect(await screen.findByRole("heading", { level: 1, name: "hello" })).toBeInTheDocument();
    const facts = screen.getByText("Image").closest("dl")!;
    expect(within(facts).getByText("127.0.0.1:15000/demo/hello:1")).toBeInTheDocument();
    expect(within(facts).getByText("shared kernel")).toBeInTheDocument();
    expect(within(facts).getByText("running")).toBeInTheDocument();
    expect(within(facts).getByText("2 of 2 running")).toBeInTheDocument();

    const table = screen.getByRole("table", { name: "Replicas of hello" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText("#0")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("local-1")).toBeInTheDocument();
    expect(within(rows[1]!).getByText(/8080 → node port 31001/)).toBeInTheDocument();
    expect(within(rows[1]!).getByText("12 MiB / 0.25 vCPU")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Instances" })).toHaveAttribute("aria-selected", "true");
  });

  it("draws the CPU and memory of a running replica from tenant-billing's samples", async () => {
    const d = deployment({ instances: [instance({ ordinal: 0, state: "starting" }), instance({ ordinal: 1 })] });
    const api = withDeployment(d).on("GET", `/v1/usage/instances/${d.instances[1]!.id}/samples`, [
      200,
      { samples: [{ sampledAt: "2026-12-01T10:00:00Z", cpuNanos: 1, memoryBytes: 8 * 1024 * 1024, cpuCores: null }, { sampledAt: "2026-12-01T10:00:10Z", cpuNanos: 2, memoryBytes: 16 * 1024 * 1024, cpuCores: 0.125 }] },
    ]);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    expect(await screen.findByRole("img", { name: "CPU in cores and memory in MiB of replica #1 of hello over the last hour" })).toBeInTheDocument();
    expect(screen.getByText(/Latest: 0.125 cores, 16.0 MiB/)).toBeInTheDocument();
    expect(api.calls("GET", `/v1/usage/instances/${d.instances[1]!.id}/samples`)).toHaveLength(1);
  });

  it("says prominently why a replica waits", async () => {
    const d = deployment({ instances: [instance({ ordinal: 0 }), instance({ ordinal: 1, node: null, isolation: null, state: "unschedulable", reason: "no node has 64 MiB free", network: null, usage: null })] });
    renderPage(<DeploymentPage />, { api: withDeployment(d), ...ROUTE });
    expect(await screen.findByText("Why a replica waits:")).toBeInTheDocument();
    expect(screen.getByText("no node has 64 MiB free", { selector: ".reason" })).toBeInTheDocument();
  });

  it("turns a replica running without a reload when its event arrives", async () => {
    let state: "starting" | "running" = "starting";
    const api = new FakeApi().on("GET", PATH, () => [200, deployment({ replicas: 1, instances: [instance({ ordinal: 0, state })] })]);
    const { events } = renderPage(<DeploymentPage />, { api, ...ROUTE });
    await screen.findByRole("heading", { level: 1, name: "hello" });
    expect(fact("Replicas")).toHaveTextContent("0 of 1 running");
    await waitFor(() => expect(events.connected()).toBe(true));
    state = "running";
    events.emit({ type: "instance.state-changed", deploymentId: "someone-else", data: {} });
    events.emit({ type: "instance.state-changed", deploymentId: DEPLOYMENT_ID, data: { state: "running" } });
    await waitFor(() => expect(fact("Replicas")).toHaveTextContent("1 of 1 running"));
    expect(fact("State")).toHaveTextContent("running");
  });

  it("scales by sending the new replica count", async () => {
    const user = userEvent.setup();
    const api = withDeployment().on("PATCH", PATH, [200, deployment({ replicas: 3 })]);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    const replicas = await screen.findByRole("spinbutton", { name: "Replicas" });
    await user.clear(replicas);
    await user.type(replicas, "3");
    await user.click(screen.getByRole("button", { name: "Scale" }));
    expect(await screen.findByText("Scaling to 3 replicas.")).toBeInTheDocument();
    expect(api.calls("PATCH", PATH).map((s) => s.body)).toEqual([{ replicas: 3 }]);
  });

  it("shows a refused scale's field error at the replica count and a quota's figures", async () => {
    const user = userEvent.setup();
    let answer: [number, unknown] = [400, problem(400, "validation", "invalid", { errors: [{ field: "replicas", message: "must be between 1 and 50" }] })];
    const api = withDeployment().on("PATCH", PATH, () => answer);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    const replicas = await screen.findByRole("spinbutton", { name: "Replicas" });
    await user.clear(replicas);
    await user.type(replicas, "99");
    await user.click(screen.getByRole("button", { name: "Scale" }));
    await waitFor(() => expect(replicas).toHaveAccessibleDescription("Replicas must be between 1 and 50"));

    answer = [422, problem(422, "quota-exceeded", "shared.instances would exceed its quota", { quota: { name: "shared.instances", limit: 4, used: 2, requested: 3 } })];
    await user.clear(replicas);
    await user.type(replicas, "5");
    await user.click(screen.getByRole("button", { name: "Scale" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("shared.instances would exceed its quota");
    expect(alert).toHaveTextContent("Quota shared.instances: limit 4, in use 2, this needs 3");
  });

  it("stops after confirming, and then offers Start", async () => {
    const user = userEvent.setup();
    let stopped = false;
    const api = new FakeApi()
      .on("GET", PATH, () => [200, stopped ? deployment({ stoppedAt: "2026-12-01T11:00:00Z", instances: [] }) : deployment()])
      .on("POST", `${PATH}/stop`, () => {
        stopped = true;
        return [200, deployment({ stoppedAt: "2026-12-01T11:00:00Z" })];
      });
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    await user.click(await screen.findByRole("button", { name: "Stop" }));
    expect(api.calls("POST", `${PATH}/stop`)).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Stop deployment" }));
    expect(await screen.findByRole("button", { name: "Start" })).toBeInTheDocument();
    expect(api.calls("POST", `${PATH}/stop`)).toHaveLength(1);
  });

  it("shows a refused start's problem (402 while spending is on hold)", async () => {
    const user = userEvent.setup();
    const api = withDeployment(deployment({ stoppedAt: "2026-12-01T11:00:00Z" })).on("POST", `${PATH}/start`, [
      402,
      problem(402, "spend-limit-reached", "the hard spend limit is reached", { limit: "25.00", spend: "25.00", currency: "USD" }),
    ]);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    await user.click(await screen.findByRole("button", { name: "Start" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the hard spend limit is reached");
  });

  it("deletes after confirming and goes back to the list", async () => {
    const user = userEvent.setup();
    const api = withDeployment().on("DELETE", PATH, [202, deployment({ deletedAt: "2026-12-01T11:00:00Z" })]);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    await user.click(screen.getByRole("button", { name: "Delete deployment" }));
    expect(await screen.findByText("elsewhere")).toBeInTheDocument();
    expect(api.calls("DELETE", PATH)).toHaveLength(1);
  });

  it("keeps the confirm dialog open with the API's problem when a delete is refused", async () => {
    const user = userEvent.setup();
    const api = withDeployment().on("DELETE", PATH, [403, problem(403, "forbidden", "the token lacks the deploy scope")]);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    await user.click(screen.getByRole("button", { name: "Delete deployment" }));
    expect(await screen.findByText("the token lacks the deploy scope")).toBeInTheDocument();
    expect(screen.queryByText("elsewhere")).not.toBeInTheDocument();
  });

  it("says so when the deployment does not exist", async () => {
    renderPage(<DeploymentPage />, { api: new FakeApi(), ...ROUTE });
    expect(await screen.findByRole("heading", { name: "No such deployment" })).toBeInTheDocument();
  });

  it("shows revisions with their diff and rolls back to one with the body the API wants", async () => {
    const user = userEvent.setup();
    const spec = (image: string) => ({ image, secretNames: [], resources: { cpuMillis: 250, memoryMiB: 64 }, isolation: "shared" as const, restartPolicy: { mode: "on-failure" as const, maxRetries: 5 }, ports: [8080], egress: { mode: "allow-all" as const } });
    const revisions = [
      {
        revision: 2,
        current: true,
        cause: "update",
        actor: "user:bob",
        createdAt: "2026-12-01T10:00:00Z",
        changed: ["image", "env"],
        diff: [
          { field: "image", from: "demo/hello:1", to: "demo/hello:2" },
          { field: "env", from: { MODE: "a" }, to: { MODE: "b", EXTRA: "1" } },
        ],
        spec: spec("demo/hello:2"),
      },
      { revision: 1, current: false, cause: "create", actor: "user:bob", createdAt: "2026-12-01T09:00:00Z", changed: [], diff: [], spec: spec("demo/hello:1") },
    ];
    const api = withDeployment(deployment({ revision: 2 }))
      .on("GET", `${PATH}/revisions`, [200, revisions])
      .on("POST", `${PATH}/rollback`, [200, deployment({ revision: 3 })]);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    await user.click(await screen.findByRole("tab", { name: "Revisions" }));
    const changes = await screen.findByRole("list", { name: "Changes in revision 2" });
    expect(within(changes).getByText(/image: demo\/hello:1/)).toHaveTextContent("image: demo/hello:1 → to demo/hello:2");
    expect(within(changes).getByText(/env\.MODE/)).toHaveTextContent("env.MODE: a → to b");
    expect(within(changes).getByText(/env\.EXTRA/)).toHaveTextContent("env.EXTRA: (none) → to 1");
    expect(screen.queryByRole("button", { name: "Roll back to revision 2" })).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Roll back to revision 1" }));
    await user.click(screen.getByRole("button", { name: "Roll back" }));
    await waitFor(() => expect(api.calls("POST", `${PATH}/rollback`).map((s) => s.body)).toEqual([{ revision: 1 }]));
  });

  it("lists the deployment's events in words and appends live ones", async () => {
    const user = userEvent.setup();
    const d = deployment();
    const first = { id: "10", eventId: "e10", type: "deployment.created", time: "2026-12-01T09:00:00Z", tenant: "globex", deploymentId: DEPLOYMENT_ID, instanceId: null, actor: "user:bob", data: { image: d.image, isolation: "shared", replicas: [{}, {}] } };
    const api = withDeployment(d).on("GET", "/v1/events", [200, [first]]);
    const { events } = renderPage(<DeploymentPage />, { api, ...ROUTE });
    await user.click(await screen.findByRole("tab", { name: "Events" }));
    expect(await screen.findByText(`Created with image ${d.image}, 2 replicas, isolation shared`)).toBeInTheDocument();
    expect(api.calls("GET", "/v1/events")[0]?.url.searchParams.get("deployment")).toBe(DEPLOYMENT_ID);
    await waitFor(() => expect(events.connected()).toBe(true));
    events.emit({ type: "instance.unschedulable", deploymentId: DEPLOYMENT_ID, instanceId: d.instances[1]!.id, data: { reason: "no node has room" } });
    expect(await screen.findByText("Replica #1 cannot be placed: no node has room")).toBeInTheDocument();
  });

  it("moves between tabs with the arrow keys", async () => {
    const user = userEvent.setup();
    renderPage(<DeploymentPage />, { api: withDeployment().on("GET", `${PATH}/revisions`, [200, []]), ...ROUTE });
    const instances = await screen.findByRole("tab", { name: "Instances" });
    instances.focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Revisions" })).toHaveFocus();
    expect(screen.getByRole("tab", { name: "Revisions" })).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{End}");
    expect(screen.getByRole("tab", { name: "Logs" })).toHaveAttribute("aria-selected", "true");
  });

  it("shows the picked replica's log and a terminal only for a running one", async () => {
    const user = userEvent.setup();
    const d = deployment({ instances: [instance({ ordinal: 0 }), instance({ ordinal: 1, state: "exited", exitCode: 1 })] });
    const api = withDeployment(d);
    api.on("GET", /\/logs$/, (sent) => [200, `log of ${sent.url.pathname.split("/")[3]}\n`, { "content-type": "text/plain" }]);
    renderPage(<DeploymentPage />, { api, ...ROUTE });
    await user.click(await screen.findByRole("tab", { name: "Logs" }));
    expect(await screen.findByRole("log", { name: "Log of hello #0" })).toHaveTextContent(`log of ${d.instances[0]!.id}`);
    expect(await screen.findByText("terminal for hello #0")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Replica"), d.instances[1]!.id);
    expect(await screen.findByRole("log", { name: "Log of hello #1" })).toHaveTextContent(`log of ${d.instances[1]!.id}`);
    expect(screen.getByText(/A terminal opens only in a running replica/)).toBeInTheDocument();
  });
});
