import { SseParser } from "./sseParser";
import type { components } from "../api/generated/control-api";

export type EventEntry = components["schemas"]["EventEntry"];
export type StreamStatus = "connecting" | "live" | "reconnecting";

/** Opens the stream; lastEventId is where to resume (undefined on the first connect). */
export type StreamOpener = (lastEventId: string | undefined, signal: AbortSignal) => Promise<Response>;

export interface Backoff {
  /** Milliseconds to wait before the given reconnect attempt (1 for the first). */
  delay(attempt: number): number;
}

export const exponentialBackoff: Backoff = {
  delay: (attempt) => Math.min(15_000, 500 * 2 ** Math.min(attempt - 1, 5)),
};

/**
 * The one live connection of the portal: follows the event log as Server-Sent Events and hands every event to its
 * listeners. A dropped connection (network, server restart, token expiry) is reopened with Last-Event-ID, so the log
 * replays what was missed and nothing is lost. Every view listens here rather than opening its own stream.
 */
export class EventStream {
  private readonly listeners = new Set<(event: EventEntry) => void>();
  private readonly statusListeners = new Set<(status: StreamStatus) => void>();
  private controller: AbortController | undefined;
  private lastEventId: string | undefined;
  private current: StreamStatus = "connecting";
  private stopped = true;

  constructor(
    private readonly open: StreamOpener,
    private readonly backoff: Backoff = exponentialBackoff,
    private readonly wait: (ms: number, signal: AbortSignal) => Promise<void> = abortableDelay,
  ) {}

  subscribe(listener: (event: EventEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.current);
    return () => this.statusListeners.delete(listener);
  }

  status(): StreamStatus {
    return this.current;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const response = await this.open(this.lastEventId, signal);
        if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
        this.setStatus("live");
        attempt = 0;
        await this.read(response.body, signal);
      } catch {
        // a failure to connect or a dropped stream: both end in the reconnect below
      }
      if (signal.aborted) return;
      attempt++;
      this.setStatus("reconnecting");
      await this.wait(this.backoff.delay(attempt), signal).catch(() => undefined);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    const cancel = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener("abort", cancel);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          if (message.id !== undefined) this.lastEventId = message.id;
          this.dispatch(message.data);
        }
      }
    } finally {
      signal.removeEventListener("abort", cancel);
    }
  }

  private dispatch(data: string): void {
    let event: EventEntry;
    try {
      event = JSON.parse(data) as EventEntry;
    } catch {
      return; // one unreadable event must not end the stream for every view
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error("an event listener failed", error);
      }
    }
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.current) return;
    this.current = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    });
  });
}
