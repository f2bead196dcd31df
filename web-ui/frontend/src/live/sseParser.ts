/** One Server-Sent Event as the HTML standard dispatches it (comments and retry lines are not events). */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream incrementally: feed it decoded chunks as they arrive, in any split, and it returns the
 * events completed so far. Written to the standard's rules (a blank line ends an event, several data lines join with
 * "\n", a comment line starts with ":", CR, LF and CRLF all end a line) because EventSource itself cannot send the
 * Authorization header the API needs.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private id: string | undefined;
  private lastId: string | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // a lone CR at the end of a chunk may be the first half of a CRLF: wait for the next chunk
      if (this.buffer[end] === "\r" && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(this.buffer.startsWith("\r\n", end) ? end + 2 : end + 1);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  /** The id of the last event seen: what a reconnect sends as Last-Event-ID. */
  lastEventId(): string | undefined {
    return this.lastId;
  }

  private line(line: string): SseMessage | undefined {
    if (line === "") {
      if (this.id !== undefined) this.lastId = this.id;
      const done = this.data.length > 0 ? { id: this.lastId, event: this.event || "message", data: this.data.join("\n") } : undefined;
      this.data = [];
      this.event = "";
      this.id = undefined;
      return done;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
    return undefined;
  }
}
