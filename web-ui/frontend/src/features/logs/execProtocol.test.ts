import { base64url, Channel, decode, describeStatus, encodeResize, encodeStdin, encodeStdinClosed, execProtocols, execUrl, MAX_DATA } from "./execProtocol";

const bytes = (u: Uint8Array) => Array.from(u);
const text = (u: Uint8Array) => new TextDecoder().decode(u);

describe("the exec protocol", () => {
  it("frames stdin as channel 0 followed by the bytes", () => {
    const [message, ...rest] = encodeStdin("ls\r");
    expect(rest).toHaveLength(0);
    expect(bytes(message!)).toEqual([0, 108, 115, 13]);
  });

  it("splits stdin bigger than 32 KiB into several messages", () => {
    const messages = encodeStdin(new Uint8Array(MAX_DATA + 10).fill(65));
    expect(messages.map((m) => m.length)).toEqual([MAX_DATA + 1, 11]);
    expect(messages.every((m) => m[0] === Channel.stdin)).toBe(true);
  });

  it("frames a resize as channel 4 with the JSON the server reads", () => {
    const message = encodeResize(120, 40);
    expect(message[0]).toBe(4);
    expect(JSON.parse(text(message.subarray(1)))).toEqual({ Width: 120, Height: 40 });
  });

  it("closes stdin with channel 255 naming channel 0", () => {
    expect(bytes(encodeStdinClosed())).toEqual([255, 0]);
  });

  it("decodes stdout and stderr as their bytes", () => {
    const out = decode(Uint8Array.of(1, 104, 105).buffer);
    expect(out.channel).toBe("stdout");
    expect(out.channel === "stdout" && text(out.data)).toBe("hi");
    const err = decode(Uint8Array.of(2, 33));
    expect(err.channel === "stderr" && text(err.data)).toBe("!");
  });

  it("decodes the status message of a finished process", () => {
    const payload = new TextEncoder().encode(JSON.stringify({ status: "Failure", exitCode: 137, reason: "killed" }));
    const message = new Uint8Array(payload.length + 1);
    message[0] = 3;
    message.set(payload, 1);
    const decoded = decode(message.buffer);
    expect(decoded).toEqual({ channel: "status", status: { status: "Failure", exitCode: 137, reason: "killed" } });
    expect(decoded.channel === "status" && describeStatus(decoded.status)).toBe("The process exited with code 137 (killed by signal 9): killed.");
  });

  it("reads a status without an exit code as a session that ended for a reason", () => {
    const payload = new TextEncoder().encode('{"status":"Failure","exitCode":null,"reason":"the instance ended"}');
    const decoded = decode(Uint8Array.of(3, ...payload));
    expect(decoded.channel === "status" && describeStatus(decoded.status)).toBe("The session ended without an exit code: the instance ended.");
  });

  it("reports an unknown channel instead of guessing", () => {
    expect(decode(Uint8Array.of(9, 1))).toEqual({ channel: "unknown", number: 9 });
  });

  it("offers the token as a base64url subprotocol without padding", () => {
    expect(base64url("ab?")).toBe("YWI_");
    expect(base64url("a")).toBe("YQ");
    expect(execProtocols("tok")).toEqual(["v1.exec.nanofleet.dev", "base64url.bearer.nanofleet.dev.dG9r"]);
  });

  it("builds the WebSocket URL from the API's URL, one command parameter per argument", () => {
    expect(execUrl("https://api.example/", "i-1", ["sh", "-c", "echo hi"], { tty: true, stdin: true })).toBe(
      "wss://api.example/v1/instances/i-1/exec?command=sh&command=-c&command=echo+hi&tty=true&stdin=true",
    );
    expect(execUrl("http://127.0.0.1:18081", "i-2", ["sh"], { tty: false, stdin: true })).toBe(
      "ws://127.0.0.1:18081/v1/instances/i-2/exec?command=sh&tty=false&stdin=true",
    );
  });
});
