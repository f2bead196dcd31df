import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { BOB, FakeApi, problem, renderPage } from "../../test/fakeSession";
import TokensPage from "./TokensPage";

afterEach(() => vi.restoreAllMocks());

const CI = {
  id: "3b0b7d0e-7f43-4f7b-9a0c-2d9a1c7e0a01",
  name: "ci-deploy",
  scopes: ["read", "deploy"],
  tenant: "globex",
  operator: false,
  createdBy: "user:bob",
  createdAt: "2026-03-01T09:00:00Z",
  expiresAt: "2099-05-30T09:00:00Z",
  lastUsedAt: "2026-03-02T08:00:00Z",
};
const OLD = { ...CI, id: "3b0b7d0e-7f43-4f7b-9a0c-2d9a1c7e0a02", name: "old-script", scopes: ["read"], expiresAt: "2026-01-01T00:00:00Z", lastUsedAt: undefined };
const SECRET = "nfk_q0VbNfHk3l2yJ8m4ZrC6pX1sT9wA5eG7uD0iO3hL2kE";

function tokensApi() {
  return new FakeApi().on("GET", "/v1/tokens", [200, [CI, OLD]]);
}

describe("TokensPage", () => {
  it("lists the tokens with scopes, creator, dates and last use", async () => {
    renderPage(<TokensPage />, { api: tokensApi() });
    const table = await screen.findByRole("table", { name: "API tokens" });
    const ci = within(table).getByRole("cell", { name: "ci-deploy" }).closest("tr")!;
    expect(within(ci).getByText("read")).toBeInTheDocument();
    expect(within(ci).getByText("deploy")).toBeInTheDocument();
    expect(within(ci).getByText("user:bob")).toBeInTheDocument();
    expect(within(ci).getByText("2026-03-01 09:00:00 UTC")).toBeInTheDocument();
    expect(within(ci).getByText("2099-05-30 09:00:00 UTC")).toBeInTheDocument();
    const old = within(table).getByRole("cell", { name: "old-script" }).closest("tr")!;
    expect(within(old).getByText("never")).toBeInTheDocument();
    expect(within(old).getByText("expired")).toBeInTheDocument();
  });

  it("creates a token and shows its secret once, with a copy button and a warning", async () => {
    const user = userEvent.setup();
    const api = tokensApi().on("POST", "/v1/tokens", (sent) => [201, { ...CI, id: "new-id", ...(sent.body as object), createdAt: "2026-03-03T10:00:00Z", expiresAt: "2026-04-02T10:00:00Z", secret: SECRET }]);
    renderPage(<TokensPage />, { api });
    await screen.findByRole("table", { name: "API tokens" });
    await user.type(screen.getByLabelText("Name"), "nightly");
    await user.click(screen.getByRole("checkbox", { name: "deploy" }));
    await user.click(screen.getByRole("checkbox", { name: "exec" }));
    await user.clear(screen.getByLabelText("Expires in (days)"));
    await user.type(screen.getByLabelText("Expires in (days)"), "30");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    const panel = await screen.findByRole("region", { name: "Token nightly created" });
    expect(api.calls("POST", "/v1/tokens").map((s) => s.body)).toEqual([{ name: "nightly", scopes: ["read", "deploy", "exec"], expiresInDays: 30 }]);
    expect(within(panel).getByRole("textbox", { name: "Secret of nightly" })).toHaveValue(SECRET);
    expect(panel).toHaveTextContent("you will not see it again");
    expect(within(panel).getByRole("heading", { name: "Token nightly created" })).toHaveFocus();
    await user.click(within(panel).getByRole("button", { name: "Copy secret" }));
    expect(await within(panel).findByText("Copied to the clipboard.")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    // the list is read again, and it never holds a secret
    await waitFor(() => expect(api.calls("GET", "/v1/tokens")).toHaveLength(2));

    await user.click(within(panel).getByRole("button", { name: "I have copied the secret" }));
    expect(screen.queryByRole("region", { name: "Token nightly created" })).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveValue("");
  });

  it("tells how to copy by hand when the clipboard refuses", async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValue(new Error("denied"));
    const api = tokensApi().on("POST", "/v1/tokens", [201, { ...CI, secret: SECRET }]);
    renderPage(<TokensPage />, { api });
    await user.type(await screen.findByLabelText("Name"), "ci-deploy");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    await user.click(await screen.findByRole("button", { name: "Copy secret" }));
    expect(await screen.findByText(/Could not copy automatically/)).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Secret of ci-deploy" })).toHaveFocus();
  });

  it("shows the API's field errors next to their fields", async () => {
    const api = tokensApi().on("POST", "/v1/tokens", [
      400,
      problem(400, "validation", "2 fields are invalid", {
        title: "Bad Request",
        errors: [
          { field: "name", message: "must not be blank" },
          { field: "expiresInDays", message: "must be between 1 and 365" },
          { field: "scopes[0]", message: "beyond the creator's scopes" },
        ],
      }),
    ]);
    renderPage(<TokensPage />, { api });
    await userEvent.clear(await screen.findByLabelText("Expires in (days)"));
    await userEvent.type(screen.getByLabelText("Expires in (days)"), "400");
    await userEvent.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByText("2 fields are invalid")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(expect.stringContaining("must not be blank"));
    expect(screen.getByLabelText("Expires in (days)")).toHaveAccessibleDescription(expect.stringContaining("must be between 1 and 365"));
    expect(screen.getByRole("group", { name: "Scopes" })).toHaveAccessibleDescription("item 1: beyond the creator's scopes");
    expect(screen.queryByRole("region", { name: /created/ })).not.toBeInTheDocument();
  });

  it("shows a 409 when there are too many tokens", async () => {
    const api = tokensApi().on("POST", "/v1/tokens", [409, problem(409, "conflict", "at most 50 active tokens", { title: "Conflict" })]);
    renderPage(<TokensPage />, { api });
    await userEvent.type(await screen.findByLabelText("Name"), "one-more");
    await userEvent.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByText("at most 50 active tokens")).toBeInTheDocument();
  });

  it("revokes a token only after asking", async () => {
    const api = tokensApi().on("DELETE", `/v1/tokens/${CI.id}`, [204, null]);
    renderPage(<TokensPage />, { api });
    await userEvent.click(await screen.findByRole("button", { name: "Revoke ci-deploy" }));
    const dialog = screen.getByRole("dialog", { name: "Revoke ci-deploy" });
    expect(dialog).toHaveTextContent("scripts using it stop working");
    expect(api.calls("DELETE", `/v1/tokens/${CI.id}`)).toHaveLength(0);
    api.on("GET", "/v1/tokens", [200, [OLD]]);
    await userEvent.click(within(dialog).getByRole("button", { name: "Revoke token" }));
    await waitFor(() => expect(screen.queryByRole("cell", { name: "ci-deploy" })).not.toBeInTheDocument());
    expect(api.calls("DELETE", `/v1/tokens/${CI.id}`)).toHaveLength(1);
  });

  it("shows a refused revocation in the dialog", async () => {
    const api = tokensApi().on("DELETE", `/v1/tokens/${CI.id}`, [404, problem(404, "not-found", "no such token of this tenant", { title: "Not Found" })]);
    renderPage(<TokensPage />, { api });
    await userEvent.click(await screen.findByRole("button", { name: "Revoke ci-deploy" }));
    const dialog = screen.getByRole("dialog", { name: "Revoke ci-deploy" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Revoke token" }));
    expect(await within(dialog).findByText("no such token of this tenant")).toBeInTheDocument();
  });

  it("explains a 403 to someone without the admin scope and offers no form", async () => {
    const api = new FakeApi().on("GET", "/v1/tokens", [403, problem(403, "forbidden", "the token lacks the scope admin", { title: "Forbidden" })]);
    renderPage(<TokensPage />, { api, me: { ...BOB, kind: "token", scopes: ["read", "deploy"] } });
    expect(await screen.findByText("the token lacks the scope admin")).toBeInTheDocument();
    expect(screen.getByText(/You may not list API tokens \(admin scope needed\)/)).toBeInTheDocument();
    expect(screen.getByText(/Managing API tokens needs the admin scope. You hold: read, deploy/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create token" })).not.toBeInTheDocument();
  });

  it("offers only the scopes the creator holds", async () => {
    const limited = { ...BOB, kind: "token" as const, scopes: ["read", "admin"] as ("read" | "admin")[] };
    renderPage(<TokensPage />, { api: tokensApi(), me: limited });
    expect(await screen.findByRole("checkbox", { name: "deploy" })).toBeDisabled();
    expect(screen.getByRole("checkbox", { name: "exec" })).toBeDisabled();
    expect(screen.getByRole("checkbox", { name: "admin" })).toBeEnabled();
  });
});
