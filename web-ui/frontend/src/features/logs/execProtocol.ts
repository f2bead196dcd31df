/**
 * control-api's exec protocol (subprotocol v1.exec.nanofleet.dev, control-api README "Exec"): binary WebSocket
 * messages whose first byte is the channel and the rest its data. Pure: no socket here, so it is tested alone.
 */

export const EXEC_PROTOCOL = "v1.exec.nanofleet.dev";
export const BEARER_PROTOCOL_PREFIX = "base64url.bearer.nanofleet.dev.";

export const Channel = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

/** At most this much data per message (the server closes the session on a bigger one). */
export const MAX_DATA = 32 * 1024;

/** The last message of a session: how the process ended. */
export interface ExecStatus {
  status: "Success" | "Failure" | string;
  exitCode: number | null;
  reason?: string;
}

export type ExecMessage =
  | { channel: "stdout" | "stderr"; data: Uint8Array }
  | { channel: "status"; status: ExecStatus }
  | { channel: "unknown"; number: number };

const encoder = new TextEncoder();

function frame(channel: number, data: Uint8Array): Uint8Array {
  const message = new Uint8Array(1 + data.length);
  message[0] = channel;
  message.set(data, 1);
  return message;
}

/** Bytes for the process' stdin, split so no message carries more than MAX_DATA. */
export function encodeStdin(input: string | Uint8Array): Uint8Array[] {
  const data = typeof input === "string" ? encoder.encode(input) : input;
  const messages: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += MAX_DATA) messages.push(frame(Channel.stdin, data.subarray(at, at + MAX_DATA)));
  return messages;
}

/** The terminal's new size. */
export function encodeResize(columns: number, rows: number): Uint8Array {
  return frame(Channel.resize, encoder.encode(JSON.stringify({ Width: columns, Height: rows })));
}

/** stdin's end (EOF for a pipe, ^D for a terminal). */
export function encodeStdinClosed(): Uint8Array {
  return frame(Channel.close, Uint8Array.of(Channel.stdin));
}

/** A message from the server. */
export function decode(message: ArrayBuffer | ArrayBufferView): ExecMessage {
  const bytes = ArrayBuffer.isView(message) ? new Uint8Array(message.buffer, message.byteOffset, message.byteLength) : new Uint8Array(message);
  const channel = bytes[0];
  const data = bytes.subarray(1);
  switch (channel) {
    case Channel.stdout:
      return { channel: "stdout", data };
    case Channel.stderr:
      return { channel: "stderr", data };
    case Channel.status: {
      try {
        const parsed = JSON.parse(new TextDecoder().decode(data)) as Partial<ExecStatus>;
        return {
          channel: "status",
          status: {
            status: typeof parsed.status === "string" ? parsed.status : "Failure",
            exitCode: typeof parsed.exitCode === "number" ? parsed.exitCode : null,
            ...(typeof parsed.reason === "string" ? { reason: parsed.reason } : {}),
          },
        };
      } catch {
        return { channel: "status", status: { status: "Failure", exitCode: null, reason: "the status could not be read" } };
      }
    }
    default:
      return { channel: "unknown", number: channel ?? -1 };
  }
}

/** base64url without padding, of the text's UTF-8 bytes. */
export function base64url(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The subprotocols a browser offers: the protocol, and the token (browsers cannot set Authorization on a WebSocket). */
export function execProtocols(token: string): string[] {
  return [EXEC_PROTOCOL, BEARER_PROTOCOL_PREFIX + base64url(token)];
}

/** The exec URL of an instance: the API's URL with ws/wss, the command repeated once per argument. */
export function execUrl(apiUrl: string, instanceId: string, command: string[], options: { tty: boolean; stdin: boolean }, base = globalThis.location?.href): string {
  const url = new URL(`${apiUrl.replace(/\/+$/, "")}/v1/instances/${encodeURIComponent(instanceId)}/exec`, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  for (const argument of command) url.searchParams.append("command", argument);
  url.searchParams.set("tty", String(options.tty));
  url.searchParams.set("stdin", String(options.stdin));
  return url.toString();
}

/** How a session ended, in words. */
export function describeStatus(status: ExecStatus): string {
  if (status.exitCode !== null) {
    const signal = status.exitCode > 128 ? ` (killed by signal ${status.exitCode - 128})` : "";
    return `The process exited with code ${status.exitCode}${signal}${status.reason ? `: ${status.reason}` : ""}.`;
  }
  return `The session ended without an exit code${status.reason ? `: ${status.reason}` : ""}.`;
}
