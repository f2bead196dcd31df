import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FakeApi, problem, renderPage } from "../../test/fakeSession";
import { allowSlowMachines } from "../deployments/testing";
import { LogViewer } from "./LogViewer";

allowSlowMachines();

const LOGS = "/v1/instances/i-1/logs";

function textLog(text: string): FakeApi {
  return new FakeApi().on("GET", LOGS, [200, text, { "content-type": "text/plain" }]);
}

describe("the log viewer", () => {
  it("asks for the last lines and follows, then shows them in a labelled log region", async () => {
    const api = textLog("one\ntwo\n");
    renderPage(<LogViewer instanceId="i-1" name="hello #0" />, { api });
    const log = await screen.findByRole("log", { name: "Log of hello #0" });
    await waitFor(() => expect(log).toHaveTextContent("one two"));
    expect(log).toHaveAttribute("aria-live", "off");
    const [sent] = api.calls("GET", LOGS);
    expect(sent?.url.searchParams.get("tail")).toBe("500");
    expect(sent?.url.searchParams.get("follow")).toBe("true");
    expect(await screen.findByText(/The stream ended/)).toBeInTheDocument();
  });

  it("counts and highlights the matches of a search, and can show only the matching lines", async () => {
    const user = userEvent.setup();
    renderPage(<LogViewer instanceId="i-1" name="hello #0" initialFollow={false} />, { api: textLog("GET /a\nPOST /b\nget /c get\n") });
    const log = await screen.findByRole("log", { name: "Log of hello #0" });
    await waitFor(() => expect(log).toHaveTextContent("GET /a"));
    await user.type(screen.getByRole("searchbox", { name: "Search the log" }), "get");
    expect(screen.getByText("3 matches in 2 lines")).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "Search the log" })).toHaveAccessibleDescription("3 matches in 2 lines");
    expect(within(log).getAllByText(/^get$/i, { selector: "mark" })).toHaveLength(3);
    await user.click(screen.getByRole("checkbox", { name: "Only matching lines" }));
    expect(log).not.toHaveTextContent("POST");
    expect(log).toHaveTextContent("GET /a get /c get");
  });

  it("streams new lines while following and stops reading when following is turned off", async () => {
    const user = userEvent.setup();
    let push: (text: string) => void = () => undefined;
    let cancelled = false;
    const api = new FakeApi().on("GET", LOGS, () => [
      200,
      new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text));
        },
        cancel() {
          cancelled = true;
        },
      }),
      { "content-type": "text/plain" },
    ]);
    renderPage(<LogViewer instanceId="i-1" name="hello #0" />, { api });
    const log = await screen.findByRole("log", { name: "Log of hello #0" });
    await screen.findByText(/Following/);
    push("first\nsec");
    await waitFor(() => expect(log).toHaveTextContent("first"));
    expect(log).not.toHaveTextContent("sec");
    push("ond\n");
    await waitFor(() => expect(log).toHaveTextContent("first second"));
    expect(screen.getByRole("status")).toHaveTextContent("Following: 2 lines");

    await user.click(screen.getByRole("checkbox", { name: "Follow" }));
    await waitFor(() => expect(cancelled).toBe(true));
    expect(screen.getByText(/Paused: 2 lines/)).toBeInTheDocument();
    expect(log).toHaveTextContent("first second");
  });

  it("shows the API's reason when there are no logs yet", async () => {
    const api = new FakeApi().on("GET", LOGS, [409, problem(409, "conflict", "no logs yet: the instance is not placed")]);
    renderPage(<LogViewer instanceId="i-1" name="hello #0" />, { api });
    expect(await screen.findByText("no logs yet: the instance is not placed")).toBeInTheDocument();
  });

  it("downloads the loaded lines as a .log file", async () => {
    const user = userEvent.setup();
    let saved: Blob | undefined;
    const created = vi.fn((blob: Blob) => {
      saved = blob;
      return "blob:log";
    });
    const { createObjectURL, revokeObjectURL } = URL;
    URL.createObjectURL = created;
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe("hello-0.log");
    });
    renderPage(<LogViewer instanceId="i-1" name="hello #0" initialFollow={false} />, { api: textLog("a\nb") });
    await waitFor(() => expect(screen.getByRole("log")).toHaveTextContent("a b"));
    await user.click(screen.getByRole("button", { name: "Download log" }));
    expect(clicked).toHaveBeenCalledTimes(1);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(saved!);
    });
    expect(text).toBe("a\nb\n");
    clicked.mockRestore();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
  });
});
