import { EventStream, type StreamStatus } from "./eventStream";

function sse(...lines: string[]): Response {
  return new Response(lines.join(""), { status: 200, headers: { "content-type": "text/event-stream" } });
}

function entry(id: string, type = "instance.state-changed"): string {
  return `id: ${id}\ndata: ${JSON.stringify({ id, type })}\n\n`;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("EventStream", () => {
  it("hands every event to every listener", async () => {
    const stream = new EventStream(async () => sse(entry("1"), entry("2")), { delay: () => 60_000 });
    const a: string[] = [];
    const b: string[] = [];
    stream.subscribe((e) => a.push(e.id));
    stream.subscribe((e) => b.push(e.id));
    stream.start();
    await until(() => b.length === 2, "two events");
    stream.stop();
    expect(a).toEqual(["1", "2"]);
  });

  it("reconnects after a dropped stream with the last event id, so missed events are replayed", async () => {
    const asked: (string | undefined)[] = [];
    const stream = new EventStream(
      async (lastEventId) => {
        asked.push(lastEventId);
        return asked.length === 1 ? sse(entry("10"), entry("11")) : sse(entry("12"));
      },
      { delay: () => 1 },
    );
    const seen: string[] = [];
    stream.subscribe((e) => seen.push(e.id));
    stream.start();
    await until(() => seen.includes("12"), "the event after the reconnect");
    stream.stop();
    expect(asked.slice(0, 2)).toEqual([undefined, "11"]);
  });

  it("keeps trying while the server refuses and reports reconnecting, then live", async () => {
    let calls = 0;
    const statuses: StreamStatus[] = [];
    const stream = new EventStream(
      async () => (++calls < 3 ? new Response("down", { status: 503 }) : sse(entry("1"))),
      { delay: () => 1 },
    );
    stream.onStatus((s) => statuses.push(s));
    stream.start();
    await until(() => statuses.includes("live"), "live");
    stream.stop();
    expect(statuses.slice(0, 3)).toEqual(["connecting", "reconnecting", "live"]);
  });

  it("skips an unreadable event and a failing listener without ending the stream", async () => {
    const stream = new EventStream(async () => sse("id: 1\ndata: {not json\n\n", entry("2")), { delay: () => 60_000 });
    const seen: string[] = [];
    stream.subscribe(() => {
      throw new Error("broken view");
    });
    stream.subscribe((e) => seen.push(e.id));
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    stream.start();
    await until(() => seen.length === 1, "the readable event");
    stream.stop();
    quiet.mockRestore();
    expect(seen).toEqual(["2"]);
  });
});
