import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { useSession } from "../../app/session";
import { decode, describeStatus, encodeResize, encodeStdin, execProtocols, execUrl } from "./execProtocol";
import "./logs.css";

type Phase = "idle" | "connecting" | "open" | "closed";

interface Live {
  socket: WebSocket;
  terminal: Terminal;
  dispose: () => void;
}

/**
 * A shell in a running instance: xterm.js over control-api's exec WebSocket (`sh` with a terminal and stdin). The token
 * rides a subprotocol, since a browser cannot set Authorization on a WebSocket. Disconnect closes the socket, which ends
 * the process; the process ending closes it from the server with its exit status, shown under the terminal.
 * Default export: the page imports it lazily, so xterm.js is a chunk of its own.
 */
export default function ExecTerminal({ instanceId, name, command = ["sh"] }: { instanceId: string; name: string; command?: string[] }) {
  const { config, token } = useSession();
  const host = useRef<HTMLDivElement>(null);
  const live = useRef<Live | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>("idle");
  const [ended, setEnded] = useState<string | undefined>();

  const release = () => {
    live.current?.dispose();
    live.current = undefined;
  };
  useEffect(() => release, []);
  // another instance: what ran in the old one's session is not this one's
  useEffect(() => {
    release();
    setPhase("idle");
    setEnded(undefined);
  }, [instanceId]);

  const connect = async () => {
    if (!host.current) return;
    release();
    // shown before xterm measures it
    flushSync(() => {
      setEnded(undefined);
      setPhase("connecting");
    });
    host.current.replaceChildren();
    const terminal = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", theme: { background: "#0d1117" } });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(host.current);
    fit.fit();
    let socket: WebSocket;
    try {
      socket = new WebSocket(execUrl(config.apiUrl, instanceId, command, { tty: true, stdin: true }), execProtocols(await token()));
    } catch (e) {
      terminal.dispose();
      setPhase("closed");
      setEnded(`The terminal could not connect: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    socket.binaryType = "arraybuffer";
    let status: string | undefined;
    const send = (message: Uint8Array) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(message);
    };
    const input = terminal.onData((text) => encodeStdin(text).forEach(send));
    const resize = terminal.onResize(({ cols, rows }) => send(encodeResize(cols, rows)));
    const observer = typeof ResizeObserver === "function" ? new ResizeObserver(() => fit.fit()) : undefined;
    observer?.observe(host.current);
    socket.onopen = () => {
      setPhase("open");
      send(encodeResize(terminal.cols, terminal.rows));
      terminal.focus();
    };
    socket.onmessage = (message: MessageEvent) => {
      if (typeof message.data === "string") return; // the protocol has binary messages only
      const decoded = decode(message.data as ArrayBuffer);
      if (decoded.channel === "stdout" || decoded.channel === "stderr") terminal.write(decoded.data);
      else if (decoded.channel === "status") status = describeStatus(decoded.status);
    };
    socket.onclose = (event: CloseEvent) => {
      setPhase("closed");
      setEnded(
        status ??
          (event.code === 1000
            ? "The session ended."
            : `The connection closed (code ${event.code}${event.reason ? `: ${event.reason}` : ""}). The API refuses a terminal when the replica is not running, or your login may not open one.`),
      );
      input.dispose();
      resize.dispose();
      observer?.disconnect();
      terminal.options.disableStdin = true;
    };
    live.current = {
      socket,
      terminal,
      dispose: () => {
        socket.onclose = null;
        socket.onmessage = null;
        if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000);
        input.dispose();
        resize.dispose();
        observer?.disconnect();
        terminal.dispose();
      },
    };
  };

  const disconnect = () => {
    // closing from the client ends the process (SIGKILL); the terminal keeps what it showed
    live.current?.socket.close(1000);
  };

  return (
    <section aria-label={`Terminal in ${name}`}>
      <div className="terminal-bar">
        {phase === "open" || phase === "connecting" ? (
          <button type="button" className="button" onClick={disconnect}>
            Disconnect
          </button>
        ) : (
          <button type="button" className="button primary" onClick={() => void connect()}>
            Connect
          </button>
        )}
        <span role="status" className="muted">
          {phase === "idle" && "Opens sh in the replica. Disconnecting ends the shell."}
          {phase === "connecting" && "Connecting…"}
          {phase === "open" && `Connected to ${name}.`}
          {phase === "closed" && ended}
        </span>
      </div>
      <div ref={host} className="terminal" hidden={phase === "idle"} />
    </section>
  );
}
