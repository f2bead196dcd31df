import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderPage } from "../../test/fakeSession";
import { allowSlowMachines } from "../deployments/testing";
import ExecTerminal from "./ExecTerminal";

allowSlowMachines();

const written: string[] = [];
let typed: (text: string) => void = () => undefined;

vi.mock("@xterm/xterm", () => ({
  Terminal: class {
    cols = 80;
    rows = 24;
    options: Record<string, unknown> = {};
    loadAddon() {}
    open() {}
    focus() {}
    dispose() {}
    write(data: Uint8Array) {
      written.push(new TextDecoder().decode(data));
    }
    onData(listener: (text: string) => void) {
      typed = listener;
      return { dispose() {} };
    }
    onResize() {
      return { dispose() {} };
    }
  },
}));
vi.mock("@xterm/addon-fit", () => ({ FitAddon: class { fit() {} } }));

class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static last: FakeSocket | undefined;
  readyState = FakeSocket.CONNECTING;
  binaryType = "blob";
  sent: number[][] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.last = this;
  }
  send(data: Uint8Array) {
    this.sent.push(Array.from(data));
  }
  close(code: number) {
    this.closedWith = code;
    this.serverClosed(code);
  }
  opened() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(channel: number, text: string) {
    this.onmessage?.({ data: Uint8Array.of(channel, ...new TextEncoder().encode(text)).buffer });
  }
  serverClosed(code: number) {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason: "" });
  }
}

const decoded = (frame: number[] | undefined) => (frame ? [frame[0], new TextDecoder().decode(Uint8Array.from(frame.slice(1)))] : undefined);

beforeEach(() => {
  written.length = 0;
  FakeSocket.last = undefined;
  vi.stubGlobal("WebSocket", FakeSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe("the exec terminal", () => {
  it("opens the exec socket with the token as a subprotocol, relays typing and output, and shows the exit status", async () => {
    const user = userEvent.setup();
    renderPage(<ExecTerminal instanceId="i-1" name="hello #0" />);
    await user.click(screen.getByRole("button", { name: "Connect" }));
    await waitFor(() => expect(FakeSocket.last).toBeDefined());
    const socket = FakeSocket.last!;
    expect(socket.url).toBe("ws://api.test/v1/instances/i-1/exec?command=sh&tty=true&stdin=true");
    expect(socket.protocols).toEqual(["v1.exec.nanofleet.dev", `base64url.bearer.nanofleet.dev.${btoa("test-token").replace(/=+$/, "")}`]);
    expect(socket.binaryType).toBe("arraybuffer");

    act(() => socket.opened());
    expect(await screen.findByText("Connected to hello #0.")).toBeInTheDocument();
    expect(decoded(socket.sent[0])).toEqual([4, '{"Width":80,"Height":24}']);
    typed("ls\r");
    expect(decoded(socket.sent[1])).toEqual([0, "ls\r"]);
    socket.receive(1, "bin  etc\r\n");
    expect(written).toEqual(["bin  etc\r\n"]);

    act(() => {
      socket.receive(3, '{"status":"Failure","exitCode":2,"reason":"exit status 2"}');
      socket.serverClosed(1000);
    });
    expect(await screen.findByText("The process exited with code 2: exit status 2.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Connect" })).toBeInTheDocument();
  });

  it("ends the session when Disconnect is pressed", async () => {
    const user = userEvent.setup();
    renderPage(<ExecTerminal instanceId="i-1" name="hello #0" />);
    await user.click(screen.getByRole("button", { name: "Connect" }));
    await waitFor(() => expect(FakeSocket.last).toBeDefined());
    act(() => FakeSocket.last!.opened());
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    expect(FakeSocket.last!.closedWith).toBe(1000);
    expect(await screen.findByText("The session ended.")).toBeInTheDocument();
  });

  it("says what may be wrong when the connection is refused", async () => {
    const user = userEvent.setup();
    renderPage(<ExecTerminal instanceId="i-1" name="hello #0" />);
    await user.click(screen.getByRole("button", { name: "Connect" }));
    await waitFor(() => expect(FakeSocket.last).toBeDefined());
    act(() => FakeSocket.last!.serverClosed(1006));
    expect(await screen.findByText(/The connection closed \(code 1006\)/)).toBeInTheDocument();
  });
});
