import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { BOB, FakeApi, problem, renderPage } from "../../test/fakeSession";
import CreateDeploymentPage from "./CreateDeploymentPage";
import { deployment, allowSlowMachines } from "./testing";

allowSlowMachines();

const ROUTE = { path: "/deployments/new", route: "/deployments/new" };
const USAGE = { tenant: "globex", quotas: [{ isolation: "shared", resource: "cpuMillis", limit: 32000, used: 500 }] };

function api(): FakeApi {
  return new FakeApi().on("GET", "/v1/tenants/globex/usage", [200, USAGE]);
}

async function fillRequired(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Name"), "web");
  await user.type(screen.getByLabelText("Image"), "127.0.0.1:15000/demo/hello:1");
}

describe("the create deployment form", () => {
  it("sends the body the API wants and opens the new deployment", async () => {
    const user = userEvent.setup({ delay: null });
    const fake = api().on("POST", "/v1/deployments", [201, deployment({ id: "11111111-2222-4333-8444-555555555555" })]);
    renderPage(<CreateDeploymentPage />, { api: fake, ...ROUTE });

    expect(screen.getByLabelText("Image")).toHaveValue("");
    await fillRequired(user);
    await user.clear(screen.getByLabelText("Replicas"));
    await user.type(screen.getByLabelText("Replicas"), "3");
    await user.clear(screen.getByLabelText("CPU (millicores)"));
    await user.type(screen.getByLabelText("CPU (millicores)"), "500");
    await user.clear(screen.getByLabelText("Memory (MiB)"));
    await user.type(screen.getByLabelText("Memory (MiB)"), "64");
    await user.click(screen.getByRole("radio", { name: "Hardware: its own VM" }));
    await user.click(screen.getByRole("button", { name: "Add port" }));
    await user.type(screen.getByLabelText("Container port 1"), "8080");
    await user.click(screen.getByRole("button", { name: "Add variable" }));
    await user.type(screen.getByLabelText("Variable 1 name"), "MODE");
    await user.type(screen.getByLabelText("Variable 1 value"), "demo");
    await user.click(screen.getByRole("button", { name: "Add secret" }));
    await user.type(screen.getByLabelText("Secret 1 name"), "API_KEY");
    expect(screen.getByLabelText("Secret 1 value")).toHaveAttribute("type", "password");
    await user.type(screen.getByLabelText("Secret 1 value"), "s3cret");
    await user.selectOptions(screen.getByLabelText("Restart"), "always");
    await user.clear(screen.getByLabelText("Max retries"));
    await user.type(screen.getByLabelText("Max retries"), "2");
    await user.selectOptions(screen.getByLabelText("Check"), "http");
    await user.type(screen.getByLabelText("Check port"), "8080");
    await user.clear(screen.getByLabelText("Path"));
    await user.type(screen.getByLabelText("Path"), "/healthz");
    await user.click(screen.getByRole("button", { name: "Create deployment" }));

    expect(await screen.findByText("elsewhere")).toBeInTheDocument();
    const [sent] = fake.calls("POST", "/v1/deployments");
    expect(sent?.body).toEqual({
      name: "web",
      image: "127.0.0.1:15000/demo/hello:1",
      replicas: 3,
      resources: { cpuMillis: 500, memoryMiB: 64 },
      isolation: "hardware",
      ports: [{ containerPort: 8080, protocol: "http" }],
      env: { MODE: "demo" },
      secrets: { API_KEY: "s3cret" },
      restartPolicy: { mode: "always", maxRetries: 2 },
      healthCheck: { type: "http", port: 8080, path: "/healthz", statusMin: 200, statusMax: 399, intervalSeconds: 10, timeoutSeconds: 2, startPeriodSeconds: 0, failureThreshold: 3 },
    });
    expect(sent?.url.pathname).toBe("/v1/deployments");
  });

  it("shows each of a 400's field errors next to its field and the rest in a focused summary", async () => {
    const user = userEvent.setup({ delay: null });
    const fake = api().on("POST", "/v1/deployments", [
      400,
      problem(400, "validation", "The request is invalid", {
        errors: [
          { field: "resources.cpuMillis", message: "must be between 50 and 16000" },
          { field: "env.1BAD", message: "the name must match [A-Za-z_][A-Za-z0-9_]*" },
          { field: "ports[0].containerPort", message: "must be between 1 and 65535" },
          { field: "healthCheck.path", message: "must start with /" },
          { field: "rolloutPolicy.maxSurge", message: "must be a count 0-100 or a percentage like 25%" },
        ],
      }),
    ]);
    renderPage(<CreateDeploymentPage />, { api: fake, ...ROUTE });
    await fillRequired(user);
    await user.clear(screen.getByLabelText("CPU (millicores)"));
    await user.type(screen.getByLabelText("CPU (millicores)"), "5");
    await user.click(screen.getByRole("button", { name: "Add port" }));
    await user.type(screen.getByLabelText("Container port 1"), "70000");
    await user.click(screen.getByRole("button", { name: "Add variable" }));
    await user.type(screen.getByLabelText("Variable 1 name"), "1BAD");
    await user.selectOptions(screen.getByLabelText("Check"), "http");
    await user.type(screen.getByLabelText("Check port"), "8080");
    await user.clear(screen.getByLabelText("Path"));
    await user.type(screen.getByLabelText("Path"), "healthz");
    await user.click(screen.getByRole("button", { name: "Create deployment" }));

    const summary = await screen.findByRole("alert");
    expect(summary).toHaveFocus();
    expect(summary).toHaveTextContent("4 fields below need a change");
    expect(summary).toHaveTextContent("rolloutPolicy.maxSurge: must be a count 0-100 or a percentage like 25%");
    expect(screen.getByLabelText("CPU (millicores)")).toHaveAccessibleDescription(expect.stringContaining("must be between 50 and 16000"));
    expect(screen.getByLabelText("CPU (millicores)")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Variable 1 name")).toHaveAccessibleDescription(expect.stringContaining("the name must match"));
    expect(screen.getByLabelText("Container port 1")).toHaveAccessibleDescription("must be between 1 and 65535");
    expect(screen.getByLabelText("Path")).toHaveAccessibleDescription(expect.stringContaining("must start with /"));
  });

  it("puts a taken name's conflict at the name", async () => {
    const user = userEvent.setup({ delay: null });
    const fake = api().on("POST", "/v1/deployments", [409, problem(409, "conflict", "a deployment named web exists")]);
    renderPage(<CreateDeploymentPage />, { api: fake, ...ROUTE });
    await fillRequired(user);
    await user.click(screen.getByRole("button", { name: "Create deployment" }));
    await waitFor(() => expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(expect.stringContaining("a deployment named web exists")));
  });

  it("says clearly when spending is on hold (402) and gives the figures", async () => {
    const user = userEvent.setup({ delay: null });
    const fake = api().on("POST", "/v1/deployments", [
      402,
      problem(402, "spend-limit-reached", "the hard spend limit of 25.00 USD is reached", { limit: "25.00", spend: "25.00", currency: "USD", periodEnd: "2027-01-01T00:00:00Z" }),
    ]);
    renderPage(<CreateDeploymentPage />, { api: fake, ...ROUTE });
    await fillRequired(user);
    await user.click(screen.getByRole("button", { name: "Create deployment" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Spending is on hold");
    expect(alert).toHaveTextContent("the hard spend limit of 25.00 USD is reached");
    expect(alert).toHaveTextContent("Limit $25.00, spent $25.00 in the billing period ending 2027-01-01 00:00:00 UTC");
    expect(alert).toHaveFocus();
  });

  it("says which quota a 422 would exceed", async () => {
    const user = userEvent.setup({ delay: null });
    const fake = api().on("POST", "/v1/deployments", [
      422,
      problem(422, "quota-exceeded", "hardware.instances would exceed its quota", { quota: { name: "hardware.instances", limit: 5, used: 5, requested: 1 } }),
    ]);
    renderPage(<CreateDeploymentPage />, { api: fake, ...ROUTE });
    await fillRequired(user);
    await user.click(screen.getByRole("button", { name: "Create deployment" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This would go over your quota");
    expect(alert).toHaveTextContent("Quota hardware.instances: limit 5, in use 5, this needs 1");
  });

  it("explains auto for a tenant whose trust the API does not give, and lets the API decide", async () => {
    renderPage(<CreateDeploymentPage />, { api: api(), ...ROUTE });
    const auto = screen.getByRole("radio", { name: "Auto" });
    expect(auto).toBeChecked();
    expect(auto).toHaveAccessibleDescription(expect.stringContaining("auto = hardware (its own VM) for untrusted tenants, shared kernel for trusted tenants."));
    expect(screen.getByRole("radio", { name: "Shared kernel" })).toBeEnabled();
    expect(await screen.findByText(/In use of your quotas: shared kernel: 0.5 vCPU of 32 vCPU/)).toBeInTheDocument();
  });

  it("does not offer shared to an untrusted tenant and says what auto means for it", async () => {
    const alice = { ...BOB, subject: "user:alice", tenant: "acme", trust: "untrusted" as const };
    const fake = new FakeApi().on("GET", "/v1/tenants/acme/usage", [200, { tenant: "acme", quotas: [] }]);
    renderPage(<CreateDeploymentPage />, { api: fake, me: alice, ...ROUTE });
    const shared = screen.getByRole("radio", { name: "Shared kernel" });
    await waitFor(() => expect(shared).toBeDisabled());
    expect(shared).toHaveAccessibleDescription(expect.stringContaining("your tenant is untrusted"));
    expect(screen.getByRole("radio", { name: "Auto" })).toHaveAccessibleDescription(expect.stringContaining("Your tenant is untrusted, so auto runs each replica in its own VM."));
  });

  it("tells a trusted tenant that auto means a shared kernel", async () => {
    const fake = new FakeApi().on("GET", "/v1/tenants/globex/usage", [200, USAGE]);
    renderPage(<CreateDeploymentPage />, { api: fake, me: { ...BOB, trust: "trusted" }, ...ROUTE });
    await waitFor(() => expect(screen.getByRole("radio", { name: "Auto" })).toHaveAccessibleDescription(expect.stringContaining("Your tenant is trusted, so auto runs a shared kernel.")));
    expect(screen.getByRole("radio", { name: "Shared kernel" })).toBeEnabled();
  });

  it("learns from the API's refusal of shared that the tenant is untrusted", async () => {
    const user = userEvent.setup({ delay: null });
    const alice = { ...BOB, subject: "user:alice", tenant: "acme" };
    const fake = new FakeApi().on("POST", "/v1/deployments", [422, problem(422, "isolation-not-allowed", "tenant acme is untrusted: only hardware isolation is allowed")]);
    renderPage(<CreateDeploymentPage />, { api: fake, me: alice, ...ROUTE });
    await fillRequired(user);
    await user.click(screen.getByRole("radio", { name: "Shared kernel" }));
    await user.click(screen.getByRole("button", { name: "Create deployment" }));

    const isolation = screen.getByRole("group", { name: "Isolation" });
    await waitFor(() => expect(isolation).toHaveAccessibleDescription(expect.stringContaining("only hardware isolation is allowed")));
    await waitFor(() => expect(within(isolation).getByRole("radio", { name: "Auto" })).toBeChecked());
    expect(within(isolation).getByRole("radio", { name: "Shared kernel" })).toBeDisabled();
    expect(fake.calls("POST", "/v1/deployments")[0]?.body).toMatchObject({ isolation: "shared" });
  });

  it("refuses a variable named twice before sending anything", async () => {
    const user = userEvent.setup({ delay: null });
    const fake = api();
    renderPage(<CreateDeploymentPage />, { api: fake, ...ROUTE });
    await fillRequired(user);
    await user.click(screen.getByRole("button", { name: "Add variable" }));
    await user.type(screen.getByLabelText("Variable 1 name"), "A");
    await user.click(screen.getByRole("button", { name: "Add variable" }));
    await user.type(screen.getByLabelText("Variable 2 name"), "A");
    await user.click(screen.getByRole("button", { name: "Create deployment" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Some fields need a change");
    expect(screen.getByLabelText("Variable 2 name")).toHaveAccessibleDescription("A is given twice");
    expect(fake.calls("POST", "/v1/deployments")).toHaveLength(0);
  });
});
